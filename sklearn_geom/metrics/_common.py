"""Validation and neighbour lists shared by the representation metrics."""

import numbers

import numpy as np
from scipy import sparse

from ..neighbors import KNNGraph, as_knn_graph, compute_knn
from ..neighbors._knn import warn_duplicates

METRICS = ("euclidean", "cosine", "precomputed")


def check_points(X, name="X"):
    """2-D finite float array (float32 kept, others cast to float64)."""
    from sklearn.utils import check_array

    return check_array(X, dtype=[np.float64, np.float32], input_name=name)


def check_labels(labels, n_samples):
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}.")
    if labels.shape[0] != n_samples:
        raise ValueError(
            f"labels has {labels.shape[0]} entries, but the representation has {n_samples} points."
        )
    return labels


def _is_graph(X):
    return sparse.issparse(X) or isinstance(X, (KNNGraph, tuple))


def neighbor_indices(X, n_neighbors, *, metric="euclidean", algorithm="auto", n_jobs=None,
                     what="metric", name="X"):
    """(n_samples, n_neighbors) indices of the nearest other points, ties by index.

    ``X`` is raw points, or with ``metric="precomputed"`` a kNN graph (sparse
    distance matrix, ``(distances, indices)`` pair or ``KNNGraph``) with at least
    ``n_neighbors`` neighbours per point.  Duplicate points are kept (they are
    legitimate neighbours at distance 0, ordered by index, as in DADApy) and
    reported with a :class:`~sklearn_geom.neighbors.DuplicatePointsWarning`.

    Returns ``(indices, n_samples)``.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}.")
    if not isinstance(n_neighbors, numbers.Integral) or isinstance(n_neighbors, bool) \
            or n_neighbors < 1:
        raise ValueError(f"n_neighbors must be a positive integer, got {n_neighbors!r}.")
    if metric == "precomputed":
        if not _is_graph(X):
            raise TypeError(
                "With metric='precomputed', X must be a kNN graph (sparse matrix, "
                f"(distances, indices) pair or KNNGraph); got {type(X).__name__}."
            )
        g = as_knn_graph(X)
        if g.n_queries != g.n_samples_fit:
            raise ValueError("A precomputed graph must list the neighbours of every point.")
        if g.n_neighbors < n_neighbors:
            raise ValueError(
                f"{what} needs {n_neighbors} neighbours per point, but the precomputed graph "
                f"of {name} has {g.n_neighbors} (self excluded)."
            )
        g = g.truncate(n_neighbors)
        n = g.n_samples_fit
    else:
        X = check_points(X, name)
        n = X.shape[0]
        if n_neighbors >= n:
            raise ValueError(
                f"n_neighbors={n_neighbors} must be smaller than the number of points "
                f"n_samples={n} of {name}."
            )
        g = compute_knn(X, n_neighbors, metric=metric, algorithm=algorithm, n_jobs=n_jobs)
    n_dup = g.n_duplicates
    warn_duplicates(n_dup, n, f"{what} ({name})", action="kept as neighbours (ties by index)",
                    stacklevel=4)
    return g.indices, n
