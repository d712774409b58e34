"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import check_in_range, check_int, check_matrix, check_positive, check_scalar

__all__ = [
    "xor", "two_gaussians", "NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts",
    # data of surprise and gradients (lessons 01, 02):

    # data of mse_vs_ce and xor_features (lessons 03, 04):

    # data of calibration (lesson 05):

    # data of imbalance (lesson 06):

    # data of lm_perplexity (lesson 07):

    # data of information (lesson 08):

    # data of soft_targets (lesson 09):
    "ring_classes", "ring_logits", "two_blobs", "cubic_features",

    # data of energy_ood (lesson 10):

]


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


def two_gaussians(n: int = 200, *, separation: float = 2.0, scale: float = 1.0, dim: int = 1, prior: float = 0.5, seed: int = 0):
    r"""Two Gaussian classes with means :math:`\mp\,\mathrm{separation}/2` along the first axis.

    With equal priors the Bayes posterior is a logistic function of :math:`x_1`:
    :math:`P(y=1 \mid x) = \sigma(\mathrm{separation}\cdot x_1 / \mathrm{scale}^2)`.

    Returns ``X`` (n, dim) and ``y`` (n,) int, with about ``prior * n`` positives.
    """
    n = check_int(n, "n", 2)
    check_positive(scale, "scale")
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prior).astype(int)
    X = rng.normal(scale=scale, size=(n, dim))
    X[:, 0] += np.where(y == 1, separation / 2, -separation / 2)
    return X, y


# ---------------------------------------------------------------- DNA barcodes

#: The four DNA bases, in the order used for k-mer columns (A < C < G < T).
NUCLEOTIDES = "ACGT"

_CODE = np.full(256, -1, dtype=np.int64)
for _i, _base in enumerate(NUCLEOTIDES):
    _CODE[ord(_base)] = _CODE[ord(_base.lower())] = _i


class Barcodes(NamedTuple):
    """A toy DNA-barcode data set: reads, the species each came from, and every species' reference barcode.

    ``genus[j]`` is the group species ``j`` belongs to: species of one genus share
    a recent ancestor, so their barcodes are more alike than those of different genera.
    """

    reads: list
    species: np.ndarray
    references: list
    genus: np.ndarray


def _mutate(rng, codes: np.ndarray, rate: float) -> np.ndarray:
    """Substitute each base, independently with probability ``rate``, by one of the other three."""
    hit = rng.random(codes.shape) < rate
    shift = rng.integers(1, 4, size=codes.shape)  # 1..3: never the same base again
    return np.where(hit, (codes + shift) % 4, codes)


def dna_barcodes(n_species: int = 6, reads_per_species: int = 40, *, length: int = 300, n_genera: int = 2,
                 genus_divergence: float = 0.2, species_divergence: float = 0.06, mutation_rate: float = 0.03,
                 seed: int = 0) -> Barcodes:
    r"""Synthetic DNA-barcode reads of several species, for species identification as a softmax problem.

    A DNA barcode is a short stretch of a gene (for animals, ~650 bases of the
    mitochondrial COI gene) that varies little within a species and more
    between species, so a read of it identifies the species: the fish in a tin
    labelled "tuna", say.  This generator mimics that structure, with no real
    sequences:

    1. a random ancestor of ``length`` bases (A, C, G, T uniformly);
    2. ``n_genera`` genus barcodes, each the ancestor with every base
       substituted with probability ``genus_divergence``;
    3. species ``j`` belongs to genus ``j * n_genera // n_species`` and its
       reference barcode is that genus barcode with substitutions at rate
       ``species_divergence`` (close relatives differ little);
    4. each read is its species' reference with sequencing errors and
       individual variation: substitutions at rate ``mutation_rate``.

    Parameters
    ----------
    n_species : int >= 2.  reads_per_species : int >= 1.  length : int >= 1.
    n_genera : int in [1, n_species].
    genus_divergence, species_divergence, mutation_rate : float in [0, 1].
    seed : int, makes everything reproducible.

    Returns
    -------
    Barcodes: ``reads`` (list of str, species by species), ``species`` (int array),
    ``references`` (one str per species), ``genus`` (int array, one per species).

    Examples
    --------
    >>> data = dna_barcodes(3, 2, length=12, n_genera=1, seed=1)
    >>> print(len(data.reads), data.species, len(data.references[0]), set("".join(data.reads)) <= set("ACGT"))
    6 [0 0 1 1 2 2] 12 True
    """
    n_species = check_int(n_species, "n_species", 2)
    reads_per_species = check_int(reads_per_species, "reads_per_species", 1)
    length = check_int(length, "length", 1)
    n_genera = check_int(n_genera, "n_genera", 1)
    if n_genera > n_species:
        raise ValueError(f"n_genera must be at most n_species ({n_species}); got {n_genera}. Each genus needs a species.")
    rates = {name: check_in_range(value, name, 0.0, 1.0, "It is a per-base substitution probability.")
             for name, value in (("genus_divergence", genus_divergence), ("species_divergence", species_divergence),
                                 ("mutation_rate", mutation_rate))}
    rng = np.random.default_rng(seed)
    ancestor = rng.integers(0, 4, size=length)
    genera = [_mutate(rng, ancestor, rates["genus_divergence"]) for _ in range(n_genera)]
    genus = np.arange(n_species) * n_genera // n_species
    references = [_mutate(rng, genera[g], rates["species_divergence"]) for g in genus]
    letters = np.array(list(NUCLEOTIDES))
    reads, species = [], []
    for j, ref in enumerate(references):
        for _ in range(reads_per_species):
            reads.append("".join(letters[_mutate(rng, ref, rates["mutation_rate"])]))
            species.append(j)
    return Barcodes(reads, np.array(species), ["".join(letters[ref]) for ref in references], genus)


