"""The UCR benchmark runner: tasks (data set x method x run) through joblib, resumable.

Each task is one (data set, method, run): the method's pipeline is built with
``random_state = base_seed + run`` (new kernels in every run), fitted on the
archive's default train split and scored by accuracy on the test split.  Tasks
go through :class:`sklearn.utils.parallel.Parallel`, so the same run goes to a
Dask cluster with ``backend="dask"``.  Every finished task is appended at once
to ``results.jsonl`` in the output folder; running again with the same folder
skips the finished (data set, method, run) rows.

This module draws no figure (the benchmark does not import the plotting
package): the critical-difference diagram is drawn by a function passed as
``plot_cd`` (the command line passes
:func:`sklearn_geom.plotting.plot_critical_difference`).
"""

import os
import platform
import socket
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._backends import BACKENDS, backend_context
from ._config import check_resume, data_source, write_config
from ._errors import BenchmarkError
from ._methods import DEFAULT_METHODS, check_methods, method_factory
from ._methods import method_params as effective_params
from ._report import make_report, write_summary_csv
from ._results import (
    RESULTS_FILE,
    dumps_row,
    latest_ok,
    load_invocations,
    load_results,
    record_invocation,
    repair_results,
)
from ._selection import select_datasets
from ._summary import kinds_present, score_table, summarize_results
from ._timing import failed_task, run_task

MISSING_VALUES = ("interpolate", "keep")
VARIABLE_LENGTH = ("native", "pad")


def prepare_data(data, *, missing_values="interpolate", variable_length="native"):
    """Apply the run's missing-value and variable-length treatments to one data set.

    ``missing_values="interpolate"``: NaN inside a series are replaced by linear
    interpolation between their finite neighbours, leading and trailing NaN by
    the nearest finite value (the UCR archive's adjusted copies use linear
    interpolation); ``"keep"``: NaN reach the method.  ``variable_length="pad"``:
    unequal-length series are padded to the longest train or test series by
    repeating their last value; ``"native"``: they reach the method as a list.
    """
    from sklearn_geom.datasets import interpolate_missing, pad_series

    X_train, y_train, X_test, y_test = data
    if missing_values == "interpolate":
        X_train, X_test = interpolate_missing(X_train), interpolate_missing(X_test)
    if variable_length == "pad":
        lengths = {np.shape(x)[-1] for X in (X_train, X_test) for x in X}
        if len(lengths) > 1:
            X_train, X_test = pad_series(X_train, max(lengths)), pad_series(X_test, max(lengths))
    return X_train, y_train, X_test, y_test


def _check_args(methods, n_runs, missing_values, variable_length, test):
    if not methods:
        raise BenchmarkError("methods is empty.")
    try:
        check_methods(methods)
    except ValueError as exc:
        raise BenchmarkError(str(exc)) from None
    if int(n_runs) < 1:
        raise BenchmarkError(f"n_runs must be >= 1; got {n_runs}.")
    if missing_values not in MISSING_VALUES:
        raise BenchmarkError(
            f"missing_values must be one of {MISSING_VALUES}; got {missing_values!r}."
        )
    if variable_length not in VARIABLE_LENGTH:
        raise BenchmarkError(
            f"variable_length must be one of {VARIABLE_LENGTH}; got {variable_length!r}."
        )
    if test not in ("nemenyi", "wilcoxon-holm"):
        raise BenchmarkError(f"test must be 'nemenyi' or 'wilcoxon-holm'; got {test!r}.")


