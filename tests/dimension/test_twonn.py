"""TwoNN: checked against scikit-dimension's TwoNN (peer library, run side by side), brute-force
references written here with sklearn's NearestNeighbors, published values (Facco et al. 2017 and
the ADP reference set) and exact invariances (duplicates, n_jobs, random_state)."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_digits, make_swiss_roll
from sklearn.neighbors import KNeighborsTransformer, NearestNeighbors

from sklearn_geom.dimension import TwoNN
from sklearn_geom.neighbors import DuplicatePointsWarning, KNNTransformer
from sklearn_geom.neighbors import _distinct as _common

skdim = pytest.importorskip("skdim")


def _skdim_twonn(X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return skdim.id.TwoNN(**kw).fit(X).dimension_


def _fit(X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DuplicatePointsWarning)
        return TwoNN(**kw).fit(X)


def _uniform(n, d, seed):
    return np.random.default_rng(seed).uniform(size=(n, d))


# --------------------------------------------------------------------------------------
# reference values


def test_adp_reference_set(shared_reference):
    """Published value of the ADP reference set: 1.85 +/- 0.01 (LS, 10% discarded)."""
    X = np.load(shared_reference / "adp" / "2gaussians_in_2d.npy")
    est = TwoNN(discard_fraction=0.1).fit(X)
    assert abs(est.dimension_ - 1.85) <= 0.01
    assert est.n_samples_used_ == 100


@pytest.mark.parametrize(
    "d, published", [(2, 2.00), (5, 4.58), (10, 8.48)]
)
def test_uniform_cube_matches_skdim(d, published):
    """Peer: skdim.id.TwoNN(discard_fraction=0.1) on the same 5000 points, to 1e-6.

    skdim uses F_i = i/N over the N ratios, keeps the floor(0.9 N) smallest, and fits
    through the origin -- the same convention as ours (Facco et al. 2017), so the match is exact
    on data without duplicates or ties.  The published values (Facco et al. 2017) are checked
    within 3 error bars: at N = 5000, d = 10, both implementations give 8.56-8.89
    depending on the seed (8.80 here), above the quoted ~8.48.
    """
    X = _uniform(5000, d, 0)
    est = TwoNN(discard_fraction=0.1).fit(X)
    assert est.n_duplicates_ == 0 and est.n_ties_ == 0
    np.testing.assert_allclose(est.dimension_, _skdim_twonn(X, discard_fraction=0.1), rtol=1e-6)
    assert abs(est.dimension_ - published) < 3 * est.dimension_err_


def test_mle_matches_skdim_censored_mle():
    """Peer: skdim's method='mle' is the same censored unbiased estimate."""
    X = np.random.default_rng(3).normal(size=(3000, 4))
    for f in (0.0, 0.1, 0.25):
        ours = TwoNN(discard_fraction=f, method="mle").fit(X).dimension_
        np.testing.assert_allclose(ours, _skdim_twonn(X, discard_fraction=f, method="mle"),
                                   rtol=1e-9)


def test_mle_formula_brute_force():
    """Brute force with sklearn's NearestNeighbors: (N - 1) / sum(ln mu) at discard 0."""
    X = np.random.default_rng(4).normal(size=(800, 3))
    dist, _ = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X)
    log_mu = np.log(dist[:, 2] / dist[:, 1])
    est = TwoNN(discard_fraction=0.0, method="mle").fit(X)
    np.testing.assert_allclose(est.dimension_, (800 - 1) / log_mu.sum(), rtol=1e-10)
    np.testing.assert_allclose(est.dimension_err_, est.dimension_ / np.sqrt(800), rtol=1e-12)
    # the ratios themselves
    np.testing.assert_allclose(np.sort(est.mu_), np.sort(np.exp(log_mu)), rtol=1e-10)


