"""Lesson lm_perplexity (notebook 07): its figures, its fixed experiment (the fitted novel and its claims), its exercises."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from xentlib.lessons.lm_perplexity import exercises, experiments, figures

# ---------------------------------------------------------------- the worked example's figure

def test_token_surprise_figure_readout_quotes_the_worked_example():
    panel = figures.token_surprise(0.7, 0.6)
    texts = [a.get_text() for a in panel.artists if hasattr(a, "get_text")]
    assert any("0.4338" in t and "1.543" in t for t in texts)


# ---------------------------------------------------------------- the notebook's set-up and claims

def test_notebook_setup_and_its_claims():
    setup = experiments.lm_setup()
    assert setup.model.vocab_size == 75 and setup.model.n == experiments.MAX_ORDER
    assert setup.train_ppl.shape == setup.held_ppl.shape == (experiments.MAX_ORDER, len(setup.ks))
    j = int(np.argmin(np.abs(setup.ks - 0.01)))
    # Training perplexity falls with every extra character of context ...
    assert (np.diff(setup.train_ppl[:, j]) < 0).all()
    # ... held-out perplexity has an interior minimum and is always the higher of the two.
    best = int(np.argmin(setup.held_ppl[:, j]))
    assert 2 <= best + 1 <= experiments.MAX_ORDER - 1
    modest = setup.ks <= 1.0  # (under very heavy smoothing the two become nearly equal, either way round)
    assert (setup.held_ppl[:, modest] > setup.train_ppl[:, modest]).all()
    n, k, ppl = experiments.best_setting()
    assert ppl == setup.held_ppl.min() and 1 <= n <= experiments.MAX_ORDER and k in setup.ks
    assert setup.held_ppl[0, 0] < 75  # even character frequencies beat the uniform guess


def test_k_grid_is_the_slider_values():
    ks = experiments.k_grid()
    assert ks[0] == pytest.approx(1e-3) and ks[-1] == pytest.approx(10.0) and len(ks) == 41
    assert_allclose(np.diff(np.log10(ks)), 0.1, atol=1e-9)


def test_show_sample_marks_line_breaks_and_wraps():
    shown = experiments.show_sample("a\nb " * 40, width=20)
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


# ---------------------------------------------------------------- the sampling figure's text raster

def test_mono_text_composes_cells_of_one_advance_width():
    from xentlib.lessons.lm_perplexity.figures import _MonoText

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
