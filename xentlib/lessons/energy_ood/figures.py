r"""Figures for notebook 10: softmax is forced to choose, energy as an out-of-distribution score, smooth segments.

Everything a figure shows is computed once when it is built, from the cached
:func:`~xentlib.lessons.energy_ood.experiments.experiment` (the two trained
models of :func:`~xentlib.lessons.energy_ood.experiments.ood_experiment`) or
the cached :func:`~xentlib.lessons.energy_ood.experiments.smoothing_path`
(the toy protein smoothed at every value the penalty slider can take).  A
slider step only moves artists; the one exception is the fine-tuning replay,
which computes the energy map of a training step the first time it is shown
and caches it.
"""

from __future__ import annotations

import numpy as np

from ...datasets import radial_features, ray
from ...drawing import (
    COLORS,
    Panel,
    choice,
    fixed_figure,
    input_plane,
    int_slider,
    pixel_image,
    plane_grid,
    readout,
    slider,
    style,
)
from ...links import softmax
from ...losses import energy_score
from ...ood import auroc, detection_rates, ood_score, roc_curve
from ...segments import count_segments
from .experiments import MODELS, PENALTIES, experiment, penalty_index, protein, smoothing_path

__all__ = ["forced_to_choose", "threshold_roc", "margin_training", "segment_smoothing"]

_CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"]]
_IN, _OUT = COLORS["blue"], COLORS["vermillion"]
_BOX = 11.0  # the map shows -_BOX .. _BOX in both coordinates
_RES = 161  # map pixels per side
_ENERGY_RANGE = (-25.0, 35.0)  # nats: the histograms' range, both models (clipped beyond)


# ---------------------------------------------------------------- shared drawing helpers

def _class_map(z: np.ndarray) -> np.ndarray:
    """RGBA bytes: each pixel in its predicted class's colour, from white (max-softmax 1/3) to full colour (1)."""
    from matplotlib.colors import to_rgb

    p = softmax(z)
    colours = np.array([to_rgb(c) for c in _CLASS_COLORS])[p.argmax(axis=1)]
    strength = ((p.max(axis=1) - 1 / 3) * 1.5)[:, None] * 0.75  # never fully saturated: the points stay visible
    rgb = 1 - strength * (1 - colours)
    rgba = np.concatenate([rgb, np.ones((len(rgb), 1))], axis=1)
    return (rgba.reshape(_RES, _RES, 4) * 255).astype(np.uint8)


def _points(ax, X, y, *, size: float = 4.5, **kw):
    """The classes as marker-only lines (Agg draws these far faster than a scatter)."""
    return [ax.plot(*X[y == k].T, "o", color=c, mec="black", mew=0.4, ms=size, ls="none", label=f"class {'ABC'[k]}", **kw)[0]
            for k, c in enumerate(_CLASS_COLORS)]


def _band(ax, **kw):
    """A horizontal band across the axes (x in axes units, y in data units), moved with ``set_bounds``."""
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import blended_transform_factory

    band = Rectangle((0, 0), 1, 0, transform=blended_transform_factory(ax.transAxes, ax.transData),
                     color=_IN, alpha=0.12, lw=0, label="95 % of in-distribution inputs", **kw)
    ax.add_patch(band)
    return band


# ---------------------------------------------------------------- 1. forced to choose

