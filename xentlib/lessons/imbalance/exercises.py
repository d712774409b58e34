"""Exercises for notebook 06 (class imbalance: weights, resampling, priors, focal loss)."""

from __future__ import annotations

import math

import numpy as np

from ...imbalance import precision_recall
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "06.init_bias",
    "A logistic model keeps its weights at w = 0 and learns only its bias b, with plain cross-entropy, "
    "on data in which 2 % of the examples are positive. Which bias (in nats) does gradient descent settle at?",
    "Training stops where the net pull on the bias is zero: the model's single probability sigmoid(b) must "
    "equal the fraction of positives. Invert the sigmoid: b = ln(p / (1 - p)).",
    numeric_checker(math.log(0.02 / 0.98), unit="nats"),
)

register(
    "06.balanced_weight",
    "A data set has 980 negatives and 20 positives. What weight does balanced_class_weights give "
    "the positive class (w_c = N / (C n_c))?",
    "N is the total number of examples, C the number of classes and n_c the size of the class.",
    numeric_checker(25.0),
)

register(
    "06.adjusted_threshold",
    "A plain-CE model was trained on data with 1 % positives. With full logit adjustment (tau = 1) it flags "
    "an example when z - ln(0.01 / 0.99) > 0. Above which predicted probability sigmoid(z) is that?",
    "z - ln(pi_1 / pi_0) > 0 means z > ln(pi_1 / pi_0). Apply the sigmoid to both sides: "
    "sigmoid(ln(a / (1 - a))) = a.",
    numeric_checker(0.01),
)

register(
    "06.focal_factor",
    "Focal loss with gamma = 3 multiplies an example's cross-entropy by a factor. What is the factor for an "
    "example the model already gets right with p_t = 0.8?",
    "The factor is (1 - p_t) ** gamma.",
    numeric_checker(0.2**3),
)


def _reference_recall(y_true, y_pred):
    return precision_recall(np.asarray(y_true), np.asarray(y_pred))[1]


register(
    "06.recall",
    "Write recall(y_true, y_pred) for 0/1 NumPy arrays: the fraction of the real positives (y_true == 1) "
    "that the model flagged (y_pred == 1).",
    "Count the true positives, (y_true == 1) & (y_pred == 1), and divide by the number of real positives. "
    "Accuracy is not the answer: on 99:1 data, flagging nobody is 99 % accurate and has recall 0.",
    function_checker(
        _reference_recall,
        [
            (np.array([0, 0, 0, 1, 1]), np.array([0, 1, 0, 1, 0])),
            (np.array([0] * 99 + [1]), np.array([0] * 100)),  # "always negative": 99 % accurate
            (np.array([1, 1, 1, 0]), np.array([1, 1, 1, 1])),
            (np.array([0, 1, 0, 1, 1, 0, 1]), np.array([1, 1, 0, 0, 1, 1, 1])),
        ],
        what="recall",
    ),
    placeholder="recall = None",
)
