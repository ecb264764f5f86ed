"""Numba kernels of the zigzag persistence engine: plain arrays in, arrays out.

The engine follows Dey & Hou, "Fast computation of zigzag persistence" (ESA 2022).
A zigzag that starts and ends empty is a list of *instances*: one instance per
maximal interval ``[t_insert, t_delete)`` during which a simplex is present.  The
ordinary filtration that replaces it has ``2 n`` cells (``n`` instances):

* the *up* cells, one per instance in insertion order, with the boundary of the
  simplex (faces resolved to the face instances alive at insertion time);
* the *cone* cells ``w * sigma``, one per instance in reverse deletion order, with
  boundary ``sigma + w * (boundary of sigma)``; the apex ``w`` itself is not a
  cell (homology relative to the apex), so a vertex cone has boundary ``sigma``.

One Z/2 boundary-matrix reduction with clearing (twist) pairs every cell; each pair
maps back to one bar of the zigzag whose endpoints are the times of the two cells.
Kernels never write into their inputs.
"""

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def binomial_table(n_max, k_max):
    """``table[v, j] = C(v, j)`` for ``0 <= v <= n_max``, ``0 <= j <= k_max`` (int64).

    The caller checks that ``C(n_max, k_max)`` fits in int64.
    """
    table = np.zeros((n_max + 1, k_max + 1), dtype=np.int64)
    for v in range(n_max + 1):
        table[v, 0] = 1
        for j in range(1, min(v, k_max) + 1):
            if j == v:
                table[v, j] = 1
            else:
                table[v, j] = table[v - 1, j - 1] + table[v - 1, j]
    return table


@njit(cache=True, nogil=True)
def check_rows(rows):
    """Whether some vertex id is negative, and whether some row is not strictly
    increasing."""
    n, m = rows.shape
    negative = False
    not_increasing = False
    for r in range(n):
        for i in range(m):
            if rows[r, i] < 0:
                negative = True
            if i > 0 and rows[r, i] <= rows[r, i - 1]:
                not_increasing = True
    return negative, not_increasing


@njit(cache=True, nogil=True)
def simplex_keys(rows, table):
    """Combinatorial-number-system key of each sorted vertex row: sum_i C(v_i, i + 1).

    A bijection between sorted tuples of distinct non-negative ints of one length and
    the non-negative integers (colexicographic order).
    """
    n, m = rows.shape
    out = np.empty(n, dtype=np.int64)
    for r in range(n):
        s = 0
        for i in range(m):
            s += table[rows[r, i], i + 1]
        out[r] = s
    return out


# open-addressing hash table of non-negative int64 keys (Fibonacci hashing, linear
# probing): ``slot_key`` holds the keys (-1: empty slot), ``slot_id`` their ids.
_FIB = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True, inline="always")
def _hash_slot(slot_key, key, bits):
    """The slot holding ``key``, or the empty slot where it would be inserted."""
    mask = (1 << bits) - 1
    h = np.int64((np.uint64(key) * _FIB) >> np.uint64(64 - bits)) & mask
    while True:
        k2 = slot_key[h]
        if k2 == key or k2 < 0:
            return h
        h = (h + 1) & mask


@njit(cache=True, nogil=True)
def _hash_build(keys, n_keys, bits):
    """A table of ``2 ** bits`` slots holding the distinct ``keys[:n_keys]``, key
    ``keys[j]`` with id ``j``."""
    slot_key = np.full(1 << bits, -1, dtype=np.int64)
    slot_id = np.empty(1 << bits, dtype=np.int64)
    for j in range(n_keys):
        h = _hash_slot(slot_key, keys[j], bits)
        slot_key[h] = keys[j]
        slot_id[h] = j
    return slot_key, slot_id


