"""SequentialFeatureDetachment: feature selection by sequential detachment of the least
important features of a (ridge) classifier (Uribarri et al., 2024)."""

import threading
import warnings
from collections import OrderedDict
from functools import partial
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from joblib import Memory
from joblib import hash as joblib_hash
from sklearn.base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.linear_model import RidgeClassifier, RidgeClassifierCV
from sklearn.model_selection import check_cv, train_test_split
from sklearn.preprocessing import LabelBinarizer, StandardScaler
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    assert_all_finite,
    check_is_fitted,
    check_memory,
    validate_data,
)

from ..utils import effective_n_jobs
from ..utils._numba import blas_threads
from ._path import (
    DEFAULT_ALPHAS,
    cached_detachment_path,
    data_key,
    detachment_path,
    fingerprint,
    ridge_loo_alpha,
    ridge_loo_primal,
    select_step,
    step_counts,
)
from ._path_numba import select_center, select_standardise

# The last paths served through a `memory`, in this process, keyed by the cache location,
# the data fingerprint and the path parameters: a grid-search candidate on a cached fold
# then skips joblib's argument hashing, code check and unpickling (~8 ms a call).
_MEMO = OrderedDict()
_MEMO_SIZE = 16
_MEMO_LOCK = threading.Lock()


def _memo_part(name, value):
    """A hashable stand-in for one path parameter in the in-process memo key (arrays by
    :func:`fingerprint`, joblib's hash only for objects such as an estimator)."""
    if name in ("n_threads", "verbose"):
        return None
    if isinstance(value, np.ndarray):
        return (name, fingerprint(value)[0])
    if value is None or isinstance(value, (str, bool, int, float)):
        return (name, type(value).__name__, value)
    return (name, joblib_hash(value))


def _call_cached_path(cached, location, X_train, y_train, X_val, y_val, x_key=None, **kwargs):
    # x_key: the fingerprint of X_train when the caller has it already
    key = data_key(X_train if x_key is None else x_key, y_train, X_val, y_val)
    if location is None:
        return cached(key, X_train, y_train, X_val, y_val, **kwargs)
    memo_key = (location, key, *(_memo_part(k, v) for k, v in sorted(kwargs.items())))
    with _MEMO_LOCK:
        res = _MEMO.get(memo_key)
        if res is not None:
            _MEMO.move_to_end(memo_key)
    if res is None:
        res = cached(key, X_train, y_train, X_val, y_val, **kwargs)
        with _MEMO_LOCK:
            _MEMO[memo_key] = res
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    # copies: the fitted attributes must not share memory with the memo
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in res.items()}


_PATH_FUNCTIONS = {}  # cache folder given as a str -> its path function


def _path_function(memory):
    """The path function, cached by ``memory`` with the data keyed by :func:`data_key`, and
    whether it caches (then it takes the fingerprint of ``X_train`` as ``x_key``)."""
    if isinstance(memory, Memory) and memory.location is None:
        return detachment_path, False
    if isinstance(memory, str):  # as check_memory: joblib.Memory(location=memory, verbose=0)
        with _MEMO_LOCK:
            fn = _PATH_FUNCTIONS.get(memory)
            if fn is None:
                fn = _path_function(Memory(location=memory, verbose=0))
                while len(_PATH_FUNCTIONS) >= _MEMO_SIZE:  # keep the last few folders only
                    del _PATH_FUNCTIONS[next(iter(_PATH_FUNCTIONS))]
                _PATH_FUNCTIONS[memory] = fn
        return fn
    cached = memory.cache(
        cached_detachment_path,
        ignore=["X_train", "y_train", "X_val", "y_val", "n_threads", "verbose"],
    )
    location = getattr(memory, "location", None)  # None: another memory-like object
    path = partial(_call_cached_path, cached, None if location is None else str(location))
    return path, True


def _fit_scaler(X, support):
    """``StandardScaler().fit(X[:, support])`` and the transformed columns (float64).

    Mean, population variance and the constant-feature rule (a scale of 1 where the
    variance is at rounding level) as scikit-learn's ``StandardScaler``, computed in two
    passes over the selected columns (its incremental mean-and-variance routine and the
    column selection make several more).  The columns come out centred
    (``(x - mean) / scale``).
    """
    n = X.shape[0]
    Xs, mean, var = select_center(X, np.flatnonzero(support))
    eps = np.finfo(np.float64).eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    scale = np.sqrt(var)
    scale[constant | (scale < 10 * eps)] = 1.0
    scaler = StandardScaler()
    scaler.n_features_in_ = Xs.shape[1]
    scaler.n_samples_seen_ = n
    scaler.mean_ = mean
    scaler.var_ = var
    scaler.scale_ = scale
    Xs /= scale
    return scaler, Xs


