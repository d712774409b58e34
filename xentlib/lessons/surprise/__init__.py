"""Lesson ``surprise``: surprise −log p, entropy, cross-entropy and KL divergence, and the coder's view of them.

The measures are in :mod:`xentlib.information`; the lesson's units and
weather source in :mod:`xentlib.lessons.surprise.experiments`.
"""

NOTEBOOK = "01_surprise"
