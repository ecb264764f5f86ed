"""GRIDE: checked against a direct numerical maximisation of the likelihood of Denti et al.
(2022) written here (scipy.optimize on the log-density, neighbours from sklearn's
NearestNeighbors), a finite difference of that likelihood for the error bar, and the exact
relation with TwoNN's ML at n1=1."""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import betaln
from sklearn.neighbors import KNeighborsTransformer, NearestNeighbors

from sklearn_geom.dimension import Gride, TwoNN
from sklearn_geom.neighbors import DuplicatePointsWarning, KNNTransformer


def _neg_loglik(d, mu, n1, n2):
    """-sum log f(mu | d), f from Denti et al. 2022, written directly from the formula."""
    return -np.sum(
        np.log(d)
        + (n2 - n1 - 1) * np.log(mu**d - 1)
        - betaln(n2 - n1, n1)
        - ((n2 - 1) * d + 1) * np.log(mu)
    )


def _ratios(X, n1):
    dist, _ = NearestNeighbors(n_neighbors=2 * n1).fit(X).kneighbors()
    return dist[:, 2 * n1 - 1] / dist[:, n1 - 1], dist


@pytest.mark.parametrize("n1", [1, 2, 4, 16])
def test_matches_direct_maximisation(n1):
    X = np.random.default_rng(n1).normal(size=(1500, 4))
    mu, dist = _ratios(X, n1)
    ref = minimize_scalar(
        _neg_loglik, bounds=(0.5, 20), args=(mu, n1, 2 * n1), method="bounded",
        options={"xatol": 1e-10},
    ).x
    est = Gride(n1=n1).fit(X)
    np.testing.assert_allclose(est.dimension_, ref, rtol=1e-6)
    # error bar: inverse square root of the observed information (finite difference here)
    h = 1e-4 * ref
    info = (
        _neg_loglik(ref + h, mu, n1, 2 * n1)
        - 2 * _neg_loglik(ref, mu, n1, 2 * n1)
        + _neg_loglik(ref - h, mu, n1, 2 * n1)
    ) / h**2
    np.testing.assert_allclose(est.dimension_err_, 1 / np.sqrt(info), rtol=1e-3)
    np.testing.assert_allclose(
        est.scale_, np.mean((dist[:, n1 - 1] + dist[:, 2 * n1 - 1]) / 2), rtol=1e-12
    )
    assert est.n_samples_used_ == 1500


def test_n1_equal_1_is_twonn_ml():
    """At n1 = 1 GRIDE is the plain MLE N / sum ln mu; TwoNN(method='mle',
    discard_fraction=0) is the unbiased (N - 1) / sum ln mu on the same ratios."""
    X = np.random.default_rng(0).uniform(size=(2500, 3))
    g = Gride(n1=1).fit(X)
    t = TwoNN(method="mle", discard_fraction=0.0).fit(X)
    n = g.n_samples_used_
    assert n == t.n_samples_used_ == 2500
    np.testing.assert_allclose(t.dimension_, g.dimension_ * (n - 1) / n, rtol=1e-13)


def test_multiscale_scales_and_cap():
    """DADApy's range_max = 64 is the largest rank n2: n1 = 1..32.  Capped at the distinct
    points available (40 points: n2 <= 39, so n1 <= 16)."""
    X = np.random.default_rng(1).normal(size=(2000, 3))
    est = Gride(multiscale=True).fit(X)
    np.testing.assert_array_equal(est.scale_n1_, [1, 2, 4, 8, 16, 32])
    assert np.all(np.diff(est.scale_distances_) > 0)
    assert np.all(np.abs(est.scale_dimensions_ - 3) < 0.35)
    assert np.all(np.diff(est.scale_errors_) < 0)  # more neighbours, smaller error
    for m, d in zip(est.scale_n1_, est.scale_dimensions_):
        assert d == Gride(n1=int(m)).fit(X).dimension_
    small = Gride(multiscale=True).fit(X[:40])
    np.testing.assert_array_equal(small.scale_n1_, [1, 2, 4, 8, 16])


