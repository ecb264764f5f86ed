"""Representation metrics against brute-force references written here.

The references re-derive DADApy's formulas (``return_label_overlap``,
``return_data_overlap`` and the information imbalance of ``MetricComparisons``,
DADApy 0.3.4) with full scipy distance matrices and stable sorting: neighbour
lists include the point itself at position 0, ties ordered by index, ranks are
positions in the full sorted list (DADApy with ``maxk = N - 1``).
"""

import warnings

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from sklearn_geom.metrics import (
    class_ensembles,
    group_cosine_similarity,
    hoyer_sparseness,
    information_imbalance,
    label_overlap,
    neighborhood_overlap,
)
from sklearn_geom.neighbors import DuplicatePointsWarning, KNNTransformer


def full_lists(X, metric="euclidean"):
    """DADApy's dist_indices with maxk = N - 1: self first, then by distance, ties by index."""
    D = cdist(X, X, metric=metric)
    np.fill_diagonal(D, -1.0)  # self first, by index as DADApy's list puts it
    return np.argsort(D, axis=1, kind="stable")


def dadapy_label_overlap(dist_indices, labels, k=None, class_fraction=None, weighted=True):
    labels = np.asarray(labels)
    classes, counts = np.unique(labels, return_counts=True)
    count = dict(zip(classes.tolist(), counts.tolist()))
    if class_fraction is not None:
        k_per_class = {c: max(1, int(n * class_fraction)) for c, n in count.items()}
        max_k = max(k_per_class.values())
        k_per_sample = np.array([k_per_class[c] for c in labels.tolist()])
    else:
        max_k = k
        k_per_sample = np.full(labels.size, k)
    sample_weights = np.array([1.0 / count[c] for c in labels.tolist()])
    neigh = dist_indices[:, 1 : max_k + 1]
    overlaps = labels[neigh] == labels[:, None]
    if class_fraction is not None:
        overlaps[np.arange(max_k)[None, :] >= k_per_sample[:, None]] = False
    overlaps = overlaps.sum(axis=1) / k_per_sample
    if weighted:
        return np.average(overlaps, weights=sample_weights)
    return np.mean(overlaps)


def dadapy_data_overlap(ind1, ind2, k):
    n = ind1.shape[0]
    return np.mean(
        [len(np.intersect1d(ind1[i, 1 : k + 1], ind2[i, 1 : k + 1])) / k for i in range(n)]
    )


def dadapy_imbalance(ind1, ind2, k=1):
    n = ind1.shape[0]
    ranks = np.zeros((n, k))
    for i in range(n):
        for j in range(k):
            ranks[i, j] = np.where(ind2[i] == ind1[i, j + 1])[0][0]
    return np.mean(ranks) / (n / 2.0)


@pytest.fixture
def blobs():
    rng = np.random.default_rng(1)
    centres = rng.normal(scale=3.0, size=(4, 6))
    y = rng.integers(0, 4, size=240)
    y[:30] = 3  # unequal classes
    X = centres[y] + rng.normal(size=(240, 6))
    return X, y


@pytest.mark.parametrize("k", [1, 5, 30])
@pytest.mark.parametrize("average", ["samples", "classes"])
def test_label_overlap_equals_dadapy_formula(blobs, k, average):
    X, y = blobs
    ref = dadapy_label_overlap(full_lists(X), y, k=k, weighted=average == "classes")
    assert label_overlap(X, y, n_neighbors=k, average=average) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("fraction", [0.05, 0.2])
def test_label_overlap_class_fraction_equals_dadapy_formula(blobs, fraction):
    X, y = blobs
    ref = dadapy_label_overlap(full_lists(X), y, class_fraction=fraction, weighted=True)
    got = label_overlap(X, y, class_fraction=fraction, average="classes")
    assert got == pytest.approx(ref, abs=1e-12)


def test_label_overlap_per_point_and_precomputed(blobs):
    X, y = blobs
    per = label_overlap(X, y, n_neighbors=7, average=None)
    ind = full_lists(X)[:, 1:8]
    np.testing.assert_allclose(per, (y[ind] == y[:, None]).mean(axis=1))
    G = KNNTransformer(n_neighbors=10).fit_transform(X)
    assert label_overlap(G, y, n_neighbors=7, metric="precomputed") == pytest.approx(per.mean())
    with pytest.raises(ValueError, match="needs 12 neighbours"):
        label_overlap(G, y, n_neighbors=12, metric="precomputed")


def test_label_overlap_cosine(blobs):
    X, y = blobs
    ref = dadapy_label_overlap(full_lists(X, "cosine"), y, k=10, weighted=False)
    assert label_overlap(X, y, n_neighbors=10, metric="cosine") == pytest.approx(ref)


@pytest.mark.parametrize("k", [1, 10, 30])
def test_neighborhood_overlap_equals_dadapy_formula(blobs, k):
    X, _ = blobs
    rng = np.random.default_rng(2)
    Y = np.tanh(X @ rng.normal(size=(6, 9))) + 0.3 * rng.normal(size=(240, 9))
    ref = dadapy_data_overlap(full_lists(X), full_lists(Y), k)
    assert neighborhood_overlap(X, Y, n_neighbors=k) == pytest.approx(ref, abs=1e-12)
    assert neighborhood_overlap(X, X[:, ::-1] * 2.0, n_neighbors=k) == 1.0


