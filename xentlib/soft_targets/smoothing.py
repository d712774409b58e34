r"""Label smoothing: a hard label becomes :math:`(1-\varepsilon)\,e_y + \varepsilon/K`.

The best logits are then finite, with gap
:math:`\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)`
(:func:`smooth_labels`, :func:`smoothing_optimal_logit_gap`,
:func:`smoothing_loss_floor`).  NumPy only.
"""

from __future__ import annotations

import math  # noqa: F401 (the doctests)

import numpy as np

from .._numerics import xlogy
from .._validation import as_float_array, check_class_labels, check_int, check_probabilities, check_smoothing_epsilon

__all__ = [
    "smooth_labels", "smoothing_optimal_logit_gap", "smoothing_loss_floor",
]


def smooth_labels(y, n_classes: int, epsilon: float) -> np.ndarray:
    r"""Label-smoothed targets: :math:`t = (1-\varepsilon)\, e_y + \varepsilon / K`.

    The convention of PyTorch and :func:`~xentlib.softmax_cross_entropy`'s
    ``label_smoothing``: the removed mass :math:`\varepsilon` is spread over
    *all* K classes, the true one included, so the true class keeps
    :math:`1 - \varepsilon + \varepsilon/K`.

    Examples
    --------
    >>> print(smooth_labels([0, 2], 3, 0.3))
    [[0.8 0.1 0.1]
     [0.1 0.1 0.8]]
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = check_smoothing_epsilon(epsilon)
    labels = check_class_labels(y, k)
    if labels.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels; got shape {labels.shape}.")
    return (1 - eps) * np.eye(k)[labels] + eps / k



def smoothing_optimal_logit_gap(epsilon, n_classes: int):
    r"""The logit gap at which label smoothing's loss is smallest: :math:`\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)`.

    The cross-entropy against :math:`t = (1-\varepsilon)e_y + \varepsilon/K` is
    smallest when the prediction equals the target, :math:`q = t`.  Softmax
    probabilities are ratios of exponentials, so that fixes every logit
    difference between the true class and any other class:

    .. math:: z_y - z_k = \ln\frac{t_y}{t_k} = \ln\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}
              = \ln\!\Big(1 + \frac{K(1-\varepsilon)}{\varepsilon}\Big).

    With hard labels (:math:`\varepsilon = 0`) the gap is infinite: the loss
    keeps falling as the logits grow, which is where over-confidence comes
    from.  Two classes and :math:`\varepsilon = 0.2` give target 0.9 and gap
    :math:`\ln 9`.

    Parameters
    ----------
    epsilon : float or array_like in [0, 1].  n_classes : int >= 2.

    Returns
    -------
    float or ndarray (``inf`` where ``epsilon = 0``, 0 where ``epsilon = 1``).

    Examples
    --------
    >>> print(round(smoothing_optimal_logit_gap(0.2, 2), 4), round(math.log(9), 4))
    2.1972 2.1972
    >>> print(smoothing_optimal_logit_gap([0.0, 0.1], 10).round(3))
    [  inf 4.511]
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps, "epsilon", "It is the smoothing mass; 0 means hard labels.")
    with np.errstate(divide="ignore"):
        gap = np.log1p(np.where(eps > 0, k * (1 - eps) / np.where(eps > 0, eps, 1), np.inf))
    return float(gap) if gap.ndim == 0 else gap


def smoothing_loss_floor(epsilon, n_classes: int):
    r"""The lowest cross-entropy label smoothing allows: the entropy of the smoothed target.

    .. math:: H(t) = -\Big(1 - \varepsilon + \tfrac{\varepsilon}{K}\Big)\ln\Big(1 - \varepsilon + \tfrac{\varepsilon}{K}\Big)
              - (K - 1)\,\tfrac{\varepsilon}{K}\ln\tfrac{\varepsilon}{K}

    Examples
    --------
    >>> print(round(smoothing_loss_floor(0.2, 2), 4))     # H(0.9): the floor of a 0.9 target
    0.3251
    >>> print(smoothing_loss_floor(0.0, 5))
    0.0
    """
    k = check_int(n_classes, "n_classes", 2)
    eps = as_float_array(epsilon, "epsilon", dtype=np.float64)
    check_probabilities(eps, "epsilon", "It is the smoothing mass; 0 means hard labels.")
    on, off = 1 - eps + eps / k, eps / k
    floor = -xlogy(on, on) - (k - 1) * xlogy(off, off)
    return float(floor) if floor.ndim == 0 else floor