def forced_to_choose(distance: float = 8.0, direction: float = 45.0, model: str = "plain cross-entropy") -> Panel:
    r"""Walk a probe away from the training data and watch the classifier's confidence and energy.

    Question it answers: when an input is far from anything the classifier
    was trained on, does the softmax become less sure?  (No: the logits grow
    with distance, so the maximum softmax probability climbs to 1.)  Does the
    energy :math:`E(x) = -\log\sum_k e^{z_k}` notice?  (Not for the plain
    model, whose energy falls; yes once the energy is trained with a margin.)

    Left: the plane coloured by predicted class, paler where the model is
    less sure; the probe walks along the dashed ray.  Right: the maximum
    softmax probability and the energy along that ray, with the band where
    95 % of the in-distribution test inputs lie.
    """
    exp = experiment()
    grid = plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _RES)
    distances = np.linspace(0.0, 12.0, 241)
    directions = np.arange(0.0, 360.0, 5.0)
    along = {name: {} for name in MODELS.values()}  # model -> direction -> (msp, energy) along the ray
    for name in MODELS.values():
        for d in directions:
            z = exp.logits(ray(d, distances), name)
            along[name][d] = (softmax(z).max(axis=1), energy_score(z))
    maps = {name: _class_map(exp.logits(grid, name)) for name in MODELS.values()}
    bands = {name: (np.percentile(-exp.test_scores(name, "msp")[0], [2.5, 97.5]),
                    np.percentile(exp.test_scores(name, "energy")[0], [2.5, 97.5])) for name in MODELS.values()}
    low_e = min(min(e.min() for _, e in along[n].values()) for n in along)
    high_e = max(max(e.max() for _, e in along[n].values()) for n in along)

    with style():
        fig, gs = fixed_figure((11.0, 5.4), nrows=2, ncols=2, width_ratios=[1.0, 1.05], left=0.065, right=0.975,
                               top=0.87, bottom=0.17, wspace=0.3, hspace=0.12)
        ax_map = fig.add_subplot(gs[:, 0])
        ax_msp = fig.add_subplot(gs[0, 1])
        ax_e = fig.add_subplot(gs[1, 1], sharex=ax_msp)
        fig.suptitle("Far from the data the softmax gets more confident; only a trained energy notices", fontsize=14)
        image = pixel_image(ax_map, maps["plain"], (-_BOX, _BOX, -_BOX, _BOX))
        ax_map.plot(*exp.X_test_out.T, "x", color=COLORS["grey"], ms=3, mew=0.8, ls="none", label="far-away test inputs")
        _points(ax_map, exp.X_train, exp.y_train, size=4)
        input_plane(ax_map, _BOX, "predicted class (paler = less sure)")
        ax_map.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=10, frameon=False,
                      handletextpad=0.2, columnspacing=0.8, markerscale=1.5)
        (ray_line,) = ax_map.plot([], [], ls="--", color=COLORS["black"], lw=1.5)
        (probe,) = ax_map.plot([], [], "*", color="white", mec="black", mew=1.2, ms=20, zorder=4)
        text = readout(ax_map, size=10)

        msp_band, e_band = (_band(ax) for ax in (ax_msp, ax_e))
        (other_msp,) = ax_msp.plot([], [], color=COLORS["grey"], lw=1.5, alpha=0.7, label="the other model")
        (msp_curve,) = ax_msp.plot([], [], color=COLORS["black"], label="this model")
        (msp_dot,) = ax_msp.plot([], [], "*", color="white", mec="black", mew=1.2, ms=16, zorder=4)
        ax_msp.set_ylim(0.3, 1.03)
        ax_msp.set_ylabel("max-softmax\nprobability")
        ax_msp.set_title("along the ray")
        ax_msp.tick_params(labelbottom=False)
        ax_msp.legend(loc="lower right", fontsize=10)

        (other_e,) = ax_e.plot([], [], color=COLORS["grey"], lw=1.5, alpha=0.7)
        (e_curve,) = ax_e.plot([], [], color=COLORS["black"])
        (e_dot,) = ax_e.plot([], [], "*", color="white", mec="black", mew=1.2, ms=16, zorder=4)
        ax_e.set_ylim(low_e - 3, high_e + 3)
        ax_e.set_xlim(0, 12)
        ax_e.set_xlabel("distance of the probe from the centre")
        ax_e.set_ylabel("energy E(x)\n(nats, up = suspicious)")

    shown = {"model": None}

    def update(distance, direction, model):
        name = MODELS[model]
        other = "margin" if name == "plain" else "plain"
        d = float(np.round(direction / 5.0) * 5.0) % 360.0
        msp, energy = along[name][d]
        k = int(np.argmin(np.abs(distances - distance)))
        x = ray(d, [distances[k]])[0]
        ray_line.set_data(*ray(d, [0.0, 15.0]).T)
        probe.set_data([x[0]], [x[1]])
        msp_curve.set_data(distances, msp)
        e_curve.set_data(distances, energy)
        other_msp.set_data(distances, along[other][d][0])
        other_e.set_data(distances, along[other][d][1])
        msp_dot.set_data([distances[k]], [msp[k]])
        e_dot.set_data([distances[k]], [energy[k]])
        p = softmax(exp.logits(x[None], name))[0]
        text.set_text(f"probe at distance {distances[k]:.1f}\n"
                         f"P(A, B, C) = {p[0]:.2f}, {p[1]:.2f}, {p[2]:.2f}\n"
                         f"max-softmax {p.max():.3f}\n"
                         f"energy {energy[k]:+.1f} nats")
        if shown["model"] == name:
            return False
        shown["model"] = name  # a new model: new map and bands, drawn once into the background
        image.set_data(maps[name])
        (m_lo, m_hi), (e_lo, e_hi) = bands[name]
        msp_band.set_bounds(0, m_lo, 1, m_hi - m_lo)  # x in axes units, y in data units
        e_band.set_bounds(0, e_lo, 1, e_hi - e_lo)
        return True

    controls = {"distance": slider("probe distance from the centre (data units)", 0.0, 12.0, 0.1, distance, fmt=".1f"),
                "direction": slider("direction of the walk (degrees)", 0.0, 355.0, 5.0, direction, fmt=".0f"),
                "model": choice("model", list(MODELS), value=model)}
    scenes = {
        "on a class (distance 2.5)": {"distance": 2.5, "direction": 90.0, "model": "plain cross-entropy"},
        "between classes (centre)": {"distance": 0.0, "direction": 90.0, "model": "plain cross-entropy"},
        "far away, plain model": {"distance": 10.0, "direction": 60.0, "model": "plain cross-entropy"},
        "far away, energy margin": {"distance": 10.0, "direction": 60.0, "model": "+ energy margin"},
    }
    return Panel(fig, update, controls,
                 artists=[ray_line, probe, text, other_msp, msp_curve, msp_dot, other_e, e_curve, e_dot],
                 title="a probe walking away from the training data", scenes=scenes)


