"""Notebook 03's computations (xentlib.explore.saturation) against independent references.

References: SciPy's expit and entropy, scikit-learn's log_loss and
LogisticRegression, finite differences, and closed forms written out here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special, stats
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import exercises
from xentlib.explore import saturation as sat
from xentlib.models import LogisticRegression

LOSS_NAMES = ["cross-entropy", "squared error"]


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=25) * 1.5
    y = (rng.random(25) < special.expit(1.5 * x)).astype(float)
    return x, y


# --------------------------------------------------------------------------- the logit gradients the notebook quotes

def test_confidently_wrong_numbers():
    z, y = math.log(99.0), 0.0  # p = 0.99
    assert float(xl.binary_cross_entropy_with_logits(z, y)) == pytest.approx(-math.log(0.01), rel=1e-12)
    assert float(xl.sigmoid_mse_loss(z, y)) == pytest.approx(0.99**2, rel=1e-12)
    assert float(xl.binary_cross_entropy_with_logits_grad(z, y)) == pytest.approx(0.99, rel=1e-12)
    assert float(xl.sigmoid_mse_loss_grad(z, y)) == pytest.approx(2 * 0.99 * 0.99 * 0.01, rel=1e-10)
    # the textbook 1/2 convention halves it: (p - y) p (1 - p)
    half = xl.numerical_grad(lambda v: 0.5 * float(xl.sigmoid_mse_loss(v[0], y)), [z])[0]
    assert half == pytest.approx(0.99 * 0.99 * 0.01, rel=1e-6)


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
    assert_allclose(sat.loss_along_weight(ws, x, y, loss=loss), want, rtol=1e-10)


@pytest.mark.parametrize("loss", LOSS_NAMES)
@pytest.mark.parametrize("w", [-7.0, -2.5, -0.3, 0.0, 1.1, 5.0])
def test_curvature_matches_finite_differences(data, loss, w):
    x, y = data
    # second derivative by central differences of the loss itself
    h = 1e-4
    values = sat.loss_along_weight([w - h, w, w + h], x, y, loss=loss)
    second = (values[0] - 2 * values[1] + values[2]) / h**2
    got = sat.curvature_along_weight([w], x, y, loss=loss)[0]
    assert got == pytest.approx(second, rel=1e-4, abs=1e-6)
    # and by differentiating the closed-form first derivative (xentlib's logit gradient, chained through z = w x)
    grad_fn = xl.models.LOSSES[loss][1]
    first = lambda v: float(np.sum(grad_fn(v[0] * x, y, reduction="none") * x) / len(x))  # noqa: E731
    assert got == pytest.approx(xl.numerical_grad(first, [w])[0], rel=1e-6, abs=1e-9)


def test_cross_entropy_is_convex_with_bounded_curvature_but_squared_error_is_not():
    X, y = sat.race_data()
    x = X[:, 0]
    ws = np.linspace(-12, 12, 1201)
    bound = sat.lipschitz_constant(X, bias=False)
    ce = sat.curvature_along_weight(ws, x, y, loss="cross-entropy")
    mse = sat.curvature_along_weight(ws, x, y, loss="squared error")
    assert ce.min() >= 0
    assert ce.max() <= bound * (1 + 1e-12)
    assert sat.curvature_along_weight([0.0], x, y)[0] == pytest.approx(np.mean(x**2) / 4, rel=1e-12)  # p = 1/2: bound met
    assert mse.min() < -0.1  # clearly negative somewhere: not convex
    # the plateau: at w = -8 the squared-error slope is tiny next to cross-entropy's
    slope = lambda loss: xl.numerical_grad(lambda v: sat.loss_along_weight(v, x, y, loss=loss)[0], [-8.0])[0]  # noqa: E731
    assert abs(slope("squared error")) < abs(slope("cross-entropy")) / 50


def test_lipschitz_constant_against_hessians(data):
    x, y = data
    X = x[:, None]
    assert sat.lipschitz_constant(X, bias=False) == pytest.approx(np.mean(x**2) / 4, rel=1e-12)
    moments = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert sat.lipschitz_constant(X) == pytest.approx(np.max(np.linalg.eigvals(moments).real) / 4, rel=1e-12)
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

    L = sat.lipschitz_constant(X)
    rng = np.random.default_rng(0)
    for w, b in rng.normal(scale=3, size=(10, 2)):
        assert np.linalg.eigvalsh(hessian(w, b)).max() <= L * (1 + 1e-6)
    assert np.linalg.eigvalsh(hessian(0.0, 0.0)).max() == pytest.approx(L, rel=1e-6)  # attained at p = 1/2


def test_landscape_inputs_are_checked():
    with pytest.raises(ValueError, match="loss must be one of"):
        sat.loss_along_weight([0.0], [1.0], [1.0], loss="hinge")
    with pytest.raises(ValueError, match="one value per example"):
        sat.curvature_along_weight([0.0], [1.0, 2.0], [1.0])


# --------------------------------------------------------------------------- the race

def test_race_first_step_is_gradient_descent_written_out():
    X, y = sat.race_data()
    x = X[:, 0]
    w0, lr = -5.0, sat.RACE_LR
    r = sat.race(w0)
    p = special.expit(w0 * x)
    signals = {"cross-entropy": p - y, "squared error": 2 * (p - y) * p * (1 - p)}
    for name, g in signals.items():
        step = np.array([np.mean(g * x), np.mean(g)])
        assert_allclose(r.params[name][0], [w0, 0.0])
        assert_allclose(r.params[name][1], np.array([w0, 0.0]) - lr * step, rtol=1e-12)
        assert r.grad_norm[name][0] == pytest.approx(np.hypot(*step), rel=1e-12)
        assert r.log_loss[name][0] == pytest.approx(log_loss(y, p), rel=1e-10)
    assert_allclose(r.own_loss["cross-entropy"], r.log_loss["cross-entropy"], rtol=1e-10)


def test_race_cross_entropy_reaches_the_maximum_likelihood_fit():
    X, y = sat.race_data()
    reference = SkLogisticRegression(penalty=None, tol=1e-10, max_iter=1000).fit(X, y)
    final = sat.race(-5.0).params["cross-entropy"][-1]
    assert_allclose(final, [reference.coef_[0, 0], reference.intercept_[0]], atol=1e-3)


@pytest.mark.parametrize("w0", [w for w in sat.RACE_STARTS if w <= -3])
def test_squared_error_is_slower_from_a_saturated_start(w0):
    r = sat.race(w0)
    ce, mse = r.steps_to("cross-entropy", 0.4), r.steps_to("squared error", 0.4)
    assert ce is not None and ce < 15
    assert mse is None or mse > 3 * ce
    assert r.grad_norm["squared error"][0] < r.grad_norm["cross-entropy"][0] / 20


def test_race_checks_its_arguments():
    with pytest.raises(ValueError, match="lr"):
        sat.race(-5.0, lr=0.0)
    assert sat.race(-1.0, steps=3).params["cross-entropy"].shape == (4, 2)


# --------------------------------------------------------------------------- two forecasters

def test_two_forecasters_metrics_match_hand_formulas():
    n, k, hes, conf, blunder = 20, 2, 0.6, 0.99, 1e-6
    f = sat.two_forecasters(n, k, hesitant=hes, confident=conf, blunder=blunder)
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
        sat.two_forecasters(4, 5)


# --------------------------------------------------------------------------- soft labels

@pytest.mark.parametrize("eps", [0.0, 0.1, 0.2, 0.5])
def test_smoothed_target_is_what_label_smoothing_uses(eps):
    z = np.linspace(-4, 4, 9)
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1], float)
    t = sat.smoothed_target(y, eps)
    assert_allclose(xl.binary_cross_entropy_with_logits(z, y, label_smoothing=eps),
                    xl.binary_cross_entropy_with_logits(z, t), rtol=1e-12)
    assert_allclose(t, np.where(y == 1, 1 - eps / 2, eps / 2))


def test_smoothed_target_values_and_errors():
    assert sat.smoothed_target(1.0, 0.2) == pytest.approx(0.9)
    assert sat.smoothed_target(1.0, 0.1) == pytest.approx(0.95)
    with pytest.raises(ValueError, match="y must lie in"):
        sat.smoothed_target(1.5, 0.1)
    with pytest.raises(ValueError, match="eps"):
        sat.smoothed_target(1.0, 1.5)


@pytest.mark.parametrize("t", [0.05, 0.3, 0.7, 0.9, 0.95])
def test_soft_label_minimum_is_the_entropy_at_the_log_odds(t):
    grid = np.linspace(-10, 10, 200001)
    losses = xl.binary_cross_entropy_with_logits(grid, np.full_like(grid, t), reduction="none")
    best = int(np.argmin(losses))
    assert grid[best] == pytest.approx(math.log(t / (1 - t)), abs=2e-4)
    assert losses[best] == pytest.approx(stats.entropy([t, 1 - t]), abs=1e-9)
    # and past the optimum the gradient tends to 1 - t, not 0
    assert float(xl.binary_cross_entropy_with_logits_grad(30.0, t)) == pytest.approx(1 - t, abs=1e-12)


def test_soft_labels_figure_reads_out_the_optimum():
    panel = sat.soft_labels()
    panel.set(target=1.0, eps=0.2, z=5.0)
    text = panel.artists[-1].get_text()
    assert "+2.197" in text and "0.325" in text  # ln 9 and H(0.9)
    panel.set(target=1.0, eps=0.0)
    assert "+inf" in panel.artists[-1].get_text()


# --------------------------------------------------------------------------- hinge vs log loss

def test_hinge_push_stops_but_log_loss_push_does_not():
    m = np.array([1.0 + 1e-9, 2.0, 5.0, 20.0])
    ones = np.ones_like(m)
    assert np.all(xl.hinge_loss_grad(m, ones, reduction="none") == 0)
    push = -xl.binary_cross_entropy_with_logits_grad(m, ones, reduction="none")
    assert_allclose(push, special.expit(-m), rtol=1e-12, atol=1e-15)  # p - 1 cancels: ~1e-16 absolute error
    assert np.all(push > 0)


# --------------------------------------------------------------------------- exercises

def test_exercise_answers_from_independent_formulas():
    assert exercises.check("03.mse_grad", 2 * 0.99 * 0.99 * 0.01).correct
    assert exercises.check("03.smoothed_logit", math.log(0.95 / 0.05)).correct
    assert exercises.check("03.soft_floor", float(stats.entropy([0.7, 0.3]))).correct


@pytest.mark.parametrize("key, slip", [
    ("03.mse_grad", 0.99 * 0.99 * 0.01),  # the 1/2 convention
    ("03.mse_grad", 0.99),  # the cross-entropy gradient
    ("03.smoothed_logit", math.log(9)),
    ("03.soft_floor", float(stats.entropy([0.7, 0.3], base=2))),
])
def test_known_slips_are_named_without_the_answer(key, slip):
    feedback = exercises.check(key, slip)
    assert feedback.status == "wrong"
    for answer in ("0.0196", "2.944", "0.611"):
        assert answer not in feedback.message
