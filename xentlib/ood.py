r"""Out-of-distribution detection with energies, and smooth segment predictions with a Jensen-Shannon penalty.

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
* **The energy-margin loss** of Liu et al. (2020), its gradient, and a
  fine-tuning loop for :class:`~xentlib.models.SoftmaxRegression`
  (:func:`energy_margin_loss`, :func:`energy_margin_loss_grad`, :func:`fit_energy_margin`).
* **A toy experiment**: three Gaussian blobs, a ring of auxiliary outliers
  and far-away test inputs (:func:`blobs`, :func:`outlier_ring`,
  :func:`ood_experiment`).
* **Sequences**: a Jensen-Shannon penalty between neighbouring positions'
  predicted distributions, its gradient, and a smoother that turns
  fragmented per-position predictions of a toy protein secondary structure
  into contiguous segments (:func:`js_smoothness`, :func:`smooth_segments`,
  :func:`secondary_structure`, :func:`count_segments`).

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
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_class_labels,
    check_finite,
    check_in_range,
    check_int,
    check_positive,
    check_scalar,
)
from .links import log_softmax, logsumexp, softmax
from .losses import energy_score, softmax_cross_entropy_and_grad
from .models import SoftmaxRegression

__all__ = [
    # scores
    "OOD_SCORES", "max_softmax", "predicted_nll", "ood_score",
    # detection metrics
    "ROC", "roc_curve", "auroc", "DetectionRates", "detection_rates", "fpr_at_tpr",
    # the energy-margin loss
    "energy_margin_loss", "energy_margin_loss_grad", "MarginHistory", "fit_energy_margin",
    # the toy experiment
    "BLOB_CENTRES", "blobs", "outlier_ring", "radial_features", "ray", "OODExperiment", "ood_experiment",
    # sequences
    "STRUCTURES", "SecondaryStructure", "secondary_structure", "count_segments", "fragmentation",
    "js_smoothness", "js_smoothness_grad", "smoothing_objective", "smoothing_objective_grad", "smooth_segments",
]

_LOGIT_HINT = "Logits are raw model scores; look for an overflow or a division by zero upstream."


def _logits_2d(z, name: str = "z") -> np.ndarray:
    z = check_finite(as_float_array(z, name, dtype=np.float64), name, _LOGIT_HINT)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"{name} must have shape (N, K) with K >= 2 classes, one row of logits per input; "
                         f"got shape {z.shape}. For a single input use {name}[None, :].")
    return z


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
    z = _logits_2d(z)
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
    z = _logits_2d(z)
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
    z = _logits_2d(z)
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

def _check_margins(m_in, m_out) -> tuple[float, float]:
    lo, hi = check_scalar(m_in, "m_in"), check_scalar(m_out, "m_out")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"m_in must be finite and below m_out; got m_in={m_in!r}, m_out={m_out!r}. "
                         "In-distribution energies are pushed below m_in, OOD energies above m_out, e.g. m_in=-7, m_out=-2.")
    return lo, hi


def _margin_parts(z_in, z_out, m_in, m_out, temperature, *, grad: bool = True):
    """(in-term, out-term, dL/dz_in, dL/dz_out) of the squared-hinge energy loss; inputs already validated."""
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
    z_in, z_out = _logits_2d(z_in, "z_in"), _logits_2d(z_out, "z_out")
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
    :math:`\text{CE} + \lambda L_{\text{energy}}` (:func:`fit_energy_margin`).

    Examples
    --------
    >>> z_in, z_out = [[6.0, 0.0, 0.0]], [[0.0, 0.0, 0.0]]
    >>> print(energy_margin_loss(z_in, z_out, m_in=-7.0, m_out=-2.0))   # (-6.0050 + 7)^2 + 0, as -ln 3 > -2
    0.9901
    """
    z_in, z_out = _margin_inputs(z_in, z_out)
    lo, hi = _check_margins(m_in, m_out)
    t = check_positive(temperature, "temperature")
    a, b, _, _ = _margin_parts(z_in, z_out, lo, hi, t, grad=False)
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
    lo, hi = _check_margins(m_in, m_out)
    t = check_positive(temperature, "temperature")
    return _margin_parts(z_in, z_out, lo, hi, t)[2:]


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
    lo, hi = _check_margins(m_in, m_out)
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
        a, b, g_in, g_out = _margin_parts(z_in, z_out, lo, hi, t_)
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


