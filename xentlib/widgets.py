"""Instant sliders: one small panel helper for every interactive figure.

The usual ``interact`` pattern re-creates a matplotlib figure and re-encodes
a PNG on every slider event (~100 ms).  A :class:`Panel` instead keeps one
figure on an Agg canvas, draws the parts that never change once, and on each
event redraws only the changing ("animated") artists over a cached copy of
that background (blitting), then sends a fast PNG to a core
``ipywidgets.Image``: a few milliseconds a step.

Core ipywidgets only (no ipympl, no front-end extension), so the same
notebook works in JupyterLab, Notebook 7, VS Code, Voilà and Colab, with
ipywidgets 7.7 and 8.x.

Writing an interactive figure::

    fig, ax = new_figure()
    ax.plot(x, -np.log(x))                       # static: drawn once
    (marker,) = ax.plot([], [], "o")             # changes with the slider

    def update(p):
        marker.set_data([p], [-np.log(p)])

    Panel(fig, update, {"p": slider("p", 0.01, 1.0, 0.01, 0.1)}, artists=[marker])

``update`` receives the controls' values as keyword arguments.  If it changes
something static (axis limits, say) it returns ``True`` and the panel
redraws everything once and re-caches the background.

Everything not listed in ``artists`` is background, drawn under the moving
artists: an in-axes legend or readout box that moving curves may cross should
either be listed in ``artists`` or placed outside the axes (``fig.legend``).
"""

from __future__ import annotations

import base64
import html
import io
import time
import struct
import weakref
import zlib

import ipywidgets as w
import numpy as np

from .plotting import new_figure, style

__all__ = ["Panel", "slider", "int_slider", "log_slider", "choice", "new_figure", "style"]

_DESCRIPTION_STYLE = {"description_width": "initial"}


def _slider_layout():
    return w.Layout(width="min(100%, 520px)")


def slider(label: str, low: float, high: float, step: float, value: float, *, fmt: str = ".2f") -> w.FloatSlider:
    """A labelled float slider with a readout; put the unit in ``label`` (e.g. ``"logit z (nats)"``)."""
    return w.FloatSlider(
        value=value, min=low, max=high, step=step, description=label, readout_format=fmt,
        continuous_update=True, style=_DESCRIPTION_STYLE, layout=_slider_layout(),
    )


def log_slider(label: str, low_exp: float, high_exp: float, step: float, value: float, *, fmt: str = ".3g") -> w.FloatLogSlider:
    """A slider over ``10**low_exp .. 10**high_exp`` for quantities that span decades (probabilities near 0)."""
    return w.FloatLogSlider(
        value=value, base=10, min=low_exp, max=high_exp, step=step, description=label, readout_format=fmt,
        continuous_update=True, style=_DESCRIPTION_STYLE, layout=_slider_layout(),
    )


def int_slider(label: str, low: int, high: int, value: int, *, step: int = 1) -> w.IntSlider:
    """A labelled integer slider (counts, steps, classes)."""
    return w.IntSlider(
        value=value, min=low, max=high, step=step, description=label,
        continuous_update=True, style=_DESCRIPTION_STYLE, layout=_slider_layout(),
    )


def choice(label: str, options, value=None) -> w.ToggleButtons:
    """A row of buttons for a small set of named options."""
    options = list(options)
    return w.ToggleButtons(options=options, value=options[0] if value is None else value, description=label, style=_DESCRIPTION_STYLE)


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def _encode_png(canvas) -> bytes:
    """The canvas as a PNG, written for speed rather than size.

    Pillow tries every PNG row filter and needs an RGB copy; plots are mostly
    flat colour, so filter "None" with zlib level 1 on the RGBA rows, copied
    once and contiguously, is about twice as fast (~4 ms for 1000x420) and
    only slightly larger.
    """
    width, height = canvas.get_width_height(physical=True)
    rgba = np.frombuffer(canvas.buffer_rgba(), np.uint8).reshape(height, 4 * width)
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # filter type None for every row
    rows[:, 1:] = rgba
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, 1)) + _png_chunk(b"IEND", b""))