def test_multiscale_precomputed_caps_at_graph():
    X = np.random.default_rng(2).normal(size=(600, 2))
    G = KNNTransformer(n_neighbors=20).fit_transform(X)
    pre = Gride(multiscale=True, metric="precomputed").fit(G)
    raw = Gride(multiscale=True, range_max=16).fit(X)
    np.testing.assert_array_equal(pre.scale_n1_, [1, 2, 4, 8])
    np.testing.assert_allclose(pre.scale_dimensions_, raw.scale_dimensions_, rtol=1e-10)
    G2 = KNeighborsTransformer(n_neighbors=8).fit_transform(X)
    np.testing.assert_allclose(
        Gride(n1=4, metric="precomputed").fit(G2).dimension_, Gride(n1=4).fit(X).dimension_,
        rtol=1e-10,
    )


def test_duplicates_removed():
    """Reference: the points without copies (15% duplicated, a group of 40 copies too)."""
    X = np.random.default_rng(3).uniform(size=(1000, 3))
    rng = np.random.default_rng(0)
    idx = rng.choice(1000, 150, replace=False)
    Xd = np.vstack([X, X[idx], np.repeat(X[:1], 40, axis=0)])
    with pytest.warns(DuplicatePointsWarning, match="190 of 1190"):
        est = Gride(n1=4).fit(Xd)
    np.testing.assert_allclose(est.dimension_, Gride(n1=4).fit(X).dimension_, rtol=1e-12)
    assert est.n_duplicates_ == 190
    with pytest.raises(ValueError, match="at least 3 distinct"):
        Gride().fit(np.zeros((30, 2)))


def test_not_enough_points_is_clear():
    X = np.random.default_rng(4).normal(size=(10, 2))
    with pytest.raises(ValueError, match="needs 16 neighbours"):
        Gride(n1=8).fit(X)
    with pytest.raises(ValueError, match="n1=8"):
        Gride(n1=8, multiscale=True).fit(X)
    G = KNeighborsTransformer(n_neighbors=3).fit_transform(np.random.default_rng(5).normal(
        size=(50, 2)))
    with pytest.raises(ValueError, match="neighbours"):
        Gride(n1=2, metric="precomputed").fit(G)


def test_ties_and_huge_ratios():
    """1-D lattice: r_1 == r_2 for interior points (dropped, warned); tight pairs give mu ~ 1e8
    at n1 = 1 (finite); all ties at the requested scale is a clear error."""
    x = np.arange(20.0)[:, None]
    with pytest.warns(UserWarning, match="ties"):
        est = Gride().fit(x)
    assert est.n_samples_used_ == 2 and np.isfinite(est.dimension_)
    X = np.random.default_rng(6).uniform(size=(500, 2))
    X[250:260] = X[:10] + 1e-9
    est = Gride().fit(X)
    assert np.isfinite(est.dimension_) and np.isfinite(est.dimension_err_)
    grid = np.stack(np.meshgrid(np.arange(5.0), np.arange(5.0)), -1).reshape(-1, 2)
    with pytest.raises(ValueError, match="ties"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Gride().fit(grid)


def test_boundary_of_search_interval_warns():
    """Ratios all ~1 push the maximum beyond d = 1000: clipped to the bound, with a warning."""
    from sklearn_geom.dimension._gride import gride_estimate

    with pytest.warns(UserWarning, match="boundary"):
        d, err = gride_estimate(np.full(50, 1e-7), 4, 8)
    assert d == 1e3 and np.isfinite(err)


def test_n_jobs_independent():
    X = np.random.default_rng(7).normal(size=(1500, 20))
    a = Gride(multiscale=True, n_jobs=1).fit(X)
    b = Gride(multiscale=True, n_jobs=2).fit(X)
    np.testing.assert_array_equal(a.scale_dimensions_, b.scale_dimensions_)


@pytest.mark.parametrize("Est", [Gride, TwoNN])
def test_bad_and_odd_inputs(Est):
    """NaN/inf/strings/empty: sklearn's validation errors; ints and one feature work; three
    distinct points are enough (k = n_samples - 1)."""
    X = np.random.default_rng(8).normal(size=(60, 2))
    for bad in (np.nan, np.inf):
        Xb = X.copy()
        Xb[3, 0] = bad
        with pytest.raises(ValueError, match="NaN|infinity"):
            Est().fit(Xb)
    with pytest.raises(ValueError):
        Est().fit(np.array([["a", "b"], ["c", "d"], ["e", "f"]]))
    with pytest.raises(ValueError):
        Est().fit(np.empty((0, 2)))
    ints = np.random.default_rng(9).integers(0, 1000, size=(200, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isfinite(Est().fit(ints).dimension_)
    assert np.isfinite(Est().fit(X[:, :1]).dimension_)
    three = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.5]])
    assert np.isfinite(Est().fit(three).dimension_)
