r"""Soft targets: learning from distributions instead of single labels (notebook 09).

Cross-entropy :math:`H(t, q) = -\sum_k t_k \log q_k` never needed the target
:math:`t` to be one-hot.  This module collects five ways soft targets arise
and the maths each one rests on:

* **Annotators.**  Several people label the same example; their vote
  fractions are a soft label (:func:`annotate`, :func:`vote_fractions`,
  :func:`majority_vote`).  Cross-entropy against the vote fractions is the
  average cross-entropy against every individual vote.
* **Label smoothing.**  A hard label becomes :math:`(1-\varepsilon)\,e_y +
  \varepsilon/K`; the best logits are then finite, with gap
  :math:`\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)`
  (:func:`smooth_labels`, :func:`smoothing_optimal_logit_gap`,
  :func:`smoothing_loss_floor`).
* **Knowledge distillation.**  A student matches a teacher's softened
  probabilities :math:`\operatorname{softmax}(z/T)`; the gradient of the KL
  term shrinks like :math:`1/T^2`, which the :math:`T^2` factor undoes
  (:func:`distillation_kl`, :func:`distillation_gradient_norms`,
  :func:`logit_matching_gradient`, :class:`DistilledSoftmaxRegression`).
* **Mixup.**  Convex combinations of two inputs are trained on the same
  combination of their labels (:func:`mixup`, :func:`mixup_augment`); the
  cross-entropy-optimal prediction for a random target is its mean
  (:func:`best_constant_prediction`, :func:`constant_prediction_losses`).
* **Behavioural cloning.**  A policy imitates an expert with a small
  per-step cross-entropy, yet its mistakes compound over a horizon
  (:func:`error_probability`, :func:`compounding_bounds`,
  :func:`lane_keeping_exact`, :func:`simulate_lane_keeping`).

It also holds the small seeded data sets those demonstrations use
(:func:`ring_classes`, :func:`two_blobs`, :func:`cubic_features`).
NumPy only.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ._numerics import xlogy
from ._validation import (
    as_float_array,
    check_class_labels,
    check_distribution,
    check_finite,
    check_in_range,
    check_int,
    check_positive,
    check_probabilities,
    check_scalar,
)
from .calibration import expected_calibration_error
from .datasets import two_gaussians
from .links import log_softmax, sigmoid, softmax
from .losses import distillation_loss, distillation_loss_grad, softmax_cross_entropy, softmax_cross_entropy_and_grad
from .models import SoftmaxRegression

__all__ = [
    # data
    "ring_classes", "ring_logits", "two_blobs", "cubic_features",
    # annotators
    "annotate", "vote_fractions", "majority_vote", "excess_cross_entropy",
    # label smoothing
    "smooth_labels", "smoothing_optimal_logit_gap", "smoothing_loss_floor",
    # distillation
    "non_target_mass", "distillation_kl", "distillation_kl_grad", "GradientNorms", "distillation_gradient_norms",
    "logit_matching_gradient", "DistillationTargets", "DistilledSoftmaxRegression",
    # mixup
    "MixupBatch", "mixup", "mixup_augment", "mixed_labels_near", "best_constant_prediction", "constant_prediction_losses",
    # the trained models the notebook reports (cached)
    "AnnotatorStudy", "annotator_study", "BlobProblem", "blob_problem", "RegularisedFits", "smoothing_study", "mixup_study",
    "ring_teacher", "DistillationStudy", "distillation_study",
    # behavioural cloning
    "POLICIES", "error_probability", "CompoundingBounds", "compounding_bounds", "lane_keeping_transitions",
    "LaneKeeping", "lane_keeping_exact", "simulate_lane_keeping",
]


# =============================================================================== data sets

def _check_n(n) -> int:
    return check_int(n, "n", 1)


def ring_classes(n: int = 500, *, n_classes: int = 5, radius: float = 2.2, scale: float = 1.0, seed: int = 0):
    r"""Gaussian classes whose means sit evenly on a circle: neighbours look alike, opposites do not.

    Class :math:`k` has mean :math:`\mu_k = r(\cos\phi_k, \sin\phi_k)`,
    :math:`\phi_k = 2\pi k/K`, and covariance :math:`s^2 I`.  Labels cycle
    through the classes (``y = i mod K`` before shuffling), so every class
    appears once ``n >= K``.  With equal priors the Bayes posterior is the
    softmax of the linear logits :func:`ring_logits`.

    This is the distillation data set: an example of class 0 is easily taken
    for class 1 or :math:`K-1`, rarely for the classes across the ring, and a
    good teacher's probabilities say so.

    Parameters
    ----------
    n : int >= 1, number of points.
    n_classes : int >= 2.  radius : float > 0.  scale : float > 0, the classes' standard deviation.
    seed : int, the random generator's seed.

    Returns
    -------
    X : ndarray (n, 2) float64;  y : ndarray (n,) int in [0, n_classes).

    Examples
    --------
    >>> X, y = ring_classes(10, n_classes=5, seed=0)
    >>> print(X.shape, np.bincount(y))
    (10, 2) [2 2 2 2 2]
    """
    n, k = _check_n(n), check_int(n_classes, "n_classes", 2)
    radius, scale = check_positive(radius, "radius"), check_positive(scale, "scale")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    rng.shuffle(y)
    return _ring_means(k, radius)[y] + scale * rng.normal(size=(n, 2)), y


def _ring_means(n_classes: int, radius: float) -> np.ndarray:
    angle = 2 * np.pi * np.arange(n_classes) / n_classes
    return radius * np.column_stack([np.cos(angle), np.sin(angle)])


def ring_logits(X, *, n_classes: int = 5, radius: float = 2.2, scale: float = 1.0) -> np.ndarray:
    r"""Bayes-optimal logits for :func:`ring_classes`: :math:`z_k(x) = \mu_k^\top x / s^2 - \lVert\mu_k\rVert^2 / 2s^2`.

    The posterior :math:`P(y = k \mid x) = \operatorname{softmax}(z(x))_k`
    (equal priors, shared covariance :math:`s^2 I`).

    Examples
    --------
    >>> print(np.round(ring_logits([[0.0, 0.0]], n_classes=4), 3))   # the centre: all classes alike
    [[-2.42 -2.42 -2.42 -2.42]]
    """
    k = check_int(n_classes, "n_classes", 2)
    radius, scale = check_positive(radius, "radius"), check_positive(scale, "scale")
    X = _matrix(X, "X", 2)
    mu = _ring_means(k, radius)
    return (X @ mu.T - 0.5 * np.sum(mu**2, axis=1)) / scale**2


def two_blobs(n: int = 30, *, separation: float = 2.0, seed: int = 0):
    r"""Two overlapping Gaussian classes in the plane, alternating labels: a small, noisy training set.

    Class 1 is centred at :math:`(+\mathrm{sep}/2, 0)`, class 0 at
    :math:`(-\mathrm{sep}/2, 0)`, both with identity covariance, so the Bayes
    posterior is :math:`\sigma(\mathrm{sep}\cdot x_1)` and its boundary the
    line :math:`x_1 = 0`.  A flexible model fitted to 30 such points bends
    its boundary around the noise and becomes over-confident: the setting for
    label smoothing and mixup.

    Returns
    -------
    X : ndarray (n, 2);  y : ndarray (n,) int, half of it 1 (``y = i mod 2``).

    Examples
    --------
    >>> X, y = two_blobs(6, seed=1)
    >>> print(X.shape, y)
    (6, 2) [0 1 0 1 0 1]
    """
    n = _check_n(n)
    separation = check_scalar(separation, "separation")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2))
    X[:, 0] += np.where(y == 1, separation / 2, -separation / 2)
    return X, y


def cubic_features(X) -> np.ndarray:
    r"""Every product of Hermite polynomials in :math:`x_1, x_2` of total degree 1 to 3: shape (N, 9).

    With :math:`h_1(x) = x`, :math:`h_2(x) = (x^2 - 1)/\sqrt2`,
    :math:`h_3(x) = (x^3 - 3x)/\sqrt6` (the probabilists' Hermite
    polynomials, normalised), the columns are

    .. math:: \big[h_1(x_1),\ h_1(x_2),\ h_2(x_1),\ h_1(x_1)h_1(x_2),\ h_2(x_2),\
              h_3(x_1),\ h_2(x_1)h_1(x_2),\ h_1(x_1)h_2(x_2),\ h_3(x_2)\big].

    They span the same functions as the monomials :math:`x_1^a x_2^b`,
    :math:`1 \le a + b \le 3`, so a softmax regression on them has a cubic
    decision boundary, flexible enough to chase the noise in 30 points.
    Unlike raw monomials they are uncorrelated with unit variance for
    standard normal inputs, which keeps gradient descent well conditioned.

    Examples
    --------
    >>> print(cubic_features([[1.0, 2.0]]).round(3))
    [[ 1.     2.     0.     2.     2.121 -0.816  0.     2.121  0.816]]
    """
    X = _matrix(X, "X", 2)
    x1, x2 = X[:, 0], X[:, 1]
    a1, a2, a3 = x1, (x1 * x1 - 1) / math.sqrt(2), (x1**3 - 3 * x1) / math.sqrt(6)
    b1, b2, b3 = x2, (x2 * x2 - 1) / math.sqrt(2), (x2**3 - 3 * x2) / math.sqrt(6)
    return np.column_stack([a1, b1, a2, a1 * b1, b2, a3, a2 * b1, a1 * b2, b3])


def _matrix(X, name: str, width: int | None = None) -> np.ndarray:
    X = check_finite(as_float_array(X, name, dtype=np.float64), name)
    if X.ndim != 2 or (width is not None and X.shape[1] != width):
        want = f"(N, {width})" if width is not None else "(N, d)"
        raise ValueError(f"{name} must have shape {want}; got shape {X.shape}.")
    return X


# =============================================================================== annotators

def annotate(probs, n_annotators: int, *, seed: int = 0) -> np.ndarray:
    r"""Simulate annotators: each one labels example :math:`i` by drawing a class from :math:`p_i`.

    The annotators are honest but fallible in the way real ones are: on a
    clear example they agree, on an ambiguous one they split in proportion
    to how ambiguous it is.  They are independent given the example.

    Parameters
    ----------
    probs : array_like (N, K), rows summing to 1: the true :math:`P(y \mid x_i)`;
        or (N,) for two classes, read as :math:`P(y = 1 \mid x_i)`.
    n_annotators : int >= 1.
    seed : int.  Annotator ``j``'s votes use the same random numbers whatever
        ``n_annotators`` is, so the first 3 of 15 annotators are the 3 of a panel of 3.

    Returns
    -------
    votes : ndarray (N, n_annotators) int, class indices.

    Examples
    --------
    >>> votes = annotate([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], 4, seed=0)
    >>> print(votes[:2])
    [[0 0 0 0]
     [1 1 1 1]]
    """
    p = _probability_rows(probs, "probs")
    a = check_int(n_annotators, "n_annotators", 1)
    rng = np.random.default_rng(seed)
    u = rng.random((a, len(p))).T  # column j is the same for every panel size: panels are nested
    cdf = np.cumsum(p, axis=1)
    cdf[:, -1] = 1.0  # rounding must never leave a draw above the last edge
    return (u[:, :, None] >= cdf[:, None, :]).sum(axis=2)


def _probability_rows(probs, name: str) -> np.ndarray:
    p = as_float_array(probs, name, dtype=np.float64)
    if p.ndim == 1:
        check_probabilities(p, name, "1-D input is P(y = 1) of each example.")
        p = np.column_stack([1 - p, p])
    if p.ndim != 2:
        raise ValueError(f"{name} must have shape (N, K) rows of class probabilities, or (N,) for two classes; got shape {p.shape}.")
    return check_distribution(p, name)


def vote_fractions(votes, n_classes: int) -> np.ndarray:
    r"""Soft labels from votes: the fraction of annotators who chose each class.

    .. math:: t_{ik} = \frac{1}{A}\sum_{j=1}^{A} [v_{ij} = k]

    Cross-entropy against these rows equals the mean cross-entropy against
    the individual votes, because cross-entropy is linear in its target:
    :math:`H(t_i, q) = \frac1A \sum_j H(e_{v_{ij}}, q) = -\frac1A\sum_j \log q_{v_{ij}}`.
    Training on soft labels is training on every vote, with nothing thrown away.

    Parameters
    ----------
    votes : int array_like (N, A), class indices in [0, n_classes).
    n_classes : int >= 2.

    Returns
    -------
    ndarray (N, n_classes), rows summing to 1.

    Examples
    --------
    >>> print(vote_fractions([[0, 0, 1], [2, 2, 2]], 3).round(3))
    [[0.667 0.333 0.   ]
     [0.    0.    1.   ]]
    """
    k = check_int(n_classes, "n_classes", 2)
    v = _votes(votes, k)
    return (v[:, :, None] == np.arange(k)).mean(axis=1)


def _votes(votes, n_classes: int) -> np.ndarray:
    v = check_class_labels(votes, n_classes, "votes")
    if v.ndim != 2 or v.shape[1] == 0:
        raise ValueError(f"votes must have shape (N, A): one class index per example and annotator, A >= 1; got shape {v.shape}.")
    return v


def majority_vote(votes, n_classes: int) -> np.ndarray:
    """Hard labels from votes: the class most annotators chose (ties go to the lowest class index).

    Examples
    --------
    >>> print(majority_vote([[0, 1, 1], [2, 0, 0], [0, 1, 2]], 3))
    [1 0 0]
    """
    return vote_fractions(votes, n_classes).argmax(axis=1)


def excess_cross_entropy(true_probs, logits) -> float:
    r"""Mean cross-entropy above the best possible: :math:`\frac1N\sum_i D_{\mathrm{KL}}(p_i \,\|\, \operatorname{softmax}(z_i))`.

    With :math:`p_i` the true :math:`P(y \mid x_i)` this is how much worse, in
    nats per example, the model's test loss is than the Bayes-optimal model's
    (:math:`H(p, q) = H(p) + D_{\mathrm{KL}}(p\|q)`).  Computed from logits with
    :func:`~xentlib.log_softmax`, so it stays finite for confident models.

    Parameters
    ----------
    true_probs : array_like (N, K) rows of probabilities, or (N,) P(y = 1) for two classes.
    logits : array_like (N, K), the model's logits.

    Examples
    --------
    >>> print(excess_cross_entropy([[0.5, 0.5]], [[0.0, 0.0]]))
    0.0
    >>> print(round(excess_cross_entropy([0.5], [[0.0, 1000.0]]), 1))   # confident: KL = 1000/2 - ln 2 ...
    499.3
    """
    p = _probability_rows(true_probs, "true_probs")
    z = _matrix(logits, "logits")
    if z.shape != p.shape:
        raise ValueError(f"logits must have the shape of true_probs {p.shape}; got {z.shape}.")
    return float(np.mean(np.sum(xlogy(p, p) - p * log_softmax(z), axis=1)))


# =============================================================================== label smoothing

def smooth_labels(y, n_classes: int, epsilon: float) -> np.ndarray:
    r"""Label-smoothed targets: :math:`t = (1-\varepsilon)\, e_y + \varepsilon / K`.

    The convention of PyTorch and :func:`~xentlib.softmax_cross_entropy`'s
    ``label_smoothing``: the removed mass :math:`\varepsilon` is spread over
    *all* K classes, the true one included, so the true class keeps
    :math:`1 - \varepsilon + \varepsilon/K`.

    Examples
    --------
    >>> print(smooth_labels([0, 2], 3, 0.3))
    [[0.8 0.1 0.1]
     [0.1 0.1 0.8]]
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = _check_epsilon(epsilon)
    labels = check_class_labels(y, k)
    if labels.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels; got shape {labels.shape}.")
    return (1 - eps) * np.eye(k)[labels] + eps / k


