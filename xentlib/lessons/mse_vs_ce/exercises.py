"""Exercises for notebook 03 (squared error vs cross-entropy)."""

from __future__ import annotations

import math
import numbers

from ...information import entropy
from ...losses import sigmoid_mse_loss_grad
from ...quiz import Feedback, ask, check, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))


def _with_slips(expected: float, slips: list[tuple[float, str]], *, unit: str = ""):
    """A numeric checker that recognises common wrong answers and names the mistake, never the value.

    ``slips`` pairs a wrong value with a message about the reasoning that
    produces it; any other answer is graded by :func:`numeric_checker`.
    """
    grade = numeric_checker(expected, unit=unit)

    def checker(answer) -> Feedback:
        if isinstance(answer, numbers.Real) and not isinstance(answer, bool) and math.isfinite(float(answer)):
            for value, message in slips:
                if math.isclose(float(answer), value, rel_tol=2e-3):
                    return Feedback("wrong", message)
        return grade(answer)

    return checker


_P = 0.99
_Z = math.log(_P / (1 - _P))
_MSE_GRAD = float(sigmoid_mse_loss_grad(_Z, 0.0))  # 2 (p - y) p (1 - p)

register(
    "03.mse_grad",
    "A model outputs p = 0.99 for an example whose label is y = 0. Using the squared error of this notebook, "
    "xl.sigmoid_mse_loss = (sigmoid(z) - y)^2 with NO 1/2 in front, what is the gradient dL/dz with respect to the logit?",
    "Chain rule: dL/dp = 2(p - y), and dp/dz = p(1 - p) for the sigmoid. Multiply.",
    _with_slips(_MSE_GRAD, [
        (_MSE_GRAD / 2, "that is the gradient of the textbook loss with a 1/2 in front; this one has none."),
        (_P - 0.0, "that is the cross-entropy gradient p - y. Squared error has an extra factor from the sigmoid."),
        ((_P - 0.0) ** 2, "that is the loss itself, not its gradient."),
        (-_MSE_GRAD, "right size, wrong sign: the prediction is too high, so the loss grows with z."),
    ]),
)

register(
    "03.smoothed_logit",
    "With label smoothing eps = 0.1 in xentlib's (and PyTorch's) two-class convention, y' = y(1 - eps) + eps/2, "
    "a positive example (y = 1) gets the target 0.95. Which logit z minimises its binary cross-entropy?",
    "The gradient sigmoid(z) - t is zero where sigmoid(z) = t, so z is the log-odds ln(t / (1 - t)).",
    _with_slips(math.log(19.0), [
        (0.95, "that is the probability at the optimum; the question asks for the logit z."),
        (math.log(9.0), "that is the optimum for target 0.9. Here the smoothing moves the target by eps/2 only."),
        (math.log10(19.0), "right idea, wrong logarithm: logits are natural logs."),
    ]),
)

register(
    "03.soft_floor",
    "Ten annotators label a photo: 7 say 'cat' and 3 say 'not cat', so its soft label is y = 0.7. "
    "What is the smallest binary cross-entropy any predicted probability p can reach on this example, in nats?",
    "The best prediction is p = y itself, and the loss there is the entropy of the label, -y ln y - (1 - y) ln(1 - y).",
    _with_slips(float(entropy([0.7, 0.3])), [
        (0.0, "with a soft label no prediction is free of loss: the label itself is uncertain."),
        (float(entropy([0.7, 0.3], base=2)), "right quantity, wrong unit: that is in bits."),
        (-math.log(0.7), "that counts only the 'cat' term; the soft label also puts weight 0.3 on 'not cat'."),
    ], unit="nats"),
)