@njit(cache=True, nogil=True)
def layer_instances(rows, table, sizes, n_positions):
    """Instances of the simplices listed layer by layer, with provisional ids.

    ``rows``: the simplices of all layers concatenated (layer 0 first), ``sizes``
    the number of rows of each layer.  A hash table of the combinatorial keys
    (grown before a layer that could fill it past half) gives every
    distinct simplex a provisional id in order of first appearance; a run of
    consecutive layers ``a .. b`` of one simplex is one instance inserted at
    ``2 a`` and deleted at ``min(2 b + 1, n_positions)``.

    Returns
    -------
    ukey, ufirst : key and first row of every provisional id.
    inst_prov, inst_tin, inst_tdel : the instances, in order of insertion.
    n_dup : number of rows listed twice in one layer.
    """
    n = rows.shape[0]
    keys = simplex_keys(rows, table)
    big = 1
    for lay in range(sizes.shape[0]):
        big = max(big, sizes[lay])
    bits = 4
    while (1 << bits) < 4 * big:
        bits += 1
    ukey = np.empty(n, dtype=np.int64)
    ufirst = np.empty(n, dtype=np.int64)
    last_layer = np.empty(n, dtype=np.int64)
    cur = np.empty(n, dtype=np.int64)
    inst_prov = np.empty(n, dtype=np.int64)
    inst_tin = np.empty(n, dtype=np.int64)
    inst_tdel = np.empty(n, dtype=np.int64)
    nu = 0
    n_inst = 0
    n_dup = 0
    i = 0
    slot_key, slot_id = _hash_build(ukey, nu, bits)
    for lay in range(sizes.shape[0]):
        tdel = min(2 * lay + 1, n_positions)
        if 2 * (nu + sizes[lay]) > (1 << bits):  # grow and rehash
            while 2 * (nu + sizes[lay]) > (1 << bits):
                bits += 1
            slot_key, slot_id = _hash_build(ukey, nu, bits)
        for _ in range(sizes[lay]):
            key = keys[i]
            h = _hash_slot(slot_key, key, bits)
            if slot_key[h] == key:
                p = slot_id[h]
            else:
                p = nu
                slot_key[h] = key
                slot_id[h] = p
                ukey[p] = key
                ufirst[p] = i
                last_layer[p] = -2
                nu += 1
            if last_layer[p] == lay:
                n_dup += 1
            elif last_layer[p] == lay - 1:
                inst_tdel[cur[p]] = tdel
            else:
                cur[p] = n_inst
                inst_prov[n_inst] = p
                inst_tin[n_inst] = 2 * lay
                inst_tdel[n_inst] = tdel
                n_inst += 1
            last_layer[p] = lay
            i += 1
    return (ukey[:nu].copy(), ufirst[:nu].copy(), inst_prov[:n_inst].copy(),
            inst_tin[:n_inst].copy(), inst_tdel[:n_inst].copy(), n_dup)


@njit(cache=True, nogil=True)
def canonical_instances(order, ufirst, inst_prov, inst_tin, inst_tdel):
    """Renumber provisional ids by ``order`` (the argsort of their keys) and sort
    the instances by ``(id, tin)`` (stable counting sort: tin already ascending)."""
    nu = order.shape[0]
    n = inst_prov.shape[0]
    rank = np.empty(nu, dtype=np.int64)
    first = np.empty(nu, dtype=np.int64)
    for r in range(nu):
        rank[order[r]] = r
        first[r] = ufirst[order[r]]
    cnt = np.zeros(nu + 1, dtype=np.int64)
    for i in range(n):
        cnt[rank[inst_prov[i]] + 1] += 1
    for r in range(nu):
        cnt[r + 1] += cnt[r]
    sid = np.empty(n, dtype=np.int64)
    tin = np.empty(n, dtype=np.int64)
    tdel = np.empty(n, dtype=np.int64)
    for i in range(n):
        r = rank[inst_prov[i]]
        c = cnt[r]
        sid[c] = r
        tin[c] = inst_tin[i]
        tdel[c] = inst_tdel[i]
        cnt[r] = c + 1
    return first, sid, tin, tdel


@njit(cache=True, nogil=True)
def layer_runs(sid, layer, n_positions):
    """Instances of simplices listed per layer of an intersection zigzag.

    ``(sid, layer)`` sorted by simplex then layer; a run of consecutive layers
    ``a .. b`` of one simplex is one instance inserted at ``2 a`` and deleted at
    ``min(2 b + 1, n_positions)``.  Returns ``(sid, tin, tdel, n_duplicates)``.
    """
    n = sid.shape[0]
    o_sid = np.empty(n, dtype=np.int64)
    o_tin = np.empty(n, dtype=np.int64)
    o_tdel = np.empty(n, dtype=np.int64)
    n_dup = 0
    k = -1
    for i in range(n):
        if i > 0 and sid[i] == sid[i - 1]:
            if layer[i] == layer[i - 1]:
                n_dup += 1
                continue
            if layer[i] == layer[i - 1] + 1:
                o_tdel[k] = min(2 * layer[i] + 1, n_positions)
                continue
        k += 1
        o_sid[k] = sid[i]
        o_tin[k] = 2 * layer[i]
        o_tdel[k] = min(2 * layer[i] + 1, n_positions)
    return o_sid[: k + 1].copy(), o_tin[: k + 1].copy(), o_tdel[: k + 1].copy(), n_dup


