"""Control of numba's (and BLAS') thread count from an estimator's ``n_jobs``.

Numba's default threading layer (workqueue) aborts the process when two Python
threads enter parallel regions at the same time, and ``numba.set_num_threads`` is
global state.  Every parallel kernel call of the package therefore goes through
:func:`numba_threads`, which sets the count under a process-wide lock and restores
it afterwards.  Results never depend on the thread count: kernels write each
output element from exactly one iteration, with a fixed reduction order.
"""

import os
import threading
from contextlib import contextmanager

import numba
from joblib import effective_n_jobs as _joblib_effective_n_jobs

_LOCK = threading.RLock()


def effective_n_jobs(n_jobs):
    """Number of threads ``n_jobs`` stands for (None -> 1, -1 -> all cores).

    Capped at the number of threads numba was started with.
    """
    if n_jobs is None:
        n = 1
    else:
        n = _joblib_effective_n_jobs(n_jobs)
    cap = numba.config.NUMBA_NUM_THREADS
    return int(max(1, min(n, cap)))


@contextmanager
def numba_threads(n_jobs, blas=True):
    """Run the enclosed numba (and, with ``blas=True``, BLAS) calls on ``n_jobs`` threads.

    Parameters
    ----------
    n_jobs : int or None
        As in scikit-learn: None means 1, -1 means all cores.
    blas : bool, default=True
        Also limit the BLAS thread pools (through threadpoolctl) for the duration.

    Yields
    ------
    n_threads : int
        The number of threads in effect.
    """
    n = effective_n_jobs(n_jobs)
    with _LOCK:
        old = numba.get_num_threads()
        numba.set_num_threads(n)
        try:
            if blas:
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=n, user_api="blas"):
                    yield n
            else:
                yield n
        finally:
            numba.set_num_threads(old)


def default_numba_cache_dir():
    """Directory for numba's on-disk cache outside any source checkout.

    ``$NUMBA_CACHE_DIR`` when set, else ``~/.cache/sklearn_geom/numba``.
    """
    return os.environ.get(
        "NUMBA_CACHE_DIR",
        os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba"),
    )
