r"""Figures of notebook 03: squared error against cross-entropy.

* the logit gradients, :math:`p - y` for cross-entropy against
  :math:`2(p - y)\,p(1 - p)` for squared error on the sigmoid
  (:func:`loss_and_gradient`);
* a training race from a saturated, confidently wrong start
  (:func:`training_race`, replaying :func:`~xentlib.lessons.mse_vs_ce.experiments.race`);
* cross-entropy is convex in the weight with a bounded curvature, squared
  error on a sigmoid is not (:func:`weight_landscape`, from :mod:`xentlib.landscape`);
* hinge loss stops at margin 1, log loss keeps pushing (:func:`hinge_vs_log_loss`);
* soft labels and label smoothing (:func:`soft_labels`, with
  :func:`xentlib.losses.smoothed_target`).

"Squared error" is :func:`xentlib.sigmoid_mse_loss`, :math:`(\sigma(z) - y)^2`
with **no** ½ in front; where the textbook ½ convention is quoted it is
always said so.
"""

from __future__ import annotations

import math

import numpy as np

from ...drawing import COLORS, READOUT_BOX, Panel, StaticFigure, choice, int_slider, new_figure, slider, style
from ...information import entropy
from ...landscape import curvature_along_weight, lipschitz_constant, loss_along_weight
from ...links import logit, sigmoid
from ...losses import (
    LOSSES,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    hinge_loss,
    hinge_loss_grad,
    sigmoid_mse_loss,
    sigmoid_mse_loss_grad,
    smoothed_target,
    zero_one_loss,
)
from .experiments import RACE_STARTS, RACE_STEPS, race, race_data

__all__ = ["loss_and_gradient", "training_race", "weight_landscape", "hinge_vs_log_loss", "soft_labels"]

_CE, _MSE = "cross-entropy", "squared error"
_LINE = {_CE: COLORS["blue"], _MSE: COLORS["orange"]}


# --------------------------------------------------------------------------- figure (a): loss and gradient vs logit

