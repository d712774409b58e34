"""xentlib.landscape against independent references: finite differences, closed forms, scikit-learn, SciPy.

The loss along one weight and its curvature, the Lipschitz bound of the
logistic cross-entropy, and the mean cross-entropy of many linear models at
once (:func:`~xentlib.landscape.linear_losses`, :func:`~xentlib.landscape.best_on_grid`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import landscape
from xentlib.datasets import xor_data
from xentlib.landscape import best_on_grid, linear_losses
from xentlib.models import LogisticRegression

LOSS_NAMES = ["cross-entropy", "squared error"]
LN2 = math.log(2.0)


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=25) * 1.5
    y = (rng.random(25) < special.expit(1.5 * x)).astype(float)
    return x, y


# --------------------------------------------------------------------------- landscape along the weight

@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_loss_along_weight_matches_direct_formula(data, loss):
    x, y = data
    ws = np.array([-6.0, -1.0, 0.0, 0.7, 4.0])
    z = np.outer(ws, x)
    p = special.expit(z)
    if loss == "cross-entropy":  # log_expit, not sklearn's log_loss: that one clips p near 0 and 1
        want = -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z)).mean(axis=1)
    else:
        want = ((p - y) ** 2).mean(axis=1)
    assert_allclose(landscape.loss_along_weight(ws, x, y, loss=loss), want, rtol=1e-10)


@pytest.mark.parametrize("loss", LOSS_NAMES)
@pytest.mark.parametrize("w", [-7.0, -2.5, -0.3, 0.0, 1.1, 5.0])
def test_curvature_matches_finite_differences(data, loss, w):
    x, y = data
    # second derivative by central differences of the loss itself
    h = 1e-4
    values = landscape.loss_along_weight([w - h, w, w + h], x, y, loss=loss)
    second = (values[0] - 2 * values[1] + values[2]) / h**2
    got = landscape.curvature_along_weight([w], x, y, loss=loss)[0]
    assert got == pytest.approx(second, rel=1e-4, abs=1e-6)
    # and by differentiating the closed-form first derivative (xentlib's logit gradient, chained through z = w x)
    grad_fn = xl.models.LOSSES[loss][1]
    first = lambda v: float(np.sum(grad_fn(v[0] * x, y, reduction="none") * x) / len(x))  # noqa: E731
    assert got == pytest.approx(xl.numerical_grad(first, [w])[0], rel=1e-6, abs=1e-9)


def test_lipschitz_constant_against_hessians(data):
    x, y = data
    X = x[:, None]
    assert landscape.lipschitz_constant(X, bias=False) == pytest.approx(np.mean(x**2) / 4, rel=1e-12)
    moments = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert landscape.lipschitz_constant(X) == pytest.approx(np.max(np.linalg.eigvals(moments).real) / 4, rel=1e-12)
    # the Hessian of the mean cross-entropy in (w, b), by finite differences of the model's gradient
    model = LogisticRegression(1)

    def hessian(w, b):
        def grad(theta):
            model.w[:] = theta[:1]
            model.b = float(theta[1])
            gw, gb = model.gradient(X, y)
            return np.array([gw[0], gb])

        cols = [xl.numerical_grad(lambda t, k=k: grad(t)[k], [w, b]) for k in range(2)]
        return np.array(cols)

    L = landscape.lipschitz_constant(X)
    rng = np.random.default_rng(0)
    for w, b in rng.normal(scale=3, size=(10, 2)):
        assert np.linalg.eigvalsh(hessian(w, b)).max() <= L * (1 + 1e-6)
    assert np.linalg.eigvalsh(hessian(0.0, 0.0)).max() == pytest.approx(L, rel=1e-6)  # attained at p = 1/2


def test_landscape_inputs_are_checked():
    with pytest.raises(ValueError, match="loss must be one of"):
        landscape.loss_along_weight([0.0], [1.0], [1.0], loss="hinge")
    with pytest.raises(ValueError, match="one value per example"):
        landscape.curvature_along_weight([0.0], [1.0, 2.0], [1.0])


# --------------------------------------------------------------------------- many linear models at once

@pytest.fixture(scope="module")
def xor_sample():
    return xor_data()


def _reference_loss(F, y, w, b):
    """Mean log loss of sigmoid(F w + b), by scikit-learn."""
    p = 1.0 / (1.0 + np.exp(-(F @ w + b)))
    return log_loss(y, p, labels=[0, 1])


def test_linear_losses_match_scikit_learn(xor_sample):
    X, y = xor_sample
    rng = np.random.default_rng(0)
    W = rng.normal(scale=2.0, size=(5, 2))
    b = rng.normal(size=5)
    got = linear_losses(X, y, W, b)
    assert got.shape == (5,)
    assert_allclose(got, [_reference_loss(X, y, w, bi) for w, bi in zip(W, b)], rtol=1e-10)


def test_linear_losses_grid_shape_and_model_route(xor_sample):
    X, y = xor_sample
    ws = np.linspace(-2, 2, 5)
    grid = np.stack(np.meshgrid(ws, ws), axis=-1)
    table = linear_losses(X, y, grid, 0.3)
    assert table.shape == (5, 5)
    i, j = 1, 4
    model = LogisticRegression(2, w=[ws[j], ws[i]], b=0.3)  # grid[i, j] = (ws[j], ws[i])
    assert table[i, j] == pytest.approx(model.loss(X, y), rel=1e-12)


def test_linear_losses_rejects_mismatched_weights(xor_sample):
    X, y = xor_sample
    with pytest.raises(ValueError, match="weights must end"):
        linear_losses(X, y, [1.0, 2.0, 3.0])


def test_linear_losses_agree_with_the_models_gradient_by_finite_differences(xor_sample):
    X, y = xor_sample
    theta = np.array([0.7, -1.3, 0.4])  # w1, w2, b
    numeric = xl.numerical_grad(lambda t: float(linear_losses(X, y, t[:2], t[2])), theta)
    gw, gb = LogisticRegression(2, w=theta[:2], b=theta[2]).gradient(X, y)
    assert_allclose(numeric, [*gw, gb], rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("b", [-1.0, 0.0, 1.0])
def test_best_on_grid_is_w_zero_for_every_bias(xor_sample, b):
    X, y = xor_sample
    loss, w1, w2 = best_on_grid(X, y, b)
    assert (w1, w2) == pytest.approx((0.0, 0.0), abs=1e-12)
    p = 1.0 / (1.0 + math.exp(-b))  # w = 0: the same p for everyone, half the labels 1
    assert loss == pytest.approx(-0.5 * math.log(p) - 0.5 * math.log(1 - p), rel=1e-12)
