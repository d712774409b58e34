"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_finite, check_in_range, check_int, check_positive, check_scalar
from .segments import SecondaryStructure

__all__ = [
    "xor", "two_gaussians", "NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts",
    # data of surprise and gradients (lessons 01, 02):

    # data of mse_vs_ce and xor_features (lessons 03, 04):

    # data of calibration (lesson 05):

    # data of imbalance (lesson 06):

    # data of lm_perplexity (lesson 07):

    # data of information (lesson 08):

    # data of soft_targets (lesson 09):

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


# --------------------------------------------------------------------------- data of mse_vs_ce and xor_features (lessons 03, 04)


# --------------------------------------------------------------------------- data of calibration (lesson 05)


# --------------------------------------------------------------------------- data of imbalance (lesson 06)


# --------------------------------------------------------------------------- data of lm_perplexity (lesson 07)


# --------------------------------------------------------------------------- data of information (lesson 08)


# --------------------------------------------------------------------------- data of soft_targets (lesson 09)


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
