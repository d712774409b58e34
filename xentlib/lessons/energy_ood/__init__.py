"""Lesson 10, energy: a softmax is forced to choose, energy as an out-of-distribution score, smooth segments.

It teaches why a softmax classifier is confident far from its training data,
the energy and NLL scores read from the logits, detection by a threshold
(ROC, AUROC, FPR95), the energy-margin loss that trains the energy, and a
Jensen-Shannon penalty between neighbours that turns fragmented per-residue
predictions into contiguous segments.  The maths lives in :mod:`xentlib.ood`
(scores, ROC, the energy-margin loss), :func:`xentlib.models.fit_energy_margin`
(its fine-tuning loop), :mod:`xentlib.segments` (the smoother) and
:mod:`xentlib.datasets` (the blobs, the outlier ring, the toy protein).
"""

NOTEBOOK = "10_energy_ood"
