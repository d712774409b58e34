"""Lesson ``surprise`` (notebook 01): its fixed examples, figures and exercises.

The information measures themselves are tested in tests/test_information.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from xentlib.drawing import Panel
from xentlib.lessons.surprise import exercises, experiments, figures


def test_weather_is_a_distribution_with_whole_bit_code_lengths():
    p = np.array(list(experiments.WEATHER.values()))
    assert p.sum() == pytest.approx(1.0)
    assert np.all(np.log2(p) == np.round(np.log2(p)))  # ideal code lengths of 1, 2, 3, 3 bits


def test_units_are_the_three_log_bases():
    assert sorted(experiments.UNITS.values()) == [2.0, math.e, 10.0]


@pytest.mark.parametrize("build", [figures.surprise_curve, figures.belief_vs_truth, figures.code_lengths])
def test_figures_build(build):
    assert isinstance(build(), Panel)


def test_exercise_answers_are_accepted():
    assert exercises.check("01.odds", math.log(100.0)).correct
    assert exercises.check("01.wasted_bits", 0.25).correct

    def my_cross_entropy(p, q):
        mask = p > 0
        with np.errstate(divide="ignore"):
            return float(-np.sum(p[mask] * np.log(q[mask])))

    assert exercises.check("01.cross_entropy", my_cross_entropy).correct
