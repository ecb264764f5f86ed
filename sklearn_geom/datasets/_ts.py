"""The sktime/aeon ``.ts`` format: one header parser, the reader and the writer.

``@`` header lines (``@problemName``, ``@timeStamps``, ``@missing``,
``@univariate``, ``@dimensions``, ``@equalLength``, ``@seriesLength``,
``@classLabel true ...``, ``@targetLabel true``), then ``@data`` and one case per
line: values comma separated, channels separated by ``:``, the label last; ``?``
is a missing value; ``#`` and ``%`` start comment lines.  With ``@timeStamps
true`` each value is written ``(timestamp,value)``.
"""

import math
import re
from pathlib import Path

import numpy as np

from ._common import UCRFormatError, _as_cases, _parse_bool, _stack, _to_floats

_BOOL_TAGS = ("timestamps", "missing", "univariate", "equallength", "classlabel", "targetlabel")
_STAMPED = re.compile(r"\(([^()]*)\)")


def parse_ts_header(numbered_lines, path):
    """Parse the header of a ``.ts`` file, up to and including its ``@data`` line.

    The one parser of the header: :func:`read_ts` continues with the data lines
    of the same iterator, and the discovery of data sets reads headers only.

    Parameters
    ----------
    numbered_lines : iterator of (int, str)
        ``enumerate(file, start=1)``; consumed up to the ``@data`` line.
    path : str or path-like
        For error messages.

    Returns
    -------
    meta : dict
        Lower-cased tag -> value: booleans for ``timestamps``, ``missing``,
        ``univariate``, ``equallength``, ``classlabel``, ``targetlabel``;
        integers for ``serieslength`` and ``dimensions``; ``problemname`` and
        unknown tags as text; ``class_values`` (the declared labels or None).
    """
    meta = {"problemname": None, "class_values": None, "dimensions": None, "serieslength": None}
    for lineno, raw in numbered_lines:
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("%"):
            continue
        if not line.startswith("@"):
            raise UCRFormatError(path, lineno, "expected a @header line or @data before the data")
        parts = line[1:].split(None, 1)
        tag = parts[0].lower() if parts else ""
        rest = parts[1] if len(parts) > 1 else ""
        if tag == "data":
            if meta.get("classlabel") and meta.get("targetlabel"):
                raise UCRFormatError(
                    path, lineno, "@classLabel true and @targetLabel true together"
                )
            return meta
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
    raise UCRFormatError(path, None, "no @data line")


def read_ts_header(path):
    """The header of a ``.ts`` file (see :func:`parse_ts_header`), without reading the data."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return parse_ts_header(enumerate(fh, start=1), path)


def _split_top_level(line):
    """Split a data line at ``:`` outside parentheses (time stamps may hold ``:``)."""
    fields, depth, start = [], 0, 0
    for i, ch in enumerate(line):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ":" and depth == 0:
            fields.append(line[start:i])
            start = i + 1
    fields.append(line[start:])
    return fields


def _stamped_values(field, path, lineno):
    """``(t1,v1),(t2,v2),...`` -> (values in file order, time stamps as text)."""
    pairs = _STAMPED.findall(field)
    if not pairs and field.strip():
        raise UCRFormatError(
            path, lineno, "@timeStamps true expects values written as (timestamp,value)"
        )
    stamps, values = [], []
    for p in pairs:
        stamp, sep, value = p.rpartition(",")
        if not sep:
            raise UCRFormatError(path, lineno, f"time-stamped value {p!r} has no comma")
        stamps.append(stamp.strip())
        values.append(value)
    return _to_floats(values, path, lineno), stamps


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
        declared labels), ``targetlabel``, ``dimensions``, ``timestamps``, plus
        ``n_channels`` and, for time-stamped files, ``timestamp_values``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    UCRFormatError
        For a malformed file; the message gives the line number.

    See Also
    --------
    write_ts : The inverse.
    load_ucr : Load a named data set.

    Notes
    -----
    Time-stamped files (``@timeStamps true``, values written
    ``(timestamp,value)``) are read with this rule: the series holds the values
    in the order they are written; the time stamps are not interpreted (no
    resampling, no gap filling) and are returned as text in
    ``meta["timestamp_values"]`` (one list per case, one list per channel).

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
    cases, labels, stamps = [], [], []
    n_dims = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        numbered = enumerate(fh, start=1)
        meta = parse_ts_header(numbered, path)
        has_label = bool(meta.get("classlabel") or meta.get("targetlabel"))
        stamped = bool(meta.get("timestamps"))
        for lineno, raw in numbered:
            line = raw.strip()
            if not line or line.startswith("#") or line.startswith("%"):
                continue
            if line.startswith("@"):
                raise UCRFormatError(path, lineno, "header line after @data")
            fields = _split_top_level(line) if stamped else line.split(":")
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
            if stamped:
                parsed = [_stamped_values(f, path, lineno) for f in fields]
                channels = [v for v, _ in parsed]
                stamps.append([s for _, s in parsed])
            else:
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
    if not cases:
        raise UCRFormatError(path, None, "no cases after @data")
    univariate = n_dims == 1
    meta["univariate"] = univariate
    meta["n_channels"] = n_dims
    meta.setdefault("equallength", len({c.shape[1] for c in cases}) == 1)
    meta.setdefault("missing", any(np.isnan(c).any() for c in cases))
    if stamped:
        meta["timestamp_values"] = stamps
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
