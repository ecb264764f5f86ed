"""Sparseness of activations and class ensembles (Tosato et al. 2023)."""

import numbers
import warnings

import numpy as np

from ._common import check_labels, check_points


def hoyer_sparseness(X, *, average=True):
    """Hoyer sparseness of each row (a sample's activations over the units).

    ``s(x) = (sqrt(n) - |x|_1 / |x|_2) / (sqrt(n) - 1)`` for a vector of ``n``
    units: 1 for a single active unit, 0 when all units are equally active.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_units)
        Activations, one row per sample; at least 2 units.
    average : bool, default=True
        Return the mean over rows, ignoring all-zero rows (``nanmean``), or the
        per-row values (NaN for all-zero rows).

    Returns
    -------
    sparseness : float or ndarray of shape (n_samples,)
        The mean over rows, or the value of each row.

    Notes
    -----
    The measure is undefined for an all-zero row (``0 / 0``); such rows are
    NaN in the per-row output, left out of the mean, and reported with a
    ``RuntimeWarning``.  When every row is zero the mean is NaN (with the same
    warning).

    References
    ----------
    .. [1] Hoyer, "Non-negative matrix factorization with sparseness
       constraints", JMLR 5 (2004).
    .. [2] Tosato, Basile, Ansuini, Mazzia et al., "Emergent representations in
       networks trained with the Forward-Forward algorithm", arXiv:2305.18353 (2023).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import hoyer_sparseness
    >>> hoyer_sparseness([[0, 0, 0, 5], [1, 1, 1, 1]], average=False)
    array([1., 0.])
    """
    X = check_points(X)
    n = X.shape[1]
    if n < 2:
        raise ValueError(f"Hoyer sparseness needs at least 2 units, got {n}.")
    X = X.astype(np.float64, copy=False)
    l1 = np.abs(X).sum(axis=1)
    l2 = np.sqrt(np.einsum("ij,ij->i", X, X))
    zero = l2 == 0
    s = np.full(X.shape[0], np.nan)
    root = np.sqrt(n)
    s[~zero] = (root - l1[~zero] / l2[~zero]) / (root - 1.0)
    s = np.clip(s, 0.0, 1.0)  # rounding at the extremes
    if zero.any():
        warnings.warn(
            f"hoyer_sparseness: {int(zero.sum())} of {X.shape[0]} rows are all zero; their "
            "sparseness is undefined (NaN) and left out of the mean.",
            RuntimeWarning,
            stacklevel=2,
        )
    if not average:
        return s
    if zero.all():
        return float("nan")
    return float(np.nanmean(s))


def class_ensembles(X, labels, *, ratio=1.0):
    """Units whose mean activation on one class exceeds that on the other classes.

    Unit ``j`` belongs to the ensemble of class ``c`` when
    ``m_c(j) > ratio * mean_{c' != c} m_{c'}(j)``, with ``m_c(j)`` the mean
    activation of unit ``j`` over the samples of class ``c`` (Tosato et al. 2023
    use ratios 1 and 2).  For non-negative activations this is the ratio test
    ``m_c / mean_{c'} m_{c'} > ratio``; a unit silent on every class belongs to
    no ensemble.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_units)
        Non-negative activations (e.g. after a ReLU).
    labels : array-like of shape (n_samples,)
        Class of each sample (at least 2 classes).
    ratio : float >= 0, default=1.0
        Threshold of the ratio.

    Returns
    -------
    membership : ndarray of shape (n_classes, n_units), bool
        ``membership[c, j]``: unit ``j`` is in the ensemble of ``classes[c]``.
    classes : ndarray of shape (n_classes,)
        The sorted class labels.

    References
    ----------
    .. [1] Tosato, Basile, Ansuini, Mazzia et al., "Emergent representations in
       networks trained with the Forward-Forward algorithm", arXiv:2305.18353 (2023).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import class_ensembles
    >>> X = [[1.0, 0.0, 1.0], [0.0, 2.0, 1.0]]
    >>> membership, classes = class_ensembles(X, [0, 1])
    >>> membership
    array([[ True, False, False],
           [False,  True, False]])
    """
    X = check_points(X)
    labels = check_labels(labels, X.shape[0])
    if not isinstance(ratio, numbers.Real) or ratio < 0:
        raise ValueError(f"ratio must be a non-negative number, got {ratio!r}.")
    if np.any(X < 0):
        raise ValueError(
            "class_ensembles needs non-negative activations (the ratio test is ambiguous "
            "for negative means); pass the output of a ReLU or shift the activations."
        )
    classes, codes = np.unique(labels, return_inverse=True)
    codes = codes.ravel()
    n_classes = classes.size
    if n_classes < 2:
        raise ValueError("class_ensembles needs at least 2 classes.")
    sums = np.zeros((n_classes, X.shape[1]))
    np.add.at(sums, codes, X.astype(np.float64))
    means = sums / np.bincount(codes, minlength=n_classes)[:, None]
    others = (means.sum(axis=0)[None, :] - means) / (n_classes - 1)
    return means > ratio * others, classes
