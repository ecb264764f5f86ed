"""Control of numba's (and BLAS') thread count from an estimator's ``n_jobs``.

Default threading follows scikit-learn's practice for its OpenMP kernels: with
``n_jobs=None`` the kernels use every core they are allowed to, i.e. the
smallest of numba's thread count (``NUMBA_NUM_THREADS``, ``numba.set_num_threads``)
and OpenMP's (``OMP_NUM_THREADS``, ``threadpoolctl.threadpool_limits``).  An
integer ``n_jobs`` sets the count as in joblib (-1: all cores, -2: all but one).

Numba's default threading layer (workqueue) aborts the process when two Python
threads enter parallel regions at the same time, and ``numba.set_num_threads`` is
global state.  Every parallel kernel call of the package therefore goes through
:func:`numba_threads`, which sets the count under a process-wide lock and restores
it afterwards.  Results never depend on the thread count: kernels write each
output element from exactly one iteration, with a fixed reduction order.
"""

import threading
from contextlib import contextmanager

import numba
from joblib import effective_n_jobs as _joblib_effective_n_jobs

_LOCK = threading.RLock()


def _default_n_threads():
    """Threads a kernel may use when the caller did not say (``n_jobs=None``)."""
    n = numba.get_num_threads()
    try:
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

        n = min(n, _openmp_effective_n_threads(only_physical_cores=False))
    except ImportError:  # pragma: no cover - private helper moved
        pass
    return n


def effective_n_jobs(n_jobs):
    """Number of threads ``n_jobs`` stands for.

    Parameters
    ----------
    n_jobs : int or None
        ``None``: all the threads numba and OpenMP allow (see the module docstring);
        otherwise joblib's reading (-1: all cores).

    Returns
    -------
    n_threads : int
        At least 1, capped at the number of threads numba was started with.
    """
    if n_jobs is None:
        n = _default_n_threads()
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
        None: every core numba and OpenMP allow (as scikit-learn's OpenMP
        kernels); -1: all cores; n: n threads.
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


_CONTROLLER = []


@contextmanager
def blas_threads(n):
    """Limit the BLAS thread pools to ``n`` threads, under the same lock as
    :func:`numba_threads` (one global thread setting at a time).

    Uses one ``threadpoolctl.ThreadpoolController`` made on first use: finding the
    libraries again costs ~10 ms a call, as much as a small ridge fit.  It sees the
    BLAS libraries loaded at that time (numpy's and scipy's).
    """
    from threadpoolctl import ThreadpoolController

    with _LOCK:
        if not _CONTROLLER:
            _CONTROLLER.append(ThreadpoolController())
        with _CONTROLLER[0].limit(limits=int(n), user_api="blas"):
            yield
