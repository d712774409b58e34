"""Figure style and static plots shared by the notebooks.

Plot functions take ``ax=None``, return the artists they made, never call
``plt.show()`` and never change the global rcParams: :func:`style` is a
context manager that applies the house style only while a figure is built.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["COLORS", "READOUT_BOX", "style", "new_figure", "StaticFigure"]

#: Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}

#: The box behind a numeric readout drawn inside the axes.
READOUT_BOX = {"boxstyle": "round", "fc": "white", "ec": COLORS["grey"], "alpha": 0.95}

_STYLE = {
    # Sized to stay legible when projected to a lecture hall.
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "lines.linewidth": 2.2,
    "lines.markersize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=[COLORS[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
}


@contextlib.contextmanager
def style():
    """Apply the house style (large fonts, thick lines, colour-blind-safe colours) inside a ``with`` block."""
    with mpl.rc_context(_STYLE):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(9.0, 3.8), sharex=False, sharey=False,
               gridspec_kw=None, **subplot_kw):
    """A figure on its own Agg canvas (no pyplot, so nothing is displayed twice) and its axes.

    Returns ``(fig, axes)`` where ``axes`` is a single Axes or an array, as in
    ``plt.subplots`` (``sharex``, ``sharey`` and ``gridspec_kw`` mean the same;
    other keywords go to every subplot, e.g. ``projection``).  Call inside
    :func:`style` to get the house look.
    """
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=True,
                        gridspec_kw=gridspec_kw, subplot_kw=subplot_kw or None)
    return fig, axes


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
