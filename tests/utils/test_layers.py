"""Tests of the layered-input container (`check_layers`, `LayeredData`).

Reference: the input itself.  Every accepted container is built here from the
same per-layer arrays, so the expected layers, names and rebuilt outputs are the
arrays the test started from (numpy slicing done in the test), never values the
code under test produced.
"""

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.neighbors import KNeighborsTransformer

from sklearn_geom.neighbors import KNNGraph, compute_knn
from sklearn_geom.utils import LayeredData, check_layers


def _layers(widths=(3, 3, 3), n=20, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(n, w)) for w in widths]


# --------------------------------------------------------------------------------------
# every container gives the same layers


def test_every_container_gives_the_same_layers():
    layers = _layers()
    X3 = np.stack(layers)
    X2 = np.hstack(layers)
    inputs = {
        "dict": {f"blk{i}": a for i, a in enumerate(layers)},
        "array3d": X3,
        "list": layers,
        "split2d": X2,
    }
    for kind, X in inputs.items():
        got = check_layers(X, n_layers=3)
        assert got.kind == kind
        assert got.n_layers == len(got) == 3
        assert got.n_samples == 20 and got.widths == (3, 3, 3)
        assert not got.precomputed
        for (name, a), ref in zip(got, layers):
            assert isinstance(name, str)
            np.testing.assert_array_equal(a, ref)
    assert check_layers(inputs["dict"]).names == ("blk0", "blk1", "blk2")
    assert check_layers(layers).names == ("0", "1", "2")
    assert check_layers(tuple(layers)).kind == "list"
    assert check_layers(layers, names=["a", "b", "c"]).names == ("a", "b", "c")


def test_views_not_copies_and_float32_memmap(tmp_path):
    """3-D slices and 2-D blocks are views; float32 memmaps are not copied."""
    X3 = np.stack(_layers())
    got = check_layers(X3)
    assert all(np.shares_memory(a, X3) for a in got.arrays)
    X2 = np.hstack(_layers())
    assert all(np.shares_memory(a, X2) for a in check_layers(X2, n_layers=3).arrays)

    mm = np.lib.format.open_memmap(
        tmp_path / "layer.npy", mode="w+", dtype=np.float32, shape=(50, 4)
    )
    mm[:] = np.arange(200, dtype=np.float32).reshape(50, 4)
    mm.flush()
    ro = np.load(tmp_path / "layer.npy", mmap_mode="r")  # read-only, as a spill would be
    got = check_layers({"a": ro, "b": mm})
    assert got["a"].dtype == np.float32 and np.shares_memory(got["a"], ro)
    assert np.shares_memory(got["b"], mm)
    assert check_layers([ro, ro]).arrays[1].dtype == np.float32
    # other dtypes become float64 (the default dtype rule), float32 is kept
    assert check_layers([np.ones((4, 2), dtype=np.int32)]).arrays[0].dtype == np.float64
    kept = check_layers([np.ones((4, 2), dtype=np.int32)], dtype=None)
    assert kept.arrays[0].dtype == np.int32


def test_widths_may_differ_and_indexing():
    layers = _layers(widths=(2, 5, 7))
    got = check_layers({"a": layers[0], "b": layers[1], "c": layers[2]})
    assert got.widths == (2, 5, 7)
    np.testing.assert_array_equal(got["b"], layers[1])
    np.testing.assert_array_equal(got[-1], layers[2])
    with pytest.raises(KeyError, match="No layer named 'z'"):
        got["z"]
    with pytest.raises(IndexError):
        got[3]


def test_non_string_dict_keys_are_kept_for_rebuild():
    layers = _layers(widths=(2, 3))
    got = check_layers({10: layers[0], 20: layers[1]})
    assert got.names == ("10", "20")
    assert got.rebuild([1, 2]) == {10: 1, 20: 2}


# --------------------------------------------------------------------------------------
# rebuild gives the caller's container back


