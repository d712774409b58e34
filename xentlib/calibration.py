"""Calibration: do predicted probabilities match observed frequencies?

Two halves.  *Scoring rules* (:func:`expected_loss`, :func:`excess_loss`, the
prediction-market helpers): what a forecaster who believes the event has
probability ``p`` expects to pay for reporting ``q``, and why proper rules make
honesty the best policy.  *Measuring and fixing calibration*
(:func:`reliability_curve`, :func:`expected_calibration_error`,
:func:`fit_temperature`, :func:`temperature_scale`): how far a trained
model's probabilities are from the frequencies it is right with.

Compute only; :mod:`xentlib.drawing` draws.  The binning follows
``sklearn.calibration.calibration_curve(strategy="uniform")``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._numerics import xdivy, xlogy
from ._validation import (
    as_float_array,
    check_binary_labels,
    check_class_labels,
    check_distribution,
    check_finite,
    check_int,
    check_logits_2d,
    check_positive,
    check_probabilities,
    check_same_shape,
)
from .links import logit, logsumexp, sigmoid, softmax
from .losses import binary_cross_entropy_with_logits

__all__ = [
    "SCORING_RULES", "expected_loss", "expected_loss_grad", "excess_loss",
    "market_payoff", "expected_market_profit", "Tournament", "forecaster_tournament",
    "ReliabilityCurve", "reliability_curve", "expected_calibration_error",
    "fit_temperature", "temperature_nll", "temperature_scale", "TemperatureSweep", "temperature_sweep",
]


# --------------------------------------------------------------------------- scoring rules

#: The binary scoring rules :func:`expected_loss` knows, written as losses (lower is better).
SCORING_RULES = ("log", "brier", "zero-one", "absolute")


def _check_rule(rule) -> str:
    if rule not in SCORING_RULES:
        raise ValueError(f"rule must be one of {SCORING_RULES}; got {rule!r}. 'log' is cross-entropy.")
    return rule


def _report_and_truth(q, p, q_name="q", p_name="p"):
    """Reported and true probabilities of y = 1, as float64 arrays broadcast to one shape."""
    q = check_probabilities(as_float_array(q, q_name, dtype=np.float64), q_name,
                            f"{q_name} is a reported probability P(y = 1); for a logit z use sigmoid(z).")
    p = check_probabilities(as_float_array(p, p_name, dtype=np.float64), p_name,
                            f"{p_name} is a true probability P(y = 1), between 0 and 1.")
    try:
        return np.broadcast_arrays(q, p)
    except ValueError:
        raise ValueError(f"{q_name} and {p_name} must broadcast to one shape; got shapes {q.shape} and {p.shape}. "
                         "Pass one of them as a scalar, or both with the same shape.") from None


def _scalar_if_0d(a: np.ndarray):
    return a[()] if a.ndim == 0 else a


def expected_loss(q, p, *, rule: str = "log"):
    r"""Expected loss of reporting probability ``q`` for an event whose true probability is ``p``.

    A forecaster says "P(y = 1) = q"; then :math:`y \sim \mathrm{Bernoulli}(p)`
    happens and a scoring rule charges her.  Averaged over :math:`y`:

    .. math::

        \text{log (cross-entropy):}\quad & -p \ln q - (1 - p)\ln(1 - q) \;=\; H(p) + D_{\mathrm{KL}}(p\,\|\,q) \\
        \text{brier:}\quad & p\,(1 - q)^2 + (1 - p)\,q^2 \;=\; (q - p)^2 + p(1 - p) \\
        \text{zero-one:}\quad & 1 - p \text{ if } q > \tfrac12 \text{ (she predicts 1), else } p \\
        \text{absolute:}\quad & p\,(1 - q) + (1 - p)\,q

    A rule is *proper* when :math:`q = p` minimises the expected loss, and
    *strictly* proper when nothing else does.  Log and Brier are strictly
    proper; zero-one is proper but flat (any ``q`` on the right side of 1/2 is
    as good); absolute error is improper: it is linear in ``q``, so it is
    minimised at ``q = 0`` or ``q = 1`` and rewards overconfidence.

    Parameters
    ----------
    q : array_like of reported probabilities in [0, 1].
    p : array_like of true probabilities in [0, 1]; broadcasts against ``q``.
    rule : one of :data:`SCORING_RULES`. The Brier score is the binary one,
        :math:`(q - y)^2` (``sklearn.metrics.brier_score_loss``), not the
        two-class sum, which is twice as large.

    Returns
    -------
    ndarray of the broadcast shape (a NumPy scalar for scalar input), in nats
    for ``"log"``.  ``inf`` where ``q`` rules out an outcome that can happen.

    Examples
    --------
    >>> print(expected_loss(0.5, 0.5))                               # honest at the boundary: ln 2
    0.6931
    >>> print(expected_loss(0.99, 0.5))                              # overconfident: much worse
    2.3076
    >>> print(expected_loss([0.5, 0.99], 0.5, rule="brier"))
    [0.25   0.4901]
    >>> print(expected_loss([0.5, 0.99], 0.5, rule="zero-one"))      # 0-1 loss cannot tell them apart
    [0.5 0.5]
    """
    rule = _check_rule(rule)
    q, p = _report_and_truth(q, p)
    if rule == "log":
        out = 0.0 - (xlogy(p, q) + xlogy(1 - p, 1 - q))  # 0.0 - x: no negative zero
    elif rule == "brier":
        out = (q - p) ** 2 + p * (1 - p)
    elif rule == "zero-one":
        out = np.where(q > 0.5, 1 - p, p)
    else:
        out = p * (1 - q) + (1 - p) * q
    return _scalar_if_0d(out)


def expected_loss_grad(q, p, *, rule: str = "log"):
    r"""Derivative of :func:`expected_loss` with respect to the report ``q``.

    .. math::

        \text{log:}\quad \frac{\partial}{\partial q} = -\frac{p}{q} + \frac{1 - p}{1 - q} = \frac{q - p}{q(1 - q)},
        \qquad \text{brier:}\quad 2(q - p),
        \qquad \text{zero-one:}\quad 0,
        \qquad \text{absolute:}\quad 1 - 2p.

    For the two strictly proper rules the derivative is zero exactly at
    ``q = p``, negative below and positive above: moving the report towards
    the truth always lowers the expected loss.  For absolute error it does
    not depend on ``q`` at all, so the report runs to 0 or 1.  The zero-one
    derivative is zero wherever it exists: it says nothing about ``q``.
    The log derivative is :math:`\mp\infty` at ``q = 0`` or ``1`` when that
    report rules out a possible outcome.

    Examples
    --------
    >>> print(expected_loss_grad([0.3, 0.5, 0.9], 0.5))
    [-0.9524  0.      4.4444]
    >>> print(expected_loss_grad(0.9, 0.5, rule="brier"))
    0.8
    """
    rule = _check_rule(rule)
    q, p = _report_and_truth(q, p)
    if rule == "log":
        out = xdivy(1 - p, 1 - q) - xdivy(p, q)
    elif rule == "brier":
        out = 2 * (q - p)
    elif rule == "zero-one":
        out = np.zeros_like(q)
    else:
        out = 1 - 2 * p
    return _scalar_if_0d(out + 0.0)  # + 0.0: no negative zero


def excess_loss(q, p, *, rule: str = "log"):
    r"""How much more ``q`` is expected to cost than the best report: :math:`L(q, p) - \min_r L(r, p)`.

    For the log rule the best report is the truth and the excess is the KL
    divergence; for the Brier score it is the squared distance:

    .. math::

        L_{\log}(q, p) - L_{\log}(p, p) = D_{\mathrm{KL}}(p\,\|\,q)
            = p \ln\frac{p}{q} + (1 - p)\ln\frac{1 - p}{1 - q},
        \qquad L_{\mathrm{Brier}}(q, p) - L_{\mathrm{Brier}}(p, p) = (q - p)^2 .

    For zero-one and absolute error the best possible expected loss is
    :math:`\min(p, 1 - p)`; the absolute-error excess is zero at ``q = 0`` or
    ``1``, not at ``q = p``.

    Examples
    --------
    >>> print(excess_loss(0.9, 0.5))                  # KL(0.5 || 0.9)
    0.5108
    >>> print(excess_loss(0.9, 0.5, rule="brier"))
    0.16
    >>> print(excess_loss([0.7, 1.0], 0.7, rule="absolute"))   # honesty is not best here
    [0.12 0.  ]
    """
    rule = _check_rule(rule)
    q, p = _report_and_truth(q, p)
    if rule == "log":  # written as a divergence, not a difference of losses: no cancellation near q = p
        out = np.maximum(xlogy(p, p) - xlogy(p, q) + xlogy(1 - p, 1 - p) - xlogy(1 - p, 1 - q), 0.0)
    elif rule == "brier":
        out = (q - p) ** 2
    else:
        out = np.maximum(expected_loss(q, p, rule=rule) - np.minimum(p, 1 - p), 0.0)
    return _scalar_if_0d(np.asarray(out))


def market_payoff(report, price, outcome, *, liquidity: float = 1.0):
    r"""What a logarithmic market scoring rule pays a trader who moves the market from ``price`` to ``report``.

    In Hanson's log market (a prediction market run by an automated market
    maker) the current price is the market's probability of "yes".  A trader
    who moves it to ``report`` is paid, once the outcome is known, the
    *difference of log scores* of the new and the old probability:

    .. math::

        \text{payoff} = b\,\big[\ln r_y - \ln \pi_y\big] =
        \begin{cases} b \ln(r / \pi) & y = 1 \\ b \ln\big((1 - r)/(1 - \pi)\big) & y = 0 \end{cases}

    with :math:`r` = ``report``, :math:`\pi` = ``price`` and :math:`b` =
    ``liquidity`` (money per nat).  Traders are paid for the surprise they
    remove; a trader who leaves the price alone gets 0.

    Parameters
    ----------
    report : array_like in [0, 1], the probability of "yes" after the trade.
    price : array_like in (0, 1), the market's probability before it.
    outcome : array_like of 0/1, what happened.
    liquidity : float > 0, the market maker's scale :math:`b`.

    Examples
    --------
    >>> print(market_payoff(0.8, 0.5, [1, 0]))     # moved 0.5 -> 0.8: wins ln 1.6 or loses ln 2.5
    [ 0.47   -0.9163]
    """
    b = check_positive(liquidity, "liquidity", "It is the money paid per nat of log score, e.g. 1.0 or 100.")
    r, pi = _market_prices(report, price)
    y = as_float_array(outcome, "outcome", dtype=np.float64)
    if not np.isin(y, (0, 1)).all():
        bad = y[~np.isin(y, (0, 1))].ravel()[0].item()
        raise ValueError(f"outcome must be 1 (the event happened) or 0 (it did not); found {bad!r}. "
                         "For an expected payoff under a belief use expected_market_profit.")
    try:
        r, pi, y = np.broadcast_arrays(r, pi, y)
    except ValueError:
        raise ValueError(f"report, price and outcome must broadcast to one shape; got {r.shape}, {pi.shape} "
                         f"and {y.shape}.") from None
    with np.errstate(divide="ignore"):  # a report of 0 or 1 that turns out wrong costs infinitely much
        gain = np.where(y == 1, np.log(r) - np.log(pi), np.log1p(-r) - np.log1p(-pi))
    return _scalar_if_0d(b * gain + 0.0)


def _market_prices(report, price):
    r, pi = _report_and_truth(report, price, "report", "price")
    if np.any((pi <= 0) | (pi >= 1)):
        raise ValueError("price must lie strictly between 0 and 1: a log market never reaches certainty "
                         f"(that would cost infinitely much); got min={pi.min():.4g}, max={pi.max():.4g}.")
    return r, pi


def expected_market_profit(report, price, belief, *, liquidity: float = 1.0):
    r"""A trader's expected :func:`market_payoff` when she believes "yes" has probability ``belief``.

    .. math::

        \mathbb{E}_{y \sim \text{belief}}[\text{payoff}]
        = b\,\big[L_{\log}(\pi, p) - L_{\log}(r, p)\big]
        = b\,\big[D_{\mathrm{KL}}(p\,\|\,\pi) - D_{\mathrm{KL}}(p\,\|\,r)\big]

    with :math:`p` = ``belief``.  The first term does not depend on the
    report, and the second is smallest, zero, at :math:`r = p`: the trader
    maximises her expected profit by moving the price exactly to her own
    belief, and then expects to earn :math:`b\,D_{\mathrm{KL}}(p\,\|\,\pi)`,
    the information she adds.  Its derivative in ``report`` is
    :math:`-b` times :func:`expected_loss_grad` with ``rule="log"``.

    Examples
    --------
    >>> print(expected_market_profit([0.5, 0.7, 0.9], 0.5, 0.7))   # honest (0.7) earns most
    [ 0.      0.0823 -0.0714]
    """
    b = check_positive(liquidity, "liquidity", "It is the money paid per nat of log score, e.g. 1.0 or 100.")
    r, pi = _market_prices(report, price)
    r, p = _report_and_truth(r, belief, "report", "belief")
    return _scalar_if_0d(b * (excess_loss(pi, p) - excess_loss(r, p)) + 0.0)


class Tournament(NamedTuple):
    """Mean scores of forecasters who all know the true probabilities but report them at a temperature."""

    temperatures: np.ndarray
    log_loss: np.ndarray  # nats, lower is better
    brier: np.ndarray


def forecaster_tournament(temperatures, *, n_events: int = 20000, seed: int = 0) -> Tournament:
    r"""Score forecasters who know each event's true probability but *report* :math:`\sigma(\operatorname{logit}(p)/T)`.

    Each of ``n_events`` events has a true probability :math:`p \sim U(0.05, 0.95)`
    and happens with that probability.  Forecaster ``T`` reports every
    :math:`p` through a temperature: :math:`T = 1` is honest, :math:`T < 1`
    exaggerates (overconfident), :math:`T > 1` hedges.  All of them see the
    same events and outcomes, so differences are due to the reports alone.

    Returns
    -------
    Tournament(temperatures, log_loss, brier): mean cross-entropy (nats) and
    mean Brier score :math:`(q - y)^2` of each forecaster.

    Examples
    --------
    >>> t = forecaster_tournament([0.5, 1.0, 2.0], n_events=50000)
    >>> print(int(np.argmin(t.log_loss)), int(np.argmin(t.brier)))    # the honest forecaster wins both
    1 1
    """
    ts = as_float_array(temperatures, "temperatures", dtype=np.float64).reshape(-1)
    if not np.all(ts > 0) or not np.all(np.isfinite(ts)):
        raise ValueError(f"temperatures must be positive and finite; got min={ts.min():.4g}, max={ts.max():.4g}.")
    rng = np.random.default_rng(seed)
    n = check_int(n_events, "n_events", 1)
    p = rng.uniform(0.05, 0.95, size=n)
    y = (rng.random(n) < p).astype(np.float64)
    z = logit(p)
    log_loss = np.array([binary_cross_entropy_with_logits(z / t, y) for t in ts])
    brier = np.array([np.mean((sigmoid(z / t) - y) ** 2) for t in ts])
    return Tournament(ts, log_loss, brier)


class ReliabilityCurve(NamedTuple):
    """Per non-empty bin: mean predicted confidence, observed accuracy (or frequency), and count."""

    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray


def _confidence_and_outcome(probs, y):
    """(confidence, 0/1 outcome) pairs: P(y=1) vs y for 1-D input, top-label confidence vs correctness for 2-D."""
    p = as_float_array(probs, "probs")
    if p.ndim == 1:
        check_probabilities(p, "probs", "1-D probs are P(y = 1); did you pass logits? Apply sigmoid first.")
        outcome = check_binary_labels(as_float_array(y, "y", dtype=p.dtype))
        check_same_shape(p, outcome, "probs", "y")
        return p, outcome
    if p.ndim != 2:
        raise ValueError(f"probs must be 1-D (P(y = 1)) or 2-D (N, C) class probabilities; got shape {p.shape}.")
    check_distribution(p, "probs")
    labels = check_class_labels(y, p.shape[1])
    if labels.shape != (len(p),):
        raise ValueError(f"y must have one label per row of probs, shape ({len(p)},); got shape {labels.shape}.")
    return p.max(axis=1), (p.argmax(axis=1) == labels).astype(p.dtype)


def reliability_curve(probs, y, *, n_bins: int = 10) -> ReliabilityCurve:
    r"""Reliability diagram data: confidence against accuracy in ``n_bins`` equal-width bins.

    Parameters
    ----------
    probs : (N,) P(y = 1), or (N, C) rows of class probabilities.
    y : (N,) labels: 0/1 for 1-D ``probs``, class indices for 2-D.
    n_bins : int >= 1. Bins split [0, 1] evenly; empty bins are dropped.

    Returns
    -------
    ReliabilityCurve(confidence, accuracy, count). For 1-D input ``accuracy`` is
    the fraction of positives (as ``sklearn.calibration.calibration_curve``);
    for 2-D it is the accuracy of the top-label prediction.

    Examples
    --------
    >>> curve = reliability_curve([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 0], n_bins=2)
    >>> print(curve.confidence, curve.accuracy, curve.count)
    [0.15 0.85] [0.  0.5] [2 2]
    """
    n_bins = check_int(n_bins, "n_bins", 1)
    conf, outcome = _confidence_and_outcome(probs, y)
    return _binned_curve(conf, outcome, n_bins)


def _binned_curve(conf: np.ndarray, outcome: np.ndarray, n_bins: int) -> ReliabilityCurve:
    """:func:`reliability_curve` of validated (confidence, 0/1 outcome) pairs."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bin_of = np.searchsorted(edges[1:-1], conf)  # interior edges only: 0 and 1 land in the end bins
    count = np.bincount(bin_of, minlength=n_bins)
    keep = count > 0
    conf_sum = np.bincount(bin_of, weights=conf, minlength=n_bins)
    hits = np.bincount(bin_of, weights=outcome, minlength=n_bins)
    return ReliabilityCurve(conf_sum[keep] / count[keep], hits[keep] / count[keep], count[keep])


def expected_calibration_error(probs, y, *, n_bins: int = 15) -> float:
    r"""Expected calibration error: the count-weighted gap between confidence and accuracy.

    .. math:: \mathrm{ECE} = \sum_b \frac{n_b}{N}\, \big|\mathrm{acc}_b - \mathrm{conf}_b\big|

    Examples
    --------
    >>> print(expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1], n_bins=10))
    0.4
    """
    curve = reliability_curve(probs, y, n_bins=n_bins)
    if curve.count.sum() == 0:  # 0 / 0 otherwise
        raise ValueError("probs is empty, so the expected calibration error is undefined; pass at least one example.")
    return _curve_ece(curve)


def _curve_ece(curve: ReliabilityCurve) -> float:
    """The expected calibration error of a non-empty :class:`ReliabilityCurve`."""
    return float(np.sum(curve.count * np.abs(curve.accuracy - curve.confidence)) / curve.count.sum())


def _temperature_problem(logits, y):
    z = as_float_array(logits, "logits", dtype=np.float64)
    if z.ndim == 1:  # binary logits: softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)]
        labels = check_binary_labels(np.asarray(y)).astype(np.intp)
        z = np.stack([np.zeros_like(z), z], axis=1)
    else:
        labels = check_class_labels(y, z.shape[1] if z.ndim == 2 else None)
    z = check_logits_2d(z, "logits")
    if labels.shape != (len(z),):
        raise ValueError(f"y must have one label per row of logits, shape ({len(z)},); got shape {labels.shape}.")
    if len(z) == 0:
        raise ValueError("logits is empty; fitting a temperature needs at least one example.")
    return z, labels


