"""Tests of SequentialFeatureDetachment.

The reference for the path is a brute-force loop written here: scikit-learn's
``RidgeClassifier`` refitted from scratch on the surviving features at every step (the
reference procedure of Uribarri et al., 2024, with the index tie-break documented by the
estimator), on data standardised by scikit-learn's ``StandardScaler``.  The reference for the
automatic selection re-implements the paper's criterion (validation split, alpha by
``RidgeClassifierCV``, trade-off with a 3-point smoothing that averages only existing
neighbours) with scikit-learn pieces.
"""

import os
import pickle
import warnings

import numpy as np
import pytest
from joblib import Memory
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, RidgeClassifier, RidgeClassifierCV
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_geom.feature_selection import SequentialFeatureDetachment, step_counts
from sklearn_geom.feature_selection._path import detachment_path

ALPHAS = np.logspace(-10, 10, 20)


def _data(n=60, p=300, n_classes=3, seed=0, informative=6):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    rng.shuffle(y)
    X = rng.normal(size=(n, p))
    X[:, :informative] += 1.2 * y[:, None] * rng.normal(size=informative)
    return X, y


def _importance(coef, how):
    coef = np.atleast_2d(coef)
    if coef.shape[0] == 1:
        return np.abs(coef[0])
    if how == "max":
        return np.abs(coef).max(axis=0)
    if how == "l2":
        return np.linalg.norm(coef, axis=0)
    return np.abs(coef).sum(axis=0)


def _reference_path(Xs, y, counts, estimator, how, Xv=None, yv=None):
    """Refit from scratch at every step; masks, coefficients and validation accuracy."""
    p = Xs.shape[1]
    alive = np.arange(p)
    masks, coefs, val = [], [], []
    imp = None
    for k, cnt in enumerate(counts):
        if k > 0:
            order = np.argsort(imp, kind="stable")  # alive is in index order
            alive = np.sort(alive[order[len(alive) - cnt :]])
        est = estimator.fit(Xs[:, alive], y)
        mask = np.zeros(p, dtype=bool)
        mask[alive] = True
        masks.append(mask)
        coefs.append((alive.copy(), np.atleast_2d(est.coef_).T.copy()))
        imp = _importance(est.coef_, how)
        if Xv is not None:
            val.append(np.mean(est.predict(Xv[:, alive]) == yv))
    return masks, coefs, np.array(val)


@pytest.mark.parametrize(
    "n, p, n_classes, how, fit_intercept",
    [
        (40, 400, 2, "max", True),  # dual, binary
        (60, 300, 3, "max", True),  # dual, multiclass
        (60, 300, 4, "l2", True),
        (50, 250, 3, "l1", False),
        (80, 60, 3, "max", True),  # primal from the start (n_samples > n_features)
    ],
)
def test_fast_path_equals_refit(n, p, n_classes, how, fit_intercept):
    """Masks of every step equal refitting RidgeClassifier from scratch; coefficients agree."""
    X, y = _data(n, p, n_classes)
    Xs = StandardScaler().fit_transform(X)
    alpha = 3.0
    counts = step_counts(p, 0.05, 150)
    record = []
    res = detachment_path(
        X, y, None, None,
        classes=np.unique(y), counts=counts, how=how, scale=True, n_threads=1, verbose=False,
        estimator=RidgeClassifier(alpha=alpha, fit_intercept=fit_intercept), record=record,
    )  # fmt: skip
    masks, coefs, _ = _reference_path(
        Xs, y, counts, RidgeClassifier(alpha=alpha, fit_intercept=fit_intercept), how
    )
    assert len(record) == len(counts) == len(masks)
    for k, mask in enumerate(masks):
        np.testing.assert_array_equal(res["last_step"] >= k, mask, err_msg=f"step {k}")
        ids, coef = record[k]
        ref_ids, ref_coef = coefs[k]
        order = np.argsort(ids)
        np.testing.assert_array_equal(ids[order], ref_ids)
        atol = 1e-9 * abs(ref_coef).max()
        np.testing.assert_allclose(coef[order], ref_coef, rtol=1e-7, atol=atol)
    # ranking: step k keeps exactly the counts[k] best ranked features
    for k, cnt in enumerate(counts):
        np.testing.assert_array_equal(res["ranking"] <= cnt, masks[k])
    assert sorted(res["ranking"]) == list(range(1, p + 1))