# --------------------------------------------------------------------------- the toy OOD experiment

#: The three in-distribution classes: blob centres on a circle of radius 2.5, at 90°, 210° and 330°.
BLOB_CENTRES = 2.5 * np.array([[math.cos(math.radians(a)), math.sin(math.radians(a))] for a in (90.0, 210.0, 330.0)])


def blobs(n_per_class: int = 100, *, spread: float = 0.7, seed: int = 0):
    r"""Three Gaussian classes in the plane, :math:`x \mid y = k \sim \mathcal N(\mu_k, \mathrm{spread}^2 I)`.

    The centres :math:`\mu_k` are :data:`BLOB_CENTRES`.  Returns ``X``
    (3 n, 2) and ``y`` (3 n,), class by class.

    Examples
    --------
    >>> X, y = blobs(2, spread=0.0)
    >>> print(X.round(3), y)
    [[ 0.     2.5  ]
     [ 0.     2.5  ]
     [-2.165 -1.25 ]
     [-2.165 -1.25 ]
     [ 2.165 -1.25 ]
     [ 2.165 -1.25 ]] [0 0 1 1 2 2]
    """
    n = check_int(n_per_class, "n_per_class", 1)
    s = check_scalar(spread, "spread")
    if not (0 <= s < math.inf):
        raise ValueError(f"spread must be a finite number >= 0; got {spread!r}.")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(BLOB_CENTRES)), n)
    return BLOB_CENTRES[y] + s * rng.normal(size=(len(y), 2)), y


def outlier_ring(n: int, *, r_min: float, r_max: float, seed: int = 0) -> np.ndarray:
    r"""``n`` points spread uniformly over the annulus :math:`r_{\min} \le \lVert x \rVert \le r_{\max}`.

    Uniform in area: the angle is uniform and :math:`r^2` is uniform on
    :math:`[r_{\min}^2, r_{\max}^2]`.

    Examples
    --------
    >>> X = outlier_ring(1000, r_min=5.0, r_max=10.0)
    >>> r = np.hypot(X[:, 0], X[:, 1])
    >>> print(X.shape, r.min() >= 5.0, r.max() <= 10.0)
    (1000, 2) True True
    """
    n = check_int(n, "n", 1)
    lo, hi = check_scalar(r_min, "r_min"), check_scalar(r_max, "r_max")
    if not (0 <= lo <= hi < math.inf):
        raise ValueError(f"need 0 <= r_min <= r_max < inf; got r_min={r_min!r}, r_max={r_max!r}.")
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2 * math.pi, n)
    radius = np.sqrt(rng.uniform(lo**2, hi**2, n))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def radial_features(X, *, scale: float = 10.0) -> np.ndarray:
    r"""The features :math:`[x_1, x_2, \lVert x\rVert^2/\mathrm{scale}]` of points in the plane.

    A softmax regression on these has logits
    :math:`z_k = w_k^\top x + c_k \lVert x \rVert^2/\mathrm{scale} + b_k`.  The
    Bayes classifier of Gaussian blobs with a shared spread needs only the linear
    part, so the classification loss leaves the :math:`c_k` near 0; with all
    :math:`c_k < 0` every logit falls far from the data and the energy rises,
    which only the energy-margin loss asks for.  ``scale`` keeps the third
    feature about as large as the others.

    Examples
    --------
    >>> print(radial_features([[3.0, 4.0]]))
    [[3.  4.  2.5]]
    """
    X = check_finite(as_float_array(X, "X", dtype=np.float64), "X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), points in the plane; got shape {X.shape}.")
    s = check_positive(scale, "scale")
    return np.column_stack([X, np.sum(X**2, axis=1) / s])


def ray(direction: float, distances) -> np.ndarray:
    r"""Points at the given ``distances`` from the origin in the direction ``direction`` (degrees, anticlockwise from +x).

    Examples
    --------
    >>> print(ray(90.0, [0.0, 2.0]).round(6))
    [[0. 0.]
     [0. 2.]]
    """
    angle = math.radians(check_scalar(direction, "direction"))
    d = check_finite(as_float_array(distances, "distances", dtype=np.float64), "distances").reshape(-1)
    return np.column_stack([d * math.cos(angle), d * math.sin(angle)])


