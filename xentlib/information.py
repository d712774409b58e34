r"""Information measures: surprise, entropy, cross-entropy and divergences.

All take ``base`` (default *e*, giving nats; ``base=2`` gives bits).  The
base only rescales: a quantity in bits is the one in nats divided by ln 2.
Terms with zero probability follow the convention :math:`0 \log 0 = 0`.

Beyond the measures themselves: the likelihood view of cross-entropy
(:func:`log_likelihood`).  Fitting a Gaussian by forward and reverse KL is in
:mod:`xentlib.gaussian_fits`; the Bayesian reading of weight decay in
:mod:`xentlib.bayes`.
"""

from __future__ import annotations

import math

import numpy as np

from ._numerics import xlogy
from ._validation import (
    as_float_array,
    check_base,
    check_class_labels,
    check_distribution,
    check_int,
    check_probabilities,
)

__all__ = [
    "surprisal",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "mutual_information",
    # likelihood
    "empirical_distribution",
    "log_likelihood",
]


def _in_base(nats, base: float):
    b = check_base(base)
    return nats if b == math.e else nats / nats.dtype.type(math.log(b))


def _pair(p, q, axis: int):
    p = check_distribution(as_float_array(p, "p"), "p", axis)
    q = check_distribution(as_float_array(q, "q"), "q", axis)
    dtype = np.result_type(p, q)
    try:
        p, q = np.broadcast_arrays(p.astype(dtype, copy=False), q.astype(dtype, copy=False))
    except ValueError:
        raise ValueError(
            f"p and q must have the same shape (or broadcast); got {p.shape} and {q.shape}."
        ) from None
    return p, q


def surprisal(p, *, base: float = math.e):
    r"""Surprise (self-information) of an event that was given probability ``p``.

    .. math:: I(p) = -\log_b p

    Parameters
    ----------
    p : array_like in [0, 1], any shape. ``p = 0`` gives ``inf``: an event you
        called impossible is infinitely surprising.
    base : float. ``math.e`` for nats (default), 2 for bits.

    Examples
    --------
    Ten times worse odds add :math:`\ln 10 \approx 2.303` nats; they do not multiply the loss by 10:

    >>> print(surprisal([0.1, 0.01]))
    [2.3026 4.6052]
    >>> print(surprisal(0.5, base=2))
    1.0
    """
    p = check_probabilities(as_float_array(p, "p"), "p", "surprisal takes the probability given to the outcome.")
    with np.errstate(divide="ignore"):  # -log(0) = inf is the honest answer
        return _in_base(-np.log(p), base)


def entropy(p, *, axis: int = -1, base: float = math.e):
    r"""Entropy, the expected surprise under the true distribution ``p``.

    .. math:: H(p) = -\sum_k p_k \log_b p_k

    Examples
    --------
    >>> print(entropy([0.5, 0.5], base=2))
    1.0
    >>> print(entropy([1.0, 0.0]))
    0.0
    """
    p = check_distribution(as_float_array(p, "p"), "p", axis)
    return _in_base(0.0 - np.sum(xlogy(p, p), axis=axis), base)  # 0.0 - x: no negative zero


def cross_entropy(p, q, *, axis: int = -1, base: float = math.e):
    r"""Cross-entropy: the expected surprise when outcomes follow ``p`` but you believe ``q``.

    .. math:: H(p, q) = -\sum_k p_k \log_b q_k = H(p) + D_{\mathrm{KL}}(p \,\|\, q)

    With a one-hot ``p`` (the observed class *k*) it is :math:`-\log q_k`.
    ``inf`` when ``q`` gives zero probability to an outcome ``p`` allows.

    Examples
    --------
    >>> print(cross_entropy([0.0, 1.0, 0.0], [0.2, 0.7, 0.1]))
    0.3567
    """
    p, q = _pair(p, q, axis)
    return _in_base(0.0 - np.sum(xlogy(p, q), axis=axis), base)


def kl_divergence(p, q, *, axis: int = -1, base: float = math.e):
    r"""Kullback-Leibler divergence, the extra surprise paid for believing ``q``.

    .. math:: D_{\mathrm{KL}}(p \,\|\, q) = \sum_k p_k \log_b \frac{p_k}{q_k} \ge 0

    Not symmetric.  Terms with :math:`p_k = 0` contribute 0; :math:`p_k > 0 = q_k` gives ``inf``.
    In coding terms: the bits per symbol wasted by a code built for ``q``.

    Examples
    --------
    >>> print(kl_divergence([0.5, 0.5], [0.9, 0.1]))
    0.5108
    >>> print(kl_divergence([0.9, 0.1], [0.5, 0.5]))
    0.3681
    """
    p, q = _pair(p, q, axis)
    # log(p/q) as a difference of logs: p/q could overflow when q is tiny.
    return _in_base(np.maximum(np.sum(xlogy(p, p) - xlogy(p, q), axis=axis), 0), base)


