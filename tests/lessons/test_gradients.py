"""The helpers of notebook 02 (xentlib.explore.gradients) and its exercises, against independent references.

References are finite differences (central, float64, written out here or via
xl.numerical_grad), hand-written scalar formulas with ``math``, scipy and
scikit-learn; never the helper's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import expit
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import exercises
from xentlib.drawing import StaticFigure
from xentlib.explore import gradients as g

Z = np.array([-6.0, -2.5, -0.3, 0.0, 0.7, 3.0, 8.0])


def _central(f, x, eps=1e-6):
    """Central difference of a scalar function of a scalar, written out independently of xentlib."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def _bce(p, y):
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


# --------------------------------------------------------------------------- sigmoid and the binary chain rule

def test_sigmoid_derivative_matches_finite_differences():
    expected = [_central(lambda t: 1 / (1 + math.exp(-t)), float(z)) for z in Z]
    assert_allclose(g.sigmoid_derivative(Z), expected, rtol=1e-6, atol=1e-10)


def test_sigmoid_derivative_peaks_at_a_quarter_and_stays_accurate_in_the_tail():
    assert g.sigmoid_derivative(0.0) == pytest.approx(0.25)
    assert np.all(g.sigmoid_derivative(np.linspace(-10, 10, 101)) <= 0.25)
    # sigma'(40) = e^-40 / (1 + e^-40)^2; p (1 - p) computed naively would give 0 here
    assert g.sigmoid_derivative(40.0) == pytest.approx(math.exp(-40) / (1 + math.exp(-40)) ** 2, rel=1e-12)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_chain_rule_factors_are_the_true_derivatives(y):
    parts = g.bce_chain_rule(Z, np.full_like(Z, y))
    p = expit(Z)
    assert_allclose(parts.p, p, rtol=1e-12)
    assert_allclose(parts.dloss_dp, [_central(lambda q: _bce(q, y), float(q), eps=1e-6 * min(q, 1 - q)) for q in p], rtol=1e-5)
    assert_allclose(parts.dp_dz, p * (1 - p), rtol=1e-6, atol=1e-14)
    # the product is the derivative of the loss as a function of the logit ...
    assert_allclose(parts.dloss_dz, [_central(lambda t: _bce(expit(t), y), float(z)) for z in Z], rtol=1e-5, atol=1e-9)
    # ... and equals the error p - y
    assert_allclose(parts.dloss_dz, p - y, rtol=1e-9, atol=1e-12)


def test_bce_chain_rule_shows_the_cancellation_when_confidently_wrong():
    parts = g.bce_chain_rule([6.0], [0.0])
    p = 1 / (1 + math.exp(-6))
    assert parts.dloss_dp[0] == pytest.approx(1 / (1 - p), rel=1e-9)  # large: about 404
    assert parts.dloss_dp[0] > 400 and parts.dp_dz[0] < 0.003
    assert parts.dloss_dz[0] == pytest.approx(p, rel=1e-9)


# --------------------------------------------------------------------------- softmax

LOGITS = np.array([2.0, 1.0, 0.1, -1.5])


def test_softmax_jacobian_matches_finite_differences_of_each_probability():
    jac = g.softmax_jacobian(LOGITS)
    numeric = np.stack([xl.numerical_grad(lambda v, i=i: scipy_softmax(v)[i], LOGITS) for i in range(len(LOGITS))])
    assert_allclose(jac, numeric, rtol=1e-6, atol=1e-9)
    assert_allclose(jac, jac.T, atol=1e-15)
    assert_allclose(jac.sum(axis=0), 0, atol=1e-15)


def test_softmax_jacobian_needs_one_vector():
    with pytest.raises(ValueError, match="one logit vector"):
        g.softmax_jacobian(np.zeros((2, 3)))


@pytest.mark.parametrize("k", range(4))
def test_softmax_chain_rule_gives_p_minus_onehot(k):
    parts = g.softmax_ce_chain_rule(LOGITS, k)
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
        g.softmax_ce_chain_rule([1.0, 2.0], 2)


# --------------------------------------------------------------------------- stability

