"""The UCR benchmark runner: results file, resume, errors, Dask backend, command line.

Independent references: the rows written are checked against a direct fit of
the same pipeline with the same seed in the test (accuracy computed here with
numpy), and the Dask run against the in-process run (same seeds -> same
accuracies).  Data: tiny synthetic data sets written with our .ts writer
into a temporary folder (fast).
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklearn_geom.benchmark import (
    BenchmarkError,
    available_methods,
    load_results,
    merge_results,
    registered_method,
    run_ucr_benchmark,
    summarize_results,
)
from sklearn_geom.benchmark.ucr import main
from sklearn_geom.datasets import load_ucr, write_ts


def _raw_ridge(*, random_state=None, n_jobs=None):
    # a "transform" step first, so the runner times it separately; the seed picks
    # a random subset of time points so that runs differ
    rng = np.random.default_rng(random_state)
    return make_pipeline(
        FunctionTransformer(_pick_columns, kw_args={"seed": int(rng.integers(1 << 30))}),
        StandardScaler(),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
    )


def _pick_columns(X, seed):
    X = np.asarray(X)
    cols = np.random.default_rng(seed).choice(X.shape[1], size=X.shape[1] // 2, replace=False)
    return X[:, np.sort(cols)]


def _broken(*, random_state=None, n_jobs=None):
    return make_pipeline(FunctionTransformer(_fail), RidgeClassifierCV())


def _fail(X):
    raise RuntimeError("deliberate failure")


@pytest.fixture(autouse=True, scope="module")
def _test_methods():
    """The test methods exist for this module only (the registry is left as found)."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(registered_method("test_raw_ridge", _raw_ridge))
        stack.enter_context(registered_method("test_broken", _broken))
        yield
    assert "test_raw_ridge" not in available_methods()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("ucr")
    rng = np.random.default_rng(0)
    for name, T in (("TinyA", 30), ("TinyB", 24)):
        (root / name).mkdir()
        for split, n in (("TRAIN", 16), ("TEST", 20)):
            y = np.array(["up", "down"] * (n // 2))
            t = np.linspace(0, 1, T)
            X = rng.normal(scale=0.6, size=(n, T)) + np.where(y == "up", 1, -1)[:, None] * t
            write_ts(root / name / f"{name}_{split}.ts", X, y)
    return root


def _ok_rows(out):
    return [r for r in load_results(out) if r["status"] == "ok"]


def test_rows_match_direct_fit(tmp_path, data_dir):
    res = run_ucr_benchmark(
        tmp_path,
        data_dir=data_dir,
        methods=["test_raw_ridge"],
        n_runs=2,
        base_seed=10,
        progress=False,
        verbose=False,
    )
    assert res.n_new == 4 and res.n_errors == 0
    rows = _ok_rows(tmp_path)
    assert sorted((r["dataset"], r["run"], r["seed"]) for r in rows) == [
        ("TinyA", 0, 10),
        ("TinyA", 1, 11),
        ("TinyB", 0, 10),
        ("TinyB", 1, 11),
    ]
    for r in rows:
        Xtr, ytr, Xte, yte = load_ucr(r["dataset"], path=data_dir)
        pred = _raw_ridge(random_state=r["seed"]).fit(Xtr, ytr).predict(Xte)
        assert r["accuracy"] == pytest.approx(np.mean(pred == yte))
        assert r["n_train"] == 16 and r["n_test"] == 20 and r["n_channels"] == 1
        assert r["fit_time"] >= r["transform_fit_time"] >= 0
        assert r["predict_time"] >= r["transform_test_time"] >= 0
        assert r["n_features"] == r["length"] // 2
    summ = {s["dataset"]: s for s in res.summary}
    accs = [r["accuracy"] for r in rows if r["dataset"] == "TinyA"]
    assert summ["TinyA"]["accuracy_mean"] == pytest.approx(np.mean(accs))
    assert summ["TinyA"]["accuracy_std"] == pytest.approx(np.std(accs, ddof=1))
    for f in ("results.jsonl", "config.json", "summary.csv", "report.md"):
        assert (tmp_path / f).is_file()
    assert "| TinyA |" in res.report


def test_resume_skips_finished_rows(tmp_path, data_dir):
    kw = dict(data_dir=data_dir, methods=["test_raw_ridge"], progress=False, verbose=False)
    first = run_ucr_benchmark(tmp_path, n_runs=1, **kw)
    assert (first.n_new, first.n_skipped) == (2, 0)
    again = run_ucr_benchmark(tmp_path, n_runs=1, **kw)
    assert (again.n_new, again.n_skipped) == (0, 2)
    more = run_ucr_benchmark(tmp_path, n_runs=3, **kw)  # only runs 1 and 2 are new
    assert (more.n_new, more.n_skipped) == (4, 2)
    keys = [(r["dataset"], r["method"], r["run"]) for r in load_results(tmp_path)]
    assert len(keys) == len(set(keys)) == 6
    # an interrupted write leaves a truncated last line: skipped with a warning, task redone
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    (tmp_path / "results.jsonl").write_text("\n".join(lines[:-1] + [lines[-1][:40]]))
    with pytest.warns(RuntimeWarning, match="unreadable row"):
        assert len(load_results(tmp_path)) == 5
    with pytest.warns(RuntimeWarning, match="unreadable row"):
        redo = run_ucr_benchmark(tmp_path, n_runs=3, **kw)
    assert redo.n_new == 1
    assert len(load_results(tmp_path)) == 6  # repaired file, no warning any more
    # other settings into the same folder are refused
    with pytest.raises(BenchmarkError, match="other settings"):
        run_ucr_benchmark(tmp_path, n_runs=1, base_seed=5, **kw)


def test_failed_tasks_recorded_and_retried(tmp_path, data_dir):
    kw = dict(data_dir=data_dir, datasets=["TinyA"], n_runs=1, progress=False, verbose=False)
    with pytest.warns(RuntimeWarning, match="deliberate failure"):
        res = run_ucr_benchmark(tmp_path, methods=["test_raw_ridge", "test_broken"], **kw)
    assert res.n_errors == 1 and res.critical_difference is None
    err = [r for r in load_results(tmp_path) if r["status"] == "error"]
    assert len(err) == 1 and "RuntimeError: deliberate failure" in err[0]["error"]
    with pytest.warns(RuntimeWarning):
        res2 = run_ucr_benchmark(tmp_path, methods=["test_raw_ridge", "test_broken"], **kw)
    assert res2.n_new == 1  # only the failed task runs again


def test_bad_arguments(tmp_path, data_dir):
    with pytest.raises(ValueError, match="Unknown method"):
        run_ucr_benchmark(tmp_path, data_dir=data_dir, methods=["nope"])
    with pytest.raises(ValueError, match="Unknown data set"):
        run_ucr_benchmark(tmp_path, data_dir=data_dir, datasets=["Nope"], methods=["rocket"])
    with pytest.raises(FileNotFoundError):
        run_ucr_benchmark(tmp_path, data_dir=tmp_path / "nowhere")
    with pytest.raises(ValueError, match="n_runs"):
        run_ucr_benchmark(tmp_path, data_dir=data_dir, n_runs=0)
    assert {"rocket", "minirocket", "multirocket"} <= set(available_methods())


def test_dask_local_cluster_same_results(tmp_path, data_dir):
    """A tiny benchmark on a dask.distributed LocalCluster (in-process, loopback only)."""
    distributed = pytest.importorskip("dask.distributed")
    pytest.importorskip("sklearn_geom.timeseries")
    kw = dict(
        data_dir=data_dir,
        methods=["minirocket", "test_raw_ridge"],
        n_runs=1,
        n_kernels=84,
        progress=False,
        verbose=False,
    )
    with distributed.LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        worker_addresses = set(cluster.scheduler_info["workers"])
        res = run_ucr_benchmark(
            tmp_path / "dask", backend="dask", scheduler=cluster.scheduler_address, n_jobs=2, **kw
        )
    assert res.n_new == 4 and res.n_errors == 0
    rows = _ok_rows(tmp_path / "dask")
    assert len(rows) == 4 and {r["worker"] for r in rows} <= worker_addresses
    local = run_ucr_benchmark(tmp_path / "local", **kw)
    acc = lambda rs: sorted((r["dataset"], r["method"], r["accuracy"]) for r in rs)  # noqa: E731
    assert acc(rows) == acc(_ok_rows(tmp_path / "local"))
    assert local.critical_difference is not None
    assert len(local.critical_difference.mean_ranks) == 2


def test_cli_end_to_end(tmp_path, data_dir, capsys):
    """The command line on a tiny config: the default methods (the three ROCKET kinds and
    Detach-ROCKET), 84 kernels, 1 run."""
    pytest.importorskip("sklearn_geom.timeseries")
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    argv = [
        "-o",
        str(out),
        "--data-dir",
        str(data_dir),
        "--runs",
        "1",
        "--n-kernels",
        "84",
        "--no-progress",
        "--test",
        "wilcoxon-holm",
    ]
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert "## Accuracy (mean ± sd over runs)" in printed.out and "mean rank" in printed.out
    rows = load_results(out)
    assert len(rows) == 8 and all(r["status"] == "ok" for r in rows)
    assert {r["method"] for r in rows} == {"rocket", "minirocket", "multirocket", "detach_rocket"}
    assert "## Pruning (Detach-ROCKET)" in printed.out
    assert all(0.5 <= r["accuracy"] <= 1 for r in rows)  # the signal is easy
    for f in ("summary.csv", "report.md", "cd_diagram.png", "config.json"):
        assert (out / f).is_file() and (out / f).stat().st_size > 0
    assert json.loads((out / "config.json").read_text())["n_kernels"] == 84
    assert main(argv) == 0  # resume: nothing left to do
    assert "0 tasks run, 8 already done" in capsys.readouterr().err
    assert len(summarize_results(load_results(out))) == 8


def test_module_entry_point_lists_datasets(data_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "sklearn_geom.benchmark.ucr", "--list", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["TinyA", "TinyB"]
    assert "RuntimeWarning" not in proc.stderr


def test_console_script(data_dir):
    exe = shutil.which("sklearn-geom-ucr")
    if exe is None:
        pytest.skip("console script not installed (pip install -e . to get sklearn-geom-ucr)")
    proc = subprocess.run(
        [exe, "--list", "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["TinyA", "TinyB"]


def test_loky_processes_runtime_registered_method(tmp_path, data_dir):
    """Two loky worker processes; the method is registered here, at run time, by a
    local closure (the factory travels with each task).  Same rows as in-process."""

    def factory(*, random_state=None, n_jobs=None):
        return _raw_ridge(random_state=random_state)

    kw = dict(
        data_dir=data_dir,
        methods=["test_local_closure"],
        n_runs=2,
        progress=False,
        verbose=False,
    )
    with registered_method("test_local_closure", factory):
        res = run_ucr_benchmark(tmp_path / "loky", n_jobs=2, backend="loky", **kw)
        assert res.n_new == 4 and res.n_errors == 0
        workers = {r["worker"] for r in _ok_rows(tmp_path / "loky")}
        assert not any(w.endswith(f":{os.getpid()}") for w in workers)  # other processes
        run_ucr_benchmark(tmp_path / "seq", n_jobs=1, **kw)
    acc = lambda out: sorted(  # noqa: E731
        (r["dataset"], r["run"], r["accuracy"]) for r in _ok_rows(out)
    )
    assert acc(tmp_path / "loky") == acc(tmp_path / "seq")


# ------------------------------------------------------------------ generic method parameters
def _ridge_alpha(*, random_state=None, n_jobs=None, alpha=1.0, scale=True):
    """A method with other knobs than n_kernels."""
    from sklearn.linear_model import RidgeClassifier

    steps = [StandardScaler()] if scale else []
    return make_pipeline(*steps, RidgeClassifier(alpha=alpha))


def test_method_with_other_parameters(tmp_path, data_dir):
    """Parameters reach the factory (defaults, then method_params); the rows record them,
    and the accuracy equals a direct fit with those parameters (numpy reference)."""
    with registered_method("test_alpha", _ridge_alpha, params={"alpha": 3.0}):
        res = run_ucr_benchmark(
            tmp_path,
            data_dir=data_dir,
            datasets=["TinyA"],
            methods=["test_alpha"],
            method_params={"test_alpha": {"scale": False}},
            n_runs=1,
            progress=False,
            verbose=False,
        )
        assert res.n_errors == 0
        (row,) = load_results(tmp_path)
        assert row["params"] == {"alpha": 3.0, "scale": False}
        Xtr, ytr, Xte, yte = load_ucr("TinyA", path=data_dir)
        pred = _ridge_alpha(alpha=3.0, scale=False).fit(Xtr, ytr).predict(Xte)
        assert row["accuracy"] == pytest.approx(np.mean(pred == yte))
        # another value of a parameter into the same folder is refused
        with pytest.raises(BenchmarkError, match="params of test_alpha"):
            run_ucr_benchmark(
                tmp_path,
                data_dir=data_dir,
                datasets=["TinyA"],
                methods=["test_alpha"],
                n_runs=1,
                progress=False,
                verbose=False,
            )
        with pytest.raises(BenchmarkError, match="not run"):
            run_ucr_benchmark(
                tmp_path / "x", data_dir=data_dir, methods=["test_alpha"],
                method_params={"nope": {}},
            )
    assert "test_alpha" not in available_methods()


# ------------------------------------------------------------------- warm-up and wall time
_FIT_SIZES = []


class _Recorder(StandardScaler):
    def fit(self, X, y=None, **kw):
        _FIT_SIZES.append(len(X))
        return super().fit(X, y, **kw)


def _recording(*, random_state=None, n_jobs=None):
    return make_pipeline(_Recorder(), RidgeClassifierCV())


def test_warmup_on_tiny_slice_then_timed(tmp_path, data_dir):
    """Before its first timed fit in a process, a method is fitted once on 4 cases (2 per
    class): compilation is timed apart (``warmup_time``), later tasks are warm (0.0)."""
    _FIT_SIZES.clear()
    with registered_method("test_recording", _recording):
        run_ucr_benchmark(
            tmp_path,
            data_dir=data_dir,
            datasets=["TinyA"],
            methods=["test_recording"],
            n_runs=2,
            progress=False,
            verbose=False,
        )
    assert _FIT_SIZES == [4, 16, 16]
    rows = sorted(load_results(tmp_path), key=lambda r: r["run"])
    assert rows[0]["warmup_time"] is not None and rows[0]["warmup_time"] >= 0
    assert rows[1]["warmup_time"] == 0.0
    report = (tmp_path / "report.md").read_text()
    assert "without compilation" in report and "warm-up" in report


def test_resumed_run_keeps_first_wall_time(tmp_path, data_dir):
    kw = dict(data_dir=data_dir, methods=["test_raw_ridge"], progress=False, verbose=False)
    first = run_ucr_benchmark(tmp_path, n_runs=1, **kw)
    again = run_ucr_benchmark(tmp_path, n_runs=1, **kw)
    assert again.n_new == 0
    assert again.wall_time_total == pytest.approx(first.wall_time_total)
    assert f"Wall time: {first.wall_time_total:.1f} s over 1 invocation" in again.report
    more = run_ucr_benchmark(tmp_path, n_runs=2, **kw)
    inv = [json.loads(ln) for ln in (tmp_path / "invocations.jsonl").read_text().splitlines()]
    assert [i["n_done"] for i in inv] == [2, 2]  # the empty resume is not an invocation
    assert more.wall_time_total == pytest.approx(sum(i["wall_time"] for i in inv))


# ------------------------------------------------------------------- command-line errors
@pytest.mark.parametrize(
    "extra, match",
    [
        (["--datasets", "NoSuchSet"], "Unknown data set"),
        (["--methods", "nosuchmethod"], "Unknown method"),
        (["--method-param", "oops"], "METHOD:KEY=VALUE"),
    ],
)
def test_cli_user_errors_one_line(tmp_path, data_dir, capsys, extra, match):
    argv = ["-o", str(tmp_path / "o"), "--data-dir", str(data_dir), "--no-progress", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sklearn-geom-ucr: error:") and match in err
    assert "\n" not in err and "Traceback" not in err


def test_cli_missing_folder_and_resume_conflict(tmp_path, data_dir, capsys):
    assert main(["-o", str(tmp_path / "o"), "--data-dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert "does not exist" in err and "\n" not in err
    base = ["-o", str(tmp_path / "r"), "--data-dir", str(data_dir), "--methods",
            "test_raw_ridge", "--runs", "1", "--no-progress", "--no-plot"]
    assert main(base) == 0
    capsys.readouterr()
    assert main(base + ["--seed", "7"]) == 2
    err = capsys.readouterr().err.strip()
    assert "other settings" in err and "base_seed" in err and "\n" not in err


_INTERRUPT = {"at_run": None}


def _interruptible(*, random_state=None, n_jobs=None):
    if _INTERRUPT["at_run"] is not None and random_state == _INTERRUPT["at_run"]:
        raise KeyboardInterrupt
    return _raw_ridge(random_state=random_state)


def test_cli_ctrl_c_then_resume(tmp_path, data_dir, capsys):
    """Ctrl-C during a run: exit 130, one message, finished rows kept; the rerun resumes."""
    argv = ["-o", str(tmp_path), "--data-dir", str(data_dir), "--datasets", "TinyA",
            "--methods", "test_interrupt", "--runs", "3", "--no-progress", "--no-plot"]
    with registered_method("test_interrupt", _interruptible):
        _INTERRUPT["at_run"] = 1
        try:
            assert main(argv) == 130
        finally:
            _INTERRUPT["at_run"] = None
        err = capsys.readouterr().err
        assert "interrupted" in err and "resume" in err and "Traceback" not in err
        assert [r["run"] for r in load_results(tmp_path)] == [0]
        assert main(argv) == 0
        assert "2 tasks run, 1 already done" in capsys.readouterr().err


def test_cli_sigint_subprocess(tmp_path, data_dir):
    """A real SIGINT to the command line process: no traceback, status 130, rows kept."""
    script = textwrap.dedent(
        """
        import sys, time
        from sklearn.base import BaseEstimator, TransformerMixin
        from sklearn.linear_model import RidgeClassifierCV
        from sklearn.pipeline import make_pipeline
        from sklearn_geom.benchmark import register_method
        from sklearn_geom.benchmark.ucr import main

        class Slow(TransformerMixin, BaseEstimator):
            def fit(self, X, y=None):
                return self
            def transform(self, X):
                time.sleep(0.3)
                return X

        register_method("slow", lambda **kw: make_pipeline(Slow(), RidgeClassifierCV()))
        sys.exit(main(sys.argv[1:]))
        """
    )
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", script, "-o", str(out), "--data-dir", str(data_dir),
           "--methods", "slow", "--runs", "50", "--no-progress", "--no-plot", "--no-warmup"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(load_results(out)) < 1:
            time.sleep(0.2)
        assert load_results(out), "no task finished"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert 1 <= len(load_results(out)) < 100


# ----------------------------------------------------------------------- merge across machines
def test_results_from_two_machines_merge(tmp_path, data_dir):
    """Two folders, each with part of the tasks (as two machines would), merge into one whose
    summary equals the one of a single run of everything."""
    kw = dict(data_dir=data_dir, methods=["test_raw_ridge"], n_runs=2, progress=False,
              verbose=False)
    run_ucr_benchmark(tmp_path / "m1", datasets=["TinyA"], **kw)
    run_ucr_benchmark(tmp_path / "m2", datasets=["TinyB"], **kw)
    assert merge_results([tmp_path / "m1", tmp_path / "m2"], tmp_path / "merged") == 4
    resumed = run_ucr_benchmark(tmp_path / "merged", **kw)
    assert resumed.n_new == 0 and resumed.n_skipped == 4
    single = run_ucr_benchmark(tmp_path / "single", **kw)
    key = lambda s: (s["dataset"], s["accuracy_mean"], s["accuracy_std"])  # noqa: E731
    assert sorted(map(key, resumed.summary)) == sorted(map(key, single.summary))
    run_ucr_benchmark(tmp_path / "m3", datasets=["TinyA"], base_seed=3, **kw)
    with pytest.raises(BenchmarkError, match="other settings"):
        merge_results([tmp_path / "m1", tmp_path / "m3"], tmp_path / "bad")
    # the command line merges and reports without running anything (no data needed)
    argv = ["-o", str(tmp_path / "cli"), "--merge", str(tmp_path / "m1"), str(tmp_path / "m2"),
            "--no-plot", "--no-progress"]
    assert main(argv) == 0
    report = (tmp_path / "cli" / "report.md").read_text()
    assert "| TinyA |" in report and "| TinyB |" in report
    assert len(load_results(tmp_path / "cli")) == 4


# --------------------------------------------------- every data set runs: NaN, unequal length
@pytest.fixture(scope="module")
def odd_dir(tmp_path_factory):
    """A set with NaN (start, middle, end), an unequal-length set, and two multivariate sets."""
    root = tmp_path_factory.mktemp("odd")
    rng = np.random.default_rng(1)

    def signal(n, T, channels=None):
        y = np.array(["up", "down"] * (n // 2))
        t = np.linspace(0, 1, T)
        shape = (n, T) if channels is None else (n, channels, T)
        sign = np.where(y == "up", 1, -1)
        X = rng.normal(scale=0.5, size=shape)
        X += (sign[:, None] * t) if channels is None else (sign[:, None, None] * t)
        return X, y

    for name, kind in (("Gappy", "nan"), ("Ragged", "vary"), ("MultiA", 2), ("MultiB", 3)):
        (root / name).mkdir()
        for split, n in (("TRAIN", 16), ("TEST", 12)):
            if kind == "nan":
                X, y = signal(n, 40)
                X[0, :3] = np.nan
                X[1, 10:14] = np.nan
                X[2, -2:] = np.nan
            elif kind == "vary":
                X0, y = signal(n, 40)
                X = [x[: 30 + (i % 3) * 5] for i, x in enumerate(X0)]
            else:
                X, y = signal(n, 30, channels=kind)
            write_ts(root / name / f"{name}_{split}.ts", X, y)
    return root


def test_missing_values_and_unequal_lengths_run(tmp_path, odd_dir):
    """Default (interpolate, native lists through RocketTransformer's unequal-length path):
    every set runs; with missing_values="keep" the transform refuses NaN (a failed task);
    variable_length="pad" gives the same accuracy as padding by hand (numpy reference)."""
    pytest.importorskip("sklearn_geom.timeseries")
    kw = dict(data_dir=odd_dir, datasets=["Gappy", "Ragged"], methods=["minirocket"],
              n_runs=1, n_kernels=84, progress=False, verbose=False)
    res = run_ucr_benchmark(tmp_path / "default", **kw)
    assert res.n_errors == 0 and {s["dataset"] for s in res.summary} == {"Gappy", "Ragged"}
    rows = {r["dataset"]: r for r in load_results(tmp_path / "default")}
    assert rows["Ragged"]["length"] == "Vary"
    with pytest.warns(RuntimeWarning, match="NaN"):
        keep = run_ucr_benchmark(tmp_path / "keep", missing_values="keep", **kw)
    assert keep.n_errors == 1
    pad = run_ucr_benchmark(tmp_path / "pad", variable_length="pad", **kw)
    (row,) = [r for r in load_results(tmp_path / "pad") if r["dataset"] == "Ragged"]
    assert row["length"] == 40
    from sklearn_geom.benchmark import make_method

    Xtr, ytr, Xte, yte = load_ucr("Ragged", path=odd_dir)

    def by_hand(X):  # repeat each series' last value up to 40 points
        return np.stack([np.concatenate([x, np.full(40 - x.size, x[-1])]) for x in X])

    est = make_method("minirocket", random_state=0, n_kernels=84)
    pred = est.fit(by_hand(Xtr), ytr).predict(by_hand(Xte))
    assert row["accuracy"] == pytest.approx(np.mean(pred == yte))
    assert pad.n_errors == 0


def test_univariate_and_multivariate_ranked_apart(tmp_path, odd_dir):
    pytest.importorskip("sklearn_geom.timeseries")
    res = run_ucr_benchmark(
        tmp_path, data_dir=odd_dir, datasets=["Gappy", "Ragged", "MultiA", "MultiB"],
        methods=["rocket", "minirocket"], n_runs=1, n_kernels=84, progress=False,
        verbose=False,
    )
    cds = res.critical_differences
    assert cds["univariate"].n_datasets == 2 and cds["multivariate"].n_datasets == 2
    assert "univariate data sets (ranked apart)" in res.report
    assert "multivariate data sets (ranked apart)" in res.report
    uni = res.report.split("multivariate data sets (ranked apart)")[0]
    assert "| MultiA |" not in uni and "| Gappy |" in uni


def test_published_side_by_side_and_flag(tmp_path, data_dir):
    """Rows named after UCR sets get the published ROCKET accuracy beside ours (the value
    in the shipped table, read here with csv), and a set > 2 points below is flagged."""
    import csv
    from importlib import resources

    from sklearn.dummy import DummyClassifier

    text = resources.files("sklearn_geom.benchmark").joinpath(
        "data", "published_accuracy.csv"
    ).read_text()
    table = {(r["dataset"], r["method"]): float(r["accuracy"])
             for r in csv.DictReader(text.splitlines())}
    assert table[("GunPoint", "rocket")] == 1.0 and len(table) == 128 + 109 + 109
    root = tmp_path / "data"
    root.mkdir()
    shutil.copytree(data_dir / "TinyA", root / "GunPoint")
    for split in ("TRAIN", "TEST"):
        folder = root / "GunPoint"
        os.replace(folder / f"TinyA_{split}.ts", folder / f"GunPoint_{split}.ts")
    with registered_method("rocket", lambda **kw: DummyClassifier()):
        res = run_ucr_benchmark(tmp_path / "out", data_dir=root, methods=["rocket"], n_runs=1,
                                progress=False, verbose=False)
    (s,) = res.summary
    assert s["published_accuracy"] == table[("GunPoint", "rocket")]
    assert "| GunPoint | rocket | 0.5000 | 1.0000 | -50.00 **flagged** | rocket |" in res.report
    assert "More than 2 points below the published accuracy: GunPoint / rocket" in res.report
    assert available_methods().count("rocket") == 1  # the real one is back
    from sklearn_geom.benchmark import make_method

    assert "RocketTransformer" in repr(make_method("rocket", n_kernels=84))


# ------------------------------------------------ compilation happens in the warm-up only
_COMPILED = []


def _numba_row_stats():
    import numba

    @numba.njit(cache=False)
    def row_stats(X):
        out = np.empty((X.shape[0], 2))
        for i in range(X.shape[0]):
            out[i, 0] = X[i].mean()
            out[i, 1] = X[i].max()
        return out

    return row_stats


_ROW_STATS = []


class _NumbaStats(StandardScaler):
    """A transform whose numba kernel compiles on its first call (not cached on disk)."""

    def fit(self, X, y=None, **kw):
        return self

    def transform(self, X, copy=None):
        kernel = _ROW_STATS[0]
        before = len(kernel.signatures)
        F = kernel(np.ascontiguousarray(X, dtype=np.float64))
        _COMPILED.append((len(X), len(kernel.signatures) > before))
        return F


def _numba_method(*, random_state=None, n_jobs=None):
    return make_pipeline(_NumbaStats(), RidgeClassifierCV())


def test_compilation_only_in_warmup(tmp_path, data_dir):
    """A real numba kernel, compiled on first use: it compiles during the warm-up (4 training
    cases, 2 test cases) and never during the timed fit and predict (16 and 20 cases)."""
    _ROW_STATS[:] = [_numba_row_stats()]
    _COMPILED.clear()
    with registered_method("test_numba", _numba_method):
        run_ucr_benchmark(tmp_path, data_dir=data_dir, datasets=["TinyA"], methods=["test_numba"],
                          n_runs=1, progress=False, verbose=False)
    assert _COMPILED == [(4, True), (2, False), (16, False), (20, False)]
    _ROW_STATS[:] = [_numba_row_stats()]
    _COMPILED.clear()
    with registered_method("test_numba_cold", _numba_method):
        run_ucr_benchmark(tmp_path / "cold", data_dir=data_dir, datasets=["TinyA"],
                          methods=["test_numba_cold"], n_runs=1, warmup=False,
                          progress=False, verbose=False)
    assert _COMPILED == [(16, True), (20, False)]  # without warm-up the timed fit compiles


def test_unloadable_data_set_fails_its_tasks_only(tmp_path, data_dir):
    """A malformed file and a series with no value at all: those sets' tasks are recorded as
    failed with the reason (line number for the file), the other sets still run."""
    root = tmp_path / "data"
    shutil.copytree(data_dir / "TinyA", root / "TinyA")
    (root / "Broken").mkdir()
    head = "@problemName Broken\n@classLabel true a b\n@data\n"
    (root / "Broken" / "Broken_TRAIN.ts").write_text(head + "1,2,3:a\n1,x,3:b\n")
    (root / "Broken" / "Broken_TEST.ts").write_text(head + "1,2,3:a\n")
    no_values = [np.array([1.0, 2.0]), np.array([np.nan, np.nan])]
    write_ts(root / "Empty_TRAIN.ts", no_values, ["a", "b"])
    write_ts(root / "Empty_TEST.ts", [np.array([1.0, 2.0])], ["a"])
    with pytest.warns(RuntimeWarning, match="failed"):
        res = run_ucr_benchmark(tmp_path / "out", data_dir=root, methods=["test_raw_ridge"],
                                datasets=["TinyA", "Broken", "Empty"], n_runs=1,
                                progress=False, verbose=False)
    assert res.n_errors == 2 and [s["dataset"] for s in res.summary] == ["TinyA"]
    errors = {r["dataset"]: r["error"] for r in load_results(tmp_path / "out")
              if r["status"] == "error"}
    assert "line 5: value 'x' is not a number" in errors["Broken"]
    assert "no values" in errors["Empty"]


def test_interpolation_as_a_pipeline_step(tmp_path, odd_dir):
    """missing_values="keep" with FunctionTransformer(interpolate_missing) as the first step of
    the method's pipeline gives the accuracy of the default (interpolation at loading)."""
    pytest.importorskip("sklearn_geom.timeseries")
    from sklearn_geom.benchmark import make_method
    from sklearn_geom.datasets import interpolate_missing

    def imputing_minirocket(*, random_state=None, n_jobs=None):
        inner = make_method("minirocket", random_state=random_state, n_jobs=n_jobs, n_kernels=84)
        return make_pipeline(FunctionTransformer(interpolate_missing), *inner.named_steps.values())

    kw = dict(data_dir=odd_dir, datasets=["Gappy"], n_runs=1, progress=False, verbose=False)
    with registered_method("imputing", imputing_minirocket):
        kept = run_ucr_benchmark(tmp_path / "keep", methods=["imputing"], missing_values="keep",
                                 **kw)
    default = run_ucr_benchmark(tmp_path / "default", methods=["minirocket"], n_kernels=84, **kw)
    assert kept.n_errors == 0
    assert kept.summary[0]["accuracy_mean"] == default.summary[0]["accuracy_mean"]