def loss_and_gradient(p: float = 0.99, y: int = 0) -> Panel:
    r"""Both losses and their logit gradients as functions of the logit, with a marker at :math:`z = \operatorname{logit}(p)`.

    Question it answers: when the model is confidently wrong, which loss still
    tells it, loudly, to change its mind?
    """
    zs = np.linspace(-8, 8, 400)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(11.0, 5.0))
        (ce_curve,) = left.plot(zs, zs * 0, color=_LINE[_CE], label="log loss (nats)")
        (mse_curve,) = left.plot(zs, zs * 0, color=_LINE[_MSE], label="squared error $(\\sigma(z) - y)^2$")
        left.set_xlim(-8, 8)
        left.set_ylim(0, 5.2)
        left.set_xlabel("logit z")
        left.set_ylabel("loss on this example")
        left.set_title("Log loss grows without bound;\nsquared error stops at 1")
        left.legend(loc="upper center", fontsize=10)
        (ce_dot,) = left.plot([], [], "o", color=_LINE[_CE], zorder=3)
        (mse_dot,) = left.plot([], [], "o", color=_LINE[_MSE], zorder=3)
        right.axhline(0, color=COLORS["grey"], lw=1)
        (ce_grad,) = right.plot(zs, zs * 0, color=_LINE[_CE], label="cross-entropy: $p - y$")
        (mse_grad,) = right.plot(zs, zs * 0, color=_LINE[_MSE], label="squared error: $2(p-y)\\,p(1-p)$")
        (half_grad,) = right.plot(zs, zs * 0, color=_LINE[_MSE], lw=1.3, ls="--", label="with the textbook ½: $(p-y)\\,p(1-p)$")
        right.set_xlim(-8, 8)
        right.set_ylim(-1.1, 1.1)
        right.set_xlabel("logit z")
        right.set_ylabel("gradient $d\\ell/dz$")
        right.set_title("Confidently wrong: cross-entropy pushes with ≈ 1,\nsquared error with ≈ 0")
        grad_legend = right.legend(loc="lower right", fontsize=10)
        (ce_gdot,) = right.plot([], [], "o", color=_LINE[_CE], zorder=3)
        (mse_gdot,) = right.plot([], [], "o", color=_LINE[_MSE], zorder=3)
        # below both panels; supxlabel so the layout keeps room for it (placeholder sets the height)
        readout = fig.supxlabel("readout\nreadout", fontsize=12, family="monospace")
    drawn_for = {}  # the label the static curves currently show

    def update(p, y):
        z = float(logit(p))
        new_label = drawn_for.get("y") != y
        if new_label:  # the curves are static for one label: redraw them only when the label changes
            drawn_for["y"] = y
            grad_legend.set_loc("lower right" if y == 0 else "upper left")  # the empty corner of the plot
            labels = np.full_like(zs, y, dtype=float)
            ce_curve.set_ydata(binary_cross_entropy_with_logits(zs, labels, reduction="none"))
            mse_curve.set_ydata(sigmoid_mse_loss(zs, labels, reduction="none"))
            g_mse = sigmoid_mse_loss_grad(zs, labels, reduction="none")
            ce_grad.set_ydata(binary_cross_entropy_with_logits_grad(zs, labels, reduction="none"))
            mse_grad.set_ydata(g_mse)
            half_grad.set_ydata(0.5 * g_mse)  # the ½ convention only halves the gradient
        ce, mse = float(binary_cross_entropy_with_logits(z, float(y))), float(sigmoid_mse_loss(z, float(y)))
        gce, gmse = float(binary_cross_entropy_with_logits_grad(z, float(y))), float(sigmoid_mse_loss_grad(z, float(y)))
        ce_dot.set_data([z], [min(ce, 5.1)])
        mse_dot.set_data([z], [mse])
        ce_gdot.set_data([z], [gce])
        mse_gdot.set_data([z], [gmse])
        readout.set_text(f"p = {p:.3f}, y = {y}, z = {z:+.2f}    log loss = {ce:.3f} nats, dL/dz = {gce:+.3f}\n"
                         f"squared error = {mse:.3f}, dL/dz = {gmse:+.4f}  (textbook ½ version: {gmse / 2:+.4f})")
        return new_label

    controls = {"p": slider("model's p = P(y = 1)", 0.001, 0.999, 0.001, p, fmt=".3f"),
                "y": choice("true label y", [0, 1], y)}
    return Panel(fig, update, controls,
                 artists=[ce_dot, mse_dot, ce_gdot, mse_gdot, readout],
                 title="loss and logit gradient, cross-entropy vs squared error",
                 scenes={"confidently wrong (p = 0.99, y = 0)": {"p": 0.99, "y": 0},
                         "hesitant (p = 0.45, y = 1)": {"p": 0.45, "y": 1},
                         "right (p = 0.95, y = 1)": {"p": 0.95, "y": 1}})


# --------------------------------------------------------------------------- figure (b): the training race

