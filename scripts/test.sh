#!/usr/bin/env bash
# Set up and run the test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$HOME/.cache/sklearn_geom/numba}"
export MPLBACKEND=Agg
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e ".[dev]"
python -m pytest -n 2 --timeout=900 "$@"