@dataclass(frozen=True, eq=False)
class OODExperiment:
    """The toy experiment of notebook 10: data, the plain model, the energy-margin model, and the training record.

    ``models`` maps ``"plain"`` (cross-entropy only) and ``"margin"``
    (fine-tuned with :func:`fit_energy_margin`) to trained
    :class:`~xentlib.models.SoftmaxRegression` models on :func:`radial_features`.
    ``snapshots`` holds the margin model's ``(step, W, b)`` during fine-tuning.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_aux: np.ndarray  # auxiliary outliers, used only by the energy-margin fine-tuning
    X_test_in: np.ndarray
    y_test_in: np.ndarray
    X_test_out: np.ndarray
    models: dict
    plain_history: object
    margin_history: MarginHistory
    snapshot_steps: np.ndarray
    snapshot_W: np.ndarray
    snapshot_b: np.ndarray
    feature_scale: float
    m_in: float
    m_out: float

    def logits(self, X, model: str = "plain") -> np.ndarray:
        """The logits of ``model`` ("plain" or "margin") at points ``X`` (N, 2)."""
        if model not in self.models:
            raise ValueError(f"model must be one of {sorted(self.models)}; got {model!r}.")
        return self.models[model].logits(radial_features(X, scale=self.feature_scale))

    def scores(self, X, model: str = "plain", method: str = "energy") -> np.ndarray:
        """:func:`ood_score` of ``model``'s logits at ``X``."""
        return ood_score(self.logits(X, model), method)

    def test_scores(self, model: str = "plain", method: str = "energy"):
        """(in-distribution, OOD) scores of the two test sets."""
        return self.scores(self.X_test_in, model, method), self.scores(self.X_test_out, model, method)

    def snapshot_logits(self, k: int, X) -> np.ndarray:
        """Logits of the margin model at its ``k``-th snapshot (0 = the plain model it started from)."""
        return radial_features(X, scale=self.feature_scale) @ self.snapshot_W[k] + self.snapshot_b[k]


def ood_experiment(*, seed: int = 0, n_per_class: int = 100, feature_scale: float = 10.0, m_in: float = -7.0,
                   m_out: float = -2.0, weight: float = 0.1, steps: int = 300, every: int = 5) -> OODExperiment:
    r"""Train the two models of notebook 10 on seeded data (well under a second).

    * Training data: :func:`blobs` (``n_per_class`` per class, ``seed``).
    * Auxiliary outliers for the energy margin: 300 points of :func:`outlier_ring`
      with :math:`4 \le r \le 5`, a thin shell just outside the classes (seed + 1).
    * Test sets from other seeds: 200 per class from the same blobs (seed + 2), and
      600 far-away inputs with :math:`5 \le r \le 10` (seed + 3), further out than any outlier seen in training.
    * ``"plain"``: :class:`~xentlib.models.SoftmaxRegression` on :func:`radial_features`,
      300 steps of cross-entropy at learning rate 0.5 from zero weights.
    * ``"margin"``: a copy of the plain model fine-tuned for ``steps`` steps by
      :func:`fit_energy_margin` (learning rate 0.2), snapshots every ``every`` steps.

    Examples
    --------
    >>> exp = ood_experiment(steps=20, every=10)
    >>> print(exp.snapshot_steps, exp.snapshot_W.shape)
    [ 0 10 20] (3, 3, 3)
    """
    steps, every = check_int(steps, "steps", 0), check_int(every, "every", 1)
    X, y = blobs(n_per_class, seed=seed)
    X_aux = outlier_ring(300, r_min=4.0, r_max=5.0, seed=seed + 1)
    X_test_in, y_test_in = blobs(200, seed=seed + 2)
    X_test_out = outlier_ring(600, r_min=5.0, r_max=10.0, seed=seed + 3)
    F, F_aux = radial_features(X, scale=feature_scale), radial_features(X_aux, scale=feature_scale)
    plain = SoftmaxRegression(F.shape[1], len(BLOB_CENTRES))
    plain_history = plain.fit(F, y, lr=0.5, steps=300)
    margin = SoftmaxRegression(F.shape[1], len(BLOB_CENTRES))
    margin.W, margin.b = plain.W.copy(), plain.b.copy()
    kept: list[tuple[int, np.ndarray, np.ndarray]] = []

    def keep(t, model):
        if t % every == 0 or t == steps:
            kept.append((t, model.W.copy(), model.b.copy()))

    history = fit_energy_margin(margin, F, y, F_aux, m_in=m_in, m_out=m_out, weight=weight, lr=0.2, steps=steps,
                                callback=keep)
    return OODExperiment(X, y, X_aux, X_test_in, y_test_in, X_test_out, {"plain": plain, "margin": margin},
                         plain_history, history, np.array([k[0] for k in kept]), np.stack([k[1] for k in kept]),
                         np.stack([k[2] for k in kept]), float(feature_scale), float(m_in), float(m_out))


