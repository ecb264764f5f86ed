"""Cosine similarity between groups of rows (e.g. token vectors of one layer)."""

import numpy as np

from ._common import check_points


def group_cosine_similarity(X, group_a, group_b=None, *, quantiles=(0.25, 0.5, 0.75)):
    """Quantiles of the cosine similarity over all cross pairs of two groups of rows.

    For the rows ``a`` selected by ``group_a`` and ``b`` selected by ``group_b``,
    the similarities ``cos(x_a, x_b)`` of every pair ``(a, b)`` with ``a != b``
    are summarised by their quantiles (Serra et al. 2025 report median and
    quartiles per layer).

    Parameters
    ----------
    X : array-like of shape (n_rows, n_features)
        The vectors (e.g. the tokens of one layer, as from
        ``TorchActivations(pooling="none")``).
    group_a : array-like of bool of shape (n_rows,) or of int
        Mask or indices of the first group.
    group_b : array-like of bool or int, default=None
        Mask or indices of the second group; None compares ``group_a`` with itself
        (the pairs of a row with itself are left out).
    quantiles : sequence of float in [0, 1], default=(0.25, 0.5, 0.75)
        Quantiles to return.

    Returns
    -------
    q : ndarray of shape (len(quantiles),)
        The quantiles of the pairwise cosine similarities.

    Notes
    -----
    All-zero rows have no direction: they raise a ``ValueError``.  The pairs are
    formed in blocks, so memory is ``O(|group_b|)`` per row of ``group_a`` block.

    References
    ----------
    .. [1] Serra, Ansuini, Cazzaniga et al., "The geometry of tokens in internal
       representations of large language models", 2025 (arXiv:2501.10573).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import group_cosine_similarity
    >>> X = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])
    >>> group_cosine_similarity(X, [0, 1], [2], quantiles=[0.5])
    array([0.])
    >>> group_cosine_similarity(X, [0, 1], quantiles=[0.5])
    array([1.])
    """
    X = check_points(X)
    n = X.shape[0]
    ia = _as_indices(group_a, n, "group_a")
    ib = ia if group_b is None else _as_indices(group_b, n, "group_b")
    q = np.asarray(quantiles, dtype=np.float64)
    if q.ndim != 1 or np.any((q < 0) | (q > 1)):
        raise ValueError(f"quantiles must be a 1-D sequence in [0, 1], got {quantiles!r}.")
    rows = np.unique(np.concatenate([ia, ib]))
    norms = np.linalg.norm(X[rows].astype(np.float64), axis=1)
    if np.any(norms == 0):
        raise ValueError("group_cosine_similarity: all-zero rows have no direction.")
    U = X.astype(np.float64) / np.maximum(np.linalg.norm(X.astype(np.float64), axis=1), 1e-300)[
        :, None
    ]
    A, B = U[ia], U[ib]
    sims = []
    block = max(1, 2**22 // max(1, ib.size))
    for s in range(0, ia.size, block):
        S = A[s : s + block] @ B.T
        keep = ia[s : s + block, None] != ib[None, :]
        sims.append(S[keep])
    sims = np.concatenate(sims) if sims else np.empty(0)
    if sims.size == 0:
        raise ValueError("The two groups form no pair of distinct rows.")
    return np.quantile(np.clip(sims, -1.0, 1.0), q)


def _as_indices(group, n, name):
    g = np.asarray(group)
    if g.dtype == bool:
        if g.shape != (n,):
            raise ValueError(f"{name} as a mask must have shape ({n},), got {g.shape}.")
        return np.flatnonzero(g)
    if g.dtype.kind not in "iu" or g.ndim != 1:
        raise ValueError(f"{name} must be a boolean mask or 1-D integer indices.")
    if g.size and (g.min() < -n or g.max() >= n):
        raise ValueError(f"{name} has indices out of range for {n} rows.")
    if g.size == 0:
        raise ValueError(f"{name} selects no row.")
    return np.where(g < 0, g + n, g)