def _check_epsilon(epsilon) -> float:
    return check_in_range(epsilon, "epsilon", 0.0, 1.0, "It is the smoothing mass; 0 means hard labels, 0.1 is typical.")


def smoothing_optimal_logit_gap(epsilon, n_classes: int):
    r"""The logit gap at which label smoothing's loss is smallest: :math:`\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)`.

    The cross-entropy against :math:`t = (1-\varepsilon)e_y + \varepsilon/K` is
    smallest when the prediction equals the target, :math:`q = t`.  Softmax
    probabilities are ratios of exponentials, so that fixes every logit
    difference between the true class and any other class:

    .. math:: z_y - z_k = \ln\frac{t_y}{t_k} = \ln\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}
              = \ln\!\Big(1 + \frac{K(1-\varepsilon)}{\varepsilon}\Big).

    With hard labels (:math:`\varepsilon = 0`) the gap is infinite: the loss
    keeps falling as the logits grow, which is where over-confidence comes
    from.  Two classes and :math:`\varepsilon = 0.2` give target 0.9 and gap
    :math:`\ln 9`.

    Parameters
    ----------
    epsilon : float or array_like in [0, 1].  n_classes : int >= 2.

    Returns
    -------
    float or ndarray (``inf`` where ``epsilon = 0``, 0 where ``epsilon = 1``).

    Examples
    --------
    >>> print(round(smoothing_optimal_logit_gap(0.2, 2), 4), round(math.log(9), 4))
    2.1972 2.1972
    >>> print(smoothing_optimal_logit_gap([0.0, 0.1], 10).round(3))
    [  inf 4.511]
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps, "epsilon", "It is the smoothing mass; 0 means hard labels.")
    with np.errstate(divide="ignore"):
        gap = np.log1p(np.where(eps > 0, k * (1 - eps) / np.where(eps > 0, eps, 1), np.inf))
    return float(gap) if gap.ndim == 0 else gap


def smoothing_loss_floor(epsilon, n_classes: int):
    r"""The lowest cross-entropy label smoothing allows: the entropy of the smoothed target.

    .. math:: H(t) = -\Big(1 - \varepsilon + \tfrac{\varepsilon}{K}\Big)\ln\Big(1 - \varepsilon + \tfrac{\varepsilon}{K}\Big)
              - (K - 1)\,\tfrac{\varepsilon}{K}\ln\tfrac{\varepsilon}{K}

    Examples
    --------
    >>> print(round(smoothing_loss_floor(0.2, 2), 4))     # H(0.9): the floor of a 0.9 target
    0.3251
    >>> print(smoothing_loss_floor(0.0, 5))
    0.0
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps, "epsilon", "It is the smoothing mass; 0 means hard labels.")
    on, off = 1 - eps + eps / k, eps / k
    floor = -xlogy(on, on) - (k - 1) * xlogy(off, off)
    return float(floor) if floor.ndim == 0 else floor


