"""Density estimators against direct implementations written here.

References used (independent of the code under test): neighbour lists from
``scipy.spatial.distance.cdist`` + ``argsort``; volumes from ``math.gamma``; the
PAk likelihood maximised with ``scipy.optimize.minimize``; k* from a literal loop
over the definition of Rodriguez et al. (JCTC 2018).
"""

import math
import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from sklearn.neighbors import KNeighborsTransformer

from sklearn_geom.density import (
    DensityEstimator,
    compute_kstar,
    knn_log_density,
    pak_log_density,
)
from sklearn_geom.neighbors import DuplicatePointsWarning

THR = 23.928


def _brute_lists(X, K):
    D = cdist(X, X)
    np.fill_diagonal(D, np.inf)
    ind = np.argsort(D, axis=1, kind="stable")[:, :K]
    return np.take_along_axis(D, ind, 1), ind


def _vd(d):
    return math.pi ** (d / 2) / math.gamma(d / 2 + 1)


def _kstar_reference(dist, ind, d):
    """Literal definition: first k >= 3 with D_k > threshold, else K."""
    n, K = dist.shape
    out = np.empty(n, dtype=int)
    for i in range(n):
        out[i] = K
        for k in range(3, K):
            j = ind[i, k]  # the (k+1)-th neighbour
            vi = _vd(d) * dist[i, k - 1] ** d
            vj = _vd(d) * dist[j, k - 1] ** d
            dk = -2 * k * (math.log(vi) + math.log(vj) - 2 * math.log(vi + vj) + math.log(4))
            if dk > THR:
                out[i] = k
                break
    return out


def _pak_reference(r, k, d, n):
    """Maximise the PAk likelihood with scipy (linear-space volumes, small d)."""
    r = r[:k]
    v = _vd(d) * (r**d - np.concatenate([[0.0], r[:-1] ** d]))
    ls = np.arange(1, k + 1)

    def neg(p):
        F, a = p
        return -(k * F + a * k * (k + 1) / 2 - np.sum(v * np.exp(F + a * ls)))

    F0 = math.log(k / (_vd(d) * r[-1] ** d))
    res = minimize(neg, [F0, 0.0], method="Nelder-Mead",
                   options=dict(xatol=1e-10, fatol=1e-12, maxiter=20000))
    return res.x[0] - math.log(n)


@pytest.fixture(scope="module")
def gauss2d():
    return np.random.default_rng(0).normal(size=(400, 2))


