r"""The loss as a function of a model's weights: its values, its curvature, and a bound on that curvature.

Two views of one landscape, both taught in notebooks 03 and 04:

* along the single weight of :math:`p = \sigma(w x)` (no bias): the mean loss
  :func:`loss_along_weight` and its second derivative
  :func:`curvature_along_weight`, in closed form for cross-entropy and for
  squared error on the sigmoid (the losses of :data:`xentlib.losses.LOSSES`),
  and the bound :func:`lipschitz_constant` that cross-entropy's curvature
  never exceeds;
* over many weight vectors of :math:`\sigma(w^\top f + b)` at once: the
  mean cross-entropy :func:`linear_losses`, and its lowest point on a grid,
  :func:`best_on_grid`.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_binary_labels
from .links import sigmoid
from .losses import LOSSES

__all__ = ["loss_along_weight", "curvature_along_weight", "lipschitz_constant", "linear_losses", "best_on_grid"]

_CE = "cross-entropy"


# --------------------------------------------------------------------------- along one weight

def _one_feature(x, y):
    x = as_float_array(x, "x", dtype=np.float64).reshape(-1)
    y = as_float_array(y, "y", dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have one value per example; got shapes {x.shape} and {y.shape}.")
    return x, y


def loss_along_weight(w, x, y, *, loss: str = _CE) -> np.ndarray:
    r"""Mean training loss of the one-feature model :math:`p = \sigma(w x)` (no bias), for each weight in ``w``.

    .. math:: L(w) = \frac1N \sum_i \ell\big(w x_i,\, y_i\big)

    with :math:`\ell` the loss named ``loss`` (see :data:`xentlib.losses.LOSSES`).

    Examples
    --------
    >>> print(loss_along_weight([0.0], [1.0, -1.0], [1, 0]))   # p = 0.5 everywhere: ln 2
    [0.6931]
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}.")
    x, y = _one_feature(x, y)
    w = as_float_array(w, "w", dtype=np.float64).reshape(-1)
    z = np.outer(w, x)
    return LOSSES[loss][0](z, np.broadcast_to(y, z.shape), reduction="none").mean(axis=1)


