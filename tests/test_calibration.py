"""xentlib.calibration: scoring rules, prediction markets, temperature scaling, and the forecaster tournament.

Each function is checked by a route independent of its own code: scikit-learn's
losses with sample weights for expected losses, SciPy's optimiser for
properness, finite differences for gradients, and the KL divergence of
:mod:`xentlib.information` for excess losses.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special
from sklearn.metrics import brier_score_loss, log_loss, zero_one_loss

import xentlib as xl
from xentlib.calibration import (
    SCORING_RULES,
    excess_loss,
    expected_loss,
    expected_loss_grad,
    expected_market_profit,
    forecaster_tournament,
    market_payoff,
    temperature_scale,
)

PS = [0.0, 0.1, 0.5, 0.73, 1.0]
QS = [0.0, 0.02, 0.4, 0.5, 0.6, 0.97, 1.0]


def _two_outcomes(q):
    """Both outcomes y = 0 and y = 1 with the same report q: a two-example data set for sklearn."""
    return np.array([0, 1]), np.array([q, q])


# ---------------------------------------------------------------- expected losses against scikit-learn

@pytest.mark.parametrize("p", [0.1, 0.5, 0.73])
@pytest.mark.parametrize("q", [0.02, 0.4, 0.5, 0.6, 0.97])
def test_expected_losses_are_sklearn_losses_weighted_by_the_truth(p, q):
    y, reports = _two_outcomes(q)
    weights = [1 - p, p]  # outcome 0 happens with probability 1 - p
    assert expected_loss(q, p) == pytest.approx(log_loss(y, reports, sample_weight=weights, labels=[0, 1]), rel=1e-12)
    assert expected_loss(q, p, rule="brier") == pytest.approx(brier_score_loss(y, reports, sample_weight=weights),
                                                              rel=1e-12)
    predicted = (reports > 0.5).astype(int)
    assert expected_loss(q, p, rule="zero-one") == pytest.approx(zero_one_loss(y, predicted, sample_weight=weights),
                                                                 abs=1e-15)
    assert expected_loss(q, p, rule="absolute") == pytest.approx(np.average(np.abs(reports - y), weights=weights),
                                                                 rel=1e-12)


def test_expected_loss_worked_numbers_from_the_notebook():
    assert expected_loss(0.5, 0.5) == pytest.approx(math.log(2), rel=1e-15)
    assert expected_loss(0.99, 0.5) == pytest.approx(-0.5 * math.log(0.99) - 0.5 * math.log(0.01), rel=1e-14)
    assert_allclose(expected_loss([0.5, 0.51, 0.9, 0.99], 0.5, rule="zero-one"), 0.5)
    assert expected_loss(0.5, 0.5, rule="brier") == 0.25


def test_expected_loss_broadcasts_and_keeps_scalars_scalar():
    table = expected_loss(np.array(QS)[:, None], np.array(PS)[None, :], rule="brier")
    assert table.shape == (len(QS), len(PS))
    assert np.ndim(expected_loss(0.3, 0.6)) == 0


def test_log_rule_at_the_edges_is_exact_and_silent():
    assert expected_loss(0.0, 0.0) == 0.0 and expected_loss(1.0, 1.0) == 0.0
    assert math.isinf(expected_loss(0.0, 0.3)) and math.isinf(expected_loss(1.0, 0.3))
    assert math.isinf(excess_loss(1.0, 0.3))
    assert expected_loss_grad(0.0, 0.3) == -math.inf and expected_loss_grad(1.0, 0.3) == math.inf
    assert expected_loss_grad(0.0, 0.0) == pytest.approx(1.0)  # loss -ln(1 - q): slope 1 at q = 0


# ---------------------------------------------------------------- properness

@pytest.mark.parametrize("rule", ["log", "brier"])
@pytest.mark.parametrize("p", [0.03, 0.3, 0.5, 0.8])
def test_strictly_proper_rules_are_minimised_at_the_truth(rule, p):
    res = optimize.minimize_scalar(lambda q: float(expected_loss(q, p, rule=rule)), bounds=(1e-9, 1 - 1e-9),
                                   method="bounded", options={"xatol": 1e-10})
    assert res.x == pytest.approx(p, abs=1e-6)
    grid = np.linspace(0.001, 0.999, 999)
    others = grid[np.abs(grid - p) > 1e-3]
    assert np.all(expected_loss(others, p, rule=rule) > expected_loss(p, p, rule=rule))


def test_zero_one_is_flat_at_the_boundary_and_absolute_error_is_improper():
    grid = np.linspace(0, 1, 101)
    assert np.ptp(expected_loss(grid, 0.5, rule="zero-one")) == 0.0
    for p in (0.2, 0.7):
        losses = expected_loss(grid, p, rule="absolute")
        best = grid[np.argmin(losses)]
        assert best == (1.0 if p > 0.5 else 0.0)
        assert expected_loss(best, p, rule="absolute") < expected_loss(p, p, rule="absolute")
    assert excess_loss(0.7, 0.7, rule="absolute") == pytest.approx(0.12)


@pytest.mark.parametrize("p", PS)
def test_excess_log_loss_is_the_kl_divergence(p):
    q = np.array(QS)
    want = xl.kl_divergence(np.broadcast_to([p, 1 - p], (len(q), 2)), np.stack([q, 1 - q], axis=1))
    assert_allclose(excess_loss(q, p), want, rtol=1e-12, atol=1e-15)
    finite = np.isfinite(want)
    assert_allclose((expected_loss(q, p) - expected_loss(p, p))[finite], want[finite], rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("rule", SCORING_RULES)
def test_excess_is_nonnegative_and_zero_at_the_best_report(rule):
    q, p = np.meshgrid(np.linspace(0, 1, 41), np.linspace(0, 1, 41))
    excess = excess_loss(q, p, rule=rule)
    assert np.all(excess >= 0)
    best = expected_loss(q, p, rule=rule).min(axis=1)  # over reports, per true p
    assert_allclose(excess, expected_loss(q, p, rule=rule) - best[:, None], atol=1e-12)


def test_excess_brier_is_the_squared_distance():
    assert_allclose(excess_loss(np.array(QS), 0.3, rule="brier"), (np.array(QS) - 0.3) ** 2, rtol=1e-14)


# ---------------------------------------------------------------- gradients

@pytest.mark.parametrize("rule", SCORING_RULES)
@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9, 1.0])
def test_expected_loss_grad_matches_finite_differences(rule, p):
    for q in (0.05, 0.3, 0.62, 0.95):  # away from 1/2, where the zero-one loss jumps
        numeric = xl.numerical_grad(lambda v: float(expected_loss(v[0], p, rule=rule)), [q])[0]
        assert expected_loss_grad(q, p, rule=rule) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_log_gradient_is_the_familiar_closed_form():
    q = np.array([0.1, 0.5, 0.9])
    assert_allclose(expected_loss_grad(q, 0.3), (q - 0.3) / (q * (1 - q)), rtol=1e-14)
    assert expected_loss_grad(0.3, 0.3) == 0.0


# ---------------------------------------------------------------- prediction market

def test_market_payoff_is_the_change_in_log_score():
    assert_allclose(market_payoff(0.8, 0.5, [1, 0]), [math.log(1.6), math.log(0.4)], rtol=1e-14)
    assert_allclose(market_payoff(0.8, 0.5, [1, 0], liquidity=100.0), 100 * np.array([math.log(1.6), math.log(0.4)]))
    assert market_payoff(0.37, 0.37, 1) == 0.0
    assert market_payoff(0.0, 0.5, 1) == -math.inf and market_payoff(0.0, 0.5, 0) == pytest.approx(math.log(2))


def test_market_payments_telescope():
    prices = [0.5, 0.6, 0.45, 0.8, 0.3]
    for outcome in (0, 1):
        total = sum(market_payoff(new, old, outcome) for old, new in zip(prices[:-1], prices[1:]))
        assert total == pytest.approx(market_payoff(prices[-1], prices[0], outcome), rel=1e-12)


@pytest.mark.parametrize("belief, price", [(0.7, 0.5), (0.2, 0.6), (0.5, 0.5), (0.93, 0.07)])
def test_honest_report_maximises_expected_profit_and_earns_the_kl(belief, price):
    direct = lambda r: belief * market_payoff(r, price, 1) + (1 - belief) * market_payoff(r, price, 0)  # noqa: E731
    rs = np.linspace(0.01, 0.99, 99)
    assert_allclose(expected_market_profit(rs, price, belief), [direct(r) for r in rs], rtol=1e-12, atol=1e-15)
    res = optimize.minimize_scalar(lambda r: -float(expected_market_profit(r, price, belief)), bounds=(1e-6, 1 - 1e-6),
                                   method="bounded", options={"xatol": 1e-10})
    assert res.x == pytest.approx(belief, abs=1e-6)
    kl = xl.kl_divergence([belief, 1 - belief], [price, 1 - price])
    assert expected_market_profit(belief, price, belief) == pytest.approx(kl, rel=1e-12, abs=1e-15)


def test_expected_profit_gradient_is_minus_b_times_the_log_loss_gradient():
    for r in (0.2, 0.55, 0.9):
        numeric = xl.numerical_grad(lambda v: float(expected_market_profit(v[0], 0.4, 0.7, liquidity=3.0)), [r])[0]
        assert numeric == pytest.approx(-3.0 * expected_loss_grad(r, 0.7), rel=1e-6)


def test_exaggerating_loses_money_in_expectation():
    assert expected_market_profit(0.95, 0.5, 0.7) < 0 < expected_market_profit(0.7, 0.5, 0.7)


# ---------------------------------------------------------------- input errors

def test_scoring_rule_errors_name_the_argument():
    with pytest.raises(ValueError, match="rule must be one of"):
        expected_loss(0.5, 0.5, rule="hinge")
    with pytest.raises(ValueError, match="q must lie in"):
        expected_loss(1.5, 0.5)
    with pytest.raises(ValueError, match="p must lie in"):
        excess_loss(0.5, -0.1)
    with pytest.raises(ValueError, match="broadcast"):
        expected_loss_grad([0.1, 0.2], [0.3, 0.4, 0.5])
    with pytest.raises(TypeError, match="q must hold real numbers"):
        expected_loss("0.5", 0.5)


def test_market_errors_name_the_argument():
    with pytest.raises(ValueError, match="price must lie strictly between 0 and 1"):
        market_payoff(0.5, 1.0, 1)
    with pytest.raises(ValueError, match="outcome must be 1 .the event happened. or 0"):
        market_payoff(0.5, 0.4, 0.5)
    with pytest.raises(ValueError, match="liquidity must be a positive"):
        expected_market_profit(0.5, 0.4, 0.6, liquidity=0.0)
    with pytest.raises(ValueError, match="belief must lie in"):
        expected_market_profit(0.5, 0.4, 1.2)


# ---------------------------------------------------------------- temperature scaling

def test_temperature_scale_matches_scipy_and_keeps_every_prediction():
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3.0, size=(50, 4))
    for t in (0.3, 1.0, 4.0):
        p = temperature_scale(z, t)
        assert_allclose(p, special.softmax(z / t, axis=1), rtol=1e-12)
        assert np.array_equal(p.argmax(axis=1), z.argmax(axis=1))
    zb = z[:, 0]
    assert_allclose(temperature_scale(zb, 2.5), special.expit(zb / 2.5), rtol=1e-12)
    # the NLL fit_temperature minimises is the cross-entropy of these probabilities
    y = rng.integers(0, 4, size=50)
    assert xl.temperature_nll(z, y, 2.0) == pytest.approx(log_loss(y, temperature_scale(z, 2.0), labels=range(4)),
                                                          rel=1e-10)


def test_temperature_scale_rejects_bad_temperatures():
    with pytest.raises(ValueError, match="temperature must be a positive"):
        temperature_scale([1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match="logits must be finite"):
        temperature_scale([1.0, np.inf], 1.0)


# ---------------------------------------------------------------- the forecaster tournament

def test_the_honest_forecaster_wins_the_tournament():
    t = forecaster_tournament([0.5, 0.8, 1.0, 1.25, 2.0], n_events=50_000, seed=1)
    assert np.argmin(t.log_loss) == 2 and np.argmin(t.brier) == 2
    with pytest.raises(ValueError, match="temperatures must be positive"):
        forecaster_tournament([0.0])
