"""Input checks shared by every public function.

Each check raises a ``ValueError`` or ``TypeError`` whose message names the
argument, says what was found and gives a hint, so a learner never gets a
silently wrong number.  The checks are cheap: a full element-wise test runs
only when a one-pass reduction has already said something is off.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def _hint(text: str) -> str:
    """A hint appended to a message, with the space only when there is one."""
    return f" {text}" if text else ""

# How far a probability row may drift from summing to 1 (rounding, not mistakes).
_SUM_TOLERANCE = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-6}


def as_float_array(x, name: str, dtype=None) -> np.ndarray:
    """Return ``x`` as a floating array: float32 and float64 are kept, ints and bools become float64."""
    try:
        a = np.asarray(x)
    except Exception as err:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like of real numbers; could not convert it ({err}).") from None
    # The dtype check comes first even when ``dtype`` is given: casting would turn "0.5" into 0.5 silently.
    if a.dtype.kind not in "fbiu":
        raise TypeError(
            f"{name} must hold real numbers; got dtype {a.dtype}. "
            "Convert it with np.asarray(..., dtype=float)."
        )
    if dtype is not None:
        target = np.dtype(dtype)
    elif a.dtype.kind == "f":
        target = np.promote_types(a.dtype, np.float32)  # float16 -> float32
    else:
        target = np.dtype(np.float64)
    return a.astype(target, copy=False)


def check_finite(a: np.ndarray, name: str, hint: str = "") -> np.ndarray:
    """Raise if ``a`` holds NaN or ±inf."""
    with np.errstate(over="ignore", invalid="ignore"):
        quick = np.isfinite(np.sum(a))  # one read-only pass; NaN and inf propagate
    if not quick and not np.isfinite(a).all():
        n_nan = int(np.isnan(a).sum())
        n_inf = int(np.isinf(a).sum())
        raise ValueError(
            f"{name} must be finite; found {n_nan} NaN and {n_inf} infinite value(s). "
            + (hint or "Check the computation that produced it.")
        )
    return a


def check_probabilities(a: np.ndarray, name: str, hint: str = "") -> np.ndarray:
    """Raise unless every entry of ``a`` lies in [0, 1]."""
    if np.isnan(a).any():
        raise ValueError(f"{name} must lie in [0, 1]; found NaN." + _hint(hint))
    if a.size and (a.min() < 0 or a.max() > 1):
        raise ValueError(
            f"{name} must lie in [0, 1]; got min={a.min():.4g}, max={a.max():.4g}." + _hint(hint)
        )
    return a


def check_distribution(a: np.ndarray, name: str, axis: int = -1) -> np.ndarray:
    """Raise unless ``a`` holds probability distributions along ``axis``."""
    check_probabilities(a, name, "Did you pass logits? Turn them into probabilities with softmax.")
    if a.ndim == 0:
        raise ValueError(f"{name} must be a distribution with at least one axis; got a scalar.")
    sums = a.sum(axis=axis)
    tol = _SUM_TOLERANCE.get(a.dtype, 1e-6)
    if sums.size and np.abs(sums - 1).max() > tol:
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}; got sums between {sums.min():.6g} and {sums.max():.6g}. "
            f"Normalise it with p / p.sum(axis={axis}, keepdims=True)."
        )
    return a


def check_reduction(reduction) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}.")
    return reduction


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}. "
            "Pass one value per example (reshape or squeeze the one with extra axes)."
        )


def check_positive(value, name: str, hint: str = "") -> float:
    """A positive finite scalar (temperatures, smoothing scales)."""
    v = check_scalar(value, name)
    if not (v > 0 and math.isfinite(v)):
        raise ValueError(f"{name} must be a positive finite number; got {value!r}." + _hint(hint))
    return v


def check_scalar(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}.")
    return float(value)


def check_in_range(value, name: str, low: float, high: float, hint: str = "") -> float:
    """A scalar in the closed interval [low, high]."""
    v = check_scalar(value, name)
    if not (low <= v <= high):
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}]; got {value!r}." + _hint(hint))
    return v


def check_gamma(gamma) -> float:
    g = check_scalar(gamma, "gamma")
    if not (0 <= g < math.inf):  # gamma = inf would make the gradient inf * 0 = NaN
        raise ValueError(
            f"gamma must be a finite number >= 0; got {gamma!r}. "
            "gamma = 0 is plain cross-entropy; larger values focus on hard examples."
        )
    return g


def check_base(base) -> float:
    b = check_scalar(base, "base")
    if not (b > 0 and b != 1 and math.isfinite(b)):
        raise ValueError(f"base must be a positive number other than 1; got {base!r}. Use math.e for nats or 2 for bits.")
    return b


def check_int(value, name: str, low: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r}.")
    if value < low:
        raise ValueError(f"{name} must be at least {low}; got {value}.")
    return int(value)


def check_class_labels(y, n_classes: int | None, name: str = "y") -> np.ndarray:
    """Integer labels in [0, n_classes)."""
    a = np.asarray(y)
    if a.size == 0 and a.dtype.kind == "f":  # np.asarray([]) is float64: no label in it is a float
        a = a.astype(np.intp)
    if a.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer class labels; got dtype {a.dtype}. "
            f"Cast whole-number labels with {name}.astype(int), or pass one probability row per example."
        )
    too_high = n_classes is not None and a.size and a.max() >= n_classes
    if a.size and (a.min() < 0 or too_high):
        bound = "" if n_classes is None else f", {n_classes}"
        raise ValueError(
            f"{name} must hold class labels in [0{bound}); got min={a.min()}, max={a.max()}. "
            "Labels are 0-based: relabel them with np.unique(y, return_inverse=True)."
        )
    return a


def check_binary_labels(y: np.ndarray, name: str = "y") -> np.ndarray:
    """Hard labels: every entry exactly 0 or 1."""
    if not np.isin(y, (0, 1)).all():
        bad = y[~np.isin(y, (0, 1))].ravel()[0].item()  # .item(): show 0.5, not np.float64(0.5)
        raise ValueError(
            f"{name} must hold hard labels 0 or 1 for this loss; found {bad!r}. "
            "Soft labels work with binary_cross_entropy_with_logits."
        )
    return y


LOGIT_HINT = "Logits are raw model scores; look for an overflow or a division by zero upstream."


def check_logits_2d(z, name: str = "z", *, dtype=None) -> np.ndarray:
    """Finite class logits of shape (N, C): one row per example."""
    z = check_finite(as_float_array(z, name, dtype=dtype), name, LOGIT_HINT)
    if z.ndim != 2:
        raise ValueError(
            f"{name} must have shape (N, C), one row of class logits per example; got shape {z.shape}. "
            f"For a single example use {name}[None, :]."
        )
    return z


def check_std(sigma, name: str = "sigma") -> np.ndarray:
    """Finite, positive standard deviations, as float64."""
    sigma = check_finite(as_float_array(sigma, name, dtype=np.float64), name)
    if np.any(sigma <= 0):
        raise ValueError(f"{name} must be positive (a standard deviation); got min {sigma.min():.4g}.")
    return sigma


def check_text(text, name: str) -> str:
    """A non-empty ``str`` (a text to fit, score or split)."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str; got {type(text).__name__}. Read a file with open(...).read() "
                        "or load_corpus().")
    if not text:
        raise ValueError(f"{name} must not be empty.")
    return text


