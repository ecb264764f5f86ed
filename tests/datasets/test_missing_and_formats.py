"""Missing values, variable lengths, time-stamped .ts files, the one header parser, the
archive lists and the offline default data sets.

Independent references: interpolation is checked against values computed by hand
(straight lines between known points) and against numpy.interp written out in the
test; padding against hand-built arrays; the time-stamped reader against the values
written in the file; the archive lists against aeon's published name lists.
"""

import numpy as np
import pytest

from sklearn_geom.datasets import (
    interpolate_missing,
    list_archive_datasets,
    list_bundled_datasets,
    load_ucr,
    pad_series,
    read_ts,
    write_ts,
    write_tsv,
)
from sklearn_geom.datasets._ts import parse_ts_header, read_ts_header

nan = np.nan


def test_interpolate_start_middle_end_by_hand():
    X = np.array(
        [
            [nan, nan, 2.0, 4.0, 6.0],  # start: first finite value carried back
            [1.0, nan, nan, 4.0, 5.0],  # middle: straight line 1 -> 4
            [1.0, 2.0, 3.0, nan, nan],  # end: last finite value carried forward
            [nan, 5.0, nan, 7.0, nan],  # all three
        ]
    )
    expected = np.array(
        [
            [2.0, 2.0, 2.0, 4.0, 6.0],
            [1.0, 2.0, 3.0, 4.0, 5.0],
            [1.0, 2.0, 3.0, 3.0, 3.0],
            [5.0, 5.0, 6.0, 7.0, 7.0],
        ]
    )
    before = X.copy()
    np.testing.assert_array_equal(interpolate_missing(X), expected)
    np.testing.assert_array_equal(X, before)  # input untouched


def test_interpolate_multivariate_and_lists_match_numpy_interp():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 2, 30))
    X[rng.random(X.shape) < 0.2] = nan
    X[:, :, 0] = 1.5  # keep a finite value in every channel
    out = interpolate_missing(X)
    for i in range(3):
        for c in range(2):
            x = X[i, c]
            ok = ~np.isnan(x)
            ref = np.interp(np.arange(30), np.flatnonzero(ok), x[ok])
            np.testing.assert_allclose(out[i, c], ref)
    as_list = interpolate_missing([X[0], X[1][:, :20]])
    np.testing.assert_allclose(as_list[0], out[0])
    assert as_list[1].shape == (2, 20) and not np.isnan(as_list[1]).any()
    with pytest.raises(ValueError, match="series 1 has no values"):
        interpolate_missing(np.array([[1.0, 2.0], [nan, nan]]))


@pytest.mark.parametrize("fmt", ["ts", "tsv"])
def test_missing_values_in_files_loaded_with_interpolation(tmp_path, fmt):
    """Synthetic files with NaN at the start, middle and end, loaded as they are or filled."""
    X = np.array([[nan, 1.0, 2.0, 3.0], [0.0, nan, nan, 3.0], [1.0, 1.0, 2.0, nan]])
    y = np.array(["a", "b", "a"])
    (tmp_path / "Gappy").mkdir()
    for split in ("TRAIN", "TEST"):
        f = tmp_path / "Gappy" / f"Gappy_{split}.{fmt}"
        if fmt == "ts":
            write_ts(f, X, y)
        else:
            write_tsv(f, X, y)
    if fmt == "ts":  # a .tsv trailing NaN reads as padding of a shorter series
        raw, _ = load_ucr("Gappy", split="train", path=tmp_path)
        assert np.isnan(raw).sum() == 4
    filled, _ = load_ucr("Gappy", split="train", path=tmp_path, missing_values="interpolate")
    filled = np.asarray(filled if fmt == "ts" else pad_series(filled))
    np.testing.assert_array_equal(
        filled, [[1.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 2.0, 2.0]]
    )
    with pytest.raises(ValueError, match="missing_values"):
        load_ucr("Gappy", path=tmp_path, missing_values="drop")


def test_pad_series():
    out = pad_series([np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])], 4)
    np.testing.assert_array_equal(out, [[1.0, 2.0, 2.0, 2.0], [3.0, 4.0, 5.0, 5.0]])
    out = pad_series([np.ones((2, 2)), np.zeros((2, 3))], value=0.0)
    assert out.shape == (2, 2, 3) and out[0, :, 2].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="more than length"):
        pad_series([np.ones(5)], 3)


def test_time_stamped_ts_file(tmp_path):
    """@timeStamps true: values read in file order, stamps kept as text (':' inside them)."""
    f = tmp_path / "Stamped_TRAIN.ts"
    f.write_text(
        "@problemName Stamped\n@timeStamps true\n@univariate false\n@dimensions 2\n"
        "@equalLength false\n@classLabel true up down\n@data\n"
        "(2007-01-01 00:00:00,1.5),(2007-01-01 00:01:00,2.5):"
        "(2007-01-01 00:00:00,?),(2007-01-01 00:01:00,4.0):up\n"
        "(0,7.0),(1,8.0),(2,9.0):(0,1.0),(1,2.0),(2,3.0):down\n"
    )
    X, y, meta = read_ts(f)
    assert y.tolist() == ["up", "down"]
    assert isinstance(X, list) and len(X) == 2
    np.testing.assert_array_equal(X[0], [[1.5, 2.5], [nan, 4.0]])
    np.testing.assert_array_equal(X[1], [[7.0, 8.0, 9.0], [1.0, 2.0, 3.0]])
    assert meta["timestamps"] is True
    assert meta["timestamp_values"][0][0] == ["2007-01-01 00:00:00", "2007-01-01 00:01:00"]
    assert meta["timestamp_values"][1][1] == ["0", "1", "2"]


def test_one_header_parser_for_reading_and_discovery(tmp_path):
    f = tmp_path / "H_TRAIN.ts"
    write_ts(f, np.ones((2, 2, 5)), ["a", "b"])
    with open(f) as fh:
        head = parse_ts_header(enumerate(fh, start=1), f)
    assert head == read_ts_header(f)
    _, _, meta = read_ts(f)
    assert {k: meta[k] for k in head} == head  # read_ts starts from the same header


def test_archive_lists_match_aeon():
    """Published name lists: ours (UCR 128, UEA 30) equal aeon's."""
    tsc = pytest.importorskip("aeon.datasets.tsc_datasets")
    assert set(list_archive_datasets("univariate")) == set(tsc.univariate)
    assert set(list_archive_datasets("multivariate")) == set(tsc.multivariate)
    assert len(list_archive_datasets("all")) == 158


DEFAULT_SETS = ["ACSF1", "ArrowHead", "GunPoint", "ItalyPowerDemand", "OSULeaf"]


def test_main_job_default_sets_present():
    """Fails loudly when an installed sktime/aeon no longer bundles a set of the main job."""
    from sklearn_geom.benchmark import select_datasets

    bundled = set(list_bundled_datasets())
    if not bundled:  # neither sktime nor aeon installed: the extra is missing, not a set
        pytest.skip("no sktime/aeon installed (extra 'timeseries'): no bundled data sets")
    missing = [n for n in DEFAULT_SETS if n not in bundled]
    assert not missing, (
        f"the main job's data sets {missing} are no longer bundled with the installed "
        "sktime/aeon: pin the 'timeseries' extra to versions that ship them, or point "
        "--data-dir at a copy (fetch_ucr)."
    )
    assert select_datasets() == DEFAULT_SETS
    sizes = {n: load_ucr(n, split="train")[0].shape for n in DEFAULT_SETS}
    assert sizes["OSULeaf"] == (200, 427) and sizes["ACSF1"] == (100, 1460)