@njit(cache=True, nogil=True)
def face_ids_by_key(rows, table, sorted_face_keys):
    """Index, in ``sorted_face_keys``, of every codimension-1 face of every row.

    Returns ``(faces, n_missing)``; ``faces[r, k]`` is the face without vertex ``k``
    (-1 when absent from the face list).  Lookups go through an open-addressing
    hash table of the face keys (Fibonacci hashing, linear probing).
    """
    n, m = rows.shape
    n_face = sorted_face_keys.shape[0]
    bits = 1
    while (1 << bits) < 2 * n_face:
        bits += 1
    slot_key, slot_id = _hash_build(sorted_face_keys, n_face, bits)
    faces = np.empty((n, m), dtype=np.int64)
    n_missing = 0
    for r in range(n):
        for k in range(m):
            s = 0
            for i in range(m):
                if i < k:
                    s += table[rows[r, i], i + 1]
                elif i > k:
                    s += table[rows[r, i], i]
            h = _hash_slot(slot_key, s, bits)
            found = slot_id[h] if slot_key[h] == s else -1
            faces[r, k] = found
            if found < 0:
                n_missing += 1
    return faces, n_missing


@njit(cache=True, nogil=True)
def _row_cmp(a, ra, b, rb, skip):
    """Lexicographic comparison of row ``ra`` of ``a`` without column ``skip``
    against row ``rb`` of ``b`` (-1, 0, 1)."""
    j = 0
    for i in range(a.shape[1]):
        if i == skip:
            continue
        x = a[ra, i]
        y = b[rb, j]
        if x < y:
            return -1
        if x > y:
            return 1
        j += 1
    return 0


@njit(cache=True, nogil=True)
def face_ids_by_rows(rows, face_rows):
    """As :func:`face_ids_by_key`, by binary search in lexicographically sorted rows
    (used when the combinatorial keys would overflow int64)."""
    n, m = rows.shape
    faces = np.empty((n, m), dtype=np.int64)
    n_face = face_rows.shape[0]
    n_missing = 0
    for r in range(n):
        for k in range(m):
            lo = 0
            hi = n_face
            while lo < hi:
                mid = (lo + hi) // 2
                if _row_cmp(rows, r, face_rows, mid, k) > 0:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < n_face and _row_cmp(rows, r, face_rows, lo, k) == 0:
                faces[r, k] = lo
            else:
                faces[r, k] = -1
                n_missing += 1
    return faces, n_missing


@njit(cache=True, nogil=True)
def face_instances(face_sid, inst_sid, inst_tin, inst_tdel, fptr, f_tin, f_tdel):
    """Resolve the faces of every instance to the face instances alive with it.

    Parameters
    ----------
    face_sid : (n_simplices_d, d + 1) face simplex ids (dimension d - 1).
    inst_sid, inst_tin, inst_tdel : instances of dimension d.
    fptr : (n_simplices_{d-1} + 1,) offsets of each face simplex's instances, which
        are sorted by insertion time, in ``f_tin`` / ``f_tdel``.

    Returns
    -------
    faces : (n_inst_d, d + 1) face instance ids (local to dimension d - 1).
    n_bad : number of instances whose face is not present for their whole lifetime.
    """
    n = inst_sid.shape[0]
    m = face_sid.shape[1]
    faces = np.empty((n, m), dtype=np.int64)
    n_bad = 0
    for r in range(n):
        s = inst_sid[r]
        tin = inst_tin[r]
        tdel = inst_tdel[r]
        for k in range(m):
            f = face_sid[s, k]
            found = -1
            if f >= 0:
                lo = fptr[f]
                hi = fptr[f + 1]
                # last face instance inserted at or before tin
                while lo < hi:
                    mid = (lo + hi) // 2
                    if f_tin[mid] <= tin:
                        lo = mid + 1
                    else:
                        hi = mid
                c = lo - 1
                if c >= fptr[f] and f_tdel[c] >= tdel and f_tdel[c] > tin:
                    found = c
            if found < 0:
                n_bad += 1
                faces[r, k] = 0
            else:
                faces[r, k] = found
    return faces, n_bad