# =============================================================================== distillation

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
    s = _matrix(student_logits, "student_logits")
    t = _matrix(teacher_logits, "teacher_logits")
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
        X = _matrix(X, "X")
        t = _matrix(y.teacher_logits, "teacher_logits")
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


# =============================================================================== mixup

class MixupBatch(NamedTuple):
    r"""Mixed examples :math:`\tilde x = \lambda x_i + (1-\lambda) x_j`, :math:`\tilde y = \lambda y_i + (1-\lambda) y_j`."""

    X: np.ndarray  # (N, d) mixed inputs
    Y: np.ndarray  # (N, K) mixed labels
    lam: np.ndarray  # (N,) mixing weights lambda
    partner: np.ndarray  # (N,) index j of the example each row i was mixed with


def _mixup_inputs(X, Y, n_classes):
    X = _matrix(X, "X")
    Y_arr = np.asarray(Y)
    if Y_arr.ndim == 1:
        if n_classes is None:
            raise ValueError("Y holds class labels; pass n_classes so they can be turned into one-hot rows.")
        k = check_int(n_classes, "n_classes", 2)
        Y_rows = np.eye(k)[check_class_labels(Y_arr, k, "Y")]
    else:
        Y_rows = check_distribution(as_float_array(Y_arr, "Y", dtype=np.float64), "Y")
    if Y_rows.ndim != 2 or len(Y_rows) != len(X):
        raise ValueError(f"Y must have one label or probability row per row of X ({len(X)}); got shape {Y_arr.shape}.")
    if len(X) == 0:
        raise ValueError("X is empty; mixup needs at least one example.")
    return X, Y_rows


