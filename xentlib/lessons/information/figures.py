r"""The figures of lesson ``information`` (notebook 08): forward vs reverse KL, the independence gap, prior, barcodes.

Their data are in :mod:`xentlib.datasets`, their fixed runs (cached fits and
trained models) in :mod:`xentlib.lessons.information.experiments`.
"""

from __future__ import annotations

import math

import numpy as np

from ...datasets import FISH, KL_GRID, barcode_data, bayes_data, bimodal_target
from ...drawing import COLORS, READOUT_BOX, Panel, choice, fixed_figure, int_slider, log_slider, readout, slider, style
from ...gaussian_fits import gaussian_on_grid
from ...information import mutual_information
from ...multilabel import correlated_labels_joint, correlation_range, independent_joint, optimal_losses
from .experiments import (
    MULTILABEL_RATES,
    TRAINED_RHOS,
    barcode_model,
    divergence_table,
    kl_fits,
    multilabel_run,
    prior_path,
)

__all__ = ["forward_reverse_kl", "independence_gap", "prior_and_weights", "barcode_classifier"]


def _subscript(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))



def forward_reverse_kl(separation: float = 6.0, weight: float = 0.5) -> Panel:
    r"""Fit one Gaussian to a two-humped target, by forward and by reverse KL.

    Question it answers: KL is not symmetric, so which way round you minimise
    it matters.  What does the best single Gaussian look like when it must
    minimise :math:`D_{\mathrm{KL}}(p\,\|\,q)` (forward: what maximum
    likelihood does) and when it must minimise :math:`D_{\mathrm{KL}}(q\,\|\,p)`
    (reverse)?  The table gives both divergences and the symmetric
    Jensen-Shannon divergence for each fit.
    """
    x, dx = KL_GRID, KL_GRID[1] - KL_GRID[0]
    shown = np.flatnonzero(np.abs(x) <= 8.0)[::2]  # the visible part, every other point: half the drawing cost
    fig = fixed_figure((10.0, 5.6))[0]  # axes placed by hand below
    with style():
        ax = fig.add_axes((0.08, 0.36, 0.9, 0.52))
        table_ax = fig.add_axes((0.08, 0.02, 0.9, 0.2))
        table_ax.axis("off")
        fig.suptitle("Forward KL covers both humps; reverse KL picks one", fontsize=14)
        xs, zeros = x[shown], np.zeros(shown.size)
        (target,) = ax.plot(xs, zeros, color=COLORS["black"], lw=3, label="target p (two humps)")
        (fwd,) = ax.plot(xs, zeros, color=COLORS["blue"], lw=2.5, ls="--",
                         label="forward: min KL(p‖q) = max likelihood")
        (rev,) = ax.plot(xs, zeros, color=COLORS["vermillion"], lw=2.5, label="reverse: min KL(q‖p)")
        ax.set_xlim(-8, 8)
        ax.set_ylim(0, 0.45)
        ax.set_xlabel("x")
        ax.set_ylabel("probability density")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=10.5, frameon=False)
        # The table's frame, header and row names are background; only the numbers are redrawn per frame.
        header = f"{'':12s} {'mu':>6s} {'sigma':>6s}  {'KL(p‖q)':>8s} {'KL(q‖p)':>8s} {'JS':>7s}"
        blank = " " * (len(header) - 12)
        cell = dict(ha="left", va="center", fontsize=12.5, family="monospace", transform=table_ax.transAxes)
        frame = table_ax.text(0.5, 0.5, "\n".join([header, "forward fit " + blank, "reverse fit " + blank]),
                              bbox=READOUT_BOX, **{**cell, "ha": "center"})
        # where the frame's text starts (the layout is fixed), so the numbers sit exactly over its columns
        left = table_ax.transAxes.inverted().transform(frame.get_window_extent(fig.canvas.get_renderer()).p0)[0]
        table = table_ax.text(left, 0.5, "", **cell)

    def update(separation, weight):
        p = bimodal_target(separation, weight)
        forward, reverse = kl_fits(separation, weight)
        q_f = gaussian_on_grid(x, float(forward.mu), float(forward.sigma))
        q_r = gaussian_on_grid(x, float(reverse.mu), float(reverse.sigma))
        target.set_ydata(p[shown] / dx)
        fwd.set_ydata(q_f[shown] / dx)
        rev.set_ydata(q_r[shown] / dx)
        lines = [""]  # the header line stays blank: it is in the background
        for q, fit in ((q_f, forward), (q_r, reverse)):
            t = divergence_table(p, q)
            lines.append(f"{'':12s} {round(float(fit.mu), 2) + 0.0:6.2f} {float(fit.sigma):6.2f}  "
                         f"{t['KL(p||q)']:8.3f} {t['KL(q||p)']:8.3f} {t['JS(p,q)']:7.3f}")
        table.set_text("\n".join(lines))

    controls = {"separation": slider("distance between humps d (hump widths)", 0.0, 8.0, 0.25, separation),
                "weight": slider("mass of the left hump (fraction)", 0.2, 0.8, 0.05, weight)}
    scenes = {
        "one hump (d = 0)": {"separation": 0.0, "weight": 0.5},
        "humps merging (d = 3)": {"separation": 3.0, "weight": 0.5},
        "two humps (d = 6)": {"separation": 6.0, "weight": 0.5},
        "unequal humps (d = 6, left 30 %)": {"separation": 6.0, "weight": 0.3},
    }
    for values in scenes.values():  # fit the lecturer's presets now, not on the first click
        kl_fits(values["separation"], values["weight"])
    return Panel(fig, update, controls, artists=[target, fwd, rev, table],
                 title="forward vs reverse KL fits of one Gaussian to two humps", scenes=scenes)


