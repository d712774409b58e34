r"""Models small enough to read in full, trained with the closed-form gradients of :mod:`xentlib.losses`.

Notebooks train these instead of defining models in cells, so every
training loop a learner sees is tested code.

Every model minimises the mean loss plus an optional L2 penalty on its
weights (never on biases),

.. math:: J(\theta) = \tfrac1N \sum_i \ell_i + \tfrac{\lambda}{2}\,\lVert w \rVert^2,

which is maximum a posteriori estimation under a Gaussian prior
:math:`w \sim \mathcal N(0, \tfrac{1}{N\lambda} I)`.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ._numerics import xlogy
from ._validation import (
    as_float_array,
    check_binary_labels,
    check_class_labels,
    check_finite,
    check_gamma,
    check_in_range,
    check_int,
    check_margins,
    check_matrix,
    check_positive,
    check_scalar,
)
from .imbalance import example_weights
from .links import sigmoid, softmax
from .losses import (
    LOSSES,
    focal_loss_curvature,
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    softmax_cross_entropy_and_grad,
)
from .ood import energy_margin_terms

__all__ = ["LOSSES", "LogisticRegression", "TinyMLP", "TrainingRun", "train_mlp", "SoftmaxRegression", "History", "LogisticFit", "fit_logistic",
           "logistic_loss_and_grad", "SGDTrace", "sgd_trace", "MarginHistory", "fit_energy_margin",
           "DistillationTargets", "DistilledSoftmaxRegression"]

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
    (``t = 0`` is the random start), as in :class:`History`.
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


# --------------------------------------------------------------------------- Newton's method

class LogisticFit(NamedTuple):
    r"""A logistic model :math:`p = \sigma(w^\top x + b)` fitted by :func:`fit_logistic`."""

    w: np.ndarray  # (d,)
    b: float
    loss: float  # the minimised objective: class_weighted_loss (+ the L2 penalty when l2 > 0)
    n_iter: int  # Newton steps taken
    converged: bool  # gradient norm below tol

    def logits(self, X) -> np.ndarray:
        """:math:`z = w^\\top x + b` for every row of ``X`` (N, d)."""
        return as_float_array(X, "X", dtype=np.float64) @ self.w + self.b

    def predict_proba(self, X) -> np.ndarray:
        """:math:`P(y = 1 \\mid x) = \\sigma(z)` as the model states it."""
        return sigmoid(self.logits(X))


def fit_logistic(X, y, *, class_weight=None, gamma: float = 0.0, l2: float = 0.0, max_iter: int = 100,
                 tol: float = 1e-9, init=None) -> LogisticFit:
    r"""Fit logistic regression to a (class-weighted) cross-entropy or focal loss by Newton's method.

    Minimises :func:`~xentlib.imbalance.class_weighted_loss` of :math:`z = w^\top x + b`, plus
    :math:`\tfrac{\lambda}{2}\lVert w\rVert^2` when ``l2`` :math:`= \lambda > 0`
    (MAP under a Gaussian prior on the weights; the bias is not penalised), starting
    from :math:`w = 0, b = 0` (or from ``init``).  Each step is a gradient step preconditioned by
    the curvature, the method scikit-learn and statsmodels use for logistic
    regression:

    .. math:: \theta \leftarrow \theta - t\,(H + \mu I)^{-1} \nabla L,\qquad
              \nabla L = F^\top g,\quad H = F^\top \operatorname{diag}(\partial_z g)\, F,

    with :math:`F = [X, 1]`, :math:`g = \partial L/\partial z` from
    :func:`~xentlib.imbalance.class_weighted_loss_grad` and :math:`\partial_z g` from
    :func:`focal_loss_curvature` (both closed form), :math:`\mu \ge 0` raised only if :math:`H` is not
    positive definite (focal loss is not convex everywhere), and the step
    length :math:`t` halved until the loss decreases enough (Armijo).

    A dozen or so steps reach the minimum where plain gradient descent would
    need thousands: with 1 % positives the curvature :math:`p(1-p)` is tiny
    near the solution.

    Parameters
    ----------
    X : array_like (N, d). y : int array (N,) of 0/1 labels.
    class_weight, gamma : as in :func:`~xentlib.imbalance.class_weighted_loss`.
    l2 : float >= 0, the weight-decay strength :math:`\lambda` (as in :mod:`xentlib.models`).
    max_iter : int >= 1. tol : float > 0, on the largest gradient entry.
    init : (w, b) or None. A starting point, e.g. the fit for a nearby ``gamma``;
        for cross-entropy the minimum does not depend on it.

    Returns
    -------
    LogisticFit
        ``converged`` is False if ``max_iter`` steps did not bring the gradient
        below ``tol``, e.g. on separable data, where no finite minimum exists.

    Examples
    --------
    Two unit-variance Gaussians 2 apart with 10 % positives: the true
    log-odds are :math:`2x - 2 + \ln(0.1/0.9) = 2x - 4.2`.

    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.1).astype(int)
    >>> X = rng.normal(size=(2000, 1)) + 2.0 * y[:, None]
    >>> fit = fit_logistic(X, y)
    >>> print(fit.converged, fit.n_iter < 20, np.round(fit.w, 1), round(fit.b, 1))
    True True [1.8] -3.9
    """
    X = check_finite(as_float_array(X, "X", dtype=np.float64), "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d); got shape {X.shape}. Use X[:, None] for one feature.")
    labels = check_class_labels(y, 2)
    if labels.shape != (len(X),):
        raise ValueError(f"y must have one 0/1 label per row of X, shape ({len(X)},); got shape {labels.shape}.")
    gamma = check_gamma(gamma)
    max_iter = check_int(max_iter, "max_iter", 1)
    tol = check_scalar(tol, "tol")
    if not tol > 0:
        raise ValueError(f"tol must be positive; got {tol!r}. 1e-9 is a tight default.")
    a = example_weights(labels, class_weight)
    t = labels.astype(np.float64)
    F = np.column_stack([X, np.ones(len(X))])
    theta = np.zeros(F.shape[1])
    if init is not None:
        w_init, b_init = init
        w_init = check_finite(as_float_array(w_init, "init[0]", dtype=np.float64), "init[0]").reshape(-1)
        if w_init.size != X.shape[1]:
            raise ValueError(f"init must be (w, b) with one weight per feature ({X.shape[1]}); got {w_init.size} weight(s).")
        theta[:-1], theta[-1] = w_init, check_scalar(b_init, "init[1]")

    l2 = check_scalar(l2, "l2")
    if not 0 <= l2 < math.inf:
        raise ValueError(f"l2 must be a finite number >= 0; got {l2!r}. It is the weight-decay strength lambda; 0 means none.")
    penalty = np.r_[np.full(X.shape[1], l2), 0.0]  # on the weights, never on the bias

    def loss(th):
        return float(a @ sigmoid_focal_loss(F @ th, t, gamma=gamma, reduction="none") + 0.5 * penalty @ (th * th))

    current = loss(theta)
    converged, n_iter = False, 0
    for n_iter in range(1, max_iter + 1):
        z = F @ theta
        grad = F.T @ (a * sigmoid_focal_loss_grad(z, t, gamma=gamma, reduction="none")) + penalty * theta
        if np.abs(grad).max() < tol:
            converged, n_iter = True, n_iter - 1
            break
        H = (F * (a * focal_loss_curvature(z, t, gamma))[:, None]).T @ F + np.diag(penalty)
        step = _damped_newton_step(H, grad)
        slope = float(grad @ step)  # < 0: a descent direction
        length = 1.0
        for _ in range(60):
            trial = loss(theta + length * step)
            if trial <= current + 1e-4 * length * slope:
                break
            length /= 2
        else:  # no decrease possible at float precision: we are at the minimum
            converged = np.abs(grad).max() < 1e3 * tol
            break
        theta = theta + length * step
        current = trial
    return LogisticFit(theta[:-1].copy(), float(theta[-1]), current, n_iter, bool(converged))


def _damped_newton_step(H: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Solve (H + mu I) d = -grad with the smallest mu >= 0 that makes the matrix positive definite."""
    scale = max(float(np.abs(np.diag(H)).max()), 1e-12)
    mu = 0.0
    eye = np.eye(len(H))
    for _ in range(40):
        try:
            chol = np.linalg.cholesky(H + mu * eye)
        except np.linalg.LinAlgError:
            mu = max(2 * mu, 1e-8 * scale)
            continue
        return -np.linalg.solve(chol.T, np.linalg.solve(chol, grad))
    return -grad  # pathological curvature: fall back to a plain gradient step


