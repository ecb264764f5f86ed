"""Numba kernels of the intrinsic-dimension estimators (plain arrays in and out)."""

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True, nogil=True)
def local_ml(ind, log_mu, k):
    """Pooled maximum-likelihood dimension over each query's ``k`` nearest fitted points.

    Parameters
    ----------
    ind : (n_queries, m) int64
        Neighbour lists of the queries over the distinct fitted points (sorted by
        distance, no repeats); entries < 0 are padding.
    log_mu : (n_distinct,) float64
        ``ln(r2 / r1)`` of each distinct fitted point; NaN or <= 0 (ties,
        unusable points) counts towards the ``k`` neighbours but not in the
        estimate.
    k : int
        Distinct fitted points pooled per query.

    Returns
    -------
    d : (n_queries,) float64
        ``(m - 1) / sum(ln mu)`` over the ``m`` usable ratios pooled, NaN when
        ``m < 2``.
    n_used : (n_queries,) int64
        ``m`` for each query.
    """
    n, width = ind.shape
    out = np.empty(n, dtype=np.float64)
    used = np.zeros(n, dtype=np.int64)
    top = min(k, width)
    for r in prange(n):
        s = 0.0
        cnt = 0
        for q in range(top):
            j = ind[r, q]
            if j < 0:
                break
            v = log_mu[j]
            if v > 0.0 and np.isfinite(v):
                s += v
                cnt += 1
        used[r] = cnt
        if cnt >= 2:
            out[r] = (cnt - 1) / s
        else:
            out[r] = np.nan
    return out, used