def check_class_logits(z, name: str = "z") -> np.ndarray:
    """Finite float64 logits of shape (N, K) with K >= 2 classes: one row per input (the OOD scores, the sequence smoother)."""
    z = check_finite(as_float_array(z, name, dtype=np.float64), name, LOGIT_HINT)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"{name} must have shape (N, K) with K >= 2 classes, one row of logits per input; "
                         f"got shape {z.shape}. For a single input use {name}[None, :].")
    return z


def check_margins(m_in, m_out) -> tuple[float, float]:
    """The energy margins ``m_in < m_out`` of the energy-margin loss, both finite (its loss and its trainer)."""
    lo, hi = check_scalar(m_in, "m_in"), check_scalar(m_out, "m_out")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"m_in must be finite and below m_out; got m_in={m_in!r}, m_out={m_out!r}. "
                         "In-distribution energies are pushed below m_in, OOD energies above m_out, e.g. m_in=-7, m_out=-2.")
    return lo, hi
def check_matrix(X, name: str, width: int | None = None) -> np.ndarray:
    """Finite float64 data of shape (N, d), or (N, ``width``) when ``width`` is given."""
    X = check_finite(as_float_array(X, name, dtype=np.float64), name)
    if X.ndim != 2 or (width is not None and X.shape[1] != width):
        want = f"(N, {width})" if width is not None else "(N, d)"
        raise ValueError(f"{name} must have shape {want}; got shape {X.shape}.")
    return X


def check_smoothing_epsilon(epsilon) -> float:
    """A label-smoothing mass in [0, 1]."""
    return check_in_range(epsilon, "epsilon", 0.0, 1.0, "It is the smoothing mass; 0 means hard labels, 0.1 is typical.")