def test_default_alpha_is_ridgeclassifiercv_loo():
    """The default path's alpha is the one RidgeClassifierCV's leave-one-out picks."""
    for seed, (n, p, c) in enumerate([(40, 300, 2), (60, 200, 3), (70, 500, 5)]):
        X, y = _data(n, p, c, seed=seed)
        Xs = StandardScaler().fit_transform(X)
        ref = RidgeClassifierCV(alphas=ALPHAS).fit(Xs, y).alpha_
        res = detachment_path(
            X, y, None, None,
            classes=np.unique(y), counts=step_counts(p, 0.05, 3), estimator=None, how="max",
            scale=True, n_threads=1, verbose=False,
        )  # fmt: skip
        assert res["alpha"] == ref


def test_automatic_selection_equals_reference_procedure():
    """Validation split, scaling and alpha on the training part, trade-off selection: the
    selected mask is the reference's feature set of the selected step itself."""
    X, y = _data(90, 400, 3, seed=1)
    sfd = SequentialFeatureDetachment(random_state=0).fit(X, y)
    # the reference procedure, written with scikit-learn pieces
    tr, va = train_test_split(np.arange(90), test_size=0.33, stratify=y, random_state=0)
    tr, va = np.sort(tr), np.sort(va)
    scaler = StandardScaler().fit(X[tr])
    Xs, Xv = scaler.transform(X[tr]), scaler.transform(X[va])
    alpha = RidgeClassifierCV(alphas=ALPHAS).fit(Xs, y[tr]).alpha_
    counts = step_counts(400, 0.05, 150)
    ridge = RidgeClassifier(alpha=alpha)
    masks, _, val = _reference_path(Xs, y[tr], counts, ridge, "max", Xv, y[va])
    np.testing.assert_allclose(sfd.validation_scores_, val)
    rel = val / val[0]
    smooth = np.array(
        [rel[max(k - 1, 0) : k + 2].mean() for k in range(len(rel))]
    )  # centred, no zero padding
    objective = 0.1 * (1 - counts / 400) + smooth
    k_best = int(np.argmax(objective))
    assert sfd.selected_step_ == k_best
    np.testing.assert_array_equal(sfd.support_, masks[k_best])
    np.testing.assert_allclose(sfd.objective_, objective)
    # final model: ridge with alpha chosen again, on all the data restricted to the mask
    Xall = StandardScaler().fit_transform(X[:, masks[k_best]])
    ref_final = RidgeClassifierCV(alphas=ALPHAS).fit(Xall, y)
    np.testing.assert_allclose(sfd.estimator_.coef_, ref_final.coef_, rtol=1e-6, atol=1e-10)
    np.testing.assert_array_equal(sfd.predict(X), ref_final.predict(Xall))


def test_first_and_last_steps_can_be_selected():
    """Without zero padding in the smoothing, the ends of the path are selectable."""
    X, y = _data(60, 200, 2, seed=2)
    # huge trade-off: the smallest model wins
    sfd = SequentialFeatureDetachment(trade_off=1e3, random_state=0).fit(X, y)
    assert sfd.selected_step_ == len(sfd.step_n_features_) - 1
    assert sfd.n_features_ == sfd.step_n_features_[-1]
    # pure noise features only: nothing beats the full model's smoothed accuracy when the
    # validation accuracy falls along the path; trade_off=0 and a path that only gets worse
    from sklearn_geom.feature_selection._path import select_step

    step, _ = select_step(np.array([1.0, 0.9, 0.8]), np.array([0.9, 0.5, 0.4]), 0.0, 3)
    assert step == 0


@pytest.mark.parametrize("m", [1, 7, 57, 300, 0.1, 1.0])
def test_n_features_to_select(m):
    """Exactly m features, the best ranked of the path on all the data (refit reference)."""
    X, y = _data(60, 300, 3)
    sfd = SequentialFeatureDetachment(n_features_to_select=m).fit(X, y)
    expected = m if isinstance(m, int) else max(1, int(m * 300))
    assert sfd.n_features_ == expected
    assert sfd.transform(X).shape == (60, expected)
    np.testing.assert_array_equal(sfd.support_, sfd.ranking_ <= expected)
    assert sfd.validation_scores_ is None
    k = sfd.selected_step_
    assert sfd.step_n_features_[k] >= expected
    assert k == len(sfd.step_n_features_) - 1 or sfd.step_n_features_[k + 1] < expected
    # when m is a step size, the mask is that step's feature set of the refit reference
    counts = sfd.step_n_features_
    if expected in counts:
        Xs = StandardScaler().fit_transform(X)
        masks, _, _ = _reference_path(Xs, y, counts, RidgeClassifier(alpha=sfd.alpha_), "max")
        np.testing.assert_array_equal(sfd.support_, masks[list(counts).index(expected)])


