"""Exact k-nearest neighbours: the one engine every estimator of the package uses.

:func:`compute_knn` and :class:`KNNTransformer` search neighbours;
:func:`as_knn_graph` reads precomputed ones; :func:`distinct_neighbors` gives the
neighbour lists of the distinct points of a data set (duplicates collapsed, with
the maps back to every input row) for estimators that need them.
"""

from ._distinct import DistinctNeighbors, distinct_neighbors, validate_neighbors_input
from ._knn import (
    DuplicatePointsWarning,
    KNNGraph,
    KNNTransformer,
    as_knn_graph,
    compute_knn,
    warn_duplicates,
)

__all__ = [
    "DistinctNeighbors",
    "DuplicatePointsWarning",
    "KNNGraph",
    "KNNTransformer",
    "as_knn_graph",
    "compute_knn",
    "distinct_neighbors",
    "validate_neighbors_input",
    "warn_duplicates",
]