@njit(cache=True, nogil=True, inline="always")
def _isort(a, lo, hi):
    """Insertion sort of ``a[lo:hi]`` in place (columns have at most max_dim + 2
    entries, where a general sort costs more than the work)."""
    for i in range(lo + 1, hi):
        v = a[i]
        j = i - 1
        while j >= lo and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


@njit(cache=True, nogil=True)
def cell_orders(dims, tin, tdel, n_positions, top):
    """Instance of each up cell and of each cone cell, by counting sorts.

    Up cells: by ``(tin, dim, instance)`` ascending.  Cone cells: by
    ``(tdel, -dim, instance)`` descending (the reverse deletion order).
    """
    n = dims.shape[0]
    n_keys = (n_positions + 1) * (top + 1)
    cnt = np.zeros(n_keys + 1, dtype=np.int64)
    for g in range(n):
        cnt[tin[g] * (top + 1) + dims[g] + 1] += 1
    for k in range(n_keys):
        cnt[k + 1] += cnt[k]
    up_order = np.empty(n, dtype=np.int64)
    for g in range(n):
        key = tin[g] * (top + 1) + dims[g]
        up_order[cnt[key]] = g
        cnt[key] += 1
    cnt[:] = 0
    for g in range(n):
        cnt[tdel[g] * (top + 1) + (top - dims[g]) + 1] += 1
    for k in range(n_keys):
        cnt[k + 1] += cnt[k]
    cone_order = np.empty(n, dtype=np.int64)
    for g in range(n):
        key = tdel[g] * (top + 1) + (top - dims[g])
        cone_order[n - 1 - cnt[key]] = g
        cnt[key] += 1
    return up_order, cone_order


@njit(cache=True, nogil=True)
def cell_positions(dims, up_order, cone_order):
    """Inverse permutations (cone positions shifted by ``n``) and cell dimensions."""
    n = dims.shape[0]
    up_pos = np.empty(n, dtype=np.int64)
    cone_pos = np.empty(n, dtype=np.int64)
    edim = np.empty(2 * n, dtype=np.int64)
    for j in range(n):
        up_pos[up_order[j]] = j
        cone_pos[cone_order[j]] = j + n
        edim[j] = dims[up_order[j]]
        edim[n + j] = dims[cone_order[j]] + 1
    return up_pos, cone_pos, edim


@njit(cache=True, nogil=True)
def column_order(edim, q_min, q_max):
    """Cells of dimension ``q_max`` down to ``q_min``, ascending inside each
    dimension, and the offsets of the dimension groups."""
    n_groups = q_max - q_min + 1
    dim_ptr = np.zeros(n_groups + 1, dtype=np.int64)
    for c in range(edim.shape[0]):
        q = edim[c]
        if q_min <= q <= q_max:
            dim_ptr[q_max - q + 1] += 1
    for k in range(n_groups):
        dim_ptr[k + 1] += dim_ptr[k]
    out = np.empty(dim_ptr[n_groups], dtype=np.int64)
    fill = dim_ptr[:n_groups].copy()
    for c in range(edim.shape[0]):
        q = edim[c]
        if q_min <= q <= q_max:
            out[fill[q_max - q]] = c
            fill[q_max - q] += 1
    return out, dim_ptr


