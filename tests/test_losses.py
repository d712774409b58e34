"""Loss values against independent references: scikit-learn, SciPy, hand formulas and PyTorch.

The PyTorch section at the end runs only where torch is installed; it compares
both values and autograd gradients with ours.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special, stats
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, hinge_loss, log_loss, mean_squared_error, zero_one_loss
from sklearn.utils.class_weight import compute_class_weight

import xentlib as xl
from xentlib.losses import smoothed_target

REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def reduce(per, reduction, denominator=None):
    """The reference reduction, written out separately from xentlib's."""
    if reduction == "none":
        return per
    if reduction == "sum":
        return per.sum()
    return per.sum() / (per.size if denominator is None else denominator)


def multiclass_problem(rng, n=40, c=5, scale=2.0):
    z = rng.normal(scale=scale, size=(n, c))
    y = rng.integers(0, c, size=n)
    y[:c] = np.arange(c)  # every class present
    return z, y


def soft_targets(rng, n, c):
    t = rng.gamma(0.5, size=(n, c))
    return t / t.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- binary cross-entropy

def test_bce_matches_sklearn_log_loss(rng):
    p = rng.uniform(0.01, 0.99, size=100)
    y = rng.integers(0, 2, size=100)
    assert xl.binary_cross_entropy(p, y) == pytest.approx(log_loss(y, p), rel=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_soft_labels_and_reductions_match_formula(rng, reduction):
    p = rng.uniform(0.01, 0.99, size=30)
    y = rng.random(30)
    per = -(special.xlogy(y, p) + special.xlogy(1 - y, 1 - p))
    assert_allclose(xl.binary_cross_entropy(p, y, reduction=reduction), reduce(per, reduction), rtol=1e-12)


def test_bce_worked_example():
    assert_allclose(xl.binary_cross_entropy([0.9, 0.1], [1, 1], reduction="none"), [-math.log(0.9), -math.log(0.1)], rtol=1e-15)


def test_bce_endpoints_no_clipping():
    out = xl.binary_cross_entropy([0.0, 1.0, 0.0, 1.0], [0, 1, 1, 0], reduction="none")
    assert_allclose(out[:2], 0.0, atol=0)  # certain and right: 0 log 0 = 0
    assert np.all(out[2:] == np.inf)  # certain and wrong: infinite surprise


def test_bce_with_logits_matches_sklearn_log_loss(rng):
    z = rng.normal(scale=3, size=100)
    y = rng.integers(0, 2, size=100)
    assert xl.binary_cross_entropy_with_logits(z, y) == pytest.approx(log_loss(y, special.expit(z)), rel=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_soft_labels_formula(rng, reduction):
    z = rng.normal(scale=3, size=(6, 4))
    y = rng.random((6, 4))
    per = -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z))
    assert_allclose(xl.binary_cross_entropy_with_logits(z, y, reduction=reduction), reduce(per, reduction), rtol=1e-12)


def test_bce_with_logits_is_stable_at_extremes():
    z = np.array([0.0, 1e4, -1e4, 1e4, -1e4, 40.0])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    out = xl.binary_cross_entropy_with_logits(z, y, reduction="none")
    assert_allclose(out, [math.log(2.0), 0.0, 1e4, 1e4, 0.0, 40.0 + math.log1p(math.exp(-40.0))], rtol=1e-15, atol=1e-300)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_pos_weight_formula(rng, reduction):
    z = rng.normal(scale=2, size=(8, 3))
    y = rng.random((8, 3))
    w = np.array([0.5, 2.0, 7.0])  # one per class, broadcast over rows as in PyTorch
    per = -(w * y * special.log_expit(z) + (1 - y) * special.log_expit(-z))
    assert_allclose(
        xl.binary_cross_entropy_with_logits(z, y, pos_weight=w, reduction=reduction), reduce(per, reduction), rtol=1e-12
    )


def test_bce_with_logits_pos_weight_one_is_plain(rng):
    z = rng.normal(size=20)
    y = rng.integers(0, 2, size=20)
    assert xl.binary_cross_entropy_with_logits(z, y, pos_weight=1.0) == pytest.approx(
        xl.binary_cross_entropy_with_logits(z, y), rel=1e-15
    )


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5, 1.0])
def test_bce_with_logits_label_smoothing(rng, eps):
    z = rng.normal(scale=2, size=25)
    y = rng.integers(0, 2, size=25).astype(float)
    smoothed = y * (1 - eps) + eps / 2
    per = -(smoothed * special.log_expit(z) + (1 - smoothed) * special.log_expit(-z))
    assert xl.binary_cross_entropy_with_logits(z, y, label_smoothing=eps) == pytest.approx(per.mean(), rel=1e-12)


def test_bce_with_logits_agrees_with_bce_on_probabilities(rng):
    z = rng.normal(scale=2, size=50)
    y = rng.random(50)
    assert xl.binary_cross_entropy_with_logits(z, y) == pytest.approx(xl.binary_cross_entropy(special.expit(z), y), rel=1e-10)


# --------------------------------------------------------------------------- softmax cross-entropy

