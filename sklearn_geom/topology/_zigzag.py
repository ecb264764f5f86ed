"""Zigzag persistence over Z/2: the engine (Dey & Hou's FastZigzag) and barcodes.

Public objects
--------------
Barcode                     bars ``[birth, death)`` in zigzag positions, per dimension
zigzag_barcode              barcode of a general insert/delete sequence of simplices
zigzag_barcode_of_complexes barcode of the intersection zigzag of a list of complexes

Conventions.  A zigzag is indexed by *positions* ``0 .. n_positions - 1``; the
complex at each position is a simplicial complex.  Between position ``t - 1`` and
``t`` the simplices leaving are deleted (highest dimension first), then the ones
arriving are inserted (lowest dimension first); before position 0 the complex is
empty, after the last position everything is deleted.  A bar ``[b, d)`` is a class
alive at positions ``b .. d - 1``; bars alive at the last position have
``d = n_positions``.  Classes that only live in the hidden intermediate complex
between two positions are not reported.
"""

import gzip
import io
import math
import os
from numbers import Integral

import numpy as np

from . import _zigzag_numba as _kern

__all__ = ["Barcode", "zigzag_barcode", "zigzag_barcode_of_complexes"]


# ----------------------------------------------------------------------------------------
# Barcode
# ----------------------------------------------------------------------------------------


