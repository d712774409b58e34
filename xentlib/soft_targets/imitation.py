r"""Behavioural cloning: a policy imitates an expert with a small per-step cross-entropy, yet its mistakes compound.

:func:`error_probability` turns a per-step cross-entropy into a mistake
probability, :func:`compounding_bounds` gives the :math:`O(\varepsilon H)`
and :math:`O(\varepsilon H^2)` costs over a horizon, and the lane-keeping
chain (:func:`lane_keeping_transitions`, :func:`lane_keeping_exact`,
:func:`simulate_lane_keeping`) shows them.  NumPy only.
"""

from __future__ import annotations

import math  # noqa: F401 (the doctests)
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_in_range, check_int, check_probabilities

__all__ = [
    "POLICIES", "error_probability", "CompoundingBounds", "compounding_bounds", "lane_keeping_transitions", "LaneKeeping", "lane_keeping_exact", "simulate_lane_keeping",
]


#: Lane-keeping policies: what a cloned policy does once it is *off* the centre line.
POLICIES = {
    "cloned": "acts as it learnt to at the centre: mostly straight on, so it never steers back",
    "recovering": "was also shown how to recover (as DAgger would teach it): steers back towards the centre",
    "worst case": "once off the centre it always steers further away: every mistake is permanent",
}


def error_probability(cross_entropy):
    r"""Per-step mistake probability of a policy with per-step cross-entropy :math:`\ell` on the expert's actions.

    .. math:: \varepsilon = 1 - e^{-\ell}

    exactly, when the policy gives the expert's action the same probability
    :math:`1-\varepsilon` in every state (then :math:`\ell = -\ln(1-\varepsilon)`);
    and as an upper bound in general, by Jensen's inequality
    (:math:`\mathbb E[-\ln q] \ge -\ln \mathbb E[q]`), for the chance that a
    sampled action differs from the expert's.  For small :math:`\ell`,
    :math:`\varepsilon \approx \ell`.

    Examples
    --------
    >>> print(error_probability([0.01, 0.1, math.log(2)]).round(5))
    [0.00995 0.09516 0.5    ]
    """
    ce = as_float_array(cross_entropy, "cross_entropy", dtype=np.float64)
    if np.isnan(ce).any() or (ce.size and ce.min() < 0):
        raise ValueError("cross_entropy must be >= 0 (nats per step); got a negative value or NaN.")
    eps = -np.expm1(-ce)
    return float(eps) if eps.ndim == 0 else eps


class CompoundingBounds(NamedTuple):
    r"""Expected number of off-course steps over a horizon :math:`H` at per-step error :math:`\varepsilon`."""

    linear: np.ndarray  # eps * H: mistakes that are corrected at once (the O(eps H) bound)
    quadratic: np.ndarray  # eps * H (H + 1) / 2: the O(eps H^2) bound of behavioural cloning
    worst_case: np.ndarray  # sum_{t=1}^H [1 - (1 - eps)^t]: exact when a mistake is never undone


def compounding_bounds(epsilon, horizon) -> CompoundingBounds:
    r"""How per-step mistakes add up over a horizon: the :math:`O(\varepsilon H)` and :math:`O(\varepsilon H^2)` bounds.

    Count a cost of 1 for every step :math:`t = 1, \dots, H` spent off the
    expert's course.  If each mistake is corrected on the next step, the
    expected cost is at most :math:`\varepsilon H`.  If a mistake is never
    undone (the learner has never seen how to get back), step :math:`t` is
    off course as soon as any of the first :math:`t` steps went wrong:

    .. math:: \mathbb E[\text{cost}] = \sum_{t=1}^{H}\big[1 - (1-\varepsilon)^t\big]
              = H - \frac{(1-\varepsilon)\big(1 - (1-\varepsilon)^H\big)}{\varepsilon}
              \;\le\; \sum_{t=1}^{H}\varepsilon t = \frac{\varepsilon H (H+1)}{2},

    quadratic in the horizon (Ross & Bagnell, 2010: behavioural cloning's
    cost is :math:`O(\varepsilon H^2)` where a learner that sees its own
    mistakes, as in DAgger, gets :math:`O(\varepsilon H)`).

    Parameters
    ----------
    epsilon : float or array_like in [0, 1], the per-step mistake probability.
    horizon : int or array_like of ints >= 0.  Broadcast against each other.

    Examples
    --------
    >>> b = compounding_bounds(0.01, 100)
    >>> print(round(float(b.linear), 3), round(float(b.quadratic), 3), round(float(b.worst_case), 3))
    1.0 50.5 37.237
    """
    eps = check_probabilities(as_float_array(epsilon, "epsilon", dtype=np.float64), "epsilon",
                              "It is a probability per step; error_probability(ce) turns a cross-entropy into one.")
    h = np.asarray(horizon)
    if h.dtype.kind not in "iu" or (h.size and h.min() < 0):
        raise ValueError(f"horizon must be whole numbers of steps >= 0; got {horizon!r}.")
    eps, h = np.broadcast_arrays(eps, h.astype(np.float64))
    keep = 1 - eps
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.where(eps > 0, keep * (1 - keep**h) / np.where(eps > 0, eps, 1), h)  # sum_{t=1}^H keep^t
    return CompoundingBounds(eps * h, eps * h * (h + 1) / 2, h - geometric)


