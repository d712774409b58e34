"""Multinomial logistic regression over K classes, on integer labels or probability rows."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int
from ..links import softmax
from ..losses import softmax_cross_entropy_and_grad
from ._base import _check_l2, _features, _Model

__all__ = ["SoftmaxRegression"]


class SoftmaxRegression(_Model):
    r"""Multinomial logistic regression :math:`p = \operatorname{softmax}(x W + b)` over K classes.

    Targets are integer labels (N,) or probability rows (N, K): soft labels,
    annotator votes, a teacher's outputs or mixup's mixed labels all train
    the same way, because the gradient is always
    :math:`\partial L/\partial z = (p - t)/N`.
    ``class_weight`` and ``label_smoothing`` pass through to
    :func:`~xentlib.losses.softmax_cross_entropy`.

    Examples
    --------
    >>> X = np.array([[-2.0], [0.0], [2.0]]); y = np.array([0, 1, 2])
    >>> model = SoftmaxRegression(1, 3)
    >>> history = model.fit(X, y, lr=1.0, steps=300)
    >>> print(round(history.loss[0], 4), history.accuracy[-1])      # starts at ln 3: uniform over 3 classes
    1.0986 1.0
    """

    def __init__(self, n_features: int, n_classes: int, *, l2: float = 0.0, class_weight=None,
                 label_smoothing: float = 0.0, seed: int | None = None, init_scale: float = 0.0):
        n_features = check_int(n_features, "n_features", 1)
        self.n_classes = check_int(n_classes, "n_classes", 2)
        self.l2 = _check_l2(l2)
        self.class_weight, self.label_smoothing = class_weight, label_smoothing
        rng = np.random.default_rng(seed)
        self.W = rng.normal(scale=init_scale / np.sqrt(n_features), size=(n_features, self.n_classes)) if init_scale else np.zeros((n_features, self.n_classes))
        self.b = np.zeros(self.n_classes)

    def logits(self, X) -> np.ndarray:
        return as_float_array(X, "X", dtype=np.float64) @ self.W + self.b

    def predict_proba(self, X) -> np.ndarray:
        return softmax(self.logits(X))

    def _data(self, X, y):
        X = _features(X)
        y = np.asarray(y)
        if len(y) != len(X):
            raise ValueError(f"y must have one label or probability row per row of X ({len(X)}); got {len(y)}.")
        if y.ndim == 2 and y.shape[1] != self.n_classes:
            raise ValueError(f"y's probability rows must have {self.n_classes} entries, one per class; got shape {y.shape}.")
        self._loss_and_logit_grad(np.zeros((len(X), self.n_classes)), y)  # the loss validates labels and rows
        return X, y

    def _loss_and_logit_grad(self, z, y):
        return softmax_cross_entropy_and_grad(z, y, class_weight=self.class_weight, label_smoothing=self.label_smoothing)

    def _correct(self, z, y):
        return z.argmax(axis=1) == (y if y.ndim == 1 else y.argmax(axis=1))

    def _backward(self, X, g):
        return X.T @ g, g.sum(axis=0)

    def _params(self):
        return self.W, self.b
