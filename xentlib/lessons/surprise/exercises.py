"""Exercises for notebook 01 (surprise, entropy, cross-entropy)."""

import math

import numpy as np

from ...information import cross_entropy, kl_divergence
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "01.odds",
    "A forecaster gave the outcome that happened probability 0.001 instead of 0.1. "
    "How many extra nats of surprise does that cost?",
    "Surprise is -ln p. Subtract the two, or use ln(a) - ln(b) = ln(a/b).",
    numeric_checker(math.log(100.0), unit="nats"),
)

register(
    "01.wasted_bits",
    "Symbols follow p = [0.5, 0.25, 0.25], but your code was built for q = [0.25, 0.25, 0.5]. "
    "How many bits per symbol does the code waste on average?",
    "Wasted bits are KL(p || q) = sum_k p_k log2(p_k / q_k). Only the symbols whose p and q differ contribute.",
    numeric_checker(float(kl_divergence([0.5, 0.25, 0.25], [0.25, 0.25, 0.5], base=2)), unit="bits"),
)


def _reference_cross_entropy(p, q):
    return cross_entropy(np.asarray(p, float), np.asarray(q, float))


register(
    "01.cross_entropy",
    "Write my_cross_entropy(p, q) for two probability vectors, in nats. "
    "It must give 0 * log(0) = 0 where p has zeros, and inf where q is 0 but p is not.",
    "Sum -p_k * log(q_k) only over the k where p_k > 0, e.g. with a boolean mask p > 0.",
    function_checker(
        _reference_cross_entropy,
        [
            (np.array([0.5, 0.5]), np.array([0.5, 0.5])),
            (np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.7, 0.1])),
            (np.array([0.2, 0.3, 0.5]), np.array([0.0, 0.5, 0.5])),
            (np.array([0.1, 0.0, 0.9]), np.array([0.3, 0.3, 0.4])),
            (np.array([0.0, 1.0]), np.array([0.0, 1.0])),  # 0 * log 0 must count as 0, not NaN
        ],
    ),
    placeholder="my_cross_entropy = None",
)
