"""Time-series collection input: 2-D, 3-D arrays and lists of unequal-length series.

Everything is turned into the flat layout of :mod:`._rocket_numba` (``data``, ``offsets``,
``lengths``, ``n_channels``).
"""

import numbers

import numpy as np
from sklearn.utils import check_array


class SeriesCollection:
    """Flat view of a collection of series (internal).

    Attributes
    ----------
    data : ndarray of shape (total,)
        All values, series after series, channel after channel.
    offsets, lengths : ndarray of int64, shape (n_series,)
    n_channels : int
    layout : {"2d", "3d", "list"}
    """

    def __init__(self, data, offsets, lengths, n_channels, layout):
        self.data = data
        self.offsets = offsets
        self.lengths = lengths
        self.n_channels = int(n_channels)
        self.layout = layout

    @property
    def n_series(self):
        return self.lengths.shape[0]

    def astype(self, dtype):
        if self.data.dtype == dtype:
            return self
        return SeriesCollection(
            self.data.astype(dtype), self.offsets, self.lengths, self.n_channels, self.layout
        )


def from_array(X, dtype):
    """Collection from a validated 2-D ``(n, T)`` or 3-D ``(n, C, T)`` float array."""
    X = np.ascontiguousarray(X, dtype=dtype)
    if X.ndim == 2:
        n, T = X.shape
        C = 1
        layout = "2d"
    else:
        n, C, T = X.shape
        layout = "3d"
    offsets = np.arange(n, dtype=np.int64) * (C * T)
    lengths = np.full(n, T, dtype=np.int64)
    return SeriesCollection(X.reshape(-1), offsets, lengths, C, layout)


def check_3d(X):
    """Validate a 3-D ``(n_cases, n_channels, n_timepoints)`` array (sktime/aeon layout)."""
    X = check_array(
        X,
        allow_nd=True,
        dtype=[np.float64, np.float32],
        ensure_min_samples=1,
        input_name="X",
    )
    if X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(
            f"X of shape {X.shape} has no channels or no time points; expected "
            "(n_cases, n_channels, n_timepoints) with n_channels >= 1 and n_timepoints >= 1."
        )
    return X


def from_list(X, dtype):
    """Collection from a list of 1-D ``(T_i,)`` or 2-D ``(C, T_i)`` series (unequal lengths).

    Raises a ValueError for an empty list, mixed or inconsistent channel counts, empty
    series, NaN or infinity, and non-numeric values.
    """
    if len(X) == 0:
        raise ValueError("X is an empty collection; at least one series is required.")
    parts = []
    lengths = np.empty(len(X), dtype=np.int64)
    n_channels = None
    for i, s in enumerate(X):
        a = np.asarray(s)
        if a.dtype.kind not in "biuf":
            try:
                a = a.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"Series {i} of X is not numeric (dtype {a.dtype}).") from exc
        if a.ndim == 1:
            a = a[None, :]
        elif a.ndim != 2:
            raise ValueError(
                f"Series {i} of X has {a.ndim} dimensions; each series must be 1-D "
                "(n_timepoints,) or 2-D (n_channels, n_timepoints)."
            )
        if n_channels is None:
            n_channels = a.shape[0]
        elif a.shape[0] != n_channels:
            raise ValueError(
                f"Series {i} of X has {a.shape[0]} channels, series 0 has {n_channels}; "
                "all series of a collection must have the same number of channels."
            )
        if a.shape[1] < 1 or a.shape[0] < 1:
            raise ValueError(f"Series {i} of X is empty (shape {a.shape}).")
        a = np.asarray(a, dtype=dtype)
        if not np.isfinite(a).all():
            raise ValueError(
                f"Input X contains NaN or infinity (series {i}). Impute or drop missing "
                "values first; unequal lengths are given as a list of arrays, not NaN padding."
            )
        parts.append(a.reshape(-1))
        lengths[i] = a.shape[1]
    sizes = lengths * n_channels
    offsets = np.zeros(len(X), dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    data = np.concatenate(parts)
    return SeriesCollection(data, offsets, lengths, n_channels, "list")


def is_list_collection(X):
    """True for a list/tuple of series (as opposed to a 2-D nested list of numbers)."""
    if not isinstance(X, (list, tuple)):
        return False
    if len(X) == 0:
        return True
    first = X[0]
    return not isinstance(first, numbers.Number)