def mixup(X, Y, *, alpha: float, seed: int = 0, n_classes: int | None = None) -> MixupBatch:
    r"""One mixup batch (Zhang et al., 2018): every example mixed with a random partner.

    .. math:: \lambda_i \sim \mathrm{Beta}(\alpha, \alpha), \qquad
              \tilde x_i = \lambda_i x_i + (1 - \lambda_i)\, x_{\pi(i)}, \qquad
              \tilde y_i = \lambda_i y_i + (1 - \lambda_i)\, y_{\pi(i)},

    with :math:`\pi` a random permutation.  Small :math:`\alpha` puts most
    :math:`\lambda` near 0 or 1 (barely mixed); :math:`\alpha = 1` is
    uniform; large :math:`\alpha` concentrates :math:`\lambda` at 1/2.
    ``alpha = 0`` means no mixing (:math:`\lambda = 1`).

    Parameters
    ----------
    X : array_like (N, d).
    Y : array_like (N, K) probability rows, or (N,) integer labels with ``n_classes``.
    alpha : float >= 0.  seed : int.

    Returns
    -------
    MixupBatch(X, Y, lam, partner)

    Examples
    --------
    >>> batch = mixup([[0.0], [1.0]], [0, 1], alpha=1.0, seed=3, n_classes=2)
    >>> print(np.allclose(batch.Y[:, 1], batch.X[:, 0]))   # on this line, the mixed label is the mixed input
    True
    """
    X, Y_rows = _mixup_inputs(X, Y, n_classes)
    alpha = check_scalar(alpha, "alpha")
    if not (0 <= alpha < math.inf):
        raise ValueError(f"alpha must be a finite number >= 0; got {alpha!r}. 0 switches mixup off; 0.2 to 1 is usual.")
    rng = np.random.default_rng(seed)
    n = len(X)
    partner = rng.permutation(n)
    lam = rng.beta(alpha, alpha, size=n) if alpha > 0 else np.ones(n)
    mixed_X = lam[:, None] * X + (1 - lam[:, None]) * X[partner]
    mixed_Y = lam[:, None] * Y_rows + (1 - lam[:, None]) * Y_rows[partner]
    return MixupBatch(mixed_X, mixed_Y, lam, partner)


def mixup_augment(X, Y, *, alpha: float, copies: int = 10, seed: int = 0, n_classes: int | None = None) -> MixupBatch:
    r"""``copies`` independent mixup batches stacked into one fixed training set.

    Full-batch gradient descent on this set minimises a Monte Carlo estimate
    of the mixup objective :math:`\mathbb E_{\lambda, \pi}\big[H(\tilde y, q(\tilde x))\big]`,
    so a deterministic trainer such as :meth:`SoftmaxRegression.fit
    <xentlib.models.SoftmaxRegression.fit>` can train on it.

    Returns
    -------
    MixupBatch with ``copies * N`` rows; row ``r`` mixes example ``r % N`` with example ``partner[r]``.

    Examples
    --------
    >>> batch = mixup_augment([[0.0], [1.0]], [0, 1], alpha=0.4, copies=3, n_classes=2)
    >>> print(batch.X.shape, batch.Y.shape, np.allclose(batch.Y.sum(axis=1), 1))
    (6, 1) (6, 2) True
    """
    copies = check_int(copies, "copies", 1)
    X, Y_rows = _mixup_inputs(X, Y, n_classes)
    rng = np.random.default_rng(seed)
    batches = [mixup(X, Y_rows, alpha=alpha, seed=int(s)) for s in rng.integers(0, 2**31, size=copies)]
    return MixupBatch(*(np.concatenate(part) for part in zip(*batches)))


def mixed_labels_near(batch: MixupBatch, point, radius: float) -> np.ndarray:
    r"""The mixed labels of every mixed example that landed within ``radius`` of ``point``: shape (M, K).

    Different pairs and different :math:`\lambda` can land at (nearly) the
    same mixed input with different mixed labels.  A model sees only the
    input, so the best it can predict there is the average of these labels
    (:func:`best_constant_prediction`).

    Examples
    --------
    >>> batch = mixup_augment([[0.0], [1.0]], [0, 1], alpha=1.0, copies=50, n_classes=2)
    >>> near = mixed_labels_near(batch, [0.5], 0.05)
    >>> print(near.shape[1], np.all(np.abs(near[:, 1] - 0.5) <= 0.05))   # on a line, the label follows the input
    2 True
    """
    if not isinstance(batch, MixupBatch):
        raise TypeError(f"batch must be a MixupBatch (from mixup or mixup_augment); got {type(batch).__name__}.")
    p = check_finite(as_float_array(point, "point", dtype=np.float64), "point").ravel()
    if p.shape != batch.X.shape[1:]:
        raise ValueError(f"point must have {batch.X.shape[1]} coordinates, like the mixed inputs; got shape {p.shape}.")
    r = check_positive(radius, "radius")
    return batch.Y[np.linalg.norm(batch.X - p, axis=1) <= r]


def best_constant_prediction(targets, weights=None) -> np.ndarray:
    r"""The prediction :math:`q` with the lowest expected cross-entropy against random targets: their mean.

    Cross-entropy is linear in the target, so
    :math:`\mathbb E[H(\tilde y, q)] = H(\mathbb E[\tilde y], q)`, which
    (notebook 01) is smallest at :math:`q = \mathbb E[\tilde y]`, with minimum
    :math:`H(\mathbb E[\tilde y])`.  For mixup: wherever several mixed
    examples land on the same input, the best a model can say there is the
    average of their mixed labels.

    Parameters
    ----------
    targets : array_like (M, K) probability rows.  weights : array_like (M,) >= 0, or None for equal weights.

    Examples
    --------
    >>> print(best_constant_prediction([[0.8, 0.2], [0.4, 0.6]]))
    [0.6 0.4]
    """
    t = check_distribution(as_float_array(targets, "targets", dtype=np.float64), "targets")
    if t.ndim != 2 or len(t) == 0:
        raise ValueError(f"targets must have shape (M, K) with M >= 1; got shape {t.shape}.")
    if weights is None:
        return t.mean(axis=0)
    w = check_finite(as_float_array(weights, "weights", dtype=np.float64), "weights")
    if w.shape != (len(t),) or w.min() < 0 or w.sum() <= 0:
        raise ValueError(f"weights must be (M,) = ({len(t)},) non-negative numbers with a positive sum; got shape {w.shape}.")
    return w @ t / w.sum()


