"""Intrinsic dimension against scale (TwoNN decimation, GRIDE multiscale)."""

import numpy as np

from . import _get_ax


def _arrays(obj, x):
    """(x values, dimensions, errors, default x label, default legend label)."""
    if isinstance(obj, dict):
        obj = (obj["scales"], obj["dimensions"], obj.get("errors"))
    if isinstance(obj, (tuple, list)):
        if len(obj) not in (2, 3):
            raise ValueError(
                "Arrays must be given as (scales, dimensions) or (scales, dimensions, errors)."
            )
        xs = np.asarray(obj[0], dtype=float)
        dims = np.asarray(obj[1], dtype=float)
        errs = None if len(obj) == 2 or obj[2] is None else np.asarray(obj[2], dtype=float)
        if xs.shape != dims.shape or (errs is not None and errs.shape != dims.shape):
            raise ValueError("scales, dimensions and errors must have the same shape.")
        return xs, dims, errs, "scale", None
    name = type(obj).__name__
    if not hasattr(obj, "scale_dimensions_"):
        if hasattr(obj, "dimension_"):
            raise ValueError(
                f"This {name} has no scale analysis: fit TwoNN with n_scales=... or Gride "
                "with multiscale=True."
            )
        raise TypeError(
            "plot_id_scale takes a fitted TwoNN (with n_scales) or Gride, or arrays "
            f"(scales, dimensions[, errors]); got {name}."
        )
    dims, errs = obj.scale_dimensions_, obj.scale_errors_
    if x == "distance":
        return obj.scale_distances_, dims, errs, "mean neighbour distance", name
    if x == "size" and hasattr(obj, "scale_sizes_"):
        return obj.scale_sizes_, dims, errs, "number of points", name
    if x == "rank" and hasattr(obj, "scale_n1_"):
        return 2 * obj.scale_n1_, dims, errs, "neighbour rank $n_2 = 2 n_1$", name
    raise ValueError(
        f"x={x!r} is not available for {name}: use 'distance'"
        + (", 'size'" if hasattr(obj, "scale_sizes_") else "")
        + (", 'rank'" if hasattr(obj, "scale_n1_") else "")
        + "."
    )


def plot_id_scale(estimator_or_arrays, ax=None, *, x="distance", label=None, xscale="log",
                  **errorbar_kw):
    """Plot the intrinsic dimension against the scale it was measured at.

    Parameters
    ----------
    estimator_or_arrays : TwoNN, Gride, tuple or dict
        A fitted :class:`~sklearn_geom.dimension.TwoNN` with ``n_scales`` set
        (decimation: one point per subset size), a fitted
        :class:`~sklearn_geom.dimension.Gride` (one point per ``n1``; multiscale
        to see a curve), or arrays ``(scales, dimensions[, errors])`` / a dict
        with keys ``"scales"``, ``"dimensions"`` and optionally ``"errors"``.
    ax : matplotlib Axes, default=None
        Axes to draw on (a new figure's when None).  Call again with the same
        ``ax`` to overlay several estimators.
    x : {"distance", "size", "rank"}, default="distance"
        Horizontal axis: the mean neighbour distance of the scale
        (``scale_distances_``), the subset size (TwoNN, ``scale_sizes_``) or the
        neighbour rank ``n2 = 2 n1`` (Gride).  Ignored for arrays.
    label : str, default=None
        Legend entry (default: the estimator's class name).
    xscale : str, default="log"
        Scale of the horizontal axis.
    **errorbar_kw
        Passed to :meth:`matplotlib.axes.Axes.errorbar` (``fmt="o-"`` and
        ``capsize=3`` by default).  Error bars are ``scale_errors_``.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.dimension import Gride
    >>> from sklearn_geom.plotting import plot_id_scale
    >>> X = np.random.default_rng(0).normal(size=(500, 3))
    >>> ax = plot_id_scale(Gride(multiscale=True, range_max=16).fit(X))
    >>> ax.get_ylabel()
    'intrinsic dimension'
    """
    if x not in ("distance", "size", "rank"):
        raise ValueError(f"x must be 'distance', 'size' or 'rank', got {x!r}.")
    xs, dims, errs, xlabel, default_label = _arrays(estimator_or_arrays, x)
    ax = _get_ax(ax)
    kw = {"fmt": "o-", "capsize": 3}
    kw.update(errorbar_kw)
    ax.errorbar(xs, dims, yerr=errs, label=label if label is not None else default_label, **kw)
    ax.set_xscale(xscale)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("intrinsic dimension")
    if label is not None or default_label is not None:
        ax.legend()
    return ax
