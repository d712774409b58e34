"""Every interactive figure: builds, and every control value across its range draws without error or warning."""

import importlib
import inspect
import pkgutil

import pytest
from ipywidgets import FloatLogSlider

import xentlib.explore
from xentlib.widgets import Panel


def _figure_builders():
    for info in pkgutil.iter_modules(xentlib.explore.__path__):
        module = importlib.import_module(f"xentlib.explore.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and inspect.signature(obj).return_annotation in ("Panel", Panel):
                yield pytest.param(obj, id=f"{info.name}.{name}")


BUILDERS = list(_figure_builders())


def test_there_are_figures_to_test():
    assert len(BUILDERS) >= 3


@pytest.mark.parametrize("build", BUILDERS)
def test_every_slider_value_draws(build):
    panel = build()
    assert panel.first_frame.startswith(b"\x89PNG")
    assert panel.controls, "an interactive figure needs at least one control"
    frames = {name: set() for name in panel.controls}
    for name, _value, _seconds in panel.sweep(n=9):
        frames[name].add(bytes(panel.image.value))
    for name, seen in frames.items():
        assert len(seen) > 1, f"moving {name!r} never changed the picture"


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


@pytest.mark.parametrize("build", BUILDERS)
def test_text_is_large_enough_for_a_projector(build):
    from matplotlib.text import Text

    panel = build()
    assert panel.fig.dpi == 100
    small = sorted({(t.get_fontsize(), t.get_text()[:40]) for t in panel.fig.findobj(Text)
                    if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_PT})
    assert not small, f"text under {MIN_FONT_PT} pt: {small[:5]}"
