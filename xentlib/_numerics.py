"""Numerical building blocks shared by the modules: the piecewise definitions that keep 0 log 0 and 0 / 0 finite.

Private to the package: the lowest layer, importing nothing of xentlib, so
every module may use it (``from ._numerics import xlogy``).
"""

from __future__ import annotations

import numpy as np


def xlogy(x, y):
    """``x * log(y)`` with ``0 * log(anything) = 0`` and ``x * log(0) = -inf`` for x > 0 (as ``scipy.special.xlogy``)."""
    with np.errstate(divide="ignore"):  # log(0) = -inf is meant where x > 0
        return np.where(x > 0, x * np.log(np.where(x > 0, y, 1)), x.dtype.type(0))


def xdivy(x, y):
    """x / y, with 0 / 0 = 0 and x / 0 = ±inf for x != 0."""
    with np.errstate(divide="ignore"):
        return np.where(x != 0, x / np.where(x != 0, y, 1), 0).astype(x.dtype, copy=False)


def softplus_pair(z):
    """(softplus(z), softplus(-z)) = (-log(1 - sigmoid(z)), -log sigmoid(z)) with one exp."""
    tail = np.log1p(np.exp(-np.abs(z)))  # exp(-|z|) <= 1: never overflows
    return np.maximum(z, 0) + tail, np.maximum(-z, 0) + tail