def test_naive_log_softmax_fails_quietly_where_it_should():
    raw = g.naive_log_softmax([1000.0, 1.0])  # filterwarnings=error: a numpy warning here fails the test
    assert np.isnan(raw[0]) and raw[1] == -np.inf
    shifted = g.naive_log_softmax([1000.0, 1.0], shift=True)
    assert shifted[0] == 0.0 and shifted[1] == -np.inf
    assert_allclose(xl.log_softmax([1000.0, 1.0]), [0.0, -999.0])


def test_naive_log_softmax_is_right_for_moderate_logits():
    z = np.array([3.0, -1.0, 0.5, 2.0])
    assert_allclose(g.naive_log_softmax(z), scipy_log_softmax(z), rtol=1e-12)
    assert_allclose(g.naive_log_softmax(z, shift=True), scipy_log_softmax(z), rtol=1e-12)


def test_naive_log_softmax_works_row_by_row():
    z = np.array([[3.0, -1.0, 0.5], [1000.0, 1.0, 0.0]])
    rows = g.naive_log_softmax(z, shift=True)
    assert_allclose(rows[0], scipy_log_softmax(z[0]), rtol=1e-12)
    assert rows[1, 0] == 0.0 and rows[1, 1] == -np.inf


def test_naive_routes_break_where_float64_does():
    # exp overflows just above ln(max float) = 709.78; e^-a rounds to 0 just above 745.13
    assert np.isfinite(g.naive_log_softmax([709.0, 0.0])).all()
    assert not np.isfinite(g.naive_log_softmax([710.0, 0.0])).all()
    assert np.isfinite(g.naive_log_softmax([745.0, 0.0], shift=True)).all()
    assert g.naive_log_softmax([745.2, 0.0], shift=True)[1] == -np.inf


# --------------------------------------------------------------------------- gradient checks

def test_gradient_check_separates_right_from_wrong():
    cube = lambda v: float(np.sum(v**3))  # noqa: E731
    assert g.gradient_check(cube, lambda v: 3 * v**2, [1.0, -2.0, 0.5]) < 1e-8
    assert g.gradient_check(cube, lambda v: 2 * v**2, [1.0, -2.0, 0.5]) == pytest.approx(4.0, rel=1e-6)  # |12 - 8| at v = -2


def test_gradient_check_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        g.gradient_check(lambda v: float(np.sum(v)), lambda v: np.ones(3), [1.0, 2.0])


