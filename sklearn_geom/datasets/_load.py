"""Discovery and loading of UCR/UEA data sets: a folder you give, the download cache, or the
data sets bundled inside the installed sktime and aeon wheels.
"""

import importlib.util
import os
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._common import SPLITS, UCRFormatError, _n_channels
from ._missing import interpolate_missing
from ._ts import read_ts, read_ts_header
from ._tsv import _is_variable_length, read_tsv


def _bundled_roots():
    """Data folders inside the installed sktime and aeon wheels (never imported)."""
    roots = []
    for pkg in ("sktime", "aeon"):
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):  # pragma: no cover - broken install
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        for loc in spec.submodule_search_locations:
            root = Path(loc) / "datasets" / "data"
            if root.is_dir():
                roots.append(root)
    return roots


def _split_files(folder, name):
    """{'train': file, 'test': file} for a data set folder, .ts preferred, or None."""
    for ext in (".ts", ".tsv"):
        files = {s: folder / f"{name}_{s.upper()}{ext}" for s in SPLITS}
        if all(f.is_file() for f in files.values()):
            return files
    return None


def _scan(root):
    """{name: split files} for the data sets in ``root`` (folders or flat files)."""
    found = {}
    root = Path(root)
    if _split_files(root, root.name) is not None:  # the folder of a single data set
        found[root.name] = _split_files(root, root.name)
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        files = _split_files(sub, sub.name)
        if files is not None:
            found.setdefault(sub.name, files)
    for f in sorted(root.glob("*_TRAIN.ts*")):  # flat layout: files directly in root
        name = f.name.rsplit("_TRAIN", 1)[0]
        files = _split_files(root, name)
        if files is not None:
            found.setdefault(name, files)
    return found


def _check_path(path):
    path = Path(os.path.expanduser(str(path)))
    if not path.exists():
        raise FileNotFoundError(f"Data folder {path} does not exist.")
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder (give the folder holding the data sets).")
    return path


def _catalogue(path=None):
    if path is not None:
        return _scan(_check_path(path))
    found = {}
    for root in _bundled_roots():
        for name, files in _scan(root).items():
            found.setdefault(name, files)  # sktime first, then aeon
    return found


def _header(file):
    """Header facts of one split file (the ``.ts`` header only; nothing to read for ``.tsv``)."""
    file = Path(file)
    if file.suffix == ".tsv":
        return {"univariate": True, "equallength": None, "classlabel": True, "targetlabel": False}
    meta = read_ts_header(file)
    if meta.get("dimensions") is not None and meta.get("univariate") is None:
        meta["univariate"] = meta["dimensions"] == 1
    return meta


def list_ucr_datasets(path=None, *, univariate=None, equal_length=None, task="classification"):
    """Names of the UCR/UEA data sets in a folder, or bundled with sktime/aeon.

    Parameters
    ----------
    path : str or path-like, default=None
        A folder holding one sub-folder per data set (``<Name>/<Name>_TRAIN.ts``
        and ``_TEST.ts``, or the ``.tsv`` pair as in ``UCRArchive_2018``), or
        the split files directly.  None: the data sets bundled inside the
        installed sktime and aeon wheels (nothing is downloaded).
    univariate : bool or None, default=None
        Keep only univariate (True) or multivariate (False) data sets.
    equal_length : bool or None, default=None
        Keep only equal-length (True) or unequal-length (False) data sets, as
        declared by the ``.ts`` header (or the archive table for ``.tsv``).
    task : {"classification", "regression", "all"}, default="classification"
        ``.ts`` files with ``@targetLabel true`` are regression problems.

    Returns
    -------
    names : list of str
        Sorted data set names.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.

    Examples
    --------
    >>> from sklearn_geom.datasets import list_ucr_datasets
    >>> "GunPoint" in list_ucr_datasets(univariate=True, equal_length=True)
    True
    """
    if task not in ("classification", "regression", "all"):
        raise ValueError(f"task must be 'classification', 'regression' or 'all'; got {task!r}.")
    names = []
    for name, files in _catalogue(path).items():
        head = _header(files["train"])
        is_reg = bool(head.get("targetlabel"))
        if task == "classification" and (is_reg or not head.get("classlabel", True)):
            continue
        if task == "regression" and not is_reg:
            continue
        if univariate is not None and head.get("univariate", True) != univariate:
            continue
        if equal_length is not None:
            eq = head.get("equallength")
            if eq is None:
                vary = _is_variable_length(name)
                if vary is None:  # not declared, not in the archive table: read it
                    X = _read_split(files["train"], name, np.float64)[0]
                    eq = isinstance(X, np.ndarray)
                else:
                    eq = not vary
            if eq != equal_length:
                continue
        names.append(name)
    return sorted(names, key=str.lower)