def constant_prediction_losses(targets, q_grid) -> np.ndarray:
    r"""Mean binary cross-entropy of every constant prediction :math:`q` on a grid, against soft targets.

    .. math:: L(q) = -\frac1M\sum_m \big[t_m \ln q + (1 - t_m)\ln(1-q)\big]

    A brute-force check of :func:`best_constant_prediction` that does not
    use its formula: the grid's argmin should sit at the mean target.

    Parameters
    ----------
    targets : array_like (M,) in [0, 1], probabilities of class 1.
    q_grid : array_like (G,) in (0, 1).

    Returns
    -------
    ndarray (G,) of mean losses in nats.

    Examples
    --------
    >>> grid = np.linspace(0.01, 0.99, 99)
    >>> print(round(grid[np.argmin(constant_prediction_losses([0.2, 0.9, 0.7], grid))], 2))
    0.6
    """
    t = check_probabilities(as_float_array(targets, "targets", dtype=np.float64).ravel(), "targets")
    q = check_probabilities(as_float_array(q_grid, "q_grid", dtype=np.float64).ravel(), "q_grid")
    if t.size == 0:
        raise ValueError("targets is empty; pass at least one target.")
    if q.min() <= 0 or q.max() >= 1:
        raise ValueError(f"q_grid must lie strictly inside (0, 1), where log q and log(1 - q) are finite; got min={q.min()}, max={q.max()}.")
    losses = -(t[:, None] * np.log(q) + (1 - t[:, None]) * np.log1p(-q))  # (M, G): every target, every q
    return losses.mean(axis=0)


# =============================================================================== behavioural cloning

#: Lane-keeping policies: what a cloned policy does once it is *off* the centre line.
POLICIES = {
    "cloned": "acts as it learnt to at the centre: mostly straight on, so it never steers back",
    "recovering": "was also shown how to recover (as DAgger would teach it): steers back towards the centre",
    "worst case": "once off the centre it always steers further away: every mistake is permanent",
}


def error_probability(cross_entropy):
    r"""Per-step mistake probability of a policy with per-step cross-entropy :math:`\ell` on the expert's actions.

    .. math:: \varepsilon = 1 - e^{-\ell}

    exactly, when the policy gives the expert's action the same probability
    :math:`1-\varepsilon` in every state (then :math:`\ell = -\ln(1-\varepsilon)`);
    and as an upper bound in general, by Jensen's inequality
    (:math:`\mathbb E[-\ln q] \ge -\ln \mathbb E[q]`), for the chance that a
    sampled action differs from the expert's.  For small :math:`\ell`,
    :math:`\varepsilon \approx \ell`.

    Examples
    --------
    >>> print(error_probability([0.01, 0.1, math.log(2)]).round(5))
    [0.00995 0.09516 0.5    ]
    """
    ce = as_float_array(cross_entropy, "cross_entropy", dtype=np.float64)
    if np.isnan(ce).any() or (ce.size and ce.min() < 0):
        raise ValueError("cross_entropy must be >= 0 (nats per step); got a negative value or NaN.")
    eps = -np.expm1(-ce)
    return float(eps) if eps.ndim == 0 else eps


class CompoundingBounds(NamedTuple):
    r"""Expected number of off-course steps over a horizon :math:`H` at per-step error :math:`\varepsilon`."""

    linear: np.ndarray  # eps * H: mistakes that are corrected at once (the O(eps H) bound)
    quadratic: np.ndarray  # eps * H (H + 1) / 2: the O(eps H^2) bound of behavioural cloning
    worst_case: np.ndarray  # sum_{t=1}^H [1 - (1 - eps)^t]: exact when a mistake is never undone


def compounding_bounds(epsilon, horizon) -> CompoundingBounds:
    r"""How per-step mistakes add up over a horizon: the :math:`O(\varepsilon H)` and :math:`O(\varepsilon H^2)` bounds.

    Count a cost of 1 for every step :math:`t = 1, \dots, H` spent off the
    expert's course.  If each mistake is corrected on the next step, the
    expected cost is at most :math:`\varepsilon H`.  If a mistake is never
    undone (the learner has never seen how to get back), step :math:`t` is
    off course as soon as any of the first :math:`t` steps went wrong:

    .. math:: \mathbb E[\text{cost}] = \sum_{t=1}^{H}\big[1 - (1-\varepsilon)^t\big]
              = H - \frac{(1-\varepsilon)\big(1 - (1-\varepsilon)^H\big)}{\varepsilon}
              \;\le\; \sum_{t=1}^{H}\varepsilon t = \frac{\varepsilon H (H+1)}{2},

    quadratic in the horizon (Ross & Bagnell, 2010: behavioural cloning's
    cost is :math:`O(\varepsilon H^2)` where a learner that sees its own
    mistakes, as in DAgger, gets :math:`O(\varepsilon H)`).

    Parameters
    ----------
    epsilon : float or array_like in [0, 1], the per-step mistake probability.
    horizon : int or array_like of ints >= 0.  Broadcast against each other.

    Examples
    --------
    >>> b = compounding_bounds(0.01, 100)
    >>> print(round(float(b.linear), 3), round(float(b.quadratic), 3), round(float(b.worst_case), 3))
    1.0 50.5 37.237
    """
    eps = check_probabilities(as_float_array(epsilon, "epsilon", dtype=np.float64), "epsilon",
                              "It is a probability per step; error_probability(ce) turns a cross-entropy into one.")
    h = np.asarray(horizon)
    if h.dtype.kind not in "iu" or (h.size and h.min() < 0):
        raise ValueError(f"horizon must be whole numbers of steps >= 0; got {horizon!r}.")
    eps, h = np.broadcast_arrays(eps, h.astype(np.float64))
    keep = 1 - eps
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.where(eps > 0, keep * (1 - keep**h) / np.where(eps > 0, eps, 1), h)  # sum_{t=1}^H keep^t
    return CompoundingBounds(eps * h, eps * h * (h + 1) / 2, h - geometric)


def _check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {sorted(POLICIES)}; got {policy!r}.")
    return policy


def lane_keeping_transitions(epsilon: float, *, half_width: int = 3, policy: str = "cloned") -> np.ndarray:
    r"""The lane-keeping Markov chain: a car's lateral offset, one cell per step, under a cloned policy.

    States are the offsets :math:`s = -W, \dots, W` (index ``s + W``) and a
    last, absorbing state "off the road" (:math:`|s| > W`).  Actions move
    the car one cell left, keep it, or move it one cell right.  The expert
    always steers towards the centre, so its demonstrations only ever show
    :math:`s = 0` and "straight on".  The learner's policy:

    * at the centre: straight on with probability :math:`1-\varepsilon`,
      one cell left or right with :math:`\varepsilon/2` each;
    * off the centre, by ``policy`` (see :data:`POLICIES`): ``"cloned"``
      behaves as at the centre; ``"recovering"`` steers back with
      :math:`1-\varepsilon`, else straight or away (:math:`\varepsilon/2`
      each); ``"worst case"`` always steers away.

    Returns
    -------
    P : ndarray (2W + 2, 2W + 2), row-stochastic: ``P[a, b]`` = P(next state b | state a).

    Examples
    --------
    >>> P = lane_keeping_transitions(0.1, half_width=1)
    >>> print(P.round(2))                     # states -1, 0, +1, off the road
    [[0.9  0.05 0.   0.05]
     [0.05 0.9  0.05 0.  ]
     [0.   0.05 0.9  0.05]
     [0.   0.   0.   1.  ]]
    """
    eps = check_in_range(epsilon, "epsilon", 0.0, 1.0, "It is the per-step mistake probability; error_probability(ce) gives it.")
    w = check_int(half_width, "half_width", 1)
    policy = _check_policy(policy)
    n = 2 * w + 1
    off = n  # index of the absorbing off-road state
    P = np.zeros((n + 1, n + 1))
    P[off, off] = 1.0
    for i in range(n):
        s = i - w
        if s == 0 or policy == "cloned":
            moves = {-1: eps / 2, 0: 1 - eps, +1: eps / 2}
        elif policy == "recovering":
            toward = -int(np.sign(s))
            moves = {toward: 1 - eps, 0: eps / 2, -toward: eps / 2}
        else:  # worst case: always further out
            moves = {int(np.sign(s)): 1.0}
        for move, prob in moves.items():
            j = i + move
            P[i, j if 0 <= j < n else off] += prob
    return P


