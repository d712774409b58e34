"""The figures of notebook 05: proper scoring rules, calibration, temperature scaling, prediction markets.

The data are two overlapping Gaussian classes (:func:`xentlib.datasets.two_gaussians`),
whose true probability :math:`P(y = 1 \\mid x) = \\sigma(2 x_1)` is known
(:func:`xentlib.datasets.true_probability`), so every model can be compared with
the truth.  The overconfident network is trained once per kernel
(:func:`xentlib.lessons.calibration.experiments.overconfident_run`, cached), and
the sliders only move through stored snapshots and precomputed curves.
"""

from __future__ import annotations

import numpy as np

from ...calibration import (
    excess_loss,
    expected_calibration_error,
    expected_loss,
    expected_market_profit,
    fit_temperature,
    market_payoff,
    temperature_nll,
    temperature_scale,
    temperature_sweep,
)
from ...datasets import true_probability
from ...drawing import (
    COLORS,
    Panel,
    StaticFigure,
    fixed_figure,
    int_slider,
    log_slider,
    new_figure,
    pixel_image,
    plane_grid,
    probability_cmap,
    readout,
    reliability_diagram,
    slider,
    style,
)
from ...links import sigmoid
from ...losses import binary_cross_entropy_with_logits
from .experiments import SEPARATION, overconfident_run

__all__ = ["scoring_rules", "overfitting", "reliability_comparison", "temperature_scaling", "prediction_market"]

_RULE_NAMES = {"zero-one": "0-1 loss", "log": "cross-entropy", "brier": "Brier score"}
_RULE_COLORS = {"zero-one": COLORS["orange"], "log": COLORS["blue"], "brier": COLORS["green"]}
_N_BINS = 10  # reliability-diagram bins in every figure
_BOX = 3.5  # the plane drawn in the training figure: [-_BOX, _BOX]^2
_RES = 81  # grid points per side of its probability surface


# --------------------------------------------------------------------------- drawing helpers

def _gauss(x, mean):
    return np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)


# --------------------------------------------------------------------------- interactive figures

