"""Figures for notebook 09: soft targets (annotators, label smoothing, distillation, mixup, behavioural cloning).

Every trained model comes from the cached studies of
:mod:`xentlib.lessons.soft_targets.experiments`; a figure builds every frame's
data once, so a slider step only swaps precomputed images, heights and texts.
"""

from __future__ import annotations

import math

import numpy as np

from ... import soft_targets as st
from ...calibration import reliability_curve
from ...datasets import ring_classes
from ...drawing import (
    COLORS,
    Panel,
    choice,
    fixed_figure,
    int_slider,
    log_slider,
    new_figure,
    pixel_image,
    plane_grid,
    probability_cmap,
    readout,
    slider,
    style,
)
from ...links import sigmoid, softmax
from . import experiments

__all__ = [
    "annotators",
    "label_smoothing",
    "dark_knowledge",
    "student",
    "mixup",
    "behavioural_cloning",
]

#: The five ring classes' colours (Okabe-Ito).
_CLASS_COLORS = [COLORS["blue"], COLORS["vermillion"], COLORS["green"], COLORS["yellow"], COLORS["purple"]]

_X1, _X2 = (-3.6, 3.6), (-3.0, 3.0)  # the plane drawn for the two-blob problem
_RING = 4.6  # the ring plane: [-_RING, _RING]^2
_RES = 121


# ---------------------------------------------------------------- shared drawing helpers

def _rgba(values, cmap) -> np.ndarray:
    """Colour-map values in [0, 1] to RGBA bytes (a byte image redraws about twice as fast as a float one)."""
    return cmap(np.asarray(values), bytes=True)


def _blob_points(ax, X, y):
    """The 30 training points as marker-only lines (drawn much faster than a scatter)."""
    kw = dict(ls="none", mec="black", mew=0.8, ms=7, zorder=4)
    return [ax.plot(*X[y == 1].T, "^", color=COLORS["vermillion"], label="class 1", **kw)[0],
            ax.plot(*X[y == 0].T, "o", color=COLORS["blue"], label="class 0", **kw)[0]]


def _surface(ax, title):
    """An RGBA image of P(class 1) over the two-blob plane, to be swapped per frame."""
    im = pixel_image(ax, np.zeros((_RES, _RES, 4), np.uint8), (*_X1, *_X2), aspect="auto")
    ax.set_xlim(*_X1)
    ax.set_ylim(*_X2)
    ax.grid(False)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", labelpad=-2)
    ax.set_title(title)
    (bayes,) = ax.plot([0, 0], _X2, color=COLORS["black"], ls=":", lw=1.8)  # the Bayes boundary x1 = 0
    return im, bayes


def _reliability_axes(ax, baseline, baseline_label: str, live_label: str):
    """Calibration on fresh data: the diagonal, a fixed baseline curve, an empty live curve and a readout.

    Returns ``(curve, readout)``, the two artists a slider moves.
    """
    ax.plot([0.5, 1], [0.5, 1], color=COLORS["grey"], ls="--", lw=1.5, label="calibrated")
    ax.set_xlim(0.5, 1.0)
    ax.set_ylim(0.4, 1.02)
    ax.set_xlabel("confidence (top-class probability)")
    ax.set_ylabel("accuracy on 4000 test points")
    ax.set_title("calibration on fresh data")
    ax.plot(baseline.confidence, baseline.accuracy, "s-", color=COLORS["grey"], ms=5, lw=1.5, label=baseline_label)
    (curve,) = ax.plot([], [], "o-", color=COLORS["blue"], ms=7, label=live_label)
    ax.legend(loc="lower right", fontsize=10)
    return curve, readout(ax, 0.03, 0.97, size=10)


def _regularised_frames(fits: experiments.RegularisedFits):
    """Per setting: P(class 1) surface, reliability curve and the histogram of training logit gaps."""
    cmap = probability_cmap()
    problem = experiments.blob_problem()
    grid, F_test, y_test = problem.features(plane_grid(_X1, _X2, _RES)), problem.features(problem.X_test), problem.y_test
    frames = []
    for model, gaps in zip(fits.models, fits.train_gaps):
        surface = _rgba(model.predict_proba(grid)[:, 1].reshape(_RES, _RES), cmap)
        curve = reliability_curve(model.predict_proba(F_test), y_test, n_bins=10)
        frames.append((surface, curve, gaps))
    return frames