def test_softmax_ce_matches_sklearn_log_loss(rng):
    z, y = multiclass_problem(rng)
    c = z.shape[1]
    assert xl.softmax_cross_entropy(z, y) == pytest.approx(log_loss(y, special.softmax(z, axis=1), labels=np.arange(c)), rel=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_ce_direct_formula(rng, reduction):
    z, y = multiclass_problem(rng, scale=5.0)
    per = -special.log_softmax(z, axis=1)[np.arange(len(y)), y]
    assert_allclose(xl.softmax_cross_entropy(z, y, reduction=reduction), reduce(per, reduction), rtol=1e-12)


def test_softmax_ce_worked_example():
    z = np.array([[2.0, 1.0, 0.1]])
    expected = -(2.0 - math.log(math.exp(2.0) + math.exp(1.0) + math.exp(0.1)))
    assert xl.softmax_cross_entropy(z, [0]) == pytest.approx(expected, rel=1e-15)
    assert xl.softmax_cross_entropy([[1000.0, 0.0]], [1]) == pytest.approx(1000.0, rel=1e-15)
    assert xl.softmax_cross_entropy([[1e4, -1e4]], [0]) == 0.0


def test_softmax_ce_uniform_logits_give_log_c(rng):
    z = np.zeros((7, 6))
    y = rng.integers(0, 6, size=7)
    assert xl.softmax_cross_entropy(z, y) == pytest.approx(math.log(6.0), rel=1e-15)


def test_softmax_ce_class_weight_matches_sklearn_sample_weight(rng):
    # PyTorch's weighted mean, sum_i w[y_i] l_i / sum_i w[y_i], is sklearn's sample-weighted average.
    z, y = multiclass_problem(rng)
    w = rng.uniform(0.1, 3.0, size=z.shape[1])
    expected = log_loss(y, special.softmax(z, axis=1), sample_weight=w[y], labels=np.arange(z.shape[1]))
    assert xl.softmax_cross_entropy(z, y, class_weight=w) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_ce_class_weight_integer_labels(rng, reduction):
    z, y = multiclass_problem(rng)
    w = rng.uniform(0.1, 3.0, size=z.shape[1])
    per = -w[y] * special.log_softmax(z, axis=1)[np.arange(len(y)), y]
    expected = reduce(per, reduction, denominator=w[y].sum())
    assert_allclose(xl.softmax_cross_entropy(z, y, class_weight=w, reduction=reduction), expected, rtol=1e-12)


def test_softmax_ce_class_weight_mean_is_not_divided_by_n(rng):
    z, y = multiclass_problem(rng)
    w = np.full(z.shape[1], 3.0)  # a constant weight cancels in the weighted mean ...
    assert xl.softmax_cross_entropy(z, y, class_weight=w) == pytest.approx(xl.softmax_cross_entropy(z, y), rel=1e-12)
    # ... but not in the sum.
    assert xl.softmax_cross_entropy(z, y, class_weight=w, reduction="sum") == pytest.approx(
        3.0 * xl.softmax_cross_entropy(z, y, reduction="sum"), rel=1e-12
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_ce_probability_targets_with_class_weight(rng, reduction):
    z, _ = multiclass_problem(rng)
    t = soft_targets(rng, *z.shape)
    w = rng.uniform(0.1, 3.0, size=z.shape[1])
    per = -(w * t * special.log_softmax(z, axis=1)).sum(axis=1)
    expected = reduce(per, reduction, denominator=len(z))  # probability targets: mean divides by N
    assert_allclose(xl.softmax_cross_entropy(z, t, class_weight=w, reduction=reduction), expected, rtol=1e-12)


def test_softmax_ce_probability_targets_match_information_cross_entropy(rng):
    z, _ = multiclass_problem(rng)
    t = soft_targets(rng, *z.shape)
    expected = -(t * special.log_softmax(z, axis=1)).sum(axis=1)
    assert_allclose(xl.softmax_cross_entropy(z, t, reduction="none"), expected, rtol=1e-12)
    assert_allclose(xl.cross_entropy(t, special.softmax(z, axis=1)), expected, rtol=1e-10)


def test_softmax_ce_one_hot_rows_equal_integer_labels(rng):
    z, y = multiclass_problem(rng)
    one_hot = np.eye(z.shape[1])[y]
    assert_allclose(xl.softmax_cross_entropy(z, one_hot, reduction="none"), xl.softmax_cross_entropy(z, y, reduction="none"), rtol=1e-14)


@pytest.mark.parametrize("eps", [0.05, 0.1, 0.5, 1.0])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_ce_label_smoothing_integer_labels(rng, eps, reduction):
    z, y = multiclass_problem(rng)
    c = z.shape[1]
    smoothed = (1 - eps) * np.eye(c)[y] + eps / c
    per = -(smoothed * special.log_softmax(z, axis=1)).sum(axis=1)
    assert_allclose(xl.softmax_cross_entropy(z, y, label_smoothing=eps, reduction=reduction), reduce(per, reduction), rtol=1e-12)


@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_softmax_ce_label_smoothing_probability_targets(rng, eps):
    z, _ = multiclass_problem(rng)
    c = z.shape[1]
    t = soft_targets(rng, *z.shape)
    w = rng.uniform(0.1, 3.0, size=c)
    smoothed = (1 - eps) * t + eps / c
    per = -(w * smoothed * special.log_softmax(z, axis=1)).sum(axis=1)
    assert xl.softmax_cross_entropy(z, t, class_weight=w, label_smoothing=eps) == pytest.approx(per.mean(), rel=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_ce_label_smoothing_with_class_weight_pytorch_formula(rng, reduction):
    # PyTorch: (1 - eps) * weighted NLL + eps / C * sum_c w_c (-log p_c), both "mean"s divided by sum_i w[y_i].
    z, y = multiclass_problem(rng)
    n, c = z.shape
    eps = 0.2
    w = rng.uniform(0.1, 3.0, size=c)
    log_p = special.log_softmax(z, axis=1)
    nll = -w[y] * log_p[np.arange(n), y]
    smooth = -(w * log_p).sum(axis=1)
    per = (1 - eps) * nll + eps / c * smooth
    expected = reduce(per, reduction, denominator=w[y].sum())
    got = xl.softmax_cross_entropy(z, y, class_weight=w, label_smoothing=eps, reduction=reduction)
    assert_allclose(got, expected, rtol=1e-12)


def test_softmax_ce_zero_smoothing_is_plain(rng):
    z, y = multiclass_problem(rng)
    assert xl.softmax_cross_entropy(z, y, label_smoothing=0.0) == pytest.approx(xl.softmax_cross_entropy(z, y), rel=1e-15)


# --------------------------------------------------------------------------- focal losses

@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
def test_sigmoid_focal_hard_labels_direct_formula(rng, gamma, alpha):
    z = rng.normal(scale=3, size=60)
    y = rng.integers(0, 2, size=60).astype(float)
    p = special.expit(z)
    p_t = np.where(y == 1, p, 1 - p)
    alpha_t = 1.0 if alpha is None else np.where(y == 1, alpha, 1 - alpha)
    per = -alpha_t * (1 - p_t) ** gamma * np.log(p_t)
    assert_allclose(xl.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction="none"), per, rtol=1e-10, atol=1e-300)
    assert xl.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha) == pytest.approx(per.mean(), rel=1e-10)
    assert xl.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction="sum") == pytest.approx(per.sum(), rel=1e-10)


