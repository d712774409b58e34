"""Figure style and static plots shared by the notebooks.

Plot functions take ``ax=None``, return the artists they made, never call
``plt.show()`` and never change the global rcParams: :func:`style` is a
context manager that applies the house style only while a figure is built.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import threading

import matplotlib as mpl
import numpy as np
from matplotlib import ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

__all__ = ["COLORS", "READOUT_BOX", "style", "new_figure", "Canvas", "input_plane", "StaticFigure",
           "ReliabilityDiagram", "reliability_diagram"]

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
# Square and opaque: a rounded, translucent box costs ~1 ms more to draw on every slider step.
READOUT_BOX = {"boxstyle": "square,pad=0.35", "fc": "white", "ec": COLORS["grey"]}

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


class Canvas(FigureCanvasAgg):
    """An Agg canvas that draws text from font files held in memory: the same pixels, text about 2.5x faster.

    matplotlib's FreeType fonts read their files through Python file
    objects, a seek and a read for each glyph loaded: about 14 µs a
    character, and a line of text is loaded twice per draw (measured, then
    drawn).  Given the same bytes from memory, FreeType does the same work
    in about 5 µs, so a three-line readout redrawn on every slider step costs
    about 2 ms instead of 3-5.  Mathtext keeps matplotlib's own fonts.
    """

    def get_renderer(self):
        w, h = self.figure.bbox.size
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _MemoryFontRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class _MemoryFontRenderer(RendererAgg):
    def _prepare_font(self, font_prop):
        # As RendererAgg._prepare_font, with the fonts of _memory_font instead of font_manager.get_font.
        paths = tuple(fontManager._find_fonts_by_props(font_prop))
        font = _memory_font(paths, mpl.rcParams["text.hinting_factor"], mpl.rcParams["text.kerning_factor"],
                            threading.get_ident())
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font


@functools.lru_cache(64)
def _memory_font(paths: tuple, hinting_factor: int, kerning_factor: int, thread_id: int) -> ft2font.FT2Font:
    """``font_manager.get_font(paths)`` (the first font, falling back to the others), read from memory."""
    def load(path, **kwargs):
        with open(path, "rb") as f:
            return ft2font.FT2Font(io.BytesIO(f.read()), hinting_factor, _kerning_factor=kerning_factor, **kwargs)

    first, *rest = paths
    return load(first, _fallback_list=[load(path) for path in rest])


if hasattr(os, "register_at_fork"):  # FreeType objects must not cross a fork (as matplotlib's own cache)
    os.register_at_fork(after_in_child=_memory_font.cache_clear)


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


class ReliabilityDiagram:
    """The artists of one reliability diagram, and :meth:`update` to move them to new predictions.

    Made by :func:`reliability_diagram`.  Attributes: ``fig``, ``ax``,
    ``count_ax`` (or None), ``n_bins``, ``curve`` (the
    :class:`~xentlib.calibration.ReliabilityCurve` drawn now), and the
    artists

    * ``bars``: one ``PolyCollection`` of rectangles, the observed frequency
      of each non-empty bin (``kind="bars"``, else None);
    * ``gaps``: one ``PolyCollection`` of outlined boxes, from each bar's
      top to the bin's mean prediction (``kind="bars"``, else None);
    * ``points``: a ``Line2D`` through the bins' (mean prediction,
      frequency) points (``kind="points"``, else None);
    * ``counts``: one ``PolyCollection`` on ``count_ax``, each bin's share of
      the examples (None without ``count_ax``);
    * ``diagonal``: perfect calibration (never changes).

    One collection per group, not one rectangle per bin: a collection is
    drawn in one call, so a slider step that redraws the diagram stays cheap.
    Every artist that :meth:`update` changes is in :attr:`artists`, ready to
    be blitted by a :class:`xentlib.widgets.Panel`.
    """

    def __init__(self, fig, ax, count_ax, n_bins, kind, diagonal, bars, gaps, points, counts):
        self.fig, self.ax, self.count_ax, self.n_bins, self.kind = fig, ax, count_ax, n_bins, kind
        self.diagonal, self.bars, self.gaps, self.points, self.counts = diagonal, bars, gaps, points, counts
        self.curve = None
        self._edges = np.linspace(0.0, 1.0, n_bins + 1)

    @property
    def artists(self) -> list:
        """Every artist :meth:`update` changes (bars, gaps, points, counts)."""
        return [a for a in (self.bars, self.gaps, self.points, self.counts) if a is not None]

    def update(self, probs, y=None):
        """Redraw for new predictions (``probs, y`` as :func:`reliability_curve`) or a ready ``ReliabilityCurve``.

        Only artist data change, never the axes, so a Panel can blit the
        result.  Empty bins get no bar.  Returns the curve drawn.
        """
        from .calibration import ReliabilityCurve, reliability_curve

        if isinstance(probs, ReliabilityCurve):
            if y is not None:
                raise ValueError("pass either a ReliabilityCurve, or probs and y; got a curve and y.")
            curve = probs
        else:
            if y is None:
                raise ValueError("y is missing: pass the labels with the probabilities, or a ReliabilityCurve.")
            curve = reliability_curve(probs, y, n_bins=self.n_bins)
        which = np.searchsorted(self._edges[1:-1], curve.confidence)  # a bin's mean lies inside the bin
        left, right = self._edges[which], self._edges[which + 1]
        if self.bars is not None:
            self.bars.set_verts(_rectangles(left, right, np.zeros_like(left), curve.accuracy))
            self.gaps.set_verts(_rectangles(left, right, curve.accuracy, curve.confidence))
        if self.points is not None:
            self.points.set_data(curve.confidence, curve.accuracy)
        if self.counts is not None:
            share = curve.count / max(int(curve.count.sum()), 1)
            self.counts.set_verts(_rectangles(left, right, np.zeros_like(left), share))
        self.curve = curve
        return curve


def _rectangles(left, right, y0, y1) -> np.ndarray:
    """Vertices (K, 4, 2) of K axis-aligned rectangles between ``y0`` and ``y1``."""
    return np.stack([np.stack([left, y0], -1), np.stack([right, y0], -1),
                     np.stack([right, y1], -1), np.stack([left, y1], -1)], axis=1)


def reliability_diagram(probs, y=None, *, n_bins: int = 10, ax=None, count_ax=None, kind: str = "bars",
                        color: str = COLORS["blue"], label: str | None = None, count_max: float | None = None,
                        xlabel: str | None = None) -> ReliabilityDiagram:
    r"""Draw a reliability diagram: how often the event happened, against the probability the model gave it.

    The predictions are cut into ``n_bins`` equal-width bins of predicted
    probability (:func:`xentlib.calibration.reliability_curve`).  For each
    bin the diagram shows the observed frequency (or accuracy), and the
    dashed diagonal is perfect calibration: "70 %" predictions that come true
    70 % of the time.  Below the diagonal the model is overconfident in that
    bin, above it underconfident.

    Parameters
    ----------
    probs : (N,) P(y = 1) or (N, C) class probabilities, with labels ``y``;
        or a :class:`~xentlib.calibration.ReliabilityCurve` computed with the
        same ``n_bins`` (then ``y`` is None).
    y : labels, as for :func:`~xentlib.calibration.reliability_curve`.
    n_bins : int >= 1.
    ax : Axes to draw into; None makes a new figure (house style) with a
        second, short axes under it for the counts.
    count_ax : Axes for the share of examples per bin (None: no counts,
        unless ``ax`` is None too).
    kind : ``"bars"`` (observed frequency as bars, plus outlined boxes for the
        gap to the bin's mean prediction) or ``"points"`` (a line through the
        bins' (mean prediction, frequency) points).
    color, label : of the bars or points (``label`` for a legend).
    count_max : upper y-limit of ``count_ax`` (default: fit the first data;
        give a fixed value when the diagram will be updated).
    xlabel : default "predicted probability P(y = 1)" for 1-D probs,
        "confidence (top-label probability)" for 2-D.

    Returns
    -------
    ReliabilityDiagram with the artists (``.artists`` are the ones
    :meth:`~ReliabilityDiagram.update` changes) and ``.fig``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = rng.random(500); y = (rng.random(500) < p).astype(int)   # calibrated by construction
    >>> diagram = reliability_diagram(p, y, n_bins=5)
    >>> print(len(diagram.bars.get_paths()), len(diagram.counts.get_paths()), diagram.curve.count.sum())
    5 5 500
    >>> curve = diagram.update(p ** 0.3, y)                            # an overconfident-in-"yes" model
    >>> print(bool(np.all(curve.accuracy[-2:] < curve.confidence[-2:])))
    True
    """
    from ._validation import check_int
    from .calibration import ReliabilityCurve

    n_bins = check_int(n_bins, "n_bins", 1)
    if kind not in ("bars", "points"):
        raise ValueError(f"kind must be 'bars' or 'points'; got {kind!r}.")
    if xlabel is None:
        two_d = not isinstance(probs, ReliabilityCurve) and np.ndim(probs) == 2
        xlabel = "confidence (top-label probability)" if two_d else "predicted probability P(y = 1)"
    if ax is None:
        if count_ax is not None:
            raise ValueError("count_ax needs ax: pass both axes, or neither to get a new figure.")
        with style():
            fig, (ax, count_ax) = new_figure(2, 1, figsize=(5.6, 6.0), sharex=True,
                                             gridspec_kw={"height_ratios": [3.2, 1.0]})
            return _draw_reliability(fig, ax, count_ax, probs, y, n_bins, kind, color, label, count_max, xlabel)
    return _draw_reliability(ax.figure, ax, count_ax, probs, y, n_bins, kind, color, label, count_max, xlabel)


def _draw_reliability(fig, ax, count_ax, probs, y, n_bins, kind, color, label, count_max, xlabel):
    from matplotlib.collections import PolyCollection

    (diagonal,) = ax.plot([0, 1], [0, 1], ls="--", color=COLORS["grey"], lw=1.5, label="perfect calibration")
    bars = gaps = points = counts = None
    if kind == "bars":
        bars = ax.add_collection(PolyCollection([], facecolors=color, edgecolors="black", linewidths=0.8,
                                                label=label, zorder=2))
        # An outline, not a hatch: hatching costs ~2 ms a frame, more than all the other bars together.
        gaps = ax.add_collection(PolyCollection([], facecolors="none", edgecolors=COLORS["vermillion"], linewidths=2.2,
                                                label="gap to the bin's mean prediction", zorder=2.1))
    else:
        (points,) = ax.plot([], [], "o-", color=color, mec="black", ms=7, label=label)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("observed frequency")
    if count_ax is not None:
        counts = count_ax.add_collection(PolyCollection([], facecolors=COLORS["grey"], edgecolors="black",
                                                        linewidths=0.6, zorder=2))
        count_ax.set_xlim(0, 1)
        count_ax.set_ylabel("share of\nexamples")
        count_ax.set_xlabel(xlabel)
    else:
        ax.set_xlabel(xlabel)
    diagram = ReliabilityDiagram(fig, ax, count_ax, n_bins, kind, diagonal, bars, gaps, points, counts)
    curve = diagram.update(probs, y)
    if count_ax is not None:
        share = curve.count / max(int(curve.count.sum()), 1)
        count_ax.set_ylim(0, count_max if count_max is not None else (float(share.max()) * 1.15 or 1.0))
    return diagram
