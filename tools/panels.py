"""What the tests and benchmarks do to a live Panel: find every panel, sweep its controls, draw it the naive way.

Kept out of :class:`xentlib.drawing.Panel`, which a learner's notebook uses
and which needs none of this.
"""

from __future__ import annotations

import gc
import io
import time

import ipywidgets as w
import numpy as np

from xentlib.drawing import Panel


def live_panels() -> list:
    """Every Panel alive in this process, oldest first."""
    return sorted((obj for obj in gc.get_objects() if isinstance(obj, Panel)), key=lambda panel: panel._id)


def control_values(control, n: int) -> list:
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


def sweep(panel: Panel, n: int = 25):
    """Move every control across its whole range, one at a time; yield (name, value, seconds) per frame.

    Restores the starting values afterwards.
    """
    start = panel.values
    try:
        for name, control in panel.controls.items():
            for value in control_values(control, n):
                t0 = time.perf_counter()
                control.value = value
                yield name, value, time.perf_counter() - t0
            control.value = start[name]
    finally:
        panel.set(**start)


def naive_frame(panel: Panel) -> bytes:
    """The panel's frame the way ``interact`` + ``%matplotlib inline`` makes it: full redraw, default PNG.

    The baseline of the benchmarks.  (It skips re-creating the figure, which
    ``interact`` also pays for, so the baseline is, if anything, flattering
    to the naive pattern.)
    """
    panel.update(**panel.values)
    for artist in panel.artists:
        artist.set_animated(False)
    try:
        out = io.BytesIO()
        panel.fig.savefig(out, format="png", bbox_inches="tight")
    finally:
        for artist in panel.artists:
            artist.set_animated(True)
    return out.getvalue()
