"""TwoNN from raw points: sklearn_geom against scikit-dimension and DADApy, side by side.

One run, same data for the three:

* ours:   ``sklearn_geom.dimension.TwoNN(n_jobs=-1).fit(X).dimension_`` (defaults otherwise:
  least squares, ``discard_fraction=0.1``);
* skdim:  ``skdim.id.TwoNN().fit(X).dimension_`` (defaults: linear fit, discard 0.1).  For
  D > 25 it sorts every full row of ``pairwise_distances_chunked(X)`` (no ``n_jobs``:
  the chunk loop is single-threaded, numpy's BLAS uses its own threads), for D <= 25 it
  calls ``NearestNeighbors(n_neighbors=2, n_jobs=1)``;
* DADApy: ``Data(X).compute_id_2NN()`` (defaults: linear fit, ``mu_fraction=0.9``), run in
  its own virtual environment (numpy < 2) through ``benchmarks/_peers.py``, timed inside
  the subprocess around ``Data(X)`` + ``compute_id_2NN()`` only.  Its defaults compute
  ``maxk = min(100, N - 1)`` neighbours with ``NearestNeighbors(n_jobs=cpu_count())``
  (brute force at this D; sklearn's ArgKmin uses OpenMP threads on all cores).

Times are medians of ``--repeats`` runs (the machine is shared: see benchmarks/RESULTS.md);
the three are interleaved per repeat so that load hits them alike.  Ratios are peer time /
our time: "ratio" of the medians, "paired" the median of the per-repeat ratios (used in the
final table; more robust to load spikes).  Our first call (numba compilation / cache load)
is a warm-up, not timed.

Data
----
``manifold``: a 10-D standard Gaussian embedded linearly in R^D (random orthonormal
basis) plus isotropic Gaussian noise of standard deviation 1e-3 in all D coordinates,
float64, seed 0.  ``cube``: uniform points in the unit 3-D cube (the duplicate
case).  Variant ``dup2%``: 2% of the rows (chosen at random) overwritten with copies of
other rows, N unchanged (DADApy does not remove duplicates before counting N).

Usage::

    python benchmarks/twonn.py                        # default grid, 3 repeats (~15 min)
    python benchmarks/twonn.py --sizes 20000x128 --repeats 5
    python benchmarks/twonn.py --no-skdim --no-dadapy  # ours only
"""

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import PeerUnavailable, dadapy_python, dadapy_twonn  # noqa: E402

INTRINSIC_DIM = 10
NOISE = 1e-3
DUP_FRACTION = 0.02


def make_manifold(n, d_ambient, d_intrinsic=INTRINSIC_DIM, noise=NOISE, seed=0):
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((d_ambient, d_intrinsic)))
    Z = rng.standard_normal((n, d_intrinsic))
    return Z @ basis.T + noise * rng.standard_normal((n, d_ambient))


def make_cube(n, d=3, seed=0):
    return np.random.default_rng(seed).uniform(size=(n, d))


def with_duplicates(X, fraction=DUP_FRACTION, seed=1):
    """Overwrite ``fraction`` of the rows with copies of other (distinct) rows."""
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    m = int(round(fraction * n))
    perm = rng.permutation(n)
    targets, sources = perm[:m], perm[m : 2 * m]
    X = X.copy()
    X[targets] = X[sources]
    return X


def run_ours(X, **kw):
    from sklearn_geom.dimension import TwoNN

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        est = TwoNN(n_jobs=-1, **kw).fit(X)
        seconds = time.perf_counter() - t0
    return dict(
        dimension=est.dimension_,
        seconds=seconds,
        note=f"dup={est.n_duplicates_} ties={est.n_ties_} N_used={est.n_samples_used_}",
        warnings=[str(w.message) for w in caught],
    )


def run_skdim(X, **kw):
    import skdim

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        try:
            d = skdim.id.TwoNN(**kw).fit(X).dimension_
            exc = None
        except Exception as e:  # report a peer crash in the table
            d, exc = float("nan"), f"{type(e).__name__}: {e}"
        seconds = time.perf_counter() - t0
    return dict(
        dimension=float(d),
        seconds=seconds,
        note=exc or "",
        warnings=[str(w.message) for w in caught],
    )


