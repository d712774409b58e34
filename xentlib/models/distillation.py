"""Distillation (notebook 09): a softmax-regression student trained on a teacher's softened outputs."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._numerics import xlogy
from .._validation import check_class_labels, check_in_range, check_matrix, check_positive
from ..links import softmax
from ..losses import softmax_cross_entropy_and_grad
from .softmax import SoftmaxRegression

__all__ = ["DistillationTargets", "DistilledSoftmaxRegression"]


class DistillationTargets(NamedTuple):
    """What a distilled student trains on: the teacher's logits and, optionally, the hard labels."""

    teacher_logits: np.ndarray  # (N, K)
    labels: np.ndarray | None = None  # (N,) int, needed when alpha < 1


class DistilledSoftmaxRegression(SoftmaxRegression):
    r"""A softmax-regression student trained on a teacher's softened outputs, hard labels, or a mix.

    It minimises, by the same gradient descent as
    :class:`~xentlib.models.SoftmaxRegression`,

    .. math:: J = \alpha\, T^2\, \frac1N\sum_i D_{\mathrm{KL}}\big(\operatorname{softmax}(t_i/T)\,\|\,\operatorname{softmax}(s_i/T)\big)
              + (1 - \alpha)\, \frac1N\sum_i -\log \operatorname{softmax}(s_i)_{y_i}
              + \tfrac{\lambda}{2}\lVert W\rVert^2,

    with :math:`s_i = x_i W + b` the student's logits and :math:`t_i` the
    teacher's.  Its logit gradient is
    :math:`\alpha\,T\,(q_s - q_t) + (1-\alpha)(p - e_y)`, per example.
    ``alpha = 1`` is pure distillation, ``alpha = 0`` ordinary training on labels.

    Train with ``fit(X, DistillationTargets(teacher_logits, labels))``.  Any
    other targets (integer labels, probability rows) mean plain
    cross-entropy, so ``student.loss(X_test, y_test)`` is the test loss.

    Examples
    --------
    >>> from xentlib.datasets import ring_classes, ring_logits
    >>> X, y = ring_classes(300, seed=1)
    >>> teacher = ring_logits(X)                        # the Bayes-optimal teacher
    >>> few = slice(0, 10)                              # a transfer set of 10 examples
    >>> student = DistilledSoftmaxRegression(2, 5, temperature=4.0)
    >>> _ = student.fit(X[few], DistillationTargets(teacher[few]), lr=1.0, steps=200)
    >>> hard = DistilledSoftmaxRegression(2, 5, alpha=0.0)
    >>> _ = hard.fit(X[few], DistillationTargets(teacher[few], y[few]), lr=1.0, steps=200)
    >>> print(student.loss(X, y) < hard.loss(X, y))     # 10 soft targets teach more than 10 labels
    True
    """

    def __init__(self, n_features: int, n_classes: int, *, temperature: float = 1.0, alpha: float = 1.0,
                 l2: float = 0.0, seed: int | None = None, init_scale: float = 0.0):
        super().__init__(n_features, n_classes, l2=l2, seed=seed, init_scale=init_scale)
        self.temperature = check_positive(temperature, "temperature", "Distillation uses T >= 1 to soften the teacher.")
        self.alpha = check_in_range(alpha, "alpha", 0.0, 1.0, "It is the weight of the soft (teacher) term; 1 means soft targets only.")

    def _data(self, X, y):
        if not isinstance(y, DistillationTargets):
            return super()._data(X, y)  # plain labels or rows: ordinary cross-entropy (evaluation)
        X = check_matrix(X, "X")
        t = check_matrix(y.teacher_logits, "teacher_logits")
        if t.shape != (len(X), self.n_classes):
            raise ValueError(f"teacher_logits must have shape ({len(X)}, {self.n_classes}), one row of class logits per row of X; "
                             f"got {t.shape}.")
        labels = None
        if y.labels is not None:
            labels = check_class_labels(y.labels, self.n_classes, "labels")
            if labels.shape != (len(X),):
                raise ValueError(f"labels must have one class per row of X, shape ({len(X)},); got {labels.shape}.")
        elif self.alpha < 1:
            raise ValueError(f"alpha = {self.alpha} < 1 puts weight on hard labels, but DistillationTargets has labels=None. "
                             "Pass DistillationTargets(teacher_logits, labels), or use alpha=1.")
        soft = softmax(t, temperature=self.temperature)  # fixed during training: computed once
        return X, _Prepared(soft, float(np.mean(-np.sum(xlogy(soft, soft), axis=1))), labels, t.argmax(axis=1))

    def _loss_and_logit_grad(self, z, y):
        if not isinstance(y, _Prepared):
            return super()._loss_and_logit_grad(z, y)
        temp = self.temperature
        loss, grad = 0.0, np.zeros_like(z)
        if self.alpha > 0:
            # T^2 KL(q_t || softmax(z/T)) = T^2 [H(q_t, softmax(z/T)) - H(q_t)]: one cross-entropy on z / T,
            # whose gradient with respect to z is (1/T) times its gradient with respect to z / T.
            ce, g = softmax_cross_entropy_and_grad(z / temp, y.soft)
            loss += self.alpha * temp**2 * (ce - y.entropy)
            grad += self.alpha * temp * g
        if self.alpha < 1:
            hard_loss, hard_grad = softmax_cross_entropy_and_grad(z, y.labels)
            loss += (1 - self.alpha) * hard_loss
            grad += (1 - self.alpha) * hard_grad
        return loss, grad

    def _correct(self, z, y):
        if not isinstance(y, _Prepared):
            return super()._correct(z, y)
        return z.argmax(axis=1) == (y.labels if y.labels is not None else y.teacher_argmax)


class _Prepared(NamedTuple):
    soft: np.ndarray  # (N, K) softmax(teacher_logits / T)
    entropy: float  # mean entropy of the soft targets: the KL's constant part
    labels: np.ndarray | None
    teacher_argmax: np.ndarray
