"""The fixed experiment of notebook 05: the overconfident network, trained once per kernel.

The data are two overlapping Gaussian classes (:func:`xentlib.datasets.two_gaussians`,
cut by :func:`xentlib.datasets.gaussian_splits`), whose true probability
:math:`P(y = 1 \\mid x) = \\sigma(2 x_1)` (:func:`xentlib.datasets.true_probability`)
is known, so every model can be compared with the truth.  The overconfident
model is a :class:`xentlib.models.TinyMLP` trained long on few points; it is
trained once per kernel (:func:`overconfident_run`, cached), and the sliders
only move through stored snapshots and precomputed curves.  NumPy only.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ...datasets import Splits, gaussian_splits
from ...models import TrainingRun, train_mlp

__all__ = ["SEPARATION", "OverfitRun", "train_overconfident", "overconfident_run"]

#: Distance between the two class means (at -1 and +1; unit variance): the true P(y = 1 | x) is sigmoid(2 x).
#: The default ``separation`` of :func:`xentlib.datasets.gaussian_splits` and :func:`xentlib.datasets.true_probability`.
SEPARATION = 2.0


class OverfitRun(NamedTuple):
    """A network trained long on few points, with its held-out logits after every snapshot.

    ``val_logits[k]`` and ``test_logits[k]`` are the logits of snapshot ``k``
    (after ``run.steps[k]`` gradient steps) on the validation and test splits.
    """

    data: Splits
    run: TrainingRun
    val_logits: np.ndarray  # (S, n_val)
    test_logits: np.ndarray  # (S, n_test)


def train_overconfident(data: Splits | None = None, *, hidden: int = 32, steps: int = 800, lr: float = 1.5,
                        every: int = 20, seed: int = 0) -> OverfitRun:
    r"""Train a :class:`~xentlib.models.TinyMLP` until it overfits, keeping snapshots and held-out logits.

    Plain full-batch gradient descent on the mean cross-entropy of the
    training split, no regularisation (:func:`xentlib.models.train_mlp`).
    With many hidden units and few points the network can bend its boundary
    around individual training points: the training loss keeps falling, and
    to make it fall the logits grow, so the probabilities on new data become
    too extreme.

    Parameters
    ----------
    data : Splits (default :func:`xentlib.datasets.gaussian_splits` with its defaults).
    hidden, steps, lr, every, seed : as :func:`~xentlib.models.train_mlp`.

    Examples
    --------
    >>> out = train_overconfident(gaussian_splits(20, 30, 40), hidden=4, steps=20, every=10)
    >>> print(out.run.steps, out.val_logits.shape, out.test_logits.shape)
    [ 0 10 20] (3, 30) (3, 40)
    """
    data = gaussian_splits() if data is None else data
    run = train_mlp(data.X_train, data.y_train, hidden=hidden, seed=seed, lr=lr, steps=steps, every=every)
    held_out = [np.array([run.network(k).logits(X) for k in range(len(run.steps))]) for X in (data.X_val, data.X_test)]
    return OverfitRun(data, run, *held_out)


@functools.lru_cache(maxsize=None)
def overconfident_run() -> OverfitRun:
    """The run the notebook and its figures use: 32 tanh units, 800 steps at ``lr = 1.5`` on 60 points.

    Cached, so it is trained once per kernel (about half a second).  Treat
    the returned arrays as read-only: they are shared.
    """
    return train_overconfident()
