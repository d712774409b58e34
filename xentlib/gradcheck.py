"""Finite-difference gradients, the referee for every closed-form gradient."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_positive

__all__ = ["numerical_grad"]


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
