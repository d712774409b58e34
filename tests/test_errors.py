"""Every bad input gets a ValueError or TypeError whose message names the argument and says what is wrong.

Each ``match`` pattern starts with (or contains) the argument's name, so a
message that stops naming it fails here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import xentlib as xl

Z = np.array([[2.0, 1.0, 0.1], [0.0, 1.0, -1.0]])  # valid (N, C) logits
Y = np.array([0, 2])  # valid labels
P = np.array([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]])  # valid probability rows


# --------------------------------------------------------------------------- probabilities

def test_probability_above_one_hints_at_logits():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\]; got min=0\.5, max=2\.5\. Did you pass logits\?"):
        xl.binary_cross_entropy([0.5, 2.5], [1, 0])


def test_negative_probability_hints_at_logits():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\]; got min=-1.*Did you pass logits\?"):
        xl.binary_cross_entropy_grad([-1.0, 0.5], [1, 0])


def test_distribution_with_logits_hints_at_softmax():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\].*Did you pass logits\? .*softmax"):
        xl.kl_divergence([2.0, -1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"^q must lie in \[0, 1\].*Did you pass logits\?"):
        xl.cross_entropy([0.5, 0.5], [3.0, -2.0])


def test_reliability_curve_probs_outside_unit_interval_hints_at_logits():
    with pytest.raises(ValueError, match=r"^probs must lie in \[0, 1\].*did you pass logits\? Apply sigmoid"):
        xl.reliability_curve([0.2, 3.0], [0, 1])


def test_binary_target_outside_unit_interval():
    with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\]; got min=0, max=2"):
        xl.binary_cross_entropy_with_logits([0.0, 1.0], [0, 2])


def test_surprisal_of_probability_above_one():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\].*surprisal takes the probability"):
        xl.surprisal(1.5)


def test_logit_of_non_probability():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\].*logit takes probabilities"):
        xl.logit([-0.1, 0.5])


def test_nan_probability_is_named():
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\]; found NaN"):
        xl.binary_cross_entropy([np.nan, 0.5], [1, 0])


# --------------------------------------------------------------------------- distributions

def test_distribution_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^p must sum to 1 along axis -1; got sums between 1\.1 and 1\.1\. Normalise"):
        xl.entropy([0.5, 0.6])


def test_second_distribution_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^q must sum to 1"):
        xl.kl_divergence([0.5, 0.5], [0.2, 0.2])


def test_soft_targets_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^y must sum to 1 along axis -1"):
        xl.softmax_cross_entropy(Z, np.array([[0.5, 0.5, 0.5], [1.0, 0.0, 0.0]]))


def test_sequence_probs_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^probs must sum to 1"):
        xl.sequence_cross_entropy([[0.7, 0.2, 0.2]], [0])


def test_joint_table_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^joint must sum to 1"):
        xl.mutual_information([[0.5, 0.5], [0.5, 0.5]])


def test_multiclass_brier_rows_not_summing_to_one():
    with pytest.raises(ValueError, match=r"^p must sum to 1"):
        xl.brier_score([[0.7, 0.7]], [0])


def test_scalar_distribution():
    with pytest.raises(ValueError, match=r"^p must be a distribution with at least one axis; got a scalar"):
        xl.entropy(1.0)


# --------------------------------------------------------------------------- class labels

@pytest.mark.parametrize("bad, lo, hi", [([0, 3], 0, 3), ([-1, 1], -1, 1)])
def test_labels_outside_range(bad, lo, hi):
    with pytest.raises(ValueError, match=rf"^y must hold class labels in \[0, 3\); got min={lo}, max={hi}\. Labels are 0-based"):
        xl.softmax_cross_entropy(Z, bad)


def test_sequence_targets_outside_vocabulary():
    with pytest.raises(ValueError, match=r"^targets must hold class labels in \[0, 3\)"):
        xl.sequence_cross_entropy(P, [0, 5])


def test_float_labels_are_a_type_error():
    with pytest.raises(TypeError, match=r"^y must hold integer class labels; got dtype float64\. Cast .* y\.astype\(int\)"):
        xl.softmax_cross_entropy(Z, np.array([0.0, 2.0]))


def test_float_targets_in_sequence_cross_entropy():
    with pytest.raises(TypeError, match=r"^targets must hold integer class labels"):
        xl.sequence_cross_entropy(P, [0.0, 1.0])


def test_float_labels_in_balanced_class_weights():
    with pytest.raises(TypeError, match=r"^y must hold integer class labels"):
        xl.balanced_class_weights([0.0, 1.0, 1.0])


def test_soft_labels_where_hard_labels_are_needed():
    with pytest.raises(ValueError, match=r"^y must hold hard labels 0 or 1 for this loss; found 0\.5"):
        xl.hinge_loss([1.0, -1.0], [0.5, 1.0])


def test_soft_targets_for_softmax_focal():
    with pytest.raises(ValueError, match=r"^y must be integer class labels of shape \(2,\) for this loss"):
        xl.softmax_focal_loss(Z, P)


def test_all_labels_weighted_zero():
    with pytest.raises(ValueError, match=r"^class_weight gives every label in y weight 0"):
        xl.softmax_cross_entropy(Z, Y, class_weight=[0.0, 1.0, 0.0])


# --------------------------------------------------------------------------- shapes

def test_binary_shape_mismatch():
    with pytest.raises(ValueError, match=r"^p and y must have the same shape; got \(2,\) and \(3,\)"):
        xl.binary_cross_entropy([0.2, 0.3], [1, 0, 1])


def test_binary_logits_shape_mismatch():
    with pytest.raises(ValueError, match=r"^z and y must have the same shape; got \(2, 1\) and \(2,\)"):
        xl.binary_cross_entropy_with_logits([[0.2], [0.3]], [1, 0])


def test_wrong_number_of_labels():
    with pytest.raises(ValueError, match=r"^y must have one label per row of z, shape \(2,\); got shape \(3,\)"):
        xl.softmax_cross_entropy(Z, [0, 1, 2])


def test_soft_targets_with_wrong_number_of_classes():
    with pytest.raises(ValueError, match=r"^z and y must have the same shape; got \(2, 3\) and \(2, 2\)"):
        xl.softmax_cross_entropy(Z, [[0.5, 0.5], [1.0, 0.0]])


def test_targets_with_too_many_axes():
    with pytest.raises(ValueError, match=r"^y must be labels \(N,\) or probability rows \(N, C\); got shape \(2, 3, 1\)"):
        xl.softmax_cross_entropy(Z, P[..., None])


def test_distillation_shape_mismatch():
    with pytest.raises(ValueError, match=r"^student_logits and teacher_logits must have the same shape"):
        xl.distillation_loss(Z, Z[:, :2])


def test_distribution_pair_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"^p and q must have the same shape \(or broadcast\); got \(2,\) and \(3,\)"):
        xl.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])


def test_pos_weight_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"^pos_weight of shape \(3,\) does not broadcast to z of shape \(2, 2\)"):
        xl.binary_cross_entropy_with_logits(np.zeros((2, 2)), np.ones((2, 2)), pos_weight=[1.0, 2.0, 3.0])


def test_pos_weight_that_would_enlarge_the_loss():
    # (2, 3) weights broadcast *with* z of shape (3,) but not *to* it: the loss would come out (2, 3).
    with pytest.raises(ValueError, match=r"^pos_weight of shape \(2, 3\) does not broadcast to z of shape \(3,\)"):
        xl.binary_cross_entropy_with_logits_grad(np.zeros(3), np.ones(3), pos_weight=np.ones((2, 3)))


def test_reliability_curve_shape_mismatch():
    with pytest.raises(ValueError, match=r"^probs and y must have the same shape"):
        xl.reliability_curve([0.2, 0.3], [1, 0, 1])


def test_reliability_curve_wrong_number_of_labels_2d():
    with pytest.raises(ValueError, match=r"^y must have one label per row of probs"):
        xl.reliability_curve(P, [0, 1, 2])


def test_brier_wrong_number_of_labels_2d():
    with pytest.raises(ValueError, match=r"^y must have one label per row of p"):
        xl.brier_score(P, [0])


def test_sequence_targets_wrong_length():
    with pytest.raises(ValueError, match=r"^targets must hold one token per step, shape \(2,\)"):
        xl.sequence_cross_entropy(P, [0])


def test_sequence_probs_wrong_rank():
    with pytest.raises(ValueError, match=r"^probs must have shape \(T, V\)"):
        xl.sequence_cross_entropy([0.7, 0.3], [0])


def test_joint_table_wrong_rank():
    with pytest.raises(ValueError, match=r"^joint must be a 2-D table"):
        xl.mutual_information(np.full((2, 2, 2), 1 / 8))


def test_one_dimensional_logits_to_softmax_cross_entropy():
    with pytest.raises(ValueError, match=r"^z must have shape \(N, C\), one row of class logits per example; got shape \(3,\)\. .*z\[None, :\]"):
        xl.softmax_cross_entropy([2.0, 1.0, 0.1], [0])


def test_one_dimensional_student_logits():
    with pytest.raises(ValueError, match=r"^student_logits must have shape \(N, C\)"):
        xl.distillation_loss([1.0, 2.0], [[1.0, 2.0]])


def test_fit_temperature_wrong_number_of_labels():
    with pytest.raises(ValueError, match=r"^y must have one label per row of logits"):
        xl.fit_temperature(Z, [0, 1, 2])


# --------------------------------------------------------------------------- non-finite logits

def test_nan_logits():
    with pytest.raises(ValueError, match=r"^z must be finite; found 1 NaN and 0 infinite value\(s\)\. Logits are raw"):
        xl.softmax_cross_entropy([[1.0, np.nan]], [0])


def test_inf_logits():
    with pytest.raises(ValueError, match=r"^z must be finite; found 0 NaN and 2 infinite value\(s\)"):
        xl.binary_cross_entropy_with_logits([np.inf, -np.inf, 0.0], [1.0, 0.0, 1.0])


@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid", "softplus", "softmax", "log_softmax", "logsumexp"])
def test_links_reject_non_finite_logits(name):
    with pytest.raises(ValueError, match=r"^z must be finite; found 1 NaN and 1 infinite"):
        getattr(xl, name)([np.nan, np.inf, 0.0])


def test_non_finite_teacher_logits():
    with pytest.raises(ValueError, match=r"^teacher_logits must be finite"):
        xl.distillation_loss(Z, [[1.0, np.inf, 0.0], [0.0, 0.0, 0.0]])


def test_non_finite_logits_in_energy_score():
    with pytest.raises(ValueError, match=r"^z must be finite"):
        xl.energy_score([[np.nan, 0.0]])


def test_non_finite_logits_in_fit_temperature():
    with pytest.raises(ValueError, match=r"^logits must be finite"):
        xl.fit_temperature([[np.nan, 0.0], [1.0, 0.0]], [0, 1])


def test_non_finite_class_weight_and_pos_weight():
    with pytest.raises(ValueError, match=r"^class_weight must be finite"):
        xl.softmax_cross_entropy(Z, Y, class_weight=[1.0, np.inf, 1.0])
    with pytest.raises(ValueError, match=r"^pos_weight must be finite"):
        xl.binary_cross_entropy_with_logits([0.0], [1.0], pos_weight=np.nan)


# --------------------------------------------------------------------------- reductions

LOSSES_WITH_REDUCTION = [
    ("binary_cross_entropy", ([0.5], [1.0])),
    ("binary_cross_entropy_grad", ([0.5], [1.0])),
    ("binary_cross_entropy_with_logits", ([0.5], [1.0])),
    ("binary_cross_entropy_with_logits_grad", ([0.5], [1.0])),
    ("sigmoid_focal_loss", ([0.5], [1.0])),
    ("sigmoid_focal_loss_grad", ([0.5], [1.0])),
    ("sigmoid_mse_loss", ([0.5], [1.0])),
    ("sigmoid_mse_loss_grad", ([0.5], [1.0])),
    ("hinge_loss", ([0.5], [1.0])),
    ("hinge_loss_grad", ([0.5], [1.0])),
    ("zero_one_loss", ([0.5], [1.0])),
    ("zero_one_loss_grad", ([0.5], [1.0])),
    ("softmax_cross_entropy", (Z, Y)),
    ("softmax_cross_entropy_grad", (Z, Y)),
    ("softmax_cross_entropy_and_grad", (Z, Y)),
    ("softmax_focal_loss", (Z, Y)),
    ("softmax_focal_loss_grad", (Z, Y)),
    ("distillation_loss", (Z, Z)),
    ("distillation_loss_grad", (Z, Z)),
    ("brier_score", ([0.5], [1.0])),
    ("brier_score", (P, Y)),
]


@pytest.mark.parametrize("name, args", LOSSES_WITH_REDUCTION, ids=[f"{n}-{i}" for i, (n, _) in enumerate(LOSSES_WITH_REDUCTION)])
def test_unknown_reduction(name, args):
    with pytest.raises(ValueError, match=r"^reduction must be 'mean', 'sum' or 'none'; got 'avg'"):
        getattr(xl, name)(*args, reduction="avg")


def test_every_reduction_taking_loss_is_checked():
    import inspect

    takes_reduction = {n for n in xl.__all__ if callable(getattr(xl, n)) and "reduction" in inspect.signature(getattr(xl, n)).parameters}
    assert takes_reduction == {n for n, _ in LOSSES_WITH_REDUCTION}


# --------------------------------------------------------------------------- hyperparameters

@pytest.mark.parametrize("gamma", [-0.5, -1, math.inf, math.nan])
def test_bad_gamma_sigmoid_focal(gamma):
    with pytest.raises(ValueError, match=r"^gamma must be a finite number >= 0; got .*gamma = 0 is plain cross-entropy"):
        xl.sigmoid_focal_loss([0.5], [1.0], gamma=gamma)


@pytest.mark.parametrize("gamma", [-0.5, math.inf])
def test_bad_gamma_softmax_focal(gamma):
    with pytest.raises(ValueError, match=r"^gamma must be a finite number >= 0"):
        xl.softmax_focal_loss_grad(Z, Y, gamma=gamma)


def test_gamma_of_wrong_type():
    with pytest.raises(TypeError, match=r"^gamma must be a real number; got str '2'"):
        xl.sigmoid_focal_loss([0.5], [1.0], gamma="2")


@pytest.mark.parametrize("alpha", [-0.1, 1.5])
def test_alpha_outside_unit_interval(alpha):
    with pytest.raises(ValueError, match=r"^alpha must lie in \[0, 1\]"):
        xl.sigmoid_focal_loss([0.5], [1.0], alpha=alpha)


@pytest.mark.parametrize("temperature", [0, -1.0, math.inf, math.nan])
@pytest.mark.parametrize(
    "call",
    [
        lambda t: xl.softmax([1.0, 2.0], temperature=t),
        lambda t: xl.log_softmax([1.0, 2.0], temperature=t),
        lambda t: xl.distillation_loss(Z, Z, temperature=t),
        lambda t: xl.distillation_loss_grad(Z, Z, temperature=t),
        lambda t: xl.energy_score(Z, temperature=t),
    ],
    ids=["softmax", "log_softmax", "distillation_loss", "distillation_loss_grad", "energy_score"],
)
def test_non_positive_temperature(call, temperature):
    with pytest.raises(ValueError, match=r"^temperature must be a positive finite number"):
        call(temperature)


@pytest.mark.parametrize("temperature", [0.0, -2.0, [1.0, 0.0], math.nan])
def test_non_positive_temperature_in_temperature_nll(temperature):
    with pytest.raises(ValueError, match=r"^temperature must be positive and finite"):
        xl.temperature_nll(Z, Y, temperature)


def test_temperature_of_wrong_type():
    with pytest.raises(TypeError, match=r"^temperature must be a real number"):
        xl.softmax([1.0, 2.0], temperature="hot")


@pytest.mark.parametrize("call", [xl.reliability_curve, xl.expected_calibration_error])
def test_n_bins_below_one(call):
    with pytest.raises(ValueError, match=r"^n_bins must be at least 1; got 0"):
        call([0.2, 0.8], [0, 1], n_bins=0)


def test_n_bins_not_an_integer():
    with pytest.raises(TypeError, match=r"^n_bins must be an integer; got float 2\.5"):
        xl.reliability_curve([0.2, 0.8], [0, 1], n_bins=2.5)


@pytest.mark.parametrize("eps", [-0.1, 1.5])
def test_label_smoothing_outside_unit_interval(eps):
    with pytest.raises(ValueError, match=r"^label_smoothing must lie in \[0, 1\]; got"):
        xl.softmax_cross_entropy(Z, Y, label_smoothing=eps)
    with pytest.raises(ValueError, match=r"^label_smoothing must lie in \[0, 1\]; got"):
        xl.binary_cross_entropy_with_logits([0.5], [1.0], label_smoothing=eps)


def test_negative_class_weight():
    with pytest.raises(ValueError, match=r"^class_weight must be non-negative; got min=-1\. balanced_class_weights"):
        xl.softmax_cross_entropy(Z, Y, class_weight=[1.0, -1.0, 1.0])


def test_negative_pos_weight():
    with pytest.raises(ValueError, match=r"^pos_weight must be non-negative; got min=-2"):
        xl.binary_cross_entropy_with_logits_grad([0.5, 1.0], [1.0, 0.0], pos_weight=-2.0)


@pytest.mark.parametrize("shape", [(2,), (4,), (3, 1)])
def test_class_weight_of_wrong_shape(shape):
    with pytest.raises(ValueError, match=rf"^class_weight must have one entry per class, shape \(3,\); got shape {re_shape(shape)}"):
        xl.softmax_focal_loss(Z, Y, class_weight=np.ones(shape))


def re_shape(shape):
    return str(shape).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("base", [0, -2.0, 1, 1.0, math.inf])
@pytest.mark.parametrize(
    "call",
    [
        lambda b: xl.surprisal(0.5, base=b),
        lambda b: xl.entropy([0.5, 0.5], base=b),
        lambda b: xl.cross_entropy([0.5, 0.5], [0.5, 0.5], base=b),
        lambda b: xl.kl_divergence([0.5, 0.5], [0.5, 0.5], base=b),
        lambda b: xl.js_divergence([0.5, 0.5], [0.5, 0.5], base=b),
        lambda b: xl.mutual_information([[0.5, 0.0], [0.0, 0.5]], base=b),
        lambda b: xl.perplexity([1.0], base=b),
    ],
    ids=["surprisal", "entropy", "cross_entropy", "kl_divergence", "js_divergence", "mutual_information", "perplexity"],
)
def test_bad_base(call, base):
    with pytest.raises(ValueError, match=r"^base must be a positive number other than 1; got .* Use math\.e for nats or 2 for bits"):
        call(base)


# --------------------------------------------------------------------------- empty input

@pytest.mark.parametrize(
    "call, name",
    [
        (lambda r: xl.softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int), reduction=r), "z"),
        (lambda r: xl.softmax_cross_entropy(np.zeros((0, 3)), [], reduction=r), "z"),
        (lambda r: xl.softmax_focal_loss_grad(np.zeros((0, 3)), np.zeros(0, dtype=int), reduction=r), "z"),
        (lambda r: xl.binary_cross_entropy([], [], reduction=r), "p"),
        (lambda r: xl.binary_cross_entropy_with_logits_grad([], [], reduction=r), "z"),
        (lambda r: xl.sigmoid_focal_loss([], [], reduction=r), "z"),
        (lambda r: xl.distillation_loss(np.zeros((0, 2)), np.zeros((0, 2)), reduction=r), "student_logits"),
        (lambda r: xl.brier_score(np.zeros((0, 2)), np.zeros(0, dtype=int), reduction=r), "p"),
    ],
)
def test_empty_input_with_mean(call, name):
    with pytest.raises(ValueError, match=rf"^{name} is empty, so its mean is undefined; use reduction='sum'"):
        call("mean")
    assert np.sum(call("sum")) == 0.0  # the advice in the message works


def test_empty_input_for_expected_calibration_error():
    with pytest.raises(ValueError, match=r"^probs is empty"):
        xl.expected_calibration_error(np.zeros(0), np.zeros(0))


def test_empty_input_for_fit_temperature():
    with pytest.raises(ValueError, match=r"^logits is empty"):
        xl.fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_empty_input_for_perplexity():
    with pytest.raises(ValueError, match=r"^nll must be a non-empty array of non-negative per-token losses; got size 0"):
        xl.perplexity([])


@pytest.mark.parametrize("nll", [[-0.1, 1.0], [np.nan, 1.0], [np.nan]])
def test_negative_or_nan_nll_for_perplexity(nll):
    with pytest.raises(ValueError, match=rf"^nll must be a non-empty array of non-negative per-token losses; got size {len(nll)}"):
        xl.perplexity(nll)


def test_empty_labels_for_balanced_class_weights():
    with pytest.raises(ValueError, match=r"^y must be a non-empty 1-D array of labels"):
        xl.balanced_class_weights(np.zeros(0, dtype=int))


# --------------------------------------------------------------------------- imbalance, temperature

def test_balanced_class_weights_missing_class():
    with pytest.raises(ValueError, match=r"^class\(es\) \[1\] never occur in y, so their balanced weight would be infinite"):
        xl.balanced_class_weights([0, 2, 2, 0])


def test_balanced_class_weights_missing_class_from_n_classes():
    with pytest.raises(ValueError, match=r"^class\(es\) \[2, 3\] never occur in y"):
        xl.balanced_class_weights([0, 1, 1], n_classes=4)


def test_balanced_class_weights_label_beyond_n_classes():
    with pytest.raises(ValueError, match=r"^y must hold class labels in \[0, 2\)"):
        xl.balanced_class_weights([0, 1, 2], n_classes=2)


def test_fit_temperature_on_perfectly_separable_logits():
    z = np.array([[5.0, 0.0], [0.0, 5.0], [4.0, 1.0]])
    with pytest.raises(ValueError, match=r"the logits separate the classes perfectly, so there is no finite best temperature"):
        xl.fit_temperature(z, [0, 1, 0])


def test_fit_temperature_on_separable_binary_logits():
    with pytest.raises(ValueError, match=r"the logits separate the classes perfectly"):
        xl.fit_temperature([3.0, -3.0, 2.0], [1, 0, 1])


def test_fit_temperature_on_anti_correlated_logits():
    z = np.array([[5.0, 0.0], [0.0, 5.0], [3.0, 1.0]])
    with pytest.raises(ValueError, match=r"^logits rank the true class no higher than an average class.*check that y matches"):
        xl.fit_temperature(z, [1, 0, 1])


def test_fit_temperature_binary_logits_need_hard_labels():
    with pytest.raises(ValueError, match=r"^y must hold hard labels 0 or 1"):
        xl.fit_temperature([1.0, -1.0], [0, 2])


# --------------------------------------------------------------------------- types

@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: xl.sigmoid(["1.0", "2.0"]), "z"),
        (lambda: xl.softmax_cross_entropy("abc", [0]), "z"),
        (lambda: xl.binary_cross_entropy([0.5], ["1"]), "y"),  # would be silently read as 1.0 if cast
        (lambda: xl.binary_cross_entropy_with_logits(["0.5"], [1.0]), "z"),
        (lambda: xl.entropy(["0.5", "0.5"]), "p"),
        (lambda: xl.fit_temperature([["1", "2"]], [0]), "logits"),
        (lambda: xl.softmax_cross_entropy(Z, Y, class_weight=["1", "1", "1"]), "class_weight"),
        (lambda: xl.perplexity(["1.0"]), "nll"),
        (lambda: xl.numerical_grad(np.sum, ["1.0"]), "x"),
        (lambda: xl.binary_cross_entropy([0.5], [1 + 0j]), "y"),  # complex is not real either
    ],
)
def test_string_input_is_a_type_error(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must hold real numbers; got dtype"):
        call()


def test_string_labels_are_a_type_error():
    with pytest.raises(TypeError, match=r"^y must hold integer class labels; got dtype <U"):
        xl.softmax_cross_entropy(Z, np.array(["cat", "dog"]))


def test_ragged_input_is_a_type_error():
    with pytest.raises(TypeError, match=r"^p must be array-like of real numbers; could not convert it"):
        xl.binary_cross_entropy([[0.5, 0.5], [0.5]], [1.0, 0.0])


def test_numerical_grad_needs_a_callable_and_positive_eps():
    with pytest.raises(TypeError, match=r"^f must be a callable"):
        xl.numerical_grad("sum", [1.0])
    with pytest.raises(ValueError, match=r"^eps must be a positive finite number"):
        xl.numerical_grad(np.sum, [1.0], eps=0.0)
