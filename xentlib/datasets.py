"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_in_range, check_int, check_positive

__all__ = [
    "xor", "two_gaussians", "NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts",
    # data of surprise and gradients (lessons 01, 02):

    # data of mse_vs_ce and xor_features (lessons 03, 04):
    "Forecasters", "two_forecasters", "xor_data", "product_features",

    # data of calibration (lesson 05):

    # data of imbalance (lesson 06):

    # data of lm_perplexity (lesson 07):

    # data of information (lesson 08):

    # data of soft_targets (lesson 09):

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


# --------------------------------------------------------------------------- data of imbalance (lesson 06)


# --------------------------------------------------------------------------- data of lm_perplexity (lesson 07)


# --------------------------------------------------------------------------- data of information (lesson 08)


# --------------------------------------------------------------------------- data of soft_targets (lesson 09)


# --------------------------------------------------------------------------- data of energy_ood (lesson 10)