class Barcode:
    """Bars of a zigzag persistence module, ``[birth, death)`` in positions.

    Parameters
    ----------
    dimension, birth, death : array-like of int, shape (n_bars,)
        Homology degree, first position where the bar is alive, and the first
        position after it (exclusive).  A bar alive at the last position has
        ``death == n_positions``.
    n_positions : int, default=None
        Number of positions of the zigzag (``2 L - 1`` for the intersection zigzag of
        ``L`` complexes).  None: ``max(death)`` (0 for an empty barcode).

    Attributes
    ----------
    dimension, birth, death : ndarray of int64, shape (n_bars,)
        The bars, sorted by ``(dimension, birth, death)``.
    n_positions : int
        Number of positions.

    Examples
    --------
    >>> from sklearn_geom.topology import Barcode
    >>> bc = Barcode([0, 0, 1], [0, 2, 1], [3, 3, 2])
    >>> bc
    Barcode(n_bars=3, n_positions=3, dimensions=[0, 1])
    >>> bc.betti_at(1)
    array([1, 1])
    >>> bc.in_dimension(0).birth
    array([0, 2])
    """

    def __init__(self, dimension, birth, death, n_positions=None):
        dimension = np.asarray(dimension, dtype=np.int64).reshape(-1)
        birth = np.asarray(birth, dtype=np.int64).reshape(-1)
        death = np.asarray(death, dtype=np.int64).reshape(-1)
        if not (dimension.shape == birth.shape == death.shape):
            raise ValueError(
                "dimension, birth and death must have the same length, got "
                f"{dimension.shape[0]}, {birth.shape[0]} and {death.shape[0]}."
            )
        if np.any(dimension < 0):
            raise ValueError("Bar dimensions must be non-negative.")
        if np.any(birth < 0) or np.any(death <= birth):
            raise ValueError("Every bar needs 0 <= birth < death.")
        if n_positions is None:
            n_positions = int(death.max()) if death.size else 0
        elif not isinstance(n_positions, Integral) or n_positions < 0:
            raise ValueError(f"n_positions must be a non-negative int, got {n_positions!r}.")
        elif death.size and death.max() > n_positions:
            raise ValueError(
                f"A bar dies at {int(death.max())}, after n_positions={n_positions}."
            )
        order = np.lexsort((death, birth, dimension))
        self.dimension = dimension[order]
        self.birth = birth[order]
        self.death = death[order]
        self.n_positions = int(n_positions)

    def __len__(self):
        return int(self.dimension.shape[0])

    def __repr__(self):
        dims = sorted(set(self.dimension.tolist()))
        return (
            f"Barcode(n_bars={len(self)}, n_positions={self.n_positions}, "
            f"dimensions={dims})"
        )

    def __eq__(self, other):
        if not isinstance(other, Barcode):
            return NotImplemented
        return (
            self.n_positions == other.n_positions
            and np.array_equal(self.dimension, other.dimension)
            and np.array_equal(self.birth, other.birth)
            and np.array_equal(self.death, other.death)
        )

    __hash__ = None

    def to_array(self):
        """The bars as one array.

        Returns
        -------
        bars : ndarray of shape (n_bars, 3), int64
            Rows ``(dimension, birth, death)``, in the barcode's order.
        """
        return np.column_stack([self.dimension, self.birth, self.death])

    def in_dimension(self, dimension):
        """Bars of one homology degree or of several.

        Parameters
        ----------
        dimension : int or sequence of int
            The homology degree(s) to keep.

        Returns
        -------
        Barcode
            The bars of those degrees, with the same ``n_positions``.
        """
        dims = np.atleast_1d(np.asarray(dimension, dtype=np.int64))
        mask = np.isin(self.dimension, dims)
        return Barcode(
            self.dimension[mask], self.birth[mask], self.death[mask], self.n_positions
        )

    def betti_at(self, position, dimension=None):
        """Number of bars alive at ``position`` (the Betti numbers of that complex).

        Parameters
        ----------
        position : int
            A position ``0 <= position < n_positions``.
        dimension : int, default=None
            One homology degree.  None: all degrees ``0 .. max dimension``.

        Returns
        -------
        int or ndarray of int64
            The count for ``dimension``, or an array indexed by degree.
        """
        if not isinstance(position, Integral) or not 0 <= position < max(self.n_positions, 1):
            raise ValueError(
                f"position must be an int in [0, {self.n_positions}), got {position!r}."
            )
        alive = (self.birth <= position) & (self.death > position)
        if dimension is not None:
            return int(np.count_nonzero(alive & (self.dimension == dimension)))
        n_dim = int(self.dimension.max()) + 1 if len(self) else 0
        return np.bincount(self.dimension[alive], minlength=n_dim).astype(np.int64)

    def to_csv(self, path_or_buf=None):
        """Write ``dimension,birth,death`` with 1-based positions (the reference format).

        Parameters
        ----------
        path_or_buf : str, path or text buffer, default=None
            Destination; a path ending in ``.gz`` is gzip-compressed.  None: return
            the text.

        Returns
        -------
        str or None
            The CSV text when ``path_or_buf`` is None, else None.
        """
        lines = ["dimension,birth,death"]
        lines += [f"{d},{b + 1},{e + 1}" for d, b, e in self.to_array().tolist()]
        text = "\n".join(lines) + "\n"
        if path_or_buf is None:
            return text
        if hasattr(path_or_buf, "write"):
            path_or_buf.write(text)
            return None
        path = os.fspath(path_or_buf)
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "wt", encoding="ascii") as fh:
            fh.write(text)
        return None

    @classmethod
    def from_csv(cls, path_or_buf, n_positions=None):
        """Read a ``dimension,birth,death`` file with 1-based positions (``.gz`` allowed).

        Parameters
        ----------
        path_or_buf : str, path or text buffer
            Source.
        n_positions : int, default=None
            Number of positions; None: the largest death.
        """
        if hasattr(path_or_buf, "read"):
            text = path_or_buf.read()
        else:
            path = os.fspath(path_or_buf)
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="ascii") as fh:
                text = fh.read()
        buf = io.StringIO(text)
        header = buf.readline().strip().replace(" ", "")
        if header != "dimension,birth,death":
            raise ValueError(f"Expected the header 'dimension,birth,death', got {header!r}.")
        data = np.loadtxt(buf, delimiter=",", dtype=np.int64, ndmin=2)
        if data.size == 0:
            data = np.zeros((0, 3), dtype=np.int64)
        return cls(data[:, 0], data[:, 1] - 1, data[:, 2] - 1, n_positions)


# ----------------------------------------------------------------------------------------
# Simplex identification
# ----------------------------------------------------------------------------------------


