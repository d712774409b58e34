"""xentlib.ngram: the character n-gram model, add-k smoothing, sampling, and the perplexity grid.

Each claim is checked by a route independent of the code under test: a
pure-Python n-gram counter, hand counts, SciPy's geometric mean, and closed forms.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

import xentlib as xl
from xentlib.language import apply_temperature, load_corpus
from xentlib.ngram import CharNgramModel, add_k_cross_entropy, perplexity_grid

TEXT = "the cat sat on the mat. the dog sat on the log. a cat and a dog met on a mat.\n"


# ---------------------------------------------------------------- an independent reference model

def reference_log_probs(train: str, text: str, n: int, k: float, alphabet: str) -> list[float]:
    """ln P(x_t | h_t) by plain counting with Counters: the model's definition, written the slow way."""
    v = len(alphabet)
    grams, contexts = Counter(), Counter()
    for m in range(1, n + 1):
        for t in range(m - 1, len(train)):
            gram = train[t - m + 1: t + 1]
            grams[gram] += 1
            contexts[gram[:-1]] += 1  # the empty context is counted once per training character
    out = []
    for t, char in enumerate(text):
        history = text[max(0, t - n + 1): t]
        while history and contexts[history] == 0:  # back off to the longest context that was seen
            history = history[1:]
        numerator = grams[history + char] + k
        out.append(math.log(numerator / (contexts[history] + k * v)) if numerator > 0 else -math.inf)
    return out


# ---------------------------------------------------------------- the n-gram model against the reference