def test_sigmoid_focal_soft_labels_torchvision_formula(rng):
    # torchvision.ops.sigmoid_focal_loss: ce * (1 - p_t)^gamma * alpha_t with p_t = p y + (1 - p)(1 - y).
    z = rng.normal(scale=2, size=40)
    y = rng.random(40)
    gamma, alpha = 1.5, 0.3
    p = special.expit(z)
    ce = -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z))
    p_t = p * y + (1 - p) * (1 - y)
    alpha_t = alpha * y + (1 - alpha) * (1 - y)
    expected = alpha_t * (1 - p_t) ** gamma * ce
    assert_allclose(xl.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction="none"), expected, rtol=1e-10)


def test_sigmoid_focal_worked_example():
    p = special.expit(3.0)
    q = special.expit(-1.0)
    expected = [-(1 - p) ** 2 * math.log(p), -(1 - q) ** 2 * math.log(q)]
    assert_allclose(xl.sigmoid_focal_loss([3.0, -1.0], [1.0, 1.0], gamma=2.0, reduction="none"), expected, rtol=1e-12)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_focal_direct_formula(rng, gamma, weighted, reduction):
    z, y = multiclass_problem(rng, scale=3.0)
    n, c = z.shape
    w = rng.uniform(0.1, 3.0, size=c) if weighted else np.ones(c)
    p_t = special.softmax(z, axis=1)[np.arange(n), y]
    per = -w[y] * (1 - p_t) ** gamma * np.log(p_t)
    expected = reduce(per, reduction, denominator=w[y].sum())
    got = xl.softmax_focal_loss(z, y, gamma=gamma, class_weight=w if weighted else None, reduction=reduction)
    assert_allclose(got, expected, rtol=1e-10)


def test_focal_loss_down_weights_easy_examples():
    # An easy example (p_t = 0.95) loses a factor (1 - 0.95)^2 = 1/400 of its cross-entropy.
    z = np.array([[math.log(0.95 / 0.05), 0.0]])
    ce = xl.softmax_cross_entropy(z, [0])
    assert xl.softmax_focal_loss(z, [0], gamma=2.0) == pytest.approx(ce / 400, rel=1e-10)


# --------------------------------------------------------------------------- other binary losses

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_sigmoid_mse_formula(rng, reduction):
    z = rng.normal(scale=3, size=30)
    y = rng.random(30)
    per = (special.expit(z) - y) ** 2
    assert_allclose(xl.sigmoid_mse_loss(z, y, reduction=reduction), reduce(per, reduction), rtol=1e-12)


