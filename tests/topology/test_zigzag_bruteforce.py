"""Zigzag barcodes against a brute-force reference written here.

Reference (independent of the engine): dense Z/2 linear algebra.  For each position
a basis of H_p and a coordinate map give the matrices of the induced maps; the
number of bars containing an interval [b, d] of positions is the rank of the
canonical map  lim -> colim  of the zigzag restricted to [b, d] (for a zigzag of
type A this "generalised rank" counts exactly the bars containing [b, d]), and
the multiplicity of the bar [b, d] follows by inclusion-exclusion:
m(b, d) = r(b, d) - r(b-1, d) - r(b, d+1) + r(b-1, d+1).
"""

import itertools

import _cohomology
import numpy as np
import pytest
from _z2 import closure, nullspace2, rank2, solve2, to_by_dim

from sklearn_geom.topology import zigzag_barcode, zigzag_barcode_of_complexes


class Homology:
    """H_p of a complex, with chains over a global list of p-simplices."""

    def __init__(self, cx, p, universe):
        self.p = p
        cp = universe[p]
        self.index = {s: i for i, s in enumerate(cp)}
        n = len(cp)
        in_cx = [s in cx for s in cp]
        # boundary of p-chains (columns: the complex's p-simplices)
        if p > 0:
            lower = {s: i for i, s in enumerate(universe[p - 1])}
            D = np.zeros((len(universe[p - 1]), n), dtype=np.uint8)
            for j, s in enumerate(cp):
                for f in itertools.combinations(s, p):
                    D[lower[f], j] = 1
            D = D[:, in_cx]
        else:
            D = np.zeros((0, int(np.sum(in_cx))), dtype=np.uint8)
        Z_loc = nullspace2(D, int(np.sum(in_cx)))
        Z = np.zeros((n, Z_loc.shape[1]), dtype=np.uint8)
        Z[np.flatnonzero(in_cx)] = Z_loc
        up = [s for s in universe.get(p + 1, []) if s in cx]
        B = np.zeros((n, len(up)), dtype=np.uint8)
        for j, s in enumerate(up):
            for f in itertools.combinations(s, p + 1):
                B[self.index[f], j] = 1
        # representatives: cycles extending a basis of B to one of Z
        reps = []
        cur = B.copy()
        r = rank2(cur)
        for k in range(Z.shape[1]):
            cand = np.concatenate([cur, Z[:, k : k + 1]], axis=1)
            rk = rank2(cand)
            if rk > r:
                reps.append(Z[:, k])
                cur, r = cand, rk
        self.reps = np.zeros((n, len(reps)), dtype=np.uint8)  # (n, h)
        for k, z in enumerate(reps):
            self.reps[:, k] = z
        self.B = B
        self.h = self.reps.shape[1]

    def coords(self, chain):
        A = np.concatenate([self.reps, self.B], axis=1)
        return solve2(A, chain)[: self.h]


def zigzag_matrices(complexes, p, universe):
    """Homology dims and the matrices of the maps of consecutive positions."""
    H = [Homology(c, p, universe) for c in complexes]
    arrows = []
    for i in range(len(complexes) - 1):
        a, b = complexes[i], complexes[i + 1]
        if a <= b:
            src, dst, fwd = H[i], H[i + 1], True
        elif b <= a:
            src, dst, fwd = H[i + 1], H[i], False
        else:
            raise AssertionError("consecutive complexes must be nested")
        M = np.zeros((dst.h, src.h), dtype=np.uint8)
        for k in range(src.h):
            M[:, k] = dst.coords(src.reps[:, k])
        arrows.append((fwd, M))
    return [h.h for h in H], arrows


def generalized_rank(dims, arrows, b, d):
    """Rank of lim -> colim of the zigzag restricted to positions b..d."""
    off = np.concatenate([[0], np.cumsum(dims[b : d + 1])])
    tot = int(off[-1])
    if tot == 0:
        return 0
    cons, rels = [], []
    for i in range(b, d):
        fwd, M = arrows[i]
        lo, hi = i - b, i + 1 - b
        if fwd:  # x_{i+1} = M x_i
            for r in range(dims[i + 1]):
                row = np.zeros(tot, dtype=np.uint8)
                row[off[lo] : off[lo + 1]] = M[r]
                row[off[hi] + r] ^= 1
                cons.append(row)
            for k in range(dims[i]):
                v = np.zeros(tot, dtype=np.uint8)
                v[off[lo] + k] = 1
                v[off[hi] : off[hi + 1]] ^= M[:, k]
                rels.append(v)
        else:  # x_i = M x_{i+1}
            for r in range(dims[i]):
                row = np.zeros(tot, dtype=np.uint8)
                row[off[hi] : off[hi + 1]] = M[r]
                row[off[lo] + r] ^= 1
                cons.append(row)
            for k in range(dims[i + 1]):
                v = np.zeros(tot, dtype=np.uint8)
                v[off[hi] + k] = 1
                v[off[lo] : off[lo + 1]] ^= M[:, k]
                rels.append(v)
    lim = nullspace2(np.array(cons, dtype=np.uint8).reshape(-1, tot), tot)
    at_b = np.zeros_like(lim)
    at_b[off[0] : off[1]] = lim[off[0] : off[1]]
    R = np.array(rels, dtype=np.uint8).reshape(-1, tot).T
    return rank2(np.concatenate([R, at_b], axis=1)) - rank2(R)


