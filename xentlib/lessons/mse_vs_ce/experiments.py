r"""The fixed experiment of notebook 03: the training race from a saturated start.

Two logistic regressions, one trained on cross-entropy and one on squared
error, from the same confidently wrong weight, with the same learning rate,
on the same seeded data (:func:`race_data`).  NumPy only.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ..._validation import check_int, check_positive
from ...datasets import two_gaussians
from ...losses import LOSSES, binary_cross_entropy_with_logits
from ...models import LogisticRegression

__all__ = ["RACE_STARTS", "RACE_LR", "RACE_STEPS", "race_data", "Race", "race"]


#: Starting weights of the race, from mildly to badly wrong (the data want w ≈ +2).
RACE_STARTS = (-1.0, -3.0, -5.0, -8.0)
#: One learning rate for both losses: the race is fair.
RACE_LR = 1.0
#: Gradient-descent steps of the race.
RACE_STEPS = 200


def race_data():
    r"""The race's 1-D data: 60 points from two unit Gaussians at :math:`\mp 1` (seed 0).

    The Bayes posterior is :math:`P(y = 1 \mid x) = \sigma(2x)`, so a good model
    has weight about +2; a negative weight is confidently wrong about every point
    far from 0.

    Returns ``X`` (60, 1) and ``y`` (60,).
    """
    return two_gaussians(60, separation=2.0, seed=0)


class Race(NamedTuple):
    """Trajectories of two logistic regressions trained from the same start with the same learning rate.

    Every field except ``w0`` and ``lr`` is a dict keyed by loss name
    (``"cross-entropy"``, ``"squared error"``), holding one row per step
    0 … ``steps`` (step 0 is the start).
    """

    w0: float
    lr: float
    params: dict  # (steps + 1, 2): the weight w and the bias b
    log_loss: dict  # (steps + 1,): mean log loss on the training data (nats), for both models
    own_loss: dict  # (steps + 1,): the loss each model is trained on
    grad_norm: dict  # (steps + 1,): |gradient of the own loss w.r.t. (w, b)|

    def steps_to(self, loss: str, threshold: float) -> int | None:
        """First step at which the model trained on ``loss`` has log loss below ``threshold``; None if never."""
        below = np.flatnonzero(self.log_loss[loss] < threshold)
        return int(below[0]) if below.size else None


@functools.lru_cache(maxsize=16)
def _race(w0: float, lr: float, steps: int) -> Race:
    X, y = race_data()
    params, log_loss, own, norms = {}, {}, {}, {}
    for name, (loss_fn, _) in LOSSES.items():
        model = LogisticRegression(1, w=[w0], b=0.0, loss=name)
        theta = np.empty((steps + 1, 2))
        theta[0] = model.w[0], model.b
        for k in range(steps):
            model.step(X, y, lr)
            theta[k + 1] = model.w[0], model.b
        gw, gb = model.gradient(X, y)  # at the last step; earlier ones are read off the steps taken
        norms[name] = np.append(np.hypot(*(theta[:-1] - theta[1:]).T) / lr, math.hypot(gw[0], gb))
        z = theta[:, :1] * X[:, 0] + theta[:, 1:]  # (steps + 1, N) logits along the trajectory
        labels = np.broadcast_to(y, z.shape)
        params[name] = theta
        own[name] = loss_fn(z, labels, reduction="none").mean(axis=1)
        log_loss[name] = binary_cross_entropy_with_logits(z, labels, reduction="none").mean(axis=1)
        for array in (theta, norms[name], own[name], log_loss[name]):
            array.setflags(write=False)  # cached and shared: nobody may change them in place
    return Race(float(w0), float(lr), params, log_loss, own, norms)


def race(w0: float = -5.0, *, lr: float = RACE_LR, steps: int = RACE_STEPS) -> Race:
    r"""Train :class:`~xentlib.models.LogisticRegression` on :func:`race_data` with each loss, from weight ``w0``.

    Both models start at :math:`(w, b) = (w_0, 0)` and take ``steps`` full-batch
    gradient-descent steps of size ``lr``:

    .. math:: \theta \leftarrow \theta - \eta\, \frac1N \sum_i g_i \begin{pmatrix} x_i \\ 1 \end{pmatrix},\qquad
              g_i = \begin{cases} p_i - y_i & \text{cross-entropy} \\ 2 (p_i - y_i)\, p_i (1 - p_i) & \text{squared error} \end{cases}

    Results are cached (read-only arrays): the notebook and its figure share one computation.

    Examples
    --------
    >>> r = race(-5.0)
    >>> print(r.steps_to("cross-entropy", 0.4), r.steps_to("squared error", 0.4))
    8 130
    """
    w0 = float(w0)
    lr = check_positive(lr, "lr")
    steps = check_int(steps, "steps", 0)
    return _race(w0, lr, steps)
