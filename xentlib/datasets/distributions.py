"""Distributions given outright, not sampled from features: two forecasters, a loaded die, a bimodal density."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_in_range, check_int
from ..gaussian_fits import gaussian_mixture_on_grid

__all__ = ["Forecasters", "two_forecasters", "LOADED_DIE", "die_rolls", "KL_GRID", "bimodal_target"]


class Forecasters(NamedTuple):
    """Labels and the probability of class 1 given by two forecasters on the same examples."""

    y: np.ndarray
    hesitant: np.ndarray
    confident: np.ndarray


def two_forecasters(n: int = 20, n_wrong: int = 2, *, hesitant: float = 0.6, confident: float = 0.99,
                    blunder: float = 1e-6) -> Forecasters:
    r"""Two forecasters who get the same examples wrong, one hesitantly and one confidently.

    Half of the ``n`` labels are 1.  On the ``n - n_wrong`` examples both get
    right, the hesitant forecaster gives the true class probability
    ``hesitant`` and the confident one ``confident``; on the ``n_wrong``
    examples both get wrong, they give the true class ``1 - hesitant`` and
    ``blunder`` respectively.  Accuracy is therefore equal, and per example

    .. math:: (p - y)^2 = (1 - p_{\text{true}})^2 \le 1, \qquad -\ln p_{\text{true}} \to \infty \text{ as } p_{\text{true}} \to 0 .

    Examples
    --------
    >>> from xentlib.losses import binary_cross_entropy, brier_score
    >>> f = two_forecasters()
    >>> print(round(brier_score(f.confident, f.y), 4), round(binary_cross_entropy(f.confident, f.y), 3))
    0.1 1.391
    """
    n = check_int(n, "n", 2)
    n_wrong = check_int(n_wrong, "n_wrong", 0)
    if n_wrong > n:
        raise ValueError(f"n_wrong must be at most n = {n}; got {n_wrong}.")
    for value, name in ((hesitant, "hesitant"), (confident, "confident"), (blunder, "blunder")):
        check_in_range(value, name, 0.0, 1.0, "it is the probability given to the true class.")
    y = (np.arange(n) % 2 == 0).astype(float)
    wrong = np.arange(n) >= n - n_wrong
    true_class_hesitant = np.where(wrong, 1 - hesitant, hesitant)
    true_class_confident = np.where(wrong, blunder, confident)
    to_class_one = lambda q: np.where(y == 1, q, 1 - q)  # noqa: E731  probability of the true class -> of class 1
    return Forecasters(y, to_class_one(true_class_hesitant), to_class_one(true_class_confident))


#: The true face probabilities of the loaded die of section 1 (six is favoured).
LOADED_DIE = np.array([0.12, 0.12, 0.12, 0.12, 0.12, 0.40])


def die_rolls(n: int = 60, *, seed: int = 0) -> np.ndarray:
    """``n`` rolls of :data:`LOADED_DIE`, as faces 0..5 (face 5 is the six).

    Examples
    --------
    >>> rolls = die_rolls(10, seed=1)
    >>> print(rolls.shape, rolls.min() >= 0, rolls.max() <= 5)
    (10,) True True
    """
    n = check_int(n, "n", 1)
    return np.random.default_rng(seed).choice(6, size=n, p=LOADED_DIE)


#: The grid every density of the KL figure lives on: [-16, 16] in steps of 1/16, wide enough that even the
#: broadest forward fit (sigma about 4) is not cut off by its ends.
KL_GRID = np.linspace(-16.0, 16.0, 513)


def bimodal_target(separation: float, weight: float = 0.5) -> np.ndarray:
    r"""Two unit-width Gaussian humps at :math:`\mp d/2` on :data:`KL_GRID`, the left one with mass ``weight``.

    .. math:: p(x) \propto w\, \mathcal N(x; -d/2, 1) + (1 - w)\, \mathcal N(x; d/2, 1)

    Examples
    --------
    >>> p = bimodal_target(4.0, 0.5)
    >>> print(round(p.sum(), 12), round(p @ KL_GRID, 12) + 0.0)
    1.0 0.0
    """
    d = check_in_range(separation, "separation", 0.0, 12.0, "It is the distance between the humps, in hump widths.")
    w = check_in_range(weight, "weight", 0.0, 1.0, "It is the share of the mass in the left hump.")
    return gaussian_mixture_on_grid(KL_GRID, [-d / 2, d / 2], [1.0, 1.0], [w, 1.0 - w])
