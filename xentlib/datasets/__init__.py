"""Small synthetic data sets, made on the spot from a seed (nothing is downloaded).

One module per kind of data; every name is re-exported here, so ``from xentlib.datasets import xor`` works:

* :mod:`~xentlib.datasets.gaussians`: two Gaussian classes apart along the first axis; their logistic posterior;
* :mod:`~xentlib.datasets.planes`: point clouds in the plane (XOR, a ring of classes, blobs, outliers), their features;
* :mod:`~xentlib.datasets.distributions`: distributions given outright: two forecasters, a loaded die, two humps;
* :mod:`~xentlib.datasets.sequences`: DNA barcodes and their k-mer counts, and a toy protein secondary structure.
"""

from .distributions import KL_GRID, LOADED_DIE, Forecasters, bimodal_target, die_rolls, two_forecasters
from .gaussians import Splits, bayes_data, gaussian_splits, screening_data, sgd_data, true_probability, two_gaussians
from .planes import (
    BLOB_CENTRES,
    blobs,
    cubic_features,
    outlier_ring,
    product_features,
    radial_features,
    ray,
    ring_classes,
    ring_logits,
    two_blobs,
    xor,
    xor_data,
)
from .sequences import (
    FISH,
    NUCLEOTIDES,
    Barcodes,
    barcode_data,
    dna_barcodes,
    kmer_counts,
    kmer_names,
    secondary_structure,
)

__all__ = [
    # gaussians
    "two_gaussians", "sgd_data", "true_probability", "Splits", "gaussian_splits", "screening_data", "bayes_data",
    # planes
    "xor", "xor_data", "product_features", "ring_classes", "ring_logits", "two_blobs", "cubic_features",
    "BLOB_CENTRES", "blobs", "outlier_ring", "radial_features", "ray",
    # distributions
    "Forecasters", "two_forecasters", "LOADED_DIE", "die_rolls", "KL_GRID", "bimodal_target",
    # sequences
    "NUCLEOTIDES", "Barcodes", "dna_barcodes", "kmer_names", "kmer_counts", "FISH", "barcode_data",
    "secondary_structure",
]
