"""Numba kernels of the intrinsic-dimension estimators (plain arrays in and out)."""

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True, nogil=True)
def local_ml(ind, group_of, log_mu, k):
    """Pooled maximum-likelihood dimension over each query's ``k`` nearest fitted points.

    Parameters
    ----------
    ind : (n_queries, m) int64
        Neighbour lists of the queries (sorted by distance), entries < 0 are padding.
    group_of : (n_fit,) int64
        Index of each listed point in ``log_mu`` (its duplicate group); < 0 skips it.
    log_mu : (n_groups,) float64
        ``ln(r2 / r1)`` of each fitted point; NaN or <= 0 (ties, unusable points)
        counts towards the ``k`` neighbours but not in the estimate.
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
    kk = max(k, 1)
    for r in prange(n):
        seen = np.empty(kk, dtype=np.int64)
        c = 0
        s = 0.0
        cnt = 0
        for q in range(width):
            if c >= k:
                break
            j = ind[r, q]
            if j < 0:
                break
            g = group_of[j]
            if g < 0:
                continue
            dup = False
            for t in range(c):
                if seen[t] == g:
                    dup = True
                    break
            if dup:
                continue
            seen[c] = g
            c += 1
            v = log_mu[g]
            if v > 0.0 and np.isfinite(v):
                s += v
                cnt += 1
        used[r] = cnt
        if cnt >= 2:
            out[r] = (cnt - 1) / s
        else:
            out[r] = np.nan
    return out, used