def independence_gap(rho: float = 0.6, *, p1: float = MULTILABEL_RATES[0], p2: float = MULTILABEL_RATES[1]) -> Panel:
    r"""Two correlated binary labels: what independent sigmoid heads can learn, and what it costs.

    Question it answers: if two labels are correlated, how much higher is the
    best loss of two independent sigmoid heads than that of one softmax over
    the four label pairs?  Left, the true pair probabilities (which the
    softmax learns) against the product of the marginals (which is all the
    heads can express); middle, both models' best losses against the
    correlation, with models trained on 2000 sampled pairs as dots; right,
    the gap beside the mutual information :math:`I(Y_1; Y_2)`.
    """
    lo, hi = correlation_range(p1, p2)
    lo, hi = math.ceil(lo * 20 - 1e-9) / 20, math.floor(hi * 20 + 1e-9) / 20  # slider ends on its 0.05 steps
    rhos = np.linspace(lo, hi, 201)
    best = np.array([optimal_losses(correlated_labels_joint(p1, p2, r)) for r in rhos])
    trained_rhos = [r for r in TRAINED_RHOS if lo <= r <= hi]
    runs = [multilabel_run(r, p1=p1, p2=p2) for r in trained_rhos]
    product = independent_joint(p1, p2).reshape(-1)
    pairs = np.arange(4)
    fig, gs = fixed_figure((13.0, 4.9), nrows=1, ncols=3, left=0.05, right=0.99, top=0.86, bottom=0.3, wspace=0.25)
    with style():
        bar_ax, loss_ax, gap_ax = (fig.add_subplot(gs[0, j]) for j in range(3))
        fig.suptitle("Independent heads pay exactly the mutual information I(Y₁;Y₂) for ignoring the correlation",
                     fontsize=14)
        true_bars = bar_ax.bar(pairs - 0.2, np.zeros(4), width=0.4, color=COLORS["blue"],
                               label="true P(y₁, y₂): the softmax learns it")
        bar_ax.bar(pairs + 0.2, product, width=0.4, color=COLORS["orange"],
                   label="q₁(y₁)·q₂(y₂): the best the heads can say")
        bar_ax.set_xticks(pairs, ["(0,0)", "(0,1)", "(1,0)", "(1,1)"])
        bar_ax.set_xlabel("label pair (y₁, y₂)")
        bar_ax.set_ylabel("probability")
        bar_ax.set_ylim(0, 0.62)
        bar_ax.set_title("pair probabilities")
        bar_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)

        loss_ax.plot(rhos, best[:, 0], color=COLORS["orange"], label="independent heads: H(Y₁) + H(Y₂)")
        loss_ax.plot(rhos, best[:, 1], color=COLORS["blue"], label="joint softmax: H(Y₁, Y₂)")
        loss_ax.plot(trained_rhos, [r.independent_loss for r in runs], "o", color=COLORS["orange"], mec="black",
                     ms=8, label="trained on 2000 pairs")
        loss_ax.plot(trained_rhos, [r.joint_loss for r in runs], "o", color=COLORS["blue"], mec="black", ms=8)
        (gap_line,) = loss_ax.plot([], [], color=COLORS["green"], lw=4, solid_capstyle="butt")
        loss_ax.set_xlim(lo, hi)
        loss_ax.set_xticks(np.linspace(-1.0, 1.0, 5))  # the default 0.25 steps run into each other
        loss_ax.set_ylim(0.6, 1.45)
        loss_ax.set_xlabel("correlation ρ of the two labels")
        loss_ax.set_ylabel("best mean loss (nats)")
        loss_ax.set_title("best loss of each model")
        loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)

        gap_ax.plot(rhos, best[:, 2], color=COLORS["green"], label="I(Y₁; Y₂) from the formula")
        gap_ax.plot(trained_rhos, [float(mutual_information(r.data_joint)) for r in runs], "o", mfc="none",
                    mec=COLORS["green"], mew=2, ms=14, label="I of each training sample's pair frequencies")
        gap_ax.plot(trained_rhos, [r.gap for r in runs], "o", color=COLORS["black"], ms=7,
                    label="trained: heads' loss − softmax's loss")
        (here,) = gap_ax.plot([], [], "o", color=COLORS["green"], mec="black", ms=13, zorder=3)
        gap_ax.set_xlim(lo, hi)
        gap_ax.set_xticks(np.linspace(-1.0, 1.0, 5))  # the default 0.25 steps run into each other
        gap_ax.set_ylim(0, 0.75)
        gap_ax.set_xlabel("correlation ρ of the two labels")
        gap_ax.set_ylabel("nats")
        gap_ax.set_title("the gap is the mutual information")
        gap_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)
        box = readout(gap_ax, 0.5, 0.97, ha="center", size=11.5)

    def update(rho):
        joint = correlated_labels_joint(p1, p2, rho)
        for bar, height in zip(true_bars, joint.reshape(-1)):
            bar.set_height(height)
        b = optimal_losses(joint)
        gap_line.set_data([rho, rho], [b.joint, b.independent])
        here.set_data([rho], [b.gap])
        box.set_text(f"ρ = {rho:+.2f}\nH(Y₁)+H(Y₂)−H(Y₁,Y₂) = {b.gap:.4f}\n"
                         f"I(Y₁;Y₂)             = {float(mutual_information(joint)):.4f}")

    controls = {"rho": slider("correlation ρ of the labels (−1 … 1)", lo, hi, 0.05, rho)}
    scenes = {"independent (ρ = 0)": {"rho": 0.0}, "correlated (ρ = 0.6)": {"rho": 0.6},
              "anti-correlated (ρ = −0.6)": {"rho": -0.6}, "copies (ρ = 1)": {"rho": hi}}
    return Panel(fig, update, controls, artists=[*true_bars, gap_line, here, box],
                 title="independent heads vs joint softmax on correlated labels", scenes=scenes)


