"""Class imbalance: weights that give every class an equal say."""

from __future__ import annotations

import numpy as np

from ._validation import check_class_labels, check_int

__all__ = ["balanced_class_weights"]


def balanced_class_weights(y, n_classes: int | None = None) -> np.ndarray:
    r"""Inverse-frequency class weights, :math:`w_c = N / (C\, n_c)`.

    Each class's weights then add up to :math:`N / C`, so in a weighted
    cross-entropy every class contributes as much as it would in a balanced
    data set (scikit-learn's ``class_weight="balanced"``).

    Parameters
    ----------
    y : int array (N,) of labels in [0, C).
    n_classes : int or None. C; defaults to ``max(y) + 1``.

    Examples
    --------
    >>> print(balanced_class_weights([0] * 99 + [1]))
    [ 0.5051 50.    ]
    """
    labels = check_class_labels(y, n_classes)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array of labels; got shape {labels.shape}.")
    c = int(labels.max()) + 1 if n_classes is None else check_int(n_classes, "n_classes", 1)
    counts = np.bincount(labels, minlength=c)
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0).tolist()
        raise ValueError(
            f"class(es) {missing} never occur in y, so their balanced weight would be infinite. "
            "Pass n_classes equal to the classes present, or give those classes a weight yourself."
        )
    return len(labels) / (c * counts)