_GAP_EDGES = np.arange(-4.0, 14.0, 1.0)


def _nearest(options, value) -> int:
    """Index of the option closest to ``value`` (a slider may report values between its steps)."""
    return int(np.argmin(np.abs(np.asarray(options, dtype=float) - float(value))))


def _gap_counts(gaps):
    return np.histogram(np.clip(gaps, _GAP_EDGES[0] + 1e-9, _GAP_EDGES[-1] - 1e-9), _GAP_EDGES)[0]


# ---------------------------------------------------------------- 1. annotators

def annotators(panel_size: int = 1) -> Panel:
    """Soft labels from a panel of annotators against their majority vote, in one dimension.

    Question it answers: with more annotators per example, does a model trained
    on the *fraction* of votes get closer to the true probabilities, and does
    one trained on the *majority* vote?  Left: each training point at its vote
    fraction, the truth :math:`\\sigma(2x)` and both fitted models.  Right: each
    model's excess test loss over the Bayes model as the panel grows.
    """
    study = experiments.annotator_study()
    sizes = [int(a) for a in study.panel_sizes]
    xs = np.linspace(-4, 4, 300)
    fractions = {a: study.votes[:, :a].mean(axis=1) for a in sizes}
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(12.0, 4.6), gridspec_kw={"width_ratios": [1.35, 1]})
        fig.suptitle("Many annotators: their vote fractions teach the true probabilities, their majority vote does not",
                     fontsize=14)
        left.plot(xs, sigmoid(study.true_slope * xs), color=COLORS["grey"], ls="--", lw=2.5, label="truth σ(2x)")
        (soft_curve,) = left.plot([], [], color=COLORS["blue"], lw=2.5, label="trained on vote fractions")
        (major_curve,) = left.plot([], [], color=COLORS["orange"], lw=2.5, label="trained on majority votes")
        (dots,) = left.plot([], [], "o", ls="none", color=COLORS["blue"], mec="black", mew=0.6, ms=7,
                            label="a training point's vote fraction", zorder=4)
        left.set_xlim(-4, 4)
        left.set_ylim(-0.05, 1.05)
        left.set_xlabel("input x")
        left.set_ylabel("P(y = 1)  /  fraction of votes for 1")
        left.legend(loc="upper left", fontsize=10)
        left.set_title("one feature, two classes, 40 training points")
        for kind, values, colour in (("vote fractions", study.soft_excess, COLORS["blue"]),
                                     ("majority votes", study.majority_excess, COLORS["orange"])):
            right.plot(sizes, values, "o-", color=colour, ms=5, label=f"trained on {kind}")
        (soft_here,) = right.plot([], [], "o", color=COLORS["blue"], mec="black", ms=13, zorder=5)
        (major_here,) = right.plot([], [], "o", color=COLORS["orange"], mec="black", ms=13, zorder=5)
        right.set_yscale("log")
        right.set_ylim(3e-4, 1.0)
        right.set_xlim(0, 16)
        right.set_xticks(sizes)
        right.set_xlabel("annotators per example")
        right.set_ylabel("excess test loss over Bayes (nats, log)")
        right.set_title("how far each model is from the truth")
        right.legend(loc="lower left", fontsize=10)
        readout_text = readout(left, 0.97, 0.05, ha="right", va="bottom")

    def update(panel_size):
        k = _nearest(sizes, panel_size)
        panel_size = sizes[k]
        (a_s, c_s), (a_m, c_m) = study.soft_logit[k], study.majority_logit[k]
        soft_curve.set_data(xs, sigmoid(a_s * xs + c_s))
        major_curve.set_data(xs, sigmoid(a_m * xs + c_m))
        dots.set_data(study.x, fractions[panel_size])
        soft_here.set_data([panel_size], [study.soft_excess[k]])
        major_here.set_data([panel_size], [study.majority_excess[k]])
        readout_text.set_text(f"{int(panel_size)} annotator{'s' if panel_size > 1 else ''}   slope  excess\n"
                         f"truth          {study.true_slope:5.2f}\n"
                         f"vote fractions {a_s:5.2f}  {study.soft_excess[k]:.4f}\n"
                         f"majority votes {a_m:5.2f}  {study.majority_excess[k]:.4f}")

    controls = {"panel_size": int_slider("annotators per example", sizes[0], sizes[-1], int(panel_size),
                                         step=sizes[1] - sizes[0])}
    scenes = {"one annotator": {"panel_size": 1}, "a panel of 5": {"panel_size": 5}, "a panel of 15": {"panel_size": 15}}
    return Panel(fig, update, controls, artists=[soft_curve, major_curve, dots, soft_here, major_here, readout_text],
                 title="soft labels from annotators vs majority votes", scenes=scenes)