def _estimator_has(attr):
    def check(self):
        if hasattr(self, "support_"):  # fitted
            return hasattr(self, "estimator_") and hasattr(self.estimator_, attr)
        est = self.estimator if self.estimator is not None else RidgeClassifierCV()
        return self.refit and hasattr(est, attr)

    return check


class SequentialFeatureDetachment(SelectorMixin, MetaEstimatorMixin, BaseEstimator):
    """Sequential Feature Detachment (SFD): detach the least important features step by step.

    The path (Uribarri et al., 2024): standardise the features; fit a ridge classifier on
    all of them (alpha chosen once by efficient leave-one-out CV over
    ``logspace(-10, 10, 20)``); at each step keep the ``1 - drop_ratio`` most important
    features (importance ``|coef|``, aggregated over the one-vs-all classes) and refit on
    them, for at most ``max_steps`` steps.  The number of features of step ``k`` is
    ``floor(n_features * (1 - drop_ratio) ** k)`` (repeats removed); step 0 is the full
    model.  The selected feature set is then either

    - the ``n_features_to_select`` most important features of the path (the grid-search
      knob), or
    - the feature set of the step maximising
      ``trade_off * (1 - retained fraction) + smoothed(val_acc / val_acc_full)`` on a
      stratified validation split (``cv=None``, fraction ``validation_fraction``) or on
      cross-validation folds (``cv``); the path and the scaling of each split are fitted
      on its training part only.

    Finally ``estimator_`` (by default a ridge classifier choosing alpha again by
    leave-one-out) is refitted on all the data restricted to the selected features.

    With the default ridge classifier (or a ``RidgeClassifier`` / ``RidgeClassifierCV``
    with exact solver and no class weights) the path is computed exactly but without
    refitting: while there are more features than samples, in the dual through the Gram
    matrix ``K = X X^T`` of the surviving features, downdated ``K -= X_F X_F^T`` as the
    features ``F`` leave (one-vs-all targets in {-1, 1} as ``RidgeClassifier``, the
    intercept by centring), then in the primal with the sub-indexed ``X^T X``.  Its masks
    equal those of refitting ``RidgeClassifier`` at every step.  Any other estimator with
    ``coef_`` or ``feature_importances_`` is refitted at every step.

    Read more in the :ref:`User Guide <feature_selection>`.

    Parameters
    ----------
    estimator : estimator instance or None, default=None
        The classifier whose coefficients rank the features.  None means
        ``RidgeClassifierCV(alphas=np.logspace(-10, 10, 20))``: alpha is chosen once by
        leave-one-out on all features of the training part and kept along the path, and
        the final model chooses it again on the selected features (``estimator_`` is the
        ``RidgeClassifier`` of the alpha of the same leave-one-out criterion, computed
        directly from one eigendecomposition or SVD).  A
        ``RidgeClassifierCV`` behaves the same with its own alphas; a ``RidgeClassifier``
        keeps its alpha.  Other estimators need ``coef_`` or ``feature_importances_``
        after fit and are refitted at every step.
    n_features_to_select : int, float or None, default=None
        None: automatic selection with ``trade_off`` on validation data.  An int: the
        number of features to keep; a float in (0, 1]: the fraction of the features to
        keep (at least one).  The selected features are the most important ones of the
        path computed on all the data (the feature set of a step when the number equals
        that step's size); changing it only changes the cut, so a grid search over it
        reuses one path per fold with ``memory``.
    drop_ratio : float, default=0.05
        Fraction of the surviving features detached at each step.
    max_steps : int, default=150
        Largest number of steps of the path (including the full model).
    multiclass_importance : {"max", "l2", "l1"}, default="max"
        Aggregation of the one-vs-all coefficients into one importance per feature:
        the largest ``|coef|`` over the classes, their Euclidean norm, or the sum of
        their absolute values.  Binary problems use ``|coef|``.
    trade_off : float, default=0.1
        Weight of the fraction of detached features against the relative validation
        accuracy in the automatic selection (0: accuracy only).
    smoothing : int, default=3
        Width of the centred moving average applied to the relative validation accuracy;
        at the ends only the existing neighbours are averaged (no zero padding), so every
        step, the full model and the last one included, can be selected.
    cv : int, cross-validation generator, iterable or None, default=None
        Automatic selection: None uses one stratified split (``validation_fraction`` of the
        samples for validation, the path on the rest); otherwise the validation accuracy of
        each step is averaged over the folds (stratified k-fold for an int) and the
        selected number of features is cut from the path on all the data.
    validation_fraction : float, default=0.33
        Fraction of the samples held out for validation when ``cv`` is None.
    scale : bool, default=True
        Standardise the features (mean 0, variance 1) on the training part of each path
        and for the final estimator.  The reference method works on standardised features.
    refit : bool, default=True
        Fit ``estimator_`` on the selected features (for :meth:`predict`, :meth:`score`).
        False skips it, e.g. in a pipeline whose next step is the classifier.
    memory : str, joblib.Memory or None, default=None
        Cache of the paths (joblib.Memory, as in sklearn's ``Pipeline``), keyed by the
        data and the path parameters (``estimator``, ``drop_ratio``, ``max_steps``,
        ``multiclass_importance``, ``scale``, the validation split) but not by
        ``n_features_to_select``, ``trade_off`` or ``smoothing``: a grid search over these
        computes one path per fold.  A str is the cache folder.
    n_jobs : int or None, default=None
        Threads of the linear algebra of the path and processes/threads (joblib) for the
        cross-validation folds.  None means 1, -1 all cores.  The result does not depend
        on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split (``cv=None``) and the estimator's own randomness if it
        has any (through cloning).
    verbose : int, default=0
        Show a progress bar over the steps of each path.

    Attributes
    ----------
    support_ : ndarray of bool of shape (`n_features_in_`,)
        The selected features.
    n_features_ : int
        Number of selected features.
    ranking_ : ndarray of int of shape (`n_features_in_`,)
        Order of detachment on the path used for the cut: 1 for the most important
        feature (detached last), ``n_features_in_`` for the first one detached.  The
        features of step ``k`` are those with ``ranking_ <= step_n_features_[k]``.
    last_step_ : ndarray of int of shape (`n_features_in_`,)
        Per feature, the last step of that path at which it is alive.  The mask of step
        ``k`` is ``last_step_ >= k``.
    step_n_features_ : ndarray of int of shape (n_steps,)
        Number of features of each step (step 0: all).
    retained_fraction_ : ndarray of shape (n_steps,)
        ``step_n_features_ / n_features_in_``.
    validation_scores_ : ndarray of shape (n_steps,) or None
        Validation accuracy of each step (mean over the folds with ``cv``); None when
        ``n_features_to_select`` is given.
    cv_scores_ : ndarray of shape (n_splits, n_steps) or None
        Per-fold validation accuracy with ``cv``; None otherwise.
    objective_ : ndarray of shape (n_steps,) or None
        The selection criterion of each step (automatic selection only).
    selected_step_ : int
        The selected step; with ``n_features_to_select``, the last step whose feature set
        contains the selection.
    alpha_ : float
        Ridge alpha along the path (NaN for other estimators).
    constant_features_ : ndarray of int
        Indices of the features constant over the training data.  Their importance is 0,
        so they are detached first (a warning says so).
    estimator_ : estimator instance
        The final estimator, fitted on all the data restricted to the selected features
        (standardised when ``scale``); absent when ``refit=False``.
    scaler_ : StandardScaler or None
        The standardisation of the selected features used by ``estimator_`` (None when
        ``scale=False`` or ``refit=False``).
    classes_ : ndarray
        Class labels.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of str
        Names of features seen during fit, when they are all strings.

    See Also
    --------
    sklearn.feature_selection.RFE : Recursive feature elimination (refits at every step).
    sklearn_geom.timeseries.DetachRocket : ROCKET features pruned by this selector.

    Notes
    -----
    Differences from the reference implementation (detach_rocket): the selected mask is
    the feature set of the selected step itself (not of the step before it); the scaling
    and the alpha of the path are fitted on the training part of the validation split
    only (no leakage); the smoothing does not pad with zeros, so the full model and the
    last step can be selected; constant features are reported in ``constant_features_``
    with a warning instead of silently dropping out; ties in importance are broken by the
    feature index (the earlier feature is detached first).

    References
    ----------
    .. [1] G. Uribarri, F. Barone, A. Ansuini, E. Fransén, "Detach-ROCKET: sequential
       feature selection for time series classification with random convolutional
       kernels", Data Mining and Knowledge Discovery 38, 3922-3947 (2024).
       https://doi.org/10.1007/s10618-024-01062-7

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.feature_selection import SequentialFeatureDetachment
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 300))
    >>> y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> sfd = SequentialFeatureDetachment(n_features_to_select=10).fit(X, y)
    >>> sfd.transform(X).shape
    (60, 10)
    >>> bool(sfd.support_[0] and sfd.support_[1])
    True
    >>> auto = SequentialFeatureDetachment(random_state=0).fit(X, y)
    >>> int(auto.n_features_) < 300
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit"]), None],
        "n_features_to_select": [
            None,
            Interval(RealNotInt, 0, 1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "drop_ratio": [Interval(Real, 0, 1, closed="neither")],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "multiclass_importance": [StrOptions({"max", "l2", "l1"})],
        "trade_off": [Interval(Real, 0, None, closed="left")],
        "smoothing": [Interval(Integral, 1, None, closed="left")],
        "cv": ["cv_object", None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "scale": ["boolean"],
        "refit": ["boolean"],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_features_to_select=None,
        drop_ratio=0.05,
        max_steps=150,
        multiclass_importance="max",
        trade_off=0.1,
        smoothing=3,
        cv=None,
        validation_fraction=0.33,
        scale=True,
        refit=True,
        memory=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.n_features_to_select = n_features_to_select
        self.drop_ratio = drop_ratio
        self.max_steps = max_steps
        self.multiclass_importance = multiclass_importance
        self.trade_off = trade_off
        self.smoothing = smoothing
        self.cv = cv
        self.validation_fraction = validation_fraction
        self.scale = scale
        self.refit = refit
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ helpers
    def _set_constant(self, constant):
        self.constant_features_ = constant
        if constant.size:
            warnings.warn(
                f"{constant.size} feature(s) are constant (indices {constant[:10].tolist()}"
                f"{'...' if constant.size > 10 else ''}); their importance is 0, so they are "
                "detached first. See constant_features_.",
                UserWarning,
                stacklevel=4,
            )

    def _path_estimator(self):
        """The (unfitted) estimator passed to the path; None stands for the default."""
        return None if self.estimator is None else clone(self.estimator)

    def _fit_final(self, Xsel, y, centred=False):
        """The final estimator on the selected (standardised) features.

        Default: a ``RidgeClassifier`` whose alpha is chosen again by efficient
        leave-one-out over ``np.logspace(-10, 10, 20)`` (the criterion of
        ``RidgeClassifierCV``), computed directly: with more features than samples from
        the eigendecomposition of the centred Gram matrix (as on the path), otherwise from
        the SVD of the centred features; the coefficients of the chosen alpha come from
        the same decomposition (no refit, and not the coefficients of every alpha that
        scikit-learn's ``RidgeClassifierCV`` computes).  ``centred``: the columns of
        ``Xsel`` already have mean 0 (the standardised ones), not centred again.
        """
        if self.estimator is not None:
            return clone(self.estimator).fit(Xsel, y)
        n, m = Xsel.shape
        y_enc = np.searchsorted(self.classes_, y)
        if self.classes_.shape[0] == 2:
            Y = np.where(y_enc == 1, 1.0, -1.0)[:, None]
        else:
            Y = -np.ones((n, self.classes_.shape[0]))
            Y[np.arange(n), y_enc] = 1.0
        Xc = Xsel
        if centred:
            xm = np.zeros(m)
        else:
            xm = Xsel.mean(axis=0)
            Xc -= xm  # Xsel is the selector's own copy
        ym = Y.mean(axis=0)
        if m > n:
            # divide and conquer ("evd"): ~2x faster than the default at this size
            alpha, dual = ridge_loo_alpha(
                Xc @ Xc.T, Y - ym, DEFAULT_ALPHAS, True, return_dual=True, driver="evd"
            )
            coef = np.ascontiguousarray(dual.T) @ Xc  # (X_c^T c)^T
        else:
            alpha, coef = ridge_loo_primal(Xc, Y - ym, DEFAULT_ALPHAS)
        # the fitted RidgeClassifier of that alpha (its fitted-attribute layout; a test
        # checks it against RidgeClassifier(alpha).fit on the same data)
        est = RidgeClassifier(alpha=alpha)
        # LabelBinarizer(pos_label=1, neg_label=-1).fit(y), from the known classes
        binarizer = LabelBinarizer(pos_label=1, neg_label=-1)
        binarizer.classes_ = self.classes_
        binarizer.y_type_ = "binary" if self.classes_.shape[0] == 2 else "multiclass"
        binarizer.sparse_input_ = False
        est._label_binarizer = binarizer
        est.classes_ = self.classes_
        est.intercept_ = ym - coef @ xm
        # scikit-learn keeps a binary problem's coefficients as a 1-D array
        est.coef_ = coef[0] if coef.shape[0] == 1 else coef
        est.n_features_in_ = m
        est.solver_ = "cholesky" if m > n else "svd"
        est.n_iter_ = None
        return est

    def _n_select(self, n_features):
        m = self.n_features_to_select
        if m is None:
            return None
        if isinstance(m, Integral):
            if m > n_features:
                raise ValueError(
                    f"n_features_to_select={m} is larger than the number of features "
                    f"({n_features})."
                )
            return int(m)
        return max(1, int(m * n_features))

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Compute the detachment path and select the features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).

        Returns
        -------
        self : SequentialFeatureDetachment
            The fitted selector.
        """
        X, y = validate_data(
            self, X, y, dtype=[np.float64, np.float32], ensure_min_samples=2,
            ensure_all_finite=False,
        )  # fmt: skip
        memory = self.memory
        path, caching = _path_function(memory if isinstance(memory, str) else check_memory(memory))
        x_kw = {}
        if caching:  # the cache key's fingerprint checks finiteness in the same pass over X
            x_kw["x_key"], finite = fingerprint(X)
        if not caching or not finite:  # raises scikit-learn's error on NaN / inf
            assert_all_finite(X, input_name="X", estimator_name=type(self).__name__)
        if y.ndim != 1 or y.dtype.kind not in "iubUS":  # 1-D int/str labels always qualify
            check_classification_targets(y)
        classes, y_enc, counts_per_class = np.unique(y, return_inverse=True, return_counts=True)
        if classes.shape[0] < 2:
            raise ValueError(
                f"SequentialFeatureDetachment needs at least two classes; got only {classes[0]!r}."
            )
        self.classes_ = classes
        n_samples, n_features = X.shape
        m = self._n_select(n_features)
        counts = step_counts(n_features, self.drop_ratio, self.max_steps)
        path_kw = {
            "classes": classes,
            "counts": counts,
            "estimator": self._path_estimator(),
            "how": self.multiclass_importance,
            "scale": self.scale,
        }
        verbose = bool(self.verbose)

        self.cv_scores_ = None
        self.objective_ = None
        if m is not None:
            res = path(X, y, None, None, n_threads=self.n_jobs, verbose=verbose, **x_kw, **path_kw)
            self._set_constant(res["constant"])
            support = res["ranking"] <= m
            self.selected_step_ = int(np.flatnonzero(counts >= m)[-1])
            self.validation_scores_ = None
        elif self.cv is None:
            min_count = counts_per_class.min()
            n_val = int(np.ceil(self.validation_fraction * n_samples))
            if min_count < 2 or n_val < classes.shape[0] or n_samples - n_val < classes.shape[0]:
                raise ValueError(
                    "Automatic selection on a stratified validation split needs at least 2 "
                    f"samples of every class and {classes.shape[0]} samples on each side of "
                    f"the split (validation_fraction={self.validation_fraction}); the "
                    f"smallest class has {min_count} sample(s) out of {n_samples}. Set "
                    "n_features_to_select instead."
                )
            train, val = train_test_split(
                np.arange(n_samples),
                test_size=self.validation_fraction,
                stratify=y_enc,
                random_state=self.random_state,
            )
            train, val = np.sort(train), np.sort(val)
            res = path(
                X[train], y[train], X[val], y[val],
                n_threads=self.n_jobs, verbose=verbose, **path_kw,
            )  # fmt: skip
            # constant on all of X = constant on the training part and on the rest
            cand = res["constant"]
            self._set_constant(cand[np.ptp(X[:, cand], axis=0) == 0] if cand.size else cand)
            self.validation_scores_ = res["val_scores"]
            self.selected_step_, self.objective_ = select_step(
                counts / n_features,
                self.validation_scores_,
                self.trade_off,
                self.smoothing,
            )
            support = res["last_step"] >= self.selected_step_
        else:
            cv = check_cv(self.cv, y, classifier=True)
            n_splits = cv.get_n_splits(X, y)
            if isinstance(self.cv, Integral) and counts_per_class.min() < n_splits:
                raise ValueError(
                    f"cv={n_splits} folds need at least {n_splits} samples of every class; the "
                    f"smallest class has {counts_per_class.min()}."
                )
            splits = list(cv.split(X, y))
            fold_res = Parallel(n_jobs=self.n_jobs)(
                delayed(path)(X[tr], y[tr], X[va], y[va], n_threads=1, verbose=verbose, **path_kw)
                for tr, va in splits
            )
            self.cv_scores_ = np.array([r["val_scores"] for r in fold_res])
            self.validation_scores_ = self.cv_scores_.mean(axis=0)
            self.selected_step_, self.objective_ = select_step(
                counts / n_features,
                self.validation_scores_,
                self.trade_off,
                self.smoothing,
            )
            res = path(X, y, None, None, n_threads=self.n_jobs, verbose=verbose, **x_kw, **path_kw)
            self._set_constant(res["constant"])
            support = res["last_step"] >= self.selected_step_

        self.support_ = support
        self.n_features_ = int(support.sum())
        self.ranking_ = res["ranking"]
        self.last_step_ = res["last_step"]
        self.step_n_features_ = counts
        self.retained_fraction_ = counts / n_features
        self.alpha_ = float(res["alpha"])

        self.scaler_ = None
        if hasattr(self, "estimator_"):
            del self.estimator_
        if not self.refit:
            return self
        if self.scale:
            self.scaler_, Xsel = _fit_scaler(X, support)
        else:
            Xsel = X[:, support].astype(np.float64)
        # BLAS on n_jobs threads, None: one (several are slower on small solves)
        with blas_threads(effective_n_jobs(1 if self.n_jobs is None else self.n_jobs)):
            self.estimator_ = self._fit_final(Xsel, y, centred=self.scale)
        return self

    # ------------------------------------------------------------------ selector API
    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_

    def _selected(self, X):
        check_is_fitted(self, "support_")
        X = validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32], ensure_all_finite=False
        )
        # selection and scaler_.transform in one pass, which also checks finiteness
        if self.scaler_ is not None:
            mean, scale = self.scaler_.mean_, self.scaler_.scale_
        else:
            mean, scale = np.zeros(self.n_features_), np.ones(self.n_features_)
        Xsel, finite = select_standardise(X, np.flatnonzero(self.support_), mean, scale, True)
        if not finite:  # raises scikit-learn's error on NaN / inf
            assert_all_finite(X, input_name="X", estimator_name=type(self).__name__)
        return Xsel

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict classes with ``estimator_`` on the selected features.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Samples (all the features; the selection is applied here).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        Xsel = self._selected(X)
        return self.estimator_.predict(Xsel)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of ``estimator_`` on the selected features.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Decision values.
        """
        Xsel = self._selected(X)
        return self.estimator_.decision_function(Xsel)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of ``estimator_`` on the selected features.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities.
        """
        Xsel = self._selected(X)
        return self.estimator_.predict_proba(Xsel)

    @available_if(_estimator_has("score"))
    def score(self, X, y):
        """Score (accuracy for classifiers) of ``estimator_`` on the selected features.

        Parameters
        ----------
        X : array-like of shape (n_samples, `n_features_in_`)
            Samples.
        y : array-like of shape (n_samples,)
            True labels.

        Returns
        -------
        score : float
            ``estimator_.score`` on the selected (and standardised) features.
        """
        Xsel = self._selected(X)
        if self.estimator is None:  # our RidgeClassifier: its accuracy, without re-checking
            # Xsel (checked already) or the labels' type as accuracy_score does; the
            # prediction of RidgeClassifier.predict (LinearClassifierMixin) on it
            est = self.estimator_
            dec = Xsel @ est.coef_.T + est.intercept_
            pred = self.classes_[(dec > 0).astype(np.intp) if dec.ndim == 1 else dec.argmax(1)]
            y_arr = np.asarray(y)
            if (
                y_arr.ndim == 1
                and y_arr.shape[0] == pred.shape[0]
                and y_arr.dtype.kind == self.classes_.dtype.kind
            ):
                return float(np.mean(pred == y_arr))
        return self.estimator_.score(Xsel, y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags
