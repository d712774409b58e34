"""The chain-rule factors of xentlib.chain_rule against independent references.

References are finite differences (central, float64, written out here or via
xl.numerical_grad), hand-written scalar formulas with ``math`` and scipy;
never the helper's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import expit
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax

import xentlib as xl
from xentlib import chain_rule

Z = np.array([-6.0, -2.5, -0.3, 0.0, 0.7, 3.0, 8.0])


def _central(f, x, eps=1e-6):
    """Central difference of a scalar function of a scalar, written out independently of xentlib."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def _bce(p, y):
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


# --------------------------------------------------------------------------- sigmoid and the binary chain rule

def test_sigmoid_derivative_matches_finite_differences():
    expected = [_central(lambda t: 1 / (1 + math.exp(-t)), float(z)) for z in Z]
    assert_allclose(chain_rule.sigmoid_derivative(Z), expected, rtol=1e-6, atol=1e-10)


def test_sigmoid_derivative_peaks_at_a_quarter_and_stays_accurate_in_the_tail():
    assert chain_rule.sigmoid_derivative(0.0) == pytest.approx(0.25)
    assert np.all(chain_rule.sigmoid_derivative(np.linspace(-10, 10, 101)) <= 0.25)
    # sigma'(40) = e^-40 / (1 + e^-40)^2; p (1 - p) computed naively would give 0 here
    assert chain_rule.sigmoid_derivative(40.0) == pytest.approx(math.exp(-40) / (1 + math.exp(-40)) ** 2, rel=1e-12)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_chain_rule_factors_are_the_true_derivatives(y):
    parts = chain_rule.bce_chain_rule(Z, np.full_like(Z, y))
    p = expit(Z)
    assert_allclose(parts.p, p, rtol=1e-12)
    assert_allclose(parts.dloss_dp, [_central(lambda q: _bce(q, y), float(q), eps=1e-6 * min(q, 1 - q)) for q in p], rtol=1e-5)
    assert_allclose(parts.dp_dz, p * (1 - p), rtol=1e-6, atol=1e-14)
    # the product is the derivative of the loss as a function of the logit ...
    assert_allclose(parts.dloss_dz, [_central(lambda t: _bce(expit(t), y), float(z)) for z in Z], rtol=1e-5, atol=1e-9)
    # ... and equals the error p - y
    assert_allclose(parts.dloss_dz, p - y, rtol=1e-9, atol=1e-12)


def test_bce_chain_rule_shows_the_cancellation_when_confidently_wrong():
    parts = chain_rule.bce_chain_rule([6.0], [0.0])
    p = 1 / (1 + math.exp(-6))
    assert parts.dloss_dp[0] == pytest.approx(1 / (1 - p), rel=1e-9)  # large: about 404
    assert parts.dloss_dp[0] > 400 and parts.dp_dz[0] < 0.003
    assert parts.dloss_dz[0] == pytest.approx(p, rel=1e-9)


# --------------------------------------------------------------------------- softmax

LOGITS = np.array([2.0, 1.0, 0.1, -1.5])


def test_softmax_jacobian_matches_finite_differences_of_each_probability():
    jac = chain_rule.softmax_jacobian(LOGITS)
    numeric = np.stack([xl.numerical_grad(lambda v, i=i: scipy_softmax(v)[i], LOGITS) for i in range(len(LOGITS))])
    assert_allclose(jac, numeric, rtol=1e-6, atol=1e-9)
    assert_allclose(jac, jac.T, atol=1e-15)
    assert_allclose(jac.sum(axis=0), 0, atol=1e-15)


def test_softmax_jacobian_needs_one_vector():
    with pytest.raises(ValueError, match="one logit vector"):
        chain_rule.softmax_jacobian(np.zeros((2, 3)))


@pytest.mark.parametrize("k", range(4))
def test_softmax_chain_rule_gives_p_minus_onehot(k):
    parts = chain_rule.softmax_ce_chain_rule(LOGITS, k)
    numeric = xl.numerical_grad(lambda v: -scipy_log_softmax(v)[k], LOGITS)
    assert_allclose(parts.dloss_dz, numeric, rtol=1e-6, atol=1e-9)
    onehot = np.eye(4)[k]
    assert_allclose(parts.dloss_dz, scipy_softmax(LOGITS) - onehot, atol=1e-12)
    assert parts.dloss_dz.sum() == pytest.approx(0.0, abs=1e-12)
    expected_dp = np.zeros(4)
    expected_dp[k] = -1 / scipy_softmax(LOGITS)[k]
    assert_allclose(parts.dloss_dp, expected_dp, rtol=1e-12)


def test_softmax_chain_rule_rejects_a_missing_class():
    with pytest.raises(ValueError, match="class index"):
        chain_rule.softmax_ce_chain_rule([1.0, 2.0], 2)
