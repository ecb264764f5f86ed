"""kNN engine against scikit-learn's NearestNeighbors, side by side in one run.

For each (N, D, k): our ``compute_knn`` (algorithm="auto", n_jobs=-1) and
``sklearn.neighbors.NearestNeighbors(n_neighbors=k, n_jobs=-1).fit(X).kneighbors()``
on the same float64 data (self excluded in both), best of ``--repeat`` runs,
alternating the two so that machine load hits both alike.  Each time is also
reported as a fraction of the GEMM bound: 2 N^2 D flops at the rate numpy's
float64 matmul reaches in the same run on a (2048 x D) @ (D x 2048) product.
(The engine's candidate pass runs its GEMM in float32, so it can beat that bound.)

Also: the tree/brute crossover that ``algorithm="auto"`` uses (``--crossover``),
the peak memory of one N = 100k, D = 512 search in a fresh process
(``--memory``), the default thread count against peers that use every core
(``--defaults``: ``TwoNN()`` against ``NearestNeighbors(n_neighbors=3)`` at
10k x 128, and 33 layers of 5000 x 8 points, k = 5, against scipy's cKDTree with
``workers=-1``), and faiss-cpu's exact ``IndexFlatL2`` side by side at k = 100 on
float32 data (``--faiss``; ``pip install faiss-cpu``, a benchmark-only extra).

Usage::

    python benchmarks/knn.py                      # the issue's grid (long: ~30 min on 2 cores)
    python benchmarks/knn.py --n 20000 --d 128 --k 2 100
    python benchmarks/knn.py --crossover
    python benchmarks/knn.py --memory
    python benchmarks/knn.py --defaults
    python benchmarks/knn.py --faiss --threads 2
    # the engine of an earlier commit side by side ("before"), in the same run:
    git archive <commit> sklearn_geom | tar -x -C /tmp/before
    python benchmarks/knn.py --faiss --threads 2 --before /tmp/before/sklearn_geom
"""

import argparse
import os
import platform
import subprocess
import sys
import time

import numpy as np

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)


def gemm_rate(X, size=2048, repeat=5):
    """FLOP/s numpy's matmul reaches on X's dtype, all threads, best of ``repeat``.

    Measured on a (size x D) @ (D x size) product of rows of X: large enough for
    BLAS to reach its peak, small enough that writing the product does not make it
    memory-bound (a full (4096 x N) product is, and understates the bound).
    """
    A = np.ascontiguousarray(X[:size])
    B = np.ascontiguousarray(X[size : 2 * size]) if X.shape[0] >= 2 * size else A
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        A @ B.T
        best = min(best, time.perf_counter() - t)
    return 2.0 * A.shape[0] * B.shape[0] * X.shape[1] / best


def time_call(fn, repeat):
    best = np.inf
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_grid(ns, ds, ks, repeat, dtype):
    from sklearn.neighbors import NearestNeighbors

    from sklearn_geom.neighbors import compute_knn
    from sklearn_geom.neighbors._knn import resolve_algorithm

    compute_knn(np.random.default_rng(0).normal(size=(300, 3)), 2, algorithm="brute")  # compile
    compute_knn(np.random.default_rng(0).normal(size=(300, 3)), 2, algorithm="kd_tree")
    rows = []
    print(
        f"{'N':>7} {'D':>4} {'k':>4} {'algo':>7} {'ours s':>8} {'sklearn s':>9} "
        f"{'ratio':>6} {'GEMM bound s':>12} {'ours/bound':>10} {'same':>5}"
    )
    for n in ns:
        for d in ds:
            rng = np.random.default_rng(n + d)
            X = rng.normal(size=(n, d)).astype(dtype)
            rate = gemm_rate(X)
            bound = 2.0 * n * n * d / rate
            for k in ks:
                t_ours = t_sk = np.inf
                for _ in range(repeat):  # alternate so load affects both alike
                    t, g = time_call(lambda: compute_knn(X, k, n_jobs=-1), 1)
                    t_ours = min(t_ours, t)
                    t, ref = time_call(
                        lambda: NearestNeighbors(n_neighbors=k, n_jobs=-1).fit(X).kneighbors(), 1
                    )
                    t_sk = min(t_sk, t)
                same = bool(np.allclose(g.distances, ref[0], rtol=1e-5, atol=1e-6))
                algo = resolve_algorithm("auto", d, k)
                row = dict(
                    n=n, d=d, k=k, algo=algo, ours=t_ours, sklearn=t_sk,
                    ratio=t_sk / t_ours, bound=bound, frac=bound / t_ours, same=same,
                )
                rows.append(row)
                print(
                    f"{n:>7} {d:>4} {k:>4} {algo:>7} {t_ours:>8.3f} {t_sk:>9.3f} "
                    f"{t_sk / t_ours:>6.2f} {bound:>12.3f} {bound / t_ours:>10.2f} {same!s:>5}",
                    flush=True,
                )
    return rows


