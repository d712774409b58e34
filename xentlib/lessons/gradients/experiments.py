"""The fixed experiment of lesson ``gradients`` (notebook 02): the classes, energies, learning rates and candidate gradients it shows.

NumPy only.  The maths lives in :mod:`xentlib.chain_rule`, :mod:`xentlib.gradcheck`,
:mod:`xentlib.links` (:func:`~xentlib.links.naive_log_softmax`) and
:mod:`xentlib.models` (:func:`~xentlib.models.sgd_trace`); the data set in
:func:`xentlib.datasets.sgd_data`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...chain_rule import sigmoid_derivative
from ...links import sigmoid

__all__ = ["CLASSES", "SGD_RATES", "ENERGIES", "BCE_GRADIENT_CANDIDATES"]


#: The four classes of the softmax figures.
CLASSES = ("cat", "dog", "fox", "owl")


#: Learning rates precomputed for the SGD stepper.
SGD_RATES = (0.05, 0.5, 2.0, 8.0)


#: Energies of the four states (classes) of the Gibbs figure; logits are their negatives.
ENERGIES = np.array([0.0, 0.5, 1.5, 3.0])


#: Three candidate formulas for d BCE(sigmoid(z), y) / dz, per example: only the first is right.
BCE_GRADIENT_CANDIDATES: dict[str, Callable] = {
    "p - y": lambda z, y: sigmoid(z) - y,
    "y - p  (sign flipped)": lambda z, y: y - sigmoid(z),
    "(p - y) p (1 - p)  (kept dp/dz)": lambda z, y: (sigmoid(z) - y) * sigmoid_derivative(z),
}
