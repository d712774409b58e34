"""Exercises for notebook 02 (gradients of cross-entropy, SGD, numerical stability)."""

import math
import numbers

import numpy as np

from ...links import log_softmax, sigmoid
from ...quiz import Feedback, ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "02.init_loss",
    "A freshly initialised 10-class classifier outputs all-zero logits. "
    "What cross-entropy loss (in nats) does it have on every example, whatever the label?",
    "Zero logits give softmax probabilities that are all equal. The loss is the surprise -ln p of the true class.",
    numeric_checker(math.log(10.0), unit="nats"),
)


def _true_logit_checker():
    inner = numeric_checker(-0.2)

    def checker(answer) -> Feedback:
        feedback = inner(answer)
        if feedback.status == "wrong" and isinstance(answer, numbers.Real) and not isinstance(answer, bool) and answer > 0:
            return Feedback("wrong", "the sign is off: should gradient descent raise or lower the true logit, "
                                     "and does it move with the gradient or against it?")
        return feedback

    return checker


register(
    "02.true_logit",
    "A softmax classifier gives the true class probability p_true = 0.8. "
    "What is the gradient of the cross-entropy loss with respect to the true class's logit?",
    "The gradient is p - onehot: for the true class the one-hot entry is 1.",
    _true_logit_checker(),
)


_SGD_X, _SGD_Y, _SGD_W, _SGD_LR = np.array([2.0, -1.0]), 0, np.array([0.5, 0.5]), 0.5
_SGD_EXPECTED = _SGD_W - _SGD_LR * (float(sigmoid(_SGD_W @ _SGD_X)) - _SGD_Y) * _SGD_X


def _sgd_checker(answer) -> Feedback:
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback("wrong", f"expected two numbers, e.g. a list [w1, w2]; got {type(answer).__name__}.")
    if got.shape != (2,):
        return Feedback("wrong", f"expected two numbers [w1, w2]; got shape {got.shape}.")
    if not np.isfinite(got).all():
        return Feedback("wrong", "your answer has a NaN or an infinity; the new weights are finite.")
    if np.allclose(got, _SGD_EXPECTED, rtol=1e-3, atol=1e-3):
        return Feedback("correct", "that's the update w - lr (p - y) x.")
    step, yours = _SGD_EXPECTED - _SGD_W, got - _SGD_W
    if np.allclose(yours, -step, rtol=1e-3, atol=1e-3):
        return Feedback("wrong", "you moved the weights the wrong way: gradient descent subtracts lr * gradient.")
    if np.allclose(got, _SGD_EXPECTED, rtol=0.05, atol=0.02):
        return Feedback("close", "nearly: compute p with more digits before the update.")
    wrong = [f"w{i + 1}" for i in range(2) if not math.isclose(got[i], _SGD_EXPECTED[i], rel_tol=1e-3, abs_tol=1e-3)]
    return Feedback("wrong", f"{' and '.join(wrong)} not right yet: start from z = w . x + b and p = sigmoid(z).")


register(
    "02.sgd_step",
    "Logistic regression with w = [0.5, 0.5] and b = 0 sees the example x = [2, -1] with label y = 0. "
    "With learning rate 0.5, what are the two weights after one SGD step? Answer as a list [w1, w2].",
    "First z = w . x + b, then p = sigmoid(z) (use xl.sigmoid), then w - lr * (p - y) * x.",
    _sgd_checker,
)


def _reference_log_softmax(z):
    return log_softmax(np.asarray(z, dtype=float))


register(
    "02.log_softmax",
    "Write my_log_softmax(z) for one vector of logits, using only numpy (np.exp, np.log, np.max, np.sum). "
    "It must stay finite at logits like [1000, 0, -1000], where np.log(softmax(z)) gives -inf.",
    "log softmax(z)_k = z_k - log(sum_j exp(z_j)). Subtract m = max(z) inside the exponent and add it back outside the log.",
    function_checker(
        _reference_log_softmax,
        [
            (np.array([1.0, 2.0, 3.0]),),
            (np.array([0.0, 0.0, 0.0, 0.0]),),
            (np.array([1000.0, 0.0, -1000.0]),),
            (np.array([-1000.0, -1000.0]),),
            (np.array([5.0]),),
        ],
        what="log-probabilities",
    ),
    placeholder="my_log_softmax = None",
)
