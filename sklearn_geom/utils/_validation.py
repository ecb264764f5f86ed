"""One validation path for the package's inputs beyond what sklearn's ``validate_data`` does."""

import numbers

import numpy as np


def check_n_neighbors(n_neighbors, n_samples, *, name="n_neighbors", n_extra=0, what=""):
    """Check that ``n_neighbors`` neighbours (self excluded) exist among ``n_samples`` points.

    Parameters
    ----------
    n_neighbors : int
        Number of neighbours wanted, self excluded.
    n_samples : int
        Number of points the neighbours are drawn from (the query point included).
    name : str
        Parameter name used in the message.
    n_extra : int
        Extra neighbours the method needs beyond ``n_neighbors`` (for the message).
    what : str
        The method's name, for the message.

    Raises
    ------
    ValueError
        When ``n_neighbors + n_extra >= n_samples`` or ``n_neighbors < 1``.
    """
    if not isinstance(n_neighbors, numbers.Integral) or n_neighbors < 1:
        raise ValueError(f"{name} must be a positive integer, got {n_neighbors!r}.")
    need = int(n_neighbors) + int(n_extra)
    if need >= n_samples:
        who = f"{what} " if what else ""
        raise ValueError(
            f"{who}needs {need} neighbours per point ({name}={n_neighbors}"
            + (f" plus {n_extra}" if n_extra else "")
            + f"), which requires n_samples > {need}; got n_samples={n_samples}."
        )
    return need


def check_finite_array(a, name="array"):
    """Raise a ValueError naming ``name`` when ``a`` holds NaN or infinity."""
    a = np.asarray(a)
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return a
