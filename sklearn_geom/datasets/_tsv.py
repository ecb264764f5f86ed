"""The ``UCRArchive_2018`` ``.tsv`` format: reader and writer.

One file per split, ``<Name>_TRAIN.tsv`` / ``<Name>_TEST.tsv``: tab separated,
the label in the first column, no header; variable-length series padded with
NaN at the end.  Univariate only.
"""

import math
from pathlib import Path

import numpy as np

from ._archive import _BY_NAME
from ._common import UCRFormatError, _as_cases, _to_floats


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
