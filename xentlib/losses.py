"""Losses and their gradients, each ``foo`` with its ``foo_grad`` beside it.

Conventions shared by every loss here:

* The first argument is what the model outputs (logits ``z``, or
  probabilities ``p`` for :func:`binary_cross_entropy`); the second is the
  target.  Hyperparameters are keyword-only.
* ``reduction="mean" | "sum" | "none"`` as in PyTorch.  ``foo_grad`` takes the
  same arguments and returns d(reduced loss)/d(first argument), in the first
  argument's shape; with ``"none"`` it is the derivative of each example's
  own loss.
* Gradients are written in closed form.  ``tests/test_gradients.py`` checks
  every one against central finite differences.
* float32 in gives float32 out; everything else becomes float64.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ._numerics import softplus_pair, xdivy, xlogy
from ._validation import (
    as_float_array,
    check_binary_labels,
    check_class_labels,
    check_distribution,
    check_finite,
    check_gamma,
    check_in_range,
    check_logits_2d,
    check_positive,
    check_probabilities,
    check_reduction,
    check_same_shape,
)
from .links import log_softmax, logsumexp, sigmoid, softmax

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "softmax_cross_entropy", "softmax_cross_entropy_grad", "softmax_cross_entropy_and_grad",
    "sigmoid_focal_loss", "sigmoid_focal_loss_grad", "focal_loss_curvature",
    "softmax_focal_loss", "softmax_focal_loss_grad",
    "sigmoid_mse_loss", "sigmoid_mse_loss_grad",
    "hinge_loss", "hinge_loss_grad",
    "zero_one_loss", "zero_one_loss_grad",
    "distillation_loss", "distillation_loss_grad",
    "brier_score", "energy_score",
    "LOSSES", "smoothed_target",
]

_LOGIT_HINT = "Logits are raw model scores; look for an overflow or a division by zero upstream."
_TARGET_HINT = "Binary targets are labels 0/1, or soft labels in between."


# --------------------------------------------------------------------------- reductions

def _reduce(per_example: np.ndarray, reduction: str, denominator=None):
    """Apply ``reduction`` to per-example losses; "mean" divides by ``denominator`` (default: the count)."""
    if reduction == "none":
        return per_example
    total = per_example.sum(dtype=per_example.dtype)
    if reduction == "sum":
        return total
    return total / (per_example.size if denominator is None else denominator)


def _reduce_grad(per_example_grad: np.ndarray, reduction: str, denominator) -> np.ndarray:
    """d(reduced)/d(input): the per-example gradient, divided by the mean's denominator."""
    return per_example_grad / denominator if reduction == "mean" else per_example_grad


def _nonempty(a: np.ndarray, name: str, reduction: str) -> None:
    if a.size == 0 and reduction == "mean":
        raise ValueError(f"{name} is empty, so its mean is undefined; use reduction='sum' or pass at least one example.")


# --------------------------------------------------------------------------- binary losses

class _Binary(NamedTuple):
    z: np.ndarray  # logits (or probabilities for binary_cross_entropy)
    y: np.ndarray  # targets in [0, 1], same shape and dtype as z
    reduction: str


def _binary(z, y, reduction, *, name="z", probabilities=False, hard=False) -> _Binary:
    reduction = check_reduction(reduction)
    z = as_float_array(z, name)
    if probabilities:
        check_probabilities(z, name, "Did you pass logits? Use binary_cross_entropy_with_logits.")
    else:
        check_finite(z, name, _LOGIT_HINT)
    y = as_float_array(y, "y", dtype=z.dtype)
    check_probabilities(y, "y", _TARGET_HINT)
    if hard:
        check_binary_labels(y)
    check_same_shape(z, y, name, "y")
    _nonempty(z, name, reduction)
    return _Binary(z, y, reduction)


def binary_cross_entropy(p, y, *, reduction: str = "mean"):
    r"""Binary cross-entropy (log loss) from predicted probabilities.

    .. math:: \ell(p, y) = -\big[y \log p + (1 - y) \log(1 - p)\big]

    Parameters
    ----------
    p : array_like in [0, 1]. Predicted probability of the positive class.
    y : array_like in [0, 1], same shape. Hard (0/1) or soft labels.
    reduction : "mean", "sum" or "none".

    Notes
    -----
    ``p = 0`` on an observed positive (or ``p = 1`` on a negative) gives ``inf``:
    no silent clipping.  Prefer :func:`binary_cross_entropy_with_logits`, which
    never has to form ``1 - p``.

    Examples
    --------
    >>> print(binary_cross_entropy([0.9, 0.1], [1, 1], reduction="none"))
    [0.1054 2.3026]
    """
    b = _binary(p, y, reduction, name="p", probabilities=True)
    per = -(xlogy(b.y, b.z) + xlogy(1 - b.y, 1 - b.z))
    return _reduce(per, b.reduction)


