"""xentlib.drawing.panel, .pixels and .png: blitted frames equal full redraws, PNGs are valid and fast, display data carries a static frame."""

import base64
import io
import warnings

import numpy as np
import pytest
from panels import live_panels, naive_frame, sweep
from PIL import Image

from xentlib.drawing import (
    FrameCache,
    Panel,
    PixelImage,
    choice,
    int_slider,
    log_slider,
    new_figure,
    pixel_image,
    slider,
)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _toy_panel():
    fig, ax = new_figure(figsize=(4, 3))
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2)
    (marker,) = ax.plot([], [], "o")
    label = ax.text(0.1, 0.9, "", transform=ax.transAxes)

    def update(a, n):
        marker.set_data([a], [a**2])
        label.set_text(f"a = {a:.2f}, n = {n}")

    return Panel(fig, update, {"a": slider("a", 0.0, 1.0, 0.01, 0.3), "n": int_slider("n", 1, 5, 2)},
                 artists=[marker, label], scenes={"end": {"a": 1.0, "n": 5}})


def test_blitted_frame_equals_a_full_redraw():
    panel = _toy_panel()
    panel.controls["a"].value = 0.8
    blitted = _pixels(panel.frame)
    for artist in panel.artists:
        artist.set_animated(False)
    panel.canvas.draw()
    full = np.asarray(panel.canvas.buffer_rgba())[:, :, :3].astype(int)
    assert blitted.shape == full.shape
    assert np.abs(blitted - full).max() <= 1


def test_slider_change_redraws_and_png_is_valid():
    panel = _toy_panel()
    before = panel.frame
    panel.controls["a"].value = 0.9
    after = panel.frame
    assert before != after
    assert after.startswith(b"\x89PNG") and Image.open(io.BytesIO(after)).size == panel.canvas.get_width_height()


def test_the_image_widget_gets_the_frame_as_a_data_url():
    panel = _toy_panel()
    panel.controls["a"].value = 0.7
    assert panel.image.format == "url"  # the front end then uses the value as the <img>'s src
    prefix, _, payload = bytes(panel.image.value).partition(b",")
    assert prefix == b"data:image/png;base64"
    png = base64.b64decode(payload, validate=True)
    assert png == panel.frame
    assert np.array_equal(_pixels(png), np.asarray(panel.canvas.buffer_rgba())[:, :, :3])


def _counting_panel():
    """The toy panel, counting the calls of its ``update``."""
    panel = _toy_panel()
    calls = []
    update = panel.update
    panel.update = lambda **values: calls.append(values) or update(**values)
    return panel, calls


def test_a_state_shown_before_is_sent_again_without_drawing():
    panel, calls = _counting_panel()
    first = bytes(panel.image.value)
    panel.controls["a"].value = 0.9
    ninety = bytes(panel.image.value)
    panel.controls["a"].value = 0.3  # back to the first state
    assert bytes(panel.image.value) == first and calls == [{"a": 0.9, "n": 2}]
    panel.controls["a"].value = 0.9
    assert bytes(panel.image.value) == ninety and len(calls) == 1
    panel.controls["n"].value = 3  # a new state is drawn
    assert len(calls) == 2 and bytes(panel.image.value) not in (first, ninety)


def test_a_float_value_is_its_own_state():
    panel, calls = _counting_panel()
    panel.controls["a"].value = 0.0
    panel.controls["a"].value = -0.0  # equal to 0.0, and no change event: render it explicitly
    panel.render()
    assert [c["a"] for c in calls] == [0.0, -0.0]
    assert str(calls[1]["a"]) == "-0.0"


def test_forget_frames_makes_the_next_frame_drawn_again():
    panel, calls = _counting_panel()
    panel.forget_frames()
    panel.render()
    assert calls == [{"a": 0.3, "n": 2}]


def test_the_frame_cache_keeps_at_most_max_bytes_dropping_the_least_recently_used():
    cache = FrameCache(max_bytes=10)
    cache.put((1, "a"), b"aaaa")
    cache.put((1, "b"), b"bbbb")
    assert cache.get((1, "a")) == b"aaaa"  # now the most recently used
    cache.put((2, "c"), b"cccc")  # 12 bytes: "b" goes
    assert (cache.get((1, "b")), len(cache), cache.nbytes) == (None, 2, 8)
    cache.put((2, "c"), b"cc")  # replacing a frame counts its new size only
    assert cache.nbytes == 6
    cache.forget(1)
    assert (cache.get((1, "a")), cache.get((2, "c")), cache.nbytes) == (None, b"cc", 2)
    cache.put((3, "d"), b"d" * 11)  # larger than the whole cache: kept nowhere
    assert (len(cache), cache.nbytes) == (0, 0)


