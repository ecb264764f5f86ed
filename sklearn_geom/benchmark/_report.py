"""The benchmark's outputs as text: ``report.md`` and ``summary.csv``."""

import csv

from ._summary import kind_of

SUMMARY_FIELDS = [
    "dataset",
    "method",
    "n_runs",
    "accuracy_mean",
    "accuracy_std",
    "fit_time_mean",
    "predict_time_mean",
    "transform_fit_time_mean",
    "transform_test_time_mean",
    "warmup_time_total",
    "n_features",
    "n_channels",
    "published_accuracy",
    "published_source",
]

# a data set is flagged when our mean accuracy is this far below the published one
FLAG_BELOW = 0.02


def _fmt_time(v):
    return "-" if v is None else f"{v:.2f}"


def write_summary_csv(path, summary):
    """Write the summary rows (see :func:`summarize_results`) as CSV."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=SUMMARY_FIELDS, extrasaction="ignore")
        w.writeheader()
        for s in summary:
            w.writerow(s)


def _accuracy_section(title, summary, methods, cd_res):
    acc = {(s["dataset"], s["method"]): s for s in summary}
    datasets = sorted({s["dataset"] for s in summary}, key=str.lower)
    lines = [
        f"## {title}",
        "",
        "| data set | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    for d in datasets:
        cells = []
        for m in methods:
            s = acc.get((d, m))
            cells.append(
                "-" if s is None else f"{s['accuracy_mean']:.4f} ± {s['accuracy_std']:.4f}"
            )
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    if cd_res is not None:
        lines.append(
            "| **mean rank** | " + " | ".join(f"{r:.2f}" for r in cd_res.mean_ranks) + " |"
        )
        fr = cd_res.friedman
        lines += [
            "",
            f"Ranks over {cd_res.n_datasets} data sets with results for every method. "
            f"Friedman chi2 = {fr.statistic:.3f} (p = {fr.pvalue:.3g}).",
        ]
        if cd_res.cd is not None:
            lines.append(f"Nemenyi critical difference (alpha = {cd_res.alpha}): {cd_res.cd:.3f}.")
        groups = [", ".join(cd_res.method_names[j] for j in c) for c in cd_res.cliques]
        lines.append(
            f"Not significantly different ({cd_res.test}): "
            + ("; ".join(f"{{{g}}}" for g in groups) if groups else "none (all pairs differ)")
            + "."
        )
    return lines + [""]


def _times_section(summary, methods):
    acc = {(s["dataset"], s["method"]): s for s in summary}
    datasets = sorted({s["dataset"] for s in summary}, key=str.lower)
    lines = [
        "## Times (seconds, mean over runs, without compilation): fit (transform of train + "
        "classifier) / predict (transform of test + classifier)",
        "",
        "| data set | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    totals = {m: [0.0, 0.0, 0.0] for m in methods}
    for d in datasets:
        cells = []
        for m in methods:
            s = acc.get((d, m))
            if s is None:
                cells.append("-")
                continue
            cells.append(f"{_fmt_time(s['fit_time_mean'])} / {_fmt_time(s['predict_time_mean'])}")
            totals[m][0] += s["fit_time_mean"] or 0.0
            totals[m][1] += s["predict_time_mean"] or 0.0
            totals[m][2] += s.get("warmup_time_total") or 0.0
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    lines.append(
        "| **total** | "
        + " | ".join(f"{totals[m][0]:.2f} / {totals[m][1]:.2f}" for m in methods)
        + " |"
    )
    lines.append(
        "| warm-up (numba compilation or cache load, on a tiny slice, all runs) | "
        + " | ".join(f"{totals[m][2]:.2f}" for m in methods)
        + " |"
    )
    return lines + [""]


def _published_section(summary, methods):
    rows = [s for s in summary if s.get("published_accuracy") is not None]
    if not rows:
        return []
    lines = [
        "## Published accuracies side by side",
        "",
        "Ours (mean over runs) beside the accuracy published for the same method and data set; "
        f"difference in points; **flagged** when ours is more than {100 * FLAG_BELOW:.0f} "
        "points below.",
        "",
        "| data set | method | ours | published | difference | source |",
        "|---|---|---|---|---|---|",
    ]
    order = {m: i for i, m in enumerate(methods)}
    flagged = []
    for s in sorted(rows, key=lambda s: (s["dataset"].lower(), order.get(s["method"], 99))):
        diff = s["accuracy_mean"] - s["published_accuracy"]
        flag = diff < -FLAG_BELOW
        if flag:
            flagged.append(f"{s['dataset']} / {s['method']} ({100 * diff:+.1f})")
        lines.append(
            f"| {s['dataset']} | {s['method']} | {s['accuracy_mean']:.4f} | "
            f"{s['published_accuracy']:.4f} | {100 * diff:+.2f}{' **flagged**' if flag else ''} "
            f"| {s['published_source']} |"
        )
    lines += [
        "",
        f"More than {100 * FLAG_BELOW:.0f} points below the published accuracy: "
        + (", ".join(flagged) if flagged else "none")
        + ".",
        "",
    ]
    return lines


def _pruning_section(summary):
    """Pruned methods (Detach-ROCKET): retained fraction, accuracy change, inference speed-up."""
    rows = [s for s in summary if s.get("retained_fraction_mean") is not None]
    if not rows:
        return []
    lines = [
        "## Pruning (Detach-ROCKET)",
        "",
        "Retained fraction of the transform's features, test accuracy of the pruned model and "
        "of ridge on all the features of the same transform (change in points), and the "
        "full / pruned transform time of the test split (inference speed-up).",
        "",
        "| data set | method | retained | accuracy | full model | change | speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in sorted(rows, key=lambda r: (r["dataset"].lower(), r["method"])):
        full = s.get("accuracy_full_mean")
        speed = s.get("inference_speedup_mean")
        acc = s["accuracy_mean"]
        full_txt = "-" if full is None else f"{full:.4f}"
        change = "-" if full is None else f"{100 * (acc - full):+.2f}"
        speed_txt = "-" if speed is None else f"{speed:.1f}x"
        lines.append(
            f"| {s['dataset']} | {s['method']} | {100 * s['retained_fraction_mean']:.2f}% | "
            f"{acc:.4f} | {full_txt} | {change} | {speed_txt} |"
        )
    return [*lines, ""]


def make_report(summary, methods, cd_results, config, timing, n_errors):
    """The markdown report.

    Parameters
    ----------
    summary : list of dict
        Summary rows, with ``published_accuracy`` / ``published_source`` where known.
    methods : list of str
        Column order.
    cd_results : dict
        ``{"univariate": Bunch or None, "multivariate": Bunch or None}`` (ranks
        are computed within one archive).
    config : dict
        The run's settings.
    timing : dict
        ``wall_time_total`` (all invocations that ran tasks), ``n_invocations``,
        ``wall_time`` and ``n_new`` (this invocation).
    n_errors : int
        Failed tasks in this invocation.
    """
    params = config.get("method_params", {})
    lines = [
        "# UCR benchmark",
        "",
        f"Methods: {', '.join(methods)}; runs: {config['n_runs']}; base seed: "
        f"{config['base_seed']}; data: {config['data_dir'] or 'bundled with sktime/aeon'}; "
        f"missing values: {config.get('missing_values')}; variable length: "
        f"{config.get('variable_length')}.",
        "Method parameters: " + "; ".join(f"{m} {params.get(m, {})}" for m in methods) + ".",
        f"Wall time: {timing['wall_time_total']:.1f} s over {timing['n_invocations']} "
        f"invocation(s) that ran tasks (this invocation: {timing['wall_time']:.1f} s, "
        f"{timing['n_new']} task(s) run, {n_errors} failed).",
        "",
    ]
    kinds = [k for k in ("univariate", "multivariate") if any(kind_of(s) == k for s in summary)]
    for kind in kinds:
        part = [s for s in summary if kind_of(s) == kind]
        title = "Accuracy (mean ± sd over runs)"
        if len(kinds) > 1 or kind == "multivariate":
            title += f": {kind} data sets (ranked apart)"
        lines += _accuracy_section(title, part, methods, cd_results.get(kind))
    lines += _times_section(summary, methods)
    lines += _pruning_section(summary)
    lines += _published_section(summary, methods)
    return "\n".join(lines).rstrip("\n") + "\n"
