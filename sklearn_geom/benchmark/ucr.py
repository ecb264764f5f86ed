"""The UCR benchmark (the project's main job): random-kernel classifiers on UCR/UEA data sets.

Each task is one (data set, method, run): the method's pipeline is built with
``random_state = base_seed + run`` (new kernels in every run), fitted on the
archive's default train split and scored by accuracy on the test split.  Tasks
go through :class:`sklearn.utils.parallel.Parallel`, so the same run goes to a
Dask cluster with ``backend="dask"``.  Every finished task is appended at once
to ``results.jsonl`` in the output folder; running again with the same folder
skips the finished (data set, method, run) rows.  At the end the folder holds
``summary.csv`` (mean and standard deviation of the accuracy, mean times),
``report.md`` (tables, mean ranks, Friedman test, critical difference) and
``cd_diagram.png``.

Command line: ``sklearn-geom-ucr --help`` or ``python -m sklearn_geom.benchmark.ucr``.
"""

import argparse
import json
import os
import platform
import socket
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

DEFAULT_METHODS = ("rocket", "minirocket", "multirocket")
RESULTS_FILE = "results.jsonl"
CONFIG_FILE = "config.json"
# config entries that change the numbers: a resumed run must use the same ones
_RESULT_KEYS = ("n_kernels", "base_seed", "data_dir")

_METHODS = {}


# --------------------------------------------------------------------------- method registry
def register_method(name, factory, *, overwrite=False):
    """Add a method to the benchmark.

    Parameters
    ----------
    name : str
        Name used in ``methods=`` and in the results.
    factory : callable
        ``factory(*, random_state, n_jobs, n_kernels)`` returning an unfitted
        scikit-learn classifier (typically a pipeline whose first step is the
        feature transform, so that its time is reported separately).
    overwrite : bool, default=False
        Replace an existing method of that name.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_geom.benchmark import register_method, available_methods
    >>> register_method("dummy", lambda **kw: DummyClassifier(), overwrite=True)
    >>> "dummy" in available_methods()
    True
    """
    if not callable(factory):
        raise TypeError("factory must be callable.")
    if name in _METHODS and not overwrite:
        raise ValueError(f"method {name!r} is already registered (pass overwrite=True).")
    _METHODS[str(name)] = factory


def available_methods():
    """Names of the registered benchmark methods.

    Examples
    --------
    >>> from sklearn_geom.benchmark import available_methods
    >>> {"rocket", "minirocket", "multirocket"} <= set(available_methods())
    True
    """
    return sorted(_METHODS)


def make_method(name, *, random_state=None, n_jobs=None, n_kernels=None):
    """Build the unfitted classifier of a registered method.

    Parameters
    ----------
    name : str
        A name from :func:`available_methods`.
    random_state : int or None, default=None
        Seed of the random kernels.
    n_jobs : int or None, default=None
        Threads inside the method.
    n_kernels : int or None, default=None
        Size of the ROCKET-family transform (see
        :class:`~sklearn_geom.timeseries.RocketTransformer`); None: each paper's
        default (ROCKET 10,000 kernels, MiniRocket ~10,000 features, MultiRocket
        6,250 kernels i.e. ~50,000 features).

    Returns
    -------
    estimator : classifier

    Examples
    --------
    >>> from sklearn_geom.benchmark import make_method
    >>> make_method("minirocket", random_state=0, n_kernels=84)  # doctest: +SKIP
    Pipeline(steps=[('rockettransformer', RocketTransformer(kind='minirocket', ...
    """
    if name not in _METHODS:
        raise ValueError(f"Unknown method {name!r}. Registered: {', '.join(available_methods())}.")
    return _METHODS[name](random_state=random_state, n_jobs=n_jobs, n_kernels=n_kernels)


def _rocket_family(kind):
    def factory(*, random_state=None, n_jobs=None, n_kernels=None):
        from sklearn.linear_model import RidgeClassifierCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        from sklearn_geom.timeseries import RocketTransformer

        # Dempster et al.: ridge with alpha from logspace(-3, 3, 10) by efficient
        # leave-one-out CV on standardised features.
        return make_pipeline(
            RocketTransformer(
                kind=kind, n_kernels=n_kernels, n_jobs=n_jobs, random_state=random_state
            ),
            StandardScaler(with_mean=True),
            RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
        )

    factory.__name__ = f"make_{kind}"
    factory.__doc__ = f"{kind} kernels -> StandardScaler -> RidgeClassifierCV."
    return factory


for _kind in DEFAULT_METHODS:
    register_method(_kind, _rocket_family(_kind))


# ------------------------------------------------------------------------------ data sets
def select_datasets(
    data_dir=None, datasets=None, *, multivariate=False, unequal_length=False, all_bundled=False
):
    """Names of the data sets a benchmark runs on.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Folder with the data sets; None: those bundled with sktime/aeon.
    datasets : list of str, default=None
        Explicit names (then no filter applies); None: every classification
        data set of the folder that passes the filters below.
    multivariate : bool, default=False
        Include multivariate data sets (univariate ones are always included).
    unequal_length : bool, default=False
        Include unequal-length data sets.
    all_bundled : bool, default=False
        Without ``data_dir``, the default keeps only bundled data sets that are
        part of the UCR 2018 archive (ACSF1, ArrowHead, GunPoint,
        ItalyPowerDemand, OSULeaf; not UnitTest or Covid3Month_disc); True
        keeps every bundled classification set.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from sklearn_geom.benchmark.ucr import select_datasets
    >>> select_datasets()
    ['ACSF1', 'ArrowHead', 'GunPoint', 'ItalyPowerDemand', 'OSULeaf']
    """
    from sklearn_geom.datasets import list_ucr_datasets
    from sklearn_geom.datasets._archive import _BY_NAME

    available = list_ucr_datasets(data_dir)
    if datasets is not None:
        lower = {n.lower(): n for n in available}
        missing = [d for d in datasets if d not in available and d.lower() not in lower]
        if missing:
            where = data_dir if data_dir is not None else "bundled with sktime/aeon"
            raise ValueError(
                f"Unknown data set(s) {missing} ({where}). Available: {', '.join(available)}."
            )
        return [d if d in available else lower[d.lower()] for d in datasets]
    names = set(list_ucr_datasets(data_dir, univariate=True, equal_length=True))
    if multivariate:
        names |= set(list_ucr_datasets(data_dir, univariate=False, equal_length=True))
    if unequal_length:
        names |= set(list_ucr_datasets(data_dir, univariate=True, equal_length=False))
        if multivariate:
            names |= set(list_ucr_datasets(data_dir, univariate=False, equal_length=False))
    if data_dir is None and not all_bundled:
        from sklearn_geom.datasets._ucr import _header, _catalogue

        cat = _catalogue(None)
        keep = set()
        for n in names:  # archive sets (uni: UCR 2018 table; multivariate: UEA, all bundled)
            if n in _BY_NAME or _header(cat[n]["train"]).get("univariate") is False:
                keep.add(n)
        names = keep
    return sorted(names, key=str.lower)


# ----------------------------------------------------------------------------------- a task
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


