"""PersistenceSimilarity: counts, similarity, scores and pruning.

Independent references, per test:
- the published barcodes of Gardinazzi et al. in shared/reference/zigzag and the
  layer cuts the paper reports for them;
- brute-force loops written here straight from the definitions of Gardinazzi et al.
  (counts, similarity, scores);
- hand-made barcodes whose answer is worked out by hand in the comments;
- for fits from points: Betti numbers of complexes whose homology is known (a
  circle, two circles), identical layers (S = 1), consistent relabelling.
"""

import gzip

import numpy as np
import pytest

from sklearn_geom.neighbors import DuplicatePointsWarning
from sklearn_geom.topology import PersistenceSimilarity, effective_layer

# (file, number of representations, layers the paper cuts with p = 1, threshold 0.9)
REFERENCE_CUTS = [
    ("llama_2_7b_dim_4_knn_5_last_token.csv.gz", 33, range(20, 30)),
    ("llama_3_8b_dim_4_knn_5_last_token.csv.gz", 33, range(19, 29)),
    ("mistral_sst_knn_5_dim_4.csv.gz", 33, range(21, 29)),
]


def _brute_counts(bars, L, p):
    """N_p(i, j) by the definition, one bar at a time (0-based positions)."""
    N = np.zeros((L, L), dtype=np.int64)
    for d, b, e in bars:
        eb, ed = -(-b // 2), -(-e // 2)  # ceil(pos / 2)
        if d != p or eb == ed:
            continue
        for i in range(L):
            for j in range(L):
                if eb <= min(i, j) and ed > max(i, j):
                    N[i, j] += 1
    return N


def _random_bars(rng, L, n):
    b = rng.integers(0, 2 * L - 1, size=n)
    e = np.minimum(b + 1 + rng.integers(0, 2 * L, size=n), 2 * L - 1)
    return np.column_stack([rng.integers(0, 3, size=n), b, e])


@pytest.mark.parametrize("name,L,cut", REFERENCE_CUTS)
def test_reference_cuts(shared_reference, name, L, cut):
    """The paper's cuts from its published barcodes (1-based CSV positions)."""
    ps = PersistenceSimilarity.from_barcode(shared_reference / "zigzag" / name)
    assert ps.n_layers_ == L
    assert ps.layers_to_prune_.tolist() == list(cut)
    # Betti numbers are the bars alive at position 2l (raw positions, nothing dropped)
    bars = ps.barcode_.to_array()
    for layer in (0, L // 2, L - 1):
        alive = (bars[:, 1] <= 2 * layer) & (bars[:, 2] > 2 * layer)
        for p in (0, 1):
            assert ps.betti_numbers_[layer, p] == np.sum(alive & (bars[:, 0] == p))
    np.testing.assert_array_equal(np.diag(ps.persistence_counts_), ps.betti_numbers_[:, 1])


def test_reference_csv_is_one_based(shared_reference, tmp_path):
    """Reading the CSV equals passing its rows minus 1 as a 0-based array."""
    path = shared_reference / "zigzag" / REFERENCE_CUTS[0][0]
    with gzip.open(path, "rt") as fh:
        rows = np.loadtxt(fh, delimiter=",", skiprows=1, dtype=np.int64)
    arr = rows.copy()
    arr[:, 1:] -= 1
    a = PersistenceSimilarity.from_barcode(path)
    b = PersistenceSimilarity.from_barcode(arr)
    arr = arr[np.lexsort((arr[:, 2], arr[:, 1], arr[:, 0]))]
    np.testing.assert_array_equal(a.barcode_.to_array(), arr)
    np.testing.assert_array_equal(a.persistence_counts_, b.persistence_counts_)
    assert a.barcode_.birth.min() == 0 and a.barcode_.death.max() == 2 * 33 - 1
    assert a.barcode_.n_positions == 2 * 33 - 1


@pytest.mark.parametrize("seed", range(4))
def test_counts_match_definition(seed):
    rng = np.random.default_rng(seed)
    L = int(rng.integers(1, 9))
    bars = _random_bars(rng, L, 60)
    for p in (0, 1, 2):
        ps = PersistenceSimilarity.from_barcode(bars, homology_dim=p, n_layers=L)
        N = _brute_counts(bars, L, p)
        np.testing.assert_array_equal(ps.persistence_counts_, N)
        beta = np.diag(N)
        for i in range(L):
            for j in range(L):
                expected = N[i, j] / beta[i] if beta[i] else float(i == j)
                assert ps.similarity_[i, j] == pytest.approx(expected)
        col = [
            np.mean([N[m, k] / beta[k] if beta[k] else float(m == k) for k in range(L)])
            for m in range(L)
        ]
        np.testing.assert_allclose(ps.scores_, col)
        assert np.isfinite(ps.similarity_).all()


def test_effective_layers_and_dropped_bars():
    # positions 0 1 2 3 4 (L = 3); eff = 0 1 1 2 2; death 5 -> eff 3
    np.testing.assert_array_equal(effective_layer([0, 1, 2, 3, 4, 5]), [0, 1, 1, 2, 2, 3])
    bars = np.array(
        [
            [1, 1, 2],  # lives only in the intersection 0∩1 -> eff 1..1: dropped
            [1, 0, 1],  # layer 0 only
            [1, 1, 4],  # born in 0∩1, dead at layer 2: eff 1..2, i.e. layer 1 only
            [1, 2, 5],  # layer 1 to the end
            [0, 0, 5],
        ]
    )
    ps = PersistenceSimilarity.from_barcode(bars)
    assert ps.n_layers_ == 3
    np.testing.assert_array_equal(
        ps.effective_barcode_, [[0, 0, 3], [1, 0, 1], [1, 1, 2], [1, 1, 3]]  # sorted
    )
    # layer 0: one bar; layer 1: two; layer 2: one; [1,2,5] spans layers 1-2
    np.testing.assert_array_equal(ps.persistence_counts_, [[1, 0, 0], [0, 2, 1], [0, 1, 1]])
    np.testing.assert_allclose(
        ps.similarity_, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.5], [0.0, 1.0, 1.0]]
    )
    np.testing.assert_array_equal(ps.betti_numbers_, [[1, 1], [1, 2], [1, 1]])
    # column score: mean_m N(l, m) / beta(m)
    np.testing.assert_allclose(ps.scores_, [1 / 3, (0 + 1 + 1) / 3, (0 + 0.5 + 1) / 3])
    # max 2/3; 0.9 * 2/3 = 0.6: layer 1 only (layer 2 is the last anyway)
    assert ps.layers_to_prune_.tolist() == [1]


