"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded)."""

from __future__ import annotations

import numpy as np

from ._validation import check_int, check_positive

__all__ = ["xor", "two_gaussians"]


def xor(n: int = 200, *, noise: float = 0.25, seed: int = 0):
    r"""Points around the four corners :math:`(\pm1, \pm1)`; label 1 where the signs of :math:`x_1, x_2` differ.

    No straight line separates the classes, but the product :math:`x_1 x_2` does
    (it is negative exactly for label 1, up to noise).

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int.

    Examples
    --------
    >>> X, y = xor(8, noise=0.0)
    >>> print(X[:4], y[:4])
    [[-1. -1.]
     [-1.  1.]
     [ 1. -1.]
     [ 1.  1.]] [0 1 1 0]
    """
    n = check_int(n, "n", 4)
    rng = np.random.default_rng(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + (rng.normal(scale=noise, size=(n, 2)) if noise > 0 else 0.0)
    y = (corners[idx, 0] * corners[idx, 1] < 0).astype(int)
    return X, y


def two_gaussians(n: int = 200, *, separation: float = 2.0, scale: float = 1.0, dim: int = 1, prior: float = 0.5, seed: int = 0):
    r"""Two Gaussian classes with means :math:`\mp\,\mathrm{separation}/2` along the first axis.

    With equal priors the Bayes posterior is a logistic function of :math:`x_1`:
    :math:`P(y=1 \mid x) = \sigma(\mathrm{separation}\cdot x_1 / \mathrm{scale}^2)`.

    Returns ``X`` (n, dim) and ``y`` (n,) int, with about ``prior * n`` positives.
    """
    n = check_int(n, "n", 2)
    check_positive(scale, "scale")
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prior).astype(int)
    X = rng.normal(scale=scale, size=(n, dim))
    X[:, 0] += np.where(y == 1, separation / 2, -separation / 2)
    return X, y