# ---------------------------------------------------------------- 2. threshold and ROC

def threshold_roc(threshold: float = -8.0, model: str = "plain cross-entropy") -> Panel:
    r"""Flag every input whose energy is at least a threshold: who gets caught, and the ROC curve it traces.

    Question it answers: can a single energy threshold separate the
    in-distribution test inputs from the far-away ones, and how does the
    energy compare with the maximum softmax probability over *all*
    thresholds (the ROC curve and its area, AUROC)?

    Left: histograms of the energy of in-distribution and far-away test
    inputs (clipped to the axis at the edges); everything right of the
    threshold is flagged.  Right: the ROC curves of the energy and of the
    max-softmax score; the dot is the current threshold.
    """
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import blended_transform_factory

    exp = experiment()
    lo, hi = _ENERGY_RANGE
    edges = np.linspace(lo, hi, 141)
    width = edges[1] - edges[0]
    data = {}
    for name in MODELS.values():
        e_in, e_out = exp.test_scores(name, "energy")
        m_in, m_out = exp.test_scores(name, "msp")
        hist = [np.histogram(np.clip(e, lo, hi - 1e-9), bins=edges)[0] / (len(e) * width) for e in (e_in, e_out)]
        data[name] = dict(e_in=e_in, e_out=e_out, hist=hist, roc_e=roc_curve(e_in, e_out), roc_m=roc_curve(m_in, m_out),
                          auc_e=auroc(e_in, e_out), auc_m=auroc(m_in, m_out))

    with style():
        fig, gs = fixed_figure((11.0, 4.9), nrows=1, ncols=2, width_ratios=[1.45, 1.0], left=0.07, right=0.98, top=0.87,
                               bottom=0.25, wspace=0.25)
        left, right = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
        fig.suptitle("One threshold on the energy: flag everything to its right", fontsize=14)
        flagged = Rectangle((0, 0), 0, 1, transform=blended_transform_factory(left.transData, left.transAxes),
                            color=COLORS["grey"], alpha=0.15, lw=0)
        left.add_patch(flagged)
        h_in = left.stairs(np.zeros(len(edges) - 1), edges, fill=True, color=_IN, alpha=0.6,
                           label="in-distribution test inputs")
        h_out = left.stairs(np.zeros(len(edges) - 1), edges, fill=True, color=_OUT, alpha=0.6,
                            label="far-away test inputs")
        cut = left.axvline(0, color=COLORS["black"], lw=2.5)
        left.set_xlim(lo, hi)
        left.set_xlabel("energy E(x) (nats): low = familiar, high = suspicious")
        left.set_ylabel("density")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=10, frameon=False)
        text = readout(left, 0.98, 0.97, ha="right", size=10.5)

        (chance,) = right.plot([0, 1], [0, 1], ls=":", color=COLORS["grey"], lw=1.5, label="chance: AUROC 0.5")
        (roc_m,) = right.plot([], [], color=COLORS["purple"], lw=2, ls="--", label="max-softmax")
        (roc_e,) = right.plot([], [], color=COLORS["black"], lw=2.5, label="energy")
        (dot,) = right.plot([], [], "o", color=COLORS["yellow"], mec="black", mew=1.5, ms=12, zorder=4)
        right.set_xlim(-0.02, 1.02)
        right.set_ylim(-0.02, 1.02)
        right.set_aspect("equal")
        right.set_xlabel("in-distribution inputs flagged (FPR)")
        right.set_ylabel("far-away inputs flagged (TPR)")
        right.set_title("ROC: every threshold at once")

    shown = {"model": None}

    def update(threshold, model):
        name = MODELS[model]
        d = data[name]
        cut.set_xdata([threshold, threshold])
        flagged.set_x(threshold)
        flagged.set_width(hi - threshold)
        rates = detection_rates(d["e_in"], d["e_out"], threshold)
        dot.set_data([rates.fpr], [rates.tpr])
        text.set_text(f"flag if E(x) ≥ {threshold:+.1f} nats\n"
                         f"far-away flagged {rates.tpr:6.1%}\n"
                         f"in-dist. flagged {rates.fpr:6.1%}")
        if shown["model"] == name:
            return False
        # Another model: new histograms, curves and AUROCs, drawn once into the background.
        shown["model"] = name
        h_in.set_data(d["hist"][0])
        h_out.set_data(d["hist"][1])
        left.set_ylim(0, max(h.max() for h in d["hist"]) * 1.15)
        roc_e.set_data(d["roc_e"].fpr, d["roc_e"].tpr)
        roc_m.set_data(d["roc_m"].fpr, d["roc_m"].tpr)
        roc_e.set_label(f"energy: AUROC {d['auc_e']:.3f}")
        roc_m.set_label(f"max-softmax: AUROC {d['auc_m']:.3f}")
        right.legend(handles=[roc_e, roc_m, chance], loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=1,
                     fontsize=10, frameon=False, handlelength=1.8)
        return True

    controls = {"threshold": slider("energy threshold (nats)", lo, hi, 0.5, threshold, fmt=".1f"),
                "model": choice("model", list(MODELS), value=model)}
    scenes = {
        "plain: flag high energy": {"threshold": -8.0, "model": "plain cross-entropy"},
        "plain: flag everything": {"threshold": -25.0, "model": "plain cross-entropy"},
        "margin: between the humps": {"threshold": -3.0, "model": "+ energy margin"},
        "margin: too strict": {"threshold": 20.0, "model": "+ energy margin"},
    }
    return Panel(fig, update, controls, artists=[flagged, cut, text, dot],
                 title="energy threshold, detection rates and ROC", scenes=scenes)