def test_row_weighted_scores():
    bars = np.array([[1, 0, 5], [1, 2, 5], [1, 4, 5]])
    # N = [[1,1,1],[1,2,2],[1,2,3]]; S rows: [1,1,1], [.5,1,1], [1/3,2/3,1]
    for alpha in (0.0, 1.0, 2.0):
        ps = PersistenceSimilarity.from_barcode(
            bars, normalization="row_weighted", alpha=alpha
        )
        S = np.array([[1, 1, 1], [0.5, 1, 1], [1 / 3, 2 / 3, 1]])
        np.testing.assert_allclose(ps.similarity_, S)
        W = np.abs(np.subtract.outer(np.arange(3), np.arange(3))) ** alpha
        np.testing.assert_allclose(ps.scores_, (W * S).sum(1) / W.sum(1))


def test_never_prunes_the_last_and_threshold():
    # every layer identical: all scores equal; all but the last are cut
    bars = np.array([[1, 0, 9], [1, 0, 9], [0, 0, 9]])
    ps = PersistenceSimilarity.from_barcode(bars)
    np.testing.assert_allclose(ps.similarity_, np.ones((5, 5)))
    assert ps.layers_to_prune_.tolist() == [0, 1, 2, 3]
    ps = PersistenceSimilarity.from_barcode(bars, threshold=1.0)
    assert ps.layers_to_prune_.tolist() == [0, 1, 2, 3]
    # a single layer: nothing to prune
    ps = PersistenceSimilarity.from_barcode([[1, 0, 1], [0, 0, 1]])
    assert ps.n_layers_ == 1 and ps.layers_to_prune_.size == 0
    np.testing.assert_array_equal(ps.similarity_, [[1.0]])


