"""Numba kernels of the exact kNN engine: plain arrays in, arrays out.

Kernels never write into their inputs (they may be read-only memmaps) and handle
empty and one-column blocks.  Every output row is written by exactly one parallel
iteration, so results do not depend on the number of threads.
"""

import numpy as np
from numba import njit, prange


@njit(cache=True, nogil=True, inline="always")
def _sift_down(hd, hi, k):
    """Restore the max-heap property of (hd, hi) after the root was replaced."""
    pos = 0
    while True:
        left = 2 * pos + 1
        if left >= k:
            break
        child = left
        right = left + 1
        if right < k and hd[right] > hd[left]:
            child = right
        if hd[child] > hd[pos]:
            tmp = hd[pos]
            hd[pos] = hd[child]
            hd[child] = tmp
            tj = hi[pos]
            hi[pos] = hi[child]
            hi[child] = tj
            pos = child
        else:
            break


@njit(cache=True, nogil=True)
def tile_select(G, xx, yy, col_offset, self_ids, k, hd, hi):
    """Merge one GEMM tile into running max-heaps of the k smallest squared distances.

    Serial and GIL-free: the engine runs one row chunk per Python thread, so each
    tile stays in that core's cache between the GEMM and this scan.

    Parameters
    ----------
    G : (b, m) array
        ``Q_chunk @ X_tile.T``.
    xx : (b,) array
        Squared norms of the chunk's query rows.
    yy : (m,) array
        Squared norms of the tile's reference rows.
    col_offset : int
        Index of the tile's first reference row.
    self_ids : (b,) int array
        Reference index to skip for each query row (the point itself), -1 for none.
    k : int
        Heap size.
    hd, hi : (b, k) arrays
        Max-heaps per row (squared distance, index); start filled with (inf, -1).
        Updated in place (they are the engine's own buffers, never user input).
        Every value rejected or evicted is >= the final root ``hd[r, 0]``.
    """
    b = G.shape[0]
    m = G.shape[1]
    for r in range(b):
        me = self_ids[r] - col_offset if self_ids[r] >= 0 else -1
        # compare on yy - 2G; xr is constant in the row
        top = hd[r, 0] - xx[r]
        for j in range(m):
            v = yy[j] - 2.0 * G[r, j]
            if v < top and j != me:
                hd[r, 0] = v + xx[r]
                hi[r, 0] = col_offset + j
                _sift_down(hd[r], hi[r], k)
                top = hd[r, 0] - xx[r]


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract"}, inline="always")
def _pair_distance(X, i, Y, j):
    s = 0.0
    for c in range(X.shape[1]):
        t = np.float64(X[i, c]) - np.float64(Y[j, c])
        s += t * t
    return np.sqrt(s)


@njit(cache=True, parallel=True, nogil=True)
def exact_distances(Q, X, ind):
    """Euclidean distances in float64 between Q[r] and X[ind[r, q]] (-1: inf).

    Direct differences, no GEMM cancellation.  The summation order is fixed by
    the code, not by the thread count.
    """
    b, k = ind.shape
    out = np.empty((b, k), dtype=np.float64)
    for r in prange(b):
        for q in range(k):
            j = ind[r, q]
            out[r, q] = _pair_distance(Q, r, X, j) if j >= 0 else np.inf
    return out


@njit(cache=True, parallel=True, nogil=True)
def sort_rows(dist, ind):
    """Sort each row by distance, ties by index (returns new arrays).

    Rows already in that order (the common case for tree output) are copied as
    they are.
    """
    b, k = dist.shape
    od = np.empty_like(dist)
    oi = np.empty_like(ind)
    for r in prange(b):
        ordered = True
        for q in range(1, k):
            if dist[r, q] < dist[r, q - 1] or (
                dist[r, q] == dist[r, q - 1] and ind[r, q] < ind[r, q - 1]
            ):
                ordered = False
                break
        if ordered:
            for q in range(k):
                od[r, q] = dist[r, q]
                oi[r, q] = ind[r, q]
            continue
        o1 = np.argsort(ind[r], kind="mergesort")
        d1 = dist[r][o1]
        o2 = np.argsort(d1, kind="mergesort")
        for q in range(k):
            od[r, q] = d1[o2[q]]
            oi[r, q] = ind[r, o1[o2[q]]]
    return od, oi


@njit(cache=True, parallel=True, nogil=True)
def snap_small(dist, ind, xnorm, ynorm, rtol, query_offset):
    """Set to exactly 0 the distances at the precision limit of the input dtype.

    ``d(i, j) <= rtol * max(|x_i|, |y_j|)`` is indistinguishable from a duplicate.
    """
    b, k = dist.shape
    out = dist.copy()
    for r in prange(b):
        xi = xnorm[query_offset + r]
        for q in range(k):
            s = max(xi, ynorm[ind[r, q]])
            if out[r, q] <= rtol * s:
                out[r, q] = 0.0
    return out


@njit(cache=True, nogil=True, inline="always")
def distinct_walk(ind_row, group, exclude, n_out, pos):
    """The package's one walk of a sorted neighbour list over duplicate groups.

    Walks ``ind_row`` (entries < 0 end the list) and records in ``pos`` the
    positions of the first ``n_out`` entries whose group ``group[j]`` is >= 0,
    differs from ``exclude`` and was not met before in the row.

    Returns the number of positions recorded.
    """
    c = 0
    for q in range(ind_row.shape[0]):
        if c >= n_out:
            break
        j = ind_row[q]
        if j < 0:
            break
        gj = group[j]
        if gj < 0 or gj == exclude:
            continue
        seen = False
        for t in range(c):
            if group[ind_row[pos[t]]] == gj:
                seen = True
                break
        if seen:
            continue
        pos[c] = q
        c += 1
    return c


@njit(cache=True, parallel=True, nogil=True)
def collapse_duplicate_lists(dist, ind, group, rows, exclude, n_out):
    """Neighbour lists with duplicate groups collapsed (see :func:`distinct_walk`).

    ``group[i]`` labels the duplicate group of point i (numbered 0..G-1, < 0:
    skip the point).  Row ``a`` of the output walks row ``rows[a]`` of the
    sorted lists, skips group ``exclude[a]`` (its own group, -1 for none) and
    groups already taken, and records the group label as the new index.

    Returns
    -------
    out_d, out_i : (len(rows), n_out) arrays, padded with inf / -1.
    n_valid : (len(rows),) number of entries found per row.
    """
    m = rows.shape[0]
    out_d = np.full((m, n_out), np.inf)
    out_i = np.full((m, n_out), -1, dtype=np.int64)
    n_valid = np.zeros(m, dtype=np.int64)
    for a in prange(m):
        i = rows[a]
        pos = np.empty(max(n_out, 1), dtype=np.int64)
        c = distinct_walk(ind[i], group, exclude[a], n_out, pos)
        for t in range(c):
            out_d[a, t] = dist[i, pos[t]]
            out_i[a, t] = group[ind[i, pos[t]]]
        n_valid[a] = c
    return out_d, out_i, n_valid

