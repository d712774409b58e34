"""Language-model evaluation: per-token cross-entropy and perplexity."""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_base, check_class_labels, check_distribution

__all__ = ["sequence_cross_entropy", "perplexity"]


def sequence_cross_entropy(probs, targets) -> float:
    r"""Mean per-token cross-entropy of a sequence, in nats.

    .. math:: \bar\ell = \frac{1}{T}\sum_{t=1}^{T} -\ln P(x_t \mid x_{<t})

    Parameters
    ----------
    probs : (T, V) array. Row t is the model's next-token distribution at step t.
    targets : (T,) int array. The token that actually came next.

    Examples
    --------
    "apple" with P = 0.7, then "banana" with P = 0.6 given "apple":

    >>> probs = [[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]]
    >>> print(sequence_cross_entropy(probs, [0, 1]))
    0.4338
    """
    p = check_distribution(as_float_array(probs, "probs"), "probs")
    if p.ndim != 2:
        raise ValueError(f"probs must have shape (T, V), one next-token distribution per step; got shape {p.shape}.")
    t = check_class_labels(targets, p.shape[1], "targets")
    if t.shape != (len(p),) or len(p) == 0:
        raise ValueError(f"targets must hold one token per step, shape ({len(p)},) with T >= 1; got shape {t.shape}.")
    with np.errstate(divide="ignore"):  # a token given probability 0 costs inf
        return float(np.mean(-np.log(p[np.arange(len(p)), t])))


def perplexity(nll, *, base: float = math.e) -> float:
    r"""Perplexity from per-token negative log-likelihoods: :math:`b^{\,\mathrm{mean}(\mathrm{nll})}`.

    Equal to the reciprocal of the geometric-mean probability of the tokens;
    a uniform guess over V symbols has perplexity V. Use ``base=2`` when the
    losses are in bits.

    Examples
    --------
    >>> print(perplexity([math.log(50.0)] * 4))   # uniform over 50 symbols
    50.0
    >>> print(perplexity([0.3567, 0.5108]))
    1.5431
    """
    b = check_base(base)
    losses = as_float_array(nll, "nll", dtype=np.float64)
    if losses.size == 0 or np.isnan(losses).any() or (losses < 0).any():
        # losses.min() is NaN when a NaN is present, which says what is wrong (np.nanmin warned on all-NaN input).
        raise ValueError("nll must be a non-empty array of non-negative per-token losses; "
                         f"got size {losses.size}, min={losses.min() if losses.size else 'n/a'}.")
    return float(b ** np.mean(losses))
