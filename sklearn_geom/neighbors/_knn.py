"""The package's one exact k-nearest-neighbour engine.

Every geometric estimator of sklearn_geom gets its neighbours from here: either
computed (:func:`compute_knn`) or given precomputed (:func:`as_knn_graph`), in
both cases as a :class:`KNNGraph` with rows sorted by distance (ties by index)
and the query point itself excluded by index.
"""

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._numba import effective_n_jobs, numba_threads
from ..utils._validation import check_n_neighbors
from . import _knn_numba as _kern
from ._params import (
    ALGORITHM_CONSTRAINT,
    ALGORITHMS,
    METRIC_OR_MINKOWSKI_CONSTRAINT,
    METRICS,
    N_JOBS_CONSTRAINT,
)

#: ``algorithm="auto"`` picks the k-d tree up to TREE_MAX_FEATURES dimensions, and up
#: to TREE_MAX_FEATURES_FEW_NEIGHBORS when at most TREE_FEW_NEIGHBORS are wanted.
#: Measured crossover (``benchmarks/knn.py --crossover``, N = 20k, 2 cores, brute/tree
#: time): D = 2-5: 2.4-18x for the tree; D = 8: 1.6x for the tree at k = 2, 0.76x at
#: k = 100; D >= 10: the tree loses (0.07-0.63x).
TREE_MAX_FEATURES = 5
TREE_MAX_FEATURES_FEW_NEIGHBORS = 8
TREE_FEW_NEIGHBORS = 16



@dataclass(frozen=True, eq=False)
class KNNGraph:
    """Sorted k-nearest-neighbour lists of a set of query points.

    Parameters
    ----------
    distances : ndarray of shape (n_queries, n_neighbors), float64
        Distances sorted ascending in each row (ties ordered by index).
    indices : ndarray of shape (n_queries, n_neighbors), int64
        Indices into the fitted set.  In a self-graph (queries = fitted set) the
        query point itself never appears; its duplicates do, at distance 0.
    n_samples_fit : int
        Number of points of the fitted set.
    self_graph : bool
        Whether the queries are the fitted points themselves (row i is point i).
    """

    distances: np.ndarray
    indices: np.ndarray
    n_samples_fit: int
    self_graph: bool = True

    @property
    def n_queries(self):
        """Number of query rows.

        Returns
        -------
        int
            ``distances.shape[0]``.
        """
        return self.distances.shape[0]

    @property
    def n_neighbors(self):
        """Number of neighbours per row.

        Returns
        -------
        int
            ``distances.shape[1]``.
        """
        return self.distances.shape[1]

    @property
    def duplicate_mask(self):
        """Points with at least one other point at distance exactly 0."""
        if self.n_neighbors == 0:
            return np.zeros(self.n_queries, dtype=bool)
        return self.distances[:, 0] == 0.0

    @property
    def n_duplicates(self):
        """Number of points that have a duplicate (every copy counts)."""
        return int(self.duplicate_mask.sum())

    def truncate(self, n_neighbors):
        """The same graph with only the first ``n_neighbors`` neighbours per row.

        Parameters
        ----------
        n_neighbors : int
            Neighbours to keep (at most ``self.n_neighbors``).

        Returns
        -------
        KNNGraph
            The truncated graph (views of the arrays).
        """
        if n_neighbors > self.n_neighbors:
            raise ValueError(
                f"Cannot truncate a graph with {self.n_neighbors} neighbours to {n_neighbors}."
            )
        return KNNGraph(
            self.distances[:, :n_neighbors],
            self.indices[:, :n_neighbors],
            self.n_samples_fit,
            self.self_graph,
        )

    def subset(self, rows):
        """Rows ``rows`` of the graph (indices still refer to the fitted set).

        Parameters
        ----------
        rows : array-like of int or bool
            Query rows to keep.

        Returns
        -------
        KNNGraph
            A query graph (``self_graph=False``) of those rows.
        """
        return KNNGraph(self.distances[rows], self.indices[rows], self.n_samples_fit, False)

    def duplicate_groups(self):
        """Label of each point's duplicate group (points at distance 0 share a label).

        Labels are numbered 0..G-1 in the order of each group's smallest index,
        so the representative of group g (its smallest index) is the g-th kept
        point of :meth:`deduplicate`.

        Returns
        -------
        ndarray of shape (n_queries,), int
            The group label of each point.
        """
        self._require_self_graph()
        n = self.n_queries
        rows, cols = np.nonzero(self.distances == 0.0)
        if rows.size == 0:
            return np.arange(n)
        adj = sparse.coo_matrix(
            (np.ones(rows.size, dtype=np.int8), (rows, self.indices[rows, cols])), shape=(n, n)
        )
        _, labels = connected_components(adj, directed=False)
        # renumber by smallest member index
        _, first = np.unique(labels, return_index=True)
        order = np.argsort(first, kind="stable")
        remap = np.empty_like(order)
        remap[order] = np.arange(order.size)
        return remap[labels]

    def deduplicate(self, n_neighbors=None, n_jobs=None):
        """Keep one point per duplicate group and collapse the neighbour lists.

        Parameters
        ----------
        n_neighbors : int, optional
            Neighbours wanted per kept point (default: as many as available).
        n_jobs : int, optional
            Threads (None: the default of :func:`~sklearn_geom.utils.numba_threads`).

        Returns
        -------
        graph : KNNGraph
            Self-graph over the kept points (indices in the kept numbering).
        kept : ndarray of int
            Original indices of the kept points (the smallest of each group).
        complete : ndarray of bool
            Whether each kept row found ``n_neighbors`` distinct neighbours in the
            original lists (rows that did not are padded with inf / -1).
        """
        labels = self.duplicate_groups()
        _, kept = np.unique(labels, return_index=True)
        if n_neighbors is None:
            n_neighbors = self.n_neighbors
        kept = kept.astype(np.int64)
        labels = labels.astype(np.int64)
        with numba_threads(n_jobs, blas=False):
            d, i, n_valid = _kern.collapse_duplicate_lists(
                np.ascontiguousarray(self.distances), np.ascontiguousarray(self.indices),
                labels, kept, labels[kept], int(n_neighbors)
            )
        graph = KNNGraph(d, i, kept.size, True)
        return graph, kept, n_valid >= n_neighbors

    def to_sparse(self, mode="distance", include_self=False):
        """CSR matrix (n_queries, n_samples_fit) in sklearn's kneighbors_graph layout.

        Parameters
        ----------
        mode : {"distance", "connectivity"}, default="distance"
            Store the distances, or ones.
        include_self : bool, default=False
            (Self-graphs only) also store each point itself at distance 0 first,
            as ``KNeighborsTransformer`` does.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_queries, n_samples_fit)
            The graph.
        """
        d, ind = self.distances, self.indices
        n, k = d.shape
        if include_self:
            self._require_self_graph()
            d = np.hstack([np.zeros((n, 1)), d])
            ind = np.hstack([np.arange(n)[:, None], ind])
            k += 1
        data = d.ravel().copy() if mode == "distance" else np.ones(n * k)
        return sparse.csr_matrix(
            (data, ind.ravel().copy(), np.arange(0, n * k + 1, k)),
            shape=(n, self.n_samples_fit),
        )

    def _require_self_graph(self):
        if not self.self_graph:
            raise ValueError("This operation needs a self-graph (queries = fitted points).")