# --------------------------------------------------------------------------- sequences: secondary structure

#: The three secondary-structure states, in label order, with their one-letter codes.
STRUCTURES = {"helix": "H", "sheet": "E", "coil": "C"}

# Segment lengths (inclusive ranges, residues) of the toy generator: long helices, short strands, loops between.
_LENGTHS = {0: (10, 18), 1: (4, 8), 2: (3, 8)}


class SecondaryStructure(NamedTuple):
    """A toy protein: ``labels`` (L,), the true state per residue (0 helix, 1 sheet, 2 coil), and ``logits`` (L, 3).

    ``logits`` are the noisy per-residue predictions.
    """

    labels: np.ndarray
    logits: np.ndarray

    def string(self, labels=None) -> str:
        """Labels as a one-letter string (H helix, E sheet strand, C coil); the true ones by default."""
        codes = np.array(list(STRUCTURES.values()))
        return "".join(codes[self.labels if labels is None else np.asarray(labels)])


def secondary_structure(length: int = 120, *, signal: float = 1.5, noise: float = 1.0, seed: int = 0) -> SecondaryStructure:
    r"""A seeded toy protein secondary structure with noisy per-residue predictions.

    The true track alternates coil loops (3-8 residues) with a helix (10-18,
    probability 0.6) or a sheet strand (4-8).  The "predictor" scores each
    residue on its own,

    .. math:: z_t = \mathrm{signal}\cdot \mathrm{onehot}(y_t) + \mathrm{noise}\cdot \varepsilon_t,\qquad \varepsilon_t \sim \mathcal N(0, I_3),

    independently along the chain, so its argmax is right about three times in
    four but flips state every few residues: the fragmented predictions a
    per-residue cross-entropy produces.

    Examples
    --------
    >>> protein = secondary_structure(40, seed=1)
    >>> print(protein.string())
    CCCCCEEEEEECCCEEEECCCCHHHHHHHHHHHHCCCCHH
    >>> print(protein.logits.shape, count_segments(protein.labels))
    (40, 3) 8
    """
    length = check_int(length, "length", 1)
    signal, noise = check_scalar(signal, "signal"), check_scalar(noise, "noise")
    if not (math.isfinite(signal) and 0 <= noise < math.inf):
        raise ValueError(f"signal must be finite and noise a finite number >= 0; got signal={signal!r}, noise={noise!r}.")
    rng = np.random.default_rng(seed)
    labels: list[int] = []
    state = 2
    while len(labels) < length:
        lo, hi = _LENGTHS[state]
        labels += [state] * int(rng.integers(lo, hi + 1))
        state = int(rng.choice([0, 1], p=[0.6, 0.4])) if state == 2 else 2
    y = np.array(labels[:length])
    z = signal * np.eye(3)[y] + noise * rng.normal(size=(length, 3))
    return SecondaryStructure(y, z)


def _labels_1d(labels, name: str = "labels") -> np.ndarray:
    a = check_class_labels(labels, None, name)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of class labels; got shape {a.shape}.")
    return a


def count_segments(labels) -> int:
    r"""The number of segments (maximal runs of one label) in a sequence: 1 + the number of changes.

    Examples
    --------
    >>> count_segments([0, 0, 2, 2, 2, 1, 2, 0, 0])
    5
    """
    a = _labels_1d(labels)
    return 1 + int(np.count_nonzero(a[1:] != a[:-1]))


def fragmentation(predicted, true) -> float:
    r"""How fragmented a predicted track is: its number of segments divided by the true number.

    1 means as many segments as the truth; 3 means the prediction breaks the
    chain into three times as many pieces; below 1, true segments were merged.

    Examples
    --------
    >>> print(fragmentation([0, 2, 0, 0, 2, 2], [0, 0, 0, 0, 2, 2]))
    2.0
    """
    p, t = _labels_1d(predicted, "predicted"), _labels_1d(true, "true")
    if p.shape != t.shape:
        raise ValueError(f"predicted and true must have the same length; got {p.size} and {t.size}.")
    return count_segments(p) / count_segments(t)


