"""xentlib.segments: the Jensen-Shannon smoothness penalty, the smoother, segment counting.

Each claim is checked by a route independent of the code under test:
SciPy's Jensen-Shannon distance, central finite differences and closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.spatial.distance import jensenshannon

import xentlib as xl
from xentlib import datasets, segments

# ---------------------------------------------------------------- sequences

def test_js_smoothness_matches_scipy_and_is_bounded():
    z = np.random.default_rng(10).normal(scale=2.0, size=(15, 3))
    p = xl.softmax(z)
    reference = sum(jensenshannon(p[t], p[t + 1]) ** 2 for t in range(len(p) - 1))  # scipy gives sqrt(JS)
    assert segments.js_smoothness(z) == pytest.approx(reference, rel=1e-9)
    assert segments.js_smoothness(z) == pytest.approx(float(xl.js_divergence(p[:-1], p[1:]).sum()), rel=1e-12)
    sharp = np.array([[50.0, 0.0, 0.0], [0.0, 0.0, 50.0]] * 3)
    assert segments.js_smoothness(sharp) == pytest.approx(5 * math.log(2), rel=1e-12)
    assert segments.js_smoothness(np.tile([1.0, 2.0, 3.0], (6, 1))) == 0.0


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_js_smoothness_gradient_by_finite_differences(scale):
    z = np.random.default_rng(11).normal(scale=scale, size=(7, 3))
    assert_allclose(segments.js_smoothness_grad(z), xl.numerical_grad(segments.js_smoothness, z), rtol=1e-6, atol=1e-9)


def test_js_smoothness_is_finite_for_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [-1e4, 0.0, 1e4], [0.0, 1e4, 0.0]])
    assert math.isfinite(segments.js_smoothness(z))
    assert np.isfinite(segments.js_smoothness_grad(z)).all()


def test_smoothing_objective_and_gradient():
    rng = np.random.default_rng(12)
    noisy, z = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    q = xl.softmax(noisy)
    expected = float(xl.cross_entropy(q, xl.softmax(z)).sum()) + 2.5 * segments.js_smoothness(z)
    assert segments.smoothing_objective(z, noisy, 2.5) == pytest.approx(expected, rel=1e-12)
    numeric = xl.numerical_grad(lambda v: segments.smoothing_objective(v, noisy, 2.5), z)
    assert_allclose(segments.smoothing_objective_grad(z, noisy, 2.5), numeric, rtol=1e-6, atol=1e-9)


def test_smooth_segments_reaches_a_stationary_point_below_its_start():
    protein = datasets.secondary_structure(60, seed=4)
    lams = np.array([0.0, 1.0, 5.0, 20.0])
    path = segments.smooth_segments(protein.logits, lams)
    assert path.shape == (4, 60, 3)
    for lam, z in zip(lams, path):
        assert np.abs(segments.smoothing_objective_grad(z, protein.logits, lam)).max() < 1e-3
        assert segments.smoothing_objective(z, protein.logits, lam) <= segments.smoothing_objective(protein.logits, protein.logits, lam)
    assert np.array_equal(path[0].argmax(axis=1), protein.logits.argmax(axis=1))  # no penalty: nothing changes
    assert_allclose(segments.smooth_segments(protein.logits, 5.0), path[2], rtol=1e-12)  # one weight = one row of the batch


def test_the_penalty_defragments_the_toy_protein():
    protein = datasets.secondary_structure(120, seed=0)
    raw = protein.logits.argmax(axis=1)
    smooth = segments.smooth_segments(protein.logits, 8.0).argmax(axis=1)
    assert segments.fragmentation(raw, protein.labels) > 3
    assert segments.fragmentation(smooth, protein.labels) == pytest.approx(1.0, abs=0.15)
    assert np.mean(smooth == protein.labels) > np.mean(raw == protein.labels) + 0.1


def test_segment_counting_and_errors():
    assert segments.count_segments([1]) == 1
    assert segments.count_segments([2, 2, 0, 0, 0, 2]) == 3
    assert segments.fragmentation([0, 1, 0, 1], [0, 0, 1, 1]) == 2.0
    with pytest.raises(ValueError, match="non-empty 1-d"):
        segments.count_segments([])
    with pytest.raises(TypeError, match="integer class labels"):
        segments.count_segments([0.5, 1.0])
    with pytest.raises(ValueError, match="same length"):
        segments.fragmentation([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="at least 2 positions"):
        segments.js_smoothness([[1.0, 0.0]])
    with pytest.raises(ValueError, match="lam must be a finite number >= 0"):
        segments.smoothing_objective([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], -1.0)
    with pytest.raises(ValueError, match="lam must be a number >= 0"):
        segments.smooth_segments([[1.0, 0.0], [0.0, 1.0]], [[1.0]])
    with pytest.raises(ValueError, match="momentum"):
        segments.smooth_segments([[1.0, 0.0], [0.0, 1.0]], 1.0, momentum=1.0)
