r"""Knowledge distillation: a student matches a teacher's softened probabilities :math:`\operatorname{softmax}(z/T)`.

The gradient of the KL term shrinks like :math:`1/T^2`, which the
:math:`T^2` factor undoes (:func:`distillation_kl`,
:func:`distillation_gradient_norms`, :func:`logit_matching_gradient`);
:func:`non_target_mass` measures the teacher's "dark knowledge".  The
student model is :class:`xentlib.models.DistilledSoftmaxRegression`.  NumPy only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_class_labels, check_distribution, check_matrix, check_positive
from ..losses import distillation_loss, distillation_loss_grad

__all__ = [
    "non_target_mass", "distillation_kl", "distillation_kl_grad", "GradientNorms", "distillation_gradient_norms", "logit_matching_gradient",
]


def non_target_mass(probs, labels) -> np.ndarray:
    r"""Probability a prediction puts on the classes other than the label: :math:`1 - q_{y}`.

    For a teacher's softened outputs this is the share of the soft target
    that carries "dark knowledge": how the teacher ranks the wrong answers.

    Examples
    --------
    >>> print(non_target_mass([[0.9, 0.07, 0.03]], [0]).round(3))
    [0.1]
    """
    q = check_distribution(as_float_array(probs, "probs", dtype=np.float64), "probs")
    if q.ndim != 2:
        raise ValueError(f"probs must have shape (N, K); got shape {q.shape}.")
    y = check_class_labels(labels, q.shape[1], "labels")
    if y.shape != (len(q),):
        raise ValueError(f"labels must have one class per row of probs, shape ({len(q)},); got shape {y.shape}.")
    return 1 - q[np.arange(len(q)), y]


def distillation_kl(student_logits, teacher_logits, *, temperature: float = 1.0, reduction: str = "mean"):
    r"""The distillation term *without* the :math:`T^2` factor: :math:`D_{\mathrm{KL}}\big(\operatorname{softmax}(t/T)\,\|\,\operatorname{softmax}(s/T)\big)`.

    Equal to :func:`~xentlib.distillation_loss` divided by :math:`T^2`.  Kept
    separate to show what goes wrong without the factor: see
    :func:`distillation_kl_grad`.

    Examples
    --------
    >>> s, t = [[0.0, 1.0, 2.0]], [[2.0, 1.0, 0.0]]
    >>> print(np.isclose(distillation_kl(s, t, temperature=2.0) * 2.0**2, distillation_loss(s, t, temperature=2.0)))
    True
    """
    temp = check_positive(temperature, "temperature", "Distillation uses T >= 1 to soften both distributions.")
    return distillation_loss(student_logits, teacher_logits, temperature=temp, reduction=reduction) / temp**2


def distillation_kl_grad(student_logits, teacher_logits, *, temperature: float = 1.0, reduction: str = "mean"):
    r"""Gradient of :func:`distillation_kl` with respect to the student's logits: :math:`(q_s - q_t)/T`.

    With :math:`q = \operatorname{softmax}(z/T)`, the chain rule through
    :math:`z/T` contributes one factor :math:`1/T`.  For large :math:`T` both
    distributions approach uniform, and expanding :math:`e^{z_k/T} \approx 1 + z_k/T`,

    .. math:: q_{s,k} - q_{t,k} \approx \frac{(s_k - \bar s) - (t_k - \bar t)}{K\,T},

    a second factor :math:`1/T`.  So the gradient shrinks like :math:`1/T^2`,
    and mixing this term with an ordinary cross-entropy would let the soft
    targets fade out as :math:`T` grows; multiplying by :math:`T^2`
    (:func:`~xentlib.distillation_loss`) keeps their weight fixed.

    Examples
    --------
    >>> print(distillation_kl_grad([[0.0, 0.0]], [[1.0, -1.0]], temperature=1.0).round(4))
    [[-0.3808  0.3808]]
    """
    temp = check_positive(temperature, "temperature", "Distillation uses T >= 1 to soften both distributions.")
    return distillation_loss_grad(student_logits, teacher_logits, temperature=temp, reduction=reduction) / temp**2


def logit_matching_gradient(student_logits, teacher_logits) -> np.ndarray:
    r"""The high-temperature limit of the :math:`T^2`-scaled distillation gradient, per example.

    .. math:: \lim_{T\to\infty} T\,(q_s - q_t) = \frac{(s - \bar s) - (t - \bar t)}{K}

    the gradient of :math:`\frac{1}{2K}\lVert (s - \bar s) - (t - \bar t)\rVert^2`:
    at high temperature, distillation is squared-error matching of the
    mean-centred logits (Hinton et al., 2015, section 2.1).

    Examples
    --------
    >>> print(logit_matching_gradient([[1.0, 0.0]], [[0.0, 0.0]]))
    [[ 0.25 -0.25]]
    """
    s = check_matrix(student_logits, "student_logits")
    t = check_matrix(teacher_logits, "teacher_logits")
    if s.shape != t.shape:
        raise ValueError(f"student_logits and teacher_logits must have the same shape; got {s.shape} and {t.shape}.")
    centred = (s - s.mean(axis=1, keepdims=True)) - (t - t.mean(axis=1, keepdims=True))
    return centred / s.shape[1]


class GradientNorms(NamedTuple):
    """Mean per-example gradient norms of the distillation term at each temperature."""

    temperature: np.ndarray  # (M,)
    plain: np.ndarray  # (M,) without T^2: falls like 1 / T^2
    scaled: np.ndarray  # (M,) with T^2: levels off at ``limit``
    limit: float  # the T -> infinity value of ``scaled``


def distillation_gradient_norms(student_logits, teacher_logits, temperatures) -> GradientNorms:
    r"""How big the distillation gradient is at each temperature, with and without :math:`T^2`.

    For each :math:`T`: the mean over examples of
    :math:`\lVert \partial \ell_i / \partial s_i \rVert_2` for
    :math:`\ell_i = D_{\mathrm{KL}}(q_{t,i}\|q_{s,i})` ("plain") and for
    :math:`T^2 \ell_i` ("scaled"), and the scaled gradient's
    :math:`T\to\infty` limit, :func:`logit_matching_gradient`.

    Examples
    --------
    >>> s, t = [[0.0, 0.0, 0.0]], [[2.0, 0.0, -2.0]]
    >>> norms = distillation_gradient_norms(s, t, [1.0, 10.0, 100.0])
    >>> print(" ".join(f"{g:.1e}" for g in norms.plain))       # falls 100-fold per 10-fold T
    6.6e-01 9.4e-03 9.4e-05
    >>> print(norms.scaled.round(4), round(norms.limit, 4))    # times T^2: levels off
    [0.6573 0.9381 0.9428] 0.9428
    """
    temps = as_float_array(temperatures, "temperatures", dtype=np.float64).ravel()
    if temps.size == 0 or not np.all(np.isfinite(temps)) or temps.min() <= 0:
        raise ValueError(f"temperatures must be positive finite numbers, at least one; got {temps!r}.")
    scaled = np.array([
        np.linalg.norm(distillation_loss_grad(student_logits, teacher_logits, temperature=float(T), reduction="none"), axis=1).mean()
        for T in temps
    ])
    limit = float(np.linalg.norm(logit_matching_gradient(student_logits, teacher_logits), axis=1).mean())
    return GradientNorms(temps, scaled / temps**2, scaled, limit)
