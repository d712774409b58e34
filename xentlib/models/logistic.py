"""Logistic regression, trained by gradient descent, and the same model step by step: its loss and gradient, an SGD trace."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_int, check_positive
from ._base import _BinaryModel, _check_l2, _loss_pair

__all__ = ["LogisticRegression", "logistic_loss_and_grad", "SGDTrace", "sgd_trace"]


class LogisticRegression(_BinaryModel):
    r"""Logistic regression :math:`p = \sigma(w^\top x + b)`, trained by gradient descent.

    Each step is the update from the notebooks,
    :math:`w \leftarrow w - \eta\, \big(\tfrac1N \sum_i (p_i - y_i)\, x_i + \lambda w\big)`, for cross-entropy
    (with ``loss="squared error"`` the error signal gains a factor :math:`2p(1-p)`).

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]]); y = np.array([0, 0, 1, 1])
    >>> model = LogisticRegression(1)
    >>> history = model.fit(X, y, lr=0.5, steps=200)
    >>> print(round(history.loss[0], 4), history.loss[-1] < 0.05)   # starts at ln 2: p = 0.5 everywhere
    0.6931 True
    >>> ridge = LogisticRegression(1, l2=1.0)                       # a Gaussian prior keeps w small
    >>> _ = ridge.fit(X, y, lr=0.5, steps=200)
    >>> print(abs(ridge.w[0]) < abs(model.w[0]))
    True
    """

    def __init__(self, n_features: int, *, w=None, b: float = 0.0, loss: str = "cross-entropy", l2: float = 0.0):
        self.loss_fn, self.grad_fn = _loss_pair(loss)
        self.loss_name = loss
        self.l2 = _check_l2(l2)
        n_features = check_int(n_features, "n_features", 1)
        self.w = np.zeros(n_features) if w is None else as_float_array(w, "w", dtype=np.float64).reshape(n_features).copy()
        self._b = np.array(float(b))  # a 0-d array, so it updates in place like w

    def logits(self, X) -> np.ndarray:
        return as_float_array(X, "X", dtype=np.float64) @ self.w + self.b

    def gradient(self, X, y):
        r"""(dJ/dw, dJ/db): the logit gradient pushed back through :math:`z = w^\top x + b`."""
        return self.gradients(X, y)

    def _backward(self, X, g):
        return X.T @ g, g.sum()

    def _params(self):
        return self.w, self._b


def logistic_loss_and_grad(X, y):
    r"""The mean loss of :class:`~xentlib.models.LogisticRegression` and its gradient, as functions of :math:`\theta = (w, b)`.

    .. math:: L(\theta) = \frac1N \sum_i \mathrm{BCE}\big(\sigma(w^\top x_i + b), y_i\big), \qquad
              \nabla_w L = \frac1N \sum_i (p_i - y_i)\, x_i, \quad \frac{\partial L}{\partial b} = \frac1N \sum_i (p_i - y_i)

    Returns ``(loss, grad)``: ``loss(theta) -> float`` and ``grad(theta) -> array (d + 1,)``,
    with ``theta = [w_1, ..., w_d, b]``, ready for :func:`~xentlib.gradcheck.gradient_check`.

    Examples
    --------
    >>> loss, grad = logistic_loss_and_grad([[1.0], [-1.0]], [1, 0])
    >>> print(loss([0.0, 0.0]), grad([0.0, 0.0]))
    0.6931 [-0.5  0. ]
    """
    X = as_float_array(X, "X", dtype=np.float64)
    d = X.shape[1]

    def model(theta):
        theta = as_float_array(theta, "theta", dtype=np.float64)
        return LogisticRegression(d, w=theta[:d], b=float(theta[d]))

    def loss(theta) -> float:
        return model(theta).loss(X, y)

    def grad(theta) -> np.ndarray:
        gw, gb = model(theta).gradient(X, y)
        return np.append(gw, gb)

    return loss, grad


class SGDTrace(NamedTuple):
    """A stochastic-gradient-descent run of logistic regression, one example per step.

    Arrays indexed by step ``t = 0 .. steps``; ``index``, ``p`` and ``error``
    describe the example used by step ``t + 1`` (so they have ``steps`` entries).
    """

    index: np.ndarray  #: which example each step uses
    p: np.ndarray  #: the model's probability for that example just before the step
    error: np.ndarray  #: p - y for that example
    w: np.ndarray  #: weights after each step, shape (steps + 1, d); row 0 is the start
    b: np.ndarray  #: bias after each step, shape (steps + 1,)
    loss: np.ndarray  #: mean cross-entropy on the whole data set after each step
    lr: float


def sgd_trace(X, y, *, lr: float, steps: int, seed: int = 0) -> SGDTrace:
    r"""Run SGD on :class:`~xentlib.models.LogisticRegression`, one example per step, and record everything.

    Each step takes the next example :math:`(x_i, y_i)` of a shuffled pass and applies

    .. math:: w \leftarrow w - \eta\,(p_i - y_i)\,x_i, \qquad b \leftarrow b - \eta\,(p_i - y_i), \qquad p_i = \sigma(w^\top x_i + b)

    starting from :math:`w = 0, b = 0` (so the first loss is :math:`\ln 2`).
    The data are reshuffled each pass with ``seed``.

    Parameters
    ----------
    X : array (N, d). y : array (N,) of 0/1 labels. lr : float > 0, :math:`\eta`.
    steps : int >= 0. seed : int.

    Examples
    --------
    >>> trace = sgd_trace([[1.5], [-1.0]], [1, 0], lr=0.5, steps=1, seed=0)
    >>> print(trace.index, trace.loss[0], trace.error, trace.w[1], trace.b[1])   # p = 0.5 before any step
    [0] 0.6931 [-0.5] [0.375] 0.25
    """
    X = as_float_array(X, "X", dtype=np.float64)
    y = np.asarray(y)
    lr = check_positive(lr, "lr")
    steps = check_int(steps, "steps", 0)
    model = LogisticRegression(X.shape[1])
    rng = np.random.default_rng(seed)
    passes = -(-steps // len(X))  # ceil: enough shuffled passes to cover every step
    order = np.concatenate([np.empty(0, int)] + [rng.permutation(len(X)) for _ in range(passes)])[:steps]
    p = np.empty(steps)
    ws, bs, losses = [model.w.copy()], [model.b], [model.loss(X, y)]
    for t, i in enumerate(order):
        p[t] = model.predict_proba(X[i : i + 1])[0]
        model.step(X[i : i + 1], y[i : i + 1], lr)  # the mean over one example: exactly (p_i - y_i) x_i
        ws.append(model.w.copy())
        bs.append(model.b)
        losses.append(model.loss(X, y))
    return SGDTrace(order, p, p - y[order], np.array(ws), np.array(bs), np.array(losses), float(lr))
