"""Readers and writers for the UCR/UEA time-series archives, and bundled-data discovery.

Two on-disk layouts are understood:

* ``UCRArchive_2018``: one folder per data set with ``<Name>_TRAIN.tsv`` and
  ``<Name>_TEST.tsv``; tab separated, first column the label, no header;
  variable-length series padded with NaN at the end.
* the sktime/aeon ``.ts`` format: ``@`` header lines (``@problemName``,
  ``@univariate``, ``@equalLength``, ``@missing``, ``@classLabel true ...``,
  ``@targetLabel true``), then ``@data`` and one case per line: values comma
  separated, channels separated by ``:``, the label last; ``?`` is a missing
  value; ``#`` and ``%`` start comment lines.

Nothing is ever downloaded.  Without a ``path`` the data sets bundled inside the
installed sktime and aeon wheels are used.
"""

import importlib.util
import math
import os
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._archive import _BY_NAME

_SPLITS = ("train", "test")
_BOOL_TAGS = ("timestamps", "missing", "univariate", "equallength", "classlabel", "targetlabel")


class UCRFormatError(ValueError):
    """A ``.ts`` or ``.tsv`` file that does not follow its format.

    The message names the file and the 1-based line number of the problem;
    both are also stored as the attributes ``path`` and ``line``.
    """

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- parsing helpers
def _to_floats(tokens, path, lineno):
    """Tokens -> float64 array; ``?``, ``NaN`` and empty tokens are missing values."""
    clean = [t.strip() for t in tokens]
    clean = ["nan" if (t == "?" or t == "") else t for t in clean]
    try:
        return np.array(clean, dtype=np.float64)
    except ValueError:
        for t in clean:
            try:
                float(t)
            except ValueError:
                raise UCRFormatError(path, lineno, f"value {t!r} is not a number") from None
        raise  # pragma: no cover - every token converted individually


def _parse_bool(value, path, lineno, tag):
    v = value.strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise UCRFormatError(path, lineno, f"@{tag} expects true or false, got {value!r}")


def _stack(cases, univariate):
    """Cases (each (C, T_i)) -> 2-D/3-D array when all lengths agree, else a list."""
    lengths = {c.shape[1] for c in cases}
    if len(lengths) == 1 and cases:
        X = np.stack(cases)
        return X[:, 0, :] if univariate else X
    if univariate:
        return [c[0] for c in cases]
    return list(cases)


def _n_channels(X):
    if isinstance(X, np.ndarray):
        return 1 if X.ndim == 2 else X.shape[1]
    first = np.asarray(X[0])
    return 1 if first.ndim == 1 else first.shape[0]


def _as_cases(X):
    """X (2-D, 3-D array or list of 1-D/2-D arrays) -> list of (C, T_i) float arrays."""
    if isinstance(X, np.ndarray):
        if X.ndim == 2:
            return [row[None, :] for row in X.astype(np.float64, copy=False)]
        if X.ndim == 3:
            return list(X.astype(np.float64, copy=False))
        raise ValueError(f"X must be 2-D (n, T) or 3-D (n, C, T); got shape {X.shape}.")
    cases = []
    for i, x in enumerate(X):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2:
            raise ValueError(f"case {i} must be 1-D (T,) or 2-D (C, T); got shape {x.shape}.")
        cases.append(x)
    return cases