class Panel:
    """A persistent figure, redrawn by blitting, shown in a core ``ipywidgets.Image`` under its controls.

    Parameters
    ----------
    fig : matplotlib Figure on an Agg canvas (see :func:`xentlib.plotting.new_figure`).
    update : callable ``update(**values) -> bool | None``. Moves the changing
        artists to the controls' current values; returns ``True`` if it also
        changed something static, which then forces one full redraw.
    controls : dict name -> ipywidgets value widget (see :func:`slider`).
    artists : the artists ``update`` changes; they are drawn over the cached background.
    scenes : optional dict name -> dict of control values; shown as buttons a
        lecturer can step through ("confidently wrong", ...).
    title : short text for viewers without widgets.

    Displaying a Panel shows the live widget; its display data also carries
    the first frame as ``image/png``, so a saved notebook shows the picture on
    GitHub and nbviewer.
    """

    _live: "weakref.WeakValueDictionary[int, Panel]" = weakref.WeakValueDictionary()
    _created = 0

    def __init__(self, fig, update, controls: dict, *, artists=(), scenes: dict | None = None, title: str = ""):
        self.fig, self.canvas = fig, fig.canvas
        self.controls = dict(controls)
        self.artists = list(artists)
        self.title = title
        self._update = update
        self._background = None
        self._holding = False
        for artist in self.artists:
            artist.set_animated(True)  # excluded from full draws; drawn per frame over the background
        self.status = w.HTML(value="")
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.scenes = dict(scenes or {})
        rows = [self._scene_buttons()] if self.scenes else []
        self.widget = w.VBox(rows + list(self.controls.values()) + [self.image, self.status])
        self.first_frame = self.render()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        Panel._created += 1
        Panel._live[Panel._created] = self

    # ------------------------------------------------------------------ state
    @property
    def values(self) -> dict:
        """The controls' current values, as ``update`` receives them."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> None:
        """Set several controls at once and render a single frame."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}.")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.render()

    def _scene_buttons(self) -> w.HBox:
        buttons = []
        for name, values in self.scenes.items():
            button = w.Button(description=name, tooltip=f"Set {values}", layout=w.Layout(width="auto"))
            button.on_click(lambda _, v=values: self.set(**v))
            buttons.append(button)
        return w.HBox([w.Label("Scenes:")] + buttons, layout=w.Layout(flex_flow="row wrap"))

    # ------------------------------------------------------------------ drawing
    def _on_change(self, _change) -> None:
        if not self._holding:
            self.render()

    def render(self) -> bytes:
        """Apply the controls' values, draw one frame, send it to the image widget and return the PNG."""
        try:
            if self._update(**self.values) or self._background is None:
                self._full_draw()
            self.canvas.restore_region(self._background)
            for artist in self.artists:
                self.fig.draw_artist(artist)
            png = _encode_png(self.canvas)
        except Exception as err:  # a slider must never leave a traceback in the page
            self.status.value = f"<span style='color:#D55E00'>Could not draw this frame: {html.escape(str(err))}</span>"
            raise
        if self.status.value:
            self.status.value = ""
        self.image.value = png
        return png

    def _full_draw(self) -> None:
        self.canvas.draw()
        if self.fig.get_layout_engine() is not None:
            # The layout is solved once, on the first draw; later full redraws
            # (a new unit, new axis limits) keep it and cost half as much.
            self.fig.set_layout_engine("none")
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def naive_frame(self) -> bytes:
        """The same frame the way ``interact`` + ``%matplotlib inline`` makes it: full redraw, default PNG.

        Used by ``benchmarks/bench_sliders.py`` as the baseline.  (It skips
        re-creating the figure, which ``interact`` also pays for, so the
        baseline is, if anything, flattering to the naive pattern.)
        """
        self._update(**self.values)
        for artist in self.artists:
            artist.set_animated(False)
        try:
            out = io.BytesIO()
            self.fig.savefig(out, format="png", bbox_inches="tight")
        finally:
            for artist in self.artists:
                artist.set_animated(True)
        return out.getvalue()

    def sweep(self, n: int = 25):
        """Move every control across its whole range, one at a time; yield (name, value, seconds) per frame.

        Restores the starting values afterwards. Used by the tests (every value
        must draw without error or warning) and by the slider benchmark.
        """
        start = self.values
        try:
            for name, control in self.controls.items():
                for value in _range_of(control, n):
                    t0 = time.perf_counter()
                    control.value = value
                    yield name, value, time.perf_counter() - t0
                control.value = start[name]
        finally:
            self.set(**start)

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.first_frame).decode("ascii"),
            "text/plain": f"[interactive figure{': ' + self.title if self.title else ''}; run the notebook to move the sliders]",
        }

    @classmethod
    def live(cls) -> list:
        """Every panel still alive in this kernel, oldest first (for the benchmark and the browser tests)."""
        return [cls._live[k] for k in sorted(cls._live.keys())]


def _range_of(control, n: int):
    """``n`` values spanning a control's whole range, both ends included (every option for buttons)."""
    if hasattr(control, "options"):
        return list(control.options) if not isinstance(control.options[0], tuple) else [v for _, v in control.options]
    if isinstance(control, w.FloatLogSlider):
        exps = np.linspace(control.min, control.max, n)
        return [float(control.base**e) for e in exps]
    values = np.linspace(control.min, control.max, n)
    if isinstance(control, w.IntSlider):
        return sorted({int(round(v)) for v in values})
    return [float(v) for v in values]