def test_cv_selection_and_n_jobs_independence():
    X, y = _data(60, 200, 3, seed=3)
    a = SequentialFeatureDetachment(cv=3, n_jobs=1).fit(X, y)
    b = SequentialFeatureDetachment(cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.support_, b.support_)
    assert a.cv_scores_.shape == (3, len(a.step_n_features_))
    np.testing.assert_allclose(a.validation_scores_, a.cv_scores_.mean(axis=0))
    # the mask is the selected step of the path on all the data
    np.testing.assert_array_equal(a.support_, a.last_step_ >= a.selected_step_)
    assert a.n_features_ == a.step_n_features_[a.selected_step_]


def test_deterministic():
    X, y = _data(60, 200, 3, seed=4)
    a = SequentialFeatureDetachment(random_state=3).fit(X, y)
    b = SequentialFeatureDetachment(random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.support_, b.support_)
    np.testing.assert_array_equal(a.validation_scores_, b.validation_scores_)


def test_binary_and_string_labels():
    X, y = _data(50, 150, 2, seed=5)
    labels = np.array(["neg", "pos"])[y]
    a = SequentialFeatureDetachment(n_features_to_select=10).fit(X, y)
    b = SequentialFeatureDetachment(n_features_to_select=10).fit(X, labels)
    np.testing.assert_array_equal(a.support_, b.support_)
    np.testing.assert_array_equal(b.classes_, ["neg", "pos"])
    np.testing.assert_array_equal(labels[a.predict(X)], b.predict(X))
    auto = SequentialFeatureDetachment(random_state=0).fit(X, labels)
    assert set(auto.predict(X)) <= {"neg", "pos"}


def test_multiclass_aggregations_differ_and_match_reference():
    X, y = _data(60, 200, 4, seed=6)
    Xs = StandardScaler().fit_transform(X)
    supports = {}
    for how in ("max", "l2", "l1"):
        sfd = SequentialFeatureDetachment(
            RidgeClassifier(alpha=1.0), n_features_to_select=20, multiclass_importance=how
        ).fit(X, y)
        counts = sfd.step_n_features_
        masks, _, _ = _reference_path(Xs, y, counts, RidgeClassifier(alpha=1.0), how)
        for k, mask in enumerate(masks):
            np.testing.assert_array_equal(sfd.last_step_ >= k, mask)
        supports[how] = sfd.support_
    assert not np.array_equal(supports["max"], supports["l1"])


def test_generic_estimators_refit_path():
    """coef_ (LogisticRegression) and feature_importances_ (random forest) through the
    generic refit path, against the same loop written here."""
    X, y = _data(60, 80, 3, seed=7)
    Xs = StandardScaler().fit_transform(X)
    lr = LogisticRegression(C=0.5, max_iter=500)
    sfd = SequentialFeatureDetachment(lr, n_features_to_select=10, max_steps=30).fit(X, y)
    masks, _, _ = _reference_path(Xs, y, sfd.step_n_features_, lr, "max")
    for k, mask in enumerate(masks):
        np.testing.assert_array_equal(sfd.last_step_ >= k, mask)
    assert np.isnan(sfd.alpha_)
    rf = RandomForestClassifier(n_estimators=10, random_state=0)
    sfd = SequentialFeatureDetachment(rf, n_features_to_select=5, max_steps=10).fit(X, y)
    assert sfd.n_features_ == 5
    assert sfd.support_[:6].sum() >= 3  # the informative features survive


def test_constant_features_reported():
    X, y = _data(60, 100, 3, seed=8)
    X[:, [10, 20]] = 4.0
    with pytest.warns(UserWarning, match="2 feature\\(s\\) are constant"):
        sfd = SequentialFeatureDetachment(n_features_to_select=50).fit(X, y)
    np.testing.assert_array_equal(sfd.constant_features_, [10, 20])
    # importance 0: detached first, index 10 before 20
    assert sfd.ranking_[10] == 100 and sfd.ranking_[20] == 99
    assert sfd.last_step_[10] == 0
    # automatic selection (split, folds): constant over all the data (np.ptp == 0), not
    # only over a training part
    X[:, 30] = 2.0
    X[:5, 30] = 1.0  # feature 30 is constant except on the first 5 samples
    for kw in ({"random_state": 0}, {"cv": 3}):
        with pytest.warns(UserWarning, match="2 feature\\(s\\) are constant"):
            sfd = SequentialFeatureDetachment(**kw).fit(X, y)
        np.testing.assert_array_equal(sfd.constant_features_, np.flatnonzero(np.ptp(X, 0) == 0))


