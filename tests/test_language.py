"""Notebook 07's library: the worked example, perplexity, the character n-gram model, sampling, the bundled corpus.

Each claim is checked by a route independent of the code under test: a
pure-Python n-gram counter, hand counts, SciPy's softmax and geometric mean,
the standard library's compressors, and closed forms.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special, stats

import xentlib as xl
from xentlib import exercises
from xentlib.explore import language as figures
from xentlib.language import (
    CharNgramModel,
    add_k_cross_entropy,
    apply_temperature,
    compressed_bits_per_char,
    load_corpus,
    perplexity_grid,
    split_text,
)

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


# ---------------------------------------------------------------- the worked example

def test_worked_example_apple_banana():
    losses = [xl.surprisal(0.7), xl.surprisal(0.6)]
    assert [round(x, 4) for x in losses] == [0.3567, 0.5108]
    probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]]  # the seed's full distributions: apple, banana, orange
    mean = xl.sequence_cross_entropy(probs, [0, 1])
    assert round(mean, 4) == 0.4338
    assert mean == pytest.approx((losses[0] + losses[1]) / 2, rel=1e-15)
    assert xl.perplexity(losses) == pytest.approx(1 / stats.gmean([0.7, 0.6]), rel=1e-14)


def test_token_surprise_figure_readout_quotes_the_worked_example():
    panel = figures.token_surprise(0.7, 0.6)
    texts = [a.get_text() for a in panel.artists if hasattr(a, "get_text")]
    assert any("0.4338" in t and "1.543" in t for t in texts)


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


# ---------------------------------------------------------------- temperature and sampling

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


# ---------------------------------------------------------------- the notebook's set-up and claims

def test_notebook_setup_and_its_claims():
    setup = figures.lm_setup()
    assert setup.model.vocab_size == 75 and setup.model.n == figures.MAX_ORDER
    assert setup.train_ppl.shape == setup.held_ppl.shape == (figures.MAX_ORDER, len(setup.ks))
    j = int(np.argmin(np.abs(setup.ks - 0.01)))
    # Training perplexity falls with every extra character of context ...
    assert (np.diff(setup.train_ppl[:, j]) < 0).all()
    # ... held-out perplexity has an interior minimum and is always the higher of the two.
    best = int(np.argmin(setup.held_ppl[:, j]))
    assert 2 <= best + 1 <= figures.MAX_ORDER - 1
    modest = setup.ks <= 1.0  # (under very heavy smoothing the two become nearly equal, either way round)
    assert (setup.held_ppl[:, modest] > setup.train_ppl[:, modest]).all()
    n, k, ppl = figures.best_setting()
    assert ppl == setup.held_ppl.min() and 1 <= n <= figures.MAX_ORDER and k in setup.ks
    assert setup.held_ppl[0, 0] < 75  # even character frequencies beat the uniform guess


def test_k_grid_is_the_slider_values():
    ks = figures.k_grid()
    assert ks[0] == pytest.approx(1e-3) and ks[-1] == pytest.approx(10.0) and len(ks) == 41
    assert_allclose(np.diff(np.log10(ks)), 0.1, atol=1e-9)


def test_show_sample_marks_line_breaks_and_wraps():
    shown = figures.show_sample("a\nb " * 40, width=20)
    assert "\n" in shown and "↵" in shown and all(len(line) <= 20 for line in shown.splitlines())


# ---------------------------------------------------------------- exercises

def test_exercises_accept_right_answers_and_reject_wrong_ones():
    right = {"07.perplexity_by_hand": 4.0, "07.bits": 1.2 / math.log(2), "07.temperature": 0.64 / 0.68,
             "07.perplexity_function": lambda p: float(np.exp(-np.mean(np.log(p))))}
    wrong = {"07.perplexity_by_hand": 2.0, "07.bits": 1.2, "07.temperature": 0.8,
             "07.perplexity_function": lambda p: float(np.prod(p) ** (-1 / len(p)))}  # underflows at 5000 tokens
    for key in right:
        assert exercises.check(key, right[key]).correct, key
        assert not exercises.check(key, wrong[key]).correct, key
        assert exercises.check(key, None).status == "unanswered"
    assert "inf" in exercises.check("07.perplexity_function", wrong["07.perplexity_function"]).message.lower()


def test_exercise_feedback_never_reveals_the_answer():
    feedback = exercises.check("07.bits", 1.0)
    assert "1.73" not in feedback.message


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
    (lambda: apply_temperature([0.5, 0.5], -1.0), "temperature must be a finite number >= 0"),
    (lambda: apply_temperature([0.5, 0.6], 1.0), "must sum to 1"),
    (lambda: split_text("abc\n\ndef", 1.0), "strictly between 0 and 1"),
    (lambda: split_text("abc", "0.1"), "held_out must be a real number"),
    (lambda: load_corpus("moby_dick"), "name must be one of"),
    (lambda: compressed_bits_per_char("abc", "gzip"), "method must be one of"),
    (lambda: add_k_cross_entropy([1, 2], [1], 0.1, 3), "same length"),
    (lambda: add_k_cross_entropy([3], [2], 0.1, 3), "pair_counts <= context_counts"),
    (lambda: add_k_cross_entropy([1], [2], -0.1, 3), "k must be a finite number >= 0"),
    (lambda: add_k_cross_entropy([1], [2], 0.1, 3, weights=[0]), "weights must hold one whole count >= 1"),
    (lambda: perplexity_grid("model", [0.1]), "model must be a CharNgramModel"),
])
def test_bad_input_messages(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


# ---------------------------------------------------------------- the sampling figure's text raster

def test_mono_text_composes_cells_of_one_advance_width():
    from xentlib.explore.language import _MonoText

    mono = _MonoText(fontsize=12, dpi=100)
    assert mono.cell_w == 10 and mono.atlas.shape == (len(mono.CHARS), mono.line_px, 10)
    image = mono.render(["ab c", "↵"], columns=6)
    assert image.shape == (2 * mono.line_px, 60, 4) and image.dtype == np.uint8
    alpha = image[..., 3]
    ink = [alpha[: mono.line_px, 10 * i: 10 * i + 10].sum() for i in range(6)]
    assert ink[0] > 0 and ink[1] > 0 and ink[3] > 0  # "a", "b", "c" have ink
    assert ink[2] == 0 and ink[4] == 0 and ink[5] == 0  # the space and the padding do not
    assert alpha[mono.line_px:, :10].sum() > 0  # the line-break mark is drawn
    assert_allclose(mono.render(["a"], 1)[..., 3], mono.atlas[mono.CHARS.index("a")])


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
