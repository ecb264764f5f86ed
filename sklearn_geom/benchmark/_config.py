"""The settings of a run (``config.json``) and the check that a resumed or merged run matches."""

import json
from pathlib import Path

from ._errors import BenchmarkError
from ._results import CONFIG_FILE, load_results

# settings that change the numbers: a resumed or merged run must use the same ones
RESULT_KEYS = ("base_seed", "data_source", "missing_values", "variable_length")


def jsonable(obj):
    """``obj`` as it reads back from JSON (so that configs compare equal after a round trip)."""
    return json.loads(json.dumps(obj, default=str))


def data_source(data_dir):
    """Where the data come from, independent of the machine: the folder's name, or "bundled"."""
    return "bundled" if data_dir is None else Path(data_dir).resolve().name


def check_compatible(old, new, folder, *, portable=False):
    """Raise :class:`BenchmarkError` when two configs would give incomparable numbers.

    Compared: the base seed, the data source (the data folder's name, so that a
    folder moved to another machine resumes), the missing-value and
    variable-length treatments, and the parameters of every method present in
    both.  ``portable`` is accepted for symmetry (the check never compares
    absolute paths).
    """
    diff = {}
    for k in RESULT_KEYS:
        if k in old and k in new and old[k] != new[k]:
            diff[k] = (old[k], new[k])
    if "method_params" not in old and "n_kernels" in old:  # folder written by an older version
        if old["n_kernels"] != new.get("n_kernels"):
            diff["n_kernels"] = (old["n_kernels"], new.get("n_kernels"))
    op, nps = old.get("method_params", {}), new.get("method_params", {})
    for m in sorted(set(op) & set(nps)):
        if op[m] != nps[m]:
            diff[f"params of {m}"] = (op[m], nps[m])
    if diff:
        detail = "; ".join(f"{k}: {a!r} there, {b!r} here" for k, (a, b) in diff.items())
        raise BenchmarkError(
            f"{folder} holds results made with other settings ({detail}); use another "
            "output folder to keep runs comparable."
        )


def check_resume(out, config):
    """Refuse to add rows made with other settings to a folder that holds results."""
    cfile = Path(out) / CONFIG_FILE
    if cfile.is_file() and load_results(out):
        old = json.loads(cfile.read_text(encoding="utf-8"))
        check_compatible(old, jsonable(config), out)


def write_config(out, config):
    """Write ``config.json``, keeping the parameters of methods run earlier into the folder."""
    cfile = Path(out) / CONFIG_FILE
    config = jsonable(config)
    if cfile.is_file():
        old = json.loads(cfile.read_text(encoding="utf-8"))
        merged = dict(old.get("method_params", {}))
        merged.update(config.get("method_params", {}))
        config["method_params"] = merged
    cfile.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return config