def _seq_logits(z, name: str = "z") -> np.ndarray:
    z = _logits_2d(z, name)
    if len(z) < 2:
        raise ValueError(f"{name} needs at least 2 positions to have neighbours; got shape {z.shape}.")
    return z


def _js_parts(z: np.ndarray):
    """Value and gradient of the neighbour JS penalty for logits (..., K, L): class axis first, positions last.

    The class axis is the leading one so that the sums over classes are
    element-wise operations on contiguous rows: this keeps the smoother fast.
    """
    m = z.max(axis=-2, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=-2, keepdims=True)
    p = e / s
    logp = (z - m) - np.log(s)
    a, b = logp[..., :-1], logp[..., 1:]
    log_mid = np.logaddexp(a, b) - math.log(2.0)  # log of the midpoint (p_t + p_t+1) / 2, stable
    da, db = a - log_mid, b - log_mid  # log(p_t / m), log(p_t+1 / m): finite, at most log 2
    value = 0.5 * (np.sum(p[..., :-1] * da, axis=(-2, -1)) + np.sum(p[..., 1:] * db, axis=(-2, -1)))
    g = np.zeros_like(z)  # dS/dp: each position collects 1/2 log(p / m) from each of its neighbours
    g[..., :-1] += 0.5 * da
    g[..., 1:] += 0.5 * db
    grad = p * (g - np.sum(p * g, axis=-2, keepdims=True))  # back through the softmax
    return value, grad, p


def js_smoothness(z) -> float:
    r"""Sum of Jensen-Shannon divergences between neighbouring positions' predicted distributions.

    .. math:: S(Z) = \sum_{t=1}^{L-1} \mathrm{JS}(p_t, p_{t+1}),\qquad p_t = \operatorname{softmax}(z_t),

    in nats, with :math:`\mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p\,\|\,m) + \tfrac12 \mathrm{KL}(q\,\|\,m)`,
    :math:`m = \tfrac12(p + q)` (:func:`xentlib.information.js_divergence`).
    Each term is at most :math:`\ln 2`, reached when the neighbours are
    certain of different states: unlike KL, a sharp boundary costs a bounded
    amount, so the penalty discourages *many* changes of state rather than
    forbidding any.

    Examples
    --------
    >>> print(js_smoothness([[9.0, -9.0], [9.0, -9.0], [-9.0, 9.0]]))   # one sharp boundary: close to ln 2
    0.6931
    """
    z = _seq_logits(z)
    return float(_js_parts(z.T)[0])


def js_smoothness_grad(z) -> np.ndarray:
    r"""Gradient of :func:`js_smoothness` with respect to the logits, shape (L, K).

    With :math:`m_{t} = \tfrac12(p_t + p_{t+1})`, the derivative of one term is
    :math:`\partial\,\mathrm{JS}(p, q)/\partial p_k = \tfrac12 \log(p_k / m_k)`
    (the other terms of the derivative cancel), so position :math:`t`
    collects :math:`g_t = \tfrac12 \log(p_t/m_{t-1}) + \tfrac12\log(p_t/m_t)` from its
    neighbours, and the softmax's Jacobian turns it into

    .. math:: \frac{\partial S}{\partial z_t} = p_t \odot \big(g_t - \langle p_t, g_t\rangle\big).

    Examples
    --------
    >>> print(js_smoothness_grad([[1.0, 0.0], [1.0, 0.0]]))   # neighbours agree: a minimum
    [[0. 0.]
     [0. 0.]]
    """
    z = _seq_logits(z)
    return _js_parts(z.T)[1].T.copy()


def _smoothing_inputs(z, noisy_logits, lam):
    z, noisy = _seq_logits(z), _seq_logits(noisy_logits, "noisy_logits")
    if z.shape != noisy.shape:
        raise ValueError(f"z and noisy_logits must have the same shape; got {z.shape} and {noisy.shape}.")
    lam = check_scalar(lam, "lam")
    if not (0 <= lam < math.inf):
        raise ValueError(f"lam must be a finite number >= 0; got {lam!r}. It weighs the smoothness penalty; 0 means none.")
    return z, noisy, lam