@pytest.mark.parametrize("k", [1, 3])
def test_information_imbalance_equals_dadapy_formula(blobs, k):
    X, _ = blobs
    rng = np.random.default_rng(3)
    A = X[:, :2]
    B = np.c_[X[:, :1], rng.normal(size=(240, 2))]
    la, lb = full_lists(A), full_lists(B)
    ab, ba = information_imbalance(A, B, n_neighbors=k)
    assert ab == pytest.approx(dadapy_imbalance(la, lb, k), abs=1e-12)
    assert ba == pytest.approx(dadapy_imbalance(lb, la, k), abs=1e-12)


def test_information_imbalance_exact_beyond_neighbour_lists():
    """Unrelated spaces on 400 points: most ranks lie beyond the listed neighbours."""
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=(400, 3)), rng.normal(size=(400, 5))
    ab, ba = information_imbalance(A, B)
    la, lb = full_lists(A), full_lists(B)
    assert ab == pytest.approx(dadapy_imbalance(la, lb), abs=1e-12)
    assert ba == pytest.approx(dadapy_imbalance(lb, la), abs=1e-12)
    assert 0.8 < ab < 1.2  # no information: about 1 (Glielmo et al.)


def test_information_imbalance_limits():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(200, 4))
    ab, ba = information_imbalance(X, 5 * X)
    assert ab == ba == pytest.approx(2 / 200)  # rank 1 for every point: 2/N


def test_duplicates_kept_as_neighbours_with_warning(blobs):
    X, y = blobs
    Xd = np.r_[X, X[:10]]
    yd = np.r_[y, y[:10]]
    ref = dadapy_label_overlap(full_lists(Xd), yd, k=5, weighted=False)
    with pytest.warns(DuplicatePointsWarning, match="20 of 250"):
        got = label_overlap(Xd, yd, n_neighbors=5)
    assert got == pytest.approx(ref)
    Yd = Xd + 1.0
    with pytest.warns(DuplicatePointsWarning):
        assert neighborhood_overlap(Xd, Yd, n_neighbors=5) == 1.0


def test_float32_near_duplicates_are_duplicates(blobs):
    X, y = blobs
    X32 = X.astype(np.float32)
    near = X32[:5] * np.float32(1 + 2e-7)
    with pytest.warns(DuplicatePointsWarning):
        v = label_overlap(np.r_[X32, near], np.r_[y, y[:5]], n_neighbors=3)
    assert np.isfinite(v)


def test_bad_input(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="smaller than the number of points"):
        label_overlap(X[:5], y[:5], n_neighbors=5)
    with pytest.raises(ValueError, match="labels has"):
        label_overlap(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        label_overlap(np.r_[X[:-1], [[np.nan] * 6]], y)
    with pytest.raises(ValueError, match="same points"):
        neighborhood_overlap(X, X[:-1], n_neighbors=3)
    with pytest.raises(ValueError, match="same points"):
        information_imbalance(X, X[:-1])
    with pytest.raises(ValueError, match="average"):
        label_overlap(X, y, average="macro")
    with pytest.raises(ValueError, match="class_fraction"):
        label_overlap(X, y, class_fraction=0.0)


def test_hoyer_sparseness_brute_force():
    rng = np.random.default_rng(6)
    X = np.maximum(rng.normal(size=(50, 20)), 0)
    X[3] = 0.0
    n = X.shape[1]
    ref = []
    for row in X:
        l1, l2 = np.sum(np.abs(row)), np.sqrt(np.sum(row**2))
        ref.append(np.nan if l2 == 0 else (np.sqrt(n) - l1 / l2) / (np.sqrt(n) - 1))
    with pytest.warns(RuntimeWarning, match="1 of 50 rows are all zero"):
        per = hoyer_sparseness(X, average=False)
    np.testing.assert_allclose(per, ref)
    with pytest.warns(RuntimeWarning):
        assert hoyer_sparseness(X) == pytest.approx(np.nanmean(ref))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(hoyer_sparseness(np.zeros((3, 4))))
    with pytest.raises(ValueError, match="at least 2 units"):
        hoyer_sparseness(np.ones((3, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hoyer_sparseness(np.eye(5)) == pytest.approx(1.0)


def test_class_ensembles_brute_force():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, size=90)
    X = np.maximum(rng.normal(size=(90, 12)) + (y[:, None] == np.arange(12) % 3), 0)
    for ratio in (1.0, 2.0):
        member, classes = class_ensembles(X, y, ratio=ratio)
        assert classes.tolist() == [0, 1, 2]
        for c in range(3):
            for j in range(12):
                mc = X[y == c, j].mean()
                mo = np.mean([X[y == o, j].mean() for o in range(3) if o != c])
                assert member[c, j] == (mc > ratio * mo)
    with pytest.raises(ValueError, match="non-negative"):
        class_ensembles(-X, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        class_ensembles(X, np.zeros(90))


def test_group_cosine_similarity_brute_force():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(30, 4))
    a, b = np.arange(10), np.arange(5, 25)
    pairs = [
        X[i] @ X[j] / np.linalg.norm(X[i]) / np.linalg.norm(X[j])
        for i in a
        for j in b
        if i != j
    ]
    q = [0.1, 0.5, 0.9]
    np.testing.assert_allclose(group_cosine_similarity(X, a, b, quantiles=q), np.quantile(pairs, q))
    mask = np.zeros(30, bool)
    mask[a] = True
    within = [
        X[i] @ X[j] / np.linalg.norm(X[i]) / np.linalg.norm(X[j]) for i in a for j in a if i != j
    ]
    np.testing.assert_allclose(
        group_cosine_similarity(X, mask), np.quantile(within, [0.25, 0.5, 0.75])
    )
    X[0] = 0
    with pytest.raises(ValueError, match="no direction"):
        group_cosine_similarity(X, a, b)
    with pytest.raises(ValueError, match="no pair"):
        group_cosine_similarity(X, [3], [3])
