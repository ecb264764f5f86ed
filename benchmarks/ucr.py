"""The UCR benchmark, sklearn_geom's main job: ROCKET, MiniRocket and MultiRocket on UCR data.

Thin wrapper of :mod:`sklearn_geom.benchmark.ucr` (also installed as the console script
``sklearn-geom-ucr`` and runnable as ``python -m sklearn_geom.benchmark.ucr``); every
option is documented by ``--help``.  Default: the five UCR 2018 data sets bundled offline
with sktime/aeon (ACSF1, ArrowHead, GunPoint, ItalyPowerDemand, OSULeaf), 5 runs with new
kernels, each paper's transform size, results resumable in ``--output``.

    python benchmarks/ucr.py --output ucr_results
    python benchmarks/ucr.py --data-dir ~/UCRArchive_2018 --runs 3 --n-jobs 2
    python benchmarks/ucr.py --backend dask --scheduler tcp://127.0.0.1:8786 --n-jobs 8
"""

import os
import sys

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)

from sklearn_geom.benchmark.ucr import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