def fit_temperature(logits, y, *, tol: float = 1e-10, max_iter: int = 100) -> float:
    r"""The temperature :math:`T > 0` that minimises the NLL of ``softmax(logits / T)`` (Guo et al., 2017).

    With :math:`\beta = 1/T` the NLL :math:`\tfrac1N\sum_i \operatorname{LSE}(\beta z_i) - \beta z_{i,y_i}`
    is convex, with derivative :math:`\tfrac1N\sum_i (\mathbb{E}_{p_\beta}[z_i] - z_{i,y_i})` and
    second derivative :math:`\tfrac1N\sum_i \operatorname{Var}_{p_\beta}[z_i] \ge 0`; the root of the
    derivative is found by Newton steps kept inside a shrinking bracket.

    Parameters
    ----------
    logits : (N, C) class logits, or (N,) binary logits (the positive class).
    y : (N,) integer labels (0/1 for binary logits).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 3, size=2000)
    >>> calibrated = rng.normal(size=(2000, 3)) + 2.0 * np.eye(3)[y]
    >>> print(round(fit_temperature(calibrated * 3.0, y) / fit_temperature(calibrated, y), 2))
    3.0
    """
    z, labels = _temperature_problem(logits, y)
    true_logit = z[np.arange(len(z)), labels]

    def slope(beta):  # dNLL/dbeta and d2NLL/dbeta2
        p = softmax(beta * z)
        mean_z = np.sum(p * z, axis=1)
        return np.mean(mean_z - true_logit), np.mean(np.sum(p * z * z, axis=1) - mean_z**2)

    lo, hi = 0.0, 1.0
    if slope(lo)[0] >= 0:
        raise ValueError(
            "logits rank the true class no higher than an average class, so no positive temperature "
            "improves on the uniform prediction; check that y matches the logits' class order."
        )
    # "<= 0", not "< 0": on separable logits the slope underflows to exactly 0 and would pass for an optimum.
    while slope(hi)[0] <= 0:  # NLL still falling: the optimum is at a larger beta
        lo, hi = hi, hi * 2
        if hi > 1e12:
            raise ValueError(
                "the NLL keeps falling as T -> 0: the logits separate the classes perfectly, "
                "so there is no finite best temperature. Fit it on held-out data."
            )
    beta = (lo + hi) / 2
    for _ in range(max_iter):
        d1, d2 = slope(beta)
        if abs(d1) < tol:
            break
        lo, hi = (beta, hi) if d1 < 0 else (lo, beta)
        if hi - lo < tol * hi:
            break
        newton = beta - d1 / d2 if d2 > 0 else -1.0
        beta = newton if lo < newton < hi else (lo + hi) / 2  # Newton, unless it leaves the bracket
    return 1.0 / beta