def test_only_the_right_bce_candidate_passes_the_check():
    z = np.array([-3.0, -0.5, 0.0, 1.0, 4.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    loss = lambda v: sum(_bce(float(expit(t)), float(l)) for t, l in zip(v, y))  # noqa: E731
    gaps = {name: g.gradient_check(loss, lambda v, f=f: f(v, y), z) for name, f in g.BCE_GRADIENT_CANDIDATES.items()}
    assert gaps.pop("p - y") < 1e-7
    assert all(gap > 0.1 for gap in gaps.values()), gaps


def test_logistic_loss_and_grad_against_sklearn_and_finite_differences():
    X, y = g.sgd_data()
    loss, grad = g.logistic_loss_and_grad(X, y)
    theta = np.array([0.7, -0.3])
    p = expit(0.7 * X[:, 0] - 0.3)
    assert loss(theta) == pytest.approx(log_loss(y, p), rel=1e-10)
    assert loss([0.0, 0.0]) == pytest.approx(math.log(2))
    numeric = xl.numerical_grad(lambda t: log_loss(y, expit(t[0] * X[:, 0] + t[1])), theta)
    assert_allclose(grad(theta), numeric, rtol=1e-6, atol=1e-9)
    assert_allclose(grad(theta), [np.mean((p - y) * X[:, 0]), np.mean(p - y)], rtol=1e-10)


# --------------------------------------------------------------------------- SGD

def test_sgd_trace_follows_the_update_rule_step_by_step():
    X, y = g.sgd_data()
    lr = 0.5
    trace = g.sgd_trace(X, y, lr=lr, steps=40, seed=3)
    assert trace.w.shape == (41, 1) and trace.b.shape == (41,) and trace.loss.shape == (41,)
    w, b = 0.0, 0.0
    for t, i in enumerate(trace.index):
        x_i, y_i = float(X[i, 0]), float(y[i])
        p = 1 / (1 + math.exp(-(w * x_i + b)))
        assert trace.p[t] == pytest.approx(p, rel=1e-12)
        assert trace.error[t] == pytest.approx(p - y_i, abs=1e-12)
        w, b = w - lr * (p - y_i) * x_i, b - lr * (p - y_i)
        assert trace.w[t + 1, 0] == pytest.approx(w, rel=1e-12, abs=1e-12)
        assert trace.b[t + 1] == pytest.approx(b, rel=1e-12, abs=1e-12)
        assert trace.loss[t + 1] == pytest.approx(log_loss(y, expit(w * X[:, 0] + b)), rel=1e-9)
    assert trace.loss[0] == pytest.approx(math.log(2))


def test_sgd_trace_visits_every_example_once_per_pass_and_is_reproducible():
    X, y = g.sgd_data(n=10)
    trace = g.sgd_trace(X, y, lr=1.0, steps=25, seed=7)
    assert sorted(trace.index[:10]) == list(range(10)) and sorted(trace.index[10:20]) == list(range(10))
    assert len(set(trace.index[20:])) == 5
    again = g.sgd_trace(X, y, lr=1.0, steps=25, seed=7)
    assert_allclose(again.w, trace.w)
    assert not np.array_equal(g.sgd_trace(X, y, lr=1.0, steps=25, seed=8).index, trace.index)


def test_sgd_trace_with_no_steps_is_the_starting_point():
    X, y = g.sgd_data(n=6)
    trace = g.sgd_trace(X, y, lr=0.1, steps=0)
    assert trace.index.size == 0 and trace.w.shape == (1, 1)
    assert trace.loss[0] == pytest.approx(math.log(2))


def test_sgd_learns_the_data_with_a_moderate_rate():
    X, y = g.sgd_data()
    trace = g.sgd_trace(X, y, lr=0.5, steps=90)
    assert trace.loss[-1] < 0.35 < math.log(2)
    assert trace.w[-1, 0] > 1.0  # class 1 lives at positive x


# --------------------------------------------------------------------------- physics

def test_cross_entropy_is_energy_above_free_energy():
    for T in (0.3, 1.0, 4.0):
        p = xl.softmax(-g.ENERGIES, temperature=T)
        F = float(xl.energy_score(-g.ENERGIES, temperature=T))
        z_partition = np.sum(np.exp(-g.ENERGIES / T))
        assert F == pytest.approx(-T * math.log(z_partition))
        assert_allclose(-np.log(p), (g.ENERGIES - F) / T, rtol=1e-12)


# --------------------------------------------------------------------------- static figures

@pytest.mark.parametrize("build", [g.overflow_figure, g.finite_difference_error])
def test_static_figures_render(build):
    figure = build()
    assert isinstance(figure, StaticFigure) and figure.png.startswith(b"\x89PNG") and figure.title


# --------------------------------------------------------------------------- exercises

def test_exercise_answers_are_accepted():
    assert exercises.check("02.init_loss", math.log(10)).correct
    assert exercises.check("02.true_logit", -0.2).correct
    z = 0.5 * 2 + 0.5 * -1
    p = 1 / (1 + math.exp(-z))
    assert exercises.check("02.sgd_step", [0.5 - 0.5 * p * 2, 0.5 + 0.5 * p]).correct


def test_exercise_feedback_never_gives_the_answer():
    for key, wrong, secret in (("02.init_loss", 10.0, "2.30"), ("02.true_logit", 0.2, "-0.2"),
                               ("02.sgd_step", [0.5, 0.5], "0.81")):
        feedback = exercises.check(key, wrong)
        assert not feedback.correct and secret not in feedback.message, feedback


def test_sgd_exercise_recognises_a_step_the_wrong_way():
    z = 0.5
    p = 1 / (1 + math.exp(-z))
    feedback = exercises.check("02.sgd_step", [0.5 + 0.5 * p * 2, 0.5 - 0.5 * p])
    assert feedback.status == "wrong" and "wrong way" in feedback.message


def test_true_logit_exercise_flags_the_sign():
    assert "sign" in exercises.check("02.true_logit", 0.2).message


def test_log_softmax_exercise_accepts_stable_and_rejects_naive():
    def stable(z):
        m = np.max(z)
        return z - m - np.log(np.sum(np.exp(z - m)))

    def naive(z):
        return np.log(np.exp(z) / np.sum(np.exp(z)))

    assert exercises.check("02.log_softmax", stable).correct
    feedback = exercises.check("02.log_softmax", naive)
    assert feedback.status == "close" and "NaN or inf" in feedback.message
