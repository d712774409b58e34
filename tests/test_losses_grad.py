"""Every closed-form ``*_grad`` against central finite differences (xentlib.numerical_grad), in float64.

The list of gradients comes from ``xentlib.__all__``: a new ``foo_grad`` that
is not given cases below makes ``test_every_grad_is_covered`` fail.
"""

from __future__ import annotations

import itertools
import math
import zlib

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xentlib as xl

REDUCTIONS = ["mean", "sum", "none"]
RTOL, ATOL = 1e-6, 1e-8

REFEREE = "numerical_grad"  # the finite-difference helper, not a loss gradient
# Fused "<loss>_and_grad" forms are checked against the separate calls in test_losses.py.
GRAD_NAMES = sorted(n for n in xl.__all__ if n.endswith("_grad") and n != REFEREE and not n.endswith("_and_grad"))


def _rng(*key):
    """A generator seeded from the case's parameters (crc32: stable across runs, unlike hash())."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


# --------------------------------------------------------------------------- problems
# Each builder returns (x, target, kwargs); x is the differentiated first argument.

N, C = 5, 4


def _binary_logits(rng, shape=(N, 3), scale=2.0):
    return rng.normal(scale=scale, size=shape)


def _labels(rng, soft, shape=(N, 3)):
    return rng.random(shape) if soft else rng.integers(0, 2, size=shape).astype(float)


def _soft_rows(rng):
    t = rng.gamma(0.7, size=(N, C)) + 1e-3
    return t / t.sum(axis=1, keepdims=True)


def _class_labels(rng):
    return rng.permutation(np.arange(N) % C)


CLASS_WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])


def bce_cases():
    for soft in (False, True):
        rng = _rng("bce", soft)
        p = rng.uniform(0.05, 0.95, size=(N, 3))
        yield f"soft={soft}", p, _labels(rng, soft), {}


def bce_logits_cases():
    for soft, pos_weight, eps in itertools.product((False, True), (None, "scalar", "per_class"), (0.0, 0.1)):
        rng = _rng("bcel", soft, pos_weight, eps)
        w = {None: None, "scalar": 2.5, "per_class": np.array([0.3, 1.0, 4.0])}[pos_weight]
        kw = {"pos_weight": w, "label_smoothing": eps}
        yield f"soft={soft}-pos_weight={pos_weight}-eps={eps}", _binary_logits(rng, scale=3.0), _labels(rng, soft), kw


def sigmoid_focal_cases():
    for soft, gamma, alpha in itertools.product((False, True), (0.0, 0.5, 2.0), (None, 0.25)):
        rng = _rng("sfocal", soft, gamma, alpha)
        kw = {"gamma": gamma, "alpha": alpha}
        yield f"soft={soft}-gamma={gamma}-alpha={alpha}", _binary_logits(rng, scale=3.0), _labels(rng, soft), kw


def softmax_ce_cases():
    for target, weighted, eps in itertools.product(("labels", "soft"), (False, True), (0.0, 0.1)):
        rng = _rng("sce", target, weighted, eps)
        y = _class_labels(rng) if target == "labels" else _soft_rows(rng)
        kw = {"class_weight": CLASS_WEIGHT if weighted else None, "label_smoothing": eps}
        yield f"{target}-weighted={weighted}-eps={eps}", rng.normal(scale=2, size=(N, C)), y, kw


def softmax_focal_cases():
    for gamma, weighted in itertools.product((0.0, 0.5, 2.0), (False, True)):
        rng = _rng("smfocal", gamma, weighted)
        kw = {"gamma": gamma, "class_weight": CLASS_WEIGHT if weighted else None}
        yield f"gamma={gamma}-weighted={weighted}", rng.normal(scale=2, size=(N, C)), _class_labels(rng), kw


def sigmoid_mse_cases():
    for soft in (False, True):
        rng = _rng("mse", soft)
        yield f"soft={soft}", _binary_logits(rng), _labels(rng, soft), {}


def _away_from(z, kinks, gap=0.05):
    """Push entries of z that fall within ``gap`` of a kink out of the way."""
    for k in kinks:
        near = np.abs(z - k) < gap
        z = np.where(near, k + np.where(z >= k, gap, -gap) * 2, z)
    return z


def hinge_cases():
    rng = _rng("hinge")
    z = _away_from(_binary_logits(rng, scale=1.5), (-1.0, 1.0))  # margin (2y-1) z = 1 is the kink
    yield "hard", z, _labels(rng, False), {}


def zero_one_cases():
    rng = _rng("zero_one")
    z = _away_from(_binary_logits(rng), (0.0,))
    yield "hard", z, _labels(rng, False), {}


def distillation_cases():
    for temperature in (0.5, 1.0, 2.0, 4.0):
        rng = _rng("distill", temperature)
        teacher = rng.normal(scale=2, size=(N, C))
        yield f"T={temperature}", rng.normal(scale=2, size=(N, C)), teacher, {"temperature": temperature}


CASES = {
    "binary_cross_entropy_grad": bce_cases,
    "binary_cross_entropy_with_logits_grad": bce_logits_cases,
    "sigmoid_focal_loss_grad": sigmoid_focal_cases,
    "softmax_cross_entropy_grad": softmax_ce_cases,
    "softmax_focal_loss_grad": softmax_focal_cases,
    "sigmoid_mse_loss_grad": sigmoid_mse_cases,
    "hinge_loss_grad": hinge_cases,
    "zero_one_loss_grad": zero_one_cases,
    "distillation_loss_grad": distillation_cases,
}


def _all_cases():
    for grad_name in GRAD_NAMES:
        for case_id, x, target, kwargs in CASES.get(grad_name, lambda: iter(()))():
            for reduction in REDUCTIONS:
                yield pytest.param(grad_name, x, target, kwargs, reduction, id=f"{grad_name[:-5]}-{case_id}-{reduction}")


# --------------------------------------------------------------------------- coverage

def test_grad_list_is_not_empty():
    assert REFEREE in xl.__all__
    assert len(GRAD_NAMES) >= 9, GRAD_NAMES


def test_every_grad_has_its_loss():
    for grad_name in GRAD_NAMES:
        loss_name = grad_name[: -len("_grad")]
        assert loss_name in xl.__all__, f"{grad_name} has no loss {loss_name} in xentlib.__all__"
        assert callable(getattr(xl, loss_name)) and callable(getattr(xl, grad_name))


def test_every_grad_is_covered():
    losses_with_grads = {name for name in xl.__all__ if f"{name}_grad" in xl.__all__}
    assert losses_with_grads, "no loss with a gradient found"
    missing = sorted(f"{name}_grad" for name in losses_with_grads if f"{name}_grad" not in CASES)
    assert not missing, f"gradients without finite-difference cases: {missing}"
    for grad_name in CASES:
        assert grad_name in GRAD_NAMES, f"{grad_name} is tested but not exported"
        assert list(CASES[grad_name]()), f"{grad_name} has no cases"


# --------------------------------------------------------------------------- the referee itself

def test_numerical_grad_on_known_derivatives():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    assert_allclose(xl.numerical_grad(lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=1e-9)
    assert_allclose(xl.numerical_grad(lambda v: np.sum(v**3) / 3, x), x**2, rtol=1e-8)
    assert_allclose(xl.numerical_grad(lambda v: np.log(np.sum(np.exp(v))), x), np.exp(x) / np.exp(x).sum(), rtol=1e-8)


# --------------------------------------------------------------------------- closed form vs finite differences

@pytest.mark.parametrize("grad_name, x, target, kwargs, reduction", list(_all_cases()))
def test_grad_matches_finite_differences(grad_name, x, target, kwargs, reduction):
    loss = getattr(xl, grad_name[: -len("_grad")])
    grad = getattr(xl, grad_name)
    analytic = grad(x, target, reduction=reduction, **kwargs)
    assert analytic.shape == x.shape
    assert analytic.dtype == np.float64
    if reduction == "none":
        # With random weights v, d/dx sum_i v_i loss_i = v_i * (row i of the "none" gradient) only if
        # example i's gradient is the derivative of its own loss and of no other example's.
        per = loss(x, target, reduction="none", **kwargs)
        v = np.random.default_rng(3).uniform(0.5, 2.0, size=per.shape)
        numeric = xl.numerical_grad(lambda x_: np.sum(v * loss(x_, target, reduction="none", **kwargs)), x)
        expected_from_analytic = analytic * (v if v.shape == x.shape else v[:, None])
        assert_allclose(expected_from_analytic, numeric, rtol=RTOL, atol=ATOL)
    else:
        numeric = xl.numerical_grad(lambda x_: loss(x_, target, reduction=reduction, **kwargs), x)
        assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


def test_mean_gradient_is_sum_gradient_over_denominator():
    rng = _rng("denominator")
    z = rng.normal(size=(N, C))
    y = _class_labels(rng)
    g_sum = xl.softmax_cross_entropy_grad(z, y, class_weight=CLASS_WEIGHT, reduction="sum")
    g_mean = xl.softmax_cross_entropy_grad(z, y, class_weight=CLASS_WEIGHT, reduction="mean")
    assert_allclose(g_mean, g_sum / CLASS_WEIGHT[y].sum(), rtol=1e-14)


# --------------------------------------------------------------------------- harder regimes

@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_sigmoid_focal_grad_with_confident_predictions(gamma):
    # p_t close to 1: the closed form avoids m^(gamma - 1), finite differences agree.
    z = np.array([6.0, -6.0, 9.0, -9.0, 0.1])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    analytic = xl.sigmoid_focal_loss_grad(z, y, gamma=gamma, alpha=0.25, reduction="sum")
    numeric = xl.numerical_grad(lambda v: xl.sigmoid_focal_loss(v, y, gamma=gamma, alpha=0.25, reduction="sum"), z)
    assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_softmax_focal_grad_with_confident_predictions(gamma):
    z = np.array([[7.0, 0.0, -1.0], [0.0, 9.0, 0.0], [-5.0, 5.0, 0.0]])
    y = np.array([0, 1, 0])
    analytic = xl.softmax_focal_loss_grad(z, y, gamma=gamma, reduction="sum")
    numeric = xl.numerical_grad(lambda v: xl.softmax_focal_loss(v, y, gamma=gamma, reduction="sum"), z)
    assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


def test_bce_with_logits_grad_is_prediction_minus_target():
    z = np.array([-3.0, 0.0, 2.0])
    y = np.array([0.2, 1.0, 0.0])
    expected = 1 / (1 + np.exp(-z)) - y
    assert_allclose(xl.binary_cross_entropy_with_logits_grad(z, y, reduction="none"), expected, rtol=1e-14)


def test_softmax_ce_grad_is_softmax_minus_one_hot():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    y = np.array([0, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert_allclose(xl.softmax_cross_entropy_grad(z, y, reduction="sum"), p - np.eye(3)[y], rtol=1e-14, atol=1e-16)


def test_distillation_grad_is_t_times_difference():
    s = np.array([[1.0, 2.0, 3.0]])
    t = np.array([[3.0, 2.0, 1.0]])
    temperature = 2.0
    qs = np.exp(s / temperature) / np.exp(s / temperature).sum()
    qt = np.exp(t / temperature) / np.exp(t / temperature).sum()
    assert_allclose(xl.distillation_loss_grad(s, t, temperature=temperature), temperature * (qs - qt), rtol=1e-14)


def test_hinge_and_zero_one_grads_by_hand():
    z = np.array([-1.5, 0.5, 3.0, -0.2, 2.0])
    y = np.array([1, 1, 1, 0, 0])
    assert_allclose(xl.hinge_loss_grad(z, y, reduction="sum"), [-1.0, -1.0, 0.0, 1.0, 1.0])
    assert_allclose(xl.zero_one_loss_grad(z, y), np.zeros(5))


def test_gradients_at_extreme_logits_are_bounded():
    # Finite differences are useless at |z| = 1e4, but the limits are known.
    z = np.array([1e4, -1e4, 1e4, -1e4])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    assert_allclose(xl.binary_cross_entropy_with_logits_grad(z, y, reduction="none"), [0.0, -1.0, 1.0, 0.0], atol=0)
    assert_allclose(xl.sigmoid_focal_loss_grad(z, y, gamma=2.0, reduction="none"), [0.0, -1.0, 1.0, 0.0], atol=0)
    assert_allclose(xl.sigmoid_focal_loss_grad(z, y, gamma=0.5, reduction="none"), [0.0, -1.0, 1.0, 0.0], atol=0)
    zz = np.array([[1e4, -1e4, 0.0]])
    assert_allclose(xl.softmax_cross_entropy_grad(zz, [1], reduction="sum"), [[1.0, -1.0, 0.0]], atol=0)
    assert_allclose(xl.softmax_focal_loss_grad(zz, [0], gamma=0.5, reduction="sum"), [[0.0, 0.0, 0.0]], atol=0)
    assert math.isfinite(float(np.sum(xl.softmax_focal_loss_grad(zz, [1], gamma=0.5, reduction="sum"))))
