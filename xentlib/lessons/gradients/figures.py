"""Figures for notebook 02: why the gradient of cross-entropy is "prediction minus target".

The figures let a learner move the logits and watch the gradient.  The
factors of the chain rule they draw are in :mod:`xentlib.chain_rule`, the
naive computations that break in :mod:`xentlib.links`, the SGD runs in
:mod:`xentlib.models`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from ...chain_rule import bce_chain_rule, sigmoid_derivative, softmax_ce_chain_rule
from ...datasets import sgd_data
from ...drawing import (
    COLORS,
    READOUT_BOX,
    Panel,
    StaticFigure,
    choice,
    int_slider,
    log_slider,
    new_figure,
    slider,
    style,
)
from ...gradcheck import numerical_grad
from ...information import entropy
from ...links import log_softmax, naive_log_softmax, sigmoid, softmax
from ...losses import energy_score, softmax_cross_entropy
from ...models import LogisticRegression, sgd_trace
from .experiments import CLASSES, ENERGIES, SGD_RATES

__all__ = ["chain_rule", "softmax_competition", "sgd_stepper", "gibbs_temperature", "overflow_figure",
           "finite_difference_error"]


def chain_rule(z: float = 2.0, y: int = 1) -> Panel:
    """The chain rule for sigmoid + BCE, factor by factor, at a logit ``z`` and label ``y``.

    Question it answers: dL/dp explodes when the model is confidently wrong;
    why is the gradient that reaches the logit never larger than 1?
    """
    zs = np.linspace(-8, 8, 401)
    p_grid = sigmoid(zs)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.5, 4.3))
        left.set_yscale("log")
        (dldp,) = left.plot(zs, np.ones_like(zs), color=COLORS["vermillion"], ls="--", label="|dL/dp|  (loss vs probability)")
        left.plot(zs, sigmoid_derivative(zs), color=COLORS["orange"], ls="-.", label="dp/dz = p(1 − p)  (sigmoid slope)")
        (dldz,) = left.plot(zs, np.ones_like(zs), color=COLORS["blue"], lw=3.2, label="|dL/dz| = |p − y|  (their product)")
        dots = [left.plot([], [], "o", color=c, zorder=4)[0] for c in (COLORS["vermillion"], COLORS["orange"], COLORS["blue"])]
        left.set_xlim(-8, 8)
        left.set_ylim(1e-4, 1e6)
        left.yaxis.set_major_locator(LogLocator(base=100.0))  # every second decade: ticks on log axes are slow to lay out
        left.yaxis.set_minor_locator(NullLocator())
        left.set_xlabel("logit z")
        left.set_ylabel("size of the factor (log scale)")
        left.set_title("dL/dp blows up exactly where dp/dz dies out")
        left.legend(loc="upper center", fontsize=10)

        right.plot(zs, p_grid, color=COLORS["blue"], label="p = σ(z)")
        (target,) = right.plot([-8, 8], [1, 1], color=COLORS["green"], ls="--", label="target y")
        (tangent,) = right.plot([], [], color=COLORS["orange"], lw=2.5, label="slope p(1−p)")
        (err,) = right.plot([], [], color=COLORS["vermillion"], lw=4, label="p − y")
        (point,) = right.plot([], [], "o", color=COLORS["blue"], zorder=4)
        right.set_xlim(-8, 8)
        right.set_ylim(-0.08, 1.75)
        right.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        right.set_xlabel("logit z")
        right.set_ylabel("probability of class 1")
        right.set_title("What reaches the logit is just p − y")
        right.legend(loc="upper right", fontsize=10)
        readout = right.text(0.02, 0.975, "", transform=right.transAxes, ha="left", va="top",
                             family="monospace", fontsize=11, bbox=READOUT_BOX)

    def update(z, y):
        label = np.full_like(zs, float(y))
        parts = bce_chain_rule(zs, label)
        dldp.set_ydata(np.abs(parts.dloss_dp))
        dldz.set_ydata(np.abs(parts.dloss_dz))
        here = bce_chain_rule([z], [float(y)])
        values = (abs(here.dloss_dp[0]), here.dp_dz[0], abs(here.dloss_dz[0]))
        for dot, v in zip(dots, values):
            dot.set_data([z], [v])
        p = float(here.p[0])
        target.set_ydata([y, y])
        slope = float(here.dp_dz[0])
        tangent.set_data([z - 1.5, z + 1.5], [p - 1.5 * slope, p + 1.5 * slope])
        err.set_data([z, z], [y, p])
        point.set_data([z], [p])
        readout.set_text(f"z = {z:+.2f}, y = {y}:  p = {p:.4f}\n"
                         f"dL/dp  = {here.dloss_dp[0]:+10.3f}\n"
                         f"dp/dz  = {slope:10.4f}\n"
                         f"dL/dz  = {here.dloss_dz[0]:+10.4f} = p − y")

    controls = {"z": slider("logit z", -8.0, 8.0, 0.05, z), "y": choice("true label y", [1, 0], y)}
    return Panel(fig, update, controls, artists=[dldp, dldz, *dots, target, tangent, err, point, readout],
                 title="the chain rule for sigmoid + cross-entropy",
                 scenes={"undecided (z = 0)": {"z": 0.0, "y": 1},
                         "confidently right (z = 6, y = 1)": {"z": 6.0, "y": 1},
                         "confidently wrong (z = 6, y = 0)": {"z": 6.0, "y": 0}})


def softmax_competition(cat: float = 2.0, dog: float = 1.0, fox: float = 0.1, owl: float = -1.0, true: str = "cat") -> Panel:
    """Softmax probabilities of four classes and the cross-entropy gradient p − onehot.

    Question it answers: when one example says "cat", which logits does the
    gradient move, in which direction, and by how much?
    """
    x = np.arange(len(CLASSES))
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.5, 4.3))
        p_bars = left.bar(x, np.zeros(len(x)), color=COLORS["sky"])
        p_text = [left.text(i, 0, "", ha="center", va="bottom", fontsize=12) for i in x]
        left.set_xticks(x, CLASSES)
        left.set_ylim(0, 1.18)
        left.set_ylabel("probability p = softmax(z)")
        left.set_title("Softmax shares one unit of probability")
        readout = left.text(0.98, 0.97, "", transform=left.transAxes, ha="right", va="top", fontsize=12)  # no box: cheaper per frame

        right.axhline(0, color=COLORS["black"], lw=1)
        g_bars = right.bar(x, np.zeros(len(x)), color=COLORS["vermillion"])
        g_text = [right.text(i, 0, "", ha="center", va="bottom", fontsize=12) for i in x]
        right.set_xticks(x, CLASSES)
        right.set_ylim(-1.35, 1.25)
        right.set_ylabel("gradient ∂L/∂z = p − onehot")
        right.set_title("True logit pushed up, every rival down by its p")
        total = right.text(0.98, 0.97, "", transform=right.transAxes, ha="right", va="top", fontsize=12)
        right.set_xlabel("gradient descent moves each logit against its bar")

    def update(cat, dog, fox, owl, true):
        z = np.array([cat, dog, fox, owl])
        k = CLASSES.index(true)
        parts = softmax_ce_chain_rule(z, k)
        p, g = parts.p, parts.dloss_dz
        for i, (bar, text) in enumerate(zip(p_bars, p_text)):
            bar.set_height(p[i])
            bar.set_color(COLORS["green"] if i == k else COLORS["sky"])
            text.set_position((i, p[i] + 0.01))
            text.set_text(f"{p[i]:.2f}" + ("\ntrue" if i == k else ""))
        for i, (bar, text) in enumerate(zip(g_bars, g_text)):
            bar.set_height(g[i])
            bar.set_color(COLORS["green"] if i == k else COLORS["vermillion"])
            text.set_position((i, g[i] + (0.03 if g[i] >= 0 else -0.03)))
            text.set_va("bottom" if g[i] >= 0 else "top")
            text.set_text(f"{g[i]:+.2f}")
        loss = float(-log_softmax(z)[k])
        readout.set_text(f"loss −ln p_{true} = {loss:.3f} nats")
        total.set_text(f"sum of the bars = {abs(g.sum()):.3f}")

    controls = {name: slider(f"logit z_{name}", -5.0, 5.0, 0.1, value)
                for name, value in zip(CLASSES, (cat, dog, fox, owl))}
    controls["true"] = choice("true class", CLASSES, true)
    return Panel(fig, update, controls, artists=[*p_bars, *p_text, *g_bars, *g_text, readout, total],
                 title="the softmax competition",
                 scenes={"all tied": {"cat": 0.0, "dog": 0.0, "fox": 0.0, "owl": 0.0, "true": "cat"},
                         "confidently right": {"cat": 4.0, "dog": 0.0, "fox": 0.0, "owl": -1.0, "true": "cat"},
                         "confidently wrong": {"cat": -1.0, "dog": 4.0, "fox": 0.0, "owl": 0.0, "true": "cat"},
                         "two close rivals": {"cat": 2.0, "dog": 1.8, "fox": -1.0, "owl": -2.0, "true": "cat"}})


def sgd_stepper(step: int = 0, lr: float = 0.5, *, n: int = 30, steps: int = 90, seed: int = 0) -> Panel:
    """Logistic regression trained by SGD on 1-D data, one example per step, for a few learning rates.

    Question it answers: what does one update ``w ← w − η(p − y)x`` do to the
    probability curve, and what happens to the loss when η is too small or too large?
    Every step is computed once, here; the slider only looks them up.
    """
    X, y = sgd_data(n)
    traces = {rate: sgd_trace(X, y, lr=rate, steps=steps, seed=seed) for rate in SGD_RATES}
    best = LogisticRegression(1)
    best_loss = best.fit(X, y, lr=4.0, steps=150).loss[-1]  # converged: the loss agrees with 400 steps at η = 2 to 1e-14
    xs = np.linspace(-3.5, 3.5, 200)
    curves = {rate: sigmoid(np.outer(tr.w[:, 0], xs) + tr.b[:, None]) for rate, tr in traces.items()}
    jitter = np.random.default_rng(0).uniform(-0.03, 0.03, len(X))
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.5, 4.3))
        for label, colour in ((0, COLORS["vermillion"]), (1, COLORS["blue"])):
            mask = y == label
            left.plot(X[mask, 0], y[mask] + jitter[mask], "o", ms=7, alpha=0.6, color=colour, label=f"examples with y = {label}")
        left.plot(xs, best.predict_proba(xs[:, None]), color=COLORS["grey"], ls=":", label="best fit (full batch)")
        (curve,) = left.plot(xs, curves[lr][step], color=COLORS["green"], lw=3, label="current p = σ(wx + b)")
        (ring,) = left.plot([], [], "o", ms=16, mfc="none", mec=COLORS["black"], mew=2.2, zorder=5)
        (arrow,) = left.plot([], [], color=COLORS["black"], lw=2.2)
        left.set_xlim(-3.5, 3.5)
        left.set_ylim(-0.42, 1.58)  # bands above and below the data for the readout and the legend
        left.set_yticks([0, 0.5, 1])
        left.set_xlabel("feature x")
        left.set_ylabel("P(y = 1 | x)")
        left.set_title("Each step nudges the curve toward one example")
        left.legend(loc="lower center", ncol=2, fontsize=10)
        readout = left.text(0.02, 0.975, "", transform=left.transAxes, ha="left", va="top",
                            family="monospace", fontsize=10, bbox=READOUT_BOX)

        right.axhline(math.log(2), color=COLORS["grey"], ls="--", lw=1.5, label=f"start: ln 2 = {math.log(2):.3f}")
        right.axhline(best_loss, color=COLORS["grey"], ls=":", lw=2, label=f"best possible = {best_loss:.3f}")
        right.legend(loc="upper right", fontsize=10)
        (history,) = right.plot([], [], color=COLORS["green"], lw=2.2)
        (now,) = right.plot([], [], "o", color=COLORS["green"])
        right.set_xlim(0, steps)
        right.set_xlabel("SGD step (one example each)")
        right.set_ylabel("mean loss on all examples (nats)")
        right.set_title("")
        state = {"lr": None}

    def update(step, lr):
        tr = traces[lr]
        curve.set_ydata(curves[lr][step])
        history.set_data(np.arange(step + 1), tr.loss[: step + 1])
        now.set_data([step], [tr.loss[step]])
        w, b = tr.w[step, 0], tr.b[step]
        text = f"η = {lr:g}   step {step:>2}:  w = {w:+6.2f}, b = {b:+5.2f}"
        if step < steps:
            i = tr.index[step]
            xi, yi, pi, e = X[i, 0], y[i], tr.p[step], tr.error[step]
            ring.set_data([xi], [yi + jitter[i]])
            arrow.set_data([xi, xi], [pi, yi + jitter[i]])
            text += (f"\nnext example: x = {xi:+.2f}, y = {yi}, p = {pi:.2f}"
                     f"\np − y = {e:+.2f}  →  Δw = −η(p − y)x = {-lr * e * xi:+.2f}")
        else:
            ring.set_data([], [])
            arrow.set_data([], [])
            text += "\n(last step: move the slider back)\n"
        readout.set_text(text)
        if state["lr"] != lr:  # a new learning rate can need a new loss scale: redraw the static part once
            state["lr"] = lr
            top = max(1.0, float(tr.loss.max()) * 1.35)  # headroom for the legend
            right.set_ylim(0, top)
            right.set_title(f"Loss on all {len(X)} examples, η = {lr:g}", fontsize=13)  # outside style(): size it here
            return True
        return False

    controls = {"step": int_slider("SGD step", 0, steps, step),
                "lr": choice("learning rate η", SGD_RATES, lr)}
    return Panel(fig, update, controls, artists=[curve, ring, arrow, readout, history, now],
                 title="logistic regression, one SGD step at a time",
                 scenes={"start (p = 0.5 everywhere)": {"step": 0, "lr": 0.5},
                         "after one pass, η = 0.5": {"step": n, "lr": 0.5},
                         "η too small": {"step": steps, "lr": 0.05},
                         "η too large": {"step": steps, "lr": 8.0}})


def gibbs_temperature(T: float = 1.0) -> Panel:
    """Softmax of logits z = −E as the Gibbs distribution of four energy levels at temperature T.

    Question it answers: what does the temperature do to the distribution,
    and where does all the probability go as T → 0 or T → ∞?
    """
    temps = np.logspace(-1.5, 1.5, 300)
    ent = entropy(softmax(-ENERGIES[None, :] / temps[:, None]))  # one row per temperature
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.5, 4.3))
        bars = left.barh(ENERGIES, np.zeros(len(ENERGIES)), height=0.32, color=COLORS["blue"])
        left.set_yticks(ENERGIES, [f"{c}: E = {e:g}" for c, e in zip(CLASSES, ENERGIES)])
        bar_text = [left.text(0, e, "", va="center", ha="left", fontsize=12) for e in ENERGIES]
        left.set_xlim(0, 1.18)
        left.set_ylim(-0.45, 3.45)
        left.set_xlabel("occupation probability p_k")
        left.set_ylabel("energy E = −logit")
        left.set_title("Gibbs: p_k ∝ exp(−E_k / T)")
        readout = left.text(0.98, 0.97, "", transform=left.transAxes, ha="right", va="top",
                            family="monospace", fontsize=11, bbox=READOUT_BOX)

        right.plot(temps, ent, color=COLORS["blue"], label="entropy H(p)")
        right.axhline(math.log(len(ENERGIES)), color=COLORS["grey"], ls="--", label="ln 4: uniform")
        (marker,) = right.plot([], [], "o", color=COLORS["vermillion"], zorder=4)
        right.set_xscale("log")
        right.set_xlim(temps[0], temps[-1])
        right.set_ylim(0, 1.55)
        right.set_xlabel("temperature T (log scale)")
        right.set_ylabel("entropy (nats)")
        right.set_title("Cold: one state wins. Hot: all equal")
        right.legend(loc="upper left", fontsize=10)

    def update(T):
        p = softmax(-ENERGIES, temperature=T)
        for bar, text, pk, e in zip(bars, bar_text, p, ENERGIES):
            bar.set_width(pk)
            text.set_position((pk + 0.01, e))
            text.set_text(f"{pk:.3f}")
        h = float(entropy(p))
        marker.set_data([T], [h])
        free = f"{float(energy_score(-ENERGIES, temperature=T)):+.3f}".replace("-0.000", "0.000")
        readout.set_text(f"T = {T:.2f}\nH = {h:.3f} nats\nF = −T ln Z = {free}")

    controls = {"T": log_slider("temperature T", -1.5, 1.5, 0.01, T, fmt=".3g")}
    return Panel(fig, update, controls, artists=[*bars, *bar_text, readout, marker],
                 title="softmax as a Gibbs distribution",
                 scenes={"frozen (T = 0.05)": {"T": 0.05}, "plain softmax (T = 1)": {"T": 1.0},
                         "hot (T = 20)": {"T": 20.0}})


def overflow_figure() -> StaticFigure:
    """The loss −ln p of a class whose logit trails the leader by ``a``, computed three ways, for a up to 1000.

    The naive routes return inf once float64 gives up (``exp`` overflows past
    709.78; ``e^(−a)`` rounds to 0 past 745.13); log-sum-exp gives ``a``
    (up to ln(1 + e^(−a))) all the way.
    """
    gaps = np.linspace(0, 1000, 2001)
    pairs = np.stack([gaps, np.zeros_like(gaps)], axis=1)  # one row of logits [a, 0] per gap
    stable = -log_softmax(pairs)[:, 1]
    raw = -naive_log_softmax(pairs)[:, 1]
    shifted = -naive_log_softmax(pairs, shift=True)[:, 1]
    overflow = math.log(np.finfo(np.float64).max)
    with style():
        fig, ax = new_figure(figsize=(10.0, 4.4))
        ax.plot(gaps, stable, color=COLORS["blue"], lw=5, alpha=0.5, label="log_softmax (log-sum-exp)")
        for values, colour, ls, label in ((shifted, COLORS["orange"], "--", "log(softmax(z)), softmax shifted by max"),
                                          (raw, COLORS["vermillion"], ":", "log(exp(z) / sum exp(z))")):
            finite = np.isfinite(values)
            ax.plot(gaps[finite], values[finite], color=colour, ls=ls, lw=2.5, label=label)
            last = gaps[finite][-1]
            ax.plot([last], [values[finite][-1]], "X", color=colour, ms=13, zorder=5)
        ax.axvline(overflow, color=COLORS["vermillion"], lw=1, alpha=0.6)
        ax.text(overflow - 8, 460, f"exp(a) = inf:\nthe naive route\nstops at a = {overflow:.1f}", ha="right", va="top",
                fontsize=11, color=COLORS["vermillion"])
        tiny = math.log(2) - math.log(np.nextafter(0.0, 1.0))  # below half the smallest subnormal, exp rounds to 0
        ax.axvline(tiny, color=COLORS["orange"], lw=1, alpha=0.8)
        ax.text(tiny + 8, 460, f"e^(−a) rounds to 0:\nlog(softmax) stops\nat a ≈ {tiny:.0f}", ha="left", va="top",
                fontsize=11, color=COLORS["orange"])
        ax.set_xlim(0, 1000)
        ax.set_ylim(0, 1050)
        ax.set_xlabel("logit gap a  (logits z = [a, 0], true class is the second)")
        ax.set_ylabel("loss −ln p (nats)")
        ax.set_title("Naive log(softmax) gives up near a = 710; log-sum-exp never does")
        ax.legend(loc="lower right", fontsize=10)
    return StaticFigure(fig, "naive versus stable log-softmax")


def finite_difference_error() -> StaticFigure:
    """Error of the central difference for d CE / dz against the exact p − onehot, as the step ε shrinks.

    Truncation error falls like ε², rounding error grows like 1/ε: the best
    step in float64 is in between, near 1e-6 to 1e-5.
    """
    z = np.array([[1.5, -0.5, 0.3]])
    labels = [0]
    exact = softmax(z)[0] - np.array([1.0, 0.0, 0.0])
    eps = np.logspace(-13, -1, 37)
    errors = np.array([np.max(np.abs(numerical_grad(lambda v: softmax_cross_entropy(v, labels), z, eps=e)[0] - exact))
                       for e in eps])
    with style():
        fig, ax = new_figure(figsize=(9.0, 4.4))
        ax.loglog(eps, errors, "o-", color=COLORS["blue"], ms=5, label="|central difference − exact|")
        ax.loglog(eps, 2e-17 / eps, color=COLORS["vermillion"], ls="--", lw=1.5, label="rounding ∝ 1/ε")
        ax.loglog(eps, 0.05 * eps**2, color=COLORS["orange"], ls="--", lw=1.5, label="truncation ∝ ε²")
        ax.axvline(1e-6, color=COLORS["grey"], ls=":", lw=1.5)
        ax.text(1.3e-6, 1e-2, "default ε = 1e-6", fontsize=11, color=COLORS["grey"])
        ax.set_ylim(1e-13, 1e-1)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("finite-difference step ε (log scale)")
        ax.set_ylabel("largest error in ∂L/∂z")
        ax.set_title("A gradient check needs a middle-sized ε: too big truncates, too small rounds")
        ax.legend(loc="lower left", fontsize=10)
    return StaticFigure(fig, "finite-difference error against step size")
