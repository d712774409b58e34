"""Instant sliders: one small panel helper for every interactive figure.

The usual ``interact`` pattern re-creates a matplotlib figure and re-encodes
a PNG on every slider event.  A :class:`Panel` instead keeps one
figure on an Agg canvas, draws the parts that never change once, and on each
event redraws only the changing ("animated") artists over a cached copy of
that background (blitting), then sends a fast PNG to a core
``ipywidgets.Image``.  How fast, and how it is measured:
``benchmarks/README.md``.

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

A panel keeps the frames it has sent (:data:`frame_cache`, one for the
kernel): moving a slider back to a value shown before re-sends that frame,
without drawing.  So ``update`` must set everything from the values it is
given, and a figure changed outside ``update`` needs ``panel.forget_frames()``.

Everything not listed in ``artists`` is background, drawn under the moving
artists: an in-axes legend or readout box that moving curves may cross should
either be listed in ``artists`` or placed outside the axes (``fig.legend``).
"""

from __future__ import annotations

import base64
import collections
import html

import ipywidgets as w

from .png import PngEncoder

__all__ = ["Panel", "FrameCache", "frame_cache"]


_DATA_URL_PREFIX = b"data:image/png;base64,"  # how a Panel's frames reach its image widget (see Panel._send)


class FrameCache:
    """The frames panels have shown, kept as the ``data:`` URLs sent, by panel and control values.

    A panel's frame is a function of its controls' values: ``update``
    receives nothing else (``tests/test_explore.py`` checks every figure).  So
    a state shown again (a slider moved back, a scene chosen twice) is sent
    again from here: the kernel neither draws nor encodes it.  (The browser
    still decodes it: in ``benchmarks/bench_browser.py`` the time from new
    image to paint is about the same for such frames as for new ones.)

    One cache serves every panel in the kernel.  It holds at most
    ``max_bytes`` of URLs (a frame is 60-200 kB) and drops the frame used
    least recently first, so the frames of figures no longer looked at age out.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._urls: collections.OrderedDict = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._urls)

    def get(self, key) -> bytes | None:
        url = self._urls.get(key)
        if url is not None:
            self._urls.move_to_end(key)
        return url

    def put(self, key, url: bytes) -> None:
        self._drop(key)
        self._urls[key] = url
        self.nbytes += len(url)
        while self.nbytes > self.max_bytes:
            self._drop(next(iter(self._urls)))

    def forget(self, panel_id: int) -> None:
        """Drop the frames of one panel (keys are ``(panel_id, values)``)."""
        for key in [key for key in self._urls if key[0] == panel_id]:
            self._drop(key)

    def clear(self) -> None:
        self._urls.clear()
        self.nbytes = 0

    def _drop(self, key) -> None:
        url = self._urls.pop(key, None)
        if url is not None:
            self.nbytes -= len(url)


#: The kernel's one frame cache: 32 MiB, a few hundred frames.
frame_cache = FrameCache(32 * 2**20)


class Panel:
    """A persistent figure, redrawn by blitting, shown in a core ``ipywidgets.Image`` under its controls.

    Parameters
    ----------
    fig : matplotlib Figure on an Agg canvas (see :func:`xentlib.drawing.new_figure`).
    update : callable ``update(**values) -> bool | None``. Moves the changing
        artists to the controls' current values; returns ``True`` if it also
        changed something static, which then forces one full redraw.
    controls : dict name -> ipywidgets value widget (see :func:`slider`).
    artists : the artists ``update`` changes; they are drawn over the cached background.
    scenes : optional dict name -> dict of control values; shown as buttons a
        lecturer can step through ("confidently wrong", ...).
    title : short text for viewers without widgets.

    A state shown before is sent again from the :data:`frame_cache` (see the
    module docstring).

    Displaying a Panel shows the live widget; its display data also carries
    the first frame as ``image/png``, so a saved notebook shows the picture on
    GitHub and nbviewer.
    """

    _created = 0

    def __init__(self, fig, update, controls: dict, *, artists=(), scenes: dict | None = None, title: str = ""):
        Panel._created += 1
        self._id = Panel._created
        self.fig, self.canvas = fig, fig.canvas
        self.controls = dict(controls)
        self.artists = list(artists)
        self.title = title
        self.update = update
        self._background = None
        self._holding = False
        self._encoder = PngEncoder()
        for artist in self.artists:
            artist.set_animated(True)  # excluded from full draws; drawn per frame over the background
        self.status = w.HTML(value="")
        # Pixel for pixel: a flex column stretches an image to its width (blurred, and resampled every frame).
        self.image = w.Image(format="url", layout=w.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self.scenes = dict(scenes or {})
        rows = [self._scene_buttons()] if self.scenes else []
        self.widget = w.VBox(rows + list(self.controls.values()) + [self.image, self.status])
        self.render()
        self.first_frame = self.frame
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

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

    def render(self) -> None:
        """Show the frame of the controls' current values: from the frame cache if shown before, else drawn now."""
        key = self._frame_key()
        url = None if key is None else frame_cache.get(key)
        if url is None:
            url = self._draw()
            if key is not None:
                frame_cache.put(key, url)
        self._send(url)

    def forget_frames(self) -> None:
        """Drop this panel's frames from the frame cache: call it after changing the figure outside ``update``."""
        frame_cache.forget(self._id)

    def _frame_key(self) -> tuple | None:
        """``(panel, values)`` for the frame cache; None if a value is unhashable. Floats by hex: -0.0 is not 0.0."""
        values = tuple(v.hex() if isinstance(v, float) else v for v in self.values.values())
        try:
            hash(values)
        except TypeError:
            return None
        return (self._id, values)

    def _draw(self) -> bytes:
        """Apply the controls' values, draw the frame and return it as a ``data:`` URL.

        The moving artists are drawn over the cached background (blitting);
        everything is drawn again only if ``update`` asked for it.
        """
        try:
            if self.update(**self.values) or self._background is None:
                self._full_draw()
            self.canvas.restore_region(self._background)
            for artist in self.artists:
                self.fig.draw_artist(artist)
            return _DATA_URL_PREFIX + base64.b64encode(self._encoder.encode(self.canvas))
        except Exception as err:  # a slider must never leave a traceback in the page
            self.status.value = f"<span style='color:#D55E00'>Could not draw this frame: {html.escape(str(err))}</span>"
            raise

    def _send(self, url: bytes) -> None:
        """Show ``url``, a PNG as a ``data:`` URL, in the image widget (the widget's ``format="url"``).

        Given PNG bytes, the widget's front end makes a ``blob:`` URL, which
        Chromium fetches through its resource loader in another process; a
        ``data:`` URL is read in the page itself, for a third more bytes on
        the wire, and Chromium presents it sooner
        (``benchmarks/bench_image_load.py``).
        ipywidgets 7 also never revokes the blob URLs it makes, so every
        frame would stay in memory.
        """
        if self.status.value:
            self.status.value = ""
        self.image.value = url

    @property
    def frame(self) -> bytes:
        """The PNG the image widget shows now."""
        return base64.b64decode(bytes(self.image.value).removeprefix(_DATA_URL_PREFIX), validate=True)

    def _full_draw(self) -> None:
        self.canvas.draw()
        if self.fig.get_layout_engine() is not None:
            # The layout is solved once, on the first draw; later full redraws
            # (a new unit, new axis limits) keep it and cost half as much.
            self.fig.set_layout_engine("none")
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.first_frame).decode("ascii"),
            "text/plain": f"[interactive figure{': ' + self.title if self.title else ''}; run the notebook to move the sliders]",
        }
