"""The panel helper: blitted frames equal full redraws, PNGs are valid, display data carries a static frame."""

import base64
import io
import warnings

import numpy as np
import pytest
from PIL import Image

from xentlib.plotting import new_figure
from xentlib.widgets import Panel, choice, int_slider, log_slider, slider


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
    blitted = _pixels(bytes(panel.image.value))
    for artist in panel.artists:
        artist.set_animated(False)
    panel.canvas.draw()
    full = np.asarray(panel.canvas.buffer_rgba())[:, :, :3].astype(int)
    assert blitted.shape == full.shape
    assert np.abs(blitted - full).max() <= 1


def test_slider_change_redraws_and_png_is_valid():
    panel = _toy_panel()
    before = bytes(panel.image.value)
    panel.controls["a"].value = 0.9
    after = bytes(panel.image.value)
    assert before != after
    assert after.startswith(b"\x89PNG") and Image.open(io.BytesIO(after)).size == panel.canvas.get_width_height()


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
    for name, value, seconds in panel.sweep(n=5):
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
    png = panel.naive_frame()
    assert png.startswith(b"\x89PNG")
    assert all(artist.get_animated() for artist in panel.artists)


def test_control_factories_label_their_controls():
    assert log_slider("p", -3, 0, 0.1, 0.1).description == "p"
    assert choice("unit", ["a", "b"]).value == "a"


def test_live_panels_are_listed_in_creation_order():
    first, second = _toy_panel(), _toy_panel()
    live = Panel.live()
    assert live.index(first) < live.index(second)


def test_no_pyplot_figures_are_left_behind():
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _toy_panel()
    assert plt.get_fignums() == []


def test_static_figure_is_a_plain_png():
    from xentlib.plotting import StaticFigure

    fig, ax = new_figure(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    static = StaticFigure(fig, "a line")
    assert static._repr_png_().startswith(b"\x89PNG") and "a line" in repr(static)


def test_new_figure_passes_sharing_through():
    fig, (top, bottom) = new_figure(2, 1, sharex=True)
    assert top.get_shared_x_axes().joined(top, bottom)