def training_race(step: int = 0, w0: float = -5.0) -> Panel:
    r"""Gradient descent on cross-entropy and on squared error, from the same confidently wrong start.

    Precomputed by :func:`~xentlib.lessons.mse_vs_ce.experiments.race` for every start in
    :data:`~xentlib.lessons.mse_vs_ce.experiments.RACE_STARTS`; the
    step slider only moves through stored trajectories.  Question it answers:
    with the same data, model, start and learning rate, why does one loss
    recover in a few steps while the other stalls?
    """
    X, y = race_data()
    x = X[:, 0]
    races = {start: race(start) for start in RACE_STARTS}
    steps = np.arange(RACE_STEPS + 1)
    xs = np.linspace(-3.5, 3.5, 200)
    curves = {start: {name: sigmoid(r.params[name][:, :1] * xs + r.params[name][:, 1:2]) for name in LOSSES}
              for start, r in races.items()}
    top = max(float(r.log_loss[name].max()) for r in races.values() for name in LOSSES)
    norms = [r.grad_norm[name] for r in races.values() for name in LOSSES]
    with style():
        fig, axes = new_figure(2, 2, figsize=(11.5, 5.9))
        loss_ax, grad_ax = axes[0, 0], axes[1, 0]
        grid = axes[0, 1].get_gridspec()
        for ax in axes[:, 1]:
            ax.remove()
        prob_ax = fig.add_subplot(grid[:, 1])
        loss_lines, grad_lines, loss_dots, grad_dots, prob_lines = {}, {}, {}, {}, {}
        for name in LOSSES:
            label = f"trained on {name}"
            (loss_lines[name],) = loss_ax.plot(steps, steps * 0.0, color=_LINE[name], label=label)
            (grad_lines[name],) = grad_ax.plot(steps, steps * 0.0 + 1, color=_LINE[name])
            (loss_dots[name],) = loss_ax.plot([], [], "o", color=_LINE[name], zorder=3)
            (grad_dots[name],) = grad_ax.plot([], [], "o", color=_LINE[name], zorder=3)
            (prob_lines[name],) = prob_ax.plot(xs, xs * 0, color=_LINE[name], lw=2.8)
        loss_ax.set_xlim(0, RACE_STEPS)
        loss_ax.set_ylim(0, top * 1.05)
        loss_ax.set_ylabel("log loss (nats)")
        loss_ax.set_title("Same start, same learning rate:\nsquared error stalls on the plateau")
        grad_ax.set_yscale("log")
        grad_ax.set_xlim(0, RACE_STEPS)
        grad_ax.set_ylim(1e-4, max(float(n.max()) for n in norms) * 3)  # below 1e-4 the model has converged
        grad_ax.set_xlabel("gradient-descent step")
        grad_ax.set_ylabel("|gradient| (log scale)")
        grad_ax.set_title("...because the squared-error gradient is tiny there")
        prob_ax.plot(xs, sigmoid(2 * xs), color=COLORS["grey"], ls=":", lw=2, label="truth $\\sigma(2x)$")
        jitter = np.random.default_rng(0).uniform(-0.03, 0.03, len(x))
        for label_value, colour in ((0, COLORS["vermillion"]), (1, COLORS["green"])):
            mine = y == label_value
            prob_ax.scatter(x[mine], y[mine] + jitter[mine], s=22, color=colour, alpha=0.7, zorder=2,
                            label=f"data, y = {label_value}")
        prob_ax.set_xlim(-3.5, 3.5)
        prob_ax.set_ylim(-0.08, 1.45)
        prob_ax.set_xlabel("feature x")
        prob_ax.set_ylabel("model's P(y = 1 | x)")
        prob_ax.set_title("The two models' predictions at this step")
        fig.legend(loc="outside upper center", ncol=5, fontsize=11)  # one legend for all three panels
        readout = prob_ax.text(0.02, 0.98, "", transform=prob_ax.transAxes, ha="left", va="top", fontsize=11,
                               family="monospace", bbox=READOUT_BOX)

    def update(step, w0):
        r, c = races[w0], curves[w0]
        for name in LOSSES:  # animated too, so switching the start needs no full redraw
            loss_lines[name].set_ydata(r.log_loss[name])
            grad_lines[name].set_ydata(r.grad_norm[name])
        lines = [f"step {step:3d}    log loss     w      b"]
        for name in LOSSES:
            loss_dots[name].set_data([step], [r.log_loss[name][step]])
            grad_dots[name].set_data([step], [r.grad_norm[name][step]])
            prob_lines[name].set_ydata(c[name][step])
            w, b = r.params[name][step]
            short = "CE-trained " if name == _CE else "MSE-trained"
            lines.append(f"{short} {r.log_loss[name][step]:7.3f}  {w:+6.2f} {b:+6.2f}")
        readout.set_text("\n".join(lines))

    controls = {"step": int_slider("step", 0, RACE_STEPS, step),
                "w0": choice("starting weight w₀", list(RACE_STARTS), w0)}
    return Panel(fig, update, controls,
                 artists=[*loss_lines.values(), *grad_lines.values(), *loss_dots.values(), *grad_dots.values(),
                          *prob_lines.values(), readout],
                 title="training race from a saturated start, cross-entropy vs squared error",
                 scenes={"start (w₀ = −5)": {"step": 0, "w0": -5.0},
                         "CE has recovered (step 15)": {"step": 15, "w0": -5.0},
                         "MSE escapes (step 150)": {"step": 150, "w0": -5.0},
                         "stuck (w₀ = −8, step 200)": {"step": 200, "w0": -8.0}})


# --------------------------------------------------------------------------- static: the landscape in the weight

