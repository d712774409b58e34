"""Lesson ``soft_targets`` (notebook 09): learning from distributions instead of single labels.

Annotators' vote fractions, label smoothing, knowledge distillation, mixup
and behavioural cloning.  The maths is in :mod:`xentlib.soft_targets`
(annotators, smoothing, distillation, mixup, imitation), the data sets in
:mod:`xentlib.datasets`, the distilled student in :mod:`xentlib.models`, and
the notebook's trained models in :mod:`.experiments`.
"""

NOTEBOOK = "09_soft_targets"
