"""Exact k-nearest neighbours: the one engine every estimator of the package uses."""

from ._knn import (
    DuplicatePointsWarning,
    KNNGraph,
    KNNTransformer,
    as_knn_graph,
    compute_knn,
)

__all__ = [
    "DuplicatePointsWarning",
    "KNNGraph",
    "KNNTransformer",
    "as_knn_graph",
    "compute_knn",
]
