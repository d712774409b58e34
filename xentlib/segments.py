r"""Smooth segment predictions: a Jensen-Shannon penalty between neighbouring positions, and its smoother.

A predictor that judges each position of a sequence on its own (a
per-residue cross-entropy) gives fragmented tracks: a helix broken by stray
one-residue strands.  Notebook 10 counts the fragments and removes them.

* **Sequences**: the secondary-structure states, a toy protein's labels and
  noisy logits (:data:`STRUCTURES`, :class:`SecondaryStructure`; the seeded
  generator is :func:`xentlib.datasets.secondary_structure`), and how
  fragmented a track is (:func:`count_segments`, :func:`fragmentation`).
* **The penalty**: the sum of Jensen-Shannon divergences between
  neighbouring positions' predicted distributions and its gradient
  (:func:`js_smoothness`, :func:`js_smoothness_grad`).
* **The smoother**: cross-entropy to the noisy predictions plus the
  weighted penalty, minimised over the logits (:func:`smoothing_objective`,
  :func:`smoothing_objective_grad`, :func:`smooth_segments`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_class_labels,
    check_class_logits,
    check_finite,
    check_in_range,
    check_int,
    check_scalar,
)
from .links import log_softmax, softmax

__all__ = [
    "STRUCTURES", "SecondaryStructure", "count_segments", "fragmentation",
    "js_smoothness", "js_smoothness_grad", "smoothing_objective", "smoothing_objective_grad", "smooth_segments",
]

#: The three secondary-structure states, in label order, with their one-letter codes.
STRUCTURES = {"helix": "H", "sheet": "E", "coil": "C"}


class SecondaryStructure(NamedTuple):
    """A toy protein: ``labels`` (L,), the true state per residue (0 helix, 1 sheet, 2 coil), and ``logits`` (L, 3).

    ``logits`` are the noisy per-residue predictions.
    """

    labels: np.ndarray
    logits: np.ndarray

    def string(self, labels=None) -> str:
        """Labels as a one-letter string (H helix, E sheet strand, C coil); the true ones by default."""
        codes = np.array(list(STRUCTURES.values()))
        return "".join(codes[self.labels if labels is None else np.asarray(labels)])


def _labels_1d(labels, name: str = "labels") -> np.ndarray:
    a = check_class_labels(labels, None, name)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of class labels; got shape {a.shape}.")
    return a


def count_segments(labels) -> int:
    r"""The number of segments (maximal runs of one label) in a sequence: 1 + the number of changes.

    Examples
    --------
    >>> count_segments([0, 0, 2, 2, 2, 1, 2, 0, 0])
    5
    """
    a = _labels_1d(labels)
    return 1 + int(np.count_nonzero(a[1:] != a[:-1]))


def fragmentation(predicted, true) -> float:
    r"""How fragmented a predicted track is: its number of segments divided by the true number.

    1 means as many segments as the truth; 3 means the prediction breaks the
    chain into three times as many pieces; below 1, true segments were merged.

    Examples
    --------
    >>> print(fragmentation([0, 2, 0, 0, 2, 2], [0, 0, 0, 0, 2, 2]))
    2.0
    """
    p, t = _labels_1d(predicted, "predicted"), _labels_1d(true, "true")
    if p.shape != t.shape:
        raise ValueError(f"predicted and true must have the same length; got {p.size} and {t.size}.")
    return count_segments(p) / count_segments(t)


def _seq_logits(z, name: str = "z") -> np.ndarray:
    z = check_class_logits(z, name)
    if len(z) < 2:
        raise ValueError(f"{name} needs at least 2 positions to have neighbours; got shape {z.shape}.")
    return z


def _js_parts(z: np.ndarray):
    """Value and gradient of the neighbour JS penalty for logits (..., K, L): class axis first, positions last.

    The class axis is the leading one so that the sums over classes are
    element-wise operations on contiguous rows: this keeps the smoother fast.
    """
    m = z.max(axis=-2, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=-2, keepdims=True)
    p = e / s
    logp = (z - m) - np.log(s)
    a, b = logp[..., :-1], logp[..., 1:]
    log_mid = np.logaddexp(a, b) - math.log(2.0)  # log of the midpoint (p_t + p_t+1) / 2, stable
    da, db = a - log_mid, b - log_mid  # log(p_t / m), log(p_t+1 / m): finite, at most log 2
    value = 0.5 * (np.sum(p[..., :-1] * da, axis=(-2, -1)) + np.sum(p[..., 1:] * db, axis=(-2, -1)))
    g = np.zeros_like(z)  # dS/dp: each position collects 1/2 log(p / m) from each of its neighbours
    g[..., :-1] += 0.5 * da
    g[..., 1:] += 0.5 * db
    grad = p * (g - np.sum(p * g, axis=-2, keepdims=True))  # back through the softmax
    return value, grad, p


def js_smoothness(z) -> float:
    r"""Sum of Jensen-Shannon divergences between neighbouring positions' predicted distributions.

    .. math:: S(Z) = \sum_{t=1}^{L-1} \mathrm{JS}(p_t, p_{t+1}),\qquad p_t = \operatorname{softmax}(z_t),

    in nats, with :math:`\mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p\,\|\,m) + \tfrac12 \mathrm{KL}(q\,\|\,m)`,
    :math:`m = \tfrac12(p + q)` (:func:`xentlib.information.js_divergence`).
    Each term is at most :math:`\ln 2`, reached when the neighbours are
    certain of different states: unlike KL, a sharp boundary costs a bounded
    amount, so the penalty discourages *many* changes of state rather than
    forbidding any.

    Examples
    --------
    >>> print(js_smoothness([[9.0, -9.0], [9.0, -9.0], [-9.0, 9.0]]))   # one sharp boundary: close to ln 2
    0.6931
    """
    z = _seq_logits(z)
    return float(_js_parts(z.T)[0])


def js_smoothness_grad(z) -> np.ndarray:
    r"""Gradient of :func:`js_smoothness` with respect to the logits, shape (L, K).

    With :math:`m_{t} = \tfrac12(p_t + p_{t+1})`, the derivative of one term is
    :math:`\partial\,\mathrm{JS}(p, q)/\partial p_k = \tfrac12 \log(p_k / m_k)`
    (the other terms of the derivative cancel), so position :math:`t`
    collects :math:`g_t = \tfrac12 \log(p_t/m_{t-1}) + \tfrac12\log(p_t/m_t)` from its
    neighbours, and the softmax's Jacobian turns it into

    .. math:: \frac{\partial S}{\partial z_t} = p_t \odot \big(g_t - \langle p_t, g_t\rangle\big).

    Examples
    --------
    >>> print(js_smoothness_grad([[1.0, 0.0], [1.0, 0.0]]))   # neighbours agree: a minimum
    [[0. 0.]
     [0. 0.]]
    """
    z = _seq_logits(z)
    return _js_parts(z.T)[1].T.copy()


def _smoothing_inputs(z, noisy_logits, lam):
    z, noisy = _seq_logits(z), _seq_logits(noisy_logits, "noisy_logits")
    if z.shape != noisy.shape:
        raise ValueError(f"z and noisy_logits must have the same shape; got {z.shape} and {noisy.shape}.")
    lam = check_scalar(lam, "lam")
    if not (0 <= lam < math.inf):
        raise ValueError(f"lam must be a finite number >= 0; got {lam!r}. It weighs the smoothness penalty; 0 means none.")
    return z, noisy, lam


def smoothing_objective(z, noisy_logits, lam: float) -> float:
    r"""What :func:`smooth_segments` minimises: cross-entropy to the noisy predictions plus :math:`\lambda` times the JS penalty.

    .. math:: J(Z) = \sum_{t=1}^{L} H\big(q_t, \operatorname{softmax}(z_t)\big) + \lambda \sum_{t=1}^{L-1} \mathrm{JS}(p_t, p_{t+1}),
              \qquad q_t = \operatorname{softmax}(\text{noisy}_t)

    The first term keeps each position close to what the per-position
    predictor said (it is smallest at :math:`p_t = q_t`); the second charges
    for every change between neighbours.

    Examples
    --------
    >>> z = [[2.0, 0.0], [0.0, 2.0]]
    >>> print(round(smoothing_objective(z, z, 0.0), 4), round(smoothing_objective(z, z, 1.0), 4))
    0.7307 1.0585
    """
    z, noisy, lam = _smoothing_inputs(z, noisy_logits, lam)
    q = softmax(noisy)
    return float(-np.sum(q * log_softmax(z))) + lam * float(_js_parts(z.T)[0])


def smoothing_objective_grad(z, noisy_logits, lam: float) -> np.ndarray:
    r"""Gradient of :func:`smoothing_objective` with respect to ``z``: :math:`p_t - q_t + \lambda\, \partial S/\partial z_t`.

    Examples
    --------
    >>> z = [[2.0, 0.0], [2.0, 0.0]]
    >>> print(smoothing_objective_grad(z, z, 5.0))   # already equal to the targets, and neighbours agree
    [[0. 0.]
     [0. 0.]]
    """
    z, noisy, lam = _smoothing_inputs(z, noisy_logits, lam)
    return softmax(z) - softmax(noisy) + lam * _js_parts(z.T)[1].T


def smooth_segments(noisy_logits, lam, *, steps: int = 200, momentum: float = 0.9) -> np.ndarray:
    r"""Smooth per-position predictions by minimising :func:`smoothing_objective` over the logits.

    Gradient descent with heavy-ball momentum from :math:`Z = \text{noisy}`,
    step size :math:`1/(1 + \lambda)` (the curvature grows with
    :math:`\lambda`), ``steps`` steps:

    .. math:: v \leftarrow \mu v - \eta \nabla J(Z + \mu v),\quad Z \leftarrow Z + v \qquad (\text{Nesterov's form}).

    ``lam`` may be one weight or a 1-d array of weights; every weight is
    solved from the same start, independently (all at once, vectorised).
    Returns the smoothed logits, shape (L, K) for one weight or
    (len(lam), L, K).  The objective is not convex (the penalty is bounded),
    so this finds a nearby minimum: isolated flips are absorbed by their
    neighbours, while long runs of a state survive.

    Examples
    --------
    >>> noisy = np.array([[2.0, 0.0], [2.0, 0.0], [0.0, 0.5], [2.0, 0.0], [2.0, 0.0]])
    >>> print(smooth_segments(noisy, 0.0).argmax(axis=1), smooth_segments(noisy, 3.0).argmax(axis=1))
    [0 0 1 0 0] [0 0 0 0 0]
    """
    noisy = _seq_logits(noisy_logits, "noisy_logits")
    lams = check_finite(as_float_array(lam, "lam", dtype=np.float64), "lam")
    if lams.ndim > 1 or (lams.size and lams.min() < 0) or lams.size == 0:
        raise ValueError(f"lam must be a number >= 0 or a non-empty 1-d array of them; got {np.asarray(lam)!r}.")
    steps = check_int(steps, "steps", 0)
    mu = check_in_range(momentum, "momentum", 0.0, 0.99, "0 is plain gradient descent; 0.9 converges faster.")
    weights = lams.reshape(-1, 1, 1)  # (B, 1, 1) against logits laid out (B, K, L)
    zk = noisy.T[None]  # (1, K, L)
    q = np.exp(zk - zk.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    z = np.repeat(zk, len(weights), axis=0)
    v = np.zeros_like(z)
    lr = 1.0 / (1.0 + weights)
    for _ in range(steps):
        ahead = z + mu * v
        _, g_js, p = _js_parts(ahead)
        v = mu * v - lr * (p - q + weights * g_js)
        z = z + v
    out = z.transpose(0, 2, 1)
    return out[0].copy() if lams.ndim == 0 else np.ascontiguousarray(out)
