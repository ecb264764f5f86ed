"""ROCKET family: transform time of sklearn_geom's RocketTransformer vs aeon and sktime.

Side by side in one run, on the same data, with the same number of kernels/features:

- ROCKET: 10,000 kernels (20,000 features), per-series normalisation on for everyone;
- MiniRocket: 10,000 features (9,996), no normalisation (the peers have none);
- MultiRocket: 6,250 combinations per representation (49,728 features), no normalisation.

Each transform is timed on the test split of bundled UCR/UEA sets, after a warm-up call
(so numba compilation is excluded), best of ``--repeats``; single thread (``n_jobs=1``)
and all threads (``n_jobs=-1``).  Ratios are peer time / our time (> 1: we are faster).

First-call times (import + fit + transform of a small set, which includes numba
compilation or cache loading) are measured in fresh subprocesses: "uncached" with
``NUMBA_CACHE_DIR`` pointing to a new empty directory, "cached" with a second process on
the same directory.

Usage::

    NUMBA_CACHE_DIR=~/.cache/sklearn_geom/numba python benchmarks/rocket.py
    python benchmarks/rocket.py --datasets GunPoint --repeats 1 --no-first-call
    python benchmarks/rocket.py --fit-transform --kinds multirocket --libs ours aeon

``--fit-transform`` times what one task of the main job pays instead: fit on the train
split, then transform the train and the test split (default data sets ACSF1 and OSULeaf).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

DATASETS = ["GunPoint", "ItalyPowerDemand", "OSULeaf", "BasicMotions"]
KINDS = ["rocket", "minirocket", "multirocket"]
N = {"rocket": 10_000, "minirocket": 10_000, "multirocket": 6_250}


def load(name):
    from aeon.datasets import load_classification

    Xtr, _ = load_classification(name, split="train")
    Xte, _ = load_classification(name, split="test")
    return Xtr.astype(np.float64), Xte.astype(np.float64)


def make(lib, kind, n_channels, n_jobs):
    """Transformer of ``lib`` for ``kind`` with the same kernels budget, or None."""
    n = N[kind]
    norm = kind == "rocket"
    if lib == "ours":
        from sklearn_geom.timeseries import RocketTransformer

        return RocketTransformer(
            kind=kind, n_kernels=n, normalize=norm, n_jobs=n_jobs, random_state=0
        )
    if lib == "aeon":
        from aeon.transformations.collection.convolution_based import (
            MiniRocket,
            MultiRocket,
            Rocket,
        )

        cls = {"rocket": Rocket, "minirocket": MiniRocket, "multirocket": MultiRocket}[kind]
        return cls(n_kernels=n, n_jobs=n_jobs, random_state=0)
    if lib == "sktime":
        from sktime.transformations import rocket as sk

        if kind == "rocket":
            return sk.Rocket(num_kernels=n, normalise=True, n_jobs=n_jobs, random_state=0)
        if kind == "minirocket":
            cls = sk.MiniRocket if n_channels == 1 else sk.MiniRocketMultivariate
            return cls(num_kernels=n, n_jobs=n_jobs, random_state=0)
        cls = sk.MultiRocket if n_channels == 1 else sk.MultiRocketMultivariate
        return cls(num_kernels=n, n_jobs=n_jobs, random_state=0)
    raise ValueError(lib)


def best_time(f, repeats):
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return min(out)


def bench_transform(datasets, repeats, libs):
    import numba

    rows = []
    threads = [1, numba.config.NUMBA_NUM_THREADS]
    for name in datasets:
        Xtr, Xte = load(name)
        for kind in KINDS:
            for nj in threads:
                res = {}
                for lib in libs:
                    est = make(lib, kind, Xtr.shape[1], -1 if nj > 1 else 1)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        est.fit(Xtr)
                        est.transform(Xte[:2])  # warm-up: compile / load the cache
                        res[lib] = best_time(lambda: est.transform(Xte), repeats)
                row = dict(dataset=name, shape=Xte.shape, kind=kind, threads=nj, **res)
                rows.append(row)
                ratios = "  ".join(
                    f"{lib}/ours={res[lib] / res['ours']:.2f}" for lib in libs if lib != "ours"
                )
                times = "  ".join(f"{lib}={res[lib]:.3f}s" for lib in libs)
                print(f"{name:16s} {kind:11s} threads={nj}  {times}  {ratios}", flush=True)
    return rows


def bench_fit_transform(datasets, kinds, repeats, libs):
    """Fit on the train split, transform train and test: the cost one task of the main job
    pays (numba compilation excluded by a warm-up on a few series); best of ``repeats``,
    libraries interleaved."""
    import numba

    rows = []
    threads = [1, numba.config.NUMBA_NUM_THREADS]
    for name in datasets:
        Xtr, Xte = load(name)
        for kind in kinds:
            for nj in threads:
                ests = {lib: make(lib, kind, Xtr.shape[1], -1 if nj > 1 else 1) for lib in libs}

                def job(est):
                    est.fit(Xtr)
                    est.transform(Xtr)
                    est.transform(Xte)

                res = {lib: np.inf for lib in libs}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for est in ests.values():
                        est.fit(Xtr[:3])
                        est.transform(Xte[:2])  # warm-up: compile / load the cache
                    for _ in range(repeats):
                        for lib, est in ests.items():
                            res[lib] = min(res[lib], best_time(lambda est=est: job(est), 1))
                row = dict(dataset=name, shape=Xtr.shape + Xte.shape[:1], kind=kind, threads=nj)
                rows.append({**row, **res})
                ratios = "  ".join(
                    f"{lib}/ours={res[lib] / res['ours']:.2f}" for lib in libs if lib != "ours"
                )
                times = "  ".join(f"{lib}={res[lib]:.3f}s" for lib in libs)
                print(
                    f"fit+transform {name:12s} {kind:11s} threads={nj}  {times}  {ratios}",
                    flush=True,
                )
    return rows


_FIRST_CALL = r"""
import time, warnings
t0 = time.perf_counter()
import numpy as np
rng = np.random.RandomState(0)
X = np.cumsum(rng.normal(size=(20, 1, 100)), axis=-1)
lib, kind = "{lib}", "{kind}"
if lib == "ours":
    from sklearn_geom.timeseries import RocketTransformer
    est = RocketTransformer(kind=kind, n_kernels=500, normalize=kind == "rocket")