def binary_cross_entropy_grad(p, y, *, reduction: str = "mean"):
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``.

    .. math:: \frac{\partial \ell}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p} = \frac{p - y}{p(1 - p)}

    Examples
    --------
    >>> print(binary_cross_entropy_grad([0.5], [1.0], reduction="sum"))
    [-2.]
    """
    b = _binary(p, y, reduction, name="p", probabilities=True)
    per = xdivy(1 - b.y, 1 - b.z) - xdivy(b.y, b.z)
    return _reduce_grad(per, b.reduction, b.z.size)


def _bce_logits_setup(z, y, reduction, pos_weight, label_smoothing):
    b = _binary(z, y, reduction)
    eps = check_in_range(label_smoothing, "label_smoothing", 0.0, 1.0, "0 means no smoothing.")
    y = b.y if eps == 0 else b.y * (1 - eps) + eps / 2
    if pos_weight is None:
        return b, y, None
    w = check_finite(as_float_array(pos_weight, "pos_weight", dtype=b.z.dtype), "pos_weight")
    if w.size and w.min() < 0:
        raise ValueError(f"pos_weight must be non-negative; got min={w.min():.4g}. Use n_negative / n_positive to balance classes.")
    try:  # must broadcast *to* z: a larger result would give a loss and gradient of the wrong shape
        fits = np.broadcast_shapes(w.shape, b.z.shape) == b.z.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"pos_weight of shape {w.shape} does not broadcast to z of shape {b.z.shape}; give one weight per class (last axis).")
    return b, y, w


def binary_cross_entropy_with_logits(z, y, *, pos_weight=None, label_smoothing: float = 0.0, reduction: str = "mean"):
    r"""Binary cross-entropy computed from logits, stable for any finite ``z``.

    .. math:: \ell(z, y) = -\big[w_+\, y \log\sigma(z) + (1 - y) \log(1 - \sigma(z))\big]

    Parameters
    ----------
    z : array_like of finite floats. Logits.
    y : array_like in [0, 1], same shape. Hard or soft labels.
    pos_weight : array_like or None. :math:`w_+`, multiplies the positive term;
        broadcasts against ``z`` (one weight per class on the last axis), as in PyTorch.
    label_smoothing : float in [0, 1]. Targets become :math:`y(1-\varepsilon) + \varepsilon/2`.
    reduction : "mean", "sum" or "none".

    Notes
    -----
    Uses :math:`-\log\sigma(z) = \operatorname{softplus}(-z)` and
    :math:`-\log(1-\sigma(z)) = \operatorname{softplus}(z)`, so neither ``exp`` nor
    ``log(1 - p)`` can overflow or underflow.

    Examples
    --------
    >>> print(binary_cross_entropy_with_logits([0.0, 1e4, -1e4], [1.0, 1.0, 1.0], reduction="none"))
    [6.9315e-01 0.0000e+00 1.0000e+04]
    """
    b, y, w = _bce_logits_setup(z, y, reduction, pos_weight, label_smoothing)
    sp_pos, sp_neg = softplus_pair(b.z)  # -log(1 - sigma(z)), -log sigma(z)
    positive = y * sp_neg if w is None else w * y * sp_neg
    return _reduce((1 - y) * sp_pos + positive, b.reduction)


def binary_cross_entropy_with_logits_grad(z, y, *, pos_weight=None, label_smoothing: float = 0.0, reduction: str = "mean"):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``z``.

    .. math:: \frac{\partial \ell}{\partial z} = (1 - y)\,\sigma(z) - w_+\, y\,(1 - \sigma(z)) \;\overset{w_+=1}{=}\; \sigma(z) - y

    The derivative of the sigmoid, :math:`\sigma(1-\sigma)`, cancels against the
    :math:`1/\sigma` of the log: the error signal is just "prediction minus target".

    Examples
    --------
    >>> print(binary_cross_entropy_with_logits_grad([0.0, 2.0], [1.0, 0.0], reduction="none"))
    [-0.5    0.8808]
    """
    b, y, w = _bce_logits_setup(z, y, reduction, pos_weight, label_smoothing)
    p, q = sigmoid(b.z), sigmoid(-b.z)  # q = 1 - p, without the cancellation
    # (1 - y) p - y q equals p - y, but keeps full relative accuracy when p -> 1 (p - 1 would cancel).
    per = (1 - y) * p - (y if w is None else w * y) * q
    return _reduce_grad(per, b.reduction, b.z.size)