def temperature_nll(logits, y, temperature) -> float:
    """Mean negative log-likelihood of ``softmax(logits / temperature)``, the quantity :func:`fit_temperature` minimises."""
    z, labels = _temperature_problem(logits, y)
    t = np.asarray(temperature, dtype=np.float64)
    if np.any(~(t > 0)) or not np.all(np.isfinite(t)):
        raise ValueError(f"temperature must be positive and finite; got {temperature!r}.")
    true_logit = z[np.arange(len(z)), labels]
    beta = 1.0 / t.reshape(-1)
    nll = [np.mean(logsumexp(b * z) - b * true_logit) for b in beta]
    return float(nll[0]) if t.ndim == 0 else np.array(nll).reshape(t.shape)


def temperature_scale(logits, temperature):
    r"""Probabilities after temperature scaling: ``sigmoid(z / T)`` for binary logits, ``softmax(z / T)`` per row.

    .. math:: p_T = \sigma(z / T) \quad\text{or}\quad p_{T,c} = \frac{e^{z_c / T}}{\sum_j e^{z_j / T}}

    :math:`T > 1` pulls every probability towards the uniform one (less
    confident), :math:`T < 1` pushes it to the extremes.  Dividing by
    :math:`T > 0` never changes which class has the largest logit, so the
    predictions, and the accuracy, stay exactly the same.

    Parameters
    ----------
    logits : (N,) binary logits (the positive class) or (N, C) class logits.
    temperature : float > 0.

    Examples
    --------
    >>> print(temperature_scale([4.0, -1.0], 2.0))      # sigmoid(2), sigmoid(-0.5)
    [0.8808 0.3775]
    >>> print(temperature_scale([[2.0, 0.0]], 2.0))
    [[0.7311 0.2689]]
    """
    t = check_positive(temperature, "temperature", "T > 1 softens the probabilities, T < 1 sharpens them.")
    z = check_finite(as_float_array(logits, "logits"), "logits", "Logits are raw model scores, finite numbers.")
    if z.ndim == 1:
        return sigmoid(z / t)
    return softmax(check_logits_2d(z, "logits") / t)


