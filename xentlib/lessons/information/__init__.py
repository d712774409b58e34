"""Lesson ``information``: minimising cross-entropy is maximum likelihood; forward and reverse KL; independent
sigmoid heads against a joint softmax (the gap is the mutual information); cross-entropy + L2 is MAP under a
Gaussian prior; species from DNA barcodes with a softmax over k-mer counts.

Its maths lives in :mod:`xentlib.information` (measures, likelihood), :mod:`xentlib.gaussian_fits` (forward
and reverse KL fits), :mod:`xentlib.multilabel` (correlated labels, the best losses) and :mod:`xentlib.bayes`
(MAP and the ELBO); its data in :mod:`xentlib.datasets`.
"""

NOTEBOOK = "08_information"
