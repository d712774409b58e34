"""The maths of :mod:`xentlib.soft_targets`: soft labels, label smoothing, distillation, mixup and behavioural cloning.

Each claim is checked by a route independent of the code under test:
SciPy optimisers and distributions, scikit-learn's log loss, finite
differences, direct sums, Monte Carlo simulation, and xentlib's own losses.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, stats
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import soft_targets as st
from xentlib.datasets import two_blobs

# ---------------------------------------------------------------- annotators

def test_annotators_vote_with_the_given_probabilities_and_panels_are_nested():
    probs = np.array([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0]])
    votes = st.annotate(probs, 20_000, seed=1)
    assert votes.shape == (2, 20_000)
    assert_allclose(st.vote_fractions(votes, 3), probs, atol=0.01)
    assert np.array_equal(st.annotate(probs, 5, seed=1), votes[:, :5])
    assert np.array_equal(st.annotate([0.2, 1.0], 7, seed=2), st.annotate([[0.8, 0.2], [0.0, 1.0]], 7, seed=2))


def test_cross_entropy_against_vote_fractions_is_the_mean_over_single_votes():
    rng = np.random.default_rng(4)
    votes = rng.integers(0, 4, size=(6, 9))
    z = rng.normal(size=(6, 4))
    soft = st.vote_fractions(votes, 4)
    per_vote = xl.softmax_cross_entropy(np.repeat(z, 9, axis=0), votes.ravel())
    assert xl.softmax_cross_entropy(z, soft) == pytest.approx(per_vote, rel=1e-12)


def test_majority_vote_breaks_ties_towards_the_lowest_class():
    assert st.majority_vote([[2, 1, 1, 2], [0, 2, 2, 2]], 3).tolist() == [1, 2]


def test_excess_cross_entropy_is_the_mean_kl_to_the_truth():
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(3), size=8)
    z = rng.normal(size=(8, 3))
    assert st.excess_cross_entropy(p, z) == pytest.approx(np.mean(xl.kl_divergence(p, xl.softmax(z))), rel=1e-12)
    assert st.excess_cross_entropy(p, np.log(p)) == pytest.approx(0.0, abs=1e-12)
    assert np.isfinite(st.excess_cross_entropy([[0.5, 0.5]], [[5000.0, -5000.0]]))


# ---------------------------------------------------------------- label smoothing

@pytest.mark.parametrize("K, eps", [(2, 0.2), (3, 0.1), (10, 0.05), (5, 0.5)])
def test_smoothing_optimum_and_floor_match_a_direct_minimisation(K, eps):
    def loss(free):  # true-class logit free[0]... the others' logits: the true class is 0
        return xl.softmax_cross_entropy(free[None, :], [0], label_smoothing=eps)

    best = optimize.minimize(loss, np.zeros(K), method="BFGS", options={"gtol": 1e-10})
    z = best.x
    assert_allclose(z[0] - z[1:], st.smoothing_optimal_logit_gap(eps, K), atol=1e-4)
    assert best.fun == pytest.approx(st.smoothing_loss_floor(eps, K), abs=1e-9)
    assert st.smoothing_loss_floor(eps, K) == pytest.approx(xl.entropy(st.smooth_labels([0], K, eps)[0]), rel=1e-12)


def test_target_0_9_with_two_classes_gives_logit_ln_9():
    assert st.smoothing_optimal_logit_gap(0.2, 2) == pytest.approx(math.log(9), rel=1e-14)
    assert st.smooth_labels([1], 2, 0.2).tolist() == [[pytest.approx(0.1), pytest.approx(0.9)]]
    assert st.smoothing_optimal_logit_gap(0.0, 4) == math.inf
    assert st.smoothing_optimal_logit_gap(1.0, 4) == 0.0


def test_smoothed_rows_give_the_same_loss_as_the_label_smoothing_option():
    rng = np.random.default_rng(6)
    z, y = rng.normal(size=(7, 4)), rng.integers(0, 4, size=7)
    assert xl.softmax_cross_entropy(z, st.smooth_labels(y, 4, 0.15)) == pytest.approx(
        xl.softmax_cross_entropy(z, y, label_smoothing=0.15), rel=1e-12)


def test_soft_label_cross_entropy_is_minimised_at_the_target_with_value_its_entropy():
    t = np.array([[0.5, 0.3, 0.15, 0.05]])
    best = optimize.minimize(lambda z: xl.softmax_cross_entropy(z[None, :], t), np.zeros(4), method="BFGS",
                             options={"gtol": 1e-10})
    assert_allclose(xl.softmax(best.x), t[0], atol=1e-5)
    assert best.fun == pytest.approx(xl.entropy(t[0]), abs=1e-10)


# ---------------------------------------------------------------- distillation

def test_distillation_kl_is_the_loss_without_t_squared_and_its_gradient_is_exact():
    rng = np.random.default_rng(7)
    s, t = rng.normal(size=(3, 4)), 2 * rng.normal(size=(3, 4))
    for T in (0.5, 1.0, 3.0):
        assert st.distillation_kl(s, t, temperature=T) == pytest.approx(
            np.mean(xl.kl_divergence(xl.softmax(t, temperature=T), xl.softmax(s, temperature=T))), rel=1e-10)
        numeric = xl.numerical_grad(lambda v: st.distillation_kl(v, t, temperature=T), s)
        assert_allclose(st.distillation_kl_grad(s, t, temperature=T), numeric, atol=1e-8)


def test_gradient_without_t_squared_shrinks_like_one_over_t_squared():
    rng = np.random.default_rng(8)
    s, t = rng.normal(size=(20, 5)), 3 * rng.normal(size=(20, 5))
    norms = st.distillation_gradient_norms(s, t, [100.0, 200.0, 1e4])
    assert norms.plain[0] / norms.plain[1] == pytest.approx(4.0, rel=0.01)  # doubling T quarters it
    assert_allclose(norms.scaled, norms.plain * norms.temperature**2, rtol=1e-12)
    assert norms.scaled[-1] == pytest.approx(norms.limit, rel=1e-3)  # T^2 restores a finite size


def test_high_temperature_limit_is_the_gradient_of_centred_logit_matching():
    rng = np.random.default_rng(9)
    s, t = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))

    def matching(v):
        d = (v - v.mean()) - (t - t.mean())
        return 0.5 * np.sum(d**2) / 4

    assert_allclose(st.logit_matching_gradient(s, t), xl.numerical_grad(matching, s), atol=1e-8)
    assert_allclose(xl.distillation_loss_grad(s, t, temperature=1e5), st.logit_matching_gradient(s, t), atol=1e-4)


# ---------------------------------------------------------------- mixup

def test_mixup_mixes_inputs_and_labels_with_the_same_lambda():
    X, y = two_blobs(50, seed=2)
    batch = st.mixup(X, y, alpha=0.7, seed=3, n_classes=2)
    Y = np.eye(2)[y]
    lam = batch.lam[:, None]
    assert sorted(batch.partner.tolist()) == list(range(50))
    assert_allclose(batch.X, lam * X + (1 - lam) * X[batch.partner])
    assert_allclose(batch.Y, lam * Y + (1 - lam) * Y[batch.partner])
    assert np.all((batch.lam >= 0) & (batch.lam <= 1))
    no_mix = st.mixup(X, Y, alpha=0.0)
    assert_allclose(no_mix.X, X) and np.all(no_mix.lam == 1)


def test_mixup_lambda_follows_the_beta_distribution():
    X = np.zeros((20_000, 1))
    lam = st.mixup(X, np.eye(2)[np.arange(20_000) % 2], alpha=0.3, seed=0).lam
    assert stats.kstest(lam, stats.beta(0.3, 0.3).cdf).pvalue > 0.001


def test_mixup_augment_stacks_independent_batches():
    X, y = two_blobs(10, seed=1)
    batch = st.mixup_augment(X, y, alpha=1.0, copies=4, seed=2, n_classes=2)
    assert batch.X.shape == (40, 2) and batch.Y.shape == (40, 2) and batch.lam.shape == (40,)
    rows = np.arange(40) % 10
    lam = batch.lam[:, None]
    assert_allclose(batch.X, lam * X[rows] + (1 - lam) * X[batch.partner])
    assert len(np.unique(batch.lam.round(12))) == 40


def test_best_constant_prediction_minimises_the_expected_cross_entropy():
    rng = np.random.default_rng(11)
    targets, w = rng.dirichlet(np.ones(3), size=12), rng.random(12)

    def expected_ce(z):
        q = xl.softmax(z)
        return np.sum(w * xl.cross_entropy(targets, np.broadcast_to(q, targets.shape))) / w.sum()

    best = optimize.minimize(expected_ce, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    assert_allclose(xl.softmax(best.x), st.best_constant_prediction(targets, w), atol=1e-5)


def test_constant_prediction_losses_match_scikit_learn_and_bottom_out_at_the_mean():
    t = np.array([0.2, 0.9, 0.7, 1.0])
    grid = np.array([0.3, 0.7, 0.95])
    for q, got in zip(grid, st.constant_prediction_losses(t, grid)):
        # a soft target t is the weighted pair of hard labels 1 (weight t) and 0 (weight 1 - t)
        labels, weights = np.r_[np.ones(4), np.zeros(4)], np.r_[t, 1 - t]
        assert got == pytest.approx(log_loss(labels, np.full(8, q), sample_weight=weights) * weights.sum() / 4, rel=1e-12)
    fine = np.linspace(0.001, 0.999, 999)
    assert fine[np.argmin(st.constant_prediction_losses(t, fine))] == pytest.approx(t.mean(), abs=1e-3)


# ---------------------------------------------------------------- behavioural cloning

def test_error_probability_is_exact_for_a_constant_policy_and_a_bound_otherwise():
    eps = np.array([0.0, 0.01, 0.3])
    assert_allclose(st.error_probability(-np.log1p(-eps)), eps, atol=1e-15)
    rng = np.random.default_rng(12)
    q_expert = rng.beta(8, 1, size=(100, 50))  # probabilities a policy gives the expert's action, per state
    ce = np.mean(-np.log(q_expert), axis=1)
    assert np.all(np.mean(1 - q_expert, axis=1) <= st.error_probability(ce) + 1e-12)


def test_compounding_formula_equals_the_direct_sum_and_sits_between_the_bounds():
    for eps, H in ((0.01, 100), (0.2, 7), (0.0, 5), (1.0, 4)):
        b = st.compounding_bounds(eps, H)
        direct = sum(1 - (1 - eps) ** t for t in range(1, H + 1))
        assert float(b.worst_case) == pytest.approx(direct, rel=1e-12, abs=1e-12)
        assert float(b.linear) <= float(b.worst_case) + 1e-12 <= float(b.quadratic) + 2e-12
    assert st.compounding_bounds([0.1, 0.2], [[3], [4]]).quadratic.shape == (2, 2)


def test_lane_keeping_transitions_are_stochastic_with_an_absorbing_crash():
    for policy in st.POLICIES:
        P = st.lane_keeping_transitions(0.1, half_width=2, policy=policy)
        assert_allclose(P.sum(axis=1), 1.0)
        assert P[-1, -1] == 1.0


def test_worst_case_chain_is_exactly_the_compounding_formula():
    run = st.lane_keeping_exact(0.03, 60, half_width=100, policy="worst case")
    assert_allclose(run.cost[1:], [float(st.compounding_bounds(0.03, h).worst_case) for h in range(1, 61)], rtol=1e-12)


@pytest.mark.parametrize("policy", sorted(st.POLICIES))
def test_simulation_agrees_with_the_exact_chain(policy):
    eps, H = 0.05, 60
    exact = st.lane_keeping_exact(eps, H, half_width=3, policy=policy)
    paths = st.simulate_lane_keeping(eps, H, 20_000, half_width=3, policy=policy, seed=1)
    off = (paths[:, 1:] != 0)
    cost = off.sum(axis=1)
    assert abs(cost.mean() - exact.cost[-1]) < 4 * cost.std() / math.sqrt(len(cost)) + 1e-9
    crashed = np.abs(paths[:, -1]) > 3
    assert abs(crashed.mean() - exact.off_road[-1]) < 4 * math.sqrt(exact.off_road[-1] * (1 - exact.off_road[-1]) / 20_000) + 1e-9


def test_cloned_policy_compounds_and_the_recovering_one_stays_linear():
    eps, H = 0.01, 200
    cloned = st.lane_keeping_exact(eps, H, policy="cloned").cost[-1]
    recovering = st.lane_keeping_exact(eps, H, policy="recovering").cost[-1]
    bounds = st.compounding_bounds(eps, H)
    assert recovering == pytest.approx(float(bounds.linear), rel=0.05)
    assert 20 * recovering < cloned <= float(bounds.worst_case)


def test_simulating_many_epsilons_uses_common_random_numbers():
    many = st.simulate_lane_keeping([0.02, 0.2], 30, 5, seed=3)
    assert np.array_equal(many[1], st.simulate_lane_keeping(0.2, 30, 5, seed=3))


# ---------------------------------------------------------------- error messages

@pytest.mark.parametrize("call, error, match", [
    (lambda: st.smooth_labels([0, 3], 3, 0.1), ValueError, "class labels in"),
    (lambda: st.smooth_labels([0], 3, 1.5), ValueError, "epsilon must lie in"),
    (lambda: st.smoothing_optimal_logit_gap(-0.1, 3), ValueError, "epsilon must lie in"),
    (lambda: st.annotate([[0.5, 0.6]], 3), ValueError, "must sum to 1"),
    (lambda: st.annotate([0.5], 0), ValueError, "n_annotators must be at least 1"),
    (lambda: st.vote_fractions([0, 1], 2), ValueError, r"votes must have shape \(N, A\)"),
    (lambda: st.vote_fractions([[0.0, 1.0]], 2), TypeError, "integer class labels"),
    (lambda: st.excess_cross_entropy([[0.5, 0.5]], [[0.0, 0.0, 0.0]]), ValueError, "logits must have the shape"),
    (lambda: st.distillation_kl([[0.0, 1.0]], [[1.0, 0.0]], temperature=0.0), ValueError, "temperature must be"),
    (lambda: st.logit_matching_gradient([[0.0, 1.0]], [[0.0, 1.0, 2.0]]), ValueError, "same shape"),
    (lambda: st.distillation_gradient_norms([[0.0, 1.0]], [[1.0, 0.0]], [1.0, -2.0]), ValueError, "temperatures must be"),
    (lambda: st.mixup([[0.0], [1.0]], [0, 1], alpha=0.5), ValueError, "pass n_classes"),
    (lambda: st.mixup([[0.0], [1.0]], [0, 1], alpha=-1.0, n_classes=2), ValueError, "alpha must be a finite number"),
    (lambda: st.mixup([[0.0], [1.0]], [[1.0, 0.0]], alpha=1.0), ValueError, "one label or probability row"),
    (lambda: st.mixed_labels_near("batch", [0.0], 1.0), TypeError, "MixupBatch"),
    (lambda: st.best_constant_prediction([[0.5, 0.5]], [-1.0]), ValueError, "non-negative"),
    (lambda: st.constant_prediction_losses([0.5], [0.0, 0.5]), ValueError, "strictly inside"),
    (lambda: st.error_probability(-0.1), ValueError, "cross_entropy must be >= 0"),
    (lambda: st.compounding_bounds(0.1, 2.5), ValueError, "horizon must be whole numbers"),
    (lambda: st.lane_keeping_transitions(0.1, policy="careful"), ValueError, "policy must be one of"),
    (lambda: st.simulate_lane_keeping([[0.1]], 5, 2), ValueError, "1-D array"),
])
def test_bad_input_gets_a_message_that_names_the_problem(call, error, match):
    with pytest.raises(error, match=match):
        call()
