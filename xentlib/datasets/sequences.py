"""Biological sequences: DNA barcodes of species and their k-mer counts, and a toy protein secondary structure."""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from .._validation import check_in_range, check_int, check_scalar
from ..segments import SecondaryStructure

__all__ = ["NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts", "FISH", "barcode_data",
           "secondary_structure"]


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


# ---------------------------------------------------------------- protein secondary structure

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
