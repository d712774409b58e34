"""The reliability diagram: how often events happened, against the probability a model gave them."""

from __future__ import annotations

import numpy as np

from .._validation import check_int
from ..calibration import ReliabilityCurve, reliability_curve
from .figure import new_figure
from .style import COLORS, style

__all__ = ["ReliabilityDiagram", "reliability_diagram"]


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
    be blitted by a :class:`xentlib.drawing.Panel`.
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
        # An outline, not a hatch: hatching costs more a frame than all the other bars together.
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
