"""Finite-difference gradients, the referee for every closed-form gradient."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._validation import as_float_array, check_positive

__all__ = ["numerical_grad", "gradient_check"]


def numerical_grad(f, x, *, eps: float = 1e-6) -> np.ndarray:
    r"""Central-difference gradient of a scalar function ``f`` at ``x``.

    .. math:: \frac{\partial f}{\partial x_k} \approx \frac{f(x + \epsilon e_k) - f(x - \epsilon e_k)}{2\epsilon}

    The error is :math:`O(\epsilon^2)` from truncation plus :math:`O(\delta/\epsilon)`
    from rounding in ``f``; in float64, ``eps = 1e-6`` balances the two.
    ``x`` is copied to float64, so ``f`` sees exactly the perturbed value.

    Examples
    --------
    >>> print(numerical_grad(lambda v: np.sum(v ** 2), [1.0, -2.0]))
    [ 2. -4.]
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a scalar; got {type(f).__name__}.")
    h = check_positive(eps, "eps", "Try 1e-6 in float64.")
    x = as_float_array(x, "x", dtype=np.float64).copy()
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + h
        up = float(f(x))
        flat[k] = keep - h
        down = float(f(x))
        flat[k] = keep
        out[k] = (up - down) / (2 * h)
    return grad


def gradient_check(loss: Callable, grad: Callable, x, *, eps: float = 1e-6) -> float:
    r"""Largest gap between a closed-form gradient and central finite differences.

    .. math:: \max_k \left| \frac{L(x + \epsilon e_k) - L(x - \epsilon e_k)}{2\epsilon} - g_k(x) \right|

    Parameters
    ----------
    loss : callable ``x -> float``, the scalar loss.
    grad : callable ``x -> array``, the claimed gradient, shape of ``x``.
    x : array_like, the point to check at.
    eps : float > 0, the finite-difference step.

    Returns
    -------
    float. Around 1e-10 for a correct gradient of a smooth loss in float64;
    of the size of the gradient itself for a wrong one.

    Examples
    --------
    >>> print(gradient_check(lambda v: np.sum(v ** 3), lambda v: 3 * v ** 2, [1.0, -2.0]) < 1e-8)
    True
    >>> print(round(gradient_check(lambda v: np.sum(v ** 3), lambda v: 2 * v ** 2, [1.0, -2.0]), 3))
    4.0
    """
    x = as_float_array(x, "x", dtype=np.float64)
    claimed = np.asarray(grad(x.copy()), dtype=np.float64)
    numeric = numerical_grad(loss, x, eps=eps)
    if claimed.shape != numeric.shape:
        raise ValueError(f"grad(x) must have the shape of x, {numeric.shape}; got {claimed.shape}.")
    return float(np.max(np.abs(numeric - claimed)))