class LaneKeeping(NamedTuple):
    r"""Exact expectations for the lane-keeping chain at steps :math:`t = 0, \dots, H`."""

    off_centre: np.ndarray  # (H+1,) P(s_t != 0), off the road included
    off_road: np.ndarray  # (H+1,) P(|s_t| > W): crashed by step t
    mean_abs_offset: np.ndarray  # (H+1,) E|s_t|, counting off the road as W + 1
    cost: np.ndarray  # (H+1,) expected off-centre steps among 1..t (cumulative)


def lane_keeping_exact(epsilon: float, horizon: int, *, half_width: int = 3, policy: str = "cloned") -> LaneKeeping:
    r"""Exact state probabilities of the lane-keeping chain, started at the centre, by propagating the distribution.

    :math:`\pi_{t+1} = \pi_t P` with :math:`P` from
    :func:`lane_keeping_transitions`, :math:`\pi_0 = e_{\text{centre}}`.
    No sampling noise: these are the curves :func:`simulate_lane_keeping`
    estimates.

    Examples
    --------
    >>> run = lane_keeping_exact(0.01, 100, policy="worst case", half_width=200)
    >>> print(round(float(run.cost[-1]), 3))          # = compounding_bounds(0.01, 100).worst_case
    37.237
    """
    horizon = check_int(horizon, "horizon", 0)
    P = lane_keeping_transitions(epsilon, half_width=half_width, policy=policy)
    w = int(half_width)
    pi = np.zeros(len(P))
    pi[w] = 1.0
    history = np.empty((horizon + 1, len(P)))
    history[0] = pi
    for t in range(1, horizon + 1):
        pi = pi @ P
        history[t] = pi
    offsets = np.append(np.abs(np.arange(-w, w + 1)), w + 1)
    off_centre = 1 - history[:, w]
    cost = np.concatenate([[0.0], np.cumsum(off_centre[1:])])
    return LaneKeeping(off_centre, history[:, -1], history @ offsets, cost)


def simulate_lane_keeping(epsilon, horizon: int, n_episodes: int, *, half_width: int = 3,
                          policy: str = "cloned", seed: int = 0) -> np.ndarray:
    r"""Sample lane-keeping episodes: the car's offset at steps :math:`0, \dots, H`.

    Each episode starts at the centre and follows the chain of
    :func:`lane_keeping_transitions`.  An episode that leaves the road stays
    at offset :math:`\pm(W + 1)` from then on.  One uniform number :math:`u`
    per step and episode decides the action: :math:`u < \varepsilon/2` and
    :math:`\varepsilon/2 \le u < \varepsilon` are the two kinds of mistake.
    The numbers come from ``seed`` and do not depend on ``epsilon``, so for an
    array of ``epsilon`` values every episode is simulated with the same
    random numbers (common random numbers): episodes change smoothly as
    :math:`\varepsilon` moves.

    Parameters
    ----------
    epsilon : float in [0, 1], or array_like (E,) of them.
    horizon : int >= 0.  n_episodes : int >= 1.  half_width : int >= 1.
    policy : a key of :data:`POLICIES`.  seed : int.

    Returns
    -------
    ndarray (n_episodes, H + 1) int, or (E, n_episodes, H + 1) for an array
    ``epsilon``: offsets, :math:`\pm(W+1)` meaning off the road.

    Examples
    --------
    >>> print(simulate_lane_keeping(0.0, 5, 2))            # no mistakes: the car stays on the centre line
    [[0 0 0 0 0 0]
     [0 0 0 0 0 0]]
    >>> print(simulate_lane_keeping([0.0, 0.5], 5, 3).shape)
    (2, 3, 6)
    """
    eps_in = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps_in, "epsilon", "It is the per-step mistake probability; error_probability(ce) gives it.")
    if eps_in.ndim > 1:
        raise ValueError(f"epsilon must be a number or a 1-D array of them; got shape {eps_in.shape}.")
    horizon = check_int(horizon, "horizon", 0)
    n = check_int(n_episodes, "n_episodes", 1)
    w = check_int(half_width, "half_width", 1)
    policy = _check_policy(policy)
    eps = np.atleast_1d(eps_in)[:, None]  # (E, 1) against (n,) episodes
    u = np.random.default_rng(seed).random((horizon, n))
    s = np.zeros((len(eps), n), dtype=np.int64)
    paths = np.zeros((len(eps), n, horizon + 1), dtype=np.int64)
    for t in range(horizon):
        live = np.abs(s) <= w
        side = np.sign(s)
        first_half = u[t] < eps / 2  # (E, n)
        mistake = u[t] < eps
        random_dir = np.where(first_half, -1, 1)
        if policy == "cloned":
            move = np.where(mistake, random_dir, 0)
        elif policy == "recovering":
            off_move = np.where(mistake, np.where(first_half, 0, side), -side)
            move = np.where(side == 0, np.where(mistake, random_dir, 0), off_move)
        else:  # worst case
            move = np.where(side == 0, np.where(mistake, random_dir, 0), side)
        s = np.where(live, s + move, s)
        paths[:, :, t + 1] = s
    return paths[0] if eps_in.ndim == 0 else paths


# =============================================================================== studies

# The trained models notebook 09 reports and draws.  Each study trains every
# model once and is cached, so the notebook's printed numbers and its figures
# share one set of models, and a slider only looks results up.

class AnnotatorStudy(NamedTuple):
    r"""Two-class, one-feature models trained on the votes of growing panels of annotators.

    The log-odds of a model are :math:`z_1 - z_0 = a x + c`; ``*_logit`` hold
    :math:`(a, c)` per panel size.  The truth is :math:`a = ` ``true_slope``, :math:`c = 0`.
    """

    x: np.ndarray  # (N,) training inputs
    votes: np.ndarray  # (N, max panel size) every annotator's vote
    panel_sizes: np.ndarray  # (S,)
    true_slope: float
    soft_logit: np.ndarray  # (S, 2) slope and intercept of the log-odds, trained on vote fractions
    majority_logit: np.ndarray  # (S, 2) ... trained on majority votes
    soft_excess: np.ndarray  # (S,) excess test cross-entropy over the Bayes model, nats
    majority_excess: np.ndarray  # (S,)