def kmer_names(k: int) -> list:
    """Every k-mer over A, C, G, T in column order of :func:`kmer_counts` (lexicographic).

    Examples
    --------
    >>> print(kmer_names(1), kmer_names(2)[:5])
    ['A', 'C', 'G', 'T'] ['AA', 'AC', 'AG', 'AT', 'CA']
    """
    k = check_int(k, "k", 1)
    letters = np.array(list(NUCLEOTIDES))
    idx = np.arange(4**k)
    digits = (idx[:, None] // 4 ** np.arange(k - 1, -1, -1)) % 4
    return ["".join(row) for row in letters[digits]]


def kmer_counts(reads, k: int, *, normalize: bool = False) -> np.ndarray:
    r"""Count every overlapping k-mer (substring of length k) in each read.

    A read of length :math:`L` has :math:`L - k + 1` overlapping k-mers.
    Column :math:`j` counts the k-mer whose bases, read as base-4 digits with
    A=0, C=1, G=2, T=3, spell :math:`j` (the order of :func:`kmer_names`).
    The counts turn sequences of any length into fixed-length feature vectors
    that a linear softmax classifier can use: :math:`4^k` features.

    Parameters
    ----------
    reads : str or sequence of str over A, C, G, T (either case).
    k : int >= 1.
    normalize : bool. If True, divide each row by its number of k-mers, giving frequencies.

    Returns
    -------
    ndarray (n_reads, 4**k): float64 counts (or frequencies).

    Examples
    --------
    >>> print(kmer_counts("ACGTA", 1), kmer_counts(["AAAC"], 2)[0, :4])
    [[2. 1. 1. 1.]] [2. 1. 0. 0.]
    """
    k = check_int(k, "k", 1)
    if isinstance(reads, str):
        reads = [reads]
    out = np.zeros((len(reads), 4**k))
    powers = 4 ** np.arange(k - 1, -1, -1)
    for i, read in enumerate(reads):
        if not isinstance(read, str):
            raise TypeError(f"reads must be strings of A, C, G, T; read {i} is {type(read).__name__}.")
        codes = _CODE[np.frombuffer(read.encode("utf-8"), dtype=np.uint8)]
        if codes.size != len(read) or (codes < 0).any():
            bad = next(ch for ch in read if ch.upper() not in NUCLEOTIDES)
            raise ValueError(f"read {i} contains {bad!r} at position {read.index(bad)}; only A, C, G, T are allowed. "
                             "Drop reads with ambiguous bases (N) or split them at those positions.")
        if codes.size < k:
            if normalize:
                raise ValueError(f"read {i} has {codes.size} bases, fewer than k={k}: it has no k-mers to normalise.")
            continue
        index = np.lib.stride_tricks.sliding_window_view(codes, k) @ powers
        out[i] = np.bincount(index, minlength=4**k)
    if normalize:
        out /= out.sum(axis=1, keepdims=True)
    return out


# --------------------------------------------------------------------------- data of surprise and gradients (lessons 01, 02)


# --------------------------------------------------------------------------- data of mse_vs_ce and xor_features (lessons 03, 04)


# --------------------------------------------------------------------------- data of calibration (lesson 05)


# --------------------------------------------------------------------------- data of imbalance (lesson 06)


# --------------------------------------------------------------------------- data of lm_perplexity (lesson 07)


# --------------------------------------------------------------------------- data of information (lesson 08)


# --------------------------------------------------------------------------- data of soft_targets (lesson 09)

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



# --------------------------------------------------------------------------- data of energy_ood (lesson 10)
