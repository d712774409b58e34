"""Lesson energy_ood (notebook 10): its data, its experiment (the two trained models, the smoothing table), its exercises."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from xentlib import datasets, ood, segments
from xentlib.lessons.energy_ood import exercises, experiments


@pytest.fixture(scope="module")
def exp():
    return experiments.experiment()


# ---------------------------------------------------------------- the data (xentlib.datasets, lesson 10's section)

def test_data_generators():
    X, y = datasets.blobs(50, seed=3)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    assert_allclose([X[y == k].mean(axis=0) for k in range(3)], datasets.BLOB_CENTRES, atol=0.25)
    assert_allclose(np.hypot(*datasets.BLOB_CENTRES.T), 2.5)
    ring = datasets.outlier_ring(4000, r_min=2.0, r_max=4.0, seed=1)
    r = np.hypot(*ring.T)
    assert r.min() >= 2.0 and r.max() <= 4.0
    assert np.mean(r**2 < 10.0) == pytest.approx(0.5, abs=0.03)  # uniform in area: half the area inside r^2 = 10
    assert np.array_equal(datasets.outlier_ring(5, r_min=1, r_max=2, seed=7), datasets.outlier_ring(5, r_min=1, r_max=2, seed=7))
    assert_allclose(datasets.radial_features([[1.0, 2.0]], scale=5.0), [[1.0, 2.0, 1.0]])
    assert_allclose(datasets.ray(180.0, [1.0, 3.0]), [[-1.0, 0.0], [-3.0, 0.0]], atol=1e-12)
    with pytest.raises(ValueError, match="r_min <= r_max"):
        datasets.outlier_ring(5, r_min=3.0, r_max=1.0)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        datasets.radial_features([[1.0, 2.0, 3.0]])


def test_secondary_structure_generator():
    protein = datasets.secondary_structure(400, seed=5)
    assert protein.labels.shape == (400,) and protein.logits.shape == (400, 3)
    assert np.array_equal(protein.labels, datasets.secondary_structure(400, seed=5).labels)
    starts = np.r_[0, np.flatnonzero(np.diff(protein.labels)) + 1]
    lengths = np.diff(np.r_[starts, 400])
    states = protein.labels[starts]
    assert np.all((states[:-1] == 2) | (states[1:] == 2))  # a coil loop between any two structured segments
    for state, (lo, hi) in {0: (10, 18), 1: (4, 8), 2: (3, 8)}.items():
        inner = lengths[:-1][states[:-1] == state]  # the last segment may be cut short
        assert inner.min() >= lo and inner.max() <= hi
    assert 0.6 < np.mean(protein.logits.argmax(axis=1) == protein.labels) < 0.9
    assert set(protein.string()) <= set("HEC") and protein.string([0, 1, 2]) == "HEC"


# ---------------------------------------------------------------- the toy experiment

def test_plain_model_is_confident_far_away_and_its_energy_falls(exp):
    directions = np.arange(0.0, 360.0, 5.0)
    far = np.array([ood.max_softmax(exp.logits(datasets.ray(d, [10.0]), "plain"))[0] for d in directions])
    assert np.median(far) > 0.999  # off the boundaries between classes, near-certain
    for d in directions:  # and in *every* direction the energy falls beyond the data
        energy = exp.scores(datasets.ray(d, np.linspace(4.0, 12.0, 9)), "plain", "energy")
        assert np.all(np.diff(energy) < 0), d


def test_cross_entropy_leaves_the_sum_of_logits_where_it_started(exp):
    # from zero weights, every CE gradient has rows summing to 0, so the logits' sum over classes never moves
    assert_allclose(exp.models["plain"].W.sum(axis=1), 0.0, atol=1e-12)
    assert_allclose(exp.models["plain"].b.sum(), 0.0, atol=1e-12)


def test_margin_model_detects_the_far_inputs_and_keeps_its_accuracy(exp):
    plain, margin = exp.models["plain"], exp.models["margin"]
    s_in, s_out = exp.test_scores("plain", "energy")
    assert ood.auroc(s_in, s_out) < 0.05
    s_in, s_out = exp.test_scores("margin", "energy")
    assert ood.auroc(s_in, s_out) > 0.999 and ood.fpr_at_tpr(s_in, s_out) < 0.01
    for method in ("msp", "nll"):  # the softmax's own scores are not helped
        assert ood.auroc(*exp.test_scores("margin", method)) < 0.5
    F = datasets.radial_features(exp.X_test_in)
    assert margin.accuracy(F, exp.y_test_in) >= plain.accuracy(F, exp.y_test_in) - 0.01
    assert np.all(margin.W[2] < -1.0) and np.all(np.abs(plain.W[2]) < 0.2)
    assert exp.margin_history.margin_out[-1] < 0.1 * exp.margin_history.margin_out[0]


def test_experiment_snapshots_run_from_the_plain_model_to_the_margin_model(exp):
    assert exp.snapshot_steps[0] == 0 and exp.snapshot_steps[-1] == len(exp.margin_history.ce) - 1
    assert_allclose(exp.snapshot_W[0], exp.models["plain"].W)
    assert_allclose(exp.snapshot_W[-1], exp.models["margin"].W)
    assert_allclose(exp.snapshot_logits(len(exp.snapshot_steps) - 1, exp.X_test_in), exp.logits(exp.X_test_in, "margin"))
    with pytest.raises(ValueError, match="model must be one of"):
        exp.logits(exp.X_test_in, "deep")


# ---------------------------------------------------------------- the smoothing table and the exercises

def test_smoothing_table_matches_a_direct_computation():
    protein = experiments.protein()
    direct = segments.smooth_segments(protein.logits, 8.0)
    n_segments, accuracy, penalty = experiments.smoothing_table(8.0)
    assert n_segments == segments.count_segments(direct.argmax(axis=1))
    assert accuracy == pytest.approx(np.mean(direct.argmax(axis=1) == protein.labels))
    assert penalty == pytest.approx(segments.js_smoothness(direct), rel=1e-9)
    with pytest.raises(ValueError, match="slider's values"):
        experiments.smoothing_table(0.3)


def test_exercises():
    assert exercises.check("10.energy", -4.0659).correct
    assert not exercises.check("10.energy", 4.0659).correct  # the sign matters
    assert exercises.check("10.shift", -3.0).correct
    assert not exercises.check("10.shift", 3.0).correct
    assert exercises.check("10.js_pair", 0.2158).correct
    assert not exercises.check("10.js_pair", 0.2877).correct  # KL(p_t || m) alone is not JS

    def my_auroc(scores_in, scores_out):
        return np.mean((scores_out[:, None] > scores_in) + 0.5 * (scores_out[:, None] == scores_in))

    def no_ties(scores_in, scores_out):
        return np.mean(scores_out[:, None] > scores_in)

    assert exercises.check("10.auroc", my_auroc).correct
    feedback = exercises.check("10.auroc", no_ties)
    assert feedback.status == "close" and "ties" not in feedback.message.lower()
    for key in ("10.energy", "10.shift", "10.auroc", "10.js_pair"):
        assert exercises.check(key, None).status == "unanswered"
