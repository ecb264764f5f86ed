"""Exact kNN engine, checked against scikit-learn's NearestNeighbors (brute force reference)."""


import numpy as np
import pytest
from scipy import sparse
from sklearn.neighbors import KNeighborsTransformer, NearestNeighbors

from sklearn_geom.neighbors import KNNGraph, KNNTransformer, as_knn_graph, compute_knn


def _reference(X, k, Q=None):
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X)
    return nn.kneighbors(Q, n_neighbors=k)


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree", "auto"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n_features", [1, 3, 40])
def test_matches_sklearn(algorithm, dtype, n_features):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, n_features)).astype(dtype)
    g = compute_knn(X, 7, algorithm=algorithm)
    d_ref, i_ref = _reference(X.astype(np.float64), 7)
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-6, atol=1e-9)
    assert np.mean(g.indices == i_ref) > 0.999  # ties may be ordered differently
    assert g.distances.dtype == np.float64 and g.indices.dtype == np.int64
    assert np.all(np.diff(g.distances, axis=1) >= 0)
    assert not np.any(g.indices == np.arange(300)[:, None])


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_queries_of_new_points(algorithm):
    rng = np.random.default_rng(1)
    X, Q = rng.normal(size=(200, 5)), rng.normal(size=(50, 5))
    g = compute_knn(X, 4, query=Q, algorithm=algorithm)
    d_ref, i_ref = _reference(X, 4, Q)
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-10)
    np.testing.assert_array_equal(g.indices, i_ref)
    assert not g.self_graph


def test_small_working_memory_same_result():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(500, 30))
    a = compute_knn(X, 5, algorithm="brute", working_memory=1)
    b = compute_knn(X, 5, algorithm="brute")
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.distances, b.distances)


def test_n_jobs_does_not_change_result():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, 50)).astype(np.float32)
    a = compute_knn(X, 10, algorithm="brute", n_jobs=1)
    b = compute_knn(X, 10, algorithm="brute", n_jobs=-1)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.distances, b.distances)


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_duplicates_are_neighbours_at_zero_self_excluded(algorithm):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 3))
    X = np.vstack([X, X[:5], X[:5]])  # points 0..4 appear three times
    g = compute_knn(X, 3, algorithm=algorithm)
    assert g.n_duplicates == 15
    for i in range(5):
        copies = {i, 50 + i, 55 + i}
        assert set(g.indices[i, :2]) == copies - {i}
        assert np.all(g.distances[i, :2] == 0.0)
    assert not np.any(g.indices == np.arange(len(X))[:, None])


def test_float32_near_duplicates_detected_on_distances():
    rng = np.random.default_rng(5)
    X = (rng.normal(size=(100, 20)) * 100).astype(np.float32)
    Y = X[:10].copy()
    Y.view(np.int32)[:, 0] += 1  # differ in the last bit of one coordinate
    Z = np.vstack([X, Y])
    assert np.unique(Z, axis=0).shape[0] == 110  # np.unique sees no duplicate
    g = compute_knn(Z, 2, algorithm="brute")
    assert g.n_duplicates == 20
    assert np.all(np.isfinite(g.distances))


def test_deduplicate_collapses_lists():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(60, 2))
    Xd = np.vstack([X, X[:6]])
    g = compute_knn(Xd, 6)
    dg, kept, complete = g.deduplicate(2)
    np.testing.assert_array_equal(kept, np.arange(60))
    ref = compute_knn(X, 2)
    assert complete.all()
    np.testing.assert_array_equal(dg.indices, ref.indices)
    np.testing.assert_allclose(dg.distances, ref.distances)


def test_all_points_identical():
    g = compute_knn(np.ones((10, 3)), 2)
    assert g.n_duplicates == 10
    dg, kept, complete = g.deduplicate(1)
    assert kept.tolist() == [0] and not complete.any()


def test_cosine_metric():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(100, 8))
    g = compute_knn(X, 3, metric="cosine")
    d_ref, i_ref = NearestNeighbors(n_neighbors=3, metric="cosine").fit(X).kneighbors()
    np.testing.assert_allclose(g.distances, d_ref, atol=1e-12)
    np.testing.assert_array_equal(g.indices, i_ref)
    with pytest.raises(ValueError, match="all-zero"):
        compute_knn(np.vstack([X, np.zeros(8)]), 3, metric="cosine")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_rejected(bad):
    X = np.ones((10, 2))
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        compute_knn(X, 2)