def _focal_parts(b: _Binary, gamma, alpha):
    gamma = check_gamma(gamma)
    p, q_model = sigmoid(b.z), sigmoid(-b.z)
    miss = p * (1 - b.y) + q_model * b.y  # 1 - p_t, the probability the model gives to being wrong
    weight = np.ones_like(b.z) if alpha is None else _alpha_t(alpha, b.y)
    return gamma, p, q_model, miss, weight * miss**gamma


def _alpha_t(alpha, y):
    a = check_in_range(alpha, "alpha", 0.0, 1.0, "alpha weights the positive class, 1 - alpha the negative.")
    return a * y + (1 - a) * (1 - y)


def sigmoid_focal_loss(z, y, *, gamma: float = 2.0, alpha=None, reduction: str = "mean"):
    r"""Sigmoid focal loss (Lin et al., 2017), as in ``torchvision.ops.sigmoid_focal_loss``.

    .. math:: \ell = -\alpha_t\,(1 - p_t)^\gamma \log p_t,\qquad p_t = p\,y + (1-p)(1-y),\quad \alpha_t = \alpha y + (1-\alpha)(1-y)

    ``gamma = 0`` and ``alpha = None`` give :func:`binary_cross_entropy_with_logits`.
    Larger ``gamma`` shrinks the loss of examples the model already gets right.

    Parameters
    ----------
    z : logits. y : targets in [0, 1], same shape.
    gamma : float >= 0.
    alpha : float in [0, 1] or None (no class weighting).

    Examples
    --------
    >>> print(sigmoid_focal_loss([3.0, -1.0], [1.0, 1.0], gamma=2.0, reduction="none"))
    [1.0928e-04 7.0187e-01]
    """
    b = _binary(z, y, reduction)
    _, _, _, _, modulator = _focal_parts(b, gamma, alpha)
    sp_pos, sp_neg = softplus_pair(b.z)
    return _reduce(modulator * ((1 - b.y) * sp_pos + b.y * sp_neg), b.reduction)


def sigmoid_focal_loss_grad(z, y, *, gamma: float = 2.0, alpha=None, reduction: str = "mean"):
    r"""Gradient of :func:`sigmoid_focal_loss` with respect to ``z``.

    With :math:`m = 1 - p_t` and :math:`\mathrm{ce}` the binary cross-entropy,

    .. math:: \frac{\partial \ell}{\partial z} = \alpha_t\, m^\gamma \Big[(p - y) - \gamma\, \frac{p(1-p)}{m}\,(2y - 1)\,\mathrm{ce}\Big]

    Notes
    -----
    :math:`p(1-p)/m \le 1` is formed as a ratio (0 where :math:`m = 0`), so
    :math:`m^{\gamma-1}` is never computed and ``gamma < 1`` cannot overflow.
    """
    b = _binary(z, y, reduction)
    gamma, p, q, miss, modulator = _focal_parts(b, gamma, alpha)
    sp_pos, sp_neg = softplus_pair(b.z)
    ce = (1 - b.y) * sp_pos + b.y * sp_neg
    ratio = xdivy(p * q, miss)  # p(1-p)/(1-p_t) <= 1; the m -> 0 limit of the product is 0
    per = modulator * ((p - b.y) - gamma * ratio * (2 * b.y - 1) * ce)
    return _reduce_grad(per, b.reduction, b.z.size)


