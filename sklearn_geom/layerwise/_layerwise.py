"""Fit one clone of an estimator on every representation and collect a tidy profile."""

import inspect
import numbers

import numpy as np
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed

from ..utils import check_layers, progress

__all__ = ["LayerwiseEstimator", "layerwise_profile"]

_REFERENCES = ("previous", "next", "first", "last")


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ImportError(
            "The layerwise profile is a pandas DataFrame: pip install pandas "
            "(extra 'sklearn_geom[layerwise]')."
        ) from exc
    return pd


def _is_scalar(v):
    if isinstance(v, (bool, np.bool_)):
        return True
    if isinstance(v, numbers.Number):
        return True
    return isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "biuf"


def fitted_scalars(estimator):
    """Public fitted attributes (``name_``) of ``estimator`` that are numbers.

    ``n_features_in_`` is left out (the profile has a ``width`` column).
    """
    out = {}
    for k, v in vars(estimator).items():
        if k.startswith("_") or not k.endswith("_") or k == "n_features_in_":
            continue
        if _is_scalar(v):
            out[k] = v.item() if isinstance(v, np.generic | np.ndarray) else v
    return out


def _n_required_positional(f):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):  # builtins without a signature: assume (X, y)
        return 2
    return sum(
        1
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    )


def _metric_name(f):
    return getattr(f, "__name__", None) or getattr(getattr(f, "func", None), "__name__", "metric")


def _as_named(metrics, what):
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        items = dict(metrics)
    elif callable(metrics):
        items = {_metric_name(metrics): metrics}
    else:
        items = {_metric_name(f): f for f in metrics}
    for name, f in items.items():
        if not callable(f):
            raise TypeError(f"{what}[{name!r}] is not callable.")
    return items


def _columns(name, value):
    """One or several profile columns from a metric's value (tuples give name_0, name_1...)."""
    if isinstance(value, dict):
        return {f"{name}_{k}": v for k, v in value.items()}
    if isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return {f"{name}_{i}": v for i, v in enumerate(value)}
    if not _is_scalar(value):
        raise TypeError(
            f"Metric {name!r} returned a {type(value).__name__}; a profile needs a number, "
            "a tuple of numbers or a dict of numbers per layer."
        )
    return {name: value.item() if isinstance(value, np.generic | np.ndarray) else value}


def _call_metric(name, f, X, y):
    if _n_required_positional(f) >= 2:
        if y is None:
            raise ValueError(f"Metric {name!r} needs labels: pass y to fit.")
        return f(X, y)
    return f(X)