def curvature_along_weight(w, x, y, *, loss: str = _CE) -> np.ndarray:
    r"""Second derivative :math:`L''(w)` of :func:`loss_along_weight`, in closed form.

    With :math:`p_i = \sigma(w x_i)` and :math:`\sigma' = p(1-p)`:

    .. math::
        L''_{\text{CE}}(w) = \frac1N \sum_i p_i (1 - p_i)\, x_i^2 \;\ge 0,
        \qquad
        L''_{\text{MSE}}(w) = \frac1N \sum_i 2\, p_i (1 - p_i)\big[p_i (1 - p_i) + (p_i - y_i)(1 - 2 p_i)\big]\, x_i^2 .

    The first is never negative (convex) and at most :math:`\tfrac14 \overline{x^2}`;
    the second turns negative where the sigmoid saturates on the wrong side.

    Examples
    --------
    >>> print(curvature_along_weight([0.0], [2.0], [1]))   # p(1-p) x^2 = 1/4 * 4
    [1.]
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}.")
    x, y = _one_feature(x, y)
    w = as_float_array(w, "w", dtype=np.float64).reshape(-1)
    z = np.outer(w, x)
    p, q = sigmoid(z), sigmoid(-z)  # q = 1 - p without cancellation
    slope = p * q  # sigma'(z)
    if loss == _CE:
        per = slope
    else:
        per = 2 * slope * (slope + (p - y) * (q - p))  # q - p = 1 - 2p
    return (per * x**2).mean(axis=1)


def lipschitz_constant(X, *, bias: bool = True) -> float:
    r"""Bound on the curvature of the mean logistic cross-entropy in the weights.

    The Hessian is :math:`\frac1N \sum_i p_i(1-p_i)\, \tilde x_i \tilde x_i^\top` with
    :math:`\tilde x = (x, 1)` when there is a bias, and :math:`p(1-p) \le \tfrac14`, so

    .. math:: L = \tfrac14\, \lambda_{\max}\Big(\tfrac1N \tilde X^\top \tilde X\Big)

    bounds it for every weight: the gradient is :math:`L`-Lipschitz, and gradient
    descent with step :math:`\eta \le 1/L` lowers the loss at every step.

    Examples
    --------
    >>> print(lipschitz_constant([[1.0], [-1.0]], bias=False))
    0.25
    """
    X = as_float_array(X, "X", dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if bias:
        X = np.column_stack([X, np.ones(len(X))])
    return float(np.linalg.eigvalsh(X.T @ X / len(X))[-1] / 4)


# --------------------------------------------------------------------------- over many weights at once

def linear_losses(F, y, weights, b=0.0) -> np.ndarray:
    r"""Mean cross-entropy of the linear model :math:`\sigma(w^\top f + b)` for many weight vectors at once.

    .. math:: L(w, b) = \frac1N \sum_{i=1}^N \ell\big(w^\top f_i + b,\; y_i\big),
              \qquad \ell(z, y) = \operatorname{softplus}(z) - y z

    Parameters
    ----------
    F : array_like (N, d). Features of the N examples.
    y : array_like (N,) of 0/1 labels.
    weights : array_like (..., d). Any number of weight vectors.
    b : float or array_like broadcasting against ``weights[..., 0]``. Biases.

    Returns
    -------
    ndarray of shape ``weights.shape[:-1]``: the mean loss (nats) of each model.

    Notes
    -----
    Computed as :math:`\frac1N\sum_i \operatorname{softplus}(z_i) - \frac1N w^\top F^\top y - b\,\bar y`
    (stable for any logit; the same numbers as
    :func:`xentlib.binary_cross_entropy_with_logits`, which the tests check); the grid of logits has ``prod(weights.shape[:-1]) * N`` entries.

    Examples
    --------
    >>> from xentlib.datasets import xor_data
    >>> X, y = xor_data(8, noise=0.0)
    >>> print(linear_losses(X, y, [[0.0, 0.0], [1.0, 1.0]]).round(4).tolist())   # w = 0 gives ln 2
    [0.6931, 0.91]
    """
    F = as_float_array(F, "F", dtype=np.float64)
    W = as_float_array(weights, "weights", dtype=np.float64)
    if F.ndim != 2 or W.shape[-1:] != F.shape[1:]:
        raise ValueError(f"weights must end in the number of features {F.shape[1:]}; got weights {W.shape}, F {F.shape}.")
    y = check_binary_labels(as_float_array(y, "y", dtype=np.float64))
    if y.shape != F.shape[:1]:
        raise ValueError(f"y must have one 0/1 label per row of F, shape ({len(F)},); got shape {y.shape}.")
    b = np.asarray(b, dtype=np.float64)
    z = W @ F.T + b[..., None]
    # mean_i [softplus(z_i) - y_i z_i], with the second term summed once through the
    # weights: mean_i y_i z_i = w . (F^T y) / N + b mean(y).  logaddexp(0, z) is a stable softplus.
    return np.logaddexp(0.0, z).mean(axis=-1) - (W @ (F.T @ y) / len(y) + b * y.mean())


def best_on_grid(X, y, b: float = 0.0, *, ws=None):
    r"""The lowest loss of :math:`\sigma(w_1 x_1 + w_2 x_2 + b)` over a grid of weights, and where it is.

    Parameters
    ----------
    X : array_like (N, 2);  y : array_like (N,) of 0/1 labels;  b : float, the bias.
    ws : 1-d array of weight values tried for both :math:`w_1` and :math:`w_2`
        (default 31 values from -3 to 3, step 0.2).

    Returns
    -------
    (loss, w1, w2) as floats.

    Examples
    --------
    >>> from xentlib.datasets import xor_data
    >>> X, y = xor_data()
    >>> print("%.4f %.1f %.1f" % best_on_grid(X, y))
    0.6931 0.0 0.0
    """
    ws = np.linspace(-3.0, 3.0, 31) if ws is None else as_float_array(ws, "ws", dtype=np.float64)
    table = linear_losses(X, y, np.stack(np.meshgrid(ws, ws), axis=-1), b)  # table[i, j]: w1 = ws[j], w2 = ws[i]
    i, j = np.unravel_index(np.argmin(table), table.shape)
    return float(table[i, j]), float(ws[j]), float(ws[i])
