"""Lesson 06 (imbalance): its screening data, the experiment's trained models and outcomes, and its exercises."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import precision_score, recall_score

import xentlib as xl
from xentlib.datasets import screening_data
from xentlib.lessons.imbalance import exercises
from xentlib.lessons.imbalance.experiments import GAMMAS as FOCAL_GAMMAS
from xentlib.lessons.imbalance.experiments import bias_pulls, focal_fit, held_out_data, outcome, resample_cloud, trained

# --------------------------------------------------------------------------- the notebook's data and figures' helpers

def test_screening_data_has_the_exact_ratio_and_the_stated_log_odds():
    X, y = screening_data(10_000)
    assert X.shape == (10_000, 1) and np.bincount(y).tolist() == [9900, 100]
    assert X[y == 0].mean() == pytest.approx(-1.5, abs=0.05) and X[y == 1].mean() == pytest.approx(1.5, abs=0.25)
    with pytest.raises(ValueError, match=r"^minority \* n must round to at least one positive"):
        screening_data(10, minority=0.01)


def test_bias_pulls_follow_the_closed_form():
    for minority, b in [(0.01, 0.0), (0.2, -1.5), (0.5, 2.0)]:
        s = xl.sigmoid(b)
        assert_allclose(bias_pulls(minority, b), [-(1 - minority) * s, minority * (1 - s)], rtol=1e-12)
        assert_allclose(bias_pulls(minority, b, weighted=True), [-s / 2, (1 - s) / 2], rtol=1e-12)


def test_outcome_agrees_with_sklearn_and_the_notebooks_claims():
    X, y = held_out_data()
    plain, weighted = trained("plain"), trained("weighted")
    o = outcome(plain)
    flags = plain.logits(X) > 0
    assert o.recall == pytest.approx(recall_score(y, flags)) and o.precision == pytest.approx(precision_score(y, flags))
    assert o.boundary == pytest.approx(-plain.b / plain.w[0])
    # removing the prior from the plain model ~ training with weights (within two points of recall)
    adjusted, reweighted = outcome(plain, 1.0), outcome(weighted, 0.0)
    assert abs(adjusted.recall - reweighted.recall) < 0.02 and abs(adjusted.boundary - reweighted.boundary) < 0.1
    assert adjusted.recall > o.recall + 0.3 and adjusted.precision < o.precision - 0.3
    # focal loss moves the decision boundary by less than 0.01 (the measurement's unit is 1 standard deviation)
    for gamma in FOCAL_GAMMAS:
        assert abs(outcome(focal_fit(gamma)).boundary - o.boundary) < 0.01
        assert focal_fit(gamma).w[0] <= plain.w[0] + 1e-9  # ... and makes the model less confident


def test_resample_cloud_mean_approaches_the_weighted_gradient():
    cloud = resample_cloud("plain fit", 50)
    assert np.abs(cloud.plain).max() < 1e-8  # the plain CE solution: its gradient is zero
    err = np.linalg.norm(cloud.running_mean - cloud.weighted, axis=1)
    assert err[-1] < 0.1 * np.linalg.norm(cloud.weighted) and err[-1] < err[:10].mean()


# --------------------------------------------------------------------------- exercises

@pytest.mark.parametrize("key, right, wrong", [
    ("06.init_bias", math.log(0.02 / 0.98), 0.0),
    ("06.balanced_weight", 25.0, 1 / 25),
    ("06.adjusted_threshold", 0.01, 0.5),
    ("06.focal_factor", 0.2**3, 0.8**3),
])
def test_exercises_accept_the_answer_and_reject_a_wrong_one(key, right, wrong):
    assert exercises.check(key, right).correct
    feedback = exercises.check(key, wrong)
    assert feedback.status in ("wrong", "close") and f"{right:.3g}" not in feedback.message
    assert exercises.check(key, None).status == "unanswered"


def test_recall_exercise_takes_a_function():
    def good(y_true, y_pred):
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        return ((y_true == 1) & (y_pred == 1)).sum() / max((y_true == 1).sum(), 1)

    assert exercises.check("06.recall", good).correct
    assert not exercises.check("06.recall", lambda t, p: np.mean(np.asarray(t) == np.asarray(p))).correct  # accuracy
    assert exercises.check("06.recall", None).status == "unanswered"
