"""The UCR benchmark, sklearn_geom's main job: ROCKET, MiniRocket and MultiRocket on UCR data.

Thin wrapper of the command line :mod:`sklearn_geom.benchmark.ucr` (also installed as the
console script ``sklearn-geom-ucr`` and runnable as ``python -m sklearn_geom.benchmark.ucr``);
every option is documented by ``--help``.  Default: the five UCR 2018 data sets bundled offline
with sktime/aeon (ACSF1, ArrowHead, GunPoint, ItalyPowerDemand, OSULeaf), 5 runs with new
kernels, each paper's transform size, results resumable in ``--output``.

One extra option here: ``--peers`` adds aeon's Rocket, MiniRocket and MultiRocket
transforms (aeon defaults, same scaler and ridge) as the methods ``aeon_rocket``,
``aeon_minirocket``, ``aeon_multirocket``, run side by side on the same data and seeds,
and prints the ratios peer time / our time and the accuracy differences.

    python benchmarks/ucr.py --output ucr_results
    python benchmarks/ucr.py --output ucr_peers --peers --runs 3
    python benchmarks/ucr.py --data-dir ~/UCRArchive_2018 --runs 3 --n-jobs 2
    python benchmarks/ucr.py --backend dask --scheduler tcp://127.0.0.1:8786 --n-jobs 8

``--project FOLDER [RUNS]`` prints, from the per-set times of a finished output folder, the
projected wall time of the whole univariate archive (128 sets x methods x RUNS runs, default
5): per method, a non-negative least-squares fit of the measured fit + predict time of each
set (mean over its runs) to ``c + a * (n_train + n_test) * length + b * n_train**2 *
n_features`` (a per-task overhead; the transform is linear in the number of time points;
the ridge's leave-one-out fit is quadratic in n_train when n_train < n_features; ``b`` is
measured directly by fitting the scaler and ridge on 1000 x n_features random features, as
the bundled sets stop at 200 training cases), applied to the sizes of the archive table
(:func:`sklearn_geom.datasets.ucr_archive_summary`; the 11 variable-length sets are counted
at the archive's median length).

    python benchmarks/ucr.py --project ucr_results 5
"""

import os
import sys

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)

import numpy as np  # noqa: E402

from sklearn_geom.benchmark import (  # noqa: E402
    DEFAULT_METHODS,
    load_results,
    register_method,
    summarize_results,
)
from sklearn_geom.benchmark.ucr import _parser, main  # noqa: E402

PEERS = {
    "aeon_rocket": "Rocket",
    "aeon_minirocket": "MiniRocket",
    "aeon_multirocket": "MultiRocket",
}


def _aeon_factory(cls_name):
    def factory(*, random_state=None, n_jobs=None, n_kernels=None):
        from aeon.transformations.collection import convolution_based
        from sklearn.linear_model import RidgeClassifierCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        kw = {} if n_kernels is None else {"n_kernels": n_kernels}
        cls = getattr(convolution_based, cls_name)
        return make_pipeline(
            cls(n_jobs=n_jobs if n_jobs is not None else 1, random_state=random_state, **kw),
            StandardScaler(with_mean=True),
            RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
        )

    return factory


def _print_ratios(output):
    summ = {(s["dataset"], s["method"]): s for s in summarize_results(load_results(output))}
    datasets = sorted({d for d, _ in summ}, key=str.lower)
    print("\n## Peers side by side (aeon / sklearn_geom)\n")
    print(
        "| data set | method | accuracy ours | accuracy aeon | fit+predict ours (s) | "
        "fit+predict aeon (s) | ratio aeon/ours |"
    )
    print("|---|---|---|---|---|---|---|")
    for d in datasets:
        for ours, peer in zip(DEFAULT_METHODS, PEERS):
            a, b = summ.get((d, ours)), summ.get((d, peer))
            if a is None or b is None:
                continue
            ta = a["fit_time_mean"] + a["predict_time_mean"]
            tb = b["fit_time_mean"] + b["predict_time_mean"]
            print(
                f"| {d} | {ours} | {a['accuracy_mean']:.4f} | {b['accuracy_mean']:.4f} | "
                f"{ta:.2f} | {tb:.2f} | {tb / ta:.2f} |"
            )