def test_unhashable_values_are_drawn_every_time():
    fig, ax = new_figure(figsize=(3, 2))
    (line,) = ax.plot([0, 1], [0, 1])
    calls = []

    def update(points):
        calls.append(points)
        line.set_ydata(points["y"])

    rising, falling = {"y": [0, 1]}, {"y": [1, 0]}  # dicts: no hash
    points = choice("points", [("rising", rising), ("falling", falling)], rising)
    panel = Panel(fig, update, {"points": points}, artists=[line])
    panel.controls["points"].index = 1
    panel.controls["points"].index = 0
    assert len(calls) == 3 and panel._frame_key() is None


def test_scenes_set_every_value_with_one_frame():
    panel = _toy_panel()
    frames = []
    panel.image.observe(lambda change: frames.append(change["new"]), names="value")
    panel.set(**panel.scenes["end"])
    assert panel.values == {"a": 1.0, "n": 5}
    assert len(frames) == 1


def test_unknown_control_in_set_is_an_error():
    with pytest.raises(ValueError, match="unknown control"):
        _toy_panel().set(b=1)


def test_display_data_has_widget_and_static_frame():
    panel = _toy_panel()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == panel.first_frame
    assert "interactive figure" in bundle["text/plain"]


def test_sweep_covers_every_control_and_restores_values():
    panel = _toy_panel()
    seen = {}
    for name, value, seconds in sweep(panel, n=5):
        seen.setdefault(name, []).append(value)
        assert seconds >= 0
    assert seen["a"][0] == 0.0 and seen["a"][-1] == 1.0
    assert seen["n"] == [1, 2, 3, 4, 5]
    assert panel.values == {"a": 0.3, "n": 2}


def test_failing_update_shows_a_message_not_a_silent_blank():
    fig, _ = new_figure()

    def update(a):
        if a > 0.5:
            raise ZeroDivisionError("boom")

    panel = Panel(fig, update, {"a": slider("a", 0.0, 1.0, 0.1, 0.0)})
    with pytest.raises(ZeroDivisionError):
        panel.set(a=0.9)
    assert "boom" in panel.status.value


def test_naive_frame_matches_the_figure():
    panel = _toy_panel()
    png = naive_frame(panel)
    assert png.startswith(b"\x89PNG")
    assert all(artist.get_animated() for artist in panel.artists)


def test_control_factories_label_their_controls():
    assert log_slider("p", -3, 0, 0.1, 0.1).description == "p"
    assert choice("unit", ["a", "b"]).value == "a"


def test_live_panels_are_listed_in_creation_order():
    first, second = _toy_panel(), _toy_panel()
    live = live_panels()
    assert live.index(first) < live.index(second)


def test_no_pyplot_figures_are_left_behind():
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _toy_panel()
    assert plt.get_fignums() == []


def test_static_figure_is_a_plain_png():
    from xentlib.drawing import StaticFigure

    fig, ax = new_figure(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    static = StaticFigure(fig, "a line")
    assert static._repr_png_().startswith(b"\x89PNG") and "a line" in repr(static)


def test_new_figure_passes_sharing_through():
    fig, (top, bottom) = new_figure(2, 1, sharex=True)
    assert top.get_shared_x_axes().joined(top, bottom)


# ---------------------------------------------------------------- PixelImage

_CELLS = np.random.default_rng(0).integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
_CELLS[..., 3] = 255


def _rendered(make_image, limits=None, data=_CELLS, placement=("lower", "equal")):
    fig, ax = new_figure(figsize=(5, 4))
    image = make_image(ax, data, *placement)
    if limits:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int), image


def _imshow(ax, data, origin="lower", aspect="equal"):
    return ax.imshow(data, origin=origin, extent=(-2, 3, -1, 1.5), aspect=aspect, interpolation="nearest")


def _pixel(ax, data, origin="lower", aspect="equal"):
    return pixel_image(ax, data, (-2, 3, -1, 1.5), origin=origin, aspect=aspect)


#: imshow's placements that pixel_image copies: row 0 at the bottom or the top, square cells or filling the axes.
PLACEMENTS = [("lower", "equal"), ("upper", "equal"), ("lower", "auto"), ("upper", "auto")]
PLACEMENT_IDS = [f"{o}-{a}" for o, a in PLACEMENTS]