def focal_loss_curvature(z, y, gamma: float) -> np.ndarray:
    r"""Second derivative of each example's focal loss in its own logit, :math:`\partial^2 \ell^\gamma / \partial z^2`.

    With :math:`p_t` the probability of the true class and :math:`m = 1 - p_t`,

    .. math:: \frac{\partial^2 \ell^\gamma}{\partial z^2}
              = p_t\, m^\gamma \Big[(2\gamma + 1)\, m + \gamma\,(m - \gamma\, p_t) \ln p_t\Big]
              \;\overset{\gamma = 0}{=}\; \sigma(z)\,(1 - \sigma(z)),

    the same expression for both labels (swapping the label maps :math:`z \to -z`).
    It can be negative for :math:`\gamma > 0`: focal loss is not convex in the logit.

    Parameters
    ----------
    z : array_like of finite logits. y : array_like of 0/1 labels, same shape. gamma : float >= 0.

    Examples
    --------
    >>> print(focal_loss_curvature([0.0, 3.0], [1, 1], 0.0))        # p (1 - p)
    [0.25   0.0452]
    >>> print(focal_loss_curvature([-3.0, 0.0, 3.0], [1, 1, 1], 2.0))   # negative on a hard example
    [-0.0201  0.3991  0.0009]
    """
    z = check_finite(as_float_array(z, "z"), "z")
    t = as_float_array(y, "y", dtype=z.dtype)
    if t.shape != z.shape or not np.isin(t, (0.0, 1.0)).all():
        raise ValueError(f"y must hold 0/1 labels in the shape of z {z.shape}; got shape {t.shape}.")
    return _curvature(z, t, check_gamma(gamma))


def _curvature(z: np.ndarray, t: np.ndarray, gamma: float) -> np.ndarray:
    signed = np.where(t == 1, z, -z)  # the logit of the true class
    p_t, m = sigmoid(signed), sigmoid(-signed)  # m = 1 - p_t without cancellation
    if gamma == 0:
        return p_t * m
    log_pt = -np.logaddexp(0.0, -signed)  # ln sigmoid, stable
    return p_t * m**gamma * ((2 * gamma + 1) * m + gamma * (m - gamma * p_t) * log_pt)


def sigmoid_mse_loss(z, y, *, reduction: str = "mean"):
    r"""Squared error on the sigmoid output: :math:`\ell = (\sigma(z) - y)^2` (no ½).

    Examples
    --------
    Confidently wrong (p = 0.99, y = 0) costs at most 1 here, against 4.6 nats of log loss:

    >>> print(sigmoid_mse_loss(np.log(99.0), 0.0))
    0.9801
    """
    b = _binary(z, y, reduction)
    return _reduce((sigmoid(b.z) - b.y) ** 2, b.reduction)


def sigmoid_mse_loss_grad(z, y, *, reduction: str = "mean"):
    r"""Gradient of :func:`sigmoid_mse_loss` with respect to ``z``.

    .. math:: \frac{\partial \ell}{\partial z} = 2\,(\sigma(z) - y)\,\sigma(z)\,(1 - \sigma(z))

    The factor :math:`\sigma(1-\sigma) \le 1/4` vanishes when the sigmoid
    saturates, which is why squared error learns slowly from confident mistakes.
    (With the common ½ convention the leading 2 disappears.)

    Examples
    --------
    >>> print(sigmoid_mse_loss_grad(np.log(99.0), 0.0))
    0.0196
    """
    b = _binary(z, y, reduction)
    p, q = sigmoid(b.z), sigmoid(-b.z)
    return _reduce_grad(2 * (p - b.y) * p * q, b.reduction, b.z.size)


def hinge_loss(z, y, *, reduction: str = "mean"):
    r"""Hinge loss with labels 0/1: :math:`\ell = \max(0,\, 1 - (2y - 1) z)`.

    Zero as soon as the margin :math:`(2y-1)z` reaches 1, unlike cross-entropy,
    which keeps pushing.

    Examples
    --------
    >>> print(hinge_loss([-1.0, 0.5, 3.0], [1, 1, 1], reduction="none"))
    [2.  0.5 0. ]
    """
    b = _binary(z, y, reduction, hard=True)
    return _reduce(np.maximum(0, 1 - (2 * b.y - 1) * b.z), b.reduction)


def hinge_loss_grad(z, y, *, reduction: str = "mean"):
    r"""(Sub)gradient of :func:`hinge_loss`: :math:`-(2y-1)` where the margin is below 1, else 0."""
    b = _binary(z, y, reduction, hard=True)
    sign = 2 * b.y - 1
    return _reduce_grad(np.where(sign * b.z < 1, -sign, 0).astype(b.z.dtype), b.reduction, b.z.size)