def run_crossover(n, ks, repeat):
    from sklearn_geom.neighbors import compute_knn

    print(f"tree vs brute, N={n}, n_jobs=-1 (seconds; ratio = brute/tree, > 1: tree wins)")
    for d in (2, 3, 5, 8, 10, 12, 16, 20):
        X = np.random.default_rng(d).normal(size=(n, d))
        for k in ks:
            tt, _ = time_call(lambda: compute_knn(X, k, algorithm="kd_tree", n_jobs=-1), repeat)
            tb, _ = time_call(lambda: compute_knn(X, k, algorithm="brute", n_jobs=-1), repeat)
            print(f"D={d:>3} k={k:>4} tree {tt:8.3f}  brute {tb:8.3f}  ratio {tb / tt:6.2f}")


_MEM_CHILD = """
import resource, sys, numpy as np
from sklearn_geom.neighbors import compute_knn
n, d, k = map(int, sys.argv[1:4])
X = np.random.default_rng(0).normal(size=(n, d))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
g = compute_knn(X, k, algorithm="brute", n_jobs=-1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base / 2**20, peak / 2**20)
"""


def run_memory(n=100_000, d=512, k=100):
    out = subprocess.run(
        [sys.executable, "-c", _MEM_CHILD, str(n), str(d), str(k)],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    base, peak = float(out[0]), float(out[1])
    print(
        f"peak RSS, N={n} D={d} k={k}: {peak:.2f} GiB in all "
        f"(input data and interpreter {base:.2f} GiB; the search adds {peak - base:.2f} GiB)"
    )


def run_defaults(repeat):
    """Default settings (n_jobs=None) against peers that use every core."""
    import warnings

    from scipy.spatial import cKDTree
    from sklearn.neighbors import NearestNeighbors

    from sklearn_geom.dimension import TwoNN
    from sklearn_geom.neighbors import compute_knn

    rng = np.random.default_rng(0)
    X = rng.normal(size=(10_000, 128))
    TwoNN().fit(X[:500])  # compile
    print("TwoNN at 10k x 128 (seconds, best of repeat, alternating)")
    t = {"TwoNN()": np.inf, "TwoNN(n_jobs=1)": np.inf, "NearestNeighbors(3)": np.inf}
    for _ in range(repeat):
        t["TwoNN()"] = min(t["TwoNN()"], time_call(lambda: TwoNN().fit(X), 1)[0])
        t["TwoNN(n_jobs=1)"] = min(
            t["TwoNN(n_jobs=1)"], time_call(lambda: TwoNN(n_jobs=1).fit(X), 1)[0]
        )
        t["NearestNeighbors(3)"] = min(
            t["NearestNeighbors(3)"],
            time_call(lambda: NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X), 1)[0],
        )
    for name, v in t.items():
        print(f"  {name:<22} {v:7.3f}")
    layers = [rng.normal(size=(5000, 8)) for _ in range(33)]
    compute_knn(layers[0][:300], 5)
    print("33 layers of 5000 x 8, k = 5 (k-d tree path)")
    t = {"compute_knn default": np.inf, "compute_knn n_jobs=1": np.inf,
         "cKDTree workers=-1": np.inf}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            t["compute_knn default"] = min(t["compute_knn default"], time_call(
                lambda: [compute_knn(L, 5) for L in layers], 1)[0])
            t["compute_knn n_jobs=1"] = min(t["compute_knn n_jobs=1"], time_call(
                lambda: [compute_knn(L, 5, n_jobs=1) for L in layers], 1)[0])
            t["cKDTree workers=-1"] = min(t["cKDTree workers=-1"], time_call(
                lambda: [cKDTree(L).query(L, k=6, workers=-1) for L in layers], 1)[0])
    for name, v in t.items():
        print(f"  {name:<22} {v:7.3f}")


def _peak_rss_gib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _load_before(path):
    """``compute_knn`` of an older copy of the package (a folder named like the package,
    e.g. from ``git archive <commit> sklearn_geom``), imported as ``sklearn_geom_before``."""
    import importlib.util

    path = os.path.abspath(path)
    spec = importlib.util.spec_from_file_location(
        "sklearn_geom_before", os.path.join(path, "__init__.py"),
        submodule_search_locations=[path])
    module = importlib.util.module_from_spec(spec)
    sys.modules["sklearn_geom_before"] = module
    spec.loader.exec_module(module)
    return importlib.import_module("sklearn_geom_before.neighbors").compute_knn