else:
    from aeon.transformations.collection.convolution_based import Rocket, MiniRocket, MultiRocket
    est = dict(rocket=Rocket, minirocket=MiniRocket, multirocket=MultiRocket)[kind](n_kernels=500)
t1 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    est.fit(X)
    est.transform(X)
t2 = time.perf_counter()
print(f"{{t1 - t0:.3f}} {{t2 - t1:.3f}}")
"""


def bench_first_call(libs):
    rows = []
    for kind in KINDS:
        for lib in libs:
            if lib == "sktime":
                continue
            with tempfile.TemporaryDirectory() as cache:
                env = dict(os.environ, NUMBA_CACHE_DIR=cache)
                code = _FIRST_CALL.format(lib=lib, kind=kind)
                res = {}
                for label in ("uncached", "cached"):
                    out = subprocess.run(
                        [sys.executable, "-c", code],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.split()
                    res[label] = float(out[1])
                    res[label + "_import"] = float(out[0])
            rows.append(dict(kind=kind, lib=lib, **res))
            print(
                f"first call {kind:11s} {lib:6s} uncached={res['uncached']:.2f}s "
                f"cached={res['cached']:.2f}s (import {res['cached_import']:.2f}s)",
                flush=True,
            )
    return rows


def markdown(rows, first, libs):
    lines = [
        "| data set (shape) | variant | threads | "
        + " | ".join(f"{lib} (s)" for lib in libs)
        + " | "
        + " | ".join(f"{lib}/ours" for lib in libs if lib != "ours")
        + " |",
        "|" + "---|" * (3 + len(libs) + len(libs) - 1),
    ]
    for r in rows:
        lines.append(
            f"| {r['dataset']} {r['shape']} | {r['kind']} | {r['threads']} | "
            + " | ".join(f"{r[lib]:.3f}" for lib in libs)
            + " | "
            + " | ".join(f"{r[lib] / r['ours']:.2f}" for lib in libs if lib != "ours")
            + " |"
        )
    if first:
        lines += [
            "",
            "| first call (fit + transform, 20x100, 500 kernels) | lib | uncached (s) | "
            "cached (s) |",
            "|---|---|---|---|",
        ]
        for r in first:
            lines.append(f"| {r['kind']} | {r['lib']} | {r['uncached']:.2f} | {r['cached']:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--datasets", nargs="+", default=DATASETS)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--libs", nargs="+", default=["ours", "aeon", "sktime"])
    p.add_argument("--no-first-call", action="store_true")
    p.add_argument(
        "--fit-transform",
        action="store_true",
        help="time fit(train) + transform(train) + transform(test) instead (the main job's "
        "cost per task); default data sets ACSF1 and OSULeaf",
    )
    p.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS)
    args = p.parse_args(argv)
    if args.fit_transform:
        datasets = args.datasets if args.datasets != DATASETS else ["ACSF1", "OSULeaf"]
        rows = bench_fit_transform(datasets, args.kinds, args.repeats, args.libs)
        print()
        print(markdown(rows, [], args.libs))
        return
    first = [] if args.no_first_call else bench_first_call(args.libs)
    rows = bench_transform(args.datasets, args.repeats, args.libs)
    print()
    print(markdown(rows, first, args.libs))


if __name__ == "__main__":
    main()
