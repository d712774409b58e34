"""Point clouds in the plane (XOR, a ring of classes, two blobs, three blobs and their outliers) and their features."""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, check_finite, check_int, check_matrix, check_positive, check_scalar

__all__ = ["xor", "xor_data", "product_features", "ring_classes", "ring_logits", "two_blobs", "cubic_features",
           "BLOB_CENTRES", "blobs", "outlier_ring", "radial_features", "ray"]


# ---------------------------------------------------------------- XOR, and the feature that separates it

def xor(n: int = 200, *, noise: float = 0.25, seed: int = 0):
    r"""Points around the four corners :math:`(\pm1, \pm1)`; label 1 where the signs of :math:`x_1, x_2` differ.

    No straight line separates the classes, but the product :math:`x_1 x_2` does
    (it is negative exactly for label 1, up to noise).

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int.

    Examples
    --------
    >>> X, y = xor(8, noise=0.0)
    >>> print(X[:4], y[:4])
    [[-1. -1.]
     [-1.  1.]
     [ 1. -1.]
     [ 1.  1.]] [0 1 1 0]
    """
    n = check_int(n, "n", 4)
    rng = np.random.default_rng(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + (rng.normal(scale=noise, size=(n, 2)) if noise > 0 else 0.0)
    y = (corners[idx, 0] * corners[idx, 1] < 0).astype(int)
    return X, y


def xor_data(n: int = 200, *, noise: float = 0.25, seed: int = 0):
    r"""XOR points that are exactly symmetric under :math:`x \mapsto -x`, with balanced labels.

    Draws ``n / 2`` points with :func:`xentlib.datasets.xor` and adds their
    mirror images :math:`-x`.  Reflection keeps :math:`x_1 x_2`, hence the
    label, so the data set is XOR still, and now the symmetry argument of
    notebook 04 holds exactly on it:

    .. math:: L(w, b) = L(-w, b) \quad\text{for every } w, b,

    where :math:`L` is the mean cross-entropy of :math:`\sigma(w^\top x + b)`.

    Parameters
    ----------
    n : int, a multiple of 8 (half of it a multiple of 4, so each corner gets
        the same number of points and the labels are balanced).
    noise, seed : passed to :func:`xentlib.datasets.xor`.

    Returns
    -------
    X : ndarray (n, 2) float64;  y : ndarray (n,) int, half of it 1.

    Examples
    --------
    >>> X, y = xor_data(16, noise=0.1)
    >>> print(X.shape, y.mean(), np.allclose(X[:8], -X[8:]))
    (16, 2) 0.5 True
    """
    n = check_int(n, "n", 8)
    if n % 8:
        raise ValueError(f"n must be a multiple of 8 (mirrored halves with equal corners); got {n}. Try {8 * round(n / 8) or 8}.")
    half_X, half_y = xor(n // 2, noise=noise, seed=seed)
    return np.vstack([half_X, -half_X]), np.concatenate([half_y, half_y])


def product_features(X) -> np.ndarray:
    r"""The inputs with the product feature appended: :math:`[x_1, x_2, x_1 x_2]`, shape (N, 3).

    On XOR the third column alone decides the class: :math:`x_1 x_2 < 0`
    exactly where the signs differ (label 1).

    Examples
    --------
    >>> print(product_features([[2.0, -3.0]]))
    [[ 2. -3. -6.]]
    """
    X = as_float_array(X, "X", dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2): the two XOR coordinates; got shape {X.shape}.")
    return np.column_stack([X, X[:, 0] * X[:, 1]])


# ---------------------------------------------------------------- classes on a ring, with their Bayes logits

def _check_n(n) -> int:
    return check_int(n, "n", 1)


def ring_classes(n: int = 500, *, n_classes: int = 5, radius: float = 2.2, scale: float = 1.0, seed: int = 0):
    r"""Gaussian classes whose means sit evenly on a circle: neighbours look alike, opposites do not.

    Class :math:`k` has mean :math:`\mu_k = r(\cos\phi_k, \sin\phi_k)`,
    :math:`\phi_k = 2\pi k/K`, and covariance :math:`s^2 I`.  Labels cycle
    through the classes (``y = i mod K`` before shuffling), so every class
    appears once ``n >= K``.  With equal priors the Bayes posterior is the
    softmax of the linear logits :func:`ring_logits`.

    This is the distillation data set: an example of class 0 is easily taken
    for class 1 or :math:`K-1`, rarely for the classes across the ring, and a
    good teacher's probabilities say so.

    Parameters
    ----------
    n : int >= 1, number of points.
    n_classes : int >= 2.  radius : float > 0.  scale : float > 0, the classes' standard deviation.
    seed : int, the random generator's seed.

    Returns
    -------
    X : ndarray (n, 2) float64;  y : ndarray (n,) int in [0, n_classes).

    Examples
    --------
    >>> X, y = ring_classes(10, n_classes=5, seed=0)
    >>> print(X.shape, np.bincount(y))
    (10, 2) [2 2 2 2 2]
    """
    n, k = _check_n(n), check_int(n_classes, "n_classes", 2)
    radius, scale = check_positive(radius, "radius"), check_positive(scale, "scale")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    rng.shuffle(y)
    return _ring_means(k, radius)[y] + scale * rng.normal(size=(n, 2)), y


def _ring_means(n_classes: int, radius: float) -> np.ndarray:
    angle = 2 * np.pi * np.arange(n_classes) / n_classes
    return radius * np.column_stack([np.cos(angle), np.sin(angle)])


def ring_logits(X, *, n_classes: int = 5, radius: float = 2.2, scale: float = 1.0) -> np.ndarray:
    r"""Bayes-optimal logits for :func:`ring_classes`: :math:`z_k(x) = \mu_k^\top x / s^2 - \lVert\mu_k\rVert^2 / 2s^2`.

    The posterior :math:`P(y = k \mid x) = \operatorname{softmax}(z(x))_k`
    (equal priors, shared covariance :math:`s^2 I`).

    Examples
    --------
    >>> print(np.round(ring_logits([[0.0, 0.0]], n_classes=4), 3))   # the centre: all classes alike
    [[-2.42 -2.42 -2.42 -2.42]]
    """
    k = check_int(n_classes, "n_classes", 2)
    radius, scale = check_positive(radius, "radius"), check_positive(scale, "scale")
    X = check_matrix(X, "X", 2)
    mu = _ring_means(k, radius)
    return (X @ mu.T - 0.5 * np.sum(mu**2, axis=1)) / scale**2


# ---------------------------------------------------------------- two noisy blobs, and cubic features to overfit them

def two_blobs(n: int = 30, *, separation: float = 2.0, seed: int = 0):
    r"""Two overlapping Gaussian classes in the plane, alternating labels: a small, noisy training set.

    Class 1 is centred at :math:`(+\mathrm{sep}/2, 0)`, class 0 at
    :math:`(-\mathrm{sep}/2, 0)`, both with identity covariance, so the Bayes
    posterior is :math:`\sigma(\mathrm{sep}\cdot x_1)` and its boundary the
    line :math:`x_1 = 0`.  A flexible model fitted to 30 such points bends
    its boundary around the noise and becomes over-confident: the setting for
    label smoothing and mixup.

    Returns
    -------
    X : ndarray (n, 2);  y : ndarray (n,) int, half of it 1 (``y = i mod 2``).

    Examples
    --------
    >>> X, y = two_blobs(6, seed=1)
    >>> print(X.shape, y)
    (6, 2) [0 1 0 1 0 1]
    """
    n = _check_n(n)
    separation = check_scalar(separation, "separation")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2))
    X[:, 0] += np.where(y == 1, separation / 2, -separation / 2)
    return X, y


