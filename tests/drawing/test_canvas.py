"""The house canvas: text drawn from fonts held in memory must be pixel-identical to matplotlib's."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from xentlib.drawing import Canvas, new_figure, style

TEXTS = [
    ("surprise −log p = 2.303 nats", {}),
    ("H(p,q) = 0.971   KL(p‖q) = 0.278", {"fontsize": 13}),
    ("ε = 0.0100, H = 100: off-centre steps\ncloned 12.34 (5.0% crashed)", {"family": "monospace", "fontsize": 10}),
    ("bold title  Σ σ² ≤ τ", {"fontweight": "bold", "fontsize": 14}),
    ("italic, turned", {"style": "italic", "rotation": 90}),
    ("at 33°", {"rotation": 33, "fontsize": 9}),
    ("maths $-\\log_2 q$ and $z_y - z_{other}$", {}),
    ("a readout in a box", {"bbox": {"boxstyle": "square,pad=0.35", "fc": "white"}}),
]


def _draw(canvas_class, dpi: float) -> np.ndarray:
    with style():
        fig = Figure(figsize=(6.0, 4.0), dpi=dpi)
        canvas_class(fig)
        ax = fig.subplots()
        ax.set_title("Tick labels, a title, legends: every text path")
        ax.plot([0, 1], [0, 1], label="cross-entropy H(p, q)")
        ax.legend()
        for i, (text, kw) in enumerate(TEXTS):
            ax.text(0.05 + 0.1 * (i % 2), 0.9 - 0.11 * i, text, transform=ax.transAxes, **kw)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("dpi", [100, 72, 144])
def test_canvas_draws_exactly_the_pixels_of_matplotlibs_agg_canvas(dpi):
    ours, reference = _draw(Canvas, dpi), _draw(FigureCanvasAgg, dpi)
    assert (reference[..., :3] < 128).sum() > 5000, "the reference figure should show plenty of text"
    np.testing.assert_array_equal(ours, reference)


def test_new_figure_uses_the_canvas_and_redraws_identically():
    fig, ax = new_figure()
    assert isinstance(fig.canvas, Canvas)
    text = ax.text(0.5, 0.5, "first", family="monospace")
    fig.canvas.draw()
    for label in ("p = 0.1000: 2.303 nats", "p = 0.0100: 4.605 nats", "first"):
        text.set_text(label)
        fig.canvas.draw()
    again = np.asarray(fig.canvas.buffer_rgba()).copy()
    reference = Figure(figsize=fig.get_size_inches(), dpi=fig.dpi)
    FigureCanvasAgg(reference)
    reference.subplots().text(0.5, 0.5, "first", family="monospace")
    reference.canvas.draw()
    np.testing.assert_array_equal(again, np.asarray(reference.canvas.buffer_rgba()))