def test_no_cycles_gives_identity_without_nan():
    bars = np.array([[0, 0, 7]])  # L = 4, no H1 at all
    with pytest.warns(UserWarning, match="No layer has 1-dimensional homology"):
        ps = PersistenceSimilarity.from_barcode(bars)
    np.testing.assert_array_equal(ps.similarity_, np.eye(4))
    assert np.isfinite(ps.scores_).all()
    with pytest.warns(UserWarning):
        ps = PersistenceSimilarity.from_barcode(bars, normalization="row_weighted")
    assert ps.layers_to_prune_.size == 0  # all scores 0: no signal, nothing pruned


def test_barcode_object_and_n_layers():
    class Bars:  # any object with the engine's Barcode attributes
        dimension = np.array([1, 1])
        birth = np.array([0, 2])
        death = np.array([3, 4])
        n_positions = 9  # L = 5

    ps = PersistenceSimilarity.from_barcode(Bars())
    assert ps.n_layers_ == 5
    assert PersistenceSimilarity.from_barcode(Bars(), n_layers=7).n_layers_ == 7
    # without a hint the smallest L that holds every bar is used
    arr = np.c_[Bars.dimension, Bars.birth, Bars.death]
    assert PersistenceSimilarity.from_barcode(arr).n_layers_ == 3


@pytest.mark.parametrize(
    "bars,match",
    [
        ([[1, 3, 3]], "birth < death"),
        ([[1, -1, 3]], "non-negative"),
        ([[1.5, 0, 3]], "integers"),
        ([[1, 0, 3, 4]], "shape"),
    ],
)
def test_bad_barcodes(bars, match):
    with pytest.raises(ValueError, match=match):
        PersistenceSimilarity.from_barcode(bars)
    with pytest.raises(ValueError, match="at least 3 layers"):
        PersistenceSimilarity.from_barcode([[1, 0, 5]], n_layers=2)


def test_csv_with_wrong_header(tmp_path):
    path = tmp_path / "bars.csv"
    path.write_text("dim,b,d\n1,1,3\n")
    with pytest.raises(ValueError, match="header"):
        PersistenceSimilarity.from_barcode(path)


# --------------------------------------------------------------------------------------
# input validation that happens before any persistence is computed


def test_layers_with_different_numbers_of_points():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="same points"):
        PersistenceSimilarity().fit([rng.normal(size=(30, 3)), rng.normal(size=(29, 3))])


def test_nan_and_too_few_points():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 30, 3))
    X[1, 4, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        PersistenceSimilarity().fit(X)
    with pytest.raises(ValueError, match="n_samples"):
        PersistenceSimilarity(n_neighbors=5).fit(rng.normal(size=(2, 5, 3)))


def test_bad_layout():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="does not divide"):
        PersistenceSimilarity(n_layers=4).fit(rng.normal(size=(30, 6)))
    with pytest.raises(ValueError, match="max_simplex_dim"):
        PersistenceSimilarity(homology_dim=2, max_simplex_dim=2).fit(rng.normal(size=(30, 6)))
    with pytest.raises(ValueError, match="no layer"):
        PersistenceSimilarity().fit({})


# --------------------------------------------------------------------------------------
# fits from points (through the flag complexes and the zigzag engine)


