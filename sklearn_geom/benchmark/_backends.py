"""Where the tasks run: joblib backends, including a Dask cluster."""

import contextlib
import os

BACKENDS = (None, "loky", "threading", "sequential", "multiprocessing", "dask")


def backend_context(backend, scheduler, n_jobs):
    """A context in which ``sklearn.utils.parallel.Parallel`` uses the chosen backend.

    ``backend="dask"`` connects to ``scheduler`` or, without one, starts a local
    cluster of ``n_jobs`` single-threaded worker processes on 127.0.0.1.
    """
    from joblib import parallel_config

    from ._errors import BenchmarkError

    if backend not in BACKENDS:
        raise BenchmarkError(f"unknown backend {backend!r}; choose one of {BACKENDS[1:]}.")
    stack = contextlib.ExitStack()
    if backend == "dask":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - optional dependency
            raise ImportError(
                "backend='dask' needs dask.distributed: pip install 'sklearn_geom[dask]'."
            ) from exc
        if scheduler is not None:
            stack.enter_context(Client(scheduler))
        else:  # a local cluster of single-threaded workers on the loopback interface
            n = n_jobs if n_jobs and n_jobs > 0 else os.cpu_count()
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
                )
            )
            stack.enter_context(Client(cluster))
        stack.enter_context(parallel_config(backend="dask"))
    elif backend is not None:
        stack.enter_context(parallel_config(backend=backend))
    elif scheduler is not None:
        raise BenchmarkError("scheduler is only used with backend='dask'.")
    return stack
