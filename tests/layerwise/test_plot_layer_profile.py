"""plot_layer_profile draws the profile's own columns (checked against the DataFrame)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pd = pytest.importorskip("pandas")

from sklearn_geom.plotting import plot_layer_profile  # noqa: E402


def test_several_models_on_one_axes():
    a = pd.DataFrame({"relative_depth": [0, 0.5, 1], "dimension_": [5.0, 9.0, 3.0],
                      "dimension_err_": [0.1, 0.2, 0.1]})
    b = pd.DataFrame({"relative_depth": [0, 1], "dimension_": [4.0, 6.0],
                      "dimension_err_": [0.1, 0.1]})
    ax = plot_layer_profile({"A": a, "B": b}, error="dimension_err_")
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), [5, 9, 3])
    np.testing.assert_array_equal(lines[-1].get_xdata(), [0, 1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    both = pd.concat([a.assign(model="A"), b.assign(model="B")])
    ax = plot_layer_profile(both, "dimension_", x="relative_depth")
    assert len(ax.get_lines()) == 2
    with pytest.raises(ValueError, match="no column 'ari'"):
        plot_layer_profile(a, "ari")
