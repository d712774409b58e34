r"""Annotators: several people label the same example, and their vote fractions are a soft label.

:func:`annotate` simulates the annotators, :func:`vote_fractions` and
:func:`majority_vote` turn their votes into soft and hard labels.
Cross-entropy against the vote fractions is the average cross-entropy
against every individual vote; :func:`excess_cross_entropy` scores a model
against the true probabilities.  NumPy only.
"""

from __future__ import annotations

import numpy as np

from .._numerics import xlogy
from .._validation import (
    as_float_array,
    check_class_labels,
    check_distribution,
    check_int,
    check_matrix,
    check_probabilities,
)
from ..links import log_softmax

__all__ = [
    "annotate", "vote_fractions", "majority_vote", "excess_cross_entropy",
]


def annotate(probs, n_annotators: int, *, seed: int = 0) -> np.ndarray:
    r"""Simulate annotators: each one labels example :math:`i` by drawing a class from :math:`p_i`.

    The annotators are honest but fallible in the way real ones are: on a
    clear example they agree, on an ambiguous one they split in proportion
    to how ambiguous it is.  They are independent given the example.

    Parameters
    ----------
    probs : array_like (N, K), rows summing to 1: the true :math:`P(y \mid x_i)`;
        or (N,) for two classes, read as :math:`P(y = 1 \mid x_i)`.
    n_annotators : int >= 1.
    seed : int.  Annotator ``j``'s votes use the same random numbers whatever
        ``n_annotators`` is, so the first 3 of 15 annotators are the 3 of a panel of 3.

    Returns
    -------
    votes : ndarray (N, n_annotators) int, class indices.

    Examples
    --------
    >>> votes = annotate([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], 4, seed=0)
    >>> print(votes[:2])
    [[0 0 0 0]
     [1 1 1 1]]
    """
    p = _probability_rows(probs, "probs")
    a = check_int(n_annotators, "n_annotators", 1)
    rng = np.random.default_rng(seed)
    u = rng.random((a, len(p))).T  # column j is the same for every panel size: panels are nested
    cdf = np.cumsum(p, axis=1)
    cdf[:, -1] = 1.0  # rounding must never leave a draw above the last edge
    return (u[:, :, None] >= cdf[:, None, :]).sum(axis=2)


def _probability_rows(probs, name: str) -> np.ndarray:
    p = as_float_array(probs, name, dtype=np.float64)
    if p.ndim == 1:
        check_probabilities(p, name, "1-D input is P(y = 1) of each example.")
        p = np.column_stack([1 - p, p])
    if p.ndim != 2:
        raise ValueError(f"{name} must have shape (N, K) rows of class probabilities, or (N,) for two classes; got shape {p.shape}.")
    return check_distribution(p, name)


def vote_fractions(votes, n_classes: int) -> np.ndarray:
    r"""Soft labels from votes: the fraction of annotators who chose each class.

    .. math:: t_{ik} = \frac{1}{A}\sum_{j=1}^{A} [v_{ij} = k]

    Cross-entropy against these rows equals the mean cross-entropy against
    the individual votes, because cross-entropy is linear in its target:
    :math:`H(t_i, q) = \frac1A \sum_j H(e_{v_{ij}}, q) = -\frac1A\sum_j \log q_{v_{ij}}`.
    Training on soft labels is training on every vote, with nothing thrown away.

    Parameters
    ----------
    votes : int array_like (N, A), class indices in [0, n_classes).
    n_classes : int >= 2.

    Returns
    -------
    ndarray (N, n_classes), rows summing to 1.

    Examples
    --------
    >>> print(vote_fractions([[0, 0, 1], [2, 2, 2]], 3).round(3))
    [[0.667 0.333 0.   ]
     [0.    0.    1.   ]]
    """
    k = check_int(n_classes, "n_classes", 2)
    v = _votes(votes, k)
    return (v[:, :, None] == np.arange(k)).mean(axis=1)


def _votes(votes, n_classes: int) -> np.ndarray:
    v = check_class_labels(votes, n_classes, "votes")
    if v.ndim != 2 or v.shape[1] == 0:
        raise ValueError(f"votes must have shape (N, A): one class index per example and annotator, A >= 1; got shape {v.shape}.")
    return v


def majority_vote(votes, n_classes: int) -> np.ndarray:
    """Hard labels from votes: the class most annotators chose (ties go to the lowest class index).

    Examples
    --------
    >>> print(majority_vote([[0, 1, 1], [2, 0, 0], [0, 1, 2]], 3))
    [1 0 0]
    """
    return vote_fractions(votes, n_classes).argmax(axis=1)


def excess_cross_entropy(true_probs, logits) -> float:
    r"""Mean cross-entropy above the best possible: :math:`\frac1N\sum_i D_{\mathrm{KL}}(p_i \,\|\, \operatorname{softmax}(z_i))`.

    With :math:`p_i` the true :math:`P(y \mid x_i)` this is how much worse, in
    nats per example, the model's test loss is than the Bayes-optimal model's
    (:math:`H(p, q) = H(p) + D_{\mathrm{KL}}(p\|q)`).  Computed from logits with
    :func:`~xentlib.log_softmax`, so it stays finite for confident models.

    Parameters
    ----------
    true_probs : array_like (N, K) rows of probabilities, or (N,) P(y = 1) for two classes.
    logits : array_like (N, K), the model's logits.

    Examples
    --------
    >>> print(excess_cross_entropy([[0.5, 0.5]], [[0.0, 0.0]]))
    0.0
    >>> print(round(excess_cross_entropy([0.5], [[0.0, 1000.0]]), 1))   # confident: KL = 1000/2 - ln 2 ...
    499.3
    """
    p = _probability_rows(true_probs, "true_probs")
    z = check_matrix(logits, "logits")
    if z.shape != p.shape:
        raise ValueError(f"logits must have the shape of true_probs {p.shape}; got {z.shape}.")
    return float(np.mean(np.sum(xlogy(p, p) - p * log_softmax(z), axis=1)))
