"""Shared pieces of the archive readers and writers: the format error, value parsing, stacking."""

import numpy as np

SPLITS = ("train", "test")


class UCRFormatError(ValueError):
    """A ``.ts`` or ``.tsv`` file that does not follow its format.

    The message names the file and the 1-based line number of the problem;
    both are also stored as the attributes ``path`` and ``line``.

    Parameters
    ----------
    path : str or path-like
        The file.
    line : int or None
        1-based line number of the problem (None: the file as a whole).
    message : str
        What is wrong.
    """

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = line
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


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
