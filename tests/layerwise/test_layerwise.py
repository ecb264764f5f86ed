"""LayerwiseEstimator against the same estimators and metrics called layer by layer.

The reference of every profile column is the estimator (or metric) fitted directly on
that layer in the test; the Dask and n_jobs runs are compared with the sequential one.
"""

from functools import partial

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from sklearn_geom.dimension import Gride, TwoNN  # noqa: E402
from sklearn_geom.layerwise import LayerwiseEstimator, layerwise_profile  # noqa: E402
from sklearn_geom.metrics import (  # noqa: E402
    hoyer_sparseness,
    information_imbalance,
    label_overlap,
    neighborhood_overlap,
)
from sklearn_geom.neighbors import KNNTransformer  # noqa: E402
from sklearn_geom.topology import PersistenceSimilarity  # noqa: E402


@pytest.fixture(scope="module")
def stack():
    """Four representations of 300 labelled points: blobs that blur with depth."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 100)
    centres = rng.normal(scale=4.0, size=(3, 5))
    layers = {}
    for l, noise in enumerate([0.3, 1.0, 2.0, 4.0]):
        X = centres[y] + noise * rng.normal(size=(300, 5))
        layers[f"layer{l}"] = np.c_[X, rng.normal(size=(300, l))]
    return layers, y


def test_twonn_profile_equals_per_layer_fits(stack):
    layers, _ = stack
    lw = LayerwiseEstimator(TwoNN()).fit(layers)
    prof = lw.profile_
    assert list(prof["layer"]) == list(layers)
    np.testing.assert_allclose(prof["relative_depth"], [0, 1 / 3, 2 / 3, 1])
    assert list(prof["width"]) == [5, 6, 7, 8]
    for l, X in enumerate(layers.values()):
        ref = TwoNN().fit(X)
        assert prof["dimension_"][l] == ref.dimension_
        assert prof["dimension_err_"][l] == ref.dimension_err_
        assert lw.estimators_[l].dimension_ == ref.dimension_
    assert "n_features_in_" not in prof.columns


def test_metrics_and_pair_metrics(stack):
    layers, y = stack
    lw = LayerwiseEstimator(
        Gride(),
        metrics={"chi_gt": partial(label_overlap, n_neighbors=10), "hoyer": hoyer_sparseness},
        pair_metrics=[partial(neighborhood_overlap, n_neighbors=10), information_imbalance],
    ).fit(layers, y)
    prof = lw.profile_
    arrays = list(layers.values())
    for l, X in enumerate(arrays):
        assert prof["dimension_"][l] == Gride().fit(X).dimension_
        assert prof["chi_gt"][l] == label_overlap(X, y, n_neighbors=10)
        assert prof["hoyer"][l] == hoyer_sparseness(X)
        if l == 0:
            assert np.isnan(prof["neighborhood_overlap"][0])
            assert np.isnan(prof["information_imbalance_0"][0])
            continue
        assert prof["neighborhood_overlap"][l] == neighborhood_overlap(
            X, arrays[l - 1], n_neighbors=10
        )
        ab, ba = information_imbalance(X, arrays[l - 1])
        assert (prof["information_imbalance_0"][l], prof["information_imbalance_1"][l]) == (ab, ba)
    # blobs blur with depth: label overlap falls
    assert np.all(np.diff(prof["chi_gt"]) < 0)


@pytest.mark.parametrize("reference", ["first", 0, "layer0"])
def test_reference_first_by_index_name(stack, reference):
    layers, _ = stack
    arrays = list(layers.values())
    prof = layerwise_profile(
        layers, pair_metrics={"no": partial(neighborhood_overlap, n_neighbors=5)},
        reference=reference,
    )
    assert prof["no"][0] == 1.0
    assert prof["no"][3] == neighborhood_overlap(arrays[3], arrays[0], n_neighbors=5)
    inp = np.random.default_rng(1).normal(size=(300, 3))
    prof = layerwise_profile(
        layers, pair_metrics={"no": partial(neighborhood_overlap, n_neighbors=5)}, reference=inp
    )
    assert prof["no"][2] == neighborhood_overlap(arrays[2], inp, n_neighbors=5)


def test_density_peaks_scores(stack):
    cluster = pytest.importorskip("sklearn_geom.cluster")
    layers, y = stack
    prof = LayerwiseEstimator(cluster.DensityPeak()).fit(layers, y).profile_
    for l, X in enumerate(layers.values()):
        ref = cluster.DensityPeak().fit(X)
        assert prof["ari"][l] == pytest.approx(adjusted_rand_score(y, ref.labels_))
        assert prof["n_clusters_"][l] == ref.n_clusters_
    assert prof["ari"][0] > 0.9  # well separated blobs in the first layer


def test_persistence_similarity_takes_the_whole_stack(stack):
    layers, _ = stack
    small = {k: v[:80] for k, v in layers.items()}
    lw = LayerwiseEstimator(PersistenceSimilarity(n_neighbors=4)).fit(small)
    ref = PersistenceSimilarity(n_neighbors=4).fit(small)
    assert len(lw.estimators_) == 1
    np.testing.assert_allclose(lw.profile_["scores_"], ref.scores_)
    np.testing.assert_array_equal(lw.profile_["betti_numbers_1"], ref.betti_numbers_[:, 1])
    assert lw.profile_["pruned"].tolist() == [l in set(ref.layers_to_prune_) for l in range(4)]


def test_precomputed_graphs(stack):
    layers, _ = stack
    graphs = {k: KNNTransformer(n_neighbors=6).fit_transform(v) for k, v in layers.items()}
    prof = LayerwiseEstimator(TwoNN(metric="precomputed"), precomputed=True).fit(graphs).profile_
    for l, X in enumerate(layers.values()):
        assert prof["dimension_"][l] == pytest.approx(TwoNN().fit(X).dimension_)


def _overlap_brute_force(X_a, X_b, k):
    """mean_i |kNN_k^A(i) & kNN_k^B(i)| / k from full distance matrices (ties: none here)."""
    from scipy.spatial.distance import cdist

    def lists(X):
        D = cdist(X, X)
        np.fill_diagonal(D, np.inf)
        return np.argsort(D, axis=1, kind="stable")[:, :k]

    a, b = lists(X_a), lists(X_b)
    return np.mean([np.intersect1d(a[i], b[i]).size / k for i in range(a.shape[0])])


def test_shared_graph_per_layer(stack):
    """n_neighbors: one kNN graph per layer read by the estimator, the metric and the pair
    metric.  References: the same estimators fitted in the test on sklearn NearestNeighbors
    lists of each layer, and the overlap from full distance matrices."""
    from sklearn.neighbors import NearestNeighbors

    cluster = pytest.importorskip("sklearn_geom.cluster")
    layers, y = stack
    arrays = list(layers.values())
    lw = LayerwiseEstimator(
        cluster.DensityPeak(),
        metrics={"id": lambda G: TwoNN(metric="precomputed").fit(G).dimension_},
        pair_metrics={"overlap": partial(neighborhood_overlap, n_neighbors=10,
                                         metric="precomputed")},
        reference="next", n_neighbors=40,
    ).fit(layers, y)
    prof = lw.profile_
    for l, X in enumerate(arrays):
        pair = NearestNeighbors(n_neighbors=40).fit(X).kneighbors()
        ref = cluster.DensityPeak(metric="precomputed").fit(pair)
        est = lw.estimators_[l]
        assert est.metric == "precomputed"
        np.testing.assert_array_equal(est.labels_, ref.labels_)
        np.testing.assert_allclose(est.log_density_, ref.log_density_, rtol=1e-10)
        assert prof["n_clusters_"][l] == ref.n_clusters_
        assert prof["id"][l] == pytest.approx(TwoNN(metric="precomputed").fit(pair).dimension_,
                                              rel=1e-12)
        if l + 1 < len(arrays):
            assert prof["overlap"][l] == pytest.approx(
                _overlap_brute_force(X, arrays[l + 1], 10), rel=1e-12)
        else:
            assert np.isnan(prof["overlap"][l])
    assert list(prof["width"]) == [5, 6, 7, 8]
    # an array reference gets its own graph
    inp = np.random.default_rng(1).normal(size=(300, 3))
    prof = layerwise_profile(
        layers, pair_metrics={"no": partial(neighborhood_overlap, n_neighbors=5,
                                            metric="precomputed")},
        reference=inp, n_neighbors=5,
    )
    assert prof["no"][2] == pytest.approx(_overlap_brute_force(arrays[2], inp, 5), rel=1e-12)


def test_shared_graph_errors(stack):
    from sklearn.cluster import KMeans

    layers, _ = stack
    with pytest.raises(ValueError, match="KMeans has no metric parameter"):
        LayerwiseEstimator(KMeans(2, n_init=1), n_neighbors=5).fit(layers)
    with pytest.raises(ValueError, match="takes the whole stack"):
        LayerwiseEstimator(PersistenceSimilarity(n_neighbors=4), n_neighbors=5).fit(layers)
    graphs = {k: KNNTransformer(n_neighbors=6).fit_transform(v) for k, v in layers.items()}
    with pytest.raises(ValueError, match="graphs already"):
        LayerwiseEstimator(TwoNN(metric="precomputed"), precomputed=True,
                           n_neighbors=5).fit(graphs)
    with pytest.raises(ValueError, match="n_neighbors"):
        LayerwiseEstimator(TwoNN(), n_neighbors=300).fit(layers)


def test_n_jobs_and_dask_backend_give_the_same_profile(stack):
    layers, y = stack
    make = partial(LayerwiseEstimator, TwoNN(), metrics=[partial(label_overlap, n_neighbors=5)])
    seq = make().fit(layers, y).profile_
    par = make(n_jobs=2).fit(layers, y).profile_
    pd.testing.assert_frame_equal(seq, par)
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            with parallel_config(backend="dask"):
                dask = make(n_jobs=2).fit(layers, y).profile_
    pd.testing.assert_frame_equal(seq, dask)


def test_split_2d_input_and_progress(stack):
    layers, _ = stack
    X = np.hstack([v[:, :5] for v in layers.values()])
    lw = LayerwiseEstimator(TwoNN(), n_layers=4, progress=True).fit(X)
    assert lw.n_layers_ == 4 and lw.n_features_in_ == 20
    assert lw.profile_["dimension_"][1] == TwoNN().fit(X[:, 5:10]).dimension_


def test_bad_input(stack):
    layers, y = stack
    with pytest.raises(ValueError, match="needs labels"):
        layerwise_profile(layers, metrics=partial(label_overlap, n_neighbors=5))
    with pytest.raises(ValueError, match="one label per point"):
        layerwise_profile(layers, TwoNN(), y=y[:-1])
    with pytest.raises(ValueError, match="not a layer name"):
        layerwise_profile(layers, pair_metrics=neighborhood_overlap, reference="nope")
    with pytest.raises(ValueError, match="has 299 points|different numbers|299"):
        layerwise_profile({"a": layers["layer0"], "b": layers["layer1"][:-1]}, TwoNN())
    with pytest.raises(TypeError, match="a profile needs a number"):
        layerwise_profile(layers, metrics={"bad": lambda X: X[:2]})


def test_torch_activations_feed_the_profile_directly():
    """LayeredData from TorchActivations goes in as it is (per-layer and whole-stack paths)."""
    torch = pytest.importorskip("torch")
    from sklearn_geom.activations import TorchActivations

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(5, 12), torch.nn.Tanh(), torch.nn.Linear(12, 8), torch.nn.Tanh()
    )
    X = np.random.default_rng(0).normal(size=(120, 5))
    acts = TorchActivations(net, layers=["1", "3"]).fit_transform(X)
    prof = layerwise_profile(acts, TwoNN())
    assert prof["layer"].tolist() == ["1", "3"]
    assert prof["dimension_"][1] == TwoNN().fit(acts["3"]).dimension_
    lw = LayerwiseEstimator(PersistenceSimilarity(n_neighbors=4)).fit(acts)
    ref = PersistenceSimilarity(n_neighbors=4).fit([acts["1"], acts["3"]])
    np.testing.assert_allclose(lw.profile_["scores_"], ref.scores_)
