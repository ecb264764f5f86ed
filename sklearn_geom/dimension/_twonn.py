"""TwoNN intrinsic-dimension estimator (Facco, d'Errico, Rodriguez, Laio 2017)."""

import numbers
import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..neighbors import distinct_neighbors, validate_neighbors_input
from ..neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from ._common import local_dimension, log_ratio

#: Smallest subset on which the scale analysis still estimates a dimension.
MIN_SCALE_SAMPLES = 20

#: Largest number of disjoint blocks estimated at one level of the scale analysis.
MAX_BLOCKS = 16


def n_kept_ratios(n, discard_fraction):
    """``floor(n * (1 - discard_fraction))`` robust to rounding (1e-9 slack)."""
    return int(np.floor(n * (1.0 - discard_fraction) + 1e-9))


def twonn_estimate(log_mu, discard_fraction=0.1, method="ls"):
    """TwoNN estimate from the log ratios ``ln(r2 / r1)`` of N points (all > 0).

    Parameters
    ----------
    log_mu : ndarray of shape (N,)
        Log ratios, ties (``mu == 1``) and duplicates already removed.
    discard_fraction : float
        Fraction of the largest ratios left out of the fit.
    method : {"ls", "mle"}
        Least squares through the origin on ``-ln(1 - i/N)`` against
        ``ln mu_(i)`` (Facco et al. 2017), or the censored maximum likelihood.

    Returns
    -------
    d : float
        The estimate.
    err : float
        ``d / sqrt(k)`` with ``k`` the number of ratios kept in the fit.
    k : int
        Number of ratios kept (the smallest ``k`` of the N).
    """
    log_mu = np.asarray(log_mu, dtype=np.float64)
    n = log_mu.size
    if n < 2:
        raise ValueError(
            f"TwoNN needs at least 2 points with r2 > r1 > 0, got {n} (duplicates and ties "
            "r1 == r2 carry no information on the dimension)."
        )
    x = np.sort(log_mu)
    k = n_kept_ratios(n, discard_fraction)
    if method == "ls":
        # F_i = i / N reaches 1 at i = N, where -ln(1 - F) is infinite: keep at most N - 1
        k = min(max(k, 1), n - 1)
        xk = x[:k]
        y = -np.log1p(-np.arange(1, k + 1) / n)
        d = float(np.dot(xk, y) / np.dot(xk, xk))
    else:
        # log mu ~ Exponential(d); keeping the k smallest of N is type-II censoring,
        # whose unbiased estimate is (k - 1) / (sum_{i<=k} x_(i) + (N - k) x_(k)).
        k = min(max(k, 2), n)
        total = float(np.sum(x[:k]) + (n - k) * x[k - 1])
        d = (k - 1) / total
    return d, d / np.sqrt(k), k


