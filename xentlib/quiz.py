"""Exercises with checked answers: right, wrong, or how far off, without giving the answer away.

The machinery: :func:`register`, :func:`ask`, :func:`check`, :func:`hint`
and the reusable checkers.  Each lesson's exercises live beside its figures,
in ``xentlib/lessons/<lesson>/exercises.py``, which registers them and
re-exports ``ask``, ``check`` and ``hint``.  In a notebook::

    from xentlib.lessons.surprise import exercises
    exercises.ask("01.odds")            # the question, with a hidden hint to reveal
    answer = None                       # the learner replaces None
    exercises.check("01.odds", answer)  # feedback

Unanswered (``None``) gives a gentle "not answered yet", never an error, so
the notebook runs top to bottom as it ships.  Every lesson's exercises:
:func:`xentlib.lessons.all_exercises`.
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass
from typing import Callable

__all__ = ["Exercise", "Feedback", "register", "ask", "check", "hint", "registered", "numeric_checker"]

_REGISTRY: dict[str, "Exercise"] = {}
_COLOURS = {"correct": "#009E73", "close": "#E69F00", "wrong": "#D55E00", "unanswered": "#7F7F7F"}
_ICONS = {"correct": "✔ Correct", "close": "≈ Close", "wrong": "✘ Not yet", "unanswered": "… Not answered yet"}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``status`` is "correct", "close", "wrong" or "unanswered"."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"{_ICONS[self.status]}: {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (f"<div style='border-left:4px solid {colour};padding:4px 10px'>"
                f"<b style='color:{colour}'>{_ICONS[self.status]}</b>: {html.escape(self.message)}</div>")


@dataclass(frozen=True)
class Exercise:
    """One exercise: a question, a checker ``answer -> Feedback`` and a hint."""

    key: str
    question: str
    checker: Callable[[object], Feedback]
    hint: str
    placeholder: str = "None"

    def _repr_html_(self) -> str:
        return (f"<div style='border:1px solid #0072B2;border-radius:6px;padding:8px 12px'>"
                f"<b>Exercise {html.escape(self.key)}.</b> {html.escape(self.question)}"
                f"<details style='margin-top:6px'><summary>Show a hint</summary>{html.escape(self.hint)}</details></div>")

    def __repr__(self) -> str:
        return f"Exercise {self.key}. {self.question}\n(Run the notebook to reveal a hint: exercises.hint({self.key!r}).)"


def register(key: str, question: str, hint: str, checker: Callable[[object], Feedback], placeholder: str = "None") -> Exercise:
    """Add an exercise to the registry (called by the per-notebook modules)."""
    if key in _REGISTRY:
        raise ValueError(f"exercise {key!r} is registered twice.")
    exercise = Exercise(key, question, checker, hint, placeholder)
    _REGISTRY[key] = exercise
    return exercise


def _get(key: str) -> Exercise:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise ValueError(f"no exercise {key!r}; known: {sorted(_REGISTRY)}. Import its lesson's exercises first, e.g. from xentlib.lessons.surprise import exercises.") from None


def registered() -> dict[str, Exercise]:
    """The exercises registered so far (by the lessons imported so far), by key."""
    return dict(sorted(_REGISTRY.items()))


def ask(key: str) -> Exercise:
    """The exercise, displayed as its question with a collapsed hint."""
    return _get(key)


def hint(key: str) -> str:
    """The hint, as plain text."""
    return _get(key).hint


def check(key: str, answer) -> Feedback:
    """Check an answer. ``None`` means not answered yet; a checker that raises counts as a wrong answer, with the reason."""
    exercise = _get(key)
    if answer is None or answer is Ellipsis:
        return Feedback("unanswered", f"replace {exercise.placeholder} with your answer and run the cell again.")
    try:
        return exercise.checker(answer)
    except Exception as err:  # the learner's code failed: say so instead of showing a traceback
        return Feedback("wrong", f"checking your answer raised {type(err).__name__}: {err}")


# ---------------------------------------------------------------- reusable checkers

def numeric_checker(expected: float, *, rtol: float = 1e-3, close_rtol: float = 0.05, unit: str = "") -> Callable[[object], Feedback]:
    """A checker for a single number: correct within ``rtol``, "close" within ``close_rtol``, else how far off.

    The feedback says the direction and size of the error in percent, never the value.
    """

    def checker(answer) -> Feedback:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            return Feedback("wrong", f"expected a number; got {type(answer).__name__}.")
        value = float(answer)
        if not math.isfinite(value):
            return Feedback("wrong", f"your answer is {value}; the true value is finite.")
        error = (value - expected) / abs(expected) if expected else value
        if abs(error) <= rtol:
            return Feedback("correct", f"that's it{(' (' + unit + ')') if unit else ''}.")
        direction = "too high" if error > 0 else "too low"
        if abs(error) <= close_rtol:
            return Feedback("close", f"about {abs(error):.1%} {direction}: check your rounding or the log base.")
        if expected and value and (value / expected) > 0:
            ratio = value / expected
            if abs(ratio - round(ratio)) < 1e-3 * abs(ratio) and round(ratio) != 1:
                return Feedback("wrong", f"{direction} by a whole factor of {ratio:.0f}: did you forget to average or used another base?")
        return Feedback("wrong", f"{abs(error):.0%} {direction}.")

    return checker


def function_checker(reference: Callable, cases: list[tuple], *, rtol: float = 1e-6, atol: float = 1e-9, what: str = "value") -> Callable[[object], Feedback]:
    """A checker for a function the learner writes: it is called on each case and compared with ``reference``.

    Feedback counts the failing cases and names the first failing input, and
    says whether the learner's output was NaN or infinite (the usual sign of
    an unstable formula), but never prints the expected output.
    """
    import numpy as np

    def checker(answer) -> Feedback:
        if not callable(answer):
            return Feedback("wrong", f"expected a function; got {type(answer).__name__}.")
        failures = []
        for args in cases:
            with np.errstate(all="ignore"):  # an unstable answer is reported below, not as a warning
                got = np.asarray(answer(*args), dtype=float)
            want = np.asarray(reference(*args), dtype=float)
            if got.shape != want.shape:
                failures.append(f"shape {got.shape} instead of {want.shape} for input {_short(args)}")
            elif not np.isfinite(got).all() and np.isfinite(want).all():
                failures.append(f"NaN or inf for input {_short(args)}: an overflow or log(0)?")
            elif not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
                failures.append(f"wrong {what} for input {_short(args)}")
        if not failures:
            return Feedback("correct", f"all {len(cases)} test inputs pass.")
        passed = len(cases) - len(failures)
        status = "close" if passed else "wrong"
        return Feedback(status, f"{passed} of {len(cases)} test inputs pass; first problem: {failures[0]}.")

    return checker


def _short(args) -> str:
    text = ", ".join(repr(a.tolist() if hasattr(a, "tolist") else a) for a in args)
    return text if len(text) <= 60 else text[:57] + "..."
