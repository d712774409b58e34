r"""The Bayesian bridge: cross-entropy + L2 weight decay is maximum a posteriori, and the ELBO.

Logistic regression with a Gaussian prior :math:`w \sim \mathcal N(0, \sigma^2 I)`:
its negative log-posterior is the summed cross-entropy plus
:math:`\lVert w\rVert^2 / 2\sigma^2`, which is :class:`xentlib.models.LogisticRegression`'s
objective with :math:`\lambda = 1/(N\sigma^2)` (:func:`prior_variance_from_l2`);
:func:`fit_logistic_map` finds its minimum, and :func:`logistic_elbo` scores a
Gaussian posterior approximation around it (notebook 08).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_finite, check_in_range, check_int, check_positive, check_std
from .links import sigmoid, softplus
from .models import fit_logistic  # the one Newton solver for logistic regression

__all__ = [
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
    s = np.broadcast_to(check_std(s, "s"), m.shape)
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

    with a backtracking line search (:func:`xentlib.models.fit_logistic`, with
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