class TwoNN(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Intrinsic dimension from the ratio of the two nearest-neighbour distances.

    For each point the ratio ``mu = r2 / r1`` of its second to first
    nearest-neighbour distance follows, on a locally uniform d-dimensional
    manifold, the Pareto law ``F(mu) = 1 - mu**(-d)`` whatever the density.  The
    estimate uses only the two nearest neighbours of each point, so it probes the
    smallest scale of the data; ``n_scales`` repeats it on random subsets
    (decimation) to show how it changes with scale.

    Parameters
    ----------
    discard_fraction : float, default=0.1
        Fraction of the largest ratios left out of the fit (``k = floor(N (1 -
        discard_fraction))`` are kept).  With ``method="ls"`` at most ``N - 1``
        ratios enter the fit, since ``-ln(1 - F_N)`` is infinite.
    method : {"ls", "mle"}, default="ls"
        ``"ls"``: least squares through the origin of ``y_i = -ln(1 - i/N)``
        against ``x_i = ln mu_(i)`` over the kept ratios, ``d = sum(x y) / sum(x^2)``
        (Facco et al. 2017; ``F_i = i/N`` with N the number of usable ratios, as in
        DADApy and scikit-dimension).  ``"mle"``: maximum likelihood with the
        discarded ratios treated as censored (``ln mu`` is exponential with rate
        d), ``d = (k - 1) / (sum_{i<=k} ln mu_(i) + (N - k) ln mu_(k))``, unbiased;
        with ``discard_fraction=0`` this is ``(N - 1) / sum(ln mu)`` (N - 1, not N).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance.  ``"precomputed"``: ``X`` is a kNN graph, a sparse matrix as from
        :class:`~sklearn_geom.neighbors.KNNTransformer` or
        :class:`sklearn.neighbors.KNeighborsTransformer` (``mode="distance"``) or a
        ``(distances, indices)`` pair; a few neighbours beyond 2 let duplicates be
        collapsed.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search of :func:`~sklearn_geom.neighbors.compute_knn`.
    n_neighbors : int, default=20
        Fitted points whose ratios are pooled by :meth:`transform`.
    n_scales : int, default=None
        When set, ``fit`` also runs the scale analysis on ``n_scales`` levels:
        subsets of ``N, N/2, N/4, ...`` distinct points (level ``j`` splits a random
        permutation into ``2**j`` disjoint blocks and estimates on up to 16 of
        them), stopping before blocks fall below 20 points.  Needs raw data.
    random_state : int, RandomState instance or None, default=None
        Draws the subsets of the scale analysis.
    n_jobs : int, default=None
        Threads of the neighbour search and of the local estimates (None: every
        core numba and OpenMP allow, as scikit-learn's OpenMP kernels, limited by
        ``threadpoolctl``, ``OMP_NUM_THREADS`` or ``NUMBA_NUM_THREADS``; -1: all
        cores).  Results do not depend on it.

    Attributes
    ----------
    dimension_ : float
        The intrinsic-dimension estimate.
    dimension_err_ : float
        Its error bar: the width ``d / sqrt(k)`` of the maximum-likelihood
        posterior (inverse Fisher information of the censored exponential model),
        ``k`` the number of ratios kept in the fit.  For ``method="ls"`` the same
        formula is used as an approximation.  The sampling spread over subsets is in
        ``scale_errors_``.
    n_samples_used_ : int
        N: the number of ratios the estimate is based on (points left after
        removing duplicates and ties, and, for precomputed graphs, points with too
        few distinct neighbours listed).
    n_duplicates_ : int
        Points removed because another point lies at distance 0 (every group of
        duplicates keeps its smallest index).
    n_ties_ : int
        Distinct points with ``r1 == r2`` (``mu == 1``), left out as in Ansuini et
        al. 2019: they carry no information for the Pareto fit.
    mu_ : ndarray of shape (N,)
        The N ratios ``r2 / r1`` used (N = ``n_samples_used_``), in the order of
        ``sample_indices_``.
    sample_indices_ : ndarray of shape (N,)
        Row of ``X`` behind each ratio.
    scale_sizes_ : ndarray of int
        Subset sizes of the scale analysis (only with ``n_scales``).
    scale_dimensions_ : ndarray
        Mean estimate over the blocks of each size (only with ``n_scales``).
    scale_errors_ : ndarray
        Standard deviation of the estimates over the blocks of each size; at the
        full size (one block) ``dimension_err_`` (only with ``n_scales``).
    scale_distances_ : ndarray
        Mean of ``(r1 + r2) / 2`` within the blocks of each size: the length scale
        probed (only with ``n_scales``).
    n_features_in_ : int
        Number of features seen during fit (raw data and sparse graphs).

    See Also
    --------
    Gride : The generalisation to the n1-th and 2 n1-th neighbours (multiscale).

    Notes
    -----
    Duplicates (rows at distance 0 at the input's precision, float32 near-copies
    included) would give ``r1 = 0``; they are collapsed before N is counted, with
    a :class:`~sklearn_geom.neighbors.DuplicatePointsWarning` giving how many.
    The graph is first computed with 4 neighbours; a kept point whose list was
    filled by duplicates is searched again among the distinct points.

    :meth:`transform` returns a local dimension per sample: the pooled
    maximum-likelihood estimate ``(m - 1) / sum_j ln mu_j`` over the ratios of
    the ``n_neighbors`` fitted points nearest to the sample (the sample itself
    first when it is a fitted point; ``m`` of them with ``mu_j > 1``), or
    ``dimension_`` when fewer than 2 such ratios are found.

    References
    ----------
    .. [1] E. Facco, M. d'Errico, A. Rodriguez, A. Laio, "Estimating the intrinsic
       dimension of datasets by a minimal neighborhood information", Sci. Rep. 7,
       12140 (2017).
    .. [2] A. Ansuini, A. Laio, J. H. Macke, D. Zoccolan, "Intrinsic dimension of
       data representations in deep neural networks", NeurIPS 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.dimension import TwoNN
    >>> rng = np.random.default_rng(0)
    >>> X = np.zeros((2000, 5))
    >>> X[:, :2] = rng.uniform(size=(2000, 2))  # a square embedded in 5-D
    >>> est = TwoNN().fit(X)
    >>> round(est.dimension_, 1)
    2.0
    >>> est.transform(X[:3]).shape
    (3, 1)
    """

    _parameter_constraints = {
        "discard_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
        "method": [StrOptions({"ls", "mle"})],
        "metric": METRIC_OR_PRECOMPUTED_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_scales": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        discard_fraction=0.1,
        *,
        method="ls",
        metric="euclidean",
        algorithm="auto",
        n_neighbors=20,
        n_scales=None,
        random_state=None,
        n_jobs=None,
    ):
        self.discard_fraction = discard_fraction
        self.method = method
        self.metric = metric
        self.algorithm = algorithm
        self.n_neighbors = n_neighbors
        self.n_scales = n_scales
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Estimate the intrinsic dimension of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or a kNN graph
            Points, or with ``metric="precomputed"`` a sparse kNN graph / a
            ``(distances, indices)`` pair.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : TwoNN
            The fitted estimator.
        """
        if self.n_scales is not None and self.metric == "precomputed":
            raise ValueError(
                "The scale analysis (n_scales) searches neighbours within random subsets "
                "and needs the raw points, not metric='precomputed'."
            )
        X = validate_neighbors_input(self, X)
        nb = distinct_neighbors(
            X, 2, metric=self.metric, algorithm=self.algorithm, n_jobs=self.n_jobs, what="TwoNN"
        )
        d = nb.distances
        log_mu_rows = log_ratio(d[:, 1], d[:, 0])
        usable = log_mu_rows > 0
        self.n_ties_ = int(np.sum(~usable))
        if self.n_ties_:
            warnings.warn(
                f"TwoNN: {self.n_ties_} points have r1 == r2 (mu == 1, ties) and were left "
                "out of the estimate.",
                UserWarning,
                stacklevel=3,
            )
        log_mu = log_mu_rows[usable]
        self.dimension_, self.dimension_err_, _ = twonn_estimate(
            log_mu, self.discard_fraction, self.method
        )
        self.n_samples_used_ = int(log_mu.size)
        self.n_duplicates_ = int(nb.n_duplicates)
        with np.errstate(over="ignore", divide="ignore"):
            self.mu_ = (d[:, 1] / d[:, 0])[usable]
        self.sample_indices_ = nb.kept[nb.rows][usable]
        # state for transform: ln mu of every distinct point (NaN where unusable)
        lm = np.full(nb.n_distinct, np.nan)
        lm[nb.rows] = np.where(usable, log_mu_rows, np.nan)
        self._log_mu = lm
        self._neighbors = nb
        self._n_features_out = 1
        if self.n_scales is not None:
            self._scale_analysis(nb.X_fit, d[:, :2][usable])
        return self

    def _scale_analysis(self, X_fit, d_full):
        rng = check_random_state(self.random_state)
        n = X_fit.shape[0]
        sizes, dims, errs, dists = [], [], [], []
        for level in range(self.n_scales):
            size = n >> level
            if size < MIN_SCALE_SAMPLES:
                break
            if level == 0:
                sizes.append(n)
                dims.append(self.dimension_)
                errs.append(self.dimension_err_)
                dists.append(float(np.mean(d_full)))
                continue
            perm = rng.permutation(n)
            n_blocks = min(1 << level, MAX_BLOCKS)
            est, scl = [], []
            for b in range(n_blocks):
                idx = np.sort(perm[b * size : (b + 1) * size])
                try:
                    db = distinct_neighbors(
                        X_fit[idx],
                        2,
                        metric=self.metric,
                        algorithm=self.algorithm,
                        n_jobs=self.n_jobs,
                        what="TwoNN scale analysis",
                    ).distances
                    lm = log_ratio(db[:, 1], db[:, 0])
                    ok = lm > 0
                    est.append(twonn_estimate(lm[ok], self.discard_fraction, self.method)[0])
                    scl.append(float(np.mean(db[ok])))
                except ValueError:  # a block with too few usable ratios
                    continue
            if not est:
                break
            sizes.append(size)
            dims.append(float(np.mean(est)))
            errs.append(float(np.std(est, ddof=1)) if len(est) > 1 else float("nan"))
            dists.append(float(np.mean(scl)))
        self.scale_sizes_ = np.asarray(sizes, dtype=np.int64)
        self.scale_dimensions_ = np.asarray(dims)
        errs = np.asarray(errs)
        # a level with a single usable block has no spread: use the ML width there
        errs[~np.isfinite(errs)] = (self.scale_dimensions_ / np.sqrt(self.scale_sizes_))[
            ~np.isfinite(errs)
        ]
        self.scale_errors_ = errs
        self.scale_distances_ = np.asarray(dists)

    def transform(self, X):
        """Local intrinsic dimension of each sample.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), or a kNN graph
            Points (new or fitted).  With ``metric="precomputed"``: a sparse graph
            of the queries against the points given to ``fit`` (shape
            ``(n_queries, n_samples_fit)``) or a ``(distances, indices)`` pair
            indexing those points.

        Returns
        -------
        d_local : ndarray of shape (n_queries, 1)
            Pooled ML estimate ``(m - 1) / sum ln mu_j`` over the ratios of the
            ``n_neighbors`` fitted points nearest to each query (itself included
            when it is a fitted point); ``dimension_`` where fewer than 2 usable
            ratios are found.
        """
        check_is_fitted(self)
        if self.metric != "precomputed":
            X = validate_neighbors_input(self, X, reset=False)
        ind = self._neighbors.query(X, self.n_neighbors).indices
        d = local_dimension(ind, self._log_mu, self.n_neighbors, self.dimension_, self.n_jobs)
        return d[:, None]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        if self.metric == "precomputed":
            tags.input_tags.pairwise = True
            tags.input_tags.sparse = True
        return tags
