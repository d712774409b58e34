"""A one-hidden-layer network, :class:`TinyMLP`, and :func:`train_mlp`, the one training loop that keeps snapshots."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_int
from ._base import _BinaryModel, _check_l2

__all__ = ["TinyMLP", "TrainingRun", "train_mlp"]


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

    _penalised = (0, 2)

    def __init__(self, n_features: int = 2, hidden: int = 4, *, seed: int = 0, init_scale: float = 1.0, l2: float = 0.0):
        rng = np.random.default_rng(seed)
        n_features = check_int(n_features, "n_features", 1)
        hidden = check_int(hidden, "hidden", 1)
        self.l2 = _check_l2(l2)
        self.W = rng.normal(scale=init_scale / np.sqrt(n_features), size=(hidden, n_features))
        self.c = np.zeros(hidden)
        self.v = rng.normal(scale=init_scale / np.sqrt(hidden), size=hidden)
        self._b = np.zeros(())

    @classmethod
    def from_params(cls, W, c, v, b) -> "TinyMLP":
        """A network with the given parameters (copied): ``W`` (hidden, d), ``c`` and ``v`` (hidden,), ``b``."""
        W = as_float_array(W, "W", dtype=np.float64)
        net = cls.__new__(cls)
        net.l2 = 0.0
        net.W, net.c, net.v = W.copy(), np.array(c, np.float64), np.array(v, np.float64)
        net._b = np.array(float(b))
        return net

    def hidden(self, X) -> np.ndarray:
        r"""The learnt features :math:`h = \tanh(W x + c)`, shape (N, hidden)."""
        return np.tanh(as_float_array(X, "X", dtype=np.float64) @ self.W.T + self.c)

    def logits(self, X) -> np.ndarray:
        return self.hidden(X) @ self.v + self.b

    def _backward(self, X, g):
        h = np.tanh(X @ self.W.T + self.c)
        g_pre = np.outer(g, self.v) * (1 - h**2)  # through tanh: tanh' = 1 - tanh^2
        return g_pre.T @ X, g_pre.sum(axis=0), h.T @ g, g.sum()

    def _params(self):
        return self.W, self.c, self.v, self._b


class TrainingRun(NamedTuple):
    """A :class:`TinyMLP` training run: parameter snapshots and the loss after every step.

    ``W[k], c[k], v[k], b[k]`` are the parameters after ``steps[k]`` gradient
    steps; ``loss[t]`` and ``accuracy[t]`` are measured after ``t`` steps
    (``t = 0`` is the random start), as in :class:`~xentlib.models.History`.
    """

    steps: np.ndarray  # (S,) int
    W: np.ndarray  # (S, hidden, d)
    c: np.ndarray  # (S, hidden)
    v: np.ndarray  # (S, hidden)
    b: np.ndarray  # (S,)
    loss: np.ndarray  # (n_steps + 1,) nats
    accuracy: np.ndarray  # (n_steps + 1,)

    def network(self, k: int) -> "TinyMLP":
        """Snapshot ``k`` as a :class:`TinyMLP` (``k = -1``: the trained network), for its forward pass."""
        return TinyMLP.from_params(self.W[k], self.c[k], self.v[k], self.b[k])


def train_mlp(X, y, *, hidden: int = 4, seed: int = 0, lr: float = 2.0, steps: int = 300, every: int = 5) -> TrainingRun:
    r"""Train a :class:`TinyMLP` by full-batch gradient descent, keeping snapshots of its parameters.

    :meth:`TinyMLP.fit`, with a callback that
    stores the parameters every ``every`` steps (and after the last step), so a
    slider can replay the run without retraining.

    Parameters
    ----------
    X : array_like (N, d);  y : array_like (N,) of 0/1 labels.
    hidden : int >= 1, number of tanh units.  seed : the network's random start.
    lr : float > 0, learning rate.  steps : int >= 0.  every : int >= 1.

    Returns
    -------
    TrainingRun

    Examples
    --------
    >>> from xentlib.datasets import xor
    >>> X, y = xor(200, seed=0)
    >>> run = train_mlp(X, y, hidden=4, seed=3, steps=300, every=100)
    >>> print(run.steps, run.W.shape, run.loss[-1] < 0.01, run.accuracy[-1])
    [  0 100 200 300] (4, 4, 2) True 1.0
    """
    steps, every = check_int(steps, "steps", 0), check_int(every, "every", 1)
    X = as_float_array(X, "X", dtype=np.float64)
    net = TinyMLP(X.shape[1] if X.ndim == 2 else 0, check_int(hidden, "hidden", 1), seed=seed)
    kept, snaps = [], []

    def keep(t, model):
        if t % every == 0 or t == steps:
            kept.append(t)
            snaps.append((model.W.copy(), model.c.copy(), model.v.copy(), model.b))

    history = net.fit(X, y, lr=lr, steps=steps, callback=keep)
    W, c, v, b = (np.array(part) for part in zip(*snaps))
    return TrainingRun(np.array(kept), W, c, v, b, history.loss, history.accuracy)
