"""Comparing representations: overlaps, information imbalance, sparseness, similarities."""

from ._imbalance import information_imbalance
from ._overlap import label_overlap, neighborhood_overlap
from ._similarity import group_cosine_similarity
from ._sparsity import class_ensembles, hoyer_sparseness

__all__ = [
    "class_ensembles",
    "group_cosine_similarity",
    "hoyer_sparseness",
    "information_imbalance",
    "label_overlap",
    "neighborhood_overlap",
]