class _SimplexIndex:
    """Canonical ids of distinct simplices, one table per dimension.

    Ids follow the combinatorial-number-system key (colexicographic order) when
    ``C(n_vertices, max_dim + 1)`` fits in int64, else lexicographic order.
    """

    def __init__(self, n_vertices, max_dim):
        self.n_vertices = int(max(n_vertices, 1))
        self.max_dim = max_dim
        self.use_keys = math.comb(self.n_vertices, max_dim + 1) < 2**62 and (
            self.n_vertices <= 50_000_000
        )
        if self.use_keys:
            self.table = _kern.binomial_table(self.n_vertices, max_dim + 1)

    def distinct(self, rows, d):
        """Canonical order of the rows of ``rows`` (shape (n, d + 1)), which must be
        distinct: the rows in canonical order, their keys (None without keys), the
        canonical id of every input row, and the number of rows listed twice.

        The rows are identified by the same hashed pass as the layers of an
        intersection zigzag (one layer holding every row)."""
        n = rows.shape[0]
        if self.use_keys:
            sizes = np.array([n], dtype=np.int64)
            ukey, ufirst, prov, _, _, n_dup = _kern.layer_instances(rows, self.table, sizes, 1)
            if n_dup:
                return None, None, None, n_dup
            # distinct rows: provisional id i is row i
            order = np.argsort(ukey)
            ids = np.empty(n, dtype=np.int64)
            ids[order] = np.arange(n, dtype=np.int64)
            return rows[order], ukey[order], ids, 0
        urows, inverse = np.unique(rows, axis=0, return_inverse=True)
        return urows, None, inverse.reshape(-1).astype(np.int64), n - urows.shape[0]

    def layer_instances(self, rows_list, d, n_positions):
        """Distinct rows of ``rows_list`` (one array of shape (n_l, d + 1) per layer
        ``l`` of an intersection zigzag) in canonical order, their keys (None
        without keys), the instances ``(sid, tin, tdel)`` sorted by ``(sid, tin)``,
        and the number of rows listed twice in one layer."""
        sizes = np.array([r.shape[0] for r in rows_list], dtype=np.int64)
        allrows = np.concatenate(rows_list)
        if self.use_keys:
            ukey, ufirst, prov, tin, tdel, n_dup = _kern.layer_instances(
                allrows, self.table, sizes, n_positions
            )
            order = np.argsort(ukey)
            first, sid, tin, tdel = _kern.canonical_instances(order, ufirst, prov, tin, tdel)
            return allrows[first], ukey[order], (sid, tin, tdel), n_dup
        layer = np.repeat(np.arange(len(rows_list), dtype=np.int64), sizes)
        urows, inverse = np.unique(allrows, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1).astype(np.int64)
        order = np.lexsort((layer, inverse))
        sid, tin, tdel, n_dup = _kern.layer_runs(inverse[order], layer[order], n_positions)
        return urows, None, (sid, tin, tdel), n_dup

    def faces(self, urows, face_urows, face_ukeys):
        """Ids of the codimension-1 faces of each row (-1 when missing)."""
        if self.use_keys:
            faces, _ = _kern.face_ids_by_key(urows, self.table, face_ukeys)
        else:
            faces, _ = _kern.face_ids_by_rows(urows, face_urows)
        return faces


def _check_rows(rows, d, where):
    """Validate a (n, d + 1) array of simplices; returns a C-contiguous int64 copy."""
    arr = np.asarray(rows)
    if arr.size == 0:
        return np.zeros((0, d + 1), dtype=np.int64)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ValueError(f"{where}: vertex ids must be integers, got dtype {arr.dtype}.")
    if arr.ndim != 2 or arr.shape[1] != d + 1:
        raise ValueError(
            f"{where}: dimension {d} needs an array of shape (n, {d + 1}), got {arr.shape}."
        )
    arr = np.ascontiguousarray(arr, dtype=np.int64)
    negative, not_increasing = _kern.check_rows(arr)
    if negative:
        raise ValueError(f"{where}: vertex ids must be non-negative.")
    if not_increasing:
        raise ValueError(
            f"{where}: the vertex ids of every simplex must be strictly increasing."
        )
    return arr


# ----------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------


