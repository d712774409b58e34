r"""Class imbalance: who gets a say in the gradient, and how to give the rare class one.

The tools of notebook 06, for a binary problem with a rare positive class:

* :func:`example_weights`: the weight each example gets in a class-weighted mean.
* :func:`balanced_class_weights` and :func:`class_priors`: weights
  :math:`w_c \propto 1/\pi_c` and the class frequencies :math:`\pi_c`.
* :func:`class_weighted_loss` (and ``_grad``): cross-entropy, or focal loss,
  with a weight per class, :math:`\sum_i w_{y_i}\ell_i / \sum_i w_{y_i}`.
* :func:`class_gradient_contributions`: how much of a logistic model's
  gradient each class supplies at a given state (the "tug-of-war").
* :func:`balanced_resample` and :func:`resampled_gradients`: class-balanced
  resamples, whose expected gradient is the weighted gradient.
* :func:`logit_adjustment`: move the decision boundary by the log priors.
* :func:`focal_implied_posterior`, :func:`focal_optimal_probability`: what a
  focal-loss model's outputs mean.
* :func:`confusion_matrix`, :func:`precision_recall`: the outcome that matters.

NumPy only.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import (
    as_float_array,
    check_class_labels,
    check_distribution,
    check_finite,
    check_gamma,
    check_int,
    check_scalar,
)
from .links import sigmoid
from .losses import sigmoid_focal_loss, sigmoid_focal_loss_grad

__all__ = [
    "balanced_class_weights",
    "class_priors",
    "class_weighted_loss",
    "class_weighted_loss_grad",
    "class_gradient_contributions",
    "balanced_resample",
    "resampled_gradients",
    "example_weights",
    "logit_adjustment",
    "focal_implied_posterior",
    "focal_optimal_probability",
    "confusion_matrix",
    "precision_recall",
]


# --------------------------------------------------------------------------- class weights and priors

def _labels_1d(y, n_classes, name: str = "y") -> tuple[np.ndarray, int]:
    labels = check_class_labels(y, n_classes, name)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of labels; got shape {labels.shape}.")
    c = int(labels.max()) + 1 if n_classes is None else check_int(n_classes, "n_classes", 1)
    return labels, c


def balanced_class_weights(y, n_classes: int | None = None) -> np.ndarray:
    r"""Inverse-frequency class weights, :math:`w_c = N / (C\, n_c)`.

    Each class's weights then add up to :math:`N / C`, so in a weighted
    cross-entropy every class contributes as much as it would in a balanced
    data set (scikit-learn's ``class_weight="balanced"``).

    Parameters
    ----------
    y : int array (N,) of labels in [0, C).
    n_classes : int or None. C; defaults to ``max(y) + 1``.

    Examples
    --------
    >>> print(balanced_class_weights([0] * 99 + [1]))
    [ 0.5051 50.    ]
    """
    labels, c = _labels_1d(y, n_classes)
    counts = np.bincount(labels, minlength=c)
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0).tolist()
        raise ValueError(
            f"class(es) {missing} never occur in y, so their balanced weight would be infinite. "
            "Pass n_classes equal to the classes present, or give those classes a weight yourself."
        )
    return len(labels) / (c * counts)


def class_priors(y, n_classes: int | None = None) -> np.ndarray:
    r"""The class frequencies :math:`\pi_c = n_c / N`, the priors a model trained on ``y`` learns.

    Examples
    --------
    >>> print(class_priors([0] * 99 + [1]))
    [0.99 0.01]
    """
    labels, c = _labels_1d(y, n_classes)
    return np.bincount(labels, minlength=c) / len(labels)


# --------------------------------------------------------------------------- the weighted (focal) loss

def _binary_targets(z, y):
    """Logits as float64 (N,) and labels as 0/1 floats of the same shape."""
    z = check_finite(as_float_array(z, "z", dtype=np.float64), "z")
    labels = check_class_labels(y, 2)
    if z.ndim != 1 or labels.shape != z.shape:
        raise ValueError(
            f"z and y must be 1-D with one logit and one 0/1 label per example; got shapes {z.shape} and {labels.shape}."
        )
    if z.size == 0:
        raise ValueError("z is empty: the weighted mean needs at least one example.")
    return z, labels


def example_weights(labels: np.ndarray, class_weight) -> np.ndarray:
    """Per-example weights :math:`w_{y_i} / \\sum_j w_{y_j}` (they sum to 1)."""
    if class_weight is None:
        return np.full(labels.shape, 1.0 / labels.size)
    w = check_finite(as_float_array(class_weight, "class_weight", dtype=np.float64), "class_weight")
    if w.shape != (2,):
        raise ValueError(
            f"class_weight must hold one weight per class, shape (2,); got shape {w.shape}. "
            "balanced_class_weights(y) gives N / (2 n_c)."
        )
    if w.min() < 0:
        raise ValueError(f"class_weight must be non-negative; got {w.tolist()}. Weights scale each class's say.")
    per = w[labels]
    total = per.sum()
    if total == 0:
        raise ValueError("class_weight gives every example in y weight 0, so the weighted mean is undefined.")
    return per / total


def class_weighted_loss(z, y, *, class_weight=None, gamma: float = 0.0) -> float:
    r"""Mean binary cross-entropy (or focal loss) with one weight per class.

    .. math:: L = \frac{\sum_i w_{y_i}\, (1 - p_{t,i})^\gamma\, \ell_i}{\sum_i w_{y_i}},
              \qquad \ell_i = -\ln p_{t,i},
              \quad p_{t,i} = \begin{cases}\sigma(z_i) & y_i = 1\\ 1 - \sigma(z_i) & y_i = 0\end{cases}

    With ``class_weight=None`` and ``gamma=0`` this is plain
    :func:`~xentlib.binary_cross_entropy_with_logits`.  Only the ratio of the
    two weights matters: the denominator (as in PyTorch's weighted mean and
    scikit-learn's ``sample_weight``) cancels their scale.  For
    :func:`balanced_class_weights`, :math:`\sum_i w_{y_i} = N`, so this is also
    the plain average of the weighted terms, which is the mean loss over a
    class-balanced resample, in expectation.

    Parameters
    ----------
    z : array_like (N,) of finite logits.
    y : int array (N,) of labels 0 or 1.
    class_weight : array_like (2,) of non-negative weights (class 0, class 1), or None.
    gamma : float >= 0. Focal-loss exponent; 0 is cross-entropy.

    Examples
    --------
    >>> z, y = [0.0, 0.0, 0.0, 0.0], [0, 0, 0, 1]
    >>> print(round(class_weighted_loss(z, y), 4))          # ln 2: p = 0.5 for everyone
    0.6931
    >>> print(round(class_weighted_loss([2.0, -3.0], [1, 1], gamma=2.0), 4))   # the easy example barely counts
    1.384
    """
    z, labels = _binary_targets(z, y)
    a = example_weights(labels, class_weight)
    per = sigmoid_focal_loss(z, labels.astype(np.float64), gamma=gamma, reduction="none")
    return float(a @ per)


def class_weighted_loss_grad(z, y, *, class_weight=None, gamma: float = 0.0) -> np.ndarray:
    r"""Gradient of :func:`class_weighted_loss` with respect to the logits ``z``, shape (N,).

    .. math:: \frac{\partial L}{\partial z_i} = \frac{w_{y_i}}{\sum_j w_{y_j}}\, \frac{\partial \ell^{\gamma}_i}{\partial z_i}
              \;\overset{\gamma = 0}{=}\; \frac{w_{y_i}}{\sum_j w_{y_j}}\, \big(\sigma(z_i) - y_i\big)

    where :math:`\ell^\gamma_i` is example i's focal loss (its gradient is
    :func:`~xentlib.sigmoid_focal_loss_grad`).

    Examples
    --------
    At :math:`z = 0` every example pulls with :math:`\pm\tfrac12`; balanced
    weights make the single positive pull as hard as all three negatives:

    >>> y = [0, 0, 0, 1]
    >>> print(class_weighted_loss_grad([0.0] * 4, y))
    [ 0.125  0.125  0.125 -0.125]
    >>> print(class_weighted_loss_grad([0.0] * 4, y, class_weight=balanced_class_weights(y)))
    [ 0.0833  0.0833  0.0833 -0.25  ]
    """
    z, labels = _binary_targets(z, y)
    a = example_weights(labels, class_weight)
    return a * sigmoid_focal_loss_grad(z, labels.astype(np.float64), gamma=gamma, reduction="none")


# --------------------------------------------------------------------------- a logistic model's gradient, by class

def _design(X, w, b):
    """Features (N, d), weights (d,) and bias as float64, validated together."""
    X = check_finite(as_float_array(X, "X", dtype=np.float64), "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d); got shape {X.shape}. Use X[:, None] for one feature.")
    w = check_finite(as_float_array(w, "w", dtype=np.float64), "w").reshape(-1)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have one weight per feature, shape ({X.shape[1]},); got {w.size} value(s).")
    return X, w, check_scalar(b, "b")


def class_gradient_contributions(X, y, w, b: float, *, class_weight=None, gamma: float = 0.0) -> np.ndarray:
    r"""Each class's share of the gradient of a logistic model's (weighted) loss.

    For the model :math:`z = w^\top x + b` and the loss :math:`L` of
    :func:`class_weighted_loss`, row :math:`c` is the part of
    :math:`\nabla_{(w, b)} L` that the examples of class :math:`c` supply:

    .. math:: G_c = \sum_{i:\, y_i = c} \frac{\partial L}{\partial z_i}\, \big[x_i,\; 1\big],
              \qquad \sum_c G_c = \nabla_{(w,b)} L .

    At initialisation (:math:`w = 0, b = 0`, so :math:`p = \tfrac12`) with plain
    cross-entropy every example's logit gradient is :math:`\pm\tfrac12 / N`, so
    the bias entries are :math:`\tfrac12 \pi_0` against :math:`-\tfrac12 \pi_1`:
    at 99:1 the majority outvotes the minority 99 to 1.

    Parameters
    ----------
    X : array_like (N, d). y : int array (N,) of 0/1 labels.
    w : array_like (d,). b : float. The model state.
    class_weight, gamma : as in :func:`class_weighted_loss`.

    Returns
    -------
    ndarray (2, d + 1): rows class 0, class 1; columns
    :math:`\partial/\partial w_1, \ldots, \partial/\partial w_d, \partial/\partial b`.

    Examples
    --------
    >>> X = np.array([[-1.0]] * 99 + [[1.0]]); y = np.array([0] * 99 + [1])
    >>> print(class_gradient_contributions(X, y, [0.0], 0.0))              # columns dL/dw, dL/db
    [[-0.495  0.495]
     [-0.005 -0.005]]
    >>> print(class_gradient_contributions(X, y, [0.0], 0.0, class_weight=balanced_class_weights(y)))
    [[-0.25  0.25]
     [-0.25 -0.25]]
    """
    X, w, b = _design(X, w, b)
    labels = check_class_labels(y, 2)
    if labels.shape != (len(X),):
        raise ValueError(f"y must have one 0/1 label per row of X, shape ({len(X)},); got shape {labels.shape}.")
    g = class_weighted_loss_grad(X @ w + b, labels, class_weight=class_weight, gamma=gamma)
    out = np.zeros((2, X.shape[1] + 1))
    for c in (0, 1):
        mask = labels == c
        out[c, :-1] = X[mask].T @ g[mask]
        out[c, -1] = g[mask].sum()
    return out


# --------------------------------------------------------------------------- balanced resampling

def balanced_resample(y, per_class: int, *, n_resamples: int | None = None, seed=None) -> np.ndarray:
    r"""Indices of a class-balanced resample: ``per_class`` draws, with replacement, from every class.

    The rare class is oversampled (its examples repeat) and the common one
    undersampled, so each class makes up :math:`1/C` of the resample.  The mean
    loss over the resample is, in expectation, the weighted mean loss with
    :func:`balanced_class_weights`:

    .. math:: \mathbb E\Big[\frac{1}{C m}\sum_{k=1}^{Cm} \ell_{i_k}\Big]
              = \frac1C \sum_c \frac{1}{n_c}\sum_{i:\,y_i = c} \ell_i
              = \frac1N \sum_i \frac{N}{C\, n_{y_i}}\, \ell_i ,

    and the same holds for its gradient, since the gradient is linear in the
    per-example terms.

    Parameters
    ----------
    y : int array (N,) of labels in [0, C); every class must occur.
    per_class : int >= 1. Draws per class, :math:`m`.
    n_resamples : int >= 1 or None. None returns one resample, shape (C m,);
        an int returns that many independent ones, shape (n_resamples, C m).
    seed : int, numpy Generator or None.

    Returns
    -------
    int ndarray of indices into ``y``, grouped by class (class 0's draws first).

    Examples
    --------
    >>> y = np.array([0] * 99 + [1])
    >>> idx = balanced_resample(y, 5, seed=0)
    >>> print(idx.shape, y[idx].tolist())
    (10,) [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    labels, c = _labels_1d(y, None)
    m = check_int(per_class, "per_class", 1)
    k = 1 if n_resamples is None else check_int(n_resamples, "n_resamples", 1)
    members = [np.flatnonzero(labels == cls) for cls in range(c)]
    empty = [cls for cls, idx in enumerate(members) if idx.size == 0]
    if empty:
        raise ValueError(f"class(es) {empty} never occur in y, so they cannot be resampled. Relabel y to 0..C-1.")
    rng = np.random.default_rng(seed)
    draws = [idx[rng.integers(0, idx.size, size=(k, m))] for idx in members]
    out = np.concatenate(draws, axis=1)
    return out[0] if n_resamples is None else out


def resampled_gradients(X, y, w, b: float, indices) -> np.ndarray:
    r"""The plain cross-entropy gradient of a logistic model on each of several resamples.

    Row k is :math:`\nabla_{(w,b)} \frac1M \sum_{j=1}^{M} \ell(w^\top x_{i_{kj}} + b,\, y_{i_{kj}})`
    for the resample ``indices[k]`` (e.g. from :func:`balanced_resample`),
    computed for all resamples at once.

    Parameters
    ----------
    X : array_like (N, d). y : int array (N,) of 0/1 labels. w : (d,). b : float.
    indices : int array (K, M) of indices into ``X`` (or (M,) for one resample).

    Returns
    -------
    ndarray (K, d + 1) (or (d + 1,)): columns :math:`\partial/\partial w_1\ldots`, :math:`\partial/\partial b`.

    Examples
    --------
    >>> X = np.array([[-1.0], [1.0]]); y = np.array([0, 1])
    >>> print(resampled_gradients(X, y, [0.0], 0.0, [[0, 0], [0, 1]]))
    [[-0.5  0.5]
     [-0.5  0. ]]
    """
    X, w, b = _design(X, w, b)
    labels = check_class_labels(y, 2)
    if labels.shape != (len(X),):
        raise ValueError(f"y must have one 0/1 label per row of X, shape ({len(X)},); got shape {labels.shape}.")
    idx = np.asarray(indices)
    if idx.dtype.kind not in "iu" or idx.ndim not in (1, 2) or idx.size == 0:
        raise ValueError(f"indices must be a non-empty int array (K, M) or (M,); got dtype {idx.dtype}, shape {idx.shape}.")
    if idx.min() < 0 or idx.max() >= len(X):
        raise ValueError(f"indices must lie in [0, {len(X)}); got min={idx.min()}, max={idx.max()}.")
    one = idx.ndim == 1
    idx = np.atleast_2d(idx)
    err = sigmoid(X @ w + b)[idx] - labels[idx]  # p - y on every draw, (K, M)
    grad_w = np.einsum("km,kmd->kd", err, X[idx]) / idx.shape[1]
    out = np.column_stack([grad_w, err.mean(axis=1)])
    return out[0] if one else out


# --------------------------------------------------------------------------- training

# --------------------------------------------------------------------------- priors and thresholds

def logit_adjustment(z, priors, *, tau: float = 1.0) -> np.ndarray:
    r"""Remove (a multiple of) the log priors from logits: the boundary a balanced world would draw.

    A model trained with plain cross-entropy learns, at best, the posterior
    log-odds, which by Bayes' rule are the evidence plus the prior log-odds:

    .. math:: \ln\frac{P(y=1\mid x)}{P(y=0\mid x)} = \ln\frac{p(x\mid y=1)}{p(x\mid y=0)} + \ln\frac{\pi_1}{\pi_0}.

    Subtracting :math:`\tau \ln(\pi_1/\pi_0)` leaves, at :math:`\tau = 1`, the
    logit the same model would have learnt with equal priors.  Thresholding
    the adjusted logit at 0 is thresholding the original probability at
    :math:`\pi_1` instead of :math:`\tfrac12`.  For multi-class logits (N, C)
    the rule is :math:`z_c - \tau \ln \pi_c` (Menon et al., 2021).

    Parameters
    ----------
    z : array_like (N,) of binary logits, or (N, C) of class logits.
    priors : array_like (2,) or (C,): class frequencies, positive, summing to 1
        (e.g. :func:`class_priors`).
    tau : float. 0 leaves ``z`` as it is; 1 removes the priors fully.

    Examples
    --------
    >>> print(logit_adjustment([-4.0, -5.0], [0.99, 0.01]))     # adds ln 99 = 4.595
    [ 0.5951 -0.4049]
    >>> print(logit_adjustment([[0.0, 0.0]], [0.75, 0.25], tau=1.0))
    [[0.2877 1.3863]]
    """
    z = check_finite(as_float_array(z, "z", dtype=np.float64), "z")
    pi = check_distribution(as_float_array(priors, "priors", dtype=np.float64), "priors")
    if pi.ndim != 1 or (pi <= 0).any():
        raise ValueError(
            f"priors must be a 1-D array of positive class frequencies; got {np.round(pi, 4).tolist()}. "
            "A class with prior 0 never occurs, so its log prior is -inf."
        )
    tau = check_scalar(tau, "tau")
    if not math.isfinite(tau):
        raise ValueError(f"tau must be finite; got {tau!r}. tau = 1 removes the priors exactly.")
    if z.ndim == 1:
        if pi.shape != (2,):
            raise ValueError(f"1-D z holds binary logits, so priors must have 2 entries; got {pi.size}.")
        return z - tau * (math.log(pi[1]) - math.log(pi[0]))
    if z.ndim != 2 or z.shape[1] != pi.size:
        raise ValueError(f"z must be (N,) binary logits or (N, C) with C = len(priors) = {pi.size}; got shape {z.shape}.")
    return z - tau * np.log(pi)


def focal_implied_posterior(z, gamma: float) -> np.ndarray:
    r"""The true probability :math:`q` for which logit ``z`` is the focal loss's best prediction.

    A model minimising the expected focal loss
    :math:`E(z) = q\,\ell^\gamma(z, 1) + (1 - q)\,\ell^\gamma(z, 0)` sets
    :math:`E'(z) = 0`, i.e.

    .. math:: q(z) = \frac{g_0(z)}{g_0(z) - g_1(z)}, \qquad g_y(z) = \frac{\partial \ell^\gamma(z, y)}{\partial z}

    (:math:`g_0 > 0 > g_1`).  For :math:`\gamma = 0` this is :math:`q = \sigma(z)`:
    cross-entropy is a proper loss and its best prediction is the truth.  For
    :math:`\gamma > 0`, :math:`q(z)` is still increasing and still maps
    :math:`z = 0` to :math:`q = \tfrac12` (swap the labels), but it is steeper
    than :math:`\sigma`: a focal model's stated probabilities are pulled towards
    :math:`\tfrac12` (under-confident), while its decisions at the 0.5
    threshold are those of cross-entropy.

    Examples
    --------
    >>> print(focal_implied_posterior([-2.0, 0.0, 2.0], 0.0))    # the sigmoid itself
    [0.1192 0.5    0.8808]
    >>> print(focal_implied_posterior([-2.0, 0.0, 2.0], 2.0))
    [0.0045 0.5    0.9955]
    """
    z = check_finite(as_float_array(z, "z", dtype=np.float64), "z")
    gamma = check_gamma(gamma)
    g0 = sigmoid_focal_loss_grad(z, np.zeros_like(z), gamma=gamma, reduction="none")
    g1 = sigmoid_focal_loss_grad(z, np.ones_like(z), gamma=gamma, reduction="none")
    return g0 / (g0 - g1)


def focal_optimal_probability(q, gamma: float) -> np.ndarray:
    r"""The probability a model minimising focal loss reports when the true probability is ``q``.

    The inverse of :func:`focal_implied_posterior`, found by bisection on the
    logit (:math:`q(z)` is increasing): :math:`\sigma(z^\star)` with
    :math:`q(z^\star) = q`.  Equal to ``q`` for :math:`\gamma = 0`.

    Parameters
    ----------
    q : array_like of true probabilities in (0, 1).
    gamma : float >= 0.

    Examples
    --------
    >>> print(focal_optimal_probability([0.1, 0.5, 0.9], 0.0))
    [0.1 0.5 0.9]
    >>> print(focal_optimal_probability([0.1, 0.5, 0.9], 2.0))   # pulled towards 1/2
    [0.3058 0.5    0.6942]
    """
    q = as_float_array(q, "q", dtype=np.float64)
    if np.isnan(q).any() or (q.size and (q.min() <= 0 or q.max() >= 1)):
        raise ValueError("q must lie strictly between 0 and 1; at 0 or 1 the best logit is infinite.")
    gamma = check_gamma(gamma)
    low, high = np.full(q.shape, -50.0), np.full(q.shape, 50.0)
    for _ in range(60):  # 100 / 2**60: far below float resolution of the logit
        mid = (low + high) / 2
        above = focal_implied_posterior(mid, gamma) > q
        high = np.where(above, mid, high)
        low = np.where(above, low, mid)
    return sigmoid((low + high) / 2)


# --------------------------------------------------------------------------- outcomes

def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    r"""Counts :math:`M_{jk}` of examples of true class j predicted as class k (scikit-learn's layout).

    For binary labels, ``[[tn, fp], [fn, tp]]``.

    Examples
    --------
    >>> print(confusion_matrix([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]))
    [[2 1]
     [1 1]]
    """
    t = _predictions(y_true, n_classes, "y_true")
    p = _predictions(y_pred, n_classes, "y_pred")
    if t.shape != p.shape or t.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D and of equal length; got shapes {t.shape} and {p.shape}.")
    c = n_classes if n_classes is not None else int(max(t.max(initial=0), p.max(initial=0))) + 1
    c = check_int(c, "n_classes", 1)
    return np.bincount(c * t + p, minlength=c * c).reshape(c, c)


def _predictions(labels, n_classes, name: str) -> np.ndarray:
    """Integer labels; booleans (e.g. ``p > 0.5``) count as 0/1."""
    a = np.asarray(labels)
    if a.dtype == bool:
        a = a.astype(np.intp)
    return check_class_labels(a, n_classes, name)


def precision_recall(y_true, y_pred) -> tuple[float, float]:
    r"""Precision and recall of the positive class (label 1).

    .. math:: \text{precision} = \frac{TP}{TP + FP}, \qquad \text{recall} = \frac{TP}{TP + FN}

    Recall is the fraction of the real positives the model catches; precision
    the fraction of its alarms that are real.  A ratio with a zero denominator
    (no alarms, or no positives) is reported as 0.0, as scikit-learn does with
    ``zero_division=0``.

    Parameters
    ----------
    y_true : int or bool array (N,) of 0/1 labels.
    y_pred : int or bool array (N,) of 0/1 decisions (not probabilities).

    Examples
    --------
    >>> print(precision_recall([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]))
    (0.5, 0.5)
    >>> print(precision_recall([0] * 99 + [1], [0] * 100))          # "always negative": 99% accurate
    (0.0, 0.0)
    """
    if isinstance(y_pred, numbers.Number) or np.asarray(y_pred).dtype.kind == "f":
        raise TypeError("y_pred must hold 0/1 decisions; got floats. Threshold probabilities first, e.g. p > 0.5.")
    (_, fp), (fn, tp) = confusion_matrix(y_true, y_pred, 2)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return float(precision), float(recall)