def test_ls_formula_brute_force():
    """The LS fit written out here: sort mu, F_i = i/N, keep floor(0.9 N), through origin."""
    X = np.random.default_rng(5).normal(size=(1000, 5))
    dist, _ = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X)
    x = np.sort(np.log(dist[:, 2] / dist[:, 1]))[:900]
    y = -np.log(1 - np.arange(1, 901) / 1000)
    ref = np.linalg.lstsq(x[:, None], y, rcond=None)[0][0]
    np.testing.assert_allclose(TwoNN().fit(X).dimension_, ref, rtol=1e-10)


def test_manifolds():
    """Published / geometric values (Facco et al. 2017): swiss roll 5000 pts ~1.95 (and equal
    to skdim), 2-sphere ~2, 6-D Gaussian equal to skdim."""
    X, _ = make_swiss_roll(5000, random_state=0)
    est = TwoNN().fit(X)
    assert abs(est.dimension_ - 1.95) < 0.05
    np.testing.assert_allclose(est.dimension_, _skdim_twonn(X), rtol=1e-6)
    S = np.random.default_rng(1).normal(size=(5000, 3))
    S /= np.linalg.norm(S, axis=1)[:, None]
    assert abs(TwoNN().fit(S).dimension_ - 2) < 0.1
    G = np.random.default_rng(2).normal(size=(3000, 6))
    np.testing.assert_allclose(TwoNN().fit(G).dimension_, _skdim_twonn(G), rtol=1e-6)


def test_digits():
    """Published ~8.9 for sklearn digits raw pixels (Facco et al. 2017).

    18 digits have r1 == r2 (ties) and are dropped here (Ansuini et al.); skdim keeps them
    and gives 8.91.  With the same ratios, skdim (``dist=True`` takes r1, r2) is exact.
    """
    X = load_digits().data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est = TwoNN().fit(X)
    assert est.n_ties_ > 0 and est.n_duplicates_ == 0
    assert abs(est.dimension_ - 8.9) < est.dimension_err_
    r = np.column_stack([np.ones_like(est.mu_), est.mu_])
    np.testing.assert_allclose(est.dimension_, _skdim_twonn(r, dist=True), rtol=1e-9)


# --------------------------------------------------------------------------------------
# duplicates, ties, degenerate input


@pytest.mark.parametrize("frac", [0.02, 0.15])
@pytest.mark.parametrize("method", ["ls", "mle"])
def test_duplicates_do_not_change_estimate(frac, method):
    """Reference: the same points without the copies (measured with DADApy 0.3.4, which keeps
    them: it falls from 2.89 to 2.64 at 2% duplicates and crashes at 15%)."""
    X = _uniform(3000, 3, 1)
    rng = np.random.default_rng(0)
    idx = rng.choice(3000, int(frac * 3000), replace=False)
    Xd = np.vstack([X, X[idx]])[rng.permutation(3000 + idx.size)]
    ref = TwoNN(method=method).fit(X)
    with pytest.warns(DuplicatePointsWarning, match=f"{idx.size} of {Xd.shape[0]} points"):
        est = TwoNN(method=method).fit(Xd)
    assert est.n_duplicates_ == idx.size
    assert est.n_samples_used_ == 3000
    np.testing.assert_allclose(est.dimension_, ref.dimension_, rtol=1e-12)
    assert np.isfinite(est.transform(Xd)).all()


def test_large_duplicate_group_recomputes_graph(monkeypatch):
    """A group of 30 copies fills its representative's list with zeros: the graph is
    searched again among the distinct points.  Reference: the deduplicated data."""
    X = _uniform(500, 2, 2)
    Xd = np.vstack([X, np.repeat(X[:1], 30, axis=0)])
    calls = []
    orig = _common.compute_knn

    def spy(*args, **kw):
        calls.append(args[0].shape[0])
        return orig(*args, **kw)

    monkeypatch.setattr(_common, "compute_knn", spy)
    with pytest.warns(DuplicatePointsWarning, match="30 of 530"):
        est = TwoNN().fit(Xd)
    assert calls == [530, 500]
    np.testing.assert_allclose(est.dimension_, TwoNN().fit(X).dimension_, rtol=1e-12)


