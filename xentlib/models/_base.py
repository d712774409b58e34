"""What every model shares: :class:`History`, the gradient-descent loop of :class:`_Model` and the checks of its inputs."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_binary_labels, check_int, check_positive, check_scalar
from ..links import sigmoid
from ..losses import LOSSES

__all__ = ["LOSSES", "History"]


class History(NamedTuple):
    """Loss (and accuracy) after every training step, step 0 being the starting point.

    ``loss`` is the data term (mean loss over the examples), without the L2 penalty.
    """

    loss: np.ndarray
    accuracy: np.ndarray


def _features(X) -> np.ndarray:
    X = as_float_array(X, "X", dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d); got shape {X.shape}. Use X[:, None] for one feature.")
    return X


def _binary_data(X, y):
    X = _features(X)
    y = check_binary_labels(as_float_array(y, "y", dtype=np.float64))
    if y.shape != (len(X),):
        raise ValueError(f"y must have one 0/1 label per row of X, shape ({len(X)},); got shape {y.shape}.")
    return X, y


def _check_l2(l2) -> float:
    l2 = check_scalar(l2, "l2")
    if not (0 <= l2 < float("inf")):
        raise ValueError(f"l2 must be a finite number >= 0; got {l2!r}. It is the weight-decay strength lambda; 0 means none.")
    return l2


def _loss_pair(loss: str):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}.")
    return LOSSES[loss]


class _Model:
    """What every model here shares: loss, accuracy, the L2 penalty and the gradient-descent loop.

    A subclass provides ``logits(X)``, ``_data(X, y)`` (validation),
    ``_loss_and_logit_grad(z, y)`` (mean loss and dL/dz), ``_correct(z, y)``,
    ``_backward(X, g)`` (parameter gradients from dL/dz, same order as
    ``_params()``), ``_params()`` (arrays updated in place) and
    ``_penalised`` (indices into ``_params()`` of the weights L2 applies to).
    """

    l2 = 0.0
    _penalised: tuple[int, ...] = (0,)

    def loss(self, X, y) -> float:
        """The mean data loss (without the L2 penalty)."""
        X, y = self._data(X, y)
        return float(self._loss_and_logit_grad(self.logits(X), y)[0])

    def objective(self, X, y) -> float:
        r"""What gradient descent minimises: mean loss + :math:`\tfrac{\lambda}{2}\lVert w\rVert^2`."""
        return self.loss(X, y) + self._penalty()

    def accuracy(self, X, y) -> float:
        X, y = self._data(X, y)
        return float(np.mean(self._correct(self.logits(X), y)))

    def gradients(self, X, y) -> tuple:
        """Gradients of :meth:`objective` with respect to each parameter array, by backpropagation."""
        X, y = self._data(X, y)
        return tuple(g.copy() if g.ndim else float(g) for g in self._gradients(X, y))

    def step(self, X, y, lr: float) -> None:
        r"""One gradient-descent step, :math:`\theta \leftarrow \theta - \eta\, \nabla_\theta J`."""
        self._descend(*self._data(X, y), check_positive(lr, "lr"))

    def fit(self, X, y, *, lr: float = 0.5, steps: int = 100, callback=None) -> History:
        """Full-batch gradient descent; returns the loss and accuracy before and after every step.

        ``callback(t, model)``, if given, is called after step ``t`` (``t = 0``
        is the start), e.g. to keep snapshots of the parameters.
        """
        X, y = self._data(X, y)  # validated once, not on every step
        lr, steps = check_positive(lr, "lr"), check_int(steps, "steps", 0)
        losses, accs = [], []
        for t in range(steps + 1):
            if t:
                self._descend(X, y, lr)
            z = self.logits(X)
            losses.append(float(self._loss_and_logit_grad(z, y)[0]))
            accs.append(float(np.mean(self._correct(z, y))))
            if callback is not None:
                callback(t, self)
        return History(np.array(losses), np.array(accs))

    def _penalty(self) -> float:
        params = self._params()
        return 0.5 * self.l2 * sum(float(np.sum(params[i] ** 2)) for i in self._penalised)

    def _gradients(self, X, y):
        _, g = self._loss_and_logit_grad(self.logits(X), y)  # dL/dz, already divided by N
        grads = list(self._backward(X, g))
        if self.l2:
            params = self._params()
            for i in self._penalised:
                grads[i] = grads[i] + self.l2 * params[i]
        return grads

    def _descend(self, X, y, lr: float) -> None:
        for param, grad in zip(self._params(), self._gradients(X, y)):
            param -= lr * grad  # in place: the arrays are the model's own


class _BinaryModel(_Model):
    r"""A model with one logit per example, :math:`p = \sigma(z)`, on 0/1 labels."""

    loss_fn = staticmethod(LOSSES["cross-entropy"][0])
    grad_fn = staticmethod(LOSSES["cross-entropy"][1])

    def predict_proba(self, X) -> np.ndarray:
        return sigmoid(self.logits(X))

    def _data(self, X, y):
        return _binary_data(X, y)

    def _loss_and_logit_grad(self, z, y):
        return self.loss_fn(z, y), self.grad_fn(z, y)

    def _correct(self, z, y):
        return (z > 0) == (y == 1)

    @property
    def b(self) -> float:
        return float(self._b)

    @b.setter
    def b(self, value: float) -> None:
        self._b[...] = value
