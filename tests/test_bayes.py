"""The Bayesian bridge: MAP against scikit-learn and gradient descent, the ELBO against quadrature and Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate, optimize, stats
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import xentlib as xl
from xentlib import bayes
from xentlib.datasets import two_gaussians
from xentlib.models import LogisticRegression


@pytest.fixture
def rng():
    return np.random.default_rng(8)


@pytest.fixture(scope="module")
def small_problem():
    X, y = two_gaussians(30, separation=1.0, dim=3, seed=4)
    return X, y


def test_prior_variance_and_l2_are_inverse_maps():
    for l2, n in [(0.01, 100), (0.5, 7), (1e-4, 2000)]:
        var = bayes.prior_variance_from_l2(l2, n)
        assert var == pytest.approx(1 / (n * l2))
        assert bayes.l2_from_prior_variance(var, n) == pytest.approx(l2)
    assert bayes.prior_variance_from_l2(0.0, 10) == math.inf
    assert bayes.l2_from_prior_variance(math.inf, 10) == 0.0
    with pytest.raises(ValueError, match="prior_var must be > 0"):
        bayes.l2_from_prior_variance(0.0, 10)


def test_neg_log_posterior_is_n_times_the_models_objective_plus_a_constant(small_problem, rng):
    X, y = small_problem
    n, d = X.shape
    var = 0.7
    model = LogisticRegression(d, l2=bayes.l2_from_prior_variance(var, n))
    for _ in range(4):
        model.w, model.b = rng.normal(size=d), float(rng.normal())
        nlp = bayes.logistic_neg_log_posterior(model.w, model.b, X, y, prior_var=var)
        assert nlp == pytest.approx(n * model.objective(X, y) + 0.5 * d * math.log(2 * math.pi * var), rel=1e-12)
        # the prior part is SciPy's Gaussian log-density of the weights
        prior = -np.sum(stats.norm.logpdf(model.w, 0.0, math.sqrt(var)))
        assert nlp == pytest.approx(n * model.loss(X, y) + prior, rel=1e-12)


def test_neg_log_posterior_gradient_against_finite_differences(small_problem, rng):
    X, y = small_problem
    for _ in range(3):
        theta = rng.normal(size=X.shape[1] + 1)
        gw, gb = bayes.logistic_neg_log_posterior_grad(theta[:-1], theta[-1], X, y, prior_var=0.4)
        numeric = xl.numerical_grad(
            lambda t: bayes.logistic_neg_log_posterior(t[:-1], t[-1], X, y, prior_var=0.4), theta)
        assert_allclose(np.r_[gw, gb], numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("var", [0.01, 0.3, 5.0])
def test_map_fit_matches_scikit_learn_c_and_gradient_descent(small_problem, var):
    X, y = small_problem
    fit = bayes.fit_logistic_map(X, y, prior_var=var)
    sk = SkLogisticRegression(C=var, tol=1e-12, max_iter=100000).fit(X, y)  # sklearn's C is the prior variance
    assert_allclose(fit.w, sk.coef_[0], atol=1e-6)
    assert fit.b == pytest.approx(sk.intercept_[0], abs=1e-6)
    gw, gb = bayes.logistic_neg_log_posterior_grad(fit.w, fit.b, X, y, prior_var=var)
    assert np.abs(gw).max() < 1e-9 and abs(gb) < 1e-9
    model = LogisticRegression(X.shape[1], l2=bayes.l2_from_prior_variance(var, len(X)))
    model.fit(X, y, lr=1.0 / (1.0 + model.l2), steps=3000)  # a step below 2 / curvature
    assert_allclose(model.w, fit.w, atol=1e-5)


def test_map_fit_rejects_one_class_and_accepts_warm_starts(small_problem):
    X, y = small_problem
    cold = bayes.fit_logistic_map(X, y, prior_var=1.0)
    warm = bayes.fit_logistic_map(X, y, prior_var=1.0, w0=cold.w, b0=cold.b)
    assert warm.steps <= 2 and np.allclose(warm.w, cold.w, atol=1e-9)
    with pytest.raises(ValueError, match="both labels"):
        bayes.fit_logistic_map(X, np.ones(len(X)), prior_var=1.0)
    with pytest.raises(ValueError, match="prior_var must be a positive"):
        bayes.fit_logistic_map(X, y, prior_var=-1.0)


def test_gaussian_kl_to_prior_against_quadrature():
    m, s, var = 0.8, 0.3, 2.0
    q, prior = stats.norm(m, s), stats.norm(0.0, math.sqrt(var))
    numeric, _ = integrate.quad(lambda w: q.pdf(w) * (q.logpdf(w) - prior.logpdf(w)), -10, 10)
    assert bayes.gaussian_kl_to_prior([m], s, var) == pytest.approx(numeric, rel=1e-9)
    assert bayes.gaussian_kl_to_prior([m, -m], [s, s], var) == pytest.approx(2 * numeric, rel=1e-9)
    assert bayes.gaussian_kl_to_prior([0.0, 0.0, 0.0], math.sqrt(var), var) == pytest.approx(0.0, abs=1e-15)


def test_elbo_expected_log_likelihood_against_monte_carlo(small_problem):
    X, y = small_problem
    m, b, s = np.array([0.9, -0.4, 0.2]), 0.1, 0.5
    elbo = bayes.logistic_elbo(m, b, s, X, y, prior_var=1.0)
    W = m + s * np.random.default_rng(0).normal(size=(200_000, 3))
    Z = W @ X.T + b
    mc = -np.mean(np.sum(np.logaddexp(0, Z) - y * Z, axis=1))
    assert elbo.expected_log_likelihood == pytest.approx(mc, abs=0.01)
    assert elbo.elbo == pytest.approx(elbo.expected_log_likelihood - elbo.kl, rel=1e-12)


def test_elbo_is_a_lower_bound_on_the_log_evidence():
    X, y = two_gaussians(12, separation=1.0, dim=1, seed=6)
    var = 1.5

    def joint(w):  # p(y | X, w) p(w), bias fixed at 0
        z = X[:, 0] * w
        return math.exp(-np.sum(np.logaddexp(0, z) - y * z)) * stats.norm.pdf(w, 0, math.sqrt(var))

    log_evidence = math.log(integrate.quad(joint, -30, 30, limit=200)[0])
    for m, s in [(0.5, 0.3), (1.0, 0.6), (-0.5, 1.0), (0.8, 0.05)]:
        assert bayes.logistic_elbo([m], 0.0, s, X, y, prior_var=var).elbo <= log_evidence + 1e-12
    best = optimize.minimize(lambda t: -bayes.logistic_elbo([t[0]], 0.0, math.exp(t[1]), X, y, prior_var=var).elbo,
                             [0.5, -1.0], method="Nelder-Mead")
    assert log_evidence - 0.05 < -best.fun <= log_evidence + 1e-12  # a Gaussian q almost closes the gap here


def test_narrow_elbo_is_the_map_objective_plus_a_constant(small_problem):
    X, y = small_problem
    n, d = X.shape
    var = 0.5
    model = LogisticRegression(d, l2=bayes.l2_from_prior_variance(var, n))
    centres = [np.zeros(d), np.array([1.0, -2.0, 0.5]), bayes.fit_logistic_map(X, y, prior_var=var).w]
    for s, tolerance in [(1e-2, 5e-3), (1e-3, 5e-5)]:
        offsets = []
        for m in centres:
            model.w, model.b = m, 0.2
            neg_elbo = -bayes.logistic_elbo(m, 0.2, s, X, y, prior_var=var).elbo
            offsets.append(neg_elbo - n * model.objective(X, y))
        constant = 0.5 * d * (math.log(var / s**2) - 1)
        assert_allclose(offsets, constant, atol=tolerance)


def test_bayes_helpers_validate_inputs(small_problem):
    X, y = small_problem
    with pytest.raises(ValueError, match="one weight per feature"):
        bayes.logistic_neg_log_posterior([1.0], 0.0, X, y, prior_var=1.0)
    with pytest.raises(ValueError, match="0/1 label per row"):
        bayes.logistic_neg_log_posterior(np.zeros(3), 0.0, X, y[:-1], prior_var=1.0)
    with pytest.raises(ValueError, match="s must be a positive"):
        bayes.logistic_elbo(np.zeros(3), 0.0, 0.0, X, y, prior_var=1.0)
    with pytest.raises(ValueError, match="1-D vector"):
        bayes.gaussian_kl_to_prior([[0.0]], 1.0, 1.0)