def test_requests_only_needed_neighbours(monkeypatch):
    """Speed: from raw X only 2 neighbours plus a margin of 2 are computed."""
    seen = []
    orig = _common.compute_knn

    def spy(X, n_neighbors, **kw):
        seen.append(n_neighbors)
        return orig(X, n_neighbors, **kw)

    monkeypatch.setattr(_common, "compute_knn", spy)
    TwoNN().fit(_uniform(2000, 4, 0))
    assert seen == [4]


def test_float32_near_duplicates():
    """Rows differing in the last bit of float32 are duplicates for the engine; reference:
    the float32 data without the near-copies (equal up to float32 rounding of distances)."""
    X = _uniform(2000, 3, 3).astype(np.float32)
    near = np.nextafter(X[:50], np.float32(2))
    assert not np.array_equal(near, X[:50])
    with pytest.warns(DuplicatePointsWarning, match="50 of 2050"):
        est = TwoNN().fit(np.vstack([X, near]))
    assert est.n_duplicates_ == 50
    np.testing.assert_allclose(est.dimension_, TwoNN().fit(X).dimension_, rtol=1e-6)


def test_all_duplicates_and_too_few_points():
    with pytest.raises(ValueError, match="at least 3 distinct points, got 1 distinct"):
        TwoNN().fit(np.ones((50, 3)))
    with pytest.raises(ValueError, match="at least 3 distinct points, got 2 distinct"):
        _fit(np.array([[0.0, 0], [0, 0], [1, 1], [1, 1]]))
    with pytest.raises(ValueError, match="n_samples=2"):
        TwoNN().fit(np.array([[0.0, 0], [1, 1]]))
    with pytest.raises(ValueError):
        TwoNN().fit(np.empty((0, 3)))


def test_few_points_and_ties():
    """Points 0, 1, 2, 4 on a line: ratios 2, 1 (tie, dropped with a warning), 2, 1.5.
    Hand computation: N = 3, keep floor(2.7) = 2 ratios, F_i = i/3."""
    X = np.array([[0.0], [1.0], [2.0], [4.0]])
    with pytest.warns(UserWarning, match="1 points have r1 == r2"):
        est = TwoNN().fit(X)
    assert est.n_ties_ == 1 and est.n_samples_used_ == 3
    x = np.log([1.5, 2.0])
    y = -np.log(1 - np.array([1, 2]) / 3)
    np.testing.assert_allclose(est.dimension_, x @ y / (x @ x), rtol=1e-12)
    assert np.isfinite(est.dimension_err_)
    assert np.isfinite(est.transform(X)).all()


