"""Persistent-cohomology reduction of the coned filtration, a cross-check for the
zigzag engine's boundary-matrix (twist) reduction.

Kept in the tests: the engine uses the boundary-matrix reduction only.  Reducing
the coboundary matrix (cells from the youngest, pivot = oldest coface, with
clearing) gives the same persistence pairs (de Silva, Morozov and
Vejdemo-Johansson, "Dualities in persistent (co)homology", Inverse Problems 27,
2011); in degree 0 a union-find with the elder rule.  ``install(monkeypatch)``
makes the engine use it.
"""

import numpy as np
from numba import njit

from sklearn_geom.topology import _zigzag
from sklearn_geom.topology._zigzag_numba import _flip, _grow, _tree_max


def install(monkeypatch):
    """Make the engine reduce with :func:`reduce_cohomology` (for one test)."""

    def reduce_pairs(col_ptr, col_idx, edim, q_min, q_max, n_up):
        return reduce_cohomology(col_ptr, col_idx, edim, q_max)

    monkeypatch.setattr(_zigzag, "_reduce_pairs", reduce_pairs)


@njit(cache=True)
def coboundary(col_ptr, col_idx):
    """Transpose of the CSR boundary matrix: the cofaces of every cell, ascending."""
    n_cells = col_ptr.shape[0] - 1
    cob_ptr = np.zeros(n_cells + 1, dtype=np.int64)
    for i in range(col_idx.shape[0]):
        cob_ptr[col_idx[i] + 1] += 1
    for c in range(n_cells):
        cob_ptr[c + 1] += cob_ptr[c]
    fill = cob_ptr[:-1].copy()
    cob_idx = np.empty(col_idx.shape[0], dtype=np.int64)
    for j in range(n_cells):  # ascending j: every coface list comes out sorted
        for i in range(col_ptr[j], col_ptr[j + 1]):
            r = col_idx[i]
            cob_idx[fill[r]] = j
            fill[r] += 1
    return cob_ptr, cob_idx


@njit(cache=True)
def _uf_find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True)
def reduce_cohomology(col_ptr, col_idx, edim, q_max):
    """Persistence pairs of the coned filtration, by dimension upwards, over Z/2.

    Pairs between E-dimensions 0 and 1 come from a union-find (elder rule; a cell of
    E-dimension 1 with a single face, a coned vertex, joins that vertex to the apex,
    which is older than everything).  Pairs between E-dimensions ``q - 1`` and
    ``q`` (``2 <= q <= q_max``) come from the reduction of the coboundary matrix
    (persistent cohomology, cells from the youngest, pivot = oldest coface), with
    clearing: a cell that killed a class one dimension down is skipped.  The pairs
    are those of the boundary-matrix reduction (de Silva, Morozov and
    Vejdemo-Johansson, "Dualities in persistent (co)homology", 2011).

    Returns
    -------
    pair_row, pair_col : the persistence pairs (creator, killer), cell indices.
    """
    n_cells = col_ptr.shape[0] - 1
    pair_row = np.empty(n_cells // 2 + 1, dtype=np.int64)
    pair_col = np.empty(n_cells // 2 + 1, dtype=np.int64)
    n_pairs = 0
    killer = np.zeros(n_cells, dtype=np.bool_)
    # ---- E-dimension 0 -> 1: union-find; node n_cells is the apex
    parent = np.arange(n_cells + 1, dtype=np.int64)
    oldest = np.arange(n_cells + 1, dtype=np.int64)
    oldest[n_cells] = -1
    for j in range(n_cells):
        if edim[j] != 1:
            continue
        s0 = col_ptr[j]
        s1 = col_ptr[j + 1]
        a = col_idx[s0]
        b = col_idx[s0 + 1] if s1 - s0 == 2 else n_cells
        ra = _uf_find(parent, a)
        rb = _uf_find(parent, b)
        if ra == rb:
            continue
        if oldest[ra] < oldest[rb]:
            ra, rb = rb, ra
        # rb holds the older component; the younger root dies
        pair_row[n_pairs] = oldest[ra]
        pair_col[n_pairs] = j
        n_pairs += 1
        killer[j] = True
        parent[ra] = rb
    if q_max < 2:
        return pair_row[:n_pairs].copy(), pair_col[:n_pairs].copy()
    cob_ptr, cob_idx = coboundary(col_ptr, col_idx)
    # bit tree over reversed cell indices (its maximum is the oldest coface)
    sizes = [max(n_cells, 1)]
    while sizes[-1] > 64:
        sizes.append((sizes[-1] + 63) // 64)
    n_levels = len(sizes)
    level_off = np.zeros(n_levels + 1, dtype=np.int64)
    for lv in range(n_levels):
        level_off[lv + 1] = level_off[lv] + (sizes[lv] + 63) // 64
    tree = np.zeros(level_off[n_levels], dtype=np.uint64)
    owner = np.full(n_cells, -1, dtype=np.int64)
    store_start = np.zeros(n_cells, dtype=np.int64)
    store_len = np.zeros(n_cells, dtype=np.int64)
    pool = np.empty(1024, dtype=np.int64)
    last = n_cells - 1
    for q in range(2, q_max + 1):
        top = 0
        for s in range(n_cells - 1, -1, -1):
            if edim[s] != q - 1 or killer[s]:
                continue
            c0 = cob_ptr[s]
            c1 = cob_ptr[s + 1]
            if c1 == c0:
                continue
            p = cob_idx[c0]  # oldest coface
            k = owner[p]
            if k < 0:
                la = c1 - c0
                pool = _grow(pool, top + la)
                for i in range(la):
                    pool[top + i] = last - cob_idx[c0 + i]
            else:
                for i in range(c0, c1):
                    _flip(tree, level_off, n_levels, last - cob_idx[i])
                while True:
                    ks = store_start[k]
                    for i in range(ks, ks + store_len[k]):
                        _flip(tree, level_off, n_levels, pool[i])
                    x = _tree_max(tree, level_off, n_levels)
                    if x < 0:
                        p = -1
                        break
                    p = last - x
                    k = owner[p]
                    if k < 0:
                        break
                if p < 0:
                    continue
                la = 0
                while True:
                    x = _tree_max(tree, level_off, n_levels)
                    if x < 0:
                        break
                    _flip(tree, level_off, n_levels, x)
                    pool = _grow(pool, top + la + 1)
                    pool[top + la] = x
                    la += 1
            owner[p] = s
            store_start[s] = top
            store_len[s] = la
            top += la
            killer[p] = True
            pair_row[n_pairs] = s
            pair_col[n_pairs] = p
            n_pairs += 1
    return pair_row[:n_pairs].copy(), pair_col[:n_pairs].copy()