# ---------------------------------------------------------------- 2. label smoothing

def label_smoothing(epsilon: float = 0.1) -> Panel:
    r"""A flexible model on 30 noisy points, trained with label smoothing :math:`\varepsilon`.

    Question it answers: does smoothing the labels stop the model from
    becoming over-confident, and where do its logits settle?  Left, the
    model's P(class 1); middle, the logit gap :math:`z_y - z_{\text{other}}`
    of each training point against the optimum
    :math:`\ln(1 + K(1-\varepsilon)/\varepsilon)`; right, the reliability
    diagram on fresh test data (grey: no smoothing).
    """
    fits = experiments.smoothing_study()
    settings = [round(float(e), 2) for e in fits.settings]
    frames = _regularised_frames(fits)
    X, y = experiments.blob_problem().X, experiments.blob_problem().y
    with style():
        fig, (surf_ax, gap_ax, rel_ax) = new_figure(1, 3, figsize=(13.0, 4.7), gridspec_kw={"width_ratios": [1.15, 1, 1]})
        fig.suptitle("Label smoothing caps the logits: the model stops claiming certainty it has not earned", fontsize=14)
        surface, bayes = _surface(surf_ax, "model's P(class 1)   (dotted: the true boundary)")
        points = _blob_points(surf_ax, X, y)
        surf_ax.legend(loc="lower left", fontsize=10, framealpha=0.9)
        (hist,) = [gap_ax.stairs(np.zeros(len(_GAP_EDGES) - 1), _GAP_EDGES, fill=True, color=COLORS["sky"],
                                 label="training points")]
        best = gap_ax.axvline(0, color=COLORS["vermillion"], lw=3, label="loss-minimising gap")
        gap_ax.set_xlim(_GAP_EDGES[0], _GAP_EDGES[-1])
        gap_ax.set_ylim(0, 16)
        gap_ax.set_xlabel("logit gap $z_y - z_{other}$ at a training point")
        gap_ax.set_ylabel("training points")
        gap_ax.set_title("where the training logits settle")
        gap_ax.legend(loc="upper right", fontsize=10)
        curve, readout = _reliability_axes(rel_ax, frames[0][1], "ε = 0 (hard labels)", "this ε")

    def update(epsilon):
        k = _nearest(settings, epsilon)
        image, rel, gaps = frames[k]
        surface.set_data(image)
        hist.set_data(_gap_counts(gaps))
        g_star = st.smoothing_optimal_logit_gap(settings[k], 2)
        best.set_visible(bool(np.isfinite(g_star)))
        best.set_xdata([g_star, g_star] if np.isfinite(g_star) else [0, 0])
        curve.set_data(rel.confidence, rel.accuracy)
        best_gap = "∞" if not np.isfinite(g_star) else f"{g_star:.2f}"
        readout.set_text(f"ε = {settings[k]:.2f}: gap median {np.median(gaps):.2f}, best {best_gap}\n"
                         f"test loss {fits.test_nll[k]:.3f} nats\nECE {fits.test_ece[k]:.3f}, accuracy {fits.test_accuracy[k]:.1%}")

    controls = {"epsilon": slider("smoothing ε (probability mass)", settings[0], settings[-1],
                                  round(settings[1] - settings[0], 2), epsilon)}
    scenes = {"hard labels (ε = 0)": {"epsilon": 0.0}, "ε = 0.1": {"epsilon": 0.1}, "ε = 0.25": {"epsilon": 0.25}}
    return Panel(fig, update, controls, artists=[surface, bayes, *points, hist, best, curve, readout],
                 title="label smoothing: logits and calibration", scenes=scenes)


# ---------------------------------------------------------------- 3. distillation: dark knowledge and T^2