# --------------------------------------------------------------------------------------
# computing neighbours


def _as_float_array(X, name):
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {X.shape}.")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return np.ascontiguousarray(X)


def _normalise_rows(X, name):
    norms = np.sqrt(np.einsum("ij,ij->i", X, X, dtype=np.float64))
    if np.any(norms == 0):
        raise ValueError(
            f"{name} has {int(np.sum(norms == 0))} all-zero row(s): cosine distance is undefined."
        )
    return (X / norms[:, None].astype(X.dtype)).astype(X.dtype, copy=False)


def resolve_algorithm(algorithm, n_features, n_neighbors=1):
    """The algorithm ``algorithm="auto"`` stands for at ``n_features`` dimensions."""
    if algorithm == "auto":
        low = n_features <= TREE_MAX_FEATURES or (
            n_features <= TREE_MAX_FEATURES_FEW_NEIGHBORS and n_neighbors <= TREE_FEW_NEIGHBORS
        )
        return "kd_tree" if low else "brute"
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {ALGORITHMS}, got {algorithm!r}.")
    return algorithm


def compute_knn(
    X,
    n_neighbors,
    *,
    query=None,
    metric="euclidean",
    algorithm="auto",
    working_memory=None,
    n_jobs=None,
):
    """Exact k nearest neighbours.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The reference (fitted) points, float32 or float64 (others cast to float64).
    n_neighbors : int
        Number of neighbours per query, the query point excluded.
    query : array-like of shape (n_queries, n_features), optional
        Points to query.  ``None`` queries the reference points themselves and
        excludes each point from its own list (by index, not by distance).
    metric : {"euclidean", "cosine"}, default="euclidean"
        Cosine distance is ``1 - cos`` (computed from the unit-normalised rows).
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        ``"brute"``: tiled GEMM plus a Numba partial selection; ``"kd_tree"``:
        scipy's cKDTree; ``"auto"``: the tree up to 5 dimensions (up to 8 when
        at most 16 neighbours are wanted; measured crossover), brute force above.
    working_memory : int, optional
        Upper bound in MiB for one thread's distance tile (brute force); the
        default tile is 256 x 1024 distances, a few MiB.  With it, memory use
        beyond the input and the (n_queries, k) outputs is O(n_jobs * tile).
        Without it, a self-graph (``query=None``) of 16 or more features is
        searched block-symmetrically (each block of products serves both of its
        row chunks, half the arithmetic), which keeps the candidates of all
        points at once: n_samples * (2 * n_neighbors + 8) * 8 bytes (186 MB at
        100k points and 100 neighbours; used up to 256 MB).
    n_jobs : int, optional
        Threads for BLAS, Numba and the tree (None: every core numba and OpenMP
        allow, as scikit-learn's OpenMP kernels; -1: all cores).  Results do
        not depend on it.

    Returns
    -------
    graph : KNNGraph
        Distances are exact in float64 (recomputed from the rows for the kept
        neighbours, also for float32 input); distances at the precision limit of
        the input dtype are set to exactly 0 so that near-duplicates are seen as
        duplicates.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS} (or 'precomputed'), got {metric!r}.")
    X = _as_float_array(X, "X")
    self_graph = query is None
    Q = X if self_graph else _as_float_array(query, "query").astype(X.dtype, copy=False)
    if Q.shape[1] != X.shape[1]:
        raise ValueError(
            f"query has {Q.shape[1]} features, but the reference set has {X.shape[1]}."
        )
    n_fit = X.shape[0]
    if self_graph:
        check_n_neighbors(n_neighbors, n_fit)
    elif not isinstance(n_neighbors, numbers.Integral) or not 1 <= n_neighbors <= n_fit:
        raise ValueError(
            f"n_neighbors must be in [1, n_samples_fit={n_fit}] for new queries, "
            f"got {n_neighbors!r}."
        )
    k = int(n_neighbors)
    if metric == "cosine":
        X = _normalise_rows(X, "X")
        Q = X if self_graph else _normalise_rows(Q, "query")
    algorithm = resolve_algorithm(algorithm, X.shape[1], k)
    if algorithm == "kd_tree":
        dist, ind = _tree_knn(X, Q, k, self_graph, n_jobs)
    else:
        dist, ind = _brute_knn(X, Q, k, self_graph, working_memory, n_jobs)
    # distances at the precision limit of the input dtype are duplicates
    rtol = 10.0 * np.finfo(X.dtype).eps
    xnorm = np.sqrt(np.einsum("ij,ij->i", X, X, dtype=np.float64))
    qnorm = xnorm if self_graph else np.sqrt(np.einsum("ij,ij->i", Q, Q, dtype=np.float64))
    with numba_threads(n_jobs, blas=False):
        dist = _kern.snap_small(dist, ind, qnorm, xnorm, rtol, 0)
        dist, ind = _kern.sort_rows(dist, ind)
    if metric == "cosine":
        dist = 0.5 * dist**2
    return KNNGraph(dist, ind, n_fit, self_graph)


#: Rows of a query chunk and columns of a reference tile of the brute-force engine:
#: a (CHUNK_ROWS, TILE_COLS) float32 tile is 1 MiB, so it stays in cache between
#: the GEMM that writes it and the scan that reads it.
CHUNK_ROWS = 256
TILE_COLS = 1024

#: From WIDE_FEATURES features on, the GEMM dominates and query chunks of WIDE_CHUNK_ROWS rows
#: (a 4 MiB tile) run it faster (single-thread sgemm at D = 512: 57 GFLOP/s in 256-row
#: chunks, 69 in 4096-row blocks; end to end at N = 20k, k = 100: 1.17x at D = 512, no gain
#: at D = 20 and 128).  Not used when ``working_memory`` bounds the tile.
WIDE_FEATURES = 256
WIDE_CHUNK_ROWS = 1024

#: Extra candidates of the float32 pass: k + max(CANDIDATE_MARGIN, k // 8) (at k = 100, N = 20k
#: Gaussian data, D = 20, 128, 512: no uncertified row; with k + 4, 207 rows at D = 512).
CANDIDATE_MARGIN = 4

#: Reservoir of the candidate scan: RESERVOIR_FACTOR * k + 8 values per query row.
RESERVOIR_FACTOR = 2

#: Starting threshold of the candidate scan: each query row's ``rank``-th smallest value
#: over SAMPLE_COLS sampled reference columns (a fixed low-discrepancy set), with rank
#: chosen so that a row's true k-th value lies above it with probability SAMPLE_TAIL
#: at most (binomial count of sampled values below it).  Without it the scan starts at
#: +inf and admits ~k ln(N / k) + 2k values per row (950 at k = 112, N = 20k); with it
#: ~250.  Rows whose start was too low (detected exactly: fewer than k admitted) are
#: searched again without one.  Used from SAMPLE_MIN_FIT reference points on.
SAMPLE_COLS = 1024
SAMPLE_TAIL = 1e-3
SAMPLE_MIN_FIT = 8 * SAMPLE_COLS


def _threshold_sample(n_fit, k, n_avail):
    """(sampled reference indices, rank) of the starting thresholds, or (None, 0)."""
    if n_fit < SAMPLE_MIN_FIT:
        return None, 0
    from scipy.stats import binom

    golden = (np.sqrt(5.0) - 1.0) / 2.0
    sample = np.unique((np.arange(1, SAMPLE_COLS + 1) * golden % 1.0 * n_fit).astype(np.int64))
    rank = int(binom.isf(SAMPLE_TAIL, sample.size - 1, k / n_avail)) + 1
    if rank > sample.size // 8:  # too little to gain
        return None, 0
    return sample, rank


def _tiled_select(X, Q, k, self_ids, tile, n_threads, chunk_rows=CHUNK_ROWS, sample=True):
    """k smallest ``|q|^2 + |x|^2 - 2 q.x`` per query row by tiled GEMM (X's dtype).

    One chunk of ``chunk_rows`` query rows per thread at a time, BLAS single-threaded,
    so that each (chunk x tile) block stays in cache between the GEMM and the scan
    and the result does not depend on the number of threads.  The scan keeps a
    reservoir of up to RESERVOIR_FACTOR * k values below a running threshold per
    row (:func:`_knn_numba.tile_select_reservoir`), started from a sampled estimate
    (``sample=True``, :func:`_threshold_sample`); rows that admitted fewer than k
    values from it are searched again from +inf.

    Returns the k approximate squared distances (unsorted; every value left out
    is >= the row's maximum) and their indices.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    dtype = X.dtype.type
    n_q, n_fit = Q.shape[0], X.shape[0]
    xx = np.einsum("ij,ij->i", X, X, dtype=np.float64).astype(dtype)
    qq = np.einsum("ij,ij->i", Q, Q, dtype=np.float64).astype(dtype)
    cap = RESERVOIR_FACTOR * k + 8
    id_type = np.int32 if n_fit < 2**31 else np.int64
    d2 = np.empty((n_q, k), dtype=dtype)
    ind = np.empty((n_q, k), dtype=np.int64)
    complete = np.ones(n_q, dtype=bool)
    starts = list(range(0, n_q, chunk_rows))
    n_threads = max(1, min(n_threads, len(starts)))
    cols, rank = (None, 0)
    if sample:
        cols, rank = _threshold_sample(n_fit, k, n_fit - int(np.any(self_ids >= 0)))
    if cols is not None:
        Xs = np.ascontiguousarray(X[cols])
        ys = xx[cols]

    def work(t):
        buf = np.empty((chunk_rows, tile), dtype=dtype)
        rd = np.empty((chunk_rows, cap), dtype=dtype)
        ri = np.empty((chunk_rows, cap), dtype=id_type)
        sbuf = None if cols is None else np.empty((chunk_rows, cols.size), dtype=dtype)
        for start in starts[t::n_threads]:
            stop = min(n_q, start + chunk_rows)
            b = stop - start
            Qc = Q[start:stop]
            cnt = np.zeros(b, dtype=np.int64)
            thr = np.full(b, np.inf, dtype=dtype)
            if cols is not None:
                Gs = np.matmul(Qc, Xs.T, out=sbuf[:b])
                _kern.sample_thresholds(Gs, ys, cols, self_ids[start:stop], rank, thr)
            for c0 in range(0, n_fit, tile):
                c1 = min(n_fit, c0 + tile)
                G = np.matmul(Qc, X[c0:c1].T, out=buf[:b, : c1 - c0])
                _kern.tile_select_reservoir(G, xx[c0:c1], c0, self_ids[start:stop], k,
                                            rd[:b], ri[:b], cnt, thr)
            complete[start:stop] = cnt >= k
            d2[start:stop], ind[start:stop] = _kern.reservoir_finish(
                rd[:b], ri[:b], cnt, qq[start:stop], k)

    with threadpool_limits(limits=1, user_api="blas"):
        if n_threads == 1:
            work(0)
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                list(pool.map(work, range(n_threads)))
    redo = np.flatnonzero(~complete)
    if redo.size and cols is not None:  # the sampled start was below the k-th value
        d2[redo], ind[redo] = _tiled_select(
            X, np.ascontiguousarray(Q[redo]), k, self_ids[redo], tile, n_threads, chunk_rows,
            sample=False)
    return d2, ind


#: Exact distances of the candidates: from VECTOR_REFINE_FEATURES features on, the sum over
#: features is vectorised (:func:`_knn_numba.exact_distances_fast`; below, the serial sum in
#: feature order); from BLOCKED_REFINE_FEATURES on, computed block by block of
#: BLOCKED_REFINE_ROWS query rows in the order of the reference rows
#: (:func:`_knn_numba.exact_distances_blocked`, the same values).  Single thread, N = 20k,
#: 112 random candidates a row: D = 512 2.63 s (serial) -> 1.28 (vectorised) -> 0.82
#: (blocked); D = 128 0.90 -> 0.55 -> 0.38; D = 20 0.22 -> 0.11 (blocking: no gain).
VECTOR_REFINE_FEATURES = 16
BLOCKED_REFINE_FEATURES = 64
BLOCKED_REFINE_ROWS = 256


def _exact_distances(Q, X, cand):
    """Float64 distances from ``Q[r]`` to ``X[cand[r, q]]`` (-1: inf), by direct differences."""
    if X.shape[1] >= BLOCKED_REFINE_FEATURES:
        return _kern.exact_distances_blocked(Q, X, cand, BLOCKED_REFINE_ROWS)
    if X.shape[1] >= VECTOR_REFINE_FEATURES:
        return _kern.exact_distances_fast(Q, X, cand)
    return _kern.exact_distances(Q, X, cand)


#: Self-graphs from SYMMETRIC_FEATURES features on: each off-diagonal block of Gram products
#: is computed once and scanned for both its row chunk and its column chunk
#: (:func:`_symmetric_select`; half the GEMM).  Needs the reservoirs of all rows at once
#: (N x (2k + 8) values and indices, 186 MB at N = 100k, k = 112): used while they take at
#: most SYMMETRIC_MAX_BYTES, and not when ``working_memory`` is set.  Measured (k = 100,
#: float32, loaded 2-core machine, same results): 20k x 512 1 thread 7.12 -> 5.06 s, 2 threads
#: 11.2 -> 8.3 s; 20k x 128 3.08 -> 2.36 s, 4.10 -> 2.70 s; 50k x 20 2 threads 5.39 -> 4.08 s;
#: 20k x 20 no change.
SYMMETRIC_FEATURES = 16
SYMMETRIC_CHUNK_ROWS = 1024
SYMMETRIC_MAX_BYTES = 2**28


def _round_robin(n):
    """Rounds of disjoint pairs ``(a, b)``, a < b, meeting every pair of ``range(n)`` once.

    The circle method of round-robin tournaments: n - 1 rounds (n rounded up to even),
    each chunk in at most one pair per round.
    """
    m = n + (n % 2)
    ids = list(range(m))
    rounds = []
    for _ in range(m - 1):
        pairs = []
        for t in range(m // 2):
            a, b = ids[t], ids[m - 1 - t]
            if a < n and b < n:
                pairs.append((min(a, b), max(a, b)))
        rounds.append(sorted(pairs))
        ids = [ids[0], ids[-1]] + ids[1:-1]
    return rounds


def _use_symmetric(n_fit, n_feat, k, self_graph, working_memory):
    cap = RESERVOIR_FACTOR * k + 8
    return (
        self_graph
        and working_memory is None
        and n_feat >= SYMMETRIC_FEATURES
        and n_fit >= 2 * SYMMETRIC_CHUNK_ROWS
        and n_fit * cap * 8 <= SYMMETRIC_MAX_BYTES
    )


def _symmetric_select(X, k, n_threads, chunk_rows=None):
    """:func:`_tiled_select` of a self-graph (queries = X), each Gram block computed once.

    X is cut into chunks of ``chunk_rows`` rows.  Every row keeps a reservoir (as in
    :func:`_tiled_select`, started from the sampled thresholds) for the whole pass.
    A diagonal block updates its own chunk; an off-diagonal block ``X_a @ X_b.T``
    updates chunk a row by row and chunk b column by column
    (:func:`_knn_numba.tile_select_reservoir_t`).  The blocks run in round-robin
    rounds in which no chunk appears twice, so threads never share a reservoir and
    every row sees its columns in the same order whatever the number of threads.
    Rows that admitted fewer than k values from their sampled start are searched
    again by :func:`_tiled_select` from +inf.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    chunk_rows = SYMMETRIC_CHUNK_ROWS if chunk_rows is None else chunk_rows
    dtype = X.dtype.type
    n = X.shape[0]
    xx = np.einsum("ij,ij->i", X, X, dtype=np.float64).astype(dtype)
    cap = RESERVOIR_FACTOR * k + 8
    rd = np.empty((n, cap), dtype=dtype)
    ri = np.empty((n, cap), dtype=np.int32)
    cnt = np.zeros(n, dtype=np.int64)
    thr = np.full(n, np.inf, dtype=dtype)
    self_ids = np.arange(n, dtype=np.int64)
    no_self = np.full(chunk_rows, -1, dtype=np.int64)
    bounds = [(s, min(n, s + chunk_rows)) for s in range(0, n, chunk_rows)]
    cols, rank = _threshold_sample(n, k, n - 1)
    width = chunk_rows if cols is None else max(chunk_rows, cols.size)
    if cols is not None:
        Xs = np.ascontiguousarray(X[cols])
        ys = xx[cols]
    local = threading.local()

    def buffer(rows, columns):
        buf = getattr(local, "buf", None)
        if buf is None:
            buf = local.buf = np.empty((chunk_rows, width), dtype=dtype)
        return buf[:rows, :columns]

    def sample_chunk(c):
        s0, s1 = bounds[c]
        G = np.matmul(X[s0:s1], Xs.T, out=buffer(s1 - s0, cols.size))
        _kern.sample_thresholds(G, ys, cols, self_ids[s0:s1], rank, thr[s0:s1])

    def diagonal(c):
        s0, s1 = bounds[c]
        G = np.matmul(X[s0:s1], X[s0:s1].T, out=buffer(s1 - s0, s1 - s0))
        _kern.tile_select_reservoir(G, xx[s0:s1], s0, self_ids[s0:s1], k,
                                    rd[s0:s1], ri[s0:s1], cnt[s0:s1], thr[s0:s1])

    def pair(ab):
        (a0, a1), (b0, b1) = bounds[ab[0]], bounds[ab[1]]
        G = np.matmul(X[a0:a1], X[b0:b1].T, out=buffer(a1 - a0, b1 - b0))
        _kern.tile_select_reservoir(G, xx[b0:b1], b0, no_self[: a1 - a0], k,
                                    rd[a0:a1], ri[a0:a1], cnt[a0:a1], thr[a0:a1])
        _kern.tile_select_reservoir_t(G, xx[a0:a1], a0, k,
                                      rd[b0:b1], ri[b0:b1], cnt[b0:b1], thr[b0:b1])

    n_threads = max(1, min(n_threads, len(bounds) // 2))
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(n_threads) as pool:

        def run(fn, items):
            if n_threads == 1:
                for item in items:
                    fn(item)
            else:
                list(pool.map(fn, items))

        if cols is not None:
            run(sample_chunk, range(len(bounds)))
        run(diagonal, range(len(bounds)))
        for pairs in _round_robin(len(bounds)):
            run(pair, pairs)
    d2, ind = _kern.reservoir_finish(rd, ri, cnt, xx, k)
    redo = np.flatnonzero(cnt < k)
    if redo.size:  # the sampled start was below the k-th value
        d2[redo], ind[redo] = _tiled_select(
            X, np.ascontiguousarray(X[redo]), k, self_ids[redo], TILE_COLS, n_threads,
            CHUNK_ROWS, sample=False)
    return d2, ind


def _centred_float32(X, centre, block=8192):
    """``(X - centre)`` in float32, centred in float64, block by block (bounded memory)."""
    out = np.empty(X.shape, dtype=np.float32)
    for start in range(0, X.shape[0], block):
        out[start : start + block] = X[start : start + block] - centre
    return out


def _brute_knn(X, Q, k, self_graph, working_memory, n_jobs):
    """Exact kNN: a float32 GEMM pass for candidates, exact float64 distances, a certificate.

    1. The data are centred (distances do not change, norms and so rounding errors
       shrink) and cast to float32; a tiled float32 GEMM pass keeps the
       ``k + margin`` smallest approximate squared distances of each query
       (:func:`_tiled_select`, or :func:`_symmetric_select` for self-graphs: each
       Gram block computed once for both of its chunks).  Each row's scan starts
       from a threshold sampled on a fixed set of reference columns; rows that
       admitted fewer than ``k + margin`` values from it are scanned again.
    2. The candidates' distances are recomputed exactly, in float64, from the
       input rows (by direct differences, :func:`_exact_distances`), and the k
       smallest kept.
    3. Certificate: every point left out has an approximate squared distance of
       at least the row's largest candidate value T, and the float32 error is at
       most ``E = (2 D + 8) u (|q| + max|x|)^2`` (u = 2^-24; GEMM error
       ``D u |q||x|`` doubled, rounding of the data, norms and sums).  When the
       k-th exact squared distance is <= T - E no left-out point can be nearer,
       and the row is exact.  Rows without the certificate are searched again by
       a float64 pass (rare: near-ties at the float32 precision).

    ``working_memory`` (MiB) caps the tile size; the engine's extra memory is then
    O(n_threads * CHUNK_ROWS * TILE_COLS) plus the (n_queries, k + margin) outputs;
    the symmetric pass adds the reservoirs of all rows (at most SYMMETRIC_MAX_BYTES).
    """
    n_q, n_fit, n_feat = Q.shape[0], X.shape[0], X.shape[1]
    n_threads = effective_n_jobs(n_jobs)
    tile = TILE_COLS
    chunk_rows = WIDE_CHUNK_ROWS if n_feat >= WIDE_FEATURES else CHUNK_ROWS
    if working_memory is not None:
        chunk_rows = CHUNK_ROWS
        tile = max(16, min(tile, int(working_memory * 2**20 // (CHUNK_ROWS * 8))))
    self_ids = np.arange(n_q, dtype=np.int64) if self_graph else np.full(n_q, -1, np.int64)
    n_avail = n_fit - int(self_graph)
    kk = min(n_avail, k + max(CANDIDATE_MARGIN, k // 8))

    centre = X.mean(axis=0, dtype=np.float64)
    Xc = _centred_float32(X, centre)
    Qc = Xc if self_graph else _centred_float32(Q, centre)
    if _use_symmetric(n_fit, n_feat, kk, self_graph, working_memory):
        approx, cand = _symmetric_select(Xc, kk, n_threads)
    else:
        approx, cand = _tiled_select(Xc, Qc, kk, self_ids, tile, n_threads, chunk_rows)
    with numba_threads(n_jobs, blas=False):
        exact = _exact_distances(Q, X, cand)
        exact, cand = _kern.sort_rows(exact, cand)
    dist, ind = exact[:, :k], cand[:, :k]
    if kk == n_avail:  # every point was a candidate
        return np.ascontiguousarray(dist), np.ascontiguousarray(ind)

    u = 2.0**-24
    qnorm = np.sqrt(np.einsum("ij,ij->i", Qc, Qc, dtype=np.float64))
    xmax = np.sqrt(np.einsum("ij,ij->i", Xc, Xc, dtype=np.float64).max())
    err = (2 * n_feat + 8) * u * (qnorm + xmax) ** 2
    top = approx.max(axis=1).astype(np.float64)
    redo = np.flatnonzero(dist[:, -1] ** 2 > top - err)
    if redo.size:
        X64 = X.astype(np.float64, copy=False)
        Q64 = Q[redo].astype(np.float64, copy=False)
        _, cand = _tiled_select(X64, np.ascontiguousarray(Q64), k, self_ids[redo], tile,
                                n_threads)
        with numba_threads(n_jobs, blas=False):
            d_redo, i_redo = _kern.sort_rows(_exact_distances(Q64, X64, cand), cand)
        dist = np.array(dist)
        ind = np.array(ind)
        dist[redo], ind[redo] = d_redo, i_redo
    return np.ascontiguousarray(dist), np.ascontiguousarray(ind)


def _tree_knn(X, Q, k, self_graph, n_jobs):
    from scipy.spatial import cKDTree

    workers = effective_n_jobs(n_jobs)
    tree = cKDTree(X.astype(np.float64, copy=False))
    kq = k + 1 if self_graph else k
    dist, ind = tree.query(Q.astype(np.float64, copy=False), k=kq, workers=workers)
    dist = np.asarray(dist, dtype=np.float64).reshape(Q.shape[0], kq)
    ind = np.asarray(ind, dtype=np.int64).reshape(Q.shape[0], kq)
    if self_graph:
        dist, ind = _drop_self(dist, ind, k)
    # the tree computes distances directly from float64 coordinates: exact already
    return dist, ind


def _drop_self(dist, ind, k):
    """Remove each row's own index (or the last entry when absent); keep k columns."""
    n = ind.shape[0]
    if ind.shape[1] == k + 1 and np.array_equal(ind[:, 0], np.arange(n)):
        return dist[:, 1:], ind[:, 1:]  # the usual case: self first
    not_self = ind != np.arange(n)[:, None]
    if not_self.all():
        return dist[:, :k], ind[:, :k]  # no row lists itself: the first k entries
    # stable sort moves the self entry (False) ... we want valid first: sort on ~not_self
    order = np.argsort(~not_self, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1)


# --------------------------------------------------------------------------------------
# precomputed neighbours


def as_knn_graph(graph, n_neighbors=None, *, n_samples_fit=None, self_graph=True):
    """Read a precomputed kNN graph.

    Parameters
    ----------
    graph : KNNGraph, sparse matrix or tuple (distances, indices)
        - a sparse (n_samples, n_samples) matrix as returned by
          ``sklearn.neighbors.KNeighborsTransformer(mode="distance")`` or
          ``kneighbors_graph``: stored entries are neighbours (explicit zeros are
          duplicates), the diagonal (the point itself) is dropped;
        - a pair ``(distances, indices)`` of (n_samples, m) arrays, as returned by
          ``NearestNeighbors.kneighbors``; entries equal to the row's own index are
          dropped;
        - a :class:`KNNGraph`.
    n_neighbors : int, optional
        Neighbours needed per point; every row must have at least that many.
    n_samples_fit : int, optional
        Size of the fitted set (default: the number of rows, as in a self-graph).
    self_graph : bool, default=True
        Whether row i is fitted point i (its own entry is dropped).  With
        ``self_graph=False`` the rows are new queries against ``n_samples_fit``
        fitted points: every stored entry is a neighbour, and rows with fewer
        entries than the longest are padded with (inf, -1).

    Returns
    -------
    KNNGraph
        Rows sorted by distance then index.
    """
    if isinstance(graph, KNNGraph):
        g = graph
    elif sparse.issparse(graph):
        g = _graph_from_sparse(graph, self_graph, n_samples_fit)
    elif isinstance(graph, (tuple, list)) and len(graph) == 2:
        g = _graph_from_pair(graph[0], graph[1], n_samples_fit, self_graph)
    else:
        raise TypeError(
            "A precomputed neighbour graph must be a sparse matrix (as from "
            "KNeighborsTransformer(mode='distance')), a (distances, indices) pair or a "
            f"KNNGraph; got {type(graph).__name__}."
        )
    if n_neighbors is not None:
        if g.n_neighbors < n_neighbors:
            counts = np.isfinite(g.distances).sum(1) if g.n_neighbors else np.zeros(1)
            bad = int(np.argmin(counts))
            raise ValueError(
                f"The precomputed graph has {g.n_neighbors} neighbours per point (self "
                f"excluded; row {bad} has the fewest), but {n_neighbors} are needed. "
                "Compute it with more neighbours."
            )
        g = g.truncate(n_neighbors)
    return g


def _check_distances(d):
    d = np.asarray(d, dtype=np.float64)
    if not np.isfinite(d).all():
        raise ValueError("Precomputed distances contain NaN or infinity.")
    if (d < 0).any():
        raise ValueError("Precomputed distances must be non-negative.")
    return d


def _graph_from_sparse(G, self_graph=True, n_samples_fit=None):
    G = sparse.csr_matrix(G, copy=True)  # sort_indices below must not touch the caller's
    n, m = G.shape
    if self_graph and n != m:
        raise ValueError(
            f"A precomputed neighbour graph must be square (n_samples, n_samples), got {G.shape}."
        )
    if n_samples_fit is not None and m != n_samples_fit:
        raise ValueError(
            f"The precomputed graph has {m} columns, but {n_samples_fit} points were fitted."
        )
    G.sort_indices()
    data = _check_distances(G.data)
    rows = np.repeat(np.arange(n), np.diff(G.indptr))
    cols = G.indices.astype(np.int64)
    if self_graph:
        keep = rows != cols
        rows, cols, data = rows[keep], cols[keep], data[keep]
    counts = np.bincount(rows, minlength=n)
    if n and counts.min() == 0:
        raise ValueError(
            "The precomputed graph has a row without neighbours"
            + (" (self excluded)" if self_graph else "")
            + f": row {int(np.argmin(counts))}."
        )
    # self-graphs: the first min(count) of each row; queries: all, padded
    k = (int(counts.min()) if self_graph else int(counts.max())) if n else 0
    order = np.lexsort((cols, data, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(rows.size) - starts[rows]
    sel = pos < k
    dist = np.full((n, k), np.inf)
    ind = np.full((n, k), -1, dtype=np.int64)
    dist[rows[sel], pos[sel]] = data[sel]
    ind[rows[sel], pos[sel]] = cols[sel]
    return KNNGraph(dist, ind, m, self_graph)


def _graph_from_pair(dist, ind, n_samples_fit, self_graph=True):
    dist = _check_distances(dist)
    ind = np.asarray(ind)
    if dist.ndim != 2 or dist.shape != ind.shape:
        raise ValueError(
            "distances and indices must be 2-D arrays of the same shape, got "
            f"{dist.shape} and {ind.shape}."
        )
    if ind.dtype.kind not in "iu":
        raise ValueError(f"indices must be integers, got dtype {ind.dtype}.")
    n = dist.shape[0]
    n_fit = n if n_samples_fit is None else int(n_samples_fit)
    if ind.size and (ind.min() < 0 or ind.max() >= n_fit):
        raise ValueError(f"indices must lie in [0, {n_fit}).")
    ind = ind.astype(np.int64)
    if self_graph:
        not_self = ind != np.arange(n)[:, None]
        k = int(not_self.sum(1).min()) if n else 0
        if k == 0:
            raise ValueError(
                "The precomputed (distances, indices) pair leaves no neighbour per row."
            )
        dist, ind = _drop_self(dist, ind, k)
    dist, ind = _kern.sort_rows(np.ascontiguousarray(dist), np.ascontiguousarray(ind))
    return KNNGraph(dist, ind, n_fit, self_graph)


# --------------------------------------------------------------------------------------
# duplicates


def warn_duplicates(n_removed, n_samples, what, action="removed", stacklevel=3):
    """The package's one warning for duplicate points.

    Parameters
    ----------
    n_removed : int
        Number of points that duplicate another one (no warning when 0).
    n_samples : int
        Number of input points.
    what : str
        Name of the caller, first word of the message.
    action : str, default="removed"
        What was done with them ("removed", "merged", ...).
    stacklevel : int, default=3
        Counted from the caller of this function (3: the caller's caller).

    Examples
    --------
    >>> import warnings
    >>> from sklearn_geom.neighbors import warn_duplicates
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_duplicates(2, 10, "MyEstimator")
    >>> w[0].category.__name__, str(w[0].message)[:40]
    ('DuplicatePointsWarning', 'MyEstimator: 2 of 10 points duplicate an')
    """
    if n_removed:
        warnings.warn(
            f"{what}: {n_removed} of {n_samples} points duplicate another point "
            f"(distance 0 at the input's precision) and were {action}.",
            DuplicatePointsWarning,
            stacklevel=stacklevel,
        )


class DuplicatePointsWarning(UserWarning):
    """Warning raised when duplicate points are removed or otherwise handled."""


# --------------------------------------------------------------------------------------
# the estimator


class KNNTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Exact k-nearest-neighbour graph, a faster drop-in for ``KNeighborsTransformer``.

    Emits the same sparse layout as
    :class:`sklearn.neighbors.KNeighborsTransformer`, so its output feeds any
    estimator that accepts ``metric="precomputed"`` (sklearn's Isomap, DBSCAN,
    TSNE, and every estimator of this package).  Brute force is a blocked GEMM
    with a Numba partial selection; low-dimensional data goes to a k-d tree.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of neighbours per point.  In ``mode="distance"`` the transform also
        stores each point itself (as sklearn does), n_neighbors + 1 entries a row.
    mode : {"distance", "connectivity"}, default="distance"
        Type of the returned matrix.
    metric : {"euclidean", "cosine", "minkowski"}, default="euclidean"
        Distance.  ``"minkowski"`` (sklearn's default name) is accepted with
        ``p=2`` and is the Euclidean distance.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Search algorithm; ``"auto"`` uses the k-d tree at low dimension.
    p : float, default=2
        Power of the Minkowski metric, as in sklearn.  Only ``p=2`` (Euclidean)
        is supported: the engine's exactness certificate is for the Euclidean
        distance; any other value raises a ValueError at ``fit`` (use
        :class:`sklearn.neighbors.KNeighborsTransformer` for other ``p``).
    metric_params : dict, default=None
        As in sklearn; only ``None``, ``{}`` or ``{"p": 2}`` are accepted (the
        metrics here take no parameters); anything else raises a ValueError at
        ``fit``.
    working_memory : int, default=None
        Upper bound in MiB for one thread's brute-force distance tile.
    n_jobs : int, default=None
        Number of threads (None: every core numba and OpenMP allow, limited by
        ``threadpoolctl``, ``OMP_NUM_THREADS`` or ``NUMBA_NUM_THREADS``; -1: all
        cores).  Results do not depend on it.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during fit.
    n_samples_fit_ : int
        Number of fitted points.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during fit (only when X has string column names).

    See Also
    --------
    sklearn.neighbors.KNeighborsTransformer : The sklearn transformer with the same output.

    Notes
    -----
    Distances equal sklearn's row by row.  Each row is sorted by distance and,
    at equal distance, by the smaller index.  Which of several points tied
    exactly at the k-th distance make the list depends on the search, as in
    sklearn: brute force ranks the ``k + max(4, k // 8)`` candidates of its
    float32 pass by exact float64 distance, so ties of up to that many points
    are broken by index; the k-d tree (``"auto"`` below 6 features) returns
    the tied points scipy's ``cKDTree`` meets first.  On iris, row 5 has rows 19
    and 46 both at 0.387298... as 5th neighbour: ``algorithm="brute"`` lists
    19 (smaller index), ``"kd_tree"`` / ``"auto"`` list 46 as
    ``cKDTree`` does, and sklearn's ``NearestNeighbors`` lists 46 with brute
    force (its expanded form ``|x|^2 - 2 x.y + |y|^2`` rounds the two apart)
    and 19 with its own trees.

    The output of :meth:`transform` is a sparse matrix whatever
    :meth:`set_output` asks for (pandas and polars have no sparse container
    that estimators with ``metric="precomputed"`` accept): it is passed through
    unchanged, so ``make_pipeline(KNNTransformer(), est).set_output(transform=
    "pandas")`` works and only the last step's output is a DataFrame.  (sklearn's
    ``KNeighborsTransformer`` raises there.)  Feature names are
    ``knntransformer0, ..., knntransformer{n_samples_fit_ - 1}``.

    References
    ----------
    .. [1] Johnson, Douze, Jégou, "Billion-scale similarity search with GPUs",
       IEEE Trans. Big Data 2019 (blocked GEMM plus k-selection).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.neighbors import KNNTransformer
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> nn = KNNTransformer(n_neighbors=1).fit(X)
    >>> dist, ind = nn.kneighbors()
    >>> ind.ravel().tolist()
    [1, 0, 1, 2]
    >>> nn.transform(X).shape
    (4, 4)
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "mode": [StrOptions({"distance", "connectivity"})],
        "metric": METRIC_OR_MINKOWSKI_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "p": [Interval(numbers.Real, 0, None, closed="right")],
        "metric_params": [dict, None],
        "working_memory": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        n_neighbors=5,
        *,
        mode="distance",
        metric="euclidean",
        algorithm="auto",
        p=2,
        metric_params=None,
        working_memory=None,
        n_jobs=None,
    ):
        self.n_neighbors = n_neighbors
        self.mode = mode
        self.metric = metric
        self.algorithm = algorithm
        self.p = p
        self.metric_params = metric_params
        self.working_memory = working_memory
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Store the points to search.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : KNNTransformer
            The fitted transformer.
        """
        self._metric = self._check_metric()
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        if X.shape[0] < 2:
            raise ValueError(
                f"KNNTransformer needs at least 2 samples, got n_samples={X.shape[0]}."
            )
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        self._n_features_out = self.n_samples_fit_
        return self

    def _check_metric(self):
        """The engine's metric for (metric, p, metric_params); refuse what it cannot do."""
        params = dict(self.metric_params or {})
        p = params.pop("p", self.p)
        if params:
            raise ValueError(
                f"KNNTransformer: metric_params {sorted(params)} are not supported (the "
                "metrics here take no parameters); use "
                "sklearn.neighbors.KNeighborsTransformer for parametrised metrics."
            )
        if self.metric in ("minkowski", "euclidean") and p != 2:
            raise ValueError(
                f"KNNTransformer supports only p=2 (Euclidean), got p={p!r}; use "
                "sklearn.neighbors.KNeighborsTransformer for other Minkowski metrics."
            )
        return "euclidean" if self.metric == "minkowski" else self.metric

    def set_output(self, *, transform=None):
        """Accept an output configuration; the sparse graph is returned unchanged.

        The kNN graph has no dense container (it would be ``n_samples_fit_``
        columns wide), so like every sparse output it is passed through whatever
        is asked; this method exists so that ``Pipeline.set_output`` can
        configure the steps after this one.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            Stored, as sklearn does; None leaves the configuration unchanged.

        Returns
        -------
        self : KNNTransformer
            The transformer.
        """
        if transform is None:
            return self
        if transform not in ("default", "pandas", "polars"):
            raise ValueError(
                "set_output's transform must be 'default', 'pandas', 'polars' or None, got "
                f"{transform!r}."
            )
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the k nearest neighbours of points.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query points; ``None`` queries the fitted points and excludes each
            point from its own list.
        n_neighbors : int, default=None
            Number of neighbours (default: ``self.n_neighbors``).
        return_distance : bool, default=True
            Also return the distances.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Sorted distances (only with ``return_distance=True``).
        indices : ndarray of shape (n_queries, n_neighbors)
            Indices of the neighbours in the fitted set.
        """
        graph = self._graph(X, n_neighbors)
        if return_distance:
            return graph.distances, graph.indices
        return graph.indices

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="distance"):
        """Sparse kNN graph in sklearn's ``kneighbors_graph`` layout.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query points (None: the fitted points, self excluded).
        n_neighbors : int, default=None
            Number of neighbours (default: ``self.n_neighbors``).
        mode : {"distance", "connectivity"}, default="distance"
            Type of the returned matrix.

        Returns
        -------
        graph : sparse matrix of shape (n_queries, n_samples_fit)
            CSR matrix with ``n_neighbors`` stored entries per row.
        """
        return self._graph(X, n_neighbors).to_sparse(mode=mode)

    def transform(self, X):
        """Sparse graph of the neighbours of ``X`` among the fitted points.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query points.

        Returns
        -------
        graph : sparse matrix of shape (n_queries, n_samples_fit)
            ``n_neighbors + 1`` entries a row in distance mode (the query itself
            when it is a fitted point), ``n_neighbors`` in connectivity mode.
        """
        add_one = self.mode == "distance"
        return self.kneighbors_graph(X, n_neighbors=self.n_neighbors + add_one, mode=self.mode)

    def fit_transform(self, X, y=None):
        """Fit on ``X`` and return the graph of ``X`` against itself.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        graph : sparse matrix of shape (n_samples, n_samples)
            Same as ``fit(X).transform(X)``.
        """
        return self.fit(X).transform(X)

    def _graph(self, X, n_neighbors):
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        kwargs = dict(
            metric=self._metric,
            algorithm=self.algorithm,
            working_memory=self.working_memory,
            n_jobs=self.n_jobs,
        )
        if X is None:
            return compute_knn(self._fit_X, k, **kwargs)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return compute_knn(self._fit_X, k, query=X, **kwargs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