def list_bundled_datasets(*, univariate=None, equal_length=None, task="classification"):
    """Names of the data sets bundled offline inside the installed sktime/aeon wheels.

    Same as :func:`list_ucr_datasets` with ``path=None``.  Typical content:
    ACSF1, ArrowHead, GunPoint, ItalyPowerDemand, OSULeaf, UnitTest (univariate,
    equal length), PLAID and PickupGestureWiimoteZ (univariate, unequal length),
    BasicMotions (multivariate) and JapaneseVowels (multivariate, unequal length).

    Parameters
    ----------
    univariate : bool or None, default=None
        Keep only univariate (True) or multivariate (False) data sets.
    equal_length : bool or None, default=None
        Keep only equal-length (True) or unequal-length (False) data sets.
    task : {"classification", "regression", "all"}, default="classification"
        Problem type.

    Returns
    -------
    names : list of str
        Sorted data set names.

    Examples
    --------
    >>> from sklearn_geom.datasets import list_bundled_datasets
    >>> {"GunPoint", "BasicMotions"} <= set(list_bundled_datasets())
    True
    >>> "BasicMotions" in list_bundled_datasets(univariate=True)
    False
    """
    return list_ucr_datasets(None, univariate=univariate, equal_length=equal_length, task=task)


def _read_split(file, name, dtype):
    if Path(file).suffix == ".tsv":
        X, y = read_tsv(file, dtype=dtype)
        meta = {"problemname": name, "univariate": True, "n_channels": 1}
        meta["equallength"] = isinstance(X, np.ndarray)
        return X, y, meta
    return read_ts(file, dtype=dtype)