def prior_and_weights(prior_var: float = 1.0) -> Panel:
    r"""MAP logistic regression under a Gaussian prior :math:`w \sim \mathcal N(0, \sigma^2 I)`, for any prior variance.

    Question it answers: weight decay is a Gaussian prior; how does the prior's
    variance :math:`\sigma^2` (equivalently :math:`\lambda = 1/(N\sigma^2)`)
    set the size of the fitted weights, and which prior predicts new data
    best?  Left, the ten fitted weights (only :math:`w_1` is informative) with
    the prior's central 95 % band :math:`\pm 1.96\sigma`; right, the weight
    norm and the training and held-out cross-entropy against :math:`\sigma^2`.
    """
    from matplotlib.patches import Rectangle

    path = prior_path()
    X = bayes_data()[0]
    n, d = X.shape
    norms = np.linalg.norm(path.w, axis=1)
    best = int(np.argmin(path.test_loss))
    features = np.arange(1, d + 1)
    fig, gs = fixed_figure((12.0, 5.6), nrows=2, ncols=2, width_ratios=[1.15, 1.0], left=0.07, right=0.98, top=0.88,
                           bottom=0.2, hspace=0.12, wspace=0.22)
    with style():
        bar_ax = fig.add_subplot(gs[:, 0])
        norm_ax = fig.add_subplot(gs[0, 1])
        loss_ax = fig.add_subplot(gs[1, 1], sharex=norm_ax)
        fig.suptitle("Weight decay is a Gaussian prior: its variance sets how large the weights may grow", fontsize=14)
        band = Rectangle((0.3, -1.0), d + 0.4, 2.0, color=COLORS["sky"], alpha=0.3, lw=0,
                         label="prior: 95 % of weights inside ±1.96σ")
        bar_ax.add_patch(band)
        bars = bar_ax.bar(features, np.zeros(d), color=[COLORS["vermillion"]] + [COLORS["grey"]] * (d - 1))
        bar_ax.axhline(0, color=COLORS["black"], lw=1)
        bar_ax.set_xlim(0.3, d + 0.7)
        bar_ax.set_ylim(-6.5, 6.5)
        bar_ax.set_xticks(features, ["w₁\n(signal)"] + [f"w{_subscript(i)}" for i in features[1:]])
        bar_ax.set_ylabel("fitted weight")
        bar_ax.set_title("MAP weights (w₂ … w₁₀ see only noise)")
        bar_ax.legend(handles=[band], loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=10.5, frameon=False)
        box = readout(bar_ax, 0.98, 0.97, ha="right", size=11)

        norm_ax.plot(path.prior_var, norms, color=COLORS["vermillion"])
        (norm_dot,) = norm_ax.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=10, zorder=3)
        norm_ax.set_xscale("log")
        norm_ax.set_xticks(10.0 ** np.arange(-3, 2))
        norm_ax.minorticks_off()  # fewer ticks: a faster first draw
        loss_ax.minorticks_off()
        norm_ax.set_ylabel("weight size ‖w‖")
        norm_ax.tick_params(labelbottom=False)
        norm_ax.set_title("weights grow with the prior variance")

        loss_ax.plot(path.prior_var, path.train_loss, color=COLORS["blue"], label="training data (40)")
        loss_ax.plot(path.prior_var, path.test_loss, color=COLORS["orange"], label="held-out data (4000)")
        loss_ax.plot([path.prior_var[best]], [path.test_loss[best]], "*", color=COLORS["orange"], mec="black",
                     ms=15, label="best held-out")
        (train_dot,) = loss_ax.plot([], [], "o", color=COLORS["blue"], mec="black", ms=9, zorder=3)
        (test_dot,) = loss_ax.plot([], [], "o", color=COLORS["orange"], mec="black", ms=9, zorder=3)
        loss_ax.axhline(math.log(2), color=COLORS["grey"], ls=":", lw=1.5)
        loss_ax.text(0.4, math.log(2) + 0.04, "ln 2: coin flip", transform=loss_ax.get_yaxis_transform(),
                     ha="center", va="bottom", color=COLORS["grey"], fontsize=10)
        loss_ax.set_ylim(0, 1.8)
        loss_ax.set_xlabel("prior variance σ² (log scale)")
        loss_ax.set_ylabel("mean CE (nats)")
        loss_ax.legend(loc="upper left", fontsize=10, ncol=1, frameon=True)

    def update(prior_var):
        i = int(np.argmin(np.abs(np.log10(path.prior_var) - math.log10(prior_var))))
        var, w = path.prior_var[i], path.w[i]
        half = 1.96 * math.sqrt(var)
        band.set_y(-half)
        band.set_height(2 * half)
        for bar, height in zip(bars, w):
            bar.set_height(height)
        norm_dot.set_data([var], [norms[i]])
        train_dot.set_data([var], [path.train_loss[i]])
        test_dot.set_data([var], [path.test_loss[i]])
        box.set_text(f"σ² = {var:.3g}   λ = 1/(Nσ²) = {1 / (n * var):.3g}\n"
                         f"‖w‖ = {norms[i]:.2f}   held-out CE = {path.test_loss[i]:.3f}")

    controls = {"prior_var": log_slider("prior variance σ² (weight units²)", -3, 1, 0.1, prior_var, fmt=".3g")}
    scenes = {"strong prior (σ² = 0.01)": {"prior_var": 0.01},
              f"best held-out (σ² = {path.prior_var[best]:.2g})": {"prior_var": float(path.prior_var[best])},
              "weak prior (σ² = 10)": {"prior_var": 10.0}}
    return Panel(fig, update, controls, artists=[band, *bars, box, norm_dot, train_dot, test_dot],
                 title="prior variance vs fitted weight size", scenes=scenes)