def zero_one_loss(z, y, *, reduction: str = "mean"):
    r"""0-1 loss: 1 when the prediction :math:`[z > 0]` differs from the label, else 0.

    Examples
    --------
    >>> print(zero_one_loss([2.0, -1.0, 0.5], [1, 1, 0]))
    0.6667
    """
    b = _binary(z, y, reduction, hard=True)
    return _reduce(((b.z > 0) != (b.y == 1)).astype(b.z.dtype), b.reduction)


def zero_one_loss_grad(z, y, *, reduction: str = "mean"):
    """Gradient of :func:`zero_one_loss`: zero wherever it exists.  Gradient descent cannot learn from it."""
    b = _binary(z, y, reduction, hard=True)
    return np.zeros_like(b.z)


# --------------------------------------------------------------------------- softmax losses

class _SoftmaxTargets(NamedTuple):
    """Cross-entropy targets as coefficients :math:`a_{ic}`: ``loss_i = -sum_c a_ic log p_ic``.

    Stored sparsely: ``on_label[i]`` at column ``labels[i]`` plus a ``dense``
    part, either one row (C,) shared by every example or a matrix (N, C).
    """

    z: np.ndarray
    labels: np.ndarray | None
    on_label: np.ndarray | None
    dense: np.ndarray | None
    total: np.ndarray  # (N,) sum_c a_ic; the gradient is total_i * p_i - a_i
    denominator: float  # what reduction="mean" divides by
    reduction: str


def _class_weights(class_weight, n_classes: int, dtype) -> np.ndarray | None:
    if class_weight is None:
        return None
    w = check_finite(as_float_array(class_weight, "class_weight", dtype=dtype), "class_weight")
    if w.shape != (n_classes,):
        raise ValueError(f"class_weight must have one entry per class, shape ({n_classes},); got shape {w.shape}.")
    if w.min() < 0:
        raise ValueError(f"class_weight must be non-negative; got min={w.min():.4g}. balanced_class_weights(y) gives N / (C n_c).")
    return w


def _softmax_targets(z, y, reduction, class_weight=None, label_smoothing=0.0, *, allow_soft=True) -> _SoftmaxTargets:
    reduction = check_reduction(reduction)
    z = check_logits_2d(z)
    n, c = z.shape
    _nonempty(z, "z", reduction)
    eps = check_in_range(label_smoothing, "label_smoothing", 0.0, 1.0, "0 means no smoothing.")
    w = _class_weights(class_weight, c, z.dtype)
    y_arr = np.asarray(y)
    if y_arr.ndim == 1:
        labels = check_class_labels(y_arr, c)
        if labels.shape != (n,):
            raise ValueError(f"y must have one label per row of z, shape ({n},); got shape {labels.shape}.")
        w_label = np.ones(n, z.dtype) if w is None else w[labels]
        on_label = (1 - eps) * w_label
        dense = None
        if eps > 0:  # smoothing spreads eps/C of the (weighted) mass over every class
            dense = (eps / c) * (np.ones(c, z.dtype) if w is None else w)
        total = on_label + (0 if dense is None else dense.sum())
        denominator = n if w is None else w_label.sum()
        if denominator == 0 and reduction == "mean":
            raise ValueError("class_weight gives every label in y weight 0, so the weighted mean is undefined.")
        return _SoftmaxTargets(z, labels, on_label.astype(z.dtype), dense, total.astype(z.dtype), denominator, reduction)
    if not allow_soft:
        raise ValueError(f"y must be integer class labels of shape ({n},) for this loss; got shape {y_arr.shape}.")
    if y_arr.ndim != 2:
        raise ValueError(f"y must be labels (N,) or probability rows (N, C); got shape {y_arr.shape}.")
    t = check_distribution(as_float_array(y_arr, "y", dtype=z.dtype), "y")
    check_same_shape(z, t, "z", "y")
    if eps > 0:
        t = (1 - eps) * t + eps / c
    dense = t if w is None else t * w
    return _SoftmaxTargets(z, None, None, dense, dense.sum(axis=1), n, reduction)


def _shifted(z: np.ndarray) -> np.ndarray:
    """Logits minus their row maximum: the largest exponent becomes e^0 = 1, so exp cannot overflow."""
    return z - z.max(axis=1, keepdims=True)


