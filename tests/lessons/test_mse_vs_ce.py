"""Lesson mse_vs_ce (notebook 03): its experiments, figures and exercises against independent references.

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
from xentlib import landscape
from xentlib.lessons.mse_vs_ce import exercises, experiments, figures

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



# --------------------------------------------------------------------------- the landscape on the race's data

def test_cross_entropy_is_convex_with_bounded_curvature_but_squared_error_is_not():
    X, y = experiments.race_data()
    x = X[:, 0]
    ws = np.linspace(-12, 12, 1201)
    bound = landscape.lipschitz_constant(X, bias=False)
    ce = landscape.curvature_along_weight(ws, x, y, loss="cross-entropy")
    mse = landscape.curvature_along_weight(ws, x, y, loss="squared error")
    assert ce.min() >= 0
    assert ce.max() <= bound * (1 + 1e-12)
    assert landscape.curvature_along_weight([0.0], x, y)[0] == pytest.approx(np.mean(x**2) / 4, rel=1e-12)  # p = 1/2: bound met
    assert mse.min() < -0.1  # clearly negative somewhere: not convex
    # the plateau: at w = -8 the squared-error slope is tiny next to cross-entropy's
    slope = lambda loss: xl.numerical_grad(lambda v: landscape.loss_along_weight(v, x, y, loss=loss)[0], [-8.0])[0]  # noqa: E731
    assert abs(slope("squared error")) < abs(slope("cross-entropy")) / 50


# --------------------------------------------------------------------------- the race

def test_race_first_step_is_gradient_descent_written_out():
    X, y = experiments.race_data()
    x = X[:, 0]
    w0, lr = -5.0, experiments.RACE_LR
    r = experiments.race(w0)
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
    X, y = experiments.race_data()
    reference = SkLogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)
    final = experiments.race(-5.0).params["cross-entropy"][-1]
    assert_allclose(final, [reference.coef_[0, 0], reference.intercept_[0]], atol=1e-3)


@pytest.mark.parametrize("w0", [w for w in experiments.RACE_STARTS if w <= -3])
def test_squared_error_is_slower_from_a_saturated_start(w0):
    r = experiments.race(w0)
    ce, mse = r.steps_to("cross-entropy", 0.4), r.steps_to("squared error", 0.4)
    assert ce is not None and ce < 15
    assert mse is None or mse > 3 * ce
    assert r.grad_norm["squared error"][0] < r.grad_norm["cross-entropy"][0] / 20


def test_race_checks_its_arguments():
    with pytest.raises(ValueError, match="lr"):
        experiments.race(-5.0, lr=0.0)
    assert experiments.race(-1.0, steps=3).params["cross-entropy"].shape == (4, 2)


# --------------------------------------------------------------------------- soft labels

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
    panel = figures.soft_labels()
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
