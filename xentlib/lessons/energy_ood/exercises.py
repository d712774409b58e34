"""Exercises for notebook 10 (energy scores for out-of-distribution inputs, smooth segment predictions)."""

from __future__ import annotations

import numpy as np

from ...information import js_divergence
from ...links import logsumexp
from ...ood import auroc
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "10.energy",
    "A three-class model gives an input the logits z = (4, 1, 0). What is its energy E = -log(sum_k exp(z_k)) "
    "at temperature T = 1, in nats?",
    "The largest logit dominates the sum: E is a little below -4. Compute log(e^4 + e^1 + e^0) and change its sign.",
    numeric_checker(-float(logsumexp(np.array([4.0, 1.0, 0.0]))), unit="nats"),
)

register(
    "10.shift",
    "Add 3 to every logit of z = (4, 1, 0). The softmax probabilities do not change. By how much does the "
    "energy change? Give the signed change in nats (new energy minus old energy).",
    "log(sum_k exp(z_k + c)) = c + log(sum_k exp(z_k)). Mind the minus sign in front of the log.",
    numeric_checker(-3.0, unit="nats"),
)


def _reference_auroc(scores_in, scores_out):
    return auroc(scores_in, scores_out)


register(
    "10.auroc",
    "Write my_auroc(scores_in, scores_out): the probability that a randomly chosen OOD score is higher than a "
    "randomly chosen in-distribution score, where a tie counts one half. Both arguments are 1-d NumPy arrays.",
    "Compare every OOD score with every in-distribution score, e.g. with scores_out[:, None] > scores_in[None, :], "
    "add half of the ties (==), and take the mean over all pairs.",
    function_checker(
        _reference_auroc,
        [
            (np.array([0.1, 0.4]), np.array([0.35, 0.8])),
            (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0])),  # perfect separation
            (np.array([4.0, 5.0]), np.array([1.0, 2.0, 3.0])),  # the score points the wrong way
            (np.array([1.0, 1.0, 2.0]), np.array([1.0, 2.0, 2.0, 3.0])),  # ties count one half
            (np.array([0.5]), np.array([0.5])),
        ],
    ),
    placeholder="my_auroc = None",
)

register(
    "10.js_pair",
    "Residue t is predicted as certainly helix, p_t = (1, 0, 0) over (helix, sheet, coil); residue t + 1 is "
    "split evenly between helix and coil, p_t+1 = (0.5, 0, 0.5). How large is the penalty JS(p_t, p_t+1), in nats?",
    "First form the midpoint m = (p_t + p_t+1) / 2, then JS = (KL(p_t || m) + KL(p_t+1 || m)) / 2. "
    "Zero probabilities contribute nothing to a KL divergence.",
    numeric_checker(float(js_divergence(np.array([1.0, 0.0, 0.0]), np.array([0.5, 0.0, 0.5]))), unit="nats"),
)
