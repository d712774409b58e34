"""Information measures against SciPy and against the identities that define them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special, stats
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import information as info
from xentlib.datasets import LOADED_DIE, die_rolls

LN2 = math.log(2.0)


def random_distributions(rng, shape, *, zeros=False):
    """Rows of probabilities along the last axis; with ``zeros`` some entries are exactly 0."""
    a = rng.gamma(0.7, size=shape)
    if zeros:
        a[rng.random(shape) < 0.3] = 0.0
        a[..., 0] += 0.1  # keep every row non-empty
    return a / a.sum(axis=-1, keepdims=True)


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


# --------------------------------------------------------------------------- surprisal

def test_surprisal_is_minus_log():
    p = np.array([1.0, 0.5, 0.1, 0.01, 1e-300])
    assert_allclose(xl.surprisal(p), -np.log(p), rtol=1e-15)


def test_surprisal_known_constants():
    assert xl.surprisal(0.5, base=2) == pytest.approx(1.0, rel=1e-15)
    assert xl.surprisal(0.125, base=2) == pytest.approx(3.0, rel=1e-15)
    assert xl.surprisal(0.001, base=10) == pytest.approx(3.0, rel=1e-14)
    assert xl.surprisal(1.0) == 0.0
    assert xl.surprisal(1 / math.e) == pytest.approx(1.0, rel=1e-15)


def test_surprisal_of_impossible_event_is_inf():
    out = xl.surprisal([0.0, 0.5])
    assert out[0] == np.inf
    assert out[1] == pytest.approx(LN2)


def test_surprisal_ten_times_worse_odds_adds_ln10():
    a, b = xl.surprisal([0.2, 0.02])
    assert b - a == pytest.approx(math.log(10.0), rel=1e-12)


# --------------------------------------------------------------------------- entropy

def test_entropy_matches_scipy(rng):
    p = random_distributions(rng, (20, 7), zeros=True)
    assert_allclose(xl.entropy(p), stats.entropy(p, axis=-1), rtol=1e-12, atol=1e-15)
    assert_allclose(xl.entropy(p), special.entr(p).sum(axis=-1), rtol=1e-12, atol=1e-15)


def test_entropy_axis_matches_scipy(rng):
    p = random_distributions(rng, (6, 4), zeros=True).T  # columns are distributions
    assert_allclose(xl.entropy(p, axis=0), stats.entropy(p, axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("base", [2, 10, 3.5, 0.5])
def test_entropy_base_matches_scipy(rng, base):
    p = random_distributions(rng, (5, 6))
    assert_allclose(xl.entropy(p, base=base), stats.entropy(p, base=base, axis=-1), rtol=1e-12)


def test_entropy_bits_is_nats_over_ln2(rng):
    p = random_distributions(rng, (8, 5))
    assert_allclose(xl.entropy(p, base=2), xl.entropy(p) / LN2, rtol=1e-14)


def test_entropy_known_values():
    assert xl.entropy([0.5, 0.5], base=2) == pytest.approx(1.0, rel=1e-15)
    assert xl.entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0, rel=1e-14)
    assert xl.entropy(np.full(5, 0.2)) == pytest.approx(math.log(5.0), rel=1e-14)
    assert xl.entropy([1.0, 0.0, 0.0]) == 0.0  # 0 log 0 = 0, not NaN


def test_entropy_zero_terms_contribute_nothing():
    with_zero = xl.entropy([0.25, 0.0, 0.75, 0.0])
    assert with_zero == pytest.approx(xl.entropy([0.25, 0.75]), rel=1e-15)
    assert np.isfinite(with_zero)


# --------------------------------------------------------------------------- cross-entropy

def test_cross_entropy_matches_xlogy(rng):
    p = random_distributions(rng, (10, 5), zeros=True)
    q = random_distributions(rng, (10, 5))
    assert_allclose(xl.cross_entropy(p, q), -special.xlogy(p, q).sum(axis=-1), rtol=1e-12)


def test_cross_entropy_equals_entropy_plus_kl(rng):
    p = random_distributions(rng, (10, 6), zeros=True)
    q = random_distributions(rng, (10, 6))
    assert_allclose(xl.cross_entropy(p, q), stats.entropy(p, axis=-1) + stats.entropy(p, q, axis=-1), rtol=1e-12)


def test_cross_entropy_one_hot_is_surprisal_of_true_class():
    q = np.array([0.2, 0.7, 0.1])
    assert xl.cross_entropy([0.0, 1.0, 0.0], q) == pytest.approx(-math.log(0.7), rel=1e-15)


def test_cross_entropy_inf_where_q_is_zero_but_p_is_not():
    assert xl.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    # ... but a zero in q where p is also zero is harmless.
    assert xl.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_cross_entropy_base(rng):
    p = random_distributions(rng, (4, 3))
    q = random_distributions(rng, (4, 3))
    assert_allclose(xl.cross_entropy(p, q, base=2), -special.xlogy(p, q).sum(axis=-1) / LN2, rtol=1e-12)


def test_cross_entropy_broadcasts_one_q_against_many_p(rng):
    p = random_distributions(rng, (5, 4))
    q = random_distributions(rng, (4,))
    assert_allclose(xl.cross_entropy(p, q), -(p * np.log(q)).sum(axis=-1), rtol=1e-12)


# --------------------------------------------------------------------------- KL divergence

def test_kl_matches_scipy(rng):
    p = random_distributions(rng, (12, 5), zeros=True)
    q = random_distributions(rng, (12, 5))
    assert_allclose(xl.kl_divergence(p, q), stats.entropy(p, q, axis=-1), rtol=1e-10, atol=1e-15)
    assert_allclose(xl.kl_divergence(p, q), special.rel_entr(p, q).sum(axis=-1), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("base", [2, 10])
def test_kl_base_matches_scipy(rng, base):
    p = random_distributions(rng, (5, 4))
    q = random_distributions(rng, (5, 4))
    assert_allclose(xl.kl_divergence(p, q, base=base), stats.entropy(p, q, base=base, axis=-1), rtol=1e-10)


def test_kl_known_values():
    # Docstring values, computed here by hand.
    assert xl.kl_divergence([0.5, 0.5], [0.9, 0.1]) == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1))
    assert xl.kl_divergence([0.9, 0.1], [0.5, 0.5]) == pytest.approx(0.9 * math.log(1.8) + 0.1 * math.log(0.2))


def test_kl_is_zero_for_equal_and_not_symmetric(rng):
    p = random_distributions(rng, (6,))
    q = random_distributions(rng, (6,))
    assert xl.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-15)
    assert xl.kl_divergence(p, q) > 0
    assert xl.kl_divergence(p, q) != pytest.approx(xl.kl_divergence(q, p), rel=1e-3)


def test_kl_zero_p_terms_and_inf_for_q_zero():
    # p_k = 0 contributes nothing even where q_k = 0 too.
    assert xl.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert xl.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0
    assert xl.kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(LN2)
    # p_k > 0 = q_k: infinite extra surprise.
    assert xl.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert special.rel_entr(0.5, 0.0) == np.inf  # the reference agrees


def test_kl_with_tiny_q_is_finite_and_accurate():
    q = np.array([1 - 1e-300, 1e-300])
    p = np.array([0.5, 0.5])
    assert xl.kl_divergence(p, q) == pytest.approx(special.rel_entr(p, q).sum(), rel=1e-12)


# --------------------------------------------------------------------------- Jensen-Shannon

def test_js_matches_scipy_jensenshannon_squared(rng):
    p = random_distributions(rng, (10, 5), zeros=True)
    q = random_distributions(rng, (10, 5), zeros=True)
    assert_allclose(xl.js_divergence(p, q), jensenshannon(p, q, axis=-1) ** 2, rtol=1e-9, atol=1e-14)
    assert_allclose(xl.js_divergence(p, q, base=2), jensenshannon(p, q, axis=-1, base=2) ** 2, rtol=1e-9, atol=1e-14)


def test_js_is_symmetric_and_bounded(rng):
    p = random_distributions(rng, (20, 4), zeros=True)
    q = random_distributions(rng, (20, 4), zeros=True)
    js = xl.js_divergence(p, q)
    assert_allclose(js, xl.js_divergence(q, p), rtol=1e-12, atol=1e-15)
    assert np.all(js >= 0) and np.all(js <= LN2 + 1e-15)


def test_js_of_disjoint_supports_is_one_bit():
    assert xl.js_divergence([1.0, 0.0], [0.0, 1.0], base=2) == pytest.approx(1.0, rel=1e-15)
    assert xl.js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]) == pytest.approx(LN2, rel=1e-15)


def test_js_is_finite_where_kl_is_infinite():
    p, q = [0.5, 0.5], [1.0, 0.0]
    assert xl.kl_divergence(p, q) == np.inf
    assert np.isfinite(xl.js_divergence(p, q))
    assert xl.js_divergence(p, q) == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-12)


def test_js_stays_finite_when_the_mean_would_underflow():
    # Found by hypothesis: (q_k + 0) / 2 rounds the smallest subnormal q_k to 0, so KL(q || m) was inf
    # (scipy's jensenshannon gives inf here too, so the check is the bound JS <= ln 2 * total variation).
    tiny = np.finfo(np.float64).smallest_subnormal
    p, q = np.array([1.0, 0.0]), np.array([1.0, tiny])
    assert (q / 2)[1] == 0, "the case needs a q_k whose half underflows"
    for js in (xl.js_divergence(p, q), xl.js_divergence(q, p)):
        assert 0 <= js <= tiny


# --------------------------------------------------------------------------- mutual information

def test_mutual_information_of_independent_table_is_zero(rng):
    px = random_distributions(rng, (4,))
    py = random_distributions(rng, (3,))
    assert xl.mutual_information(np.outer(px, py)) == pytest.approx(0.0, abs=1e-14)


def test_mutual_information_is_kl_from_product_of_marginals(rng):
    joint = random_distributions(rng, (4 * 5,), zeros=True).reshape(4, 5)
    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    expected = stats.entropy(joint.ravel(), product.ravel())
    assert xl.mutual_information(joint) == pytest.approx(expected, rel=1e-10)


def test_mutual_information_equals_entropy_identity(rng):
    # I(X; Y) = H(X) + H(Y) - H(X, Y)
    joint = random_distributions(rng, (12,)).reshape(3, 4)
    expected = stats.entropy(joint.sum(axis=1)) + stats.entropy(joint.sum(axis=0)) - stats.entropy(joint.ravel())
    assert xl.mutual_information(joint) == pytest.approx(expected, rel=1e-10)


def test_mutual_information_known_values():
    assert xl.mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2) == pytest.approx(1.0, rel=1e-15)
    assert xl.mutual_information(np.eye(4) / 4, base=2) == pytest.approx(2.0, rel=1e-15)
    assert xl.mutual_information(np.full((2, 2), 0.25)) == pytest.approx(0.0, abs=1e-16)


def test_mutual_information_base(rng):
    joint = random_distributions(rng, (6,)).reshape(2, 3)
    assert xl.mutual_information(joint, base=2) == pytest.approx(xl.mutual_information(joint) / LN2, rel=1e-14)


# --------------------------------------------------------------------------- dtypes

@pytest.mark.parametrize("fn", [xl.entropy, lambda p: xl.cross_entropy(p, p[::-1]), lambda p: xl.kl_divergence(p, p[::-1])])
def test_float32_in_float32_out(fn):
    p = np.array([0.1, 0.2, 0.7], dtype=np.float32)
    assert np.asarray(fn(p)).dtype == np.float32
    assert np.asarray(fn(p.astype(np.float64))).dtype == np.float64


# --------------------------------------------------------------------------- likelihood: minimising cross-entropy is maximising likelihood

@pytest.fixture
def rng8():
    return np.random.default_rng(8)


def test_empirical_distribution_counts_classes():
    y = np.array([2, 0, 2, 2, 1, 0])
    assert_allclose(info.empirical_distribution(y, 4), np.bincount(y, minlength=4) / 6)
    with pytest.raises(ValueError, match="class labels in"):
        info.empirical_distribution([0, 5], 3)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        info.empirical_distribution(np.array([], dtype=int), 3)


def test_log_likelihood_of_a_shared_distribution_matches_scipy_multinomial(rng8):
    q = rng8.dirichlet(np.ones(5))
    y = rng8.integers(0, 5, size=40)
    counts = np.bincount(y, minlength=5)
    # multinomial.logpmf counts the orderings too; a sequence's likelihood leaves that coefficient out
    log_coefficient = math.lgamma(41) - sum(math.lgamma(c + 1) for c in counts)
    assert info.log_likelihood(q, y) == pytest.approx(stats.multinomial.logpmf(counts, 40, q) - log_coefficient, rel=1e-12)


def test_log_likelihood_per_example_is_minus_sklearn_summed_log_loss(rng8):
    Q = rng8.dirichlet(np.ones(4), size=30)
    y = rng8.integers(0, 4, size=30)
    assert info.log_likelihood(Q, y) == pytest.approx(-log_loss(y, Q, normalize=False, labels=range(4)), rel=1e-12)
    assert info.log_likelihood(Q, y, base=2) == pytest.approx(info.log_likelihood(Q, y) / LN2, rel=1e-12)


def test_mean_cross_entropy_is_minus_log_likelihood_over_n_and_the_mle_is_the_frequency(rng8):
    y = die_rolls(60, seed=0)
    p_hat = info.empirical_distribution(y, 6)
    q = rng8.dirichlet(np.ones(6))
    assert -info.log_likelihood(q, y) / 60 == pytest.approx(xl.cross_entropy(p_hat, q), rel=1e-12)
    assert -info.log_likelihood(p_hat, y) / 60 == pytest.approx(xl.entropy(p_hat), rel=1e-12)
    # no other distribution has a higher likelihood, not even the true die
    best = info.log_likelihood(p_hat, y)
    assert best > info.log_likelihood(LOADED_DIE, y)
    for _ in range(50):
        assert info.log_likelihood(rng8.dirichlet(np.ones(6) * 5), y) < best
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


def test_js_stays_finite_where_kl_is_infinite():
    p, q = [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]
    assert xl.kl_divergence(p, q) == math.inf and xl.kl_divergence(q, p) == math.inf
    assert xl.js_divergence(p, q) == pytest.approx(LN2, rel=1e-12)
