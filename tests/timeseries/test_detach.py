"""Tests of DetachRocket.

References: the unpruned selected model is recomputed here from the fitted pieces (full
RocketTransformer output restricted to the selected columns, then the selector's scaler and
ridge); the full model is scikit-learn's StandardScaler + RidgeClassifierCV on the full
transform; the OSULeaf figures are the paper's claim (Uribarri et al., 2024: about 10% of
the features at equal accuracy), checked with a margin.
"""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_geom.timeseries import DetachRocket


def _series(n=60, length=50, n_classes=2, seed=0, channels=None):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    shape = (n, length) if channels is None else (n, channels, length)
    X = np.cumsum(rng.normal(size=shape), axis=-1)
    t = np.linspace(0, 1, length)
    X += (y * 2.0).reshape((n,) + (1,) * (X.ndim - 1)) * np.sin(2 * np.pi * (1 + y[:, None]) * t)[
        (slice(None),) + (None,) * (X.ndim - 2) + (slice(None),)
    ]
    return X, y


@pytest.mark.parametrize("kind", ["rocket", "minirocket", "multirocket"])
def test_prune_equals_unpruned_selected_model(kind):
    X, y = _series(60, 60, 3, seed=1)
    clf = DetachRocket(kind=kind, n_kernels=168, random_state=0).fit(X, y)
    Xt, _ = _series(30, 60, 3, seed=2)
    full = clf.transformer_.transform(Xt)
    sel = clf.selector_
    unpruned = sel.estimator_.predict(sel.scaler_.transform(full[:, clf.support_]))
    unpruned_dec = sel.estimator_.decision_function(sel.scaler_.transform(full[:, clf.support_]))
    deploy = clf.prune()
    np.testing.assert_array_equal(deploy.predict(Xt), unpruned)
    # float32 features: the products may round differently for different memory layouts
    np.testing.assert_allclose(deploy.decision_function(Xt), unpruned_dec, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(Xt), unpruned)
    # the pruned transformer outputs exactly the selected columns
    np.testing.assert_array_equal(deploy[0].transform(Xt), full[:, clf.support_])
    assert deploy[0].features_kept_.shape[0] == clf.support_.sum() < full.shape[1]
    # independent copy: the deployed model is unaffected by refitting the original
    clf.fit(X[::-1], y[::-1])
    np.testing.assert_array_equal(deploy.predict(Xt), unpruned)


def test_full_model_kept_for_comparison():
    X, y = _series(60, 50, 2, seed=3)
    clf = DetachRocket(n_kernels=100, random_state=0).fit(X, y)
    F = clf.transformer_.transform(X)
    ref = make_pipeline(StandardScaler(), RidgeClassifierCV(alphas=np.logspace(-10, 10, 20)))
    ref.fit(F, y)
    np.testing.assert_array_equal(clf.predict_full(X), ref.predict(F))
    assert clf.score_full(X, y) == ref.score(F, y)
    assert 0 < clf.retained_fraction_ <= 1
    assert clf.score(X, y) > 0.5


def test_string_labels_3d_and_list_input():
    X, y = _series(40, 40, 2, seed=4, channels=2)
    labels = np.array(["a", "b"])[y]
    clf = DetachRocket(n_kernels=84, n_features_to_select=20, random_state=0).fit(X, labels)
    assert set(clf.predict(X)) <= {"a", "b"}
    assert not hasattr(clf, "n_features_in_")
    series = [x[:, : 30 + i % 10] for i, x in enumerate(X)]
    clf2 = DetachRocket(n_kernels=84, n_features_to_select=0.2, random_state=0).fit(series, labels)
    assert clf2.prune().predict(series).shape == (40,)
    np.testing.assert_array_equal(clf2.prune().predict(series), clf2.predict(series))


def test_pickle_and_determinism():
    X, y = _series(50, 40, 2, seed=5)
    a = DetachRocket(n_kernels=100, random_state=7).fit(X, y)
    b = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    c = DetachRocket(n_kernels=100, random_state=7).fit(X, y)
    np.testing.assert_array_equal(a.support_, c.support_)


def test_bad_input():
    X, y = _series(20, 30, 2)
    with pytest.raises(ValueError, match="at least two classes"):
        DetachRocket(n_kernels=50).fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="different numbers"):
        DetachRocket(n_kernels=50).fit([x[: 20 + i % 5] for i, x in enumerate(X)], y[:5])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DetachRocket(n_kernels=50).fit(list(X), y[:5])  # equal lengths: a 2-D array
    clf = DetachRocket(n_kernels=50, n_features_to_select=5).fit(X, y)
    with pytest.raises(ValueError, match="DetachRocket is expecting 30 features"):
        clf.predict(X[:, :20])


@pytest.mark.slow
def test_osuleaf_rocket_10k_kernels():
    """OSULeaf, ROCKET with 10,000 kernels (20,000 features): the selected model keeps at most
    20% of the features with test accuracy within 2 points of the full model."""
    datasets = pytest.importorskip("sklearn_geom.datasets")
    try:
        X_train, y_train, X_test, y_test = datasets.load_ucr("OSULeaf")
    except (ValueError, FileNotFoundError) as exc:  # sktime/aeon wheels without the data
        pytest.skip(f"OSULeaf is not bundled here: {exc}")
    clf = DetachRocket(n_kernels=10_000, random_state=0).fit(X_train, y_train)
    acc, acc_full = clf.score(X_test, y_test), clf.score_full(X_test, y_test)
    assert clf.support_.shape == (20_000,)
    assert clf.retained_fraction_ <= 0.20
    assert acc >= acc_full - 0.02, (acc, acc_full, clf.retained_fraction_)


def test_benchmark_extras_and_ucr_report(tmp_path):
    """The UCR runner records the pruning figures and the report shows them per data set."""
    X, y = _series(40, 40, 2, seed=6)
    clf = DetachRocket(n_kernels=100, random_state=0).fit(X, y)
    extras = clf.benchmark_extras(X, y)
    assert extras["accuracy_full"] == clf.score_full(X, y)
    assert extras["retained_fraction"] == clf.support_.mean()
    assert extras["transform_time_full"] > 0 and extras["transform_time_pruned"] > 0

    benchmark = pytest.importorskip("sklearn_geom.benchmark")
    try:
        benchmark.run_ucr_benchmark(
            tmp_path, datasets=["UnitTest"], methods=["rocket", "detach_rocket"], n_runs=1,
            n_kernels=100, progress=False, verbose=False, published=False,
        )  # fmt: skip
    except (ValueError, FileNotFoundError) as exc:  # no bundled data here
        pytest.skip(f"UnitTest is not bundled here: {exc}")
    report = (tmp_path / "report.md").read_text()
    assert "## Pruning (Detach-ROCKET)" in report
    row = [ln for ln in report.splitlines() if ln.startswith("| UnitTest | detach_rocket |")]
    assert len(row) == 1 and row[0].count("|") == 8
