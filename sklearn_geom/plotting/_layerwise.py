"""Layer-by-layer profiles (intrinsic dimension, overlaps, sparseness) against depth."""

import numpy as np

from . import _get_ax


def _profiles(profiles):
    """{label: DataFrame-like} of the argument."""
    if isinstance(profiles, dict):
        return dict(profiles)
    if isinstance(profiles, (list, tuple)):
        return {None if len(profiles) == 1 else str(i): p for i, p in enumerate(profiles)}
    if hasattr(profiles, "columns") and "model" in profiles.columns:
        return {str(m): g for m, g in profiles.groupby("model", sort=False)}
    if hasattr(profiles, "profile_"):
        return {None: profiles.profile_}
    return {None: profiles}


def plot_layer_profile(profiles, column="dimension_", ax=None, *, x="relative_depth",
                       error=None, ylabel=None, **plot_kw):
    """Plot a per-layer quantity against (relative) depth, one line per model.

    Parameters
    ----------
    profiles : DataFrame, LayerwiseEstimator, list or dict of those
        Profiles as returned by :func:`~sklearn_geom.layerwise.layerwise_profile`
        or ``LayerwiseEstimator.profile_``.  A dict ``{model name: profile}``
        draws one labelled line per model on the same axes (relative depth lets
        networks of different depths share the horizontal axis); a single
        DataFrame with a ``model`` column is split by it.
    column : str, default="dimension\\_"
        Column to plot (e.g. ``"dimension_"``, ``"chi_gt"``, ``"ari"``).
    ax : matplotlib Axes, default=None
        Axes to draw on (a new figure's when None).
    x : str, default="relative_depth"
        Column of the horizontal axis (``"relative_depth"`` or ``"depth"``).
    error : str, default=None
        Column of error bars (e.g. ``"dimension_err_"``).
    ylabel : str, default=None
        Vertical axis label (default: ``column``).
    **plot_kw
        Passed to :meth:`matplotlib.axes.Axes.errorbar` (``fmt="o-"`` by
        default).

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.dimension import TwoNN
    >>> from sklearn_geom.layerwise import layerwise_profile
    >>> from sklearn_geom.plotting import plot_layer_profile
    >>> rng = np.random.default_rng(0)
    >>> a = layerwise_profile([rng.normal(size=(200, d)) for d in (2, 4, 6)], TwoNN())
    >>> b = layerwise_profile([rng.normal(size=(200, d)) for d in (3, 3)], TwoNN())
    >>> ax = plot_layer_profile({"net A": a, "net B": b}, error="dimension_err_")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['net A', 'net B']
    """
    items = _profiles(profiles)
    ax = _get_ax(ax)
    kw = {"fmt": "o-", "capsize": 3}
    kw.update(plot_kw)
    for label, prof in items.items():
        for col in (x, column) + ((error,) if error else ()):
            if col not in prof.columns:
                raise ValueError(
                    f"The profile{'' if label is None else f' {label!r}'} has no column {col!r}; "
                    f"available: {list(prof.columns)}."
                )
        yerr = None if error is None else np.asarray(prof[error], dtype=float)
        ax.errorbar(np.asarray(prof[x], dtype=float), np.asarray(prof[column], dtype=float),
                    yerr=yerr, label=label, **kw)
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(ylabel if ylabel is not None else column.rstrip("_").replace("_", " "))
    if any(label is not None for label in items):
        ax.legend()
    return ax
