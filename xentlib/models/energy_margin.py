"""The energy-margin fine-tuning of a :class:`~xentlib.models.SoftmaxRegression`: cross-entropy plus the margin loss on outliers."""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from .._validation import (
    as_float_array,
    check_class_labels,
    check_finite,
    check_int,
    check_margins,
    check_positive,
    check_scalar,
)
from ..losses import softmax_cross_entropy_and_grad
from ..ood import energy_margin_terms
from .softmax import SoftmaxRegression

__all__ = ["MarginHistory", "fit_energy_margin"]


class MarginHistory(NamedTuple):
    """Per step of :func:`fit_energy_margin` (step 0 = the start): the cross-entropy, both margin terms, the accuracy."""

    ce: np.ndarray
    margin_in: np.ndarray
    margin_out: np.ndarray
    accuracy: np.ndarray


def fit_energy_margin(model, X_in, y_in, X_out, *, m_in: float = -7.0, m_out: float = -2.0, weight: float = 0.1,
                      lr: float = 0.2, steps: int = 300, temperature: float = 1.0,
                      callback: Callable | None = None) -> MarginHistory:
    r"""Train (or fine-tune) a :class:`~xentlib.models.SoftmaxRegression` on cross-entropy plus the energy-margin loss.

    Full-batch gradient descent on

    .. math:: J = \frac{1}{n_{\text{in}}}\sum_i \mathrm{CE}(z_i, y_i) + \lambda\, L_{\text{energy}}(z_{\text{in}}, z_{\text{out}})
              + \tfrac{\ell_2}{2}\lVert W \rVert^2,

    where ``X_out`` are auxiliary outliers (inputs known *not* to belong to
    any class) and :math:`\lambda` is ``weight`` (0.1 in Liu et al.).  The
    gradient reaches the weights through :math:`z = XW + b`:
    :math:`\partial J/\partial W = X_{\text{in}}^\top g_{\text{in}} + X_{\text{out}}^\top g_{\text{out}} + \ell_2 W`.
    The model's ``l2``, ``class_weight`` and ``label_smoothing`` apply.

    ``callback(t, model)``, if given, runs after step ``t`` (``t = 0`` is the start).

    Examples
    --------
    >>> X_in = np.array([[-2.0], [2.0]]); y_in = np.array([0, 1]); X_out = np.array([[0.0]])
    >>> model = SoftmaxRegression(1, 2)
    >>> h = fit_energy_margin(model, X_in, y_in, X_out, m_in=-4.0, m_out=-1.0, weight=1.0, lr=0.1, steps=300)
    >>> print(h.margin_in[0] > 1, h.margin_in[-1] < 0.05, h.accuracy[-1])
    True True 1.0
    """
    if not isinstance(model, SoftmaxRegression):
        raise TypeError(f"model must be a xentlib.models.SoftmaxRegression; got {type(model).__name__}.")
    n_features = model.W.shape[0]
    X_in, X_out = (check_finite(as_float_array(X, name, dtype=np.float64), name)
                   for X, name in ((X_in, "X_in"), (X_out, "X_out")))
    for X, name in ((X_in, "X_in"), (X_out, "X_out")):
        if X.ndim != 2 or X.shape[1] != n_features or not len(X):
            raise ValueError(f"{name} must have shape (N, {n_features}) with N >= 1, the model's features; "
                             f"got shape {X.shape}.")
    y_in = check_class_labels(y_in, model.n_classes, "y_in")
    if y_in.shape != (len(X_in),):
        raise ValueError(f"y_in must have one integer label per row of X_in, shape ({len(X_in)},); got shape {y_in.shape}.")
    lo, hi = check_margins(m_in, m_out)
    lam = check_scalar(weight, "weight")
    if not (0 <= lam < math.inf):
        raise ValueError(f"weight must be a finite number >= 0; got {weight!r}. It is lambda in CE + lambda * L_energy.")
    lr, steps = check_positive(lr, "lr"), check_int(steps, "steps", 0)
    t_ = check_positive(temperature, "temperature")
    record = {"ce": [], "margin_in": [], "margin_out": [], "accuracy": []}
    for t in range(steps + 1):
        z_in, z_out = X_in @ model.W + model.b, X_out @ model.W + model.b
        ce, g_ce = softmax_cross_entropy_and_grad(z_in, y_in, class_weight=model.class_weight,
                                                  label_smoothing=model.label_smoothing)
        a, b, g_in, g_out = energy_margin_terms(z_in, z_out, lo, hi, t_)
        record["ce"].append(float(ce))
        record["margin_in"].append(a)
        record["margin_out"].append(b)
        record["accuracy"].append(float(np.mean(z_in.argmax(axis=1) == y_in)))
        if callback is not None:
            callback(t, model)  # the model after t steps
        if t < steps:  # step t + 1, from the gradients of this pass; the last pass only records
            g_in = g_ce + lam * g_in
            g_out = lam * g_out
            grad_W = X_in.T @ g_in + X_out.T @ g_out + model.l2 * model.W
            grad_b = g_in.sum(axis=0) + g_out.sum(axis=0)
            model.W -= lr * grad_W
            model.b -= lr * grad_b
    return MarginHistory(*(np.array(v) for v in record.values()))
