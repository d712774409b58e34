"""Two Gaussian classes apart along the first axis: samples, splits and their logistic Bayes posterior."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_in_range, check_int, check_positive
from ..links import sigmoid

__all__ = ["two_gaussians", "sgd_data", "true_probability", "Splits", "gaussian_splits", "screening_data",
           "bayes_data"]


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


def sgd_data(n: int = 30, *, seed: int = 1):
    """The 1-D data set of the SGD stepper: two Gaussian classes at -1 and +1 (``two_gaussians``)."""
    return two_gaussians(n, separation=2.0, seed=seed)


def true_probability(x, *, separation: float = 2.0):
    r"""The Bayes posterior of :func:`xentlib.datasets.two_gaussians` with equal priors and unit variance.

    .. math:: P(y = 1 \mid x) = \frac{\tfrac12 \mathcal N(x_1; +s/2, 1)}{\tfrac12 \mathcal N(x_1; -s/2, 1)
              + \tfrac12 \mathcal N(x_1; +s/2, 1)} = \sigma(s\, x_1)

    Parameters
    ----------
    x : array_like, the first coordinate :math:`x_1` (a scalar, shape (N,), or (N, d): column 0 is used).
    separation : float > 0, the distance :math:`s` between the class means.

    Examples
    --------
    >>> print(true_probability([0.0, 1.0]))      # 0.5 on the boundary, sigmoid(2) at x = 1
    [0.5    0.8808]
    """
    s = check_positive(separation, "separation")
    x = as_float_array(x, "x", dtype=np.float64)
    return sigmoid(s * (x[:, 0] if x.ndim == 2 else x))


class Splits(NamedTuple):
    """A data set cut into a training, a validation (for fitting a temperature) and a test split."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def gaussian_splits(n_train: int = 60, n_val: int = 1000, n_test: int = 2000, *, separation: float = 2.0,
                    seed: int = 0) -> Splits:
    r"""Two overlapping 2-d Gaussian classes, split into train / validation / test.

    One sample of :func:`xentlib.datasets.two_gaussians` (``dim=2``, means
    :math:`\mp s/2` on the first axis), cut in that order.  The draws are
    independent, so each split is a fresh sample of the same distribution;
    the second coordinate is pure noise, something for a flexible model to
    overfit.

    Examples
    --------
    >>> data = gaussian_splits(10, 20, 30)
    >>> print(data.X_train.shape, data.y_val.shape, data.X_test.shape)
    (10, 2) (20,) (30, 2)
    """
    sizes = [check_int(n, name, 2) for n, name in ((n_train, "n_train"), (n_val, "n_val"), (n_test, "n_test"))]
    X, y = two_gaussians(sum(sizes), separation=separation, dim=2, seed=seed)
    cuts = np.cumsum(sizes)[:-1]
    (X_tr, X_va, X_te), (y_tr, y_va, y_te) = np.split(X, cuts), np.split(y, cuts)
    return Splits(X_tr, y_tr, X_va, y_va, X_te, y_te)


def screening_data(n: int = 10_000, *, minority: float = 0.01, separation: float = 3.0, seed: int = 0):
    r"""One-feature data with an exact class ratio: ``round(minority * n)`` positives.

    Class 0 is :math:`\mathcal N(-s/2, 1)`, class 1 is :math:`\mathcal N(s/2, 1)`
    with :math:`s` = ``separation``; so the Bayes log-odds are
    :math:`s\,x + \ln(\pi_1/\pi_0)` and logistic regression is the right model.
    Unlike :func:`xentlib.datasets.two_gaussians` (which draws each label at
    random), the number of positives is fixed, so "99:1" is exactly 99:1.

    Returns
    -------
    X : ndarray (n, 1), negatives first;  y : int ndarray (n,).

    Examples
    --------
    >>> X, y = screening_data(1000)
    >>> print(X.shape, y.sum(), np.bincount(y).tolist())
    (1000, 1) 10 [990, 10]
    """
    n = check_int(n, "n", 2)
    minority = check_in_range(minority, "minority", 0.0, 0.5, "The minority is the rarer class: at most half.")
    check_positive(separation, "separation")
    n1 = int(round(minority * n))
    if n1 < 1:
        raise ValueError(f"minority * n must round to at least one positive; got {minority} * {n}. Increase n.")
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(-separation / 2, 1.0, n - n1), rng.normal(separation / 2, 1.0, n1)])
    y = np.concatenate([np.zeros(n - n1, dtype=int), np.ones(n1, dtype=int)])
    return x[:, None], y


@functools.lru_cache(maxsize=None)
def bayes_data():
    r"""A small, high-dimensional logistic problem where the prior matters: ``(X, y, X_test, y_test)``.

    40 training and 4000 test points in 10 dimensions: two unit Gaussians
    1.5 apart along :math:`x_1` only, so the other nine features are pure
    noise, and with 40 points a model can fit that noise.  (Treat the arrays
    as read-only: they are cached.)

    Examples
    --------
    >>> X, y, X_test, y_test = bayes_data()
    >>> print(X.shape, X_test.shape, y.mean())
    (40, 10) (4000, 10) 0.5
    """
    X, y = two_gaussians(40, separation=1.5, dim=10, seed=1)
    X_test, y_test = two_gaussians(4000, separation=1.5, dim=10, seed=2)
    return X, y, X_test, y_test