def _ridge_seconds(n, p, n_classes=5, seed=0):
    """Measured fit time of the scaler + ridge of the pipelines on (n, p) random features."""
    import time

    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)).astype(np.float64)
    y = rng.integers(n_classes, size=n)
    t0 = time.perf_counter()
    make_pipeline(StandardScaler(), RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))).fit(X, y)
    return time.perf_counter() - t0


def _project(output, n_runs=5):
    from scipy.optimize import nnls

    from sklearn_geom.datasets import ucr_archive_summary

    rows = load_results(output)
    summ = summarize_results(rows)
    size = {r["dataset"]: r for r in rows if r.get("status") == "ok"}
    table = ucr_archive_summary(as_frame=False)
    lengths = sorted(r["length"] for r in table if r["length"] != "Vary")
    median = lengths[len(lengths) // 2]
    methods = sorted({s["method"] for s in summ})
    print(
        f"\n## Projection to the 128 univariate UCR sets x {len(methods)} methods x "
        f"{n_runs} runs"
    )
    print(f"(from {output}; variable-length sets at length {median})\n")
    print("| method | c (s per task) | a (s per case x point) | b (s per n_train^2 x feature) "
          "| measured sets | max rel. misfit | projected (s) |")
    print("|---|---|---|---|---|---|---|")
    grand = 0.0
    split = {}
    for m in methods:
        ss = [s for s in summ if s["method"] == m]
        p = ss[0]["n_features"] or 0
        A = np.array([[1.0, (size[s["dataset"]]["n_train"] + size[s["dataset"]]["n_test"])
                       * size[s["dataset"]]["length"], size[s["dataset"]]["n_train"] ** 2 * p]
                      for s in ss], dtype=float)
        t = np.array([s["fit_time_mean"] + s["predict_time_mean"] for s in ss])
        # the ridge term measured directly at n_train = 1000 (the bundled sets stop at 200)
        b = _ridge_seconds(1000, p) / (1000**2 * p)
        ac, _ = nnls(A[:, :2], np.maximum(t - b * A[:, 2], 0.0))
        coef = np.array([ac[0], ac[1], b])
        misfit = float(np.max(np.abs(A @ coef - t) / t))
        parts = np.zeros(3)
        for r in table:
            L = median if r["length"] == "Vary" else r["length"]
            parts += coef * [1.0, (r["n_train"] + r["n_test"]) * L, r["n_train"] ** 2 * p]
        parts *= n_runs
        proj = float(parts.sum())
        split[m] = parts
        grand += proj
        print(f"| {m} | {coef[0]:.3g} | {coef[1]:.3g} | {coef[2]:.3g} | {len(ss)} | "
              f"{misfit:.2f} | {proj:.0f} |")
    print(f"\nTotal: {grand:.0f} s = {grand / 3600:.1f} h (tasks one at a time, warm kernels).")
    parts = [f"{m}: overhead {v[0]:.0f}, transform {v[1]:.0f}, ridge {v[2]:.0f}"
             for m, v in split.items()]
    print("Split (s): " + "; ".join(parts))


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["--project"]:
        _project(argv[1], *map(int, argv[2:3]))
        sys.exit(0)
    peers = "--peers" in argv
    if peers:
        argv = [a for a in argv if a != "--peers"]
        for name, cls_name in PEERS.items():
            register_method(
                name, _aeon_factory(cls_name), description=f"aeon {cls_name} -> scaler -> ridge"
            )
        if "--methods" not in argv:
            argv += ["--methods", *DEFAULT_METHODS, *PEERS]
    rc = main(argv)
    if peers:
        _print_ratios(_parser().parse_args(argv).output)
    sys.exit(rc)