def scoring_rules(x: float = 0.0, q: float = 0.5) -> Panel:
    r"""Expected 0-1 loss, cross-entropy and Brier score of a report ``q`` at a point ``x`` between two classes.

    Question it answers: at a point where the true probability of class 1 is
    :math:`p`, which report :math:`q` does each scoring rule like best?  On
    the boundary (:math:`p = 1/2`) the expected 0-1 loss is 0.5 whatever you
    say, while cross-entropy is lowest, :math:`\ln 2`, only for the honest
    :math:`q = 1/2`, and charges overconfidence more the further you go.
    """
    xs = np.linspace(-3.5, 3.5, 301)
    qs = np.linspace(0.001, 0.999, 400)
    rules = ("zero-one", "log", "brier")
    with style():
        fig = new_figure(figsize=(11.6, 5.0))[0]
        fig.clear()
        gs = fig.add_gridspec(2, 2, width_ratios=[1.0, 1.25], height_ratios=[1.0, 1.0])
        dens_ax = fig.add_subplot(gs[0, 0])
        post_ax = fig.add_subplot(gs[1, 0], sharex=dens_ax)
        right = fig.add_subplot(gs[:, 1])
        fig.suptitle("On the boundary 0-1 loss cannot tell an honest report from a reckless one; "
                     "cross-entropy can", fontsize=13)
        half = SEPARATION / 2
        dens_ax.fill_between(xs, 0.5 * _gauss(xs, -half), color=COLORS["blue"], alpha=0.35, label="class 0")
        dens_ax.fill_between(xs, 0.5 * _gauss(xs, half), color=COLORS["vermillion"], alpha=0.35, label="class 1")
        dens_ax.set_ylim(0, 0.24)
        dens_ax.set_ylabel("density × prior")
        dens_ax.set_title("two overlapping classes", fontsize=12)
        dens_ax.legend(loc="upper left", fontsize=10, frameon=False)
        dens_ax.tick_params(labelbottom=False)
        post_ax.plot(xs, true_probability(xs), color=COLORS["black"], lw=2)
        post_ax.set_ylim(-0.03, 1.03)
        post_ax.set_xlim(-3.5, 3.5)
        post_ax.set_xlabel("feature x (class means at −1 and +1)")
        post_ax.set_ylabel("true P(y = 1 | x)")
        where_d = dens_ax.axvline(0, color=COLORS["black"], lw=2, ls=":")
        where_p = post_ax.axvline(0, color=COLORS["black"], lw=2, ls=":")
        (dot_p,) = post_ax.plot([], [], "o", color=COLORS["black"], ms=9, zorder=3)
        curves, dots = {}, {}
        for rule in rules:
            (curves[rule],) = right.plot(qs, np.zeros_like(qs), color=_RULE_COLORS[rule], lw=2.6,
                                         label=f"expected {_RULE_NAMES[rule]}")
        truth = right.axvline(0.5, color=COLORS["black"], ls=":", lw=2, label="the truth, q = p")
        for rule in rules:
            (dots[rule],) = right.plot([], [], "o", color=_RULE_COLORS[rule], mec="black", ms=11, zorder=4)
        right.set_xlim(0, 1)
        right.set_ylim(0, 2.3)
        right.set_xlabel("your report q = P(y = 1)")
        right.set_ylabel("expected loss (nats for cross-entropy)")
        right.set_title("expected loss of each report at this x", fontsize=12)
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=10, frameon=False)
        box = readout(right, 0.5, 0.97, ha="center", size=10.5)

    def update(x, q):
        p = float(true_probability(x))
        for line in (where_d, where_p):
            line.set_xdata([x, x])
        dot_p.set_data([x], [p])
        truth.set_xdata([p, p])
        rows = []
        for rule in rules:
            curves[rule].set_ydata(expected_loss(qs, p, rule=rule))
            loss = float(expected_loss(q, p, rule=rule))
            dots[rule].set_data([q], [min(loss, 2.25)])
            rows.append((loss, float(excess_loss(q, p, rule=rule))))
        box.set_text(f"true p = {p:.3f}   your q = {q:.2f}\n"
                         f"          0-1    CE    Brier\n"
                         f"expected {rows[0][0]:.3f} {rows[1][0]:.3f} {rows[2][0]:.3f}\n"
                         f"excess   {rows[0][1]:.3f} {rows[1][1]:.3f} {rows[2][1]:.3f}")

    controls = {"x": slider("position x (feature units)", -2.5, 2.5, 0.05, x),
                "q": slider("your report q = P(y = 1)", 0.01, 0.99, 0.01, q)}
    scenes = {
        "boundary, honest (q = 0.5)": {"x": 0.0, "q": 0.5},
        "boundary, overconfident (q = 0.99)": {"x": 0.0, "q": 0.99},
        "x = 1, honest (q = 0.88)": {"x": 1.0, "q": 0.88},
        "x = 1, timid (q = 0.5)": {"x": 1.0, "q": 0.5},
    }
    return Panel(fig, update, controls,
                 artists=[where_d, where_p, dot_p, *curves.values(), truth, *dots.values(), box],
                 title="expected 0-1 loss, cross-entropy and Brier score of a report", scenes=scenes)


