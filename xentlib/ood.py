r"""Out-of-distribution detection with energies: scores, detection metrics and the energy-margin loss.

A softmax classifier must share all its probability among the classes it
knows, so an input unlike anything it was trained on still gets a class,
often a confident one.  This module has the pieces notebook 10 uses to see
that and to do something about it.

* **Scores** (higher = more suspicious): the energy
  :math:`E(x) = -T \log \sum_k e^{z_k/T}` (:func:`xentlib.losses.energy_score`),
  the negated maximum softmax probability and the NLL of the model's own guess,
  :math:`-\log \max_k p_k` (:func:`ood_score`, :func:`max_softmax`, :func:`predicted_nll`).
* **Detection metrics**: the ROC curve and its area (tie-aware, as
  scikit-learn computes them), the detection rates at one threshold, and the
  false-positive rate at 95 % true-positive rate (:func:`roc_curve`,
  :func:`auroc`, :func:`detection_rates`, :func:`fpr_at_tpr`).
* **The energy-margin loss** of Liu et al. (2020) and its gradient
  (:func:`energy_margin_loss`, :func:`energy_margin_loss_grad`); its
  fine-tuning loop for :class:`~xentlib.models.SoftmaxRegression` is
  :func:`xentlib.models.fit_energy_margin`.

Notebook 10's toy data (Gaussian blobs, a ring of outliers, the radial
features) are in :mod:`xentlib.datasets`; its smooth segment predictions
with a Jensen-Shannon penalty are in :mod:`xentlib.segments`.

Out-of-distribution (OOD) inputs are the *positive* class throughout: a
detector flags an input when its score is at least the threshold, the true
positive rate is the share of OOD inputs flagged and the false positive rate
the share of in-distribution inputs flagged.

References
----------
Liu, Wang, Owens, Li (2020), *Energy-based out-of-distribution detection*, NeurIPS.
Hendrycks, Gimpel (2017), *A baseline for detecting misclassified and
out-of-distribution examples in neural networks*, ICLR.
Hein, Andriushchenko, Bitterwolf (2019), *Why ReLU networks yield
high-confidence predictions far away from the training data*, CVPR.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_class_logits,
    check_finite,
    check_in_range,
    check_margins,
    check_positive,
    check_scalar,
)
from .links import logsumexp, softmax
from .losses import energy_score

__all__ = [
    # scores
    "OOD_SCORES", "max_softmax", "predicted_nll", "ood_score",
    # detection metrics
    "ROC", "roc_curve", "auroc", "DetectionRates", "detection_rates", "fpr_at_tpr",
    # the energy-margin loss
    "energy_margin_loss", "energy_margin_loss_grad", "energy_margin_terms",
]


# --------------------------------------------------------------------------- scores

#: The OOD scores :func:`ood_score` knows, each oriented so that higher means "more out-of-distribution".
OOD_SCORES = ("energy", "msp", "nll")


def max_softmax(z, *, temperature: float = 1.0) -> np.ndarray:
    r"""The maximum softmax probability (MSP) of each row of logits, :math:`\max_k \operatorname{softmax}(z/T)_k`.

    The baseline confidence score of Hendrycks and Gimpel (2017): at least
    :math:`1/K`, at most 1, and blind to adding the same number to every logit.

    Examples
    --------
    >>> print(max_softmax([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    [0.6652 0.3333]
    """
    z = check_class_logits(z)
    return softmax(z, temperature=temperature).max(axis=1)


def predicted_nll(z, *, temperature: float = 1.0) -> np.ndarray:
    r"""The NLL of the model's own guess, :math:`-\log \max_k p_k = \operatorname{LSE}(z/T) - \max_k z_k/T`.

    It is the cross-entropy the model would pay if its predicted class were
    the true label: the loss it expects to pay at test time, where there is no
    label.  A monotone function of :func:`max_softmax`, so the two rank inputs
    identically and have the same ROC curve.  Computed from the logits
    directly, so it stays accurate when :math:`p_{\max}` is within rounding of 1.

    Examples
    --------
    >>> print(predicted_nll([[2.0, 1.0, 0.0], [40.0, 0.0, 0.0]]))
    [0.4076 0.    ]
    """
    z = check_class_logits(z)
    t = check_positive(temperature, "temperature", "T > 1 flattens the distribution, T < 1 sharpens it.")
    s = z / t
    return logsumexp(s, axis=1) - s.max(axis=1)


def ood_score(z, method: str = "energy", *, temperature: float = 1.0) -> np.ndarray:
    r"""An out-of-distribution score per row of logits: higher means "less like the training data".

    ``method``:

    * ``"energy"``: :math:`E(x) = -T \log \sum_k e^{z_k/T}`, the negative log
      of the softmax's denominator (:func:`xentlib.losses.energy_score`);
    * ``"msp"``: :math:`-\max_k p_k`, the negated maximum softmax probability;
    * ``"nll"``: :math:`-\log \max_k p_k` (:func:`predicted_nll`), same ranking as ``"msp"``.

    At :math:`T = 1` the two are tied together by
    :math:`\log \max_k p_k = \max_k z_k + E(x)`: the softmax divides the energy's
    information away, keeping only how far the top logit stands above the rest.

    Examples
    --------
    >>> z = [[8.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    >>> print(ood_score(z, "energy"), ood_score(z, "msp"))
    [-8.0007 -1.5514] [-0.9993 -0.5761]
    """
    if method not in OOD_SCORES:
        raise ValueError(f"method must be one of {OOD_SCORES}; got {method!r}.")
    z = check_class_logits(z)
    if method == "energy":
        return energy_score(z, temperature=temperature)
    if method == "msp":
        return -max_softmax(z, temperature=temperature)
    return predicted_nll(z, temperature=temperature)


# --------------------------------------------------------------------------- detection metrics

def _scores(s, name: str) -> np.ndarray:
    s = check_finite(as_float_array(s, name, dtype=np.float64), name, "Scores must be finite numbers.")
    if s.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array of scores, one per input; got shape {s.shape}. Use .ravel().")
    if s.size == 0:
        raise ValueError(f"{name} is empty: a detection rate needs at least one {name.split('_')[-1]}-distribution score.")
    return s


def _score_pair(scores_in, scores_out):
    return _scores(scores_in, "scores_in"), _scores(scores_out, "scores_out")


class ROC(NamedTuple):
    """A receiver operating characteristic: ``fpr[i]``, ``tpr[i]`` when flagging every score ``>= thresholds[i]``.

    ``thresholds`` decrease and start at ``+inf`` (flag nothing: the point (0, 0)).
    """

    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray


def roc_curve(scores_in, scores_out) -> ROC:
    r"""The ROC curve of a detector that flags an input as OOD when its score is at least a threshold.

    One point per distinct score value: with threshold :math:`\tau`,

    .. math:: \mathrm{TPR}(\tau) = \frac{\#\{\text{OOD scores} \ge \tau\}}{n_{\text{out}}},\qquad
              \mathrm{FPR}(\tau) = \frac{\#\{\text{in-distribution scores} \ge \tau\}}{n_{\text{in}}},

    plus the starting point (0, 0) at :math:`\tau = +\infty`.  Tied scores
    cross the threshold together, so a tie between an in- and an OOD score
    gives a diagonal step.  The same points as
    ``sklearn.metrics.roc_curve(labels, scores, drop_intermediate=False)``
    with label 1 for OOD.

    Examples
    --------
    >>> roc = roc_curve(scores_in=[0.1, 0.4], scores_out=[0.35, 0.8])
    >>> print(roc.fpr, roc.tpr, roc.thresholds)
    [0.  0.  0.5 0.5 1. ] [0.  0.5 0.5 1.  1. ] [ inf 0.8  0.4  0.35 0.1 ]
    """
    s_in, s_out = _score_pair(scores_in, scores_out)
    scores = np.concatenate([s_out, s_in])
    is_out = np.concatenate([np.ones(s_out.size), np.zeros(s_in.size)])
    order = np.argsort(-scores, kind="mergesort")
    scores, is_out = scores[order], is_out[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores) != 0), scores.size - 1]
    tp = np.cumsum(is_out)[last_of_tie]
    fp = last_of_tie + 1 - tp
    return ROC(np.r_[0.0, fp / s_in.size], np.r_[0.0, tp / s_out.size], np.r_[np.inf, scores[last_of_tie]])


def auroc(scores_in, scores_out) -> float:
    r"""Area under the ROC curve: the chance that a random OOD input outscores a random in-distribution one.

    .. math:: \mathrm{AUROC} = P(s_{\text{out}} > s_{\text{in}}) + \tfrac12\, P(s_{\text{out}} = s_{\text{in}})

    (the trapezoidal area under :func:`roc_curve`; ties count one half). 1 is
    perfect separation, 0.5 is a coin, and below 0.5 the score points the
    wrong way.  Equals ``sklearn.metrics.roc_auc_score``.

    Examples
    --------
    >>> print(auroc([0.1, 0.4], [0.35, 0.8]), auroc([1.0, 1.0], [1.0, 1.0]))
    0.75 0.5
    """
    roc = roc_curve(scores_in, scores_out)
    return float(np.sum(np.diff(roc.fpr) * (roc.tpr[1:] + roc.tpr[:-1]) / 2))


class DetectionRates(NamedTuple):
    """At one threshold: ``tpr``, the share of OOD inputs flagged; ``fpr``, the share of in-distribution inputs flagged."""

    tpr: float
    fpr: float


def detection_rates(scores_in, scores_out, threshold) -> DetectionRates:
    r"""The detection rates when every input with score :math:`\ge` ``threshold`` is flagged as OOD.

    Examples
    --------
    >>> detection_rates([0.1, 0.4], [0.35, 0.8], 0.3)
    DetectionRates(tpr=1.0, fpr=0.5)
    """
    s_in, s_out = _score_pair(scores_in, scores_out)
    t = check_scalar(threshold, "threshold")
    if math.isnan(t):
        raise ValueError("threshold must be a number; got NaN.")
    return DetectionRates(float(np.mean(s_out >= t)), float(np.mean(s_in >= t)))


def fpr_at_tpr(scores_in, scores_out, tpr: float = 0.95) -> float:
    r"""The false-positive rate at the strictest threshold that still flags at least ``tpr`` of the OOD inputs.

    With ``tpr=0.95`` this is the "FPR95" of the OOD literature: to catch 95 %
    of the outliers, which share of the normal inputs must you also reject?
    Lower is better.

    Examples
    --------
    >>> print(fpr_at_tpr([0.1, 0.2, 0.3, 0.9], [0.5, 0.6, 0.7, 0.8], tpr=1.0))
    0.25
    """
    target = check_in_range(tpr, "tpr", 0.0, 1.0, "It is the share of OOD inputs the detector must catch, e.g. 0.95.")
    roc = roc_curve(scores_in, scores_out)
    return float(roc.fpr[np.argmax(roc.tpr >= target - 1e-12)])


# --------------------------------------------------------------------------- the energy-margin loss

def energy_margin_terms(z_in, z_out, m_in, m_out, temperature, *, grad: bool = True):
    r"""The kernel of :func:`energy_margin_loss`: (in-term, out-term, dL/dz_in, dL/dz_out), inputs already validated.

    No checks: for a training loop that validated its data and margins once
    (:func:`xentlib.models.fit_energy_margin`).  ``z_in``, ``z_out`` are float
    arrays (N, K); with ``grad=False`` the two gradients are ``None``.

    Examples
    --------
    >>> a, b, g_in, g_out = energy_margin_terms(np.zeros((1, 2)), np.zeros((1, 2)), -3.0, 0.0, 1.0)
    >>> print(round(a, 4), round(b, 4), g_in)   # E = -ln 2 for both rows
    5.3216 0.4805 [[-2.3069 -2.3069]]
    """
    e_in, e_out = energy_score(z_in, temperature=temperature), energy_score(z_out, temperature=temperature)
    over = np.maximum(e_in - m_in, 0.0)  # in-distribution energy above its margin
    under = np.maximum(m_out - e_out, 0.0)  # OOD energy below its margin
    terms = float(np.mean(over**2)), float(np.mean(under**2))
    if not grad:
        return (*terms, None, None)
    # dE/dz = -softmax(z / T)
    g_in = (-2.0 / len(z_in)) * over[:, None] * softmax(z_in, temperature=temperature)
    g_out = (2.0 / len(z_out)) * under[:, None] * softmax(z_out, temperature=temperature)
    return (*terms, g_in, g_out)


def _margin_inputs(z_in, z_out):
    z_in, z_out = check_class_logits(z_in, "z_in"), check_class_logits(z_out, "z_out")
    if z_in.shape[1] != z_out.shape[1]:
        raise ValueError(f"z_in and z_out must have the same number of classes; got {z_in.shape[1]} and {z_out.shape[1]}.")
    if not len(z_in) or not len(z_out):
        raise ValueError(f"z_in and z_out need at least one row each; got {len(z_in)} and {len(z_out)}.")
    return z_in, z_out


def energy_margin_loss(z_in, z_out, *, m_in: float, m_out: float, temperature: float = 1.0) -> float:
    r"""The energy-margin loss of Liu et al. (2020): squared hinges on the energies of the two kinds of input.

    .. math:: L_{\text{energy}} = \frac{1}{n_{\text{in}}}\sum_{i \in \text{in}} \max\big(0,\, E(x_i) - m_{\text{in}}\big)^2
              + \frac{1}{n_{\text{out}}}\sum_{j \in \text{out}} \max\big(0,\, m_{\text{out}} - E(x_j)\big)^2

    with :math:`E = -T\,\mathrm{LSE}(z/T)`.  It is zero once every
    in-distribution energy is at most ``m_in`` and every (auxiliary) outlier's
    energy at least ``m_out``.  Cross-entropy cannot do this job: adding the
    same number to all of an input's logits changes its energy but not its
    softmax, so cross-entropy never sees the energy.  Training minimises
    :math:`\text{CE} + \lambda L_{\text{energy}}` (:func:`xentlib.models.fit_energy_margin`).

    Examples
    --------
    >>> z_in, z_out = [[6.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]]
    >>> print(energy_margin_loss(z_in, z_out, m_in=-7.0, m_out=-2.0))   # (-6.0050 + 7)^2 + 0, as -ln 3 > -2
    0.9901
    """
    z_in, z_out = _margin_inputs(z_in, z_out)
    lo, hi = check_margins(m_in, m_out)
    t = check_positive(temperature, "temperature")
    a, b, _, _ = energy_margin_terms(z_in, z_out, lo, hi, t, grad=False)
    return a + b


def energy_margin_loss_grad(z_in, z_out, *, m_in: float, m_out: float, temperature: float = 1.0):
    r"""Gradient of :func:`energy_margin_loss` with respect to both sets of logits, ``(dL/dz_in, dL/dz_out)``.

    Since :math:`\partial E/\partial z = -\operatorname{softmax}(z/T)`,

    .. math:: \frac{\partial L}{\partial z_i} = -\frac{2}{n_{\text{in}}} \max(0, E_i - m_{\text{in}})\, \operatorname{softmax}(z_i/T),\qquad
              \frac{\partial L}{\partial z_j} = +\frac{2}{n_{\text{out}}} \max(0, m_{\text{out}} - E_j)\, \operatorname{softmax}(z_j/T).

    A gradient step therefore *raises* every logit of an in-distribution input
    whose energy is too high and *lowers* every logit of an outlier whose energy
    is too low, each class in proportion to its probability: the softmax
    barely changes, the energy does.

    Examples
    --------
    >>> g_in, g_out = energy_margin_loss_grad([[0.0, 0.0]], [[0.0, 0.0]], m_in=-3.0, m_out=0.0)
    >>> print(g_in, g_out)   # E = -ln 2 for both rows
    [[-2.3069 -2.3069]] [[0.6931 0.6931]]
    """
    z_in, z_out = _margin_inputs(z_in, z_out)
    lo, hi = check_margins(m_in, m_out)
    t = check_positive(temperature, "temperature")
    return energy_margin_terms(z_in, z_out, lo, hi, t)[2:]