@njit(cache=True, nogil=True)
def assemble_columns(dims, inst_offset, up_pos, cone_pos, up_order, cone_order, faces_flat,
                     faces_ptr):
    """CSR boundary matrix of the coned filtration (columns sorted ascending).

    ``dims[g]`` is the dimension of global instance ``g``; the face instances of
    ``g`` (global ids) are ``faces_flat[faces_ptr[g]:faces_ptr[g + 1]]``.
    ``up_order[j]`` / ``cone_order[j]`` give the instance of up cell ``j`` / cone
    cell ``n + j``; ``up_pos`` / ``cone_pos`` are their inverses (cone_pos already
    shifted by ``n``).
    """
    n = dims.shape[0]
    col_ptr = np.empty(2 * n + 1, dtype=np.int64)
    col_ptr[0] = 0
    for j in range(n):
        g = up_order[j]
        col_ptr[j + 1] = col_ptr[j] + (faces_ptr[g + 1] - faces_ptr[g])
    for j in range(n):
        g = cone_order[j]
        col_ptr[n + j + 1] = col_ptr[n + j] + 1 + (faces_ptr[g + 1] - faces_ptr[g])
    col_idx = np.empty(col_ptr[2 * n], dtype=np.int64)
    for j in range(n):
        g = up_order[j]
        p = col_ptr[j]
        for q in range(faces_ptr[g], faces_ptr[g + 1]):
            col_idx[p] = up_pos[faces_flat[q]]
            p += 1
        _isort(col_idx, col_ptr[j], p)
    for j in range(n):
        g = cone_order[j]
        p = col_ptr[n + j]
        col_idx[p] = up_pos[g]
        p += 1
        for q in range(faces_ptr[g], faces_ptr[g + 1]):
            col_idx[p] = cone_pos[faces_flat[q]]
            p += 1
        _isort(col_idx, col_ptr[n + j] + 1, p)
    return col_ptr, col_idx


@njit(cache=True, nogil=True)
def pairs_to_bars(pair_row, pair_col, up_order, cone_order, tin, tdel, dims, report):
    """Bars ``(dimension, birth, death)`` of the persistence pairs of the coned
    filtration: the endpoints are the times of the two cells (insertion time of an
    up cell, deletion time of a cone cell); the degree is that of the earlier cell,
    minus one when it is a cone cell.  Empty bars and degrees not in ``report``
    (a boolean mask by degree) are dropped."""
    n = up_order.shape[0]
    m = pair_row.shape[0]
    out_dim = np.empty(m, dtype=np.int64)
    out_b = np.empty(m, dtype=np.int64)
    out_d = np.empty(m, dtype=np.int64)
    k = 0
    for i in range(m):
        r = pair_row[i]
        c = pair_col[i]
        t_r = tin[up_order[r]] if r < n else tdel[cone_order[r - n]]
        t_c = tin[up_order[c]] if c < n else tdel[cone_order[c - n]]
        if t_r == t_c:
            continue
        first = r if t_r < t_c else c
        if first < n:
            q = dims[up_order[first]]
        else:
            q = dims[cone_order[first - n]] - 1
        if q < 0 or q >= report.shape[0] or not report[q]:
            continue
        out_dim[k] = q
        out_b[k] = min(t_r, t_c)
        out_d[k] = max(t_r, t_c)
        k += 1
    return out_dim[:k].copy(), out_b[:k].copy(), out_d[:k].copy()


@njit(cache=True, nogil=True)
def _grow(buf, need):
    cap = buf.shape[0]
    if need <= cap:
        return buf
    new_cap = max(need, 2 * cap)
    out = np.empty(new_cap, dtype=buf.dtype)
    out[:cap] = buf
    return out


@njit(cache=True, nogil=True, inline="always")
def _hsb(v):
    """Index of the highest set bit of a non-zero uint64."""
    r = 0
    if v >> np.uint64(32):
        v >>= np.uint64(32)
        r += 32
    if v >> np.uint64(16):
        v >>= np.uint64(16)
        r += 16
    if v >> np.uint64(8):
        v >>= np.uint64(8)
        r += 8
    if v >> np.uint64(4):
        v >>= np.uint64(4)
        r += 4
    if v >> np.uint64(2):
        v >>= np.uint64(2)
        r += 2
    if v >> np.uint64(1):
        r += 1
    return r


@njit(cache=True, nogil=True, inline="always")
def _flip(tree, level_off, n_levels, x):
    """Toggle bit ``x`` of a 64-ary bit tree, keeping the summary levels in sync."""
    idx = x
    for lv in range(n_levels):
        w = level_off[lv] + (idx >> 6)
        old = tree[w]
        new = old ^ (np.uint64(1) << np.uint64(idx & 63))
        tree[w] = new
        if (old == 0) == (new == 0):
            return
        idx >>= 6


@njit(cache=True, nogil=True, inline="always")
def _tree_max(tree, level_off, n_levels):
    """Largest set index of the bit tree, -1 when empty."""
    top = tree[level_off[n_levels - 1]]
    if top == 0:
        return -1
    idx = _hsb(top)
    for lv in range(n_levels - 2, -1, -1):
        idx = (idx << 6) + _hsb(tree[level_off[lv] + idx])
    return idx