def test_lattice_all_ties_is_a_clear_error():
    g = np.stack(np.meshgrid(np.arange(6.0), np.arange(6.0)), -1).reshape(-1, 2)
    with pytest.raises(ValueError, match="at least 2 points with r2 > r1"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            TwoNN().fit(g)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_inf_rejected(bad):
    X = _uniform(100, 3, 0)
    X[5, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        TwoNN().fit(X)


def test_discard_fraction_zero_keeps_ls_finite():
    """F_N = 1 would give -ln(0): the LS fit keeps at most N - 1 ratios."""
    X = _uniform(500, 2, 6)
    est = TwoNN(discard_fraction=0.0).fit(X)
    dist, _ = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X)
    x = np.sort(np.log(dist[:, 2] / dist[:, 1]))[:499]
    y = -np.log(1 - np.arange(1, 500) / 500)
    np.testing.assert_allclose(est.dimension_, x @ y / (x @ x), rtol=1e-10)


def test_huge_ratios_stay_finite():
    """Pairs 1e-9 apart (not duplicates in float64) give mu ~ 1e8: finite estimate."""
    X = _uniform(1000, 3, 7)
    X[500:520] = X[:20] + 1e-9
    est = TwoNN().fit(X)
    assert est.n_duplicates_ == 0
    assert np.isfinite(est.dimension_) and np.isfinite(est.mu_).all() and est.mu_.max() > 1e6


# --------------------------------------------------------------------------------------
# precomputed graphs, metrics


@pytest.mark.parametrize("source", ["sklearn", "ours", "pair"])
def test_precomputed_graph_equals_raw(source):
    """Precomputed graphs from sklearn's KNeighborsTransformer (independent kNN), our
    KNNTransformer and a (distances, indices) pair give the raw-data estimate."""
    X = _uniform(1500, 3, 8)
    if source == "sklearn":
        G = KNeighborsTransformer(n_neighbors=25).fit_transform(X)
    elif source == "ours":
        G = KNNTransformer(n_neighbors=25).fit_transform(X)
    else:
        G = NearestNeighbors(n_neighbors=25).fit(X).kneighbors()
    raw = TwoNN().fit(X)
    pre = TwoNN(metric="precomputed").fit(G)
    np.testing.assert_allclose(pre.dimension_, raw.dimension_, rtol=1e-10)
    np.testing.assert_array_equal(np.sort(pre.sample_indices_), np.arange(1500))
    if source != "pair":  # the sparse graphs store each point itself: same local lists
        np.testing.assert_allclose(pre.transform(G), raw.transform(X), rtol=1e-10)


def test_precomputed_with_duplicates_drops_incomplete_rows():
    """A point whose listed neighbours are all copies of one point cannot be resolved without
    the raw data: dropped with a warning; the others are estimated normally."""
    X = _uniform(400, 2, 9)
    Xd = np.vstack([X, np.repeat(X[:1], 6, axis=0)])
    G = KNeighborsTransformer(n_neighbors=4).fit_transform(Xd)
    with pytest.warns(DuplicatePointsWarning) as rec:
        est = TwoNN(metric="precomputed").fit(G)
    msgs = " ".join(str(w.message) for w in rec)
    assert "6 of 406 points duplicate" in msgs and "left out of the estimate" in msgs
    assert est.n_duplicates_ == 6
    assert 390 <= est.n_samples_used_ < 400
    assert np.isfinite(est.dimension_)


def test_precomputed_errors():
    X = _uniform(50, 2, 0)
    with pytest.raises(ValueError, match="neighbours"):
        TwoNN(metric="precomputed").fit(KNeighborsTransformer(n_neighbors=1).fit_transform(X))
    with pytest.raises(TypeError, match="sparse kNN graph"):
        TwoNN(metric="precomputed").fit(X)
    with pytest.raises(ValueError, match="raw points"):
        TwoNN(metric="precomputed", n_scales=3).fit(KNNTransformer(5).fit_transform(X))


def test_cosine_metric_relation():
    """1 - cos = |u - v|^2 / 2 on unit vectors: cosine ratios are squared Euclidean ratios,
    so the estimate is exactly half the Euclidean one on the normalised rows."""
    X = np.random.default_rng(10).normal(size=(1000, 6)) + 3
    U = X / np.linalg.norm(X, axis=1)[:, None]
    cos = TwoNN(metric="cosine").fit(X).dimension_
    np.testing.assert_allclose(cos, TwoNN().fit(U).dimension_ / 2, rtol=1e-6)


# --------------------------------------------------------------------------------------
# transform (local estimates)


def test_transform_matches_brute_force():
    """Reference written here: (m - 1) / sum ln mu_j over the k nearest fitted points found by
    sklearn's NearestNeighbors (query semantics: a fitted point is its own nearest)."""
    X = _uniform(1200, 2, 11)
    Q = _uniform(40, 2, 12)
    est = TwoNN(n_neighbors=15).fit(X)
    nn = NearestNeighbors(n_neighbors=3).fit(X)
    dist, _ = nn.kneighbors()
    log_mu = np.log(dist[:, 1] / dist[:, 0])
    for pts in (Q, X[:40]):
        _, ind = nn.kneighbors(pts, n_neighbors=15)
        ref = 14 / log_mu[ind].sum(1)
        np.testing.assert_allclose(est.transform(pts).ravel(), ref, rtol=1e-10)
    assert abs(np.median(est.transform(X)) - 2) < 0.3


def test_transform_small_and_capped():
    """n_neighbors larger than the fitted set is capped; no NaN on tiny data."""
    X = _uniform(6, 2, 13)
    est = TwoNN(n_neighbors=50).fit(X)
    out = est.transform(_uniform(4, 2, 14))
    assert out.shape == (4, 1) and np.isfinite(out).all()
    np.testing.assert_allclose(out, out[0, 0])  # everyone pools the same 6 ratios


# --------------------------------------------------------------------------------------
# scale analysis, determinism


def test_scale_analysis_brute_force():
    """Level j: random permutation (from random_state), 2**j disjoint blocks; reproduced here
    with skdim on each block (peer) and the same permutations."""
    X = _uniform(800, 3, 15)
    est = TwoNN(n_scales=3, random_state=0).fit(X)
    np.testing.assert_array_equal(est.scale_sizes_, [800, 400, 200])
    rng = np.random.RandomState(0)
    for level, size in ((1, 400), (2, 200)):
        perm = rng.permutation(800)
        ests = [
            _skdim_twonn(X[np.sort(perm[b * size : (b + 1) * size])]) for b in range(2**level)
        ]
        np.testing.assert_allclose(est.scale_dimensions_[level], np.mean(ests), rtol=1e-6)
        np.testing.assert_allclose(est.scale_errors_[level], np.std(ests, ddof=1), rtol=1e-5)
    assert est.scale_dimensions_[0] == est.dimension_
    assert np.all(np.diff(est.scale_distances_) > 0)  # fewer points: larger distances


def test_scale_analysis_stops_at_small_blocks_and_caps_blocks():
    X = _uniform(100, 2, 16)
    est = TwoNN(n_scales=10, random_state=0).fit(X)
    np.testing.assert_array_equal(est.scale_sizes_, [100, 50, 25])
    assert np.isfinite(est.scale_errors_).all()


def test_random_state_and_n_jobs_independence():
    X = _uniform(2000, 5, 17)
    a = TwoNN(n_scales=4, random_state=3, n_jobs=1).fit(X)
    b = TwoNN(n_scales=4, random_state=3, n_jobs=2).fit(X)
    c = TwoNN(n_scales=4, random_state=4).fit(X)
    for attr in ("scale_dimensions_", "scale_errors_", "scale_distances_"):
        np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr))
    assert not np.array_equal(a.scale_dimensions_, c.scale_dimensions_)
    np.testing.assert_array_equal(a.transform(X[:50]), b.transform(X[:50]))
    assert a.dimension_ == b.dimension_ == c.dimension_


