"""Flag complexes of symmetrised kNN graphs: sklearn_geom vs GUDHI and networkx.

All three get the same graph (the symmetrised k-NN graph of the same points, built
once by ``symmetric_knn_adjacency``) and enumerate its cliques up to ``max_dim``:

* ours: ``flag_complex`` (Numba, sparse CSR, extension by common higher neighbours);
* GUDHI: ``SimplexTree`` with the vertices and edges inserted, then ``expansion(max_dim)``
  (insertion is counted: it is part of building the complex from a graph);
* networkx: ``enumerate_all_cliques`` on a ``Graph`` built from the edge list (graph
  construction not counted), stopped at ``max_dim + 1`` vertices; small N only.

Times are the best of ``--repeat`` runs (the machine is shared); simplex counts are
compared per dimension.  Ratios are peer time / our time (> 1: we are faster).

    python benchmarks/flag_complex.py [--sizes 1000 5000 12000] [--dims 2 4] [--repeat 3]
"""

import argparse
import time

import numpy as np

from sklearn_geom.topology import flag_complex, symmetric_knn_adjacency


def best_of(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def gudhi_counts(A, max_dim):
    import gudhi

    st = gudhi.SimplexTree()
    n = A.shape[0]
    for v in range(n):
        st.insert([v])
    U = A.tocoo()
    for i, j in zip(U.row.tolist(), U.col.tolist()):
        if i < j:
            st.insert([i, j])
    st.expansion(max_dim)
    counts = [0] * (max_dim + 1)
    for s, _ in st.get_simplices():
        counts[len(s) - 1] += 1
    return counts


def networkx_counts(A, max_dim, G):
    import networkx as nx

    counts = [0] * (max_dim + 1)
    for c in nx.enumerate_all_cliques(G):
        if len(c) > max_dim + 1:
            break
        counts[len(c) - 1] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 12000])
    ap.add_argument("--dims", type=int, nargs="+", default=[2, 4])
    ap.add_argument("--n-features", type=int, default=50)
    ap.add_argument("--n-neighbors", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--networkx-max-n", type=int, default=5000)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    # warm the Numba cache once
    flag_complex(symmetric_knn_adjacency(rng.normal(size=(50, 3)), 5), 2)
    rows = []
    for n in args.sizes:
        X = rng.normal(size=(n, args.n_features)).astype(np.float32)
        A = symmetric_knn_adjacency(X, args.n_neighbors)
        for max_dim in args.dims:
            t_ours, cx = best_of(lambda: flag_complex(A, max_dim), args.repeat)
            ours = [len(s) for s in cx]
            row = dict(n=n, max_dim=max_dim, ours=t_ours, counts=ours)
            try:
                t_g, g = best_of(lambda: gudhi_counts(A, max_dim), args.repeat)
                assert g == ours, (g, ours)
                row["gudhi"] = t_g
            except ImportError:
                row["gudhi"] = None
            if n <= args.networkx_max_n:
                try:
                    import networkx as nx

                    U = A.tocoo()
                    G = nx.Graph()
                    G.add_nodes_from(range(n))
                    pairs = zip(U.row.tolist(), U.col.tolist())
                    G.add_edges_from((i, j) for i, j in pairs if i < j)
                    t_x, x = best_of(lambda: networkx_counts(A, max_dim, G), 1)
                    assert x == ours, (x, ours)
                    row["networkx"] = t_x
                except ImportError:
                    row["networkx"] = None
            rows.append(row)
            print(row, flush=True)
    print()
    print(
        "| N | max_dim | simplices per dim | ours (s) | GUDHI (s) | ratio "
        "| networkx (s) | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        def fmt(key):
            t = r.get(key)
            if t is None:
                return "-", "-"
            return f"{t:.3f}", f"{t / r['ours']:.1f}x"

        g, gr = fmt("gudhi")
        x, xr = fmt("networkx")
        print(
            f"| {r['n']} | {r['max_dim']} | {r['counts']} | {r['ours']:.4f} "
            f"| {g} | {gr} | {x} | {xr} |"
        )


if __name__ == "__main__":
    main()
