"""xentlib.language: the worked example, perplexity, temperature, the bundled corpus, its split, compression.

Each claim is checked by a route independent of the code under test: SciPy's
softmax and geometric mean, the standard library's compressors, and closed forms.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special, stats

import xentlib as xl
from xentlib.language import apply_temperature, compressed_bits_per_char, load_corpus, split_text

# ---------------------------------------------------------------- the worked example

def test_worked_example_apple_banana():
    losses = [xl.surprisal(0.7), xl.surprisal(0.6)]
    assert [round(x, 4) for x in losses] == [0.3567, 0.5108]
    probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]]  # the seed's full distributions: apple, banana, orange
    mean = xl.sequence_cross_entropy(probs, [0, 1])
    assert round(mean, 4) == 0.4338
    assert mean == pytest.approx((losses[0] + losses[1]) / 2, rel=1e-15)
    assert xl.perplexity(losses) == pytest.approx(1 / stats.gmean([0.7, 0.6]), rel=1e-14)


# ---------------------------------------------------------------- temperature

def test_apply_temperature_is_softmax_of_log_probabilities_over_t():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    for t in (0.25, 0.5, 1.0, 2.0, 10.0):
        assert_allclose(apply_temperature(p, t), special.softmax(np.log(p) / t), rtol=1e-12)
    assert_allclose(apply_temperature(p, 1.0), p, rtol=1e-15)


def test_apply_temperature_limits_and_zeros():
    p = np.array([0.2, 0.0, 0.5, 0.3])
    assert_allclose(apply_temperature(p, 0.0), [0, 0, 1, 0])
    assert_allclose(apply_temperature(p, 1e-9), [0, 0, 1, 0])  # tiny T: no overflow, same limit
    assert_allclose(apply_temperature(p, 1e6), [1 / 3, 0, 1 / 3, 1 / 3], rtol=1e-5)  # uniform on the support
    assert_allclose(apply_temperature([0.4, 0.4, 0.2], 0.0), [0.5, 0.5, 0.0])  # a tie shares the mass
    assert_allclose(apply_temperature([[0.9, 0.1], [0.5, 0.5]], 0.5), [[81 / 82, 1 / 82], [0.5, 0.5]], rtol=1e-12)


# ---------------------------------------------------------------- corpus, split, compression

def test_bundled_corpus_ships_and_is_the_clean_public_domain_text():
    text = load_corpus()
    assert text.startswith("PRIDE AND PREJUDICE\n\nBy Jane Austen\n")
    assert text.rstrip().endswith("the means of uniting them.")
    assert len(text) == 684768 and len(set(text)) == 75
    assert text.isascii() and "\r" not in text
    assert "gutenberg" not in text.lower() and "license" not in text.lower()  # header, footer and licence removed
    assert load_corpus() is text  # cached


def test_split_text_cuts_at_a_paragraph_break():
    text = load_corpus()
    train, held = split_text(text, 0.1)
    assert train + held == text
    assert train.endswith("\n\n") and held[0] not in "\n "
    assert len(held) / len(text) == pytest.approx(0.1, abs=0.005)
    assert split_text("abc", 0.5) in (("a", "bc"), ("ab", "c"))  # no paragraph break: a plain cut


def test_compressed_bits_per_char_matches_zlib_and_uses_the_context():
    text = load_corpus()[:50000]
    assert compressed_bits_per_char(text, "zlib") == pytest.approx(8 * len(zlib.compress(text.encode(), 9)) / 50000)
    head, tail = text[:40000], text[40000:]
    assert compressed_bits_per_char(tail, "bz2", given=head) < compressed_bits_per_char(tail, "bz2")


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("make, match", [
    (lambda: apply_temperature([0.5, 0.5], -1.0), "temperature must be a finite number >= 0"),
    (lambda: apply_temperature([0.5, 0.6], 1.0), "must sum to 1"),
    (lambda: split_text("abc\n\ndef", 1.0), "strictly between 0 and 1"),
    (lambda: split_text("abc", "0.1"), "held_out must be a real number"),
    (lambda: load_corpus("moby_dick"), "name must be one of"),
    (lambda: compressed_bits_per_char("abc", "gzip"), "method must be one of"),
])
def test_bad_input_messages(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