def cubic_features(X) -> np.ndarray:
    r"""Every product of Hermite polynomials in :math:`x_1, x_2` of total degree 1 to 3: shape (N, 9).

    With :math:`h_1(x) = x`, :math:`h_2(x) = (x^2 - 1)/\sqrt2`,
    :math:`h_3(x) = (x^3 - 3x)/\sqrt6` (the probabilists' Hermite
    polynomials, normalised), the columns are

    .. math:: \big[h_1(x_1),\ h_1(x_2),\ h_2(x_1),\ h_1(x_1)h_1(x_2),\ h_2(x_2),\
              h_3(x_1),\ h_2(x_1)h_1(x_2),\ h_1(x_1)h_2(x_2),\ h_3(x_2)\big].

    They span the same functions as the monomials :math:`x_1^a x_2^b`,
    :math:`1 \le a + b \le 3`, so a softmax regression on them has a cubic
    decision boundary, flexible enough to chase the noise in 30 points.
    Unlike raw monomials they are uncorrelated with unit variance for
    standard normal inputs, which keeps gradient descent well conditioned.

    Examples
    --------
    >>> print(cubic_features([[1.0, 2.0]]).round(3))
    [[ 1.     2.     0.     2.     2.121 -0.816  0.     2.121  0.816]]
    """
    X = check_matrix(X, "X", 2)
    x1, x2 = X[:, 0], X[:, 1]
    a1, a2, a3 = x1, (x1 * x1 - 1) / math.sqrt(2), (x1**3 - 3 * x1) / math.sqrt(6)
    b1, b2, b3 = x2, (x2 * x2 - 1) / math.sqrt(2), (x2**3 - 3 * x2) / math.sqrt(6)
    return np.column_stack([a1, b1, a2, a1 * b1, b2, a3, a2 * b1, a1 * b2, b3])


