"""Notebook 07's fixed experiment: the novel, its split, the fitted character n-gram model and its perplexity tables.

The model is fitted once, on the first nine tenths of *Pride and Prejudice*
(:func:`lm_setup`), with every order up to :data:`MAX_ORDER` counted; every
figure and every printed number reuses that fit. NumPy only.
"""

from __future__ import annotations

import functools
import textwrap
from typing import NamedTuple

import numpy as np

from ...language import load_corpus, split_text
from ...ngram import CharNgramModel, perplexity_grid

__all__ = [
    "MAX_ORDER",
    "K_EXPONENTS",
    "HELD_OUT",
    "PROMPT",
    "LMSetup",
    "lm_setup",
    "k_grid",
    "best_setting",
    "show_sample",
]

#: The highest order fitted: one fit serves every n = 1 .. MAX_ORDER.
MAX_ORDER = 8
#: The k slider: k = 10**e for e = -3, -2.9, ..., 1.
K_EXPONENTS = (-3.0, 1.0, 0.1)
#: The fraction of the novel held out (its last chapters).
HELD_OUT = 0.1
#: The text the sampling figure continues.
PROMPT = "Mr. Darcy was "


def k_grid() -> np.ndarray:
    """Every value the k slider can take, smallest first."""
    low, high, step = K_EXPONENTS
    return 10.0 ** np.round(np.arange(low, high + step / 2, step), 10)


class LMSetup(NamedTuple):
    """The notebook's corpus, split, fitted model and perplexity tables."""

    text: str
    train: str
    held: str
    model: CharNgramModel  # order MAX_ORDER; use model.with_settings(n=, k=) for the others
    ks: np.ndarray  # the k grid, shape (K,)
    train_ppl: np.ndarray  # (MAX_ORDER, K): row n - 1 = order n
    held_ppl: np.ndarray  # (MAX_ORDER, K)


@functools.lru_cache(maxsize=1)
def lm_setup() -> LMSetup:
    """Load the bundled novel, hold out its last tenth, fit the model and tabulate train / held-out perplexity.

    The alphabet is every character of the whole novel (75 symbols), so the
    held-out text never contains a symbol the model does not know. Computed
    once per kernel (about a second) and cached.
    """
    text = load_corpus()
    train, held = split_text(text, HELD_OUT)
    model = CharNgramModel(MAX_ORDER, k=1.0, alphabet=sorted(set(text))).fit(train)
    ks = k_grid()
    return LMSetup(text, train, held, model, ks, perplexity_grid(model, ks), perplexity_grid(model, ks, held))


def best_setting() -> tuple[int, float, float]:
    """The (n, k) on the grid with the lowest held-out perplexity, and that perplexity."""
    setup = lm_setup()
    i, j = np.unravel_index(np.argmin(setup.held_ppl), setup.held_ppl.shape)
    return int(i + 1), float(setup.ks[j]), float(setup.held_ppl[i, j])


def show_sample(text: str, width: int = 76) -> str:
    """A generated text ready to print or draw: line breaks shown as ↵, wrapped to ``width`` columns."""
    return "\n".join(textwrap.wrap(text.replace("\n", "↵"), width)) or " "