def overfitting(step: int = 800) -> Panel:
    r"""Replay the training of the overconfident network: its surface, its losses, its held-out reliability.

    Question it answers: as training goes on, the training loss keeps
    falling, so why does the held-out cross-entropy rise, and what does that
    look like on a reliability diagram?  Left, the network's :math:`P(y=1)`
    with the 60 training points; middle, training and held-out mean
    cross-entropy; right, the reliability diagram on the 2000 test points.
    """
    out = overconfident_run()
    data, run = out.data, out.run
    n_steps = int(run.steps[-1])
    grid = plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _RES)
    cmap = probability_cmap()
    # Every snapshot's surface, coloured once: a slider step only swaps the image.
    surfaces = [cmap(sigmoid(run.network(k).logits(grid)).reshape(_RES, _RES), bytes=True)
                for k in range(len(run.steps))]
    test_nll = np.array([binary_cross_entropy_with_logits(z, data.y_test) for z in out.test_logits])
    test_acc = np.array([np.mean((z > 0) == (data.y_test == 1)) for z in out.test_logits])
    test_ece = np.array([expected_calibration_error(sigmoid(z), data.y_test) for z in out.test_logits])
    bayes_nll = float(binary_cross_entropy_with_logits(SEPARATION * data.X_test[:, 0], data.y_test))
    with style():
        # a fixed layout: constrained layout would cost ~1 s on the first draw
        fig, gs = fixed_figure((13.0, 5.2), nrows=2, ncols=3, width_ratios=[1.0, 1.15, 1.0], height_ratios=[3.2, 1.0],
                               left=0.05, right=0.985, top=0.87, bottom=0.2, wspace=0.3, hspace=0.12)
        surf_ax = fig.add_subplot(gs[:, 0])
        loss_ax = fig.add_subplot(gs[:, 1])
        rel_ax = fig.add_subplot(gs[0, 2])
        count_ax = fig.add_subplot(gs[1, 2], sharex=rel_ax)
        fig.suptitle("Trained too long on too few points, the network becomes overconfident on new data",
                     fontsize=14)
        surface = pixel_image(surf_ax, surfaces[-1], (-_BOX, _BOX, -_BOX, _BOX))
        # Drawn over the (animated) surface, so they are animated too.
        on_top = [surf_ax.axvline(0, color=COLORS["black"], ls="--", lw=1.5)]
        for label, color, marker in ((0, COLORS["blue"], "o"), (1, COLORS["vermillion"], "s")):
            pts = data.X_train[data.y_train == label]
            on_top += surf_ax.plot(pts[:, 0], pts[:, 1], marker, ls="none", color=color, mec="black", ms=6,
                                   label=f"class {label}")
        surf_ax.set_xlim(-_BOX, _BOX)
        surf_ax.set_ylim(-_BOX, _BOX)
        surf_ax.set_aspect("equal")
        surf_ax.grid(False)
        surf_ax.set_xlabel("$x_1$ (informative)")
        surf_ax.set_ylabel("$x_2$ (pure noise)")
        surf_ax.set_title("network's P(y = 1); dashed: true boundary", fontsize=12)
        steps_all = np.arange(n_steps + 1)
        loss_ax.plot(steps_all, run.loss, color=COLORS["blue"], label="training set")
        loss_ax.plot(run.steps, test_nll, color=COLORS["vermillion"], label="held-out test set")
        loss_ax.axhline(bayes_nll, color=COLORS["green"], ls="--", lw=1.8, label="true probabilities (best possible)")
        (train_dot,) = loss_ax.plot([], [], "o", color=COLORS["blue"], mec="black", ms=10, zorder=4)
        (test_dot,) = loss_ax.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=10, zorder=4)
        step_line = loss_ax.axvline(0, color=COLORS["grey"], lw=1.5, ls=":")
        loss_ax.set_xlim(0, n_steps)
        loss_ax.set_ylim(0, max(1.6, float(test_nll.max()) * 1.45))
        loss_ax.set_xlabel("gradient step")
        loss_ax.set_ylabel("mean cross-entropy (nats)")
        loss_ax.set_title("training loss falls, held-out loss rises", fontsize=12)
        loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=10, frameon=False)
        box = readout(loss_ax, 0.03, 0.97)
        diagram = reliability_diagram(sigmoid(out.test_logits[-1]), data.y_test, n_bins=_N_BINS, ax=rel_ax,
                                      count_ax=count_ax, count_max=1.0)
        rel_ax.set_title("reliability on the test set", fontsize=12)
        rel_ax.tick_params(labelbottom=False)
        # Below the axes: early in training the bars reach every corner of the diagram.
        count_ax.legend(handles=[diagram.diagonal, diagram.gaps], loc="upper center", bbox_to_anchor=(0.5, -0.62),
                        ncol=1, fontsize=10, frameon=False)

    def update(step):
        k = int(np.searchsorted(run.steps, step))
        t = int(run.steps[k])
        surface.set_data(surfaces[k])
        train_dot.set_data([t], [run.loss[t]])
        test_dot.set_data([t], [test_nll[k]])
        step_line.set_xdata([t, t])
        diagram.update(sigmoid(out.test_logits[k]), data.y_test)
        box.set_text(f"training loss   {run.loss[t]:.3f}\n"
                         f"held-out loss   {test_nll[k]:.3f}\n"
                         f"held-out acc.   {test_acc[k]:.1%}\n"
                         f"held-out ECE    {test_ece[k]:.3f}")

    best = int(run.steps[np.argmin(test_nll)])
    controls = {"step": int_slider("training step (gradient steps)", 0, n_steps, int(step), step=int(run.steps[1]))}
    scenes = {"start": {"step": 0}, f"lowest held-out loss (step {best})": {"step": best},
              "end of training": {"step": n_steps}}
    return Panel(fig, update, controls,
                 artists=[surface, *on_top, train_dot, test_dot, step_line, *diagram.artists, box],
                 title="an overconfident network: training replay", scenes=scenes)