def run_faiss(cells, k, threads, repeat, before=None):
    """Ours (exact: float32 candidates, float64 refinement, certificate) beside faiss-cpu's
    IndexFlatL2 (float32 distances) on the same float32 data, self included in faiss's
    query (k + 1 asked, as the self-graph of ours excludes it).  With ``before`` (a folder
    holding an older copy of the package), that engine runs in the same loop too, and
    its result is compared with ours (identical indices and distances)."""
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - optional benchmark peer
        raise ImportError("--faiss needs faiss-cpu (pip install faiss-cpu)") from exc

    from sklearn_geom.neighbors import compute_knn

    old_knn = _load_before(before) if before else None
    faiss.omp_set_num_threads(threads)
    warm = np.random.default_rng(0).normal(size=(9000, 8)).astype(np.float32)
    compute_knn(warm, 5, algorithm="brute")
    compute_knn(warm[:, :4].copy(), 5, algorithm="brute")
    compute_knn(np.hstack([warm, warm] * 4), 5, algorithm="brute")
    if old_knn is not None:
        old_knn(warm, 5, algorithm="brute")
        old_knn(np.hstack([warm, warm] * 4), 5, algorithm="brute")
    print(f"faiss-cpu {faiss.__version__} IndexFlatL2 vs ours (brute, exact), k={k}, "
          f"{threads} threads, float32 input; seconds, best of {repeat}, alternating")
    head = f"{'N':>7} {'D':>4} {'ours s':>8} {'faiss s':>8} {'faiss/ours':>10} "
    if old_knn is not None:
        head += f"{'before s':>8} {'faiss/before':>12} {'before/ours':>11} {'same':>5} "
    print(head + f"{'ours rows == faiss':>18} {'peak RSS GiB':>12}")
    rows = []
    for n, d in cells:
        X = np.random.default_rng(n + d).normal(size=(n, d)).astype(np.float32)
        t_ours = t_faiss = t_old = np.inf
        for _ in range(repeat):
            if old_knn is not None:
                t, g_old = time_call(
                    lambda: old_knn(X, k, algorithm="brute", n_jobs=threads), 1)
                t_old = min(t_old, t)
            t, g = time_call(
                lambda: compute_knn(X, k, algorithm="brute", n_jobs=threads), 1)
            t_ours = min(t_ours, t)

            def f():
                index = faiss.IndexFlatL2(d)
                index.add(X)
                return index.search(X, k + 1)

            t, (fd, fi) = time_call(f, 1)
            t_faiss = min(t_faiss, t)
        same = float(np.mean(np.sort(fi[:, 1:], 1) == np.sort(g.indices, 1)))
        rss = _peak_rss_gib()
        row = dict(n=n, d=d, ours=t_ours, faiss=t_faiss, ratio=t_faiss / t_ours)
        line = f"{n:>7} {d:>4} {t_ours:>8.3f} {t_faiss:>8.3f} {t_faiss / t_ours:>10.2f} "
        if old_knn is not None:
            same_i = bool(np.array_equal(g.indices, g_old.indices))
            ident = same_i and bool(np.array_equal(g.distances, g_old.distances))
            close = bool(np.allclose(g.distances, g_old.distances, rtol=1e-12, atol=0))
            row.update(before=t_old, identical=ident, same_indices=same_i, close=close)
            tag = "yes" if ident else ("idx" if same_i and close else ("~" if close else "NO"))
            line += (f"{t_old:>8.3f} {t_faiss / t_old:>12.2f} {t_old / t_ours:>11.2f} "
                     f"{tag:>5} ")
        rows.append(row)
        print(line + f"{same:>18.4f} {rss:>12.2f}", flush=True)
    if old_knn is not None:
        print("same: yes = indices and distances identical to before; idx = identical "
              "indices, distances within 1e-12 (float64 summation order); ~ = distances "
              "within 1e-12, indices differ (exact ties); NO = differ")
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000])
    p.add_argument("--d", type=int, nargs="+", default=[2, 20, 128, 512])
    p.add_argument("--k", type=int, nargs="+", default=[2, 100])
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    p.add_argument("--crossover", action="store_true", help="only the tree/brute crossover")
    p.add_argument("--memory", action="store_true", help="only the peak-memory measurement")
    p.add_argument("--defaults", action="store_true",
                   help="default thread count: TwoNN() and the k-d tree path against peers")
    p.add_argument("--faiss", action="store_true",
                   help="faiss-cpu IndexFlatL2 side by side, k=100, float32 (the issue's cells)")
    p.add_argument("--threads", type=int, default=2, help="threads of the --faiss run")
    p.add_argument("--before", default=None,
                   help="--faiss: also time the engine of an older copy of the package "
                        "(folder; e.g. git archive <commit> sklearn_geom | tar -x -C DIR)")
    args = p.parse_args(argv)
    print(f"# {time.strftime('%Y-%m-%d')} {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, numpy {np.__version__}")
    if args.crossover:
        run_crossover(20_000, args.k, args.repeat)
    elif args.memory:
        run_memory()
    elif args.defaults:
        run_defaults(args.repeat)
    elif args.faiss:
        cells = [(20_000, 20), (20_000, 128), (20_000, 512), (50_000, 20)]
        if args.n != [20_000, 100_000] or args.d != [2, 20, 128, 512]:
            cells = [(n, d) for n in args.n for d in args.d]
        run_faiss(cells, args.k[-1] if args.k != [2, 100] else 100, args.threads, args.repeat,
                  args.before)
    else:
        run_grid(args.n, args.d, args.k, args.repeat, np.dtype(args.dtype).type)


if __name__ == "__main__":
    main()
