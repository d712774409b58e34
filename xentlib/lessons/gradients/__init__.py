"""Lesson ``gradients``: why the gradient of cross-entropy on the logits is "prediction minus target".

The chain rule of sigmoid and softmax cross-entropy factor by factor
(:mod:`xentlib.chain_rule`), SGD on logistic regression one example at a time
(:func:`xentlib.models.sgd_trace`), softmax as a Gibbs distribution, the
naive log-softmax that overflows (:func:`xentlib.links.naive_log_softmax`)
and gradient checks by finite differences (:mod:`xentlib.gradcheck`).
"""

NOTEBOOK = "02_gradients"