def temperature_scaling(temperature: float = 1.0) -> Panel:
    r"""Temperature scaling of the overconfident network: :math:`P(y=1) = \sigma(z / T)`.

    Question it answers: can one number, fitted on held-out data, repair the
    network's overconfidence, and what does it do to the reliability diagram,
    the held-out cross-entropy and the ECE?  (It cannot change a single
    prediction: dividing a logit by :math:`T > 0` keeps its sign.)
    """
    out = overconfident_run()
    data = out.data
    z_val, z_test = out.val_logits[-1], out.test_logits[-1]
    best_t = fit_temperature(z_val, data.y_val)
    ts = np.logspace(-0.6, 1.2, 181)
    val, test = temperature_sweep(z_val, data.y_val, ts), temperature_sweep(z_test, data.y_test, ts)
    accuracy = float(np.mean((z_test > 0) == (data.y_test == 1)))
    with style():
        # a fixed layout: constrained layout would cost ~1 s on the first draw
        fig, outer = fixed_figure((12.0, 5.4), nrows=1, ncols=2, width_ratios=[1.0, 1.15], left=0.075, right=0.985,
                                  top=0.87, bottom=0.11, wspace=0.28)
        left = outer[0].subgridspec(2, 1, height_ratios=[3.2, 1.0], hspace=0.08)
        right = outer[1].subgridspec(2, 1, hspace=0.08)
        rel_ax = fig.add_subplot(left[0])
        count_ax = fig.add_subplot(left[1], sharex=rel_ax)
        nll_ax = fig.add_subplot(right[0])
        ece_ax = fig.add_subplot(right[1], sharex=nll_ax)
        fig.suptitle("One temperature, fitted on validation data, repairs the overconfidence", fontsize=14)
        diagram = reliability_diagram(sigmoid(z_test), data.y_test, n_bins=_N_BINS, ax=rel_ax, count_ax=count_ax,
                                      count_max=1.0)
        rel_ax.set_title(rf"test set, $\sigma(z\,/\,T)$: accuracy {accuracy:.1%} at any T", fontsize=12)
        rel_ax.tick_params(labelbottom=False)
        rel_ax.legend(loc="upper left", fontsize=10, frameon=False)  # bars never reach the top left here
        box = readout(rel_ax, 0.03, 0.8, size=10.5)
        nll_ax.plot(ts, val.nll, color=COLORS["sky"], label="validation")
        nll_ax.plot(ts, test.nll, color=COLORS["blue"], label="test")
        ece_ax.plot(ts, test.ece, color=COLORS["purple"], label="test")
        for ax in (nll_ax, ece_ax):
            ax.set_xscale("log")
            ax.set_xticks([0.25, 0.5, 1, 2, 5, 10], labels=["0.25", "0.5", "1", "2", "5", "10"])
            ax.minorticks_off()
            ax.axvline(1.0, color=COLORS["grey"], lw=1.2)
            ax.axvline(best_t, color=COLORS["green"], lw=2, ls="--")
        nll_ax.text(best_t * 1.06, 0.97, f"fitted T* = {best_t:.2f}", transform=nll_ax.get_xaxis_transform(),
                    va="top", fontsize=10, color=COLORS["green"])
        nll_ax.text(1.06, 0.97, "as trained", transform=nll_ax.get_xaxis_transform(), va="top", fontsize=10,
                    color=COLORS["grey"])
        (nll_dot,) = nll_ax.plot([], [], "o", color=COLORS["orange"], mec="black", ms=10, zorder=4)
        (ece_dot,) = ece_ax.plot([], [], "o", color=COLORS["orange"], mec="black", ms=10, zorder=4)
        nll_ax.set_ylim(0, min(float(max(val.nll.max(), test.nll.max())) * 1.05, 3.0))
        ece_ax.set_ylim(0, float(test.ece.max()) * 1.1)
        nll_ax.set_ylabel("mean cross-entropy\n(nats)")
        ece_ax.set_ylabel("ECE")
        ece_ax.set_xlabel("temperature T (log scale)")
        nll_ax.tick_params(labelbottom=False)
        nll_ax.legend(loc="lower left", fontsize=10, frameon=False)
        nll_ax.set_title("held-out loss and calibration error against T", fontsize=12)

    def update(temperature):
        t = float(temperature)
        p = temperature_scale(z_test, t)
        diagram.update(p, data.y_test)
        nll = float(temperature_nll(z_test, data.y_test, t))
        ece = float(expected_calibration_error(p, data.y_test))
        nll_dot.set_data([t], [nll])
        ece_dot.set_data([t], [ece])
        box.set_text(f"test loss  {nll:.3f} nats\n"
                         f"test ECE   {ece:.3f}")

    controls = {"temperature": log_slider("temperature T (dimensionless)", -0.6, 1.2, 0.01, temperature, fmt=".2f")}
    scenes = {"as trained (T = 1)": {"temperature": 1.0},
              f"fitted (T* = {best_t:.2f})": {"temperature": round(best_t, 2)},
              "too cold (T = 0.5)": {"temperature": 0.5},
              "too hot (T = 15)": {"temperature": 15.0}}
    return Panel(fig, update, controls, artists=[*diagram.artists, nll_dot, ece_dot, box],
                 title="temperature scaling of an overconfident network", scenes=scenes)


