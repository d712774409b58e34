"""xentlib.drawing.reliability: the reliability diagram draws the reliability curve, against ``sklearn.calibration.calibration_curve``."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.calibration import calibration_curve

import xentlib as xl
from xentlib.drawing import reliability_diagram

# ---------------------------------------------------------------- reliability diagram

@pytest.fixture
def calibrated():
    rng = np.random.default_rng(11)
    p = rng.random(400)
    return p, (rng.random(400) < p).astype(int)


def _spans(collection):
    """(left, right, y0, y1) of each rectangle of a PolyCollection."""
    v = np.array([path.vertices[:4] for path in collection.get_paths()])
    return v[:, 0, 0], v[:, 1, 0], v[:, 0, 1], v[:, 2, 1]


def test_reliability_diagram_draws_the_reliability_curve(calibrated):
    p, y = calibrated
    diagram = reliability_diagram(p, y, n_bins=8)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=8, strategy="uniform")
    left, right, bottom, top = _spans(diagram.bars)
    assert_allclose(left, np.arange(8) / 8, atol=1e-15) and assert_allclose(right - left, 1 / 8)
    assert_allclose(bottom, 0.0) and assert_allclose(top, prob_true, rtol=1e-12)
    _, _, gap_from, gap_to = _spans(diagram.gaps)
    assert_allclose(gap_from, prob_true, rtol=1e-12) and assert_allclose(gap_to, prob_pred, rtol=1e-12)
    _, _, _, share = _spans(diagram.counts)
    assert share.sum() == pytest.approx(1.0)
    assert_allclose(share, diagram.curve.count / len(p))
    assert diagram.fig is diagram.ax.figure and diagram.count_ax is not None
    assert diagram.artists == [diagram.bars, diagram.gaps, diagram.counts]
    assert diagram.diagonal not in diagram.artists  # the diagonal never changes: background


def test_reliability_diagram_leaves_empty_bins_out_and_updates_in_place():
    diagram = reliability_diagram([0.05, 0.06, 0.95], [0, 1, 1], n_bins=10)
    assert_allclose(_spans(diagram.bars)[0], [0.0, 0.9])
    assert_allclose(_spans(diagram.bars)[3], [0.5, 1.0])
    artists_before = list(diagram.artists)
    curve = diagram.update([0.45, 0.55], [0, 1])
    assert_allclose(_spans(diagram.bars)[0], [0.4, 0.5])
    assert_allclose(_spans(diagram.counts)[3], [0.5, 0.5])
    assert diagram.artists == artists_before  # same artists, moved: a Panel can keep blitting them
    assert curve.count.tolist() == [1, 1]


def test_reliability_diagram_on_given_axes_accepts_a_curve_and_points(calibrated):
    from xentlib.drawing import new_figure

    p, y = calibrated
    fig, ax = new_figure()
    curve = xl.reliability_curve(p, y, n_bins=5)
    diagram = reliability_diagram(curve, n_bins=5, ax=ax, kind="points", label="model")
    assert diagram.counts is None and diagram.bars is None and diagram.fig is fig
    assert_allclose(diagram.points.get_xdata(), curve.confidence)
    assert_allclose(diagram.points.get_ydata(), curve.accuracy)
    assert diagram.artists == [diagram.points]


def test_reliability_diagram_multiclass_uses_confidence_label():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    diagram = reliability_diagram(probs, [0, 0, 0], n_bins=5)
    assert "confidence" in diagram.count_ax.get_xlabel()


def test_reliability_diagram_errors(calibrated):
    p, y = calibrated
    with pytest.raises(ValueError, match="kind must be"):
        reliability_diagram(p, y, kind="pie")
    with pytest.raises(ValueError, match="y is missing"):
        reliability_diagram(p)
    with pytest.raises(ValueError, match="either a ReliabilityCurve"):
        reliability_diagram(xl.reliability_curve(p, y), y)
    diagram = reliability_diagram(p, y)
    with pytest.raises(ValueError, match="count_ax needs ax"):
        reliability_diagram(p, y, count_ax=diagram.count_ax)
