r"""Models small enough to read in full, trained with the closed-form gradients of :mod:`xentlib.losses`.

Notebooks train these instead of defining models in cells, so every
training loop a learner sees is tested code.

Every model minimises the mean loss plus an optional L2 penalty on its
weights (never on biases),

.. math:: J(\theta) = \tfrac1N \sum_i \ell_i + \tfrac{\lambda}{2}\,\lVert w \rVert^2,

which is maximum a posteriori estimation under a Gaussian prior
:math:`w \sim \mathcal N(0, \tfrac{1}{N\lambda} I)`.

One module per idea; every public name is re-exported here, so ``from xentlib.models import X`` is the way in:

- ``_base``: what every model shares, :class:`History` and the gradient-descent loop (with :data:`LOSSES`).
- :mod:`.logistic`: :class:`LogisticRegression`, and the same model step by step
  (:func:`logistic_loss_and_grad`, :func:`sgd_trace`, :class:`SGDTrace`).
- :mod:`.mlp`: :class:`TinyMLP` and :func:`train_mlp` (:class:`TrainingRun`), the one snapshot loop.
- :mod:`.softmax`: :class:`SoftmaxRegression`.
- :mod:`.newton`: :func:`fit_logistic` (:class:`LogisticFit`), logistic regression by Newton's method.
- :mod:`.energy_margin`: :func:`fit_energy_margin` (:class:`MarginHistory`), the energy-margin fine-tuning.
- :mod:`.distillation`: :class:`DistilledSoftmaxRegression` trained on :class:`DistillationTargets`.
"""

from ._base import LOSSES, History
from .distillation import DistillationTargets, DistilledSoftmaxRegression
from .energy_margin import MarginHistory, fit_energy_margin
from .logistic import LogisticRegression, SGDTrace, logistic_loss_and_grad, sgd_trace
from .mlp import TinyMLP, TrainingRun, train_mlp
from .newton import LogisticFit, fit_logistic
from .softmax import SoftmaxRegression

__all__ = ["LOSSES", "LogisticRegression", "TinyMLP", "TrainingRun", "train_mlp", "SoftmaxRegression", "History", "LogisticFit", "fit_logistic",
           "logistic_loss_and_grad", "SGDTrace", "sgd_trace", "MarginHistory", "fit_energy_margin",
           "DistillationTargets", "DistilledSoftmaxRegression"]
