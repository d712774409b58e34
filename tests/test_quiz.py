"""The exercise machinery (xentlib.quiz) and every lesson's exercises: an unanswered cell is fine, right answers
pass, wrong ones get feedback that never leaks the answer."""

import math

import numpy as np
import pytest

from xentlib import quiz
from xentlib.lessons import all_exercises
from xentlib.quiz import Feedback, function_checker, numeric_checker

ALL = all_exercises()


def test_every_notebook_so_far_has_at_least_two_exercises():
    per_notebook = {}
    for key in ALL:
        per_notebook[key.split(".")[0]] = per_notebook.get(key.split(".")[0], 0) + 1
    assert per_notebook and min(per_notebook.values()) >= 2, per_notebook


@pytest.mark.parametrize("key", sorted(ALL))
def test_unanswered_is_not_an_error(key):
    feedback = quiz.check(key, None)
    assert feedback.status == "unanswered"
    assert ALL[key].hint and ALL[key].question
    assert "<details" in ALL[key]._repr_html_()  # the hint starts hidden


@pytest.mark.parametrize("key", sorted(ALL))
def test_nonsense_answers_are_wrong_not_crashes(key):
    for answer in ("forty-two", object(), -1e300):
        assert quiz.check(key, answer).status in ("wrong", "close")


def test_numeric_checker_grades_without_revealing():
    check = numeric_checker(math.log(100))
    assert check(4.60517).correct
    near = check(4.4)
    assert near.status == "close" and "4.605" not in near.message
    far = check(1.0)
    assert far.status == "wrong" and "4.6" not in far.message
    assert check(float("nan")).status == "wrong"
    assert check(True).status == "wrong"


def test_function_checker_reports_instability():
    check = function_checker(lambda z: z - np.max(z), [(np.array([1000.0, 0.0]),)])
    assert check(lambda z: z - np.max(z)).correct
    unstable = check(lambda z: np.log(np.exp(z) / np.exp(z).max()))  # overflows: no warning, a message
    assert unstable.status == "wrong" and "NaN or inf" in unstable.message
    assert check(42).status == "wrong"


def test_a_crashing_answer_becomes_feedback():
    def broken(p, q):
        raise KeyError("oops")

    feedback = quiz.check("01.cross_entropy", broken)
    assert feedback.status == "wrong" and "KeyError" in feedback.message


def test_feedback_renders_as_text_and_html():
    feedback = Feedback("correct", "well done <3")
    assert repr(feedback).startswith("✔")
    assert "&lt;3" in feedback._repr_html_()


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(ValueError, match="01.odds"):
        quiz.check("99.nothing", 1)
