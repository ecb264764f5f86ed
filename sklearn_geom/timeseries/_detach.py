"""DetachRocket: ROCKET-family features pruned by Sequential Feature Detachment."""

import copy
import warnings
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ..feature_selection import SequentialFeatureDetachment
from ..feature_selection._path import DEFAULT_ALPHAS
from ._input import is_list_collection
from ._rocket import RocketTransformer


def _is_tabular(X):
    """A 2-D array-like (validated by scikit-learn's rules), not a 3-D array or a list of series.

    A list of equal-length 1-D series is a 2-D array (the same features either way).
    """
    if is_list_collection(X):
        try:
            return np.asarray(X, dtype=np.float64).ndim == 2
        except (ValueError, TypeError):  # unequal lengths
            return False
    ndim = getattr(X, "ndim", None)
    return (np.asarray(X).ndim if ndim is None else ndim) != 3


class DetachRocket(ClassifierMixin, BaseEstimator):
    """Detach-ROCKET: a ROCKET-family classifier pruned by Sequential Feature Detachment.

    ``RocketTransformer`` (any ``kind``) -> standardisation -> :class:`~sklearn_geom.\
feature_selection.SequentialFeatureDetachment` -> ridge classifier (alpha chosen by
    leave-one-out on the selected features).  The full model (ridge on all the features)
    is fitted too and kept for comparison (:meth:`score_full`); :meth:`prune` returns a
    deployable pipeline whose transformer computes only the kernels behind the selected
    features.  :meth:`predict` already uses that pruned transformer.

    Read more in the :ref:`User Guide <feature_selection>`.

    Parameters
    ----------
    kind : {"rocket", "minirocket", "multirocket"}, default="rocket"
        The transform (see :class:`RocketTransformer`).
    n_kernels : int or None, default=None
        Size of the transform, as in :class:`RocketTransformer` (None: 10,000 kernels for
        ROCKET, i.e. 20,000 features).
    n_features_to_select : int, float or None, default=None
        None: automatic selection on a stratified validation split with ``trade_off``;
        an int or a fraction: fixed pruning level (see
        :class:`~sklearn_geom.feature_selection.SequentialFeatureDetachment`).
    trade_off : float, default=0.1
        Weight of model size against relative validation accuracy.
    drop_ratio : float, default=0.05
        Fraction of the surviving features detached per step.
    max_steps : int, default=150
        Largest number of steps of the path.
    multiclass_importance : {"max", "l2", "l1"}, default="max"
        Aggregation of the one-vs-all ridge coefficients.
    cv : int, cross-validation generator, iterable or None, default=None
        Validation of the automatic selection: None for one stratified split of
        ``validation_fraction``, else cross-validation.
    validation_fraction : float, default=0.33
        Held-out fraction of the training series for the automatic selection.
    memory : str, joblib.Memory or None, default=None
        Cache of the SFD paths (grid searches over the pruning level reuse them).
    n_jobs : int or None, default=None
        Threads for the transform and the linear algebra.
    random_state : int, RandomState instance or None, default=None
        Seeds the kernels and the validation split.

    Attributes
    ----------
    transformer_ : RocketTransformer
        The fitted full transform.
    pruned_transformer_ : RocketTransformer
        A copy computing only the kernels behind the selected features.
    selector_ : SequentialFeatureDetachment
        The fitted selector (its path, scores and final ridge ``selector_.estimator_``;
        the transform's constant features, detached first, in
        ``selector_.constant_features_``).
    full_model_ : Pipeline
        ``StandardScaler`` + ``RidgeClassifierCV`` on all the features, for comparison.
    support_ : ndarray of bool of shape (n_transform_features,)
        The selected features of the transform.
    retained_fraction_ : float
        Fraction of the transform's features kept.
    classes_ : ndarray
        Class labels.
    n_features_in_ : int
        Number of time points, defined only when :meth:`fit` got a 2-D array.

    See Also
    --------
    RocketTransformer : The transform.
    sklearn_geom.feature_selection.SequentialFeatureDetachment : The selector.

    References
    ----------
    .. [1] G. Uribarri, F. Barone, A. Ansuini, E. Fransén, "Detach-ROCKET: sequential
       feature selection for time series classification with random convolutional
       kernels", Data Mining and Knowledge Discovery 38, 3922-3947 (2024).
       https://doi.org/10.1007/s10618-024-01062-7
    .. [2] A. Dempster, F. Petitjean, G. I. Webb, "ROCKET: exceptionally fast and accurate
       time series classification using random convolutional kernels", Data Mining and
       Knowledge Discovery 34, 1454-1495 (2020). https://doi.org/10.1007/s10618-020-00701-z

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.timeseries import DetachRocket
    >>> rng = np.random.RandomState(0)
    >>> X = np.cumsum(rng.normal(size=(60, 50)), axis=1)
    >>> y = (X[:, -1] > X[:, 0]).astype(int)
    >>> clf = DetachRocket(n_kernels=200, random_state=0).fit(X, y)
    >>> clf.retained_fraction_ < 1.0
    True
    >>> deploy = clf.prune()          # transform computes only the selected kernels
    >>> bool((deploy.predict(X) == clf.predict(X)).all())
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "kind": [StrOptions({"rocket", "minirocket", "multirocket"})],
        "n_kernels": [Interval(Integral, 1, None, closed="left"), None],
        "n_features_to_select": [
            None,
            Interval(RealNotInt, 0, 1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "trade_off": [Interval(Real, 0, None, closed="left")],
        "drop_ratio": [Interval(Real, 0, 1, closed="neither")],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "multiclass_importance": [StrOptions({"max", "l2", "l1"})],
        "cv": ["cv_object", None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        kind="rocket",
        *,
        n_kernels=None,
        n_features_to_select=None,
        trade_off=0.1,
        drop_ratio=0.05,
        max_steps=150,
        multiclass_importance="max",
        cv=None,
        validation_fraction=0.33,
        memory=None,
        n_jobs=None,
        random_state=None,
    ):
        self.kind = kind
        self.n_kernels = n_kernels
        self.n_features_to_select = n_features_to_select
        self.trade_off = trade_off
        self.drop_ratio = drop_ratio
        self.max_steps = max_steps
        self.multiclass_importance = multiclass_importance
        self.cv = cv
        self.validation_fraction = validation_fraction
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_X(self, X, reset):
        if _is_tabular(X):
            return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        if reset:
            for attr in ("n_features_in_", "feature_names_in_"):
                if hasattr(self, attr):
                    delattr(self, attr)
        return X

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Transform, run Sequential Feature Detachment, fit the pruned and the full model.

        Parameters
        ----------
        X : array-like of shape (n_cases, n_timepoints) or (n_cases, n_channels, \
n_timepoints), or list of arrays
            Training series (as accepted by :class:`RocketTransformer`).
        y : array-like of shape (n_cases,)
            Class labels (at least two classes).

        Returns
        -------
        self : DetachRocket
            The fitted classifier.
        """
        if _is_tabular(X):
            X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        else:
            X = self._check_X(X, reset=True)
            y = column_or_1d(y, warn=True)
            if len(X) != y.shape[0]:
                raise ValueError(
                    f"X and y have different numbers of cases: {len(X)} and {y.shape[0]}."
                )
        check_classification_targets(y)
        self.transformer_ = RocketTransformer(
            kind=self.kind,
            n_kernels=self.n_kernels,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
        )
        features = self.transformer_.fit_transform(X)
        selector = SequentialFeatureDetachment(
            n_features_to_select=self.n_features_to_select,
            drop_ratio=self.drop_ratio,
            max_steps=self.max_steps,
            multiclass_importance=self.multiclass_importance,
            trade_off=self.trade_off,
            cv=self.cv,
            validation_fraction=self.validation_fraction,
            memory=self.memory,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
        )
        with warnings.catch_warnings():
            # ROCKET features are often constant (a PPV of 0 or 1 on every training series):
            # expected here, so the selector's warning is silenced; they are listed in
            # selector_.constant_features_ and detached first
            warnings.filterwarnings("ignore", message=".*feature\\(s\\) are constant")
            self.selector_ = selector.fit(features, y)
        self.classes_ = self.selector_.classes_
        self.support_ = self.selector_.support_
        self.retained_fraction_ = float(self.support_.mean())
        self.full_model_ = Pipeline(
            [
                ("scaler", StandardScaler()),
                ("ridge", RidgeClassifierCV(alphas=DEFAULT_ALPHAS)),
            ]
        ).fit(features, y)
        self.pruned_transformer_ = copy.deepcopy(self.transformer_).keep_features(self.support_)
        return self

    def _pruned_features(self, X):
        check_is_fitted(self, "selector_")
        X = self._check_X(X, reset=False)
        return self.selector_.scaler_.transform(self.pruned_transformer_.transform(X))

    def decision_function(self, X):
        """Decision values of the pruned model.

        Parameters
        ----------
        X : array-like or list of arrays
            Series, as in :meth:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_cases,) or (n_cases, n_classes)
            Ridge decision values (binary: of ``classes_[1]``).
        """
        features = self._pruned_features(X)
        return self.selector_.estimator_.decision_function(features)

    def predict(self, X):
        """Predict classes with the pruned model (only the selected kernels are computed).

        Parameters
        ----------
        X : array-like or list of arrays
            Series, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_cases,)
            Predicted class labels.
        """
        features = self._pruned_features(X)
        return self.selector_.estimator_.predict(features)

    def predict_full(self, X):
        """Predict classes with the full (unpruned) model.

        Parameters
        ----------
        X : array-like or list of arrays
            Series, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_cases,)
            Predicted class labels of ridge on all the features.
        """
        check_is_fitted(self, "full_model_")
        X = self._check_X(X, reset=False)
        return self.full_model_.predict(self.transformer_.transform(X))

    def score_full(self, X, y):
        """Accuracy of the full (unpruned) model, for comparison with :meth:`score`.

        Parameters
        ----------
        X : array-like or list of arrays
            Series, as in :meth:`fit`.
        y : array-like of shape (n_cases,)
            True labels.

        Returns
        -------
        score : float
            Accuracy of ridge on all the features of the transform.
        """
        return float(np.mean(self.predict_full(X) == np.asarray(y)))

    def benchmark_extras(self, X, y):
        """Figures of the pruning on test data, for the UCR benchmark's report.

        Parameters
        ----------
        X : array-like or list of arrays
            Test series.
        y : array-like of shape (n_cases,)
            Their labels.

        Returns
        -------
        extras : dict
            ``retained_fraction``, ``accuracy_full`` (ridge on all the features) and the
            seconds of the full and of the pruned transform of ``X``
            (``transform_time_full``, ``transform_time_pruned``).
        """
        import time

        check_is_fitted(self, "selector_")
        X = self._check_X(X, reset=False)
        t0 = time.perf_counter()
        full = self.transformer_.transform(X)
        t1 = time.perf_counter()
        self.pruned_transformer_.transform(X)
        t2 = time.perf_counter()
        accuracy_full = float(np.mean(self.full_model_.predict(full) == np.asarray(y)))
        return {
            "retained_fraction": self.retained_fraction_,
            "accuracy_full": accuracy_full,
            "transform_time_full": t1 - t0,
            "transform_time_pruned": t2 - t1,
        }

    def prune(self):
        """A deployable model computing only the kernels behind the selected features.

        Returns
        -------
        model : Pipeline
            ``pruned RocketTransformer -> StandardScaler (selected features) -> ridge``,
            all fitted (independent copies); its predictions equal those of the full
            transform restricted to the selected features followed by the same scaler
            and ridge.
        """
        check_is_fitted(self, "selector_")
        return Pipeline(
            [
                ("rocket", copy.deepcopy(self.pruned_transformer_)),
                ("scaler", copy.deepcopy(self.selector_.scaler_)),
                ("ridge", copy.deepcopy(self.selector_.estimator_)),
            ]
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        # random kernels on tabular toy data (series of 2-10 time points) score poorly
        tags.classifier_tags.poor_score = True
        return tags
