"""Flag (clique) complexes of symmetrised k-nearest-neighbour graphs.

A simplicial complex is represented as a list ``simplices_by_dim`` whose element
``d`` is an int64 array of shape ``(n_d, d + 1)``: the ``d``-simplices as sorted
vertex ids, rows unique and in lexicographic order.  This is the format the zigzag
engine (:func:`sklearn_geom.topology.zigzag_barcode_of_complexes`) takes.

Everything is sparse: the graph is a CSR matrix, cliques are enumerated in Numba
by extending each simplex with the common higher neighbours of its vertices; no
dense ``N x N`` array is ever formed.
"""

import numbers

import numpy as np
from scipy import sparse

from ..neighbors import as_knn_graph, compute_knn
from ..utils._numba import numba_threads
from ..utils._validation import check_n_neighbors
from . import _complex_numba as _kern

__all__ = [
    "flag_complex",
    "intersect_complexes",
    "knn_flag_complex",
    "symmetric_knn_adjacency",
]


def _check_max_dim(max_dim):
    if (
        isinstance(max_dim, bool)
        or not isinstance(max_dim, numbers.Integral)
        or max_dim < 0
    ):
        raise ValueError(f"max_dim must be a non-negative integer, got {max_dim!r}.")
    return int(max_dim)


def _upper_from_pairs(rows, cols, n):
    """Upper-triangular CSR (structure only) of the undirected edges {rows_i, cols_i}."""
    keep = (rows != cols) & (rows >= 0) & (cols >= 0)
    rows, cols = rows[keep], cols[keep]
    lo = np.minimum(rows, cols)
    hi = np.maximum(rows, cols)
    upper = sparse.csr_matrix(
        (np.ones(lo.size, dtype=np.int8), (lo, hi)), shape=(n, n), dtype=np.int8
    )
    upper.sum_duplicates()
    upper.sort_indices()
    upper.data[:] = 1
    return upper


def _knn_graph(X, n_neighbors, metric, algorithm, n_jobs):
    """The kNN graph of ``X`` from the package's engine (or read as precomputed)."""
    if metric == "precomputed":
        graph = as_knn_graph(X, n_neighbors)
        check_n_neighbors(n_neighbors, graph.n_samples_fit)
        return graph
    return compute_knn(X, n_neighbors, metric=metric, algorithm=algorithm, n_jobs=n_jobs)


def _upper_knn(graph):
    n, k = graph.indices.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    return _upper_from_pairs(rows, graph.indices.ravel().astype(np.int64), n)


def symmetric_knn_adjacency(
    X, n_neighbors=5, *, metric="euclidean", algorithm="auto", n_jobs=None
):
    """Adjacency of the symmetrised k-nearest-neighbour graph.

    Points ``i`` and ``j`` are joined when ``j`` is among the ``n_neighbors``
    nearest neighbours of ``i`` *or* ``i`` among those of ``j``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or precomputed graph
        The points, or with ``metric="precomputed"`` a kNN graph in any form
        :func:`sklearn_geom.neighbors.as_knn_graph` reads (sparse distance matrix
        as from ``KNeighborsTransformer(mode="distance")``, ``(distances,
        indices)`` pair, :class:`~sklearn_geom.neighbors.KNNGraph`); it must hold
        at least ``n_neighbors`` neighbours per point and is truncated to them.
    n_neighbors : int, default=5
        Neighbours per point, the point itself excluded.
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of the kNN search.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Search algorithm of :func:`sklearn_geom.neighbors.compute_knn`.
    n_jobs : int, default=None
        Threads (None: every core numba may use, -1: all cores); the result
        does not depend on it.

    Returns
    -------
    adjacency : scipy.sparse.csr_matrix of shape (n_samples, n_samples), int8
        Symmetric 0/1 matrix without diagonal, indices sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.topology import symmetric_knn_adjacency
    >>> X = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> symmetric_knn_adjacency(X, n_neighbors=1).toarray()
    array([[0, 1, 0, 0],
           [1, 0, 1, 0],
           [0, 1, 0, 1],
           [0, 0, 1, 0]], dtype=int8)
    """
    graph = _knn_graph(X, n_neighbors, metric, algorithm, n_jobs)
    upper = _upper_knn(graph)
    return (upper + upper.T).tocsr()


def _upper_adjacency(adjacency):
    if not sparse.issparse(adjacency):
        adjacency = sparse.csr_matrix(np.asarray(adjacency))
    adjacency = sparse.coo_matrix(adjacency)
    n, m = adjacency.shape
    if n != m:
        raise ValueError(f"The adjacency matrix must be square, got shape {adjacency.shape}.")
    return _upper_from_pairs(adjacency.row.astype(np.int64), adjacency.col.astype(np.int64), n)


def _cliques(upper, max_dim, n_jobs):
    with numba_threads(n_jobs, blas=False):
        return _kern.flag_cliques(upper.indptr, upper.indices, max_dim)


