"""Lesson ``gradients`` (notebook 02): its experiment, figures and exercises, against independent references.

References are finite differences, hand-written scalar formulas with ``math``
and scipy; never the helper's own output.  The maths it uses is tested beside
its modules: tests/test_chain_rule.py, tests/test_gradcheck.py,
tests/test_links.py (the naive log-softmax), tests/test_models.py (the SGD trace).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import expit

import xentlib as xl
from xentlib.drawing import StaticFigure
from xentlib.lessons.gradients import exercises, experiments, figures


def _bce(p, y):
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


# --------------------------------------------------------------------------- gradient checks

def test_only_the_right_bce_candidate_passes_the_check():
    z = np.array([-3.0, -0.5, 0.0, 1.0, 4.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    loss = lambda v: sum(_bce(float(expit(t)), float(l)) for t, l in zip(v, y))  # noqa: E731
    gaps = {name: xl.gradcheck.gradient_check(loss, lambda v, f=f: f(v, y), z) for name, f in experiments.BCE_GRADIENT_CANDIDATES.items()}
    assert gaps.pop("p - y") < 1e-7
    assert all(gap > 0.1 for gap in gaps.values()), gaps


# --------------------------------------------------------------------------- physics

def test_cross_entropy_is_energy_above_free_energy():
    for T in (0.3, 1.0, 4.0):
        p = xl.softmax(-experiments.ENERGIES, temperature=T)
        F = float(xl.energy_score(-experiments.ENERGIES, temperature=T))
        z_partition = np.sum(np.exp(-experiments.ENERGIES / T))
        assert F == pytest.approx(-T * math.log(z_partition))
        assert_allclose(-np.log(p), (experiments.ENERGIES - F) / T, rtol=1e-12)


# --------------------------------------------------------------------------- static figures

@pytest.mark.parametrize("build", [figures.overflow_figure, figures.finite_difference_error])
def test_static_figures_render(build):
    figure = build()
    assert isinstance(figure, StaticFigure) and figure.png.startswith(b"\x89PNG") and figure.title


# --------------------------------------------------------------------------- exercises

def test_exercise_answers_are_accepted():
    assert exercises.check("02.init_loss", math.log(10)).correct
    assert exercises.check("02.true_logit", -0.2).correct
    z = 0.5 * 2 + 0.5 * -1
    p = 1 / (1 + math.exp(-z))
    assert exercises.check("02.sgd_step", [0.5 - 0.5 * p * 2, 0.5 + 0.5 * p]).correct


def test_exercise_feedback_never_gives_the_answer():
    for key, wrong, secret in (("02.init_loss", 10.0, "2.30"), ("02.true_logit", 0.2, "-0.2"),
                               ("02.sgd_step", [0.5, 0.5], "0.81")):
        feedback = exercises.check(key, wrong)
        assert not feedback.correct and secret not in feedback.message, feedback


def test_sgd_exercise_recognises_a_step_the_wrong_way():
    z = 0.5
    p = 1 / (1 + math.exp(-z))
    feedback = exercises.check("02.sgd_step", [0.5 + 0.5 * p * 2, 0.5 - 0.5 * p])
    assert feedback.status == "wrong" and "wrong way" in feedback.message


def test_true_logit_exercise_flags_the_sign():
    assert "sign" in exercises.check("02.true_logit", 0.2).message


def test_log_softmax_exercise_accepts_stable_and_rejects_naive():
    def stable(z):
        m = np.max(z)
        return z - m - np.log(np.sum(np.exp(z - m)))

    def naive(z):
        return np.log(np.exp(z) / np.sum(np.exp(z)))

    assert exercises.check("02.log_softmax", stable).correct
    feedback = exercises.check("02.log_softmax", naive)
    assert feedback.status == "close" and "NaN or inf" in feedback.message