# --------------------------------------------------------------------------- logistic regression, step by step

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
# --------------------------------------------------------------------------- the energy-margin fine-tuning

class MarginHistory(NamedTuple):
    """Per step of :func:`fit_energy_margin` (step 0 = the start): the cross-entropy, both margin terms, the accuracy."""

    ce: np.ndarray
    margin_in: np.ndarray
    margin_out: np.ndarray
    accuracy: np.ndarray


def fit_energy_margin(model, X_in, y_in, X_out, *, m_in: float = -7.0, m_out: float = -2.0, weight: float = 0.1,
                      lr: float = 0.2, steps: int = 300, temperature: float = 1.0,
                      callback: Callable | None = None) -> MarginHistory:
    r"""Train (or fine-tune) a :class:`~xentlib.models.SoftmaxRegression` on cross-entropy plus the energy-margin loss.

    Full-batch gradient descent on

    .. math:: J = \frac{1}{n_{\text{in}}}\sum_i \mathrm{CE}(z_i, y_i) + \lambda\, L_{\text{energy}}(z_{\text{in}}, z_{\text{out}})
              + \tfrac{\ell_2}{2}\lVert W \rVert^2,

    where ``X_out`` are auxiliary outliers (inputs known *not* to belong to
    any class) and :math:`\lambda` is ``weight`` (0.1 in Liu et al.).  The
    gradient reaches the weights through :math:`z = XW + b`:
    :math:`\partial J/\partial W = X_{\text{in}}^\top g_{\text{in}} + X_{\text{out}}^\top g_{\text{out}} + \ell_2 W`.
    The model's ``l2``, ``class_weight`` and ``label_smoothing`` apply.

    ``callback(t, model)``, if given, runs after step ``t`` (``t = 0`` is the start).

    Examples
    --------
    >>> X_in = np.array([[-2.0], [2.0]]); y_in = np.array([0, 1]); X_out = np.array([[0.0]])
    >>> model = SoftmaxRegression(1, 2)
    >>> h = fit_energy_margin(model, X_in, y_in, X_out, m_in=-4.0, m_out=-1.0, weight=1.0, lr=0.1, steps=300)
    >>> print(h.margin_in[0] > 1, h.margin_in[-1] < 0.05, h.accuracy[-1])
    True True 1.0
    """
    if not isinstance(model, SoftmaxRegression):
        raise TypeError(f"model must be a xentlib.models.SoftmaxRegression; got {type(model).__name__}.")
    n_features = model.W.shape[0]
    X_in, X_out = (check_finite(as_float_array(X, name, dtype=np.float64), name)
                   for X, name in ((X_in, "X_in"), (X_out, "X_out")))
    for X, name in ((X_in, "X_in"), (X_out, "X_out")):
        if X.ndim != 2 or X.shape[1] != n_features or not len(X):
            raise ValueError(f"{name} must have shape (N, {n_features}) with N >= 1, the model's features; "
                             f"got shape {X.shape}.")
    y_in = check_class_labels(y_in, model.n_classes, "y_in")
    if y_in.shape != (len(X_in),):
        raise ValueError(f"y_in must have one integer label per row of X_in, shape ({len(X_in)},); got shape {y_in.shape}.")
    lo, hi = check_margins(m_in, m_out)
    lam = check_scalar(weight, "weight")
    if not (0 <= lam < math.inf):
        raise ValueError(f"weight must be a finite number >= 0; got {weight!r}. It is lambda in CE + lambda * L_energy.")
    lr, steps = check_positive(lr, "lr"), check_int(steps, "steps", 0)
    t_ = check_positive(temperature, "temperature")
    record = {"ce": [], "margin_in": [], "margin_out": [], "accuracy": []}
    for t in range(steps + 1):
        z_in, z_out = X_in @ model.W + model.b, X_out @ model.W + model.b
        ce, g_ce = softmax_cross_entropy_and_grad(z_in, y_in, class_weight=model.class_weight,
                                                  label_smoothing=model.label_smoothing)
        a, b, g_in, g_out = energy_margin_terms(z_in, z_out, lo, hi, t_)
        record["ce"].append(float(ce))
        record["margin_in"].append(a)
        record["margin_out"].append(b)
        record["accuracy"].append(float(np.mean(z_in.argmax(axis=1) == y_in)))
        if callback is not None:
            callback(t, model)  # the model after t steps
        if t < steps:  # step t + 1, from the gradients of this pass; the last pass only records
            g_in = g_ce + lam * g_in
            g_out = lam * g_out
            grad_W = X_in.T @ g_in + X_out.T @ g_out + model.l2 * model.W
            grad_b = g_in.sum(axis=0) + g_out.sum(axis=0)
            model.W -= lr * grad_W
            model.b -= lr * grad_b
    return MarginHistory(*(np.array(v) for v in record.values()))
# --------------------------------------------------------------------------- distillation (notebook 09)

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