def _softmax_ce(t: _SoftmaxTargets, *, loss: bool = True, grad: bool = True):
    """Loss and/or gradient from one pass over the logits, sharing the max, exp and row sums.

    With ``loss_i = -sum_c a_ic log p_ic`` and ``log p_ic = s_ic - log sum_j exp(s_ij)``
    (``s`` the shifted logits), ``loss_i = total_i * log_norm_i - sum_c a_ic s_ic``
    and ``grad_i = total_i * p_i - a_i``.
    """
    s = _shifted(t.z)
    value = None
    if loss:
        picked = 0 if t.labels is None else t.on_label * s[np.arange(len(s)), t.labels]
        if t.dense is not None:
            picked = picked + (s @ t.dense if t.dense.ndim == 1 else np.einsum("ij,ij->i", s, t.dense))
    np.exp(s, out=s)  # in place: one (N, C) buffer serves the loss and then becomes the gradient
    sums = s.sum(axis=1)
    if loss:
        per = t.total * np.log(sums) - picked
        value = _reduce(per.astype(t.z.dtype, copy=False), t.reduction, t.denominator)
    if not grad:
        return value, None
    scale = 1 / t.denominator if t.reduction == "mean" else 1
    s *= (t.total * scale / sums)[:, None]  # total_i * p_i
    if t.dense is not None:
        s -= t.dense * scale
    if t.labels is not None:
        s[np.arange(len(s)), t.labels] -= t.on_label * scale
    return value, s


def softmax_cross_entropy(z, y, *, class_weight=None, label_smoothing: float = 0.0, reduction: str = "mean"):
    r"""Softmax cross-entropy from logits, with PyTorch's semantics.

    .. math:: \ell_i = -\sum_c a_{ic} \log \operatorname{softmax}(z_i)_c

    where the target coefficients are, for integer labels :math:`y_i`,
    :math:`a_{ic} = (1-\varepsilon)\, w_{y_i} [c = y_i] + \tfrac{\varepsilon}{C} w_c`,
    and for probability rows :math:`t_i`, :math:`a_{ic} = w_c\,\big((1-\varepsilon) t_{ic} + \tfrac{\varepsilon}{C}\big)`.

    Parameters
    ----------
    z : array_like (N, C) of finite floats. Logits, one row per example.
    y : int array (N,) of labels in [0, C), or (N, C) rows of probabilities (soft labels).
    class_weight : array_like (C,) >= 0 or None. :math:`w_c`.
    label_smoothing : float in [0, 1]. :math:`\varepsilon`.
    reduction : "mean", "sum" or "none". With integer labels and class
        weights, "mean" divides by :math:`\sum_i w_{y_i}` (as
        ``torch.nn.functional.cross_entropy`` does); otherwise by N.

    Notes
    -----
    Works on shifted logits :math:`z - \max z` and uses
    :math:`\log p_{ic} = s_{ic} - \log\sum_j e^{s_{ij}}`, so logits of ±1e4 are fine.

    Examples
    --------
    >>> print(softmax_cross_entropy([[2.0, 1.0, 0.1]], [0]))
    0.417
    >>> print(softmax_cross_entropy([[1000.0, 0.0]], [1]))
    1000.0
    """
    t = _softmax_targets(z, y, reduction, class_weight, label_smoothing)
    return _softmax_ce(t, grad=False)[0]


def softmax_cross_entropy_grad(z, y, *, class_weight=None, label_smoothing: float = 0.0, reduction: str = "mean"):
    r"""Gradient of :func:`softmax_cross_entropy` with respect to the logits ``z``.

    .. math:: \frac{\partial \ell_i}{\partial z_{ij}} = \Big(\sum_c a_{ic}\Big)\, p_{ij} - a_{ij} \;\overset{\text{one-hot}}{=}\; p_{ij} - [j = y_i]

    The "competition": the true class's logit is pushed up by :math:`1 - p_{y}`,
    every other logit down by its own probability.

    Examples
    --------
    >>> print(softmax_cross_entropy_grad([[2.0, 1.0, 0.1]], [0]))
    [[-0.341  0.2424  0.0986]]
    """
    t = _softmax_targets(z, y, reduction, class_weight, label_smoothing)
    return _softmax_ce(t, loss=False)[1]


