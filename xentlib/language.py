r"""Language models: per-token cross-entropy, perplexity, the bundled novel, compression and temperature.

Next-token prediction is classification over the vocabulary, so its loss is
the cross-entropy with a one-hot target, :math:`-\ln P(x_t \mid x_{<t})`,
averaged over the tokens. :func:`load_corpus` returns the public-domain text
notebook 07 trains on; :func:`compressed_bits_per_char` is the yardstick a
model's bits per character is compared with; :func:`apply_temperature`
reshapes a next-token distribution for sampling. The character n-gram model
itself is :class:`xentlib.ngram.CharNgramModel`.
"""

from __future__ import annotations

import bz2
import functools
import importlib.resources
import lzma
import math
import zlib

import numpy as np

from ._validation import (
    as_float_array,
    check_base,
    check_class_labels,
    check_distribution,
    check_in_range,
    check_scalar,
    check_text,
)

__all__ = [
    "sequence_cross_entropy",
    "perplexity",
    "CORPORA",
    "load_corpus",
    "split_text",
    "compressed_bits_per_char",
    "apply_temperature",
]


def sequence_cross_entropy(probs, targets) -> float:
    r"""Mean per-token cross-entropy of a sequence, in nats.

    .. math:: \bar\ell = \frac{1}{T}\sum_{t=1}^{T} -\ln P(x_t \mid x_{<t})

    Parameters
    ----------
    probs : (T, V) array. Row t is the model's next-token distribution at step t.
    targets : (T,) int array. The token that actually came next.

    Examples
    --------
    "apple" with P = 0.7, then "banana" with P = 0.6 given "apple":

    >>> probs = [[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]]
    >>> print(sequence_cross_entropy(probs, [0, 1]))
    0.4338
    """
    p = check_distribution(as_float_array(probs, "probs"), "probs")
    if p.ndim != 2:
        raise ValueError(f"probs must have shape (T, V), one next-token distribution per step; got shape {p.shape}.")
    t = check_class_labels(targets, p.shape[1], "targets")
    if t.shape != (len(p),) or len(p) == 0:
        raise ValueError(f"targets must hold one token per step, shape ({len(p)},) with T >= 1; got shape {t.shape}.")
    with np.errstate(divide="ignore"):  # a token given probability 0 costs inf
        return float(np.mean(-np.log(p[np.arange(len(p)), t])))


def perplexity(nll, *, base: float = math.e) -> float:
    r"""Perplexity from per-token negative log-likelihoods: :math:`b^{\,\mathrm{mean}(\mathrm{nll})}`.

    Equal to the reciprocal of the geometric-mean probability of the tokens;
    a uniform guess over V symbols has perplexity V. Use ``base=2`` when the
    losses are in bits.

    Examples
    --------
    >>> print(perplexity([math.log(50.0)] * 4))   # uniform over 50 symbols
    50.0
    >>> print(perplexity([0.3567, 0.5108]))
    1.5431
    """
    b = check_base(base)
    losses = as_float_array(nll, "nll", dtype=np.float64)
    if losses.size == 0 or np.isnan(losses).any() or (losses < 0).any():
        # losses.min() is NaN when a NaN is present, which says what is wrong (np.nanmin warned on all-NaN input).
        raise ValueError("nll must be a non-empty array of non-negative per-token losses; "
                         f"got size {losses.size}, min={losses.min() if losses.size else 'n/a'}.")
    return float(b ** np.mean(losses))


# ---------------------------------------------------------------------------
# The bundled corpus
# ---------------------------------------------------------------------------

#: Texts shipped in ``xentlib/data`` (see ``xentlib/data/README.md`` for their source and licence).
CORPORA = {"pride_and_prejudice": "pride_and_prejudice.txt"}


@functools.lru_cache(maxsize=None)
def load_corpus(name: str = "pride_and_prejudice") -> str:
    """The text of a corpus that ships inside the package (no download).

    ``"pride_and_prejudice"``: Jane Austen, *Pride and Prejudice* (1813), the
    Project Gutenberg text (eBook #1342) without Project Gutenberg's header,
    footer and licence, as packaged by the janeaustenr R package; in the
    public domain. 684,768 characters, 75 distinct ones, ASCII only. Line
    breaks are those of the source (lines of about 70 characters, a blank line
    between paragraphs).

    Examples
    --------
    >>> text = load_corpus()
    >>> print(text[:64])
    PRIDE AND PREJUDICE
    <BLANKLINE>
    By Jane Austen
    <BLANKLINE>
    <BLANKLINE>
    <BLANKLINE>
    Chapter 1
    <BLANKLINE>
    <BLANKLINE>
    It is a truth
    >>> len(text), len(set(text))
    (684768, 75)
    """
    if name not in CORPORA:
        raise ValueError(f"name must be one of {sorted(CORPORA)}; got {name!r}.")
    resource = importlib.resources.files("xentlib") / "data" / CORPORA[name]
    # newline="" keeps the file's line endings exactly as shipped (no platform translation).
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return handle.read()


