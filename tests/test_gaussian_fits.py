"""Gaussians on a grid and the forward / reverse KL fits, against SciPy's densities and optimisers and finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats

import xentlib as xl
from xentlib import gaussian_fits
from xentlib.datasets import KL_GRID, bimodal_target

X_GRID = np.linspace(-10.0, 10.0, 401)


def test_gaussian_on_grid_is_the_normalised_density():
    q = gaussian_fits.gaussian_on_grid(X_GRID, 1.5, 0.8)
    density = stats.norm.pdf(X_GRID, 1.5, 0.8)
    assert_allclose(q, density / density.sum(), rtol=1e-12)
    assert q @ X_GRID == pytest.approx(1.5, abs=1e-12)
    assert q @ (X_GRID - 1.5) ** 2 == pytest.approx(0.64, rel=1e-10)


def test_gaussian_on_grid_broadcasts_and_validates():
    q = gaussian_fits.gaussian_on_grid(X_GRID, np.array([[0.0], [1.0]]), np.array([1.0, 2.0, 3.0]))
    assert q.shape == (2, 3, X_GRID.size)
    assert_allclose(q.sum(axis=-1), 1.0)
    with pytest.raises(ValueError, match="sigma must be positive"):
        gaussian_fits.gaussian_on_grid(X_GRID, 0.0, 0.0)
    with pytest.raises(ValueError, match="strictly increasing"):
        gaussian_fits.gaussian_on_grid(X_GRID[::-1], 0.0, 1.0)
    with pytest.raises(ValueError, match="at least 3 points"):
        gaussian_fits.gaussian_on_grid([0.0, 1.0], 0.0, 1.0)


def test_gaussian_mixture_on_grid_matches_scipy_and_batches():
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-2.0, 1.0, 3.0], [1.0, 0.5, 2.0], [1.0, 2.0, 1.0])
    density = 0.25 * stats.norm.pdf(X_GRID, -2, 1) + 0.5 * stats.norm.pdf(X_GRID, 1, 0.5) + 0.25 * stats.norm.pdf(X_GRID, 3, 2)
    assert_allclose(p, density / density.sum(), rtol=1e-10)
    batch = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [[-1.0, 1.0], [-3.0, 3.0]], 1.0, [[0.5, 0.5], [0.2, 0.8]])
    assert batch.shape == (2, X_GRID.size)
    assert_allclose(batch[1], gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-3.0, 3.0], [1.0, 1.0], [0.2, 0.8]), rtol=1e-12)
    one = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-3.0, 3.0], [1.0, 1.0], [0.0, 1.0])  # a zero weight drops out
    assert_allclose(one, gaussian_fits.gaussian_on_grid(X_GRID, 3.0, 1.0), rtol=1e-10)
    with pytest.raises(ValueError, match="weights must be >= 0"):
        gaussian_fits.gaussian_mixture_on_grid(X_GRID, [0.0, 1.0], [1.0, 1.0], [-0.1, 1.1])
    with pytest.raises(ValueError, match="must not all be 0"):
        gaussian_fits.gaussian_mixture_on_grid(X_GRID, [0.0, 1.0], [1.0, 1.0], [0.0, 0.0])


def _kl_objective(p, which):
    def f(theta):
        q = gaussian_fits.gaussian_on_grid(X_GRID, theta[0], math.exp(theta[1]))
        return float(xl.kl_divergence(p, q) if which == "forward" else xl.kl_divergence(q, p))
    return f


@pytest.mark.parametrize("separation, weight", [(0.0, 0.5), (3.0, 0.3), (6.0, 0.5), (7.0, 0.25)])
def test_forward_fit_matches_the_moments_and_a_numerical_optimiser(separation, weight):
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-separation / 2, separation / 2], [1.0, 1.0], [weight, 1 - weight])
    fit = gaussian_fits.fit_gaussian_forward_kl(X_GRID, p)
    q = gaussian_fits.gaussian_on_grid(X_GRID, float(fit.mu), float(fit.sigma))
    assert q @ X_GRID == pytest.approx(p @ X_GRID, abs=1e-10)  # the grid moments match exactly
    assert q @ X_GRID**2 == pytest.approx(p @ X_GRID**2, rel=1e-10)
    result = optimize.minimize(_kl_objective(p, "forward"), [0.5, 0.3], method="Nelder-Mead",
                               options=dict(xatol=1e-10, fatol=1e-14, maxiter=4000))
    assert result.x[0] == pytest.approx(float(fit.mu), abs=1e-5)
    assert math.exp(result.x[1]) == pytest.approx(float(fit.sigma), rel=1e-5)
    assert float(fit.divergence) == pytest.approx(result.fun, abs=1e-10)
    # on a grid wide enough not to cut q off, they are the continuous mixture's mean and variance
    wide = gaussian_fits.fit_gaussian_forward_kl(KL_GRID, bimodal_target(separation, weight))
    assert float(wide.mu) == pytest.approx(weight * -separation / 2 + (1 - weight) * separation / 2, abs=1e-3)
    assert float(wide.sigma) ** 2 == pytest.approx(1 + weight * (1 - weight) * separation**2, rel=1e-3)


def test_forward_fit_is_maximum_likelihood_it_minimises_cross_entropy():
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-3.0, 3.0], [1.0, 1.0], [0.5, 0.5])
    fit = gaussian_fits.fit_gaussian_forward_kl(X_GRID, p)
    best = xl.cross_entropy(p, gaussian_fits.gaussian_on_grid(X_GRID, float(fit.mu), float(fit.sigma)))
    for mu, sigma in [(3.0, 1.0), (0.0, 2.0), (0.3, 3.2), (-3.0, 1.0)]:
        assert xl.cross_entropy(p, gaussian_fits.gaussian_on_grid(X_GRID, mu, sigma)) > best
    assert float(fit.divergence) == pytest.approx(best - xl.entropy(p), abs=1e-12)  # CE = H + KL


def test_reverse_kl_value_and_gradient_against_finite_differences():
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-2.0, 2.5], [1.0, 0.7], [0.4, 0.6])
    for mu, sigma in [(0.3, 1.2), (-2.0, 0.8), (2.5, 3.0)]:
        R, grad = gaussian_fits.reverse_kl_and_grad(X_GRID, p, mu, sigma)
        q = gaussian_fits.gaussian_on_grid(X_GRID, mu, sigma)
        assert float(R) == pytest.approx(float(xl.kl_divergence(q, p)), rel=1e-12)
        f = lambda t: float(gaussian_fits.reverse_kl_and_grad(X_GRID, p, t[0], math.exp(t[1]))[0])  # noqa: E731
        assert_allclose(grad, xl.numerical_grad(f, [mu, math.log(sigma)]), rtol=1e-6, atol=1e-9)


def test_reverse_kl_hessian_against_finite_differences_of_the_gradient():
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-2.0, 2.5], [1.0, 0.7], [0.4, 0.6])
    log_p = np.log(p)
    theta = np.array([0.4, 0.1])
    _, _, H = gaussian_fits._reverse_kl_and_grad(X_GRID, log_p, theta[0], theta[1], hessian=True)
    numeric = np.stack([xl.numerical_grad(lambda t, k=k: float(gaussian_fits._reverse_kl_and_grad(X_GRID, log_p, t[0], t[1])[1][k]), theta)
                        for k in range(2)])
    assert_allclose(H, numeric, rtol=1e-5, atol=1e-8)


def test_reverse_kl_batches_and_rejects_zeros():
    P = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [[-1.0, 1.0], [-3.0, 3.0]], 1.0, 0.5)
    R, grad = gaussian_fits.reverse_kl_and_grad(X_GRID, P, np.array([0.0, 1.0]), 1.0)
    assert R.shape == (2,) and grad.shape == (2, 2)
    assert float(R[1]) == pytest.approx(float(gaussian_fits.reverse_kl_and_grad(X_GRID, P[1], 1.0, 1.0)[0]), rel=1e-12)
    holes = np.r_[0.0, np.full(X_GRID.size - 1, 1 / (X_GRID.size - 1))]
    with pytest.raises(ValueError, match="positive on every grid point"):
        gaussian_fits.reverse_kl_and_grad(X_GRID, holes, 0.0, 1.0)
    with pytest.raises(ValueError, match="one probability per grid point"):
        gaussian_fits.reverse_kl_and_grad(X_GRID, np.full(10, 0.1), 0.0, 1.0)


@pytest.mark.parametrize("separation, weight", [(1.0, 0.5), (3.0, 0.3), (4.5, 0.3), (5.0, 0.5), (6.0, 0.5), (8.0, 0.3)])
def test_reverse_fit_is_the_global_minimum_found_by_scipy(separation, weight):
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-separation / 2, separation / 2], [1.0, 1.0], [weight, 1 - weight])
    fit = gaussian_fits.fit_gaussian_reverse_kl(X_GRID, p)
    starts = [[m, s] for m in (-separation / 2, 0.0, separation / 2) for s in (0.0, 0.7)]
    results = [optimize.minimize(_kl_objective(p, "reverse"), x0, method="Nelder-Mead",
                                 options=dict(xatol=1e-10, fatol=1e-14, maxiter=4000)) for x0 in starts]
    best = min(results, key=lambda r: r.fun)
    assert float(fit.divergence) == pytest.approx(best.fun, abs=1e-9)
    assert float(fit.divergence) <= best.fun + 1e-12
    if weight != 0.5 or separation < 5.5:  # a symmetric target has two equally good answers, one per hump
        assert float(fit.mu) == pytest.approx(best.x[0], abs=1e-4)
    assert float(fit.sigma) == pytest.approx(math.exp(best.x[1]), rel=1e-4)


def test_reverse_kl_picks_one_hump_and_has_two_local_optima():
    p = gaussian_fits.gaussian_mixture_on_grid(X_GRID, [-4.0, 4.0], [1.0, 1.0], [0.3, 0.7])
    fit = gaussian_fits.fit_gaussian_reverse_kl(X_GRID, p)
    assert float(fit.mu) == pytest.approx(4.0, abs=0.01) and float(fit.sigma) == pytest.approx(1.0, abs=0.01)
    assert float(fit.divergence) == pytest.approx(-math.log(0.7), abs=1e-3)  # q ignores the other 30 %: KL = -ln 0.7
    left = gaussian_fits.fit_gaussian_reverse_kl(X_GRID, p, starts=[[-4.0, 1.0]])
    assert float(left.mu) == pytest.approx(-4.0, abs=0.01)
    assert float(left.divergence) == pytest.approx(-math.log(0.3), abs=1e-3)  # a worse local optimum
    with pytest.raises(ValueError, match=r"\(S, 2\)"):
        gaussian_fits.fit_gaussian_reverse_kl(X_GRID, p, starts=[1.0, 2.0])


def test_reverse_fit_of_a_gaussian_target_recovers_it():
    p = gaussian_fits.gaussian_on_grid(X_GRID, -1.3, 1.7)
    fit = gaussian_fits.fit_gaussian_reverse_kl(X_GRID, p)
    assert (float(fit.mu), float(fit.sigma)) == pytest.approx((-1.3, 1.7), abs=1e-7)
    assert float(fit.divergence) < 1e-12


def test_batched_reverse_fits_equal_one_at_a_time():
    P = np.stack([bimodal_target(d, w) for d, w in [(2.0, 0.5), (6.0, 0.4), (8.0, 0.7)]])
    batch = gaussian_fits.fit_gaussian_reverse_kl(KL_GRID, P)
    for i in range(3):
        single = gaussian_fits.fit_gaussian_reverse_kl(KL_GRID, P[i])
        assert float(batch.mu[i]) == pytest.approx(float(single.mu), abs=1e-9)
        assert float(batch.divergence[i]) == pytest.approx(float(single.divergence), abs=1e-12)