def _check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {sorted(POLICIES)}; got {policy!r}.")
    return policy


def lane_keeping_transitions(epsilon: float, *, half_width: int = 3, policy: str = "cloned") -> np.ndarray:
    r"""The lane-keeping Markov chain: a car's lateral offset, one cell per step, under a cloned policy.

    States are the offsets :math:`s = -W, \dots, W` (index ``s + W``) and a
    last, absorbing state "off the road" (:math:`|s| > W`).  Actions move
    the car one cell left, keep it, or move it one cell right.  The expert
    always steers towards the centre, so its demonstrations only ever show
    :math:`s = 0` and "straight on".  The learner's policy:

    * at the centre: straight on with probability :math:`1-\varepsilon`,
      one cell left or right with :math:`\varepsilon/2` each;
    * off the centre, by ``policy`` (see :data:`POLICIES`): ``"cloned"``
      behaves as at the centre; ``"recovering"`` steers back with
      :math:`1-\varepsilon`, else straight or away (:math:`\varepsilon/2`
      each); ``"worst case"`` always steers away.

    Returns
    -------
    P : ndarray (2W + 2, 2W + 2), row-stochastic: ``P[a, b]`` = P(next state b | state a).

    Examples
    --------
    >>> P = lane_keeping_transitions(0.1, half_width=1)
    >>> print(P.round(2))                     # states -1, 0, +1, off the road
    [[0.9  0.05 0.   0.05]
     [0.05 0.9  0.05 0.  ]
     [0.   0.05 0.9  0.05]
     [0.   0.   0.   1.  ]]
    """
    eps = check_in_range(epsilon, "epsilon", 0.0, 1.0, "It is the per-step mistake probability; error_probability(ce) gives it.")
    w = check_int(half_width, "half_width", 1)
    policy = _check_policy(policy)
    n = 2 * w + 1
    off = n  # index of the absorbing off-road state
    P = np.zeros((n + 1, n + 1))
    P[off, off] = 1.0
    for i in range(n):
        s = i - w
        if s == 0 or policy == "cloned":
            moves = {-1: eps / 2, 0: 1 - eps, +1: eps / 2}
        elif policy == "recovering":
            toward = -int(np.sign(s))
            moves = {toward: 1 - eps, 0: eps / 2, -toward: eps / 2}
        else:  # worst case: always further out
            moves = {int(np.sign(s)): 1.0}
        for move, prob in moves.items():
            j = i + move
            P[i, j if 0 <= j < n else off] += prob
    return P


class LaneKeeping(NamedTuple):
    r"""Exact expectations for the lane-keeping chain at steps :math:`t = 0, \dots, H`."""

    off_centre: np.ndarray  # (H+1,) P(s_t != 0), off the road included
    off_road: np.ndarray  # (H+1,) P(|s_t| > W): crashed by step t
    mean_abs_offset: np.ndarray  # (H+1,) E|s_t|, counting off the road as W + 1
    cost: np.ndarray  # (H+1,) expected off-centre steps among 1..t (cumulative)


