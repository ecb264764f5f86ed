"""Tests of the UCR/UEA loaders (``sklearn_geom.datasets``).

Independent references used here:
* round trips: arrays written by our writer are read back exactly (both formats);
* peer library: aeon's ``load_from_ts_file`` reads the same bundled files and must
  give the same values and labels;
* published metadata: the archive table is compared with sktime's precomputed
  UCR/UEA tags (train/test sizes, number of classes) and with the sizes of the
  bundled files as actually loaded.
"""

import numpy as np
import pytest

from sklearn_geom.datasets import (
    UCRFormatError,
    dataset_info,
    list_bundled_datasets,
    list_ucr_datasets,
    load_ucr,
    read_ts,
    read_tsv,
    ucr_archive_summary,
    write_ts,
    write_tsv,
)

rng = np.random.default_rng(0)

# the bundled data sets live inside the sktime / aeon wheels (extra "timeseries")
needs_bundled = pytest.mark.skipif(
    "GunPoint" not in list_bundled_datasets(),
    reason="sktime/aeon not installed: no bundled UCR data (extra 'timeseries')",
)


def _assert_same_series(A, B):
    if isinstance(A, np.ndarray):
        assert isinstance(B, np.ndarray)
        np.testing.assert_array_equal(A, B)
    else:
        assert isinstance(B, list) and len(A) == len(B)
        for a, b in zip(A, B):
            np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------------- round trips
CASES = {
    "univariate": (rng.normal(size=(5, 17)), None),
    "multivariate": (rng.normal(size=(4, 3, 11)), None),
    "unequal_univariate": ([rng.normal(size=n) for n in (5, 9, 2, 7)], None),
    "unequal_multivariate": ([rng.normal(size=(2, n)) for n in (4, 8, 6)], None),
}


def _with_missing():
    X = rng.normal(size=(4, 10))
    X[0, 3] = np.nan
    X[2, 0] = np.nan
    X[3, 9] = np.nan  # a missing last value stays a missing value (equal length)
    return X


@pytest.mark.parametrize("kind", list(CASES) + ["missing"])
def test_ts_round_trip(tmp_path, kind):
    X = _with_missing() if kind == "missing" else CASES[kind][0]
    n = len(X)
    y = np.array([f"c{i % 2}" for i in range(n)])
    f = tmp_path / "Toy_TRAIN.ts"
    write_ts(f, X, y)
    X2, y2, meta = read_ts(f)
    _assert_same_series(X, X2)  # repr(float) is exact for float64
    assert y2.tolist() == y.tolist()
    assert meta["problemname"] == "Toy"
    assert meta["univariate"] == (kind in ("univariate", "unequal_univariate", "missing"))
    assert meta["equallength"] == (not kind.startswith("unequal"))
    assert meta["missing"] == (kind == "missing")


def test_ts_round_trip_regression_and_unlabelled(tmp_path):
    X = rng.normal(size=(3, 6))
    write_ts(tmp_path / "R_TRAIN.ts", X, [0.5, 1.25, -3.0], regression=True)
    X2, y2, meta = read_ts(tmp_path / "R_TRAIN.ts")
    assert meta["targetlabel"] and y2.dtype == np.float64
    np.testing.assert_array_equal(y2, [0.5, 1.25, -3.0])
    write_ts(tmp_path / "U_TRAIN.ts", X)
    X3, y3, _ = read_ts(tmp_path / "U_TRAIN.ts")
    assert y3 is None
    np.testing.assert_array_equal(X3, X)


@pytest.mark.parametrize("kind", ["univariate", "unequal_univariate", "missing"])
def test_tsv_round_trip(tmp_path, kind):
    X = _with_missing() if kind == "missing" else CASES[kind][0]
    y = np.array(["-1", "1", "1", "-1", "1"][: len(X)])
    f = tmp_path / "Toy_TEST.tsv"
    write_tsv(f, X, y)
    # the missing-value set has a NaN in its last column: say it is not padding
    X2, y2 = read_tsv(f, variable_length=False if kind == "missing" else None)
    _assert_same_series(X, X2)
    assert y2.tolist() == y.tolist()


def test_tsv_rejects_multivariate(tmp_path):
    with pytest.raises(ValueError, match="univariate"):
        write_tsv(tmp_path / "x.tsv", rng.normal(size=(2, 2, 3)), [1, 2])


