"""Information imbalance between two representations (Glielmo et al. 2022)."""

import numbers

import numpy as np

from ..neighbors import compute_knn
from ..neighbors._knn import warn_duplicates
from ._common import check_points

#: Neighbours listed per point in the target space before falling back to counting
#: all distances for the points whose source neighbour lies further away.
RANK_LIST_SIZE = 64

#: Rows per block of the exact rank count (bounded memory: block * n_samples floats).
_RANK_BLOCK = 256


def _prepare(X, metric):
    if metric == "cosine":
        norms = np.linalg.norm(X, axis=1)
        if np.any(norms == 0):
            raise ValueError("cosine distance is undefined for all-zero rows.")
        X = X / norms[:, None]
    return np.ascontiguousarray(X, dtype=np.float64)


def _ranks(X_src, X_dst, k, metric, algorithm, n_jobs):
    """Rank in ``X_dst`` of each of the ``k`` nearest neighbours of each point in ``X_src``.

    Rank 1 is the nearest other point; ties are ordered by index (the engine's
    order), so the ranks are exact and deterministic.
    """
    n = X_src.shape[0]
    src = compute_knn(X_src, k, metric=metric, algorithm=algorithm, n_jobs=n_jobs)
    m = min(n - 1, max(RANK_LIST_SIZE, 4 * k))
    dst = compute_knn(X_dst, m, metric=metric, algorithm=algorithm, n_jobs=n_jobs)
    ranks = np.zeros((n, k), dtype=np.float64)
    # position of each source neighbour in the target list (0 when absent)
    match = dst.indices[:, None, :] == src.indices[:, :, None]  # (n, k, m)
    found = match.any(axis=2)
    ranks[found] = np.argmax(match, axis=2)[found] + 1
    rows, cols = np.nonzero(~found)
    if rows.size:
        Y = _prepare(X_dst, metric)
        sq = np.einsum("ij,ij->i", Y, Y)
        for start in range(0, rows.size, _RANK_BLOCK):
            r = rows[start : start + _RANK_BLOCK]
            c = cols[start : start + _RANK_BLOCK]
            j = src.indices[r, c]
            d2 = sq[r, None] + sq[None, :] - 2.0 * (Y[r] @ Y.T)  # (b, n)
            t = d2[np.arange(r.size), j][:, None]
            idx = np.arange(n)[None, :]
            closer = (d2 < t) | ((d2 == t) & (idx < j[:, None]))
            closer[np.arange(r.size), r] = False  # the point itself
            ranks[r, c] = closer.sum(axis=1) + 1
    return ranks, src.n_duplicates


def information_imbalance(
    X_a,
    X_b,
    *,
    n_neighbors=1,
    metric="euclidean",
    algorithm="auto",
    n_jobs=None,
):
    """Information imbalance between two representations, in both directions.

    ``Delta(A -> B) = (2 / N) * mean_i r^B_i``, where ``r^B_i`` is the rank, in
    representation B, of point i's nearest neighbour in A (rank 1 = nearest).
    About 0: A predicts the neighbourhoods of B; about 1: A carries no
    information on B.  With ``n_neighbors = k > 1`` the ranks of the ``k``
    nearest neighbours in A are averaged.

    Parameters
    ----------
    X_a, X_b : array-like of shape (n_samples, n_features_a / n_features_b)
        The same points in the same order in two representations.
    n_neighbors : int, default=1
        Neighbours in the source space whose ranks are averaged.
    metric : {"euclidean", "cosine"}, default="euclidean"
        Distance in both spaces.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search of :func:`sklearn_geom.neighbors.compute_knn`.
    n_jobs : int, default=None
        Threads of the neighbour search.

    Returns
    -------
    delta_ab : float
        ``Delta(A -> B)``.
    delta_ba : float
        ``Delta(B -> A)``.

    Notes
    -----
    Ranks are exact: the target neighbour lists of the kNN engine give the rank
    directly when the source neighbour is among the first 64; the distances of
    the remaining points are counted in blocks (``O(n_samples)`` memory per
    row).  DADApy draws a random rank when the neighbour lies beyond its
    ``maxk`` list; with ``maxk = N - 1`` both agree.  Ties (duplicate points)
    are ordered by index and reported with a
    :class:`~sklearn_geom.neighbors.DuplicatePointsWarning`.

    References
    ----------
    .. [1] Glielmo, Zeni, Cheng, Csányi, Laio, "Ranking the information content of
       distance measures", PNAS Nexus 1, pgac039 (2022).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import information_imbalance
    >>> rng = np.random.default_rng(0)
    >>> t = rng.normal(size=(300, 1))
    >>> X = np.c_[t, rng.normal(size=(300, 2))]  # t plus two unrelated features
    >>> t_to_x, x_to_t = information_imbalance(t, X)
    >>> bool(x_to_t < t_to_x)  # X predicts t better than t predicts X
    True
    """
    if metric not in ("euclidean", "cosine"):
        raise ValueError(f"metric must be 'euclidean' or 'cosine', got {metric!r}.")
    X_a = check_points(X_a, "X_a")
    X_b = check_points(X_b, "X_b")
    n = X_a.shape[0]
    if X_b.shape[0] != n:
        raise ValueError(
            f"X_a and X_b must hold the same points: got {n} and {X_b.shape[0]} samples."
        )
    if (not isinstance(n_neighbors, numbers.Integral) or isinstance(n_neighbors, bool)
            or not 1 <= n_neighbors < n):
        raise ValueError(
            f"n_neighbors must be an integer in [1, n_samples - 1 = {n - 1}], got {n_neighbors!r}."
        )
    r_ab, dup_a = _ranks(X_a, X_b, n_neighbors, metric, algorithm, n_jobs)
    r_ba, dup_b = _ranks(X_b, X_a, n_neighbors, metric, algorithm, n_jobs)
    for name, dup in (("X_a", dup_a), ("X_b", dup_b)):
        warn_duplicates(dup, n, f"information_imbalance ({name})",
                        action="kept (ties ordered by index)", stacklevel=3)
    return 2.0 * float(r_ab.mean()) / n, 2.0 * float(r_ba.mean()) / n