def test_bad_input():
    X, y = _data(30, 50, 2)
    with pytest.raises(ValueError, match="at least two classes"):
        SequentialFeatureDetachment(n_features_to_select=3).fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="larger than the number of features"):
        SequentialFeatureDetachment(n_features_to_select=51).fit(X, y)
    with pytest.raises(InvalidParameterError):
        SequentialFeatureDetachment(n_features_to_select=0).fit(X, y)
    with pytest.raises(InvalidParameterError):
        SequentialFeatureDetachment(n_features_to_select=1.5).fit(X, y)
    with pytest.raises(ValueError, match="need at least 5 samples of every class"):
        SequentialFeatureDetachment(cv=5).fit(X[:8], np.array([0, 1] * 4))
    with pytest.raises(ValueError, match="stratified validation split needs"):
        SequentialFeatureDetachment().fit(X[:3], np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="neither a coef_ nor a feature_importances_"):
        SequentialFeatureDetachment(KNeighborsClassifier(3), n_features_to_select=3).fit(X, y)
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SequentialFeatureDetachment(n_features_to_select=3).fit(Xn, y)


def test_pickle_roundtrip():
    X, y = _data(50, 120, 3)
    sfd = SequentialFeatureDetachment(random_state=0).fit(X, y)
    back = pickle.loads(pickle.dumps(sfd))
    np.testing.assert_array_equal(back.predict(X), sfd.predict(X))
    np.testing.assert_array_equal(back.transform(X), sfd.transform(X))


def _cache_entries(location):
    n = 0
    for _root, _dirs, files in os.walk(location):
        if "output.pkl" in files:
            n += 1
    return n


def test_grid_search_reuses_one_path_per_fold(tmp_path):
    """GridSearchCV over n_features_to_select (10 levels x 3 folds): 3 + 1 paths computed."""
    X, y = _data(60, 200, 3, seed=9)
    memory = Memory(tmp_path / "cache", verbose=0)
    pipe = make_pipeline(
        SequentialFeatureDetachment(memory=memory), RidgeClassifierCV(alphas=ALPHAS)
    )
    levels = [2, 5, 10, 20, 30, 50, 80, 120, 160, 200]
    grid = GridSearchCV(pipe, {"sequentialfeaturedetachment__n_features_to_select": levels}, cv=3)
    grid.fit(X, y)
    assert _cache_entries(tmp_path / "cache") == 3 + 1  # folds + refit on all data
    # the cached results equal uncached fits
    for params in grid.cv_results_["params"][:3]:
        fresh = make_pipeline(SequentialFeatureDetachment(), RidgeClassifierCV(alphas=ALPHAS))
        fresh.set_params(**params).fit(X, y)
        cached = make_pipeline(
            SequentialFeatureDetachment(memory=memory), RidgeClassifierCV(alphas=ALPHAS)
        )
        cached.set_params(**params).fit(X, y)
        np.testing.assert_array_equal(fresh[0].support_, cached[0].support_)
    # trade_off in the automatic mode shares the paths too
    memory2 = Memory(tmp_path / "cache2", verbose=0)
    grid2 = GridSearchCV(
        SequentialFeatureDetachment(memory=memory2, random_state=0),
        {"trade_off": [0.0, 0.05, 0.1, 0.5, 1.0]},
        cv=3,
    ).fit(X, y)
    assert _cache_entries(tmp_path / "cache2") == 3 + 1
    assert grid2.best_estimator_.n_features_ >= 1