def run_dadapy(X, **kw):
    (res,) = dadapy_twonn(X, **kw)
    d = res["dimension"]
    return dict(
        dimension=float("nan") if d is None else d,
        seconds=res["seconds"],
        note=res["exception"] or f"maxk={res['maxk']} n_jobs={res['n_jobs']}",
        warnings=res["warnings"],
    )


def distinct_reference(X, method="ls"):
    """Reference for the duplicate variants: the estimate on the distinct rows only.

    The rows are de-duplicated with ``np.unique`` (exact copies, as made by
    ``with_duplicates``); the estimate is scikit-dimension's (an independent
    implementation) when installed, else ours.
    """
    U = np.unique(X, axis=0)
    try:
        import skdim

        kw = dict(method="mle", discard_fraction=0.0) if method == "mle" else {}
        return skdim.id.TwoNN(**kw).fit(U).dimension_, U.shape[0], "skdim"
    except ImportError:
        kw = dict(method="mle", discard_fraction=0.0) if method == "mle" else {}
        return run_ours(U, **kw)["dimension"], U.shape[0], "ours"


def bench(name, X, peers, repeats, ours_kw=None, skdim_kw=None, dadapy_kw=None, ref=False):
    """Interleaved repeats of the three; returns {lib: dict(median, times, dimension, note)}."""
    runners = {"ours": (run_ours, ours_kw or {})}
    if "skdim" in peers:
        runners["skdim"] = (run_skdim, skdim_kw or {})
    if "dadapy" in peers:
        runners["dadapy"] = (run_dadapy, dadapy_kw or {})
    results = {lib: [] for lib in runners}
    for _ in range(repeats):
        for lib, (fn, kw) in runners.items():
            results[lib].append(fn(X, **kw))
    out = {}
    for lib, runs in results.items():
        times = [r["seconds"] for r in runs]
        dims = {round(r["dimension"], 6) for r in runs if np.isfinite(r["dimension"])}
        out[lib] = dict(
            median=statistics.median(times),
            times=times,
            dimension=runs[-1]["dimension"],
            deterministic=len(dims) <= 1,
            note=runs[-1]["note"],
            warnings=sorted({w[:120] for r in runs for w in r["warnings"]}),
        )
    print_block(name, X, out)
    if ref:
        d_ref, n_ref, who = distinct_reference(X, (ours_kw or {}).get("method", "ls"))
        print(f"reference: estimate on the {n_ref} distinct rows ({who}) = {d_ref:.3f}")
        out["reference"] = d_ref
    return out


def paired_ratio(out, lib):
    """Median over repeats of peer time / our time in the same repeat (the runs are
    interleaved, so a load spike hits both sides of a pair)."""
    return statistics.median(p / o for p, o in zip(out[lib]["times"], out["ours"]["times"]))


def print_block(name, X, out):
    n, d = X.shape
    print(f"\n== {name}: N={n}, D={d} ==")
    ours = out["ours"]["median"]
    print(
        f"{'library':8s} {'median s':>9s} {'runs (s)':>32s} {'ratio':>6s} {'paired':>6s} "
        f"{'estimate':>9s}  note"
    )
    for lib, r in out.items():
        runs = " ".join(f"{t:.3g}" for t in r["times"])
        ratio = "" if lib == "ours" else f"{r['median'] / ours:.1f}x"
        paired = "" if lib == "ours" else f"{paired_ratio(out, lib):.1f}x"
        flag = "" if r["deterministic"] else " (varies)"
        print(
            f"{lib:8s} {r['median']:9.3f} {runs:>32s} {ratio:>6s} {paired:>6s} "
            f"{r['dimension']:9.3f}  {r['note']}{flag}"
        )
        for w in r["warnings"]:
            print(f"{'':8s} warning: {w}")


def environment():
    import numba
    import sklearn

    import sklearn_geom

    lines = [
        f"python {platform.python_version()}, numpy {np.__version__}, sklearn "
        f"{sklearn.__version__}, numba {numba.__version__}, sklearn_geom "
        f"{sklearn_geom.__version__}, cores {os.cpu_count()}",
    ]
    try:
        import skdim

        lines.append(f"scikit-dimension {getattr(skdim, '__version__', '?')}")
    except ImportError:
        lines.append("scikit-dimension: not installed")
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i['internal_api']}({i['num_threads']})" for i in threadpool_info()]
        lines.append("thread pools: " + ", ".join(blas))
    except ImportError:
        pass
    return "\n".join(lines)