def _axes_mask(image, shape, grow: int):
    """Canvas pixels within ``grow`` pixels of the image's axes box (negative: inside it by that much)."""
    x0, y0, x1, y1 = image.axes.bbox.extents
    rows, cols = np.mgrid[: shape[0], : shape[1]]
    y = shape[0] - rows - 0.5  # display coordinates run upwards
    return (x0 - grow <= cols + 0.5) & (cols + 0.5 <= x1 + grow) & (y0 - grow <= y) & (y <= y1 + grow)


LIMITS = [None, ((-1, 2), (-0.5, 2)), ((3, -2), (-1, 1.5)), ((-4, 5), (-3, 3))]
LIMIT_IDS = ["fitted", "zoomed-in", "x-inverted", "zoomed-out"]


@pytest.mark.parametrize("placement", PLACEMENTS, ids=PLACEMENT_IDS)
@pytest.mark.parametrize("limits", LIMITS, ids=LIMIT_IDS)
def test_pixel_image_matches_imshow_up_to_one_pixel_at_cell_edges(limits, placement):
    reference, _ = _rendered(_imshow, limits, placement=placement)
    fast, image = _rendered(_pixel, limits, placement=placement)
    assert image._fast_path(image.figure.canvas.get_renderer())
    inside = _axes_mask(image, fast.shape, grow=-2)
    rows, cols = np.nonzero(np.any(fast != reference, axis=2) & inside)
    assert len(rows) < 0.4 * inside.sum()  # cells are ~6 pixels wide: at most one row and one column of each moves
    for r, c in zip(rows, cols):  # every differing pixel shows a neighbour's colour: a cell edge moved by one pixel
        neighbours = reference[r - 1 : r + 2, c - 1 : c + 2].reshape(-1, 4)
        assert (neighbours == fast[r, c]).all(axis=1).any(), (r, c)


@pytest.mark.parametrize("placement", PLACEMENTS, ids=PLACEMENT_IDS)
@pytest.mark.parametrize("limits", LIMITS, ids=LIMIT_IDS)
def test_pixel_image_stays_inside_the_axes(limits, placement):
    reference, _ = _rendered(_imshow, limits, placement=placement)
    fast, image = _rendered(_pixel, limits, placement=placement)
    outside = ~_axes_mask(image, fast.shape, grow=1)
    assert np.array_equal(fast[outside], reference[outside])


def test_pixel_image_falls_back_to_matplotlib_when_not_opaque_or_not_agg():
    translucent = _CELLS.copy()
    translucent[..., 3] = 128
    fast, image = _rendered(_pixel, data=translucent)
    reference, _ = _rendered(_imshow, data=translucent)
    assert not image._fast_path(image.figure.canvas.get_renderer())
    assert np.array_equal(fast, reference)
    with pytest.raises(ValueError, match="origin must be 'lower' or 'upper'"):
        pixel_image(image.axes, _CELLS, (0, 1, 0, 1), origin="middle")
    svg = io.BytesIO()
    image.figure.savefig(svg, format="svg")
    assert b"<image" in svg.getvalue()


def test_blitted_pixel_image_equals_a_full_redraw():
    fig, ax = new_figure(figsize=(4, 3))
    image = pixel_image(ax, _CELLS, (0, 1, 0, 1))
    (dot,) = ax.plot([], [], "o", color="black")

    def update(shift):
        image.set_data(np.roll(_CELLS, shift, axis=1))
        dot.set_data([shift / 53], [0.5])

    panel = Panel(fig, update, {"shift": int_slider("shift", 0, 52, 0)}, artists=[image, dot])
    panel.controls["shift"].value = 17
    blitted = _pixels(panel.frame)
    for artist in panel.artists:
        artist.set_animated(False)
    panel.canvas.draw()
    full = np.asarray(panel.canvas.buffer_rgba())[:, :, :3].astype(int)
    # Blitting draws the image over the static spines; a full draw puts the spines on top.  Elsewhere: identical.
    away_from_spines = ~(_axes_mask(image, full.shape, grow=3) & ~_axes_mask(image, full.shape, grow=-3))
    assert np.array_equal(blitted[away_from_spines], full[away_from_spines])
    assert not np.array_equal(blitted, _pixels(panel.first_frame))
    assert isinstance(image, PixelImage)


# ---------------------------------------------------------------- PNG encoder

def test_adler32_combine_matches_zlib():
    import zlib

    from xentlib.drawing.png import _adler32_combine

    rng = np.random.default_rng(1)
    for _ in range(50):
        a, b = rng.bytes(int(rng.integers(1, 5000))), rng.bytes(int(rng.integers(0, 200_000)))
        assert _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


