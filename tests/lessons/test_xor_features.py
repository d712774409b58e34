"""Lesson xor_features (notebook 04): its claims, experiments, figures and exercises.

Each claim the notebook makes is checked here by a route independent of the
code that draws it: scikit-learn's log loss, finite differences, a direct
optimiser, closed forms, and :class:`xentlib.models.TinyMLP` itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib.datasets import product_features, xor_data
from xentlib.landscape import linear_losses
from xentlib.lessons.xor_features import exercises
from xentlib.lessons.xor_features.exercises import FEATURE_LOSS_TARGET, feature_loss
from xentlib.lessons.xor_features.experiments import LN2
from xentlib.models import TinyMLP, train_mlp

CORNERS = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
CORNER_LABELS = np.array([0, 1, 1, 0])


@pytest.fixture(scope="module")
def data():
    return xor_data()


def _reference_loss(F, y, w, b):
    """Mean log loss of sigmoid(F w + b), by scikit-learn."""
    p = 1.0 / (1.0 + np.exp(-(F @ w + b)))
    return log_loss(y, p, labels=[0, 1])


# ---------------------------------------------------------------- the symmetry argument

def test_loss_is_even_in_w_on_the_mirrored_data(data):
    X, y = data
    rng = np.random.default_rng(1)
    for _ in range(5):
        w, b = rng.normal(scale=2.0, size=2), rng.normal()
        assert _reference_loss(X, y, w, b) == pytest.approx(_reference_loss(X, y, -w, b), rel=1e-12)


def test_gradient_vanishes_at_zero_and_the_minimum_is_ln2(data):
    X, y = data
    numeric = xl.numerical_grad(lambda t: float(linear_losses(X, y, t[:2], t[2])), np.zeros(3))
    assert np.abs(numeric).max() < 1e-9
    result = optimize.minimize(lambda t: _reference_loss(X, y, t[:2], t[2]), x0=[2.0, -1.5, 0.8], method="BFGS")
    assert result.fun == pytest.approx(LN2, abs=1e-9)
    assert np.abs(result.x).max() < 1e-3


def test_on_a_plain_sample_the_best_line_gains_only_noise():
    X, y = xl.datasets.xor(200, seed=0)
    result = optimize.minimize(lambda t: _reference_loss(X, y, t[:2], t[2]), x0=np.zeros(3), method="BFGS")
    assert LN2 - 0.01 < result.fun < LN2  # a sliver below ln 2 from fitting this sample's noise
    X_new, y_new = xl.datasets.xor(4000, seed=1)
    assert _reference_loss(X_new, y_new, result.x[:2], result.x[2]) > LN2 - 1e-3


# ---------------------------------------------------------------- the product feature

def test_product_feature_alone_separates_and_the_loss_falls_towards_zero(data):
    X, y = data
    prod = product_features(X)[:, 2:]
    assert np.array_equal(prod[:, 0] < 0, y == 1)
    losses = linear_losses(prod, y, -np.array([[1.0], [3.0], [10.0], [30.0]]))
    assert np.all(np.diff(losses) < 0) and losses[-1] < 1e-3
    assert linear_losses(prod, y, [3.0]) > LN2  # the wrong sign is worse than guessing


# ---------------------------------------------------------------- hidden units: the numbers the notebook quotes

def _one_unit_loss(params):
    """Mean loss of sigmoid(v tanh(w.x + c) + b) on the four noise-free corners."""
    w1, w2, c, v, b = params
    z = v * np.tanh(CORNERS @ [w1, w2] + c) + b
    return float(xl.binary_cross_entropy_with_logits(z, CORNER_LABELS))


def test_one_unit_cannot_beat_three_quarters_of_the_entropy_of_two_thirds():
    floor = 0.75 * (math.log(3) - 2 / 3 * math.log(2))  # (3/4) H(1/3): one corner certain, three pooled at 2/3
    assert floor == pytest.approx(0.75 * xl.entropy([1 / 3, 2 / 3]), rel=1e-12)
    rng = np.random.default_rng(7)
    best = min(optimize.minimize(_one_unit_loss, rng.normal(scale=2.0, size=5), method="BFGS").fun for _ in range(20))
    assert floor - 1e-9 < best < floor + 0.01
    k, m = 20.0, 30.0  # a hand-built unit: (-1,-1) on one side, the rest saturated on the other
    assert _one_unit_loss([k, k, k, (LN2 + m) / 2, (LN2 - m) / 2]) == pytest.approx(floor, abs=1e-6)


def test_two_units_can_drive_the_loss_to_zero():
    net = TinyMLP(2, 2)
    k = 20.0  # two parallel lines x1 + x2 = ±1 bound the band where the signs differ
    net.W, net.c = np.array([[k, k], [k, k]]), np.array([k, -k])
    net.v, net.b = np.array([k, -k]), -k
    assert net.accuracy(CORNERS, CORNER_LABELS) == 1.0
    assert net.loss(CORNERS, CORNER_LABELS) < 1e-6


@pytest.mark.parametrize("hidden, solved", [(1, False), (2, True), (3, True), (4, True)])
def test_the_cached_runs_behave_as_the_notebook_says(data, hidden, solved):
    X, y = data
    run = train_mlp(X, y, hidden=hidden, seed=3)
    if solved:
        assert run.accuracy[-1] == 1.0 and run.loss[-1] < 0.01
    else:
        assert run.accuracy[-1] <= 0.75 and run.loss[-1] > 0.75 * xl.entropy([1 / 3, 2 / 3])


# ---------------------------------------------------------------- exercises

@pytest.mark.parametrize("f", [lambda a, b: a * b, lambda a, b: -5 * a * b, lambda a, b: np.abs(a - b)])
def test_separating_features_are_accepted(f):
    assert exercises.check("04.feature", f).correct


@pytest.mark.parametrize("f, status", [(lambda a, b: a + b, "wrong"), (lambda a, b: a, "wrong"),
                                       (lambda a, b: np.ones_like(a), "wrong"), (lambda a, b: 2.0, "wrong"),
                                       (lambda a, b: a / 0, "wrong")])
def test_useless_features_are_rejected_without_naming_the_answer(f, status):
    feedback = exercises.check("04.feature", f)
    assert feedback.status == status
    for leak in ("x1*x2", "x1 * x2", "product"):
        assert leak not in feedback.message


def test_feature_loss_is_scale_free():
    assert feature_loss(lambda a, b: a * b)[0] == pytest.approx(feature_loss(lambda a, b: 1e3 * a * b)[0], rel=1e-9)
    assert feature_loss(lambda a, b: a * b)[0] < FEATURE_LOSS_TARGET


def test_the_other_exercises():
    assert exercises.check("04.guess_bits", 1.0).correct
    assert not exercises.check("04.guess_bits", LN2).correct  # nats, not bits
    assert exercises.check("04.hidden_units", 2).correct
    for wrong in (1, 3, 4, 2.5, -2):
        feedback = exercises.check("04.hidden_units", wrong)
        assert feedback.status == "wrong" and "2" not in feedback.message.replace(str(wrong), "")


def test_hidden_space_draws_the_two_unit_network_only():
    from xentlib.lessons.xor_features.figures import hidden_space

    figure = hidden_space()
    assert figure.png.startswith(b"\x89PNG") and "hidden" in figure.title
    with pytest.raises(ValueError, match="hidden=2"):
        hidden_space(3)
