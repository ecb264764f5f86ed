"""Numba kernels of the exact kNN engine: plain arrays in, arrays out.

Kernels never write into their inputs (they may be read-only memmaps) and handle
empty and one-column blocks.  Every output row is written by exactly one parallel
iteration, so results do not depend on the number of threads.
"""

import numpy as np
from numba import njit, prange


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

    Direct differences, no GEMM cancellation.  The sum over features runs in
    feature order (the order of numpy's sum for fewer than 8 values), fixed by
    the code, not by the thread count.
    """
    b, k = ind.shape
    out = np.empty((b, k), dtype=np.float64)
    for r in prange(b):
        for q in range(k):
            j = ind[r, q]
            out[r, q] = _pair_distance(Q, r, X, j) if j >= 0 else np.inf
    return out


@njit(cache=True, parallel=True, nogil=True, fastmath={"reassoc", "contract"})
def exact_distances_fast(Q, X, ind):
    """:func:`exact_distances` with the sum over features vectorised.

    ``fastmath`` reassociation on this function (an inlined callee's flags do not
    carry over: the serial sum runs at one feature per add latency, 2x slower at
    20 features, 4-5x at 512).  The summation order is fixed by the compiled code
    (the machine's vector width), not by the thread count.
    """
    b, k = ind.shape
    out = np.empty((b, k), dtype=np.float64)
    for r in prange(b):
        for q in range(k):
            j = ind[r, q]
            out[r, q] = _pair_distance(Q, r, X, j) if j >= 0 else np.inf
    return out


@njit(cache=True, parallel=True, nogil=True, fastmath={"reassoc", "contract"})
def exact_distances_blocked(Q, X, ind, block_rows):
    """:func:`exact_distances_fast`, visiting the pairs of each block of ``block_rows``
    query rows in the order of their reference rows (a bucket sort on the index).

    The same values as :func:`exact_distances_fast` (the same per-pair code; each
    output entry is written by one iteration).  The gather of random reference rows is
    the cost of the refinement at large D; in index order, each block streams the
    reference rows it needs once, in memory order, while its query rows stay in
    cache (``block_rows`` * D values, about 1 MiB): 3-4x faster at 512 features.
    """
    b, k = ind.shape
    n_fit = X.shape[0]
    out = np.empty((b, k), dtype=np.float64)
    if b == 0 or k == 0:
        return out
    block_rows = max(1, block_rows)
    n_blocks = (b + block_rows - 1) // block_rows
    for blk in prange(n_blocks):
        r0 = blk * block_rows
        r1 = min(b, r0 + block_rows)
        n_pairs = (r1 - r0) * k
        n_buckets = max(1, min(n_fit, n_pairs // 4))
        start = np.zeros(n_buckets + 1, dtype=np.int64)
        for r in range(r0, r1):
            for q in range(k):
                j = ind[r, q]
                if j >= 0:
                    start[(j * n_buckets) // n_fit + 1] += 1
                else:
                    out[r, q] = np.inf
        for t in range(n_buckets):
            start[t + 1] += start[t]
        order = np.empty(start[n_buckets], dtype=np.int64)
        for r in range(r0, r1):
            for q in range(k):
                j = ind[r, q]
                if j >= 0:
                    bkt = (j * n_buckets) // n_fit
                    order[start[bkt]] = (r - r0) * k + q
                    start[bkt] += 1
        for t in range(order.shape[0]):
            p = order[t]
            r = r0 + p // k
            q = p - (p // k) * k
            out[r, q] = _pair_distance(Q, r, X, ind[r, q])
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
        o = np.argsort(dist[r])
        for q in range(k):
            od[r, q] = dist[r, o[q]]
            oi[r, q] = ind[r, o[q]]
        # equal distances by index: an insertion pass over the (nearly sorted) row
        for q in range(1, k):
            dq = od[r, q]
            iq = oi[r, q]
            t = q
            while t > 0 and od[r, t - 1] == dq and oi[r, t - 1] > iq:
                od[r, t] = od[r, t - 1]
                oi[r, t] = oi[r, t - 1]
                t -= 1
            od[r, t] = dq
            oi[r, t] = iq
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



# --------------------------------------------------------------------------------------
# candidate selection by reservoir (k-th value threshold, amortised O(1) per accepted
# value), the selection faiss uses for large k


#: Values tested at once before the scalar pass of a block (SIMD-friendly).
SCAN_BLOCK = 16


@njit(cache=True, nogil=True)
def _partition_smallest(vd, vi, n, m):
    """Reorder ``vd[:n], vi[:n]`` so that ``m`` smallest values come first.

    Iterative quickselect, median-of-three pivot, branch-free Lomuto partition
    (equal values may be split either way; the order is fixed by the input, so
    the result is deterministic).
    """
    lo = 0
    hi = n - 1
    while hi > lo:
        mid = (lo + hi) // 2
        if vd[mid] < vd[lo]:
            vd[mid], vd[lo] = vd[lo], vd[mid]
            vi[mid], vi[lo] = vi[lo], vi[mid]
        if vd[hi] < vd[lo]:
            vd[hi], vd[lo] = vd[lo], vd[hi]
            vi[hi], vi[lo] = vi[lo], vi[hi]
        if vd[mid] < vd[hi]:
            vd[mid], vd[hi] = vd[hi], vd[mid]
            vi[mid], vi[hi] = vi[hi], vi[mid]
        p = vd[hi]
        pi = vi[hi]
        store = lo
        for t in range(lo, hi):
            x = vd[t]
            xi = vi[t]
            vd[t] = vd[store]
            vi[t] = vi[store]
            vd[store] = x
            vi[store] = xi
            store += x < p
        vd[hi] = vd[store]
        vi[hi] = vi[store]
        vd[store] = p
        vi[store] = pi
        if store == m - 1 or store == m:
            return  # vd[:m] are m smallest (the pivot is the m-th or (m+1)-th)
        if store < m:
            lo = store + 1
        else:
            hi = store - 1


@njit(cache=True, nogil=True, inline="always")
def _max_of(vd, m):
    t = vd[0]
    for q in range(1, m):
        if vd[q] > t:
            t = vd[q]
    return t


@njit(cache=True, nogil=True)
def tile_select_reservoir(G, yy, col_offset, self_ids, k, rd, ri, cnt, thr):
    """Merge one GEMM tile into per-row reservoirs of the k smallest ``|x|^2 - 2 q.x``.

    The query's own norm is constant in a row, so values are compared and stored
    without it (:func:`reservoir_finish` adds it back).

    Serial and GIL-free: the engine runs one row chunk per Python thread, so each
    tile stays in that core's cache between the GEMM and this scan.

    Each row keeps up to ``cap = rd.shape[1]`` (>= 2k) values below its threshold
    ``thr[r]``; when the reservoir is full it is partitioned to its k smallest and
    the threshold becomes the largest of those.  The scan tests SCAN_BLOCK values
    at a time against the threshold (vectorisable) and goes through a block one by
    one only when one of them passes.  Every value rejected or dropped is >= the
    final threshold, which is the largest value kept (after :func:`reservoir_finish`).

    Parameters
    ----------
    G : (b, m) array
        ``Q_chunk @ X_tile.T``.
    yy : (m,) array
        Squared norms of the tile's reference rows.
    col_offset : int
        Index of the tile's first reference row.
    self_ids : (b,) int array
        Reference index to skip for each query row (the point itself), -1 for none.
    k : int
        Values kept per row.
    rd, ri, cnt, thr : (b, cap), (b, cap), (b,), (b,) arrays
        The reservoirs (values, indices, fill count, threshold; start with
        cnt = 0, thr = inf).  Updated in place (the engine's own buffers).
    """
    b = G.shape[0]
    m = G.shape[1]
    cap = rd.shape[1]
    nblk = m // SCAN_BLOCK
    for r in range(b):
        me = self_ids[r] - col_offset if self_ids[r] >= 0 else -1
        t = thr[r]
        c = cnt[r]
        g = G[r]
        for bl in range(nblk + 1):
            j0 = bl * SCAN_BLOCK
            j1 = min(m, j0 + SCAN_BLOCK)
            if j1 - j0 == SCAN_BLOCK:
                hit = False
                for j in range(j0, j0 + SCAN_BLOCK):
                    hit |= (yy[j] - (g[j] + g[j])) < t
                if not hit:
                    continue
            for j in range(j0, j1):
                v = yy[j] - (g[j] + g[j])
                if v < t and j != me:
                    rd[r, c] = v
                    ri[r, c] = col_offset + j
                    c += 1
                    if c == cap:
                        _partition_smallest(rd[r], ri[r], c, k)
                        c = k
                        t = _max_of(rd[r], k)
        cnt[r] = c
        thr[r] = t


@njit(cache=True, nogil=True)
def tile_select_reservoir_t(G, yy, row_offset, k, rd, ri, cnt, thr):
    """:func:`tile_select_reservoir` for the columns of ``G``: the reservoirs belong to
    the tile's reference rows, the candidates are ``G``'s rows.

    The symmetric pass of a self-graph computes each off-diagonal block of Gram
    products once and scans it twice: row by row for the chunk of ``G``'s rows,
    and with this kernel for the chunk of its columns (value of column j, row i:
    ``yy[i] - 2 G[i, j]``).  Reads ``G`` row by row and tests SCAN_BLOCK columns at
    a time against their thresholds.  The two chunks are disjoint, so no point
    meets itself here.

    Parameters
    ----------
    G : (a, b) array
        ``X_rows @ X_cols.T``.
    yy : (a,) array
        Squared norms of ``G``'s rows (the candidates).
    row_offset : int
        Index of ``G``'s first row.
    k : int
        Values kept per reservoir.
    rd, ri, cnt, thr : (b, cap), (b, cap), (b,), (b,) arrays
        Reservoirs of ``G``'s columns (as in :func:`tile_select_reservoir`).
    """
    a = G.shape[0]
    b = G.shape[1]
    cap = rd.shape[1]
    nblk = b // SCAN_BLOCK
    for i in range(a):
        g = G[i]
        y = yy[i]
        for bl in range(nblk + 1):
            j0 = bl * SCAN_BLOCK
            j1 = min(b, j0 + SCAN_BLOCK)
            if j1 - j0 == SCAN_BLOCK:
                hit = False
                for j in range(j0, j0 + SCAN_BLOCK):
                    hit |= (y - (g[j] + g[j])) < thr[j]
                if not hit:
                    continue
            for j in range(j0, j1):
                v = y - (g[j] + g[j])
                if v < thr[j]:
                    c = cnt[j]
                    rd[j, c] = v
                    ri[j, c] = row_offset + i
                    c += 1
                    if c == cap:
                        _partition_smallest(rd[j], ri[j], c, k)
                        c = k
                        thr[j] = _max_of(rd[j], k)
                    cnt[j] = c


@njit(cache=True, nogil=True)
def sample_thresholds(G, yy, sample, self_ids, rank, thr):
    """Starting thresholds of the candidate scan from a sample of reference columns.

    For each query row: the ``rank``-th smallest ``|x|^2 - 2 q.x`` over the sampled
    columns ``sample`` (the row's own index skipped), raised by one ulp so that the
    scan admits every value <= it.  Any number is a valid start: the scan keeps
    exact track of whether it admitted at least k values (``cnt >= k``), and a
    row that did not is searched again without one (the threshold only changes
    how many values are admitted on the way).

    Parameters
    ----------
    G : (b, s) array
        ``Q_chunk @ X[sample].T``.
    yy : (s,) array
        Squared norms of the sampled reference rows.
    sample : (s,) int array
        Indices of the sampled reference rows.
    self_ids : (b,) int array
        Reference index of each query row itself, -1 for none.
    rank : int
        Order statistic taken (1-based).
    thr : (b,) array
        Output (the engine's own buffer).
    """
    b, s = G.shape
    inf = G.dtype.type(np.inf)
    if rank < 1 or rank > s:
        thr[:] = inf
        return
    best = np.empty(rank, dtype=G.dtype)  # the rank smallest so far, ascending
    for r in range(b):
        best[:] = inf
        for t in range(s):
            v = yy[t] - (G[r, t] + G[r, t])
            if v < best[rank - 1] and sample[t] != self_ids[r]:
                q = rank - 1
                while q > 0 and best[q - 1] > v:
                    best[q] = best[q - 1]
                    q -= 1
                best[q] = v
        thr[r] = np.nextafter(best[rank - 1], inf)


@njit(cache=True, nogil=True)
def reservoir_finish(rd, ri, cnt, xx, k):
    """The k smallest of each reservoir as (approximate squared distance, index).

    Returns new (n, k) arrays, unsorted, padded with (inf, -1) for rows that saw
    fewer than k values; ``xx`` (the query norms) is added back to the values.
    Serial (each engine thread finishes its own chunk).
    """
    n = rd.shape[0]
    od = np.full((n, k), np.inf, dtype=rd.dtype)
    oi = np.full((n, k), -1, dtype=np.int64)
    for r in range(n):
        c = cnt[r]
        vd = rd[r, :c].copy()
        vi = ri[r, :c].copy()
        m = min(k, c)
        if c > k:
            _partition_smallest(vd, vi, c, k)
        for q in range(m):
            od[r, q] = vd[q] + xx[r]
            oi[r, q] = vi[q]
    return od, oi