def dark_knowledge(temperature: float = 1.0, example: str = "a clear class 0") -> Panel:
    r"""The teacher's probabilities :math:`\operatorname{softmax}(z/T)` for one input, as the temperature rises.

    Question it answers: what does the teacher know beyond the right answer,
    and how does raising :math:`T` make it visible?  Left, the five ring
    classes and the chosen input; middle, the teacher's probabilities at
    :math:`T` (outlines: at :math:`T = 1`); right, the size of the
    distillation gradient as :math:`T` grows, without and with the
    :math:`T^2` factor.
    """
    if example not in experiments.EXAMPLES:
        raise ValueError(f"example must be one of {list(experiments.EXAMPLES)}; got {example!r}.")
    teacher = experiments.ring_teacher()
    X_ring, y_ring = ring_classes(600, seed=5)
    points = {name: np.array([xy]) for name, xy in experiments.EXAMPLES.items()}
    logits = {name: teacher.logits(p)[0] for name, p in points.items()}
    temps = 10.0 ** np.append(np.arange(0.0, 1.3, 0.02), math.log10(20))  # the slider's own values
    transfer, _ = ring_classes(200, seed=2)
    norms = st.distillation_gradient_norms(np.zeros((200, 5)), teacher.logits(transfer), temps)
    classes = np.arange(5)
    with style():
        fig, (map_ax, bar_ax, grad_ax) = new_figure(1, 3, figsize=(13.0, 4.7), gridspec_kw={"width_ratios": [0.85, 1, 1]})
        fig.suptitle("Temperature turns up the teacher's dark knowledge: which wrong answers are nearly right", fontsize=14)
        for k in classes:
            map_ax.plot(*X_ring[y_ring == k].T, "o", ls="none", ms=3, color=_CLASS_COLORS[k], alpha=0.45)
            centre = 2.2 * np.array([math.cos(2 * math.pi * k / 5), math.sin(2 * math.pi * k / 5)])
            map_ax.text(*(centre * 1.62), f"{k}", ha="center", va="center", fontsize=15, weight="bold",
                        color=_CLASS_COLORS[k])
        (star,) = map_ax.plot([], [], "*", color="white", mec="black", mew=1.5, ms=22, zorder=5)
        map_ax.set_xlim(-_RING, _RING)
        map_ax.set_ylim(-_RING, _RING)
        map_ax.set_aspect("equal")
        map_ax.set_xlabel("$x_1$")
        map_ax.set_ylabel("$x_2$", labelpad=-2)
        map_ax.set_title("five classes on a ring; ★ the input")
        bars = bar_ax.bar(classes, np.zeros(5), color=_CLASS_COLORS, edgecolor="black", width=0.7)
        ghosts = bar_ax.bar(classes, np.zeros(5), fill=False, edgecolor="black", ls="--", lw=1.5, width=0.7,
                            label="at T = 1")
        bar_ax.axhline(0.2, color=COLORS["grey"], ls=":", lw=1.5, label="uniform, 1/5")
        bar_ax.set_xticks(classes, [f"class {k}" for k in classes])
        bar_ax.set_ylim(0, 1.0)
        bar_ax.set_ylabel("teacher's probability softmax(z/T)")
        bar_ax.set_title("the soft target at temperature T")
        bar_ax.legend(loc="upper right", fontsize=10, bbox_to_anchor=(1.0, 0.72))
        bar_text = readout(bar_ax, 0.97, 0.97, ha="right", size=10)
        grad_ax.loglog(temps, norms.plain, color=COLORS["vermillion"], label="KL alone: falls like 1/T²")
        grad_ax.loglog(temps, norms.scaled, color=COLORS["blue"], label="T² · KL: levels off")
        grad_ax.axhline(norms.limit, color=COLORS["blue"], ls=":", lw=1.5, label="T → ∞: matching logits")
        (plain_here,) = grad_ax.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=11, zorder=5)
        (scaled_here,) = grad_ax.plot([], [], "o", color=COLORS["blue"], mec="black", ms=11, zorder=5)
        grad_ax.set_xlim(1, 20)
        grad_ax.set_xticks([1, 2, 4, 8, 16], ["1", "2", "4", "8", "16"])
        grad_ax.minorticks_off()
        grad_ax.set_ylim(norms.plain.min() / 2, norms.limit * 8)
        grad_ax.set_xlabel("temperature T (log scale)")
        grad_ax.set_ylabel("mean |gradient| w.r.t. student logits")
        grad_ax.set_title("gradient size for a fresh student")
        grad_ax.legend(loc="lower left", fontsize=10)

    def update(temperature, example):
        z = logits[example]
        q, q1 = softmax(z, temperature=temperature), softmax(z)
        for bar, ghost, h, h1 in zip(bars, ghosts, q, q1):
            bar.set_height(h)
            ghost.set_height(h1)
        star.set_data(*points[example].T)
        top = int(np.argmax(z))
        bar_text.set_text(f"T = {temperature:.2f}\nclass {top}: {q[top]:.3f}\nothers: {1 - q[top]:.3f}\n(T = 1: {1 - q1[top]:.3f})")
        i = int(np.argmin(np.abs(temps - temperature)))
        plain_here.set_data([temps[i]], [norms.plain[i]])
        scaled_here.set_data([temps[i]], [norms.scaled[i]])

    controls = {"temperature": log_slider("temperature T", 0.0, math.log10(20), 0.02, temperature, fmt=".2f"),
                "example": choice("input", list(experiments.EXAMPLES), value=example)}
    scenes = {"T = 1 (as trained)": {"temperature": 1.0}, "T = 4": {"temperature": 4.0},
              "T = 20": {"temperature": 20.0}}
    return Panel(fig, update, controls, artists=[star, *bars, *ghosts, bar_text, plain_here, scaled_here],
                 title="distillation: temperature and dark knowledge", scenes=scenes)


