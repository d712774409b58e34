"""Exercises for notebook 09 (soft targets: annotators, label smoothing, distillation, mixup, behavioural cloning)."""

from __future__ import annotations

import numpy as np

from ...information import entropy
from ...losses import distillation_loss_grad
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))
from ...soft_targets import compounding_bounds, smoothing_optimal_logit_gap

register(
    "09.vote_floor",
    "Five annotators label a photo: three say 'cat', two say 'dog'. You train on the vote fractions. "
    "What is the lowest cross-entropy (in nats) that any model can reach on this example?",
    "Cross-entropy against a soft target t is H(t) + KL(t || q), and the KL part can be made 0. "
    "So compute the entropy of the vote fractions.",
    numeric_checker(float(entropy([0.6, 0.4])), unit="nats"),
)

register(
    "09.smoothing_gap",
    "A 5-class classifier is trained with label smoothing epsilon = 0.2 (the removed mass is spread over all 5 "
    "classes, as in PyTorch). At the loss-minimising logits, how much larger is the true class's logit than "
    "each other class's logit?",
    "Write down the smoothed target: the true class keeps 1 - epsilon + epsilon/K, every other class gets "
    "epsilon/K. The best prediction equals the target, and a logit difference is the log of a probability ratio.",
    numeric_checker(float(smoothing_optimal_logit_gap(0.2, 5))),
)


def _reference_distill_grad(s, t, T):
    return distillation_loss_grad(np.asarray(s, float)[None, :], np.asarray(t, float)[None, :], temperature=T)[0]


register(
    "09.distill_grad",
    "Write distill_grad(s, t, T): the gradient, with respect to the student's logits s (a 1-D array), of the "
    "distillation loss T**2 * KL(softmax(t / T) || softmax(s / T)) for one example with teacher logits t. "
    "It must work for logits as large as 1000.",
    "Differentiate through z / T: the gradient of KL(q_t || softmax(u)) with respect to u is softmax(u) - q_t, "
    "and u = s / T adds a factor 1 / T. Compute the softmax with the maximum logit subtracted first.",
    function_checker(
        _reference_distill_grad,
        [
            (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), 4.0),  # student = teacher: zero gradient
            (np.array([0.0, 0.0, 0.0]), np.array([3.0, 1.0, -2.0]), 1.0),
            (np.array([0.5, -1.0, 2.0, 0.0]), np.array([2.0, 0.0, 1.0, -1.0]), 3.0),
            (np.array([0.0, 0.0]), np.array([1.0, -1.0]), 10.0),
            (np.array([1000.0, 0.0, -1000.0]), np.array([0.0, 1000.0, 0.0]), 1.0),  # overflows a naive softmax
        ],
        what="gradient",
    ),
    placeholder="distill_grad = None",
)

register(
    "09.compounding",
    "A cloned policy makes a mistake with probability 0.02 at every step, and once it has made one it never "
    "gets back on course. What is the expected number of off-course steps in an episode of 50 steps "
    "(counting steps 1 to 50)?",
    "Step t is on course only if none of the first t actions was a mistake: probability 0.98**t. "
    "Add up the probabilities of being off course, 1 - 0.98**t, for t = 1..50 (a geometric series).",
    numeric_checker(float(compounding_bounds(0.02, 50).worst_case), unit="steps"),
)
