"""Density-peak plots: what is drawn equals the fitted attributes (reference: the
attributes themselves and scipy's dendrogram of linkage_); bad inputs give clear errors."""

import numpy as np
import pytest

from sklearn_geom.cluster import DensityPeak

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 1.0, (150, 2)) for c in ([0, 0], [6, 0], [0, 9])])
    return X, DensityPeak().fit(X)


@pytest.fixture
def ax():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_decision_graph(fitted, ax):
    from sklearn_geom.plotting import plot_decision_graph

    X, dp = fitted
    assert plot_decision_graph(dp, ax=ax) is ax
    pts, centres = ax.collections[:2]
    np.testing.assert_allclose(pts.get_offsets(), np.c_[dp.log_density_, dp.delta_])
    c = dp.cluster_centers_indices_
    np.testing.assert_allclose(centres.get_offsets(), np.c_[dp.log_density_[c], dp.delta_[c]])


def test_dendrogram(fitted, ax):
    from scipy.cluster.hierarchy import dendrogram

    from sklearn_geom.plotting import plot_peak_dendrogram

    X, dp = fitted
    assert dp.n_clusters_ == 3
    plot_peak_dendrogram(dp, ax=ax)
    ref = dendrogram(dp.linkage_, no_plot=True)
    drawn = [p.vertices[:, 1].max() for c in ax.collections for p in c.get_paths()]
    drawn += [line.get_ydata().max() for line in ax.lines]
    np.testing.assert_allclose(sorted(drawn), sorted(max(d) for d in ref["dcoord"]))
    np.testing.assert_allclose(sorted(drawn), np.sort(dp.linkage_[:, 2]))


def test_scatter(fitted, ax):
    from sklearn_geom.plotting import plot_density_peaks

    X, dp = fitted
    plot_density_peaks(dp, X, ax=ax)
    n_halo = int(dp.halo_.sum())
    sizes = [len(c.get_offsets()) for c in ax.collections]
    assert sizes == ([n_halo] if n_halo else []) + [len(X) - n_halo, dp.n_clusters_]
    with pytest.raises(ValueError, match="shape"):
        plot_density_peaks(dp, X[:, :1], ax=ax)
    with pytest.raises(TypeError, match="DensityPeak"):
        plot_density_peaks(object(), X, ax=ax)
