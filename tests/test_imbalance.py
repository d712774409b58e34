"""Notebook 06's library and claims: class weights, balanced resampling, logit adjustment, focal loss, outcomes.

Each function is checked by a route independent of its own code: scikit-learn
(class weights, weighted log loss, weighted logistic regression, confusion
matrices, precision and recall), SciPy (a general-purpose optimiser),
finite differences, exact expectations and closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.metrics import log_loss, precision_score, recall_score
from sklearn.utils.class_weight import compute_class_weight

import xentlib as xl
from xentlib import exercises
from xentlib.gradcheck import numerical_grad
from xentlib.imbalance import (
    balanced_class_weights,
    balanced_resample,
    class_gradient_contributions,
    class_priors,
    class_weighted_loss,
    class_weighted_loss_grad,
    confusion_matrix,
    focal_implied_posterior,
    focal_optimal_probability,
    logit_adjustment,
    precision_recall,
    resampled_gradients,
)
from xentlib.losses import focal_loss_curvature
from xentlib.models import fit_logistic

GAMMAS = [0.0, 0.5, 2.0, 5.0]


@pytest.fixture
def rng():
    return np.random.default_rng(2024)


def skewed(rng, n=300, minority=0.05, d=2):
    """A small imbalanced problem with features: positives shifted along every axis."""
    y = np.zeros(n, dtype=int)
    y[: max(2, int(minority * n))] = 1
    rng.shuffle(y)
    X = rng.normal(size=(n, d)) + 1.5 * y[:, None]
    return X, y


# --------------------------------------------------------------------------- weights and priors

@pytest.mark.parametrize("counts", [(99, 1), (990, 10), (5, 7, 30)])
def test_balanced_weights_match_sklearn_compute_class_weight(counts):
    y = np.repeat(np.arange(len(counts)), counts)
    expected = compute_class_weight("balanced", classes=np.arange(len(counts)), y=y)
    assert_allclose(balanced_class_weights(y), expected, rtol=1e-14)
    # every class's weights add up to N / C: an equal say
    assert_allclose(np.bincount(y, weights=balanced_class_weights(y)[y]), len(y) / len(counts))


def test_class_priors_are_frequencies():
    y = np.array([0] * 99 + [1])
    assert_allclose(class_priors(y), [0.99, 0.01])
    assert_allclose(class_priors([0, 0, 2], n_classes=4), [2 / 3, 0, 1 / 3, 0])


# --------------------------------------------------------------------------- the class-weighted (focal) loss

def test_unweighted_gamma_zero_is_plain_binary_cross_entropy(rng):
    z = rng.normal(scale=3.0, size=50)
    y = rng.integers(0, 2, size=50)
    assert class_weighted_loss(z, y) == pytest.approx(xl.binary_cross_entropy_with_logits(z, y.astype(float)), rel=1e-13)
    assert_allclose(class_weighted_loss_grad(z, y), xl.binary_cross_entropy_with_logits_grad(z, y.astype(float)),
                    rtol=1e-13)


def test_weighted_loss_matches_sklearn_weighted_log_loss(rng):
    z = rng.normal(scale=2.0, size=200)
    y = (rng.random(200) < 0.1).astype(int)
    w = balanced_class_weights(y)
    expected = log_loss(y, xl.sigmoid(z), sample_weight=w[y], labels=[0, 1])
    assert class_weighted_loss(z, y, class_weight=w) == pytest.approx(expected, rel=1e-10)


def test_only_the_ratio_of_the_class_weights_matters(rng):
    z = rng.normal(size=40)
    y = rng.integers(0, 2, size=40)
    for gamma in GAMMAS:
        a = class_weighted_loss(z, y, class_weight=[1.0, 99.0], gamma=gamma)
        b = class_weighted_loss(z, y, class_weight=[1.0, 50.0], gamma=gamma)
        c = class_weighted_loss(z, y, class_weight=[2.0, 198.0], gamma=gamma)
        assert a == pytest.approx(c, rel=1e-13)
        assert b != pytest.approx(a)  # a different ratio is a different loss


def test_pos_weight_is_the_same_loss_up_to_normalisation(rng):
    """PyTorch-style pos_weight = n0/n1 divides by N; the weighted mean divides by the total weight."""
    z = rng.normal(size=100)
    y = (rng.random(100) < 0.2).astype(int)
    n0, n1 = np.bincount(y, minlength=2)
    torch_style = xl.binary_cross_entropy_with_logits(z, y.astype(float), pos_weight=n0 / n1)
    ours = class_weighted_loss(z, y, class_weight=[1.0, n0 / n1])
    assert ours == pytest.approx(torch_style * len(y) / (2 * n0), rel=1e-12)


@pytest.mark.parametrize("alpha", [0.25, 0.9])
def test_class_weights_are_focal_alpha_up_to_normalisation(rng, alpha):
    z = rng.normal(scale=2.0, size=60)
    y = rng.integers(0, 2, size=60)
    weights = np.array([1 - alpha, alpha])
    expected = xl.sigmoid_focal_loss(z, y.astype(float), gamma=2.0, alpha=alpha, reduction="sum") / weights[y].sum()
    assert class_weighted_loss(z, y, class_weight=weights, gamma=2.0) == pytest.approx(expected, rel=1e-12)


def test_focal_gamma_zero_equals_cross_entropy(rng):
    z = rng.normal(scale=4.0, size=80)
    y = rng.integers(0, 2, size=80)
    w = [0.3, 2.0]
    assert class_weighted_loss(z, y, class_weight=w, gamma=0.0) == pytest.approx(
        log_loss(y, xl.sigmoid(z), sample_weight=np.array(w)[y], labels=[0, 1]), rel=1e-10)
    assert_allclose(xl.sigmoid_focal_loss(z, y.astype(float), gamma=0.0, reduction="none"),
                    xl.binary_cross_entropy_with_logits(z, y.astype(float), reduction="none"), rtol=1e-13)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("weights", [None, (1.0, 19.0)])
def test_class_weighted_loss_grad_matches_finite_differences(rng, gamma, weights):
    z = rng.normal(scale=2.0, size=12)
    y = np.array([0, 1] * 6)
    numeric = numerical_grad(lambda v: class_weighted_loss(v, y, class_weight=weights, gamma=gamma), z)
    assert_allclose(class_weighted_loss_grad(z, y, class_weight=weights, gamma=gamma), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("label", [0, 1])
def test_focal_curvature_matches_finite_differences_of_the_gradient(gamma, label):
    z = np.linspace(-12.0, 12.0, 49)
    y = np.full_like(z, float(label))
    h = 1e-5
    numeric = (xl.sigmoid_focal_loss_grad(z + h, y, gamma=gamma, reduction="none")
               - xl.sigmoid_focal_loss_grad(z - h, y, gamma=gamma, reduction="none")) / (2 * h)
    assert_allclose(focal_loss_curvature(z, y, gamma), numeric, rtol=1e-6, atol=1e-9)


def test_focal_curvature_is_p_times_one_minus_p_for_cross_entropy_and_can_be_negative():
    z = np.array([-3.0, 0.0, 2.0])
    p = xl.sigmoid(z)
    assert_allclose(focal_loss_curvature(z, [1, 0, 1], 0.0), p * (1 - p), rtol=1e-14)
    assert focal_loss_curvature([-3.0], [1], 2.0)[0] < 0  # focal loss is not convex in the logit


# --------------------------------------------------------------------------- who pulls on the gradient

def test_class_contributions_add_up_to_the_finite_difference_gradient(rng):
    X, y = skewed(rng, n=60)
    w, b = rng.normal(size=2), -1.0
    for gamma, weights in [(0.0, None), (0.0, balanced_class_weights(y)), (2.0, [1.0, 5.0])]:
        def loss(theta):
            return class_weighted_loss(X @ theta[:2] + theta[2], y, class_weight=weights, gamma=gamma)

        parts = class_gradient_contributions(X, y, w, b, class_weight=weights, gamma=gamma)
        assert parts.shape == (2, 3)
        assert_allclose(parts.sum(axis=0), numerical_grad(loss, np.r_[w, b]), rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("minority", [0.01, 0.1, 0.3])
def test_at_initialisation_the_bias_vote_is_the_class_ratio(minority):
    n = 1000
    y = np.r_[np.zeros(n - int(minority * n), int), np.ones(int(minority * n), int)]
    X = np.zeros((n, 1))
    parts = class_gradient_contributions(X, y, [0.0], 0.0)
    assert_allclose(parts[:, -1], [0.5 * (1 - minority), -0.5 * minority], rtol=1e-12)
    balanced = class_gradient_contributions(X, y, [0.0], 0.0, class_weight=balanced_class_weights(y))
    assert_allclose(balanced[:, -1], [0.25, -0.25], rtol=1e-12)  # equal say, whatever the ratio


# --------------------------------------------------------------------------- balanced resampling

def test_balanced_resample_draws_equal_counts_from_every_class(rng):
    y = np.array([0] * 97 + [1] * 3 + [2] * 10)
    idx = balanced_resample(y, 40, seed=1)
    assert idx.shape == (120,) and idx.dtype.kind == "i"
    assert np.bincount(y[idx]).tolist() == [40, 40, 40]
    many = balanced_resample(y, 40, n_resamples=5, seed=1)
    assert many.shape == (5, 120)
    assert_allclose(many[0], balanced_resample(y, 40, n_resamples=5, seed=1)[0])  # reproducible
    assert len(np.unique(idx[40:80])) <= 3  # the 3 minority examples repeat: with replacement


def test_weighted_gradient_equals_the_expected_gradient_of_a_balanced_resample(rng):
    """The exact expectation: example i of class c is drawn m / n_c times on average."""
    X, y = skewed(rng, n=200, minority=0.04)
    w, b = np.array([0.7, -0.3]), -2.0
    m = 25
    # per-example gradients of the plain loss, one row each, [x_i, 1] * (p_i - y_i)
    err = xl.sigmoid(X @ w + b) - y
    per_example = np.column_stack([X * err[:, None], err])
    counts = np.bincount(y)
    expected_draws = m / counts[y]  # E[number of times example i is drawn]
    expected_mean = (expected_draws[:, None] * per_example).sum(axis=0) / (2 * m)
    weighted = class_gradient_contributions(X, y, w, b, class_weight=balanced_class_weights(y)).sum(axis=0)
    assert_allclose(weighted, expected_mean, rtol=1e-12)


def test_average_over_many_balanced_resamples_converges_to_the_weighted_gradient(rng):
    X, y = skewed(rng, n=400, minority=0.02)
    w, b = np.array([1.0, 0.5]), -3.0
    idx = balanced_resample(y, 30, n_resamples=4000, seed=7)
    grads = resampled_gradients(X, y, w, b, idx)
    weighted = class_gradient_contributions(X, y, w, b, class_weight=balanced_class_weights(y)).sum(axis=0)
    plain = class_gradient_contributions(X, y, w, b).sum(axis=0)
    standard_error = grads.std(axis=0) / math.sqrt(len(grads))
    assert np.all(np.abs(grads.mean(axis=0) - weighted) < 5 * standard_error)
    assert np.linalg.norm(plain - weighted) > 20 * np.linalg.norm(standard_error)  # plain CE is a different target


def test_resampled_gradients_are_plain_gradients_on_the_resampled_data(rng):
    X, y = skewed(rng, n=50, minority=0.2)
    idx = balanced_resample(y, 8, n_resamples=3, seed=0)
    w, b = np.array([0.2, 0.1]), 0.3
    grads = resampled_gradients(X, y, w, b, idx)
    for k in range(3):
        assert_allclose(grads[k], class_gradient_contributions(X[idx[k]], y[idx[k]], w, b).sum(axis=0), rtol=1e-12)
    assert_allclose(resampled_gradients(X, y, w, b, idx[0]), grads[0])


# --------------------------------------------------------------------------- training

def test_fit_logistic_matches_sklearn_unweighted_and_balanced(rng):
    X, y = skewed(rng, n=500, minority=0.06)
    for weights, sk_weights in [(None, None), (balanced_class_weights(y), "balanced")]:
        fit = fit_logistic(X, y, class_weight=weights)
        ref = SkLogisticRegression(penalty=None, class_weight=sk_weights, tol=1e-12, max_iter=10_000).fit(X, y)
        assert fit.converged
        assert_allclose(fit.w, ref.coef_[0], rtol=1e-5, atol=1e-6)
        assert fit.b == pytest.approx(ref.intercept_[0], rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 4.0])
def test_fit_logistic_on_focal_loss_finds_scipys_minimum(rng, gamma):
    X, y = skewed(rng, n=300, minority=0.1, d=1)
    weights = [1.0, 3.0]
    fit = fit_logistic(X, y, class_weight=weights, gamma=gamma)

    def loss(theta):
        return class_weighted_loss(X @ theta[:1] + theta[1], y, class_weight=weights, gamma=gamma)

    ref = optimize.minimize(loss, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
    assert fit.converged
    assert_allclose(np.r_[fit.w, fit.b], ref.x, atol=1e-5)
    assert fit.loss == pytest.approx(loss(np.r_[fit.w, fit.b]), rel=1e-12)
    assert np.abs(numerical_grad(loss, np.r_[fit.w, fit.b])).max() < 1e-7


def test_focal_fit_with_gamma_zero_is_the_cross_entropy_fit_and_init_does_not_matter(rng):
    X, y = skewed(rng, n=300)
    ce = fit_logistic(X, y)
    assert_allclose(np.r_[fit_logistic(X, y, gamma=0.0, init=([1.0, -1.0], 2.0)).w], ce.w, rtol=1e-8)
    assert ce.predict_proba(X).shape == (300,)
    assert_allclose(ce.predict_proba(X), xl.sigmoid(ce.logits(X)))


def test_fit_logistic_reports_no_convergence_on_separable_data():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    fit = fit_logistic(X, [0, 0, 1, 1], max_iter=15)
    assert not fit.converged and fit.w[0] > 3  # the weights keep growing


def test_weighted_training_shifts_the_bias_by_the_log_prior_odds():
    """In a well-specified model the two solutions differ (almost) only in the bias, by ln(n1/n0)."""
    from xentlib.explore.imbalance import screening_data

    X, y = screening_data(100_000, seed=5)
    plain = fit_logistic(X, y)
    weighted = fit_logistic(X, y, class_weight=balanced_class_weights(y))
    assert weighted.b - plain.b == pytest.approx(math.log(99), abs=0.15)
    assert weighted.w[0] == pytest.approx(plain.w[0], rel=0.05)
    assert plain.w[0] == pytest.approx(3.0, rel=0.05) and plain.b == pytest.approx(-math.log(99), abs=0.2)


# --------------------------------------------------------------------------- priors and thresholds

def test_logit_adjustment_binary_and_multiclass():
    assert_allclose(logit_adjustment([0.0, 1.0], [0.99, 0.01]), np.array([0.0, 1.0]) + math.log(99))
    assert_allclose(logit_adjustment([0.0], [0.8, 0.2], tau=0.5), [0.5 * math.log(4)])
    z = np.array([[1.0, 2.0, 0.5]])
    priors = np.array([0.5, 0.3, 0.2])
    assert_allclose(logit_adjustment(z, priors), z - np.log(priors))
    # only differences between logits matter to softmax: the binary rule is the two-class rule
    two = logit_adjustment(np.array([[0.0, 1.3]]), [0.9, 0.1])
    assert two[0, 1] - two[0, 0] == pytest.approx(logit_adjustment([1.3], [0.9, 0.1])[0])


def test_removing_the_prior_is_thresholding_the_probability_at_the_prior(rng):
    z = rng.normal(scale=3.0, size=1000) - 3
    pi = np.array([0.97, 0.03])
    assert np.array_equal(logit_adjustment(z, pi) > 0, xl.sigmoid(z) > pi[1])
    assert np.array_equal(logit_adjustment(z, pi, tau=0.0) > 0, xl.sigmoid(z) > 0.5)


def test_focal_implied_posterior_is_sigmoid_for_cross_entropy_and_fixes_one_half():
    z = np.linspace(-20, 20, 81)
    assert_allclose(focal_implied_posterior(z, 0.0), xl.sigmoid(z), rtol=1e-12)
    for gamma in GAMMAS:
        q = focal_implied_posterior(z, gamma)
        assert focal_implied_posterior([0.0], gamma)[0] == pytest.approx(0.5, abs=1e-15)
        assert np.all(np.diff(q) >= 0) and np.all(np.diff(q[30:51]) > 0)  # increasing (until q rounds to 0 or 1)
        assert_allclose(q + q[::-1], 1.0, atol=1e-12)  # symmetric under swapping the labels


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("q", [0.05, 0.3, 0.5, 0.8, 0.97])
def test_focal_optimal_probability_minimises_the_expected_focal_loss(gamma, q):
    def expected(z):
        z = np.array([z])
        return (q * xl.sigmoid_focal_loss(z, np.ones(1), gamma=gamma)
                + (1 - q) * xl.sigmoid_focal_loss(z, np.zeros(1), gamma=gamma))

    best = optimize.minimize_scalar(expected, bounds=(-30, 30), method="bounded", options={"xatol": 1e-11})
    assert focal_optimal_probability(q, gamma) == pytest.approx(xl.sigmoid(best.x), abs=1e-7)
    assert focal_implied_posterior(xl.logit(focal_optimal_probability(q, gamma)), gamma) == pytest.approx(q, rel=1e-9)
    if q != 0.5:  # pulled towards one half: under-confident
        assert abs(focal_optimal_probability(q, gamma) - 0.5) < abs(q - 0.5)


# --------------------------------------------------------------------------- outcomes

def test_confusion_matrix_precision_and_recall_match_sklearn(rng):
    y = (rng.random(300) < 0.1).astype(int)
    pred = rng.random(300) < 0.2
    assert_allclose(confusion_matrix(y, pred), sk_confusion_matrix(y, pred))
    precision, recall = precision_recall(y, pred)
    assert precision == pytest.approx(precision_score(y, pred))
    assert recall == pytest.approx(recall_score(y, pred))
    labels = rng.integers(0, 4, size=100)
    guesses = rng.integers(0, 4, size=100)
    assert_allclose(confusion_matrix(labels, guesses, 4), sk_confusion_matrix(labels, guesses, labels=range(4)))


def test_precision_and_recall_with_nothing_flagged_or_no_positives():
    y = np.array([0] * 99 + [1])
    assert precision_recall(y, np.zeros(100, int)) == (0.0, 0.0)
    assert precision_score(y, np.zeros(100, int), zero_division=0) == 0.0
    assert precision_recall(np.zeros(5, int), [1, 0, 0, 0, 0]) == (0.0, 0.0)


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, error, message", [
    (lambda: class_weighted_loss([0.0, 1.0], [0, 1], class_weight=[1.0, -1.0]), ValueError,
     r"^class_weight must be non-negative"),
    (lambda: class_weighted_loss([0.0, 1.0], [0, 1], class_weight=[1.0, 2.0, 3.0]), ValueError,
     r"^class_weight must hold one weight per class, shape \(2,\); got shape \(3,\)"),
    (lambda: class_weighted_loss([0.0, 1.0], [0, 0], class_weight=[0.0, 1.0]), ValueError,
     r"^class_weight gives every example in y weight 0"),
    (lambda: class_weighted_loss([0.0, 1.0], [0, 2]), ValueError, r"^y must hold class labels in \[0, 2\)"),
    (lambda: class_weighted_loss([[0.0, 1.0]], [[0, 1]]), ValueError, r"^z and y must be 1-D"),
    (lambda: class_weighted_loss([], []), ValueError, r"^z is empty"),
    (lambda: class_weighted_loss([0.0, np.nan], [0, 1]), ValueError, r"^z must be finite"),
    (lambda: class_weighted_loss([0.0], [1], gamma=-1.0), ValueError, r"^gamma must be a finite number >= 0"),
    (lambda: balanced_resample([0, 0, 2], 3), ValueError, r"^class\(es\) \[1\] never occur in y"),
    (lambda: balanced_resample([0, 1], 0), ValueError, r"^per_class must be at least 1"),
    (lambda: resampled_gradients([[1.0]], [1], [0.0], 0.0, [[3]]), ValueError, r"^indices must lie in \[0, 1\)"),
    (lambda: resampled_gradients([[1.0]], [1], [0.0], 0.0, [0.5]), ValueError, r"^indices must be a non-empty int array"),
    (lambda: class_gradient_contributions([1.0, 2.0], [0, 1], [0.0], 0.0), ValueError, r"^X must have shape \(N, d\)"),
    (lambda: class_gradient_contributions([[1.0], [2.0]], [0, 1], [0.0, 1.0], 0.0), ValueError,
     r"^w must have one weight per feature, shape \(1,\); got 2 value\(s\)"),
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1, 1]), ValueError, r"^y must have one 0/1 label per row of X"),
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1], tol=0.0), ValueError, r"^tol must be positive"),
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1], init=([1.0, 2.0], 0.0)), ValueError,
     r"^init must be \(w, b\) with one weight per feature \(1\)"),
    (lambda: logit_adjustment([0.0], [1.0, 0.0]), ValueError, r"^priors must be a 1-D array of positive class frequencies"),
    (lambda: logit_adjustment([0.0], [0.5, 0.6]), ValueError, r"^priors must sum to 1"),
    (lambda: logit_adjustment([0.0], [0.2, 0.3, 0.5]), ValueError, r"^1-D z holds binary logits, so priors must have 2"),
    (lambda: logit_adjustment([[0.0, 1.0]], [0.2, 0.3, 0.5]), ValueError, r"^z must be \(N,\) binary logits or \(N, C\)"),
    (lambda: logit_adjustment([0.0], [0.5, 0.5], tau=float("inf")), ValueError, r"^tau must be finite"),
    (lambda: focal_optimal_probability([0.0, 0.5], 2.0), ValueError, r"^q must lie strictly between 0 and 1"),
    (lambda: focal_loss_curvature([0.0], [0.5], 1.0), ValueError, r"^y must hold 0/1 labels"),
    (lambda: precision_recall([0, 1], [0.2, 0.9]), TypeError, r"^y_pred must hold 0/1 decisions; got floats"),
    (lambda: confusion_matrix([0, 1, 1], [0, 1]), ValueError, r"^y_true and y_pred must be 1-D and of equal length"),
])
def test_bad_input_names_the_argument_and_gives_a_hint(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- the notebook's data and figures' helpers

def test_screening_data_has_the_exact_ratio_and_the_stated_log_odds():
    from xentlib.explore.imbalance import screening_data

    X, y = screening_data(10_000)
    assert X.shape == (10_000, 1) and np.bincount(y).tolist() == [9900, 100]
    assert X[y == 0].mean() == pytest.approx(-1.5, abs=0.05) and X[y == 1].mean() == pytest.approx(1.5, abs=0.25)
    with pytest.raises(ValueError, match=r"^minority \* n must round to at least one positive"):
        screening_data(10, minority=0.01)


def test_bias_pulls_follow_the_closed_form():
    from xentlib.explore.imbalance import bias_pulls

    for minority, b in [(0.01, 0.0), (0.2, -1.5), (0.5, 2.0)]:
        s = xl.sigmoid(b)
        assert_allclose(bias_pulls(minority, b), [-(1 - minority) * s, minority * (1 - s)], rtol=1e-12)
        assert_allclose(bias_pulls(minority, b, weighted=True), [-s / 2, (1 - s) / 2], rtol=1e-12)


def test_outcome_agrees_with_sklearn_and_the_notebooks_claims():
    from xentlib.explore.imbalance import GAMMAS as FOCAL_GAMMAS
    from xentlib.explore.imbalance import focal_fit, held_out_data, outcome, trained

    X, y = held_out_data()
    plain, weighted = trained("plain"), trained("weighted")
    o = outcome(plain)
    flags = plain.logits(X) > 0
    assert o.recall == pytest.approx(recall_score(y, flags)) and o.precision == pytest.approx(precision_score(y, flags))
    assert o.boundary == pytest.approx(-plain.b / plain.w[0])
    # removing the prior from the plain model ~ training with weights (within two points of recall)
    adjusted, reweighted = outcome(plain, 1.0), outcome(weighted, 0.0)
    assert abs(adjusted.recall - reweighted.recall) < 0.02 and abs(adjusted.boundary - reweighted.boundary) < 0.1
    assert adjusted.recall > o.recall + 0.3 and adjusted.precision < o.precision - 0.3
    # focal loss moves the decision boundary by less than 0.01 (the measurement's unit is 1 standard deviation)
    for gamma in FOCAL_GAMMAS:
        assert abs(outcome(focal_fit(gamma)).boundary - o.boundary) < 0.01
        assert focal_fit(gamma).w[0] <= plain.w[0] + 1e-9  # ... and makes the model less confident


def test_resample_cloud_mean_approaches_the_weighted_gradient():
    from xentlib.explore.imbalance import resample_cloud

    cloud = resample_cloud("plain fit", 50)
    assert np.abs(cloud.plain).max() < 1e-8  # the plain CE solution: its gradient is zero
    err = np.linalg.norm(cloud.running_mean - cloud.weighted, axis=1)
    assert err[-1] < 0.1 * np.linalg.norm(cloud.weighted) and err[-1] < err[:10].mean()


# --------------------------------------------------------------------------- exercises

@pytest.mark.parametrize("key, right, wrong", [
    ("06.init_bias", math.log(0.02 / 0.98), 0.0),
    ("06.balanced_weight", 25.0, 1 / 25),
    ("06.adjusted_threshold", 0.01, 0.5),
    ("06.focal_factor", 0.2**3, 0.8**3),
])
def test_exercises_accept_the_answer_and_reject_a_wrong_one(key, right, wrong):
    assert exercises.check(key, right).correct
    feedback = exercises.check(key, wrong)
    assert feedback.status in ("wrong", "close") and f"{right:.3g}" not in feedback.message
    assert exercises.check(key, None).status == "unanswered"


def test_recall_exercise_takes_a_function():
    def good(y_true, y_pred):
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        return ((y_true == 1) & (y_pred == 1)).sum() / max((y_true == 1).sum(), 1)

    assert exercises.check("06.recall", good).correct
    assert not exercises.check("06.recall", lambda t, p: np.mean(np.asarray(t) == np.asarray(p))).correct  # accuracy
    assert exercises.check("06.recall", None).status == "unanswered"


def test_boolean_labels_and_decisions_count_as_zero_and_one():
    y = np.array([True, False, True, True])
    pred = np.array([True, True, False, True])
    assert precision_recall(y, pred) == pytest.approx((precision_score(y, pred), recall_score(y, pred)))
    assert_allclose(confusion_matrix(y, pred), sk_confusion_matrix(y, pred))
