"""Exercises for notebook 05 (proper scoring rules, calibration, temperature scaling, prediction markets)."""

from __future__ import annotations

import numpy as np

from ...calibration import excess_loss, expected_calibration_error, expected_market_profit
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (ask, check, hint)

register(
    "05.excess_kl",
    "On the boundary between the two classes the true probability of class 1 is p = 0.5, but a model reports "
    "q = 0.9 there. How many nats of expected cross-entropy per example does it lose compared with the honest "
    "report q = 0.5?",
    "The extra expected cross-entropy of reporting q when the truth is p is the KL divergence "
    "KL(p || q) = p ln(p / q) + (1 - p) ln((1 - p) / (1 - q)).",
    numeric_checker(float(excess_loss(0.9, 0.5)), unit="nats"),
)

register(
    "05.improper",
    "Suppose forecasts were scored by the absolute error |q - y| instead of a proper rule. The true probability of "
    "the event is p = 0.7. Which report q in [0, 1] has the smallest expected absolute error?",
    "Write the expected absolute error as p (1 - q) + (1 - p) q. It is a straight line in q: which way does it "
    "slope when p = 0.7, and where on [0, 1] is a straight line lowest?",
    numeric_checker(1.0),
)


def _ece_cases() -> list[tuple]:
    """Random probabilities and labels (never exactly on a bin edge), with a few bin counts."""
    rng = np.random.default_rng(5)
    cases = []
    for n, bins in ((40, 5), (200, 10), (500, 15)):
        p = rng.random(n)
        y = (rng.random(n) < p**0.6).astype(int)  # miscalibrated on purpose: the ECE is not ~0
        cases.append((p, y, bins))
    cases.append((np.array([0.05, 0.12, 0.33, 0.36, 0.97]), np.array([0, 1, 0, 1, 1]), 4))  # some bins empty
    return cases


register(
    "05.ece",
    "Write ece(p, y, n_bins) for binary predictions: p holds P(y = 1) for each example, y the 0/1 labels. Cut "
    "[0, 1] into n_bins equal-width bins, and return the expected calibration error: the sum over non-empty bins of "
    "(share of examples in the bin) * |fraction of y = 1 in the bin - mean p in the bin|.",
    "np.floor(p * n_bins) gives each example's bin (clip it to n_bins - 1 for p = 1). Then loop over the bins, "
    "skip the empty ones, and add (count / N) * abs(y[in_bin].mean() - p[in_bin].mean()).",
    function_checker(lambda p, y, n_bins: expected_calibration_error(p, y, n_bins=n_bins), _ece_cases(),
                     rtol=1e-9, atol=1e-12, what="ECE"),
    placeholder="ece = None",
)

register(
    "05.market",
    "A logarithmic prediction market (liquidity b = 1) prices 'rain tomorrow' at 0.2. You believe the chance is 0.5, "
    "and you move the price to exactly your belief. How much do you expect to earn, in money units, by your own "
    "belief?",
    "Your expected profit is b [KL(belief || old price) - KL(belief || new price)], and the second term vanishes "
    "when the new price is your belief.",
    numeric_checker(float(expected_market_profit(0.5, 0.2, 0.5)), unit="money units"),
)