def weight_landscape() -> StaticFigure:
    r"""Mean loss and its curvature along the weight of :math:`p = \sigma(w x)` on the race's data (no bias).

    Question it answers: is the loss surface one smooth bowl, or does it have
    flat plateaus where gradient descent crawls?  The data are
    :func:`~xentlib.lessons.mse_vs_ce.experiments.race_data`.  Top: the losses; bottom:
    :math:`L''(w)` from :func:`xentlib.landscape.curvature_along_weight`, with the bound
    :math:`\tfrac14 \overline{x^2}` that no cross-entropy curvature can exceed.
    """
    X, y = race_data()
    x = X[:, 0]
    ws = np.linspace(-10, 10, 801)
    bound = lipschitz_constant(X, bias=False)
    curvatures = {name: curvature_along_weight(ws, x, y, loss=name) for name in LOSSES}
    low = min(float(c.min()) for c in curvatures.values())
    with style():
        fig, axes = new_figure(2, 2, figsize=(11.0, 6.4))
        for col, name in enumerate(LOSSES):
            top, bottom = axes[0, col], axes[1, col]
            loss, curv = loss_along_weight(ws, x, y, loss=name), curvatures[name]
            top.plot(ws, loss, color=_LINE[name])
            best = int(np.argmin(loss))
            top.plot([ws[best]], [loss[best]], "*", color=COLORS["black"], ms=14, label=f"minimum, w = {ws[best]:.2f}")
            top.set_ylabel("log loss (nats)" if name == _CE else "squared error")
            top.set_xlim(-10, 10)
            top.legend(loc="upper right", fontsize=10)
            bottom.axhline(0, color=COLORS["grey"], lw=1)
            bottom.axhline(bound, color=COLORS["green"], ls="--", lw=1.6, label="CE bound $\\frac{1}{4}\\,\\overline{x^2}$")
            bottom.fill_between(ws, curv, 0, where=curv < 0, color=COLORS["vermillion"], alpha=0.35,
                                label="negative: not convex" if name == _MSE else None)
            bottom.plot(ws, curv, color=_LINE[name])
            bottom.set_xlabel("weight w")
            bottom.set_ylabel("curvature $L''(w)$")
            bottom.set_ylim(low * 1.15 - 0.02, bound * 1.4)  # the same scale on both sides
            bottom.set_xlim(-10, 10)
            bottom.legend(loc="upper left" if name == _CE else "upper right", fontsize=10)
        axes[0, 1].annotate("plateau: almost no slope", xy=(-7.0, float(np.interp(-7.0, ws, loss_along_weight(ws, x, y, loss=_MSE)))),
                            xytext=(-8.5, 0.45), fontsize=11, arrowprops=dict(arrowstyle="->", color=COLORS["black"]))
        axes[0, 0].set_title("Cross-entropy: one convex valley,\nsteep wherever the model is wrong")
        axes[0, 1].set_title("Squared error on a sigmoid: a flat plateau\nwhere the model is confidently wrong")
    return StaticFigure(fig, "loss and curvature along the weight, cross-entropy vs squared error")


# --------------------------------------------------------------------------- figure (c): hinge vs log loss

#: Units for the log loss in :func:`hinge_vs_log_loss`: nats, or bits (which touch the hinge at margin 0).
_LOG_UNITS = {"nats": 1.0, "bits": 1 / math.log(2)}


