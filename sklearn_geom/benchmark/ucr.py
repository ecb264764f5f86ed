"""Command line of the UCR benchmark (the project's main job): ``sklearn-geom-ucr``.

Also ``python -m sklearn_geom.benchmark.ucr``.  The work is done by
:func:`sklearn_geom.benchmark.run_ucr_benchmark`; this layer parses the
arguments, draws the critical-difference diagram with
:func:`sklearn_geom.plotting.plot_critical_difference` (the only place where the
benchmark meets the plotting package), and turns user errors into one line on
stderr and a non-zero exit status: 2 for a setting that cannot run (unknown data
set or method, missing data folder, a resumed folder with other settings), 1
when a task failed, 130 after Ctrl-C (the finished tasks are kept; the same
command resumes).
"""

import argparse
import json
import sys

from ._errors import BenchmarkError
from ._methods import DEFAULT_METHODS
from ._runner import MISSING_VALUES, VARIABLE_LENGTH, report_results, run_ucr_benchmark
from ._selection import COLLECTIONS, select_datasets

PROG = "sklearn-geom-ucr"


def _parser():
    p = argparse.ArgumentParser(
        prog=PROG,
        description="UCR benchmark of the ROCKET family (sklearn_geom's main job). Offline "
        "unless --fetch: runs on the data sets bundled with sktime/aeon or on a local "
        "archive folder.",
    )
    p.add_argument("--output", "-o", default="ucr_results", help="output folder (resumable)")
    p.add_argument(
        "--data-dir",
        default=None,
        help="folder with the data sets (UCRArchive_2018 .tsv or .ts); default: "
        "the sets bundled with sktime/aeon (with --fetch: the download cache)",
    )
    p.add_argument(
        "--datasets",
        nargs="+",
        default=None,
        help="data set names, or one of all, univariate, multivariate "
        "(default: the univariate equal-length sets of the folder)",
    )
    p.add_argument(
        "--fetch",
        action="store_true",
        help="download the named data sets (or collection) from the archive site into "
        "the cache (or --data-dir) first",
    )
    p.add_argument(
        "--methods",
        nargs="+",
        default=list(DEFAULT_METHODS),
        help=f"methods (default: {' '.join(DEFAULT_METHODS)})",
    )
    p.add_argument(
        "--method-param",
        action="append",
        default=[],
        metavar="METHOD:KEY=VALUE",
        help="a parameter of one method's factory, e.g. minirocket:n_kernels=840 "
        "(VALUE read as JSON, else as text); repeat for more",
    )
    p.add_argument("--runs", type=int, default=5, help="runs with new kernels (default 5)")
    p.add_argument(
        "--n-kernels",
        type=int,
        default=None,
        help="transform size of every method (default: each paper's, ROCKET 10000 kernels, "
        "MiniRocket ~10000 features, MultiRocket 6250 kernels ~50000 features)",
    )
    p.add_argument("--seed", type=int, default=0, help="base seed; run r uses seed + r")
    p.add_argument("--multivariate", action="store_true", help="include multivariate sets")
    p.add_argument("--unequal-length", action="store_true", help="include unequal-length sets")
    p.add_argument(
        "--all-bundled",
        action="store_true",
        help="include bundled sets outside the UCR/UEA archives (UnitTest, ...)",
    )
    p.add_argument(
        "--missing-values",
        choices=MISSING_VALUES,
        default="interpolate",
        help="NaN in series: linear interpolation (default, the archive's adjusted "
        "convention) or keep",
    )
    p.add_argument(
        "--variable-length",
        choices=VARIABLE_LENGTH,
        default="native",
        help="unequal lengths: as a list (default) or padded with the last value",
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
        "--merge",
        nargs="+",
        default=None,
        metavar="FOLDER",
        help="merge these results folders (e.g. from other machines) into --output and "
        "write its report (nothing is run)",
    )
    p.add_argument(
        "--test",
        choices=["nemenyi", "wilcoxon-holm"],
        default="nemenyi",
        help="post-hoc test of the critical-difference diagram",
    )
    p.add_argument("--alpha", type=float, default=0.05, help="significance level")
    p.add_argument("--no-warmup", action="store_true", help="time the first task cold")
    p.add_argument(
        "--no-published", action="store_true", help="no published accuracies in the report"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-plot", action="store_true", help="no cd_diagram.png")
    p.add_argument("--list", action="store_true", help="list the selected data sets and exit")
    return p


def _method_params(items):
    out = {}
    for item in items:
        method, sep, rest = item.partition(":")
        key, eq, value = rest.partition("=")
        if not (sep and eq and method and key):
            raise BenchmarkError(f"--method-param {item!r}: expected METHOD:KEY=VALUE.")
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass
        out.setdefault(method, {})[key] = value
    return out


def _plotter(test, alpha):
    """plot_critical_difference bound to the run's test, or None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from sklearn_geom.plotting import plot_critical_difference
    except ImportError:
        print(f"{PROG}: matplotlib missing: no cd_diagram.png.", file=sys.stderr)
        return None
    return lambda cd_res: plot_critical_difference(cd_res, test=test, alpha=alpha)


def _datasets_arg(values):
    if values is not None and len(values) == 1 and values[0] in COLLECTIONS:
        return values[0]
    return values


def _run(args):
    datasets = _datasets_arg(args.datasets)
    data_dir = args.data_dir
    if args.fetch:
        from sklearn_geom.datasets import fetch_ucr

        if datasets is None:
            raise BenchmarkError(
                "--fetch needs --datasets (names, univariate, multivariate or all)."
            )
        data_dir = fetch_ucr(datasets, data_home=data_dir, progress=not args.no_progress)
    if args.merge:
        from ._results import merge_results

        n = merge_results(args.merge, args.output)
        print(f"{PROG}: {n} results merged into {args.output}.", file=sys.stderr)
        report_results(
            args.output,
            published=not args.no_published,
            plot_cd=None if args.no_plot else _plotter(args.test, args.alpha),
            test=args.test,
            alpha=args.alpha,
        )
        return 0
    if args.list:
        names = select_datasets(
            data_dir,
            datasets,
            multivariate=args.multivariate,
            unequal_length=args.unequal_length,
            all_bundled=args.all_bundled,
        )
        print("\n".join(names))
        return 0
    res = run_ucr_benchmark(
        args.output,
        datasets=datasets,
        data_dir=data_dir,
        methods=args.methods,
        method_params=_method_params(args.method_param),
        n_runs=args.runs,
        n_kernels=args.n_kernels,
        base_seed=args.seed,
        multivariate=args.multivariate,
        unequal_length=args.unequal_length,
        all_bundled=args.all_bundled,
        missing_values=args.missing_values,
        variable_length=args.variable_length,
        n_jobs=args.n_jobs,
        inner_n_jobs=args.inner_n_jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        warmup=not args.no_warmup,
        published=not args.no_published,
        progress=not args.no_progress,
        plot_cd=None if args.no_plot else _plotter(args.test, args.alpha),
        test=args.test,
        alpha=args.alpha,
    )
    print(
        f"Results in {res.output_dir} ({res.n_new} tasks run, {res.n_skipped} already done, "
        f"{res.n_errors} failed).",
        file=sys.stderr,
    )
    return 1 if res.n_errors else 0


def main(argv=None):
    """Entry point of ``sklearn-geom-ucr`` and ``python -m sklearn_geom.benchmark.ucr``.

    Returns the exit status: 0 done, 1 a task failed, 2 a user error (one line
    on stderr), 130 interrupted (finished tasks saved; run again to resume).
    """
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print(
            f"\n{PROG}: interrupted; finished tasks are saved in {args.output}. "
            "Run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    except (BenchmarkError, FileNotFoundError, NotADirectoryError, ConnectionError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a malformed data file (UCRFormatError) and the like
        from sklearn_geom.datasets import UCRFormatError

        if isinstance(exc, UCRFormatError):
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
