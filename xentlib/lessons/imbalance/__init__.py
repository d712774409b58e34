"""Lesson 06, class imbalance: a 99:1 screening problem, who gets a say in the gradient, and how to give the rare class one.

Class weights, balanced resampling, logit adjustment and focal loss, judged
by minority recall and precision.  The maths is in :mod:`xentlib.imbalance`
(weights, resampling, adjustment, outcomes), :mod:`xentlib.losses` (focal
loss) and :mod:`xentlib.models` (:func:`~xentlib.models.fit_logistic`); the
data generator is :func:`xentlib.datasets.screening_data`; the fixed data
sets and trained models are in :mod:`.experiments`.
"""

NOTEBOOK = "06_imbalance"
