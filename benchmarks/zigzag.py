"""Zigzag persistence: sklearn_geom vs dionysus 2.2.3, side by side on the same complexes.

Data: a point cloud moved layer to layer by a near-identity rotation plus Gaussian
drift; per layer the symmetric kNN graph and its flag complex
(``sklearn_geom.topology.knn_flag_complex``, timed separately); the intersection
zigzag ``K_0 ⊇ K_0∩K_1 ⊆ K_1 ...`` of all layers.

Peers (same simplices, same times):
* dionysus ``fast_zigzag`` + ``homology_persistence`` (FastZigzag cone, C++ reduction)
  plus the conversion of its diagrams back to zigzag bars;
* dionysus ``zigzag_homology_persistence`` (classic Carlsson-de Silva-Morozov), only
  on cases below ``--classic-max`` simplex instances (it is 10-100x slower).

Barcodes are compared as multisets per dimension; ratios are peer time / our time.

Usage::

    python benchmarks/zigzag.py                 # all cases
    python benchmarks/zigzag.py --cases small   # one case
    python benchmarks/zigzag.py --memory        # peak memory at 33 x 12000 points
"""

import argparse
import gc
import sys
import time
from collections import Counter

import numpy as np

from sklearn_geom.topology import knn_flag_complex, zigzag_barcode_of_complexes

CASES = {
    # name: (n_layers, n_points, n_neighbors, max_dim[, n_features, drift])
    "small": (10, 500, 5, 2),
    "medium": (33, 1000, 5, 4),
    "large": (33, 5000, 5, 2),
    "heavy": (33, 1000, 10, 4),
    # strong drift in 16-D: most edges change layer to layer (many more events)
    "drift": (33, 2000, 5, 2, 16, 0.3),
}


