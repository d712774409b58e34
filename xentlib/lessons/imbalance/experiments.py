r"""The fixed experiment of notebook 06: a 99:1 screening test, its data sets and its trained models.

The running example is a screening test: one measurement :math:`x` per
person, healthy people (:math:`y = 0`, 99 %) around :math:`x = -1.5`, sick
people (:math:`y = 1`, 1 %) around :math:`x = +1.5`, both with unit spread
(:func:`xentlib.datasets.screening_data`).  A logistic model is exactly
right for these data: the true log-odds are

.. math:: \ln\frac{P(y=1\mid x)}{P(y=0\mid x)} = 3x + \ln\frac{0.01}{0.99} = 3x - 4.595 .

Every model is trained once, by :func:`xentlib.models.fit_logistic`, and
cached (:func:`trained`, :func:`focal_fit`), so the sliders only move
through stored results.  Precision and recall are measured on a separate
test set of 100 000 people (:func:`outcome`).  NumPy only.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ..._validation import check_int, check_scalar
from ...datasets import screening_data
from ...imbalance import (
    balanced_class_weights,
    balanced_resample,
    class_gradient_contributions,
    class_priors,
    confusion_matrix,
    logit_adjustment,
    precision_recall,
    resampled_gradients,
)
from ...models import LogisticFit, fit_logistic

__all__ = [
    "MINORITY",
    "SEPARATION",
    "GAMMAS",
    "TAUS",
    "training_data",
    "held_out_data",
    "trained",
    "focal_fit",
    "Outcome",
    "outcome",
    "outcomes",
    "bias_pulls",
    "ResampleCloud",
    "resample_cloud",
]

#: Fraction of positives in the running example.
MINORITY = 0.01
#: Distance between the two class means (in units of their common standard deviation).
SEPARATION = 3.0
#: The focusing exponents the focal-loss figure has trained models for (its slider's steps).
GAMMAS = tuple(float(g) for g in np.arange(0.0, 5.01, 0.5))
#: The logit-adjustment strengths the threshold figure has measured (its slider's steps).
TAUS = tuple(round(float(t), 2) for t in np.arange(0.0, 2.001, 0.05))


def _frozen(*arrays):
    for a in arrays:
        a.flags.writeable = False
    return arrays


@functools.lru_cache(maxsize=None)
def training_data():
    """The notebook's training set: 10 000 people, 100 of them positive (read-only arrays)."""
    return _frozen(*screening_data())


@functools.lru_cache(maxsize=None)
def held_out_data():
    """A separate test set from the same population: 100 000 people, 1 000 positive (read-only arrays)."""
    return _frozen(*screening_data(100_000, seed=1))


@functools.lru_cache(maxsize=None)
def trained(kind: str) -> LogisticFit:
    """Logistic regression on :func:`training_data`, trained once per kernel.

    ``kind``: ``"plain"`` (cross-entropy), ``"weighted"`` (cross-entropy with
    :func:`~xentlib.imbalance.balanced_class_weights`) or ``"resampled"``
    (plain cross-entropy on one class-balanced resample of 10 000 draws per class, seed 2).
    """
    X, y = training_data()
    if kind == "plain":
        return fit_logistic(X, y)
    if kind == "weighted":
        return fit_logistic(X, y, class_weight=balanced_class_weights(y))
    if kind == "resampled":
        idx = balanced_resample(y, 10_000, seed=2)
        return fit_logistic(X[idx], y[idx])
    raise ValueError(f"kind must be 'plain', 'weighted' or 'resampled'; got {kind!r}.")


@functools.lru_cache(maxsize=None)
def focal_fit(gamma: float, weighted: bool = False) -> LogisticFit:
    """Logistic regression trained on focal loss with exponent ``gamma`` (and balanced class weights if ``weighted``).

    ``gamma = 0`` is the cross-entropy fit.  Cached per (gamma, weighted).
    """
    X, y = training_data()
    gamma = check_scalar(gamma, "gamma")
    previous = [g for g in GAMMAS if g < gamma]
    init = None
    if previous:  # start from the neighbouring gamma's solution: a few Newton steps instead of ten
        near = focal_fit(previous[-1], weighted)
        init = (near.w, near.b)
    return fit_logistic(X, y, gamma=gamma, class_weight=balanced_class_weights(y) if weighted else None, init=init)


class Outcome(NamedTuple):
    """What a model's decisions do on the test set, for the positive (minority) class."""

    recall: float  # fraction of the positives flagged
    precision: float  # fraction of the flags that are positives
    caught: int  # true positives
    positives: int  # positives in the test set
    alarms: int  # flagged people (true + false positives)
    boundary: float  # the x above which a person is flagged


