r"""The chain rule of cross-entropy, factor by factor: why its gradient on the logits is "prediction minus target".

Each function spells out the factors of :math:`dL/dz = dL/dp \cdot dp/dz`
(so a notebook can print them and watch :math:`p(1-p)` cancel), for sigmoid
+ binary cross-entropy and for softmax + cross-entropy.  To *train*, use the
fused gradients of :mod:`xentlib.losses`, which never divide.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_int
from .links import sigmoid, softmax
from .losses import binary_cross_entropy_grad

__all__ = ["sigmoid_derivative", "BCEChainRule", "bce_chain_rule", "softmax_jacobian", "SoftmaxChainRule",
           "softmax_ce_chain_rule"]


def sigmoid_derivative(z):
    r"""Derivative of the logistic function, :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`.

    .. math:: \frac{d\sigma}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\sigma(-z) = p\,(1 - p)

    Parameters
    ----------
    z : array_like of finite floats (logits).

    Returns
    -------
    ndarray, same shape, in (0, 1/4]; largest at ``z = 0``.

    Notes
    -----
    Computed as :math:`\sigma(z)\sigma(-z)` rather than :math:`p(1-p)`: forming
    ``1 - p`` rounds to 0 once :math:`p` is within 1e-16 of 1, while
    :math:`\sigma(-z)` stays accurate.

    Examples
    --------
    >>> print(sigmoid_derivative([0.0, 2.0, 40.0]))
    [2.5000e-01 1.0499e-01 4.2484e-18]
    """
    return sigmoid(z) * sigmoid(-as_float_array(z, "z"))


class BCEChainRule(NamedTuple):
    """The factors of :math:`dL/dz = dL/dp \\cdot dp/dz` for sigmoid + binary cross-entropy."""

    p: np.ndarray  #: sigmoid(z)
    dloss_dp: np.ndarray  #: (p - y) / (p (1 - p))
    dp_dz: np.ndarray  #: p (1 - p)
    dloss_dz: np.ndarray  #: their product, which equals p - y


def bce_chain_rule(z, y) -> BCEChainRule:
    r"""Each factor of the chain rule for :math:`L = \mathrm{BCE}(\sigma(z), y)`, per example.

    .. math::
        \frac{\partial L}{\partial p} = \frac{p - y}{p(1-p)}, \qquad
        \frac{dp}{dz} = p(1-p), \qquad
        \frac{\partial L}{\partial z} = \frac{p - y}{p(1-p)}\cdot p(1-p) = p - y

    Parameters
    ----------
    z : array_like of logits with :math:`|z| \lesssim 30`, so that :math:`p` stays
        strictly inside (0, 1) in float64 and :math:`\partial L/\partial p` is finite.
    y : array_like in [0, 1], same shape (hard or soft labels).

    Returns
    -------
    BCEChainRule of arrays, each the shape of ``z``.

    Notes
    -----
    The product is formed from the two factors on purpose: the point is to see
    :math:`p(1-p)` cancel.  To *train*, use
    :func:`xentlib.binary_cross_entropy_with_logits_grad`, which never divides.

    Examples
    --------
    >>> parts = bce_chain_rule([2.0], [1.0])
    >>> print(parts.p, parts.dloss_dp, parts.dp_dz, parts.dloss_dz)
    [0.8808] [-1.1353] [0.105] [-0.1192]
    """
    z = as_float_array(z, "z", dtype=np.float64)
    p = sigmoid(z)
    dloss_dp = binary_cross_entropy_grad(p, y, reduction="none")
    dp_dz = sigmoid_derivative(z)
    return BCEChainRule(p, dloss_dp, dp_dz, dloss_dp * dp_dz)


def softmax_jacobian(z):
    r"""Jacobian of the softmax of one logit vector.

    .. math:: J_{ij} = \frac{\partial p_i}{\partial z_j} = p_i\,(\delta_{ij} - p_j), \qquad J = \operatorname{diag}(p) - p\,p^\top

    Parameters
    ----------
    z : array_like (C,) of finite logits.

    Returns
    -------
    ndarray (C, C), symmetric; every row and column sums to 0 (the probabilities always sum to 1).

    Examples
    --------
    >>> print(softmax_jacobian([0.0, 0.0]))
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    """
    z = as_float_array(z, "z", dtype=np.float64)
    if z.ndim != 1:
        raise ValueError(f"z must be one logit vector, shape (C,); got shape {z.shape}.")
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


class SoftmaxChainRule(NamedTuple):
    """The factors of :math:`\\nabla_z L = J^\\top \\nabla_p L` for softmax + cross-entropy."""

    p: np.ndarray  #: softmax(z), shape (C,)
    dloss_dp: np.ndarray  #: -1/p_k at the true class k, 0 elsewhere
    jacobian: np.ndarray  #: dp_i/dz_j, shape (C, C)
    dloss_dz: np.ndarray  #: J^T dL/dp, which equals p - onehot(k)


def softmax_ce_chain_rule(z, k: int) -> SoftmaxChainRule:
    r"""Each factor of the chain rule for :math:`L = -\log \operatorname{softmax}(z)_k`.

    .. math::
        \frac{\partial L}{\partial z_j} = \sum_i \frac{\partial L}{\partial p_i}\frac{\partial p_i}{\partial z_j}
        = -\frac{1}{p_k}\, p_k(\delta_{kj} - p_j) = p_j - \delta_{kj}

    Parameters
    ----------
    z : array_like (C,) of finite logits.
    k : int in [0, C). The true class.

    Examples
    --------
    >>> parts = softmax_ce_chain_rule([2.0, 1.0, 0.1], 0)
    >>> print(parts.dloss_dp, parts.dloss_dz)
    [-1.5174  0.      0.    ] [-0.341   0.2424  0.0986]
    """
    jac = softmax_jacobian(z)
    p = softmax(as_float_array(z, "z", dtype=np.float64))
    k = check_int(k, "k", 0)
    if k >= len(p):
        raise ValueError(f"k must be a class index in [0, {len(p)}); got {k}.")
    dloss_dp = np.zeros_like(p)
    dloss_dp[k] = -1.0 / p[k]
    return SoftmaxChainRule(p, dloss_dp, jac, jac.T @ dloss_dp)
