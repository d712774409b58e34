"""Figures of notebook 04: XOR, features, and a network that learns its own.

The data are :func:`xentlib.datasets.xor_data`, XOR made exactly symmetric,
so the argument "the best line is w = 0" holds exactly on the sample the
learner sees, not only on average.  The losses over many weights come from
:func:`xentlib.landscape.linear_losses`; the training runs are
:func:`~xentlib.lessons.xor_features.experiments.xor_run`, trained once and
cached: a slider only moves through stored snapshots.
"""

from __future__ import annotations

import functools

import numpy as np

from ...datasets import xor_data
from ...drawing import (
    COLORS,
    Panel,
    StaticFigure,
    choice,
    fixed_figure,
    input_plane,
    int_slider,
    new_figure,
    pixel_image,
    plane_grid,
    probability_cmap,
    readout,
    slider,
    style,
)
from ...landscape import linear_losses
from ...links import sigmoid
from .experiments import LN2, xor_run

__all__ = ["linear_xor", "product_feature", "mlp_training", "hidden_space"]

_BOX = 2.2  # the plane drawn in every figure: [-_BOX, _BOX]^2
_RES = 161  # grid points per side of a probability surface
_UNIT_RES = 81  # ... and of a hidden unit's small activation map


# ---------------------------------------------------------------- drawing helpers