def test_k_too_large():
    with pytest.raises(ValueError, match="n_samples > 5"):
        compute_knn(np.random.default_rng(0).normal(size=(5, 2)), 5)


def test_precomputed_sparse_from_sklearn_transformer():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(80, 4))
    G = KNeighborsTransformer(n_neighbors=5, mode="distance").fit_transform(X)
    g = as_knn_graph(G, 5)
    ref = compute_knn(X, 5)
    np.testing.assert_array_equal(g.indices, ref.indices)
    np.testing.assert_allclose(g.distances, ref.distances, rtol=1e-12)


def test_precomputed_pair_with_and_without_self():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(40, 3))
    nn = NearestNeighbors(n_neighbors=4).fit(X)
    with_self = nn.kneighbors(X)  # self first
    without = nn.kneighbors()
    ref = compute_knn(X, 3)
    for pair in (with_self, without):
        g = as_knn_graph(pair, 3)
        np.testing.assert_array_equal(g.indices, ref.indices)


def test_precomputed_errors():
    with pytest.raises(ValueError, match="neighbours"):
        as_knn_graph(sparse.identity(5, format="csr") + sparse.eye(5, k=1), 3)
    with pytest.raises(TypeError):
        as_knn_graph(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        as_knn_graph((-np.ones((3, 2)), np.zeros((3, 2), dtype=int)))


def test_transformer_matches_sklearn_layout():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(70, 6))
    ours = KNNTransformer(n_neighbors=4).fit_transform(X)
    ref = KNeighborsTransformer(n_neighbors=4).fit_transform(X)
    assert ours.shape == ref.shape and ours.nnz == ref.nnz
    np.testing.assert_allclose(ours.toarray(), ref.toarray(), atol=1e-12)
    conn = KNNTransformer(n_neighbors=4, mode="connectivity").fit_transform(X)
    ref_c = KNeighborsTransformer(n_neighbors=4, mode="connectivity").fit_transform(X)
    np.testing.assert_array_equal(conn.toarray(), ref_c.toarray())


def test_transformer_in_isomap_pipeline():
    from sklearn.manifold import Isomap
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(11)
    X = rng.normal(size=(120, 5))
    emb = make_pipeline(KNNTransformer(n_neighbors=8), Isomap(n_neighbors=8, metric="precomputed"))
    ref = Isomap(n_neighbors=8).fit_transform(X)
    out = emb.fit_transform(X)
    np.testing.assert_allclose(np.abs(out), np.abs(ref), atol=1e-6)


def test_graph_to_sparse_roundtrip():
    rng = np.random.default_rng(12)
    g = compute_knn(rng.normal(size=(30, 2)), 3)
    assert isinstance(g, KNNGraph)
    g2 = as_knn_graph(g.to_sparse(), 3)
    np.testing.assert_array_equal(g2.indices, g.indices)
    g3 = as_knn_graph(g.to_sparse(include_self=True), 3)
    np.testing.assert_array_equal(g3.indices, g.indices)


def _ring(seed):
    """A centre with 20 points at distance 1 +- 1e-9 around it, and 40 far points."""
    rng = np.random.default_rng(seed)
    ang = rng.uniform(0, 2 * np.pi, 20)
    r = 1.0 + rng.normal(scale=1e-9, size=20)
    ring = np.c_[r * np.cos(ang), r * np.sin(ang)]
    far = rng.normal(size=(40, 2)) * 3 + 10
    return np.vstack([[0.0, 0.0], ring, far])


def test_near_ties_below_float32_precision_resolved_exactly():
    """Distances that differ by ~1e-9 (invisible to the engine's float32 candidate pass)
    come out ordered as in float64. Reference: scikit-learn's float64 brute force."""
    X = _ring(13)
    g = compute_knn(X, 3, algorithm="brute")
    d_ref, i_ref = _reference(X, 3)
    np.testing.assert_array_equal(g.indices[0], i_ref[0])
    # sklearn's own GEMM-trick distances carry ~1e-11 relative error at short range
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-9)