def annotator_study(panel_sizes=(1, 3, 5, 7, 9, 11, 13, 15), *, n: int = 40, seed: int = 1,
                    steps: int = 60, lr: float = 2.0) -> AnnotatorStudy:
    r"""Soft labels against majority votes, as the number of annotators per example grows.

    Data: :func:`xentlib.datasets.two_gaussians` in one dimension (separation
    2), whose true posterior is :math:`P(y = 1\mid x) = \sigma(2x)`.  Each
    example gets votes from up to ``max(panel_sizes)`` simulated annotators
    (:func:`annotate`; a panel of 3 is the first 3 of them).  For each panel
    size, one :class:`~xentlib.models.SoftmaxRegression` is trained on the vote
    fractions and one on the majority votes (odd panel sizes avoid ties), by
    ``steps`` steps of gradient descent; each is scored by
    :func:`excess_cross_entropy` on 2000 fresh inputs.  Cached.

    Examples
    --------
    >>> study = annotator_study((1, 15))
    >>> print(study.soft_excess[-1] < study.soft_excess[0] < study.majority_excess[-1])
    True
    """
    sizes = tuple(check_int(a, "panel size", 1) for a in np.atleast_1d(panel_sizes).tolist())
    if not sizes:
        raise ValueError("panel_sizes is empty; pass at least one number of annotators.")
    return _annotator_study(sizes, check_int(n, "n", 2), seed, check_int(steps, "steps", 0), check_positive(lr, "lr"))


_SEPARATION = 2.0


@functools.lru_cache(maxsize=8)
def _annotator_study(sizes, n, seed, steps, lr) -> AnnotatorStudy:
    X, _ = two_gaussians(n, separation=_SEPARATION, dim=1, seed=seed)
    votes = annotate(sigmoid(_SEPARATION * X[:, 0]), max(sizes), seed=seed + 10)
    X_test, _ = two_gaussians(2000, separation=_SEPARATION, dim=1, seed=seed + 1000)
    p_test = sigmoid(_SEPARATION * X_test[:, 0])
    fits = {"soft": [], "majority": []}
    for a in sizes:
        panel = votes[:, :a]
        for kind, target in (("soft", vote_fractions(panel, 2)), ("majority", majority_vote(panel, 2))):
            model = SoftmaxRegression(1, 2)
            model.fit(X, target, lr=lr, steps=steps)
            log_odds = (model.W[0, 1] - model.W[0, 0], model.b[1] - model.b[0])
            fits[kind].append((log_odds, excess_cross_entropy(p_test, model.logits(X_test))))
    soft, major = ([np.array(v) for v in zip(*fits[k])] for k in ("soft", "majority"))
    return AnnotatorStudy(X[:, 0], votes, np.array(sizes), _SEPARATION, soft[0], major[0], soft[1], major[1])


class BlobProblem(NamedTuple):
    r"""The small noisy problem of the over-confidence sections, with its feature map.

    ``features(X)`` is :func:`cubic_features`, standardised with the training
    set's column means and standard deviations (``mean``, ``scale``), so that
    plain gradient descent with learning rate 1 is stable on it.
    """

    X: np.ndarray  # (30, 2) training inputs
    y: np.ndarray  # (30,) training labels
    X_test: np.ndarray  # (4000, 2)
    y_test: np.ndarray  # (4000,)
    mean: np.ndarray  # (9,) of the training set's cubic features
    scale: np.ndarray  # (9,)

    def features(self, X) -> np.ndarray:
        """Standardised cubic features of any inputs (training, test, mixed or a drawing grid), shape (N, 9)."""
        return (cubic_features(X) - self.mean) / self.scale


@functools.lru_cache(maxsize=1)
def blob_problem() -> BlobProblem:
    r"""30 training points and 4000 test points from :func:`two_blobs` (seeds 3 and 1), and their features.

    Cached: do not modify the arrays.

    Examples
    --------
    >>> problem = blob_problem()
    >>> F = problem.features(problem.X)
    >>> print(F.shape, np.allclose(F.mean(axis=0), 0), np.allclose(F.std(axis=0), 1))
    (30, 9) True True
    """
    X, y = two_blobs(30, seed=3)
    X_test, y_test = two_blobs(4000, seed=1)
    F = cubic_features(X)
    return BlobProblem(X, y, X_test, y_test, F.mean(axis=0), F.std(axis=0))


class RegularisedFits(NamedTuple):
    """Cubic softmax regressions on :func:`blob_problem`, one per regularisation setting, with test scores."""

    settings: np.ndarray  # (S,) epsilon (label smoothing) or alpha (mixup); 0 = plain cross-entropy
    models: tuple  # (S,) trained SoftmaxRegression
    test_nll: np.ndarray  # (S,) nats
    test_ece: np.ndarray  # (S,) expected calibration error, 10 bins
    test_accuracy: np.ndarray  # (S,)
    train_gaps: np.ndarray  # (S, N) logit of the true class minus the other's, at each training point
    mixed: tuple  # (S,) the MixupBatch each model was trained on (None without mixup)


def _score(models, settings, mixed) -> RegularisedFits:
    problem = blob_problem()
    y, F, y_test, F_test = problem.y, problem.features(problem.X), problem.y_test, problem.features(problem.X_test)
    nll, ece, acc, gaps = [], [], [], []
    for model in models:
        z_test = model.logits(F_test)
        nll.append(softmax_cross_entropy(z_test, y_test))
        ece.append(expected_calibration_error(softmax(z_test), y_test, n_bins=10))
        acc.append(np.mean(z_test.argmax(axis=1) == y_test))
        z = model.logits(F)
        gaps.append(np.where(y == 1, 1, -1) * (z[:, 1] - z[:, 0]))
    return RegularisedFits(np.array(settings), tuple(models), np.array(nll), np.array(ece), np.array(acc),
                           np.array(gaps), tuple(mixed))


def _settings(values, name: str) -> tuple:
    vals = tuple(float(check_scalar(v, name)) for v in np.atleast_1d(values).tolist())
    if not vals:
        raise ValueError(f"{name} is empty; pass at least one value.")
    return vals