def hinge_vs_log_loss(margin: float = 2.0, unit: str = "nats") -> Panel:
    r"""Hinge, log and 0-1 loss against the margin :math:`m = (2y - 1)\,z`, with how hard each still pushes.

    The push is :math:`-\partial\ell/\partial m`: 1 for the hinge until
    :math:`m = 1` and then exactly 0; :math:`\sigma(-m)` (over :math:`\ln 2` in bits)
    for the log loss, smaller and smaller but never 0.  Question it answers:
    once an example is classified right with room to spare, does the loss
    still care about it?
    """
    ms = np.linspace(-3, 6, 500)
    ones = np.ones_like(ms)
    hinge, hinge_push = hinge_loss(ms, ones, reduction="none"), -hinge_loss_grad(ms, ones, reduction="none")
    log_nats = binary_cross_entropy_with_logits(ms, ones, reduction="none")  # = ln(1 + e^{-m})
    log_push_nats = -binary_cross_entropy_with_logits_grad(ms, ones, reduction="none")  # = sigma(-m)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(11.0, 4.6))
        left.plot(ms, zero_one_loss(ms, ones, reduction="none"), color=COLORS["grey"], lw=1.8, ls=":", label="0-1 loss")
        left.plot(ms, hinge, color=COLORS["purple"], label="hinge $\\max(0, 1 - m)$")
        (log_curve,) = left.plot(ms, log_nats, color=_LINE[_CE], label="log loss $\\log(1 + e^{-m})$")
        left.axvline(1, color=COLORS["purple"], lw=1, ls="--")
        left.set_xlim(-3, 6)
        left.set_ylim(-0.1, 4.5)
        left.set_xlabel("margin m = (2y − 1) z   (> 0: classified right)")
        left.set_ylabel("loss")
        left.set_title("Hinge is satisfied at margin 1;\nlog loss never quite is")
        left.legend(loc="upper right", fontsize=10)
        right.plot(ms, hinge_push, color=COLORS["purple"], label="hinge")
        (log_push,) = right.plot(ms, log_push_nats, color=_LINE[_CE], label="log loss")
        right.axvline(1, color=COLORS["purple"], lw=1, ls="--")
        right.set_xlim(-3, 6)
        right.set_ylim(-0.06, 1.55)
        right.set_xlabel("margin m")
        right.set_ylabel("push  $-d\\ell/dm$")
        right.set_title("Beyond margin 1 the hinge stops pushing;\nlog loss keeps a small push forever")
        right.legend(loc="upper right", fontsize=10)
        dots = {key: ax.plot([], [], "o", color=colour, zorder=3)[0]
                for key, ax, colour in (("hinge", left, COLORS["purple"]), ("log", left, _LINE[_CE]),
                                        ("hinge_push", right, COLORS["purple"]), ("log_push", right, _LINE[_CE]))}
        readout = fig.supxlabel("readout\nreadout", fontsize=12, family="monospace")
    shown = {}  # the unit the log-loss curves are drawn in

    def update(margin, unit):
        scale = _LOG_UNITS[unit]
        rescaled = shown.get("unit") != unit
        if rescaled:  # a new unit rescales the log-loss curves: static until the unit changes again
            shown["unit"] = unit
            log_curve.set_ydata(log_nats * scale)
            log_push.set_ydata(log_push_nats * scale)
            log_curve.set_label(f"log loss in {unit}")
            left.legend(loc="upper right", fontsize=10)
        m = float(margin)
        h, hp = float(hinge_loss(m, 1.0)), -float(hinge_loss_grad(m, 1.0)) + 0.0  # + 0.0 turns -0.0 into 0.0
        lg = float(binary_cross_entropy_with_logits(m, 1.0)) * scale
        lp = -float(binary_cross_entropy_with_logits_grad(m, 1.0)) * scale
        dots["hinge"].set_data([margin], [h])
        dots["log"].set_data([margin], [lg])
        dots["hinge_push"].set_data([margin], [hp])
        dots["log_push"].set_data([margin], [lp])
        readout.set_text(f"margin m = {margin:+.2f}\n"
                         f"hinge: loss {h:.4f}, push {hp:.4f}    log loss: {lg:.4f} {unit}, push {lp:.4f}")
        return rescaled

    controls = {"margin": slider("margin m", -3.0, 6.0, 0.05, margin),
                "unit": choice("log loss in", list(_LOG_UNITS), unit)}
    return Panel(fig, update, controls, artists=[*dots.values(), readout],
                 title="hinge loss vs log loss against the margin",
                 scenes={"misclassified (m = −1.5)": {"margin": -1.5},
                         "right but inside the margin (m = 0.5)": {"margin": 0.5},
                         "safely right (m = 3)": {"margin": 3.0},
                         "very safely right (m = 6)": {"margin": 6.0}})


# --------------------------------------------------------------------------- figure (d): soft labels