def outcome(fit: LogisticFit, tau: float = 0.0) -> Outcome:
    r"""Recall and precision on :func:`held_out_data` when ``fit`` flags :math:`z - \tau \ln(\pi_1/\pi_0) > 0`.

    The priors :math:`\pi` are the training set's class frequencies;
    ``tau = 0`` is the default threshold :math:`p > \tfrac12`.

    Examples
    --------
    >>> o = outcome(trained("plain"))
    >>> print(f"recall {o.recall:.3f}, precision {o.precision:.3f}, {o.caught} of {o.positives} caught")
    recall 0.535, precision 0.729, 535 of 1000 caught
    """
    return outcomes(fit, [tau])[0]


def outcomes(fit: LogisticFit, taus) -> list[Outcome]:
    """:func:`outcome` for several adjustment strengths, computing the test-set logits once."""
    X, y = held_out_data()
    priors = class_priors(training_data()[1])
    log_odds = math.log(priors[1]) - math.log(priors[0])
    z = fit.logits(X)
    out = []
    for tau in taus:
        tau = check_scalar(tau, "tau")
        flags = logit_adjustment(z, priors, tau=tau) > 0
        precision, recall = precision_recall(y, flags)
        (_, fp), (fn, tp) = confusion_matrix(y, flags, 2)
        out.append(Outcome(recall, precision, int(tp), int(tp + fn), int(tp + fp), float((tau * log_odds - fit.b) / fit.w[0])))
    return out


def bias_pulls(minority: float, bias: float, *, weighted: bool = False, n: int = 10_000):
    r"""How hard each class pulls on the bias of a model with :math:`w = 0`: (majority, minority).

    The pull of class c is :math:`-G_{c,b}`, its part of the negative gradient
    :math:`-\partial L/\partial b` (where gradient descent moves the bias;
    :func:`~xentlib.imbalance.class_gradient_contributions`), on ``n`` labels
    of which ``round(minority * n)`` are 1.  With plain cross-entropy these are
    :math:`-\pi_0\,\sigma(b)` and :math:`\pi_1\,(1 - \sigma(b))`.

    Examples
    --------
    >>> print(np.round(bias_pulls(0.01, 0.0), 4))
    [-0.495  0.005]
    >>> print(np.round(bias_pulls(0.01, 0.0, weighted=True), 4))
    [-0.25  0.25]
    """
    y = _labels(minority, n)
    weights = balanced_class_weights(y) if weighted else None
    g = class_gradient_contributions(np.zeros((len(y), 1)), y, [0.0], bias, class_weight=weights)
    return -g[:, -1]


def _labels(minority: float, n: int) -> np.ndarray:
    n1 = max(1, int(round(minority * n)))
    return np.concatenate([np.zeros(n - n1, dtype=int), np.ones(n1, dtype=int)])


class ResampleCloud(NamedTuple):
    """Gradients of plain CE on many balanced resamples, at one model state, and the two full-data gradients.

    Columns are :math:`(\\partial L/\\partial w, \\partial L/\\partial b)`.
    """

    gradients: np.ndarray  # (K, 2): one per resample
    running_mean: np.ndarray  # (K, 2): mean of the first k + 1
    weighted: np.ndarray  # (2,): weighted CE on all the data
    plain: np.ndarray  # (2,): plain CE on all the data


@functools.lru_cache(maxsize=None)
def resample_cloud(state: str, per_class: int, n_resamples: int = 400, seed: int = 3) -> ResampleCloud:
    """Plain-CE gradients on ``n_resamples`` balanced resamples of :func:`training_data` (cached).

    ``state`` is ``"init"`` (:math:`w = 0, b = 0`) or ``"plain fit"`` (the
    plain cross-entropy solution, where the plain gradient is zero).
    """
    X, y = training_data()
    if state == "init":
        w, b = np.zeros(1), 0.0
    elif state == "plain fit":
        fit = trained("plain")
        w, b = fit.w, fit.b
    else:
        raise ValueError(f"state must be 'init' or 'plain fit'; got {state!r}.")
    idx = balanced_resample(y, check_int(per_class, "per_class", 1), n_resamples=n_resamples, seed=seed)
    grads = resampled_gradients(X, y, w, b, idx)
    running = np.cumsum(grads, axis=0) / np.arange(1, len(grads) + 1)[:, None]
    weighted = class_gradient_contributions(X, y, w, b, class_weight=balanced_class_weights(y)).sum(axis=0)
    plain = class_gradient_contributions(X, y, w, b).sum(axis=0)
    return ResampleCloud(grads, running, weighted, plain)
