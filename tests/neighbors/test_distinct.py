"""The duplicate-aware layer (distinct_neighbors / DistinctNeighbors), thread counts, the
shared parameter constraints and KNNTransformer's sklearn drop-in surface.

References: brute-force numpy distances written here (np.unique for the duplicate groups,
full distance matrices) and scikit-learn's NearestNeighbors / KNeighborsTransformer.
"""

import warnings

import numba
import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_iris
from sklearn.neighbors import KNeighborsTransformer, NearestNeighbors

from sklearn_geom.dimension import Gride, TwoNN
from sklearn_geom.neighbors import (
    DistinctNeighbors,
    DuplicatePointsWarning,
    KNNGraph,
    KNNTransformer,
    compute_knn,
    distinct_neighbors,
)
from sklearn_geom.neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from sklearn_geom.utils import effective_n_jobs


def _data_with_duplicates(seed=0, n=300, dim=3, n_copies=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim))
    copies = X[rng.integers(0, n, n_copies)]
    Xd = np.vstack([X, copies])
    return Xd[rng.permutation(Xd.shape[0])]


def _brute_distinct(X, k):
    """Distinct points by np.unique (first occurrence), their k nearest others by a full
    numpy distance matrix (ties by index)."""
    _, first, inverse = np.unique(X, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)  # number distinct points by their first row
    kept = first[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    group_of = rank[inverse.ravel()]
    U = X[kept]
    D = np.sqrt(((U[:, None, :] - U[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(D, np.inf)
    idx = np.lexsort((np.broadcast_to(np.arange(len(U)), D.shape), D), axis=1)[:, :k]
    return kept, group_of, np.take_along_axis(D, idx, 1), idx, U


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_distinct_neighbors_matches_brute_force(algorithm):
    """Reference: np.unique + a full numpy distance matrix."""
    X = _data_with_duplicates()
    kept, group_of, d_ref, i_ref, U = _brute_distinct(X, 5)
    with pytest.warns(DuplicatePointsWarning, match=f"{X.shape[0] - kept.size} of {X.shape[0]}"):
        nb = distinct_neighbors(X, 5, algorithm=algorithm, what="test")
    assert isinstance(nb, DistinctNeighbors)
    np.testing.assert_array_equal(nb.kept, kept)
    np.testing.assert_array_equal(nb.group_of, group_of)
    np.testing.assert_array_equal(nb.rows, np.arange(kept.size))
    np.testing.assert_allclose(nb.distances, d_ref, rtol=1e-12)
    np.testing.assert_array_equal(nb.indices, i_ref)
    np.testing.assert_array_equal(nb.X_fit, U)
    assert nb.n_samples == X.shape[0] and nb.n_duplicates == X.shape[0] - kept.size
    assert nb.distances.dtype == np.float64 and nb.indices.dtype == np.int64
    # to_samples: every input row gets its distinct point's value
    np.testing.assert_array_equal(nb.to_samples(np.arange(nb.n_distinct)), group_of)
    np.testing.assert_array_equal(nb.to_samples(nb.distances)[:, 0], d_ref[group_of, 0])
    with pytest.raises(ValueError, match="one value per distinct point"):
        nb.to_samples(np.zeros(X.shape[0]))


def test_distinct_neighbors_large_group_matches_sklearn():
    """A group of 30 copies fills its representative's list: the search is repeated among the
    distinct points.  Reference: sklearn NearestNeighbors on the distinct points."""
    rng = np.random.default_rng(3)
    X = rng.uniform(size=(200, 2))
    Xd = np.vstack([X, np.repeat(X[7:8], 30, axis=0)])
    with pytest.warns(DuplicatePointsWarning, match="30 of 230"):
        nb = distinct_neighbors(Xd, 3)
    d_ref, i_ref = NearestNeighbors(n_neighbors=3).fit(X).kneighbors()
    np.testing.assert_allclose(nb.distances, d_ref, rtol=1e-12)
    np.testing.assert_array_equal(nb.indices, i_ref)
    np.testing.assert_array_equal(nb.group_of[200:], 7)


def test_no_duplicates_no_warning_and_cap():
    """Reference: sklearn NearestNeighbors."""
    X = np.random.default_rng(4).normal(size=(50, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nb = distinct_neighbors(X, 4)
    d_ref, _ = NearestNeighbors(n_neighbors=4).fit(X).kneighbors()
    np.testing.assert_allclose(nb.distances, d_ref, rtol=1e-12)
    assert nb.n_duplicates == 0
    capped = distinct_neighbors(X[:6], 10, cap_to_available=True)
    assert capped.n_neighbors == 5
    with pytest.raises(ValueError, match="needs 10 neighbours"):
        distinct_neighbors(X[:6], 10)
    with pytest.raises(ValueError, match="at least 3 distinct points, got 2 distinct"):
        distinct_neighbors(np.array([[0.0], [0.0], [1.0]]), 1)


def test_precomputed_graph_equals_raw():
    """A sklearn KNeighborsTransformer graph with enough neighbours gives the raw result;
    rows whose listed neighbours are all copies are dropped with a warning."""
    X = _data_with_duplicates(seed=5, n_copies=10)
    with pytest.warns(DuplicatePointsWarning):
        raw = distinct_neighbors(X, 3)
    G = KNeighborsTransformer(n_neighbors=8).fit_transform(X)
    with pytest.warns(DuplicatePointsWarning):
        pre = distinct_neighbors(G, 3, metric="precomputed")
    assert pre.X_fit is None
    np.testing.assert_array_equal(pre.kept, raw.kept)
    np.testing.assert_array_equal(pre.group_of, raw.group_of)
    np.testing.assert_array_equal(pre.rows, np.arange(raw.n_distinct))
    np.testing.assert_allclose(pre.distances, raw.distances, rtol=1e-12)
    np.testing.assert_array_equal(pre.indices, raw.indices)
    with pytest.raises(TypeError, match="sparse kNN graph"):
        distinct_neighbors(X, 3, metric="precomputed")


@pytest.mark.parametrize("form", ["sparse", "pair", "pair_with_self", "knngraph"])
def test_precomputed_graph_without_duplicates(form):
    """A graph without duplicates (the shortcut that skips the duplicate groups): identity
    maps, every row complete, and the first columns of sklearn NearestNeighbors' lists; the
    same errors as with duplicates.  Reference: sklearn NearestNeighbors / its transformer."""
    X = np.random.default_rng(11).normal(size=(200, 3))
    d_ref, i_ref = NearestNeighbors(n_neighbors=12).fit(X).kneighbors()
    G = {
        "sparse": lambda: KNeighborsTransformer(n_neighbors=12).fit_transform(X),
        "pair": lambda: (d_ref, i_ref),
        "pair_with_self": lambda: NearestNeighbors(n_neighbors=13).fit(X).kneighbors(X),
        "knngraph": lambda: compute_knn(X, 12),
    }[form]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nb = distinct_neighbors(G, 5, metric="precomputed")
        capped = distinct_neighbors(G, 40, metric="precomputed", cap_to_available=True)
    ident = np.arange(200)
    for res, k in ((nb, 5), (capped, 12)):
        assert res.n_duplicates == 0 and res.n_distinct == 200 and res.X_fit is None
        np.testing.assert_array_equal(res.kept, ident)
        np.testing.assert_array_equal(res.group_of, ident)
        np.testing.assert_array_equal(res.rows, ident)
        np.testing.assert_allclose(res.distances, d_ref[:, :k], rtol=1e-12)
        np.testing.assert_array_equal(res.indices, i_ref[:, :k])
        assert res.distances.dtype == np.float64 and res.indices.dtype == np.int64
        assert res.distances.flags.c_contiguous and res.indices.flags.c_contiguous
    # the caller's arrays are not shared (the fitted lists stay independent of them)
    if form == "pair":
        assert not np.shares_memory(capped.distances, d_ref)
    with pytest.raises(ValueError, match="needs 40 neighbours per point, but the precomputed"):
        distinct_neighbors(G, 40, metric="precomputed")
    small = NearestNeighbors(n_neighbors=2).fit(X[:3]).kneighbors()
    with pytest.raises(ValueError, match="at least 4 distinct points, got 3"):
        distinct_neighbors(small, 1, metric="precomputed", min_distinct=4)
    if form == "knngraph":  # a query graph is refused, as with duplicates
        with pytest.raises(ValueError, match="self-graph"):
            distinct_neighbors(KNNGraph(G.distances, G.indices, 200, False), 5,
                               metric="precomputed")


def test_query_raw_matches_brute_force():
    """New points against the distinct fitted points; reference: numpy distances."""
    X = _data_with_duplicates(seed=6)
    with pytest.warns(DuplicatePointsWarning):
        nb = distinct_neighbors(X, 2)
    Q = np.random.default_rng(7).normal(size=(20, 3))
    g = nb.query(Q, 4)
    D = np.sqrt(((Q[:, None, :] - nb.X_fit[None]) ** 2).sum(-1))
    idx = np.argsort(D, axis=1, kind="stable")[:, :4]
    np.testing.assert_array_equal(g.indices, idx)
    np.testing.assert_allclose(g.distances, np.take_along_axis(D, idx, 1), rtol=1e-12)
    # a fitted row finds its own distinct point first, at 0
    g_self = nb.query(X[:5], 1)
    np.testing.assert_array_equal(g_self.indices[:, 0], nb.group_of[:5])
    np.testing.assert_array_equal(g_self.distances[:, 0], 0.0)


def test_query_precomputed_collapses_duplicates():
    """A query graph numbering the fitted input rows: entries mapped to distinct points,
    copies dropped.  Reference: the same query on the raw distinct points."""
    X = _data_with_duplicates(seed=8, n_copies=60)
    G = KNeighborsTransformer(n_neighbors=10).fit_transform(X)
    with pytest.warns(DuplicatePointsWarning):
        raw = distinct_neighbors(X, 2)
        pre = distinct_neighbors(G, 2, metric="precomputed")
    Q = np.random.default_rng(9).normal(size=(15, 3))
    Gq = KNeighborsTransformer(n_neighbors=12).fit(X).kneighbors_graph(Q, mode="distance")
    gp = pre.query(Gq, 4)
    gr = raw.query(Q, 4)
    np.testing.assert_array_equal(gp.indices, gr.indices)
    np.testing.assert_allclose(gp.distances, gr.distances, rtol=1e-12)
    # a (distances, indices) pair works the same way
    d, i = NearestNeighbors(n_neighbors=12).fit(X).kneighbors(Q)
    np.testing.assert_array_equal(pre.query((d, i), 4).indices, gr.indices)
    with pytest.raises(TypeError, match="queries must be a sparse graph"):
        pre.query(Q, 4)


@pytest.mark.parametrize("n_jobs", [1, 2, -1, None])
def test_results_do_not_depend_on_thread_count(n_jobs):
    """Reference: the single-thread result (bit for bit), for the engine (brute and tree),
    the duplicate layer and TwoNN's local estimates."""
    X = _data_with_duplicates(seed=10, n=2000, dim=6, n_copies=100)
    Q = X[:300] + 1e-3
    ref = {}
    out = {}
    for store, nj in ((ref, 1), (out, n_jobs)):
        for alg in ("brute", "kd_tree"):
            g = compute_knn(X, 12, algorithm=alg, n_jobs=nj)
            store[alg] = (g.distances, g.indices)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = distinct_neighbors(X, 5, n_jobs=nj)
            est = TwoNN(n_jobs=nj).fit(X)
        store["nb"] = (nb.distances, nb.indices)
        store["twonn"] = (est.transform(Q), np.array([est.dimension_]))
    for key in ref:
        for a, b in zip(ref[key], out[key]):
            np.testing.assert_array_equal(a, b)


def test_default_threads_follow_numba_and_openmp_limits():
    """n_jobs=None uses every core numba and OpenMP allow (as sklearn's OpenMP kernels);
    reference: numba.get_num_threads and threadpoolctl's limit set here."""
    from threadpoolctl import threadpool_limits

    assert effective_n_jobs(None) == min(numba.get_num_threads(), numba.config.NUMBA_NUM_THREADS)
    assert effective_n_jobs(1) == 1
    with threadpool_limits(limits=1, user_api="openmp"):
        assert effective_n_jobs(None) == 1
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        assert effective_n_jobs(None) == 1
    finally:
        numba.set_num_threads(old)


def test_shared_parameter_constraints():
    """One definition of the metric/algorithm/n_jobs constraints, used by every estimator."""
    for est in (TwoNN, Gride):
        c = est._parameter_constraints
        assert c["metric"] is METRIC_OR_PRECOMPUTED_CONSTRAINT
        assert c["algorithm"] is ALGORITHM_CONSTRAINT
        assert c["n_jobs"] is N_JOBS_CONSTRAINT
    assert KNNTransformer._parameter_constraints["algorithm"] is ALGORITHM_CONSTRAINT


# --------------------------------------------------------------------------------------
# KNNTransformer as a drop-in for sklearn's KNeighborsTransformer


def test_transformer_feature_names_like_sklearn():
    """Reference: sklearn's KNeighborsTransformer names (class-name prefix, one per fitted
    point)."""
    X = load_iris().data
    ours = KNNTransformer().fit(X).get_feature_names_out()
    theirs = KNeighborsTransformer().fit(X).get_feature_names_out()
    assert ours.tolist() == [n.replace("kneighborstransformer", "knntransformer") for n in theirs]


def test_transformer_set_output_pipeline_pandas():
    """The pipeline of the issue: the sparse graph passes through, the last step's output is
    a DataFrame; the values equal the default output's."""
    pd = pytest.importorskip("pandas")
    from sklearn.pipeline import make_pipeline

    X = np.random.default_rng(11).normal(size=(300, 4))
    pipe = make_pipeline(KNNTransformer(), TwoNN(metric="precomputed"))
    plain = pipe.fit_transform(X)
    out = pipe.set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame) and out.columns.tolist() == ["twonn0"]
    np.testing.assert_array_equal(out.to_numpy(), plain)
    G = KNNTransformer().set_output(transform="pandas").fit_transform(X)
    assert sparse.issparse(G)
    with pytest.raises(ValueError, match="set_output's transform"):
        KNNTransformer().set_output(transform="xarray")


def test_transformer_minkowski_p_and_metric_params():
    """metric="minkowski" with p=2 is sklearn's default and equals it; other p and
    metric_params are refused with a clear error."""
    X = load_iris().data
    G = KNNTransformer(metric="minkowski", p=2).fit_transform(X)
    R = KNeighborsTransformer(metric="minkowski", p=2).fit_transform(X)
    np.testing.assert_allclose(np.sort(G.data), np.sort(R.data), rtol=1e-12)
    KNNTransformer(metric_params={"p": 2}).fit(X)
    with pytest.raises(ValueError, match="only p=2"):
        KNNTransformer(metric="minkowski", p=1).fit(X)
    with pytest.raises(ValueError, match="only p=2"):
        KNNTransformer(metric_params={"p": 3}).fit(X)
    with pytest.raises(ValueError, match="metric_params"):
        KNNTransformer(metric_params={"w": np.ones(4)}).fit(X)


def test_transformer_near_tie_rule_iris_row_5():
    """Iris row 5: rows 19 and 46 at exactly the same float64 distance 0.387298... as 5th
    neighbour.  The documented rule: brute force breaks ties among its candidates by index
    (19); the k-d tree returns what scipy's cKDTree returns.  References: numpy distances,
    scipy's cKDTree."""
    from scipy.spatial import cKDTree

    X = load_iris().data
    d19 = np.sqrt(((X[5] - X[19]) ** 2).sum())
    d46 = np.sqrt(((X[5] - X[46]) ** 2).sum())
    assert d19 == d46
    d, i = KNNTransformer(n_neighbors=5, algorithm="brute").fit(X).kneighbors()
    assert i[5, -1] == 19 and d[5, -1] == d19
    d, i = KNNTransformer(n_neighbors=5, algorithm="kd_tree").fit(X).kneighbors()
    _, it = cKDTree(X).query(X[5], k=6)
    assert i[5, -1] == it[-1] and d[5, -1] == d19