def soft_labels(target: float = 1.0, eps: float = 0.2, z: float = 5.0) -> Panel:
    r"""Binary cross-entropy against the logit for a soft or label-smoothed target :math:`t`.

    The smoothed target is :math:`t = y(1-\varepsilon) + \varepsilon/2` (:func:`xentlib.losses.smoothed_target`).
    The loss :math:`\ell(z) = -t \ln\sigma(z) - (1-t)\ln(1-\sigma(z))` is smallest at
    :math:`z^* = \operatorname{logit}(t)`, where it equals the entropy :math:`H(t)`,
    and its gradient :math:`\sigma(z) - t` tends to :math:`1 - t` as :math:`p \to 1`.
    Question it answers: where does a soft target ask the logit to stop, and
    what happens if the model goes past it?
    """
    zs = np.linspace(-8, 8, 400)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(11.0, 4.8))
        (loss_curve,) = left.plot(zs, zs * 0, color=_LINE[_CE], label="BCE $\\ell(z)$")
        floor = left.axhline(0, color=COLORS["green"], ls="--", lw=1.6, label="entropy H(t): the floor")
        (best_line,) = left.plot([], [], color=COLORS["black"], ls=":", lw=1.5)
        (best_dot,) = left.plot([], [], "*", color=COLORS["black"], ms=15, zorder=4, label="minimum at z* = logit(t)")
        (here,) = left.plot([], [], "o", color=COLORS["vermillion"], zorder=4, label="your logit z")
        left.set_xlim(-8, 8)
        left.set_ylim(0, 3.0)
        left.set_xlabel("logit z")
        left.set_ylabel("loss (nats)")
        left.set_title("A soft target t is met at a finite logit;\nthe loss there is H(t), not 0")
        right.axhline(0, color=COLORS["grey"], lw=1)
        (grad_curve,) = right.plot(zs, zs * 0, color=_LINE[_CE], label="$d\\ell/dz = \\sigma(z) - t$")
        ceiling = right.axhline(0, color=COLORS["vermillion"], ls="--", lw=1.4, label="limit as p → 1:  1 − t")
        (grad_here,) = right.plot([], [], "o", color=COLORS["vermillion"], zorder=4)
        right.set_xlim(-8, 8)
        right.set_ylim(-1.05, 1.05)
        right.set_xlabel("logit z")
        right.set_ylabel("gradient $d\\ell/dz$")
        right.set_title("Past z*, a smoothed target pulls the logit back")
        # the curves are redrawn over the background each frame: keep the legend off the axes
        fig.legend(loc="outside upper center", ncol=3, fontsize=11)
        readout = fig.supxlabel("readout\nreadout", fontsize=12, family="monospace")

    def update(target, eps, z):
        t = smoothed_target(target, eps)
        star = float(logit(t))
        # the curves move with the target, so they are animated artists: no full redraw
        ts = np.full_like(zs, t)
        loss_curve.set_ydata(binary_cross_entropy_with_logits(zs, ts, reduction="none"))
        grad_curve.set_ydata(binary_cross_entropy_with_logits_grad(zs, ts, reduction="none"))
        floor.set_ydata([float(entropy([t, 1 - t]))] * 2)
        ceiling.set_ydata([1 - t] * 2)
        if math.isfinite(star) and abs(star) <= 8:
            h = float(entropy([t, 1 - t]))
            best_dot.set_data([star], [h])
            best_line.set_data([star, star], [0, h])
        else:  # t = 0 or 1 (or nearly): the minimum is off the plot, at |z| -> infinity
            best_dot.set_data([], [])
            best_line.set_data([], [])
        loss_here = float(binary_cross_entropy_with_logits(z, t))
        grad = float(binary_cross_entropy_with_logits_grad(z, t))
        here.set_data([z], [min(loss_here, 2.95)])
        grad_here.set_data([z], [grad])
        where = f"{star:+.3f}" if math.isfinite(star) else ("+inf" if star > 0 else "-inf")
        readout.set_text(f"label {target:.2f}, smoothing eps = {eps:.2f}  ->  target t = {t:.3f}   "
                         f"z* = logit(t) = {where}   H(t) = {float(entropy([t, 1 - t])):.3f} nats\n"
                         f"at z = {z:+.2f}:  p = {float(sigmoid(z)):.4f}   loss = {loss_here:.3f} nats   "
                         f"dL/dz = {grad:+.3f}")

    controls = {"target": slider("label y (hard 0/1 or soft)", 0.0, 1.0, 0.01, target),
                "eps": slider("label smoothing ε", 0.0, 0.5, 0.01, eps),
                "z": slider("your logit z", -8.0, 8.0, 0.05, z)}
    return Panel(fig, update, controls,
                 artists=[loss_curve, floor, best_line, best_dot, here, grad_curve, ceiling, grad_here, readout],
                 title="binary cross-entropy for a soft or smoothed target",
                 scenes={"hard label (y = 1, no smoothing)": {"target": 1.0, "eps": 0.0, "z": 5.0},
                         "smoothed to 0.9 (ε = 0.2)": {"target": 1.0, "eps": 0.2, "z": 5.0},
                         "soft label 0.8": {"target": 0.8, "eps": 0.0, "z": 0.0},
                         "annotators split (0.5)": {"target": 0.5, "eps": 0.0, "z": 2.0}})
