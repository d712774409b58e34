"""Calibration: do predicted probabilities match observed frequencies?

Compute only; :mod:`xentlib.plotting` draws.  The binning follows
``sklearn.calibration.calibration_curve(strategy="uniform")``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_binary_labels,
    check_class_labels,
    check_distribution,
    check_int,
    check_probabilities,
    check_same_shape,
)
from .links import logsumexp, softmax
from .losses import _softmax_logits

__all__ = ["ReliabilityCurve", "reliability_curve", "expected_calibration_error", "fit_temperature", "temperature_nll"]


class ReliabilityCurve(NamedTuple):
    """Per non-empty bin: mean predicted confidence, observed accuracy (or frequency), and count."""

    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray


def _confidence_and_outcome(probs, y):
    """(confidence, 0/1 outcome) pairs: P(y=1) vs y for 1-D input, top-label confidence vs correctness for 2-D."""
    p = as_float_array(probs, "probs")
    if p.ndim == 1:
        check_probabilities(p, "probs", "1-D probs are P(y = 1); did you pass logits? Apply sigmoid first.")
        outcome = check_binary_labels(as_float_array(y, "y", dtype=p.dtype))
        check_same_shape(p, outcome, "probs", "y")
        return p, outcome
    if p.ndim != 2:
        raise ValueError(f"probs must be 1-D (P(y = 1)) or 2-D (N, C) class probabilities; got shape {p.shape}.")
    check_distribution(p, "probs")
    labels = check_class_labels(y, p.shape[1])
    if labels.shape != (len(p),):
        raise ValueError(f"y must have one label per row of probs, shape ({len(p)},); got shape {labels.shape}.")
    return p.max(axis=1), (p.argmax(axis=1) == labels).astype(p.dtype)


def reliability_curve(probs, y, *, n_bins: int = 10) -> ReliabilityCurve:
    r"""Reliability diagram data: confidence against accuracy in ``n_bins`` equal-width bins.

    Parameters
    ----------
    probs : (N,) P(y = 1), or (N, C) rows of class probabilities.
    y : (N,) labels: 0/1 for 1-D ``probs``, class indices for 2-D.
    n_bins : int >= 1. Bins split [0, 1] evenly; empty bins are dropped.

    Returns
    -------
    ReliabilityCurve(confidence, accuracy, count). For 1-D input ``accuracy`` is
    the fraction of positives (as ``sklearn.calibration.calibration_curve``);
    for 2-D it is the accuracy of the top-label prediction.

    Examples
    --------
    >>> curve = reliability_curve([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 0], n_bins=2)
    >>> print(curve.confidence, curve.accuracy, curve.count)
    [0.15 0.85] [0.  0.5] [2 2]
    """
    n_bins = check_int(n_bins, "n_bins", 1)
    conf, outcome = _confidence_and_outcome(probs, y)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bin_of = np.searchsorted(edges[1:-1], conf)  # interior edges only: 0 and 1 land in the end bins
    count = np.bincount(bin_of, minlength=n_bins)
    keep = count > 0
    conf_sum = np.bincount(bin_of, weights=conf, minlength=n_bins)
    hits = np.bincount(bin_of, weights=outcome, minlength=n_bins)
    return ReliabilityCurve(conf_sum[keep] / count[keep], hits[keep] / count[keep], count[keep])


def expected_calibration_error(probs, y, *, n_bins: int = 15) -> float:
    r"""Expected calibration error: the count-weighted gap between confidence and accuracy.

    .. math:: \mathrm{ECE} = \sum_b \frac{n_b}{N}\, \big|\mathrm{acc}_b - \mathrm{conf}_b\big|

    Examples
    --------
    >>> print(expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1], n_bins=10))
    0.4
    """
    curve = reliability_curve(probs, y, n_bins=n_bins)
    if curve.count.sum() == 0:  # 0 / 0 otherwise
        raise ValueError("probs is empty, so the expected calibration error is undefined; pass at least one example.")
    return float(np.sum(curve.count * np.abs(curve.accuracy - curve.confidence)) / curve.count.sum())


def _temperature_problem(logits, y):
    z = as_float_array(logits, "logits", dtype=np.float64)
    if z.ndim == 1:  # binary logits: softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)]
        labels = check_binary_labels(np.asarray(y)).astype(np.intp)
        z = np.stack([np.zeros_like(z), z], axis=1)
    else:
        labels = check_class_labels(y, z.shape[1] if z.ndim == 2 else None)
    z = _softmax_logits(z, "logits")
    if labels.shape != (len(z),):
        raise ValueError(f"y must have one label per row of logits, shape ({len(z)},); got shape {labels.shape}.")
    if len(z) == 0:
        raise ValueError("logits is empty; fitting a temperature needs at least one example.")
    return z, labels


def fit_temperature(logits, y, *, tol: float = 1e-10, max_iter: int = 100) -> float:
    r"""The temperature :math:`T > 0` that minimises the NLL of ``softmax(logits / T)`` (Guo et al., 2017).

    With :math:`\beta = 1/T` the NLL :math:`\tfrac1N\sum_i \operatorname{LSE}(\beta z_i) - \beta z_{i,y_i}`
    is convex, with derivative :math:`\tfrac1N\sum_i (\mathbb{E}_{p_\beta}[z_i] - z_{i,y_i})` and
    second derivative :math:`\tfrac1N\sum_i \operatorname{Var}_{p_\beta}[z_i] \ge 0`; the root of the
    derivative is found by Newton steps kept inside a shrinking bracket.

    Parameters
    ----------
    logits : (N, C) class logits, or (N,) binary logits (the positive class).
    y : (N,) integer labels (0/1 for binary logits).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 3, size=2000)
    >>> calibrated = rng.normal(size=(2000, 3)) + 2.0 * np.eye(3)[y]
    >>> print(round(fit_temperature(calibrated * 3.0, y) / fit_temperature(calibrated, y), 2))
    3.0
    """
    z, labels = _temperature_problem(logits, y)
    true_logit = z[np.arange(len(z)), labels]

    def slope(beta):  # dNLL/dbeta and d2NLL/dbeta2
        p = softmax(beta * z)
        mean_z = np.sum(p * z, axis=1)
        return np.mean(mean_z - true_logit), np.mean(np.sum(p * z * z, axis=1) - mean_z**2)

    lo, hi = 0.0, 1.0
    if slope(lo)[0] >= 0:
        raise ValueError(
            "logits rank the true class no higher than an average class, so no positive temperature "
            "improves on the uniform prediction; check that y matches the logits' class order."
        )
    # "<= 0", not "< 0": on separable logits the slope underflows to exactly 0 and would pass for an optimum.
    while slope(hi)[0] <= 0:  # NLL still falling: the optimum is at a larger beta
        lo, hi = hi, hi * 2
        if hi > 1e12:
            raise ValueError(
                "the NLL keeps falling as T -> 0: the logits separate the classes perfectly, "
                "so there is no finite best temperature. Fit it on held-out data."
            )
    beta = (lo + hi) / 2
    for _ in range(max_iter):
        d1, d2 = slope(beta)
        if abs(d1) < tol:
            break
        lo, hi = (beta, hi) if d1 < 0 else (lo, beta)
        if hi - lo < tol * hi:
            break
        newton = beta - d1 / d2 if d2 > 0 else -1.0
        beta = newton if lo < newton < hi else (lo + hi) / 2  # Newton, unless it leaves the bracket
    return 1.0 / beta


def temperature_nll(logits, y, temperature) -> float:
    """Mean negative log-likelihood of ``softmax(logits / temperature)``, the quantity :func:`fit_temperature` minimises."""
    z, labels = _temperature_problem(logits, y)
    t = np.asarray(temperature, dtype=np.float64)
    if np.any(~(t > 0)) or not np.all(np.isfinite(t)):
        raise ValueError(f"temperature must be positive and finite; got {temperature!r}.")
    true_logit = z[np.arange(len(z)), labels]
    beta = 1.0 / t.reshape(-1)
    nll = [np.mean(logsumexp(b * z) - b * true_logit) for b in beta]
    return float(nll[0]) if t.ndim == 0 else np.array(nll).reshape(t.shape)