def js_divergence(p, q, *, axis: int = -1, base: float = math.e):
    r"""Jensen-Shannon divergence: symmetric, finite, at most :math:`\log_b 2`.

    .. math:: \mathrm{JS}(p, q) = \tfrac12 D_{\mathrm{KL}}(p \,\|\, m) + \tfrac12 D_{\mathrm{KL}}(q \,\|\, m),\quad m = \tfrac12(p + q)

    Examples
    --------
    >>> print(js_divergence([1.0, 0.0], [0.0, 1.0], base=2))
    1.0
    """
    p, q = _pair(p, q, axis)
    total = p + q  # = 2m.  Not m itself: halving the smallest subnormal q_k gives m_k = 0, and an infinite JS.

    def kl_to_mean(x):  # sum_k x_k log(x_k / m_k), each ratio taken as 2 x_k / (p_k + q_k), at most 2
        return np.sum(xlogy(x, np.divide(2 * x, total, out=np.ones_like(total), where=total > 0)), axis=axis)

    return _in_base(np.maximum((kl_to_mean(p) + kl_to_mean(q)) / 2, 0), base)


def mutual_information(joint, *, base: float = math.e):
    r"""Mutual information of two discrete variables from their joint table.

    .. math:: I(X; Y) = \sum_{x,y} p(x, y) \log_b \frac{p(x, y)}{p(x)\,p(y)} = D_{\mathrm{KL}}\big(p(x,y) \,\|\, p(x)p(y)\big)

    Parameters
    ----------
    joint : 2-D array_like, non-negative, summing to 1. ``joint[i, j] = P(X=i, Y=j)``.

    Examples
    --------
    >>> print(mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))   # Y copies X: one bit
    1.0
    >>> print(mutual_information([[0.25, 0.25], [0.25, 0.25]]))       # independent
    0.0
    """
    joint = as_float_array(joint, "joint")
    if joint.ndim != 2:
        raise ValueError(f"joint must be a 2-D table P(X=i, Y=j); got {joint.ndim} dimension(s) with shape {joint.shape}.")
    check_probabilities(joint, "joint", "joint[i, j] is the probability P(X=i, Y=j).")
    if abs(joint.sum() - 1) > 1e-6:
        raise ValueError(f"joint must sum to 1 over the whole table; got {joint.sum():.6g}. Normalise it with joint / joint.sum().")
    independent = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return kl_divergence(joint.reshape(-1), independent.reshape(-1), base=base)


# =====================================================================================
# Likelihood: minimising cross-entropy is maximising likelihood
# =====================================================================================

def _labels(y, n_classes: int | None, name: str = "y") -> np.ndarray:
    y = check_class_labels(y, n_classes, name)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels; got shape {y.shape}.")
    return y


def empirical_distribution(y, n_classes: int) -> np.ndarray:
    r"""The observed frequency of each class: :math:`\hat p_k = \tfrac1N \#\{i : y_i = k\}`.

    Parameters
    ----------
    y : 1-D array_like of integer labels in ``[0, n_classes)``.
    n_classes : int >= 1.

    Returns
    -------
    ndarray (n_classes,) summing to 1.

    Examples
    --------
    >>> print(empirical_distribution([0, 2, 2, 1, 2], 4))
    [0.2 0.2 0.6 0. ]
    """
    n_classes = check_int(n_classes, "n_classes", 1)
    y = _labels(y, n_classes)
    return np.bincount(y, minlength=n_classes) / y.size


def log_likelihood(q, y, *, base: float = math.e) -> float:
    r"""Log-likelihood of observed labels under a model's predicted distributions.

    .. math:: \log L = \sum_{i=1}^N \log q_{i, y_i}
              = -N \cdot \underbrace{\tfrac1N \sum_i \big(-\log q_{i, y_i}\big)}_{\text{mean cross-entropy}}

    So the mean cross-entropy loss is :math:`-\log L / N`: minimising one is
    maximising the other.  When one distribution ``q`` serves every example,
    the sum groups by class and :math:`\log L = -N\, H(\hat p, q)` with
    :math:`\hat p` the :func:`empirical_distribution`; by
    :math:`H(\hat p, q) = H(\hat p) + D_{\mathrm{KL}}(\hat p\,\|\,q)` the
    maximum-likelihood ``q`` is :math:`\hat p` itself.

    Parameters
    ----------
    q : array_like (K,) — one distribution shared by all examples — or (N, K),
        one predicted distribution per example.
    y : 1-D array_like (N,) of integer labels in ``[0, K)``.
    base : float. ``math.e`` for nats (default), 2 for bits.

    Returns
    -------
    float, :math:`\le 0`; ``-inf`` if some observed label was given probability 0.

    Examples
    --------
    >>> y = [0, 0, 1, 0]
    >>> print(log_likelihood([0.75, 0.25], y), 4 * entropy([0.75, 0.25]))   # -log L = N H(p_hat) at the MLE
    -2.2493 2.2493
    """
    q = check_distribution(as_float_array(q, "q", dtype=np.float64), "q")
    if q.ndim not in (1, 2):
        raise ValueError(f"q must be one distribution (K,) or one per example (N, K); got shape {q.shape}.")
    y = _labels(y, q.shape[-1])
    if q.ndim == 2 and len(q) != len(y):
        raise ValueError(f"q has {len(q)} rows but y has {len(y)} labels; pass one row per example, or a single (K,) distribution.")
    picked = q[y] if q.ndim == 1 else q[np.arange(len(y)), y]
    with np.errstate(divide="ignore"):  # log(0) = -inf: the honest likelihood of an "impossible" outcome
        return float(_in_base(np.sum(np.log(picked)), base))