def test_candidate_pass_certificate_is_exercised(monkeypatch):
    """Rows whose float32 candidates cannot be certified are searched again in float64."""
    from sklearn_geom.neighbors import _knn

    calls = []
    real = _knn._tiled_select

    def spy(X, Q, k, self_ids, tile, n_threads, *args):
        calls.append((X.dtype, Q.shape[0]))
        return real(X, Q, k, self_ids, tile, n_threads, *args)

    monkeypatch.setattr(_knn, "_tiled_select", spy)
    compute_knn(_ring(14), 3, algorithm="brute")
    assert calls[0][0] == np.float32
    assert len(calls) == 2 and calls[1][0] == np.float64 and 1 <= calls[1][1] < 61


def test_precomputed_query_graph_keeps_every_entry():
    """Neighbours of new queries (self_graph=False): every stored entry counts, shorter
    rows are padded. Reference: sklearn's NearestNeighbors on the same queries."""
    rng = np.random.default_rng(15)
    X, Q = rng.normal(size=(50, 3)), rng.normal(size=(7, 3))
    nn = NearestNeighbors(n_neighbors=4).fit(X)
    G = nn.kneighbors_graph(Q, mode="distance")
    g = as_knn_graph(G, n_samples_fit=50, self_graph=False)
    d_ref, i_ref = nn.kneighbors(Q)
    np.testing.assert_array_equal(g.indices, i_ref)
    np.testing.assert_allclose(g.distances, d_ref)
    gp = as_knn_graph((d_ref, i_ref), n_samples_fit=50, self_graph=False)
    np.testing.assert_array_equal(gp.indices, i_ref)
    G = G.tolil()
    G[0, i_ref[0, -1]] = 0  # keeps an explicit zero: still an entry
    G = G.tocsr()
    G.eliminate_zeros()  # now row 0 has 3 entries
    g = as_knn_graph(G, n_samples_fit=50, self_graph=False)
    assert g.indices[0, -1] == -1 and np.isinf(g.distances[0, -1])
    with pytest.raises(ValueError, match="columns"):
        as_knn_graph(G, n_samples_fit=49, self_graph=False)


@pytest.mark.parametrize("k", [1, 50, 100, 299])
def test_large_k_reservoir_selection_matches_numpy(k):
    """The reservoir selection of the candidate pass at k up to n - 1 (partitions of the
    reservoir happen several times per row).  Reference: full numpy distance matrix."""
    rng = np.random.default_rng(21)
    X = rng.normal(size=(300, 16)).astype(np.float32)
    g = compute_knn(X, k, algorithm="brute", n_jobs=2)
    X64 = X.astype(np.float64)
    D = np.sqrt(((X64[:, None] - X64[None]) ** 2).sum(-1))
    np.fill_diagonal(D, np.inf)
    ref = np.sort(D, axis=1)[:, :k]
    np.testing.assert_allclose(g.distances, ref, rtol=1e-12)


def test_partition_smallest_against_numpy():
    """The quickselect of the reservoir keeps the m smallest values (with their indices),
    also with many equal values.  Reference: np.sort."""
    from sklearn_geom.neighbors import _knn_numba as kern

    rng = np.random.default_rng(22)
    for n, m, levels in [(258, 125, 1000), (258, 125, 3), (40, 1, 5), (40, 40, 2), (17, 9, 100)]:
        vd = rng.integers(0, levels, n).astype(np.float32)
        vi = np.arange(n, dtype=np.int32)
        d, i = vd.copy(), vi.copy()
        kern._partition_smallest(d, i, n, m)
        np.testing.assert_array_equal(np.sort(d[:m]), np.sort(vd)[:m])
        np.testing.assert_array_equal(vd[i], d)  # indices travel with their values
        assert sorted(i.tolist()) == list(range(n))


def test_lattice_ties_distances_exact():
    """Integer lattice: many exact ties at every rank.  Reference: numpy distances."""
    g1 = np.arange(12, dtype=np.float64)
    X = np.stack(np.meshgrid(g1, g1, g1), -1).reshape(-1, 3)
    X = np.hstack([X, np.zeros((X.shape[0], 7))])  # 10-D so "auto" is brute force
    g = compute_knn(X, 30)
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    np.fill_diagonal(D, np.inf)
    np.testing.assert_allclose(g.distances, np.sort(D, axis=1)[:, :30], rtol=1e-12)
    # each listed neighbour is at its listed distance, rows ordered by (distance, index)
    np.testing.assert_allclose(np.take_along_axis(D, g.indices, 1), g.distances, rtol=1e-12)
    assert np.all(np.diff(g.distances, axis=1) >= 0)
    tie = np.diff(g.distances, axis=1) == 0
    assert np.all(np.diff(g.indices, axis=1)[tie] > 0)