def parse_sizes(text):
    return [tuple(int(v) for v in s.lower().split("x")) for s in text.split(",") if s]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--sizes",
        default="5000x128,20000x128,50000x128,20000x16",
        help="NxD list, manifold data",
    )
    p.add_argument(
        "--dup-size", default="20000x128", help="NxD of the manifold run repeated with 2%% dups"
    )
    p.add_argument(
        "--skdim-max-n",
        type=int,
        default=20000,
        help="skip scikit-dimension above this N (its D > 25 path sorts full rows: O(N^2 log N))",
    )
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--no-skdim", action="store_true")
    p.add_argument("--no-dadapy", action="store_true")
    p.add_argument("--no-duplicates", action="store_true", help="skip the 2%% duplicate runs")
    args = p.parse_args(argv)

    peers = []
    if not args.no_skdim:
        try:
            import skdim  # noqa: F401

            peers.append("skdim")
        except ImportError:
            print("scikit-dimension not installed (pip install scikit-dimension): skipped")
    if not args.no_dadapy:
        try:
            print(f"DADApy interpreter: {dadapy_python()}")
            peers.append("dadapy")
        except PeerUnavailable as exc:
            print(f"DADApy skipped: {exc}")
    print(environment())

    # warm-up: numba compilation or cache load, not timed
    run_ours(make_manifold(500, 16))

    summary = []
    for n, d in parse_sizes(args.sizes):
        X = make_manifold(n, d)
        name = f"manifold {INTRINSIC_DIM}-D in {d}-D + noise {NOISE:g}"
        these = [q for q in peers if q != "skdim" or n <= args.skdim_max_n]
        if these != peers:
            print(f"\n(scikit-dimension skipped at N={n} > --skdim-max-n={args.skdim_max_n})")
        summary.append((name, X.shape, bench(name, X, these, args.repeats)))
        if not args.no_duplicates and (n, d) == parse_sizes(args.dup_size)[0]:
            Xd = with_duplicates(X)
            summary.append(
                (
                    name + ", dup2%",
                    Xd.shape,
                    bench(name + ", dup2%", Xd, these, args.repeats, ref=True),
                )
            )
    if not args.no_duplicates:
        # the duplicate case: uniform 3-D cube, N = 5000, clean and with 2% duplicated rows
        C = make_cube(5000)
        for label, data in (("cube 3-D", C), ("cube 3-D, dup2%", with_duplicates(C))):
            dup = "dup" in label
            summary.append(
                (label, data.shape, bench(label, data, peers, args.repeats, ref=dup))
            )
            summary.append(
                (
                    label + ", ML",
                    data.shape,
                    bench(
                        label + ", ML (ours method='mle', discard 0; DADApy algorithm='ml')",
                        data,
                        [q for q in peers if q == "dadapy"],
                        1,
                        ours_kw=dict(method="mle", discard_fraction=0.0),
                        dadapy_kw=dict(algorithm="ml"),
                        ref=dup,
                    ),
                )
            )

    # markdown table for benchmarks/RESULTS.md
    print("\nTimes: medians; ratios: median of the per-repeat ratios (peer / ours).\n")
    print("| data | N x D | ours s | skdim s | DADApy s | skdim/ours | DADApy/ours "
          "| ID ours | ID skdim | ID DADApy | ID distinct rows |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, shape, out in summary:
        o = out["ours"]

        def cell(lib, key):
            if lib not in out:
                return "-"
            r = out[lib]
            if key == "t":
                return f"{r['median']:.3g}"
            if key == "r":
                return f"{paired_ratio(out, lib):.1f}x"
            return f"{r['dimension']:.3f}" if np.isfinite(r["dimension"]) else "crash/NaN"

        print(
            f"| {name} | {shape[0]} x {shape[1]} | {o['median']:.3g} | {cell('skdim', 't')} | "
            f"{cell('dadapy', 't')} | {cell('skdim', 'r')} | {cell('dadapy', 'r')} | "
            f"{o['dimension']:.3f} | {cell('skdim', 'd')} | {cell('dadapy', 'd')} | "
            + (f"{out['reference']:.3f} |" if "reference" in out else "- |")
        )


if __name__ == "__main__":
    main()