def test_sigmoid_mse_matches_sklearn(rng):
    z = rng.normal(scale=3, size=30)
    y = rng.integers(0, 2, size=30)
    assert xl.sigmoid_mse_loss(z, y) == pytest.approx(mean_squared_error(y, special.expit(z)), rel=1e-12)
    assert xl.sigmoid_mse_loss(math.log(99.0), 0.0) == pytest.approx(0.99**2, rel=1e-12)


def test_hinge_matches_sklearn(rng):
    z = rng.normal(scale=2, size=50)
    y = rng.integers(0, 2, size=50)
    assert xl.hinge_loss(z, y) == pytest.approx(hinge_loss(y, z), rel=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_formula(reduction):
    z = np.array([-1.0, 0.5, 3.0, -3.0, 0.2, 1.0])
    y = np.array([1, 1, 1, 0, 0, 1])
    per = np.array([2.0, 0.5, 0.0, 0.0, 1.2, 0.0])  # max(0, 1 - s z), s = 2y - 1, by hand
    assert_allclose(xl.hinge_loss(z, y, reduction=reduction), reduce(per, reduction), rtol=1e-15)


def test_zero_one_matches_sklearn(rng):
    z = rng.normal(size=50)
    y = rng.integers(0, 2, size=50)
    assert xl.zero_one_loss(z, y) == pytest.approx(zero_one_loss(y, (z > 0).astype(int)), rel=1e-15)
    assert xl.zero_one_loss(z, y, reduction="sum") == zero_one_loss(y, (z > 0).astype(int), normalize=False)


def test_zero_one_worked_example():
    assert xl.zero_one_loss([2.0, -1.0, 0.5], [1, 1, 0]) == pytest.approx(2 / 3, rel=1e-15)
    assert_allclose(xl.zero_one_loss([0.0, 0.0], [0, 1], reduction="none"), [0.0, 1.0])  # z = 0 predicts class 0


# --------------------------------------------------------------------------- distillation and energy

@pytest.mark.parametrize("temperature", [1.0, 2.0, 4.0, 0.5])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_distillation_is_t_squared_kl(rng, temperature, reduction):
    s = rng.normal(scale=2, size=(10, 4))
    t = rng.normal(scale=2, size=(10, 4))
    qt = special.softmax(t / temperature, axis=1)
    qs = special.softmax(s / temperature, axis=1)
    per = temperature**2 * stats.entropy(qt, qs, axis=1)
    got = xl.distillation_loss(s, t, temperature=temperature, reduction=reduction)
    assert_allclose(got, reduce(per, reduction), rtol=1e-10)


def test_distillation_is_zero_for_identical_logits_and_shift_invariant(rng):
    s = rng.normal(size=(5, 3))
    assert xl.distillation_loss(s, s, temperature=4.0) == pytest.approx(0.0, abs=1e-14)
    assert xl.distillation_loss(s, s + 3.0, temperature=4.0) == pytest.approx(0.0, abs=1e-13)


@pytest.mark.parametrize("temperature", [1.0, 0.5, 3.0])
def test_energy_score_is_minus_t_logsumexp(rng, temperature):
    z = rng.normal(scale=5, size=(8, 6))
    assert_allclose(xl.energy_score(z, temperature=temperature), -temperature * special.logsumexp(z / temperature, axis=-1), rtol=1e-13)


def test_energy_score_extremes_and_limits():
    assert xl.energy_score([[1e4, -1e4, 0.0]]) == pytest.approx(-1e4, rel=1e-15)
    z = np.array([3.0, 1.0, -2.0])
    assert xl.energy_score(z, temperature=1e-3) == pytest.approx(-3.0, rel=1e-10)  # T -> 0: minus the max logit


# --------------------------------------------------------------------------- Brier score, calibration curves

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_brier_1d_matches_sklearn(rng, reduction):
    p = rng.random(60)
    y = rng.integers(0, 2, size=60)
    per = (p - y) ** 2
    assert_allclose(xl.brier_score(p, y, reduction=reduction), reduce(per, reduction), rtol=1e-13)
    if reduction == "mean":
        assert xl.brier_score(p, y) == pytest.approx(brier_score_loss(y, p), rel=1e-13)


def test_brier_2d_matches_sklearn_multiclass(rng):
    z, y = multiclass_problem(rng)
    p = special.softmax(z, axis=1)
    # sklearn keeps multiclass Brier in [0, 2] (no 1/2); set it explicitly so the test does not depend on the default.
    expected = brier_score_loss(y, p, labels=np.arange(z.shape[1]), scale_by_half=False)
    assert xl.brier_score(p, y) == pytest.approx(expected, rel=1e-12)


def test_brier_worked_examples():
    assert xl.brier_score([0.9, 0.2], [1, 0]) == pytest.approx((0.01 + 0.04) / 2, rel=1e-14)
    assert xl.brier_score([[0.7, 0.2, 0.1]], [0]) == pytest.approx(0.09 + 0.04 + 0.01, rel=1e-14)


@pytest.mark.parametrize("n_bins", [1, 2, 5, 10, 13])
def test_reliability_curve_matches_sklearn(rng, n_bins):
    p = rng.random(300)
    p[:6] = [0.0, 1.0, 0.5, 0.2, 0.1, 0.7]  # values on bin edges
    y = (rng.random(300) < p).astype(int)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    curve = xl.reliability_curve(p, y, n_bins=n_bins)
    assert_allclose(curve.accuracy, prob_true, rtol=1e-13)
    assert_allclose(curve.confidence, prob_pred, rtol=1e-13)
    assert curve.count.sum() == len(p)


def test_reliability_curve_drops_empty_bins():
    curve = xl.reliability_curve([0.05, 0.06, 0.95], [0, 1, 1], n_bins=10)
    assert_allclose(curve.confidence, [0.055, 0.95])
    assert_allclose(curve.accuracy, [0.5, 1.0])
    assert curve.count.tolist() == [2, 1]


def test_reliability_curve_multiclass_uses_top_label(rng):
    probs = np.array([[0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([0, 1, 1, 2])
    curve = xl.reliability_curve(probs, y, n_bins=2)
    # all confidences > 0.5: one bin, mean confidence (0.9+0.6+0.7+0.8)/4, accuracy 3/4
    assert_allclose(curve.confidence, [0.75])
    assert_allclose(curve.accuracy, [0.75])


def test_ece_hand_computed_binary():
    p = [0.1, 0.3, 0.35, 0.8, 0.9]
    y = [0, 0, 1, 1, 1]
    # bin [0, .5]: conf 0.25, frequency 1/3, 3 examples; bin (.5, 1]: conf 0.85, frequency 1, 2 examples
    expected = 3 / 5 * abs(1 / 3 - 0.25) + 2 / 5 * abs(1.0 - 0.85)
    assert xl.expected_calibration_error(p, y, n_bins=2) == pytest.approx(expected, rel=1e-12)


def test_ece_hand_computed_multiclass():
    probs = [[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]
    y = [0, 1, 0, 0]
    # n_bins=5: confidences 0.9, 0.9 in bin (0.8, 1] (accuracy 1/2), 0.6 in (0.4, 0.6], 0.7 in (0.6, 0.8]
    expected = 2 / 4 * abs(0.5 - 0.9) + 1 / 4 * abs(1.0 - 0.6) + 1 / 4 * abs(0.0 - 0.7)
    assert xl.expected_calibration_error(probs, y, n_bins=5) == pytest.approx(expected, rel=1e-12)
    assert xl.expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1], n_bins=10) == pytest.approx(0.4, rel=1e-12)


def test_ece_of_perfectly_calibrated_bins_is_zero():
    # In each bin the frequency of positives equals the mean confidence exactly.
    p = [0.25] * 4 + [0.75] * 4
    y = [1, 0, 0, 0] + [1, 1, 1, 0]
    assert xl.expected_calibration_error(p, y, n_bins=4) == pytest.approx(0.0, abs=1e-15)


# --------------------------------------------------------------------------- class imbalance

@pytest.mark.parametrize("counts", [[5, 5, 5], [99, 1], [3, 10, 1, 7]])
def test_balanced_class_weights_match_sklearn(rng, counts):
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    expected = compute_class_weight("balanced", classes=np.arange(len(counts)), y=y)
    assert_allclose(xl.balanced_class_weights(y), expected, rtol=1e-14)
    assert_allclose(xl.balanced_class_weights(y, n_classes=len(counts)), expected, rtol=1e-14)


def test_balanced_class_weights_give_every_class_equal_total():
    y = np.array([0] * 90 + [1] * 9 + [2])
    w = xl.balanced_class_weights(y)
    totals = np.bincount(y, weights=w[y])
    assert_allclose(totals, len(y) / 3, rtol=1e-14)


# --------------------------------------------------------------------------- language models

def test_sequence_cross_entropy_worked_example():
    probs = [[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]]
    per_token = [-math.log(0.7), -math.log(0.6)]
    assert per_token == pytest.approx([0.3567, 0.5108], abs=5e-5)
    mean = xl.sequence_cross_entropy(probs, [0, 1])
    assert mean == pytest.approx(np.mean(per_token), rel=1e-15)
    assert mean == pytest.approx(0.4338, abs=5e-5)
    assert xl.perplexity(per_token) == pytest.approx(1 / math.sqrt(0.7 * 0.6), rel=1e-14)


def test_sequence_cross_entropy_is_softmax_ce_of_log_probs(rng):
    z, y = multiclass_problem(rng)
    probs = special.softmax(z, axis=1)
    assert xl.sequence_cross_entropy(probs, y) == pytest.approx(log_loss(y, probs, labels=np.arange(z.shape[1])), rel=1e-10)


@pytest.mark.parametrize("vocab", [2, 50, 50257])
def test_perplexity_of_uniform_model_is_vocabulary_size(vocab):
    nll = [math.log(vocab)] * 7
    assert xl.perplexity(nll) == pytest.approx(vocab, rel=1e-12)
    assert xl.perplexity(np.array(nll) / math.log(2.0), base=2) == pytest.approx(vocab, rel=1e-12)


def test_perplexity_is_inverse_geometric_mean_probability(rng):
    p = rng.uniform(0.01, 1.0, size=20)
    assert xl.perplexity(-np.log(p)) == pytest.approx(1 / stats.gmean(p), rel=1e-12)


# --------------------------------------------------------------------------- temperature scaling

def calibrated_problem(rng, n, c, spread=2.0):
    """Logits with labels drawn from softmax(logits): temperature 1 is the truth."""
    z = rng.normal(scale=spread, size=(n, c))
    p = special.softmax(z, axis=1)
    y = (rng.random((n, 1)) > np.cumsum(p, axis=1)).sum(axis=1)
    return z, np.minimum(y, c - 1)


@pytest.mark.parametrize("true_t", [0.5, 1.0, 2.5])
def test_fit_temperature_recovers_known_temperature(rng, true_t):
    z, y = calibrated_problem(rng, 20000, 4)
    fitted = xl.fit_temperature(z * true_t, y)  # over/under-confident by a factor true_t
    assert fitted == pytest.approx(true_t, rel=0.05)


def test_fit_temperature_agrees_with_scipy_minimize_scalar(rng):
    z, y = calibrated_problem(rng, 3000, 5)
    z = 1.7 * z
    res = optimize.minimize_scalar(lambda t: xl.temperature_nll(z, y, t), bounds=(0.05, 20.0), method="bounded", options={"xatol": 1e-10})
    assert res.success
    assert xl.fit_temperature(z, y) == pytest.approx(res.x, rel=1e-6)


def test_fit_temperature_minimises_an_independent_nll(rng):
    # The same optimum with the NLL written via sklearn's log_loss, not temperature_nll.
    z, y = calibrated_problem(rng, 2000, 3)
    z = 0.6 * z

    def nll(t):
        return log_loss(y, special.softmax(z / t, axis=1), labels=np.arange(3))

    res = optimize.minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded", options={"xatol": 1e-10})
    assert xl.fit_temperature(z, y) == pytest.approx(res.x, rel=1e-5)


def test_fit_temperature_binary_logits(rng):
    z = rng.normal(scale=2, size=5000)
    y = (rng.random(5000) < special.expit(z)).astype(int)
    z = 3.0 * z

    def nll(t):
        return -np.mean(y * special.log_expit(z / t) + (1 - y) * special.log_expit(-z / t))

    res = optimize.minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded", options={"xatol": 1e-10})
    fitted = xl.fit_temperature(z, y)
    assert fitted == pytest.approx(res.x, rel=1e-5)
    assert fitted == pytest.approx(3.0, rel=0.1)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 4.0])
def test_temperature_nll_matches_log_loss(rng, temperature):
    z, y = multiclass_problem(rng)
    expected = log_loss(y, special.softmax(z / temperature, axis=1), labels=np.arange(z.shape[1]))
    assert xl.temperature_nll(z, y, temperature) == pytest.approx(expected, rel=1e-10)


def test_temperature_nll_vectorised_over_temperatures(rng):
    z, y = multiclass_problem(rng)
    ts = np.array([0.5, 1.0, 2.0])
    assert_allclose(xl.temperature_nll(z, y, ts), [xl.softmax_cross_entropy(z / t, y) for t in ts], rtol=1e-12)


# =========================================================================== PyTorch

@pytest.fixture
def torch():
    torch = pytest.importorskip("torch")
    torch.set_default_dtype(torch.float64)  # compare float64 with float64
    yield torch
    torch.set_default_dtype(torch.float32)


def _t(torch, a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def _backward(out):
    """d(out)/d(input); with reduction='none' the per-example losses are independent, so sum them."""
    (out.sum() if out.ndim else out).backward()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [0.0, 0.15])
def test_torch_cross_entropy_integer_labels(torch, rng, reduction, weighted, eps):
    F = torch.nn.functional
    z, y = multiclass_problem(rng, n=12, c=4)
    w = rng.uniform(0.2, 3.0, size=4) if weighted else None
    zt = _t(torch, z, grad=True)
    ref = F.cross_entropy(
        zt, torch.tensor(y), weight=None if w is None else _t(torch, w), label_smoothing=eps, reduction=reduction
    )
    _backward(ref)
    kw = dict(class_weight=w, label_smoothing=eps, reduction=reduction)
    assert_allclose(xl.softmax_cross_entropy(z, y, **kw), ref.detach().numpy(), rtol=1e-12)
    assert_allclose(xl.softmax_cross_entropy_grad(z, y, **kw), zt.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [0.0, 0.15])
def test_torch_cross_entropy_probability_targets(torch, rng, reduction, weighted, eps):
    F = torch.nn.functional
    z, _ = multiclass_problem(rng, n=12, c=4)
    t = soft_targets(rng, 12, 4)
    w = rng.uniform(0.2, 3.0, size=4) if weighted else None
    zt = _t(torch, z, grad=True)
    ref = F.cross_entropy(zt, _t(torch, t), weight=None if w is None else _t(torch, w), label_smoothing=eps, reduction=reduction)
    _backward(ref)
    kw = dict(class_weight=w, label_smoothing=eps, reduction=reduction)
    assert_allclose(xl.softmax_cross_entropy(z, t, **kw), ref.detach().numpy(), rtol=1e-12)
    assert_allclose(xl.softmax_cross_entropy_grad(z, t, **kw), zt.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, "per_class"])
