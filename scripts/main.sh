#!/usr/bin/env bash
# Set up and run the main job: the UCR benchmark on the data sets bundled offline in the
# sktime/aeon wheels (ACSF1, ArrowHead, GunPoint, ItalyPowerDemand, OSULeaf; ROCKET,
# MiniRocket, MultiRocket + ridge, 5 runs). Extra arguments go to sklearn-geom-ucr, e.g.
#   --data-dir /data/UCRArchive_2018 --runs 10 --n-jobs 2      a local copy of the archive
#   --fetch --datasets univariate                               download it first (network)
#   --backend dask --scheduler tcp://host:8786 --n-jobs 32      on a Dask cluster
# The run resumes: the same command again skips finished tasks (also after Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$HOME/.cache/sklearn_geom/numba}"
export MPLBACKEND=Agg
python -m pip install --quiet -e ".[timeseries,plotting,progress,dask]"
sklearn-geom-ucr --output ucr_results "$@"