def softmax_cross_entropy_and_grad(z, y, *, class_weight=None, label_smoothing: float = 0.0, reduction: str = "mean"):
    r""":func:`softmax_cross_entropy` and :func:`softmax_cross_entropy_grad` in one pass.

    The same values as the two calls, for about half the work: the
    validation, the row maxima, the exponentials and the row sums are
    computed once (what a training step needs, and what PyTorch's autograd
    does by keeping the softmax for the backward pass).

    Returns
    -------
    (loss, grad) : the reduced loss, and its gradient with respect to ``z``.

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy_and_grad([[2.0, 1.0, 0.1]], [0])
    >>> print(loss, grad)
    0.417 [[-0.341   0.2424  0.0986]]
    """
    t = _softmax_targets(z, y, reduction, class_weight, label_smoothing)
    return _softmax_ce(t)


def _focal_softmax_parts(z, y, gamma, class_weight, reduction):
    t = _softmax_targets(z, y, reduction, class_weight, allow_soft=False)
    gamma = check_gamma(gamma)
    log_p = log_softmax(t.z)
    log_pt = log_p[np.arange(len(log_p)), t.labels]
    miss = -np.expm1(log_pt)  # 1 - p_t, accurate when p_t is close to 1
    return t, gamma, log_p, log_pt, miss


def softmax_focal_loss(z, y, *, gamma: float = 2.0, class_weight=None, reduction: str = "mean"):
    r"""Multi-class focal loss: :math:`\ell_i = -w_{y_i}\,(1 - p_{i,y_i})^\gamma \log p_{i,y_i}`.

    ``gamma = 0`` is :func:`softmax_cross_entropy` (same weights, same "mean").
    ``y`` must be integer labels (N,).

    Examples
    --------
    >>> z = [[2.0, 1.0, 0.1]]
    >>> print(softmax_focal_loss(z, [0], gamma=0.0), softmax_cross_entropy(z, [0]))
    0.417 0.417
    >>> print(softmax_focal_loss(z, [0], gamma=2.0))
    0.0485
    """
    t, gamma, _, log_pt, miss = _focal_softmax_parts(z, y, gamma, class_weight, reduction)
    per = -t.on_label * miss**gamma * log_pt
    return _reduce(per, t.reduction, t.denominator)


def softmax_focal_loss_grad(z, y, *, gamma: float = 2.0, class_weight=None, reduction: str = "mean"):
    r"""Gradient of :func:`softmax_focal_loss` with respect to ``z``.

    With :math:`m = 1 - p_t`:

    .. math:: \frac{\partial \ell_i}{\partial z_{ij}} = w_{y_i}\, m^\gamma \Big[1 - \gamma\, p_t\, \frac{\log p_t}{m}\Big] \big(p_{ij} - [j = y_i]\big)

    Notes
    -----
    :math:`\log p_t / m \to -1` as :math:`m \to 0`; it is formed as a ratio so that
    :math:`m^{\gamma - 1}` is never computed.
    """
    t, gamma, log_p, log_pt, miss = _focal_softmax_parts(z, y, gamma, class_weight, reduction)
    ratio = np.where(miss > 0, log_pt / np.where(miss > 0, miss, 1), -1)  # log(1-m)/m -> -1 as m -> 0
    factor = t.on_label * miss**gamma * (1 - gamma * np.exp(log_pt) * ratio)
    g = np.exp(log_p)
    g[np.arange(len(g)), t.labels] -= 1
    g *= factor[:, None]
    return _reduce_grad(g, t.reduction, t.denominator)


def _distillation_parts(student_logits, teacher_logits, temperature, reduction):
    reduction = check_reduction(reduction)
    s = check_logits_2d(student_logits, "student_logits")
    t = check_logits_2d(teacher_logits, "teacher_logits").astype(s.dtype, copy=False)
    check_same_shape(s, t, "student_logits", "teacher_logits")
    _nonempty(s, "student_logits", reduction)
    temp = check_positive(temperature, "temperature", "Distillation uses T >= 1 to soften both distributions.")
    return s, t, temp, reduction


def distillation_loss(student_logits, teacher_logits, *, temperature: float = 1.0, reduction: str = "mean"):
    r"""Knowledge-distillation loss (Hinton et al., 2015).

    .. math:: \ell_i = T^2\, D_{\mathrm{KL}}\big(\operatorname{softmax}(t_i/T) \,\|\, \operatorname{softmax}(s_i/T)\big)

    The :math:`T^2` keeps the gradient's size independent of :math:`T`
    (the gradient is :math:`T(q_s - q_t)`, and :math:`q_s - q_t` shrinks like :math:`1/T^2`).
    "mean" averages over the N examples.

    Examples
    --------
    >>> print(distillation_loss([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]], temperature=4.0))
    0.0
    """
    s, t, temp, reduction = _distillation_parts(student_logits, teacher_logits, temperature, reduction)
    log_qt = log_softmax(t, temperature=temp)
    log_qs = log_softmax(s, temperature=temp)
    per = temp**2 * np.sum(np.exp(log_qt) * (log_qt - log_qs), axis=1)  # q_t > 0 for finite logits
    return _reduce(np.maximum(per, 0).astype(s.dtype, copy=False), reduction)