def prediction_market(belief: float = 0.7, price: float = 0.5, report: float = 0.9) -> Panel:
    r"""A trade in a logarithmic prediction market: what you are paid, and what you expect to earn.

    Question it answers: if the market pays you the log score of the price
    you leave minus the log score of the price you found, what should you
    move the price to?  Left, your payoff if the event happens and if it
    does not; right, your expected profit (under your own belief) for every
    possible report, highest exactly at your belief.
    """
    rs = np.linspace(0.005, 0.995, 199)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(11.6, 4.8), gridspec_kw={"width_ratios": [0.8, 1.25]})
        fig.suptitle("Under the log scoring rule the best trade is an honest one", fontsize=14)
        bars = left.bar(["if yes", "if no", "expected\n(your belief)"], [0.0, 0.0, 0.0],
                        color=[COLORS["vermillion"], COLORS["blue"], COLORS["green"]], edgecolor="black")
        left.axhline(0, color=COLORS["black"], lw=1)
        left.set_ylim(-3.2, 3.2)
        left.set_ylabel("payoff (money units, b = 1 per nat)")
        left.set_title("what your trade pays", fontsize=12)
        (profit,) = right.plot(rs, np.zeros_like(rs), color=COLORS["green"], lw=2.6,
                               label="expected profit of moving the price to r")
        best_line = right.axhline(0, color=COLORS["green"], ls="--", lw=1.5, label="its maximum: KL(belief ‖ price)")
        right.axhline(0, color=COLORS["black"], lw=1)
        belief_line = right.axvline(belief, color=COLORS["black"], ls=":", lw=2, label="your belief")
        price_line = right.axvline(price, color=COLORS["grey"], ls="-.", lw=2, label="market price before you trade")
        (dot,) = right.plot([], [], "o", color=COLORS["orange"], mec="black", ms=12, zorder=4, label="your report")
        right.set_xlim(0, 1)
        right.set_ylim(-1.6, 4.3)  # the top stays free for the readout: the profit never exceeds KL(0.95 || 0.05) = 2.65
        right.set_xlabel("price r you move the market to (P(yes))")
        right.set_ylabel("expected profit (money units)")
        right.set_title("expected profit under your belief", fontsize=12)
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=10, frameon=False)
        box = readout(right, 0.5, 0.97, ha="center", size=10.5)

    def update(belief, price, report):
        curve = expected_market_profit(rs, price, belief)
        profit.set_ydata(np.maximum(curve, -10.0))
        best = float(expected_market_profit(belief, price, belief))
        best_line.set_ydata([best, best])
        belief_line.set_xdata([belief, belief])
        price_line.set_xdata([price, price])
        yes, no = (float(v) for v in market_payoff(report, price, [1, 0]))
        expected = float(expected_market_profit(report, price, belief))
        for bar, height in zip(bars, (yes, no, expected)):
            bar.set_height(height)
        dot.set_data([report], [expected])
        box.set_text(f"price {price:.2f} -> your report {report:.2f}\n"
                         f"paid {yes:+.3f} if yes, {no:+.3f} if no\n"
                         f"expected {expected:+.3f}; honest {belief:.2f}: {best:+.3f}")

    controls = {"belief": slider("your belief P(yes) (probability)", 0.05, 0.95, 0.01, belief),
                "price": slider("market price P(yes) (probability)", 0.05, 0.95, 0.01, price),
                "report": slider("your report r (probability)", 0.05, 0.95, 0.01, report)}
    scenes = {"honest: report your belief": {"belief": 0.7, "price": 0.5, "report": 0.7},
              "exaggerate (0.95)": {"belief": 0.7, "price": 0.5, "report": 0.95},
              "timid (0.55)": {"belief": 0.7, "price": 0.5, "report": 0.55},
              "you agree with the market": {"belief": 0.5, "price": 0.5, "report": 0.5}}
    return Panel(fig, update, controls, artists=[*bars, profit, best_line, belief_line, price_line, dot, box],
                 title="a trade in a logarithmic prediction market", scenes=scenes)


