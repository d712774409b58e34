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
import concurrent.futures
import functools
import html
import io
import os
import struct
import time
import weakref
import zlib

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.image import AxesImage

from .plotting import new_figure, style

__all__ = ["Panel", "FrameCache", "frame_cache", "PixelImage", "pixel_image", "slider", "int_slider", "log_slider",
           "choice", "new_figure", "style"]

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


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from the checksums of each (zlib's ``adler32_combine``)."""
    base = 65521
    a = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % base
    b = ((first >> 16) + (second >> 16) + (second_length % base) * (first & 0xFFFF) - (second_length % base)) % base
    return a | (b << 16)


_END_OF_STREAM = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final deflate block


@functools.lru_cache(1)
def _helper_thread() -> concurrent.futures.ThreadPoolExecutor:
    """One worker thread that shares the PNG compression with the kernel's own thread."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="xentlib-png")


if hasattr(os, "register_at_fork"):  # a forked child has no worker thread: it starts its own
    os.register_at_fork(after_in_child=_helper_thread.cache_clear)


class _PngEncoder:
    """PNG frames of one canvas, written for speed rather than size.

    * The rows are Agg's RGBA buffer as it is: no copy into RGB, which would
      cost numpy more time than zlib takes to compress the fourth channel
      (an opaque alpha filters to zeros).
    * Each row is filtered "Up" (the byte-wise difference from the row
      above; mod 256): flat colour and the repeated rows of a plot become
      runs of zeros, which zlib level 1 compresses faster and smaller than
      the raw bytes.  (Pillow instead tries every filter on each row of an
      RGB copy, and compresses at zlib's default level.)
    * A slider step changes a few bands of rows (the axes that moved), not
      the titles, labels and legends above and below them.  The image is
      compressed in bands of rows, each an independent deflate block, and a
      band whose pixels did not change since the last frame reuses its
      compressed bytes and checksum.  So that a band never depends on
      another, its first row is filtered "Sub" (the difference from the pixel
      to its left) instead of "Up".
    * numpy and zlib release the GIL, so when four or more bands changed,
      a helper thread compresses half of them: 35-45 % less time for a
      frame, and 3 ms off the median key press in the browser benchmark.
    """

    BAND_ROWS = 24
    _SUB, _UP = 1, 2  # PNG filter types

    def __init__(self):
        self._shape = None

    def encode(self, canvas) -> bytes:
        width, height = canvas.get_width_height(physical=True)
        pixels = np.frombuffer(canvas.buffer_rgba(), np.uint32).reshape(height, width)
        if self._shape != (height, width):
            self._reset(height, width)
            dirty = range(len(self._bands))
        else:
            changed_rows = np.not_equal(pixels, self._previous).any(axis=1)
            dirty = [i for i, (r0, r1) in enumerate(self._bands) if changed_rows[r0:r1].any()]
        np.copyto(self._previous, pixels)
        self._compress_bands(list(dirty), pixels.view(np.uint8))
        checksum, length = 1, 0
        for band_checksum, band_length in self._checksums:
            checksum = _adler32_combine(checksum, band_checksum, band_length) if length else band_checksum
            length += band_length
        stream = b"\x78\x01" + b"".join(self._chunks) + _END_OF_STREAM + struct.pack(">I", checksum)
        header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
        return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", stream)
                + _png_chunk(b"IEND", b""))

    def _reset(self, height: int, width: int) -> None:
        self._shape = (height, width)
        self._previous = np.empty((height, width), np.uint32)
        self._bands = [(r, min(r + self.BAND_ROWS, height)) for r in range(0, height, self.BAND_ROWS)]
        self._chunks = [b""] * len(self._bands)
        self._checksums = [(1, 0)] * len(self._bands)

    def _compress_bands(self, bands: list, raw) -> None:
        """Compress ``bands`` of ``raw``, the second half of them on the helper thread if there are enough."""
        half = len(bands) // 2
        if half < 2:
            self._compress_each(bands, raw)
            return
        helper = _helper_thread().submit(self._compress_each, bands[half:], raw)
        self._compress_each(bands[:half], raw)
        helper.result()

    def _compress_each(self, bands, raw) -> None:
        for band in bands:
            self._compress_band(band, raw)

    def _compress_band(self, band: int, raw) -> None:
        """Filter and deflate band ``band`` of ``raw``, the canvas as bytes (height, 4 * width)."""
        r0, r1 = self._bands[band]
        rows = np.empty((r1 - r0, 1 + raw.shape[1]), np.uint8)  # each row led by its filter type
        rows[0, 0], rows[1:, 0] = self._SUB, self._UP
        first = raw[r0]
        rows[0, 1:5] = first[:4]
        np.subtract(first[4:], first[:-4], out=rows[0, 5:])
        np.subtract(raw[r0 + 1:r1], raw[r0:r1 - 1], out=rows[1:, 1:])
        deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
        self._chunks[band] = deflate.compress(rows) + deflate.flush(zlib.Z_SYNC_FLUSH)
        self._checksums[band] = (zlib.adler32(rows), rows.size)


def pixel_image(ax, rgba, extent, *, origin: str = "lower", aspect="equal") -> "PixelImage":
    """Show an opaque RGBA uint8 array ``(ny, nx, 4)`` over ``extent = (left, right, bottom, top)``.

    Like ``ax.imshow(rgba, origin=origin, extent=extent, aspect=aspect,
    interpolation="nearest")`` (row 0 at the bottom of the extent for
    ``origin="lower"``, at its top for ``"upper"``; the axes get ``aspect``
    and limits that fit the image), but redrawn on an Agg canvas by copying
    pixels: see :class:`PixelImage`.  Update it with ``image.set_data(new_rgba)``.
    """
    if origin not in ("lower", "upper"):
        raise ValueError(f"origin must be 'lower' or 'upper'; got {origin!r}.")
    image = PixelImage(ax, origin=origin, interpolation="nearest")
    image.set_data(rgba)
    ax.add_image(image)
    image.set_clip_path(ax.patch)  # clipped to the axes, as imshow does
    image.set_extent(extent)
    ax.set_aspect(aspect)
    return image


class PixelImage(AxesImage):
    """An axis-aligned opaque image that an Agg canvas draws by copying pixels.

    matplotlib resamples an image through Agg on every draw, 1–3 ms for a
    160 x 160 image shown 400 pixels wide.  For an opaque RGBA uint8 image on
    linear axes, nearest-neighbour sampling is an indexed copy into the
    canvas buffer instead (about 0.2 ms): the display pixel whose centre
    falls in cell ``(i, j)`` of the extent takes that cell's colour.  Any
    other case (another renderer, log axes, transparency, a clip path) is
    drawn by matplotlib as usual.
    """

    _index_cache = None
    _opaque = False

    def set_data(self, A):
        super().set_data(A)
        a = self._A
        self._opaque = (a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] == 4 and a.flags.c_contiguous
                        and bool(a[..., 3].min() == 255))

    def _fast_path(self, renderer) -> bool:
        ax = self.axes
        clip_path = self.get_clip_path()
        return (self._opaque and isinstance(renderer, RendererAgg) and self.origin in ("lower", "upper")
                and (clip_path is None or getattr(clip_path, "_patch", None) is ax.patch)  # clipped to the axes box
                and self.get_transform() is ax.transData
                and ax.get_xscale() == "linear" and ax.get_yscale() == "linear"
                and self.get_alpha() in (None, 1))

    def draw(self, renderer):
        if not self.get_visible():
            self.stale = False
            return
        if not self._fast_path(renderer):
            return super().draw(renderer)
        rows, cols, flat = self._indices(renderer)
        if flat.size:
            # One gather of whole pixels (RGBA as one uint32), straight into the canvas.
            canvas = np.asarray(renderer.buffer_rgba()).view(np.uint32)[..., 0]
            np.take(self._A.view(np.uint32).reshape(-1), flat, out=canvas[rows, cols], mode="clip")
        self.stale = False

    def _indices(self, renderer):
        """Which canvas rows/columns the image covers, and which data row/column each one shows (cached)."""
        left, right, bottom, top = self.get_extent()
        to_display = self.get_transform()
        (x0, y0), (x1, y1) = to_display.transform([(left, bottom), (right, top)])
        clip = self.axes.bbox if self.get_clip_path() is not None else self.get_clip_box()
        height, width = int(renderer.height), int(renderer.width)
        key = (x0, y0, x1, y1, height, width, self._A.shape[:2], self.origin,
               None if clip is None else tuple(clip.extents))
        if self._index_cache is not None and self._index_cache[0] == key:
            return self._index_cache[1]
        ny, nx = self._A.shape[:2]
        xlo, xhi = sorted((x0, x1))
        ylo, yhi = sorted((y0, y1))
        if clip is not None:
            xlo, xhi = max(xlo, clip.x0), min(xhi, clip.x1)
            ylo, yhi = max(ylo, clip.y0), min(yhi, clip.y1)
        # Pixels whose centres fall inside the visible part of the extent.
        c0, c1 = max(int(np.ceil(xlo - 0.5)), 0), min(int(np.ceil(xhi - 0.5)), width)
        b0, b1 = max(int(np.ceil(ylo - 0.5)), 0), min(int(np.ceil(yhi - 0.5)), height)
        centres_x = np.arange(c0, c1) + 0.5
        centres_y = np.arange(b0, b1) + 0.5  # measured up from the bottom, as display coordinates are
        ci = np.clip(np.floor((centres_x - x0) / (x1 - x0) * nx).astype(np.intp), 0, nx - 1)
        ri = np.clip(np.floor((centres_y - y0) / (y1 - y0) * ny).astype(np.intp), 0, ny - 1)
        if self.origin == "upper":  # row 0 at the top of the extent
            ri = ny - 1 - ri
        # The canvas buffer's rows run from the top: display row b is buffer row height - 1 - b.
        rows = slice(height - b1, height - b0)
        flat = ri[::-1, None] * nx + ci[None, :]  # index into the image's pixels, flattened
        value = rows, slice(c0, c1), flat
        self._index_cache = (key, value)
        return value


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
    fig : matplotlib Figure on an Agg canvas (see :func:`xentlib.plotting.new_figure`).
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

    _live: "weakref.WeakValueDictionary[int, Panel]" = weakref.WeakValueDictionary()
    _created = 0

    def __init__(self, fig, update, controls: dict, *, artists=(), scenes: dict | None = None, title: str = ""):
        Panel._created += 1
        self._id = Panel._created
        self.fig, self.canvas = fig, fig.canvas
        self.controls = dict(controls)
        self.artists = list(artists)
        self.title = title
        self._update = update
        self._background = None
        self._holding = False
        self._encoder = _PngEncoder()
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
        Panel._live[self._id] = self

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
        """Apply the controls' values, draw the frame and return it as a ``data:`` URL."""
        try:
            self._apply()
            self._compose()
            return self._encode()
        except Exception as err:  # a slider must never leave a traceback in the page
            self.status.value = f"<span style='color:#D55E00'>Could not draw this frame: {html.escape(str(err))}</span>"
            raise

    # The phases of a frame, kept apart so the slider benchmark can time each one.
    def _apply(self) -> bool:
        """Move the artists to the controls' values; redraw everything if ``update`` asked for it (returns whether)."""
        if self._update(**self.values) or self._background is None:
            self._full_draw()
            return True
        return False

    def _compose(self, draw_artist=None) -> None:
        """Restore the cached background and draw the animated artists over it."""
        draw_artist = draw_artist or self.fig.draw_artist
        self.canvas.restore_region(self._background)
        for artist in self.artists:
            draw_artist(artist)

    def _encode(self) -> bytes:
        """The canvas as a PNG in a ``data:`` URL."""
        return _DATA_URL_PREFIX + base64.b64encode(self._encoder.encode(self.canvas))

    def _send(self, url: bytes) -> None:
        """Show ``url``, a PNG as a ``data:`` URL, in the image widget (the widget's ``format="url"``).

        Given PNG bytes, the widget's front end makes a ``blob:`` URL, which
        Chromium fetches through its resource loader in another process; a
        ``data:`` URL is read in the page itself, for a third more bytes on
        the wire.  Over the stored frames, Chromium presents the new image
        a median 3.6 ms sooner (``benchmarks/bench_image_load.py``).
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
