"""plot_id_scale: the drawn points are the estimator's fitted arrays (reference: the
attributes themselves); bad inputs give clear errors."""

import numpy as np
import pytest

from sklearn_geom.dimension import Gride, TwoNN

pytest.importorskip("matplotlib")


@pytest.fixture
def ax():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _X():
    return np.random.default_rng(0).normal(size=(400, 3))


def test_gride_multiscale(ax):
    from sklearn_geom.plotting import plot_id_scale

    est = Gride(multiscale=True, range_max=32).fit(_X())
    out = plot_id_scale(est, ax=ax)
    assert out is ax
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), est.scale_distances_)
    np.testing.assert_allclose(line.get_ydata(), est.scale_dimensions_)
    assert ax.get_xscale() == "log" and ax.get_legend().get_texts()[0].get_text() == "Gride"
    plot_id_scale(est, ax=ax, x="rank", label="ranks")
    np.testing.assert_allclose(ax.lines[-1].get_xdata(), 2 * est.scale_n1_)


def test_twonn_decimation_and_overlay(ax):
    from sklearn_geom.plotting import plot_id_scale

    est = TwoNN(n_scales=4, random_state=0).fit(_X())
    plot_id_scale(est, ax=ax, x="size")
    np.testing.assert_allclose(ax.lines[0].get_xdata(), est.scale_sizes_)
    plot_id_scale(est, ax=ax)
    np.testing.assert_allclose(ax.lines[-1].get_xdata(), est.scale_distances_)


def test_arrays(ax):
    from sklearn_geom.plotting import plot_id_scale

    plot_id_scale(([1, 2, 4], [2.0, 2.1, 2.3], [0.1, 0.1, 0.2]), ax=ax, xscale="linear")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.0, 2.1, 2.3])
    plot_id_scale({"scales": [1, 2], "dimensions": [3, 3]}, ax=ax)


def test_errors(ax):
    from sklearn_geom.plotting import plot_id_scale

    with pytest.raises(ValueError, match="no scale analysis"):
        plot_id_scale(TwoNN().fit(_X()), ax=ax)
    with pytest.raises(ValueError, match="not available"):
        plot_id_scale(Gride().fit(_X()), ax=ax, x="size")
    with pytest.raises(TypeError, match="fitted TwoNN"):
        plot_id_scale(object(), ax=ax)
    with pytest.raises(ValueError, match="same shape"):
        plot_id_scale(([1, 2], [1.0]), ax=ax)
    with pytest.raises(ValueError, match="x must be"):
        plot_id_scale(([1, 2], [1.0, 2]), ax=ax, x="bad")
