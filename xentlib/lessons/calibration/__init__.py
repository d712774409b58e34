"""Lesson ``calibration`` (notebook 05): proper scoring rules, calibration, temperature scaling, prediction markets.

Its maths lives in :mod:`xentlib.calibration` (scoring rules, the market,
reliability curves, the ECE, temperature scaling, the forecaster tournament
and the temperature sweep); its data in :mod:`xentlib.datasets`
(:func:`~xentlib.datasets.gaussian_splits`, :func:`~xentlib.datasets.true_probability`);
its overconfident network in :mod:`.experiments`, trained with
:func:`xentlib.models.train_mlp`.
"""

NOTEBOOK = "05_calibration"