def run_ucr_benchmark(
    output_dir,
    *,
    datasets=None,
    data_dir=None,
    methods=DEFAULT_METHODS,
    n_runs=5,
    n_kernels=None,
    method_params=None,
    base_seed=0,
    multivariate=False,
    unequal_length=False,
    all_bundled=False,
    missing_values="interpolate",
    variable_length="native",
    n_jobs=1,
    inner_n_jobs=None,
    backend=None,
    scheduler=None,
    warmup=True,
    published=True,
    progress=True,
    plot_cd=None,
    test="nemenyi",
    alpha=0.05,
    verbose=True,
):
    """Run the UCR benchmark and write its results to ``output_dir``.

    Parameters
    ----------
    output_dir : str or path-like
        Folder for ``results.jsonl`` (one row per data set x method x run,
        appended as each finishes), ``config.json``, ``invocations.jsonl``,
        ``summary.csv``, ``report.md`` and the diagrams.  Finished rows already
        there are skipped (resume); a run with another base seed, data folder,
        missing-value or variable-length treatment, or other parameters of a
        method already run into a folder with results is refused.
    datasets : list of str or {"all", "univariate", "multivariate"}, default=None
        Data set names or a collection; None: see :func:`select_datasets`.
    data_dir : str or path-like, default=None
        Folder with the data sets (``UCRArchive_2018`` ``.tsv`` or ``.ts``;
        :func:`sklearn_geom.datasets.fetch_ucr` fills one); None: the sets
        bundled with sktime/aeon.  Nothing is downloaded here.
    methods : sequence of str, default=("rocket", "minirocket", "multirocket")
        Registered method names (:func:`available_methods`).
    n_runs : int, default=5
        Runs per data set and method, with ``random_state = base_seed + run``.
    n_kernels : int or None, default=None
        Passed as ``n_kernels`` to every method's factory when not None (size
        of the ROCKET-family transforms); None: each method's default (the
        papers': ROCKET 10,000 kernels, MiniRocket 9,996 features, MultiRocket
        49,728 features).
    method_params : dict, default=None
        ``{method: {param: value}}``: parameters passed to that method's
        factory over its registered defaults (see :func:`register_method`).
    base_seed : int, default=0
        Seed of run 0.
    multivariate, unequal_length, all_bundled : bool, default=False
        Data set filters when ``datasets`` is None (see :func:`select_datasets`).
    missing_values : {"interpolate", "keep"}, default="interpolate"
        NaN in the series: linear interpolation (the UCR archive's adjusted
        convention; see :func:`sklearn_geom.datasets.interpolate_missing`), or
        kept for a method that handles them (e.g. a pipeline starting with
        ``FunctionTransformer(interpolate_missing)`` or an imputer).
    variable_length : {"native", "pad"}, default="native"
        Unequal-length series go to the method as a list (RocketTransformer's
        unequal-length path), or are padded to the longest series by repeating
        their last value (:func:`sklearn_geom.datasets.pad_series`).
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
    warmup : bool, default=True
        Before its first timed task in a process, each method is fitted on a
        tiny slice of the data, so that numba compilation (or loading the
        compiled kernels from the cache) is not counted in the fit and predict
        times; the warm-up time is recorded apart (``warmup_time``).
    published : bool, default=True
        Show the published accuracies of the ROCKET family beside ours where
        known (:func:`published_accuracies`).
    progress : bool, default=True
        Show a tqdm progress bar (when tqdm is installed).
    plot_cd : callable or None, default=None
        ``plot_cd(cd_result)`` returning a matplotlib Axes, e.g.
        :func:`sklearn_geom.plotting.plot_critical_difference`; the figure is
        saved as ``cd_diagram.png`` (``cd_diagram_multivariate.png`` for the
        multivariate ranks).  None: no figure.
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
        ``critical_difference`` (of the univariate data sets, or of the
        multivariate ones when only those ran; None with fewer than 2 methods
        or data sets), ``critical_differences`` (``{"univariate": ...,
        "multivariate": ...}``), ``report`` (markdown text), ``n_new`` (tasks
        run now), ``n_skipped`` (finished before), ``n_errors``, ``wall_time``
        (this invocation), ``wall_time_total`` (every invocation that ran
        tasks into the folder) and ``output_dir``.

    Raises
    ------
    BenchmarkError
        For an unknown method or data set, bad settings, or a folder holding
        results made with other settings.
    KeyboardInterrupt
        Re-raised after the finished rows are saved; run again to resume.

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
    >>> from sklearn_geom.benchmark import registered_method, run_ucr_benchmark
    >>> def make_ridge(*, random_state=None, n_jobs=None):
    ...     return make_pipeline(StandardScaler(), RidgeClassifierCV())
    >>> with tempfile.TemporaryDirectory() as out, registered_method("ridge", make_ridge):
    ...     res = run_ucr_benchmark(out, datasets=["UnitTest"], methods=["ridge"],
    ...                             n_runs=1, progress=False, verbose=False)
    >>> res.n_new, res.summary[0]["dataset"], res.summary[0]["accuracy_mean"] > 0.5
    (1, 'UnitTest', True)
    """
    from sklearn.utils.parallel import Parallel, delayed

    from sklearn_geom.datasets import load_ucr
    from sklearn_geom.utils import progress as progress_bar

    t_start = time.perf_counter()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    methods = list(methods)
    _check_args(methods, n_runs, missing_values, variable_length, test)
    method_params = dict(method_params or {})
    stray = sorted(set(method_params) - set(methods))
    if stray:
        raise BenchmarkError(f"method_params names methods not run: {stray}.")
    params = {m: effective_params(m, n_kernels, method_params.get(m)) for m in methods}
    if backend not in BACKENDS:
        raise BenchmarkError(f"unknown backend {backend!r}; choose one of {BACKENDS[1:]}.")
    names = select_datasets(
        data_dir,
        datasets,
        multivariate=multivariate,
        unequal_length=unequal_length,
        all_bundled=all_bundled,
    )
    if not names:
        raise BenchmarkError("no data sets selected.")
    if inner_n_jobs is None:
        inner_n_jobs = -1 if (n_jobs == 1 and backend != "dask") else 1

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = {
        "datasets": names,
        "data_dir": None if data_dir is None else str(Path(data_dir).resolve()),
        "data_source": data_source(data_dir),
        "methods": methods,
        "method_params": params,
        "n_runs": int(n_runs),
        "n_kernels": None if n_kernels is None else int(n_kernels),
        "base_seed": int(base_seed),
        "missing_values": missing_values,
        "variable_length": variable_length,
        "n_jobs": n_jobs,
        "inner_n_jobs": inner_n_jobs,
        "backend": backend,
        "scheduler": scheduler,
        "warmup": bool(warmup),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    repair_results(out / RESULTS_FILE)
    check_resume(out, config)
    config = write_config(out, config)

    done = latest_ok(load_results(out))
    todo = [
        (d, m, r)
        for d in names
        for m in methods
        for r in range(int(n_runs))
        if (d, m, r) not in done
    ]
    n_skipped = len(names) * len(methods) * int(n_runs) - len(todo)

    def tasks():
        current, data, failure = None, None, None
        for d, m, r in todo:  # grouped by data set: each loaded once, lazily
            if d != current:
                current, data, failure = d, None, None
                try:
                    data = prepare_data(
                        load_ucr(d, path=data_dir),
                        missing_values=missing_values,
                        variable_length=variable_length,
                    )
                except (ValueError, OSError) as exc:  # malformed file, all-NaN series, ...
                    failure = f"{type(exc).__name__}: {exc}"
            if failure is not None:  # every task of that data set fails with the reason
                yield delayed(failed_task)(d, m, params[m], r, int(base_seed) + r, failure)
                continue
            yield delayed(run_task)(
                d,
                m,
                method_factory(m),
                params[m],
                r,
                int(base_seed) + r,
                inner_n_jobs,
                data,
                warmup=warmup,
            )

    n_errors = n_done = 0
    interrupted = False
    try:
        if todo:
            with backend_context(backend, scheduler, n_jobs):
                parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
                bar = progress_bar(total=len(todo), desc="UCR benchmark", enabled=progress)
                with open(out / RESULTS_FILE, "a", encoding="utf-8") as fh:
                    try:
                        for row in parallel(tasks()):
                            fh.write(dumps_row(row))
                            fh.flush()
                            n_done += 1
                            if row["status"] != "ok":
                                n_errors += 1
                                warnings.warn(
                                    f"{row['dataset']} / {row['method']} / run {row['run']} "
                                    f"failed: {row['error']}",
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
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if todo:
            record_invocation(
                out,
                {
                    "started": started,
                    "wall_time": time.perf_counter() - t_start,
                    "n_done": n_done,
                    "n_errors": n_errors,
                    "interrupted": interrupted,
                    "host": socket.gethostname(),
                },
            )

    res = _finish(
        out,
        names,
        methods,
        config,
        test=test,
        alpha=alpha,
        published=published,
        plot_cd=plot_cd,
        wall_time=time.perf_counter() - t_start,
        n_new=len(todo),
        n_errors=n_errors,
        verbose=verbose,
    )
    res.n_skipped = n_skipped
    return res


def _finish(
    out,
    names,
    methods,
    config,
    *,
    test,
    alpha,
    published,
    plot_cd,
    wall_time,
    n_new,
    n_errors,
    verbose,
):
    """Summary, ranks per archive, diagrams and report of the rows in ``out``."""
    from ._published import attach_published
    from ._stats import critical_difference

    rows = load_results(out)
    summary = [
        s for s in summarize_results(rows) if s["dataset"] in names and s["method"] in methods
    ]
    if published:
        attach_published(summary)
    write_summary_csv(out / "summary.csv", summary)
    cd_results = {}
    for kind in kinds_present(summary):
        full, table = score_table(summary, methods, kind=kind)
        cd_results[kind] = None
        if len(methods) >= 2 and len(full) >= 2:
            cd_results[kind] = critical_difference(table, methods, test=test, alpha=alpha)
            if plot_cd is not None:
                suffix = "" if kind == "univariate" else f"_{kind}"
                _save_plot(plot_cd, cd_results[kind], out / f"cd_diagram{suffix}.png")
    worked = [i for i in load_invocations(out) if i.get("n_done")]
    timing = {
        "wall_time": wall_time,
        "n_new": n_new,
        "wall_time_total": sum(i["wall_time"] for i in worked),
        "n_invocations": len(worked),
    }
    report = make_report(summary, methods, cd_results, config, timing, n_errors)
    (out / "report.md").write_text(report, encoding="utf-8")
    if verbose:
        print(report)
    first = cd_results.get("univariate", cd_results.get("multivariate"))
    return Bunch(
        rows=rows,
        summary=summary,
        critical_difference=first,
        critical_differences=cd_results,
        report=report,
        n_new=n_new,
        n_skipped=0,
        n_errors=n_errors,
        wall_time=wall_time,
        wall_time_total=timing["wall_time_total"],
        output_dir=str(out),
    )


def report_results(
    output_dir, *, published=True, plot_cd=None, test="nemenyi", alpha=0.05, verbose=True
):
    """Summary, ranks and report of a results folder, without running anything.

    For a folder merged from several machines (:func:`merge_results`) or copied
    from elsewhere: the data sets and methods are those of its successful rows,
    the settings those of its ``config.json``.

    Parameters
    ----------
    output_dir : str or path-like
        A folder written by :func:`run_ucr_benchmark` (or merged).
    published : bool, default=True
        Show the published accuracies beside ours.
    plot_cd : callable or None, default=None
        ``plot_cd(cd_result)`` returning a matplotlib Axes (saved as
        ``cd_diagram.png``); None: no figure.
    test : {"nemenyi", "wilcoxon-holm"}, default="nemenyi"
        Post-hoc test of the critical-difference diagram.
    alpha : float, default=0.05
        Significance level.
    verbose : bool, default=True
        Print the report.

    Returns
    -------
    result : Bunch
        As :func:`run_ucr_benchmark` returns, with ``n_new == 0``.
    """
    import json

    from ._results import CONFIG_FILE

    out = Path(output_dir)
    ok = latest_ok(load_results(out))
    if not ok:
        raise BenchmarkError(f"{out} holds no results.")
    cfile = out / CONFIG_FILE
    config = json.loads(cfile.read_text(encoding="utf-8")) if cfile.is_file() else {}
    names = sorted({d for d, _, _ in ok}, key=str.lower)
    order = config.get("methods") or []
    found = {m for _, m, _ in ok}
    methods = [m for m in order if m in found] + sorted(found - set(order))
    config.setdefault("data_dir", None)
    config.setdefault("base_seed", None)
    config["n_runs"] = max(r for _, _, r in ok) + 1
    return _finish(
        out,
        names,
        methods,
        config,
        test=test,
        alpha=alpha,
        published=published,
        plot_cd=plot_cd,
        wall_time=0.0,
        n_new=0,
        n_errors=0,
        verbose=verbose,
    )


def _save_plot(plot_cd, cd_res, path):
    ax = plot_cd(cd_res)
    fig = getattr(ax, "figure", ax)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except ImportError:  # pragma: no cover - a figure without pyplot
        pass