def test_wide_data_chunks_same_result():
    """From 256 features the engine uses 1024-row query chunks; the result equals the
    256-row chunking (forced through working_memory) and sklearn's float64 brute force."""
    rng = np.random.default_rng(23)
    X = rng.normal(size=(1500, 300))
    g = compute_knn(X, 10, algorithm="brute")
    g_small = compute_knn(X, 10, algorithm="brute", working_memory=1)
    np.testing.assert_array_equal(g.indices, g_small.indices)
    np.testing.assert_array_equal(g.distances, g_small.distances)
    d_ref, i_ref = _reference(X, 10)
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-10)
    assert np.mean(g.indices == i_ref) > 0.999


def _numpy_knn(X, k):
    """Reference: full float64 numpy distance matrix, rows ordered by (distance, index)."""
    X64 = X.astype(np.float64)
    D = np.sqrt(((X64[:, None] - X64[None]) ** 2).sum(-1))
    np.fill_diagonal(D, np.inf)
    idx = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), D), axis=1)[:, :k]
    return np.take_along_axis(D, idx, 1), idx


@pytest.mark.parametrize("n_features", [3, 20, 100])
def test_sampled_scan_thresholds_exact(monkeypatch, n_features):
    """The candidate scan started from sampled per-row thresholds (used from 8192 points on,
    forced here on 700 points) gives the exact neighbours, and the same result as the scan
    started from +inf.  Reference: full numpy distance matrix (ties by index)."""
    from sklearn_geom.neighbors import _knn

    rng = np.random.default_rng(30)
    X = rng.normal(size=(700, n_features)).astype(np.float32)
    d_ref, i_ref = _numpy_knn(X, 25)
    monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 0)
    monkeypatch.setattr(_knn, "SAMPLE_COLS", 400)
    assert _knn._threshold_sample(700, 25 + 4, 699)[0] is not None
    g = compute_knn(X, 25, algorithm="brute")
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-12)
    assert np.mean(g.indices == i_ref) > 0.999
    monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 10**9)
    assert _knn._threshold_sample(700, 25 + 4, 699)[0] is None
    g0 = compute_knn(X, 25, algorithm="brute")
    np.testing.assert_array_equal(g.indices, g0.indices)
    np.testing.assert_array_equal(g.distances, g0.distances)


def test_sampled_threshold_too_low_rows_searched_again(monkeypatch):
    """Rows whose sampled starting threshold lies below their k-th value (forced by a tiny
    rank, and by clustered data ordered by cluster) are detected and searched again from
    +inf: the result stays exact.  Reference: full numpy distance matrix."""
    from sklearn_geom.neighbors import _knn

    rng = np.random.default_rng(31)
    centres = rng.normal(scale=20, size=(6, 12))
    X = np.vstack([c + rng.normal(size=(120, 12)) for c in centres]).astype(np.float32)
    d_ref, i_ref = _numpy_knn(X, 40)
    monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 0)
    monkeypatch.setattr(_knn, "SAMPLE_COLS", 256)
    monkeypatch.setattr(_knn, "SAMPLE_TAIL", 0.999)  # rank 1 or 2: most rows too low
    calls = []
    real = _knn._tiled_select

    def spy(X, Q, k, self_ids, tile, n_threads, chunk_rows=_knn.CHUNK_ROWS, sample=True):
        calls.append((Q.shape[0], sample))
        return real(X, Q, k, self_ids, tile, n_threads, chunk_rows, sample)

    monkeypatch.setattr(_knn, "_tiled_select", spy)
    for n_jobs in (1, 2):
        calls.clear()
        g = compute_knn(X, 40, algorithm="brute", n_jobs=n_jobs)
        np.testing.assert_allclose(g.distances, d_ref, rtol=1e-12)
        assert np.mean(g.indices == i_ref) > 0.999
        assert calls[0] == (720, True)
        assert any(not s and 0 < n <= 720 for n, s in calls[1:])  # the searched-again rows


