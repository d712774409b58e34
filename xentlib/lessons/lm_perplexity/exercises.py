"""Exercises for notebook 07 (next-token loss, perplexity, bits per character, temperature)."""

from __future__ import annotations

import math

import numpy as np

from ...language import apply_temperature, perplexity
from ...quiz import ask, check, function_checker, hint, numeric_checker, register  # noqa: F401 (what the notebook calls: exercises.ask(...))

register(
    "07.perplexity_by_hand",
    "A language model gives the three tokens of a sentence the probabilities 0.5, 0.25 and 0.125 "
    "(each given the tokens before it). What is its perplexity on the sentence?",
    "Take the mean of -ln p over the three tokens, then exponentiate. Or: perplexity is 1 over the geometric "
    "mean of the probabilities, and the geometric mean of three numbers is the cube root of their product.",
    numeric_checker(4.0),
)

register(
    "07.bits",
    "A character model has a held-out cross-entropy of 1.2 nats per character. How many bits per character "
    "would an ideal compressor built on this model need for that text?",
    "Bits and nats measure the same thing in different units: log2(x) = ln(x) / ln(2).",
    numeric_checker(1.2 / math.log(2.0), unit="bits per character"),
)


def _reference_perplexity(p):
    return perplexity(-np.log(np.asarray(p, dtype=float)))


register(
    "07.perplexity_function",
    "Write my_perplexity(p): p is a NumPy array of the probabilities a model gave to each actual token of a "
    "text (any length, each in (0, 1]). Return the perplexity. It must work for a text of 5000 tokens too.",
    "Multiplying thousands of probabilities underflows to 0.0 in floating point. Work with logarithms: "
    "exp of the mean of -log(p).",
    function_checker(
        _reference_perplexity,
        [
            (np.array([0.7, 0.6]),),  # the apple / banana example
            (np.full(4, 1 / 50),),  # uniform over 50 symbols: perplexity 50
            (np.array([1.0, 1.0, 1.0]),),  # certain and right: perplexity 1
            (np.full(5000, 0.01),),  # the product underflows to 0.0
            (np.random.default_rng(7).uniform(0.001, 1.0, 3000),),
        ],
        rtol=1e-9,
    ),
    placeholder="my_perplexity = None",
)

register(
    "07.temperature",
    "A model's next-token distribution is (0.8, 0.2). Sampling at temperature T = 0.5 uses p_i^(1/T), "
    "renormalised. What probability does the first token get at T = 0.5?",
    "1/T = 2: square both probabilities, then divide each by their sum so they add up to 1 again.",
    numeric_checker(float(apply_temperature([0.8, 0.2], 0.5)[0])),
)