class TemperatureSweep(NamedTuple):
    """NLL and ECE of temperature-scaled probabilities, one entry per temperature."""

    temperatures: np.ndarray
    nll: np.ndarray  # nats
    ece: np.ndarray


def temperature_sweep(logits, y, temperatures, *, n_bins: int = 15) -> TemperatureSweep:
    r"""Mean NLL and expected calibration error of :math:`\sigma(z / T)` for each temperature ``T``.

    .. math:: \mathrm{NLL}(T) = \frac1N \sum_i \ell\big(z_i / T,\; y_i\big),
              \qquad \mathrm{ECE}(T) = \sum_b \frac{n_b}{N}\,\big|\mathrm{freq}_b - \mathrm{conf}_b\big|

    Parameters
    ----------
    logits : (N,) binary logits;  y : (N,) 0/1 labels.
    temperatures : 1-d array_like of positive temperatures.
    n_bins : bins of the ECE (:func:`xentlib.expected_calibration_error`, on P(y = 1)).

    Examples
    --------
    >>> z = np.array([3.0, -2.0, 4.0, -1.0]); y = np.array([1, 0, 0, 1])
    >>> sweep = temperature_sweep(z, y, [1.0, 2.0])
    >>> print(sweep.nll)
    [1.3767 0.9039]
    """
    ts = as_float_array(temperatures, "temperatures", dtype=np.float64).reshape(-1)
    if not np.all(ts > 0) or not np.all(np.isfinite(ts)):
        raise ValueError("temperatures must be positive and finite; got " f"min={ts.min():.4g}, max={ts.max():.4g}.")
    nll = temperature_nll(logits, y, ts)  # validates logits and y, once: the loop below runs the kernels
    ece = np.array([])
    if len(ts):
        n_bins = check_int(n_bins, "n_bins", 1)
        z, labels = as_float_array(logits, "logits"), np.asarray(y)  # the dtype temperature_scale keeps
        ece = np.array([_curve_ece(_binned_curve(*_scaled_confidence(z, labels, float(t)), n_bins)) for t in ts])
    return TemperatureSweep(ts, np.asarray(nll, dtype=np.float64), ece)


def _scaled_confidence(z: np.ndarray, labels: np.ndarray, t: float):
    """(confidence, outcome) of ``temperature_scale(z, t)``, as :func:`reliability_curve` sees them."""
    if z.ndim == 1:
        p = sigmoid(z / t)
        return p, labels.astype(p.dtype)
    p = softmax(z / t)
    return p.max(axis=1), (p.argmax(axis=1) == labels).astype(p.dtype)