def test_sampled_thresholds_lattice_ties(monkeypatch):
    """Integer lattice (many exact ties at every rank) through the sampled scan: distances
    exact, rows ordered by (distance, index).  Reference: numpy distances."""
    from sklearn_geom.neighbors import _knn

    g1 = np.arange(10, dtype=np.float32)
    X = np.stack(np.meshgrid(g1, g1, g1), -1).reshape(-1, 3)
    X = np.hstack([X, np.zeros((X.shape[0], 7), np.float32)])
    monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 0)
    monkeypatch.setattr(_knn, "SAMPLE_COLS", 500)
    g = compute_knn(X, 30, algorithm="brute")
    d_ref, _ = _numpy_knn(X, 30)
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-12)
    D = np.sqrt(((X[:, None].astype(float) - X[None]) ** 2).sum(-1))
    np.testing.assert_allclose(np.take_along_axis(D, g.indices, 1), g.distances, rtol=1e-12)
    tie = np.diff(g.distances, axis=1) == 0
    assert np.all(np.diff(g.indices, axis=1)[tie] > 0)


@pytest.mark.parametrize("n_features", [5, 40, 300])
def test_exact_distance_kernels_agree(n_features):
    """The three refinement kernels (serial, vectorised, blocked in reference-row order)
    against numpy's float64 differences; the blocked one equals the vectorised one bit for
    bit and does not depend on the block size or the thread count."""
    from sklearn_geom.neighbors import _knn_numba as kern
    from sklearn_geom.utils import numba_threads

    rng = np.random.default_rng(32)
    X = rng.normal(size=(500, n_features)).astype(np.float32)
    Q = rng.normal(size=(90, n_features)).astype(np.float32)
    ind = rng.integers(0, 500, size=(90, 17))
    ind[::5, 3] = -1
    ref = np.sqrt(((Q[:, None].astype(float) - X[ind].astype(float)) ** 2).sum(-1))
    ref[ind < 0] = np.inf
    a = kern.exact_distances(Q, X, ind)
    b = kern.exact_distances_fast(Q, X, ind)
    np.testing.assert_allclose(a, ref, rtol=1e-14)
    np.testing.assert_allclose(b, ref, rtol=1e-14)
    for rows, n_jobs in [(1, 1), (7, 2), (64, 2), (1000, 1)]:
        with numba_threads(n_jobs):
            c = kern.exact_distances_blocked(Q, X, ind, rows)
        np.testing.assert_array_equal(c, b)
    empty = kern.exact_distances_blocked(Q[:0], X, ind[:0], 8)
    assert empty.shape == (0, 17)


def test_n_jobs_does_not_change_result_wide():
    """From 64 features the refinement runs blocked; results still independent of n_jobs
    and equal to sklearn's float64 brute force."""
    rng = np.random.default_rng(33)
    X = rng.normal(size=(600, 100)).astype(np.float32)
    a = compute_knn(X, 12, algorithm="brute", n_jobs=1)
    b = compute_knn(X, 12, algorithm="brute", n_jobs=2)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.distances, b.distances)
    d_ref, i_ref = _reference(X.astype(np.float64), 12)
    np.testing.assert_allclose(a.distances, d_ref, rtol=1e-6)


def test_round_robin_rounds_cover_every_pair_once():
    """Each round pairs disjoint chunks; all rounds together meet every pair exactly once.
    Reference: itertools.combinations."""
    from itertools import combinations

    from sklearn_geom.neighbors._knn import _round_robin

    for n in (1, 2, 3, 6, 7, 20):
        rounds = _round_robin(n)
        seen = [p for r in rounds for p in r]
        assert sorted(seen) == list(combinations(range(n), 2))
        for r in rounds:
            flat = [c for p in r for c in p]
            assert len(flat) == len(set(flat))