def smoothing_study(epsilons=(0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3), *, steps: int = 100, lr: float = 1.0) -> RegularisedFits:
    r"""Label smoothing on :func:`blob_problem`: one cubic softmax regression per :math:`\varepsilon`.

    Each model is :class:`~xentlib.models.SoftmaxRegression` on
    :meth:`BlobProblem.features` with ``label_smoothing=epsilon``, trained by ``steps`` steps of gradient
    descent from zero weights.  Cached.

    Examples
    --------
    >>> fits = smoothing_study((0.0, 0.2))
    >>> print(fits.test_ece[1] < fits.test_ece[0], np.median(fits.train_gaps[1]) < np.median(fits.train_gaps[0]))
    True True
    """
    eps = _settings(epsilons, "epsilons")
    for e in eps:
        _check_epsilon(e)
    return _smoothing_study(eps, check_int(steps, "steps", 0), check_positive(lr, "lr"))


@functools.lru_cache(maxsize=8)
def _smoothing_study(eps, steps, lr) -> RegularisedFits:
    problem = blob_problem()
    y, F = problem.y, problem.features(problem.X)
    models = []
    for e in eps:
        model = SoftmaxRegression(F.shape[1], 2, label_smoothing=e)
        model.fit(F, y, lr=lr, steps=steps)
        models.append(model)
    return _score(models, eps, [None] * len(eps))


def mixup_study(alphas=(0.0, 0.1, 0.2, 0.5, 1.0, 2.0), *, copies: int = 10, steps: int = 100, lr: float = 1.0,
                seed: int = 0) -> RegularisedFits:
    r"""Mixup on :func:`blob_problem`: one cubic softmax regression per :math:`\alpha`.

    For each :math:`\alpha > 0` the 30 training points are expanded to
    ``copies`` mixup batches (:func:`mixup_augment`, mixed in input space,
    then turned into features by :meth:`BlobProblem.features`) and a
    :class:`~xentlib.models.SoftmaxRegression` is trained on the mixed labels;
    :math:`\alpha = 0` is plain training on the 30 points.  Cached.

    Examples
    --------
    >>> fits = mixup_study((0.0, 1.0))
    >>> print(fits.test_nll[1] < fits.test_nll[0], fits.mixed[1].X.shape)
    True (300, 2)
    """
    alphas = _settings(alphas, "alphas")
    return _mixup_study(alphas, check_int(copies, "copies", 1), check_int(steps, "steps", 0), check_positive(lr, "lr"), seed)


@functools.lru_cache(maxsize=8)
def _mixup_study(alphas, copies, steps, lr, seed) -> RegularisedFits:
    problem = blob_problem()
    X, y = problem.X, problem.y
    models, mixed = [], []
    for a in alphas:
        batch = mixup_augment(X, y, alpha=a, copies=copies, seed=seed, n_classes=2) if a > 0 else None
        features, targets = (problem.features(X), y) if batch is None else (problem.features(batch.X), batch.Y)
        model = SoftmaxRegression(features.shape[1], 2)
        model.fit(features, targets, lr=lr, steps=steps)
        models.append(model)
        mixed.append(batch)
    return _score(models, alphas, mixed)


@functools.lru_cache(maxsize=1)
def ring_teacher() -> SoftmaxRegression:
    r"""The distillation teacher: a :class:`~xentlib.models.SoftmaxRegression` trained on 2000 :func:`ring_classes` points.

    200 steps of gradient descent (seed 1).  Its test accuracy and loss are
    within a whisker of the Bayes-optimal :func:`ring_logits`.  Cached: do not train it further.
    """
    X, y = ring_classes(2000, seed=1)
    teacher = SoftmaxRegression(2, 5)
    teacher.fit(X, y, lr=1.0, steps=200)
    return teacher


class DistillationStudy(NamedTuple):
    """Students trained on transfer sets of growing size, on hard labels or on the teacher's soft targets."""

    sizes: np.ndarray  # (S,) transfer-set sizes
    targets: tuple  # (M,) names: "hard labels", "teacher, T = 1", ...
    temperatures: tuple  # (M,) None for hard labels
    X: np.ndarray  # (max size, 2) the transfer set; a size-n student sees the first n rows
    y: np.ndarray  # (max size,) its labels
    models: tuple  # (M, S) trained students
    accuracy: np.ndarray  # (M, S) on the test set
    nll: np.ndarray  # (M, S) nats, on the test set
    teacher_accuracy: float
    teacher_nll: float


def distillation_study(sizes=(5, 10, 20, 50), temperatures=(None, 4.0), *, steps: int = 100,
                       lr: float = 1.0) -> DistillationStudy:
    r"""Hard labels against a teacher's soft targets, as the transfer set grows.

    The transfer set is drawn from :func:`ring_classes` (seed 2) and ordered
    so that every prefix is as balanced as possible (one of each class
    first).  For each size :math:`n` and each entry of ``temperatures``, a
    :class:`DistilledSoftmaxRegression` student is trained on the first
    :math:`n` examples: ``None`` means hard labels (``alpha = 0``), a number
    :math:`T` means the teacher's soft targets at that temperature
    (``alpha = 1``).  Scored on 4000 test points (seed 99).  Cached.

    Examples
    --------
    >>> study = distillation_study((5,), (None, 4.0))
    >>> print(study.accuracy[1, 0] > study.accuracy[0, 0])      # 5 soft targets beat 5 labels
    True
    """
    n_sizes = tuple(check_int(n, "size", 1) for n in np.atleast_1d(sizes).tolist())
    temps = tuple(None if t is None else check_positive(t, "temperature") for t in temperatures)
    if not n_sizes or not temps:
        raise ValueError("sizes and temperatures must each hold at least one entry.")
    return _distillation_study(n_sizes, temps, check_int(steps, "steps", 0), check_positive(lr, "lr"))


@functools.lru_cache(maxsize=8)
def _distillation_study(sizes, temps, steps, lr) -> DistillationStudy:
    teacher = ring_teacher()
    X, y = ring_classes(max(sizes), seed=2)
    rank = np.zeros(len(y), dtype=int)  # how many earlier examples share the label
    for k in range(5):
        rank[y == k] = np.arange(np.sum(y == k))
    order = np.lexsort((y, rank))  # one of each class, then the next of each class, ...
    X, y = X[order], y[order]
    t = teacher.logits(X)
    X_test, y_test = ring_classes(4000, seed=99)
    models, acc, nll = [], [], []
    for temp in temps:
        row = []
        for n in sizes:
            student = DistilledSoftmaxRegression(2, 5, temperature=temp or 1.0, alpha=0.0 if temp is None else 1.0)
            student.fit(X[:n], DistillationTargets(t[:n], y[:n]), lr=lr, steps=steps)
            row.append(student)
        models.append(tuple(row))
        acc.append([s.accuracy(X_test, y_test) for s in row])
        nll.append([s.loss(X_test, y_test) for s in row])
    names = tuple("hard labels" if temp is None else f"teacher, T = {temp:g}" for temp in temps)
    return DistillationStudy(np.array(sizes), names, temps, X, y, tuple(models), np.array(acc), np.array(nll),
                             teacher.accuracy(X_test, y_test), teacher.loss(X_test, y_test))
