"""Figures of PersistenceSimilarity: what is drawn matches the fitted arrays.

Reference: the estimator's own attributes (hand-made barcode worked out in
test_persistence_similarity.py) -- the plots must show exactly those numbers.
"""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from sklearn_geom.plotting import plot_barcode, plot_pruning_scores, plot_similarity  # noqa: E402
from sklearn_geom.topology import PersistenceSimilarity  # noqa: E402

BARS = np.array([[1, 1, 2], [1, 0, 1], [1, 1, 4], [1, 2, 5], [0, 0, 5]])


@pytest.fixture
def fitted():
    yield PersistenceSimilarity.from_barcode(BARS)
    plt.close("all")


def test_plot_barcode_segments(fitted):
    ax = plot_barcode(fitted)
    (coll,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    segs = np.array(coll.get_segments())
    # effective bars of degree 1: [0,1), [1,2), [1,3): drawn from b-0.5 to d-0.5
    got = sorted((s[0, 0] + 0.5, s[1, 0] + 0.5) for s in segs)
    assert got == [(0, 1), (1, 2), (1, 3)]
    ax = plot_barcode(fitted, homology_dim=[0, 1], effective=False)
    assert len([c for c in ax.collections if isinstance(c, LineCollection)]) == 2
    ax = plot_barcode(BARS, max_bars=1)  # a bare array, every degree, longest bar only
    assert [len(c.get_segments()) for c in ax.collections] == [1, 1]


def test_plot_similarity_shows_the_matrix(fitted):
    ax = plot_similarity(fitted)
    np.testing.assert_array_equal(ax.images[0].get_array(), fitted.similarity_)
    ax = plot_similarity(np.eye(3), colorbar=False)
    assert ax.images[0].get_array().shape == (3, 3)


def test_plot_pruning_scores(fitted):
    ax = plot_pruning_scores(fitted)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), fitted.scores_)
    assert ax.lines[1].get_ydata()[0] == pytest.approx(0.9 * fitted.scores_.max())
    assert len(ax.patches) == fitted.layers_to_prune_.size == 1
    ax = plot_pruning_scores([0.1, 0.5, 0.2], layers_to_prune=[1, 2])
    assert len(ax.patches) == 2 and len(ax.lines) == 1


def test_unfitted_estimator_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        plot_similarity(PersistenceSimilarity())