def split_text(text: str, held_out: float = 0.1) -> tuple[str, str]:
    """Split a text into a training part and a held-out tail, at a paragraph break.

    The held-out part is (about) the last ``held_out`` fraction of the text:
    the cut is moved to the paragraph break (a blank line) nearest to it, so
    no word or sentence is split between the two parts. A model is fitted on
    the first part and judged on the second, which it has never seen.

    Parameters
    ----------
    text : str, at least 2 characters.
    held_out : float in (0, 1). The fraction of the text to hold out.

    Returns
    -------
    (train, held) : two non-empty strings with ``train + held == text``.

    Examples
    --------
    >>> train, held = split_text("one two.\\n\\nthree four.\\n\\nfive six.\\n", held_out=0.3)
    >>> train, held
    ('one two.\\n\\nthree four.\\n\\n', 'five six.\\n')
    """
    check_text(text, "text")
    fraction = check_in_range(held_out, "held_out", 0.0, 1.0)
    if not 0.0 < fraction < 1.0 or len(text) < 2:
        raise ValueError(f"held_out must lie strictly between 0 and 1 and text must have at least 2 characters; "
                         f"got held_out={held_out!r} and {len(text)} character(s).")
    cut = min(max(int(round(len(text) * (1.0 - fraction))), 1), len(text) - 1)
    before, after = text.rfind("\n\n", 0, cut), text.find("\n\n", cut)
    candidates = [i + 2 for i in (before, after) if i >= 0 and 0 < i + 2 < len(text)]
    if candidates:
        cut = min(candidates, key=lambda i: abs(i - cut))
    return text[:cut], text[cut:]


def compressed_bits_per_char(text: str, method: str = "bz2", *, given: str = "") -> float:
    """Bits per character that a general-purpose compressor needs for ``text``, optionally after reading ``given``.

    Without ``given``: ``8 * len(compress(text)) / len(text)``. With it, the
    extra bytes that ``text`` adds once the compressor has read ``given``
    first, ``8 * (len(compress(given + text)) - len(compress(given))) / len(text)``:
    the fair comparison with a model trained on ``given``. Compressors are
    the standard library's ``zlib`` (level 9), ``bz2`` (level 9) and ``lzma``
    (preset 9). A language model with cross-entropy :math:`b` bits per
    character could drive an arithmetic coder to about :math:`b` bits per
    character, so this is the yardstick a model has to beat.

    Examples
    --------
    >>> compressed_bits_per_char("abc" * 1000, "zlib") < 0.5   # a repeating text compresses well
    True
    """
    check_text(text, "text")
    if not isinstance(given, str):
        raise TypeError(f"given must be a str; got {type(given).__name__}.")
    compressors = {"zlib": lambda b: zlib.compress(b, 9), "bz2": lambda b: bz2.compress(b, 9),
                   "lzma": lambda b: lzma.compress(b, preset=9)}
    if method not in compressors:
        raise ValueError(f"method must be one of {sorted(compressors)}; got {method!r}.")
    compress = compressors[method]
    before = len(compress(given.encode("utf-8"))) if given else 0
    return 8.0 * (len(compress((given + text).encode("utf-8"))) - before) / len(text)


# ---------------------------------------------------------------------------
# Temperature
# ---------------------------------------------------------------------------

def apply_temperature(probs, temperature: float) -> np.ndarray:
    r"""Sharpen (``T < 1``) or flatten (``T > 1``) a distribution: :math:`p_i^{1/T} / \sum_j p_j^{1/T}`.

    This is the softmax of :math:`\ln p_i / T`: dividing a model's logits by a
    temperature before the softmax. ``T = 1`` returns ``probs``; as
    :math:`T \to 0` all the mass moves to the most probable symbol (shared
    equally on a tie), and ``T = 0`` returns that limit; as
    :math:`T \to \infty` the distribution becomes uniform over the symbols
    with :math:`p_i > 0`. Zero probabilities stay zero at every temperature.

    Parameters
    ----------
    probs : (..., V) array of distributions along the last axis.
    temperature : float >= 0.

    Notes
    -----
    Works in log space and subtracts the largest log-probability before
    dividing by ``T``, so tiny temperatures cannot overflow.

    Examples
    --------
    >>> p = np.array([0.5, 0.3, 0.2])
    >>> print(apply_temperature(p, 0.5))     # sharper: proportional to p**2
    [0.6579 0.2368 0.1053]
    >>> print(apply_temperature(p, 0.0))     # the limit T -> 0: all mass on the argmax
    [1. 0. 0.]
    """
    p = check_distribution(as_float_array(probs, "probs", dtype=np.float64), "probs")
    t = check_scalar(temperature, "temperature")
    if not (t >= 0 and math.isfinite(t)):
        raise ValueError(f"temperature must be a finite number >= 0; got {temperature!r}. "
                         "T < 1 sharpens the distribution, T > 1 flattens it, T = 0 always picks the most likely symbol.")
    positive = p > 0
    logp = np.log(p, out=np.full(p.shape, -np.inf), where=positive)
    top = logp.max(axis=-1, keepdims=True)
    if t == 0:
        scaled = np.where(logp == top, 1.0, 0.0)
    else:
        # (log p - max) <= 0, so the largest term is e^0 = 1; tiny T sends the others to exp(-inf) = 0.
        with np.errstate(over="ignore"):
            scaled = np.exp((logp - top) / t)
    return scaled / scaled.sum(axis=-1, keepdims=True)

