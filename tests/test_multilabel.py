"""Correlated binary labels and the independence gap: against SciPy, scikit-learn and an optimiser."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats
from sklearn.metrics import matthews_corrcoef, mutual_info_score

import xentlib as xl
from xentlib import multilabel as ml

LN2 = math.log(2.0)


@pytest.fixture
def rng():
    return np.random.default_rng(8)


@pytest.mark.parametrize("p1, p2", [(0.5, 0.5), (0.3, 0.6), (0.1, 0.2), (0.8, 0.35)])
def test_correlated_joint_has_the_asked_marginals_and_correlation(p1, p2):
    lo, hi = ml.correlation_range(p1, p2)
    for rho in np.linspace(lo, hi, 15):
        joint = ml.correlated_labels_joint(p1, p2, float(rho))
        assert joint.min() >= 0 and joint.sum() == pytest.approx(1.0, abs=1e-12)
        assert_allclose(ml.marginals(joint), [p1, p2], atol=1e-12)
        assert ml.label_correlation(joint) == pytest.approx(rho, abs=1e-9)
    # the range's ends are where a cell of the table reaches 0
    assert ml.correlated_labels_joint(p1, p2, lo).min() == pytest.approx(0.0, abs=1e-12)
    assert ml.correlated_labels_joint(p1, p2, hi).min() == pytest.approx(0.0, abs=1e-12)


def test_label_correlation_matches_numpy_and_scikit_learn_on_data():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.4, 0.3, 0.35), 3000, seed=2)
    phi = ml.label_correlation(ml.empirical_joint(Y))
    assert phi == pytest.approx(np.corrcoef(Y[:, 0], Y[:, 1])[0, 1], rel=1e-10)
    assert phi == pytest.approx(matthews_corrcoef(Y[:, 0], Y[:, 1]), rel=1e-10)


def test_infeasible_correlations_are_rejected_with_the_range():
    with pytest.raises(ValueError, match=r"rho must lie in \[-0\.25, 1\]"):
        ml.correlated_labels_joint(0.2, 0.2, -0.5)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        ml.correlation_range(0.0, 0.5)
    with pytest.raises(ValueError, match="p1 must lie in"):
        ml.correlated_labels_joint(1.5, 0.5, 0.0)


def _gap_routes(joint):
    """The independence gap four ways: xentlib's OptimalLosses, xentlib's MI, SciPy entropies, scikit-learn."""
    h1, h2 = stats.entropy(joint.sum(axis=1)), stats.entropy(joint.sum(axis=0))
    counts = np.rint(joint * 1e7).astype(np.int64)  # scikit-learn wants an integer contingency table
    return (ml.optimal_losses(joint).gap, float(xl.mutual_information(joint)),
            h1 + h2 - stats.entropy(joint.reshape(-1)),
            mutual_info_score(None, None, contingency=counts))


@pytest.mark.parametrize("p1, p2", [(0.5, 0.5), (0.3, 0.6), (0.1, 0.2), (0.8, 0.35)])
def test_the_gap_is_the_mutual_information_over_many_correlations(p1, p2):
    lo, hi = ml.correlation_range(p1, p2)
    for rho in np.linspace(lo, hi, 41):
        joint = ml.correlated_labels_joint(p1, p2, float(rho))
        best = ml.optimal_losses(joint)
        gap, mi, scipy_gap, sklearn_mi = _gap_routes(joint)
        assert best.independent - best.joint == pytest.approx(best.gap, abs=1e-15)
        assert gap == pytest.approx(mi, abs=1e-12)
        assert gap == pytest.approx(scipy_gap, abs=1e-12)
        assert gap == pytest.approx(sklearn_mi, abs=1e-6)
        assert gap >= -1e-15
    assert ml.optimal_losses(ml.correlated_labels_joint(p1, p2, 0.0)).gap == pytest.approx(0.0, abs=1e-12)


def test_optimal_losses_are_optimal_against_an_optimiser(rng):
    joint = ml.correlated_labels_joint(0.35, 0.6, 0.4)
    flat = joint.reshape(-1)
    best = ml.optimal_losses(joint)

    def independent(z):  # expected loss of heads predicting sigmoid(z1), sigmoid(z2)
        q = ml.independent_joint(float(xl.sigmoid(z[0])), float(xl.sigmoid(z[1]))).reshape(-1)
        return float(xl.cross_entropy(flat, q))

    def together(z):
        return float(xl.cross_entropy(flat, xl.softmax(z)))

    assert optimize.minimize(independent, [0.0, 0.0], method="BFGS").fun == pytest.approx(best.independent, abs=1e-9)
    assert optimize.minimize(together, np.zeros(4), method="BFGS").fun == pytest.approx(best.joint, abs=1e-9)
    for _ in range(20):  # and any other product of marginals does worse
        assert independent(rng.normal(size=2)) > best.independent


def test_optimal_losses_with_perfectly_copied_labels():
    best = ml.optimal_losses([[0.5, 0.0], [0.0, 0.5]])
    assert (best.independent, best.joint, best.gap) == pytest.approx((2 * LN2, LN2, LN2), abs=1e-12)


def test_label_helpers_round_trip_and_validate():
    classes = np.array([0, 1, 2, 3, 3, 1])
    assert_allclose(ml.joint_class(ml.labels_from_class(classes)), classes)
    assert_allclose(ml.empirical_joint(ml.labels_from_class(classes)), [[1 / 6, 2 / 6], [1 / 6, 2 / 6]])
    Y = ml.sample_labels([[0.1, 0.2], [0.3, 0.4]], 20000, seed=5)
    assert_allclose(ml.empirical_joint(Y), [[0.1, 0.2], [0.3, 0.4]], atol=0.01)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        ml.joint_class([0, 1])
    with pytest.raises(ValueError, match="0/1 labels only"):
        ml.joint_class([[0, 2]])
    with pytest.raises(ValueError, match="integers 0..3"):
        ml.labels_from_class([4])
    with pytest.raises(ValueError, match="2x2 table"):
        ml.optimal_losses(np.full(4, 0.25))
    with pytest.raises(ValueError, match="sum to 1"):
        ml.marginals([[0.5, 0.5], [0.5, 0.5]])
