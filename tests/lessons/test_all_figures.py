"""Every lesson's interactive figures: each builds, every control value across its range draws without error or
warning, a frame depends on the control values only, and the figure is legible on a projector and a laptop."""

import collections
import importlib
import inspect

import pytest
from ipywidgets import FloatLogSlider
from panels import control_values, sweep

import xentlib.lessons
from xentlib.drawing import Panel, frame_cache


def _figure_builders():
    for lesson in xentlib.lessons.names():
        module = importlib.import_module(f"xentlib.lessons.{lesson}.figures")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and inspect.signature(obj).return_annotation in ("Panel", Panel):
                yield pytest.param(obj, id=f"{lesson}.{name}")


BUILDERS = list(_figure_builders())


def test_there_are_figures_to_test():
    assert len(BUILDERS) >= 3


@pytest.mark.parametrize("build", BUILDERS)
def test_every_slider_value_draws(build):
    panel = build()
    assert panel.first_frame.startswith(b"\x89PNG")
    assert panel.controls, "an interactive figure needs at least one control"
    frames = {name: set() for name in panel.controls}
    for name, _value, _seconds in sweep(panel, n=9):
        frames[name].add(bytes(panel.image.value))
    for name, seen in frames.items():
        assert len(seen) > 1, f"moving {name!r} never changed the picture"


@pytest.mark.parametrize("build", BUILDERS)
def test_a_frame_depends_on_the_control_values_only(build, monkeypatch):
    """What the frame cache relies on: a state drawn again, reached from another state, gives the same frame."""
    monkeypatch.setattr(frame_cache, "max_bytes", 0)  # every frame drawn
    frame_cache.clear()
    panel = build()
    start = panel.values
    frames = collections.defaultdict(set)  # (control, value), the others at their start -> PNGs drawn
    for name, control in panel.controls.items():
        values = control_values(control, 5)
        for value in values + values[::-1]:  # each value reached from below, then from above
            if control.value == value:
                panel.render()  # no change event: draw it anyway
            else:
                control.value = value
            frames[name, repr(value)].add(panel.frame)
        control.value = start[name]
    panel.render()
    assert panel.frame == panel.first_frame, "the starting state drew differently after moving the sliders"
    differing = [state for state, seen in frames.items() if len(seen) > 1]
    assert not differing, f"these states drew differently when reached from elsewhere: {differing}"


@pytest.mark.parametrize("build", BUILDERS)
def test_scenes_use_real_controls_and_legal_values(build):
    panel = build()
    for scene, values in panel.scenes.items():
        for name, value in values.items():
            control = panel.controls[name]
            if isinstance(control, FloatLogSlider):
                assert control.base**control.min <= value <= control.base**control.max, (scene, name)
            elif hasattr(control, "min"):
                assert control.min <= value <= control.max, (scene, name)
            else:
                assert value in control.options, (scene, name)
        panel.set(**values)
        assert panel.values == {**panel.values, **values}


#: Projector legibility: no text under 10 pt, i.e. 14 px at the figures' 100 dpi when shown at full size.
MIN_FONT_PT = 10
#: ... and shown at full size on a 1366 px wide screen (a common laptop and projector width), where the
#: classroom page's column is 1332 px: a wider figure is shrunk, its text too, and resampled on every frame.
MAX_WIDTH_PX = 1300


#: Neighbouring tick labels need a gap, or "−1.0−0.5" reads as one number.
MIN_TICK_GAP_PX = 4


@pytest.mark.parametrize("build", BUILDERS)
def test_tick_labels_do_not_run_into_each_other(build):
    panel = build()
    renderer = panel.canvas.get_renderer()
    crowded = []
    for ax in panel.fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, (0, 2)), (ax.yaxis, (1, 3))):
            low, high = sorted(axis.get_view_interval())
            shown = [t for t, tick in zip(axis.get_ticklabels(), axis.get_ticklocs())
                     if t.get_visible() and t.get_text().strip() and low <= tick <= high]
            boxes = sorted(((tuple(t.get_window_extent(renderer).extents), t.get_text()) for t in shown),
                           key=lambda box: box[0][lo])
            for (a, text_a), (b, text_b) in zip(boxes, boxes[1:]):
                if b[lo] - a[hi] < MIN_TICK_GAP_PX:
                    crowded.append(f"{ax.get_title() or ax.get_xlabel()!r}: {text_a!r} runs into {text_b!r}")
    assert not crowded, crowded


@pytest.mark.parametrize("build", BUILDERS)
def test_figure_fits_a_1366_px_screen(build):
    width, height = build().canvas.get_width_height(physical=True)
    assert width <= MAX_WIDTH_PX, f"{width} px wide; at most {MAX_WIDTH_PX} px is shown pixel for pixel"


@pytest.mark.parametrize("build", BUILDERS)
def test_text_is_large_enough_for_a_projector(build):
    from matplotlib.text import Text

    panel = build()
    assert panel.fig.dpi == 100
    small = sorted({(t.get_fontsize(), t.get_text()[:40]) for t in panel.fig.findobj(Text)
                    if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_PT})
    assert not small, f"text under {MIN_FONT_PT} pt: {small[:5]}"
