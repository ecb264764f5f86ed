"""Zigzag engine: oracles with known answers and edge cases.

References used here (all independent of the engine):
* Betti numbers of each complex by dense Z/2 rank computed in this file;
* hand-built complexes whose barcode is known by construction;
* relabelling invariance;
* dionysus 2.2.3 (peer library, run side by side when installed);
* the published reference barcodes in shared/reference/zigzag (file format only).
Brute-force barcode comparisons live in test_zigzag_bruteforce.py.
"""

import io
import itertools

import _cohomology
import numpy as np
import pytest
from _z2 import closure, rank2, to_by_dim

from sklearn_geom.topology import Barcode, zigzag_barcode, zigzag_barcode_of_complexes


def betti(cx, p):
    """beta_p = n_p - rank d_p - rank d_{p+1} over Z/2 (dense)."""
    def bd(q):
        rows = sorted(s for s in cx if len(s) == q)
        cols = sorted(s for s in cx if len(s) == q + 1)
        idx = {s: i for i, s in enumerate(rows)}
        M = np.zeros((len(rows), len(cols)), dtype=np.uint8)
        for j, s in enumerate(cols):
            for f in itertools.combinations(s, q):
                M[idx[f], j] = 1
        return M

    n_p = sum(1 for s in cx if len(s) == p + 1)
    r_p = rank2(bd(p)) if p > 0 else 0
    r_p1 = rank2(bd(p + 1))
    return n_p - r_p - r_p1


def random_layers(rng, L, nv):
    pool = [
        tuple(sorted(rng.choice(nv, size=rng.integers(2, 5), replace=False))) for _ in range(12)
    ]
    active = rng.random(12) < 0.5
    out = []
    for _ in range(L):
        active ^= rng.random(12) < 0.3
        gens = [pool[i] for i in np.flatnonzero(active)] + [(v,) for v in range(nv)]
        out.append(closure(gens))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_bars_alive_equal_betti_numbers(seed):
    """Reference: Betti numbers of every complex of the zigzag by dense Z/2 rank."""
    rng = np.random.default_rng(seed)
    layers = random_layers(rng, 4, 7)
    bc = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in layers])
    seq = []
    for i, c in enumerate(layers):
        seq.append(c)
        if i + 1 < len(layers):
            seq.append(c & layers[i + 1])
    for pos, cx in enumerate(seq):
        for p in range(4):
            assert bc.betti_at(pos, p) == betti(cx, p), (pos, p)


def test_identical_complexes_give_one_bar_per_betti_class():
    """Identical layers: every class lives from the first to the last position."""
    # a hollow tetrahedron (H2), a separate square (H1), 3 components
    cx = closure(list(itertools.combinations(range(4), 3)))
    cx |= closure([(4, 5), (5, 6), (6, 7), (4, 7)]) | {(8,)}
    L = 5
    bc = zigzag_barcode_of_complexes([to_by_dim(cx, 2)] * L)
    assert bc.n_positions == 2 * L - 1
    assert np.all(bc.birth == 0) and np.all(bc.death == 2 * L - 1)
    assert np.bincount(bc.dimension).tolist() == [betti(cx, 0), betti(cx, 1), betti(cx, 2)]
    assert np.bincount(bc.dimension).tolist() == [3, 1, 1]


def test_square_in_middle_layers():
    """Oracle: a 4-cycle present in layers 1-3 of 5 gives one H1 bar on exactly
    those layers (positions 2..6, death exclusive 7)."""
    V = np.arange(4).reshape(-1, 1)
    path = [V, np.array([[0, 1], [1, 2], [2, 3]])]
    square = [V, np.array([[0, 1], [0, 3], [1, 2], [2, 3]])]
    bc = zigzag_barcode_of_complexes([path, square, square, square, path])
    h1 = bc.in_dimension(1)
    assert h1.to_array().tolist() == [[1, 2, 7]]
    h0 = bc.in_dimension(0)
    assert h0.to_array().tolist() == [[0, 0, 9]]


