"""The fixed experiment of notebook 09 (soft targets): its seeded data sets and cached trained models.

The trained models notebook 09 reports and draws.  Each study trains every
model once and is cached, so the notebook's printed numbers and its figures
share one set of models, and a slider only looks results up.  The maths
they rest on is in :mod:`xentlib.soft_targets`, the data sets in
:mod:`xentlib.datasets`, the models in :mod:`xentlib.models`.  NumPy only.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ..._validation import check_int, check_positive, check_scalar, check_smoothing_epsilon
from ...calibration import expected_calibration_error
from ...datasets import cubic_features, ring_classes, two_blobs, two_gaussians
from ...links import sigmoid, softmax
from ...losses import softmax_cross_entropy
from ...models import DistillationTargets, DistilledSoftmaxRegression, SoftmaxRegression
from ...soft_targets import annotate, excess_cross_entropy, majority_vote, mixup_augment, vote_fractions

__all__ = [
    "AnnotatorStudy", "annotator_study", "BlobProblem", "blob_problem", "RegularisedFits", "smoothing_study", "mixup_study",
    "ring_teacher", "DistillationStudy", "distillation_study", "EXAMPLES",
]

#: Inputs whose teacher outputs the dark-knowledge figure shows: name -> point.
EXAMPLES = {
    "a clear class 0": (2.6, 0.0),
    "a 0 that looks like a 1": (1.6, 1.05),
    "a hard case": (0.2, 0.7),
}


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
    (:func:`~xentlib.soft_targets.annotate`; a panel of 3 is the first 3 of them).  For each panel
    size, one :class:`~xentlib.models.SoftmaxRegression` is trained on the vote
    fractions and one on the majority votes (odd panel sizes avoid ties), by
    ``steps`` steps of gradient descent; each is scored by
    :func:`~xentlib.soft_targets.excess_cross_entropy` on 2000 fresh inputs.  Cached.

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

    ``features(X)`` is :func:`~xentlib.datasets.cubic_features`, standardised with the training
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
    r"""30 training points and 4000 test points from :func:`~xentlib.datasets.two_blobs` (seeds 3 and 1), and their features.

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
        check_smoothing_epsilon(e)
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
    ``copies`` mixup batches (:func:`~xentlib.soft_targets.mixup_augment`, mixed in input space,
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
    r"""The distillation teacher: a :class:`~xentlib.models.SoftmaxRegression` trained on 2000 :func:`~xentlib.datasets.ring_classes` points.

    200 steps of gradient descent (seed 1).  Its test accuracy and loss are
    within a whisker of the Bayes-optimal :func:`~xentlib.datasets.ring_logits`.  Cached: do not train it further.
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

    The transfer set is drawn from :func:`~xentlib.datasets.ring_classes` (seed 2) and ordered
    so that every prefix is as balanced as possible (one of each class
    first).  For each size :math:`n` and each entry of ``temperatures``, a
    :class:`~xentlib.models.DistilledSoftmaxRegression` student is trained on the first
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
