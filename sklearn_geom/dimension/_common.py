"""Shared machinery of the intrinsic-dimension estimators.

The expensive part of TwoNN and GRIDE is the kNN graph; everything here gets it
from :mod:`sklearn_geom.neighbors` and removes duplicate points (distance 0 at the
input's precision) before any ratio is formed.
"""

import warnings

import numpy as np
from scipy import sparse
from sklearn.utils.validation import validate_data

from ..neighbors import KNNGraph, as_knn_graph, compute_knn
from ..neighbors._knn import DuplicatePointsWarning, warn_duplicates
from ..utils import numba_threads
from . import _dimension_numba as _kern

#: Extra neighbours requested beyond those a method needs, so that a few
#: duplicates can be collapsed without a second kNN search.
DUPLICATE_MARGIN = 2

#: Largest number of recomputations of the deduplicated graph (the first one is
#: exact; the others only guard against near-duplicates found afterwards).
_MAX_ROUNDS = 5


def _too_few(what, n_distinct, n_samples, need=3):
    raise ValueError(
        f"{what} needs at least {need} distinct points, got {n_distinct} distinct among "
        f"n_samples={n_samples}."
    )


def validate_points(estimator, X, reset=True):
    """sklearn's validation of raw points (NaN/inf/empty/dtype errors, n_features_in_)."""
    return validate_data(estimator, X, reset=reset, dtype=[np.float64, np.float32])


def deduplicated_knn(X, n_needed, *, metric="euclidean", algorithm="auto", n_jobs=None,
                     what="estimator", min_distinct=3, cap_to_available=False):
    """kNN lists of the distinct points of raw data ``X``.

    ``n_needed`` neighbours (self and duplicates excluded) are wanted per point.
    The graph is computed with a small margin; duplicate groups are collapsed by
    :meth:`KNNGraph.deduplicate` (the smallest index of each group is kept) and,
    when some kept point did not find ``n_needed`` distinct neighbours in its
    list, the graph is recomputed on the kept points alone (exact).

    With ``cap_to_available=True`` fewer neighbours are returned when there are not
    enough distinct points (``n_distinct - 1``).
    """
    n_samples = X.shape[0]
    if n_samples < min_distinct:
        _too_few(what, n_samples, n_samples, min_distinct)
    kept = np.arange(n_samples)  # original index of each current row
    group_of = np.arange(n_samples)  # original index -> current row
    Xk = X
    for _ in range(_MAX_ROUNDS):
        n = Xk.shape[0]
        want = min(n_needed, n - 1) if cap_to_available else n_needed
        _check_enough(what, want, n_needed, n, n_samples)
        g = compute_knn(
            Xk,
            min(n - 1, want + DUPLICATE_MARGIN),
            metric=metric,
            algorithm=algorithm,
            n_jobs=n_jobs,
        )
        if g.n_duplicates == 0:
            return g.distances[:, :want], g.indices[:, :want], kept, group_of, Xk
        labels = g.duplicate_groups()
        n_distinct = int(labels.max()) + 1
        if n_distinct < min_distinct:
            _too_few(what, n_distinct, n_samples, min_distinct)
        want = min(want, n_distinct - 1) if cap_to_available else want
        _check_enough(what, want, n_needed, n_distinct, n_samples)
        gd, kept_local, complete = g.deduplicate(want)
        kept = kept[kept_local]
        group_of = labels[group_of]
        Xk = Xk[kept_local]
        if complete.all():
            return gd.distances, gd.indices, kept, group_of, Xk
        # some kept point lost its neighbours to duplicates: search again among the
        # distinct points only (exact)
    raise RuntimeError(f"{what}: duplicate removal did not converge.")  # pragma: no cover


def _check_enough(what, want, n_needed, n_distinct, n_samples):
    if want > n_distinct - 1:
        raise ValueError(
            f"{what} needs {n_needed} neighbours per point, which requires more than "
            f"{n_needed} distinct points; got {n_distinct} distinct among "
            f"n_samples={n_samples}."
        )


