"""Setting up a figure: a new figure on its own canvas, a fixed grid of axes, an input plane, a readout box.

Plot functions take ``ax=None``, return the artists they made, never call
``plt.show()`` and never change the global rcParams.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from .canvas import Canvas
from .style import READOUT_BOX, style

__all__ = ["new_figure", "fixed_figure", "input_plane", "plane_grid", "readout", "StaticFigure"]


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(9.0, 3.8), sharex=False, sharey=False,
               gridspec_kw=None, **subplot_kw):
    """A figure on its own Agg :class:`Canvas` (no pyplot, so nothing is displayed twice) and its axes.

    Returns ``(fig, axes)`` where ``axes`` is a single Axes or an array, as in
    ``plt.subplots`` (``sharex``, ``sharey`` and ``gridspec_kw`` mean the same;
    other keywords go to every subplot, e.g. ``projection``).  Call inside
    :func:`style` to get the house look.
    """
    fig = Figure(figsize=figsize)
    Canvas(fig)
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=True,
                        gridspec_kw=gridspec_kw, subplot_kw=subplot_kw or None)
    return fig, axes


def input_plane(ax, half_width: float, title: str) -> None:
    """Set up ``ax`` as the square input plane :math:`[-h, h]^2` of a 2-d data set (equal aspect, axes x₁, x₂)."""
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-half_width, half_width)
    ax.set_aspect("equal")
    for axis in (ax.xaxis, ax.yaxis):  # at most 5 round ticks, so a small square plane never crowds its labels
        axis.set_major_locator(mpl.ticker.MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.grid(False)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", labelpad=-2)
    ax.set_title(title)


class StaticFigure:
    """A finished, non-interactive figure: displays as a plain PNG image output.

    Returned by figure functions that have nothing to slide, so a notebook
    cell stays a single call and no pyplot figure is ever shown twice.
    """

    def __init__(self, fig, title: str = ""):
        self.fig, self.title = fig, title
        out = io.BytesIO()
        fig.savefig(out, format="png")
        self.png = out.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"[figure{': ' + self.title if self.title else ''}]"


def fixed_figure(figsize, **gridspec):
    """A house-style figure with a fixed grid of axes, ``(fig, grid)``: no layout engine to solve on the first draw.

    Constrained layout costs about a second on a figure's first draw; a
    figure whose axes are placed by hand (``fig.add_subplot(grid[0, 1])``)
    is drawn at once.  ``gridspec`` goes to ``fig.add_gridspec`` (``nrows``,
    ``ncols``, ``left``, ``wspace``, ...).
    """
    with style():
        fig = new_figure(figsize=figsize)[0]
    fig.clear()
    fig.set_layout_engine("none")
    return fig, fig.add_gridspec(**gridspec)


def plane_grid(x_range, y_range, n: int) -> np.ndarray:
    """The ``n x n`` points of a rectangle of the input plane, shape (n*n, 2), row by row from the bottom.

    Row by row from the bottom is the order an image with ``origin="lower"`` wants.
    """
    g1, g2 = np.meshgrid(np.linspace(*x_range, n), np.linspace(*y_range, n))
    return np.column_stack([g1.ravel(), g2.ravel()])


def readout(ax, x: float = 0.03, y: float = 0.97, *, ha: str = "left", va: str = "top", size: float = 11):
    """An empty monospace text box at ``(x, y)`` in axes coordinates, for numbers that change with a slider."""
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va=va, ma="left", fontsize=size,
                   family="monospace", bbox=READOUT_BOX, zorder=5)