# --------------------------------------------------------------------------- static figures

def reliability_comparison() -> StaticFigure:
    """Reliability diagrams on the test set: the overconfident network next to the true probabilities.

    The true probabilities :math:`\\sigma(2 x_1)` are calibrated by
    definition, so their diagram hugs the diagonal up to sampling noise; the
    network's bars fall below it on the right and rise above it on the left.
    """
    out = overconfident_run()
    data = out.data
    p_net = sigmoid(out.test_logits[-1])
    p_true = true_probability(data.X_test)
    with style():
        fig, gs = fixed_figure((10.5, 5.4), nrows=2, ncols=2, height_ratios=[3.2, 1.0], left=0.085, right=0.985,
                               top=0.86, bottom=0.11, wspace=0.25, hspace=0.08)
        for j, (p, title, color) in enumerate(((p_net, "the trained network", COLORS["blue"]),
                                               (p_true, "the true probabilities σ(2x₁)", COLORS["green"]))):
            ax = fig.add_subplot(gs[0, j])
            count_ax = fig.add_subplot(gs[1, j], sharex=ax)
            reliability_diagram(p, data.y_test, n_bins=_N_BINS, ax=ax, count_ax=count_ax, color=color, count_max=1.0)
            ax.tick_params(labelbottom=False)
            ece = expected_calibration_error(p, data.y_test)
            ax.set_title(f"{title}: ECE {ece:.3f}", fontsize=12)
            ax.legend(loc="upper left", fontsize=10, frameon=False)
        fig.suptitle("Reliability on 2000 test points: of the cases given probability q, how many were class 1?",
                     fontsize=13)
    return StaticFigure(fig, "reliability diagrams of the network and of the true probabilities")
