"""The data sets of xentlib.datasets: shapes, symmetries and the numbers built into them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import datasets
from xentlib.datasets import cubic_features, product_features, ring_classes, ring_logits, two_blobs, xor_data

# --------------------------------------------------------------------------- data of mse_vs_ce and xor_features (lessons 03, 04)

@pytest.fixture(scope="module")
def xor_sample():
    return xor_data()


def test_xor_data_is_mirrored_balanced_and_labelled_by_sign(xor_sample):
    X, y = xor_sample
    assert X.shape == (200, 2) and y.shape == (200,)
    assert_allclose(X[:100], -X[100:])
    assert_allclose(y[:100], y[100:])
    assert y.mean() == 0.5
    assert np.array_equal(y == 1, X[:, 0] * X[:, 1] < 0)  # noise 0.25 never crosses an axis in this sample


@pytest.mark.parametrize("n", [12, 100, 4])
def test_xor_data_rejects_sizes_that_break_the_symmetry(n):
    with pytest.raises(ValueError, match="n must"):
        xor_data(n)


def test_product_features():
    assert_allclose(product_features([[2.0, -3.0], [0.5, 4.0]]), [[2.0, -3.0, -6.0], [0.5, 4.0, 2.0]])
    with pytest.raises(ValueError, match="shape"):
        product_features([[1.0, 2.0, 3.0]])


# --------------------------------------------------------------------------- two forecasters

def test_two_forecasters_metrics_match_hand_formulas():
    n, k, hes, conf, blunder = 20, 2, 0.6, 0.99, 1e-6
    f = datasets.two_forecasters(n, k, hesitant=hes, confident=conf, blunder=blunder)
    assert f.y.sum() == n / 2
    acc = lambda p: np.mean((p > 0.5) == (f.y == 1))  # noqa: E731
    assert acc(f.hesitant) == acc(f.confident) == (n - k) / n
    assert float(xl.brier_score(f.hesitant, f.y)) == pytest.approx(((n - k) * 0.4**2 + k * 0.6**2) / n, rel=1e-12)
    assert float(xl.brier_score(f.confident, f.y)) == pytest.approx(((n - k) * 0.01**2 + k * (1 - blunder) ** 2) / n, rel=1e-12)
    assert log_loss(f.y, f.confident) == pytest.approx(((n - k) * -math.log(conf) + k * -math.log(blunder)) / n, rel=1e-9)
    assert log_loss(f.y, f.hesitant) == pytest.approx(((n - k) * -math.log(hes) + k * -math.log(1 - hes)) / n, rel=1e-9)
    # the point of the example
    assert xl.brier_score(f.confident, f.y) < xl.brier_score(f.hesitant, f.y)
    assert xl.binary_cross_entropy(f.confident, f.y) > 2 * xl.binary_cross_entropy(f.hesitant, f.y)


def test_two_forecasters_rejects_bad_counts():
    with pytest.raises(ValueError, match="n_wrong"):
        datasets.two_forecasters(4, 5)


# ---------------------------------------------------------------- data of soft_targets (lesson 09)

def test_ring_classes_are_balanced_and_ring_logits_are_the_bayes_posterior():
    X, y = ring_classes(500, seed=3)
    assert X.shape == (500, 2) and np.bincount(y).tolist() == [100] * 5
    means = 2.2 * np.column_stack([np.cos(2 * np.pi * np.arange(5) / 5), np.sin(2 * np.pi * np.arange(5) / 5)])
    log_pdf = np.column_stack([stats.multivariate_normal(m, np.eye(2)).logpdf(X[:5]) for m in means])
    assert_allclose(xl.softmax(ring_logits(X[:5])), xl.softmax(log_pdf), rtol=1e-10)


def test_two_blobs_alternate_labels_around_the_separated_means():
    X, y = two_blobs(4000, seed=0)
    assert y.tolist()[:4] == [0, 1, 0, 1]
    assert_allclose([X[y == 0, 0].mean(), X[y == 1, 0].mean()], [-1.0, 1.0], atol=0.06)


def test_cubic_features_span_every_monomial_up_to_degree_3_and_are_orthonormal():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200_000, 2))
    F = cubic_features(X)
    assert_allclose(F.T @ F / len(F), np.eye(9), atol=0.03)  # Hermite products: orthonormal under N(0, I)
    x1, x2 = X[:500, 0], X[:500, 1]
    monomials = np.column_stack([x1, x2, x1**2, x1 * x2, x2**2, x1**3, x1**2 * x2, x1 * x2**2, x2**3])
    design = np.column_stack([np.ones(500), F[:500]])
    coef, *_ = np.linalg.lstsq(design, monomials, rcond=None)
    assert_allclose(design @ coef, monomials, atol=1e-9)




def test_cubic_features_want_two_columns():
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        cubic_features([[1.0, 2.0, 3.0]])
