"""xentlib: cross-entropy losses, their gradients, and the tools to teach them.

Everything public is importable from the top level::

    >>> import xentlib as xl
    >>> print(xl.surprisal(0.1))
    2.3026

Modules, one idea each: :mod:`~xentlib.information` (surprise, entropy,
divergences), :mod:`~xentlib.links` (sigmoid, softmax, log-sum-exp),
:mod:`~xentlib.losses` (every loss with its closed-form ``*_grad``),
:mod:`~xentlib.calibration`, :mod:`~xentlib.imbalance`,
:mod:`~xentlib.language` and :mod:`~xentlib.gradcheck`; their core functions
are listed in ``__all__`` below.  The later notebooks' topics have modules of
their own, reached as attributes (``xl.ood.auroc``): :mod:`~xentlib.multilabel`
(correlated labels and the mutual-information gap), :mod:`~xentlib.soft_targets`
(annotators, label smoothing, distillation, mixup, behavioural cloning) and
:mod:`~xentlib.ood` (energy scores, ROC, the energy-margin loss),
:mod:`~xentlib.segments` (Jensen-Shannon sequence smoothing), beside
:mod:`~xentlib.models` and :mod:`~xentlib.datasets`.

``import xentlib`` needs only NumPy.  The modules that draw or interact
(``drawing``, ``exercises``) load matplotlib and ipywidgets
on first use, e.g. ``xentlib.drawing.Panel``.
"""

from __future__ import annotations

import importlib

from .calibration import (
    ReliabilityCurve,
    expected_calibration_error,
    fit_temperature,
    reliability_curve,
    temperature_nll,
)
from .gradcheck import numerical_grad
from .imbalance import balanced_class_weights
from .information import cross_entropy, entropy, js_divergence, kl_divergence, mutual_information, surprisal
from .language import perplexity, sequence_cross_entropy
from .links import log_sigmoid, log_softmax, logit, logsumexp, sigmoid, softmax, softplus
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    brier_score,
    distillation_loss,
    distillation_loss_grad,
    energy_score,
    focal_loss_curvature,
    hinge_loss,
    hinge_loss_grad,
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    sigmoid_mse_loss,
    sigmoid_mse_loss_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_and_grad,
    softmax_cross_entropy_grad,
    softmax_focal_loss,
    softmax_focal_loss_grad,
    zero_one_loss,
    zero_one_loss_grad,
)

__version__ = "0.1.0"

# Submodules loaded on first attribute access: those that import matplotlib or
# ipywidgets, and the topic modules of the later notebooks.
_LAZY_SUBMODULES = {"drawing", "quiz", "lessons", "chain_rule", "landscape", "ngram", "gaussian_fits", "bayes", "models", "datasets",
                    "multilabel", "soft_targets", "ood", "segments"}


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    # information
    "surprisal", "entropy", "cross_entropy", "kl_divergence", "js_divergence", "mutual_information",
    # links
    "sigmoid", "log_sigmoid", "softplus", "logit", "softmax", "log_softmax", "logsumexp",
    # losses and gradients
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "softmax_cross_entropy", "softmax_cross_entropy_grad", "softmax_cross_entropy_and_grad",
    "sigmoid_focal_loss", "sigmoid_focal_loss_grad", "focal_loss_curvature",
    "softmax_focal_loss", "softmax_focal_loss_grad",
    "sigmoid_mse_loss", "sigmoid_mse_loss_grad",
    "hinge_loss", "hinge_loss_grad",
    "zero_one_loss", "zero_one_loss_grad",
    "distillation_loss", "distillation_loss_grad",
    "brier_score", "energy_score", "numerical_grad",
    # calibration, imbalance, language models
    "ReliabilityCurve", "reliability_curve", "expected_calibration_error", "fit_temperature", "temperature_nll",
    "balanced_class_weights", "sequence_cross_entropy", "perplexity",
]
