r"""Soft targets: learning from distributions instead of single labels (notebook 09).

Cross-entropy :math:`H(t, q) = -\sum_k t_k \log q_k` never needed the target
:math:`t` to be one-hot.  This package collects five ways soft targets arise
and the maths each one rests on, one module an idea:

* :mod:`~xentlib.soft_targets.annotators`: several people label the same
  example; their vote fractions are a soft label (:func:`annotate`,
  :func:`vote_fractions`, :func:`majority_vote`).  Cross-entropy against the
  vote fractions is the average cross-entropy against every individual vote.
* :mod:`~xentlib.soft_targets.smoothing`: label smoothing.  A hard label
  becomes :math:`(1-\varepsilon)\,e_y + \varepsilon/K`; the best logits are
  then finite, with gap :math:`\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)`
  (:func:`smooth_labels`, :func:`smoothing_optimal_logit_gap`,
  :func:`smoothing_loss_floor`).
* :mod:`~xentlib.soft_targets.distillation`: knowledge distillation.  A
  student matches a teacher's softened probabilities
  :math:`\operatorname{softmax}(z/T)`; the gradient of the KL term shrinks
  like :math:`1/T^2`, which the :math:`T^2` factor undoes
  (:func:`distillation_kl`, :func:`distillation_gradient_norms`,
  :func:`logit_matching_gradient`; the student is
  :class:`xentlib.models.DistilledSoftmaxRegression`).
* :mod:`~xentlib.soft_targets.mixup`: convex combinations of two inputs are
  trained on the same combination of their labels (:func:`mixup`,
  :func:`mixup_augment`); the cross-entropy-optimal prediction for a random
  target is its mean (:func:`best_constant_prediction`,
  :func:`constant_prediction_losses`).
* :mod:`~xentlib.soft_targets.imitation`: behavioural cloning.  A policy
  imitates an expert with a small per-step cross-entropy, yet its mistakes
  compound over a horizon (:func:`error_probability`,
  :func:`compounding_bounds`, :func:`lane_keeping_exact`,
  :func:`simulate_lane_keeping`).

Every public name is re-exported here (``from xentlib import soft_targets as
st; st.mixup(...)``).  The small seeded data sets these demonstrations use
(:func:`~xentlib.datasets.ring_classes`, :func:`~xentlib.datasets.two_blobs`,
:func:`~xentlib.datasets.cubic_features`) live in :mod:`xentlib.datasets`, and
the trained models notebook 09 reports in
:mod:`xentlib.lessons.soft_targets.experiments`.  NumPy only.
"""

from __future__ import annotations

from .annotators import annotate, excess_cross_entropy, majority_vote, vote_fractions
from .distillation import (
    GradientNorms,
    distillation_gradient_norms,
    distillation_kl,
    distillation_kl_grad,
    logit_matching_gradient,
    non_target_mass,
)
from .imitation import (
    POLICIES,
    CompoundingBounds,
    LaneKeeping,
    compounding_bounds,
    error_probability,
    lane_keeping_exact,
    lane_keeping_transitions,
    simulate_lane_keeping,
)
from .mixup import (
    MixupBatch,
    best_constant_prediction,
    constant_prediction_losses,
    mixed_labels_near,
    mixup,
    mixup_augment,
)
from .smoothing import smooth_labels, smoothing_loss_floor, smoothing_optimal_logit_gap

__all__ = [
    # annotators
    "annotate", "vote_fractions", "majority_vote", "excess_cross_entropy",
    # label smoothing
    "smooth_labels", "smoothing_optimal_logit_gap", "smoothing_loss_floor",
    # distillation
    "non_target_mass", "distillation_kl", "distillation_kl_grad", "GradientNorms", "distillation_gradient_norms",
    "logit_matching_gradient",
    # mixup
    "MixupBatch", "mixup", "mixup_augment", "mixed_labels_near", "best_constant_prediction", "constant_prediction_losses",
    # behavioural cloning
    "POLICIES", "error_probability", "CompoundingBounds", "compounding_bounds", "lane_keeping_transitions",
    "LaneKeeping", "lane_keeping_exact", "simulate_lane_keeping",
]
