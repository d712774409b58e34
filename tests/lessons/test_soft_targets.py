"""Lesson soft_targets (notebook 09): its cached experiments, its figures and its exercises."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from xentlib import soft_targets as st
from xentlib.drawing import Panel
from xentlib.lessons.soft_targets import exercises, experiments, figures

# ---------------------------------------------------------------- experiments

def test_annotator_study_soft_labels_approach_the_truth_and_majorities_do_not():
    study = experiments.annotator_study()
    assert study.soft_excess[0] == study.majority_excess[0]  # one annotator: the same labels
    assert study.soft_excess[-1] < 0.2 * study.soft_excess[0]
    assert study.majority_excess[-1] > 10 * study.soft_excess[0]
    assert abs(study.soft_logit[-1, 0] - study.true_slope) < 0.1 < study.majority_logit[-1, 0] - study.true_slope


def test_smoothing_study_caps_the_training_logits_and_improves_calibration():
    fits = experiments.smoothing_study()
    for eps, gaps in zip(fits.settings[1:], fits.train_gaps[1:]):
        assert abs(np.median(gaps) - st.smoothing_optimal_logit_gap(eps, 2)) < 0.5
    assert fits.test_ece[-1] < 0.25 * fits.test_ece[0]
    assert np.all(np.abs(fits.test_accuracy - fits.test_accuracy[0]) < 0.02)


def test_distillation_study_soft_targets_beat_labels_on_small_transfer_sets():
    study = experiments.distillation_study()
    assert np.all(study.accuracy[1] > study.accuracy[0])
    assert study.accuracy[1, 0] == pytest.approx(study.teacher_accuracy, abs=0.01)
    assert study.y[:5].tolist() == sorted(study.y[:5].tolist()) == [0, 1, 2, 3, 4]  # one of each class first


def test_mixup_study_improves_calibration_and_loss():
    fits = experiments.mixup_study()
    assert fits.mixed[0] is None and fits.mixed[1].X.shape == (300, 2)
    assert fits.test_nll[-1] < fits.test_nll[0] and fits.test_ece[-1] < 0.5 * fits.test_ece[0]


# ---------------------------------------------------------------- exercises

def _good_distill_grad(s, t, T):
    def soft(z):
        e = np.exp((z - z.max()) / T)
        return e / e.sum()

    return T * (soft(np.asarray(s, float)) - soft(np.asarray(t, float)))


@pytest.mark.parametrize("key, right, wrong", [
    ("09.vote_floor", -(0.6 * math.log(0.6) + 0.4 * math.log(0.4)), 0.971),  # the same entropy in bits
    ("09.smoothing_gap", math.log((1 - 0.2 + 0.2 / 5) / (0.2 / 5)), math.log(9)),
    ("09.compounding", sum(1 - 0.98**t for t in range(1, 51)), 0.02 * 50 * 51 / 2),
])
def test_numeric_exercises(key, right, wrong):
    assert exercises.check(key, right).correct
    assert exercises.check(key, wrong).status == "wrong"
    assert exercises.check(key, None).status == "unanswered"


def test_distill_grad_exercise_accepts_a_stable_answer_and_rejects_mistakes():
    assert exercises.check("09.distill_grad", _good_distill_grad).correct
    missing_factor = exercises.check("09.distill_grad", lambda s, t, T: _good_distill_grad(s, t, T) / T)
    assert missing_factor.status in ("wrong", "close") and "first problem" in missing_factor.message

    def naive(s, t, T):
        with np.errstate(all="ignore"):
            es, et = np.exp(np.asarray(s, float) / T), np.exp(np.asarray(t, float) / T)
            return T * (es / es.sum() - et / et.sum())

    unstable = exercises.check("09.distill_grad", naive)
    assert not unstable.correct and "NaN or inf" in unstable.message
    assert exercises.check("09.distill_grad", None).status == "unanswered"




# ---------------------------------------------------------------- error messages

def test_an_empty_panel_list_gets_a_message():
    with pytest.raises(ValueError, match="panel_sizes is empty"):
        experiments.annotator_study(())


# ---------------------------------------------------------------- figures

def test_figures_lists_only_figure_functions_and_each_builds():
    for name in figures.__all__:
        build = getattr(figures, name)
        assert inspect.isfunction(build) and inspect.signature(build).return_annotation in ("Panel", Panel), name
        assert build().first_frame.startswith(b"\x89PNG"), name
