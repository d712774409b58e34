"""The controls of an interactive figure: core ipywidgets sliders and buttons, labelled and sized alike."""

from __future__ import annotations

import ipywidgets as w

__all__ = ["slider", "log_slider", "int_slider", "choice"]

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