@pytest.mark.parametrize("background", ["white", (1.0, 1.0, 0.9, 0.5)])
def test_encoder_frames_decode_to_the_canvas_as_bands_change(background):
    """Every frame decodes (zlib checks the combined checksum) to exactly the canvas, whichever bands changed.

    Frames are RGBA whether or not the figure is opaque; a band reused from
    an earlier frame must not depend on the rows of a band that changed.
    """
    from xentlib.drawing.png import PngEncoder

    fig, ax = new_figure(figsize=(4, 3))
    fig.patch.set_facecolor(background)
    image = pixel_image(ax, _CELLS, (0, 1, 0, 1))
    encoder = PngEncoder()

    def assert_decodes_to_canvas(png):
        decoded = Image.open(io.BytesIO(png))
        assert decoded.mode == "RGBA"
        assert np.array_equal(np.asarray(decoded), np.asarray(fig.canvas.buffer_rgba()))

    for shift in (0, 0, 5, 6, 30):  # unchanged, then changes of every size
        before = list(encoder._chunks) if encoder._shape else []
        image.set_data(np.roll(_CELLS, shift, axis=0))
        fig.canvas.draw()
        assert_decodes_to_canvas(encoder.encode(fig.canvas))
        reused = [a is b for a, b in zip(before, encoder._chunks)]
        if shift in (0, 6):  # nothing / only the image's rows changed: the title and axis-label bands are reused
            assert all(reused) if shift == 0 else (any(reused) and not all(reused))
    fig.set_size_inches(3, 2)  # a new canvas size starts afresh
    fig.canvas.draw()
    assert_decodes_to_canvas(encoder.encode(fig.canvas))
    fig.patch.set_alpha(0.5)  # every band changes
    fig.canvas.draw()
    assert_decodes_to_canvas(encoder.encode(fig.canvas))


def test_encoder_reuses_a_band_whose_neighbour_changed():
    """Change only the last row of one band: the next band is reused and must still decode right."""
    from xentlib.drawing.png import PngEncoder

    class Pixels:  # a canvas is only asked for its size and its RGBA buffer
        def __init__(self, rgba):
            self.rgba = rgba

        def get_width_height(self, physical=False):
            return self.rgba.shape[1], self.rgba.shape[0]

        def buffer_rgba(self):
            return memoryview(self.rgba)

    rng = np.random.default_rng(0)
    rows = 3 * PngEncoder.BAND_ROWS + 5
    canvas = Pixels(rng.integers(0, 256, (rows, 37, 4), dtype=np.uint8))
    encoder = PngEncoder()
    encoder.encode(canvas)
    for row in (PngEncoder.BAND_ROWS - 1, 2 * PngEncoder.BAND_ROWS - 1, rows - 1, 0):
        before = list(encoder._chunks)
        canvas.rgba[row] = rng.integers(0, 256, canvas.rgba[row].shape, dtype=np.uint8)
        png = encoder.encode(canvas)
        assert sum(a is not b for a, b in zip(before, encoder._chunks)) == 1  # one band recompressed
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), canvas.rgba)


def test_encoder_shares_a_frame_with_its_helper_thread(monkeypatch):
    """A frame with many changed bands is compressed on two threads, into the same bytes as on one."""
    import threading

    from xentlib.drawing import png
    from xentlib.drawing.png import PngEncoder

    fig, ax = new_figure(figsize=(4, 3))
    pixel_image(ax, _CELLS, (0, 1, 0, 1))
    fig.canvas.draw()
    threads = []
    compress_band = PngEncoder._compress_band

    def recording(self, band, raw):
        threads.append(threading.current_thread().name)
        compress_band(self, band, raw)

    monkeypatch.setattr(PngEncoder, "_compress_band", recording)
    shared = PngEncoder().encode(fig.canvas)
    assert len(threads) == len(range(0, fig.canvas.get_width_height()[1], PngEncoder.BAND_ROWS))
    assert {name.startswith("xentlib-png") for name in threads} == {True, False}

    class Inline:  # runs the helper's half on the calling thread
        def submit(self, fn, *args):
            fn(*args)
            return type("Done", (), {"result": lambda self: None})()

    monkeypatch.setattr(png, "_helper_thread", Inline)
    threads.clear()
    assert PngEncoder().encode(fig.canvas) == shared
    assert not any(name.startswith("xentlib-png") for name in threads)