def test_relabelling_vertices_changes_nothing():
    """Reference: invariance under a consistent permutation of vertex ids."""
    rng = np.random.default_rng(3)
    layers = random_layers(rng, 5, 8)
    perm = rng.permutation(8) + 5  # also shifts ids (unused low ids are isolated-free)
    relab = [{tuple(sorted(int(perm[v]) for v in s)) for s in c} for c in layers]
    a = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in layers])
    b = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in relab])
    assert a == b


def test_huge_vertex_ids_use_the_row_path():
    """Vertex ids near 2**61 overflow the combinatorial keys, so simplices are
    identified by sorting rows instead of hashing keys; reference: the same zigzag
    with small ids (order-preserving relabelling), for both public functions."""
    rng = np.random.default_rng(5)
    layers = random_layers(rng, 5, 8)
    big = 2**61 + 1000 * np.arange(8, dtype=np.int64)
    relab = [{tuple(int(big[v]) for v in s) for s in c} for c in layers]
    a = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in layers])
    b = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in relab])
    assert len(a) > 0 and a == b
    one = sorted(layers[0], key=lambda s: (len(s), s))
    c = zigzag_barcode([[int(big[v]) for v in s] for s in one], [[0]] * len(one))
    assert c == zigzag_barcode(one, [[0]] * len(one))


def test_row_order_within_a_dimension_is_free():
    rng = np.random.default_rng(4)
    layers = random_layers(rng, 3, 7)
    cxs = [to_by_dim(c, 3) for c in layers]
    shuffled = [[r[rng.permutation(len(r))] for r in c] for c in cxs]
    assert zigzag_barcode_of_complexes(cxs) == zigzag_barcode_of_complexes(shuffled)


def test_one_complex_is_ordinary_homology():
    cx = closure([(0, 1), (1, 2), (0, 2), (3,)])
    bc = zigzag_barcode_of_complexes([to_by_dim(cx, 1)])
    assert bc.n_positions == 1
    assert bc.to_array().tolist() == [[0, 0, 1], [0, 0, 1], [1, 0, 1]]


def test_empty_complexes():
    empty = [np.zeros((0, 1), dtype=np.int64)]
    bc = zigzag_barcode_of_complexes([empty, empty, empty])
    assert len(bc) == 0 and bc.n_positions == 5
    # an empty layer in the middle kills everything and re-creates it
    pt = [np.array([[0]])]
    bc = zigzag_barcode_of_complexes([pt, empty, pt])
    assert bc.to_array().tolist() == [[0, 0, 1], [0, 4, 5]]
    assert zigzag_barcode_of_complexes([[]]).n_positions == 1


def test_vertices_only():
    a = [np.array([[0], [1], [2]])]
    b = [np.array([[1], [2], [3]])]
    bc = zigzag_barcode_of_complexes([a, b])
    assert bc.to_array().tolist() == [[0, 0, 1], [0, 0, 3], [0, 0, 3], [0, 2, 3]]
    assert [bc.betti_at(p, 0) for p in range(3)] == [3, 2, 3]


def test_homology_dims_and_max_dim_truncation():
    """Dropping simplices above max(homology_dims) + 1 does not change lower bars."""
    rng = np.random.default_rng(7)
    layers = random_layers(rng, 4, 7)
    cxs = [to_by_dim(c, 3) for c in layers]
    full = zigzag_barcode_of_complexes(cxs)
    for dims in ([0], [1], [0, 1], [2]):
        assert zigzag_barcode_of_complexes(cxs, homology_dims=dims) == full.in_dimension(dims)
    # max_dim=2: bars of degree <= 1 are exact, degree 2 are truncation artefacts
    trunc = zigzag_barcode_of_complexes(cxs, max_dim=2)
    assert trunc.in_dimension([0, 1]) == full.in_dimension([0, 1])
    assert trunc.dimension.max(initial=0) <= 2


