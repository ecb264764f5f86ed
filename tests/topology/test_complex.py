"""Flag complexes of symmetrised kNN graphs.

Independent references: a brute-force clique enumeration written here with
``itertools.combinations`` over all vertex subsets, and the kNN lists of
scikit-learn's ``NearestNeighbors`` (for the symmetrisation).
"""

import itertools

import numpy as np
import pytest
from scipy import sparse
from sklearn.neighbors import KNeighborsTransformer, NearestNeighbors

from sklearn_geom.neighbors import compute_knn
from sklearn_geom.topology import (
    flag_complex,
    intersect_complexes,
    knn_flag_complex,
    symmetric_knn_adjacency,
)


def _brute_cliques(edges, n, max_dim):
    """Every vertex subset of size <= max_dim + 1 whose pairs are all edges."""
    E = {(min(a, b), max(a, b)) for a, b in edges if a != b}
    out = []
    for d in range(max_dim + 1):
        rows = [
            c
            for c in itertools.combinations(range(n), d + 1)
            if all(p in E for p in itertools.combinations(c, 2))
        ]
        out.append(np.array(rows, dtype=np.int64).reshape(-1, d + 1))
    return out


def _assert_same(cx, ref):
    assert len(cx) == len(ref)
    for d, (a, b) in enumerate(zip(cx, ref)):
        assert a.dtype == np.int64 and a.shape == b.shape, (d, a.shape, b.shape)
        np.testing.assert_array_equal(a, b)  # itertools yields lexicographic order too


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_dim", [0, 1, 2, 4])
def test_flag_complex_matches_brute_force(seed, max_dim):
    rng = np.random.default_rng(seed)
    n = 11
    p = [0.2, 0.45, 0.7][seed % 3]
    edges = [(a, b) for a, b in itertools.combinations(range(n), 2) if rng.random() < p]
    # directed, duplicated, self-loop entries: the structure is symmetrised
    edges = edges + [(b, a) for a, b in edges[::2]] + [(3, 3)]
    e = np.array(edges).reshape(-1, 2)
    A = sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _assert_same(flag_complex(A, max_dim), _brute_cliques(edges, n, max_dim))
    _assert_same(flag_complex(A.tocsr(), max_dim, n_jobs=2), _brute_cliques(edges, n, max_dim))


def test_complete_graph_counts_are_binomials():
    from math import comb

    n = 9
    A = sparse.csr_matrix(np.ones((n, n)))
    cx = flag_complex(A, 5)
    assert [len(s) for s in cx] == [comb(n, d + 1) for d in range(6)]


def test_empty_and_edgeless_graphs():
    cx = flag_complex(sparse.csr_matrix((0, 0)), 2)
    assert [s.shape for s in cx] == [(0, 1), (0, 2), (0, 3)]
    cx = flag_complex(sparse.csr_matrix((4, 4)), 2)
    np.testing.assert_array_equal(cx[0].ravel(), np.arange(4))
    assert cx[1].shape == (0, 2) and cx[2].shape == (0, 3)
    with pytest.raises(ValueError, match="max_dim"):
        flag_complex(sparse.csr_matrix((4, 4)), -1)
    with pytest.raises(ValueError, match="square"):
        flag_complex(sparse.csr_matrix((4, 3)), 1)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_knn_complex_symmetrises_with_or(k):
    """Edge i-j iff j in kNN_k(i) OR i in kNN_k(j), reference kNN from scikit-learn."""
    rng = np.random.default_rng(k)
    X = rng.normal(size=(14, 3))
    ind = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)[1][:, 1:]
    edges = [(i, int(j)) for i in range(len(X)) for j in ind[i]]
    ref = _brute_cliques(edges, len(X), 3)
    _assert_same(knn_flag_complex(X, k, 3), ref)
    A = symmetric_knn_adjacency(X, k)
    assert (A != A.T).nnz == 0 and A.diagonal().sum() == 0
    assert A.nnz == 2 * len(ref[1])
    # an asymmetric kNN relation really happens in this data (the OR matters)
    directed = {(i, int(j)) for i in range(len(X)) for j in ind[i]}
    assert any((j, i) not in directed for i, j in directed)


def test_precomputed_graph_forms_agree():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 4))
    ref = knn_flag_complex(X, 4, 2)
    G = KNeighborsTransformer(n_neighbors=6, mode="distance").fit_transform(X)
    _assert_same(knn_flag_complex(G, 4, 2, metric="precomputed"), ref)  # truncated to 4
    g = compute_knn(X, 4)
    _assert_same(knn_flag_complex(g, 4, 2, metric="precomputed"), ref)
    _assert_same(knn_flag_complex((g.distances, g.indices), 4, 2, metric="precomputed"), ref)
    with pytest.raises(ValueError, match="neighbours"):
        knn_flag_complex(g, 5, 2, metric="precomputed")


def test_knn_complex_bad_input():
    X = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match="n_samples"):
        knn_flag_complex(X, 5)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        knn_flag_complex(X, 2)


def test_relabelling_permutes_the_complex():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 5))
    perm = rng.permutation(60)
    a = knn_flag_complex(X, 5, 3)
    b = knn_flag_complex(X[perm], 5, 3)
    for d in range(4):
        relabelled = np.sort(perm[b[d]], axis=1)
        relabelled = relabelled[np.lexsort(relabelled.T[::-1])]
        np.testing.assert_array_equal(relabelled, a[d])


def test_intersection_matches_set_intersection():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(80, 3))
    Y = X + 0.3 * rng.normal(size=X.shape)
    a, b = knn_flag_complex(X, 5, 3), knn_flag_complex(Y, 5, 3)
    got = intersect_complexes(a, b)
    for d in range(4):
        ref = sorted(set(map(tuple, a[d])) & set(map(tuple, b[d])))
        np.testing.assert_array_equal(got[d], np.array(ref, dtype=np.int64).reshape(-1, d + 1))
    # flag complexes: the intersection is the flag complex of the common edges
    A = symmetric_knn_adjacency(X, 5).multiply(symmetric_knn_adjacency(Y, 5))
    _assert_same(got, flag_complex(A, 3))


def test_return_graph_gives_the_knn_graph_of_the_complex():
    """Reference: sklearn's NearestNeighbors (distinct distances, so no ties)."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(40, 3))
    cx, graph = knn_flag_complex(X, n_neighbors=4, max_dim=2, return_graph=True)
    _, ind = NearestNeighbors(n_neighbors=5).fit(X).kneighbors(X)
    np.testing.assert_array_equal(graph.indices, ind[:, 1:])
    assert graph.n_duplicates == 0
    plain = knn_flag_complex(X, n_neighbors=4, max_dim=2)
    for a, b in zip(cx, plain):
        np.testing.assert_array_equal(a, b)
    X[1] = X[0]
    _, graph = knn_flag_complex(X, n_neighbors=4, max_dim=2, return_graph=True)
    assert graph.n_duplicates == 2  # both copies are marked