def test_load_from_user_folder_both_layouts(tmp_path):
    """Archive layout (<root>/<Name>/<Name>_TRAIN.tsv), .ts layout, and flat files."""
    Xtr, Xte = rng.normal(size=(6, 8)), rng.normal(size=(4, 8))
    ytr, yte = np.array(list("abaabb")), np.array(list("abab"))
    (tmp_path / "Foo").mkdir()
    write_tsv(tmp_path / "Foo" / "Foo_TRAIN.tsv", Xtr, ytr)
    write_tsv(tmp_path / "Foo" / "Foo_TEST.tsv", Xte, yte)
    (tmp_path / "Bar").mkdir()
    write_ts(tmp_path / "Bar" / "Bar_TRAIN.ts", Xtr[:, None, :].repeat(2, 1), ytr)
    write_ts(tmp_path / "Bar" / "Bar_TEST.ts", Xte[:, None, :].repeat(2, 1), yte)
    write_ts(tmp_path / "Baz_TRAIN.ts", Xtr, ytr)
    write_ts(tmp_path / "Baz_TEST.ts", Xte, yte)
    assert list_ucr_datasets(tmp_path) == ["Bar", "Baz", "Foo"]
    assert list_ucr_datasets(tmp_path, univariate=False) == ["Bar"]
    a, b, c, d = load_ucr("Foo", path=tmp_path)
    np.testing.assert_array_equal(a, Xtr)
    np.testing.assert_array_equal(c, Xte)
    assert b.tolist() == ytr.tolist() and d.tolist() == yte.tolist()
    X, y = load_ucr("bar", split="test", path=tmp_path)  # case-insensitive fallback
    assert X.shape == (4, 2, 8)
    bunch = load_ucr("Baz", split="train", path=tmp_path, return_X_y=False)
    assert bunch.name == "Baz" and bunch.X.shape == (6, 8)
    # the folder of one data set works as path too
    assert list_ucr_datasets(tmp_path / "Foo") == ["Foo"]


# --------------------------------------------------------------------------- malformed input
GOOD_HEAD = "@problemName T\n@univariate true\n@equalLength true\n@classLabel true a b\n@data\n"


@pytest.mark.parametrize(
    "text, line, match",
    [
        (GOOD_HEAD + "1,2,3:a\n1,x,3:b\n", 7, "'x' is not a number"),
        (GOOD_HEAD + "1,2,3:a\n1,2,3\n", 7, "missing label"),
        (GOOD_HEAD + "1,2,3:a\n1,2,3:c\n", 7, "not among the declared"),
        (GOOD_HEAD + "1,2,3:a\n1,2:b\n", 7, "equalLength true"),
        (GOOD_HEAD + "1,2,3:4,5,6:a\n", 6, "univariate true"),
        (
            GOOD_HEAD.replace("@univariate true", "@univariate false") + "1:2:a\n1:b\n",
            7,
            "1 channels, expected 2",
        ),
        (GOOD_HEAD + "1,2,3:a\n@data\n", 7, "header line after @data"),
        ("@problemName T\n1,2,3:a\n", 2, "expected a @header"),
        ("@problemName T\n@univariate maybe\n@data\n", 2, "true or false"),
        ("@problemName T\n@seriesLength ten\n@data\n", 2, "integer"),
        (
            "@problemName T\n@seriesLength 4\n@classLabel true a\n@data\n1,2,3:a\n",
            5,
            "@seriesLength 4",
        ),
        ("# only a comment\n@problemName T\n@classLabel true\n@data\n", 3, "must list"),
        (
            "@problemName T\n@timeStamps true\n@classLabel true a\n@data\n1,2:a\n",
            5,
            r"\(timestamp,value\)",
        ),
    ],
)
def test_malformed_ts_reports_line(tmp_path, text, line, match):
    f = tmp_path / "Bad_TRAIN.ts"
    f.write_text(text)
    with pytest.raises(UCRFormatError, match=match) as err:
        read_ts(f)
    assert err.value.line == line
    assert f"line {line}:" in str(err.value)


def test_malformed_ts_without_data(tmp_path):
    f = tmp_path / "Bad_TRAIN.ts"
    f.write_text("@problemName T\n@classLabel true a\n")
    with pytest.raises(UCRFormatError, match="no @data"):
        read_ts(f)
    f.write_text("@problemName T\n@classLabel true a\n@data\n")
    with pytest.raises(UCRFormatError, match="no cases"):
        read_ts(f)


@pytest.mark.parametrize(
    "text, line, match",
    [
        ("1\t0.5\t0.25\n2\t0.5\tabc\n", 2, "'abc' is not a number"),
        ("1\t0.5\n\n2,0.5,0.1\n", 3, "found commas"),
        ("1\t0.5\n\t0.3\n", 2, "empty label"),
        ("1\t0.5\n2\tNaN\tNaN\n", 2, "no values"),
    ],
)
def test_malformed_tsv_reports_line(tmp_path, text, line, match):
    f = tmp_path / "Bad_TRAIN.tsv"
    f.write_text(text)
    with pytest.raises(UCRFormatError, match=match) as err:
        read_tsv(f)
    assert err.value.line == line


def test_malformed_file_reported_through_load_ucr(tmp_path):
    (tmp_path / "Bad").mkdir()
    (tmp_path / "Bad" / "Bad_TRAIN.ts").write_text(GOOD_HEAD + "1,2,3:a\n1,2,?,x:b\n")
    (tmp_path / "Bad" / "Bad_TEST.ts").write_text(GOOD_HEAD + "1,2,3:a\n")
    with pytest.raises(UCRFormatError, match=r"Bad_TRAIN.ts, line 7: value 'x'"):
        load_ucr("Bad", path=tmp_path)


