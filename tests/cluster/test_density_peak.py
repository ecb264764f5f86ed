"""DensityPeak (ADP and classic) against published results and brute-force checks.

References: the benchmark sets of d'Errico et al. (Inf. Sci. 2021) with their
published ground truth and NMI/FNR/FPR (read from ../shared when present);
decision-graph delta from ``scipy.spatial.distance.cdist``; scipy's dendrogram
tools on the peaks' linkage; sklearn's NMI.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.cluster.hierarchy import dendrogram, fcluster, is_valid_linkage
from scipy.spatial.distance import cdist
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.neighbors import KNeighborsTransformer

from sklearn_geom.cluster import DensityPeak
from sklearn_geom.neighbors import DuplicatePointsWarning

REF = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "adp"
needs_ref = pytest.mark.skipif(
    not REF.is_dir(), reason=f"reference data folder {REF} is absent (shared/ not checked out)"
)


def _blobs(centres, n, scale, seed):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, scale, (n, len(c))) for c in centres])
    y = np.repeat(np.arange(len(centres)), n)
    return X, y


@needs_ref
def test_two_gaussians_reference():
    """Published: Z=1.65 finds exactly 2 clusters splitting rows 0-49 / 50-99."""
    X = np.load(REF / "2gaussians_in_2d.npy")
    dp = DensityPeak(1.65).fit(X)
    assert dp.n_clusters_ == 2
    assert len(set(dp.labels_[:50])) == 1 and len(set(dp.labels_[50:])) == 1
    assert dp.labels_[0] != dp.labels_[50]
    assert abs(dp.intrinsic_dim_ - 1.85) < 0.02


@needs_ref
def test_fig1_published_quality():
    """Fig1, Z=1.5: 8 clusters; NMI, FNR, FPR within 0.01 of 1.000, 0.010, 0.111.

    NMI on points core in both the ground truth and the result; FNR: fraction of
    ground-truth noise assigned to a cluster; FPR: fraction of ground-truth
    cluster points declared halo (definitions of the reference README).  The
    points are planar: the density uses d = 2 and up to 1000 neighbours, as the paper.
    """
    X = np.loadtxt(REF / "Fig1.dat")
    gt = np.loadtxt(REF / "gt_F1.txt").astype(int)
    dp = DensityPeak(1.5, max_neighbors=1000, intrinsic_dim=2.0).fit(X)
    lab = np.where(dp.halo_, -1, dp.labels_)
    core = (gt >= 0) & (lab >= 0)
    assert dp.n_clusters_ == 8
    assert abs(normalized_mutual_info_score(gt[core], lab[core]) - 1.000) <= 0.01
    assert abs(np.mean(lab[gt < 0] >= 0) - 0.010) <= 0.01
    assert abs(np.mean(lab[gt >= 0] < 0) - 0.111) <= 0.01


def test_two_level_hierarchy_dendrogram():
    """Sub-blobs of each group join before the groups join (scipy reads the linkage)."""
    centres = [(0, 0), (5, 0), (40, 0), (45, 0)]
    X, y = _blobs(centres, 250, 1.0, 0)
    dp = DensityPeak().fit(X)
    assert dp.n_clusters_ == 4
    assert adjusted_rand_score(y, dp.labels_) > 0.95
    Z = dp.linkage_
    assert is_valid_linkage(Z)
    groups = fcluster(Z, 2, criterion="maxclust")  # per peak
    true_group = np.array([y[dp.labels_ == c].mean() // 2 for c in range(4)])
    assert adjusted_rand_score(true_group, groups) == 1.0
    # the first two joins are within groups, the last between them
    assert Z[-1, 2] > Z[1, 2] >= Z[0, 2]
    dendrogram(Z, no_plot=True)
    S = dp.saddle_log_density_
    assert np.all(np.diag(S) == dp.peaks_log_density_)


def test_five_gaussians_no_spurious_clusters():
    """A 5-Gaussian mixture gives 5 clusters (no 1-2 point clusters survive)."""
    rng = np.random.default_rng(3)
    centres = rng.uniform(-10, 10, (5, 5))
    X, y = _blobs(centres, 1000, 1.0, 4)
    dp = DensityPeak().fit(X)
    assert dp.n_clusters_ == 5
    assert adjusted_rand_score(y, dp.labels_) > 0.95


def test_halo_and_topography_consistent():
    X, y = _blobs([(0, 0), (4, 0)], 300, 1.0, 1)
    dp = DensityPeak().fit(X)
    assert dp.n_clusters_ == 2
    s = dp.saddle_log_density_[0, 1]
    assert s == dp.saddle_log_density_[1, 0]
    assert np.all(dp.peaks_log_density_ > s)
    np.testing.assert_array_equal(dp.halo_, dp.log_density_ < s)
    i = dp.saddle_indices_[0, 1]
    assert dp.log_density_[i] == s
    np.testing.assert_array_equal(dp.log_density_[dp.cluster_centers_indices_],
                                  dp.peaks_log_density_)


def test_decision_graph_delta_brute_force():
    """delta: distance to the nearest point of higher log density (cdist)."""
    X, _ = _blobs([(0, 0), (6, 6)], 150, 1.0, 2)
    dp = DensityPeak().fit(X)
    D = cdist(X, X)
    rho = dp.log_density_
    top = np.argmax(rho)
    for i in range(len(X)):
        if i == top:
            continue
        higher = rho > rho[i]
        assert dp.delta_[i] == pytest.approx(D[i, higher].min())
    assert dp.delta_[top] == pytest.approx(np.delete(dp.delta_, top).max())


def test_classic_density_peaks():
    X, y = _blobs([(0, 0), (6, 6), (0, 8)], 200, 1.0, 3)
    dp = DensityPeak(method="classic", n_clusters=3).fit(X)
    assert dp.n_clusters_ == 3
    assert adjusted_rand_score(y, dp.labels_) > 0.95
    thr = DensityPeak(method="classic", delta_threshold=3.0).fit(X)
    assert thr.n_clusters_ == 3
    with pytest.raises(ValueError, match="n_clusters"):
        DensityPeak(method="classic").fit(X)


def test_predict_and_fit_predict():
    X, y = _blobs([(0, 0), (8, 0)], 200, 1.0, 5)
    dp = DensityPeak()
    labels = dp.fit_predict(X)
    np.testing.assert_array_equal(labels, dp.labels_)
    np.testing.assert_array_equal(dp.predict(X), dp.labels_)
    new, ynew = _blobs([(0, 0), (8, 0)], 20, 0.8, 6)
    pred = dp.predict(new)
    mapping = {y[i]: dp.labels_[i] for i in range(len(y))}
    np.testing.assert_array_equal(pred, [mapping[t] for t in ynew])


def test_precomputed_equals_raw():
    X, _ = _blobs([(0, 0), (5, 5)], 200, 1.0, 7)
    G = KNeighborsTransformer(n_neighbors=100).fit_transform(X)
    raw = DensityPeak(max_neighbors=100).fit(X)
    pre = DensityPeak(metric="precomputed").fit(G)
    np.testing.assert_array_equal(pre.labels_, raw.labels_)
    np.testing.assert_array_equal(pre.halo_, raw.halo_)
    np.testing.assert_allclose(pre.saddle_log_density_, raw.saddle_log_density_)


def test_n_jobs_and_repeat_identical():
    X, _ = _blobs([(0, 0), (5, 5)], 200, 1.0, 8)
    a = DensityPeak(n_jobs=1).fit(X)
    b = DensityPeak(n_jobs=2).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.linkage_, b.linkage_)


def test_duplicates_share_labels():
    X, _ = _blobs([(0, 0), (6, 0)], 200, 1.0, 9)
    rng = np.random.default_rng(0)
    dup = rng.choice(400, 100, replace=False)
    Xd = np.vstack([X, X[dup]])  # 20% duplicates
    with pytest.warns(DuplicatePointsWarning):
        dp = DensityPeak().fit(Xd)
    assert dp.n_clusters_ == 2
    np.testing.assert_array_equal(dp.labels_[400:], dp.labels_[dup])
    assert np.isfinite(dp.log_density_).all()


def test_degenerate_inputs():
    with pytest.warns(UserWarning, match="one cluster"):
        dp = DensityPeak().fit(np.zeros((1, 2)))
    assert dp.labels_.tolist() == [0] and dp.n_clusters_ == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dp = DensityPeak().fit(np.ones((20, 3)))
    assert dp.n_clusters_ == 1 and (dp.labels_ == 0).all()
    with pytest.warns(UserWarning, match="one cluster"):
        dp = DensityPeak().fit([[0.0, 0.0], [1.0, 1.0]])
    assert dp.labels_.tolist() == [0, 0]
    assert dp.predict([[3.0, 3.0]]).tolist() == [0]
    # a single Gaussian is one cluster
    X = np.random.default_rng(0).normal(size=(500, 3))
    assert DensityPeak().fit(X).n_clusters_ == 1
    with pytest.raises(ValueError, match="NaN"):
        DensityPeak().fit(np.array([[0.0, np.nan], [1.0, 2.0], [3.0, 4.0], [5.0, 1.0]]))


def test_high_dimensional_mixture_no_saddleless_clusters():
    """5 Gaussians in D=20 (ID ~17), N=10k: 5 clusters, none tiny (reference: the mixture
    components; with centres excluded from the border test, as in DADApy, two extra
    clusters of 1 and 2 points that no point borders survived here)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0.0, 3.0, (5, 20))
    y = rng.integers(0, 5, 10000)
    X = centres[y] + rng.normal(size=(10000, 20))
    dp = DensityPeak(n_jobs=2).fit(X)
    assert dp.n_clusters_ == 5
    assert adjusted_rand_score(y, dp.labels_) > 0.99
    assert np.bincount(dp.labels_).min() > 1000


