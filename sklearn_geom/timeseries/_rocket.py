"""RocketTransformer: ROCKET, MiniRocket and MultiRocket random convolutional kernel features."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils import numba_threads
from ._input import check_3d, from_array, from_list, is_list_collection
from ._kernels import (
    MINIROCKET_INDICES,
    difference_collection,
    fit_minirocket,
    generate_rocket_kernels,
)
from ._minirocket_numba import mini_transform
from ._rocket_numba import rocket_transform, znormalise

_DEFAULT_N_KERNELS = {"rocket": 10_000, "minirocket": 10_000, "multirocket": 6_250}
_MULTI_POOLS = ("ppv", "lspv", "mpv", "mipv")
_REPRESENTATIONS = ("raw", "diff")


def _layout_error(shape):
    """Message for an array of a dimension RocketTransformer does not read."""
    hint = ""
    if len(shape) == 1:
        hint = " Reshape your data: a single univariate series is X.reshape(1, -1)."
    return (
        f"X has {len(shape)} dimension(s) (shape {tuple(shape)}); RocketTransformer accepts "
        "a 2-D array (n_cases, n_timepoints) of univariate series, a 3-D array "
        "(n_cases, n_channels, n_timepoints), or a list of 1-D (n_timepoints_i,) or 2-D "
        f"(n_channels, n_timepoints_i) series of possibly different lengths.{hint}"
    )


def _length_error(got, expected):
    """Message for 2-D input whose number of time points differs from fit's.

    The first sentence is scikit-learn's ``n_features_in_`` message (its checks match it).
    """
    return (
        f"X has {got} features, but RocketTransformer is expecting {expected} features as "
        f"input: it was fitted on a 2-D array (n_cases, n_timepoints) of series of "
        f"{expected} time points, and 2-D input keeps that number of time points. Series of "
        "other lengths are accepted as a 3-D array (n_cases, n_channels, n_timepoints) or "
        "as a list of series (unequal lengths allowed)."
    )


class RocketTransformer(TransformerMixin, BaseEstimator):
    """Random convolutional kernel features: ROCKET, MiniRocket and MultiRocket.

    One transformer for the three variants, chosen by ``kind``, so that a grid search can
    search over the variant (``{"kind": ["rocket", "minirocket"]}``); the variants share
    the input handling, normalisation, threading and pruning code.

    - ``"rocket"`` (Dempster et al., 2020): ``n_kernels`` random kernels, length in
      {7, 9, 11}, normal mean-centred weights, bias in U(-1, 1), random exponential
      dilation, padding with probability 1/2; two features per kernel, the proportion of
      positive values (PPV) and the max.  Multivariate: each kernel uses a random subset
      of the channels.
    - ``"minirocket"`` (Dempster et al., 2021): the 84 fixed length-9 kernels (weights -1
      and 2), up to ``max_dilations_per_kernel`` dilations each, biases from quantiles of
      the convolution output of random training examples; PPV only.
    - ``"multirocket"`` (Tan et al., 2022): MiniRocket kernels applied to the series and
      to its first difference (separate dilations and biases), four pooling operators:
      PPV, longest stretch of positive values (LSPV), mean of positive values (MPV), mean
      of indices of positive values (MIPV).

    Read more in the :ref:`User Guide <timeseries>`.

    Parameters
    ----------
    kind : {"rocket", "minirocket", "multirocket"}, default="rocket"
        The variant.
    n_kernels : int or None, default=None
        Size of the transform, with each paper's (and aeon's) convention:

        - ``"rocket"``: number of random kernels; ``2 * n_kernels`` features.
          Default 10,000.
        - ``"minirocket"``: number of features, rounded down to a multiple of 84
          (at least 84).  Default 10,000 (9,996 features).
        - ``"multirocket"``: number of (kernel, dilation, bias) combinations per
          representation, rounded down to a multiple of 84 (at least 84); there are
          ``8 * 84 * (n_kernels // 84)`` features (2 representations x 4 poolings).
          Default 6,250 (49,728 features).
    normalize : bool, default=True
        Z-normalise every channel of every series (mean 0, standard deviation 1) before
        the kernels are applied, at fit and at transform.  A constant series becomes all
        zeros (never NaN).
    max_dilations_per_kernel : int, default=32
        MiniRocket and MultiRocket: the most dilations per kernel.  Ignored by ROCKET.
    dtype : {"float32", "float64"} or numpy float type, default="float32"
        Precision of the convolutions and of the output.  The published implementations
        compute in single precision.
    n_jobs : int or None, default=None
        Threads for the numba kernels (parallel over series).  ``None`` means every
        thread numba and OpenMP allow (limited by threadpoolctl, ``OMP_NUM_THREADS`` or
        ``NUMBA_NUM_THREADS``), ``-1`` all cores.  The features do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the kernels (ROCKET), the channel subsets (multivariate) and the training
        examples drawn to fit the biases (MiniRocket, MultiRocket; their kernels and
        dilations are deterministic).  Same seed, same features.

    Attributes
    ----------
    kernels_ : dict
        The fitted kernels.  ROCKET: ``lengths``, ``weights`` (flat), ``weight_offsets``,
        ``biases``, ``dilations``, ``paddings``, ``channel_counts``, ``channel_indices``,
        ``channel_offsets``.  MiniRocket: ``dilations``, ``n_features_per_dilation``,
        ``biases``, ``channel_counts``, ``channel_indices``, ``channel_offsets``.
        MultiRocket: ``{"raw": {...}, "diff": {...}}`` with the MiniRocket keys each.
    n_channels_ : int
        Number of channels seen in :meth:`fit`.
    n_timepoints_ : int
        Reference length: the length of the longest series seen in :meth:`fit` (it sets
        the range of the dilations).
    n_features_in_ : int
        Number of time points, defined only when :meth:`fit` got a 2-D array.
    feature_names_in_ : ndarray of str
        Column names of a 2-D DataFrame input (when they are all strings).
    features_kept_ : ndarray of int or None
        Indices (into the full transform's columns) of the features that :meth:`transform`
        outputs, set by :meth:`keep_features`; None means all.

    See Also
    --------
    sklearn.linear_model.RidgeClassifierCV : The classifier used with these features in
        the papers.

    Notes
    -----
    Input: a 2-D array ``(n_cases, n_timepoints)`` is a collection of univariate series
    (this is also how scikit-learn's tabular data is read); a 3-D array
    ``(n_cases, n_channels, n_timepoints)`` is the sktime/aeon numpy layout; a list of 1-D
    ``(n_timepoints_i,)`` or 2-D ``(n_channels, n_timepoints_i)`` arrays is a collection of
    unequal-length series.  The number of channels must match at transform; for 2-D array
    input the number of time points must match too (scikit-learn's ``n_features_in_``
    rule); for 3-D arrays and lists lengths may differ from fit.

    Unequal lengths are handled natively: each series is convolved at its own length;
    positions outside a series are zeros (the kernels' padding).  A series shorter than a
    kernel's receptive field is zero-extended at its end to that field (ROCKET: one output
    position; MiniRocket/MultiRocket use "same" padding, so every kernel has ``T``
    output positions, and an unpadded kernel whose valid range is empty pools over all of
    them).  Series of one time point are accepted.  NaN or infinity raise a ValueError.

    Differences from the reference implementations (the papers' definitions are followed):
    ROCKET dilations are floored at 1 for series shorter than the kernels (the original
    draws dilation 0); MultiRocket's MPV is the mean of ``C - bias`` over positive
    positions (the original code adds the bias) and LSPV is the longest run of
    consecutive positive positions (the original code measures gaps between non-positive
    positions); z-normalisation divides by the standard deviation without an epsilon.

    :meth:`keep_features` prunes a fitted transformer: only the kernels (ROCKET) or
    kernel/dilation/bias combinations (MiniRocket, MultiRocket) behind the kept columns
    are computed, and the output equals those columns of the full transform.

    References
    ----------
    .. [1] A. Dempster, F. Petitjean, G. I. Webb, "ROCKET: exceptionally fast and accurate
       time series classification using random convolutional kernels", Data Mining and
       Knowledge Discovery 34, 1454-1495 (2020). https://doi.org/10.1007/s10618-020-00701-z
    .. [2] A. Dempster, D. F. Schmidt, G. I. Webb, "MiniRocket: A very fast (almost)
       deterministic transform for time series classification", KDD 2021.
       https://doi.org/10.1145/3447548.3467231
    .. [3] C. W. Tan, A. Dempster, C. Bergmeir, G. I. Webb, "MultiRocket: multiple pooling
       operators and transformations for fast and effective time series classification",
       Data Mining and Knowledge Discovery 36, 1623-1646 (2022).
       https://doi.org/10.1007/s10618-022-00844-1

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.timeseries import RocketTransformer
    >>> rng = np.random.RandomState(0)
    >>> X = np.cumsum(rng.normal(size=(20, 60)), axis=1)   # 20 univariate series
    >>> rocket = RocketTransformer(n_kernels=100, random_state=0).fit(X)
    >>> rocket.transform(X).shape
    (20, 200)
    >>> rocket.get_feature_names_out()[:2]
    array(['rocket_k0_ppv', 'rocket_k0_max'], dtype=object)
    >>> mini = RocketTransformer(kind="minirocket", n_kernels=840, random_state=0)
    >>> mini.fit_transform(X).shape
    (20, 840)
    >>> X3 = rng.normal(size=(5, 3, 40))                   # 5 series, 3 channels
    >>> RocketTransformer(kind="multirocket", n_kernels=84).fit_transform(X3).shape
    (5, 672)
    >>> pruned = rocket.keep_features([0, 5, 7])             # deploy a pruned model
    >>> pruned.transform(X).shape
    (20, 3)
    """

    _parameter_constraints: dict = {
        "kind": [StrOptions({"rocket", "minirocket", "multirocket"})],
        "n_kernels": [Interval(Integral, 1, None, closed="left"), None],
        "normalize": ["boolean"],
        "max_dilations_per_kernel": [Interval(Integral, 1, None, closed="left")],
        "dtype": [StrOptions({"float32", "float64"}), Options(type, {np.float32, np.float64})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        kind="rocket",
        *,
        n_kernels=None,
        normalize=True,
        max_dilations_per_kernel=32,
        dtype="float32",
        n_jobs=None,
        random_state=None,
    ):
        self.kind = kind
        self.n_kernels = n_kernels
        self.normalize = normalize
        self.max_dilations_per_kernel = max_dilations_per_kernel
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ input
    def _collection(self, X, reset):
        dtype = np.dtype(self.dtype) if reset else self._dtype
        ndim = getattr(X, "ndim", None)
        if is_list_collection(X):
            coll = from_list(X, dtype)
        elif ndim == 3:
            coll = from_array(check_3d(X), dtype)
        elif ndim is not None and ndim != 2:
            raise ValueError(_layout_error(np.shape(X)))
        else:
            if not reset and hasattr(self, "n_features_in_") and getattr(X, "shape", None):
                if len(X.shape) == 2 and X.shape[1] != self.n_features_in_:
                    raise ValueError(_length_error(X.shape[1], self.n_features_in_))
            X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
            coll = from_array(X, dtype)
        if reset:
            if coll.layout != "2d":
                for attr in ("n_features_in_", "feature_names_in_"):
                    if hasattr(self, attr):
                        delattr(self, attr)
        elif coll.n_channels != self.n_channels_:
            raise ValueError(
                f"X has {coll.n_channels} channels, but RocketTransformer was fitted on "
                f"{self.n_channels_} channels."
            )
        if self.normalize:
            with numba_threads(self.n_jobs):
                data = znormalise(
                    coll.data, coll.offsets, coll.lengths, coll.n_channels, np.zeros(1, dtype)
                )
            coll.data = data
        return coll

    # ------------------------------------------------------------------ fit
    def _fit(self, coll):
        rng = check_random_state(self.random_state)
        kind = self.kind
        n_kernels = self.n_kernels if self.n_kernels is not None else _DEFAULT_N_KERNELS[kind]
        self._dtype = np.dtype(self.dtype)
        self.n_channels_ = coll.n_channels
        self.n_timepoints_ = int(coll.lengths.max())
        if kind == "rocket":
            k = generate_rocket_kernels(n_kernels, self.n_timepoints_, coll.n_channels, rng)
            k["weights"] = k["weights"].astype(self._dtype)
            k["biases"] = k["biases"].astype(self._dtype)
            self.kernels_ = k
            self._n_features_full = 2 * n_kernels
        else:
            n_feat = 84 * max(1, n_kernels // 84)
            with numba_threads(self.n_jobs):
                if kind == "minirocket":
                    self.kernels_ = fit_minirocket(
                        coll, n_feat, self.max_dilations_per_kernel, rng, self._dtype
                    )
                    self._n_features_full = 84 * int(self.kernels_["n_features_per_dilation"].sum())
                else:
                    raw = fit_minirocket(
                        coll, n_feat, self.max_dilations_per_kernel, rng, self._dtype
                    )
                    diff = fit_minirocket(
                        difference_collection(coll),
                        n_feat,
                        self.max_dilations_per_kernel,
                        rng,
                        self._dtype,
                    )
                    self.kernels_ = {"raw": raw, "diff": diff}
                    self._n_features_full = (
                        4
                        * 84
                        * int(
                            raw["n_features_per_dilation"].sum()
                            + diff["n_features_per_dilation"].sum()
                        )
                    )
        self.features_kept_ = None
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Draw (ROCKET) or fit (MiniRocket, MultiRocket) the kernels.

        Parameters
        ----------
        X : array-like of shape (n_cases, n_timepoints) or (n_cases, n_channels, \
n_timepoints), or list of arrays
            Training series; a list holds 1-D ``(n_timepoints_i,)`` or 2-D
            ``(n_channels, n_timepoints_i)`` series of possibly different lengths.
        y : None
            Ignored.

        Returns
        -------
        self : RocketTransformer
            The fitted transformer.
        """
        return self._fit(self._collection(X, reset=True))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its features (normalises ``X`` once).

        Parameters
        ----------
        X : array-like of shape (n_cases, n_timepoints) or (n_cases, n_channels, \
n_timepoints), or list of arrays
            Training series.
        y : None
            Ignored.

        Returns
        -------
        features : ndarray of shape (n_cases, n_features_out)
            The features, of dtype ``dtype``.
        """
        coll = self._collection(X, reset=True)
        self._fit(coll)
        return self._transform(coll)

    # ------------------------------------------------------------------ transform
    def transform(self, X):
        """Features of the series ``X``.

        Parameters
        ----------
        X : array-like of shape (n_cases, n_timepoints) or (n_cases, n_channels, \
n_timepoints), or list of arrays
            Series with the number of channels seen in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_cases, n_features_out)
            The features (all of them, or those kept by :meth:`keep_features`), of dtype
            ``dtype``.
        """
        check_is_fitted(self, "kernels_")
        return self._transform(self._collection(X, reset=False))

    def _kept(self):
        if self.features_kept_ is None:
            return np.arange(self._n_features_full, dtype=np.int64)
        return self.features_kept_

    def _transform(self, coll):
        kept = self._kept()
        n_out = kept.shape[0]
        coll = coll.astype(self._dtype)
        k = self.kernels_
        with numba_threads(self.n_jobs):
            if self.kind == "rocket":
                n_k = k["lengths"].shape[0]
                columns = np.full((n_k, 2), -1, dtype=np.int64)
                columns[kept // 2, kept % 2] = np.arange(n_out)
                kernel_ids = np.flatnonzero((columns >= 0).any(axis=1)).astype(np.int64)
                return rocket_transform(
                    coll.data,
                    coll.offsets,
                    coll.lengths,
                    coll.n_channels,
                    k["weights"],
                    k["weight_offsets"],
                    k["lengths"],
                    k["channel_counts"],
                    k["channel_indices"],
                    k["channel_offsets"],
                    k["biases"],
                    k["dilations"],
                    k["paddings"],
                    kernel_ids,
                    columns,
                    n_out,
                )
            out = np.zeros((coll.n_series, n_out), dtype=self._dtype)
            if self.kind == "minirocket":
                nf = 84 * int(k["n_features_per_dilation"].sum())
                columns = np.full((nf, 4), -1, dtype=np.int64)
                columns[kept, 0] = np.arange(n_out)
                self._mini(coll, k, columns, False, out)
                return out
            nf_raw = 84 * int(k["raw"]["n_features_per_dilation"].sum())
            nf_diff = 84 * int(k["diff"]["n_features_per_dilation"].sum())
            rep = (kept >= 4 * nf_raw).astype(np.int64)
            local = kept - rep * 4 * nf_raw
            nf_rep = np.where(rep == 1, nf_diff, nf_raw)
            pool = local // nf_rep
            feat = local % nf_rep
            for r, name, nf, c in ((0, "raw", nf_raw, coll), (1, "diff", nf_diff, None)):
                sel = rep == r
                if not sel.any():
                    continue
                if c is None:
                    c = difference_collection(coll)
                columns = np.full((nf, 4), -1, dtype=np.int64)
                columns[feat[sel], pool[sel]] = np.flatnonzero(sel)
                self._mini(c, k[name], columns, True, out)
            return out

    def _mini(self, coll, k, columns, multi, out):
        mini_transform(
            coll.data,
            coll.offsets,
            coll.lengths,
            coll.n_channels,
            MINIROCKET_INDICES,
            k["dilations"],
            k["n_features_per_dilation"],
            k["channel_counts"],
            k["channel_indices"],
            k["channel_offsets"],
            k["biases"],
            columns,
            multi,
            out,
        )

    # ------------------------------------------------------------------ features
    def _full_feature_names(self):
        k = self.kernels_
        if self.kind == "rocket":
            n_k = k["lengths"].shape[0]
            return np.array(
                [f"rocket_k{j}_{p}" for j in range(n_k) for p in ("ppv", "max")], dtype=object
            )

        def combos(kk):
            out = []
            for d, nf in zip(kk["dilations"], kk["n_features_per_dilation"]):
                for kernel in range(84):
                    out.extend(f"k{kernel}_d{d}_b{b}" for b in range(nf))
            return out

        if self.kind == "minirocket":
            return np.array([f"minirocket_{c}_ppv" for c in combos(k)], dtype=object)
        names = []
        for rep in _REPRESENTATIONS:
            cs = combos(k[rep])
            for pool in _MULTI_POOLS:
                names.extend(f"multirocket_{rep}_{c}_{pool}" for c in cs)
        return np.array(names, dtype=object)

    def get_feature_names_out(self, input_features=None):
        """Names of the output features.

        ROCKET: ``rocket_k{kernel}_{ppv|max}``; MiniRocket:
        ``minirocket_k{kernel}_d{dilation}_b{bias}_ppv`` (kernel 0-83, bias index within
        the kernel/dilation pair); MultiRocket:
        ``multirocket_{raw|diff}_k{kernel}_d{dilation}_b{bias}_{ppv|lspv|mpv|mipv}``.

        Parameters
        ----------
        input_features : None
            Ignored (the names do not depend on the input columns).

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column (only the kept ones after :meth:`keep_features`).
        """
        check_is_fitted(self, "kernels_")
        names = self._full_feature_names()
        return names[self._kept()]

    def keep_features(self, features):
        """Restrict the transform to a subset of its current output columns.

        Only the kernels (ROCKET) or kernel/dilation/bias combinations (MiniRocket,
        MultiRocket) behind the kept columns are computed afterwards, so a pruned model
        (e.g. after feature selection with ``SequentialFeatureDetachment``) transforms
        faster.  The kept columns keep the order and the values they have in the full
        transform.  Calls compose: indices refer to the current output.

        Parameters
        ----------
        features : array-like of bool of shape (n_features_out,), array-like of int, or None
            Boolean mask or indices of the current output columns to keep; None restores
            the full transform.

        Returns
        -------
        self : RocketTransformer
            The transformer, pruned in place.
        """
        check_is_fitted(self, "kernels_")
        if features is None:
            self.features_kept_ = None
            return self
        current = self._kept()
        f = np.asarray(features)
        if f.dtype == bool:
            if f.shape != current.shape:
                raise ValueError(
                    f"A boolean mask must have one entry per output feature "
                    f"({current.shape[0]}); got shape {f.shape}."
                )
            idx = np.flatnonzero(f)
        elif f.size == 0 or np.issubdtype(f.dtype, np.integer):
            idx = np.unique(f.astype(np.int64).ravel())
            if idx.size and (idx[0] < -current.shape[0] or idx[-1] >= current.shape[0]):
                raise ValueError(
                    f"Feature indices must lie in [0, {current.shape[0]}); got "
                    f"{idx[0]}..{idx[-1]}."
                )
            idx = np.unique(np.where(idx < 0, idx + current.shape[0], idx))
        else:
            raise ValueError(
                f"features must be a boolean mask or integer indices; got dtype {f.dtype}."
            )
        if idx.size == 0:
            raise ValueError("keep_features needs at least one feature to keep.")
        self.features_kept_ = current[idx]
        return self

    @property
    def _n_features_out(self):
        return self._kept().shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        try:
            tags.transformer_tags.preserves_dtype = [np.dtype(self.dtype).name]
        except TypeError:  # an invalid dtype parameter; fit will report it
            tags.transformer_tags.preserves_dtype = []
        return tags