@needs_bundled
def test_unknown_name_and_missing_folder(tmp_path):
    with pytest.raises(ValueError, match=r"Unknown data set 'NoSuchSet'.*GunPoint"):
        load_ucr("NoSuchSet")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_ucr("GunPoint", path=tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list_ucr_datasets(tmp_path / "nowhere")
    with pytest.raises(ValueError, match=r"Available: \(none\)"):
        load_ucr("GunPoint", path=tmp_path)  # an empty folder
    with pytest.raises(ValueError, match="split"):
        load_ucr("GunPoint", split="validation")
    with pytest.raises(FileNotFoundError):
        read_ts(tmp_path / "x.ts")


# --------------------------------------------------------------------- bundled data sets
@needs_bundled
def test_bundled_discovery():
    names = set(list_bundled_datasets())
    assert {"ACSF1", "ArrowHead", "GunPoint", "ItalyPowerDemand", "OSULeaf", "UnitTest"} <= names
    assert {"BasicMotions", "JapaneseVowels", "PLAID"} <= names
    uni_eq = set(list_bundled_datasets(univariate=True, equal_length=True))
    assert "GunPoint" in uni_eq and "PLAID" not in uni_eq and "BasicMotions" not in uni_eq
    assert "PLAID" in list_bundled_datasets(equal_length=False)
    # regression problems (@targetLabel) are not classification data sets
    assert "Covid3Month" not in names
    assert "Covid3Month" in list_bundled_datasets(task="regression")


@needs_bundled
@pytest.mark.parametrize("name", ["GunPoint", "BasicMotions", "JapaneseVowels", "PLAID"])
def test_bundled_matches_aeon_reader(name):
    """Peer check: aeon's own .ts reader gives the same values and labels."""
    aeon_ds = pytest.importorskip("aeon.datasets")
    bunch = load_ucr(name, split="train", return_X_y=False)
    Xa, ya = aeon_ds.load_from_ts_file(bunch.files["train"])
    # aeon lower-cases labels ("standing"); we keep them as written in the file ("Standing")
    assert [v.lower() for v in bunch.y] == [str(v).lower() for v in ya]
    if isinstance(Xa, np.ndarray):
        X = bunch.X if bunch.X.ndim == 3 else bunch.X[:, None, :]
        np.testing.assert_allclose(X, Xa, rtol=0, atol=0)
    else:
        assert isinstance(bunch.X, list) and len(bunch.X) == len(Xa)
        for a, b in zip(bunch.X, Xa):
            np.testing.assert_array_equal(np.atleast_2d(a), b)


def test_archive_table_matches_sktime_tags():
    """Published metadata: our table vs sktime's precomputed UCR/UEA tags."""
    tags_mod = pytest.importorskip("sktime.datasets.classification.ucr_uea_archive._tags")
    rows = ucr_archive_summary(as_frame=False)
    assert len(rows) == 128 and len({r["name"] for r in rows}) == 128
    assert sum(r["length"] == "Vary" for r in rows) == 11
    for r in rows:
        t = tags_mod.DATASET_TAGS[r["name"]]
        assert (t["n_instances_train"], t["n_instances_test"], t["n_classes"]) == (
            r["n_train"],
            r["n_test"],
            r["n_classes"],
        ), r["name"]
        assert t["is_univariate"]


@needs_bundled
def test_archive_table_matches_bundled_files():
    """The bundled UCR sets, as loaded, have the sizes of the published table."""
    table = {r["name"]: r for r in ucr_archive_summary(as_frame=False)}
    checked = 0
    for name in list_bundled_datasets(univariate=True):
        if name not in table:
            continue  # UnitTest etc. are not archive data sets
        info = dataset_info(name)
        row = table[name]
        assert (info["n_train"], info["n_test"], info["n_classes"], info["length"]) == (
            row["n_train"],
            row["n_test"],
            row["n_classes"],
            row["length"],
        ), name
        checked += 1
    assert checked >= 5


def test_archive_summary_frame():
    pd = pytest.importorskip("pandas")
    df = ucr_archive_summary()
    assert isinstance(df, pd.DataFrame) and df.shape[0] == 128
    assert df.set_index("name").loc["FordB", "n_train"] == 3636


def test_equal_length_filter_reads_undeclared_ts(tmp_path):
    """A .ts file without @equalLength is read as .ts (not as .tsv) to decide the filter."""
    for name, lengths in (("Same", (3, 3)), ("Ragged", (3, 5))):
        (tmp_path / name).mkdir()
        for split in ("TRAIN", "TEST"):
            lines = [",".join(["1.0"] * n) + ":a" for n in lengths]
            (tmp_path / name / f"{name}_{split}.ts").write_text(
                "@problemName " + name + "\n@classLabel true a\n@data\n" + "\n".join(lines) + "\n"
            )
    assert list_ucr_datasets(tmp_path, equal_length=True) == ["Same"]
    assert list_ucr_datasets(tmp_path, equal_length=False) == ["Ragged"]
