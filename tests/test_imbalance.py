"""xentlib.imbalance: class weights, balanced resampling, logit adjustment, focal-loss posteriors, outcomes.

Each function is checked by a route independent of its own code: scikit-learn
(class weights, weighted log loss, confusion matrices, precision and recall),
SciPy (a general-purpose optimiser), finite differences, exact expectations
and closed forms.  The lesson's data, trained models and exercises:
``tests/lessons/test_imbalance.py``; the Newton fitter: ``tests/test_models.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.metrics import log_loss, precision_score, recall_score
from sklearn.utils.class_weight import compute_class_weight

import xentlib as xl
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
    (lambda: logit_adjustment([0.0], [1.0, 0.0]), ValueError, r"^priors must be a 1-D array of positive class frequencies"),
    (lambda: logit_adjustment([0.0], [0.5, 0.6]), ValueError, r"^priors must sum to 1"),
    (lambda: logit_adjustment([0.0], [0.2, 0.3, 0.5]), ValueError, r"^1-D z holds binary logits, so priors must have 2"),
    (lambda: logit_adjustment([[0.0, 1.0]], [0.2, 0.3, 0.5]), ValueError, r"^z must be \(N,\) binary logits or \(N, C\)"),
    (lambda: logit_adjustment([0.0], [0.5, 0.5], tau=float("inf")), ValueError, r"^tau must be finite"),
    (lambda: focal_optimal_probability([0.0, 0.5], 2.0), ValueError, r"^q must lie strictly between 0 and 1"),
    (lambda: precision_recall([0, 1], [0.2, 0.9]), TypeError, r"^y_pred must hold 0/1 decisions; got floats"),
    (lambda: confusion_matrix([0, 1, 1], [0, 1]), ValueError, r"^y_true and y_pred must be 1-D and of equal length"),
])
def test_bad_input_names_the_argument_and_gives_a_hint(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_boolean_labels_and_decisions_count_as_zero_and_one():
    y = np.array([True, False, True, True])
    pred = np.array([True, True, False, True])
    assert precision_recall(y, pred) == pytest.approx((precision_score(y, pred), recall_score(y, pred)))
    assert_allclose(confusion_matrix(y, pred), sk_confusion_matrix(y, pred))
