"""The seeded data sets of :mod:`xentlib.datasets`."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import xentlib as xl
from xentlib.datasets import cubic_features, ring_classes, ring_logits, two_blobs

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