@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("k", [0.0, 0.1, 1.0])
def test_log_probs_match_a_plain_counting_reference(n, k):
    held = "the cat met a dog. the mat sat on a log.\n"
    alphabet = "".join(sorted(set(TEXT + held)))
    model = CharNgramModel(n, k, alphabet=alphabet).fit(TEXT)
    assert_allclose(model.log_probs(held), reference_log_probs(TEXT, held, n, k, alphabet), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(train=st.text(alphabet="abc ", min_size=1, max_size=60), text=st.text(alphabet="abc ", min_size=1, max_size=30),
       n=st.integers(1, 5), k=st.sampled_from([0.0, 0.01, 0.5, 2.0]))
def test_log_probs_match_the_reference_on_random_texts(train, text, n, k):
    model = CharNgramModel(n, k, alphabet="abc ").fit(train)
    assert_allclose(model.log_probs(text), reference_log_probs(train, text, n, k, "abc "), rtol=1e-12)


def test_add_k_formula_against_a_hand_count():
    # "abracadabra": after "a" come b, c, d, b (the final "a" is followed by nothing): N(a.) = 4, N(ab) = 2.
    model = CharNgramModel(2, 0.5).fit("abracadabra")
    assert model.alphabet == "abcdr"
    p = model.next_char_probs("a")
    assert p[model.alphabet.index("b")] == pytest.approx((2 + 0.5) / (4 + 0.5 * 5), rel=1e-15)
    assert p[model.alphabet.index("r")] == pytest.approx(0.5 / (4 + 0.5 * 5), rel=1e-15)
    # k = 0: the maximum-likelihood estimate, and zero for what never followed "a".
    ml = model.with_settings(k=0.0).next_char_probs("a")
    assert_allclose(ml, [0, 2 / 4, 1 / 4, 1 / 4, 0], rtol=1e-15)
    # The first character has no context: plain character frequencies (a: 5 of 11).
    assert math.exp(model.with_settings(k=0.0).log_probs("a")[0]) == pytest.approx(5 / 11, rel=1e-15)


@pytest.mark.parametrize("n", [1, 2, 4, 6])
@pytest.mark.parametrize("k", [0.0, 0.003, 1.0])
def test_next_char_distribution_sums_to_one_for_every_context(n, k):
    model = CharNgramModel(n, k, alphabet=sorted(set(TEXT + "xyz"))).fit(TEXT)
    contexts = ["", "t", "th", "the c", "a dog", "zzzzz", "xyz the", TEXT[:30]]
    for context in contexts:
        p = model.next_char_probs(context)
        assert p.shape == (model.vocab_size,)
        assert (p >= 0).all()
        assert p.sum() == pytest.approx(1.0, abs=1e-12), context
        if k > 0:
            assert (p > 0).all()


def test_an_unseen_context_backs_off_to_the_longest_seen_one():
    model = CharNgramModel(3, 0.1, alphabet=sorted(set(TEXT + "q"))).fit(TEXT)
    assert_allclose(model.next_char_probs("qt"), model.next_char_probs("t"), rtol=0)  # "qt" never occurs
    assert_allclose(model.next_char_probs("qq"), model.next_char_probs(""), rtol=0)  # nor "q": frequencies


def test_with_settings_equals_a_fresh_fit():
    big = CharNgramModel(6, 1.0).fit(TEXT)
    for n in range(1, 7):
        for k in (0.0, 0.2):
            fresh = CharNgramModel(n, k, alphabet=big.alphabet).fit(TEXT)
            assert_allclose(big.with_settings(n=n, k=k).log_probs(TEXT), fresh.log_probs(TEXT), rtol=1e-14)


def test_cross_entropy_bits_and_perplexity_agree():
    model = CharNgramModel(3, 0.5).fit(TEXT)
    text = "the dog sat on the cat."
    lp = model.log_probs(text)
    assert model.cross_entropy(text) == pytest.approx(-lp.mean(), rel=1e-14)
    assert model.bits_per_char(text) == pytest.approx(-lp.mean() / math.log(2), rel=1e-14)
    assert model.perplexity(text) == pytest.approx(1 / stats.gmean(np.exp(lp)), rel=1e-12)
    assert model.perplexity(text) == pytest.approx(xl.perplexity(-lp), rel=1e-14)


def test_unsmoothed_model_has_infinite_perplexity_on_something_new():
    model = CharNgramModel(2, 0.0, alphabet=sorted(set(TEXT + "z"))).fit(TEXT)
    assert model.perplexity("the zoo") == math.inf
    assert math.isfinite(model.with_settings(k=0.01).perplexity("the zoo"))


# ---------------------------------------------------------------- perplexity of uniform models

@pytest.mark.parametrize("vocab", [2, 27, 75])
def test_perplexity_of_a_uniform_model_is_the_vocabulary_size(vocab):
    symbols = [chr(ord("!") + i) for i in range(vocab)]
    text = "".join(symbols * 5)  # every symbol equally often: the unigram model is exactly uniform
    model = CharNgramModel(1, 0.0).fit(text)
    assert_allclose(model.next_char_probs(), np.full(vocab, 1 / vocab), rtol=1e-14)
    assert model.perplexity(text[::-1]) == pytest.approx(vocab, rel=1e-12)
    assert model.bits_per_char(text) == pytest.approx(math.log2(vocab), rel=1e-12)


def test_huge_smoothing_tends_to_the_uniform_model():
    model = CharNgramModel(3, 1e9).fit(TEXT)
    assert model.perplexity("the cat") == pytest.approx(model.vocab_size, rel=1e-6)


# ---------------------------------------------------------------- add_k_cross_entropy and the grid

def test_add_k_cross_entropy_matches_the_model_for_every_k():
    model = CharNgramModel(4, 1.0).fit(TEXT)
    held = "a dog sat on the cat. the mat met a log."
    ks = np.array([0.0, 0.001, 0.1, 1.0, 7.0])
    pair, ctx = model.counts(held)
    got = add_k_cross_entropy(pair, ctx, ks, model.vocab_size)
    want = [model.with_settings(k=k).cross_entropy(held) for k in ks]
    assert_allclose(got, want, rtol=1e-12)
    assert add_k_cross_entropy(pair, ctx, 0.1, model.vocab_size) == pytest.approx(want[2], rel=1e-12)


def test_training_counts_give_the_training_cross_entropy():
    model = CharNgramModel(5, 1.0).fit(TEXT)
    for n in (1, 3, 5):
        sub = model.with_settings(n=n)
        pair, ctx, weights = sub.training_counts()
        assert weights.sum() == len(TEXT)
        for k in (0.0, 0.05, 2.0):
            assert add_k_cross_entropy(pair, ctx, k, sub.vocab_size, weights=weights) == pytest.approx(
                sub.with_settings(k=k).cross_entropy(TEXT), rel=1e-12)


def test_perplexity_grid_matches_model_by_model():
    model = CharNgramModel(4, 1.0).fit(TEXT)
    ks = [0.01, 0.3, 3.0]
    held = "the log sat on a cat."
    for text, grid in ((TEXT, perplexity_grid(model, ks)), (held, perplexity_grid(model, ks, held))):
        assert grid.shape == (4, 3)
        for n in range(1, 5):
            for j, k in enumerate(ks):
                assert grid[n - 1, j] == pytest.approx(model.with_settings(n=n, k=k).perplexity(text), rel=1e-11)


# ---------------------------------------------------------------- sampling

def test_sampling_is_deterministic_given_the_seed():
    model = CharNgramModel(3, 0.1).fit(TEXT)
    a = model.sample(60, temperature=0.8, seed=3, prompt="the ")
    assert a == model.sample(60, temperature=0.8, seed=3, prompt="the ")
    assert a != model.sample(60, temperature=0.8, seed=4, prompt="the ")
    assert len(a) == 60 and set(a) <= set(model.alphabet)
    assert model.sample(0, seed=1) == ""


def test_temperature_zero_is_greedy_argmax_decoding():
    model = CharNgramModel(5, 0.01).fit(load_corpus()[:200000])
    prompt, expected = "she said ", ""
    for _ in range(80):  # greedy decoding, one argmax at a time, by hand
        p = model.next_char_probs(prompt + expected)
        top_two = np.sort(p)[-2:]
        assert top_two[1] > top_two[0], "a tie on the greedy path: pick another prompt"
        expected += model.alphabet[int(np.argmax(p))]
    for seed in (0, 1):
        assert model.sample(80, temperature=0.0, seed=seed, prompt=prompt) == expected
    assert model.sample(80, temperature=1e-4, seed=5, prompt=prompt) == expected


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_sampled_frequencies_follow_the_temperature_scaled_distribution(temperature):
    text = "aaaaaabbbc"  # unigram model: every character is an independent draw
    model = CharNgramModel(1, 0.0).fit(text)
    sample = model.sample(20000, temperature=temperature, seed=11)
    freq = np.array([sample.count(c) for c in model.alphabet]) / len(sample)
    want = apply_temperature(model.next_char_probs(), temperature)
    assert_allclose(freq, want, atol=4 * np.sqrt(want * (1 - want) / len(sample)).max())


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("make, match", [
    (lambda: CharNgramModel(0), "n must be at least 1"),
    (lambda: CharNgramModel("3"), "n must be an integer"),
    (lambda: CharNgramModel(3, k=-1.0), "k must be a finite number >= 0"),
    (lambda: CharNgramModel(3, k=math.nan), "k must be a finite number >= 0"),
    (lambda: CharNgramModel(3, alphabet="abca"), "must not repeat"),
    (lambda: CharNgramModel(3, alphabet=["ab"]), "single characters"),
    (lambda: CharNgramModel(3).fit(["the cat"]), "text must be a str"),
    (lambda: CharNgramModel(3).fit(""), "text must not be empty"),
    (lambda: CharNgramModel(11).fit(load_corpus()[:5000]), "too large"),
    (lambda: CharNgramModel(3).perplexity("abc"), "not fitted"),
    (lambda: CharNgramModel(3).alphabet, "no alphabet yet"),
    (lambda: CharNgramModel(2).fit("abc").perplexity("abd"), "'d', which is not in the model's alphabet"),
    (lambda: CharNgramModel(2).fit("abc").with_settings(n=3), "at most 2"),
    (lambda: CharNgramModel(2).fit("abc").sample(-1), "length must be at least 0"),
    (lambda: CharNgramModel(2).fit("abc").sample(5, temperature=-0.5), "temperature must be a finite number >= 0"),
    (lambda: CharNgramModel(2).fit("abc").sample(5, prompt=7), "prompt must be a str"),
    (lambda: CharNgramModel(2).fit("abc").next_char_probs(None), "context must be a str"),
    (lambda: add_k_cross_entropy([1, 2], [1], 0.1, 3), "same length"),
    (lambda: add_k_cross_entropy([3], [2], 0.1, 3), "pair_counts <= context_counts"),
    (lambda: add_k_cross_entropy([1], [2], -0.1, 3), "k must be a finite number >= 0"),
    (lambda: add_k_cross_entropy([1], [2], 0.1, 3, weights=[0]), "weights must hold one whole count >= 1"),
    (lambda: perplexity_grid("model", [0.1]), "model must be a CharNgramModel"),
])
def test_bad_input_messages(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


def test_refit_and_settings():
    model = CharNgramModel(2, 0.5).fit("abab")
    model.fit("xyz")  # a refit starts afresh: a new alphabet, new counts
    assert model.alphabet == "xyz" and model.perplexity("xyz") < 3
    model.k = 0.0  # k may change after fitting: counting does not depend on it
    assert model.next_char_probs("x")[1] == 1.0
    with pytest.raises(ValueError, match="k must be a finite number >= 0"):
        model.k = -1
    with pytest.raises(AttributeError):
        model.n = 5