def _drifting_layers(n=60, d=3, L=5, step=0.25, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    out = []
    for _ in range(L):
        X = X + step * rng.normal(size=X.shape)
        out.append(X.copy())
    return out


def test_identical_layers_give_similarity_one():
    """Reference: the definition. A constant zigzag has bars spanning every layer."""
    X = _drifting_layers(n=80, d=2, L=1, seed=3)[0]
    ps = PersistenceSimilarity().fit([X] * 4)
    beta = ps.betti_numbers_[:, 1]
    assert beta[0] > 0 and np.all(beta == beta[0])
    np.testing.assert_array_equal(ps.persistence_counts_, np.full((4, 4), beta[0]))
    np.testing.assert_array_equal(ps.similarity_, np.ones((4, 4)))
    np.testing.assert_allclose(ps.scores_, 1.0)
    assert ps.layers_to_prune_.tolist() == [0, 1, 2]
    assert ps.betti_numbers_[:, 0].tolist() == [ps.betti_numbers_[0, 0]] * 4


def test_square_cycle_in_middle_layers():
    """Oracle: a 4-cycle present in layers 1-3 of 5 gives one H1 bar on exactly
    those layers.  Square corners with k = 2: the 4-cycle (diagonals are longer); points
    on a line with k = 2: two filled triangles, no cycle."""
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    line = np.array([[0.0, 0.0], [1.0, 0.0], [2.1, 0.0], [3.3, 0.0]])
    ps = PersistenceSimilarity(n_neighbors=2).fit([line, square, square, square, line])
    h1 = ps.effective_barcode_[ps.effective_barcode_[:, 0] == 1]
    np.testing.assert_array_equal(h1, [[1, 1, 4]])
    assert ps.betti_numbers_[:, 1].tolist() == [0, 1, 1, 1, 0]
    assert ps.betti_numbers_[:, 0].tolist() == [1] * 5
    np.testing.assert_array_equal(
        ps.similarity_[1:4, 1:4], np.ones((3, 3))
    )
    assert ps.similarity_[1, 0] == 0 and ps.similarity_[1, 4] == 0
    # positions: the bar starts at the intersection 0∩1 (pos 1) or layer 1 (pos 2)
    bc = ps.barcode_.in_dimension(1)
    assert bc.birth.tolist() in ([1], [2]) and bc.death.tolist() in ([7], [8])
    for pos in range(9):
        assert ps.barcode_.betti_at(pos, dimension=1) == int(2 <= pos <= 6)


def test_relabelling_changes_nothing():
    layers = _drifting_layers(seed=1)
    perm = np.random.default_rng(2).permutation(layers[0].shape[0])
    a = PersistenceSimilarity(homology_dim=1).fit(layers)
    b = PersistenceSimilarity(homology_dim=1).fit([X[perm] for X in layers])
    assert a.barcode_ == b.barcode_
    np.testing.assert_array_equal(a.persistence_counts_, b.persistence_counts_)
    np.testing.assert_array_equal(a.layers_to_prune_, b.layers_to_prune_)


def test_containers_agree_and_transform_drops_pruned_layers():
    layers = _drifting_layers(seed=4, L=4)
    ref = PersistenceSimilarity().fit(layers)
    keep = [i for i in range(4) if i not in ref.layers_to_prune_]
    assert len(keep) < 4  # something is pruned (the top score at least)
    X3 = np.stack(layers)
    X2 = np.hstack(layers)
    named = {f"block{i}": a for i, a in enumerate(layers)}
    for X, est in [
        (X3, PersistenceSimilarity()),
        (X2, PersistenceSimilarity(n_layers=4)),
        (named, PersistenceSimilarity()),
        (tuple(layers), PersistenceSimilarity()),
    ]:
        est.fit(X)
        np.testing.assert_array_equal(est.persistence_counts_, ref.persistence_counts_)
        out = est.transform(X)
        if isinstance(X, dict):
            assert list(out) == [f"block{i}" for i in keep] and est.layer_names_ == list(named)
        elif X is X3:
            np.testing.assert_array_equal(out, X3[keep])
        elif X is X2:
            np.testing.assert_array_equal(out, np.hstack([layers[i] for i in keep]))
            names = est.get_feature_names_out()
            assert names.tolist() == [f"x{3 * i + j}" for i in keep for j in range(3)]
        else:
            assert len(out) == len(keep)
    with pytest.raises(ValueError, match="layers"):
        ref.transform(layers[:3])
    with pytest.raises(ValueError, match="widths"):
        ref.transform([a[:, :2] for a in layers])


def test_precomputed_graphs_and_float32():
    from sklearn.neighbors import KNeighborsTransformer

    layers = _drifting_layers(seed=5, L=3)
    ref = PersistenceSimilarity().fit(layers)
    graphs = [KNeighborsTransformer(n_neighbors=7).fit_transform(a) for a in layers]
    pre = PersistenceSimilarity(metric="precomputed").fit(graphs)
    np.testing.assert_array_equal(pre.persistence_counts_, ref.persistence_counts_)
    assert len(pre.transform(graphs)) == 3 - pre.layers_to_prune_.size
    f32 = PersistenceSimilarity().fit([a.astype(np.float32) for a in layers])
    np.testing.assert_array_equal(f32.persistence_counts_, ref.persistence_counts_)
    with pytest.raises(ValueError, match="precomputed"):
        PersistenceSimilarity(metric="precomputed").fit(np.stack(layers))
    # one graph alone is one layer, and transform gives it back as it came
    one = PersistenceSimilarity(metric="precomputed").fit(graphs[0])
    assert one.n_layers_ == 1 and one.transform(graphs[0]) is graphs[0]
    np.testing.assert_array_equal(
        one.betti_numbers_, PersistenceSimilarity().fit(layers[0]).betti_numbers_
    )


def test_widths_may_differ_and_n_jobs_does_not_matter():
    rng = np.random.default_rng(6)
    base = rng.normal(size=(70, 3))
    layers = [base, np.c_[base, 0.1 * rng.normal(size=(70, 5))], base @ rng.normal(size=(3, 7))]
    a = PersistenceSimilarity(n_jobs=1).fit(layers)
    b = PersistenceSimilarity(n_jobs=2).fit(layers)
    assert a.layer_widths_ == [3, 8, 7]
    assert a.barcode_ == b.barcode_


def test_duplicates_are_kept_with_a_warning():
    layers = _drifting_layers(seed=7, L=3)
    for a in layers:
        a[1] = a[0]  # point 1 duplicates point 0 in every layer
    with pytest.warns(DuplicatePointsWarning, match="2 of 60 points"):
        ps = PersistenceSimilarity().fit(layers)
    assert np.isfinite(ps.similarity_).all()
    # the copies are joined: never a separate component for them
    assert [0, 1] in ps.complexes_[0][1].tolist()


def test_one_layer_is_plain_homology():
    t = np.linspace(0, 2 * np.pi, 30, endpoint=False)
    circle = np.c_[np.cos(t), np.sin(t)]
    ps = PersistenceSimilarity(n_neighbors=2).fit(circle)  # plain 2-D: one layer
    assert ps.n_layers_ == 1 and ps.layers_to_prune_.size == 0
    assert ps.betti_numbers_.tolist() == [[1, 1]]
    np.testing.assert_array_equal(ps.transform(circle), circle)


def test_transform_reads_the_fitted_layout():
    layers = _drifting_layers(seed=8, L=3)
    ps = PersistenceSimilarity().fit(layers)  # fitted on a list
    keep = [i for i in range(3) if i not in ps.layers_to_prune_]
    out = ps.transform(np.hstack(layers))  # 2-D input is split into the fitted 3 blocks
    np.testing.assert_array_equal(out, np.hstack([layers[i] for i in keep]))
    bars = PersistenceSimilarity.from_barcode([[1, 0, 5], [1, 2, 5], [0, 0, 5]])
    X2 = np.arange(12.0).reshape(2, 6)  # 3 layers of width 2
    np.testing.assert_array_equal(
        bars.transform(X2), X2[:, np.repeat(~np.isin(range(3), bars.layers_to_prune_), 2)]
    )


def test_layered_data_input_as_from_an_activation_extractor():
    """Reference: the same layers given as a dict (the container itself is the reference)."""
    from sklearn_geom.utils import LayeredData

    layers = _drifting_layers(seed=9, L=4)
    named = {f"blocks.{i}": a.astype(np.float32) for i, a in enumerate(layers)}
    ref = PersistenceSimilarity().fit(named)
    acts = LayeredData.from_arrays(list(named.values()), list(named))
    ps = PersistenceSimilarity().fit(acts)
    assert ps.barcode_ == ref.barcode_ and ps.layer_names_ == list(named)
    out = ps.transform(acts)
    assert list(out) == [n for i, n in enumerate(named) if i not in ps.layers_to_prune_]
