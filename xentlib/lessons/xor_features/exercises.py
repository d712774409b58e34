"""Exercises for notebook 04 (XOR, features, and a network that learns its own)."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ...datasets import xor_data
from ...models import LogisticRegression
from ...quiz import Feedback, ask, check, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))
from .experiments import LN2

register(
    "04.guess_bits",
    "A model predicts p = 0.5 for every example of a balanced binary problem (half the labels are 1). "
    "What is its mean cross-entropy in bits?",
    "Every example, whatever its label, gets probability 0.5 for the outcome that happened. "
    "Its surprise is -log2(0.5).",
    numeric_checker(1.0, unit="bits"),
)

#: The loss a linear model on [x1, x2, f(x1, x2)] must reach for f to count as a separating feature.
FEATURE_LOSS_TARGET = 0.1


def feature_loss(f, *, steps: int = 400, lr: float = 1.0):
    r"""Train logistic regression on :math:`[x_1, x_2, f(x_1, x_2)]` for the XOR data; return (loss, accuracy).

    The three columns are standardised first (zero mean, unit variance), so the
    verdict does not depend on the feature's scale, only on its shape.

    Raises ``ValueError`` with a learner-readable message if ``f`` does not
    return one finite, non-constant number per point.
    """
    X, y = xor_data()
    with np.errstate(all="ignore"):  # a broken feature is reported below, not as a warning
        values = np.asarray(f(X[:, 0].copy(), X[:, 1].copy()), dtype=float)
    if values.shape != (len(X),):
        raise ValueError(f"f(x1, x2) must return one number per point, shape ({len(X)},), "
                         f"when x1 and x2 are arrays; it returned shape {values.shape}.")
    if not np.isfinite(values).all():
        raise ValueError("f(x1, x2) returned NaN or infinite values for some points.")
    if np.std(values) < 1e-9 * max(1.0, float(np.abs(values).max())):
        raise ValueError("f(x1, x2) is the same number for every point: a constant carries no information.")
    F = np.column_stack([X, values])
    F = (F - F.mean(axis=0)) / F.std(axis=0)
    model = LogisticRegression(3)
    history = model.fit(F, y, lr=lr, steps=steps)
    return float(history.loss[-1]), float(history.accuracy[-1])


def _check_feature(answer) -> Feedback:
    if not callable(answer):
        return Feedback("wrong", f"expected a function f(x1, x2); got {type(answer).__name__}.")
    try:
        loss, accuracy = feature_loss(answer)
    except ValueError as err:
        return Feedback("wrong", str(err))
    result = f"logistic regression on [x1, x2, f] reaches loss {loss:.3f} nats, accuracy {accuracy:.0%}"
    if loss < FEATURE_LOSS_TARGET:
        return Feedback("correct", result + ": with your feature, XOR is linearly separable.")
    if loss < LN2 - 0.05:
        return Feedback("close", result + f". Better than guessing (ln 2 = {LN2:.3f}), but not separable yet "
                        f"(target: below {FEATURE_LOSS_TARGET}). Look for a feature whose sign alone tells the class.")
    return Feedback("wrong", result + f": no better than guessing (ln 2 = {LN2:.3f}). "
                    "The feature must take different values on the two diagonals.")


register(
    "04.feature",
    "Write f(x1, x2) returning one new feature per point (x1, x2 are NumPy arrays) such that logistic "
    f"regression on [x1, x2, f(x1, x2)] reaches a loss below {FEATURE_LOSS_TARGET} nats on the XOR data.",
    "Label 1 means the signs of x1 and x2 differ. Which simple arithmetic combination of x1 and x2 "
    "is negative exactly when the signs differ?",
    _check_feature,
    placeholder="f = None",
)


def _count_checker(expected: int, *, what: str):
    """A checker for a whole number: says too few / too many, never the number itself."""

    def checker(answer) -> Feedback:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real) or not math.isfinite(float(answer)):
            return Feedback("wrong", f"expected a whole number of {what}; got {answer!r:.40}.")
        if float(answer) != round(float(answer)):
            return Feedback("wrong", f"a number of {what} is a whole number; got {answer}.")
        count = int(round(float(answer)))
        if count < 0:
            return Feedback("wrong", f"a number of {what} cannot be negative; got {count}.")
        if count == expected:
            return Feedback("correct", f"that's the smallest number of {what} that solves XOR.")
        if count < expected:
            return Feedback("wrong", f"too few {what}: with that many, which decision boundaries can the network draw? "
                            "Try the hidden-units control of the training figure.")
        return Feedback("wrong", f"that many {what} do solve XOR, but fewer already suffice. "
                        "Try the hidden-units control of the training figure.")

    return checker


register(
    "04.hidden_units",
    "What is the smallest number of tanh hidden units with which the tiny network "
    "p = sigmoid(v . tanh(W x + c) + b) can classify all four XOR corners correctly?",
    "Each hidden unit contributes one line through the plane. How many lines do you need to put the two "
    "'signs differ' corners on one side and the two 'signs agree' corners on the other?",
    _count_checker(2, what="hidden units"),
)
