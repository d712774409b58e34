"""Lesson calibration (notebook 05): its data, its overconfident network and the claims the notebook makes, its exercises.

The data are checked against SciPy's normal densities and
:func:`xentlib.datasets.two_gaussians`, and the training helper against
:class:`xentlib.models.TinyMLP` itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import xentlib as xl
from xentlib.calibration import temperature_scale, temperature_sweep
from xentlib.datasets import gaussian_splits, true_probability
from xentlib.lessons.calibration import exercises
from xentlib.lessons.calibration.experiments import overconfident_run, train_overconfident
from xentlib.models import TinyMLP

# ---------------------------------------------------------------- the notebook's data and model

def test_true_probability_is_bayes_rule_for_the_two_gaussians():
    x = np.linspace(-4, 4, 33)
    like1, like0 = stats.norm.pdf(x, 1.0, 1.0), stats.norm.pdf(x, -1.0, 1.0)
    assert_allclose(true_probability(x), like1 / (like0 + like1), rtol=1e-12)
    assert_allclose(true_probability(np.column_stack([x, -x])), true_probability(x))


def test_true_probabilities_are_calibrated_on_a_large_sample():
    X, y = xl.datasets.two_gaussians(200_000, dim=1, seed=4)
    assert xl.expected_calibration_error(true_probability(X), y) < 0.01


def test_gaussian_splits_cut_one_sample_in_order():
    data = gaussian_splits(10, 20, 30, seed=2)
    X, y = xl.datasets.two_gaussians(60, separation=2.0, dim=2, seed=2)
    assert_allclose(np.vstack([data.X_train, data.X_val, data.X_test]), X)
    assert np.array_equal(np.concatenate([data.y_train, data.y_val, data.y_test]), y)
    with pytest.raises(ValueError, match="n_val must be at least 2"):
        gaussian_splits(10, 1, 10)


def test_training_helper_replays_tinymlp_and_its_logits():
    data = gaussian_splits(30, 40, 50, seed=1)
    out = train_overconfident(data, hidden=5, steps=30, lr=1.0, every=10, seed=2)
    net = TinyMLP(2, 5, seed=2)
    history = net.fit(data.X_train, data.y_train, lr=1.0, steps=30)
    assert_allclose(out.run.loss, history.loss, rtol=1e-12)
    assert_allclose(out.test_logits[-1], net.logits(data.X_test), rtol=1e-12)
    assert_allclose(out.val_logits[-1], net.logits(data.X_val), rtol=1e-12)
    assert_allclose(out.run.network(0).logits(data.X_test), TinyMLP(2, 5, seed=2).logits(data.X_test), rtol=1e-12)


@pytest.fixture(scope="module")
def net():
    return overconfident_run()


def test_the_network_is_overconfident_on_held_out_data(net):
    data, z = net.data, net.test_logits[-1]
    bayes = xl.binary_cross_entropy(true_probability(data.X_test), data.y_test)
    assert net.run.loss[-1] < 0.2  # fits its 60 points well ...
    assert xl.binary_cross_entropy_with_logits(z, data.y_test) > 2 * bayes  # ... and new points badly
    assert xl.expected_calibration_error(xl.sigmoid(z), data.y_test) > 0.1
    curve = xl.reliability_curve(xl.sigmoid(z), data.y_test, n_bins=10)
    assert curve.accuracy[-1] < curve.confidence[-1] - 0.1 and curve.accuracy[0] > curve.confidence[0] + 0.05


def test_held_out_loss_first_falls_then_rises(net):
    losses = np.array([xl.binary_cross_entropy_with_logits(z, net.data.y_test) for z in net.test_logits])
    best = int(np.argmin(losses))
    assert 0 < best < len(losses) // 4 and losses[-1] > 2 * losses[best]
    assert np.abs(net.test_logits[-1]).mean() > 3 * np.abs(net.test_logits[best]).mean()  # the logits grew


def test_temperature_fitted_on_validation_repairs_the_test_set(net):
    data = net.data
    z_val, z_test = net.val_logits[-1], net.test_logits[-1]
    t = xl.fit_temperature(z_val, data.y_val)
    assert t > 2
    scaled = temperature_scale(z_test, t)
    assert xl.binary_cross_entropy(scaled, data.y_test) < 0.6 * xl.binary_cross_entropy_with_logits(z_test, data.y_test)
    assert xl.expected_calibration_error(scaled, data.y_test) < 0.5 * xl.expected_calibration_error(
        xl.sigmoid(z_test), data.y_test)
    assert np.array_equal(scaled > 0.5, z_test > 0)
    z_train = net.run.network(-1).logits(data.X_train)
    assert xl.fit_temperature(z_train, data.y_train) < 1  # on the training points it is not overconfident


def test_temperature_sweep_matches_its_parts_and_its_minimum_is_the_fit(net):
    z, y = net.val_logits[-1], net.data.y_val
    ts = np.logspace(-0.5, 1.2, 200)
    sweep = temperature_sweep(z, y, ts)
    assert_allclose(sweep.nll, [xl.temperature_nll(z, y, t) for t in ts], rtol=1e-12)
    assert sweep.ece[7] == pytest.approx(xl.expected_calibration_error(temperature_scale(z, ts[7]), y), rel=1e-12)
    assert ts[np.argmin(sweep.nll)] == pytest.approx(xl.fit_temperature(z, y), rel=0.02)
    with pytest.raises(ValueError, match="temperatures must be positive"):
        temperature_sweep(z, y, [1.0, -2.0])


# ---------------------------------------------------------------- exercises

def test_exercise_answers():
    assert exercises.check("05.excess_kl", 0.5108).correct
    assert not exercises.check("05.excess_kl", 1.2040).correct  # the expected loss, not the excess
    assert exercises.check("05.improper", 1.0).correct and exercises.check("05.improper", 1).correct
    assert exercises.check("05.improper", 0.7).status == "wrong"  # the honest answer is not best here
    assert exercises.check("05.market", 0.2231).correct
    assert not exercises.check("05.market", 0.5108).correct
    for key in ("05.excess_kl", "05.improper", "05.ece", "05.market"):
        assert exercises.check(key, None).status == "unanswered"


def _ece_by_hand(p, y, n_bins):
    bins = np.minimum(np.floor(p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in range(n_bins):
        here = bins == b
        if here.any():
            total += here.mean() * abs(y[here].mean() - p[here].mean())
    return total


def test_ece_exercise_accepts_a_correct_function_and_rejects_wrong_ones():
    assert exercises.check("05.ece", _ece_by_hand).correct
    unweighted = lambda p, y, n: np.mean([abs(y[(np.floor(p * n) == b)].mean() - p[(np.floor(p * n) == b)].mean())  # noqa: E731
                                          for b in range(n) if np.any(np.floor(p * n) == b)])
    feedback = exercises.check("05.ece", unweighted)
    assert not feedback.correct and "wrong ECE" in feedback.message
    assert exercises.check("05.ece", lambda p, y, n: 0.0).status in ("wrong", "close")


@pytest.mark.parametrize("key", ["05.excess_kl", "05.market"])
def test_numeric_feedback_does_not_leak_the_answer(key):
    feedback = exercises.check(key, 0.3)
    for digits in ("0.51", "0.22"):
        assert digits not in feedback.message
