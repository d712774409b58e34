"""Link functions: turning logits (scores on the real line) into probabilities.

Every function here is stable for any finite input: nothing overflows,
nothing returns NaN, nothing warns, even at logits of ±1e4.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_finite, check_positive, check_probabilities

__all__ = ["sigmoid", "log_sigmoid", "softplus", "logit", "softmax", "log_softmax", "logsumexp", "naive_log_softmax"]

_LOGIT_HINT = "Logits are raw scores; check for a division by zero upstream."


def _logits(z, name: str = "z") -> np.ndarray:
    return check_finite(as_float_array(z, name), name, _LOGIT_HINT)


def sigmoid(z):
    r"""Logistic function, the probability of the positive class.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    Parameters
    ----------
    z : array_like of finite floats, any shape.

    Returns
    -------
    ndarray of the same shape, in [0, 1].

    Notes
    -----
    Only ever exponentiates :math:`-|z|`, so ``exp`` cannot overflow.

    Examples
    --------
    >>> print(sigmoid([-1000.0, 0.0, 2.0]))
    [0.     0.5    0.8808]
    """
    z = _logits(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softplus(z):
    r"""Softplus, :math:`\log(1 + e^{z})`, the smooth version of ``max(0, z)``.

    Notes
    -----
    Written as :math:`\max(z, 0) + \log(1 + e^{-|z|})` so that ``exp`` never overflows.

    Examples
    --------
    >>> print(softplus([-1000.0, 0.0, 1000.0]))
    [0.0000e+00 6.9315e-01 1.0000e+03]
    """
    z = _logits(z)
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))  # exp(-|z|) <= 1


def log_sigmoid(z):
    r"""Log of the sigmoid, :math:`\log\sigma(z) = -\operatorname{softplus}(-z)`.

    Use ``log_sigmoid(-z)`` for :math:`\log(1 - \sigma(z))`: it stays accurate
    where ``np.log(1 - sigmoid(z))`` gives ``-inf``.

    Examples
    --------
    >>> print(1 - sigmoid(40.0))    # rounds to 0, so its log would be -inf
    0.0
    >>> print(log_sigmoid(-40.0))
    -40.0
    """
    z = _logits(z)
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))  # log(1 + e^-|z|) never overflows


def logit(p):
    r"""Inverse of the sigmoid: the log-odds :math:`\log\frac{p}{1-p}`.

    ``p = 0`` and ``p = 1`` give ``-inf`` and ``+inf`` (certainty has infinite odds).

    Examples
    --------
    >>> print(logit([0.5, 0.9]))
    [0.     2.1972]
    """
    p = check_probabilities(as_float_array(p, "p"), "p", "logit takes probabilities.")
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer at p = 0 or 1
        return np.log(p) - np.log1p(-p)  # log1p(-p) keeps accuracy for small p


def logsumexp(z, *, axis: int = -1):
    r"""Log of the sum of exponentials along ``axis``.

    .. math:: \operatorname{LSE}(z) = \log \sum_j e^{z_j} = m + \log\sum_j e^{z_j - m},\quad m = \max_j z_j

    Notes
    -----
    Subtracting the maximum makes the largest exponent :math:`e^0 = 1`, so the
    sum can neither overflow nor underflow to zero.

    Examples
    --------
    >>> print(np.log(np.sum(np.exp([1000.0, 1000.0]))))  # doctest: +SKIP
    inf
    >>> print(logsumexp([1000.0, 1000.0]))
    1000.6931
    """
    z = _logits(z)
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))  # largest term is e^0 = 1
    return np.squeeze(out, axis=axis)


def _scaled(z, temperature: float) -> np.ndarray:
    z = _logits(z)
    t = check_positive(temperature, "temperature", "T > 1 flattens the distribution, T < 1 sharpens it.")
    return z if t == 1.0 else z / z.dtype.type(t)


def softmax(z, *, axis: int = -1, temperature: float = 1.0):
    r"""Softmax (Gibbs distribution) of the logits along ``axis``.

    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k/T}}{\sum_j e^{z_j/T}}

    Parameters
    ----------
    z : array_like of finite floats. Logits; in the physicist's reading, negative energies.
    axis : int. The class axis.
    temperature : float > 0. ``T > 1`` flattens the distribution, ``T < 1`` sharpens it.

    Notes
    -----
    Shifting every logit by the same constant leaves the result unchanged; the
    maximum is subtracted so the largest exponent is :math:`e^0`.

    Examples
    --------
    >>> print(softmax([1000.0, 1000.0, 0.0]))
    [0.5 0.5 0. ]
    >>> print(softmax([2.0, 1.0, 0.0], temperature=100.0))
    [0.3367 0.3333 0.33]
    """
    s = _scaled(z, temperature)
    e = np.exp(s - np.max(s, axis=axis, keepdims=True))  # largest term e^0 = 1: no overflow
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, *, axis: int = -1, temperature: float = 1.0):
    r"""Log of the softmax, computed without forming the softmax.

    .. math:: \log\operatorname{softmax}(z)_k = z_k/T - \operatorname{LSE}(z/T)

    Examples
    --------
    The naive route loses the small probability entirely:

    >>> with np.errstate(divide="ignore"):
    ...     print(np.log(softmax([1000.0, 1.0])))
    [   0. -inf]
    >>> print(log_softmax([1000.0, 1.0]))
    [   0. -999.]
    """
    s = _scaled(z, temperature)
    shifted = s - np.max(s, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))  # the log-sum-exp trick


def naive_log_softmax(z, *, shift: bool = False):
    r"""``log(softmax(z))`` computed the naive way, to show how it fails (never use it to train).

    .. math:: \log p_k = \log \frac{e^{z_k}}{\sum_j e^{z_j}}

    Parameters
    ----------
    z : array_like (..., C) of logits; classes on the last axis.
    shift : bool. ``False``: exponentiate the raw logits, which overflows to
        ``inf`` above :math:`z \approx 709.8` and gives ``nan`` (``inf/inf``).
        ``True``: subtract the maximum first (a stable softmax) but still take
        the log of the probabilities, which underflow to 0 below
        :math:`e^{-745}` and give ``-inf``.

    Notes
    -----
    Numpy's overflow/underflow warnings are silenced here: the ``nan`` and
    ``-inf`` in the result are the lesson.  :func:`xentlib.log_softmax`
    computes :math:`z_k - \max z - \log\sum_j e^{z_j - \max z}` and never
    forms the tiny probability at all.

    Examples
    --------
    >>> print(naive_log_softmax([1000.0, 1.0]), naive_log_softmax([1000.0, 1.0], shift=True))
    [ nan -inf] [   0. -inf]
    >>> print(log_softmax([1000.0, 1.0]))
    [   0. -999.]
    """
    z = as_float_array(z, "z", dtype=np.float64)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        e = np.exp(z - np.max(z, axis=-1, keepdims=True)) if shift else np.exp(z)
        return np.log(e / np.sum(e, axis=-1, keepdims=True))
