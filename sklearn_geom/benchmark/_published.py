"""Published accuracies of the ROCKET family, shown beside ours in the report.

Shipped as data in ``sklearn_geom/benchmark/data``: ``published_accuracy.csv``
(data set, method, accuracy, source key) and ``published_sources.csv`` (for each
source key: the paper, the authors' results file with its repository commit,
and what the column holds).  ROCKET: 128 UCR 2018 data sets (mean over repeated
runs); MiniRocket and MultiRocket: 109 (mean over 30 resamples).
"""

import csv
import functools
import io
from importlib import resources


def _read(name):
    text = resources.files("sklearn_geom.benchmark").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.lru_cache(maxsize=1)
def _table():
    sources = {r["source"]: r for r in _read("published_sources.csv")}
    return {
        (r["dataset"], r["method"]): (float(r["accuracy"]), sources[r["source"]])
        for r in _read("published_accuracy.csv")
    }


def published_accuracies(method=None):
    """Accuracies published by the authors of the ROCKET family, per UCR data set.

    Parameters
    ----------
    method : str, default=None
        ``"rocket"``, ``"minirocket"`` or ``"multirocket"`` (the benchmark's method
        names); None: all.

    Returns
    -------
    table : dict
        ``{(dataset, method): (accuracy, source)}``; ``source`` is a dict with
        ``reference`` (the paper), ``file`` (the authors' results file and the
        commit it was taken from) and ``what`` (what the number is: mean over
        runs on the default split, or over resamples).

    References
    ----------
    .. [1] A. Dempster, F. Petitjean and G. I. Webb, "ROCKET: exceptionally fast and
       accurate time series classification using random convolutional kernels",
       Data Min. Knowl. Disc. 34, 1454-1495, 2020.
    .. [2] A. Dempster, D. F. Schmidt and G. I. Webb, "MiniRocket: a very fast
       (almost) deterministic transform for time series classification", KDD 2021.
    .. [3] C. W. Tan, A. Dempster, C. Bergmeir and G. I. Webb, "MultiRocket: multiple
       pooling operators and transformations for fast and effective time series
       classification", Data Min. Knowl. Disc. 36, 1623-1646, 2022.

    Examples
    --------
    >>> from sklearn_geom.benchmark import published_accuracies
    >>> acc, source = published_accuracies("rocket")[("GunPoint", "rocket")]
    >>> acc, source["reference"].split(",")[0]
    (1.0, 'A. Dempster')
    """
    table = _table()
    if method is None:
        return dict(table)
    return {k: v for k, v in table.items() if k[1] == method}


def attach_published(summary):
    """Add ``published_accuracy`` and ``published_source`` to summary rows where known."""
    table = _table()
    for s in summary:
        acc, src = table.get((s["dataset"], s["method"]), (None, None))
        s["published_accuracy"] = acc
        s["published_source"] = None if src is None else src["source"]
    return summary