@njit(cache=True, nogil=True, inline="always")
def _reduce_in_tree(tree, level_off, n_levels, k, owner, store_start, store_len, pool):
    """Add stored reduced columns to the working column while its pivot is owned.

    Starts by adding column ``k`` (the owner of the current pivot).  Returns the
    final pivot, -1 when the column reduced to zero.
    """
    while True:
        ks = store_start[k]
        for i in range(ks, ks + store_len[k]):
            _flip(tree, level_off, n_levels, pool[i])
        p = _tree_max(tree, level_off, n_levels)
        if p < 0:
            return p
        k = owner[p]
        if k < 0:
            return p


@njit(cache=True, nogil=True, inline="always")
def _drain_tree(tree, level_off, n_levels, buf, pool, top):
    """Empty the working column into ``pool[top:top + la]`` in ascending order.

    Returns the (possibly grown) ``buf`` and ``pool`` and ``la``.
    """
    la = 0
    while True:
        q = _tree_max(tree, level_off, n_levels)
        if q < 0:
            break
        _flip(tree, level_off, n_levels, q)
        buf = _grow(buf, la + 1)
        buf[la] = q
        la += 1
    pool = _grow(pool, top + la)
    for i in range(la):
        pool[top + i] = buf[la - 1 - i]
    return buf, pool, la