# ---------------------------------------------------------------- 4. a student on soft vs hard targets

def _region_image(model, grid):
    """Each class's colour where the student predicts it, washed towards white where it is unsure."""
    from matplotlib.colors import to_rgb

    p = model.predict_proba(grid)
    rgb = np.array([to_rgb(c) for c in _CLASS_COLORS])[p.argmax(axis=1)]
    strength = ((p.max(axis=1) - 0.2) / 0.8)[:, None]  # 0 at uniform, 1 at certain
    mixed = 1 - (1 - rgb) * (0.25 + 0.6 * strength)
    rgba = np.concatenate([mixed, np.ones((len(p), 1))], axis=1)
    return (rgba.reshape(_RES, _RES, 4) * 255).astype(np.uint8)


def student(size: int = 5, targets: str = "teacher, T = 4") -> Panel:
    """Students trained on the first n examples of a transfer set, on hard labels or the teacher's soft targets.

    Question it answers: how much more does a student learn from an example
    when it sees the teacher's whole probability vector instead of one label?
    Left, the student's predicted class over the plane (paler = less sure)
    with the transfer examples it saw; right, test accuracy against the
    number of examples, for each kind of target.
    """
    study = experiments.distillation_study()
    sizes = [int(n) for n in study.sizes]
    names = list(study.targets)
    if targets not in names:
        raise ValueError(f"targets must be one of {names}; got {targets!r}.")
    grid = plane_grid((-_RING, _RING), (-_RING, _RING), _RES)
    images = {(m, n): _region_image(study.models[i][j], grid) for i, m in enumerate(names) for j, n in enumerate(sizes)}
    line_colors = [COLORS["orange"], COLORS["blue"], COLORS["sky"]]
    with style():
        fig, (map_ax, acc_ax) = new_figure(1, 2, figsize=(12.0, 4.9), gridspec_kw={"width_ratios": [0.9, 1.1]})
        fig.suptitle("A student learns far more from the teacher's probabilities than from labels", fontsize=14)
        regions = pixel_image(map_ax, np.zeros((_RES, _RES, 4), np.uint8), (-_RING, _RING, -_RING, _RING))
        seen = [map_ax.plot([], [], "o", ls="none", color=_CLASS_COLORS[k], mec="black", mew=1.2, ms=9, zorder=4)[0]
                for k in range(5)]
        map_ax.set_xlim(-_RING, _RING)
        map_ax.set_ylim(-_RING, _RING)
        map_ax.grid(False)
        map_ax.set_xlabel("$x_1$")
        map_ax.set_ylabel("$x_2$", labelpad=-2)
        map_ax.set_title("student's predicted class; ● its training examples")
        acc_ax.axhline(study.teacher_accuracy, color=COLORS["black"], ls="--", lw=1.5, label="teacher (2000 labels)")
        for i, name in enumerate(names):
            acc_ax.plot(sizes, study.accuracy[i], "o-", color=line_colors[i % 3], ms=6, label=f"student: {name}")
        (here,) = acc_ax.plot([], [], "o", color="white", mec="black", mew=2, ms=15, zorder=5)
        acc_ax.set_xscale("log")
        acc_ax.set_xticks(sizes, [str(n) for n in sizes])
        acc_ax.minorticks_off()
        acc_ax.set_xlim(sizes[0] * 0.8, sizes[-1] * 1.25)
        acc_ax.set_ylim(0.55, 0.86)
        acc_ax.set_xlabel("examples in the transfer set (log scale)")
        acc_ax.set_ylabel("test accuracy (4000 points)")
        acc_ax.set_title("what the student gets right on fresh data")
        acc_ax.legend(loc="lower right", fontsize=10)
        readout_text = readout(acc_ax, 0.03, 0.05, va="bottom", size=10)

    def update(size, targets):
        i, j = names.index(targets), sizes.index(int(size))
        regions.set_data(images[(targets, int(size))])
        for k, line in enumerate(seen):
            mask = study.y[: int(size)] == k
            line.set_data(*study.X[: int(size)][mask].T)
        here.set_data([size], [study.accuracy[i, j]])
        readout_text.set_text(f"{int(size)} examples, {targets}\ntest accuracy {study.accuracy[i, j]:.1%}\n"
                         f"test loss     {study.nll[i, j]:.3f} nats")

    controls = {"size": choice("transfer-set size (examples)", sizes, value=int(size)),
                "targets": choice("student trained on", names, value=targets)}
    scenes = {"5 labels": {"size": 5, "targets": names[0]}, "5 soft targets": {"size": 5, "targets": names[-1]},
              "50 labels": {"size": 50, "targets": names[0]}}
    return Panel(fig, update, controls, artists=[regions, *seen, here, readout_text],
                 title="a student on soft vs hard targets", scenes=scenes)


