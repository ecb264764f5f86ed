"""Shared helpers: input validation, numba threading, progress bars."""

from ._discovery import all_estimators, all_public_objects, public_subpackages
from ._layers import LayeredData, check_layers
from ._numba import effective_n_jobs, numba_threads
from ._progress import progress
from ._validation import check_n_neighbors

__all__ = [
    "all_estimators",
    "all_public_objects",
    "public_subpackages",
    "LayeredData",
    "check_layers",
    "numba_threads",
    "effective_n_jobs",
    "progress",
    "check_n_neighbors",
]
