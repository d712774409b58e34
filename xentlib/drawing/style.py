"""The house style: colours, fonts and line widths sized for a projector, applied only while a figure is built."""

from __future__ import annotations

import contextlib
import functools

import matplotlib as mpl

__all__ = ["COLORS", "READOUT_BOX", "style", "probability_cmap"]

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
# Square and opaque: a rounded, translucent box costs more to draw on every slider step.
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


@functools.lru_cache(1)
def probability_cmap():
    """Blue (class 0) - white (0.5, undecided) - vermillion (class 1): P(y = 1) on a plane, colour-blind safe."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("probability", [COLORS["blue"], "white", COLORS["vermillion"]])
