"""The main job with our transforms and with aeon's, side by side in one run.

The main job: the five UCR sets bundled with the sktime/aeon wheels (ACSF1, ArrowHead,
GunPoint, ItalyPowerDemand, OSULeaf; default train/test split) x the three transforms
(ROCKET, MiniRocket, MultiRocket at each paper's size), each in the same pipeline
``transform -> StandardScaler -> RidgeClassifierCV(alphas=logspace(-3, 3, 10))``, one run
(``random_state=0``).  "ours" uses :class:`sklearn_geom.timeseries.RocketTransformer`
with its defaults (per-series z-normalisation on); "aeon" uses aeon's ``Rocket``,
``MiniRocket`` and ``MultiRocket`` with their defaults.  Both use all cores inside the
transform (``n_jobs=-1``).

Each task is timed as fit (transform of the train split + scaler + ridge) plus predict
(transform of the test split + prediction), wall clock, after a warm-up of every
transform on three series (numba compilation or cache loading excluded); ours and aeon
alternate task by task.  Ratio: aeon time / our time (> 1: we are faster).

Only public functions are used: :func:`sklearn_geom.datasets.load_ucr` (the data) and
``RocketTransformer``.

Usage::

    NUMBA_CACHE_DIR=~/.cache/sklearn_geom/numba python benchmarks/main_job_vs_aeon.py
    python benchmarks/main_job_vs_aeon.py --datasets GunPoint --kinds minirocket
"""

import argparse
import time
import warnings

import numpy as np

DATASETS = ["ACSF1", "ArrowHead", "GunPoint", "ItalyPowerDemand", "OSULeaf"]
KINDS = ["rocket", "minirocket", "multirocket"]


def transform(lib, kind, n_jobs, random_state):
    """The transform of ``lib`` for ``kind`` at the paper's default size."""
    if lib == "ours":
        from sklearn_geom.timeseries import RocketTransformer

        return RocketTransformer(kind=kind, n_jobs=n_jobs, random_state=random_state)
    from aeon.transformations.collection.convolution_based import (
        MiniRocket,
        MultiRocket,
        Rocket,
    )

    cls = {"rocket": Rocket, "minirocket": MiniRocket, "multirocket": MultiRocket}[kind]
    return cls(n_jobs=n_jobs, random_state=random_state)


def pipeline(lib, kind, n_jobs, random_state):
    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        transform(lib, kind, n_jobs, random_state),
        StandardScaler(),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
    )


def load(name):
    """Train and test split as 3-D float64 arrays (n_cases, 1, n_timepoints)."""
    from sklearn_geom.datasets import load_ucr

    Xtr, ytr, Xte, yte = load_ucr(name)
    Xtr = np.asarray(Xtr, dtype=np.float64)
    Xte = np.asarray(Xte, dtype=np.float64)
    if Xtr.ndim == 2:
        Xtr, Xte = Xtr[:, None, :], Xte[:, None, :]
    return Xtr, ytr, Xte, yte


def run(datasets, kinds, libs, n_jobs, random_state):
    rows = []
    for name in datasets:
        Xtr, ytr, Xte, yte = load(name)
        for kind in kinds:
            res = {}
            for lib in libs:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    warm = transform(lib, kind, n_jobs, random_state)
                    warm.fit(Xtr[:3])
                    warm.transform(Xte[:3])
                    model = pipeline(lib, kind, n_jobs, random_state)
                    t0 = time.perf_counter()
                    model.fit(Xtr, ytr)
                    t1 = time.perf_counter()
                    acc = float(np.mean(model.predict(Xte) == np.asarray(yte)))
                    t2 = time.perf_counter()
                res[lib] = dict(fit=t1 - t0, predict=t2 - t1, accuracy=acc)
            rows.append(dict(dataset=name, kind=kind, **res))
            line = "  ".join(
                f"{lib}: acc={r['accuracy']:.4f} fit={r['fit']:.2f}s predict={r['predict']:.2f}s"
                for lib, r in res.items()
            )
            ratio = ""
            if "aeon" in res and "ours" in res:
                ratio = f"  aeon/ours={total(res['aeon']) / total(res['ours']):.2f}"
            print(f"{name:16s} {kind:11s} {line}{ratio}", flush=True)
    return rows


def total(r):
    return r["fit"] + r["predict"]


def markdown(rows, libs):
    lines = [
        "| data set | method | "
        + " | ".join(f"accuracy {lib}" for lib in libs)
        + " | "
        + " | ".join(f"{lib} fit + predict (s)" for lib in libs)
        + " | aeon/ours |",
        "|" + "---|" * (3 + 2 * len(libs)),
    ]
    for r in rows:
        ratio = total(r["aeon"]) / total(r["ours"]) if "aeon" in r and "ours" in r else np.nan
        lines.append(
            f"| {r['dataset']} | {r['kind']} | "
            + " | ".join(f"{r[lib]['accuracy']:.4f}" for lib in libs)
            + " | "
            + " | ".join(f"{total(r[lib]):.2f}" for lib in libs)
            + f" | {ratio:.2f} |"
        )
    if "aeon" in libs and "ours" in libs:
        kinds = sorted({r["kind"] for r in rows}, key=KINDS.index)
        for kind in kinds + ["all"]:
            sel = [r for r in rows if kind == "all" or r["kind"] == kind]
            ours = sum(total(r["ours"]) for r in sel)
            aeon = sum(total(r["aeon"]) for r in sel)
            lines.append(
                f"| **total** | {kind} | | | {ours:.2f} | {aeon:.2f} | **{aeon / ours:.2f}** |"
            )
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--datasets", nargs="+", default=DATASETS)
    p.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS)
    p.add_argument("--libs", nargs="+", default=["ours", "aeon"], choices=["ours", "aeon"])
    p.add_argument("--n-jobs", type=int, default=-1)
    p.add_argument("--random-state", type=int, default=0)
    args = p.parse_args(argv)
    t = time.perf_counter()
    rows = run(args.datasets, args.kinds, args.libs, args.n_jobs, args.random_state)
    print(f"\nwall time {time.perf_counter() - t:.1f} s\n")
    print(markdown(rows, args.libs))


if __name__ == "__main__":
    main()
