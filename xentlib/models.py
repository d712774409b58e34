"""Models small enough to read in full, trained with the closed-form gradients of :mod:`xentlib.losses`.

Notebooks train these instead of defining models in cells, so every
training loop a learner sees is tested code.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ._validation import as_float_array, check_binary_labels, check_int, check_positive
from .losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    sigmoid_mse_loss,
    sigmoid_mse_loss_grad,
)
from .links import sigmoid

__all__ = ["LOSSES", "LogisticRegression", "TinyMLP", "History"]

#: Binary losses on logits, by name: (loss, gradient w.r.t. the logits).
LOSSES: dict[str, tuple[Callable, Callable]] = {
    "cross-entropy": (binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad),
    "squared error": (sigmoid_mse_loss, sigmoid_mse_loss_grad),
}


class History(NamedTuple):
    """Loss (and accuracy) after every training step, step 0 being the starting point."""

    loss: np.ndarray
    accuracy: np.ndarray


def _data(X, y):
    X = as_float_array(X, "X", dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d); got shape {X.shape}. Use X[:, None] for one feature.")
    y = check_binary_labels(as_float_array(y, "y", dtype=np.float64))
    if y.shape != (len(X),):
        raise ValueError(f"y must have one 0/1 label per row of X, shape ({len(X)},); got shape {y.shape}.")
    return X, y


def _loss_pair(loss: str):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}.")
    return LOSSES[loss]


class _BinaryModel:
    """What every model here shares: probabilities, loss, accuracy and the gradient-descent loop.

    A subclass provides ``logits(X)``, ``_gradients(X, y)`` (on validated
    data) and ``_params()`` (the arrays, updated in place, in the same order).
    """

    loss_fn = staticmethod(LOSSES["cross-entropy"][0])
    grad_fn = staticmethod(LOSSES["cross-entropy"][1])

    def predict_proba(self, X) -> np.ndarray:
        return sigmoid(self.logits(X))

    def loss(self, X, y) -> float:
        X, y = _data(X, y)
        return float(self.loss_fn(self.logits(X), y))

    def accuracy(self, X, y) -> float:
        X, y = _data(X, y)
        return float(np.mean((self.logits(X) > 0) == (y == 1)))

    def step(self, X, y, lr: float) -> None:
        r"""One gradient-descent step, :math:`\theta \leftarrow \theta - \eta\, \nabla_\theta L`."""
        self._descend(*_data(X, y), check_positive(lr, "lr"))

    def _descend(self, X, y, lr: float) -> None:
        for param, grad in zip(self._params(), self._gradients(X, y)):
            param -= lr * grad  # in place: the arrays are the model's own

    def fit(self, X, y, *, lr: float = 0.5, steps: int = 100, callback=None) -> History:
        """Full-batch gradient descent; returns the loss and accuracy before and after every step.

        ``callback(t, model)``, if given, is called after step ``t`` (``t = 0``
        is the start), e.g. to keep snapshots of the parameters.
        """
        X, y = _data(X, y)  # validated once, not on every step
        lr, steps = check_positive(lr, "lr"), check_int(steps, "steps", 0)
        losses, accs = [], []
        for t in range(steps + 1):
            if t:
                self._descend(X, y, lr)
            z = self.logits(X)
            losses.append(float(self.loss_fn(z, y)))
            accs.append(float(np.mean((z > 0) == (y == 1))))
            if callback is not None:
                callback(t, self)
        return History(np.array(losses), np.array(accs))


class LogisticRegression(_BinaryModel):
    r"""Logistic regression :math:`p = \sigma(w^\top x + b)`, trained by gradient descent.

    Each step is the update from the notebooks,
    :math:`w \leftarrow w - \eta\, \tfrac1N \sum_i (p_i - y_i)\, x_i`, for cross-entropy
    (with ``loss="squared error"`` the error signal gains a factor :math:`2p(1-p)`).

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]]); y = np.array([0, 0, 1, 1])
    >>> model = LogisticRegression(1)
    >>> history = model.fit(X, y, lr=0.5, steps=200)
    >>> print(round(history.loss[0], 4), history.loss[-1] < 0.05)   # starts at ln 2: p = 0.5 everywhere
    0.6931 True
    """

    def __init__(self, n_features: int, *, w=None, b: float = 0.0, loss: str = "cross-entropy"):
        self.loss_fn, self.grad_fn = _loss_pair(loss)
        self.loss_name = loss
        n_features = check_int(n_features, "n_features", 1)
        self.w = np.zeros(n_features) if w is None else as_float_array(w, "w", dtype=np.float64).reshape(n_features).copy()
        self._b = np.array(float(b))  # a 0-d array, so it updates in place like w

    @property
    def b(self) -> float:
        return float(self._b)

    @b.setter
    def b(self, value: float) -> None:
        self._b[...] = value

    def logits(self, X) -> np.ndarray:
        return as_float_array(X, "X", dtype=np.float64) @ self.w + self.b

    def gradient(self, X, y):
        r"""(dL/dw, dL/db) of the mean loss: the logit gradient pushed back through :math:`z = w^\top x + b`."""
        gw, gb = self._gradients(*_data(X, y))
        return gw, float(gb)

    def _gradients(self, X, y):
        g = self.grad_fn(X @ self.w + self.b, y)  # dL/dz_i, already divided by N
        return X.T @ g, g.sum()

    def _params(self):
        return self.w, self._b


class TinyMLP(_BinaryModel):
    r"""A one-hidden-layer network :math:`p = \sigma\big(v^\top \tanh(W x + c) + b\big)` trained on cross-entropy.

    Small enough to backpropagate by hand:
    with :math:`g = \partial L/\partial z = (p - y)/N` at the output,
    :math:`\partial L/\partial v = h^\top g`, and the hidden pre-activations get
    :math:`(g\, v^\top) \odot (1 - h^2)`.

    Examples
    --------
    >>> from xentlib.datasets import xor
    >>> X, y = xor(200, seed=0)
    >>> net = TinyMLP(hidden=4, seed=0)
    >>> history = net.fit(X, y, lr=1.0, steps=600)
    >>> print(history.accuracy[-1] > 0.95, history.loss[-1] < 0.1)
    True True
    """

    def __init__(self, n_features: int = 2, hidden: int = 4, *, seed: int = 0, init_scale: float = 1.0):
        rng = np.random.default_rng(seed)
        n_features = check_int(n_features, "n_features", 1)
        hidden = check_int(hidden, "hidden", 1)
        self.W = rng.normal(scale=init_scale / np.sqrt(n_features), size=(hidden, n_features))
        self.c = np.zeros(hidden)
        self.v = rng.normal(scale=init_scale / np.sqrt(hidden), size=hidden)
        self._b = np.zeros(())

    b = LogisticRegression.b

    def hidden(self, X) -> np.ndarray:
        r"""The learnt features :math:`h = \tanh(W x + c)`, shape (N, hidden)."""
        return np.tanh(as_float_array(X, "X", dtype=np.float64) @ self.W.T + self.c)

    def logits(self, X) -> np.ndarray:
        return self.hidden(X) @ self.v + self.b

    def gradients(self, X, y):
        """(dW, dc, dv, db) of the mean cross-entropy, by backpropagation."""
        dW, dc, dv, db = self._gradients(*_data(X, y))
        return dW, dc, dv, float(db)

    def _gradients(self, X, y):
        h = np.tanh(X @ self.W.T + self.c)
        g = self.grad_fn(h @ self.v + self.b, y)  # (p - y) / N
        g_pre = np.outer(g, self.v) * (1 - h**2)  # through tanh: tanh' = 1 - tanh^2
        return g_pre.T @ X, g_pre.sum(axis=0), h.T @ g, g.sum()

    def _params(self):
        return self.W, self.c, self.v, self._b
