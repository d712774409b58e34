r"""Information measures: surprise, entropy, cross-entropy and divergences.

All take ``base`` (default *e*, giving nats; ``base=2`` gives bits).  The
base only rescales: a quantity in bits is the one in nats divided by ln 2.
Terms with zero probability follow the convention :math:`0 \log 0 = 0`.

Beyond the measures themselves (notebook 08): the likelihood view of
cross-entropy (:func:`log_likelihood`), the best Gaussian fit to a
distribution on a grid in forward and in reverse KL
(:func:`fit_gaussian_forward_kl`, :func:`fit_gaussian_reverse_kl`), and the
Bayesian reading of weight decay: MAP under a Gaussian prior
(:func:`fit_logistic_map`) and the evidence lower bound (:func:`logistic_elbo`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_base,
    check_class_labels,
    check_distribution,
    check_finite,
    check_in_range,
    check_int,
    check_positive,
    check_probabilities,
)
from .links import sigmoid, softplus

__all__ = [
    "surprisal",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "mutual_information",
    # likelihood
    "empirical_distribution",
    "log_likelihood",
    # fitting a Gaussian on a grid: forward and reverse KL
    "GaussianFit",
    "gaussian_on_grid",
    "gaussian_mixture_on_grid",
    "fit_gaussian_forward_kl",
    "reverse_kl_and_grad",
    "fit_gaussian_reverse_kl",
    # the Bayesian bridge
    "prior_variance_from_l2",
    "l2_from_prior_variance",
    "logistic_neg_log_posterior",
    "logistic_neg_log_posterior_grad",
    "gaussian_kl_to_prior",
    "MAPFit",
    "fit_logistic_map",
    "ELBO",
    "logistic_elbo",
]


def _in_base(nats, base: float):
    b = check_base(base)
    return nats if b == math.e else nats / nats.dtype.type(math.log(b))


def _xlogy(x, y):
    """``x * log(y)`` with ``0 * log(anything) = 0`` and ``x * log(0) = -inf`` for x > 0."""
    with np.errstate(divide="ignore"):  # log(0) = -inf is meant where x > 0
        return np.where(x > 0, x * np.log(np.where(x > 0, y, 1)), x.dtype.type(0))


def _pair(p, q, axis: int):
    p = check_distribution(as_float_array(p, "p"), "p", axis)
    q = check_distribution(as_float_array(q, "q"), "q", axis)
    dtype = np.result_type(p, q)
    try:
        p, q = np.broadcast_arrays(p.astype(dtype, copy=False), q.astype(dtype, copy=False))
    except ValueError:
        raise ValueError(
            f"p and q must have the same shape (or broadcast); got {p.shape} and {q.shape}."
        ) from None
    return p, q


def surprisal(p, *, base: float = math.e):
    r"""Surprise (self-information) of an event that was given probability ``p``.

    .. math:: I(p) = -\log_b p

    Parameters
    ----------
    p : array_like in [0, 1], any shape. ``p = 0`` gives ``inf``: an event you
        called impossible is infinitely surprising.
    base : float. ``math.e`` for nats (default), 2 for bits.

    Examples
    --------
    Ten times worse odds add :math:`\ln 10 \approx 2.303` nats; they do not multiply the loss by 10:

    >>> print(surprisal([0.1, 0.01]))
    [2.3026 4.6052]
    >>> print(surprisal(0.5, base=2))
    1.0
    """
    p = check_probabilities(as_float_array(p, "p"), "p", "surprisal takes the probability given to the outcome.")
    with np.errstate(divide="ignore"):  # -log(0) = inf is the honest answer
        return _in_base(-np.log(p), base)


def entropy(p, *, axis: int = -1, base: float = math.e):
    r"""Entropy, the expected surprise under the true distribution ``p``.

    .. math:: H(p) = -\sum_k p_k \log_b p_k

    Examples
    --------
    >>> print(entropy([0.5, 0.5], base=2))
    1.0
    >>> print(entropy([1.0, 0.0]))
    0.0
    """
    p = check_distribution(as_float_array(p, "p"), "p", axis)
    return _in_base(0.0 - np.sum(_xlogy(p, p), axis=axis), base)  # 0.0 - x: no negative zero


def cross_entropy(p, q, *, axis: int = -1, base: float = math.e):
    r"""Cross-entropy: the expected surprise when outcomes follow ``p`` but you believe ``q``.

    .. math:: H(p, q) = -\sum_k p_k \log_b q_k = H(p) + D_{\mathrm{KL}}(p \,\|\, q)

    With a one-hot ``p`` (the observed class *k*) it is :math:`-\log q_k`.
    ``inf`` when ``q`` gives zero probability to an outcome ``p`` allows.

    Examples
    --------
    >>> print(cross_entropy([0.0, 1.0, 0.0], [0.2, 0.7, 0.1]))
    0.3567
    """
    p, q = _pair(p, q, axis)
    return _in_base(0.0 - np.sum(_xlogy(p, q), axis=axis), base)


def kl_divergence(p, q, *, axis: int = -1, base: float = math.e):
    r"""Kullback-Leibler divergence, the extra surprise paid for believing ``q``.

    .. math:: D_{\mathrm{KL}}(p \,\|\, q) = \sum_k p_k \log_b \frac{p_k}{q_k} \ge 0

    Not symmetric.  Terms with :math:`p_k = 0` contribute 0; :math:`p_k > 0 = q_k` gives ``inf``.
    In coding terms: the bits per symbol wasted by a code built for ``q``.

    Examples
    --------
    >>> print(kl_divergence([0.5, 0.5], [0.9, 0.1]))
    0.5108
    >>> print(kl_divergence([0.9, 0.1], [0.5, 0.5]))
    0.3681
    """
    p, q = _pair(p, q, axis)
    # log(p/q) as a difference of logs: p/q could overflow when q is tiny.
    return _in_base(np.maximum(np.sum(_xlogy(p, p) - _xlogy(p, q), axis=axis), 0), base)


def js_divergence(p, q, *, axis: int = -1, base: float = math.e):
    r"""Jensen-Shannon divergence: symmetric, finite, at most :math:`\log_b 2`.

    .. math:: \mathrm{JS}(p, q) = \tfrac12 D_{\mathrm{KL}}(p \,\|\, m) + \tfrac12 D_{\mathrm{KL}}(q \,\|\, m),\quad m = \tfrac12(p + q)

    Examples
    --------
    >>> print(js_divergence([1.0, 0.0], [0.0, 1.0], base=2))
    1.0
    """
    p, q = _pair(p, q, axis)
    total = p + q  # = 2m.  Not m itself: halving the smallest subnormal q_k gives m_k = 0, and an infinite JS.

    def kl_to_mean(x):  # sum_k x_k log(x_k / m_k), each ratio taken as 2 x_k / (p_k + q_k), at most 2
        return np.sum(_xlogy(x, np.divide(2 * x, total, out=np.ones_like(total), where=total > 0)), axis=axis)

    return _in_base(np.maximum((kl_to_mean(p) + kl_to_mean(q)) / 2, 0), base)


def mutual_information(joint, *, base: float = math.e):
    r"""Mutual information of two discrete variables from their joint table.

    .. math:: I(X; Y) = \sum_{x,y} p(x, y) \log_b \frac{p(x, y)}{p(x)\,p(y)} = D_{\mathrm{KL}}\big(p(x,y) \,\|\, p(x)p(y)\big)

    Parameters
    ----------
    joint : 2-D array_like, non-negative, summing to 1. ``joint[i, j] = P(X=i, Y=j)``.

    Examples
    --------
    >>> print(mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))   # Y copies X: one bit
    1.0
    >>> print(mutual_information([[0.25, 0.25], [0.25, 0.25]]))       # independent
    0.0
    """
    joint = as_float_array(joint, "joint")
    if joint.ndim != 2:
        raise ValueError(f"joint must be a 2-D table P(X=i, Y=j); got {joint.ndim} dimension(s) with shape {joint.shape}.")
    check_probabilities(joint, "joint", "joint[i, j] is the probability P(X=i, Y=j).")
    if abs(joint.sum() - 1) > 1e-6:
        raise ValueError(f"joint must sum to 1 over the whole table; got {joint.sum():.6g}. Normalise it with joint / joint.sum().")
    independent = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return kl_divergence(joint.reshape(-1), independent.reshape(-1), base=base)


# =====================================================================================
# Likelihood: minimising cross-entropy is maximising likelihood
# =====================================================================================

def _labels(y, n_classes: int | None, name: str = "y") -> np.ndarray:
    y = check_class_labels(y, n_classes, name)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels; got shape {y.shape}.")
    return y


def empirical_distribution(y, n_classes: int) -> np.ndarray:
    r"""The observed frequency of each class: :math:`\hat p_k = \tfrac1N \#\{i : y_i = k\}`.

    Parameters
    ----------
    y : 1-D array_like of integer labels in ``[0, n_classes)``.
    n_classes : int >= 1.

    Returns
    -------
    ndarray (n_classes,) summing to 1.

    Examples
    --------
    >>> print(empirical_distribution([0, 2, 2, 1, 2], 4))
    [0.2 0.2 0.6 0. ]
    """
    n_classes = check_int(n_classes, "n_classes", 1)
    y = _labels(y, n_classes)
    return np.bincount(y, minlength=n_classes) / y.size


def log_likelihood(q, y, *, base: float = math.e) -> float:
    r"""Log-likelihood of observed labels under a model's predicted distributions.

    .. math:: \log L = \sum_{i=1}^N \log q_{i, y_i}
              = -N \cdot \underbrace{\tfrac1N \sum_i \big(-\log q_{i, y_i}\big)}_{\text{mean cross-entropy}}

    So the mean cross-entropy loss is :math:`-\log L / N`: minimising one is
    maximising the other.  When one distribution ``q`` serves every example,
    the sum groups by class and :math:`\log L = -N\, H(\hat p, q)` with
    :math:`\hat p` the :func:`empirical_distribution`; by
    :math:`H(\hat p, q) = H(\hat p) + D_{\mathrm{KL}}(\hat p\,\|\,q)` the
    maximum-likelihood ``q`` is :math:`\hat p` itself.

    Parameters
    ----------
    q : array_like (K,) — one distribution shared by all examples — or (N, K),
        one predicted distribution per example.
    y : 1-D array_like (N,) of integer labels in ``[0, K)``.
    base : float. ``math.e`` for nats (default), 2 for bits.

    Returns
    -------
    float, :math:`\le 0`; ``-inf`` if some observed label was given probability 0.

    Examples
    --------
    >>> y = [0, 0, 1, 0]
    >>> print(log_likelihood([0.75, 0.25], y), 4 * entropy([0.75, 0.25]))   # -log L = N H(p_hat) at the MLE
    -2.2493 2.2493
    """
    q = check_distribution(as_float_array(q, "q", dtype=np.float64), "q")
    if q.ndim not in (1, 2):
        raise ValueError(f"q must be one distribution (K,) or one per example (N, K); got shape {q.shape}.")
    y = _labels(y, q.shape[-1])
    if q.ndim == 2 and len(q) != len(y):
        raise ValueError(f"q has {len(q)} rows but y has {len(y)} labels; pass one row per example, or a single (K,) distribution.")
    picked = q[y] if q.ndim == 1 else q[np.arange(len(y)), y]
    with np.errstate(divide="ignore"):  # log(0) = -inf: the honest likelihood of an "impossible" outcome
        return float(_in_base(np.sum(np.log(picked)), base))


# =====================================================================================
# Fitting a Gaussian to a distribution on a grid: forward and reverse KL
# =====================================================================================

class GaussianFit(NamedTuple):
    """A Gaussian fitted on a grid: centre ``mu``, width ``sigma`` and the ``divergence`` it reached (nats)."""

    mu: np.ndarray
    sigma: np.ndarray
    divergence: np.ndarray


def _grid(x) -> np.ndarray:
    x = check_finite(as_float_array(x, "x", dtype=np.float64), "x")
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"x must be a 1-D grid of at least 3 points; got shape {x.shape}. Try np.linspace(-8, 8, 321).")
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing (a grid of points along the line). Sort it with np.sort.")
    return x


def _lse(a: np.ndarray, axis: int = -1) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)), axis=axis)


def _log_gaussian_on_grid(x, mu, log_sigma):
    mu, log_sigma = np.asarray(mu, np.float64)[..., None], np.asarray(log_sigma, np.float64)[..., None]
    eta = -0.5 * ((x - mu) * np.exp(-log_sigma)) ** 2
    return eta - _lse(eta)[..., None]


def _widths(sigma, name: str = "sigma") -> np.ndarray:
    sigma = check_finite(as_float_array(sigma, name, dtype=np.float64), name)
    if np.any(sigma <= 0):
        raise ValueError(f"{name} must be positive (a standard deviation); got min {sigma.min():.4g}.")
    return sigma


def gaussian_on_grid(x, mu, sigma) -> np.ndarray:
    r"""A Gaussian as a discrete distribution over the points of a grid.

    .. math:: q_i = \frac{\exp\!\big(-(x_i - \mu)^2 / 2\sigma^2\big)}{\sum_j \exp\!\big(-(x_j - \mu)^2 / 2\sigma^2\big)}

    Normalising over the grid (instead of multiplying the density by the
    spacing) makes ``q`` an exact probability vector, so every divergence of
    :mod:`xentlib.information` applies to it directly.  On a grid that is fine
    (spacing well below :math:`\sigma`) and wide (several :math:`\sigma` past
    the centre) its mean and variance are :math:`\mu` and :math:`\sigma^2` to
    many digits.

    Parameters
    ----------
    x : 1-D increasing grid (n,).
    mu, sigma : float or array_like (broadcast together), ``sigma > 0``.

    Returns
    -------
    ndarray of shape ``broadcast(mu, sigma).shape + (n,)``, each row summing to 1.

    Examples
    --------
    >>> x = np.linspace(-8, 8, 321)
    >>> q = gaussian_on_grid(x, 1.0, 2.0)
    >>> print(round(q.sum(), 12), round(q @ x, 6), round(q @ (x - 1) ** 2, 6))
    1.0 1.0 4.0
    """
    x = _grid(x)
    mu = check_finite(as_float_array(mu, "mu", dtype=np.float64), "mu")
    return np.exp(_log_gaussian_on_grid(x, mu, np.log(_widths(sigma))))


def gaussian_mixture_on_grid(x, means, sigmas, weights) -> np.ndarray:
    r"""A mixture of Gaussians as a discrete distribution over a grid.

    .. math:: p_i \propto \sum_k w_k\, \mathcal N(x_i;\ m_k, s_k^2)

    Parameters
    ----------
    x : 1-D increasing grid (n,).
    means, sigmas, weights : array_like (..., K), broadcast together; ``sigmas > 0``,
        ``weights >= 0`` (normalised here).  Leading axes give a batch of mixtures.

    Returns
    -------
    ndarray (..., n), each row summing to 1; computed in log space, so the far
    tails are tiny but never exactly 0 on a grid of sensible width.

    Examples
    --------
    >>> x = np.linspace(-8, 8, 321)
    >>> p = gaussian_mixture_on_grid(x, [-2.0, 2.0], [1.0, 1.0], [0.5, 0.5])
    >>> print(round(p @ x, 6), round(p @ x ** 2, 6))     # mean 0, variance 1 + 2**2
    0.0 5.0
    """
    x = _grid(x)
    means = check_finite(as_float_array(means, "means", dtype=np.float64), "means")
    sigmas = _widths(sigmas, "sigmas")
    weights = check_finite(as_float_array(weights, "weights", dtype=np.float64), "weights")
    if np.any(weights < 0):
        raise ValueError(f"weights must be >= 0 (mixture proportions); got min {weights.min():.4g}.")
    total = weights.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("weights must not all be 0: give at least one component a positive weight.")
    means, sigmas, weights = np.broadcast_arrays(means, sigmas, weights / total)
    with np.errstate(divide="ignore"):  # a zero weight is log 0 = -inf: that component simply drops out
        log_terms = (np.log(weights) - np.log(sigmas))[..., None] - 0.5 * ((x - means[..., None]) / sigmas[..., None]) ** 2
    log_p = _lse(log_terms, axis=-2)
    return np.exp(log_p - _lse(log_p)[..., None])


def _target(p, n: int) -> np.ndarray:
    p = check_distribution(as_float_array(p, "p", dtype=np.float64), "p")
    if p.shape[-1] != n:
        raise ValueError(f"p must have one probability per grid point ({n}) along its last axis; got shape {p.shape}.")
    return p


def fit_gaussian_forward_kl(x, p, *, steps: int = 20, tol: float = 1e-12) -> GaussianFit:
    r"""The Gaussian ``q`` on the grid that minimises the forward divergence :math:`D_{\mathrm{KL}}(p\,\|\,q)`.

    .. math:: \min_{\mu,\sigma} D_{\mathrm{KL}}(p\,\|\,q_{\mu,\sigma})
              = \min_{\mu,\sigma}\ \big[H(p, q_{\mu,\sigma}) - H(p)\big]

    Minimising :math:`H(p, q)` over ``q`` is maximum likelihood on data drawn
    from ``p``; for a Gaussian family it is *moment matching*: ``q`` takes the
    mean and variance of ``p``,
    :math:`\mu = \sum_i p_i x_i,\ \sigma^2 = \sum_i p_i (x_i - \mu)^2`.  It must
    put mass wherever ``p`` has any ("mass covering"), so on a two-humped ``p``
    it sits between the humps.

    Parameters
    ----------
    x : 1-D increasing grid (n,).
    p : array_like (..., n), target distribution(s) on the grid.
    steps : int, the most Newton steps of the refinement below.  tol : float.

    Returns
    -------
    GaussianFit with ``divergence`` = :math:`D_{\mathrm{KL}}(p\,\|\,q)` (nats).

    Notes
    -----
    The grid-normalised Gaussians :math:`q_i \propto e^{\theta_1 x_i + \theta_2 x_i^2}`
    form an exponential family, so :math:`D_{\mathrm{KL}}(p\,\|\,q_\theta)` is
    convex in the natural parameters :math:`\theta`, with gradient
    :math:`\mathbb E_q[T] - \mathbb E_p[T]` and Hessian :math:`\mathrm{Cov}_q[T]`,
    :math:`T = (x, x^2)`.  The exact optimum on the grid matches the *grid*
    moments of ``q`` to those of ``p``; starting from the plain moments above,
    a few Newton steps find it.  (They differ only when ``q`` is cut off by the
    ends of the grid.)

    Examples
    --------
    >>> x = np.linspace(-10, 10, 401)
    >>> p = gaussian_mixture_on_grid(x, [-2.0, 2.0], [1.0, 1.0], [0.5, 0.5])
    >>> fit = fit_gaussian_forward_kl(x, p)
    >>> print(round(float(fit.mu), 6) + 0.0, round(float(fit.sigma) ** 2, 4))    # mean 0, variance 1 + 2**2
    0.0 5.0
    """
    x = _grid(x)
    p = _target(p, x.size)
    steps = check_int(steps, "steps", 0)
    mean = p @ x
    scale = np.sqrt(np.maximum(np.sum(p * (x - mean[..., None]) ** 2, axis=-1), 0.0))
    if np.any(scale < np.min(np.diff(x))):
        raise ValueError("p is concentrated on about one grid point, so no Gaussian on this grid fits it; use a finer grid.")
    # Work in standardised coordinates u = (x - mean) / scale, where p has moments (0, 1).
    u = (x - mean[..., None]) / scale[..., None]
    target = np.stack([np.zeros_like(mean), np.ones_like(mean)], axis=-1)  # E_p[u], E_p[u^2]
    theta = np.stack([np.zeros_like(mean), np.full_like(mean, -0.5)], axis=-1)  # q = N(0, 1) in u
    T = np.stack([u, u * u], axis=-2)  # (..., 2, n)
    for _ in range(steps):
        log_q = theta[..., 0, None] * u + theta[..., 1, None] * u * u
        q = np.exp(log_q - _lse(log_q)[..., None])
        moments = np.einsum("...kn,...n->...k", T, q)
        grad = moments - target
        if np.max(np.abs(grad)) < tol:
            break
        centred = T - moments[..., None]
        hess = np.einsum("...kn,...ln,...n->...kl", centred, centred, q)
        theta = theta - np.linalg.solve(hess, grad[..., None])[..., 0]
        theta[..., 1] = np.minimum(theta[..., 1], -1e-6)  # keep a Gaussian (negative quadratic term)
    var_u = -0.5 / theta[..., 1]
    mu = mean + scale * theta[..., 0] * var_u
    sigma = scale * np.sqrt(var_u)
    q = np.exp(_log_gaussian_on_grid(x, mu, np.log(sigma)))
    return GaussianFit(mu, sigma, kl_divergence(p, q))


def reverse_kl_and_grad(x, p, mu, sigma):
    r"""The reverse divergence :math:`D_{\mathrm{KL}}(q\,\|\,p)` of a grid Gaussian ``q`` and its gradient.

    .. math:: R(\mu, s) = \sum_i q_i\, (\log q_i - \log p_i), \qquad q = \operatorname{softmax}(\eta),\quad
              \eta_i = -\frac{(x_i - \mu)^2}{2\sigma^2},\quad s = \log\sigma

    Differentiating through the softmax gives
    :math:`\partial R/\partial \eta_j = q_j\,(\log q_j - \log p_j - R)`, and then

    .. math:: \frac{\partial R}{\partial \mu} = \sum_j \frac{\partial R}{\partial \eta_j}\,\frac{x_j - \mu}{\sigma^2},
              \qquad
              \frac{\partial R}{\partial s} = \sum_j \frac{\partial R}{\partial \eta_j}\,\frac{(x_j - \mu)^2}{\sigma^2}.

    Parameters
    ----------
    x : 1-D increasing grid (n,).
    p : array_like (..., n), target distribution(s), positive on the whole grid.
    mu, sigma : float or array_like broadcasting against ``p[..., 0]``.

    Returns
    -------
    (R, grad) : R of the broadcast shape, grad of that shape + (2,): derivatives
    with respect to :math:`\mu` and :math:`s = \log\sigma`.

    Examples
    --------
    >>> x = np.linspace(-10, 10, 401)
    >>> p = gaussian_on_grid(x, 1.0, 2.0)
    >>> R, grad = reverse_kl_and_grad(x, p, 1.0, 2.0)   # q = p: zero divergence, zero gradient
    >>> print(round(float(R), 12), np.round(grad, 12) + 0.0)
    0.0 [0. 0.]
    """
    x = _grid(x)
    log_p = _log_target(_target(p, x.size))
    mu = check_finite(as_float_array(mu, "mu", dtype=np.float64), "mu")
    return _reverse_kl_and_grad(x, log_p, mu, np.log(_widths(sigma)))


def _log_target(p: np.ndarray) -> np.ndarray:
    if np.any(p <= 0):
        raise ValueError("p must be positive on every grid point for the reverse KL (log p appears in it); "
                         "use a narrower grid or a target with full support.")
    return np.log(p)


def _peak_log_width(x, log_p, i, fallback):
    """log sigma of the Gaussian whose log-density has the curvature of log p at grid index i (clipped)."""
    i = np.clip(i, 1, x.size - 2)
    take = lambda j: np.take_along_axis(log_p, j[..., None], axis=-1)[..., 0]  # noqa: E731
    h = (x[i + 1] - x[i - 1]) / 2
    curvature = (take(i + 1) - 2 * take(i) + take(i - 1)) / h**2
    width = np.where(curvature < 0, 1 / np.sqrt(np.maximum(-curvature, 1e-300)), fallback / 2)
    return np.log(np.clip(width, np.min(np.diff(x)), fallback))


def _reverse_kl_and_grad(x, log_p, mu, log_sigma, *, hessian: bool = False):
    """R = KL(q || p) for q = grid Gaussian(mu, exp(log_sigma)), its gradient and (optionally) Hessian in (mu, s).

    With eta_i = -u_i^2 / 2, u_i = (x_i - mu) / sigma, c = log q - log p - R and E = expectation under q:
    dR/dtheta_a = E[c eta_a] and
    d2R/dtheta_a dtheta_b = E[c eta_a eta_b] - E[eta_a] R_b - E[eta_b] R_a + Cov(eta_a, eta_b) + E[c eta_ab].
    """
    mu, log_sigma = np.asarray(mu, np.float64), np.asarray(log_sigma, np.float64)
    inv = np.exp(-log_sigma)
    u = (x - mu[..., None]) * inv[..., None]
    eta = -0.5 * u * u
    log_q = eta - _lse(eta)[..., None]
    q = np.exp(log_q)
    f = log_q - log_p
    R = np.sum(q * f, axis=-1)
    c = f - R[..., None]
    eta_mu, eta_s = u * inv[..., None], u * u  # d eta / d mu, d eta / d s
    qc = q * c
    grad = np.stack([np.sum(qc * eta_mu, axis=-1), np.sum(qc * eta_s, axis=-1)], axis=-1)
    R = np.maximum(R, 0.0)
    if not hessian:
        return R, grad
    m_mu, m_s = np.sum(q * eta_mu, axis=-1), np.sum(q * eta_s, axis=-1)
    r_mu, r_s = grad[..., 0], grad[..., 1]
    h_mm = np.sum(qc * eta_mu**2, axis=-1) - 2 * m_mu * r_mu + np.sum(q * eta_mu**2, axis=-1) - m_mu**2
    h_ss = np.sum(qc * eta_s**2, axis=-1) - 2 * m_s * r_s + np.sum(q * eta_s**2, axis=-1) - m_s**2 - 2 * r_s
    h_ms = (np.sum(qc * eta_mu * eta_s, axis=-1) - m_s * r_mu - m_mu * r_s
            + np.sum(q * eta_mu * eta_s, axis=-1) - m_mu * m_s - 2 * r_mu)
    return R, grad, np.stack([np.stack([h_mm, h_ms], -1), np.stack([h_ms, h_ss], -1)], -2)


def fit_gaussian_reverse_kl(x, p, *, starts=None, steps: int = 100, tol: float = 1e-8) -> GaussianFit:
    r"""The Gaussian ``q`` on the grid that minimises the reverse divergence :math:`D_{\mathrm{KL}}(q\,\|\,p)`.

    Reverse KL charges ``q`` for every place it puts mass where ``p`` has
    little (:math:`q_i \log(q_i/p_i)` is large there) and charges nothing for
    ignoring parts of ``p``.  So on a two-humped ``p`` whose humps are well
    apart the best ``q`` sits on **one** hump ("mode seeking"), and there are
    two local optima, one per hump.

    Minimised over :math:`(\mu, \log\sigma)` by damped Newton steps
    (Levenberg-Marquardt: the exact Hessian plus :math:`\lambda` times the
    Fisher information of a Gaussian, :math:`\mathrm{diag}(1/\sigma^2, 2)`,
    with :math:`\lambda` shrunk after a step that lowers the divergence and
    grown after one that does not).  Several starts are tried and the lowest
    divergence is kept.

    Parameters
    ----------
    x : 1-D increasing grid (n,).
    p : array_like (..., n), target distribution(s), positive on the whole grid.
    starts : array_like (S, 2) of ``(mu, sigma)`` starting points, or None:
        three starts per target, the moment-matched Gaussian of
        :func:`fit_gaussian_forward_kl` and, on each side of its mean, a
        Gaussian at the highest point of ``p`` with the width that matches the
        curvature of :math:`\log p` there.  Starts whose divergences tie (within
        1e-12 nats) are resolved in favour of the earlier one.
    steps : int, the most Newton steps; stops early once every start's gradient is below ``tol``.

    Returns
    -------
    GaussianFit with ``divergence`` = :math:`D_{\mathrm{KL}}(q\,\|\,p)` (nats).

    Examples
    --------
    >>> x = np.linspace(-10, 10, 401)
    >>> p = gaussian_mixture_on_grid(x, [-3.0, 3.0], [1.0, 1.0], [0.3, 0.7])
    >>> fit = fit_gaussian_reverse_kl(x, p)
    >>> print(round(float(fit.mu), 2), round(float(fit.sigma), 2), round(float(fit.divergence), 3))   # the heavier hump
    2.99 1.01 0.354
    """
    x = _grid(x)
    p = _target(p, x.size)
    log_p = _log_target(p)
    steps = check_int(steps, "steps", 0)
    if starts is None:
        forward = fit_gaussian_forward_kl(x, p)
        peaks = [np.argmax(np.where(side, p, -1.0), axis=-1)
                 for side in (x < forward.mu[..., None], x > forward.mu[..., None])]
        mu0 = np.stack([forward.mu, x[peaks[0]], x[peaks[1]]], axis=-1)
        s0 = np.stack([np.log(forward.sigma)] + [_peak_log_width(x, log_p, i, forward.sigma) for i in peaks], axis=-1)
    else:
        starts = check_finite(as_float_array(starts, "starts", dtype=np.float64), "starts")
        if starts.ndim != 2 or starts.shape[1] != 2:
            raise ValueError(f"starts must be an (S, 2) array of (mu, sigma) pairs; got shape {starts.shape}.")
        mu0 = np.broadcast_to(starts[:, 0], p.shape[:-1] + (len(starts),))
        s0 = np.broadcast_to(np.log(_widths(starts[:, 1], "starts[:, 1] (sigma)")), mu0.shape)
    lp = log_p[..., None, :]
    mu, s = mu0.astype(np.float64).copy(), s0.astype(np.float64).copy()
    lo, hi = np.log(np.min(np.diff(x))), np.log(x[-1] - x[0])
    damping = np.full(mu.shape, 1e-3)
    R, g, H = _reverse_kl_and_grad(x, lp, mu, s, hessian=True)
    for _ in range(steps):
        f_mm = np.exp(-2 * s)  # the Fisher information diag(1 / sigma^2, 2)
        m_mm, m_ss, m_ms = H[..., 0, 0] / f_mm, H[..., 1, 1] / 2.0, H[..., 0, 1] / np.sqrt(2.0 * f_mm)
        lowest = (m_mm + m_ss) / 2 - np.sqrt(((m_mm - m_ss) / 2) ** 2 + m_ms**2)  # of F^-1/2 H F^-1/2
        damping = np.maximum(damping, 1.5 * np.maximum(-lowest, 0.0) + 1e-9)  # H + damping F positive definite
        a, b, d = H[..., 0, 0] + damping * f_mm, H[..., 0, 1], H[..., 1, 1] + 2.0 * damping
        det = a * d - b * b
        d_mu, d_s = -(d * g[..., 0] - b * g[..., 1]) / det, -(a * g[..., 1] - b * g[..., 0]) / det
        mu_new, s_new = np.clip(mu + d_mu, x[0], x[-1]), np.clip(s + d_s, lo, hi)
        R_new, _ = _reverse_kl_and_grad(x, lp, mu_new, s_new)
        accept = R_new <= R + 1e-15 * (1 + R)  # rounding-level rises count as no change
        mu, s = np.where(accept, mu_new, mu), np.where(accept, s_new, s)
        damping = np.clip(np.where(accept, damping / 4, damping * 4), 1e-12, 1e12)
        R, g, H = _reverse_kl_and_grad(x, lp, mu, s, hessian=True)
        stalled = np.abs(d_mu) * np.exp(-s) + np.abs(d_s) < 1e-12  # a step below rounding: as good as it gets
        if np.all((np.abs(g[..., 0]) * np.exp(s) + np.abs(g[..., 1]) < tol) | stalled):
            break  # every start is at a stationary point (a saddle start loses to the others below)
    # The lowest divergence wins; ties within 1e-12 nats (the two humps of a symmetric target) go to the
    # earlier start, so the answer does not depend on rounding.
    near_best = R <= R.min(axis=-1, keepdims=True) + 1e-12
    best = np.argmax(near_best, axis=-1)[..., None]
    pick = lambda a: np.take_along_axis(a, best, axis=-1)[..., 0]  # noqa: E731
    return GaussianFit(pick(mu)[()], np.exp(pick(s))[()], pick(R)[()])  # [()]: plain floats for one target


# =====================================================================================
# The Bayesian bridge: cross-entropy + L2 = maximum a posteriori, and the ELBO
# =====================================================================================

def prior_variance_from_l2(l2, n: int) -> float:
    r"""The Gaussian prior variance that weight decay ``l2`` stands for, with ``n`` training examples.

    :class:`xentlib.models.LogisticRegression` minimises
    :math:`J(w) = \tfrac1N \sum_i \ell_i + \tfrac{\lambda}{2}\lVert w\rVert^2`.
    Multiplying by :math:`N`,

    .. math:: N\,J(w) = \underbrace{-\log p(y \mid X, w)}_{\text{sum of cross-entropies}}
              + \frac{\lVert w\rVert^2}{2\sigma^2}
              \quad\text{with}\quad \sigma^2 = \frac{1}{N\lambda},

    which is the negative log-posterior under the prior
    :math:`w \sim \mathcal N(0, \sigma^2 I)`, up to a constant.  (scikit-learn's
    ``LogisticRegression(C=...)`` minimises :math:`C \sum_i \ell_i + \tfrac12\lVert w\rVert^2`,
    so its ``C`` *is* :math:`\sigma^2`.)

    Examples
    --------
    >>> print(prior_variance_from_l2(0.01, 100))
    1.0
    """
    l2 = check_in_range(l2, "l2", 0.0, math.inf, "l2 is the weight-decay strength lambda.")
    n = check_int(n, "n", 1)
    return math.inf if l2 == 0 else 1.0 / (n * l2)


def l2_from_prior_variance(prior_var, n: int) -> float:
    r"""The weight decay :math:`\lambda = 1/(N\sigma^2)` that makes mean CE + L2 the MAP objective of :math:`\mathcal N(0, \sigma^2 I)`.

    A wider prior (larger :math:`\sigma^2`) or more data (larger :math:`N`)
    means less decay: the data outweigh the prior.

    Examples
    --------
    >>> print(l2_from_prior_variance(1.0, 100), l2_from_prior_variance(math.inf, 100))
    0.01 0.0
    """
    prior_var = check_in_range(prior_var, "prior_var", 0.0, math.inf, "It is the variance of each weight under the prior.")
    if prior_var == 0:
        raise ValueError("prior_var must be > 0; a zero-variance prior pins every weight to 0.")
    return 0.0 if prior_var == math.inf else 1.0 / (check_int(n, "n", 1) * prior_var)


def _logistic_data(X, y):
    X = check_finite(as_float_array(X, "X", dtype=np.float64), "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d); got shape {X.shape}.")
    y = as_float_array(y, "y", dtype=np.float64)
    if y.shape != (len(X),) or not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"y must hold one 0/1 label per row of X, shape ({len(X)},); got shape {y.shape}.")
    return X, y


def _weights(w, d: int) -> np.ndarray:
    w = check_finite(as_float_array(w, "w", dtype=np.float64), "w")
    if w.shape != (d,):
        raise ValueError(f"w must have one weight per feature, shape ({d},); got shape {w.shape}.")
    return w


def _prior(prior_var) -> float:
    return check_positive(prior_var, "prior_var", "It is the variance of each weight under the Gaussian prior.")


def logistic_neg_log_posterior(w, b, X, y, *, prior_var) -> float:
    r"""Negative log-posterior of logistic-regression weights under a Gaussian prior.

    .. math:: -\log p(w, b \mid X, y) = \sum_{i=1}^N \ell(w^\top x_i + b,\ y_i)
              + \frac{\lVert w\rVert^2}{2\sigma^2} + \frac d2 \log(2\pi\sigma^2) + \text{const},

    with :math:`\ell(z, y) = \operatorname{softplus}(z) - yz` the cross-entropy,
    the prior :math:`w \sim \mathcal N(0, \sigma^2 I)` and a flat prior on the
    bias :math:`b`.  The evidence :math:`\log p(y \mid X)` does not depend on
    :math:`w` and is left out, so this is the MAP objective exactly:
    it equals :math:`N` times the objective of
    ``LogisticRegression(l2=1 / (N * prior_var))`` plus :math:`\frac d2 \log(2\pi\sigma^2)`.

    Parameters
    ----------
    w : array_like (d,);  b : float;  X : array_like (N, d);  y : array_like (N,) of 0/1.
    prior_var : float > 0, :math:`\sigma^2`.

    Examples
    --------
    >>> X = np.array([[1.0], [-1.0]]); y = np.array([1, 0])
    >>> print(round(logistic_neg_log_posterior([0.0], 0.0, X, y, prior_var=1.0), 4))   # 2 ln 2 + ln(2 pi) / 2
    2.3052
    """
    X, y = _logistic_data(X, y)
    w = _weights(w, X.shape[1])
    var = _prior(prior_var)
    z = X @ w + check_finite(as_float_array(b, "b", dtype=np.float64), "b")
    return float(np.sum(softplus(z) - y * z) + w @ w / (2 * var) + 0.5 * len(w) * math.log(2 * math.pi * var))


def logistic_neg_log_posterior_grad(w, b, X, y, *, prior_var):
    r"""Gradient of :func:`logistic_neg_log_posterior`: ``(d/dw, d/db)``.

    .. math:: \frac{\partial}{\partial w} = \sum_i (\sigma(z_i) - y_i)\, x_i + \frac{w}{\sigma^2},
              \qquad \frac{\partial}{\partial b} = \sum_i (\sigma(z_i) - y_i)

    The prior adds :math:`w/\sigma^2`, a pull towards 0 that is the
    weight-decay term :math:`N\lambda w`.

    Examples
    --------
    >>> X = np.array([[1.0], [-1.0]]); y = np.array([1, 0])
    >>> gw, gb = logistic_neg_log_posterior_grad([0.0], 0.0, X, y, prior_var=1.0)
    >>> print(gw, gb)
    [-1.] 0.0
    """
    X, y = _logistic_data(X, y)
    w = _weights(w, X.shape[1])
    var = _prior(prior_var)
    z = X @ w + check_finite(as_float_array(b, "b", dtype=np.float64), "b")
    r = sigmoid(z) - y
    return X.T @ r + w / var, float(np.sum(r))


def gaussian_kl_to_prior(m, s, prior_var) -> float:
    r"""KL divergence from a diagonal Gaussian :math:`q = \mathcal N(m, s^2 I)` to the prior :math:`\mathcal N(0, \sigma^2 I)`.

    .. math:: D_{\mathrm{KL}}(q\,\|\,\text{prior}) = \sum_{j=1}^d \left[\frac{s_j^2 + m_j^2}{2\sigma^2}
              - \frac12 - \log\frac{s_j}{\sigma}\right]

    The only term that depends on the centre :math:`m` is
    :math:`\lVert m\rVert^2 / 2\sigma^2`: the L2 penalty.

    Parameters
    ----------
    m : array_like (d,);  s : float or array_like (d,), > 0;  prior_var : float > 0.

    Examples
    --------
    >>> print(gaussian_kl_to_prior([0.0, 0.0], 1.0, 1.0))   # q is the prior
    0.0
    >>> print(round(gaussian_kl_to_prior([3.0], 1.0, 1.0), 4))
    4.5
    """
    m = check_finite(as_float_array(m, "m", dtype=np.float64), "m")
    if m.ndim != 1:
        raise ValueError(f"m must be a 1-D vector of weight means; got shape {m.shape}.")
    s = np.broadcast_to(_widths(s, "s"), m.shape)
    var = _prior(prior_var)
    return float(np.sum((s**2 + m**2) / (2 * var) - 0.5 - np.log(s / math.sqrt(var))))


class ELBO(NamedTuple):
    """The evidence lower bound and its two parts (nats): ``elbo = expected_log_likelihood - kl``."""

    expected_log_likelihood: float
    kl: float
    elbo: float


def logistic_elbo(m, b, s, X, y, *, prior_var, n_quad: int = 40) -> ELBO:
    r"""Evidence lower bound of logistic regression with a Gaussian posterior approximation.

    With :math:`q(w) = \mathcal N(m, s^2 I)` (the bias :math:`b` kept as a point value),

    .. math:: \mathrm{ELBO}(q) = \mathbb E_{w\sim q}\big[\log p(y \mid X, w)\big] - D_{\mathrm{KL}}(q\,\|\,\text{prior})
              \ \le\ \log p(y \mid X).

    The expectation is :math:`-\sum_i \mathbb E_q[\ell(z_i, y_i)]`, a sum of
    *expected cross-entropies*: each logit :math:`z_i = w^\top x_i + b` is
    Gaussian with mean :math:`m^\top x_i + b` and variance :math:`s^2\lVert x_i\rVert^2`,
    and the one-dimensional integral is done by Gauss-Hermite quadrature.

    As :math:`s \to 0`, :math:`q` shrinks to a point at :math:`m` and

    .. math:: -\mathrm{ELBO} = \underbrace{\textstyle\sum_i \ell(m^\top x_i + b, y_i) + \frac{\lVert m\rVert^2}{2\sigma^2}}_{N \times (\text{mean CE} + \frac{\lambda}{2}\lVert m\rVert^2)}
              + \underbrace{\tfrac d2\big(\log\tfrac{\sigma^2}{s^2} - 1\big)}_{\text{independent of } m} + O(s^2):

    maximising the ELBO over the centre :math:`m` is minimising cross-entropy
    plus weight decay, with :math:`\lambda = 1/(N\sigma^2)`.

    Parameters
    ----------
    m : array_like (d,);  b : float;  s : float > 0, the posterior width of every weight.
    X : array_like (N, d);  y : array_like (N,) of 0/1.
    prior_var : float > 0.  n_quad : int, quadrature points (40 is exact to ~1e-12 for moderate widths).

    Returns
    -------
    ELBO

    Examples
    --------
    >>> X = np.array([[1.0], [-1.0]]); y = np.array([1, 0])
    >>> e = logistic_elbo([0.0], 0.0, 1.0, X, y, prior_var=1.0)    # q = prior, so KL = 0
    >>> print(e.kl, round(e.expected_log_likelihood, 4))
    0.0 -1.6121
    """
    X, y = _logistic_data(X, y)
    m = _weights(m, X.shape[1])
    var = _prior(prior_var)
    s = check_positive(s, "s", "It is the standard deviation of each weight under q.")
    n_quad = check_int(n_quad, "n_quad", 2)
    nodes, weights = np.polynomial.hermite.hermgauss(n_quad)
    mean = X @ m + check_finite(as_float_array(b, "b", dtype=np.float64), "b")
    std = s * np.sqrt(np.sum(X * X, axis=1))
    z = mean[:, None] + math.sqrt(2.0) * std[:, None] * nodes  # E[f(z)] = sum_k w_k f(mean + sqrt(2) std t_k) / sqrt(pi)
    expected = -float(np.sum((softplus(z) - y[:, None] * z) @ weights) / math.sqrt(math.pi))
    kl = gaussian_kl_to_prior(m, s, var)
    return ELBO(expected, kl, expected - kl)


class MAPFit(NamedTuple):
    """Maximum a posteriori logistic-regression weights ``w``, bias ``b`` and the Newton steps taken."""

    w: np.ndarray
    b: float
    steps: int


def fit_logistic_map(X, y, *, prior_var, w0=None, b0: float = 0.0, tol: float = 1e-10, max_steps: int = 100) -> MAPFit:
    r"""The MAP weights of logistic regression under :math:`w \sim \mathcal N(0, \sigma^2 I)`, by Newton's method.

    Minimises :func:`logistic_neg_log_posterior`, i.e. the summed cross-entropy
    plus :math:`\lVert w\rVert^2 / 2\sigma^2` (the bias is not penalised): the
    same optimum as ``LogisticRegression(l2=1 / (N * prior_var))`` reaches by
    gradient descent, and as scikit-learn's ``LogisticRegression(C=prior_var)``.
    Newton steps use the Hessian

    .. math:: H = \tilde X^\top \mathrm{diag}\big(p_i(1-p_i)\big)\,\tilde X + \mathrm{diag}(\sigma^{-2}, \dots, \sigma^{-2}, 0),
              \qquad \tilde X = [X, \mathbf 1],

    with a backtracking line search (:func:`xentlib.imbalance.fit_logistic`, with
    :math:`\lambda = 1/(N\sigma^2)`), so a path of fits over many prior
    variances costs milliseconds (gradient descent needs thousands of steps
    when the prior is weak).  The objective is strictly convex in ``w``; with a
    flat prior on ``b``, a bias that could run off to infinity (all labels equal)
    is reported as an error.

    Parameters
    ----------
    X : array_like (N, d);  y : array_like (N,) of 0/1 labels.
    prior_var : float > 0, :math:`\sigma^2`.
    w0, b0 : starting point (default zeros); warm starts speed up a path of fits.
    tol : float, stop when every entry of the objective's gradient is below it.  max_steps : int.

    Returns
    -------
    MAPFit

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]]); y = np.array([0, 1, 0, 1])
    >>> fit = fit_logistic_map(X, y, prior_var=1.0)
    >>> gw, gb = logistic_neg_log_posterior_grad(fit.w, fit.b, X, y, prior_var=1.0)
    >>> print(np.round(fit.w, 4), abs(gw[0]) < 1e-9, abs(gb) < 1e-9)
    [0.2905] True True
    """
    from .imbalance import fit_logistic  # the one Newton solver for logistic regression

    X, y = _logistic_data(X, y)
    var = _prior(prior_var)
    tol = check_positive(tol, "tol")
    max_steps = check_int(max_steps, "max_steps", 1)
    if y.min() == y.max():
        raise ValueError("y must contain both labels 0 and 1: with one class only, the unpenalised bias has no finite optimum.")
    n, d = X.shape
    w0 = np.zeros(d) if w0 is None else _weights(w0, d)
    b0 = float(check_finite(as_float_array(b0, "b0", dtype=np.float64), "b0"))
    # The summed objective is N times the mean cross-entropy + (lambda / 2) ||w||^2 with lambda = 1 / (N sigma^2).
    fit = fit_logistic(X, y.astype(int), l2=1.0 / (n * var), init=(w0, b0), tol=tol / n, max_iter=max_steps)
    return MAPFit(fit.w, fit.b, fit.n_iter)
