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


@njit(cache=True, parallel=True, nogil=True)
def block_select(G, xx, yy, row_offset, k, exclude_self, out_d2, out_i):
    """k smallest squared distances of each row of a GEMM block.

    Parameters
    ----------
    G : (b, n) array
        ``X_block @ Y.T``.
    xx : (b,) array
        Squared norms of the block's rows.
    yy : (n,) array
        Squared norms of the reference rows.
    row_offset : int
        Index of the block's first row in the reference set (for self exclusion).
    k : int
        Number of neighbours to keep, ``k <= n - exclude_self``.
    exclude_self : bool
        Skip column ``row_offset + r`` for row ``r``.
    out_d2, out_i : (b, k) arrays
        Output: squared distances (clamped at 0) and indices, unsorted.
    """
    b = G.shape[0]
    n = G.shape[1]
    for r in prange(b):
        hd = out_d2[r]
        hi = out_i[r]
        me = row_offset + r if exclude_self else -1
        xr = xx[r]
        filled = 0
        j = 0
        # fill the heap with the first k admissible columns
        while filled < k and j < n:
            if j != me:
                v = xr + yy[j] - 2.0 * G[r, j]
                hd[filled] = v
                hi[filled] = j
                # sift up
                c = filled
                while c > 0:
                    p = (c - 1) // 2
                    if hd[c] > hd[p]:
                        tmp = hd[c]
                        hd[c] = hd[p]
                        hd[p] = tmp
                        tj = hi[c]
                        hi[c] = hi[p]
                        hi[p] = tj
                        c = p
                    else:
                        break
                filled += 1
            j += 1
        top = hd[0]
        while j < n:
            # compare on yy - 2G (xr is constant in the row)
            v = xr + yy[j] - 2.0 * G[r, j]
            if v < top and j != me:
                hd[0] = v
                hi[0] = j
                _sift_down(hd, hi, k)
                top = hd[0]
            j += 1
        for q in range(k):
            if hd[q] < 0.0:
                hd[q] = 0.0


@njit(cache=True, parallel=True, nogil=True)
def exact_pair_distances(X, Y, ind, query_offset):
    """Euclidean distances in float64 between X[query_offset + r] and Y[ind[r, q]]."""
    b, k = ind.shape
    d = X.shape[1]
    out = np.empty((b, k), dtype=np.float64)
    for r in prange(b):
        i = query_offset + r
        for q in range(k):
            j = ind[r, q]
            s = 0.0
            for c in range(d):
                t = np.float64(X[i, c]) - np.float64(Y[j, c])
                s += t * t
            out[r, q] = np.sqrt(s)
    return out


@njit(cache=True, parallel=True, nogil=True)
def sort_rows(dist, ind):
    """Sort each row by distance, ties by index (returns new arrays)."""
    b, k = dist.shape
    od = np.empty_like(dist)
    oi = np.empty_like(ind)
    for r in prange(b):
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


@njit(cache=True, nogil=True)
def collapse_duplicate_lists(dist, ind, group, keep_rows, n_out):
    """Neighbour lists of the representatives with duplicate groups collapsed.

    ``group[i]`` labels the duplicate group of point i, numbered 0..G-1 so that
    the representative of group g gets index g in the deduplicated set.  For each
    kept row, walk its sorted list, skip entries of its own group and of groups
    already taken, and record the group label as the new index.

    Returns
    -------
    out_d, out_i : (len(keep_rows), n_out) arrays, padded with inf / -1.
    n_valid : (len(keep_rows),) number of entries found per row.
    """
    m = keep_rows.shape[0]
    k = dist.shape[1]
    out_d = np.full((m, n_out), np.inf)
    out_i = np.full((m, n_out), -1, dtype=np.int64)
    n_valid = np.zeros(m, dtype=np.int64)
    for a in range(m):
        i = keep_rows[a]
        gi = group[i]
        c = 0
        for q in range(k):
            if c >= n_out:
                break
            j = ind[i, q]
            if j < 0:
                break
            gj = group[j]
            if gj == gi:
                continue
            seen = False
            for t in range(c):
                if out_i[a, t] == gj:
                    seen = True
                    break
            if seen:
                continue
            out_d[a, c] = dist[i, q]
            out_i[a, c] = gj
            c += 1
        n_valid[a] = c
    return out_d, out_i, n_valid