def _check_homology_dims(homology_dims, top):
    if homology_dims is None:
        return np.arange(top + 1, dtype=np.int64)
    if isinstance(homology_dims, Integral):
        homology_dims = [homology_dims]
    dims = np.unique(np.asarray(list(homology_dims), dtype=np.int64))
    if dims.size == 0 or dims.min() < 0:
        raise ValueError(
            f"homology_dims must be non-negative ints (at least one), got {homology_dims!r}."
        )
    return dims


def _check_max_dim(max_dim):
    if max_dim is None:
        return None
    if not isinstance(max_dim, Integral) or isinstance(max_dim, bool) or max_dim < 0:
        raise ValueError(f"max_dim must be a non-negative int or None, got {max_dim!r}.")
    return int(max_dim)


def _reduce_pairs(col_ptr, col_idx, edim, q_min, q_max, n_up):
    """Persistence pairs (creator cells, killer cells) of the coned filtration.

    Boundary-matrix reduction with clearing (twist) of the columns of
    E-dimensions ``q_max`` down to ``q_min``, each in filtration order; coned
    edges start from a short cycle when one exists.  (The test suite swaps in a
    persistent-cohomology reduction here as a cross-check: same pairs.)
    """
    group_dims = np.arange(q_max, q_min - 1, -1)
    col_order, dim_ptr = _kern.column_order(edim, q_min, q_max)
    edge_group = np.flatnonzero(group_dims == 2)
    edge_group = int(edge_group[0]) if edge_group.size else -1
    return _kern.reduce_twist(col_ptr, col_idx, col_order, dim_ptr, n_up, edge_group)


def _instances_barcode(index, urows, ukeys, inst, n_positions, homology_dims):
    """Barcode of a zigzag given as instances of distinct simplices.

    ``urows[d]`` / ``ukeys[d]``: the distinct ``d``-simplices in canonical order;
    ``inst[d] = (sid, tin, tdel)`` sorted by ``(sid, tin)``, with intervals of one
    simplex disjoint; ``tdel == n_positions`` means never deleted.
    """
    top = len(urows) - 1
    hdims = homology_dims
    q_min = int(hdims.min()) + 1
    q_max = min(top + 1, int(hdims.max()) + 2)
    n_inst = np.array([inst[d][0].shape[0] for d in range(top + 1)], dtype=np.int64)
    n = int(n_inst.sum())
    if n == 0 or q_min > q_max:
        return Barcode([], [], [], n_positions)
    inst_offset = np.concatenate([[0], np.cumsum(n_inst)])

    # faces of every instance, as global instance ids
    faces_parts = []
    for d in range(1, top + 1):
        sid, tin, tdel = inst[d]
        if sid.shape[0] == 0:
            faces_parts.append(np.zeros(0, dtype=np.int64))
            continue
        face_sid = index.faces(urows[d], urows[d - 1], ukeys[d - 1])
        fsid = inst[d - 1][0]
        fptr = np.searchsorted(fsid, np.arange(urows[d - 1].shape[0] + 1))
        faces, n_bad = _kern.face_instances(
            face_sid, sid, tin, tdel, fptr, inst[d - 1][1], inst[d - 1][2]
        )
        if n_bad:
            raise ValueError(
                f"Not a zigzag of simplicial complexes: {n_bad} face(s) of {d}-simplices "
                "are missing while the simplex is present."
            )
        faces_parts.append((faces + inst_offset[d - 1]).reshape(-1))
    faces_flat = (
        np.concatenate(faces_parts) if faces_parts else np.zeros(0, dtype=np.int64)
    )
    dims = np.repeat(np.arange(top + 1, dtype=np.int64), n_inst)
    counts = np.where(dims > 0, dims + 1, 0)
    faces_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    tin = np.concatenate([inst[d][1] for d in range(top + 1)])
    tdel = np.concatenate([inst[d][2] for d in range(top + 1)])

    # up cells: insertion order (time, then dimension ascending, then instance id);
    # cone cells: reverse deletion order (deletions: time, then dimension descending)
    if (n_positions + 1) * (top + 1) <= 4 * n + 1024:
        up_order, cone_order = _kern.cell_orders(dims, tin, tdel, n_positions, top)
    else:  # sparse times (general zigzags): comparison sorts
        gid = np.arange(n, dtype=np.int64)
        up_order = np.lexsort((gid, dims, tin))
        cone_order = np.lexsort((gid, -dims, tdel))[::-1].copy()
    up_pos, cone_pos, edim = _kern.cell_positions(dims, up_order, cone_order)
    col_ptr, col_idx = _kern.assemble_columns(
        dims, inst_offset, up_pos, cone_pos, up_order, cone_order, faces_flat, faces_ptr
    )
    pair_row, pair_col = _reduce_pairs(col_ptr, col_idx, edim, q_min, q_max, n)

    # map every pair back to a bar of the zigzag
    report = np.zeros(q_max + 2, dtype=np.bool_)
    report[hdims[hdims <= q_max + 1]] = True
    bar_dim, birth, death = _kern.pairs_to_bars(
        pair_row, pair_col, up_order, cone_order, tin, tdel, dims, report
    )
    return Barcode(bar_dim, birth, death, n_positions)