# ---------------------------------------------------------------- three blobs, outliers around them, rays out of them

#: The three in-distribution classes: blob centres on a circle of radius 2.5, at 90°, 210° and 330°.
BLOB_CENTRES = 2.5 * np.array([[math.cos(math.radians(a)), math.sin(math.radians(a))] for a in (90.0, 210.0, 330.0)])


def blobs(n_per_class: int = 100, *, spread: float = 0.7, seed: int = 0):
    r"""Three Gaussian classes in the plane, :math:`x \mid y = k \sim \mathcal N(\mu_k, \mathrm{spread}^2 I)`.

    The centres :math:`\mu_k` are :data:`BLOB_CENTRES`.  Returns ``X``
    (3 n, 2) and ``y`` (3 n,), class by class.

    Examples
    --------
    >>> X, y = blobs(2, spread=0.0)
    >>> print(X.round(3), y)
    [[ 0.     2.5  ]
     [ 0.     2.5  ]
     [-2.165 -1.25 ]
     [-2.165 -1.25 ]
     [ 2.165 -1.25 ]
     [ 2.165 -1.25 ]] [0 0 1 1 2 2]
    """
    n = check_int(n_per_class, "n_per_class", 1)
    s = check_scalar(spread, "spread")
    if not (0 <= s < math.inf):
        raise ValueError(f"spread must be a finite number >= 0; got {spread!r}.")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(BLOB_CENTRES)), n)
    return BLOB_CENTRES[y] + s * rng.normal(size=(len(y), 2)), y


def outlier_ring(n: int, *, r_min: float, r_max: float, seed: int = 0) -> np.ndarray:
    r"""``n`` points spread uniformly over the annulus :math:`r_{\min} \le \lVert x \rVert \le r_{\max}`.

    Uniform in area: the angle is uniform and :math:`r^2` is uniform on
    :math:`[r_{\min}^2, r_{\max}^2]`.

    Examples
    --------
    >>> X = outlier_ring(1000, r_min=5.0, r_max=10.0)
    >>> r = np.hypot(X[:, 0], X[:, 1])
    >>> print(X.shape, r.min() >= 5.0, r.max() <= 10.0)
    (1000, 2) True True
    """
    n = check_int(n, "n", 1)
    lo, hi = check_scalar(r_min, "r_min"), check_scalar(r_max, "r_max")
    if not (0 <= lo <= hi < math.inf):
        raise ValueError(f"need 0 <= r_min <= r_max < inf; got r_min={r_min!r}, r_max={r_max!r}.")
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2 * math.pi, n)
    radius = np.sqrt(rng.uniform(lo**2, hi**2, n))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def radial_features(X, *, scale: float = 10.0) -> np.ndarray:
    r"""The features :math:`[x_1, x_2, \lVert x\rVert^2/\mathrm{scale}]` of points in the plane.

    A softmax regression on these has logits
    :math:`z_k = w_k^\top x + c_k \lVert x \rVert^2/\mathrm{scale} + b_k`.  The
    Bayes classifier of Gaussian blobs with a shared spread needs only the linear
    part, so the classification loss leaves the :math:`c_k` near 0; with all
    :math:`c_k < 0` every logit falls far from the data and the energy rises,
    which only the energy-margin loss asks for.  ``scale`` keeps the third
    feature about as large as the others.

    Examples
    --------
    >>> print(radial_features([[3.0, 4.0]]))
    [[3.  4.  2.5]]
    """
    X = check_finite(as_float_array(X, "X", dtype=np.float64), "X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), points in the plane; got shape {X.shape}.")
    s = check_positive(scale, "scale")
    return np.column_stack([X, np.sum(X**2, axis=1) / s])


def ray(direction: float, distances) -> np.ndarray:
    r"""Points at the given ``distances`` from the origin in the direction ``direction`` (degrees, anticlockwise from +x).

    Examples
    --------
    >>> print(ray(90.0, [0.0, 2.0]).round(6))
    [[0. 0.]
     [0. 2.]]
    """
    angle = math.radians(check_scalar(direction, "direction"))
    d = check_finite(as_float_array(distances, "distances", dtype=np.float64), "distances").reshape(-1)
    return np.column_stack([d * math.cos(angle), d * math.sin(angle)])
