#!/usr/bin/env bash
# Set up and run the main job: the UCR benchmark on the data sets bundled offline in the
# sktime/aeon wheels (ROCKET, MiniRocket, MultiRocket + ridge). Extra arguments go to
# sklearn-geom-ucr (e.g. --data-dir /data/UCRArchive_2018 --runs 10 --n-jobs 2).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
python -m pip install --quiet -e ".[timeseries,plotting,progress,dask]"
sklearn-geom-ucr --output ucr_results "$@"