def brute_force_bars(complexes, p, universe):
    """Bars (b, d_exclusive) of H_p of a zigzag of nested-consecutive complexes."""
    dims, arrows = zigzag_matrices(complexes, p, universe)
    P = len(complexes)
    r = np.zeros((P + 2, P + 2), dtype=np.int64)  # r[b+1, d+1]
    for b in range(P):
        for d in range(b, P):
            r[b + 1, d + 1] = generalized_rank(dims, arrows, b, d)
    bars = []
    for b in range(P):
        for d in range(b, P):
            m = r[b + 1, d + 1] - r[b, d + 1] - r[b + 1, d + 2] + r[b, d + 2]
            assert m >= 0
            bars += [(b, d + 1)] * int(m)
    return sorted(bars)


def universe_of(complexes, top):
    allc = set().union(*complexes)
    return {d: sorted(s for s in allc if len(s) == d + 1) for d in range(top + 2)}


def intersection_zigzag(layers):
    seq = []
    for i, c in enumerate(layers):
        seq.append(c)
        if i + 1 < len(layers):
            seq.append(c & layers[i + 1])
    return seq


def random_layers(rng, n_layers, n_vertices, top=3):
    """Random complexes (closures of random simplices) drifting from layer to layer."""
    pool = [
        tuple(sorted(rng.choice(n_vertices, size=rng.integers(2, top + 2), replace=False)))
        for _ in range(14)
    ]
    # hollow shapes make H1 and H2 likely
    tet = tuple(sorted(rng.choice(n_vertices, size=4, replace=False)))
    hollow = list(itertools.combinations(tet, 3))
    cyc = rng.choice(n_vertices, size=4, replace=False)
    square = [tuple(sorted((cyc[i], cyc[(i + 1) % 4]))) for i in range(4)]
    active = rng.random(len(pool)) < 0.4
    layers = []
    for _ in range(n_layers):
        flip = rng.random(len(pool)) < 0.25
        active = active ^ flip
        gens = [pool[i] for i in np.flatnonzero(active)]
        if rng.random() < 0.6:
            gens += hollow
        if rng.random() < 0.6:
            gens += square
        gens += [(v,) for v in range(n_vertices) if rng.random() < 0.8]
        layers.append(closure(gens))
    return layers


def engine_bars(bc, p):
    sel = bc.in_dimension(p)
    return sorted(zip(sel.birth.tolist(), sel.death.tolist()))


@pytest.mark.parametrize("reduction", ["homology", "cohomology"])
@pytest.mark.parametrize("seed", range(60))
def test_random_layers_match_brute_force(seed, reduction, monkeypatch):
    """Reference: brute-force generalised ranks (above). 60 random cases, H0..H3,
    with both reductions of the engine (boundary matrix with the short-cycle start
    of coned edges; coboundary matrix with union-find in degree 0)."""
    if reduction == "cohomology":
        _cohomology.install(monkeypatch)
    rng = np.random.default_rng(seed)
    L = int(rng.integers(1, 5))
    n_vertices = int(rng.integers(4, 8))
    layers = random_layers(rng, L, n_vertices)
    top = 3
    bc = zigzag_barcode_of_complexes([to_by_dim(c, top) for c in layers], max_dim=top)
    assert bc.n_positions == 2 * L - 1
    seq = intersection_zigzag(layers)
    universe = universe_of(seq, top)
    for p in range(top + 1):
        assert engine_bars(bc, p) == brute_force_bars(seq, p, universe), (seed, p)


@pytest.mark.parametrize("seed", range(20))
def test_random_insert_delete_sequences_match_brute_force(seed):
    """General API with arbitrary (non-nested) consecutive complexes, re-insertions
    and deletions at the same step.  Reference: brute force on the refined zigzag
    K_0 ⊇ K_0∩K_1 ⊆ K_1 ..., restricted to the integer positions."""
    rng = np.random.default_rng(1000 + seed)
    P = int(rng.integers(1, 6))
    n_vertices = int(rng.integers(4, 7))
    complexes = random_layers(rng, P, n_vertices)
    allc = sorted(set().union(*complexes), key=lambda s: (len(s), s))
    times = []
    for s in allc:
        t = []
        present = False
        for pos, c in enumerate(complexes):
            if (s in c) != present:
                t.append(pos)
                present = not present
        times.append(t)
    bc = zigzag_barcode(allc, times, n_positions=P)
    seq = intersection_zigzag(complexes)
    universe = universe_of(seq, 3)
    for p in range(4):
        ref = []
        for b, d in brute_force_bars(seq, p, universe):
            lo, hi = (b + 1) // 2, (d - 1) // 2  # integer positions covered
            if lo <= hi:
                ref.append((lo, hi + 1))
        assert engine_bars(bc, p) == sorted(ref), (seed, p)


def test_brute_force_reference_sanity():
    """The reference itself on a hand-computed case: a ⊆ {a,b} ⊇ b gives [0,2) and [1,3)."""
    seq = [{(0,)}, {(0,), (1,)}, {(1,)}]
    universe = universe_of(seq, 1)
    assert brute_force_bars(seq, 0, universe) == [(0, 2), (1, 3)]