def zigzag_barcode_of_complexes(complexes, max_dim=None, homology_dims=None):
    """Zigzag barcode of the intersections of consecutive simplicial complexes.

    Computes the persistence over Z/2 of
    ``K_0 ⊇ K_0 ∩ K_1 ⊆ K_1 ⊇ K_1 ∩ K_2 ⊆ ... ⊆ K_{L-1}``: position ``2 l`` is
    complex ``l`` and position ``2 l + 1`` the intersection of complexes ``l`` and
    ``l + 1`` (``2 L - 1`` positions).  The algorithm is FastZigzag [1]_: one
    ordinary boundary-matrix reduction of a coned filtration.

    Parameters
    ----------
    complexes : list of list of ndarray
        ``L`` simplicial complexes on common vertex ids, each as ``simplices_by_dim``:
        element ``d`` an int array of shape ``(n_d, d + 1)``, vertex ids increasing
        in each row, rows unique (the order of rows is free).  Complexes may have
        different lengths (missing dimensions are empty).  Every face of every
        simplex must be present.
    max_dim : int, default=None
        Use simplices up to this dimension only (None: all given).  Homology of
        degree ``p`` is exact when ``max_dim >= p + 1``; bars of degree ``max_dim``
        are artefacts of the truncation (as in the reference barcodes).
    homology_dims : int or sequence of int, default=None
        Degrees to report (None: ``0 .. max_dim``).  Simplices above
        ``max(homology_dims) + 1`` are dropped, which does not change the result.

    Returns
    -------
    Barcode
        Bars ``[birth, death)`` in positions; ``n_positions = 2 L - 1``.

    See Also
    --------
    zigzag_barcode : General insert/delete sequences.

    References
    ----------
    .. [1] T. K. Dey and T. Hou, "Fast computation of zigzag persistence", ESA 2022,
       LIPIcs 244, 43:1-43:15 (arXiv:2204.11080).
    .. [2] G. Carlsson and V. de Silva, "Zigzag persistence", Found. Comput. Math.
       10 (2010) 367-405.

    Examples
    --------
    A square (a 1-cycle) present in the middle layer of three only:

    >>> import numpy as np
    >>> from sklearn_geom.topology import zigzag_barcode_of_complexes
    >>> V = np.arange(4).reshape(-1, 1)
    >>> square = [V, np.array([[0, 1], [0, 3], [1, 2], [2, 3]])]
    >>> path = [V, np.array([[0, 1], [1, 2], [2, 3]])]
    >>> bc = zigzag_barcode_of_complexes([path, square, path])
    >>> bc.in_dimension(1).to_array()   # dimension, birth, death (exclusive)
    array([[1, 2, 3]])
    >>> [int(bc.betti_at(p, 1)) for p in range(5)]
    [0, 0, 1, 0, 0]
    """
    if isinstance(complexes, (np.ndarray, str)) or not hasattr(complexes, "__len__"):
        raise TypeError("complexes must be a list of simplices_by_dim lists.")
    max_dim = _check_max_dim(max_dim)
    L = len(complexes)
    if L == 0:
        raise ValueError("Need at least one complex.")
    cx = []
    for i, c in enumerate(complexes):
        if isinstance(c, np.ndarray) and c.ndim == 2:
            c = [c]
        if isinstance(c, (str, np.ndarray)) or not hasattr(c, "__len__"):
            raise TypeError(f"complexes[{i}] must be a list of arrays (simplices_by_dim).")
        cx.append(list(c))
    top = max(len(c) for c in cx) - 1
    if max_dim is not None:
        top = min(top, max_dim)
    hdims = _check_homology_dims(homology_dims, max(top, 0))
    top = min(top, int(hdims.max()) + 1)
    rows = [
        [
            _check_rows(c[d], d, f"complexes[{i}][{d}]")
            if d < len(c)
            else np.zeros((0, d + 1), dtype=np.int64)
            for d in range(top + 1)
        ]
        for i, c in enumerate(cx)
    ]
    # drop trailing empty dimensions
    while top > 0 and all(r[top].shape[0] == 0 for r in rows):
        top -= 1
    if top < 0:
        return Barcode([], [], [], 2 * L - 1)
    n_vertices = 1 + max((int(r[d].max()) for r in rows for d in range(top + 1) if r[d].size),
                         default=0)
    index = _SimplexIndex(n_vertices, top)
    P = 2 * L - 1
    urows, ukeys, inst = [], [], []
    for d in range(top + 1):
        ur, uk, instances, n_dup = index.layer_instances([r[d] for r in rows], d, P)
        if n_dup:
            raise ValueError(f"A complex lists some {d}-simplex twice.")
        urows.append(ur)
        ukeys.append(uk)
        inst.append(instances)
    return _instances_barcode(index, urows, ukeys, inst, P, hdims)


