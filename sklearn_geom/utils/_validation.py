"""One validation path for the package's inputs beyond what sklearn's ``validate_data`` does."""

import numbers


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

    Returns
    -------
    need : int
        ``n_neighbors + n_extra``, the neighbours per point the caller must compute.

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

