"""Missing values and variable lengths: the two treatments a benchmark needs on the archives."""

import numpy as np


def _fill_row(x, where):
    """Linear interpolation of NaN in one 1-D series (ends: the nearest finite value)."""
    finite = np.flatnonzero(~np.isnan(x))
    if finite.size == 0:
        raise ValueError(f"{where} has no values (all NaN): nothing to interpolate from.")
    if finite.size == x.size:
        return x
    t = np.arange(x.size)
    return np.interp(t, finite, x[finite]).astype(x.dtype, copy=False)


def _fill_case(x, where):
    x = np.asarray(x)
    if not np.isnan(x).any():
        return x
    if x.ndim == 1:
        return _fill_row(x, where)
    return np.stack([_fill_row(row, f"{where}, channel {c}") for c, row in enumerate(x)])


def interpolate_missing(X):
    """Replace missing values (NaN) in time series by linear interpolation.

    Inside a series, a run of NaN becomes the straight line between the finite
    values on either side; NaN at the start (end) take the first (last) finite
    value.  Each channel is filled on its own.  The UCR archive's adjusted
    copies of its data sets with missing values (DodgerLoopDay, DodgerLoopGame,
    DodgerLoopWeekend, MelbournePedestrian) use linear interpolation.  Stateless:
    in a :class:`~sklearn.pipeline.Pipeline` use
    ``FunctionTransformer(interpolate_missing)``.

    Parameters
    ----------
    X : ndarray of shape (n_cases, n_timepoints) or (n_cases, n_channels, n_timepoints), or list
        Series as returned by :func:`load_ucr` (a list of 1-D or 2-D arrays for
        unequal lengths).  Not modified.

    Returns
    -------
    X_filled : same type and shapes as ``X``
        A copy without NaN (the input itself when it has none).

    Raises
    ------
    ValueError
        When a series (or a channel) has no finite value at all.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.datasets import interpolate_missing
    >>> interpolate_missing(np.array([[np.nan, 1.0, np.nan, 3.0, np.nan]]))
    array([[1., 1., 2., 3., 3.]])
    """
    if isinstance(X, np.ndarray):
        if X.ndim not in (2, 3):
            raise ValueError(f"X must be 2-D or 3-D; got shape {X.shape}.")
        if not np.issubdtype(X.dtype, np.floating) or not np.isnan(X).any():
            return X
        out = X.copy()
        flat = out.reshape(-1, X.shape[-1])
        for i in np.flatnonzero(np.isnan(flat).any(axis=1)):
            case, channel = divmod(int(i), 1 if X.ndim == 2 else X.shape[1])
            where = f"series {case}" + ("" if X.ndim == 2 else f", channel {channel}")
            flat[i] = _fill_row(flat[i], where)
        return out
    return [_fill_case(x, f"series {i}") for i, x in enumerate(X)]


def pad_series(X, length=None, *, value="edge"):
    """Pad unequal-length series at the end to one length.

    Parameters
    ----------
    X : list of 1-D or 2-D (n_channels, n_timepoints_i) arrays, or ndarray
        Series; an array is returned padded to ``length`` as well.
    length : int, default=None
        Target length; None: the longest series.
    value : "edge" or float, default="edge"
        ``"edge"`` repeats each series' last value (our rule: no step that a
        convolution would see as a feature); a number pads with that constant
        (the UCR archive's adjusted copies pad with low-amplitude noise).

    Returns
    -------
    X_padded : ndarray of shape (n_cases, length) or (n_cases, n_channels, length)
        The series, padded at the end.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.datasets import pad_series
    >>> pad_series([np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])])
    array([[1., 2., 2.],
           [3., 4., 5.]])
    """
    cases = [np.asarray(x, dtype=np.float64) for x in X]
    if not cases:
        raise ValueError("X has no series.")
    ndim = {c.ndim for c in cases}
    if len(ndim) != 1 or ndim.pop() not in (1, 2):
        raise ValueError("every series must be 1-D, or every one 2-D (n_channels, n_timepoints).")
    longest = max(c.shape[-1] for c in cases)
    length = longest if length is None else int(length)
    if longest > length:
        raise ValueError(f"a series has {longest} time points, more than length={length}.")
    if value != "edge":
        value = float(value)
    out = []
    for c in cases:
        if c.shape[-1] == 0:
            raise ValueError("an empty series cannot be padded.")
        n_pad = length - c.shape[-1]
        if value == "edge":
            pad = np.repeat(c[..., -1:], n_pad, axis=-1)
        else:
            pad = np.full(c.shape[:-1] + (n_pad,), value)
        out.append(np.concatenate([c, pad], axis=-1))
    return np.stack(out)