def barcode_classifier(k: int = 3, read: int = 0) -> Panel:
    r"""A softmax over six fish species, from the k-mer counts of a DNA-barcode read.

    Question it answers: how sure is the classifier about each held-out read,
    and how does the k-mer length change that?  Left, the predicted
    distribution over species for one read (the true species outlined): the
    read's loss is :math:`-\ln q_{\text{true}}`.  Right, the held-out mean
    cross-entropy and accuracy for each k.
    """
    data, _, test = barcode_data()
    truth = data.species[test]
    ks = (1, 2, 3, 4)
    models = {kk: barcode_model(kk) for kk in ks}
    species = np.arange(len(FISH))
    genus_colour = [COLORS["blue"] if g == 0 else COLORS["green"] for g in data.genus]
    fig, gs = fixed_figure((12.0, 5.0), nrows=1, ncols=2, width_ratios=[1.5, 1.0], left=0.06, right=0.99, top=0.88,
                           bottom=0.17, wspace=0.12)
    with style():
        prob_ax, sum_ax = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        fig.suptitle("Which fish is it? A softmax over species, from the k-mers of one DNA read", fontsize=14)
        bars = prob_ax.bar(species, np.zeros(len(FISH)), color=genus_colour, edgecolor=COLORS["black"], lw=0)
        prob_ax.set_xticks(species, [name.replace(" ", "\n") for name in FISH], fontsize=10.5)
        prob_ax.set_ylim(0, 1.12)
        prob_ax.set_ylabel("predicted probability q")
        for label, colour in zip(prob_ax.get_xticklabels(), genus_colour):
            label.set_color(colour)
        prob_ax.set_title("one held-out read (thick outline: its true species)")
        prob_ax.set_xlabel("species (blue: tunas, green: cod family)")
        box = readout(prob_ax, 0.98, 0.97, ha="right", size=11)
        x = np.arange(len(ks))
        sum_ax.bar(x - 0.2, [models[kk].test_loss for kk in ks], width=0.4, color=COLORS["orange"],
                   label="held-out mean CE (nats)")
        sum_ax.bar(x + 0.2, [models[kk].test_accuracy for kk in ks], width=0.4, color=COLORS["sky"],
                   label="held-out accuracy")
        sum_ax.axhline(math.log(len(FISH)), color=COLORS["grey"], ls=":", lw=1.5)
        sum_ax.text(-0.45, math.log(len(FISH)) + 0.03, "ln 6: guessing", color=COLORS["grey"], fontsize=10, va="bottom")
        (marker,) = sum_ax.plot([], [], "v", color=COLORS["black"], ms=14)
        sum_ax.set_xticks(x, [f"k = {kk}\n({4 ** kk})" for kk in ks], fontsize=10.5)
        sum_ax.set_xlabel("k-mer length k (in brackets: features, $4^k$)")
        sum_ax.set_ylim(0, 2.05)
        sum_ax.set_title("all 120 held-out reads")
        sum_ax.legend(loc="upper right", fontsize=10)

    def update(k, read):
        m = models[int(k)]
        q = m.test_proba[int(read)]
        t = int(truth[int(read)])
        for j, bar in enumerate(bars):
            bar.set_height(q[j])
            bar.set_linewidth(3.5 if j == t else 0.0)
        marker.set_data([ks.index(int(k))], [max(m.test_loss, m.test_accuracy) + 0.12])
        guess = int(np.argmax(q))
        box.set_text(f"read {int(read)}: {FISH[t]}\n"
                         f"loss −ln q = {-math.log(max(q[t], 1e-300)):.3f} nats"
                         + ("" if guess == t else f"\ntop guess: {FISH[guess]}"))

    controls = {"k": choice("k-mer length k (bases)", list(ks), value=int(k)),
                "read": int_slider("held-out read (#)", 0, len(truth) - 1, int(read))}
    scenes = {"base composition only (k = 1)": {"k": 1}, "a read it gets wrong (k = 2, #7)": {"k": 2, "read": 7},
              "k = 3": {"k": 3}, "k = 4": {"k": 4}}
    return Panel(fig, update, controls, artists=[*bars, box, marker],
                 title="species from DNA-barcode k-mers", scenes=scenes)
