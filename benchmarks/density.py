"""Density-peak clustering end to end: sklearn_geom against DADApy 0.3.4 and sklearn's HDBSCAN.

One run, same data for all:

* ours:    ``sklearn_geom.cluster.DensityPeak(n_jobs=-1).fit(X)`` (defaults: TwoNN
  dimension, PAk density on k*, neighbourhood cap 100 doubling while k* reaches it, Z=1.65);
* DADApy:  ``Data(X)`` (defaults: ``maxk=100``, all cores) then ``compute_id_2NN()``,
  ``compute_density_PAk()``, ``compute_clustering_ADP(Z=1.65)``, in its own virtual
  environment (numpy < 2, interpreter from ``$SKLEARN_GEOM_DADAPY_PYTHON``, see
  benchmarks/README.md), timed inside the subprocess around these calls only;
* HDBSCAN: ``sklearn.cluster.HDBSCAN()`` with its defaults (``min_cluster_size=5``), ``n_jobs=-1``.

Quality: number of clusters and adjusted Rand index against the mixture component (every
point labelled: ADP core labels, HDBSCAN's noise counts as one more label).

``--adp-only``: the clustering step alone on the same kNN graph (ours, 100 neighbours,
given to DADApy as ``Data(distances=(d, i))`` with the same intrinsic dimension set):
DADApy's ``compute_clustering_ADP`` against our ADP step (centres, assignment, saddles,
merging), each on its own PAk densities from that graph; the density step is timed too,
from the ``(d, i)`` pair DADApy gets and from our ``KNNGraph`` (no parsing of the pair).

``--memory N``: peak resident memory (``ru_maxrss``) of one of our fits in a fresh process.

Data: a mixture of 5 standard Gaussians in D = 20, centres drawn from N(0, 3^2 I), equal
weights, seed 0.  Our first call (numba compilation / cache load) is a warm-up on 2000
points, not timed.

Usage::

    python benchmarks/density.py                    # N = 50k and 100k, all three
    python benchmarks/density.py --sizes 20000 --no-hdbscan
    python benchmarks/density.py --adp-only 100000
    python benchmarks/density.py --memory 100000
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import PeerUnavailable, dadapy_python  # noqa: E402

D = 20
N_COMPONENTS = 5
SPREAD = 3.0
Z = 1.65


def mixture(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, SPREAD, (N_COMPONENTS, D))
    y = rng.integers(0, N_COMPONENTS, n)
    X = centres[y] + rng.normal(size=(n, D))
    return X, y


_DADAPY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, warnings
    import numpy as np
    from dadapy import Data

    mode = sys.argv[1]
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "full":
            X = np.load(sys.argv[2])
            t0 = time.perf_counter()
            data = Data(X)
            data.compute_distances()
            t1 = time.perf_counter()
            data.compute_id_2NN()
            t2 = time.perf_counter()
            data.compute_density_PAk()
            t3 = time.perf_counter()
            data.compute_clustering_ADP(Z=float(sys.argv[3]))
            t4 = time.perf_counter()
            out = dict(neighbours=t1 - t0, id=t2 - t1, density=t3 - t2, adp=t4 - t3,
                       total=t4 - t0, labels=np.asarray(data.cluster_assignment).tolist(),
                       n_clusters=int(data.N_clusters), id_value=float(data.intrinsic_dim),
                       maxk=int(data.maxk))
        else:
            dist = np.load(sys.argv[2])
            ind = np.load(sys.argv[3])
            d = float(sys.argv[4])
            data = Data(distances=(dist, ind))
            data.intrinsic_dim = d
            t0 = time.perf_counter()
            data.compute_density_PAk()
            t1 = time.perf_counter()
            data.compute_clustering_ADP(Z=float(sys.argv[5]))
            t2 = time.perf_counter()
            out = dict(density=t1 - t0, adp=t2 - t1, n_clusters=int(data.N_clusters),
                       labels=np.asarray(data.cluster_assignment).tolist())
    print("__RESULT__" + json.dumps(out))
    """
)