def test_rebuild_each_container():
    layers = _layers(widths=(3, 3, 3))
    keep = [0, 2]
    X3, X2 = np.stack(layers), np.hstack(layers)
    d = {"x": layers[0], "y": layers[1], "z": layers[2]}

    out = check_layers(d).rebuild([layers[i] for i in keep], layers=keep)
    assert list(out) == ["x", "z"]
    np.testing.assert_array_equal(out["z"], layers[2])

    np.testing.assert_array_equal(
        check_layers(X3).rebuild(layers=[True, False, True]), X3[keep]
    )
    np.testing.assert_array_equal(
        check_layers(X2, n_layers=3).rebuild(layers=keep), X2[:, [0, 1, 2, 6, 7, 8]]
    )
    assert len(check_layers(layers).rebuild(layers=["0", "2"])) == 2

    # per-layer scalars and per-point vectors
    s = check_layers(X2, n_layers=3)
    np.testing.assert_array_equal(s.rebuild([1.0, 2.0, 3.0]), [1.0, 2.0, 3.0])
    cols = s.rebuild([a[:, 0] for a in s.arrays])
    np.testing.assert_array_equal(cols, X2[:, [0, 3, 6]])
    np.testing.assert_array_equal(
        check_layers(X3).rebuild([a[:, 0] for a in layers]), X3[:, :, 0]
    )

    # nothing kept
    assert check_layers(X3).rebuild([], layers=[]).shape == (0, 20, 3)
    assert check_layers(X2, n_layers=3).rebuild([], layers=[]).shape == (20, 0)
    assert check_layers(d).rebuild([], layers=[]) == {}

    with pytest.raises(ValueError, match="2 values for 3 layers"):
        check_layers(layers).rebuild([1, 2])
    with pytest.raises(ValueError, match="mask"):
        check_layers(layers).rebuild(layers=[True, False])


def test_from_arrays_keeps_objects_and_checks_shapes(tmp_path):
    mm = np.lib.format.open_memmap(
        tmp_path / "a.npy", mode="w+", dtype=np.float32, shape=(6, 2)
    )
    b = np.zeros((6, 5))
    got = LayeredData.from_arrays([mm, b], ["l1", "l2"])
    assert got.arrays[0] is mm and got.arrays[1] is b  # nothing converted
    assert got.kind == "dict" and got.widths == (2, 5) and got.n_samples == 6
    assert list(got.rebuild()) == ["l1", "l2"]
    assert LayeredData.from_arrays([b, b]).kind == "list"
    assert LayeredData.from_arrays([b, b], kind="array3d").rebuild().shape == (2, 6, 5)
    with pytest.raises(ValueError, match="'1' has 5 points where layer '0' has 6"):
        LayeredData.from_arrays([b, b[:5]])
    with pytest.raises(ValueError, match="2-D"):
        LayeredData.from_arrays([b, b[0]])
    with pytest.raises(ValueError, match="unique"):
        LayeredData.from_arrays([b, b], ["a", "a"])
    with pytest.raises(ValueError, match="No layer"):
        LayeredData.from_arrays([])


def test_check_layout():
    got = check_layers(_layers(widths=(2, 3)))
    assert got.check_layout(2, [2, 3]) is got
    with pytest.raises(ValueError, match="X has 2 layers, but Foo was fitted on 3"):
        got.check_layout(3, fitted_by="Foo")
    with pytest.raises(ValueError, match="widths"):
        got.check_layout(2, [2, 2])


# --------------------------------------------------------------------------------------
# bad input: clear errors naming the layer


def test_different_numbers_of_points_name_the_layer():
    a, b = _layers(widths=(2, 2))
    with pytest.raises(ValueError, match="layer 'late' has 19 points where layer 'early'"):
        check_layers({"early": a, "late": b[:19]})
    with pytest.raises(ValueError, match="same points"):
        check_layers([a, b[:19]])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_name_the_layer(bad):
    X = np.stack(_layers())
    X[2, 5, 1] = bad
    with pytest.raises(ValueError, match="Layer '2'.*(NaN|infinity)"):
        check_layers(X)
    with pytest.raises(ValueError, match="Layer 'c'.*(NaN|infinity)"):
        check_layers({"a": X[0], "b": X[1], "c": X[2]})
    with pytest.raises(ValueError, match="NaN|infinity"):
        check_layers(np.hstack(list(X)), n_layers=3)


def test_empty_and_too_small():
    with pytest.raises(ValueError, match="no layer"):
        check_layers({})
    with pytest.raises(ValueError, match="no layer"):
        check_layers([])
    with pytest.raises(ValueError, match="Layer '1'.*0 sample"):
        check_layers([np.ones((3, 2)), np.ones((0, 2))])
    with pytest.raises(ValueError, match="Layer '0'.*minimum of 5"):
        check_layers([np.ones((3, 2))], ensure_min_samples=5)
    with pytest.raises(ValueError, match="At least 2 layers"):
        check_layers([np.ones((3, 2))], min_layers=2)
    with pytest.raises(ValueError, match="does not divide"):
        check_layers(np.ones((4, 6)), n_layers=4)
    with pytest.raises(ValueError, match="Layer '1'.*2D"):
        check_layers([np.ones((3, 1)), np.ones(3)])
    with pytest.raises(TypeError, match="dense data"):
        check_layers(sparse.random(5, 4, format="csr"))
    with pytest.raises(TypeError, match="dense data"):
        check_layers(sparse.random(5, 4, format="dok"))  # a dok matrix is a dict
    with pytest.raises(ValueError, match="dict"):
        check_layers({"a": np.ones((2, 2))}, names=["b"])
    with pytest.raises(ValueError, match="3 layer names for 2 layers"):
        check_layers([np.ones((2, 2))] * 2, names=["a", "b", "c"])


