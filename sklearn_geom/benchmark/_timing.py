"""One benchmark task (data set, method, run): warm-up, timed fit and predict, the result row.

The numba kernels of a method compile (or load from the on-disk cache) the
first time they run in a process.  So that the reported fit and predict times
are the work itself, each process first fits a fresh copy of the method on a
tiny slice of the data (a few training cases, same types) and predicts a few
test cases; that warm-up is timed apart as ``warmup_time`` (0 when the process
was already warm for this method and kind of input).
"""

import os
import socket
import sys
import time
from datetime import datetime, timezone

import numpy as np

# (method, params, input layout) already warmed up in this process
_WARM = set()


def _size_facts(X):
    if isinstance(X, np.ndarray):
        return (1 if X.ndim == 2 else X.shape[1]), X.shape[-1]
    lengths = {np.asarray(x).shape[-1] for x in X}
    first = np.asarray(X[0])
    return (1 if first.ndim == 1 else first.shape[0]), (
        lengths.pop() if len(lengths) == 1 else "Vary"
    )


def _worker_name():
    """The Dask worker's address when run by one, else host:pid."""
    if "distributed" in sys.modules:
        try:
            from distributed import get_worker

            return get_worker().address
        except (ImportError, ValueError):
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def _take(X, idx):
    if isinstance(X, np.ndarray):
        return X[idx]
    return [X[i] for i in idx]


def _layout(X):
    """What numba specialises on: array rank / list, dtype."""
    if isinstance(X, np.ndarray):
        return ("array", X.ndim, X.dtype.str)
    first = np.asarray(X[0])
    return ("list", first.ndim, first.dtype.str)


def _tiny_slice(X_train, y_train, X_test):
    """Two cases of each of the first two classes, and two test cases."""
    y = np.asarray(y_train)
    idx = []
    for c in list(dict.fromkeys(y.tolist()))[:2]:
        idx.extend(np.flatnonzero(y == c)[:2].tolist())
    idx = sorted(idx)
    return _take(X_train, idx), y[idx], _take(X_test, list(range(min(2, len(X_test)))))


def warm_up(name, factory, params, seed, inner_n_jobs, data):
    """Run the method once on a tiny slice so that its kernels are compiled.

    Returns the seconds spent (0.0 when this process was already warm for the
    method and the kind of input).  A failure here is ignored: the timed task
    then reports it.
    """
    X_train, y_train, X_test, _ = data
    key = (name, repr(sorted(params.items())), _layout(X_train))
    if key in _WARM:
        return 0.0
    t0 = time.perf_counter()
    try:
        Xs, ys, Xt = _tiny_slice(X_train, y_train, X_test)
        est = factory(random_state=seed, n_jobs=inner_n_jobs, **params)
        est.fit(Xs, ys)
        est.predict(Xt)
    except Exception:  # noqa: BLE001 - the real task reports errors
        pass
    _WARM.add(key)
    return time.perf_counter() - t0


def run_task(dataset, method, factory, params, run, seed, inner_n_jobs, data, *, warmup=True):
    """Fit one method on one data set's train split and score it on the test split.

    The factory travels with the task, so that methods registered at run time in
    the parent process also exist in loky or Dask workers.  A pipeline's first
    step is timed as the transform.
    """
    from sklearn.metrics import accuracy_score
    from sklearn.pipeline import Pipeline

    X_train, y_train, X_test, y_test = data
    n_channels, length = _size_facts(X_train)
    row = {
        "dataset": dataset,
        "method": method,
        "run": int(run),
        "seed": int(seed),
        "params": params,
        "n_kernels": params.get("n_kernels"),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "n_channels": int(n_channels),
        "length": length if isinstance(length, str) else int(length),
        "inner_n_jobs": inner_n_jobs,
        "worker": _worker_name(),
    }
    try:
        row["warmup_time"] = (
            warm_up(method, factory, params, seed, inner_n_jobs, data) if warmup else None
        )
        est = factory(random_state=seed, n_jobs=inner_n_jobs, **params)
        t0 = time.perf_counter()
        if isinstance(est, Pipeline) and len(est.steps) > 1:
            head, tail = est[0], est[1:]
            F_train = head.fit_transform(X_train, y_train)
            t1 = time.perf_counter()
            tail.fit(F_train, y_train)
            t2 = time.perf_counter()
            F_test = head.transform(X_test)
            t3 = time.perf_counter()
            y_pred = tail.predict(F_test)
            t4 = time.perf_counter()
            row.update(
                transform_fit_time=t1 - t0,
                classifier_fit_time=t2 - t1,
                transform_test_time=t3 - t2,
                n_features=int(F_train.shape[1]),
            )
        else:
            est.fit(X_train, y_train)
            t2 = time.perf_counter()
            y_pred = est.predict(X_test)
            t4 = time.perf_counter()
            row.update(
                transform_fit_time=None,
                classifier_fit_time=None,
                transform_test_time=None,
                n_features=None,
            )
        row.update(
            status="ok",
            accuracy=float(accuracy_score(y_test, y_pred)),
            fit_time=t2 - t0,
            predict_time=t4 - t2,
        )
        extras = getattr(est, "benchmark_extras", None)  # e.g. DetachRocket's pruning figures
        if callable(extras):
            row.update(extras(X_test, y_test))
    except Exception as exc:  # noqa: BLE001 - recorded, retried on the next resume
        row.update(status="error", accuracy=None, error=f"{type(exc).__name__}: {exc}")
    row["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return row


def failed_task(dataset, method, params, run, seed, error):
    """The result row of a task whose data set could not be loaded or prepared."""
    return {
        "dataset": dataset,
        "method": method,
        "run": int(run),
        "seed": int(seed),
        "params": params,
        "n_kernels": params.get("n_kernels"),
        "worker": _worker_name(),
        "status": "error",
        "accuracy": None,
        "error": error,
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
