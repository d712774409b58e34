"""Exercises for notebook 08 (likelihood, divergences, multi-label and the Bayesian bridge)."""

from __future__ import annotations

import numpy as np

from ...bayes import prior_variance_from_l2
from ...information import entropy, mutual_information
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "08.mle",
    "A coin lands heads 7 times in 10 flips. A model predicts the same P(heads) = q for every flip. "
    "What is the lowest mean cross-entropy per flip (in nats) it can reach on these 10 flips?",
    "Minimising the mean cross-entropy is maximum likelihood: the best q is the observed frequency of heads. "
    "At that q the mean cross-entropy is the entropy of the observed frequencies.",
    numeric_checker(float(entropy([0.7, 0.3])), unit="nats"),
)

#: The joint table of exercise 08.mi_gap: rows y1 = 0, 1; columns y2 = 0, 1.
MI_GAP_JOINT = np.array([[0.45, 0.05], [0.15, 0.35]])

register(
    "08.mi_gap",
    "Two binary labels have the joint table P(y1, y2) = [[0.45, 0.05], [0.15, 0.35]] (rows y1 = 0, 1; columns "
    "y2 = 0, 1). With no inputs, how many nats higher is the best mean loss of two independent sigmoid heads "
    "than the best mean loss of one softmax over the four label pairs?",
    "The heads can reach H(Y1) + H(Y2) at best, the softmax H(Y1, Y2). Their difference has a name: "
    "sum p(y1, y2) ln[p(y1, y2) / (p(y1) p(y2))].",
    numeric_checker(float(mutual_information(MI_GAP_JOINT)), unit="nats"),
)


def _best_independent_loss(joint):
    joint = np.asarray(joint, dtype=float)
    return float(entropy(joint.sum(axis=1)) + entropy(joint.sum(axis=0)))


register(
    "08.independent_loss",
    "Write best_independent_loss(joint): for a 2x2 NumPy table joint[y1, y2] = P(Y1 = y1, Y2 = y2), the lowest "
    "mean loss (nats) that two independent sigmoid heads can reach with no inputs. Tables may contain zeros.",
    "Each head can at best predict its label's true base rate, so its best loss is that label's entropy. "
    "Get the base rates by summing the table along one axis or the other; treat 0 * ln 0 as 0.",
    function_checker(
        _best_independent_loss,
        [
            (np.array([[0.25, 0.25], [0.25, 0.25]]),),
            (np.array([[0.4, 0.1], [0.1, 0.4]]),),
            (np.array([[0.45, 0.05], [0.15, 0.35]]),),
            (np.array([[0.7, 0.0], [0.2, 0.1]]),),
            (np.array([[0.5, 0.5], [0.0, 0.0]]),),  # label 1 is never 1: its entropy is 0, not NaN
        ],
    ),
    placeholder="best_independent_loss = None",
)

register(
    "08.prior_variance",
    "LogisticRegression(n_features, l2=0.05) is trained on 200 examples. Its weights are the MAP estimate "
    "under a Gaussian prior w ~ N(0, s2 * I). What is the prior variance s2?",
    "The model minimises the mean loss + (l2 / 2) ||w||^2. Multiply by N to get the summed loss, which is the "
    "negative log-likelihood, and match ||w||^2 / (2 s2).",
    numeric_checker(prior_variance_from_l2(0.05, 200)),
)
