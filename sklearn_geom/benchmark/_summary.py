"""Aggregation of result rows: mean and spread per (data set, method), score tables for ranks."""

import numpy as np

from ._results import latest_ok


def summarize_results(rows):
    """Mean and standard deviation of accuracy and times per (data set, method).

    Parameters
    ----------
    rows : list of dict
        Rows as in ``results.jsonl``; only successful rows count, the last one
        of each (data set, method, run).

    Returns
    -------
    summary : list of dict
        ``dataset``, ``method``, ``n_runs``, ``accuracy_mean``,
        ``accuracy_std`` (sample sd, 0 for one run), ``fit_time_mean``,
        ``predict_time_mean``, ``transform_fit_time_mean``,
        ``transform_test_time_mean`` (times without compilation: see
        ``warmup_time_total``), ``warmup_time_total`` (seconds spent warming up
        the method's kernels on a tiny slice, summed over runs; None when not
        recorded), ``n_features``, ``n_channels``.

    Examples
    --------
    >>> from sklearn_geom.benchmark import summarize_results
    >>> rows = [dict(dataset="A", method="m", run=r, status="ok", accuracy=a,
    ...              fit_time=1.0, predict_time=0.5) for r, a in enumerate([0.8, 0.9])]
    >>> s = summarize_results(rows)[0]
    >>> s["n_runs"], round(s["accuracy_mean"], 2), round(s["accuracy_std"], 4)
    (2, 0.85, 0.0707)
    """
    groups = {}
    for (d, m, _), r in sorted(latest_ok(rows).items()):
        groups.setdefault((d, m), []).append(r)

    def mean_of(rs, key):
        vals = [r[key] for r in rs if r.get(key) is not None]
        return float(np.mean(vals)) if vals else None

    out = []
    for (d, m), rs in groups.items():
        acc = np.array([r["accuracy"] for r in rs], dtype=float)
        warm = [r["warmup_time"] for r in rs if r.get("warmup_time") is not None]
        out.append(
            {
                "dataset": d,
                "method": m,
                "n_runs": len(rs),
                "accuracy_mean": float(acc.mean()),
                "accuracy_std": float(acc.std(ddof=1)) if acc.size > 1 else 0.0,
                "fit_time_mean": mean_of(rs, "fit_time"),
                "predict_time_mean": mean_of(rs, "predict_time"),
                "transform_fit_time_mean": mean_of(rs, "transform_fit_time"),
                "transform_test_time_mean": mean_of(rs, "transform_test_time"),
                "warmup_time_total": float(np.sum(warm)) if warm else None,
                # pruned methods (DetachRocket): retained fraction, full-model accuracy,
                # full / pruned transform time of the test split
                "retained_fraction_mean": mean_of(rs, "retained_fraction"),
                "accuracy_full_mean": mean_of(rs, "accuracy_full"),
                "inference_speedup_mean": mean_of(
                    [
                        {"s": r["transform_time_full"] / r["transform_time_pruned"]}
                        for r in rs
                        if r.get("transform_time_pruned")
                    ],
                    "s",
                ),
                "n_features": rs[-1].get("n_features"),
                "n_channels": rs[-1].get("n_channels", 1),
            }
        )
    return out


def kind_of(summary_row):
    """ "univariate" or "multivariate" (from the number of channels)."""
    return "univariate" if int(summary_row.get("n_channels") or 1) == 1 else "multivariate"


def score_table(summary, methods, *, kind=None):
    """Data sets with a score for every method -> (names, (N, k) array of mean accuracy).

    ``kind`` ("univariate" / "multivariate" / None for all) keeps one archive:
    univariate and multivariate data sets are ranked apart.
    """
    rows = [s for s in summary if kind is None or kind_of(s) == kind]
    acc = {(s["dataset"], s["method"]): s["accuracy_mean"] for s in rows}
    datasets = sorted({s["dataset"] for s in rows}, key=str.lower)
    full = [d for d in datasets if all((d, m) in acc for m in methods)]
    table = np.array([[acc[(d, m)] for m in methods] for d in full]).reshape(
        len(full), len(methods)
    )
    return full, table


def kinds_present(summary):
    """The archives ("univariate", "multivariate") that the summary holds, in that order."""
    found = {kind_of(s) for s in summary}
    return [k for k in ("univariate", "multivariate") if k in found]