@pytest.mark.parametrize("sampled", [False, True])
def test_symmetric_pass_exact_and_thread_independent(monkeypatch, sampled):
    """Self-graphs of wide data use each Gram block for both of its chunks (forced here on
    700 points in chunks of 96 rows, 7 + 1 chunks, with and without sampled thresholds):
    exact, equal to the one-sided pass and independent of n_jobs.  Reference: full numpy
    distance matrix (ties by index)."""
    from sklearn_geom.neighbors import _knn

    rng = np.random.default_rng(34)
    X = rng.normal(size=(700, 70)).astype(np.float32)
    d_ref, i_ref = _numpy_knn(X, 20)
    monkeypatch.setattr(_knn, "SYMMETRIC_CHUNK_ROWS", 96)
    if sampled:
        monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 0)
        monkeypatch.setattr(_knn, "SAMPLE_COLS", 300)
    calls = []
    real = _knn._symmetric_select

    def spy(*args, **kwargs):
        calls.append(args[0].shape)
        return real(*args, **kwargs)

    monkeypatch.setattr(_knn, "_symmetric_select", spy)
    a = compute_knn(X, 20, algorithm="brute", n_jobs=1)
    b = compute_knn(X, 20, algorithm="brute", n_jobs=2)
    assert len(calls) == 2
    np.testing.assert_allclose(a.distances, d_ref, rtol=1e-12)
    assert np.mean(a.indices == i_ref) > 0.999
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.distances, b.distances)
    monkeypatch.setattr(_knn, "SYMMETRIC_FEATURES", 10**6)  # one-sided pass
    c = compute_knn(X, 20, algorithm="brute", n_jobs=2)
    assert len(calls) == 2
    np.testing.assert_array_equal(a.indices, c.indices)
    np.testing.assert_array_equal(a.distances, c.distances)


def test_symmetric_pass_low_thresholds_searched_again(monkeypatch):
    """Symmetric pass with sampled starts far too low (tiny rank, data ordered by
    cluster): the rows are detected and searched again; the result stays exact.
    Reference: full numpy distance matrix."""
    from sklearn_geom.neighbors import _knn

    rng = np.random.default_rng(35)
    centres = rng.normal(scale=20, size=(5, 80))
    X = np.vstack([c + rng.normal(size=(130, 80)) for c in centres]).astype(np.float32)
    d_ref, i_ref = _numpy_knn(X, 30)
    monkeypatch.setattr(_knn, "SYMMETRIC_CHUNK_ROWS", 100)
    monkeypatch.setattr(_knn, "SAMPLE_MIN_FIT", 0)
    monkeypatch.setattr(_knn, "SAMPLE_COLS", 200)
    monkeypatch.setattr(_knn, "SAMPLE_TAIL", 0.999)
    calls = []
    real = _knn._tiled_select

    def spy(X, Q, k, self_ids, tile, n_threads, chunk_rows=_knn.CHUNK_ROWS, sample=True):
        calls.append((Q.shape[0], sample))
        return real(X, Q, k, self_ids, tile, n_threads, chunk_rows, sample)

    monkeypatch.setattr(_knn, "_tiled_select", spy)
    g = compute_knn(X, 30, algorithm="brute", n_jobs=2)
    np.testing.assert_allclose(g.distances, d_ref, rtol=1e-12)
    assert np.mean(g.indices == i_ref) > 0.999
    assert calls and not calls[0][1] and 0 < calls[0][0] <= 650


def test_pair_self_entries_dropped_wherever_they_are():
    """A ``(distances, indices)`` pair read as a self-graph (reference: the lists written
    out here): rows that list their own index lose it wherever it stands; rows that do
    not keep their first entries; with no row listing itself, the first k columns."""
    ind = np.array([[0, 1, 2], [2, 1, 0], [0, 1, 3], [2, 0, 1]])
    dist = np.array([[0.0, 1.0, 2.0], [0.5, 0.0, 1.5], [1.0, 2.0, 3.0], [0.2, 0.4, 0.6]])
    g = as_knn_graph((dist, ind), n_neighbors=2)
    np.testing.assert_array_equal(g.indices[:, :2], [[1, 2], [2, 0], [0, 1], [2, 0]])
    np.testing.assert_array_equal(g.distances[:, :2], [[1.0, 2.0], [0.5, 1.5], [1.0, 2.0],
                                                      [0.2, 0.4]])
    ind2 = np.array([[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]])
    dist2 = np.sort(np.random.default_rng(0).uniform(1, 2, (4, 3)), axis=1)
    g2 = as_knn_graph((dist2, ind2), n_neighbors=3)
    np.testing.assert_array_equal(g2.indices, ind2)
    np.testing.assert_array_equal(g2.distances, dist2)
