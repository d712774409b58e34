"""Lesson ``lm_perplexity``: the per-token loss of a language model, perplexity, and a character n-gram model.

Next-token prediction is classification, so its loss is the one-hot
cross-entropy averaged per token; perplexity is its exponential. The maths
lives in :mod:`xentlib.language` (sequence cross-entropy, perplexity, the
bundled novel, compression, temperature) and :mod:`xentlib.ngram` (the
add-k smoothed character n-gram model and its perplexity grid); the fitted
model and tables the notebook quotes are in :mod:`.experiments`.
"""

NOTEBOOK = "07_lm_perplexity"
