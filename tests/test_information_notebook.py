"""Notebook 08's helpers and claims: likelihood, forward/reverse KL, multi-label vs joint softmax, the Bayesian bridge, DNA barcodes.

Every claim the notebook makes is checked by a route independent of the code
that draws it: SciPy (entropy, distributions, optimisers, quadrature),
scikit-learn (log loss, mutual information, logistic regression, a k-mer
counter), finite differences, Monte Carlo, and xentlib's own models.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate, optimize, stats
from scipy.spatial.distance import jensenshannon
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss, matthews_corrcoef, mutual_info_score

import xentlib as xl
from xentlib import bayes, exercises, gaussian_fits
from xentlib import information as info
from xentlib import multilabel as ml
from xentlib.datasets import NUCLEOTIDES, dna_barcodes, kmer_counts, kmer_names, two_gaussians
from xentlib.explore import information as fig
from xentlib.models import LogisticRegression

LN2 = math.log(2.0)
X_GRID = np.linspace(-10.0, 10.0, 401)


@pytest.fixture
def rng():
    return np.random.default_rng(8)


# =====================================================================================
# Likelihood: minimising cross-entropy is maximising likelihood
# =====================================================================================

def test_empirical_distribution_counts_classes():
    y = np.array([2, 0, 2, 2, 1, 0])
    assert_allclose(info.empirical_distribution(y, 4), np.bincount(y, minlength=4) / 6)
    with pytest.raises(ValueError, match="class labels in"):
        info.empirical_distribution([0, 5], 3)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        info.empirical_distribution(np.array([], dtype=int), 3)


def test_log_likelihood_of_a_shared_distribution_matches_scipy_multinomial(rng):
    q = rng.dirichlet(np.ones(5))
    y = rng.integers(0, 5, size=40)
    counts = np.bincount(y, minlength=5)
    # multinomial.logpmf counts the orderings too; a sequence's likelihood leaves that coefficient out
    log_coefficient = math.lgamma(41) - sum(math.lgamma(c + 1) for c in counts)
    assert info.log_likelihood(q, y) == pytest.approx(stats.multinomial.logpmf(counts, 40, q) - log_coefficient, rel=1e-12)


def test_log_likelihood_per_example_is_minus_sklearn_summed_log_loss(rng):
    Q = rng.dirichlet(np.ones(4), size=30)
    y = rng.integers(0, 4, size=30)
    assert info.log_likelihood(Q, y) == pytest.approx(-log_loss(y, Q, normalize=False, labels=range(4)), rel=1e-12)
    assert info.log_likelihood(Q, y, base=2) == pytest.approx(info.log_likelihood(Q, y) / LN2, rel=1e-12)


def test_mean_cross_entropy_is_minus_log_likelihood_over_n_and_the_mle_is_the_frequency(rng):
    y = fig.die_rolls(60, seed=0)
    p_hat = info.empirical_distribution(y, 6)
    q = rng.dirichlet(np.ones(6))
    assert -info.log_likelihood(q, y) / 60 == pytest.approx(xl.cross_entropy(p_hat, q), rel=1e-12)
    assert -info.log_likelihood(p_hat, y) / 60 == pytest.approx(xl.entropy(p_hat), rel=1e-12)
    # no other distribution has a higher likelihood, not even the true die
    best = info.log_likelihood(p_hat, y)
    assert best > info.log_likelihood(fig.LOADED_DIE, y)
    for _ in range(50):
        assert info.log_likelihood(rng.dirichlet(np.ones(6) * 5), y) < best
    # a numerical optimiser over the simplex (softmax parametrisation) finds the frequencies too
    result = optimize.minimize(lambda z: -info.log_likelihood(xl.softmax(z), y), np.zeros(6), method="BFGS")
    assert_allclose(xl.softmax(result.x), p_hat, atol=1e-5)


def test_log_likelihood_edge_cases_and_errors():
    assert info.log_likelihood([1.0, 0.0], [1]) == -math.inf  # the "impossible" outcome happened
    with pytest.raises(ValueError, match="rows but y has"):
        info.log_likelihood(np.full((3, 2), 0.5), [0, 1])
    with pytest.raises(ValueError, match="sum to 1"):
        info.log_likelihood([0.5, 0.6], [0])
    with pytest.raises(ValueError, match="class labels"):
        info.log_likelihood([0.5, 0.5], [2])


def test_die_rolls_favour_the_six():
    rolls = fig.die_rolls(6000, seed=3)
    assert_allclose(info.empirical_distribution(rolls, 6), fig.LOADED_DIE, atol=0.02)


# =====================================================================================
# Gaussians on a grid and the forward / reverse fits
# =====================================================================================

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
    wide = gaussian_fits.fit_gaussian_forward_kl(fig.KL_GRID, fig.bimodal_target(separation, weight))
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
    P = np.stack([fig.bimodal_target(d, w) for d, w in [(2.0, 0.5), (6.0, 0.4), (8.0, 0.7)]])
    batch = gaussian_fits.fit_gaussian_reverse_kl(fig.KL_GRID, P)
    for i in range(3):
        single = gaussian_fits.fit_gaussian_reverse_kl(fig.KL_GRID, P[i])
        assert float(batch.mu[i]) == pytest.approx(float(single.mu), abs=1e-9)
        assert float(batch.divergence[i]) == pytest.approx(float(single.divergence), abs=1e-12)


def test_kl_is_asymmetric_and_each_fit_wins_its_own_divergence():
    for separation in (5.0, 6.0, 8.0):
        p = fig.bimodal_target(separation, 0.5)
        forward, reverse = fig.kl_fits(separation, 0.5)
        q_f = gaussian_fits.gaussian_on_grid(fig.KL_GRID, float(forward.mu), float(forward.sigma))
        q_r = gaussian_fits.gaussian_on_grid(fig.KL_GRID, float(reverse.mu), float(reverse.sigma))
        f, r = fig.divergence_table(p, q_f), fig.divergence_table(p, q_r)
        assert f["KL(p||q)"] < r["KL(p||q)"] and r["KL(q||p)"] < f["KL(q||p)"]
        assert f["KL(p||q)"] != pytest.approx(f["KL(q||p)"], rel=0.05)  # not symmetric
        for table, q in ((f, q_f), (r, q_r)):
            assert table["JS(p,q)"] == pytest.approx(float(xl.js_divergence(q, p)), rel=1e-12)  # JS is
            assert table["JS(p,q)"] == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-9)
            assert 0 < table["JS(p,q)"] < LN2


def test_divergence_table_matches_scipy_entropy():
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.6, 0.1, 0.3])
    table = fig.divergence_table(p, q)
    assert table["KL(p||q)"] == pytest.approx(stats.entropy(p, q), rel=1e-12)
    assert table["KL(q||p)"] == pytest.approx(stats.entropy(q, p), rel=1e-12)


def test_js_stays_finite_where_kl_is_infinite():
    p, q = [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]
    assert xl.kl_divergence(p, q) == math.inf and xl.kl_divergence(q, p) == math.inf
    assert xl.js_divergence(p, q) == pytest.approx(LN2, rel=1e-12)


def test_symmetric_ties_go_to_the_left_hump_and_the_jump_is_where_the_fits_cross():
    reverse = fig.kl_fits(6.0, 0.5)[1]
    assert float(reverse.mu) < 0  # deterministic, not decided by rounding
    jump = fig.mode_seeking_threshold(0.5)
    assert jump == 5.75
    # below the jump a broad central fit beats sitting on a hump; from it on, the hump wins
    for d, centre_wins in ((jump - 0.25, True), (jump, False)):
        p = fig.bimodal_target(d, 0.5)
        central = gaussian_fits.fit_gaussian_reverse_kl(fig.KL_GRID, p, starts=[[0.0, 2.0]])
        hump = gaussian_fits.fit_gaussian_reverse_kl(fig.KL_GRID, p, starts=[[d / 2, 1.0]])
        assert (float(central.divergence) < float(hump.divergence)) == centre_wins
    assert fig.mode_seeking_threshold(0.3) < jump  # unequal humps: the heavier one wins sooner
    assert math.isnan(fig.mode_seeking_threshold(0.5, largest=3.0))


def test_kl_fits_cache_and_bimodal_target_validation():
    assert fig.kl_fits(6.0, 0.5) is fig.kl_fits(6.0 + 1e-12, 0.5)
    with pytest.raises(ValueError, match="separation must lie in"):
        fig.bimodal_target(-1.0)
    with pytest.raises(ValueError, match="weight must lie in"):
        fig.bimodal_target(2.0, 1.5)


# =====================================================================================
# Multi-label: the mutual-information gap
# =====================================================================================

@pytest.mark.parametrize("p1, p2", [(0.5, 0.5), (0.3, 0.6), (0.1, 0.2), (0.8, 0.35)])
def test_correlated_joint_has_the_asked_marginals_and_correlation(p1, p2):
    lo, hi = ml.correlation_range(p1, p2)
    for rho in np.linspace(lo, hi, 15):
        joint = ml.correlated_labels_joint(p1, p2, float(rho))
        assert joint.min() >= 0 and joint.sum() == pytest.approx(1.0, abs=1e-12)
        assert_allclose(ml.marginals(joint), [p1, p2], atol=1e-12)
        assert ml.label_correlation(joint) == pytest.approx(rho, abs=1e-9)
    # the range's ends are where a cell of the table reaches 0
    assert ml.correlated_labels_joint(p1, p2, lo).min() == pytest.approx(0.0, abs=1e-12)
    assert ml.correlated_labels_joint(p1, p2, hi).min() == pytest.approx(0.0, abs=1e-12)


def test_label_correlation_matches_numpy_and_scikit_learn_on_data():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.4, 0.3, 0.35), 3000, seed=2)
    phi = ml.label_correlation(ml.empirical_joint(Y))
    assert phi == pytest.approx(np.corrcoef(Y[:, 0], Y[:, 1])[0, 1], rel=1e-10)
    assert phi == pytest.approx(matthews_corrcoef(Y[:, 0], Y[:, 1]), rel=1e-10)


def test_infeasible_correlations_are_rejected_with_the_range():
    with pytest.raises(ValueError, match=r"rho must lie in \[-0\.25, 1\]"):
        ml.correlated_labels_joint(0.2, 0.2, -0.5)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        ml.correlation_range(0.0, 0.5)
    with pytest.raises(ValueError, match="p1 must lie in"):
        ml.correlated_labels_joint(1.5, 0.5, 0.0)


def _gap_routes(joint):
    """The independence gap four ways: xentlib's OptimalLosses, xentlib's MI, SciPy entropies, scikit-learn."""
    h1, h2 = stats.entropy(joint.sum(axis=1)), stats.entropy(joint.sum(axis=0))
    counts = np.rint(joint * 1e7).astype(np.int64)  # scikit-learn wants an integer contingency table
    return (ml.optimal_losses(joint).gap, float(xl.mutual_information(joint)),
            h1 + h2 - stats.entropy(joint.reshape(-1)),
            mutual_info_score(None, None, contingency=counts))


@pytest.mark.parametrize("p1, p2", [(0.5, 0.5), (0.3, 0.6), (0.1, 0.2), (0.8, 0.35)])
def test_the_gap_is_the_mutual_information_over_many_correlations(p1, p2):
    lo, hi = ml.correlation_range(p1, p2)
    for rho in np.linspace(lo, hi, 41):
        joint = ml.correlated_labels_joint(p1, p2, float(rho))
        best = ml.optimal_losses(joint)
        gap, mi, scipy_gap, sklearn_mi = _gap_routes(joint)
        assert best.independent - best.joint == pytest.approx(best.gap, abs=1e-15)
        assert gap == pytest.approx(mi, abs=1e-12)
        assert gap == pytest.approx(scipy_gap, abs=1e-12)
        assert gap == pytest.approx(sklearn_mi, abs=1e-6)
        assert gap >= -1e-15
    assert ml.optimal_losses(ml.correlated_labels_joint(p1, p2, 0.0)).gap == pytest.approx(0.0, abs=1e-12)


def test_optimal_losses_are_optimal_against_an_optimiser(rng):
    joint = ml.correlated_labels_joint(0.35, 0.6, 0.4)
    flat = joint.reshape(-1)
    best = ml.optimal_losses(joint)

    def independent(z):  # expected loss of heads predicting sigmoid(z1), sigmoid(z2)
        q = ml.independent_joint(float(xl.sigmoid(z[0])), float(xl.sigmoid(z[1]))).reshape(-1)
        return float(xl.cross_entropy(flat, q))

    def together(z):
        return float(xl.cross_entropy(flat, xl.softmax(z)))

    assert optimize.minimize(independent, [0.0, 0.0], method="BFGS").fun == pytest.approx(best.independent, abs=1e-9)
    assert optimize.minimize(together, np.zeros(4), method="BFGS").fun == pytest.approx(best.joint, abs=1e-9)
    for _ in range(20):  # and any other product of marginals does worse
        assert independent(rng.normal(size=2)) > best.independent


def test_optimal_losses_with_perfectly_copied_labels():
    best = ml.optimal_losses([[0.5, 0.0], [0.0, 0.5]])
    assert (best.independent, best.joint, best.gap) == pytest.approx((2 * LN2, LN2, LN2), abs=1e-12)


@pytest.mark.parametrize("rho", [-0.8, -0.4, 0.0, 0.4, 0.8])
def test_trained_models_agree_with_the_mutual_information(rho):
    run = fig.multilabel_run(rho)
    # exactly (to optimisation tolerance) the mutual information of the training pairs ...
    assert run.gap == pytest.approx(float(xl.mutual_information(run.data_joint)), abs=1e-6)
    # ... and, up to sampling noise with 2000 pairs, the formula for the population
    assert run.gap == pytest.approx(ml.optimal_losses(ml.correlated_labels_joint(0.5, 0.5, rho)).gap, abs=0.025)
    # both models reach their best possible loss on the training pairs
    assert run.joint_loss == pytest.approx(stats.entropy(run.data_joint.reshape(-1)), abs=1e-6)
    assert run.independent_loss == pytest.approx(stats.entropy(run.data_joint.sum(axis=1))
                                                 + stats.entropy(run.data_joint.sum(axis=0)), abs=1e-6)


def test_independent_heads_learn_the_right_marginals_and_the_softmax_the_joint():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.3, 0.6, 0.4), 1500, seed=4)
    run = ml.train_label_models(Y)
    assert_allclose(run.marginals, Y.mean(axis=0), atol=1e-5)
    assert_allclose(run.joint, ml.empirical_joint(Y), atol=1e-5)
    # the heads' beliefs multiply to the product of marginals, not to the (correlated) truth
    product = ml.independent_joint(*run.marginals)
    assert np.abs(product - run.joint).max() > 0.05
    # the gap is scikit-learn's mutual information of the two label columns
    assert run.gap == pytest.approx(mutual_info_score(Y[:, 0], Y[:, 1]), abs=1e-6)


def test_with_grouped_inputs_the_gap_is_the_conditional_mutual_information():
    groups = [(0.2, 0.3, 0.6), (0.7, 0.5, -0.5), (0.5, 0.5, 0.0)]
    Ys, Xs = [], []
    for g, (p1, p2, rho) in enumerate(groups):
        Y = ml.sample_labels(ml.correlated_labels_joint(p1, p2, rho), 600, seed=10 + g)
        Ys.append(Y)
        Xs.append(np.tile(np.eye(3)[g], (len(Y), 1)))
    Y, X = np.vstack(Ys), np.vstack(Xs)
    run = ml.train_label_models(Y, X, lr_heads=4.0, lr_joint=2.0, max_steps=4000)
    conditional = sum(len(Yg) / len(Y) * float(xl.mutual_information(ml.empirical_joint(Yg))) for Yg in Ys)
    assert run.gap == pytest.approx(conditional, abs=1e-5)


def test_train_label_models_uses_the_xentlib_models_and_matches_a_long_fit():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.5, 0.5, 0.6), 500, seed=0)
    run = ml.train_label_models(Y)
    head = LogisticRegression(1)
    head.fit(np.zeros((500, 1)), Y[:, 0], lr=1.0, steps=2000)
    assert run.heads[0].b == pytest.approx(head.b, abs=1e-5)
    assert run.heads[0].b == pytest.approx(float(xl.logit(Y[:, 0].mean())), abs=1e-6)


def test_label_helpers_round_trip_and_validate():
    classes = np.array([0, 1, 2, 3, 3, 1])
    assert_allclose(ml.joint_class(ml.labels_from_class(classes)), classes)
    assert_allclose(ml.empirical_joint(ml.labels_from_class(classes)), [[1 / 6, 2 / 6], [1 / 6, 2 / 6]])
    Y = ml.sample_labels([[0.1, 0.2], [0.3, 0.4]], 20000, seed=5)
    assert_allclose(ml.empirical_joint(Y), [[0.1, 0.2], [0.3, 0.4]], atol=0.01)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        ml.joint_class([0, 1])
    with pytest.raises(ValueError, match="0/1 labels only"):
        ml.joint_class([[0, 2]])
    with pytest.raises(ValueError, match="integers 0..3"):
        ml.labels_from_class([4])
    with pytest.raises(ValueError, match="2x2 table"):
        ml.optimal_losses(np.full(4, 0.25))
    with pytest.raises(ValueError, match="sum to 1"):
        ml.marginals([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="one row per label pair"):
        ml.train_label_models([[0, 1], [1, 1]], X=np.zeros((3, 1)))


# =====================================================================================
# The Bayesian bridge
# =====================================================================================

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


def test_narrow_elbo_offsets_tend_to_the_same_constant():
    X, y = fig.bayes_data()[:2]
    w_map = bayes.fit_logistic_map(X, y, prior_var=1.0).w
    centres = [np.zeros(10), w_map, 2 * w_map]
    wide, narrow = fig.narrow_elbo_offsets(centres, 0.1), fig.narrow_elbo_offsets(centres, 1e-3)
    constant = 5 * (math.log(1 / 1e-3**2) - 1)
    assert np.ptp(wide) > 0.1  # a wide q averages the loss over nearby weights: the centre matters
    assert_allclose(narrow, constant, atol=1e-4)


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


def test_prior_path_matches_scikit_learn_and_has_an_interior_best():
    path = fig.prior_path()
    X, y, X_test, y_test = fig.bayes_data()
    for i in (0, 15, 30, 40):
        sk = SkLogisticRegression(C=float(path.prior_var[i]), tol=1e-12, max_iter=100000).fit(X, y)
        assert_allclose(path.w[i], sk.coef_[0], atol=2e-5)
        assert path.test_loss[i] == pytest.approx(log_loss(y_test, sk.predict_proba(X_test)[:, 1]), abs=1e-5)
    norms = np.linalg.norm(path.w, axis=1)
    assert np.all(np.diff(norms) > 0)
    assert np.all(np.diff(path.train_loss) < 0)  # a looser prior always fits the training data better ...
    best = int(np.argmin(path.test_loss))
    assert 5 < best < len(path.prior_var) - 5  # ... but new data are predicted best by a middle prior
    assert path.test_loss[-1] > math.log(2) > path.test_loss[best]


# =====================================================================================
# DNA barcodes
# =====================================================================================

def _naive_kmers(read, k):
    counts = Counter(read[i:i + k] for i in range(len(read) - k + 1))
    return np.array([counts[name] for name in kmer_names(k)], dtype=float)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_kmer_counts_match_a_naive_count_and_scikit_learn(k):
    reads = dna_barcodes(3, 2, length=60, seed=7).reads + ["ACGTTGCA", "AAAA"]
    counts = kmer_counts(reads, k)
    assert counts.shape == (len(reads), 4**k)
    for row, read in zip(counts, reads):
        assert_allclose(row, _naive_kmers(read, k))
        assert row.sum() == len(read) - k + 1
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(k, k), lowercase=False)
    sparse = vectorizer.fit_transform(reads)
    columns = [kmer_names(k).index(name) for name in vectorizer.get_feature_names_out()]
    assert_allclose(counts[:, columns], sparse.toarray())
    assert counts.sum() == sparse.sum()  # every k-mer scikit-learn found, and no others


def test_kmer_counts_normalise_accept_lower_case_and_reject_other_letters():
    assert_allclose(kmer_counts("acgt", 1), kmer_counts("ACGT", 1))
    assert_allclose(kmer_counts(["AACG"], 2, normalize=True), [[1 / 3, 1 / 3, 0, 0, 0, 0, 1 / 3] + [0] * 9])
    assert_allclose(kmer_counts(["A"], 2), np.zeros((1, 16)))
    with pytest.raises(ValueError, match="read 1 contains 'N' at position 2"):
        kmer_counts(["ACGT", "ACNT"], 2)
    with pytest.raises(ValueError, match="fewer than k=3"):
        kmer_counts(["AC"], 3, normalize=True)
    with pytest.raises(TypeError, match="strings"):
        kmer_counts([b"ACGT"], 1)


def test_kmer_names_are_lexicographic():
    names = kmer_names(3)
    assert names == sorted(names) and len(names) == 64 and set("".join(names)) == set(NUCLEOTIDES)


def test_dna_barcodes_structure_and_divergences():
    data = dna_barcodes(6, 50, length=2000, n_genera=2, genus_divergence=0.2, species_divergence=0.05,
                        mutation_rate=0.1, seed=3)
    assert len(data.reads) == 300 and all(len(r) == 2000 for r in data.reads)
    assert_allclose(np.bincount(data.species), 50)
    assert list(data.genus) == [0, 0, 0, 1, 1, 1]
    refs = np.array([list(r) for r in data.references])
    differ = lambda a, b: float(np.mean(a != b))  # noqa: E731
    within, between = differ(refs[0], refs[1]), differ(refs[0], refs[4])
    assert within == pytest.approx(0.1 - 4 / 3 * 0.05**2, abs=0.02)  # two independent 5 % branches
    assert between > within + 0.1
    read = np.array(list(data.reads[0]))
    assert differ(read, refs[0]) == pytest.approx(0.1, abs=0.02)
    again = dna_barcodes(6, 50, length=2000, n_genera=2, genus_divergence=0.2, species_divergence=0.05,
                         mutation_rate=0.1, seed=3)
    assert again.reads == data.reads
    with pytest.raises(ValueError, match="n_genera must be at most"):
        dna_barcodes(2, 1, n_genera=3)
    with pytest.raises(ValueError, match="mutation_rate must lie in"):
        dna_barcodes(mutation_rate=1.5)


def test_barcode_models_improve_with_k_and_report_honest_losses():
    data, train, test = fig.barcode_data()
    assert train.sum() == test.sum() == 120 and not np.any(train & test)
    losses, accuracies = [], []
    for k in (1, 2, 3, 4):
        m = fig.barcode_model(k)
        assert_allclose(m.test_proba.sum(axis=1), 1.0)
        truth = data.species[test]
        assert m.test_loss == pytest.approx(log_loss(truth, m.test_proba, labels=range(6)), rel=1e-10)
        assert m.test_accuracy == pytest.approx(np.mean(m.test_proba.argmax(axis=1) == truth))
        losses.append(m.test_loss)
        accuracies.append(m.test_accuracy)
    assert np.all(np.diff(losses) < 0) and accuracies[0] < accuracies[-1]
    assert losses[0] < math.log(6)  # even base composition beats guessing
    # the figure's "a read it gets wrong" scene really shows a mistake
    assert _barcode_model_misreads(7)
    # mistakes stay within the genus: sister species are what the model confuses
    m = fig.barcode_model(2)
    wrong = m.test_proba.argmax(axis=1) != data.species[test]
    assert np.mean(data.genus[m.test_proba.argmax(axis=1)[wrong]] == data.genus[data.species[test][wrong]]) > 0.8


def _barcode_model_misreads(i):
    data, _, test = fig.barcode_data()
    return int(fig.barcode_model(2).test_proba[i].argmax()) != int(data.species[test][i])


# =====================================================================================
# Exercises
# =====================================================================================

def test_exercise_answers_are_accepted_and_wrong_ones_rejected():
    assert exercises.check("08.mle", stats.entropy([0.7, 0.3])).correct
    assert not exercises.check("08.mle", 0.7).correct
    assert not exercises.check("08.mle", stats.entropy([0.7, 0.3], base=2)).correct  # bits, not nats
    joint = np.array([[0.45, 0.05], [0.15, 0.35]])
    h1, h2 = stats.entropy(joint.sum(axis=1)), stats.entropy(joint.sum(axis=0))
    assert exercises.check("08.mi_gap", h1 + h2 - stats.entropy(joint.reshape(-1))).correct
    assert not exercises.check("08.mi_gap", h1 + h2).correct
    assert exercises.check("08.prior_variance", 0.1).correct
    assert not exercises.check("08.prior_variance", 10.0).correct


def test_independent_loss_exercise_accepts_a_correct_function_and_rejects_slips():
    def right(joint):
        return sum(stats.entropy(joint.sum(axis=a)) for a in (0, 1))

    def joint_entropy(joint):  # the softmax's loss, not the heads'
        return stats.entropy(joint.reshape(-1))

    def naive(joint):  # 0 * log 0 = NaN
        with np.errstate(all="ignore"):
            return sum(float(-np.sum(m * np.log(m))) for m in (joint.sum(axis=0), joint.sum(axis=1)))

    assert exercises.check("08.independent_loss", right).correct
    assert not exercises.check("08.independent_loss", joint_entropy).correct
    feedback = exercises.check("08.independent_loss", naive)
    assert not feedback.correct and "NaN" in feedback.message


@pytest.mark.parametrize("key", ["08.mle", "08.mi_gap", "08.independent_loss", "08.prior_variance"])
def test_unanswered_exercises_say_so_and_hints_do_not_give_numbers(key):
    assert exercises.check(key, None).status == "unanswered"
    assert exercises.ask(key).hint
    if key == "08.independent_loss":
        feedback = exercises.check(key, lambda joint: 0.0)
        assert not feedback.correct and "1.386" not in feedback.message  # names the input, never the output
    else:
        feedback = exercises.check(key, 123.0)
        assert not feedback.correct
        for answer in ("0.6109", "0.1", "0.2", "0.19"):
            assert answer not in feedback.message