def test_dask_backend():
    """Under joblib's dask backend on a LocalCluster the results equal the sequential ones."""
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    X, y = _data(60, 150, 3, seed=10)
    seq = SequentialFeatureDetachment(cv=3).fit(X, y)
    grid_params = {"n_features_to_select": [5, 20]}
    seq_grid = GridSearchCV(SequentialFeatureDetachment(), grid_params, cv=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dashboard / port warnings of the local cluster
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster),
        ):
            with parallel_config(backend="dask"):
                par = SequentialFeatureDetachment(cv=3, n_jobs=2).fit(X, y)
                par_grid = GridSearchCV(
                    SequentialFeatureDetachment(), grid_params, cv=3, n_jobs=2
                ).fit(X, y)
    np.testing.assert_array_equal(par.support_, seq.support_)
    np.testing.assert_allclose(par.cv_scores_, seq.cv_scores_)
    np.testing.assert_allclose(
        par_grid.cv_results_["mean_test_score"], seq_grid.cv_results_["mean_test_score"]
    )


def test_plot_detachment_path():
    """The plotted curve is the fitted path; the marker is the selected step."""
    pytest.importorskip("matplotlib")
    from sklearn_geom.plotting import plot_detachment_path

    X, y = _data(60, 200, 3, seed=11)
    sfd = SequentialFeatureDetachment(random_state=0).fit(X, y)
    ax = plot_detachment_path(sfd)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), sfd.retained_fraction_)
    np.testing.assert_allclose(line.get_ydata(), sfd.validation_scores_)
    offsets = ax.collections[0].get_offsets()
    k = sfd.selected_step_
    np.testing.assert_allclose(offsets[0], [sfd.retained_fraction_[k], sfd.validation_scores_[k]])
    with pytest.raises(ValueError, match="no validation scores"):
        plot_detachment_path(SequentialFeatureDetachment(n_features_to_select=3).fit(X, y))


def test_loo_alpha_against_brute_force_leave_one_out():
    """The path's alpha is the best of a brute-force leave-one-out (n refits of Ridge on
    one-vs-all targets), also for tiny alphas where the closed form must project out the
    intercept direction to keep its precision."""
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import LabelBinarizer

    X, y = _data(24, 150, 3, seed=12, informative=2)
    Xs = StandardScaler().fit_transform(X)
    Y = LabelBinarizer(neg_label=-1).fit_transform(y).astype(float)

    def brute(alpha):
        err = []
        for i in range(len(y)):
            m = np.arange(len(y)) != i
            pred = Ridge(alpha=alpha).fit(Xs[m], Y[m]).predict(Xs[i : i + 1])
            err.append(((pred - Y[i]) ** 2).mean())
        return -np.mean(err)

    res = detachment_path(
        X, y, None, None,
        classes=np.unique(y), counts=step_counts(150, 0.05, 2), estimator=None, how="max",
        scale=True, n_threads=1, verbose=False,
    )  # fmt: skip
    scores = {a: brute(a) for a in ALPHAS}
    best = max(scores.values())
    assert scores[res["alpha"]] >= best - 1e-9 * abs(best)


def test_refit_false_has_no_final_estimator():
    X, y = _data(40, 100, 2, seed=13)
    sfd = SequentialFeatureDetachment(n_features_to_select=5, refit=False).fit(X, y)
    assert not hasattr(sfd, "estimator_") and not hasattr(sfd, "predict")
    ref = SequentialFeatureDetachment(n_features_to_select=5).fit(X, y)
    np.testing.assert_array_equal(sfd.transform(X), ref.transform(X))


