"""The fixed experiment of notebook 10: the two trained models, the toy protein and its smoothing path.

NumPy only (no matplotlib): the figures draw these, the notebook quotes them
and the tests check them.  The maths lives in the topic modules:
:mod:`xentlib.ood` (scores, ROC, the energy-margin loss),
:func:`xentlib.models.fit_energy_margin` (its fine-tuning loop),
:mod:`xentlib.segments` (the Jensen-Shannon smoother) and
:mod:`xentlib.datasets` (the blobs, the outlier ring, the protein).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..._validation import check_int
from ...datasets import BLOB_CENTRES, blobs, outlier_ring, radial_features, secondary_structure
from ...models import MarginHistory, SoftmaxRegression, fit_energy_margin
from ...ood import ood_score
from ...segments import SecondaryStructure, count_segments, js_smoothness, smooth_segments

__all__ = [
    "OODExperiment", "ood_experiment", "MODELS", "experiment", "protein", "PENALTIES", "smoothing_path",
    "smoothing_table", "penalty_index",
]

#: The two models of the experiment, by the label their buttons show.
MODELS = {"plain cross-entropy": "plain", "+ energy margin": "margin"}


@dataclass(frozen=True, eq=False)
class OODExperiment:
    """The toy experiment of notebook 10: data, the plain model, the energy-margin model, and the training record.

    ``models`` maps ``"plain"`` (cross-entropy only) and ``"margin"``
    (fine-tuned with :func:`xentlib.models.fit_energy_margin`) to trained
    :class:`~xentlib.models.SoftmaxRegression` models on :func:`xentlib.datasets.radial_features`.
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
        """:func:`xentlib.ood.ood_score` of ``model``'s logits at ``X``."""
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

    * Training data: :func:`xentlib.datasets.blobs` (``n_per_class`` per class, ``seed``).
    * Auxiliary outliers for the energy margin: 300 points of :func:`xentlib.datasets.outlier_ring`
      with :math:`4 \le r \le 5`, a thin shell just outside the classes (seed + 1).
    * Test sets from other seeds: 200 per class from the same blobs (seed + 2), and
      600 far-away inputs with :math:`5 \le r \le 10` (seed + 3), further out than any outlier seen in training.
    * ``"plain"``: :class:`~xentlib.models.SoftmaxRegression` on :func:`xentlib.datasets.radial_features`,
      300 steps of cross-entropy at learning rate 0.5 from zero weights.
    * ``"margin"``: a copy of the plain model fine-tuned for ``steps`` steps by
      :func:`xentlib.models.fit_energy_margin` (learning rate 0.2), snapshots every ``every`` steps.

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


@functools.lru_cache(maxsize=1)
def experiment() -> OODExperiment:
    """The notebook's experiment, :func:`ood_experiment` with its defaults, trained once and cached."""
    return ood_experiment()


@functools.lru_cache(maxsize=1)
def protein() -> SecondaryStructure:
    """The notebook's toy protein: :func:`xentlib.datasets.secondary_structure` (120 residues, seed 0), cached."""
    return secondary_structure(120, seed=0)


#: Every penalty weight the smoothing slider can reach: 0 to 20 in steps of 0.5.
PENALTIES = np.round(np.arange(0.0, 20.0 + 1e-9, 0.5), 1)


@functools.lru_cache(maxsize=1)
def smoothing_path() -> np.ndarray:
    """The protein's logits smoothed at every weight in :data:`PENALTIES`, shape (len(PENALTIES), 120, 3); cached."""
    return smooth_segments(protein().logits, PENALTIES)


def smoothing_table(lam: float):
    """For penalty weight ``lam`` (one of :data:`PENALTIES`): (segments, accuracy, JS penalty in nats) of the smoothed track."""
    k = penalty_index(lam)
    z = smoothing_path()[k]
    track = z.argmax(axis=1)
    return count_segments(track), float(np.mean(track == protein().labels)), js_smoothness(z)


def penalty_index(lam: float) -> int:
    """The index in :data:`PENALTIES` of the weight ``lam`` (one of the slider's values)."""
    k = int(np.argmin(np.abs(PENALTIES - lam)))
    if abs(PENALTIES[k] - lam) > 1e-9:
        raise ValueError(f"lam must be one of the slider's values, 0 to 20 in steps of 0.5; got {lam!r}.")
    return k
