"""Neighbour lists of the distinct points of a data set (duplicates collapsed).

Estimators that form ratios or densities from neighbour distances (TwoNN, GRIDE,
density peaks) cannot use a point whose nearest neighbour is a copy of itself
(distance 0).  :func:`distinct_neighbors` computes, from raw points or from a
precomputed kNN graph, the neighbour lists of the distinct points only, and
returns them with the maps between input rows and distinct points in a
:class:`DistinctNeighbors`, which also answers queries of new points.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.utils.validation import validate_data

from . import _knn_numba as _kern
from ._knn import (
    DuplicatePointsWarning,
    KNNGraph,
    as_knn_graph,
    compute_knn,
    warn_duplicates,
)
from ._params import ALGORITHMS, METRICS

#: Extra neighbours requested beyond those a method needs, so that a few
#: duplicates can be collapsed without a second kNN search.
DUPLICATE_MARGIN = 2

#: Largest number of searches (the second one, among the distinct points only,
#: is exact; the others only guard against near-duplicates found afterwards).
_MAX_ROUNDS = 5


@dataclass(frozen=True, eq=False)
class DistinctNeighbors:
    """Neighbour lists of the distinct points of a data set.

    Points at distance 0 (at the input's precision, float32 near-copies included)
    form a duplicate group; each group is represented by its smallest row, and
    the distinct points are numbered ``0 .. n_distinct - 1`` in the order of
    those rows.  Made by :func:`distinct_neighbors`.

    Parameters
    ----------
    distances : ndarray of shape (n_used, k), float64
        Distances to the ``k`` nearest other distinct points, sorted ascending
        (ties by index).
    indices : ndarray of shape (n_used, k), int64
        Their numbers among the distinct points.
    kept : ndarray of shape (n_distinct,), int64
        Input row of each distinct point (the smallest row of its group).
    group_of : ndarray of shape (n_samples,), int64
        Distinct point of each input row.
    rows : ndarray of shape (n_used,), int64
        Distinct points whose lists are complete: row ``i`` of ``distances`` is
        distinct point ``rows[i]``.  All of them for raw points; for a
        precomputed graph, the points whose listed neighbours reach ``k``
        distinct ones.
    X_fit : ndarray of shape (n_distinct, n_features) or None
        The distinct points (None for a precomputed graph).
    n_samples : int
        Number of input rows.
    n_duplicates : int
        Number of input rows that were collapsed onto another one
        (``n_samples - n_distinct``).
    metric, algorithm : str
        The search's settings (reused by :meth:`query`).
    n_jobs : int or None
        Threads of the search (reused by :meth:`query`).

    See Also
    --------
    distinct_neighbors : Computes it from raw points or a precomputed graph.
    """

    distances: np.ndarray
    indices: np.ndarray
    kept: np.ndarray
    group_of: np.ndarray
    rows: np.ndarray
    X_fit: np.ndarray | None
    n_samples: int
    n_duplicates: int
    metric: str = "euclidean"
    algorithm: str = "auto"
    n_jobs: int | None = None

    @property
    def n_distinct(self):
        """Number of distinct points.

        Returns
        -------
        int
            ``kept.size``.
        """
        return int(self.kept.size)

    @property
    def n_neighbors(self):
        """Neighbours per listed point (``k``).

        Returns
        -------
        int
            ``distances.shape[1]``.
        """
        return int(self.distances.shape[1])

    @property
    def graph(self):
        """The complete lists as a :class:`KNNGraph`.

        Returns
        -------
        KNNGraph
            Row ``i`` is distinct point ``rows[i]``; indices number the distinct points.
        """
        return KNNGraph(self.distances, self.indices, self.n_distinct, False)

    def to_samples(self, values):
        """Map per-distinct-point values (along axis 0) to every input row.

        Parameters
        ----------
        values : array-like of shape (n_distinct, ...)
            One value (or row) per distinct point.  Values known only for the
            complete rows can be spread first with ``full[nb.rows] = v``.

        Returns
        -------
        ndarray of shape (n_samples, ...)
            Every input row gets the value of its distinct point (duplicates share it).
        """
        values = np.asarray(values)
        if values.shape[0] != self.n_distinct:
            raise ValueError(
                f"Expected one value per distinct point ({self.n_distinct}), got "
                f"{values.shape[0]}."
            )
        return values[self.group_of]

    def query(self, X, n_neighbors):
        """Neighbour lists of query points among the distinct fitted points.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), or a kNN graph
            Raw points (already validated) searched with :func:`compute_knn`; a
            fitted point finds itself first, at distance 0.  For a precomputed
            fit: a sparse ``(n_queries, n_samples)`` graph, a ``(distances,
            indices)`` pair or a :class:`KNNGraph` whose indices number the input
            rows of the fit (every stored entry is a neighbour, a stored
            diagonal entry included); they are mapped to distinct points and
            repeated ones dropped.
        n_neighbors : int
            Distinct points wanted per query (at most ``n_distinct``).

        Returns
        -------
        KNNGraph
            ``(n_queries, n_neighbors)`` lists over the distinct points
            (``self_graph=False``), sorted by distance; rows of a precomputed
            query with fewer distinct entries are padded with (inf, -1).
        """
        n_neighbors = int(n_neighbors)
        if n_neighbors < 1:
            raise ValueError(f"n_neighbors must be >= 1, got {n_neighbors}.")
        if self.X_fit is not None:
            return compute_knn(
                self.X_fit,
                min(n_neighbors, self.n_distinct),
                query=X,
                metric=self.metric,
                algorithm=self.algorithm,
                n_jobs=self.n_jobs,
            )
        if not (sparse.issparse(X) or isinstance(X, KNNGraph)
                or (isinstance(X, (tuple, list)) and len(X) == 2)):
            raise TypeError(
                "With metric='precomputed', queries must be a sparse graph against the "
                "fitted points, a (distances, indices) pair or a KNNGraph; got "
                f"{type(X).__name__}."
            )
        g = as_knn_graph(X, n_samples_fit=self.n_samples, self_graph=False)
        n_q = g.n_queries
        d, i, _ = _kern.collapse_duplicate_lists(
            np.ascontiguousarray(g.distances),
            np.ascontiguousarray(g.indices),
            self.group_of,
            np.arange(n_q, dtype=np.int64),
            np.full(n_q, -1, dtype=np.int64),
            n_neighbors,
        )
        return KNNGraph(d, i, self.n_distinct, False)


# --------------------------------------------------------------------------------------


def validate_neighbors_input(estimator, X, *, metric=None, reset=True):
    """Validate what an estimator with a ``metric`` parameter got as ``X``.

    Raw points go through sklearn's ``validate_data`` (float64 or float32; NaN,
    inf, empty and wrong shapes refused; ``n_features_in_`` set).  With
    ``metric="precomputed"`` a sparse graph is validated the same way (as a CSR
    matrix), a ``(distances, indices)`` pair or a :class:`KNNGraph` is passed
    through (checked when read), anything else raises a TypeError.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator (``n_features_in_`` is set on it).
    X : array-like, sparse matrix, tuple or KNNGraph
        The input.
    metric : str, optional
        Default: ``estimator.metric``.
    reset : bool, default=True
        As in ``validate_data`` (True in ``fit``).

    Returns
    -------
    X : ndarray, sparse matrix, tuple or KNNGraph
        The validated input (a float array or CSR matrix, or the graph unchanged).
    """
    metric = estimator.metric if metric is None else metric
    if metric != "precomputed":
        return validate_data(estimator, X, reset=reset, dtype=[np.float64, np.float32])
    if sparse.issparse(X):
        return validate_data(estimator, X, reset=reset, accept_sparse="csr", dtype=np.float64)
    if isinstance(X, KNNGraph) or (isinstance(X, (tuple, list)) and len(X) == 2):
        return X
    raise TypeError(
        "With metric='precomputed', X must be a sparse kNN graph (as from "
        "KNeighborsTransformer(mode='distance') or KNNTransformer), a "
        f"(distances, indices) pair or a KNNGraph; got {type(X).__name__}."
    )


def _too_few(what, n_distinct, n_samples, need):
    raise ValueError(
        f"{what} needs at least {need} distinct points, got {n_distinct} distinct among "
        f"n_samples={n_samples}."
    )


def _check_enough(what, want, n_needed, n_distinct, n_samples):
    if want > n_distinct - 1:
        raise ValueError(
            f"{what} needs {n_needed} neighbours per point, which requires more than "
            f"{n_needed} distinct points; got {n_distinct} distinct among "
            f"n_samples={n_samples}."
        )


def distinct_neighbors(
    X,
    n_neighbors,
    *,
    metric="euclidean",
    algorithm="auto",
    n_jobs=None,
    what="estimator",
    min_distinct=3,
    cap_to_available=False,
):
    """Neighbour lists of the distinct points of ``X`` (duplicates collapsed).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), or a kNN graph
        Raw points (validated by the caller, e.g. with
        :func:`validate_neighbors_input`), or with ``metric="precomputed"`` a
        sparse ``(n_samples, n_samples)`` kNN graph, a ``(distances, indices)``
        pair or a :class:`KNNGraph`.
    n_neighbors : int
        Distinct neighbours wanted per point (itself and its copies excluded).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of the search.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Search algorithm of :func:`compute_knn`.
    n_jobs : int, default=None
        Threads of the search (None: all cores numba and OpenMP may use).
    what : str, default="estimator"
        Name of the caller, for messages and the warning.
    min_distinct : int, default=3
        Fewer distinct points raise a ValueError.
    cap_to_available : bool, default=False
        Return fewer neighbours (``n_distinct - 1``, or the width of a
        precomputed graph) instead of raising when there are not enough.

    Returns
    -------
    DistinctNeighbors
        The lists of the distinct points and the maps between input rows and
        distinct points.

    Warns
    -----
    DuplicatePointsWarning
        Once, with the number of input rows collapsed onto another one; and, for
        a precomputed graph, when some distinct points have fewer than
        ``n_neighbors`` distinct neighbours listed (they are left out of
        ``rows``: the raw points are not there to search again).

    Notes
    -----
    From raw points the graph is computed with ``n_neighbors + 2`` neighbours;
    duplicate groups are collapsed onto their smallest row, and when some
    distinct point did not find ``n_neighbors`` distinct neighbours in its list
    the search is repeated among the distinct points only (exact).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.neighbors import distinct_neighbors
    >>> X = np.array([[0.0], [1.0], [1.0], [3.0], [6.0]])
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     nb = distinct_neighbors(X, 1)
    >>> nb.kept.tolist(), nb.group_of.tolist(), nb.n_duplicates
    ([0, 1, 3, 4], [0, 1, 1, 2, 3], 1)
    >>> nb.indices.ravel().tolist()  # nearest distinct point of each distinct point
    [1, 0, 1, 2]
    >>> nb.to_samples(nb.distances[:, 0]).tolist()
    [1.0, 1.0, 1.0, 2.0, 3.0]
    """
    if metric == "precomputed":
        nb = _from_graph(X, n_neighbors, what, min_distinct, cap_to_available)
    else:
        if metric not in METRICS:
            raise ValueError(
                f"metric must be one of {METRICS} or 'precomputed', got {metric!r}."
            )
        if algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {ALGORITHMS}, got {algorithm!r}.")
        nb = _from_points(
            X, n_neighbors, metric, algorithm, n_jobs, what, min_distinct, cap_to_available
        )
    warn_duplicates(nb.n_duplicates, nb.n_samples, what, stacklevel=3)
    return nb


def _from_points(X, n_needed, metric, algorithm, n_jobs, what, min_distinct, cap):
    X = np.asarray(X)
    n_samples = X.shape[0]
    if n_samples < min_distinct:
        _too_few(what, n_samples, n_samples, min_distinct)
    kept = np.arange(n_samples, dtype=np.int64)  # input row of each current point
    group_of = np.arange(n_samples, dtype=np.int64)  # input row -> current point
    Xk = X

    def result(d, i):
        return DistinctNeighbors(
            np.ascontiguousarray(d), np.ascontiguousarray(i), kept, group_of,
            np.arange(kept.size, dtype=np.int64), Xk, n_samples, n_samples - kept.size,
            metric, algorithm, n_jobs,
        )

    for _ in range(_MAX_ROUNDS):
        n = Xk.shape[0]
        want = min(n_needed, n - 1) if cap else n_needed
        _check_enough(what, want, n_needed, n, n_samples)
        g = compute_knn(
            Xk, min(n - 1, want + DUPLICATE_MARGIN), metric=metric, algorithm=algorithm,
            n_jobs=n_jobs,
        )
        if g.n_duplicates == 0:
            return result(g.distances[:, :want], g.indices[:, :want])
        labels = g.duplicate_groups()
        n_distinct = int(labels.max()) + 1
        if n_distinct < min_distinct:
            _too_few(what, n_distinct, n_samples, min_distinct)
        want = min(want, n_distinct - 1) if cap else want
        _check_enough(what, want, n_needed, n_distinct, n_samples)
        gd, kept_local, complete = g.deduplicate(want)
        kept = kept[kept_local]
        group_of = labels[group_of].astype(np.int64)
        Xk = Xk[kept_local]
        if complete.all():
            return result(gd.distances, gd.indices)
        # some distinct point lost its neighbours to duplicates: search again among
        # the distinct points only (exact)
    raise RuntimeError(f"{what}: duplicate removal did not converge.")  # pragma: no cover


def _from_graph(graph, n_needed, what, min_distinct, cap):
    if not (sparse.issparse(graph) or isinstance(graph, KNNGraph)
            or (isinstance(graph, (tuple, list)) and len(graph) == 2)):
        raise TypeError(
            "With metric='precomputed', X must be a sparse kNN graph (as from "
            "KNeighborsTransformer(mode='distance') or KNNTransformer), a "
            f"(distances, indices) pair or a KNNGraph; got {type(graph).__name__}."
        )
    g = as_knn_graph(graph)
    n_samples = g.n_samples_fit
    if g.n_queries != n_samples:
        raise ValueError(
            f"A precomputed graph must list the neighbours of all {n_samples} points, "
            f"got {g.n_queries} rows."
        )
    if n_samples < min_distinct:
        _too_few(what, n_samples, n_samples, min_distinct)
    if _no_duplicates(g):
        return _from_graph_distinct(g, n_needed, what, min_distinct, cap)
    labels = g.duplicate_groups().astype(np.int64)
    n_distinct = int(labels.max()) + 1
    if n_distinct < min_distinct:
        _too_few(what, n_distinct, n_samples, min_distinct)
    want = min(n_needed, n_distinct - 1, g.n_neighbors) if cap else n_needed
    if g.n_neighbors < want:
        raise ValueError(
            f"{what} needs {want} neighbours per point, but the precomputed graph has "
            f"{g.n_neighbors} (self excluded). Compute it with more neighbours."
        )
    _check_enough(what, want, n_needed, n_distinct, n_samples)
    gd, kept, complete = g.deduplicate(want)
    rows = np.flatnonzero(complete).astype(np.int64)
    n_incomplete = int(kept.size - rows.size)
    if n_incomplete:
        warnings.warn(
            f"{what}: {n_incomplete} of {n_distinct} distinct points have fewer than {want} "
            "distinct neighbours in the precomputed graph (the others are duplicates) and "
            "were left out of the estimate. Pass more neighbours or the raw data.",
            DuplicatePointsWarning,
            stacklevel=3,
        )
    if rows.size == 0:
        raise ValueError(
            f"{what}: no point has {want} distinct neighbours in the precomputed graph."
        )
    return DistinctNeighbors(
        np.ascontiguousarray(gd.distances[rows]), np.ascontiguousarray(gd.indices[rows]),
        kept.astype(np.int64), labels, rows, None, n_samples, n_samples - kept.size,
        "precomputed", "auto", None,
    )


def _no_duplicates(g):
    """Whether a self-graph certainly has no point at distance 0 from another.

    Rows are sorted by distance, so a positive first column means no zero
    anywhere; lists padded with -1 are left to the general path.
    """
    if not g.self_graph or g.n_queries == 0 or g.n_neighbors == 0:
        return False  # (the general path refuses query graphs)
    first = g.distances[:, 0]
    return bool(first.min() > 0.0) and bool(g.indices.min() >= 0)


def _from_graph_distinct(g, n_needed, what, min_distinct, cap):
    """:func:`_from_graph` for a graph without duplicates: every point is distinct.

    Gives what the general path gives then (identity maps, every row complete,
    the first ``want`` columns), without the duplicate groups and the collapse.
    """
    n_samples = g.n_queries
    want = min(n_needed, n_samples - 1, g.n_neighbors) if cap else n_needed
    if g.n_neighbors < want:
        raise ValueError(
            f"{what} needs {want} neighbours per point, but the precomputed graph has "
            f"{g.n_neighbors} (self excluded). Compute it with more neighbours."
        )
    _check_enough(what, want, n_needed, n_samples, n_samples)
    return DistinctNeighbors(
        np.array(g.distances[:, :want], dtype=np.float64, order="C"),
        np.array(g.indices[:, :want], dtype=np.int64, order="C"),
        np.arange(n_samples, dtype=np.int64), np.arange(n_samples, dtype=np.int64),
        np.arange(n_samples, dtype=np.int64), None, n_samples, 0,
        "precomputed", "auto", None,
    )