@pytest.mark.parametrize("n_classes, n_select", [(2, 150), (4, 150), (2, 40), (4, 40)])
def test_final_ridge_from_eigendecomposition_equals_ridgeclassifier(n_classes, n_select):
    """The final ridge is built from the leave-one-out eigendecomposition (more selected
    features than samples) or SVD (fewer); reference: scikit-learn's ``RidgeClassifier``
    with the same alpha fitted on the standardised selected features, and with fewer
    features than samples (no tiny-alpha plateau) ``RidgeClassifierCV``'s alpha."""
    X, y = _data(100, 400, n_classes, seed=3, informative=6)
    labels = np.array(["a", "b", "c", "d"])[y]
    sfd = SequentialFeatureDetachment(n_features_to_select=n_select).fit(X, labels)
    Xall = StandardScaler().fit_transform(X[:, sfd.support_])
    np.testing.assert_allclose(sfd.scaler_.transform(X[:, sfd.support_]), Xall, atol=1e-12)
    assert sfd.estimator_.alpha in ALPHAS  # the choice itself: test_loo_alpha_* above
    if n_select < 100:
        cv_ref = RidgeClassifierCV(alphas=ALPHAS).fit(Xall, labels)
        assert sfd.estimator_.alpha == cv_ref.alpha_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = RidgeClassifier(alpha=sfd.estimator_.alpha).fit(Xall, labels)
    np.testing.assert_allclose(sfd.estimator_.coef_, ref.coef_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sfd.estimator_.intercept_, ref.intercept_, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(sfd.estimator_.classes_, ref.classes_)
    np.testing.assert_array_equal(sfd.predict(X), ref.predict(Xall))
    np.testing.assert_allclose(
        sfd.decision_function(X), ref.decision_function(Xall), rtol=1e-6, atol=1e-8
    )
    assert sfd.score(X, labels) == ref.score(Xall, labels)
    # pickling keeps the built estimator usable
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(sfd)).predict(X), sfd.predict(X))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cache_fingerprint_detects_non_finite(tmp_path, dtype):
    """With a ``memory``, finiteness comes from the cache fingerprint's pass over X
    (exponent bits); reference: ``np.isfinite`` on every position and value, and the error
    of scikit-learn's own validation (as without ``memory``)."""
    from sklearn_geom.feature_selection._path import fingerprint

    rng = np.random.RandomState(0)
    for size in (1, 3, 8, 9, 17):
        a = rng.normal(size=size).astype(dtype)
        assert fingerprint(a)[1] == bool(np.isfinite(a).all())
        a[-1] = np.finfo(dtype).max  # largest finite value
        assert fingerprint(a)[1]
        for pos in range(size):
            for bad in (np.nan, np.inf, -np.inf):
                b = a.copy()
                b[pos] = bad
                assert fingerprint(b)[1] == bool(np.isfinite(b).all()) is False
    X, y = _data(30, 50, 2)
    X = X.astype(dtype)
    for bad, match in ((np.nan, "NaN"), (np.inf, "infinity")):
        Xn = X.copy()
        Xn[7, 13] = bad
        for memory in (None, Memory(tmp_path / "cache", verbose=0)):
            with pytest.raises(ValueError, match=match):
                SequentialFeatureDetachment(n_features_to_select=3, memory=memory).fit(Xn, y)


@pytest.mark.parametrize("scale", [True, False])
def test_predict_checks_all_columns_and_matches_standard_scaler(scale):
    """predict/score select and standardise in one pass that also checks finiteness of
    every column (a NaN in a detached column still raises, as scikit-learn's validation);
    reference: StandardScaler fitted on the selected columns + RidgeClassifier(alpha_ of
    the final model) fitted by scikit-learn."""
    X, y = _data(60, 120, 3, seed=4)
    sfd = SequentialFeatureDetachment(n_features_to_select=10, scale=scale).fit(X, y)
    Xsel = X[:, sfd.support_]
    if scale:
        ref_scaler = StandardScaler().fit(Xsel)
        Xsel = ref_scaler.transform(Xsel)
    ref = RidgeClassifier(alpha=sfd.estimator_.alpha).fit(Xsel, y)
    np.testing.assert_allclose(sfd.decision_function(X), ref.decision_function(Xsel), atol=1e-9)
    np.testing.assert_array_equal(sfd.predict(X), ref.predict(Xsel))
    assert sfd.score(X, y) == pytest.approx(ref.score(Xsel, y))
    dropped = int(np.flatnonzero(~sfd.support_)[0])
    for bad, match in ((np.nan, "NaN"), (np.inf, "infinity")):
        Xn = X.copy()
        Xn[5, dropped] = bad
        with pytest.raises(ValueError, match=match):
            sfd.predict(Xn)
        with pytest.raises(ValueError, match=match):
            sfd.score(Xn, y)


def test_label_types():
    """Integer, string and integral float labels are accepted with the same selection;
    continuous float labels raise scikit-learn's error (as check_classification_targets)."""
    X, y = _data(40, 60, 3, seed=2)
    ref = SequentialFeatureDetachment(n_features_to_select=5).fit(X, y).support_
    for labels in (y.astype(np.int32), y.astype(str), y.astype(float)):
        sfd = SequentialFeatureDetachment(n_features_to_select=5).fit(X, labels)
        np.testing.assert_array_equal(sfd.support_, ref)
        assert sfd.score(X, labels) == pytest.approx(np.mean(sfd.predict(X) == labels))
    with pytest.raises(ValueError, match="Unknown label type"):
        SequentialFeatureDetachment(n_features_to_select=5).fit(X, y + 0.5 * np.arange(40))