def distillation_loss_grad(student_logits, teacher_logits, *, temperature: float = 1.0, reduction: str = "mean"):
    r"""Gradient of :func:`distillation_loss` with respect to the student's logits: :math:`T\,(q_s - q_t)`."""
    s, t, temp, reduction = _distillation_parts(student_logits, teacher_logits, temperature, reduction)
    per = temp * (softmax(s, temperature=temp) - softmax(t, temperature=temp))
    return _reduce_grad(per, reduction, len(s))


# --------------------------------------------------------------------------- scores

def brier_score(p, y, *, reduction: str = "mean"):
    r"""Brier score, the squared error of predicted probabilities (a proper scoring rule).

    1-D ``p``: :math:`(p_i - y_i)^2` with ``p`` = P(y = 1) and ``y`` in [0, 1]
    (``sklearn.metrics.brier_score_loss``).  2-D ``p`` (rows of class
    probabilities) with integer labels ``y``: :math:`\sum_c (p_{ic} - [c = y_i])^2`.

    Examples
    --------
    >>> print(brier_score([0.9, 0.2], [1, 0]))
    0.025
    >>> print(brier_score([[0.7, 0.2, 0.1]], [0]))
    0.14
    """
    reduction = check_reduction(reduction)
    p = as_float_array(p, "p")
    if p.ndim == 2:
        check_distribution(p, "p")
        labels = check_class_labels(y, p.shape[1])
        if labels.shape != (len(p),):
            raise ValueError(f"y must have one label per row of p, shape ({len(p)},); got shape {labels.shape}.")
        _nonempty(p, "p", reduction)
        diff = p.copy()
        diff[np.arange(len(p)), labels] -= 1
        return _reduce(np.sum(diff**2, axis=1), reduction)
    b = _binary(p, y, reduction, name="p", probabilities=True)
    return _reduce((b.z - b.y) ** 2, b.reduction)


def energy_score(z, *, temperature: float = 1.0):
    r"""Free energy of the logits, :math:`E(z) = -T \log\sum_c e^{z_c/T}` (last axis).

    Low energy means the model "recognises" the input; out-of-distribution
    inputs tend to have higher energy (Liu et al., 2020).

    Examples
    --------
    >>> print(energy_score([[10.0, 0.0, 0.0], [0.1, 0.0, 0.0]]))
    [-10.0001  -1.1331]
    """
    temp = check_positive(temperature, "temperature")
    z = check_finite(as_float_array(z, "z"), "z", _LOGIT_HINT)
    return -temp * logsumexp(z / z.dtype.type(temp), axis=-1)


#: Binary losses on logits, by name: (loss, gradient w.r.t. the logits).
LOSSES: dict[str, tuple[Callable, Callable]] = {
    "cross-entropy": (binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad),
    "squared error": (sigmoid_mse_loss, sigmoid_mse_loss_grad),
}


def smoothed_target(y, eps: float):
    r"""Label-smoothed binary target, as ``label_smoothing`` in :func:`xentlib.binary_cross_entropy_with_logits`.

    .. math:: y' = y (1 - \varepsilon) + \varepsilon / 2

    The mass :math:`\varepsilon` is spread over the *two* classes (PyTorch's
    convention with :math:`C = 2`), so a positive label with :math:`\varepsilon = 0.2`
    becomes 0.9 and with :math:`\varepsilon = 0.1` becomes 0.95.

    Examples
    --------
    >>> print(smoothed_target(1.0, 0.2), smoothed_target(0.0, 0.2))
    0.9 0.1
    """
    eps = check_in_range(eps, "eps", 0.0, 1.0, "0 means no smoothing.")
    y = as_float_array(y, "y", dtype=np.float64)
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"y must lie in [0, 1]; got min={y.min():.4g}, max={y.max():.4g}.")
    out = y * (1 - eps) + eps / 2
    return float(out) if out.ndim == 0 else out
