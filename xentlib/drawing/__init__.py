"""Everything the figures draw with: the house style, figure set-up, the reliability diagram and the live Panel.

The one package that imports matplotlib and ipywidgets (``import xentlib``
alone needs only NumPy).  One module an idea:

* :mod:`~xentlib.drawing.style`: colours, fonts, the probability colour map;
* :mod:`~xentlib.drawing.figure`: a figure on its own canvas, a fixed grid of
  axes, the input plane, a readout box, a static figure for display;
* :mod:`~xentlib.drawing.canvas`: the Agg canvas with fonts held in memory;
* :mod:`~xentlib.drawing.reliability`: the reliability diagram;
* :mod:`~xentlib.drawing.pixels`: images drawn by copying pixels;
* :mod:`~xentlib.drawing.controls`: sliders and buttons;
* :mod:`~xentlib.drawing.png`: the fast PNG encoder of a Panel's frames;
* :mod:`~xentlib.drawing.panel`: :class:`Panel`, an interactive figure redrawn by blitting.
"""

from .canvas import Canvas
from .controls import choice, int_slider, log_slider, slider
from .figure import StaticFigure, fixed_figure, input_plane, new_figure, plane_grid, readout
from .panel import FrameCache, Panel, frame_cache
from .pixels import PixelImage, pixel_image
from .reliability import ReliabilityDiagram, reliability_diagram
from .style import COLORS, READOUT_BOX, probability_cmap, style

__all__ = [
    "COLORS", "READOUT_BOX", "style", "probability_cmap",
    "Canvas", "new_figure", "fixed_figure", "input_plane", "plane_grid", "readout", "StaticFigure",
    "ReliabilityDiagram", "reliability_diagram", "PixelImage", "pixel_image",
    "slider", "log_slider", "int_slider", "choice",
    "Panel", "FrameCache", "frame_cache",
]