def test_knn_density_matches_direct_formula(gauss2d):
    """kNN: ln k - ln N - ln(V_d r_k^d), with brute-force r_k and math.gamma volumes."""
    X = gauss2d
    dist, _ = _brute_lists(X, 20)
    for d in (1.7, 2.0, 3.0):
        est = DensityEstimator("knn", n_neighbors=10, intrinsic_dim=d).fit(X)
        ref = np.log(10) - np.log(len(X)) - np.log(_vd(d) * dist[:, 9] ** d)
        np.testing.assert_allclose(est.log_density_, ref, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(est.log_density_err_, 1 / np.sqrt(10))
    lr, err = knn_log_density(dist, 10, 2.0)
    np.testing.assert_allclose(lr, np.log(10 / len(X)) - np.log(np.pi * dist[:, 9] ** 2))


def test_kstar_matches_definition(gauss2d):
    """k* against a literal loop over the definition (volumes in linear space)."""
    X = gauss2d
    dist, ind = _brute_lists(X, 60)
    for d in (1.5, 2.0, 2.6):
        ref = _kstar_reference(dist, ind, d)
        kstar, saturated = compute_kstar(dist, ind, d)
        np.testing.assert_array_equal(kstar, ref)
        np.testing.assert_array_equal(saturated, ref == 60)
        est = DensityEstimator("kstar", max_neighbors=60, intrinsic_dim=d).fit(X)
        np.testing.assert_array_equal(est.kstar_, ref)
        r_k = dist[np.arange(len(X)), ref - 1]
        knn_ref = np.log(ref) - np.log(len(X)) - np.log(_vd(d) * r_k**d)
        np.testing.assert_allclose(est.log_density_, knn_ref, rtol=1e-10)


def test_pak_matches_scipy_maximisation(gauss2d):
    """PAk: Newton-Raphson against scipy's maximisation of the PAk likelihood."""
    X = gauss2d
    dist, ind = _brute_lists(X, 60)
    d = 2.0
    est = DensityEstimator("pak", max_neighbors=60, intrinsic_dim=d).fit(X)
    ref_k = _kstar_reference(dist, ind, d)
    np.testing.assert_array_equal(est.kstar_, ref_k)
    for i in range(0, len(X), 37):
        ref = _pak_reference(dist[i], ref_k[i], d, len(X))
        assert abs(est.log_density_[i] - ref) < 1e-5
    k = ref_k.astype(float)
    np.testing.assert_allclose(est.log_density_err_, np.sqrt((4 * k + 2) / (k * (k - 1))))
    # the function form on the same lists
    lr, err, a = pak_log_density(dist, ref_k, d)
    np.testing.assert_allclose(lr, est.log_density_, rtol=1e-10)


def test_pak_fixed_k_uniform_is_exact():
    """Equal shells of a uniform density: PAk gives that density with slope 0."""
    r = np.sqrt(np.arange(1, 21.0))[None, :]
    lr, err, a = pak_log_density(r, 20, 2.0, n_samples=1)
    assert abs(math.exp(lr[0]) - 1 / math.pi) < 1e-9
    assert abs(a[0]) < 1e-9


def test_high_intrinsic_dimension_is_finite_and_varies():
    """5000 standard Gaussians in D=512 (ID ~ 127): finite, varying log densities."""
    X = np.random.default_rng(1).normal(size=(5000, 512))
    est = DensityEstimator().fit(X)
    assert est.intrinsic_dim_ > 80
    assert np.isfinite(est.log_density_).all()
    assert np.unique(est.log_density_).size > 4500
    assert np.std(est.log_density_) > 0.5
    # denser near the centre: log density decreases with the norm
    assert np.corrcoef(est.log_density_, np.linalg.norm(X, axis=1))[0, 1] < -0.3


def test_score_samples_rule_knn(gauss2d):
    """New points: ln k - ln N - ln(V_d r_k^d) with r_k among the fitted points."""
    X = gauss2d
    Q = np.random.default_rng(5).normal(size=(30, 2))
    est = DensityEstimator("knn", n_neighbors=8, intrinsic_dim=2.0).fit(X)
    rk = np.sort(cdist(Q, X), axis=1)[:, 7]
    np.testing.assert_allclose(est.score_samples(Q), np.log(8 / len(X)) - np.log(np.pi * rk**2))
    assert est.score(Q) == pytest.approx(est.score_samples(Q).sum())
    for method in ("pak", "kstar"):
        e = DensityEstimator(method, intrinsic_dim=2.0).fit(X)
        s = e.score_samples(Q)
        assert np.isfinite(s).all()
        true = -np.log(2 * np.pi) - 0.5 * (Q**2).sum(1)
        assert np.corrcoef(s, true)[0, 1] > 0.8


def test_precomputed_equals_raw(gauss2d):
    """A sklearn KNeighborsTransformer graph gives the same densities as raw points."""
    X = gauss2d
    G = KNeighborsTransformer(n_neighbors=50).fit_transform(X)
    for method in ("pak", "kstar", "knn"):
        raw = DensityEstimator(method, max_neighbors=50).fit(X)
        pre = DensityEstimator(method, metric="precomputed").fit(G)
        np.testing.assert_allclose(pre.log_density_, raw.log_density_, rtol=1e-9)
        np.testing.assert_array_equal(pre.kstar_, raw.kstar_)
        assert pre.intrinsic_dim_ == pytest.approx(raw.intrinsic_dim_)


def test_n_jobs_independent(gauss2d):
    a = DensityEstimator(n_jobs=1).fit(gauss2d)
    b = DensityEstimator(n_jobs=2).fit(gauss2d)
    np.testing.assert_array_equal(a.log_density_, b.log_density_)


def test_auto_neighbourhood_grows():
    """Uniform data: k* saturates at 100, the cap doubles."""
    X = np.random.default_rng(2).uniform(size=(3000, 2))
    est = DensityEstimator("kstar", intrinsic_dim=2.0).fit(X)
    assert est.n_neighbors_ > 100
    fixed = DensityEstimator("kstar", intrinsic_dim=2.0, max_neighbors=100).fit(X)
    assert fixed.n_neighbors_ == 100 and fixed.kstar_.max() == 100


def test_duplicates_share_density(gauss2d):
    X = np.vstack([gauss2d, gauss2d[:100]])  # 20% duplicates
    with pytest.warns(DuplicatePointsWarning):
        est = DensityEstimator().fit(X)
    assert np.isfinite(est.log_density_).all()
    np.testing.assert_array_equal(est.log_density_[400:], est.log_density_[:100])
    assert est.n_duplicates_ == 100


def test_degenerate_inputs():
    with pytest.raises(ValueError, match="distinct points"):
        DensityEstimator().fit(np.zeros((1, 2)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DuplicatePointsWarning)
        with pytest.raises(ValueError, match="distinct points"):
            DensityEstimator().fit(np.ones((10, 2)))
    with pytest.raises(ValueError, match="NaN"):
        DensityEstimator().fit(np.array([[0.0, np.nan], [1.0, 2.0], [3.0, 4.0]]))
    # two points with a given dimension: kNN with k = 1 is defined
    est = DensityEstimator("knn", n_neighbors=1, intrinsic_dim=1.0).fit([[0.0], [2.0]])
    np.testing.assert_allclose(est.log_density_, np.log(1 / 2) - np.log(2 * 2.0))
    with pytest.raises(ValueError, match="at least 2 neighbours"):
        DensityEstimator(intrinsic_dim=1.0).fit([[0.0], [2.0]])
    with pytest.raises(ValueError, match="10 neighbours"):
        DensityEstimator("knn", n_neighbors=10).fit(np.random.default_rng(0).normal(size=(5, 2)))