def load_ucr(
    name, split=None, *, path=None, return_X_y=True, dtype=np.float64, missing_values="keep"
):
    """Load a UCR/UEA data set from a local folder or from the sktime/aeon wheels.

    Parameters
    ----------
    name : str
        Data set name, e.g. ``"GunPoint"`` (the folder and file prefix; case
        sensitive, with a case-insensitive fallback).
    split : {"train", "test"} or None, default=None
        One split, or None for both (the archive's default train/test split).
    path : str or path-like, default=None
        Folder holding the data sets (see :func:`list_ucr_datasets`); None uses
        the data sets bundled with sktime/aeon.  Nothing is downloaded.
    return_X_y : bool, default=True
        Return arrays; False returns a :class:`~sklearn.utils.Bunch`.
    dtype : numpy dtype, default=np.float64
        Floating dtype of the series.
    missing_values : {"keep", "interpolate"}, default="keep"
        ``"keep"``: missing values are NaN; ``"interpolate"``: replaced by linear
        interpolation within each series (see :func:`interpolate_missing`), the
        treatment of the UCR archive's adjusted copies of its four data sets
        with missing values.

    Returns
    -------
    X, y : when ``split`` is given and ``return_X_y=True``
        ``X`` is a 2-D array (n_cases, n_timepoints) for univariate
        equal-length data, 3-D (n_cases, n_channels, n_timepoints) for
        multivariate, or a list of arrays for unequal lengths; ``y`` holds the
        labels as strings as written in the file (floats for regression).
    X_train, y_train, X_test, y_test : when ``split`` is None and ``return_X_y=True``
        The archive's default train and test splits, as above.
    bunch : Bunch
        When ``return_X_y=False``: ``X``/``y`` (one split) or ``X_train``,
        ``y_train``, ``X_test``, ``y_test``, plus ``name``, ``files`` and
        ``meta`` (the train file's header).

    Raises
    ------
    ValueError
        For an unknown name (the message lists the available ones) or split.
    FileNotFoundError
        When ``path`` does not exist.
    UCRFormatError
        For a malformed file (with the line number).

    References
    ----------
    .. [1] H. A. Dau et al., "The UCR time series archive", IEEE/CAA J. Autom.
       Sinica 6(6), 2019.
    .. [2] A. Bagnall et al., "The UEA multivariate time series classification
       archive, 2018", arXiv:1811.00075.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.datasets import load_ucr
    >>> X_train, y_train, X_test, y_test = load_ucr("GunPoint")
    >>> X_train.shape, X_test.shape, np.unique(y_train).tolist()
    ((50, 150), (150, 150), ['1', '2'])
    >>> X, y = load_ucr("BasicMotions", split="train")
    >>> X.shape
    (40, 6, 100)
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be 'train', 'test' or None; got {split!r}.")
    if missing_values not in ("keep", "interpolate"):
        raise ValueError(
            f"missing_values must be 'keep' or 'interpolate'; got {missing_values!r}."
        )
    catalogue = _catalogue(path)
    if name not in catalogue:
        lower = {k.lower(): k for k in catalogue}
        if str(name).lower() in lower:
            name = lower[str(name).lower()]
        else:
            where = f"in {path}" if path is not None else "bundled with sktime/aeon"
            available = ", ".join(sorted(catalogue, key=str.lower)) or "(none)"
            raise ValueError(
                f"Unknown data set {name!r} {where}. Available: {available}. "
                "Nothing is downloaded: give path= a folder with the data set."
            )
    files = catalogue[name]
    splits = [split] if split is not None else list(SPLITS)
    out = {}
    meta = None
    for s in splits:
        X, y, m = _read_split(files[s], name, dtype)
        if missing_values == "interpolate":
            X = interpolate_missing(X)
        out[s] = (X, y)
        if meta is None:
            meta = m
    if split is None:
        Xtr, Xte = out["train"][0], out["test"][0]
        if _n_channels(Xtr) != _n_channels(Xte):
            raise UCRFormatError(
                files["test"],
                None,
                f"{_n_channels(Xte)} channels in the test split, {_n_channels(Xtr)} in train",
            )
    if return_X_y:
        if split is not None:
            return out[split]
        return out["train"][0], out["train"][1], out["test"][0], out["test"][1]
    bunch = Bunch(name=name, files={s: str(files[s]) for s in splits}, meta=meta)
    if split is not None:
        bunch.X, bunch.y = out[split]
    else:
        bunch.X_train, bunch.y_train = out["train"]
        bunch.X_test, bunch.y_test = out["test"]
    return bunch


def dataset_info(name, *, path=None):
    """Sizes of one data set as loaded: n_train, n_test, n_channels, length, n_classes.

    Parameters
    ----------
    name : str
        Data set name.
    path : str or path-like, default=None
        Folder holding the data sets; None: bundled with sktime/aeon.

    Returns
    -------
    info : dict
        ``name``, ``n_train``, ``n_test``, ``n_channels``, ``length`` (int, or
        ``"Vary"`` for unequal lengths), ``n_classes`` (None for regression),
        ``missing_values`` (bool).

    Examples
    --------
    >>> from sklearn_geom.datasets import dataset_info
    >>> info = dataset_info("ItalyPowerDemand")
    >>> info["n_train"], info["n_test"], info["length"], info["n_classes"]
    (67, 1029, 24, 2)
    """
    b = load_ucr(name, path=path, return_X_y=False)
    lengths = set()
    missing = False
    for X in (b.X_train, b.X_test):
        for x in X:
            x = np.asarray(x)
            lengths.add(x.shape[-1])
            missing = missing or bool(np.isnan(x).any())
    regression = bool(b.meta.get("targetlabel"))
    return {
        "name": b.name,
        "n_train": len(b.y_train),
        "n_test": len(b.y_test),
        "n_channels": _n_channels(b.X_train),
        "length": lengths.pop() if len(lengths) == 1 else "Vary",
        "n_classes": None if regression else len(set(b.y_train) | set(b.y_test)),
        "missing_values": missing,
    }
