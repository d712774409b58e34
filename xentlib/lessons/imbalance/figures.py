r"""The figures of notebook 06: a 99:1 problem, and what to do about it.

The running example, its data and its trained models are in
:mod:`xentlib.lessons.imbalance.experiments`; the maths in
:mod:`xentlib.imbalance`.  Every model is trained once and cached, so the
sliders only move through stored results.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Rectangle

from ...drawing import COLORS, READOUT_BOX, Panel, choice, fixed_figure, log_slider, readout, slider, style
from ...imbalance import class_priors, focal_implied_posterior, logit_adjustment
from ...links import logit, sigmoid
from ...losses import sigmoid_focal_loss
from .experiments import (
    GAMMAS,
    MINORITY,
    TAUS,
    bias_pulls,
    focal_fit,
    held_out_data,
    outcome,
    outcomes,
    resample_cloud,
    trained,
    training_data,
)

__all__ = ["tug_of_war", "resample_vs_weights", "threshold_shift", "focal_gamma"]

_PLAIN, _WEIGHTED = "plain CE", "weighted CE (w ∝ 1/π)"
_X_RANGE = (-5.0, 5.5)


# ---------------------------------------------------------------- interactive figures

def tug_of_war(minority: float = MINORITY, bias: float = 0.0, loss: str = _PLAIN) -> Panel:
    r"""The pull of each class on the bias of an untrained model (:math:`w = 0`), and where the bias comes to rest.

    Question it answers: at initialisation, who decides which way the model
    moves, the 99 % or the 1 %, and how do class weights change the vote?
    Left, each class's part of :math:`-\partial L/\partial b`; right, the net
    pull as a function of the bias, which is zero where training stops.
    """
    bs = np.linspace(-7.0, 3.0, 101)
    weighted_pull = np.array([bias_pulls(MINORITY, b, weighted=True, n=200).sum() for b in bs])  # 2 of 200: the same 1 %
    fig, gs = fixed_figure((11.0, 4.9), nrows=1, ncols=2, width_ratios=[1.0, 1.1], left=0.1, right=0.98,
                           top=0.86, bottom=0.27, wspace=0.3)
    with style():
        left, right = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
        fig.suptitle("At initialisation the majority outvotes the minority; class weights make it a fair vote",
                     fontsize=14)
        rows = [2, 1, 0]
        bars = left.barh(rows, [0.0, 0.0, 0.0], height=0.6,
                         color=[COLORS["blue"], COLORS["vermillion"], COLORS["black"]])
        left.set_yticks(rows, ["majority\n(y = 0)", "minority\n(y = 1)", "net pull"])
        left.axvline(0, color=COLORS["grey"], lw=1)
        left.set_xlim(-1.0, 1.0)
        left.set_xticks(np.linspace(-1.0, 1.0, 5))  # the default 0.25 steps run into each other
        left.set_ylim(-0.6, 2.6)
        left.set_xlabel(r"pull on the bias, $-\partial L/\partial b$")
        left.set_title("each class's share of the gradient")
        left.text(0.0, -0.2, "← towards 'always 0'", transform=left.transAxes, fontsize=11, color=COLORS["blue"],
                  va="top")
        left.text(1.0, -0.2, "towards 'always 1' →", transform=left.transAxes, fontsize=11,
                  color=COLORS["vermillion"], ha="right", va="top")
        left.grid(axis="y", visible=False)
        readout = fig.text(0.1, 0.015, "", ha="left", va="bottom", fontsize=11, family="monospace", bbox=READOUT_BOX)

        right.axhline(0, color=COLORS["grey"], lw=1)
        (plain_curve,) = right.plot(bs, np.zeros_like(bs), color=COLORS["blue"], label="plain CE")
        right.plot(bs, weighted_pull, color=COLORS["orange"], ls="--", label="weighted CE (w ∝ 1/π)")
        right.plot([0.0], [0.0], "o", color=COLORS["orange"], mec="black", ms=9, zorder=3)
        (rest,) = right.plot([], [], "o", color=COLORS["blue"], mec="black", ms=9, zorder=3,
                             label="training stops (pull 0)")
        (here,) = right.plot([], [], "D", color=COLORS["green"], mec="black", ms=11, zorder=4, label="your bias")
        right.set_xlim(bs[0], bs[-1])
        right.set_ylim(-1.0, 1.0)
        right.set_xlabel("bias b (nats)")
        right.set_ylabel(r"net pull $-\partial L/\partial b$")
        right.set_title("the net pull against the bias (w = 0)")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=10, frameon=False)

    def update(minority, bias, loss):
        weighted = loss == _WEIGHTED
        majority_pull, minority_pull = bias_pulls(minority, bias, weighted=weighted)
        net = majority_pull + minority_pull
        for bar, value in zip(bars, (majority_pull, minority_pull, net)):
            bar.set_width(value)
        n1 = max(1, int(round(minority * 10_000)))
        pi = n1 / 10_000
        plain_curve.set_ydata(pi - sigmoid(bs))  # pi_1 (1 - sigma) - pi_0 sigma, as bias_pulls computes it
        b_rest = math.log(pi / (1 - pi))
        rest.set_data([b_rest], [0.0])
        here.set_data([bias], [net])
        readout.set_text(f"votes {-majority_pull / minority_pull:.3g} : 1;  plain CE rests at b = {b_rest:+.2f}")

    controls = {"minority": log_slider("minority share π₁ (fraction)", -3, math.log10(0.5), 0.05, minority, fmt=".3f"),
                "bias": slider("bias b (nats)", -7.0, 3.0, 0.1, bias, fmt=".1f"),
                "loss": choice("loss", [_PLAIN, _WEIGHTED], loss)}
    scenes = {
        "99:1 at initialisation": {"minority": MINORITY, "bias": 0.0, "loss": _PLAIN},
        "where plain CE stops": {"minority": MINORITY, "bias": -4.6, "loss": _PLAIN},
        "weighted CE at initialisation": {"minority": MINORITY, "bias": 0.0, "loss": _WEIGHTED},
        "balanced data (1:1)": {"minority": 0.5, "bias": 0.0, "loss": _PLAIN},
    }
    return Panel(fig, update, controls, artists=[*bars, readout, plain_curve, rest, here],
                 title="the tug-of-war on the bias at initialisation", scenes=scenes)


_STATES = {"at the plain-CE solution": "plain fit", "at initialisation (w = 0, b = 0)": "init"}


def resample_vs_weights(k: float = 10, state: str = "at the plain-CE solution", per_class: int = 50) -> Panel:
    r"""Gradients on class-balanced resamples scatter around the weighted-CE gradient, and their average converges to it.

    Question it answers: is weighting the loss by :math:`w_c \propto 1/\pi_c`
    the same as training on a balanced resample?  Left, the gradient
    :math:`(\partial L/\partial w, \partial L/\partial b)` of plain CE on each of
    400 balanced resamples (grey), the first k of them (blue) and their mean
    (green), with the weighted gradient on all the data (black cross) and the
    plain one (blue square).  Right, how far the mean of k resamples is from
    the weighted gradient: it shrinks like :math:`1/\sqrt k`, so the two agree
    in expectation, while plain CE stays a fixed distance away.
    """
    clouds = {(s, m): resample_cloud(s, m) for s in _STATES.values() for m in (10, 50, 250)}
    ks = np.arange(1, 401)
    limits = {}
    for s in _STATES.values():  # per state, from the widest cloud: fewer draws per class show a wider cloud
        cloud = clouds[s, 10]
        pts = np.vstack([cloud.gradients, cloud.weighted, cloud.plain])
        lo = np.minimum(np.percentile(pts, 0.5, axis=0), np.minimum(cloud.weighted, cloud.plain))
        hi = np.maximum(np.percentile(pts, 99.5, axis=0), np.maximum(cloud.weighted, cloud.plain))
        pad = 0.1 * np.maximum(hi - lo, 0.05)
        limits[s] = (lo - pad, hi + pad)
    shown = {"state": None}
    fig, gs = fixed_figure((11.0, 5.2), nrows=1, ncols=2, left=0.1, right=0.98, top=0.86, bottom=0.3, wspace=0.3)
    with style():
        left, right = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
        fig.suptitle("Weighted CE is what balanced resampling gives on average", fontsize=14)
        (cloud_pts,) = left.plot([], [], "o", color=COLORS["grey"], alpha=0.35, ms=4, mec="none", label="a resample")
        (first_pts,) = left.plot([], [], "o", color=COLORS["sky"], ms=5, mec="none", label="the first k")
        (mean_pt,) = left.plot([], [], "o", color=COLORS["green"], mec="black", ms=13, zorder=4, label="their mean")
        (weighted_pt,) = left.plot([], [], "X", color=COLORS["black"], mec="white", ms=15, zorder=5,
                                   label="weighted CE, all data")
        (plain_pt,) = left.plot([], [], "s", color=COLORS["blue"], mec="black", ms=11, zorder=5,
                                label="plain CE, all data")
        left.set_xlabel(r"$\partial L/\partial w$")
        left.set_ylabel(r"$\partial L/\partial b$")
        left.set_title("plain-CE gradient on balanced resamples")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10, frameon=False)
        (error_curve,) = right.plot([], [], color=COLORS["green"], label="|mean of k − weighted|")
        (reference,) = right.plot([], [], color=COLORS["grey"], ls=":", label=r"spread $/\sqrt{k}$")
        (plain_line,) = right.plot([], [], color=COLORS["blue"], ls="--", label="|plain − weighted|")
        (marker,) = right.plot([], [], "o", color=COLORS["green"], mec="black", ms=11, zorder=4)
        right.set_xscale("log")
        right.set_yscale("log")
        right.minorticks_off()  # fewer ticks: a faster first draw, and a cleaner axis
        right.set_xlim(1, 400)
        right.set_ylim(1e-4, 3.0)
        right.set_xlabel("resamples averaged, k")
        right.set_ylabel("distance between gradients")
        right.set_title("the average converges to the weighted gradient")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10, frameon=False)
        box = readout(right, 0.03, 0.03, va="bottom")

    def update(k, state, per_class):
        s = _STATES[state]
        cloud = clouds[s, int(per_class)]
        n = int(round(k))
        cloud_pts.set_data(*cloud.gradients.T)
        first_pts.set_data(*cloud.gradients[:n].T)
        mean_pt.set_data(*cloud.running_mean[n - 1, :, None])
        weighted_pt.set_data(*cloud.weighted[:, None])
        plain_pt.set_data(*cloud.plain[:, None])
        errors = np.maximum(np.linalg.norm(cloud.running_mean - cloud.weighted, axis=1), 1e-12)
        error_curve.set_data(ks, errors)
        spread = float(np.sqrt(np.mean(np.sum((cloud.gradients - cloud.weighted) ** 2, axis=1))))
        reference.set_data(ks, spread / np.sqrt(ks))
        gap = float(np.linalg.norm(cloud.plain - cloud.weighted))
        plain_line.set_data([1, 400], [gap, gap])
        marker.set_data([n], [errors[n - 1]])
        box.set_text(f"|mean − weighted| = {errors[n - 1]:.4f}")
        if shown["state"] != s:  # each state has its own scale: one full redraw on this (rare) button
            shown["state"] = s
            (x0, y0), (x1, y1) = limits[s]
            left.set_xlim(x0, x1)
            left.set_ylim(y0, y1)
            return True
        return False

    controls = {"k": log_slider("resamples averaged, k (count)", 0, math.log10(400), 0.05, k, fmt=".0f"),
                "state": choice("model state", list(_STATES), state),
                "per_class": choice("draws per class (examples)", [10, 50, 250], per_class)}
    scenes = {
        "one resample": {"k": 1},
        "400 resamples": {"k": 400},
        "at initialisation": {"state": "at initialisation (w = 0, b = 0)", "k": 10},
    }
    return Panel(fig, update, controls,
                 artists=[cloud_pts, first_pts, mean_pt, weighted_pt, plain_pt,
                          error_curve, reference, plain_line, marker, box],
                 title="weighted CE against balanced resamples", scenes=scenes)


def threshold_shift(tau: float = 0.0, model: str = _PLAIN) -> Panel:
    r"""Logit adjustment: flag :math:`z - \tau\ln(\pi_1/\pi_0) > 0` and watch minority recall and precision trade.

    Question it answers: a plain-CE model has learnt the 1 % prior into its
    bias; what happens to the decisions when the prior is taken out again,
    and how does that compare with training on weighted CE?  Top left, the
    model's adjusted :math:`P(y=1\mid x)`; bottom left, the test set with the
    flagged region; right, recall and precision against :math:`\tau`.
    """
    X, y = held_out_data()
    fits = {_PLAIN: trained("plain"), _WEIGHTED: trained("weighted")}
    taus = np.array(TAUS)
    table = {name: outcomes(fit, TAUS) for name, fit in fits.items()}
    priors = class_priors(training_data()[1])
    xs = np.linspace(*_X_RANGE, 300)
    edges = np.arange(_X_RANGE[0], _X_RANGE[1] + 1e-9, 0.25)
    fig, gs = fixed_figure((11.2, 6.3), nrows=2, ncols=2, height_ratios=[1.0, 1.3], width_ratios=[1.25, 1.0],
                           left=0.08, right=0.98, top=0.88, bottom=0.1, hspace=0.12, wspace=0.22)
    with style():
        top = fig.add_subplot(gs[0, 0])
        bottom = fig.add_subplot(gs[1, 0], sharex=top)
        right = fig.add_subplot(gs[:, 1])
        fig.suptitle("Taking the prior out of the logit moves the boundary: recall up, precision down", fontsize=14)
        top.axhline(0.5, color=COLORS["grey"], ls=":", lw=1.5)
        (raw_curve,) = top.plot(xs, np.zeros_like(xs), color=COLORS["grey"], lw=1.8, label="as trained (τ = 0)")
        (adj_curve,) = top.plot(xs, np.zeros_like(xs), color=COLORS["purple"], label="adjusted")
        top_line = top.axvline(0.0, color=COLORS["black"], ls="--", lw=1.5)
        top.set_ylim(-0.03, 1.03)
        top.set_ylabel("P(y = 1 | x)")
        top.set_title("the model's probability, adjusted")
        top.legend(loc="upper left", fontsize=10)
        top.tick_params(labelbottom=False)
        # A Rectangle in (data x, axes y), as axvspan makes from matplotlib 3.9 (before, a Polygon without set_x).
        flagged = bottom.add_patch(Rectangle((0.0, 0.0), _X_RANGE[1], 0.76, transform=bottom.get_xaxis_transform(),
                                             color=COLORS["yellow"], alpha=0.45, lw=0,
                                             label="flagged"))  # stops below the legend, which is background
        stairs = [bottom.stairs(np.histogram(X[y == 0, 0], edges)[0], edges, fill=True, color=COLORS["blue"],
                                alpha=0.6, label="y = 0 (99 %)"),
                  bottom.stairs(np.histogram(X[y == 1, 0], edges)[0], edges, fill=True, color=COLORS["vermillion"],
                                alpha=0.75, label="y = 1 (1 %)")]
        bottom_line = bottom.axvline(0.0, ymax=0.76, color=COLORS["black"], ls="--", lw=1.5)
        bottom.set_yscale("log")
        bottom.minorticks_off()
        bottom.set_ylim(0.8, 3e5)
        bottom.set_xlim(*_X_RANGE)
        bottom.set_xlabel("measurement x")
        bottom.set_ylabel("people per bin (test set)")
        bottom.legend(loc="upper right", fontsize=10, ncol=3)
        (rec_curve,) = right.plot(taus, np.zeros_like(taus), color=COLORS["vermillion"], label="minority recall")
        (prec_curve,) = right.plot(taus, np.zeros_like(taus), color=COLORS["blue"], label="minority precision")
        right.axvline(1.0, color=COLORS["grey"], ls=":", lw=1.5)
        right.text(1.03, 0.62, "τ = 1:\nprior removed", fontsize=10, color=COLORS["grey"], va="center")
        (rec_pt,) = right.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=10, zorder=4)
        (prec_pt,) = right.plot([], [], "o", color=COLORS["blue"], mec="black", ms=10, zorder=4)
        right.set_xlim(0, 2)
        right.set_ylim(0, 1.02)
        right.set_xlabel(r"adjustment τ (multiples of $\ln(\pi_1/\pi_0)$)")
        right.set_ylabel("fraction (test set)")
        right.set_title("recall and precision of the minority")
        right.text(1.97, 0.9, "recall", ha="right", va="top", fontsize=12, color=COLORS["vermillion"])
        right.text(1.97, 0.08, "precision", ha="right", va="bottom", fontsize=12, color=COLORS["blue"])
        box = readout(right, 0.97, 0.42, ha="right")

    def update(tau, model):
        fit = fits[model]
        i = int(np.argmin(np.abs(taus - tau)))
        z = fit.logits(xs[:, None])
        raw_curve.set_ydata(sigmoid(z))
        adj_curve.set_ydata(sigmoid(logit_adjustment(z, priors, tau=float(taus[i]))))
        o = table[model][i]
        for line in (top_line, bottom_line):
            line.set_xdata([o.boundary, o.boundary])
        x0 = min(max(o.boundary, _X_RANGE[0]), _X_RANGE[1])
        flagged.set_x(x0)
        flagged.set_width(_X_RANGE[1] - x0)
        rec_curve.set_ydata([r.recall for r in table[model]])
        prec_curve.set_ydata([r.precision for r in table[model]])
        rec_pt.set_data([taus[i]], [o.recall])
        prec_pt.set_data([taus[i]], [o.precision])
        box.set_text(f"recall    {o.recall:6.1%} ({o.caught}/{o.positives})\n"
                         f"precision {o.precision:6.1%} ({o.caught}/{o.alarms})")

    controls = {"tau": slider("logit adjustment τ (× ln prior odds)", 0.0, 2.0, 0.05, tau, fmt=".2f"),
                "model": choice("trained with", [_PLAIN, _WEIGHTED], model)}
    scenes = {
        "plain CE, default threshold": {"tau": 0.0, "model": _PLAIN},
        "plain CE, prior removed (τ = 1)": {"tau": 1.0, "model": _PLAIN},
        "weighted CE, default threshold": {"tau": 0.0, "model": _WEIGHTED},
    }
    # the flagged band is drawn first and the histograms over it, so the band tints the background only
    return Panel(fig, update, controls,
                 artists=[raw_curve, adj_curve, top_line, flagged, *stairs, bottom_line, rec_curve, prec_curve,
                          rec_pt, prec_pt, box],
                 title="logit adjustment: moving the threshold by the log prior odds", scenes=scenes)


_NO_WEIGHTS, _CLASS_WEIGHTS = "none", "balanced (w ∝ 1/π)"


def focal_gamma(gamma: float = 2.0, weighting: str = _NO_WEIGHTS) -> Panel:
    r"""Focal loss :math:`-(1 - p_t)^\gamma \ln p_t` for :math:`\gamma` from 0 (cross-entropy) to 5.

    Question it answers: focal loss turns down easy examples, and 99 % of the
    easy examples here are negatives; does that rescue the minority?  Top left,
    the loss of one example against :math:`p_t`; top right, the probability
    a focal model reports when the truth is :math:`q` (it crosses
    :math:`\tfrac12` at :math:`\tfrac12` for every :math:`\gamma`); bottom left,
    the trained model's :math:`P(y=1\mid x)`; bottom right, minority recall and
    precision on the test set for every :math:`\gamma`, with and without class weights.
    """
    gammas = np.array(GAMMAS)
    options = {_NO_WEIGHTS: False, _CLASS_WEIGHTS: True}
    fits = {(g, wt): focal_fit(g, wt) for wt in options.values() for g in GAMMAS}
    scores = {key: outcome(fit) for key, fit in fits.items()}
    pt = np.linspace(0.005, 0.999, 300)
    zs = np.linspace(-12.0, 12.0, 300)
    xs = np.linspace(*_X_RANGE, 300)
    # every curve a slider step can show, computed once: a step only hands arrays to the artists
    loss_curves = {g: sigmoid_focal_loss(logit(pt), np.ones_like(pt), gamma=g, reduction="none") for g in GAMMAS}
    easy_losses = {g: float(sigmoid_focal_loss(logit(0.9), 1.0, gamma=g)) for g in GAMMAS}
    link_curves = {g: focal_implied_posterior(zs, g) for g in GAMMAS}
    model_curves = {key: fit.predict_proba(xs[:, None]) for key, fit in fits.items()}
    fig, gs = fixed_figure((11.2, 7.8), nrows=2, ncols=2, left=0.075, right=0.98, top=0.91, bottom=0.075,
                           hspace=0.38, wspace=0.22)
    with style():
        loss_ax, link_ax = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        model_ax, score_ax = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])
        fig.suptitle("Focal loss turns down easy examples, but the decision at p = ½ stays where CE puts it",
                     fontsize=14)
        loss_ax.axvspan(0.9, 1.0, color=COLORS["yellow"], alpha=0.35, lw=0)
        loss_ax.text(0.885, 4.75, "easy:\n$p_t$ > 0.9", ha="right", va="top", fontsize=10, color=COLORS["grey"])
        loss_ax.plot(pt, -np.log(pt), color=COLORS["grey"], lw=1.8, label="cross-entropy (γ = 0)")
        (loss_curve,) = loss_ax.plot(pt, np.zeros_like(pt), color=COLORS["purple"], label="focal loss")
        loss_ax.set_xlim(0, 1)
        loss_ax.set_ylim(0, 5)
        loss_ax.set_xlabel("$p_t$, probability given to the true class")
        loss_ax.set_ylabel("loss of one example (nats)")
        loss_ax.set_title(r"one example's loss, $-(1 - p_t)^\gamma \ln p_t$")
        loss_ax.legend(loc="upper center", fontsize=10)
        loss_ax.plot([0.9], [-math.log(0.9)], "o", color=COLORS["grey"], mec="black", ms=8, zorder=4)
        (easy_pt,) = loss_ax.plot([], [], "o", color=COLORS["purple"], mec="black", ms=8, zorder=4)
        loss_ax.text(0.74, 0.6, "at $p_t$ = 0.9:  focal / CE =", transform=loss_ax.transAxes,
                     ha="right", va="center", fontsize=11)
        loss_text = readout(loss_ax, 0.76, 0.6, va="center")

        link_ax.plot([0, 1], [0, 1], color=COLORS["grey"], lw=1.8, label="cross-entropy: p = q")
        (link_curve,) = link_ax.plot([], [], color=COLORS["purple"], label="focal loss")
        link_ax.plot([0.5], [0.5], "o", color=COLORS["black"], ms=8, zorder=4)
        link_ax.annotate("½ stays ½", xy=(0.5, 0.5), xytext=(0.62, 0.2), fontsize=11,
                         arrowprops=dict(arrowstyle="->", color=COLORS["grey"]))
        link_ax.set_xlim(0, 1)
        link_ax.set_ylim(0, 1)
        link_ax.set_xlabel("true probability q = P(y = 1 | x)")
        link_ax.set_ylabel("best reported p")
        link_ax.set_title("what the loss makes a model report")
        link_ax.legend(loc="upper left", fontsize=10)

        model_ax.axhline(0.5, color=COLORS["grey"], ls=":", lw=1.5)
        (ce_model,) = model_ax.plot(xs, np.zeros_like(xs), color=COLORS["grey"], lw=1.8, label="trained on CE (γ = 0)")
        (focal_model,) = model_ax.plot(xs, np.zeros_like(xs), color=COLORS["purple"], label="trained on focal loss")
        (boundary,) = model_ax.plot([], [], color=COLORS["black"], ls="--", lw=1.5, label="decision boundary")
        model_ax.set_xlim(*_X_RANGE)
        model_ax.set_ylim(-0.03, 1.03)
        model_ax.set_xlabel("measurement x")
        model_ax.set_ylabel("model's P(y = 1 | x)")
        model_ax.set_title("the trained model")
        model_ax.legend(loc="upper left", fontsize=10)

        for wt, ls in ((False, "-"), (True, "--")):
            score_ax.plot(gammas, [scores[g, wt].recall for g in GAMMAS], ls, color=COLORS["vermillion"])
            score_ax.plot(gammas, [scores[g, wt].precision for g in GAMMAS], ls, color=COLORS["blue"])
        score_ax.plot([], [], color=COLORS["vermillion"], label="recall")
        score_ax.plot([], [], color=COLORS["blue"], label="precision")
        score_ax.plot([], [], "-", color=COLORS["grey"], label="no weights")
        score_ax.plot([], [], "--", color=COLORS["grey"], label="class weights")
        (rec_pt,) = score_ax.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=10, zorder=4)
        (prec_pt,) = score_ax.plot([], [], "o", color=COLORS["blue"], mec="black", ms=10, zorder=4)
        score_ax.set_xlim(-0.1, 5.1)
        score_ax.set_ylim(0, 1.02)
        score_ax.set_xlabel("focusing exponent γ")
        score_ax.set_ylabel("minority, test set")
        score_ax.set_title("recall and precision against γ")
        score_ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.17), fontsize=10, ncol=2)
        score_text = readout(score_ax, 0.03, 0.47)

    def update(gamma, weighting):
        g = float(gammas[int(np.argmin(np.abs(gammas - gamma)))])
        wt = options[weighting]
        loss_curve.set_ydata(loss_curves[g])
        link_curve.set_data(link_curves[g], sigmoid(zs))
        focal_model.set_ydata(model_curves[g, wt])
        ce_model.set_ydata(model_curves[0.0, wt])
        o = scores[g, wt]
        boundary.set_data([o.boundary, o.boundary], [0, 1])
        rec_pt.set_data([g], [o.recall])
        prec_pt.set_data([g], [o.precision])
        easy_pt.set_data([0.9], [easy_losses[g]])
        loss_text.set_text(f"{0.1 ** g:.3g}")
        score_text.set_text(f"recall    {o.recall:.1%}\nprecision {o.precision:.1%}")

    controls = {"gamma": slider("focusing exponent γ (unitless)", 0.0, 5.0, 0.5, gamma, fmt=".1f"),
                "weighting": choice("class weights", list(options), weighting)}
    scenes = {
        "γ = 0: cross-entropy": {"gamma": 0.0, "weighting": _NO_WEIGHTS},
        "γ = 2 (RetinaNet)": {"gamma": 2.0, "weighting": _NO_WEIGHTS},
        "γ = 5": {"gamma": 5.0, "weighting": _NO_WEIGHTS},
        "γ = 2 with class weights": {"gamma": 2.0, "weighting": _CLASS_WEIGHTS},
    }
    return Panel(fig, update, controls,
                 artists=[loss_curve, easy_pt, loss_text, link_curve, ce_model, focal_model, boundary, rec_pt, prec_pt,
                          score_text],
                 title="focal loss and the minority", scenes=scenes)