@njit(cache=True, nogil=True)
def reduce_twist(col_ptr, col_idx, col_order, dim_ptr, n_up=-1, edge_group=-1):
    """Standard Z/2 column reduction with clearing (twist), dimension by dimension.

    The column being reduced lives in a 64-ary bit tree (adding a stored column
    costs its length, finding the pivot a few word operations); reduced columns
    are stored as sorted arrays in a pool that is reset for every dimension.

    Parameters
    ----------
    col_ptr, col_idx : CSR boundary matrix, every column sorted ascending.
    col_order : columns to reduce, grouped by dimension from highest to lowest,
        ascending within a dimension.
    dim_ptr : offsets of the dimension groups in ``col_order``.
    n_up : number of up cells (cells ``>= n_up`` are cone cells); with
    edge_group : index of the group of E-dimension 2 (up triangles and coned edges),
        -1 for none.  A coned edge ``w*e`` of that group (boundary ``e + w*u + w*v``)
        whose coned endpoints are already joined by one earlier coned edge
        ``w*f`` (a parallel instance) or by two, ``w*f + w*g`` (a common
        neighbour), starts from the short cycle ``e + f (+ g)`` instead of its own
        boundary: that sum lies in the column plus earlier columns, so the pivot
        it reduces to is the same, and the cone part needs no reduction.

    Returns
    -------
    pair_row, pair_col : the persistence pairs (creator row, killer column).
    """
    n_cells = col_ptr.shape[0] - 1
    # adjacency of the coned vertices through the coned edges of edge_group
    adj_ptr = np.zeros(1, dtype=np.int64)
    adj_nbr = np.zeros(0, dtype=np.int64)
    adj_edge = np.zeros(0, dtype=np.int64)
    if edge_group >= 0 and n_up >= 0:
        adj_ptr = np.zeros(n_cells + 1, dtype=np.int64)
        for t in range(dim_ptr[edge_group], dim_ptr[edge_group + 1]):
            j = col_order[t]
            if j >= n_up and col_ptr[j + 1] - col_ptr[j] == 3:
                adj_ptr[col_idx[col_ptr[j] + 1] + 1] += 1
                adj_ptr[col_idx[col_ptr[j] + 2] + 1] += 1
        for c in range(n_cells):
            adj_ptr[c + 1] += adj_ptr[c]
        fill = adj_ptr[:-1].copy()
        adj_nbr = np.empty(adj_ptr[n_cells], dtype=np.int64)
        adj_edge = np.empty(adj_ptr[n_cells], dtype=np.int64)
        for t in range(dim_ptr[edge_group], dim_ptr[edge_group + 1]):
            j = col_order[t]  # ascending: every adjacency list is sorted by edge
            if j >= n_up and col_ptr[j + 1] - col_ptr[j] == 3:
                a = col_idx[col_ptr[j] + 1]
                b = col_idx[col_ptr[j] + 2]
                adj_nbr[fill[a]] = b
                adj_edge[fill[a]] = j
                fill[a] += 1
                adj_nbr[fill[b]] = a
                adj_edge[fill[b]] = j
                fill[b] += 1
    mark = np.full(n_cells if edge_group >= 0 else 0, -1, dtype=np.int64)
    mark_edge = np.zeros(n_cells if edge_group >= 0 else 0, dtype=np.int64)
    owner = np.full(n_cells, -1, dtype=np.int64)
    cleared = np.zeros(n_cells, dtype=np.bool_)
    store_start = np.zeros(n_cells, dtype=np.int64)
    store_len = np.zeros(n_cells, dtype=np.int64)
    pool = np.empty(1024, dtype=np.int64)
    buf = np.empty(64, dtype=np.int64)
    # bit tree over the cells
    sizes = [max(n_cells, 1)]
    while sizes[-1] > 64:
        sizes.append((sizes[-1] + 63) // 64)
    n_levels = len(sizes)
    level_off = np.zeros(n_levels + 1, dtype=np.int64)
    for lv in range(n_levels):
        level_off[lv + 1] = level_off[lv] + (sizes[lv] + 63) // 64
    tree = np.zeros(level_off[n_levels], dtype=np.uint64)
    pair_row = np.empty(n_cells // 2 + 1, dtype=np.int64)
    pair_col = np.empty(n_cells // 2 + 1, dtype=np.int64)
    n_pairs = 0
    n_groups = dim_ptr.shape[0] - 1
    for grp in range(n_groups):
        top = 0  # columns of one dimension only ever add columns of the same dimension
        for t in range(dim_ptr[grp], dim_ptr[grp + 1]):
            j = col_order[t]
            if cleared[j]:
                continue
            s0 = col_ptr[j]
            s1 = col_ptr[j + 1]
            if s1 == s0:
                continue
            p = col_idx[s1 - 1]
            k = owner[p]
            short = False
            if grp == edge_group and j >= n_up and s1 - s0 == 3 and k >= 0:
                # look for a coned path of one or two earlier edges from a to b
                a = col_idx[s0 + 1]
                b = col_idx[s0 + 2]
                f1 = -1
                f2 = -1
                for i in range(adj_ptr[a], adj_ptr[a + 1]):
                    e = adj_edge[i]
                    if e >= j:
                        break
                    c = adj_nbr[i]
                    if c == b:
                        f1 = e
                        f2 = -1
                        break
                    mark[c] = j
                    mark_edge[c] = e
                if f1 < 0:
                    for i in range(adj_ptr[b], adj_ptr[b + 1]):
                        e = adj_edge[i]
                        if e >= j:
                            break
                        c = adj_nbr[i]
                        if mark[c] == j:
                            f1 = mark_edge[c]
                            f2 = e
                            break
                if f1 >= 0:
                    short = True
                    _flip(tree, level_off, n_levels, col_idx[s0])
                    _flip(tree, level_off, n_levels, col_idx[col_ptr[f1]])
                    if f2 >= 0:
                        _flip(tree, level_off, n_levels, col_idx[col_ptr[f2]])
                    p = _tree_max(tree, level_off, n_levels)
                    k = owner[p] if p >= 0 else -1
            if short:
                if p < 0:
                    continue
                if k >= 0:
                    p = _reduce_in_tree(tree, level_off, n_levels, k, owner, store_start,
                                        store_len, pool)
                    if p < 0:
                        continue
                buf, pool, la = _drain_tree(tree, level_off, n_levels, buf, pool, top)
            elif k < 0:
                # apparent pivot: store the boundary as it is
                la = s1 - s0
                pool = _grow(pool, top + la)
                for i in range(la):
                    pool[top + i] = col_idx[s0 + i]
            else:
                for i in range(s0, s1):
                    _flip(tree, level_off, n_levels, col_idx[i])
                p = _reduce_in_tree(tree, level_off, n_levels, k, owner, store_start, store_len,
                                    pool)
                if p < 0:
                    continue
                buf, pool, la = _drain_tree(tree, level_off, n_levels, buf, pool, top)
            owner[p] = j
            cleared[p] = True
            store_start[j] = top
            store_len[j] = la
            top += la
            pair_row[n_pairs] = p
            pair_col[n_pairs] = j
            n_pairs += 1
    return pair_row[:n_pairs].copy(), pair_col[:n_pairs].copy()