def _mixture_d20(n, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 3.0, (5, 20))
    y = rng.integers(0, 5, n)
    return centres[y] + rng.normal(size=(n, 20)), y


def test_high_dimensional_mixture_no_noise_peaks():
    """5 Gaussians in D=20, N=20k (reference: the mixture components).  With the plain
    pairwise test of ADP, 9 clusters came out here (4 of them a noise peak of the PAk
    estimate and the points around it); with spikes levelled and a second point of each
    cluster required to pass the test against the saddle, the 5 components."""
    X, y = _mixture_d20(20000, 0)
    dp = DensityPeak().fit(X)
    assert dp.n_clusters_ == 5
    assert adjusted_rand_score(y, dp.labels_) > 0.999
    assert dp.spikes_.any()


def test_spikes_against_brute_force():
    """``spikes_`` against the rule written out here with sklearn's neighbours: a point is
    a spike when its log density exceeds every k* neighbour's by more than
    Z sqrt(e_i^2 + e_j^2); spikes take their neighbours' highest log density, repeated
    until nothing changes."""
    from sklearn.neighbors import NearestNeighbors

    X, _ = _mixture_d20(4000, 1)
    Z = 1.65
    dp = DensityPeak(Z=Z).fit(X)
    rho, err, kstar = dp.log_density_, dp.log_density_err_, dp.kstar_
    _, ind = NearestNeighbors(n_neighbors=int(kstar.max()) + 1).fit(X).kneighbors(X)
    ind = ind[:, 1:]
    cur, mask = rho.copy(), np.zeros(rho.size, dtype=bool)
    while True:
        new = cur.copy()
        for i in range(rho.size):
            nb = ind[i, : kstar[i]]
            if np.all(cur[i] - cur[nb] > Z * np.sqrt(err[i] ** 2 + err[nb] ** 2)):
                new[i] = cur[nb].max()
                mask[i] = True
        if np.array_equal(new, cur):
            break
        cur = new
    assert mask.any()
    np.testing.assert_array_equal(dp.spikes_, mask)
    # the peaks are reported on the levelled scale
    np.testing.assert_allclose(dp.peaks_log_density_, cur[dp.cluster_centers_indices_])


def test_merge_needs_a_second_point_passing():
    """The merging kernel on two hand-made clusters: peaks 0 and -1 (errors 0.1), a saddle
    at -10 (error 0.1), far below both, so the test on the peaks keeps them apart; when
    the second cluster's second best ``rho - Z e`` (-12) is below ``rho_s + Z e_s``
    (-9.835) it is merged into the first; with -3 it is kept."""
    from sklearn_geom.cluster._density_peak_numba import merge_clusters

    peak = np.array([0.0, -1.0])
    perr = np.array([0.1, 0.1])
    ea, eb = np.array([0]), np.array([1])
    srho, serr, spt = np.array([-10.0]), np.array([0.1]), np.array([7])
    kept = merge_clusters(peak, perr, peak, np.array([-2.0, -3.0]), ea, eb, srho, serr, spt, 1.65)
    np.testing.assert_array_equal(kept[0], [0, 1])
    merged = merge_clusters(peak, perr, peak, np.array([-2.0, -12.0]), ea, eb, srho, serr, spt,
                            1.65)
    np.testing.assert_array_equal(merged[0], [0, 0])
