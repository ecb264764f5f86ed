"""Layer-by-layer profile (ID + ADP + neighbourhood overlap) against DADApy layer by layer.

One run, the same data for both:

* data: 10 "layers" of the same N points (default 10 000): a mixture of 5 Gaussians in
  D = 20 (centres from N(0, 3^2 I), seed 0) pushed through a random tanh network of width
  50 (weights N(0, 1.5^2 / width), seed 0), one representation per layer;
* ours, end to end from the points: :class:`~sklearn_geom.layerwise.LayerwiseEstimator`
  with ``n_neighbors=100`` (one exact kNN graph per layer, a ``KNNGraph`` computed once and
  read by every consumer), ``DensityPeak()`` (fitted on the graph: ADP, Z = 1.65, TwoNN
  dimension, PAk density), the TwoNN ID as a metric and ``neighborhood_overlap(k=30)`` with
  the next layer;
* DADApy 0.3.4 (its own virtual environment, ``$SKLEARN_GEOM_DADAPY_PYTHON``), the
  hand-written loop people use: per layer ``Data(X)`` (maxk = 100), ``compute_id_2NN()``,
  ``compute_density_PAk()``, ``compute_clustering_ADP(Z=1.65)``, and
  ``return_data_overlap(coordinates=X_next, k=30)``; timed inside the subprocess around
  this loop only (not the interpreter start, imports or file transfer).

Printed: total seconds of each side and the ratio, and the agreement per layer (ID
difference, number of ADP clusters, ARI between the two ADP labellings, overlap
difference).

Usage::

    python benchmarks/layer_profile.py [--n 10000] [--layers 10]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import PeerUnavailable, dadapy_python  # noqa: E402

K_GRAPH = 100
K_OVERLAP = 30
Z = 1.65


def make_layers(n, n_layers, width=50, d=20, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 3.0, (5, d))
    y = rng.integers(0, 5, n)
    h = centres[y] + rng.normal(size=(n, d))
    layers = []
    for _ in range(n_layers):
        W = rng.normal(0.0, 1.5 / np.sqrt(h.shape[1]), (h.shape[1], width))
        h = np.tanh(h @ W)
        layers.append(h.copy())
    return layers, y


_DADAPY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, warnings
    import numpy as np
    from dadapy import Data

    paths, k_overlap, Z = sys.argv[1].split(","), int(sys.argv[2]), float(sys.argv[3])
    layers = [np.load(p) for p in paths]
    out = dict(id=[], n_clusters=[], labels=[], overlap=[])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for l, X in enumerate(layers):
            data = Data(X)
            data.compute_id_2NN()
            data.compute_density_PAk()
            data.compute_clustering_ADP(Z=Z)
            out["id"].append(float(data.intrinsic_dim))
            out["n_clusters"].append(int(data.N_clusters))
            out["labels"].append(np.asarray(data.cluster_assignment).tolist())
            if l + 1 < len(layers):
                out["overlap"].append(
                    float(data.return_data_overlap(coordinates=layers[l + 1], k=k_overlap))
                )
        out["seconds"] = time.perf_counter() - t0
    print("__RESULT__" + json.dumps(out))
    """
)


def run_dadapy(layers, timeout=7200):
    exe = dadapy_python()
    with tempfile.TemporaryDirectory(prefix="sklearn_geom_peer_") as tmp:
        paths = []
        for i, X in enumerate(layers):
            p = Path(tmp) / f"l{i}.npy"
            np.save(p, np.ascontiguousarray(X, dtype=np.float64))
            paths.append(str(p))
        script = Path(tmp) / "run.py"
        script.write_text(_DADAPY_SCRIPT)
        proc = subprocess.run(
            [exe, str(script), ",".join(paths), str(K_OVERLAP), str(Z)],
            capture_output=True, text=True, timeout=timeout,
            env=dict(os.environ, JAX_PLATFORMS="cpu"),
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("__RESULT__")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"DADApy failed (exit {proc.returncode}):\\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("__RESULT__"):])


def twonn_dimension(G):
    from sklearn_geom.dimension import TwoNN

    return TwoNN(metric="precomputed").fit(G).dimension_


def run_ours(layers, n_jobs=-1):
    from sklearn_geom.cluster import DensityPeak
    from sklearn_geom.layerwise import LayerwiseEstimator
    from sklearn_geom.metrics import neighborhood_overlap

    t0 = time.perf_counter()
    # n_neighbors: one exact kNN graph per layer (a KNNGraph, no sparse round trip), read by
    # the estimator (set to metric="precomputed"), the metric and the pair metric
    lw = LayerwiseEstimator(
        DensityPeak(Z=Z, n_jobs=n_jobs),
        metrics={"id": twonn_dimension},
        pair_metrics={"overlap": partial(neighborhood_overlap, n_neighbors=K_OVERLAP,
                                         metric="precomputed")},
        reference="next",
        n_neighbors=K_GRAPH,
    ).fit({str(i): X for i, X in enumerate(layers)})
    seconds = time.perf_counter() - t0
    return lw, seconds


def main(argv=None):
    from sklearn.metrics import adjusted_rand_score

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--layers", type=int, default=10)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    layers, _ = make_layers(args.n, args.layers)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores; "
          f"{args.layers} layers x {args.n} points x width {layers[0].shape[1]}")
    run_ours([X[:2000] for X in layers[:2]])  # warm-up: numba compilation / cache load
    lw, t_ours = run_ours(layers)
    prof = lw.profile_
    print(f"ours:   {t_ours:8.2f} s")
    try:
        ref = run_dadapy(layers)
    except PeerUnavailable as exc:
        print(f"DADApy unavailable: {exc}")
        return 1
    print(f"DADApy: {ref['seconds']:8.2f} s   ratio DADApy/ours = {ref['seconds'] / t_ours:.2f}x")
    print("layer   ID ours  ID DADApy  clusters ours/DADApy  ARI(ours, DADApy)  "
          "overlap ours  overlap DADApy")
    for l in range(args.layers):
        ari = adjusted_rand_score(ref["labels"][l], lw.estimators_[l].labels_)
        ov = prof["overlap"][l]
        ov_ref = ref["overlap"][l] if l < len(ref["overlap"]) else float("nan")
        print(f"{l:>5}  {prof['id'][l]:8.4f}  {ref['id'][l]:9.4f}  "
              f"{int(prof['n_clusters_'][l]):>10d} / {ref['n_clusters'][l]:<8d}  {ari:17.4f}  "
              f"{ov:12.4f}  {ov_ref:14.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
