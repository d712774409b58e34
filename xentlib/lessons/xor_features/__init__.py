r"""Lesson ``xor_features``: a loss is only as good as the representation it sees.

On XOR no line beats the loss ln 2 of guessing; the product feature
:math:`x_1 x_2` makes the classes separable, and a tiny tanh network learns a
feature of its own.  Its maths: :mod:`xentlib.landscape`
(:func:`~xentlib.landscape.linear_losses`, :func:`~xentlib.landscape.best_on_grid`),
:mod:`xentlib.datasets` (:func:`~xentlib.datasets.xor_data`,
:func:`~xentlib.datasets.product_features`), :mod:`xentlib.models`
(:func:`~xentlib.models.train_mlp`); its fixed training runs: :mod:`.experiments`.
"""

NOTEBOOK = "04_xor_features"