def flag_complex(adjacency, max_dim=2, *, n_jobs=None):
    """Flag (clique) complex of an undirected graph, up to dimension ``max_dim``.

    Parameters
    ----------
    adjacency : sparse matrix of shape (n_vertices, n_vertices)
        The graph.  Every stored entry (explicit zeros included, as in a sparse
        kNN distance matrix where they mark duplicate points) is an edge; the
        structure is symmetrised and the diagonal ignored.  Dense arrays are
        accepted (non-zero entries are edges) but only sparse input stays
        ``O(edges)`` in memory.
    max_dim : int, default=2
        Largest simplex dimension (a ``d``-simplex has ``d + 1`` vertices).  To get
        homology of degree ``p`` exactly, use ``max_dim >= p + 1``.
    n_jobs : int, default=None
        Threads for the Numba enumeration (None: every core numba may use, -1:
        all cores); the result does not depend on it.

    Returns
    -------
    simplices_by_dim : list of ndarray
        Element ``d`` is an int64 array of shape ``(n_d, d + 1)``: the
        ``d``-cliques, vertex ids sorted in each row, rows unique and in
        lexicographic order.  Element 0 is every vertex, isolated ones included.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from sklearn_geom.topology import flag_complex
    >>> edges = np.array([[0, 1], [1, 2], [0, 2], [2, 3]])
    >>> A = sparse.coo_matrix((np.ones(4), (edges[:, 0], edges[:, 1])), shape=(4, 4))
    >>> cx = flag_complex(A, max_dim=2)
    >>> [len(s) for s in cx]
    [4, 4, 1]
    >>> cx[2]
    array([[0, 1, 2]])
    """
    max_dim = _check_max_dim(max_dim)
    return _cliques(_upper_adjacency(adjacency), max_dim, n_jobs)


def knn_flag_complex(
    X,
    n_neighbors=5,
    max_dim=2,
    *,
    metric="euclidean",
    algorithm="auto",
    n_jobs=None,
    return_graph=False,
):
    """Flag complex of the symmetrised k-nearest-neighbour graph of a point cloud.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or precomputed graph
        The points, or with ``metric="precomputed"`` a kNN graph (see
        :func:`symmetric_knn_adjacency`).
    n_neighbors : int, default=5
        Neighbours per point (the paper of Gardinazzi et al. uses 5).
    max_dim : int, default=2
        Largest simplex dimension (``p + 1`` for exact homology of degree ``p``).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of the kNN search.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Search algorithm of :func:`sklearn_geom.neighbors.compute_knn`.
    n_jobs : int, default=None
        Threads (None: every core numba may use, -1: all cores); the result
        does not depend on it.
    return_graph : bool, default=False
        Also return the kNN graph the complex was built from (for instance to
        count duplicate points: ``graph.n_duplicates``).

    Returns
    -------
    simplices_by_dim : list of ndarray
        See :func:`flag_complex`.
    graph : KNNGraph
        The :class:`~sklearn_geom.neighbors.KNNGraph` of ``X`` with
        ``n_neighbors`` neighbours per point (only with ``return_graph=True``).

    References
    ----------
    .. [1] Gardinazzi, Viswanathan, Panerai, Ansuini, Cazzaniga, Biagetti,
       "Persistent topological features in large language models", ICML 2025
       (arXiv:2410.11042).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.topology import knn_flag_complex
    >>> t = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    >>> circle = np.c_[np.cos(t), np.sin(t)]
    >>> cx = knn_flag_complex(circle, n_neighbors=2, max_dim=2)
    >>> [len(s) for s in cx]  # a 12-cycle: no triangles
    [12, 12, 0]
    """
    max_dim = _check_max_dim(max_dim)
    graph = _knn_graph(X, n_neighbors, metric, algorithm, n_jobs)
    simplices_by_dim = _cliques(_upper_knn(graph), max_dim, n_jobs)
    return (simplices_by_dim, graph) if return_graph else simplices_by_dim


def intersect_complexes(a, b):
    """Simplices common to two complexes in the ``simplices_by_dim`` format.

    Parameters
    ----------
    a, b : list of ndarray
        Complexes on the same vertex ids (element ``d``: ``(n_d, d + 1)`` sorted,
        unique, lexicographically ordered rows).  The shorter list bounds the
        dimension of the result.

    Returns
    -------
    list of ndarray
        The intersection, in the same format.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.topology import intersect_complexes
    >>> a = [np.array([[0], [1], [2]]), np.array([[0, 1], [1, 2]])]
    >>> b = [np.array([[0], [1], [2]]), np.array([[0, 1], [0, 2]])]
    >>> intersect_complexes(a, b)[1]
    array([[0, 1]])
    """
    out = []
    for d in range(min(len(a), len(b))):
        A = np.ascontiguousarray(a[d], dtype=np.int64).reshape(-1, d + 1)
        B = np.ascontiguousarray(b[d], dtype=np.int64).reshape(-1, d + 1)
        out.append(A[_kern.rows_in(A, B)])
    return out
