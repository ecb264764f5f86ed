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


if __name__ == "__main__":
    argv = sys.argv[1:]
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