# --------------------------------------------------------------------------------- .ts files
def read_ts(path, *, dtype=np.float64):
    """Read a sktime/aeon ``.ts`` file.

    Parameters
    ----------
    path : str or path-like
        The ``.ts`` file.
    dtype : numpy dtype, default=np.float64
        Floating dtype of the returned series.

    Returns
    -------
    X : ndarray of shape (n_cases, n_timepoints) or (n_cases, n_channels, n_timepoints), or list
        Univariate equal-length data as a 2-D array, multivariate as a 3-D array.
        Unequal-length data as a list: 1-D arrays (univariate) or 2-D arrays of
        shape (n_channels, n_timepoints_i) (multivariate).  Missing values
        (``?``) are NaN.
    y : ndarray of shape (n_cases,) or None
        Class labels as strings exactly as in the file (``@classLabel true``),
        float targets (``@targetLabel true``), or None for unlabelled files.
    meta : dict
        The header: ``problemname``, ``univariate``, ``equallength``,
        ``missing``, ``serieslength``, ``classlabel``, ``class_values`` (the
        declared labels), ``targetlabel``, ``dimensions``, plus ``n_channels``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    UCRFormatError
        For a malformed file; the message gives the line number.

    See Also
    --------
    write_ts : the inverse.
    load_ucr : load a named data set.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from sklearn_geom.datasets import read_ts, write_ts
    >>> X = np.arange(6.0).reshape(2, 3)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "Toy_TRAIN.ts")
    ...     write_ts(f, X, np.array(["a", "b"]), problem_name="Toy")
    ...     X2, y2, meta = read_ts(f)
    >>> X2
    array([[0., 1., 2.],
           [3., 4., 5.]])
    >>> y2.tolist(), meta["univariate"]
    (['a', 'b'], True)
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such .ts file: {path}")
    meta = {"problemname": None, "class_values": None, "dimensions": None, "serieslength": None}
    in_data = False
    has_label = None
    cases, labels = [], []
    n_dims = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("#") or line.startswith("%"):
                continue
            if not in_data:
                if not line.startswith("@"):
                    raise UCRFormatError(
                        path, lineno, "expected a @header line or @data before the data"
                    )
                parts = line[1:].split(None, 1)
                tag = parts[0].lower() if parts else ""
                rest = parts[1] if len(parts) > 1 else ""
                if tag == "data":
                    in_data = True
                    if meta.get("timestamps"):
                        raise UCRFormatError(
                            path,
                            lineno,
                            "time-stamped .ts files (@timeStamps true) are not "
                            "supported; convert the series to plain values",
                        )
                    has_label = bool(meta.get("classlabel") or meta.get("targetlabel"))
                    if meta.get("classlabel") and meta.get("targetlabel"):
                        raise UCRFormatError(
                            path, lineno, "@classLabel true and @targetLabel true together"
                        )
                    continue
                if tag == "problemname":
                    meta["problemname"] = rest.strip()
                elif tag in _BOOL_TAGS:
                    if not rest.strip():
                        raise UCRFormatError(path, lineno, f"@{parts[0]} needs a value")
                    words = rest.split()
                    meta[tag] = _parse_bool(words[0], path, lineno, parts[0])
                    if tag == "classlabel":
                        if meta[tag] and len(words) < 2:
                            raise UCRFormatError(
                                path, lineno, "@classLabel true must list the class labels"
                            )
                        meta["class_values"] = words[1:] if meta[tag] else None
                elif tag in ("serieslength", "dimensions"):
                    try:
                        meta[tag] = int(rest.strip())
                    except ValueError:
                        raise UCRFormatError(
                            path, lineno, f"@{parts[0]} expects an integer, got {rest.strip()!r}"
                        ) from None
                else:
                    meta[tag] = rest.strip()  # unknown tags are kept, not interpreted
                continue
            # ---------------------------------------------------------------- a data line
            if line.startswith("@"):
                raise UCRFormatError(path, lineno, "header line after @data")
            fields = line.split(":")
            if has_label:
                if len(fields) < 2:
                    raise UCRFormatError(path, lineno, "missing label (expected '...:label')")
                label = fields[-1].strip()
                fields = fields[:-1]
                if not label:
                    raise UCRFormatError(path, lineno, "empty label")
                if meta.get("class_values") is not None and label not in meta["class_values"]:
                    raise UCRFormatError(
                        path,
                        lineno,
                        f"label {label!r} is not among the declared @classLabel values "
                        f"{meta['class_values']}",
                    )
                labels.append(label)
            if n_dims is None:
                n_dims = len(fields)
                declared = meta.get("dimensions")
                if declared is not None and declared != n_dims:
                    raise UCRFormatError(
                        path, lineno, f"{n_dims} channels but @dimensions {declared}"
                    )
                if meta.get("univariate") is True and n_dims != 1:
                    raise UCRFormatError(
                        path, lineno, f"@univariate true but the case has {n_dims} channels"
                    )
            elif len(fields) != n_dims:
                raise UCRFormatError(
                    path, lineno, f"{len(fields)} channels, expected {n_dims} as on earlier lines"
                )
            channels = [_to_floats(f.split(","), path, lineno) for f in fields]
            lengths = {c.size for c in channels}
            T = max(lengths)
            if len(lengths) > 1:  # channels of one case of different length: pad with NaN
                channels = [np.concatenate([c, np.full(T - c.size, np.nan)]) for c in channels]
            if meta.get("serieslength") is not None and meta.get("equallength", True):
                if T != meta["serieslength"]:
                    raise UCRFormatError(
                        path,
                        lineno,
                        f"series of length {T} but @seriesLength " f"{meta['serieslength']}",
                    )
            if meta.get("equallength") is True and cases and T != cases[0].shape[1]:
                raise UCRFormatError(
                    path,
                    lineno,
                    f"@equalLength true but this series has length {T}, the first "
                    f"{cases[0].shape[1]}",
                )
            cases.append(np.vstack(channels).astype(dtype, copy=False))
    if not in_data:
        raise UCRFormatError(path, None, "no @data line")
    if not cases:
        raise UCRFormatError(path, None, "no cases after @data")
    univariate = n_dims == 1
    meta["univariate"] = univariate
    meta["n_channels"] = n_dims
    meta.setdefault("equallength", len({c.shape[1] for c in cases}) == 1)
    meta.setdefault("missing", any(np.isnan(c).any() for c in cases))
    X = _stack(cases, univariate)
    y = None
    if has_label:
        y = np.array(labels, dtype=np.float64 if meta.get("targetlabel") else object)
        if not meta.get("targetlabel"):
            y = y.astype(str)
    return X, y, meta


def _fmt(v):
    if math.isnan(v):
        return "?"
    return repr(float(v))


def write_ts(path, X, y=None, *, problem_name=None, class_labels=None, regression=False):
    """Write series in the sktime/aeon ``.ts`` format.

    Parameters
    ----------
    path : str or path-like
        File to write (overwritten).
    X : ndarray of shape (n_cases, n_timepoints) or (n_cases, n_channels, n_timepoints), or list
        Series; a list of 1-D or 2-D (n_channels, n_timepoints_i) arrays for
        unequal lengths.  NaN is written as the missing value ``?``.
    y : array-like of shape (n_cases,), default=None
        Class labels (written with ``str``) or, with ``regression=True``,
        float targets.  None writes an unlabelled file.
    problem_name : str, default=None
        ``@problemName``; defaults to the file name up to ``_TRAIN``/``_TEST``.
    class_labels : list of str, default=None
        Labels declared in ``@classLabel``; default: the sorted distinct labels.
    regression : bool, default=False
        Write ``@targetLabel true`` instead of ``@classLabel``.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from sklearn_geom.datasets import read_ts, write_ts
    >>> X = [np.array([[1.0, np.nan], [3.0, 4.0]]), np.array([[5.0], [6.0]])]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "Toy_TEST.ts")
    ...     write_ts(f, X, [1, 2])
    ...     X2, y2, meta = read_ts(f)
    >>> meta["univariate"], meta["equallength"], meta["missing"], y2.tolist()
    (False, False, True, ['1', '2'])
    """
    path = Path(path)
    cases = _as_cases(X)
    if y is not None and len(y) != len(cases):
        raise ValueError(f"X has {len(cases)} cases but y has {len(y)} labels.")
    if not cases:
        raise ValueError("X has no cases.")
    n_ch = {c.shape[0] for c in cases}
    if len(n_ch) != 1:
        raise ValueError(f"all cases need the same number of channels; got {sorted(n_ch)}.")
    n_ch = n_ch.pop()
    lengths = {c.shape[1] for c in cases}
    equal = len(lengths) == 1
    missing = any(np.isnan(c).any() for c in cases)
    if problem_name is None:
        problem_name = path.stem
        for suffix in ("_TRAIN", "_TEST"):
            if problem_name.upper().endswith(suffix):
                problem_name = problem_name[: -len(suffix)]
    lines = [
        f"@problemName {problem_name}",
        "@timeStamps false",
        f"@missing {str(missing).lower()}",
        f"@univariate {str(n_ch == 1).lower()}",
    ]
    if n_ch > 1:
        lines.append(f"@dimensions {n_ch}")
    lines.append(f"@equalLength {str(equal).lower()}")
    if equal:
        lines.append(f"@seriesLength {lengths.pop()}")
    labels = None
    if y is not None:
        if regression:
            labels = [repr(float(v)) for v in y]
            lines.append("@targetLabel true")
        else:
            labels = [str(v) for v in y]
            for lab in labels:
                if any(ch in lab for ch in ": \t\n,") or not lab:
                    raise ValueError(f"class label {lab!r} cannot be written to a .ts file.")
            declared = class_labels if class_labels is not None else sorted(set(labels))
            lines.append("@classLabel true " + " ".join(str(v) for v in declared))
    else:
        lines.append("@classLabel false")
    lines.append("@data")
    for i, c in enumerate(cases):
        row = ":".join(",".join(_fmt(v) for v in ch) for ch in c)
        if labels is not None:
            row += ":" + labels[i]
        lines.append(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -------------------------------------------------------------------------------- .tsv files
def _is_variable_length(name):
    row = _BY_NAME.get(name)
    return None if row is None else row["length"] == "Vary"


def read_tsv(path, *, variable_length=None, dtype=np.float64):
    """Read a ``UCRArchive_2018`` ``.tsv`` file (label first, tab separated, no header).

    Parameters
    ----------
    path : str or path-like
        The ``.tsv`` file.
    variable_length : bool or None, default=None
        Whether trailing NaNs are padding of variable-length series (stripped,
        and a list returned) or missing values (kept).  None: taken from the
        archive's table for a known data set name, else True when rows end in
        different numbers of NaNs.
    dtype : numpy dtype, default=np.float64
        Floating dtype of the returned series.

    Returns
    -------
    X : ndarray of shape (n_cases, n_timepoints) or list of 1-D ndarray
        The series (NaN: missing value).
    y : ndarray of shape (n_cases,)
        Labels as strings exactly as in the file (``"1"``, ``"-1"``, ...).

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    UCRFormatError
        For a malformed file; the message gives the line number.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from sklearn_geom.datasets import read_tsv, write_tsv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "Toy_TRAIN.tsv")
    ...     write_tsv(f, [np.array([1.0, 2.0, 3.0]), np.array([4.0])], ["1", "2"])
    ...     X, y = read_tsv(f)
    >>> [x.tolist() for x in X], y.tolist()
    ([[1.0, 2.0, 3.0], [4.0]], ['1', '2'])
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such .tsv file: {path}")
    rows, labels = [], []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 2:
                sep = "," if "," in line else None
                raise UCRFormatError(
                    path,
                    lineno,
                    "expected tab-separated 'label<TAB>value<TAB>...'"
                    + (" (found commas: is this a .ts or .csv file?)" if sep else ""),
                )
            label = fields[0].strip()
            if not label:
                raise UCRFormatError(path, lineno, "empty label in the first column")
            labels.append(label)
            rows.append((lineno, _to_floats(fields[1:], path, lineno)))
    if not rows:
        raise UCRFormatError(path, None, "the file has no cases")
    lengths = [r.size for _, r in rows]
    T = max(lengths)
    X = np.full((len(rows), T), np.nan)
    for i, (_, r) in enumerate(rows):
        X[i, : r.size] = r
    trailing = []
    for x in X:
        finite = np.flatnonzero(~np.isnan(x))
        trailing.append(T - (finite[-1] + 1) if finite.size else T)
    for i, t in enumerate(trailing):
        if t == T:
            raise UCRFormatError(path, rows[i][0], "the series has no values")
    if variable_length is None:
        name = path.stem.rsplit("_", 1)[0]
        variable_length = _is_variable_length(name)
        if variable_length is None:
            variable_length = len(set(trailing)) > 1
    X = X.astype(dtype, copy=False)
    if variable_length:
        X = [x[: T - t].copy() for x, t in zip(X, trailing)]
        if len({x.size for x in X}) == 1:
            X = np.stack(X)
    return X, np.array(labels, dtype=str)


