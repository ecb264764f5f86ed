# Environment shared by the project's scripts (sourced by scripts/test.sh and scripts/main.sh).
# numba's on-disk compilation cache: the one place its location is defined. Outside the
# checkout, so fresh clones reuse the compiled kernels; override by setting it beforehand.
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$HOME/.cache/sklearn_geom/numba}"
export MPLBACKEND="${MPLBACKEND:-Agg}"