def lane_keeping_exact(epsilon: float, horizon: int, *, half_width: int = 3, policy: str = "cloned") -> LaneKeeping:
    r"""Exact state probabilities of the lane-keeping chain, started at the centre, by propagating the distribution.

    :math:`\pi_{t+1} = \pi_t P` with :math:`P` from
    :func:`lane_keeping_transitions`, :math:`\pi_0 = e_{\text{centre}}`.
    No sampling noise: these are the curves :func:`simulate_lane_keeping`
    estimates.

    Examples
    --------
    >>> run = lane_keeping_exact(0.01, 100, policy="worst case", half_width=200)
    >>> print(round(float(run.cost[-1]), 3))          # = compounding_bounds(0.01, 100).worst_case
    37.237
    """
    horizon = check_int(horizon, "horizon", 0)
    P = lane_keeping_transitions(epsilon, half_width=half_width, policy=policy)
    w = int(half_width)
    pi = np.zeros(len(P))
    pi[w] = 1.0
    history = np.empty((horizon + 1, len(P)))
    history[0] = pi
    for t in range(1, horizon + 1):
        pi = pi @ P
        history[t] = pi
    offsets = np.append(np.abs(np.arange(-w, w + 1)), w + 1)
    off_centre = 1 - history[:, w]
    cost = np.concatenate([[0.0], np.cumsum(off_centre[1:])])
    return LaneKeeping(off_centre, history[:, -1], history @ offsets, cost)


def simulate_lane_keeping(epsilon, horizon: int, n_episodes: int, *, half_width: int = 3,
                          policy: str = "cloned", seed: int = 0) -> np.ndarray:
    r"""Sample lane-keeping episodes: the car's offset at steps :math:`0, \dots, H`.

    Each episode starts at the centre and follows the chain of
    :func:`lane_keeping_transitions`.  An episode that leaves the road stays
    at offset :math:`\pm(W + 1)` from then on.  One uniform number :math:`u`
    per step and episode decides the action: :math:`u < \varepsilon/2` and
    :math:`\varepsilon/2 \le u < \varepsilon` are the two kinds of mistake.
    The numbers come from ``seed`` and do not depend on ``epsilon``, so for an
    array of ``epsilon`` values every episode is simulated with the same
    random numbers (common random numbers): episodes change smoothly as
    :math:`\varepsilon` moves.

    Parameters
    ----------
    epsilon : float in [0, 1], or array_like (E,) of them.
    horizon : int >= 0.  n_episodes : int >= 1.  half_width : int >= 1.
    policy : a key of :data:`POLICIES`.  seed : int.

    Returns
    -------
    ndarray (n_episodes, H + 1) int, or (E, n_episodes, H + 1) for an array
    ``epsilon``: offsets, :math:`\pm(W+1)` meaning off the road.

    Examples
    --------
    >>> print(simulate_lane_keeping(0.0, 5, 2))            # no mistakes: the car stays on the centre line
    [[0 0 0 0 0 0]
     [0 0 0 0 0 0]]
    >>> print(simulate_lane_keeping([0.0, 0.5], 5, 3).shape)
    (2, 3, 6)
    """
    eps_in = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps_in, "epsilon", "It is the per-step mistake probability; error_probability(ce) gives it.")
    if eps_in.ndim > 1:
        raise ValueError(f"epsilon must be a number or a 1-D array of them; got shape {eps_in.shape}.")
    horizon = check_int(horizon, "horizon", 0)
    n = check_int(n_episodes, "n_episodes", 1)
    w = check_int(half_width, "half_width", 1)
    policy = _check_policy(policy)
    eps = np.atleast_1d(eps_in)[:, None]  # (E, 1) against (n,) episodes
    u = np.random.default_rng(seed).random((horizon, n))
    s = np.zeros((len(eps), n), dtype=np.int64)
    paths = np.zeros((len(eps), n, horizon + 1), dtype=np.int64)
    for t in range(horizon):
        live = np.abs(s) <= w
        side = np.sign(s)
        first_half = u[t] < eps / 2  # (E, n)
        mistake = u[t] < eps
        random_dir = np.where(first_half, -1, 1)
        if policy == "cloned":
            move = np.where(mistake, random_dir, 0)
        elif policy == "recovering":
            off_move = np.where(mistake, np.where(first_half, 0, side), -side)
            move = np.where(side == 0, np.where(mistake, random_dir, 0), off_move)
        else:  # worst case
            move = np.where(side == 0, np.where(mistake, random_dir, 0), side)
        s = np.where(live, s + move, s)
        paths[:, :, t + 1] = s
    return paths[0] if eps_in.ndim == 0 else paths
