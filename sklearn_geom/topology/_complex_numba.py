"""Numba kernels of the flag-complex builder: plain arrays in, arrays out.

Cliques are enumerated by extending each simplex with the common *higher*
neighbours of its vertices (the upper-triangular CSR adjacency), depth first with
candidates in ascending order.  Every simplex is therefore produced exactly once,
from its smallest vertex, and the simplices of one dimension come out in
lexicographic order.  Two passes (count, then fill at precomputed offsets), each
root vertex handled by exactly one parallel iteration: the output does not depend
on the number of threads.  Kernels never write into their inputs.
"""

import numpy as np
from numba import njit, prange


@njit(cache=True, nogil=True)
def _walk(v, indptr, indices, max_dim, cand, ncand, pos, simp, out, base, off, mode, counts):
    """Depth-first enumeration of the cliques whose smallest vertex is ``v``.

    ``mode == 0`` counts them into ``counts[v, d]``; ``mode == 1`` writes them into
    the flat buffer ``out`` (dimension ``d`` block starts at ``base[d]``, vertex
    ``v``'s rows at row ``off[v, d]`` of that block).
    """
    simp[0] = v
    if mode == 0:
        counts[v, 0] += 1
    else:
        out[base[0] + off[v, 0]] = v
    if max_dim == 0:
        return
    written = np.zeros(max_dim + 1, dtype=np.int64)
    written[0] = 1
    start, stop = indptr[v], indptr[v + 1]
    m = stop - start
    for a in range(m):
        cand[0, a] = indices[start + a]
    ncand[0] = m
    pos[0] = 0
    t = 0
    while t >= 0:
        if pos[t] < ncand[t]:
            c = cand[t, pos[t]]
            pos[t] += 1
            d = t + 1
            simp[d] = c
            if mode == 0:
                counts[v, d] += 1
            else:
                row = base[d] + (off[v, d] + written[d]) * (d + 1)
                for q in range(d + 1):
                    out[row + q] = simp[q]
            written[d] += 1
            if d < max_dim:
                # candidates of the extended simplex: later candidates that are
                # also higher neighbours of c (both lists sorted ascending)
                a = pos[t]
                b = indptr[c]
                bend = indptr[c + 1]
                n_new = 0
                while a < ncand[t] and b < bend:
                    x = cand[t, a]
                    y = indices[b]
                    if x == y:
                        cand[d, n_new] = x
                        n_new += 1
                        a += 1
                        b += 1
                    elif x < y:
                        a += 1
                    else:
                        b += 1
                if n_new > 0:
                    ncand[d] = n_new
                    pos[d] = 0
                    t = d
        else:
            t -= 1


@njit(cache=True, parallel=True)
def _run(indptr, indices, max_dim, chunk, max_deg, mode, base, off, out, counts):
    n = indptr.size - 1
    n_chunks = (n + chunk - 1) // chunk
    width = max(max_dim, 1)
    for ci in prange(n_chunks):
        cand = np.empty((width, max(max_deg, 1)), dtype=np.int64)
        ncand = np.zeros(width, dtype=np.int64)
        pos = np.zeros(width, dtype=np.int64)
        simp = np.empty(max_dim + 1, dtype=np.int64)
        lo = ci * chunk
        hi = min(n, lo + chunk)
        for v in range(lo, hi):
            _walk(v, indptr, indices, max_dim, cand, ncand, pos, simp, out, base, off, mode, counts)


def flag_cliques(indptr, indices, max_dim, chunk=256):
    """All cliques of an undirected graph, up to ``max_dim + 1`` vertices.

    Parameters
    ----------
    indptr, indices : int64 arrays
        CSR of the *upper* adjacency (row ``i`` lists the neighbours ``j > i``,
        sorted ascending, no duplicates).
    max_dim : int
        Largest simplex dimension.
    chunk : int
        Vertices per parallel task.

    Returns
    -------
    list of int64 arrays
        Element ``d`` has shape ``(n_d, d + 1)``, rows sorted ascending within and
        lexicographically across rows.
    """
    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    n = indptr.size - 1
    max_dim = int(max_dim)
    max_deg = int(np.max(np.diff(indptr))) if n > 0 else 0
    base = np.zeros(max_dim + 1, dtype=np.int64)
    empty_off = np.zeros((0, max_dim + 1), dtype=np.int64)
    counts = np.zeros((n, max_dim + 1), dtype=np.int64)
    dummy = np.empty(0, dtype=np.int64)
    if n == 0:
        return [np.empty((0, d + 1), dtype=np.int64) for d in range(max_dim + 1)]
    _run(indptr, indices, max_dim, chunk, max_deg, 0, base, empty_off, dummy, counts)
    totals = counts.sum(axis=0)
    off = np.zeros_like(counts)
    off[1:] = np.cumsum(counts[:-1], axis=0)
    sizes = totals * (np.arange(max_dim + 1) + 1)
    base[1:] = np.cumsum(sizes)[:-1]
    out = np.empty(int(sizes.sum()), dtype=np.int64)
    _run(indptr, indices, max_dim, chunk, max_deg, 1, base, off, out, counts)
    return [
        out[base[d] : base[d] + sizes[d]].reshape(int(totals[d]), d + 1)
        for d in range(max_dim + 1)
    ]


@njit(cache=True, nogil=True)
def rows_in(A, B):
    """Mask of the rows of ``A`` that occur in ``B`` (both lexicographically sorted)."""
    na, nb, w = A.shape[0], B.shape[0], A.shape[1]
    mask = np.zeros(na, dtype=np.bool_)
    i = 0
    j = 0
    while i < na and j < nb:
        cmp = 0
        for q in range(w):
            if A[i, q] < B[j, q]:
                cmp = -1
                break
            if A[i, q] > B[j, q]:
                cmp = 1
                break
        if cmp == 0:
            mask[i] = True
            i += 1
            j += 1
        elif cmp < 0:
            i += 1
        else:
            j += 1
    return mask