def smoothing_objective(z, noisy_logits, lam: float) -> float:
    r"""What :func:`smooth_segments` minimises: cross-entropy to the noisy predictions plus :math:`\lambda` times the JS penalty.

    .. math:: J(Z) = \sum_{t=1}^{L} H\big(q_t, \operatorname{softmax}(z_t)\big) + \lambda \sum_{t=1}^{L-1} \mathrm{JS}(p_t, p_{t+1}),
              \qquad q_t = \operatorname{softmax}(\text{noisy}_t)

    The first term keeps each position close to what the per-position
    predictor said (it is smallest at :math:`p_t = q_t`); the second charges
    for every change between neighbours.

    Examples
    --------
    >>> z = [[2.0, 0.0], [0.0, 2.0]]
    >>> print(round(smoothing_objective(z, z, 0.0), 4), round(smoothing_objective(z, z, 1.0), 4))
    0.7307 1.0585
    """
    z, noisy, lam = _smoothing_inputs(z, noisy_logits, lam)
    q = softmax(noisy)
    return float(-np.sum(q * log_softmax(z))) + lam * float(_js_parts(z.T)[0])


def smoothing_objective_grad(z, noisy_logits, lam: float) -> np.ndarray:
    r"""Gradient of :func:`smoothing_objective` with respect to ``z``: :math:`p_t - q_t + \lambda\, \partial S/\partial z_t`.

    Examples
    --------
    >>> z = [[2.0, 0.0], [2.0, 0.0]]
    >>> print(smoothing_objective_grad(z, z, 5.0))   # already equal to the targets, and neighbours agree
    [[0. 0.]
     [0. 0.]]
    """
    z, noisy, lam = _smoothing_inputs(z, noisy_logits, lam)
    return softmax(z) - softmax(noisy) + lam * _js_parts(z.T)[1].T


def smooth_segments(noisy_logits, lam, *, steps: int = 200, momentum: float = 0.9) -> np.ndarray:
    r"""Smooth per-position predictions by minimising :func:`smoothing_objective` over the logits.

    Gradient descent with heavy-ball momentum from :math:`Z = \text{noisy}`,
    step size :math:`1/(1 + \lambda)` (the curvature grows with
    :math:`\lambda`), ``steps`` steps:

    .. math:: v \leftarrow \mu v - \eta \nabla J(Z + \mu v),\quad Z \leftarrow Z + v \qquad (\text{Nesterov's form}).

    ``lam`` may be one weight or a 1-d array of weights; every weight is
    solved from the same start, independently (all at once, vectorised).
    Returns the smoothed logits, shape (L, K) for one weight or
    (len(lam), L, K).  The objective is not convex (the penalty is bounded),
    so this finds a nearby minimum: isolated flips are absorbed by their
    neighbours, while long runs of a state survive.

    Examples
    --------
    >>> noisy = np.array([[2.0, 0.0], [2.0, 0.0], [0.0, 0.5], [2.0, 0.0], [2.0, 0.0]])
    >>> print(smooth_segments(noisy, 0.0).argmax(axis=1), smooth_segments(noisy, 3.0).argmax(axis=1))
    [0 0 1 0 0] [0 0 0 0 0]
    """
    noisy = _seq_logits(noisy_logits, "noisy_logits")
    lams = check_finite(as_float_array(lam, "lam", dtype=np.float64), "lam")
    if lams.ndim > 1 or (lams.size and lams.min() < 0) or lams.size == 0:
        raise ValueError(f"lam must be a number >= 0 or a non-empty 1-d array of them; got {np.asarray(lam)!r}.")
    steps = check_int(steps, "steps", 0)
    mu = check_in_range(momentum, "momentum", 0.0, 0.99, "0 is plain gradient descent; 0.9 converges faster.")
    weights = lams.reshape(-1, 1, 1)  # (B, 1, 1) against logits laid out (B, K, L)
    zk = noisy.T[None]  # (1, K, L)
    q = np.exp(zk - zk.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    z = np.repeat(zk, len(weights), axis=0)
    v = np.zeros_like(z)
    lr = 1.0 / (1.0 + weights)
    for _ in range(steps):
        ahead = z + mu * v
        _, g_js, p = _js_parts(ahead)
        v = mu * v - lr * (p - q + weights * g_js)
        z = z + v
    out = z.transpose(0, 2, 1)
    return out[0].copy() if lams.ndim == 0 else np.ascontiguousarray(out)