def write_tsv(path, X, y):
    """Write univariate series in the ``UCRArchive_2018`` ``.tsv`` layout.

    Label first, tab separated, no header; unequal-length series are padded
    with NaN at the end, as in the archive.

    Parameters
    ----------
    path : str or path-like
        File to write (overwritten).
    X : ndarray of shape (n_cases, n_timepoints) or list of 1-D ndarray
        Univariate series (NaN is written as ``NaN``).
    y : array-like of shape (n_cases,)
        Labels, written with ``str``.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from sklearn_geom.datasets import read_tsv, write_tsv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "Toy_TEST.tsv")
    ...     write_tsv(f, np.array([[1.0, 2.0], [3.0, 4.0]]), [0, 1])
    ...     print(open(f).read().strip())
    0	1.0	2.0
    1	3.0	4.0
    """
    cases = _as_cases(X)
    if any(c.shape[0] != 1 for c in cases):
        raise ValueError(".tsv files hold univariate series only; use write_ts for multivariate.")
    if len(y) != len(cases):
        raise ValueError(f"X has {len(cases)} cases but y has {len(y)} labels.")
    T = max(c.shape[1] for c in cases)
    lines = []
    for c, lab in zip(cases, y):
        lab = str(lab)
        if "\t" in lab or "\n" in lab or not lab:
            raise ValueError(f"label {lab!r} cannot be written to a .tsv file.")
        vals = [("NaN" if math.isnan(v) else repr(float(v))) for v in c[0]]
        vals += ["NaN"] * (T - len(vals))
        lines.append("\t".join([lab] + vals))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------ discovery, loading
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
        files = {s: folder / f"{name}_{s.upper()}{ext}" for s in _SPLITS}
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
    """Cheap header facts of one split file (no full parse for .ts)."""
    file = Path(file)
    if file.suffix == ".tsv":
        return {"univariate": True, "equallength": None, "classlabel": True, "targetlabel": False}
    meta = {}
    with open(file, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line[0] in "#%":
                continue
            if not line.startswith("@"):
                break
            parts = line[1:].split(None, 1)
            tag = parts[0].lower() if parts else ""
            if tag == "data":
                break
            if tag in _BOOL_TAGS and len(parts) > 1:
                meta[tag] = parts[1].split()[0].lower() == "true"
            elif tag == "dimensions" and len(parts) > 1:
                meta["univariate"] = parts[1].strip() == "1"
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
                if vary is None:  # unknown .tsv data set: read it
                    X, _ = read_tsv(files["train"])
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


def load_ucr(name, split=None, *, path=None, return_X_y=True, dtype=np.float64):
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

    Returns
    -------
    X, y : when ``split`` is given and ``return_X_y=True``
        ``X`` is a 2-D array (n_cases, n_timepoints) for univariate
        equal-length data, 3-D (n_cases, n_channels, n_timepoints) for
        multivariate, or a list of arrays for unequal lengths; ``y`` holds the
        labels as strings as written in the file (floats for regression).
    X_train, y_train, X_test, y_test : when ``split`` is None and ``return_X_y=True``
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
    if split is not None and split not in _SPLITS:
        raise ValueError(f"split must be 'train', 'test' or None; got {split!r}.")
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
    splits = [split] if split is not None else list(_SPLITS)
    out = {}
    meta = None
    for s in splits:
        X, y, m = _read_split(files[s], name, dtype)
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