# ---------------------------------------------------------------- 3. energy-margin fine-tuning

def margin_training(step: int = 0) -> Panel:
    r"""Replay the energy-margin fine-tuning: the energy over the plane, step by step.

    Question it answers: what does adding :math:`\lambda L_{\text{energy}}` to the
    cross-entropy change?  The energy map (left) rises far from the data while
    the classes keep their low-energy valleys; the AUROC of the energy climbs
    from far below chance to 1, while the max-softmax AUROC and the accuracy
    stay where they were (right).
    """
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    exp = experiment()
    res = 121  # fewer pixels than the static map: this one is recomputed for every snapshot
    features = radial_features(plane_grid((-_BOX, _BOX), (-_BOX, _BOX), res), scale=exp.feature_scale).astype(np.float32)
    lut = matplotlib.colormaps["viridis"](np.linspace(0.0, 1.0, 256), bytes=True)
    e_lo, e_hi = -10.0, 10.0
    steps = exp.snapshot_steps
    images: dict[int, np.ndarray] = {}  # snapshot -> RGBA energy map; filled on first use

    def energy_image(k):
        if k not in images:
            z = features @ exp.snapshot_W[k].astype(np.float32) + exp.snapshot_b[k].astype(np.float32)
            level = np.clip((energy_score(z) - e_lo) * (255 / (e_hi - e_lo)), 0, 255)
            images[k] = lut[np.rint(level).astype(np.uint8)].reshape(res, res, 4)
        return images[k]

    auc_e, auc_m, acc = [], [], []
    for k in range(len(steps)):
        z_in, z_out = exp.snapshot_logits(k, exp.X_test_in), exp.snapshot_logits(k, exp.X_test_out)
        auc_e.append(auroc(ood_score(z_in, "energy"), ood_score(z_out, "energy")))
        auc_m.append(auroc(ood_score(z_in, "msp"), ood_score(z_out, "msp")))
        acc.append(float(np.mean(z_in.argmax(axis=1) == exp.y_test_in)))
    hist = exp.margin_history

    with style():
        fig, gs = fixed_figure((11.0, 5.0), nrows=1, ncols=4, width_ratios=[1.0, 0.035, 0.32, 1.1], left=0.06,
                               right=0.98, top=0.86, bottom=0.2, wspace=0.05)
        left, cax, right = fig.add_subplot(gs[0]), fig.add_subplot(gs[1]), fig.add_subplot(gs[3])
        fig.suptitle("Energy-margin fine-tuning: push the outliers' energy up, keep the classes' energy down", fontsize=14)
        image = pixel_image(left, energy_image(0), (-_BOX, _BOX, -_BOX, _BOX))
        points = _points(left, exp.X_train, exp.y_train, size=3.5)
        (aux,) = left.plot(*exp.X_aux.T, "o", mfc="none", mec="white", mew=0.9, ms=4, ls="none",
                           label="auxiliary outliers")
        input_plane(left, _BOX, "energy E(x) of the model (nats)")
        fig.colorbar(ScalarMappable(Normalize(e_lo, e_hi), "viridis"), cax=cax, label="energy (nats, clipped)")
        aux_key = Line2D([], [], marker="o", mfc="none", mec=COLORS["black"], mew=0.9, ms=6, ls="none",
                         label="auxiliary outliers")
        left.legend(handles=[*points, aux_key], loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=10,
                    frameon=False, handletextpad=0.2, columnspacing=0.8, markerscale=1.5)

        right.plot(steps, auc_e, color=COLORS["black"], lw=2.5, label="energy AUROC")
        right.plot(steps, auc_m, color=COLORS["purple"], ls="--", lw=2, label="max-softmax AUROC")
        right.plot(steps, acc, color=COLORS["green"], lw=2, label="accuracy")
        right.axhline(0.5, ls=":", color=COLORS["grey"], lw=1.5)
        right.text(steps[-1], 0.52, "chance", ha="right", va="bottom", color=COLORS["grey"], fontsize=10)
        cursor = right.axvline(0, color=COLORS["grey"], lw=1.5)
        text = readout(right, 0.97, 0.88, ha="right", size=10.5)
        right.set_xlim(0, steps[-1])
        right.set_ylim(-0.02, 1.05)
        right.set_xlabel("fine-tuning step")
        right.set_ylabel("AUROC  /  accuracy")
        right.set_title(f"margins: in ≤ {exp.m_in:g} nats, outliers ≥ {exp.m_out:g} nats")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=10, frameon=False,
                     handlelength=1.6, columnspacing=1.0)

    def update(step):
        k = int(np.argmin(np.abs(steps - step)))
        t = int(steps[k])
        image.set_data(energy_image(k))
        cursor.set_xdata([t, t])
        text.set_text(f"step {t}\n"
                         f"cross-entropy   {hist.ce[t]:.3f}\n"
                         f"in-margin term  {hist.margin_in[t]:.2f}\n"
                         f"out-margin term {hist.margin_out[t]:.2f}\n"
                         f"AUROC energy    {auc_e[k]:.3f}")

    controls = {"step": int_slider("fine-tuning step", 0, int(steps[-1]), int(step), step=int(steps[1] - steps[0]))}
    scenes = {"start: the plain model": {"step": 0}, "step 20": {"step": 20}, "step 60": {"step": 60},
              "finished": {"step": int(steps[-1])}}
    return Panel(fig, update, controls, artists=[image, *points, aux, cursor, text],
                 title="energy-margin fine-tuning, step by step", scenes=scenes)