def zigzag_barcode(simplices, times, n_positions=None, max_dim=None, homology_dims=None):
    """Zigzag barcode of simplices inserted and deleted at given positions.

    Each simplex comes with the positions where it enters and leaves, as in
    dionysus' ``zigzag_homology_persistence``: ``times[i] = [t0, t1, t2, ...]``
    means simplex ``i`` is present at positions ``t0 .. t1 - 1``, ``t2 .. t3 - 1``,
    ...; an odd-length list keeps it to the end.  Between positions ``t - 1`` and
    ``t`` the simplices leaving at ``t`` are deleted (highest dimension first),
    then those entering at ``t`` are inserted (lowest dimension first).  The complex
    at every position must be a simplicial complex.

    Parameters
    ----------
    simplices : sequence of sequence of int
        Distinct simplices as vertex ids (order inside a simplex is free).
    times : sequence of sequence of int
        One list per simplex of non-decreasing non-negative positions, alternating
        entry and exit: ``t0 < t1 <= t2 < t3 <= ...`` (a simplex may leave and
        re-enter at the same step).
    n_positions : int, default=None
        Number of positions.  None: ``max(largest entry + 1, largest exit)``.  An
        exit at ``n_positions`` is the same as staying to the end.
    max_dim : int, default=None
        Ignore simplices above this dimension (None: keep all).  Homology of degree
        ``p`` is exact when ``max_dim >= p + 1``.
    homology_dims : int or sequence of int, default=None
        Degrees to report (None: all up to the largest simplex dimension).

    Returns
    -------
    Barcode
        Bars ``[birth, death)`` in positions.

    See Also
    --------
    zigzag_barcode_of_complexes : The intersection zigzag of a list of complexes.

    References
    ----------
    .. [1] T. K. Dey and T. Hou, "Fast computation of zigzag persistence", ESA 2022,
       LIPIcs 244, 43:1-43:15 (arXiv:2204.11080).

    Examples
    --------
    A triangle's boundary closes at position 1 and is filled at position 2; its
    edge ``(0, 2)`` leaves again at position 3 (of 4):

    >>> from sklearn_geom.topology import zigzag_barcode
    >>> simplices = [(0,), (1,), (2,), (0, 1), (1, 2), (0, 2), (0, 1, 2)]
    >>> times = [[0], [0], [0], [0], [0], [1, 3], [2, 3]]
    >>> bc = zigzag_barcode(simplices, times, n_positions=4)
    >>> bc.to_array()
    array([[0, 0, 4],
           [1, 1, 2]])
    >>> bc.n_positions
    4
    """
    max_dim = _check_max_dim(max_dim)
    simplices = list(simplices)
    times = list(times)
    if len(simplices) != len(times):
        raise ValueError(
            f"simplices and times must have the same length, got {len(simplices)} and "
            f"{len(times)}."
        )
    by_dim_rows, by_dim_times = {}, {}
    max_t = -1
    for i, (s, t) in enumerate(zip(simplices, times)):
        v = np.asarray(s).reshape(-1)
        if v.size == 0:
            raise ValueError(f"simplices[{i}] is empty.")
        if v.dtype.kind not in "iu":
            if v.dtype.kind == "f" and np.all(v == np.round(v)):
                v = v.astype(np.int64)
            else:
                raise ValueError(f"simplices[{i}]: vertex ids must be integers.")
        v = np.sort(v.astype(np.int64))
        if v[0] < 0 or (v.size > 1 and np.any(v[1:] == v[:-1])):
            raise ValueError(f"simplices[{i}]: vertex ids must be distinct and >= 0.")
        tt = np.asarray(t).reshape(-1)
        if tt.size == 0:
            continue
        if tt.dtype.kind not in "iu" and not (
            tt.dtype.kind == "f" and np.all(np.isfinite(tt)) and np.all(tt == np.round(tt))
        ):
            raise ValueError(f"times[{i}] must be integer positions, got {list(t)!r}.")
        tt = tt.astype(np.int64)
        if (
            tt[0] < 0
            or np.any(tt[1::2] <= tt[0:-1:2][: tt[1::2].size])
            or np.any(tt[2::2] < tt[1:-1:2][: tt[2::2].size])
        ):
            raise ValueError(
                f"times[{i}] must be non-negative with entries < exits <= next entries, "
                f"got {tt.tolist()!r}."
            )
        d = v.size - 1
        if max_dim is not None and d > max_dim:
            continue
        by_dim_rows.setdefault(d, []).append(v)
        by_dim_times.setdefault(d, []).append(tt)
        max_t = max(max_t, int(tt[::2].max()) + 1, int(tt[1::2].max()) if tt.size > 1 else 0)
    if n_positions is None:
        n_positions = max(max_t, 0)
    elif not isinstance(n_positions, Integral) or n_positions < 0:
        raise ValueError(f"n_positions must be a non-negative int, got {n_positions!r}.")
    elif n_positions < max_t:
        raise ValueError(f"times go beyond n_positions={n_positions}.")
    if not by_dim_rows:
        return Barcode([], [], [], n_positions)
    top = max(by_dim_rows)
    hdims = _check_homology_dims(homology_dims, top)
    top = min(top, int(hdims.max()) + 1)
    rows = []
    for d in range(top + 1):
        r = by_dim_rows.get(d, [])
        rows.append(np.array(r, dtype=np.int64).reshape(-1, d + 1))
    n_vertices = 1 + max((int(r.max()) for r in rows if r.size), default=0)
    index = _SimplexIndex(n_vertices, top)
    urows, ukeys, inst = [], [], []
    for d in range(top + 1):
        ur, uk, ids, n_dup = index.distinct(rows[d], d)
        if n_dup:
            raise ValueError(f"Some {d}-simplex is listed twice in simplices.")
        urows.append(ur)
        ukeys.append(uk)
        tl = by_dim_times.get(d, [])
        nper = np.array([(t.size + 1) // 2 for t in tl], dtype=np.int64)
        sid = np.repeat(ids, nper)
        tin = np.concatenate([t[0::2] for t in tl]) if tl else np.zeros(0, np.int64)
        tdel = (
            np.concatenate(
                [np.append(t[1::2], n_positions) if t.size % 2 else t[1::2] for t in tl]
            )
            if tl
            else np.zeros(0, np.int64)
        )
        order = np.lexsort((tin, sid))
        inst.append(
            (sid[order].astype(np.int64), tin[order].astype(np.int64),
             np.minimum(tdel[order], n_positions).astype(np.int64))
        )
    return _instances_barcode(index, urows, ukeys, inst, n_positions, hdims)