def _rgba(values, cmap, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """Colour-map ``values`` ourselves to RGBA bytes (256 levels, as matplotlib's colour maps have).

    An image of bytes is copied straight to the canvas by
    :class:`~xentlib.drawing.PixelImage`; matplotlib would resample and
    colour-map a float image on every frame.
    """
    return _levels(cmap)[_to_levels(values, low, high)]


def _levels(cmap) -> np.ndarray:
    """The colour table of ``cmap`` at 256 levels, (256, 4) uint8: ``_levels(cmap)[_to_levels(v, lo, hi)]`` colours ``v``."""
    return cmap(np.linspace(0.0, 1.0, 256), bytes=True)


def _to_levels(values, low: float, high: float) -> np.ndarray:
    """``values`` in [low, high] as 256 levels, uint8 (the index into a 256-colour table)."""
    return np.clip(np.floor((np.asarray(values) - low) / (high - low) * 256), 0, 255).astype(np.uint8)


def _image(ax, cmap, extent, low: float = 0.0, high: float = 1.0, shape=(_RES, _RES)):
    """An RGBA image to be updated with ``im.set_data(_rgba(...))``, and a mappable for its colour bar."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    im = pixel_image(ax, _rgba(np.full(shape, low), cmap, low, high), extent)
    return im, ScalarMappable(Normalize(low, high), cmap)


def _markers(ax, X, y, *, size: float = 5.5, edge: bool = True, **kw):
    """The two classes as marker-only lines (Agg draws these ~20x faster than a scatter of circles)."""
    style = dict(ls="none", mec="black" if edge else "none", mew=0.5, ms=size, **kw)
    return [ax.plot(*X[y == 1].T, "^", color=COLORS["vermillion"], label="y = 1: signs differ", **style)[0],
            ax.plot(*X[y == 0].T, "o", color=COLORS["blue"], label="y = 0: signs agree", **style)[0]]


def _surface_axes(ax, X, y, *, title: str, legend: bool = True, colorbar: bool = True):
    """A probability surface (an image to update), the data points and, optionally, a P(y = 1) colour bar.

    Returns ``(image, points)``.  Image and points go in the panel's
    ``artists``, image first: an animated image is drawn over the cached
    background, so the points must be redrawn on top of it every frame.
    """
    im, mappable = _image(ax, probability_cmap(), (-_BOX, _BOX, -_BOX, _BOX))
    points = _markers(ax, X, y)
    input_plane(ax, _BOX, title)
    if legend:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10, frameon=False,
                  handletextpad=0.2, columnspacing=0.8, markerscale=1.6)
    if colorbar:
        ax.figure.colorbar(mappable, ax=ax, shrink=0.8, pad=0.02).set_label("P(y = 1)")
    return im, points


def _loss_text(loss: float, accuracy: float) -> str:
    gap = round(loss - LN2, 3) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0.000" on screen
    return f"loss     {loss:.3f} nats\nvs ln 2  {gap:+.3f}\naccuracy {accuracy:.0%}"


def _unit_line(w, c):
    """Two points of the line w·x + c = 0 far outside the drawing box (the axes clip it); none if w = 0."""
    far = 10 * _BOX
    if not np.any(w):
        return [], []
    if abs(w[1]) >= abs(w[0]):
        x1 = np.array([-far, far])
        return x1, -(w[0] * x1 + c) / w[1]
    x2 = np.array([-far, far])
    return -(w[1] * x2 + c) / w[0], x2


# ---------------------------------------------------------------- interactive figures

def linear_xor(w1: float = 1.5, w2: float = -1.0, b: float = 0.5) -> Panel:
    r"""A linear logistic model :math:`\sigma(w_1 x_1 + w_2 x_2 + b)` on XOR, with its loss landscape.

    Question it answers: is there any line (any ``w1, w2, b``) whose loss beats
    ln 2, the loss of predicting 0.5 everywhere?  The right panel shows the
    loss over all :math:`(w_1, w_2)` at the current ``b``: its lowest point is
    always :math:`w = 0`.
    """
    import matplotlib

    X, y = xor_data()
    grid, cmap = plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _RES), probability_cmap()
    ws = np.linspace(-3, 3, 41)  # 0.15 apart: fine enough for a smooth surface, cheap enough for a cold slider step
    wgrid = np.stack(np.meshgrid(ws, ws), axis=-1)  # [i, j] = (w1 = ws[j], w2 = ws[i])
    viridis = matplotlib.colormaps["viridis"]
    landscapes: dict[float, tuple] = {}  # bias -> (landscape image, where its minimum is); filled on first use

    def landscape(b):
        b = round(b, 1)  # the slider's step: every value a learner can reach shares one cache entry
        if b not in landscapes:
            table = linear_losses(X, y, wgrid, b)
            i, j = np.unravel_index(np.argmin(table), table.shape)
            landscapes[b] = _rgba(np.minimum(table, 3.0), viridis, LN2, 3.0), (ws[j], ws[i])
        return landscapes[b]

    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(9.2, 4.6))
        fig.suptitle("No line beats guessing on XOR: the best linear model is w = 0, loss ln 2", fontsize=14)
        surface, points = _surface_axes(left, X, y, title=r"model's P(y = 1) = $\sigma(w_1x_1 + w_2x_2 + b)$")
        land, land_mappable = _image(right, viridis, (-3, 3, -3, 3), LN2, 3.0, shape=wgrid.shape[:2])
        lbar = fig.colorbar(land_mappable, ax=right, shrink=0.8, pad=0.02)
        lbar.set_label("mean loss (nats)")
        right.grid(False)
        right.set_xlabel("weight $w_1$")
        right.set_ylabel("weight $w_2$", labelpad=-2)
        right.set_title("loss over all weights at this b")
        (best,) = right.plot([], [], "X", color="white", mec="black", ms=13, label="lowest loss")
        readout_text = readout(right, size=12)
        (here,) = right.plot([], [], "o", color=COLORS["orange"], mec="black", ms=11, label="your (w₁, w₂)")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10, frameon=False)

    def update(w1, w2, b):
        surface.set_data(_rgba(sigmoid(grid @ np.array([w1, w2]) + b).reshape(_RES, _RES), cmap))
        here.set_data([w1], [w2])
        loss = float(linear_losses(X, y, [w1, w2], b))
        acc = float(np.mean(((X @ [w1, w2] + b) > 0) == (y == 1)))
        readout_text.set_text(_loss_text(loss, acc))
        image, (best_w1, best_w2) = landscape(b)
        land.set_data(image)
        best.set_data([best_w1], [best_w2])

    controls = {"w1": slider("weight w₁", -3.0, 3.0, 0.1, w1, fmt=".1f"),
                "w2": slider("weight w₂", -3.0, 3.0, 0.1, w2, fmt=".1f"),
                "b": slider("bias b", -3.0, 3.0, 0.1, b, fmt=".1f")}
    scenes = {
        "a diagonal guess": {"w1": 2.0, "w2": 2.0, "b": 0.0},
        "75% accurate, still worse than ln 2": {"w1": 1.0, "w2": 1.0, "b": 1.0},
        "almost nothing": {"w1": 0.3, "w2": -0.2, "b": 0.1},
        "best you can do: all zero": {"w1": 0.0, "w2": 0.0, "b": 0.0},
    }
    return Panel(fig, update, controls, artists=[surface, *points, land, best, readout_text, here],
                 title="a linear model on XOR and its loss landscape", scenes=scenes)


def product_feature(weight: float = -2.0, b: float = 0.0) -> Panel:
    r"""The model :math:`\sigma(w_3\, x_1 x_2 + b)`: one weight on the product feature.

    Question it answers: once the model sees :math:`x_1 x_2`, how low can the
    loss go, and which sign must the weight have?  Left, the probability
    surface; right, the loss as a function of the weight at the current bias.
    """
    X, y = xor_data()
    grid, cmap = plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _RES), probability_cmap()
    prod, grid_prod = X[:, :1] * X[:, 1:], (grid[:, 0] * grid[:, 1])[:, None]
    ws = np.linspace(-8, 8, 321)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(9.2, 4.6))
        fig.suptitle("Give the model the feature $x_1x_2$ and the loss can fall towards 0", fontsize=14)
        surface, points = _surface_axes(left, X, y, title=r"P(y = 1) = $\sigma(w_3\,x_1x_2 + b)$")
        right.axhline(LN2, color=COLORS["grey"], ls="--", lw=1.5, label="ln 2: always predict 0.5")
        (curve,) = right.plot(ws, np.zeros_like(ws), color=COLORS["blue"], label="loss at this b")
        readout_text = readout(right, size=12)
        (marker,) = right.plot([], [], "o", color=COLORS["orange"], mec="black", ms=11, zorder=3)
        right.set_xlim(-8, 8)
        right.set_ylim(0, 3.0)
        right.set_xlabel("weight $w_3$ on the feature $x_1x_2$")
        right.set_ylabel("mean loss (nats)")
        right.set_title("loss against the weight")
        right.legend(loc="lower right", fontsize=10)  # where the curve never goes: wrong-sign weights cost more than ln 2

    def update(weight, b):
        surface.set_data(_rgba(sigmoid(grid_prod[:, 0] * weight + b).reshape(_RES, _RES), cmap))
        losses = linear_losses(prod, y, ws[:, None], b)
        curve.set_ydata(losses)
        loss = float(linear_losses(prod, y, [weight], b))
        marker.set_data([weight], [loss])
        acc = float(np.mean(((prod[:, 0] * weight + b) > 0) == (y == 1)))
        readout_text.set_text(_loss_text(loss, acc))

    controls = {"weight": slider("weight w₃ on x₁·x₂", -8.0, 8.0, 0.1, weight, fmt=".1f"),
                "b": slider("bias b", -3.0, 3.0, 0.1, b, fmt=".1f")}
    scenes = {
        "feature unused (w₃ = 0)": {"weight": 0.0, "b": 0.0},
        "wrong sign (w₃ = +3)": {"weight": 3.0, "b": 0.0},
        "right sign (w₃ = −3)": {"weight": -3.0, "b": 0.0},
        "confident (w₃ = −8)": {"weight": -8.0, "b": 0.0},
    }
    return Panel(fig, update, controls, artists=[surface, *points, curve, readout_text, marker],
                 title="the product feature x1*x2 and the loss", scenes=scenes)


def mlp_training(hidden: int = 4, step: int = 300) -> Panel:
    r"""Replay the training of a tiny tanh network on XOR, for 1 to 4 hidden units.

    Question it answers: can a network *learn* a feature that makes XOR
    separable, and how many hidden units does it need?  Top left, the output
    :math:`P(y=1)` with each hidden unit's line :math:`w_j^\top x + c_j = 0`;
    top right, the loss during training; bottom, each hidden unit's
    activation :math:`\tanh(w_j^\top x + c_j)` over the plane: the features
    the output layer combines linearly.
    """
    import matplotlib
    from matplotlib import patheffects

    X, y = xor_data()
    grid, coarse = plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _RES), plane_grid((-_BOX, _BOX), (-_BOX, _BOX), _UNIT_RES)  # the small unit maps need fewer pixels
    runs = {h: xor_run(h) for h in (1, 2, 3, 4)}
    n_steps = len(runs[4].loss) - 1
    cmap, grey = probability_cmap(), matplotlib.colormaps["Greys_r"]
    prob_colours, grey_colours = _levels(cmap), _levels(grey)

    @functools.cache
    def pictures(hidden, k):
        """Snapshot k's output surface and unit maps as 256-level images; cached, so replaying again is free."""
        net = runs[hidden].network(k)
        h, p = net.hidden(coarse), net.predict_proba(grid)
        return _to_levels(p, 0.0, 1.0).reshape(_RES, _RES), _to_levels(h.T, -1.0, 1.0).reshape(-1, _UNIT_RES, _UNIT_RES)
    unit_colors = [COLORS["yellow"], COLORS["green"], COLORS["sky"], COLORS["purple"]]
    outline = [patheffects.withStroke(linewidth=4.5, foreground="black")]  # visible on any background
    # A fixed layout: constrained layout would cost ~1 s per full draw with eleven axes.
    fig, gs = fixed_figure((9.6, 6.6), nrows=2, ncols=4, height_ratios=[1.75, 1.0], left=0.07, right=0.9, top=0.885,
                           bottom=0.045, hspace=0.32, wspace=0.3)
    with style():
        surf_ax = fig.add_subplot(gs[0, :2])
        loss_ax = fig.add_subplot(gs[0, 2:])
        unit_axes = [fig.add_subplot(gs[1, j]) for j in range(4)]
        fig.suptitle("A tiny network learns its own feature: with 2 or more tanh units the loss goes to 0", fontsize=14)
        surface, points = _surface_axes(surf_ax, X, y, title="network's P(y = 1) and its hidden units' lines",
                                        legend=False, colorbar=False)
        lines = [surf_ax.plot([], [], color=col, lw=2.5, ls="--", path_effects=outline)[0] for col in unit_colors]
        loss_ax.axhline(LN2, color=COLORS["grey"], ls="--", lw=1.5)
        loss_ax.text(4, LN2 * 1.08, "ln 2", ha="left", va="bottom", color=COLORS["grey"], fontsize=11)
        for h, run in runs.items():
            loss_ax.plot(np.arange(n_steps + 1), run.loss, color=COLORS["grey"], lw=1.2, alpha=0.5)
            loss_ax.text(n_steps * 1.025, run.loss[-1], f"{h}", va="center", fontsize=10, color=COLORS["grey"])
        (curve,) = loss_ax.plot([], [], color=COLORS["blue"], lw=3)
        readout_text = readout(loss_ax, 0.97, 0.78, ha="right", size=12)
        (marker,) = loss_ax.plot([], [], "o", color=COLORS["orange"], mec="black", ms=11, zorder=3)
        loss_ax.set_yscale("log")
        loss_ax.minorticks_off()  # fewer ticks: a faster first draw, and a cleaner axis
        loss_ax.set_ylim(1e-3, 1.5)
        loss_ax.set_xlim(0, n_steps * 1.07)
        loss_ax.set_xlabel("gradient step")
        loss_ax.set_ylabel("mean loss (nats, log scale)")
        loss_ax.set_title("training loss (grey: the other sizes)")
        images, unit_lines, dots, absent = [], [], [], []
        for j, ax in enumerate(unit_axes):
            im, unit_mappable = _image(ax, grey, (-_BOX, _BOX, -_BOX, _BOX), -1.0, 1.0, shape=(_UNIT_RES, _UNIT_RES))
            images.append(im)
            dots += _markers(ax, X, y, size=2.8, edge=False)
            unit_lines.append(ax.plot([], [], color=unit_colors[j], lw=2, ls="--", path_effects=outline)[0])
            absent.append(ax.text(0, 0, "", ha="center", va="center", fontsize=12, color=COLORS["grey"]))
            ax.set_xlim(-_BOX, _BOX)
            ax.set_ylim(-_BOX, _BOX)
            ax.set_xticks([-2, 0, 2])
            ax.set_yticks([-2, 0, 2])
            ax.tick_params(labelsize=10)
            ax.grid(False)
            ax.set_title(f"unit {j + 1}: tanh(w{'₁₂₃₄'[j]}·x + c{'₁₂₃₄'[j]})", fontsize=11)
        fig.colorbar(unit_mappable, cax=fig.add_axes((0.915, 0.045, 0.012, 0.27)), label="activation h")

    def update(hidden, step):
        run = runs[int(hidden)]
        k = int(np.searchsorted(run.steps, step))
        levels, unit_levels = pictures(int(hidden), k)
        surface.set_data(prob_colours[levels])
        for j in range(4):
            present = j < run.W.shape[1]
            xy = _unit_line(run.W[k, j], run.c[k, j]) if present else ([], [])
            lines[j].set_data(*xy)
            unit_lines[j].set_data(*xy)
            if present:
                images[j].set_data(grey_colours[unit_levels[j]])
            images[j].set_visible(present)
            dots[2 * j].set_visible(present)
            dots[2 * j + 1].set_visible(present)
            absent[j].set_text("" if present else "(no unit)")
        t = int(run.steps[k])
        curve.set_data(np.arange(n_steps + 1), run.loss)
        marker.set_data([t], [run.loss[t]])
        readout_text.set_text(f"{int(hidden)} hidden unit{'s' if hidden > 1 else ''}, step {t}\n"
                         f"loss     {run.loss[t]:.3f} nats\n"
                         f"accuracy {run.accuracy[t]:.0%}")

    controls = {"hidden": choice("hidden units", [1, 2, 3, 4], value=int(hidden)),
                "step": int_slider("training step", 0, n_steps, int(step), step=int(runs[4].steps[1]))}
    scenes = {
        "random start": {"step": 0},
        "1 unit, trained": {"hidden": 1, "step": n_steps},
        "2 units, trained": {"hidden": 2, "step": n_steps},
        "4 units, step 30": {"hidden": 4, "step": 30},
    }
    return Panel(fig, update, controls,
                 artists=[surface, *points, *lines, curve, readout_text, marker, *images, *dots, *unit_lines, *absent],
                 title="training a tiny network on XOR", scenes=scenes)


# ---------------------------------------------------------------- static figures

def hidden_space(hidden: int = 2) -> StaticFigure:
    r"""The data as the trained network's output layer sees them: hidden features :math:`(h_1, h_2)`.

    For 2 hidden units the output is :math:`\sigma(v_1 h_1 + v_2 h_2 + b)`: a
    *linear* logistic model on the learnt features.  The figure shows that in
    these coordinates a straight line separates the classes.
    """
    if hidden != 2:
        raise ValueError(f"hidden_space draws a 2-d feature space; got hidden={hidden}. Use hidden=2.")
    X, y = xor_data()
    run = xor_run(hidden)
    h = run.network(-1).hidden(X)
    v, b = run.v[-1], run.b[-1]
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.5, 4.9))
        fig.suptitle("The network's hidden layer turns XOR into a problem a line can solve", fontsize=14)
        _markers(left, X, y)
        left.set_xlim(-_BOX, _BOX)
        left.set_ylim(-_BOX, _BOX)
        left.set_aspect("equal")
        left.set_xlabel("$x_1$")
        left.set_ylabel("$x_2$")
        left.set_title("input space: no line separates")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=10, frameon=False)
        _markers(right, h, y)
        h1 = np.array([-1.2, 1.2])
        (line,) = right.plot(h1, -(v[0] * h1 + b) / v[1], color=COLORS["black"], ls="--",
                             label="output's line $v^\\top h + b = 0$")
        right.set_xlim(-1.2, 1.2)
        right.set_ylim(-1.2, 1.2)
        right.set_aspect("equal")
        right.set_xlabel("hidden unit 1: $h_1$")
        right.set_ylabel("hidden unit 2: $h_2$")
        right.set_title("learnt feature space: one line does")
        spot = h[y == 0].mean(axis=0)  # where the "signs agree" corners end up
        right.annotate("both 'signs agree'\ncorners land here", xy=spot, xytext=(spot[0] - 1.4, spot[1] + 0.3),
                       fontsize=11, ha="center", arrowprops=dict(arrowstyle="->", color=COLORS["grey"]))
        right.legend(handles=[line], loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=10, frameon=False)
    return StaticFigure(fig, "XOR in the network's hidden features")
