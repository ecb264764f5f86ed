"""Small numeric helpers shared by the intrinsic-dimension estimators.

Neighbour lists (duplicates collapsed) come from
:func:`sklearn_geom.neighbors.distinct_neighbors`.
"""

import numpy as np

from ..utils import numba_threads
from . import _dimension_numba as _kern


def local_dimension(ind, log_mu, k, fallback, n_jobs=None):
    """Local ML dimension of each query row (see :func:`_dimension_numba.local_ml`).

    ``ind`` are the queries' lists over the distinct fitted points (as from
    :meth:`DistinctNeighbors.query`), ``log_mu`` the log ratio of each distinct
    point.  Rows with fewer than 2 usable ratios among their first ``k``
    neighbours get ``fallback`` (the global estimate).
    """
    with numba_threads(n_jobs, blas=False):
        d, _ = _kern.local_ml(
            np.ascontiguousarray(ind, dtype=np.int64),
            np.ascontiguousarray(log_mu, dtype=np.float64),
            int(k),
        )
    d[~np.isfinite(d)] = fallback
    return d


def log_ratio(r_hi, r_lo):
    """``ln(r_hi / r_lo)`` without overflow for tiny ``r_lo`` (both > 0)."""
    return np.log(r_hi) - np.log(r_lo)