def make_layers(n_layers, n_points, n_features=8, drift=0.05, seed=0):
    """Point clouds moved by a small random rotation plus Gaussian drift per layer."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_points, n_features))
    out = []
    for _ in range(n_layers):
        out.append(X.copy())
        A = rng.normal(size=(n_features, n_features)) * 0.05
        Q, _ = np.linalg.qr(np.eye(n_features) + A - A.T)
        X = X @ Q + drift * rng.normal(size=X.shape)
    return out


def dionysus_input(complexes):
    """Distinct simplices and their entry/exit times in the positions of the zigzag."""
    L = len(complexes)
    present = {}
    for lay, cx in enumerate(complexes):
        for rows in cx:
            for s in map(tuple, rows.tolist()):
                present.setdefault(s, []).append(lay)
    simplices, times = [], []
    for s in sorted(present, key=lambda s: (len(s), s)):
        layers = present[s]
        t = []
        start = prev = layers[0]
        for lay in layers[1:] + [None]:
            if lay is not None and lay == prev + 1:
                prev = lay
                continue
            t.append(2 * start)
            if prev < L - 1:
                t.append(2 * prev + 1)
            if lay is not None:
                start = prev = lay
        simplices.append(list(s))
        times.append(t)
    return simplices, times


def bars_dionysus_fast(simplices, times, n_positions):
    """dionysus.fast_zigzag + homology_persistence; diagrams mapped back to bars."""
    import dionysus as d

    t0 = time.perf_counter()
    f = d.Filtration(simplices)
    cone = d.fast_zigzag(f, times)
    m = d.homology_persistence(cone)
    t_core = time.perf_counter() - t0
    bars = Counter()
    apex = -1
    for i in range(len(m)):
        j = m.pair(i)
        if j == m.unpaired or j < i:
            continue
        si, sj = cone[i], cone[j]
        if si.dimension() == 0 and apex in si:
            continue  # the apex itself
        ci, cj = apex in si, apex in sj
        ti, tj = si.data, sj.data
        ti = n_positions if np.isinf(ti) else int(ti)
        tj = n_positions if np.isinf(tj) else int(tj)
        q = si.dimension()
        if not ci and not cj:
            dim, b, e = q, ti, tj
        elif ci and cj:
            dim, b, e = q - 1, min(ti, tj), max(ti, tj)
        elif ti < tj:
            dim, b, e = q, ti, tj
        else:
            dim, b, e = q - 1, tj, ti
        if b < e:
            bars[(dim, b, e)] += 1
    return bars, t_core, time.perf_counter() - t0


def bars_dionysus_classic(simplices, times, n_positions):
    import dionysus as d

    t0 = time.perf_counter()
    f = d.Filtration(simplices)
    _, dgms, _ = d.zigzag_homology_persistence(f, times)
    t_core = time.perf_counter() - t0
    bars = Counter()
    for dim, dgm in enumerate(dgms):
        for p in dgm:
            b = int(p.birth)
            e = n_positions if np.isinf(p.death) else int(p.death)
            if b < e:
                bars[(dim, b, e)] += 1
    return bars, t_core, time.perf_counter() - t0


def bars_ours(bc):
    return Counter(map(tuple, bc.to_array().tolist()))


def run_case(name, args):
    L, N, k, md, *extra = CASES[name]
    nf, drift = extra if extra else (8, args.drift)
    Xs = make_layers(L, N, n_features=nf, drift=drift, seed=args.seed)
    t0 = time.perf_counter()
    cx = [knn_flag_complex(X, n_neighbors=k, max_dim=md) for X in Xs]
    t_cx = time.perf_counter() - t0
    P = 2 * L - 1
    sizes = [sum(len(s) for s in c) for c in cx]
    common = np.mean(
        [
            len(set(map(tuple, a[1].tolist())) & set(map(tuple, b[1].tolist()))) / len(a[1])
            for a, b in zip(cx[:-1], cx[1:])
        ]
    )
    zigzag_barcode_of_complexes(cx[:2])  # compile / load the numba cache
    simplices = times = None
    if not args.no_peers:
        t0 = time.perf_counter()
        simplices, times = dionysus_input(cx)
        t_conv = time.perf_counter() - t0
    # ours and dionysus alternate, so that both see the same load of the machine
    times_ours, times_fast = [], []
    fast = None
    for _ in range(args.repeat):
        gc.collect()
        t0 = time.perf_counter()
        bc = zigzag_barcode_of_complexes(cx)
        times_ours.append(time.perf_counter() - t0)
        if simplices is not None:
            gc.collect()
            fast, t_core, t_all = bars_dionysus_fast(simplices, times, P)
            times_fast.append(t_core)
    t_ours = float(np.median(times_ours))
    ours = bars_ours(bc)
    print(
        f"\n== {name}: {L} layers x {N} points, k={k}, max_dim={md}; "
        f"simplices/layer ~{int(np.mean(sizes))}, edges kept layer to layer {common:.0%}"
    )
    print(f"  complexes (knn_flag_complex, all layers): {t_cx:8.2f} s")
    print(f"  sklearn_geom zigzag_barcode_of_complexes: {t_ours:8.3f} s   bars={len(bc)}")
    row = {"case": name, "complex_s": t_cx, "ours_s": t_ours, "bars": len(bc)}
    if args.no_peers:
        return row
    print(f"  (dionysus input conversion, not timed below: {t_conv:.2f} s, "
          f"{len(simplices)} simplices)")
    t_core = float(np.median(times_fast))
    print(
        f"  dionysus fast_zigzag+homology_persistence: {t_core:8.3f} s "
        f"(+ diagram conversion {t_all - t_core:.2f} s)  ratio {t_core / t_ours:6.1f}x  "
        f"identical={fast == ours}"
    )
    print(f"    (all runs: ours {' '.join(f'{t:.3f}' for t in times_ours)}; dionysus "
          f"{' '.join(f'{t:.3f}' for t in times_fast)})")
    row.update(fast_s=t_core, fast_same=fast == ours)
    n_inst = sum(len(t) for t in times)
    if n_inst <= args.classic_max:
        classic, t_core_c, _ = bars_dionysus_classic(simplices, times, P)
        print(
            f"  dionysus zigzag_homology_persistence:      {t_core_c:8.2f} s  "
            f"ratio {t_core_c / t_ours:6.1f}x  identical={classic == ours}"
        )
        row.update(classic_s=t_core_c, classic_same=classic == ours)
    else:
        print(f"  dionysus classic zigzag: skipped ({n_inst} > --classic-max events)")
    return row


def run_memory(args):
    import resource

    L, N, k, md = 33, 12000, 5, 2
    Xs = make_layers(L, N, drift=args.drift, seed=args.seed)
    cx = [knn_flag_complex(X, n_neighbors=k, max_dim=md) for X in Xs]
    del Xs
    t0 = time.perf_counter()
    bc = zigzag_barcode_of_complexes(cx)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"33 x 12000 points, k=5, max_dim=2: {dt:.2f} s, {len(bc)} bars, "
          f"peak RSS {peak:.2f} GB")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    ap.add_argument("--drift", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs per method (medians)")
    ap.add_argument("--classic-max", type=int, default=300_000)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--memory", action="store_true")
    args = ap.parse_args(argv)
    if args.memory:
        run_memory(args)
        return 0
    for name in args.cases:
        run_case(name, args)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