# ---------------------------------------------------------------- 5. mixup

def mixup(alpha: float = 0.5) -> Panel:
    r"""Mixup on the 30 noisy points: mixed inputs, mixed labels, and the model they train.

    Question it answers: what does training on blends of examples do to the
    decision boundary and to calibration?  Left, how mixed the examples are
    (the distribution of :math:`\lambda \sim \mathrm{Beta}(\alpha, \alpha)`);
    middle, the trained model's P(class 1) with a sample of mixed inputs
    coloured by their mixed label; right, the reliability diagram on fresh
    data (grey: no mixup).
    """
    fits = experiments.mixup_study()
    settings = [float(a) for a in fits.settings]
    frames = _regularised_frames(fits)
    X, y = experiments.blob_problem().X, experiments.blob_problem().y
    cmap = probability_cmap()
    lam_edges = np.linspace(0, 1, 21)
    shown = slice(0, 120)  # the first 4 mixup copies of the 30 points
    lam_hist = [np.histogram(b.lam if b is not None else np.ones(len(X)), lam_edges, density=True)[0]
                for b in fits.mixed]
    with style():
        fig, (lam_ax, surf_ax, rel_ax) = new_figure(1, 3, figsize=(13.0, 4.7), gridspec_kw={"width_ratios": [0.75, 1.15, 1]})
        fig.suptitle("Mixup trains on blends of examples: a gentler boundary and honest confidence", fontsize=14)
        (lam_bars,) = [lam_ax.stairs(np.zeros(20), lam_edges, fill=True, color=COLORS["purple"])]
        lam_ax.set_xlim(0, 1)
        lam_ax.set_ylim(0, 8)
        lam_ax.set_xlabel("mixing weight λ")
        lam_ax.set_ylabel("density")
        lam_ax.set_title("λ ~ Beta(α, α)")
        surface, bayes = _surface(surf_ax, "P(class 1); small dots: mixed inputs")
        mixed_dots = surf_ax.scatter(np.zeros(120), np.zeros(120), c=np.zeros(120), cmap=cmap, vmin=0, vmax=1, s=16,
                                     edgecolors="black", linewidths=0.4, zorder=3)
        points = _blob_points(surf_ax, X, y)
        surf_ax.legend(handles=points, loc="lower left", fontsize=10, framealpha=0.9)
        curve, readout = _reliability_axes(rel_ax, frames[0][1], "no mixup", "this α")

    def update(alpha):
        k = settings.index(float(alpha))
        image, rel, _ = frames[k]
        surface.set_data(image)
        lam_bars.set_data(np.minimum(lam_hist[k], 7.9))
        batch = fits.mixed[k]
        if batch is None:
            mixed_dots.set_offsets(X)
            mixed_dots.set_array(y.astype(float))
        else:
            mixed_dots.set_offsets(batch.X[shown])
            mixed_dots.set_array(batch.Y[shown, 1])
        curve.set_data(rel.confidence, rel.accuracy)
        readout.set_text(f"α = {alpha:g}: test loss {fits.test_nll[k]:.3f} nats\n"
                         f"ECE {fits.test_ece[k]:.3f}, accuracy {fits.test_accuracy[k]:.1%}")

    controls = {"alpha": choice("mixup α", settings, value=float(alpha))}
    scenes = {"no mixup": {"alpha": 0.0}, "light (α = 0.2)": {"alpha": 0.2}, "strong (α = 2)": {"alpha": 2.0}}
    return Panel(fig, update, controls, artists=[lam_bars, surface, bayes, mixed_dots, *points, curve, readout],
                 title="mixup: boundary and calibration", scenes=scenes)