# ---------------------------------------------------------------- 4. smoothing segments

def _track_rgba(rows) -> np.ndarray:
    from matplotlib.colors import to_rgba

    palette = np.array([to_rgba(c) for c in _STRUCTURE_COLORS]) * 255
    return palette[np.asarray(rows)].astype(np.uint8)


_STRUCTURE_COLORS = [COLORS["vermillion"], COLORS["blue"], "#D9D9D9"]  # helix, sheet strand, coil


def segment_smoothing(lam: float = 8.0) -> Panel:
    r"""Smooth a toy protein's per-residue predictions with a Jensen-Shannon penalty between neighbours.

    Question it answers: how strong must the penalty
    :math:`\lambda \sum_t \mathrm{JS}(p_t, p_{t+1})` be to turn the fragmented
    per-residue predictions into contiguous segments, and what happens when it
    is too strong?  Top left: the true structure, the per-residue prediction
    and the smoothed one.  Bottom left: the smoothed probabilities (thin: the
    per-residue ones).  Right: the number of segments and the accuracy for
    every weight.
    """
    pr = protein()
    path = smoothing_path()
    n = len(pr.labels)
    tracks = path.argmax(axis=2)
    probs = softmax(path.reshape(-1, 3)).reshape(path.shape)
    counts = np.array([count_segments(t) for t in tracks])
    accuracy = (tracks == pr.labels).mean(axis=1)
    noisy_track = pr.logits.argmax(axis=1)
    q = softmax(pr.logits)
    positions = np.arange(n)
    names = ["helix", "sheet", "coil"]

    with style():
        fig, gs = fixed_figure((11.5, 5.6), nrows=2, ncols=2, width_ratios=[2.6, 1.0], height_ratios=[1.0, 1.5],
                               left=0.09, right=0.985, top=0.86, bottom=0.1, wspace=0.2, hspace=0.12)
        ax_tr = fig.add_subplot(gs[0, 0])
        ax_p = fig.add_subplot(gs[1, 0], sharex=ax_tr)
        ax_n = fig.add_subplot(gs[0, 1])
        ax_a = fig.add_subplot(gs[1, 1], sharex=ax_n)
        fig.suptitle("A penalty on neighbours' disagreement turns fragments into segments", fontsize=14)
        rows = np.stack([pr.labels, noisy_track, tracks[0]])
        track_im = pixel_image(ax_tr, _track_rgba(rows), (-0.5, n - 0.5, 2.5, -0.5), origin="upper", aspect="auto")
        ax_tr.set_yticks([0, 1, 2], ["true", "per-residue", "smoothed"])
        ax_tr.grid(False)
        ax_tr.tick_params(labelbottom=False)
        for k, name in enumerate(names):
            ax_tr.plot([], [], "s", color=_STRUCTURE_COLORS[k], ms=11, label=name)
        ax_tr.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=10, frameon=False,
                     handletextpad=0.2)
        for k in range(3):
            ax_p.plot(positions, q[:, k], color=_STRUCTURE_COLORS[k] if k < 2 else COLORS["grey"], lw=0.8, alpha=0.45)
        lines = [ax_p.plot(positions, probs[0, :, k], color=_STRUCTURE_COLORS[k] if k < 2 else COLORS["grey"], lw=2.2)[0]
                 for k in range(3)]
        ax_p.set_ylim(-0.02, 1.02)
        ax_p.set_xlim(-0.5, n - 0.5)
        ax_p.set_xlabel("residue position")
        ax_p.set_ylabel("P(state)")

        ax_n.plot(PENALTIES, counts, color=COLORS["black"], lw=2)
        ax_n.axhline(count_segments(pr.labels), color=COLORS["green"], ls="--", lw=1.5)
        ax_n.text(PENALTIES[-1], count_segments(pr.labels) + 1.5, "true count", ha="right", va="bottom",
                  color=COLORS["green"], fontsize=10)
        (n_dot,) = ax_n.plot([], [], "o", color=COLORS["yellow"], mec="black", mew=1.3, ms=10, zorder=4)
        ax_n.set_ylabel("segments")
        ax_n.set_ylim(0, counts.max() * 1.08)
        ax_n.tick_params(labelbottom=False)
        ax_a.plot(PENALTIES, accuracy, color=COLORS["black"], lw=2)
        (a_dot,) = ax_a.plot([], [], "o", color=COLORS["yellow"], mec="black", mew=1.3, ms=10, zorder=4)
        ax_a.set_ylabel("accuracy")
        ax_a.set_xlabel("penalty weight λ")
        ax_a.set_ylim(min(accuracy.min(), 0.7) - 0.02, 1.0)
        ax_a.set_xlim(0, PENALTIES[-1])
        text = readout(ax_a, 0.97, 0.05, ha="right", va="bottom", size=10)

    def update(lam):
        k = penalty_index(round(lam * 2) / 2)
        rows[2] = tracks[k]
        track_im.set_data(_track_rgba(rows))
        for j, line in enumerate(lines):
            line.set_ydata(probs[k, :, j])
        n_dot.set_data([PENALTIES[k]], [counts[k]])
        a_dot.set_data([PENALTIES[k]], [accuracy[k]])
        text.set_text(f"λ = {PENALTIES[k]:.1f}\n{counts[k]} segments\naccuracy {accuracy[k]:.1%}")

    controls = {"lam": slider("penalty weight λ (per neighbour pair)", 0.0, 20.0, 0.5, lam, fmt=".1f")}
    scenes = {"no penalty (λ = 0)": {"lam": 0.0}, "gentle (λ = 2)": {"lam": 2.0}, "contiguous (λ = 8)": {"lam": 8.0},
              "too strong (λ = 20)": {"lam": 20.0}}
    return Panel(fig, update, controls, artists=[track_im, *lines, n_dot, a_dot, text],
                 title="Jensen-Shannon smoothing of a protein's secondary structure", scenes=scenes)