def test_general_api_matches_layers_api():
    """zigzag_barcode with the layer times equals zigzag_barcode_of_complexes."""
    rng = np.random.default_rng(11)
    layers = random_layers(rng, 4, 7)
    allc = sorted(set().union(*layers), key=lambda s: (len(s), s))
    times = []
    for s in allc:
        t, present = [], False
        for pos in range(2 * len(layers) - 1):
            inside = (s in layers[pos // 2]) and (pos % 2 == 0 or s in layers[pos // 2 + 1])
            if inside != present:
                t.append(pos)
                present = inside
        times.append(t)
    a = zigzag_barcode(allc, times, n_positions=2 * len(layers) - 1)
    b = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in layers])
    assert a == b


def test_sparse_times_stretch_the_bars():
    """Positions multiplied by a large factor (identity maps in between) stretch every
    bar by that factor; this takes the comparison-sort path of the cell orders
    instead of the counting sort used for dense times (reference: the dense run)."""
    rng = np.random.default_rng(12)
    layers = random_layers(rng, 4, 7)
    allc = sorted(set().union(*layers), key=lambda s: (len(s), s))
    P = 2 * len(layers) - 1
    times = []
    for s in allc:
        t, present = [], False
        for pos in range(P):
            inside = (s in layers[pos // 2]) and (pos % 2 == 0 or s in layers[pos // 2 + 1])
            if inside != present:
                t.append(pos)
                present = inside
        times.append(t)
    F = 1_000_003
    dense = zigzag_barcode(allc, times, n_positions=P)
    sparse = zigzag_barcode(allc, [[F * x for x in t] for t in times], n_positions=F * P)
    assert len(dense) > 0
    assert sparse == Barcode(dense.dimension, F * dense.birth, F * dense.death, F * P)


def test_general_api_reinsertion_same_step():
    """An edge deleted and re-inserted at the same step kills its cycle at the hidden
    intermediate complex and starts a new one."""
    simplices = [(0,), (1,), (2,), (0, 1), (1, 2), (0, 2)]
    times = [[0], [0], [0], [0], [0], [0, 1, 1]]
    bc = zigzag_barcode(simplices, times, n_positions=2)
    assert bc.in_dimension(1).to_array().tolist() == [[1, 0, 1], [1, 1, 2]]


def test_invalid_input():
    V = np.arange(3).reshape(-1, 1)
    with pytest.raises(ValueError, match="face"):
        zigzag_barcode_of_complexes([[V, np.array([[0, 5]])]])
    with pytest.raises(ValueError, match="strictly increasing"):
        zigzag_barcode_of_complexes([[V, np.array([[1, 0]])]])
    with pytest.raises(ValueError, match="twice"):
        zigzag_barcode_of_complexes([[V, np.array([[0, 1], [0, 1]])]])
    with pytest.raises(ValueError, match="shape"):
        zigzag_barcode_of_complexes([[V, np.array([0, 1])]])
    with pytest.raises(ValueError, match="integers"):
        zigzag_barcode_of_complexes([[np.array([[0.5]])]])
    with pytest.raises(ValueError, match="at least one"):
        zigzag_barcode_of_complexes([])
    with pytest.raises(TypeError):
        zigzag_barcode_of_complexes(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="max_dim"):
        zigzag_barcode_of_complexes([[V]], max_dim=-1)
    with pytest.raises(ValueError, match="homology_dims"):
        zigzag_barcode_of_complexes([[V]], homology_dims=[-1])
    with pytest.raises(ValueError, match="same length"):
        zigzag_barcode([(0,)], [])
    with pytest.raises(ValueError, match="entries < exits"):
        zigzag_barcode([(0,)], [[2, 1]])
    with pytest.raises(ValueError, match="face"):
        zigzag_barcode([(0,), (1,), (0, 1)], [[0], [1], [0]])
    with pytest.raises(ValueError, match="face"):  # face leaves before its coface
        zigzag_barcode([(0,), (1,), (0, 1)], [[0, 1], [0], [0, 2]])
    with pytest.raises(ValueError, match="n_positions"):
        zigzag_barcode([(0,)], [[0, 3]], n_positions=2)


def test_barcode_class_and_csv_roundtrip(tmp_path):
    bc = Barcode([1, 0, 0], [2, 0, 1], [3, 5, 2], n_positions=5)
    assert bc.to_array().tolist() == [[0, 0, 5], [0, 1, 2], [1, 2, 3]]
    assert bc.betti_at(1).tolist() == [2, 0]
    assert bc.betti_at(2).tolist() == [1, 1]
    assert bc.betti_at(2, 1) == 1
    text = bc.to_csv()
    assert text.splitlines()[:2] == ["dimension,birth,death", "0,1,6"]
    assert Barcode.from_csv(io.StringIO(text), n_positions=5) == bc
    path = tmp_path / "bars.csv.gz"
    bc.to_csv(path)
    assert Barcode.from_csv(path, n_positions=5) == bc
    with pytest.raises(ValueError):
        Barcode([0], [2], [2])
    with pytest.raises(ValueError):
        bc.betti_at(5)
    assert len(Barcode([], [], [])) == 0


def test_reference_barcode_file_reads(shared_reference):
    """The published barcodes read back in positions 0 .. 2L-2 (Llama-2-7B: L = 33)."""
    bc = Barcode.from_csv(shared_reference / "zigzag" / "llama_2_7b_dim_4_knn_5_last_token.csv.gz")
    assert bc.n_positions <= 2 * 33 - 1
    assert bc.birth.min() >= 0 and set(bc.dimension.tolist()) <= {0, 1, 2, 3, 4}
    assert len(bc) == 264398


def test_against_dionysus_classic_zigzag():
    """Peer library side by side: dionysus' classic zigzag on random layers."""
    d = pytest.importorskip("dionysus", reason="peer check needs dionysus 2.2.3")
    rng = np.random.default_rng(5)
    for _ in range(5):
        layers = random_layers(rng, 5, 8)
        L = len(layers)
        allc = sorted(set().union(*layers), key=lambda s: (len(s), s))
        times = []
        for s in allc:
            t, present = [], False
            for pos in range(2 * L - 1):
                inside = (s in layers[pos // 2]) and (pos % 2 == 0 or s in layers[pos // 2 + 1])
                if inside != present:
                    t.append(pos)
                    present = inside
            times.append(t)
        _, dgms, _ = d.zigzag_homology_persistence(d.Filtration([list(s) for s in allc]), times)
        ref = sorted(
            (dim, int(p.birth), 2 * L - 1 if np.isinf(p.death) else int(p.death))
            for dim, dgm in enumerate(dgms)
            for p in dgm
        )
        ours = zigzag_barcode_of_complexes([to_by_dim(c, 3) for c in layers])
        assert sorted(map(tuple, ours.to_array().tolist())) == ref


@pytest.mark.parametrize("drift", [0.05, 0.5])
def test_both_reductions_agree_on_knn_flag_complexes(drift, monkeypatch):
    """Reference: the dual algorithm.  The boundary-matrix reduction (coned edges
    start from a short cycle through a parallel edge or a common neighbour) and the
    coboundary-matrix reduction (persistent cohomology, union-find in degree 0)
    must give the same pairs; strong drift makes most coned edges take the short
    start."""
    from sklearn_geom.topology import knn_flag_complex

    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 4))
    cx = []
    for _ in range(6):
        cx.append(knn_flag_complex(X, n_neighbors=4, max_dim=3))
        X = X + drift * rng.normal(size=X.shape)
    out = {"homology": zigzag_barcode_of_complexes(cx)}
    _cohomology.install(monkeypatch)
    out["cohomology"] = zigzag_barcode_of_complexes(cx)
    assert len(out["homology"]) > 0
    assert out["homology"] == out["cohomology"]