def deduplicated_precomputed(graph, n_needed, *, what="estimator", min_distinct=3,
                             cap_to_available=False):
    """Distinct-point kNN lists from a precomputed graph.

    Duplicate groups (distance 0) are collapsed to their smallest index; kept
    points whose listed neighbours do not reach ``n_needed`` distinct points are
    dropped with a :class:`~sklearn_geom.neighbors.DuplicatePointsWarning` (the raw
    points are not available to search again).

    Returns
    -------
    distances, indices : (n_rows, k) arrays of the complete rows
    kept : original index of every distinct point (kept numbering)
    group_of : original index -> kept numbering
    rows : positions in ``kept`` of the complete rows
    """
    g = as_knn_graph(graph)
    n_samples = g.n_samples_fit
    if g.n_queries != n_samples:
        raise ValueError(
            f"A precomputed graph must list the neighbours of all {n_samples} points, "
            f"got {g.n_queries} rows."
        )
    if n_samples < min_distinct:
        _too_few(what, n_samples, n_samples, min_distinct)
    labels = g.duplicate_groups()
    n_distinct = int(labels.max()) + 1
    if n_distinct < min_distinct:
        _too_few(what, n_distinct, n_samples, min_distinct)
    want = min(n_needed, n_distinct - 1, g.n_neighbors) if cap_to_available else n_needed
    if g.n_neighbors < want:
        raise ValueError(
            f"{what} needs {want} neighbours per point, but the precomputed graph has "
            f"{g.n_neighbors} (self excluded). Compute it with more neighbours."
        )
    _check_enough(what, want, n_needed, n_distinct, n_samples)
    gd, kept, complete = g.deduplicate(want)
    rows = np.flatnonzero(complete)
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
    return gd.distances[rows], gd.indices[rows], kept, labels, rows


def fit_knn(estimator, X, n_needed, *, what, cap_to_available=False):
    """Validate ``X`` (raw points or a precomputed graph) and return distinct-point kNN lists.

    Returns a dict with ``distances``, ``indices`` (rows of the used points),
    ``kept``, ``group_of``, ``rows`` (see :func:`deduplicated_precomputed`),
    ``X_fit`` (the distinct points, None for precomputed input), ``n_samples``,
    ``n_duplicates``.  Warns once with the number of duplicates removed.
    """
    if estimator.metric == "precomputed":
        if sparse.issparse(X):
            X = validate_data(estimator, X, accept_sparse="csr", dtype=np.float64)
        elif not isinstance(X, (tuple, list, KNNGraph)):
            raise TypeError(
                "With metric='precomputed', X must be a sparse kNN graph (as from "
                "KNeighborsTransformer(mode='distance') or KNNTransformer), a "
                f"(distances, indices) pair or a KNNGraph; got {type(X).__name__}."
            )
        d, ind, kept, group_of, rows = deduplicated_precomputed(
            X, n_needed, what=what, cap_to_available=cap_to_available
        )
        n_samples = group_of.size
        X_fit = None
    else:
        X = validate_points(estimator, X)
        n_samples = X.shape[0]
        d, ind, kept, group_of, X_fit = deduplicated_knn(
            X,
            n_needed,
            metric=estimator.metric,
            algorithm=estimator.algorithm,
            n_jobs=estimator.n_jobs,
            what=what,
            cap_to_available=cap_to_available,
        )
        rows = np.arange(kept.size)
    n_dup = n_samples - kept.size
    warn_duplicates(n_dup, n_samples, what)
    return dict(
        distances=d,
        indices=ind,
        kept=kept,
        group_of=group_of,
        rows=rows,
        X_fit=X_fit,
        n_samples=n_samples,
        n_duplicates=n_dup,
    )


def query_lists(estimator, X, k):
    """Neighbour lists of query points among the fitted points, for ``transform``.

    Raw data: ``compute_knn(X_fit, k, query=X)`` (a fitted point finds itself
    first, at distance 0).  Precomputed: a sparse (n_queries, n_samples_fit) graph
    or a (distances, indices) pair whose indices number the points given to
    ``fit``; every stored entry is a neighbour (a stored diagonal entry is the
    point itself).
    """
    if estimator.metric != "precomputed":
        X = validate_points(estimator, X, reset=False)
        n_fit = estimator._fit_X.shape[0]
        g = compute_knn(
            estimator._fit_X,
            min(k, n_fit),
            query=X,
            metric=estimator.metric,
            algorithm=estimator.algorithm,
            n_jobs=estimator.n_jobs,
        )
        return g.indices
    if not (sparse.issparse(X) or (isinstance(X, (tuple, list)) and len(X) == 2)):
        raise TypeError(
            "With metric='precomputed', transform takes a sparse graph of the queries against "
            "the fitted points or a (distances, indices) pair."
        )
    return as_knn_graph(X, n_samples_fit=estimator._group_of.size, self_graph=False).indices


def local_dimension(ind, group_of, log_mu, k, fallback, n_jobs=None):
    """Local ML dimension of each query row (see :func:`_dimension_numba.local_ml`).

    Rows with fewer than 2 usable ratios among their neighbours get ``fallback``
    (the global estimate).
    """
    with numba_threads(n_jobs, blas=False):
        d, _ = _kern.local_ml(
            np.ascontiguousarray(ind, dtype=np.int64),
            np.ascontiguousarray(group_of, dtype=np.int64),
            np.ascontiguousarray(log_mu, dtype=np.float64),
            int(k),
        )
    d[~np.isfinite(d)] = fallback
    return d


def log_ratio(r_hi, r_lo):
    """``ln(r_hi / r_lo)`` without overflow for tiny ``r_lo`` (both > 0)."""
    return np.log(r_hi) - np.log(r_lo)
