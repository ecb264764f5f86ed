"""Benchmarks across many data sets: the UCR runner and the statistics of its comparison.

``run_ucr_benchmark`` (command line ``sklearn-geom-ucr``) runs registered
classifiers on UCR/UEA data sets, several runs each, resumably and optionally on
a Dask cluster; ``critical_difference`` gives the mean ranks, Friedman test,
Nemenyi critical difference or Wilcoxon-Holm cliques behind a critical-difference
diagram (:func:`sklearn_geom.plotting.plot_critical_difference`).

Modules, one concern each: ``_methods`` (the method registry), ``_selection``
(which data sets), ``_timing`` (one task: warm-up, timed fit and predict),
``_results`` (rows on disk, repair, merge), ``_config`` (settings of a resumable
run), ``_summary`` (aggregation), ``_report`` (report.md, summary.csv),
``_published`` (published accuracies), ``_backends`` (joblib / Dask), ``_runner``
(:func:`run_ucr_benchmark`), ``ucr`` (the command line).  The benchmark does not
import :mod:`sklearn_geom.plotting`; only the command line does, to draw the
diagram.
"""

from ._errors import BenchmarkError
from ._methods import (
    DEFAULT_METHODS,
    available_methods,
    make_method,
    register_method,
    registered_method,
    unregister_method,
)
from ._published import published_accuracies
from ._results import load_results, merge_results
from ._runner import report_results, run_ucr_benchmark
from ._selection import select_datasets
from ._stats import (
    critical_difference,
    friedman_test,
    holm_correction,
    nemenyi_critical_difference,
    rank_scores,
)
from ._summary import summarize_results

__all__ = [
    "BenchmarkError",
    "DEFAULT_METHODS",
    "available_methods",
    "critical_difference",
    "friedman_test",
    "holm_correction",
    "load_results",
    "make_method",
    "merge_results",
    "nemenyi_critical_difference",
    "published_accuracies",
    "rank_scores",
    "register_method",
    "registered_method",
    "report_results",
    "run_ucr_benchmark",
    "select_datasets",
    "summarize_results",
    "unregister_method",
]
