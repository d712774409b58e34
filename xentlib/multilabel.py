r"""Multi-class against multi-label: independent sigmoid heads or one softmax over label combinations.

Two binary labels :math:`Y_1, Y_2` (a photo shows a cat; it was taken
outdoors) can be predicted two ways:

* **independent heads**: one sigmoid per label, trained with the sum of two
  binary cross-entropies.  The model's joint belief is the product
  :math:`q_1(y_1)\,q_2(y_2)`: it assumes the labels are independent.
* **joint softmax**: one softmax over the four combinations
  :math:`(y_1, y_2) \in \{00, 01, 10, 11\}`, trained with 4-class cross-entropy.

Both losses are :math:`-\log(\text{probability of the observed pair})`, so they
can be compared directly.  At their optima (no inputs, or flexible enough
models) the independent heads reach :math:`H(Y_1) + H(Y_2)` and the softmax
reaches :math:`H(Y_1, Y_2)`; the difference is exactly the mutual information

.. math:: H(Y_1) + H(Y_2) - H(Y_1, Y_2) = I(Y_1; Y_2) \ \ge 0 .

Joint tables here are 2x2 arrays ``joint[y1, y2] = P(Y1 = y1, Y2 = y2)``;
the joint class of a pair is ``2 * y1 + y2``.  NumPy only.  Training the two kinds of
model on sampled pairs (notebook 08): :func:`xentlib.lessons.information.experiments.train_label_models`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_in_range, check_int, check_probabilities
from .information import entropy

__all__ = [
    "JOINT_CLASSES",
    "correlation_range",
    "correlated_labels_joint",
    "label_correlation",
    "marginals",
    "independent_joint",
    "OptimalLosses",
    "optimal_losses",
    "sample_labels",
    "joint_class",
    "labels_from_class",
    "empirical_joint",
]

#: The four joint classes of a softmax over two binary labels, in class-index order 2 * y1 + y2.
JOINT_CLASSES = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)")


def _rate(p, name: str) -> float:
    return check_in_range(p, name, 0.0, 1.0, "It is the probability that this label is 1.")


def _table(joint) -> np.ndarray:
    joint = as_float_array(joint, "joint", dtype=np.float64)
    if joint.shape != (2, 2):
        raise ValueError(f"joint must be a 2x2 table joint[y1, y2] = P(Y1=y1, Y2=y2); got shape {joint.shape}.")
    check_probabilities(joint, "joint", "Each entry is the probability of one pair of labels.")
    if abs(joint.sum() - 1) > 1e-9:
        raise ValueError(f"joint must sum to 1; got {joint.sum():.6g}. Normalise it with joint / joint.sum().")
    return joint


def correlation_range(p1: float, p2: float) -> tuple[float, float]:
    r"""The smallest and largest correlation two binary labels with these base rates can have.

    The joint is pinned down by :math:`P(1,1) = p_{11}`, which must keep all four
    cells non-negative: :math:`\max(0, p_1 + p_2 - 1) \le p_{11} \le \min(p_1, p_2)`.
    The correlation (phi coefficient) is increasing in :math:`p_{11}`,

    .. math:: \rho = \frac{p_{11} - p_1 p_2}{\sqrt{p_1(1-p_1)\,p_2(1-p_2)}},

    so its range is the image of that interval.  Only equal base rates allow
    :math:`\rho = 1`, and only :math:`p_2 = 1 - p_1` allows :math:`\rho = -1`.

    Examples
    --------
    >>> print(correlation_range(0.5, 0.5))
    (-1.0, 1.0)
    >>> print(tuple(round(r, 4) for r in correlation_range(0.2, 0.2)))   # rare labels cannot be strongly anti-correlated
    (-0.25, 1.0)
    """
    p1, p2 = _rate(p1, "p1"), _rate(p2, "p2")
    spread = math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    if spread == 0:
        raise ValueError("p1 and p2 must lie strictly between 0 and 1: a label that never changes has no correlation.")
    lo, hi = max(0.0, p1 + p2 - 1) - p1 * p2, min(p1, p2) - p1 * p2
    return lo / spread, hi / spread


def correlated_labels_joint(p1: float, p2: float, rho: float) -> np.ndarray:
    r"""The joint table of two binary labels with base rates ``p1``, ``p2`` and correlation ``rho``.

    .. math:: P(1,1) = p_1 p_2 + \rho\,\sqrt{p_1(1-p_1)\,p_2(1-p_2)},\qquad
              P(1,0) = p_1 - P(1,1),\quad P(0,1) = p_2 - P(1,1),\quad P(0,0) = 1 - p_1 - p_2 + P(1,1).

    Parameters
    ----------
    p1, p2 : float in (0, 1), :math:`P(Y_1 = 1)` and :math:`P(Y_2 = 1)`.
    rho : float, the Pearson correlation of the two 0/1 labels (phi coefficient),
        within :func:`correlation_range`.

    Returns
    -------
    ndarray (2, 2), ``joint[y1, y2]``.

    Examples
    --------
    >>> print(correlated_labels_joint(0.5, 0.5, 0.6))
    [[0.4 0.1]
     [0.1 0.4]]
    """
    lo, hi = correlation_range(p1, p2)
    rho = check_in_range(rho, "rho", -1.0, 1.0)
    if not (lo - 1e-12 <= rho <= hi + 1e-12):
        raise ValueError(f"rho must lie in [{lo:.4g}, {hi:.4g}] for base rates p1={p1:g}, p2={p2:g}; got {rho!r}. "
                         "Beyond that range some pair of labels would need a negative probability.")
    p11 = p1 * p2 + rho * math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    joint = np.array([[1 - p1 - p2 + p11, p2 - p11], [p1 - p11, p11]])
    return np.clip(joint, 0.0, 1.0)  # rounding at the ends of the range must not leave -1e-17


def label_correlation(joint) -> float:
    r"""The correlation (phi coefficient) of the two labels of a joint table.

    .. math:: \rho = \frac{P(1,1)P(0,0) - P(1,0)P(0,1)}{\sqrt{p_1(1-p_1)\,p_2(1-p_2)}}

    Equals ``np.corrcoef(y1, y2)`` and scikit-learn's ``matthews_corrcoef(y1, y2)``
    on samples drawn from the table.

    Examples
    --------
    >>> print(round(label_correlation([[0.4, 0.1], [0.1, 0.4]]), 12))
    0.6
    """
    joint = _table(joint)
    p1, p2 = joint[1].sum(), joint[:, 1].sum()
    spread = math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    if spread == 0:
        raise ValueError("one label never changes in this table, so its correlation is undefined.")
    return float((joint[1, 1] * joint[0, 0] - joint[1, 0] * joint[0, 1]) / spread)


def marginals(joint) -> np.ndarray:
    r"""The base rates :math:`(P(Y_1 = 1), P(Y_2 = 1))` of a joint table.

    Examples
    --------
    >>> print(marginals([[0.4, 0.1], [0.2, 0.3]]))
    [0.5 0.4]
    """
    joint = _table(joint)
    return np.array([joint[1].sum(), joint[:, 1].sum()])


def independent_joint(p1: float, p2: float) -> np.ndarray:
    r"""The joint table that two independent heads believe in: :math:`q(y_1, y_2) = q_1(y_1)\,q_2(y_2)`.

    Examples
    --------
    >>> print(independent_joint(0.5, 0.2))
    [[0.4 0.1]
     [0.4 0.1]]
    """
    p1, p2 = _rate(p1, "p1"), _rate(p2, "p2")
    return np.outer([1 - p1, p1], [1 - p2, p2])


class OptimalLosses(NamedTuple):
    """The lowest mean losses (nats) the two kinds of model can reach on a joint distribution, and their gap."""

    independent: float  # H(Y1) + H(Y2): two sigmoid heads
    joint: float  # H(Y1, Y2): one softmax over the four pairs
    gap: float  # independent - joint = I(Y1; Y2)


def optimal_losses(joint) -> OptimalLosses:
    r"""The best expected cross-entropy of independent heads and of a joint softmax, with no inputs.

    Each model's best expected loss is the entropy of what it can represent:

    .. math:: \min_{q_1, q_2} \mathbb E\big[-\log q_1(Y_1) - \log q_2(Y_2)\big] = H(Y_1) + H(Y_2)
              \quad(\text{at } q_k = \text{the true marginal}),

    .. math:: \min_{q} \mathbb E\big[-\log q(Y_1, Y_2)\big] = H(Y_1, Y_2) \quad(\text{at } q = \text{the true joint}).

    Their difference is :math:`H(Y_1) + H(Y_2) - H(Y_1, Y_2) = I(Y_1; Y_2)`:
    the price of assuming independence is exactly the mutual information.

    Examples
    --------
    >>> best = optimal_losses([[0.4, 0.1], [0.1, 0.4]])
    >>> print(f"{best.independent:.4f} {best.joint:.4f} {best.gap:.4f}")
    1.3863 1.1935 0.1927
    """
    joint = _table(joint)
    independent = float(entropy(joint.sum(axis=1)) + entropy(joint.sum(axis=0)))
    together = float(entropy(joint.reshape(-1)))
    return OptimalLosses(independent, together, independent - together)


def sample_labels(joint, n: int, *, seed: int = 0) -> np.ndarray:
    """Draw ``n`` label pairs from a joint table; returns an (n, 2) int array of 0/1 labels.

    Examples
    --------
    >>> Y = sample_labels([[0.5, 0.0], [0.0, 0.5]], 6, seed=1)
    >>> print(Y.shape, bool(np.all(Y[:, 0] == Y[:, 1])))      # perfectly correlated: the labels always agree
    (6, 2) True
    """
    joint = _table(joint)
    n = check_int(n, "n", 1)
    classes = np.random.default_rng(seed).choice(4, size=n, p=joint.reshape(-1) / joint.sum())
    return labels_from_class(classes)


def joint_class(Y) -> np.ndarray:
    """The joint class ``2 * y1 + y2`` (0..3) of each row of an (N, 2) array of 0/1 label pairs.

    Examples
    --------
    >>> print(joint_class([[0, 0], [0, 1], [1, 0], [1, 1]]))
    [0 1 2 3]
    """
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.shape[1] != 2:
        raise ValueError(f"Y must have shape (N, 2): one pair of labels per row; got shape {Y.shape}.")
    if Y.size and not np.isin(Y, (0, 1)).all():
        raise ValueError("Y must hold 0/1 labels only; found other values. Threshold scores first, e.g. (scores > 0.5).")
    return (2 * Y[:, 0] + Y[:, 1]).astype(int)


def labels_from_class(classes) -> np.ndarray:
    """The (N, 2) label pairs of joint classes 0..3 (the inverse of :func:`joint_class`).

    Examples
    --------
    >>> print(labels_from_class([3, 1]))
    [[1 1]
     [0 1]]
    """
    c = np.asarray(classes)
    if c.dtype.kind not in "iu" or (c.size and (c.min() < 0 or c.max() > 3)):
        raise ValueError("classes must be integers 0..3 (the joint class 2 * y1 + y2).")
    return np.stack([c // 2, c % 2], axis=-1).astype(int)


def empirical_joint(Y) -> np.ndarray:
    """The observed frequency table ``joint[y1, y2]`` of an (N, 2) array of label pairs.

    Examples
    --------
    >>> print(empirical_joint([[0, 0], [1, 1], [1, 1], [1, 0]]))
    [[0.25 0.  ]
     [0.25 0.5 ]]
    """
    classes = joint_class(Y)
    if classes.size == 0:
        raise ValueError("Y is empty: no label pairs to count.")
    return (np.bincount(classes, minlength=4) / classes.size).reshape(2, 2)
