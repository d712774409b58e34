r"""Lesson ``mse_vs_ce``: why classifiers use the log, squared error against cross-entropy.

A confidently wrong sigmoid gets a logit gradient of about 1 from
cross-entropy and about 0 from squared error; a training race from a
saturated start, two forecasters with equal accuracy, the convex (and
bounded-curvature) landscape of cross-entropy against the plateaus of squared
error, hinge against log loss, and soft and smoothed labels.  Its maths:
:mod:`xentlib.losses` (the losses and :func:`~xentlib.losses.smoothed_target`),
:mod:`xentlib.landscape` (loss and curvature along the weight, the Lipschitz
bound), :mod:`xentlib.datasets` (:func:`~xentlib.datasets.two_forecasters`);
its fixed race: :mod:`.experiments`.
"""

NOTEBOOK = "03_mse_vs_ce"
