"""Shared helpers: input validation, numba threading, progress bars."""

from ._numba import numba_threads, effective_n_jobs
from ._progress import progress
from ._validation import check_n_neighbors, check_finite_array

__all__ = [
    "numba_threads",
    "effective_n_jobs",
    "progress",
    "check_n_neighbors",
    "check_finite_array",
]