def _auto_scores(estimator, y):
    """ARI and NMI of a clusterer's labels_ against y."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = getattr(estimator, "labels_", None)
    if labels is None or y is None:
        return {}
    labels = np.asarray(labels)
    if labels.shape != np.shape(y):
        return {}
    return {
        "ari": adjusted_rand_score(y, labels),
        "nmi": normalized_mutual_info_score(y, labels),
    }


def _fit_layer(estimator, X, y, X_ref, metrics, pair_metrics, scoring, fit_params):
    """Everything of one layer, in one task (so it can run on a Dask worker)."""
    row = {}
    est = None
    if estimator is not None:
        est = estimator.fit(X, y, **fit_params) if y is not None and _accepts_y(estimator) \
            else estimator.fit(X, **fit_params)
        row.update(fitted_scalars(est))
        if scoring == "auto":
            row.update(_auto_scores(est, y))
        elif scoring:
            for name, scorer in scoring.items():
                row.update(_columns(name, scorer(est, X, y)))
    for name, f in metrics.items():
        row.update(_columns(name, _call_metric(name, f, X, y)))
    for name, f in pair_metrics.items():
        if X_ref is None:
            value = np.nan
            # keep the column layout of tuple-valued metrics: filled in later
            row[name] = value
        else:
            row.update(_columns(name, f(X, X_ref)))
    return est, row


def _accepts_y(estimator):
    try:
        params = inspect.signature(estimator.fit).parameters
    except (TypeError, ValueError):
        return False
    return "y" in params


class LayerwiseEstimator(BaseEstimator):
    """Fit an estimator on every representation of the same points; tidy profile.

    The input is an ordered sequence of representations of the same ``N``
    points — the layers of a network (e.g. from
    :class:`~sklearn_geom.activations.TorchActivations`), training checkpoints,
    or the generations of an evolving population.  A clone of ``estimator`` is
    fitted on each, ``metrics`` are evaluated on each, ``pair_metrics`` between
    each representation and a reference, and everything lands in one pandas
    DataFrame ``profile_`` with one row per representation: its name, depth,
    relative depth ``l / (L - 1)``, width, every numeric fitted attribute of the
    estimator (``dimension_``, ``n_clusters_``, ...), and the scores.

    Estimators that take all layers at once (those with an ``n_layers``
    parameter, such as :class:`~sklearn_geom.topology.PersistenceSimilarity`)
    are fitted once on the whole stack; their per-layer arrays (length ``L``)
    become columns.

    Parameters
    ----------
    estimator : estimator, default=None
        Estimator to clone per representation (None: only the metrics).
    metrics : callable, list or dict of callables, default=None
        Per-layer metrics ``f(X)`` or, when the callable has two required
        positional parameters, ``f(X, y)`` (e.g.
        ``functools.partial(label_overlap, n_neighbors=30)``).  A dict gives the
        column names; otherwise the function names are used.  A metric may
        return a number, a tuple (columns ``name_0``, ``name_1``, ...) or a dict.
    pair_metrics : callable, list or dict of callables, default=None
        Metrics ``f(X_layer, X_reference)`` between each representation and the
        reference (e.g. :func:`~sklearn_geom.metrics.neighborhood_overlap`,
        :func:`~sklearn_geom.metrics.information_imbalance`).
    reference : {"previous", "next", "first", "last"}, int, str or array-like, \
            default="previous"
        Reference of ``pair_metrics``: the neighbouring representation (NaN on
        the first / last row), the first or last one, a layer index or name,
        or an array of the same ``N`` points (e.g. the input data).
    scoring : "auto", dict or None, default="auto"
        Scores of the fitted estimator per layer when ``y`` is given:
        ``"auto"`` adds ``ari`` and ``nmi`` (adjusted Rand index and normalised
        mutual information of ``labels_`` against ``y``) for clusterers; a dict
        ``{name: f(fitted_estimator, X, y)}`` gives custom columns.
    n_layers : int, default=None
        How to split plain 2-D input into representations (equal column
        blocks); see :func:`~sklearn_geom.utils.check_layers`.
    precomputed : bool, default=False
        The representations are kNN graphs (then the estimator must take
        ``metric="precomputed"``).
    n_neighbors : int, default=None
        Share one neighbour search per representation: the exact
        ``n_neighbors``-nearest-neighbour graph of each representation (a
        :class:`~sklearn_geom.neighbors.KNNGraph` from
        :func:`~sklearn_geom.neighbors.compute_knn`, with the estimator's
        ``metric``) is computed once and given, in place of the points, to the
        estimator (fitted with ``metric="precomputed"``), to the metrics and to
        the pair metrics (pass those ``metric="precomputed"``, e.g.
        ``partial(neighborhood_overlap, n_neighbors=30, metric="precomputed")``);
        a pair metric gets the reference's graph.  Take the largest number of
        neighbours any of them needs; they see only these (DensityPeak's ``k*``
        is capped at ``n_neighbors``).  The estimator must have a ``metric``
        parameter.  None: every consumer gets the points and searches them itself.
    n_jobs : int, default=None
        Layers fitted in parallel through :class:`sklearn.utils.parallel.Parallel`
        (so ``joblib.parallel_config(backend="dask")`` sends them to a Dask
        cluster).  Results do not depend on it.
    progress : bool, default=False
        Progress bar over layers (sequential runs only).

    Attributes
    ----------
    profile_ : pandas.DataFrame
        One row per representation: ``layer``, ``depth``, ``relative_depth``,
        ``width``, the estimator's numeric fitted attributes, the scores and
        metrics.
    estimators_ : list of estimators
        The fitted clones, one per representation (a list of one for a
        whole-stack estimator).
    layer_names_ : list of str
        Names of the representations.
    n_layers_ : int
        Number of representations.
    n_features_in_ : int
        Number of columns of plain 2-D input (only then).

    See Also
    --------
    layerwise_profile : The same as a function returning the DataFrame.
    sklearn_geom.plotting.plot_layer_profile : Profiles against relative depth.

    References
    ----------
    .. [1] Ansuini, Laio, Macke, Zoccolan, "Intrinsic dimension of data
       representations in deep neural networks", NeurIPS 2019.
    .. [2] Doimo, Glielmo, Ansuini, Laio, "Hierarchical nucleation in deep neural
       networks", NeurIPS 2020.
    .. [3] Valeriani, Doimo, Cuturello, Laio, Ansuini, Cazzaniga, "The geometry
       of hidden representations of large transformer models", NeurIPS 2023.

    Examples
    --------
    Three representations of the same 500 points: a 2-D plane embedded in 10
    dimensions, then with 4 and 8 more noisy directions.

    >>> import numpy as np
    >>> from sklearn_geom.dimension import TwoNN
    >>> from sklearn_geom.layerwise import LayerwiseEstimator
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.uniform(size=(500, 2)) @ rng.normal(size=(2, 10))
    >>> layers = {f"l{d}": np.c_[Z, rng.normal(size=(500, d))] for d in (0, 4, 8)}
    >>> lw = LayerwiseEstimator(TwoNN()).fit(layers)
    >>> lw.profile_[["layer", "relative_depth", "width"]]
      layer  relative_depth  width
    0    l0             0.0     10
    1    l4             0.5     14
    2    l8             1.0     18
    >>> lw.profile_["dimension_"].round(0).tolist()
    [2.0, 6.0, 9.0]
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"]), None],
        "metrics": [callable, list, tuple, dict, None],
        "pair_metrics": [callable, list, tuple, dict, None],
        # a keyword, a layer index or name, or an array: checked against the layers in fit
        "reference": "no_validation",
        "scoring": [StrOptions({"auto"}), dict, None],
        "n_layers": [numbers.Integral, None],
        "precomputed": ["boolean"],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_jobs": [numbers.Integral, None],
        "progress": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        metrics=None,
        pair_metrics=None,
        reference="previous",
        scoring="auto",
        n_layers=None,
        precomputed=False,
        n_neighbors=None,
        n_jobs=None,
        progress=False,
    ):
        self.estimator = estimator
        self.metrics = metrics
        self.pair_metrics = pair_metrics
        self.reference = reference
        self.scoring = scoring
        self.n_layers = n_layers
        self.precomputed = precomputed
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs
        self.progress = progress

    def _whole_stack(self):
        return self.estimator is not None and "n_layers" in self.estimator.get_params(deep=False)

    def _reference_of(self, layers, l, inputs=None, array_input=None):
        # inputs: what each layer is given as (default its array); array_input: what
        # an array reference is given as (default the validated array)
        ref = self.reference
        L = layers.n_layers
        inputs = layers.arrays if inputs is None else inputs
        if isinstance(ref, str) and ref in _REFERENCES:
            j = {"previous": l - 1, "next": l + 1, "first": 0, "last": L - 1}[ref]
            return inputs[j] if 0 <= j < L else None
        if isinstance(ref, numbers.Integral) and not isinstance(ref, bool):
            if not -L <= ref < L:
                raise ValueError(f"reference={ref} is not a layer index (there are {L} layers).")
            return inputs[ref]
        if isinstance(ref, str):
            if ref not in layers.names:
                raise ValueError(f"reference={ref!r} is not a layer name: {list(layers.names)}.")
            return inputs[layers.names.index(ref)]
        if array_input is not None:
            return array_input
        arr = np.asarray(ref)
        if arr.ndim != 2 or arr.shape[0] != layers.n_samples:
            raise ValueError(
                f"An array reference must have shape (n_samples={layers.n_samples}, "
                f"n_features); got {arr.shape}."
            )
        return arr

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Fit the estimator and evaluate the metrics on every representation.

        Parameters
        ----------
        X : dict, list, 3-D array, LayeredData or 2-D array
            The representations (see :func:`~sklearn_geom.utils.check_layers`).
        y : array-like of shape (n_samples,), default=None
            Labels for the scores and the labelled metrics; passed to the
            estimator's ``fit`` when it takes ``y``.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : LayerwiseEstimator
            The fitted meta-estimator.
        """
        pd = _pandas()
        from sklearn.utils.validation import check_array

        layers = check_layers(X, n_layers=self.n_layers, precomputed=self.precomputed,
                              estimator=self, reset=True)
        if y is not None:
            y = np.asarray(y)
            if y.ndim != 1 or y.shape[0] != layers.n_samples:
                raise ValueError(
                    f"y must be 1-D with one label per point ({layers.n_samples}), got shape "
                    f"{y.shape}."
                )
            check_array(y, ensure_2d=False, dtype=None, ensure_all_finite=True)
        metrics = _as_named(self.metrics, "metrics")
        pair_metrics = _as_named(self.pair_metrics, "pair_metrics")
        scoring = self.scoring
        L = layers.n_layers
        whole = self._whole_stack()
        if whole and self.n_neighbors is not None:
            raise ValueError(
                "n_neighbors (one shared kNN graph per representation) is for estimators "
                f"fitted per representation; {type(self.estimator).__name__} takes the whole "
                "stack."
            )
        if whole:
            est = clone(self.estimator).fit(X if not hasattr(X, "arrays") else
                                            {n: a for n, a in layers}, **fit_params)
            results = [
                _fit_layer(None, a, y, self._reference_of(layers, l), metrics, pair_metrics,
                           scoring, {})
                for l, a in enumerate(layers.arrays)
            ]
            rows = [r for _, r in results]
            for l, row in enumerate(rows):
                row.update(_stack_columns(est, l, L))
            self.estimators_ = [est]
        else:
            estimator, inputs, array_input = self.estimator, None, None
            if self.n_neighbors is not None:
                estimator, inputs, array_input = self._shared_graphs(layers)
            tasks = (
                delayed(_fit_layer)(
                    None if estimator is None else clone(estimator),
                    a if inputs is None else inputs[l], y,
                    self._reference_of(layers, l, inputs, array_input), metrics, pair_metrics,
                    scoring, fit_params,
                )
                for l, a in enumerate(layers.arrays)
            )
            if self.n_jobs in (None, 1) and self.progress:
                tasks = progress(list(tasks), desc="layers")
            results = Parallel(n_jobs=self.n_jobs)(tasks)
            self.estimators_ = [e for e, _ in results]
            rows = [r for _, r in results]
        base = pd.DataFrame({
            "layer": list(layers.names),
            "depth": np.arange(L),
            "relative_depth": np.arange(L) / max(L - 1, 1),
            "width": [np.nan if w is None else w for w in layers.widths],
        })
        extra = pd.DataFrame(rows)
        # tuple-valued pair metrics: rows without a reference got one NaN column
        for name in pair_metrics:
            split = [c for c in extra.columns if c.startswith(f"{name}_")]
            if split and name in extra.columns:
                extra = extra.drop(columns=name)
        self.profile_ = pd.concat([base, extra], axis=1)
        self.layer_names_ = list(layers.names)
        self.n_layers_ = L
        return self

    def _shared_graphs(self, layers):
        """One kNN graph per representation (and per array reference), computed once.

        Returns the estimator set to read them (``metric="precomputed"``), the graphs
        and the graph of an array reference (None when the reference is a layer).
        """
        from ..neighbors import compute_knn

        if self.precomputed:
            raise ValueError(
                "n_neighbors computes one kNN graph per representation from the points; "
                "with precomputed=True the representations are graphs already."
            )
        estimator, metric = self.estimator, "euclidean"
        if estimator is not None:
            params = estimator.get_params(deep=False)
            if "metric" not in params:
                raise ValueError(
                    f"n_neighbors: {type(estimator).__name__} has no metric parameter, so it "
                    "cannot read the shared kNN graphs (metric='precomputed')."
                )
            if params["metric"] != "precomputed":
                metric = params["metric"]
            estimator = clone(estimator).set_params(metric="precomputed")
        k = int(self.n_neighbors)
        graphs = Parallel(n_jobs=self.n_jobs)(
            delayed(compute_knn)(a, k, metric=metric) for a in layers.arrays
        )
        array_input = None
        ref = self.reference
        if not isinstance(ref, str | numbers.Integral):
            array_input = compute_knn(self._reference_of(layers, 0), k, metric=metric)
        return estimator, graphs, array_input

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        return tags


def _stack_columns(est, l, L):
    """Per-layer columns of a whole-stack estimator: its arrays whose first axis has length L."""
    out = {}
    for k, v in vars(est).items():
        if k.startswith("_") or not k.endswith("_") or not isinstance(v, np.ndarray):
            continue
        if v.dtype.kind not in "biuf" or v.ndim == 0 or v.shape[0] != L:
            continue
        if v.ndim == 1:
            out[k] = v[l].item()
        elif v.ndim == 2 and v.shape[1] != L:
            for j in range(v.shape[1]):
                out[f"{k}{j}"] = v[l, j].item()
    pruned = getattr(est, "layers_to_prune_", None)
    if pruned is not None:
        out["pruned"] = bool(l in set(np.asarray(pruned).tolist()))
    return out


def layerwise_profile(X, estimator=None, y=None, **params):
    """Profile of ``estimator`` and metrics over the representations ``X``.

    A shortcut for ``LayerwiseEstimator(estimator, **params).fit(X, y).profile_``.

    Parameters
    ----------
    X : dict, list, 3-D array, LayeredData or 2-D array
        The representations of the same points.
    estimator : estimator, default=None
        Estimator to clone per representation.
    y : array-like of shape (n_samples,), default=None
        Labels.
    **params : dict
        Parameters of :class:`LayerwiseEstimator`.

    Returns
    -------
    profile : pandas.DataFrame
        One row per representation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.layerwise import layerwise_profile
    >>> from sklearn_geom.metrics import hoyer_sparseness
    >>> layers = [np.eye(4), np.ones((4, 4))]
    >>> layerwise_profile(layers, metrics=hoyer_sparseness)["hoyer_sparseness"].tolist()
    [1.0, 0.0]
    """
    return LayerwiseEstimator(estimator, **params).fit(X, y).profile_
