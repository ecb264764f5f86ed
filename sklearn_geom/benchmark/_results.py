"""Results on disk: ``results.jsonl`` rows, repair after an interrupted write, merging.

One JSON row per finished task is appended (and flushed) at once; an
interrupted write can only leave a truncated last line, which is dropped (with a
warning) and its task runs again.  ``invocations.jsonl`` records each run of the
runner (start, wall time, tasks run), so that a resumed run keeps the wall time
of the earlier ones.  Folders filled on different machines merge with
:func:`merge_results`.
"""

import json
import os
import warnings
from pathlib import Path

RESULTS_FILE = "results.jsonl"
CONFIG_FILE = "config.json"
INVOCATIONS_FILE = "invocations.jsonl"


def _results_path(path):
    path = Path(path)
    return path / RESULTS_FILE if path.is_dir() else path


def dumps_row(row):
    """One row as a JSON line (values JSON cannot hold are written with ``str``)."""
    return json.dumps(row, default=str) + "\n"


def load_results(path):
    """Rows of a ``results.jsonl`` file (a truncated last line is skipped with a warning).

    Parameters
    ----------
    path : str or path-like
        The file, or the output folder holding ``results.jsonl``.

    Returns
    -------
    rows : list of dict
        One dict per readable line, in file order.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn_geom.benchmark import load_results
    >>> with tempfile.TemporaryDirectory() as d:
    ...     load_results(d)
    []
    """
    path = _results_path(path)
    rows = []
    if not path.is_file():
        return rows
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                warnings.warn(
                    f"{path}, line {lineno}: unreadable row skipped (interrupted write?); "
                    "that task will run again.",
                    RuntimeWarning,
                    stacklevel=2,
                )
    return rows


def repair_results(path):
    """Drop unreadable rows (an interrupted write) from ``results.jsonl`` before appending."""
    path = _results_path(path)
    if not path.is_file():
        return
    good, bad = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError:
            bad += 1
        else:
            good.append(line)
    if bad:
        warnings.warn(
            f"{path}: {bad} unreadable row(s) removed (interrupted write?); those tasks run "
            "again.",
            RuntimeWarning,
            stacklevel=3,
        )
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(line + "\n" for line in good), encoding="utf-8")
        os.replace(tmp, path)


def task_key(row):
    """(data set, method, run) of a row."""
    return (row["dataset"], row["method"], int(row["run"]))


def latest_ok(rows):
    """{(dataset, method, run): row} keeping the last successful row of each task."""
    done = {}
    for r in rows:
        if r.get("status") == "ok":
            done[task_key(r)] = r
    return done


def merge_results(sources, output_dir):
    """Merge the results folders (or files) of several machines into one folder.

    Every successful row of every source is kept once per (data set, method,
    run): a task finished on two machines keeps the row of the first source
    that has it.  The sources must have been run with the same settings
    (``config.json``: data set folder name, seeds, method parameters); the
    merged folder gets the first source's ``config.json`` and all the
    invocations, and can be resumed or summarised like any output folder.

    Parameters
    ----------
    sources : list of str or path-like
        Output folders (or ``results.jsonl`` files).
    output_dir : str or path-like
        Folder to write (created; rows already in its ``results.jsonl`` are kept
        first).

    Returns
    -------
    n_rows : int
        Rows in the merged ``results.jsonl``.

    Raises
    ------
    BenchmarkError
        When the sources were run with different settings.
    """
    from ._config import check_compatible

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    merged, configs, invocations = {}, [], []
    for src in [out, *map(Path, sources)]:
        folder = src if src.is_dir() else src.parent
        cfile = folder / CONFIG_FILE
        if cfile.is_file():
            configs.append((folder, json.loads(cfile.read_text(encoding="utf-8"))))
        ifile = folder / INVOCATIONS_FILE
        if ifile.is_file() and folder != out:
            invocations += [ln for ln in ifile.read_text(encoding="utf-8").splitlines() if ln]
        for key, row in latest_ok(load_results(src)).items():
            merged.setdefault(key, row)
    for folder, cfg in configs[1:]:
        check_compatible(configs[0][1], cfg, folder, portable=True)
    tmp = out / (RESULTS_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in merged.values():
            fh.write(dumps_row(row))
    os.replace(tmp, out / RESULTS_FILE)
    if configs and not (out / CONFIG_FILE).is_file():
        (out / CONFIG_FILE).write_text(json.dumps(configs[0][1], indent=2), encoding="utf-8")
    if invocations:
        with open(out / INVOCATIONS_FILE, "a", encoding="utf-8") as fh:
            fh.write("".join(ln + "\n" for ln in invocations))
    return len(merged)


def record_invocation(out, entry):
    """Append one invocation (start time, wall time, tasks run, host) to the log."""
    with open(Path(out) / INVOCATIONS_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, default=str) + "\n")


def load_invocations(out):
    """The invocations recorded in an output folder (unreadable lines skipped)."""
    path = Path(out) / INVOCATIONS_FILE
    found = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return found
