"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded)."""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_finite,
    check_in_range,
    check_int,
    check_matrix,
    check_positive,
    check_scalar,
)
from .gaussian_fits import gaussian_mixture_on_grid
from .links import sigmoid
from .segments import SecondaryStructure

__all__ = [
    "xor", "two_gaussians", "NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts",
    # data of surprise and gradients (lessons 01, 02):
    "sgd_data",

    # data of mse_vs_ce and xor_features (lessons 03, 04):
    "Forecasters", "two_forecasters", "xor_data", "product_features",

    # data of calibration (lesson 05):
    "true_probability", "Splits", "gaussian_splits",

    # data of imbalance (lesson 06):
    "screening_data",

    # data of lm_perplexity (lesson 07):

    # data of information (lesson 08):
    "LOADED_DIE", "die_rolls", "KL_GRID", "bimodal_target", "bayes_data", "FISH", "barcode_data",

    # data of soft_targets (lesson 09):
    "ring_classes", "ring_logits", "two_blobs", "cubic_features",

    # data of energy_ood (lesson 10):
    "BLOB_CENTRES", "blobs", "outlier_ring", "radial_features", "ray", "secondary_structure",

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

def sgd_data(n: int = 30, *, seed: int = 1):
    """The 1-D data set of the SGD stepper: two Gaussian classes at -1 and +1 (``two_gaussians``)."""
    return two_gaussians(n, separation=2.0, seed=seed)


# --------------------------------------------------------------------------- data of mse_vs_ce and xor_features (lessons 03, 04)

class Forecasters(NamedTuple):
    """Labels and the probability of class 1 given by two forecasters on the same examples."""

    y: np.ndarray
    hesitant: np.ndarray
    confident: np.ndarray


def two_forecasters(n: int = 20, n_wrong: int = 2, *, hesitant: float = 0.6, confident: float = 0.99,
                    blunder: float = 1e-6) -> Forecasters:
    r"""Two forecasters who get the same examples wrong, one hesitantly and one confidently.

    Half of the ``n`` labels are 1.  On the ``n - n_wrong`` examples both get
    right, the hesitant forecaster gives the true class probability
    ``hesitant`` and the confident one ``confident``; on the ``n_wrong``
    examples both get wrong, they give the true class ``1 - hesitant`` and
    ``blunder`` respectively.  Accuracy is therefore equal, and per example

    .. math:: (p - y)^2 = (1 - p_{\text{true}})^2 \le 1, \qquad -\ln p_{\text{true}} \to \infty \text{ as } p_{\text{true}} \to 0 .

    Examples
    --------
    >>> from xentlib.losses import binary_cross_entropy, brier_score
    >>> f = two_forecasters()
    >>> print(round(brier_score(f.confident, f.y), 4), round(binary_cross_entropy(f.confident, f.y), 3))
    0.1 1.391
    """
    n = check_int(n, "n", 2)
    n_wrong = check_int(n_wrong, "n_wrong", 0)
    if n_wrong > n:
        raise ValueError(f"n_wrong must be at most n = {n}; got {n_wrong}.")
    for value, name in ((hesitant, "hesitant"), (confident, "confident"), (blunder, "blunder")):
        check_in_range(value, name, 0.0, 1.0, "it is the probability given to the true class.")
    y = (np.arange(n) % 2 == 0).astype(float)
    wrong = np.arange(n) >= n - n_wrong
    true_class_hesitant = np.where(wrong, 1 - hesitant, hesitant)
    true_class_confident = np.where(wrong, blunder, confident)
    to_class_one = lambda q: np.where(y == 1, q, 1 - q)  # noqa: E731  probability of the true class -> of class 1
    return Forecasters(y, to_class_one(true_class_hesitant), to_class_one(true_class_confident))


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


# --------------------------------------------------------------------------- data of calibration (lesson 05)

def true_probability(x, *, separation: float = 2.0):
    r"""The Bayes posterior of :func:`xentlib.datasets.two_gaussians` with equal priors and unit variance.

    .. math:: P(y = 1 \mid x) = \frac{\tfrac12 \mathcal N(x_1; +s/2, 1)}{\tfrac12 \mathcal N(x_1; -s/2, 1)
              + \tfrac12 \mathcal N(x_1; +s/2, 1)} = \sigma(s\, x_1)

    Parameters
    ----------
    x : array_like, the first coordinate :math:`x_1` (a scalar, shape (N,), or (N, d): column 0 is used).
    separation : float > 0, the distance :math:`s` between the class means.

    Examples
    --------
    >>> print(true_probability([0.0, 1.0]))      # 0.5 on the boundary, sigmoid(2) at x = 1
    [0.5    0.8808]
    """
    s = check_positive(separation, "separation")
    x = as_float_array(x, "x", dtype=np.float64)
    return sigmoid(s * (x[:, 0] if x.ndim == 2 else x))


class Splits(NamedTuple):
    """A data set cut into a training, a validation (for fitting a temperature) and a test split."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def gaussian_splits(n_train: int = 60, n_val: int = 1000, n_test: int = 2000, *, separation: float = 2.0,
                    seed: int = 0) -> Splits:
    r"""Two overlapping 2-d Gaussian classes, split into train / validation / test.

    One sample of :func:`xentlib.datasets.two_gaussians` (``dim=2``, means
    :math:`\mp s/2` on the first axis), cut in that order.  The draws are
    independent, so each split is a fresh sample of the same distribution;
    the second coordinate is pure noise, something for a flexible model to
    overfit.

    Examples
    --------
    >>> data = gaussian_splits(10, 20, 30)
    >>> print(data.X_train.shape, data.y_val.shape, data.X_test.shape)
    (10, 2) (20,) (30, 2)
    """
    sizes = [check_int(n, name, 2) for n, name in ((n_train, "n_train"), (n_val, "n_val"), (n_test, "n_test"))]
    X, y = two_gaussians(sum(sizes), separation=separation, dim=2, seed=seed)
    cuts = np.cumsum(sizes)[:-1]
    (X_tr, X_va, X_te), (y_tr, y_va, y_te) = np.split(X, cuts), np.split(y, cuts)
    return Splits(X_tr, y_tr, X_va, y_va, X_te, y_te)


# --------------------------------------------------------------------------- data of imbalance (lesson 06)

def screening_data(n: int = 10_000, *, minority: float = 0.01, separation: float = 3.0, seed: int = 0):
    r"""One-feature data with an exact class ratio: ``round(minority * n)`` positives.

    Class 0 is :math:`\mathcal N(-s/2, 1)`, class 1 is :math:`\mathcal N(s/2, 1)`
    with :math:`s` = ``separation``; so the Bayes log-odds are
    :math:`s\,x + \ln(\pi_1/\pi_0)` and logistic regression is the right model.
    Unlike :func:`xentlib.datasets.two_gaussians` (which draws each label at
    random), the number of positives is fixed, so "99:1" is exactly 99:1.

    Returns
    -------
    X : ndarray (n, 1), negatives first;  y : int ndarray (n,).

    Examples
    --------
    >>> X, y = screening_data(1000)
    >>> print(X.shape, y.sum(), np.bincount(y).tolist())
    (1000, 1) 10 [990, 10]
    """
    n = check_int(n, "n", 2)
    minority = check_in_range(minority, "minority", 0.0, 0.5, "The minority is the rarer class: at most half.")
    check_positive(separation, "separation")
    n1 = int(round(minority * n))
    if n1 < 1:
        raise ValueError(f"minority * n must round to at least one positive; got {minority} * {n}. Increase n.")
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(-separation / 2, 1.0, n - n1), rng.normal(separation / 2, 1.0, n1)])
    y = np.concatenate([np.zeros(n - n1, dtype=int), np.ones(n1, dtype=int)])
    return x[:, None], y


# --------------------------------------------------------------------------- data of lm_perplexity (lesson 07)


# --------------------------------------------------------------------------- data of information (lesson 08)

#: The true face probabilities of the loaded die of section 1 (six is favoured).
LOADED_DIE = np.array([0.12, 0.12, 0.12, 0.12, 0.12, 0.40])


def die_rolls(n: int = 60, *, seed: int = 0) -> np.ndarray:
    """``n`` rolls of :data:`LOADED_DIE`, as faces 0..5 (face 5 is the six).

    Examples
    --------
    >>> rolls = die_rolls(10, seed=1)
    >>> print(rolls.shape, rolls.min() >= 0, rolls.max() <= 5)
    (10,) True True
    """
    n = check_int(n, "n", 1)
    return np.random.default_rng(seed).choice(6, size=n, p=LOADED_DIE)



#: The grid every density of the KL figure lives on: [-16, 16] in steps of 1/16, wide enough that even the
#: broadest forward fit (sigma about 4) is not cut off by its ends.
KL_GRID = np.linspace(-16.0, 16.0, 513)


def bimodal_target(separation: float, weight: float = 0.5) -> np.ndarray:
    r"""Two unit-width Gaussian humps at :math:`\mp d/2` on :data:`KL_GRID`, the left one with mass ``weight``.

    .. math:: p(x) \propto w\, \mathcal N(x; -d/2, 1) + (1 - w)\, \mathcal N(x; d/2, 1)

    Examples
    --------
    >>> p = bimodal_target(4.0, 0.5)
    >>> print(round(p.sum(), 12), round(p @ KL_GRID, 12) + 0.0)
    1.0 0.0
    """
    d = check_in_range(separation, "separation", 0.0, 12.0, "It is the distance between the humps, in hump widths.")
    w = check_in_range(weight, "weight", 0.0, 1.0, "It is the share of the mass in the left hump.")
    return gaussian_mixture_on_grid(KL_GRID, [-d / 2, d / 2], [1.0, 1.0], [w, 1.0 - w])



@functools.lru_cache(maxsize=None)
def bayes_data():
    r"""A small, high-dimensional logistic problem where the prior matters: ``(X, y, X_test, y_test)``.

    40 training and 4000 test points in 10 dimensions: two unit Gaussians
    1.5 apart along :math:`x_1` only, so the other nine features are pure
    noise, and with 40 points a model can fit that noise.  (Treat the arrays
    as read-only: they are cached.)

    Examples
    --------
    >>> X, y, X_test, y_test = bayes_data()
    >>> print(X.shape, X_test.shape, y.mean())
    (40, 10) (4000, 10) 0.5
    """
    X, y = two_gaussians(40, separation=1.5, dim=10, seed=1)
    X_test, y_test = two_gaussians(4000, separation=1.5, dim=10, seed=2)
    return X, y, X_test, y_test



#: The species of the barcode example: two genera of three (synthetic sequences, named for the story).
FISH = ("bluefin tuna", "yellowfin tuna", "bigeye tuna", "Atlantic cod", "haddock", "Alaska pollock")


@functools.lru_cache(maxsize=None)
def barcode_data():
    r"""The barcode data set, split in half: ``(data, train, test)`` with boolean masks over the reads.

    :func:`dna_barcodes` with the six :data:`FISH`, 40 reads
    each, 250 bases, species within a genus 3 % apart and reads with 8 %
    substitutions; even-numbered reads train, odd-numbered reads test.

    Examples
    --------
    >>> data, train, test = barcode_data()
    >>> print(len(data.reads), train.sum(), test.sum(), len(data.reads[0]))
    240 120 120 250
    """
    data = dna_barcodes(len(FISH), 40, length=250, n_genera=2, species_divergence=0.03, mutation_rate=0.08, seed=0)
    train = np.arange(len(data.reads)) % 2 == 0
    return data, train, ~train



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


# Segment lengths (inclusive ranges, residues) of the toy generator: long helices, short strands, loops between.
_LENGTHS = {0: (10, 18), 1: (4, 8), 2: (3, 8)}


def secondary_structure(length: int = 120, *, signal: float = 1.5, noise: float = 1.0, seed: int = 0) -> SecondaryStructure:
    r"""A seeded toy protein secondary structure with noisy per-residue predictions.

    The true track alternates coil loops (3-8 residues) with a helix (10-18,
    probability 0.6) or a sheet strand (4-8).  The "predictor" scores each
    residue on its own,

    .. math:: z_t = \mathrm{signal}\cdot \mathrm{onehot}(y_t) + \mathrm{noise}\cdot \varepsilon_t,\qquad \varepsilon_t \sim \mathcal N(0, I_3),

    independently along the chain, so its argmax is right about three times in
    four but flips state every few residues: the fragmented predictions a
    per-residue cross-entropy produces.

    Examples
    --------
    >>> protein = secondary_structure(40, seed=1)
    >>> print(protein.string())
    CCCCCEEEEEECCCEEEECCCCHHHHHHHHHHHHCCCCHH
    >>> from xentlib.segments import count_segments
    >>> print(protein.logits.shape, count_segments(protein.labels))
    (40, 3) 8
    """
    length = check_int(length, "length", 1)
    signal, noise = check_scalar(signal, "signal"), check_scalar(noise, "noise")
    if not (math.isfinite(signal) and 0 <= noise < math.inf):
        raise ValueError(f"signal must be finite and noise a finite number >= 0; got signal={signal!r}, noise={noise!r}.")
    rng = np.random.default_rng(seed)
    labels: list[int] = []
    state = 2
    while len(labels) < length:
        lo, hi = _LENGTHS[state]
        labels += [state] * int(rng.integers(lo, hi + 1))
        state = int(rng.choice([0, 1], p=[0.6, 0.4])) if state == 2 else 2
    y = np.array(labels[:length])
    z = signal * np.eye(3)[y] + noise * rng.normal(size=(length, 3))
    return SecondaryStructure(y, z)