# ---------------------------------------------------------------- 6. behavioural cloning

_MAX_HORIZON = 200
_EPISODES = 30
_HALF_WIDTH = 3


def behavioural_cloning(cross_entropy: float = 0.01, horizon: int = 100) -> Panel:
    r"""A cloned lane-keeping policy: a small per-step cross-entropy, compounding over the horizon.

    Question it answers: if the policy matches the expert with a per-step
    cross-entropy of only :math:`\ell` nats, how far off course does it end
    up after :math:`H` steps, and why does that grow like :math:`H^2` when
    the policy never learnt how to recover?  Left, 30 sampled episodes for a
    policy cloned from the expert's demonstrations and for one that also saw
    how to recover; right, the expected number of off-centre steps against
    the horizon (log-log) with the :math:`\varepsilon H` and
    :math:`\varepsilon H(H+1)/2` bounds.
    """
    hs = np.arange(1, _MAX_HORIZON + 1)
    jitter = np.linspace(-0.18, 0.18, _EPISODES)[:, None]  # keeps overlapping episodes apart
    policies = ("cloned", "recovering")
    exponents = np.round(np.arange(-3.0, -0.5 + 1e-9, 0.05), 2)  # the slider's own values
    ces = 10.0**exponents
    eps_all = st.error_probability(ces)
    edge = _HALF_WIDTH + 0.7
    runs, paths = {}, {}
    for policy in policies:  # every slider value at once: one simulation, the same random numbers throughout
        sim = st.simulate_lane_keeping(eps_all, _MAX_HORIZON, _EPISODES, half_width=_HALF_WIDTH, policy=policy,
                                       seed=7).astype(float)
        paths[policy] = np.where(np.abs(sim) > _HALF_WIDTH, np.sign(sim) * edge, sim) + jitter
        runs[policy] = [st.lane_keeping_exact(e, _MAX_HORIZON, half_width=_HALF_WIDTH, policy=policy) for e in eps_all]
    bounds = st.compounding_bounds(eps_all[:, None], hs[None, :])
    gaps = np.full((_EPISODES, 1), np.nan)  # breaks between episodes in one polyline

    t_axis = np.arange(_MAX_HORIZON + 1)
    with style():
        fig, gs = fixed_figure((13.0, 5.2), nrows=2, ncols=2, width_ratios=[1.25, 1], left=0.06, right=0.98, top=0.86,
                               bottom=0.11, hspace=0.45, wspace=0.2)
        road_axes = [fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[1, 0])]
        cost_ax = fig.add_subplot(gs[:, 1])
        fig.suptitle("Behavioural cloning: small per-step mistakes compound when the policy never learnt to recover",
                     fontsize=14)
        paths_lines = []
        titles = ("cloned from the expert (never saw an off-centre state)", "also shown how to recover (as in DAgger)")
        for ax, title in zip(road_axes, titles):
            road = _HALF_WIDTH + 0.5
            ax.axhspan(road, road + 1.2, color=COLORS["vermillion"], alpha=0.18, lw=0)
            ax.axhspan(-road - 1.2, -road, color=COLORS["vermillion"], alpha=0.18, lw=0)
            ax.axhline(0, color=COLORS["green"], lw=1.5, ls="--")
            ax.text(3, road + 0.6, "off the road", va="center", fontsize=10, color=COLORS["vermillion"])
            (line,) = ax.plot([], [], color=COLORS["blue"], lw=1.2, alpha=0.75)
            paths_lines.append(line)
            ax.set_xlim(0, _MAX_HORIZON)
            ax.set_ylim(-road - 1.2, road + 1.2)
            ax.set_yticks([-3, 0, 3])
            ax.set_ylabel("lane offset")
            ax.set_title(title, fontsize=12)
        road_axes[1].set_xlabel("time step")
        horizon_marks = [ax.axvline(0, color=COLORS["black"], lw=1.5) for ax in road_axes]
        lines = {
            "cloned": cost_ax.plot([], [], color=COLORS["blue"], lw=2.8, label="cloned (exact)")[0],
            "recovering": cost_ax.plot([], [], color=COLORS["green"], lw=2.8, label="recovers (exact)")[0],
            "quadratic": cost_ax.plot([], [], color=COLORS["black"], ls=":", lw=2, label="εH(H+1)/2: O(εH²)")[0],
            "linear": cost_ax.plot([], [], color=COLORS["grey"], ls="--", lw=2, label="εH: O(εH)")[0],
        }
        cost_ax.plot(hs, hs, color=COLORS["grey"], lw=1.2, alpha=0.7, label="H: off course every step")
        marks = [cost_ax.plot([], [], "o", color=c, mec="black", ms=10, zorder=5)[0]
                 for c in (COLORS["blue"], COLORS["green"])]
        cost_ax.set_xscale("log")
        cost_ax.set_yscale("log")
        cost_ax.set_xlim(1, _MAX_HORIZON)
        cost_ax.set_ylim(1e-4, 3 * _MAX_HORIZON)
        cost_ax.set_xlabel("horizon H (steps, log scale)")
        cost_ax.set_ylabel("expected off-centre steps (log)")
        cost_ax.set_title("cost over the horizon")
        cost_ax.legend(loc="upper left", fontsize=10)
        readout_text = readout(cost_ax, 0.97, 0.04, ha="right", va="bottom", size=10)

    def update(cross_entropy, horizon):
        k = _nearest(exponents, math.log10(cross_entropy))
        h = int(horizon)
        xs = np.concatenate([np.tile(t_axis[: h + 1], (_EPISODES, 1)), gaps], axis=1).ravel()
        for line, policy in zip(paths_lines, policies):
            line.set_data(xs, np.concatenate([paths[policy][k, :, : h + 1], gaps], axis=1).ravel())
        for mark in horizon_marks:
            mark.set_xdata([h, h])
        floor = 1e-6  # log axes: an exact zero would vanish
        for policy in policies:
            lines[policy].set_data(hs, np.maximum(runs[policy][k].cost[1:], floor))
        lines["quadratic"].set_data(hs, np.maximum(bounds.quadratic[k], floor))
        lines["linear"].set_data(hs, np.maximum(bounds.linear[k], floor))
        cloned, recovering = runs["cloned"][k], runs["recovering"][k]
        for mark, run in zip(marks, (cloned, recovering)):
            mark.set_data([h], [max(run.cost[h], floor)])
        readout_text.set_text(
            f"ε = {eps_all[k]:.4f}, H = {h}: off-centre steps\n"
            f"cloned {cloned.cost[h]:.2f} ({cloned.off_road[h]:.1%} crashed)\n"
            f"recovers {recovering.cost[h]:.2f}; εH(H+1)/2 = {bounds.quadratic[k, h - 1]:.2f}")

    controls = {"cross_entropy": log_slider("per-step cross-entropy (nats)", -3, -0.5, 0.05, cross_entropy, fmt=".4f"),
                "horizon": int_slider("horizon H (steps)", 1, _MAX_HORIZON, int(horizon))}
    scenes = {"good clone, short drive": {"cross_entropy": 0.01, "horizon": 20},
              "good clone, long drive": {"cross_entropy": 0.01, "horizon": 200},
              "sloppy clone (0.1 nats)": {"cross_entropy": 0.1, "horizon": 100}}
    return Panel(fig, update, controls,
                 artists=[*paths_lines, *horizon_marks, *lines.values(), *marks, readout_text],
                 title="behavioural cloning: compounding errors", scenes=scenes)