def test_plain_2d_defaults_to_one_layer_and_nested_lists():
    X = [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    got = check_layers(X)
    assert got.kind == "split2d" and got.n_layers == 1 and got.widths == (2,)
    np.testing.assert_array_equal(got.rebuild(), np.asarray(X))
    nested = check_layers([X, X])  # a list of 2-D lists is a list of layers
    assert nested.kind == "list" and nested.n_layers == 2


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_estimator_gets_feature_names_for_2d_input():
    pd = pytest.importorskip("pandas")

    class Est(BaseEstimator):
        pass

    est = Est()
    X = pd.DataFrame(np.ones((4, 4)), columns=["a", "b", "c", "d"])
    got = check_layers(X, n_layers=2, estimator=est)
    assert est.n_features_in_ == 4 and list(est.feature_names_in_) == ["a", "b", "c", "d"]
    assert got.widths == (2, 2)
    with pytest.raises(ValueError, match="features"):
        check_layers(np.ones((4, 6)), n_layers=2, estimator=est, reset=False)


# --------------------------------------------------------------------------------------
# precomputed graphs


def test_precomputed_graphs_are_kept_as_given():
    layers = _layers(widths=(2, 2))
    sp = KNeighborsTransformer(n_neighbors=3).fit_transform(layers[0])
    g = compute_knn(layers[1], 3)
    assert isinstance(g, KNNGraph)
    pair = (g.distances, g.indices)
    got = check_layers({"a": sp, "b": g}, precomputed=True)
    assert got.precomputed and got.kind == "dict" and got.n_samples == 20
    assert got.arrays[0] is sp and got.arrays[1] is g and got.widths == (None, None)
    assert check_layers([sp, pair], precomputed=True).n_samples == 20
    single = check_layers(sp, precomputed=True)
    assert single.kind == "single" and single.rebuild() is sp
    dok = check_layers(sp.todok(), precomputed=True)  # a dok matrix is a dict too
    assert dok.kind == "single"
    with pytest.raises(ValueError, match="same points"):
        check_layers([sp, compute_knn(layers[1][:10], 3)], precomputed=True)
    with pytest.raises(ValueError, match="Layer '1'.*kNN graph"):
        check_layers([sp, "nope"], precomputed=True)
    with pytest.raises(TypeError, match="Layer '1'.*dense data"):
        check_layers([layers[0], sp])
    with pytest.raises(ValueError, match="list or dict of kNN graphs"):
        check_layers(np.stack(layers), precomputed=True)


def test_layered_data_input_is_revalidated_and_keeps_its_kind(tmp_path):
    layers = _layers(widths=(2, 4))
    mm = np.lib.format.open_memmap(tmp_path / "a.npy", mode="w+", dtype=np.float32,
                                   shape=(20, 2))
    mm[:] = layers[0]
    ld = LayeredData.from_arrays([mm, layers[1]], ["fc1", "fc2"])
    got = check_layers(ld)
    assert got.kind == "dict" and got.names == ("fc1", "fc2") and got.widths == (2, 4)
    assert np.shares_memory(got["fc1"], mm) and got["fc1"].dtype == np.float32
    assert list(got.rebuild(layers=[1])) == ["fc2"]
    bad = layers[1].copy()
    bad[3, 0] = np.nan
    with pytest.raises(ValueError, match="Layer 'fc2'.*NaN"):
        check_layers(LayeredData.from_arrays([layers[0], bad], ["fc1", "fc2"]))
    with pytest.raises(ValueError, match="points, but precomputed graphs were expected"):
        check_layers(ld, precomputed=True)
    with pytest.raises(ValueError, match="At least 3 layers"):
        check_layers(ld, min_layers=3)


def test_repr_is_short():
    got = check_layers([np.zeros((1000, 50))] * 10)
    r = repr(got)
    assert len(r) < 200 and "n_layers=10" in r and "n_samples=1000" in r
    assert "'...'" in r
