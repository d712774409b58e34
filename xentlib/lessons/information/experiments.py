r"""The fixed experiments of lesson ``information`` (notebook 08): the runs its figures show and its text quotes.

* forward and reverse KL fits of one Gaussian to :func:`xentlib.datasets.bimodal_target`
  (:func:`kl_fits`, :func:`mode_seeking_threshold`, :func:`divergence_table`);
* two sigmoid heads against a 4-class softmax on correlated label pairs
  (:func:`train_label_models`, :func:`multilabel_run`);
* MAP logistic regression on :func:`xentlib.datasets.bayes_data` along a path of prior
  variances (:func:`prior_path`, :func:`narrow_elbo_offsets`);
* a softmax over species from the k-mers of :func:`xentlib.datasets.barcode_data` (:func:`barcode_model`).

Everything slow (model training, the reverse-KL fits) is computed once and
cached, so a slider step only moves artists.  NumPy only.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ..._validation import as_float_array, check_in_range, check_int, check_positive
from ...bayes import fit_logistic_map, l2_from_prior_variance, logistic_elbo
from ...datasets import FISH, KL_GRID, barcode_data, bayes_data, bimodal_target, kmer_counts
from ...gaussian_fits import GaussianFit, fit_gaussian_forward_kl, fit_gaussian_reverse_kl
from ...information import js_divergence, kl_divergence, mutual_information  # noqa: F401 (a doctest uses it)
from ...models import LogisticRegression, SoftmaxRegression
from ...multilabel import correlated_labels_joint, empirical_joint, joint_class, labels_from_class, sample_labels

__all__ = [
    "kl_fits", "mode_seeking_threshold", "divergence_table",
    "LabelModels", "train_label_models", "MULTILABEL_RATES", "MULTILABEL_N", "TRAINED_RHOS", "multilabel_run",
    "PRIOR_VARIANCES", "PriorPath", "prior_path", "narrow_elbo_offsets",
    "BarcodeModel", "barcode_model",
]


# =====================================================================================
# Forward and reverse KL on a two-humped target
# =====================================================================================

@functools.lru_cache(maxsize=1024)
def _kl_fits(separation: float, weight: float) -> tuple[GaussianFit, GaussianFit]:
    p = bimodal_target(separation, weight)
    return fit_gaussian_forward_kl(KL_GRID, p), fit_gaussian_reverse_kl(KL_GRID, p)


def kl_fits(separation: float, weight: float = 0.5) -> tuple[GaussianFit, GaussianFit]:
    r"""The Gaussians closest to :func:`~xentlib.datasets.bimodal_target` in forward and reverse KL: ``(forward, reverse)``.

    ``forward`` minimises :math:`D_{\mathrm{KL}}(p\,\|\,q)` (moment matching, the
    maximum-likelihood fit); ``reverse`` minimises :math:`D_{\mathrm{KL}}(q\,\|\,p)`.
    Cached, keyed on the values rounded to 1e-9 (the sliders' steps are exact).

    Examples
    --------
    >>> forward, reverse = kl_fits(6.0, 0.5)     # humps at -3 and +3; forward: sigma^2 = 1 + 3^2
    >>> print(round(float(forward.mu), 3) + 0.0, round(float(forward.sigma), 3), round(abs(float(reverse.mu)), 2), round(float(reverse.sigma), 2))
    0.0 3.162 2.98 1.02
    """
    return _kl_fits(round(float(separation), 9), round(float(weight), 9))


def mode_seeking_threshold(weight: float = 0.5, *, step: float = 0.25, largest: float = 8.0) -> float:
    r"""The smallest hump distance (on the slider's grid) at which the reverse-KL fit leaves the middle.

    Scans :math:`d = 0, \text{step}, 2\,\text{step}, \dots` and returns the first
    :math:`d` whose reverse fit (:func:`kl_fits`) is centred more than half a
    hump width away from the target's mean, i.e. sits on a hump; ``nan`` if
    none up to ``largest`` does.

    Examples
    --------
    >>> print(mode_seeking_threshold(0.5))
    5.75
    """
    weight = check_in_range(weight, "weight", 0.0, 1.0)
    for d in np.arange(0.0, largest + step / 2, step):
        d = round(float(d), 9)
        centre = (1 - 2 * weight) * d / 2  # the target's mean
        if abs(float(kl_fits(d, weight)[1].mu) - centre) > 0.5:
            return d
    return math.nan


def divergence_table(p, q) -> dict:
    r"""The three divergences the KL figure compares, in nats: ``{"KL(p||q)", "KL(q||p)", "JS(p,q)"}``.

    Examples
    --------
    >>> table = divergence_table([0.5, 0.5], [0.9, 0.1])
    >>> print({k: round(v, 4) for k, v in table.items()})
    {'KL(p||q)': 0.5108, 'KL(q||p)': 0.3681, 'JS(p,q)': 0.1017}
    """
    return {"KL(p||q)": float(kl_divergence(p, q)), "KL(q||p)": float(kl_divergence(q, p)),
            "JS(p,q)": float(js_divergence(p, q))}



# =====================================================================================
# Multi-label: independent heads against a joint softmax
# =====================================================================================

class LabelModels(NamedTuple):
    r"""Two sigmoid heads and a 4-class softmax trained on the same label pairs, and what they learnt.

    ``independent_loss`` is the sum of the heads' mean binary cross-entropies
    (the mean of :math:`-\log q_1(y_1) q_2(y_2)`), ``joint_loss`` the softmax's
    mean cross-entropy (:math:`-\log q(y_1, y_2)`), both in nats on the
    training pairs; ``gap`` is their difference.  ``marginals`` and ``joint``
    are the models' average predictions: the heads' :math:`(q_1, q_2)` and the
    softmax's 2x2 table.  ``data_joint`` is the training pairs' own frequency
    table (:func:`xentlib.multilabel.empirical_joint`), what a perfectly trained softmax reproduces
    when there are no inputs.
    """

    heads: tuple
    softmax: SoftmaxRegression
    independent_loss: float
    joint_loss: float
    gap: float
    marginals: np.ndarray
    joint: np.ndarray
    data_joint: np.ndarray


def _fit(model, X, y, lr: float, max_steps: int, tol: float) -> int:
    """Gradient descent in chunks of 10 steps until one step changes the loss by less than ``tol``; returns the steps taken."""
    taken = 0
    while taken < max_steps:
        history = model.fit(X, y, lr=lr, steps=min(10, max_steps - taken))
        taken += len(history.loss) - 1
        if len(history.loss) < 2 or abs(history.loss[-2] - history.loss[-1]) < tol:
            break
    return taken


def train_label_models(Y, X=None, *, max_steps: int = 2000, lr_heads: float | None = None,
                       lr_joint: float | None = None, l2: float = 0.0, tol: float = 1e-12) -> LabelModels:
    r"""Train two :class:`~xentlib.models.LogisticRegression` heads and a 4-class :class:`~xentlib.models.SoftmaxRegression`.

    Both are fitted by full-batch gradient descent on cross-entropy, from the
    same all-zero start (every pair equally likely), until a step changes the
    loss by less than ``tol``.  Without inputs (``X=None``) each model gets a
    single all-zero feature, so only its biases learn: the heads can learn the
    two base rates and the softmax the four pair frequencies, and at convergence

    .. math:: \text{independent loss} - \text{joint loss} = \hat I(Y_1; Y_2),

    the mutual information of the training pairs' frequency table
    (:func:`xentlib.multilabel.empirical_joint`).

    Parameters
    ----------
    Y : (N, 2) array of 0/1 label pairs.
    X : (N, d) features, or None for no inputs.
    max_steps : int, the most gradient steps for each model.
    lr_heads, lr_joint : learning rates; None picks Newton-sized steps when
        there are no inputs (4 for a head, whose loss has curvature at most 1/4
        in its bias; :math:`1/\max(\tfrac14, \max_k \hat p_k)` for the softmax,
        whose bias Hessian :math:`\mathrm{diag}(q) - qq^\top` has largest
        eigenvalue at most :math:`\max_k q_k`), and 1.0 with inputs.
    l2 : weight decay passed to every model (biases are never penalised).
    tol : float > 0, the per-step loss change at which training stops.

    Returns
    -------
    LabelModels

    Examples
    --------
    >>> Y = sample_labels(correlated_labels_joint(0.5, 0.5, 0.6), 2000, seed=0)
    >>> run = train_label_models(Y)
    >>> print(round(run.gap, 4), round(float(mutual_information(run.data_joint)), 4))
    0.1969 0.1969
    """
    classes = joint_class(Y)
    Y = labels_from_class(classes)
    if classes.size == 0:
        raise ValueError("Y is empty: there are no label pairs to train on.")
    no_inputs = X is None
    X = np.zeros((len(Y), 1)) if no_inputs else as_float_array(X, "X", dtype=np.float64)
    if X.ndim != 2 or len(X) != len(Y):
        raise ValueError(f"X must have shape (N, d) with one row per label pair ({len(Y)}); got shape {X.shape}.")
    max_steps = check_int(max_steps, "max_steps", 0)
    tol = check_positive(tol, "tol")
    top = max(0.25, float(np.bincount(classes, minlength=4).max() / classes.size))
    lr_heads = (4.0 if no_inputs else 1.0) if lr_heads is None else check_positive(lr_heads, "lr_heads")
    lr_joint = (1.0 / top if no_inputs else 1.0) if lr_joint is None else check_positive(lr_joint, "lr_joint")
    heads = tuple(LogisticRegression(X.shape[1], l2=l2) for _ in range(2))
    for k, head in enumerate(heads):
        _fit(head, X, Y[:, k], lr_heads, max_steps, tol)
    softmax = SoftmaxRegression(X.shape[1], 4, l2=l2)
    _fit(softmax, X, classes, lr_joint, max_steps, tol)
    independent = heads[0].loss(X, Y[:, 0]) + heads[1].loss(X, Y[:, 1])
    together = softmax.loss(X, classes)
    learnt = np.array([head.predict_proba(X).mean() for head in heads])
    return LabelModels(heads, softmax, independent, together, independent - together, learnt,
                       softmax.predict_proba(X).mean(axis=0).reshape(2, 2), empirical_joint(Y))


#: Base rates P(Y1 = 1), P(Y2 = 1) of the multi-label figure: equal, so every correlation in [-1, 1] is possible.
MULTILABEL_RATES = (0.5, 0.5)
#: Label pairs each trained model of the figure sees.
MULTILABEL_N = 2000
#: The correlations at which the figure shows trained models.
TRAINED_RHOS = (-0.8, -0.4, 0.0, 0.4, 0.8)


@functools.lru_cache(maxsize=None)
def _multilabel_run(rho: float, p1: float, p2: float, n: int, seed: int) -> LabelModels:
    return train_label_models(sample_labels(correlated_labels_joint(p1, p2, rho), n, seed=seed))


def multilabel_run(rho: float, *, p1: float = MULTILABEL_RATES[0], p2: float = MULTILABEL_RATES[1],
                   n: int = MULTILABEL_N, seed: int = 0) -> LabelModels:
    """Two sigmoid heads and a 4-class softmax trained on ``n`` pairs drawn with correlation ``rho`` (cached).

    See :func:`train_label_models`.  Treat the result as
    read-only: it is shared between calls.

    Examples
    --------
    >>> run = multilabel_run(0.0)
    >>> print(abs(run.gap) < 1e-3, np.round(run.marginals, 1))
    True [0.5 0.5]
    """
    return _multilabel_run(round(float(rho), 9), float(p1), float(p2), check_int(n, "n", 1), int(seed))



# =====================================================================================
# The Bayesian bridge: prior variance against weight size
# =====================================================================================

#: The prior variances of the Bayes figure's slider: 10^-3 ... 10^1 in steps of 10^0.1.
PRIOR_VARIANCES = 10.0 ** np.round(np.arange(-3.0, 1.0001, 0.1), 1)

class PriorPath(NamedTuple):
    """MAP fits of :func:`xentlib.datasets.bayes_data` along :data:`PRIOR_VARIANCES`: one row per prior variance."""

    prior_var: np.ndarray  # (V,)
    w: np.ndarray  # (V, d)
    b: np.ndarray  # (V,)
    train_loss: np.ndarray  # (V,) mean cross-entropy, nats
    test_loss: np.ndarray  # (V,)


def _mean_ce(X, y, w, b) -> float:
    z = X @ w + b
    return float(np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z))


@functools.lru_cache(maxsize=None)
def prior_path() -> PriorPath:
    r"""MAP logistic regression on :func:`xentlib.datasets.bayes_data` for every prior variance of the slider.

    Each fit minimises mean cross-entropy + :math:`\tfrac{\lambda}{2}\lVert w\rVert^2`
    with :math:`\lambda = 1/(N\sigma^2)`, by
    :func:`xentlib.bayes.fit_logistic_map` (Newton's method, warm-started
    from the previous, narrower prior): about 0.1 s for the whole path.

    Examples
    --------
    >>> path = prior_path()
    >>> norms = np.linalg.norm(path.w, axis=1)
    >>> print(path.w.shape, bool(np.all(np.diff(norms) > 0)))   # a wider prior always allows larger weights here
    (41, 10) True
    """
    X, y, X_test, y_test = bayes_data()
    w, b, rows = None, 0.0, []
    for var in PRIOR_VARIANCES:
        fit = fit_logistic_map(X, y, prior_var=float(var), w0=w, b0=b)
        w, b = fit.w, fit.b
        rows.append((w, b, _mean_ce(X, y, w, b), _mean_ce(X_test, y_test, w, b)))
    W, B, train, test = (np.array(col) for col in zip(*rows))
    return PriorPath(PRIOR_VARIANCES.copy(), W, B, train, test)


def narrow_elbo_offsets(centres, s: float, *, prior_var: float = 1.0, b: float | None = None) -> np.ndarray:
    r"""For each centre :math:`m`, :math:`-\mathrm{ELBO}(\mathcal N(m, s^2 I)) - N\,J(m)` on :func:`~xentlib.datasets.bayes_data`.

    :math:`J(m)` is the objective of ``LogisticRegression(l2=1/(N * prior_var))``
    at weights :math:`m` (mean cross-entropy + :math:`\tfrac{\lambda}{2}\lVert m\rVert^2`),
    with the bias ``b`` (default: the MAP bias) shared by both.  As
    :math:`s \to 0` every offset tends to the same constant
    :math:`\tfrac d2(\ln(\sigma^2/s^2) - 1)`: the narrow ELBO ranks centres
    exactly as cross-entropy + L2 does.

    Examples
    --------
    >>> offsets = narrow_elbo_offsets([np.zeros(10), np.ones(10)], 1e-4)
    >>> print(np.round(offsets, 3), round(5 * (math.log(1e8) - 1), 3))
    [87.103 87.103] 87.103
    """
    X, y = bayes_data()[:2]
    n, d = X.shape
    if b is None:
        b = fit_logistic_map(X, y, prior_var=prior_var).b
    model = LogisticRegression(d, l2=l2_from_prior_variance(prior_var, n), b=b)
    out = []
    for m in centres:
        model.w = np.asarray(m, dtype=np.float64).reshape(d).copy()
        out.append(-logistic_elbo(model.w, b, s, X, y, prior_var=prior_var).elbo - n * model.objective(X, y))
    return np.array(out)



# =====================================================================================
# DNA barcodes: a softmax over species
# =====================================================================================

class BarcodeModel(NamedTuple):
    """A softmax classifier on k-mer frequencies and how it does on the held-out reads."""

    k: int
    model: SoftmaxRegression
    mean: np.ndarray  # feature standardisation, from the training reads
    scale: np.ndarray
    train_loss: float  # mean cross-entropy, nats
    test_loss: float
    test_accuracy: float
    test_proba: np.ndarray  # (n_test, n_species)



@functools.lru_cache(maxsize=None)
def barcode_model(k: int) -> BarcodeModel:
    r"""Train :class:`~xentlib.models.SoftmaxRegression` on the k-mer frequencies of the training reads (cached).

    Features are :func:`xentlib.datasets.kmer_counts` frequencies,
    standardised with the training reads' mean and spread; 150 steps of
    gradient descent at learning rate 2 (converged: more steps change no
    printed digit) with a little weight decay
    (``l2=0.01``).  The loss is the softmax cross-entropy over the six
    species, :math:`-\ln q_{\text{true species}}` per read.

    Examples
    --------
    >>> m = barcode_model(2)
    >>> print(m.test_proba.shape, 0.5 < m.test_accuracy < 1.0)
    (120, 6) True
    """
    k = check_int(k, "k", 1)
    data, train, test = barcode_data()
    F = kmer_counts(data.reads, k, normalize=True)
    mean, scale = F[train].mean(axis=0), F[train].std(axis=0)
    scale[scale == 0] = 1.0
    Z = (F - mean) / scale
    y = data.species
    model = SoftmaxRegression(Z.shape[1], len(FISH), l2=0.01)
    model.fit(Z[train], y[train], lr=2.0, steps=150)
    return BarcodeModel(k, model, mean, scale, model.loss(Z[train], y[train]), model.loss(Z[test], y[test]),
                        model.accuracy(Z[test], y[test]), model.predict_proba(Z[test]))