def test_sparse_input_rejected_without_precomputed():
    with pytest.raises(TypeError):
        TwoNN().fit(sparse.random(20, 5, density=0.5, format="csr", random_state=0))


def test_feature_names_out():
    est = TwoNN().fit(_uniform(50, 3, 0))
    assert est.get_feature_names_out().tolist() == ["twonn0"]


def test_precomputed_new_queries_and_knngraph():
    """transform on a precomputed graph of new queries (sklearn's NearestNeighbors as the
    independent neighbour search) equals transform on the raw queries; a KNNGraph is also
    accepted by fit."""
    from sklearn_geom.neighbors import compute_knn

    X = _uniform(1000, 3, 20)
    Q = _uniform(30, 3, 21)
    raw = TwoNN(n_neighbors=12).fit(X)
    pre = TwoNN(n_neighbors=12, metric="precomputed").fit(compute_knn(X, 10))
    np.testing.assert_allclose(pre.dimension_, raw.dimension_, rtol=1e-12)
    nn = NearestNeighbors(n_neighbors=12).fit(X)
    pair = nn.kneighbors(Q)
    np.testing.assert_allclose(pre.transform(pair), raw.transform(Q), rtol=1e-10)
    np.testing.assert_allclose(
        pre.transform(nn.kneighbors_graph(Q, mode="distance")), raw.transform(Q), rtol=1e-10
    )
    with pytest.raises(ValueError, match="columns"):
        pre.transform(sparse.csr_matrix((5, 999)))
    with pytest.raises(ValueError, match="indices must lie"):
        pre.transform((pair[0], pair[1] + 1000))