def run_dadapy(args, timeout=7200):
    exe = dadapy_python()
    with tempfile.TemporaryDirectory(prefix="sklearn_geom_peer_") as tmp:
        script = Path(tmp) / "run.py"
        script.write_text(_DADAPY_SCRIPT)
        files = []
        for a in args:
            if isinstance(a, np.ndarray):
                path = Path(tmp) / f"a{len(files)}.npy"
                np.save(path, a)
                files.append(str(path))
            else:
                files.append(str(a))
        proc = subprocess.run(
            [exe, str(script), *files], capture_output=True, text=True, timeout=timeout,
            env=dict(os.environ, JAX_PLATFORMS="cpu"),
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("__RESULT__")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"DADApy failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("__RESULT__"):])


def ours_fit(X, **kw):
    from sklearn_geom.cluster import DensityPeak

    t0 = time.perf_counter()
    dp = DensityPeak(Z, n_jobs=-1, **kw).fit(X)
    return dp, time.perf_counter() - t0


def warm_up():
    X, _ = mixture(2000, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours_fit(X)


def end_to_end(n, hdbscan=True, dadapy=True):
    from sklearn.metrics import adjusted_rand_score

    X, y = mixture(n)
    row = dict(n=n)
    dp, t = ours_fit(X)
    row["ours"] = dict(seconds=t, n_clusters=dp.n_clusters_,
                       ari=adjusted_rand_score(y, dp.labels_), id=dp.intrinsic_dim_,
                       n_neighbors=dp.n_neighbors_)
    if dadapy:
        try:
            res = run_dadapy(["full", X, Z])
            row["dadapy"] = dict(
                seconds=res["total"], n_clusters=res["n_clusters"],
                ari=adjusted_rand_score(y, res["labels"]), id=res["id_value"],
                stages={k: res[k] for k in ("neighbours", "id", "density", "adp")},
                cluster_sizes=sorted(np.bincount(res["labels"]).tolist(), reverse=True)[:12],
            )
        except PeerUnavailable as exc:
            print(f"DADApy unavailable: {exc}", file=sys.stderr)
    if hdbscan:
        from sklearn.cluster import HDBSCAN

        t0 = time.perf_counter()
        lab = HDBSCAN(n_jobs=-1).fit_predict(X)
        t = time.perf_counter() - t0
        row["hdbscan"] = dict(seconds=t, n_clusters=int(lab.max() + 1),
                              ari=adjusted_rand_score(y, lab),
                              noise=float(np.mean(lab < 0)))
    return row


def adp_only(n, k=100):
    """Density + ADP on the same kNN graph (ours vs DADApy)."""
    from sklearn.metrics import adjusted_rand_score

    from sklearn_geom.cluster._density_peak import adp
    from sklearn_geom.density import DensityEstimator
    from sklearn_geom.neighbors import compute_knn

    X, y = mixture(n)
    g = compute_knn(X, k, n_jobs=-1)
    de = DensityEstimator(max_neighbors=k, n_jobs=-1).fit(X[:20000])  # only for d below
    d = de.intrinsic_dim_
    t0 = time.perf_counter()
    est = DensityEstimator(metric="precomputed", intrinsic_dim=d, n_jobs=-1).fit(
        (g.distances, g.indices)
    )
    t1 = time.perf_counter()
    # the same step given the KNNGraph itself (no parsing of the (d, i) pair)
    tg = time.perf_counter()
    DensityEstimator(metric="precomputed", intrinsic_dim=d, n_jobs=-1).fit(g)
    tg = time.perf_counter() - tg
    fit = est._fit
    t1a = time.perf_counter()
    labels, peaks, *_ = adp(fit.log_density, fit.error, np.minimum(fit.kstar, k),
                            fit.neighbors.indices, Z)
    t2 = time.perf_counter()
    dist = np.hstack([np.zeros((n, 1)), g.distances])
    ind = np.hstack([np.arange(n)[:, None], g.indices])
    res = run_dadapy(["graph", dist, ind, d, Z])
    return dict(
        n=n, k=k, id=d,
        ours=dict(density=t1 - t0, density_knngraph=tg, adp=t2 - t1a, n_clusters=int(peaks.size),
                  ari=adjusted_rand_score(y, labels)),
        dadapy=dict(density=res["density"], adp=res["adp"], n_clusters=res["n_clusters"],
                    ari=adjusted_rand_score(y, res["labels"])),
    )


def memory(n):
    X, _ = mixture(n)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    dp, t = ours_fit(X)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return dict(n=n, seconds=t, peak_rss_mib=peak / 1024, before_fit_mib=base / 1024,
                n_neighbors=dp.n_neighbors_, X_mib=X.nbytes / 2**20,
                graph_mib=n * dp.n_neighbors_ * 16 / 2**20)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="50000,100000")
    p.add_argument("--no-hdbscan", action="store_true")
    p.add_argument("--no-dadapy", action="store_true")
    p.add_argument("--adp-only", type=int, default=None, metavar="N")
    p.add_argument("--memory", type=int, default=None, metavar="N")
    a = p.parse_args()
    print(f"# {platform.node()} {platform.processor()} cores={os.cpu_count()}", flush=True)
    if a.memory:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            print(json.dumps(memory(a.memory)), flush=True)
        return 0
    warm_up()
    if a.adp_only:
        out = adp_only(a.adp_only)
        o, r = out["ours"], out["dadapy"]
        print(json.dumps(out), flush=True)
        print(f"N={out['n']} k={out['k']}: ADP step ours {o['adp']:.2f} s, DADApy "
              f"{r['adp']:.2f} s ({r['adp'] / o['adp']:.1f}x); PAk ours {o['density']:.2f} s, "
              f"DADApy {r['density']:.2f} s ({r['density'] / o['density']:.1f}x; from the "
              f"KNNGraph {o['density_knngraph']:.2f} s, "
              f"{r['density'] / o['density_knngraph']:.1f}x); clusters "
              f"{o['n_clusters']} / {r['n_clusters']}, ARI {o['ari']:.3f} / {r['ari']:.3f}")
        return 0
    for n in [int(s) for s in a.sizes.split(",")]:
        row = end_to_end(n, hdbscan=not a.no_hdbscan, dadapy=not a.no_dadapy)
        print(json.dumps(row), flush=True)
        o = row["ours"]
        line = (f"N={n}: ours {o['seconds']:.1f} s, {o['n_clusters']} clusters, "
                f"ARI {o['ari']:.3f}")
        if "dadapy" in row:
            r = row["dadapy"]
            line += (f" | DADApy {r['seconds']:.1f} s ({r['seconds'] / o['seconds']:.1f}x), "
                     f"{r['n_clusters']} clusters, ARI {r['ari']:.3f}")
        if "hdbscan" in row:
            h = row["hdbscan"]
            line += (f" | HDBSCAN {h['seconds']:.1f} s ({h['seconds'] / o['seconds']:.1f}x), "
                     f"{h['n_clusters']} clusters, ARI {h['ari']:.3f}")
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