def _run_task(dataset, method, factory, run, seed, n_kernels, inner_n_jobs, data):
    """Fit one method on one data set's train split and score it on the test split.

    The factory travels with the task, so that methods registered at run time in the
    parent process also exist in loky or Dask workers.
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
        "n_kernels": None if n_kernels is None else int(n_kernels),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "n_channels": int(n_channels),
        "length": length if isinstance(length, str) else int(length),
        "inner_n_jobs": inner_n_jobs,
        "worker": _worker_name(),
    }
    try:
        est = factory(random_state=seed, n_jobs=inner_n_jobs, n_kernels=n_kernels)
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
            t2 = t3 = time.perf_counter()
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
    except Exception as exc:  # recorded, retried on the next resume
        row.update(status="error", accuracy=None, error=f"{type(exc).__name__}: {exc}")
    row["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return row


# ------------------------------------------------------------------------- results on disk
def load_results(path):
    """Rows of a ``results.jsonl`` file (a truncated last line is skipped with a warning).

    Parameters
    ----------
    path : str or path-like
        The file, or the output folder holding ``results.jsonl``.

    Returns
    -------
    rows : list of dict
    """
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    rows = []
    if not path.is_file():
        return rows
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                warnings.warn(
                    f"{path}, line {lineno}: unreadable row skipped (interrupted write?); "
                    "that task will run again.",
                    RuntimeWarning,
                    stacklevel=2,
                )
    return rows


def _repair_results(path):
    """Drop unreadable rows (an interrupted write) from ``results.jsonl`` before appending."""
    if not path.is_file():
        return
    good, bad = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError:
            bad += 1
        else:
            good.append(line)
    if bad:
        warnings.warn(
            f"{path}: {bad} unreadable row(s) removed (interrupted write?); those tasks run "
            "again.",
            RuntimeWarning,
            stacklevel=3,
        )
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(line + "\n" for line in good), encoding="utf-8")
        os.replace(tmp, path)


def _key(row):
    return (row["dataset"], row["method"], int(row["run"]))


def _latest_ok(rows):
    """{(dataset, method, run): row} keeping the last successful row of each task."""
    done = {}
    for r in rows:
        if r.get("status") == "ok":
            done[_key(r)] = r
    return done


def summarize_results(rows):
    """Mean and standard deviation of accuracy and times per (data set, method).

    Parameters
    ----------
    rows : list of dict
        Rows as in ``results.jsonl``; only successful rows count, the last one
        of a repeated (data set, method, run).

    Returns
    -------
    summary : list of dict
        ``dataset``, ``method``, ``n_runs``, ``accuracy_mean``,
        ``accuracy_std`` (sample sd, 0 for one run), ``fit_time_mean``,
        ``predict_time_mean``, ``transform_fit_time_mean``,
        ``transform_test_time_mean``, ``n_features``.

    Examples
    --------
    >>> from sklearn_geom.benchmark import summarize_results
    >>> rows = [dict(dataset="A", method="m", run=r, status="ok", accuracy=a,
    ...              fit_time=1.0, predict_time=0.5) for r, a in enumerate([0.8, 0.9])]
    >>> s = summarize_results(rows)[0]
    >>> s["n_runs"], round(s["accuracy_mean"], 2), round(s["accuracy_std"], 4)
    (2, 0.85, 0.0707)
    """
    groups = {}
    for (d, m, _), r in sorted(_latest_ok(rows).items()):
        groups.setdefault((d, m), []).append(r)

    def mean_of(rs, key):
        vals = [r[key] for r in rs if r.get(key) is not None]
        return float(np.mean(vals)) if vals else None

    out = []
    for (d, m), rs in groups.items():
        acc = np.array([r["accuracy"] for r in rs], dtype=float)
        out.append(
            {
                "dataset": d,
                "method": m,
                "n_runs": len(rs),
                "accuracy_mean": float(acc.mean()),
                "accuracy_std": float(acc.std(ddof=1)) if acc.size > 1 else 0.0,
                "fit_time_mean": mean_of(rs, "fit_time"),
                "predict_time_mean": mean_of(rs, "predict_time"),
                "transform_fit_time_mean": mean_of(rs, "transform_fit_time"),
                "transform_test_time_mean": mean_of(rs, "transform_test_time"),
                "n_features": rs[-1].get("n_features"),
            }
        )
    return out


def _score_table(summary, methods):
    """Data sets with a score for every method -> (names, (N, k) array of mean accuracy)."""
    acc = {(s["dataset"], s["method"]): s["accuracy_mean"] for s in summary}
    datasets = sorted({s["dataset"] for s in summary}, key=str.lower)
    full = [d for d in datasets if all((d, m) in acc for m in methods)]
    table = np.array([[acc[(d, m)] for m in methods] for d in full]).reshape(
        len(full), len(methods)
    )
    return full, table


def _fmt_time(v):
    return "-" if v is None else f"{v:.2f}"


def _report(summary, methods, cd_res, config, wall_time, n_errors):
    acc = {(s["dataset"], s["method"]): s for s in summary}
    datasets = sorted({s["dataset"] for s in summary}, key=str.lower)
    lines = [
        "# UCR benchmark",
        "",
        f"Methods: {', '.join(methods)}; runs: {config['n_runs']}; kernels: "
        f"{config['n_kernels'] or 'paper defaults'}; base seed: {config['base_seed']}; data: "
        f"{config['data_dir'] or 'bundled with sktime/aeon'}.",
        f"Wall time of this invocation: {wall_time:.1f} s; failed tasks: {n_errors}.",
        "",
        "## Accuracy (mean ± sd over runs)",
        "",
        "| data set | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    for d in datasets:
        cells = []
        for m in methods:
            s = acc.get((d, m))
            cells.append(
                "-" if s is None else f"{s['accuracy_mean']:.4f} ± {s['accuracy_std']:.4f}"
            )
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    if cd_res is not None:
        lines.append(
            "| **mean rank** | " + " | ".join(f"{r:.2f}" for r in cd_res.mean_ranks) + " |"
        )
        fr = cd_res.friedman
        lines += [
            "",
            f"Ranks over {cd_res.n_datasets} data sets with results for every method. "
            f"Friedman chi2 = {fr.statistic:.3f} (p = {fr.pvalue:.3g}).",
        ]
        if cd_res.cd is not None:
            lines.append(f"Nemenyi critical difference (alpha = {cd_res.alpha}): {cd_res.cd:.3f}.")
        groups = [", ".join(cd_res.method_names[j] for j in c) for c in cd_res.cliques]
        lines.append(
            f"Not significantly different ({cd_res.test}): "
            + ("; ".join(f"{{{g}}}" for g in groups) if groups else "none (all pairs differ)")
            + "."
        )
    lines += [
        "",
        "## Times (seconds, mean over runs): fit (transform of train + classifier) / "
        "predict (transform of test + classifier)",
        "",
        "| data set | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    totals = {m: [0.0, 0.0] for m in methods}
    for d in datasets:
        cells = []
        for m in methods:
            s = acc.get((d, m))
            if s is None:
                cells.append("-")
                continue
            cells.append(f"{_fmt_time(s['fit_time_mean'])} / {_fmt_time(s['predict_time_mean'])}")
            totals[m][0] += s["fit_time_mean"] or 0.0
            totals[m][1] += s["predict_time_mean"] or 0.0
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    lines.append(
        "| **total** | "
        + " | ".join(f"{totals[m][0]:.2f} / {totals[m][1]:.2f}" for m in methods)
        + " |"
    )
    return "\n".join(lines) + "\n"


def _write_summary_csv(path, summary):
    import csv

    fields = [
        "dataset",
        "method",
        "n_runs",
        "accuracy_mean",
        "accuracy_std",
        "fit_time_mean",
        "predict_time_mean",
        "transform_fit_time_mean",
        "transform_test_time_mean",
        "n_features",
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for s in summary:
            w.writerow(s)


# -------------------------------------------------------------------------------- the runner
def _check_config(out, config):
    cfile = out / CONFIG_FILE
    if cfile.is_file():
        old = json.loads(cfile.read_text(encoding="utf-8"))
        diff = {k: (old.get(k), config[k]) for k in _RESULT_KEYS if old.get(k) != config[k]}
        if diff and load_results(out):
            raise ValueError(
                f"{out} holds results made with other settings {diff} (old, new); "
                "use another output folder to keep runs comparable."
            )


def _backend_context(backend, scheduler, n_jobs):
    import contextlib

    from joblib import parallel_config

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
                    n_workers=n, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
                )
            )
            stack.enter_context(Client(cluster))
        stack.enter_context(parallel_config(backend="dask"))
    elif backend is not None:
        stack.enter_context(parallel_config(backend=backend))
    elif scheduler is not None:
        raise ValueError("scheduler is only used with backend='dask'.")
    return stack


def run_ucr_benchmark(
    output_dir,
    *,
    datasets=None,
    data_dir=None,
    methods=DEFAULT_METHODS,
    n_runs=5,
    n_kernels=None,
    base_seed=0,
    multivariate=False,
    unequal_length=False,
    all_bundled=False,
    n_jobs=1,
    inner_n_jobs=None,
    backend=None,
    scheduler=None,
    progress_bar=True,
    make_plots=True,
    test="nemenyi",
    alpha=0.05,
    verbose=True,
):
    """Run the UCR benchmark and write its results to ``output_dir``.

    Parameters
    ----------
    output_dir : str or path-like
        Folder for ``results.jsonl`` (one row per data set x method x run,
        appended as each finishes), ``config.json``, ``summary.csv``,
        ``report.md`` and ``cd_diagram.png``.  Finished rows already there are
        skipped (resume); a run with other ``n_kernels``, ``base_seed`` or
        ``data_dir`` into a folder with results is refused.
    datasets : list of str, default=None
        Data set names; None: see :func:`select_datasets`.
    data_dir : str or path-like, default=None
        Folder with the data sets (``UCRArchive_2018`` ``.tsv`` or ``.ts``);
        None: the sets bundled with sktime/aeon (never downloads).
    methods : sequence of str, default=("rocket", "minirocket", "multirocket")
        Registered method names (:func:`available_methods`).
    n_runs : int, default=5
        Runs per data set and method, with ``random_state = base_seed + run``.
    n_kernels : int or None, default=None
        Size of the ROCKET-family transforms; None: each paper's default (ROCKET
        10,000 kernels, MiniRocket 9,996 features, MultiRocket 49,728 features).
    base_seed : int, default=0
        Seed of run 0.
    multivariate, unequal_length, all_bundled : bool, default=False
        Data set filters when ``datasets`` is None (see :func:`select_datasets`).
    n_jobs : int, default=1
        Tasks run in parallel (joblib workers, or Dask workers used at once).
    inner_n_jobs : int or None, default=None
        Threads inside each method; None: all cores when ``n_jobs == 1`` and
        no Dask backend, else 1.
    backend : {None, "loky", "threading", "sequential", "dask"}, default=None
        joblib backend; ``"dask"`` connects to ``scheduler`` or, without one,
        starts a local cluster of ``n_jobs`` single-threaded workers.
    scheduler : str, default=None
        Address of a Dask scheduler (``tcp://host:8786``).
    progress_bar : bool, default=True
        tqdm progress bar (when tqdm is installed).
    make_plots : bool, default=True
        Write ``cd_diagram.png`` (needs matplotlib).
    test : {"nemenyi", "wilcoxon-holm"}, default="nemenyi"
        Post-hoc test of the critical-difference diagram.
    alpha : float, default=0.05
        Significance level.
    verbose : bool, default=True
        Print the report at the end.

    Returns
    -------
    result : Bunch
        ``rows`` (all result rows), ``summary`` (see :func:`summarize_results`),
        ``critical_difference`` (see :func:`critical_difference`, or None with
        fewer than 2 methods or data sets), ``report`` (markdown text),
        ``n_new`` (tasks run now), ``n_skipped`` (finished before),
        ``n_errors``, ``wall_time`` and ``output_dir``.

    References
    ----------
    .. [1] A. Dempster, F. Petitjean and G. I. Webb, "ROCKET: exceptionally fast and
       accurate time series classification using random convolutional kernels",
       Data Min. Knowl. Disc. 34, 1454-1495, 2020.
    .. [2] J. Demšar, "Statistical comparisons of classifiers over multiple data
       sets", JMLR 7, 1-30, 2006.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import RidgeClassifierCV
    >>> from sklearn_geom.benchmark import register_method, run_ucr_benchmark
    >>> register_method("ridge", lambda **kw: make_pipeline(StandardScaler(),
    ...                 RidgeClassifierCV()), overwrite=True)
    >>> with tempfile.TemporaryDirectory() as out:
    ...     res = run_ucr_benchmark(out, datasets=["UnitTest"], methods=["ridge"],
    ...                             n_runs=1, progress_bar=False, verbose=False)
    >>> res.n_new, res.summary[0]["dataset"], res.summary[0]["accuracy_mean"] > 0.5
    (1, 'UnitTest', True)
    """
    from sklearn.utils.parallel import Parallel, delayed

    from sklearn_geom.datasets import load_ucr
    from sklearn_geom.utils import progress

    from ._stats import critical_difference

    t_start = time.perf_counter()
    methods = list(methods)
    unknown = [m for m in methods if m not in _METHODS]
    if unknown:
        raise ValueError(
            f"Unknown method(s) {unknown}. Registered: {', '.join(available_methods())}."
        )
    if not methods:
        raise ValueError("methods is empty.")
    if int(n_runs) < 1:
        raise ValueError(f"n_runs must be >= 1; got {n_runs}.")
    if backend not in (None, "loky", "threading", "sequential", "multiprocessing", "dask"):
        raise ValueError(f"unknown backend {backend!r}.")
    names = select_datasets(
        data_dir,
        datasets,
        multivariate=multivariate,
        unequal_length=unequal_length,
        all_bundled=all_bundled,
    )
    if not names:
        raise ValueError("no data sets selected.")
    if inner_n_jobs is None:
        inner_n_jobs = -1 if (n_jobs == 1 and backend != "dask") else 1

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = {
        "datasets": names,
        "data_dir": None if data_dir is None else str(Path(data_dir).resolve()),
        "methods": methods,
        "n_runs": int(n_runs),
        "n_kernels": None if n_kernels is None else int(n_kernels),
        "base_seed": int(base_seed),
        "n_jobs": n_jobs,
        "inner_n_jobs": inner_n_jobs,
        "backend": backend,
        "scheduler": scheduler,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    _repair_results(out / RESULTS_FILE)
    _check_config(out, config)
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=2), encoding="utf-8")

    done = _latest_ok(load_results(out))
    todo = [
        (d, m, r)
        for d in names
        for m in methods
        for r in range(int(n_runs))
        if (d, m, r) not in done
    ]
    n_skipped = len(names) * len(methods) * int(n_runs) - len(todo)

    def tasks():
        current, data = None, None
        for d, m, r in todo:  # grouped by data set: each loaded once, lazily
            if d != current:
                current = d
                data = load_ucr(d, path=data_dir)
            yield delayed(_run_task)(
                d, m, _METHODS[m], r, int(base_seed) + r, n_kernels, inner_n_jobs, data
            )

    n_errors = 0
    if todo:
        with _backend_context(backend, scheduler, n_jobs):
            parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
            bar = progress(total=len(todo), desc="UCR benchmark", enabled=progress_bar)
            with open(out / RESULTS_FILE, "a", encoding="utf-8") as fh:
                try:
                    for row in parallel(tasks()):
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()
                        if row["status"] != "ok":
                            n_errors += 1
                            warnings.warn(
                                f"{row['dataset']} / {row['method']} / run {row['run']} failed: "
                                f"{row['error']}",
                                RuntimeWarning,
                                stacklevel=2,
                            )
                        bar.update(1)
                        bar.set_postfix_str(
                            f"{row['dataset']}/{row['method']}/{row['run']}: "
                            + (f"{row['accuracy']:.3f}" if row["status"] == "ok" else "error")
                        )
                finally:
                    bar.close()

    rows = load_results(out)
    summary = [
        s for s in summarize_results(rows) if s["dataset"] in names and s["method"] in methods
    ]
    _write_summary_csv(out / "summary.csv", summary)
    full, table = _score_table(summary, methods)
    cd_res = None
    if len(methods) >= 2 and len(full) >= 2:
        cd_res = critical_difference(table, methods, test=test, alpha=alpha)
        if make_plots:
            try:
                import matplotlib

                matplotlib.use("Agg", force=False)
                import matplotlib.pyplot as plt

                from sklearn_geom.plotting import plot_critical_difference
            except ImportError:
                warnings.warn(
                    "matplotlib missing: no cd_diagram.png.", RuntimeWarning, stacklevel=2
                )
            else:
                ax = plot_critical_difference(table, methods, test=test, alpha=alpha)
                ax.figure.savefig(out / "cd_diagram.png", dpi=150, bbox_inches="tight")
                plt.close(ax.figure)
    wall_time = time.perf_counter() - t_start
    report = _report(summary, methods, cd_res, config, wall_time, n_errors)
    (out / "report.md").write_text(report, encoding="utf-8")
    if verbose:
        print(report)
    return Bunch(
        rows=rows,
        summary=summary,
        critical_difference=cd_res,
        report=report,
        n_new=len(todo),
        n_skipped=n_skipped,
        n_errors=n_errors,
        wall_time=wall_time,
        output_dir=str(out),
    )


# ------------------------------------------------------------------------------- command line
def _parser():
    p = argparse.ArgumentParser(
        prog="sklearn-geom-ucr",
        description="UCR benchmark of the ROCKET family (sklearn_geom's main job). Offline: "
        "runs on the data sets bundled with sktime/aeon or on a local archive folder.",
    )
    p.add_argument("--output", "-o", default="ucr_results", help="output folder (resumable)")
    p.add_argument(
        "--data-dir",
        default=None,
        help="folder with the data sets (UCRArchive_2018 .tsv or .ts); default: "
        "the sets bundled with sktime/aeon",
    )
    p.add_argument("--datasets", nargs="+", default=None, help="data set names (default: all)")
    p.add_argument(
        "--methods",
        nargs="+",
        default=list(DEFAULT_METHODS),
        help=f"methods (default: {' '.join(DEFAULT_METHODS)})",
    )
    p.add_argument("--runs", type=int, default=5, help="runs with new kernels (default 5)")
    p.add_argument(
        "--n-kernels",
        type=int,
        default=None,
        help="transform size (default: each paper's, ROCKET 10000 kernels, "
        "MiniRocket ~10000 features, MultiRocket 6250 kernels ~50000 features)",
    )
    p.add_argument("--seed", type=int, default=0, help="base seed; run r uses seed + r")
    p.add_argument("--multivariate", action="store_true", help="include multivariate sets")
    p.add_argument("--unequal-length", action="store_true", help="include unequal-length sets")
    p.add_argument(
        "--all-bundled",
        action="store_true",
        help="include bundled sets outside the UCR archive (UnitTest, ...)",
    )
    p.add_argument("--n-jobs", type=int, default=1, help="tasks in parallel (default 1)")
    p.add_argument(
        "--inner-n-jobs",
        type=int,
        default=None,
        help="threads inside a method (default: all cores if --n-jobs 1, else 1)",
    )
    p.add_argument(
        "--backend",
        choices=["loky", "threading", "sequential", "dask"],
        default=None,
        help="joblib backend (default loky)",
    )
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (--backend dask)")
    p.add_argument(
        "--test",
        choices=["nemenyi", "wilcoxon-holm"],
        default="nemenyi",
        help="post-hoc test of the critical-difference diagram",
    )
    p.add_argument("--alpha", type=float, default=0.05, help="significance level")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-plot", action="store_true", help="no cd_diagram.png")
    p.add_argument("--list", action="store_true", help="list the selected data sets and exit")
    return p


def main(argv=None):
    """Entry point of ``sklearn-geom-ucr`` and ``python -m sklearn_geom.benchmark.ucr``."""
    args = _parser().parse_args(argv)
    if args.list:
        names = select_datasets(
            args.data_dir,
            args.datasets,
            multivariate=args.multivariate,
            unequal_length=args.unequal_length,
            all_bundled=args.all_bundled,
        )
        print("\n".join(names))
        return 0
    res = run_ucr_benchmark(
        args.output,
        datasets=args.datasets,
        data_dir=args.data_dir,
        methods=args.methods,
        n_runs=args.runs,
        n_kernels=args.n_kernels,
        base_seed=args.seed,
        multivariate=args.multivariate,
        unequal_length=args.unequal_length,
        all_bundled=args.all_bundled,
        n_jobs=args.n_jobs,
        inner_n_jobs=args.inner_n_jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        progress_bar=not args.no_progress,
        make_plots=not args.no_plot,
        test=args.test,
        alpha=args.alpha,
    )
    print(
        f"Results in {res.output_dir} ({res.n_new} tasks run, {res.n_skipped} already done, "
        f"{res.n_errors} failed).",
        file=sys.stderr,
    )
    return 1 if res.n_errors else 0


if __name__ == "__main__":
    # run the package's module (not this __main__ copy) so that workers unpickle
    # tasks and the method registry from sklearn_geom.benchmark.ucr
    from sklearn_geom.benchmark.ucr import main as _main

    sys.exit(_main())