def test_torch_bce_with_logits(torch, rng, reduction, pos_weight):
    F = torch.nn.functional
    z = rng.normal(scale=3, size=(10, 3))
    y = rng.random((10, 3))
    w = np.array([0.3, 1.0, 4.0]) if pos_weight else None
    zt = _t(torch, z, grad=True)
    ref = F.binary_cross_entropy_with_logits(zt, _t(torch, y), pos_weight=None if w is None else _t(torch, w), reduction=reduction)
    _backward(ref)
    assert_allclose(xl.binary_cross_entropy_with_logits(z, y, pos_weight=w, reduction=reduction), ref.detach().numpy(), rtol=1e-12)
    assert_allclose(
        xl.binary_cross_entropy_with_logits_grad(z, y, pos_weight=w, reduction=reduction), zt.grad.numpy(), rtol=1e-10, atol=1e-14
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_torch_binary_cross_entropy_on_probabilities(torch, rng, reduction):
    F = torch.nn.functional
    p = rng.uniform(0.02, 0.98, size=15)  # away from 0 and 1, where torch clamps log at -100
    y = rng.random(15)
    pt = _t(torch, p, grad=True)
    ref = F.binary_cross_entropy(pt, _t(torch, y), reduction=reduction)
    _backward(ref)
    assert_allclose(xl.binary_cross_entropy(p, y, reduction=reduction), ref.detach().numpy(), rtol=1e-12)
    assert_allclose(xl.binary_cross_entropy_grad(p, y, reduction=reduction), pt.grad.numpy(), rtol=1e-10)


def _torch_sigmoid_focal(torch, z, y, gamma, alpha, reduction):
    """torchvision.ops.sigmoid_focal_loss, written out (torchvision itself is not needed)."""
    F = torch.nn.functional
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return {"none": loss, "sum": loss.sum(), "mean": loss.mean()}[reduction]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("soft", [False, True])
def test_torch_sigmoid_focal(torch, rng, reduction, gamma, alpha, soft):
    z = rng.normal(scale=2, size=20)
    y = rng.random(20) if soft else rng.integers(0, 2, size=20).astype(float)
    zt = _t(torch, z, grad=True)
    ref = _torch_sigmoid_focal(torch, zt, _t(torch, y), gamma, alpha, reduction)
    _backward(ref)
    kw = dict(gamma=gamma, alpha=alpha, reduction=reduction)
    assert_allclose(xl.sigmoid_focal_loss(z, y, **kw), ref.detach().numpy(), rtol=1e-11)
    assert_allclose(xl.sigmoid_focal_loss_grad(z, y, **kw), zt.grad.numpy(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_torch_softmax_focal(torch, rng, reduction, gamma, weighted):
    F = torch.nn.functional
    z, y = multiclass_problem(rng, n=12, c=4)
    w = rng.uniform(0.2, 3.0, size=4) if weighted else np.ones(4)
    zt = _t(torch, z, grad=True)
    log_pt = F.log_softmax(zt, dim=1)[torch.arange(12), torch.tensor(y)]
    per = -_t(torch, w[y]) * (1 - log_pt.exp()) ** gamma * log_pt
    ref = {"none": per, "sum": per.sum(), "mean": per.sum() / w[y].sum()}[reduction]
    _backward(ref)
    kw = dict(gamma=gamma, class_weight=w if weighted else None, reduction=reduction)
    assert_allclose(xl.softmax_focal_loss(z, y, **kw), ref.detach().numpy(), rtol=1e-11)
    assert_allclose(xl.softmax_focal_loss_grad(z, y, **kw), zt.grad.numpy(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("temperature", [1.0, 3.0])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_torch_distillation(torch, rng, temperature, reduction):
    F = torch.nn.functional
    s = rng.normal(scale=2, size=(8, 5))
    t = rng.normal(scale=2, size=(8, 5))
    st = _t(torch, s, grad=True)
    log_qs = F.log_softmax(st / temperature, dim=1)
    log_qt = F.log_softmax(_t(torch, t) / temperature, dim=1)
    per = temperature**2 * F.kl_div(log_qs, log_qt, log_target=True, reduction="none").sum(dim=1)
    ref = {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]
    if reduction == "mean":  # the usual "batchmean" spelling gives the same number
        batchmean = temperature**2 * F.kl_div(log_qs, log_qt, log_target=True, reduction="batchmean")
        assert batchmean.item() == pytest.approx(ref.item(), rel=1e-12)
    _backward(ref)
    kw = dict(temperature=temperature, reduction=reduction)
    assert_allclose(xl.distillation_loss(s, t, **kw), ref.detach().numpy(), rtol=1e-10, atol=1e-15)
    assert_allclose(xl.distillation_loss_grad(s, t, **kw), st.grad.numpy(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_torch_sigmoid_mse_and_hinge(torch, rng, reduction):
    z = rng.normal(scale=2, size=16)
    y = rng.integers(0, 2, size=16).astype(float)
    z[np.abs(np.abs(z) - 1) < 1e-3] += 0.01  # stay off the hinge's kink
    zt = _t(torch, z, grad=True)
    yt = _t(torch, y)
    mse = torch.nn.functional.mse_loss(torch.sigmoid(zt), yt, reduction=reduction)
    _backward(mse)
    assert_allclose(xl.sigmoid_mse_loss(z, y, reduction=reduction), mse.detach().numpy(), rtol=1e-12)
    assert_allclose(xl.sigmoid_mse_loss_grad(z, y, reduction=reduction), zt.grad.numpy(), rtol=1e-10, atol=1e-15)
    zt.grad = None
    per = torch.clamp(1 - (2 * yt - 1) * zt, min=0)
    hinge = {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]
    _backward(hinge)
    assert_allclose(xl.hinge_loss(z, y, reduction=reduction), hinge.detach().numpy(), rtol=1e-12)
    assert_allclose(xl.hinge_loss_grad(z, y, reduction=reduction), zt.grad.numpy(), rtol=1e-12)


def test_bce_with_logits_grad_keeps_relative_accuracy_when_saturated():
    # For y = 1 the gradient is -sigmoid(-z); sigmoid(z) - 1 would lose all digits at z = 40.
    z = np.array([20.0, 40.0])
    grad = xl.binary_cross_entropy_with_logits_grad(z, np.ones(2), reduction="none")
    np.testing.assert_allclose(grad, -np.exp(-z) / (1 + np.exp(-z)), rtol=1e-14)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("soft", [False, True])
def test_fused_loss_and_grad_equal_the_separate_calls(reduction, soft):
    rng = np.random.default_rng(7)
    z = rng.normal(scale=3, size=(6, 4))
    y = rng.dirichlet(np.ones(4), size=6) if soft else rng.integers(0, 4, size=6)
    kw = dict(class_weight=np.array([0.5, 1.0, 2.0, 3.0]), label_smoothing=0.1, reduction=reduction)
    loss, grad = xl.softmax_cross_entropy_and_grad(z, y, **kw)
    np.testing.assert_allclose(loss, xl.softmax_cross_entropy(z, y, **kw), rtol=1e-13)
    np.testing.assert_allclose(grad, xl.softmax_cross_entropy_grad(z, y, **kw), rtol=1e-13, atol=1e-16)


# --------------------------------------------------------------------------- focal-loss curvature (the Newton fitter's Hessian)

FOCAL_GAMMAS = [0.0, 0.5, 2.0, 5.0]


@pytest.mark.parametrize("gamma", FOCAL_GAMMAS)
@pytest.mark.parametrize("label", [0, 1])
def test_focal_curvature_matches_finite_differences_of_the_gradient(gamma, label):
    z = np.linspace(-12.0, 12.0, 49)
    y = np.full_like(z, float(label))
    h = 1e-5
    numeric = (xl.sigmoid_focal_loss_grad(z + h, y, gamma=gamma, reduction="none")
               - xl.sigmoid_focal_loss_grad(z - h, y, gamma=gamma, reduction="none")) / (2 * h)
    assert_allclose(xl.focal_loss_curvature(z, y, gamma), numeric, rtol=1e-6, atol=1e-9)


def test_focal_curvature_is_p_times_one_minus_p_for_cross_entropy_and_can_be_negative():
    z = np.array([-3.0, 0.0, 2.0])
    p = xl.sigmoid(z)
    assert_allclose(xl.focal_loss_curvature(z, [1, 0, 1], 0.0), p * (1 - p), rtol=1e-14)
    assert xl.focal_loss_curvature([-3.0], [1], 2.0)[0] < 0  # focal loss is not convex in the logit


@pytest.mark.parametrize("call, error, message", [
    (lambda: xl.focal_loss_curvature([0.0], [0.5], 1.0), ValueError, r"^y must hold 0/1 labels"),
])
def test_focal_loss_curvature_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
# --------------------------------------------------------------------------- the label-smoothed binary target

@pytest.mark.parametrize("eps", [0.0, 0.1, 0.2, 0.5])
def test_smoothed_target_is_what_label_smoothing_uses(eps):
    z = np.linspace(-4, 4, 9)
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1], float)
    t = smoothed_target(y, eps)
    assert_allclose(xl.binary_cross_entropy_with_logits(z, y, label_smoothing=eps),
                    xl.binary_cross_entropy_with_logits(z, t), rtol=1e-12)
    assert_allclose(t, np.where(y == 1, 1 - eps / 2, eps / 2))


def test_smoothed_target_values_and_errors():
    assert smoothed_target(1.0, 0.2) == pytest.approx(0.9)
    assert smoothed_target(1.0, 0.1) == pytest.approx(0.95)
    with pytest.raises(ValueError, match="y must lie in"):
        smoothed_target(1.5, 0.1)
    with pytest.raises(ValueError, match="eps"):
        smoothed_target(1.0, 1.5)
