"""Benchmarks across many data sets: the UCR runner and the statistics of its comparison.

``run_ucr_benchmark`` (command line ``sklearn-geom-ucr``) runs registered
classifiers on UCR/UEA data sets, several runs each, resumably and optionally on
a Dask cluster; ``critical_difference`` gives the mean ranks, Friedman test,
Nemenyi critical difference or Wilcoxon-Holm cliques behind a critical-difference
diagram (:func:`sklearn_geom.plotting.plot_critical_difference`).
"""

from ._stats import (
    critical_difference,
    friedman_test,
    holm_correction,
    nemenyi_critical_difference,
    rank_scores,
)
import importlib

# the runner is imported on first use, so that ``python -m sklearn_geom.benchmark.ucr``
# does not find its own module already imported by this package
_UCR_NAMES = (
    "available_methods",
    "load_results",
    "make_method",
    "register_method",
    "run_ucr_benchmark",
    "select_datasets",
    "summarize_results",
)

__all__ = [
    "available_methods",
    "critical_difference",
    "friedman_test",
    "holm_correction",
    "load_results",
    "make_method",
    "nemenyi_critical_difference",
    "rank_scores",
    "register_method",
    "run_ucr_benchmark",
    "select_datasets",
    "summarize_results",
]


def __getattr__(name):
    if name in _UCR_NAMES:
        return getattr(importlib.import_module(f"{__name__}.ucr"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
