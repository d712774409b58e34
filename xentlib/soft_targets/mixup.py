r"""Mixup: convex combinations of two inputs are trained on the same combination of their labels.

:func:`mixup`, :func:`mixup_augment` and :func:`mixed_labels_near` make and
inspect the mixed examples; the cross-entropy-optimal prediction for a
random target is its mean (:func:`best_constant_prediction`,
:func:`constant_prediction_losses`).  NumPy only.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._validation import (
    as_float_array,
    check_class_labels,
    check_distribution,
    check_finite,
    check_int,
    check_matrix,
    check_positive,
    check_probabilities,
    check_scalar,
)

__all__ = [
    "MixupBatch", "mixup", "mixup_augment", "mixed_labels_near", "best_constant_prediction", "constant_prediction_losses",
]


class MixupBatch(NamedTuple):
    r"""Mixed examples :math:`\tilde x = \lambda x_i + (1-\lambda) x_j`, :math:`\tilde y = \lambda y_i + (1-\lambda) y_j`."""

    X: np.ndarray  # (N, d) mixed inputs
    Y: np.ndarray  # (N, K) mixed labels
    lam: np.ndarray  # (N,) mixing weights lambda
    partner: np.ndarray  # (N,) index j of the example each row i was mixed with


def _mixup_inputs(X, Y, n_classes):
    X = check_matrix(X, "X")
    Y_arr = np.asarray(Y)
    if Y_arr.ndim == 1:
        if n_classes is None:
            raise ValueError("Y holds class labels; pass n_classes so they can be turned into one-hot rows.")
        k = check_int(n_classes, "n_classes", 2)
        Y_rows = np.eye(k)[check_class_labels(Y_arr, k, "Y")]
    else:
        Y_rows = check_distribution(as_float_array(Y_arr, "Y", dtype=np.float64), "Y")
    if Y_rows.ndim != 2 or len(Y_rows) != len(X):
        raise ValueError(f"Y must have one label or probability row per row of X ({len(X)}); got shape {Y_arr.shape}.")
    if len(X) == 0:
        raise ValueError("X is empty; mixup needs at least one example.")
    return X, Y_rows


def mixup(X, Y, *, alpha: float, seed: int = 0, n_classes: int | None = None) -> MixupBatch:
    r"""One mixup batch (Zhang et al., 2018): every example mixed with a random partner.

    .. math:: \lambda_i \sim \mathrm{Beta}(\alpha, \alpha), \qquad
              \tilde x_i = \lambda_i x_i + (1 - \lambda_i)\, x_{\pi(i)}, \qquad
              \tilde y_i = \lambda_i y_i + (1 - \lambda_i)\, y_{\pi(i)},

    with :math:`\pi` a random permutation.  Small :math:`\alpha` puts most
    :math:`\lambda` near 0 or 1 (barely mixed); :math:`\alpha = 1` is
    uniform; large :math:`\alpha` concentrates :math:`\lambda` at 1/2.
    ``alpha = 0`` means no mixing (:math:`\lambda = 1`).

    Parameters
    ----------
    X : array_like (N, d).
    Y : array_like (N, K) probability rows, or (N,) integer labels with ``n_classes``.
    alpha : float >= 0.  seed : int.

    Returns
    -------
    MixupBatch(X, Y, lam, partner)

    Examples
    --------
    >>> batch = mixup([[0.0], [1.0]], [0, 1], alpha=1.0, seed=3, n_classes=2)
    >>> print(np.allclose(batch.Y[:, 1], batch.X[:, 0]))   # on this line, the mixed label is the mixed input
    True
    """
    X, Y_rows = _mixup_inputs(X, Y, n_classes)
    alpha = check_scalar(alpha, "alpha")
    if not (0 <= alpha < math.inf):
        raise ValueError(f"alpha must be a finite number >= 0; got {alpha!r}. 0 switches mixup off; 0.2 to 1 is usual.")
    rng = np.random.default_rng(seed)
    n = len(X)
    partner = rng.permutation(n)
    lam = rng.beta(alpha, alpha, size=n) if alpha > 0 else np.ones(n)
    mixed_X = lam[:, None] * X + (1 - lam[:, None]) * X[partner]
    mixed_Y = lam[:, None] * Y_rows + (1 - lam[:, None]) * Y_rows[partner]
    return MixupBatch(mixed_X, mixed_Y, lam, partner)


def mixup_augment(X, Y, *, alpha: float, copies: int = 10, seed: int = 0, n_classes: int | None = None) -> MixupBatch:
    r"""``copies`` independent mixup batches stacked into one fixed training set.

    Full-batch gradient descent on this set minimises a Monte Carlo estimate
    of the mixup objective :math:`\mathbb E_{\lambda, \pi}\big[H(\tilde y, q(\tilde x))\big]`,
    so a deterministic trainer such as :meth:`SoftmaxRegression.fit
    <xentlib.models.SoftmaxRegression.fit>` can train on it.

    Returns
    -------
    MixupBatch with ``copies * N`` rows; row ``r`` mixes example ``r % N`` with example ``partner[r]``.

    Examples
    --------
    >>> batch = mixup_augment([[0.0], [1.0]], [0, 1], alpha=0.4, copies=3, n_classes=2)
    >>> print(batch.X.shape, batch.Y.shape, np.allclose(batch.Y.sum(axis=1), 1))
    (6, 1) (6, 2) True
    """
    copies = check_int(copies, "copies", 1)
    X, Y_rows = _mixup_inputs(X, Y, n_classes)
    rng = np.random.default_rng(seed)
    batches = [mixup(X, Y_rows, alpha=alpha, seed=int(s)) for s in rng.integers(0, 2**31, size=copies)]
    return MixupBatch(*(np.concatenate(part) for part in zip(*batches)))


def mixed_labels_near(batch: MixupBatch, point, radius: float) -> np.ndarray:
    r"""The mixed labels of every mixed example that landed within ``radius`` of ``point``: shape (M, K).

    Different pairs and different :math:`\lambda` can land at (nearly) the
    same mixed input with different mixed labels.  A model sees only the
    input, so the best it can predict there is the average of these labels
    (:func:`best_constant_prediction`).

    Examples
    --------
    >>> batch = mixup_augment([[0.0], [1.0]], [0, 1], alpha=1.0, copies=50, n_classes=2)
    >>> near = mixed_labels_near(batch, [0.5], 0.05)
    >>> print(near.shape[1], np.all(np.abs(near[:, 1] - 0.5) <= 0.05))   # on a line, the label follows the input
    2 True
    """
    if not isinstance(batch, MixupBatch):
        raise TypeError(f"batch must be a MixupBatch (from mixup or mixup_augment); got {type(batch).__name__}.")
    p = check_finite(as_float_array(point, "point", dtype=np.float64), "point").ravel()
    if p.shape != batch.X.shape[1:]:
        raise ValueError(f"point must have {batch.X.shape[1]} coordinates, like the mixed inputs; got shape {p.shape}.")
    r = check_positive(radius, "radius")
    return batch.Y[np.linalg.norm(batch.X - p, axis=1) <= r]


def best_constant_prediction(targets, weights=None) -> np.ndarray:
    r"""The prediction :math:`q` with the lowest expected cross-entropy against random targets: their mean.

    Cross-entropy is linear in the target, so
    :math:`\mathbb E[H(\tilde y, q)] = H(\mathbb E[\tilde y], q)`, which
    (notebook 01) is smallest at :math:`q = \mathbb E[\tilde y]`, with minimum
    :math:`H(\mathbb E[\tilde y])`.  For mixup: wherever several mixed
    examples land on the same input, the best a model can say there is the
    average of their mixed labels.

    Parameters
    ----------
    targets : array_like (M, K) probability rows.  weights : array_like (M,) >= 0, or None for equal weights.

    Examples
    --------
    >>> print(best_constant_prediction([[0.8, 0.2], [0.4, 0.6]]))
    [0.6 0.4]
    """
    t = check_distribution(as_float_array(targets, "targets", dtype=np.float64), "targets")
    if t.ndim != 2 or len(t) == 0:
        raise ValueError(f"targets must have shape (M, K) with M >= 1; got shape {t.shape}.")
    if weights is None:
        return t.mean(axis=0)
    w = check_finite(as_float_array(weights, "weights", dtype=np.float64), "weights")
    if w.shape != (len(t),) or w.min() < 0 or w.sum() <= 0:
        raise ValueError(f"weights must be (M,) = ({len(t)},) non-negative numbers with a positive sum; got shape {w.shape}.")
    return w @ t / w.sum()


def constant_prediction_losses(targets, q_grid) -> np.ndarray:
    r"""Mean binary cross-entropy of every constant prediction :math:`q` on a grid, against soft targets.

    .. math:: L(q) = -\frac1M\sum_m \big[t_m \ln q + (1 - t_m)\ln(1-q)\big]

    A brute-force check of :func:`best_constant_prediction` that does not
    use its formula: the grid's argmin should sit at the mean target.

    Parameters
    ----------
    targets : array_like (M,) in [0, 1], probabilities of class 1.
    q_grid : array_like (G,) in (0, 1).

    Returns
    -------
    ndarray (G,) of mean losses in nats.

    Examples
    --------
    >>> grid = np.linspace(0.01, 0.99, 99)
    >>> print(round(grid[np.argmin(constant_prediction_losses([0.2, 0.9, 0.7], grid))], 2))
    0.6
    """
    t = check_probabilities(as_float_array(targets, "targets", dtype=np.float64).ravel(), "targets")
    q = check_probabilities(as_float_array(q_grid, "q_grid", dtype=np.float64).ravel(), "q_grid")
    if t.size == 0:
        raise ValueError("targets is empty; pass at least one target.")
    if q.min() <= 0 or q.max() >= 1:
        raise ValueError(f"q_grid must lie strictly inside (0, 1), where log q and log(1 - q) are finite; got min={q.min()}, max={q.max()}.")
    losses = -(t[:, None] * np.log(q) + (1 - t[:, None]) * np.log1p(-q))  # (M, G): every target, every q
    return losses.mean(axis=0)
