"""Point densities from nearest-neighbour distances: kNN, adaptive k* and PAk."""

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..neighbors import as_knn_graph, distinct_neighbors, validate_neighbors_input
from ..neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from ..utils import numba_threads
from . import _density_numba as _kern

#: ``chi2.isf(1e-6, 1)``: threshold of the likelihood-ratio test of k*
#: (Rodriguez et al. 2018).
KSTAR_THRESHOLD = 23.928

#: Smallest k tested by the k* procedure.
KSTAR_MIN = 3

#: ``max_neighbors="auto"``: the neighbourhood cap starts here and doubles while
#: some point's k* reaches it, up to AUTO_MAX_NEIGHBORS (and n_distinct - 1).
AUTO_START_NEIGHBORS = 100
AUTO_MAX_NEIGHBORS = 1600

#: Neighbour rank n1 of GRIDE when ``intrinsic_dim="gride"`` (n2 = 2 n1).
GRIDE_N1 = 4

_PAK_MAX_ITER = 100
_PAK_TOL = 1e-10


def log_unit_ball_volume(d):
    """Log volume of the unit ball, ``ln V_d`` with ``V_d = pi^(d/2) / Gamma(d/2 + 1)``.

    Parameters
    ----------
    d : float
        Dimension (any positive real).

    Returns
    -------
    log_volume : float
        ``ln V_d``, finite for any d (``V_d`` itself underflows above d ~ 340).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.density import log_unit_ball_volume
    >>> bool(np.isclose(np.exp(log_unit_ball_volume(2.0)), np.pi))
    True
    """
    d = float(d)
    return 0.5 * d * np.log(np.pi) - float(gammaln(0.5 * d + 1.0))


def _log_distances(distances):
    with np.errstate(divide="ignore"):
        return np.log(np.ascontiguousarray(distances, dtype=np.float64))


def _check_graph(distances, indices):
    distances = np.ascontiguousarray(distances, dtype=np.float64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    if distances.ndim != 2 or distances.shape != indices.shape:
        raise ValueError(
            "distances and indices must be 2-D arrays of the same shape, got "
            f"{distances.shape} and {indices.shape}."
        )
    if distances.size and (not np.isfinite(distances).all() or (distances <= 0).any()):
        raise ValueError(
            "distances must be finite and > 0 (neighbours among distinct points, self "
            "excluded); collapse duplicates first (sklearn_geom.neighbors.distinct_neighbors)."
        )
    n = distances.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"indices must number the rows, in [0, {n}).")
    return distances, indices


def _check_dim(intrinsic_dim):
    if not (isinstance(intrinsic_dim, numbers.Real) and np.isfinite(intrinsic_dim)
            and intrinsic_dim > 0):
        raise ValueError(f"intrinsic_dim must be a positive number, got {intrinsic_dim!r}.")
    return float(intrinsic_dim)


def compute_kstar(distances, indices, intrinsic_dim, *, threshold=KSTAR_THRESHOLD, n_jobs=None):
    """Adaptive neighbourhood size k* of every point (Rodriguez et al. 2018).

    k grows from 3 while the density is statistically constant: with
    ``V_i = V_d r_i,k^d`` and ``V_j`` the same for the (k+1)-th neighbour j of i,
    ``D_k = -2 k [ln V_i + ln V_j - 2 ln(V_i + V_j) + ln 4]``; k* is the first k
    with ``D_k > threshold`` (the (k+1)-th neighbour is the first whose
    neighbourhood has a significantly different density), or the number of
    neighbours available when no k fails.  Computed in log space
    (``D_k = 4 k ln cosh(d (ln r_i,k - ln r_j,k) / 2)``), finite at any dimension.

    Parameters
    ----------
    distances : ndarray of shape (n_samples, K)
        Sorted distances to the K nearest other points (all > 0: distinct points).
    indices : ndarray of shape (n_samples, K)
        Their row numbers.
    intrinsic_dim : float
        Intrinsic dimension d.
    threshold : float, default=23.928
        ``chi2.isf(1e-6, 1)``.
    n_jobs : int, default=None
        Numba threads.

    Returns
    -------
    kstar : ndarray of shape (n_samples,), int64
        Between ``min(3, K)`` and ``K``.
    saturated : ndarray of shape (n_samples,), bool
        Points whose test never failed (k* = K: more neighbours could give a larger k*).

    References
    ----------
    .. [1] A. Rodriguez, M. d'Errico, E. Facco, A. Laio, "Computing the free
       energy without collective variables", J. Chem. Theory Comput. 14, 1206 (2018).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import NearestNeighbors
    >>> from sklearn_geom.density import compute_kstar
    >>> X = np.random.default_rng(0).normal(size=(500, 2))
    >>> dist, ind = NearestNeighbors(n_neighbors=51).fit(X).kneighbors()
    >>> kstar, saturated = compute_kstar(dist, ind, 2.0)
    >>> bool(kstar.min() >= 3 and kstar.max() <= 51)
    True
    """
    distances, indices = _check_graph(distances, indices)
    d = _check_dim(intrinsic_dim)
    with numba_threads(n_jobs, blas=False):
        return _kern.kstar_kernel(
            _log_distances(distances), indices, d, float(threshold), KSTAR_MIN
        )


def knn_log_density(distances, k, intrinsic_dim, n_samples=None):
    """The kNN log density ``ln k - ln N - ln(V_d r_k^d)`` and its error ``1 / sqrt(k)``.

    Parameters
    ----------
    distances : ndarray of shape (n_samples, K)
        Sorted neighbour distances (self excluded).
    k : int or ndarray of shape (n_samples,)
        Neighbours used per point (``1 <= k <= K``), e.g. k* from :func:`compute_kstar`.
    intrinsic_dim : float
        Intrinsic dimension d.
    n_samples : int, optional
        N of the normalisation (default: number of rows).

    Returns
    -------
    log_density : ndarray of shape (n_samples,)
        Log density of each point.
    error : ndarray of shape (n_samples,)
        Its error, ``1 / sqrt(k)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.density import knn_log_density
    >>> log_rho, err = knn_log_density(np.array([[1.0, 2.0]]), 2, 1.0, n_samples=4)
    >>> float(np.exp(log_rho[0]))  # 2 points within a segment of length 4, over N = 4
    0.125
    """
    distances = np.ascontiguousarray(distances, dtype=np.float64)
    n = distances.shape[0]
    kk = np.broadcast_to(np.asarray(k, dtype=np.int64), (n,)).copy()
    if n and (kk.min() < 1 or kk.max() > distances.shape[1]):
        raise ValueError(f"k must lie in [1, {distances.shape[1]}].")
    d = _check_dim(intrinsic_dim)
    n_norm = n if n_samples is None else int(n_samples)
    log_v = _kern.knn_log_volume(_log_distances(distances), kk, d, log_unit_ball_volume(d))
    return np.log(kk) - np.log(n_norm) - log_v, 1.0 / np.sqrt(kk)


def pak_log_density(distances, k, intrinsic_dim, n_samples=None, n_jobs=None):
    """PAk log density: the point-adaptive kNN estimator (Rodriguez et al. 2018).

    Maximises over ``(F, a)`` the likelihood
    ``L(F, a) = k F + a k(k+1)/2 - sum_{l=1..k} v_l exp(F + a l)`` with shell volumes
    ``v_l = V_d (r_l^d - r_(l-1)^d)`` (``r_0 = 0``) by Newton-Raphson from the kNN
    value (log space, step halving); ``log rho = F - ln N``, error
    ``sqrt((4k + 2) / (k (k - 1)))``.

    Parameters
    ----------
    distances : ndarray of shape (n_samples, K)
        Sorted neighbour distances (self excluded).
    k : int or ndarray of shape (n_samples,)
        Neighbourhood size per point, ``2 <= k <= K`` (usually k*).
    intrinsic_dim : float
        Intrinsic dimension d.
    n_samples : int, optional
        N of the normalisation (default: number of rows).
    n_jobs : int, default=None
        Numba threads.

    Returns
    -------
    log_density : ndarray of shape (n_samples,)
        Log density of each point, ``F - ln N``.
    error : ndarray of shape (n_samples,)
        Its error, ``sqrt((4k + 2) / (k (k - 1)))``.
    slope : ndarray of shape (n_samples,)
        The fitted ``a`` (change of ``ln rho`` per shell).

    References
    ----------
    .. [1] A. Rodriguez, M. d'Errico, E. Facco, A. Laio, "Computing the free
       energy without collective variables", J. Chem. Theory Comput. 14, 1206 (2018).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.density import pak_log_density
    >>> r = np.sqrt(np.arange(1, 11.0))[None, :]  # equal shells of a 2-D uniform density
    >>> log_rho, err, a = pak_log_density(r, 10, 2.0, n_samples=1)
    >>> round(float(np.exp(log_rho[0]) * np.pi), 6), round(float(a[0]), 6)
    (1.0, 0.0)
    """
    distances = np.ascontiguousarray(distances, dtype=np.float64)
    n = distances.shape[0]
    kk = np.broadcast_to(np.asarray(k, dtype=np.int64), (n,)).copy()
    if n and (kk.min() < 2 or kk.max() > distances.shape[1]):
        raise ValueError(f"PAk needs k in [2, {distances.shape[1]}].")
    d = _check_dim(intrinsic_dim)
    n_norm = n if n_samples is None else int(n_samples)
    with numba_threads(n_jobs, blas=False):
        F, a, ok = _kern.pak_kernel(
            _log_distances(distances), kk, d, log_unit_ball_volume(d), _PAK_MAX_ITER, _PAK_TOL
        )
    if not ok.all():
        warnings.warn(
            f"PAk: Newton-Raphson did not converge for {int((~ok).sum())} points; their "
            "last iterate is used.",
            RuntimeWarning,
            stacklevel=2,
        )
    kf = kk.astype(np.float64)
    return F - np.log(n_norm), np.sqrt((4 * kf + 2) / (kf * (kf - 1))), a


def estimate_dimension(distances, method):
    """Intrinsic dimension from distinct-point neighbour distances (TwoNN or GRIDE)."""
    from ..dimension._gride import gride_estimate
    from ..dimension._twonn import twonn_estimate

    if method == "twonn":
        if distances.shape[1] < 2:
            raise ValueError("TwoNN needs at least 2 neighbours per point.")
        lm = np.log(distances[:, 1]) - np.log(distances[:, 0])
        return twonn_estimate(lm[lm > 0])[0]
    n1 = min(GRIDE_N1, distances.shape[1] // 2)
    if n1 < 1:
        raise ValueError("GRIDE needs at least 2 neighbours per point.")
    lm = np.log(distances[:, 2 * n1 - 1]) - np.log(distances[:, n1 - 1])
    lm = lm[lm > 0]
    if lm.size == 0:
        raise ValueError("GRIDE: every point has tied neighbour distances.")
    return gride_estimate(lm, n1, 2 * n1)[0]


@dataclass
class DensityFit:
    """What a density fit leaves behind (used by the clustering estimators)."""

    neighbors: object  # DistinctNeighbors
    log_r: np.ndarray
    kstar: np.ndarray  # per distinct point
    saturated: np.ndarray
    log_density: np.ndarray  # per distinct point
    error: np.ndarray
    intrinsic_dim: float

    @property
    def distances(self):
        return self.neighbors.distances

    @property
    def indices(self):
        return self.neighbors.indices


class DensityEstimator(BaseEstimator):
    """Point densities from nearest neighbours: kNN, adaptive-k (k*) or PAk.

    Every point gets a log density and its error from the distances to its
    nearest neighbours, on the data's intrinsic dimension d (estimated by TwoNN
    or GRIDE, or given):

    - ``"knn"``: ``log rho = ln k - ln N - ln(V_d r_k^d)`` with a fixed k, error
      ``1/sqrt(k)``;
    - ``"kstar"``: the same with each point's adaptive neighbourhood k*, the
      largest neighbourhood in which the density is statistically constant
      (likelihood-ratio test at ``threshold``);
    - ``"pak"``: the point-adaptive kNN estimator, a maximum-likelihood fit of a
      density that varies linearly in log across the k* shells, error
      ``sqrt((4k + 2) / (k (k - 1)))``.

    All volumes are handled as logarithms (``ln V_d + d ln r``), so the estimate
    stays finite and informative at high intrinsic dimension.

    Parameters
    ----------
    method : {"pak", "kstar", "knn"}, default="pak"
        Estimator.
    n_neighbors : int, default=20
        The k of ``method="knn"``.
    max_neighbors : int or "auto", default="auto"
        Largest neighbourhood of the k* search (``"pak"``, ``"kstar"``).
        ``"auto"``: starts at 100 and doubles while some point's k* reaches the
        cap, up to 1600 (and the number of distinct points minus one).  With
        ``metric="precomputed"``, every neighbour of the graph is used.
    intrinsic_dim : {"twonn", "gride"} or float, default="twonn"
        d: TwoNN (least squares, 10% of the largest ratios discarded) or GRIDE
        (ratio of the 8th to the 4th neighbour) on the same neighbour graph, or a
        given value.
    threshold : float, default=23.928
        Threshold of the k* test, ``chi2.isf(1e-6, 1)``.
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance.  ``"precomputed"``: ``X`` is a kNN graph (sparse, as from
        :class:`~sklearn_geom.neighbors.KNNTransformer`, or a ``(distances,
        indices)`` pair).
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search of :func:`~sklearn_geom.neighbors.compute_knn`.
    n_jobs : int, default=None
        Threads (None: every core numba may use, -1: all cores).  Results do not
        depend on it.

    Attributes
    ----------
    log_density_ : ndarray of shape (n_samples,)
        Log density of every fitted sample (copies of a point share its value).
    log_density_err_ : ndarray of shape (n_samples,)
        Its error.
    kstar_ : ndarray of shape (n_samples,)
        Neighbourhood size used per sample (``n_neighbors`` for ``"knn"``).
    intrinsic_dim_ : float
        d used.
    n_neighbors_ : int
        Neighbours per point of the final graph (the k* cap).
    n_saturated_ : int
        Distinct points whose k* reached the cap.
    n_duplicates_ : int
        Samples that duplicate another one (distance 0); they get its density.
    n_features_in_ : int
        Number of features seen during fit (raw data and sparse graphs).

    Notes
    -----
    Duplicates are collapsed first: densities are computed on the N distinct
    points and normalised by N.

    :meth:`score_samples` treats a query as one more point: its neighbours among
    the fitted (distinct) points give its k* (the same test, with the radii of
    its (k+1)-th neighbour taken from the fit, k* capped at ``n_neighbors_``) and
    its density by the same method, normalised by the fitted N.  A fitted point
    passed again finds itself first, at distance 0 (as a kernel density estimate
    counts the point itself).

    References
    ----------
    .. [1] A. Rodriguez, M. d'Errico, E. Facco, A. Laio, "Computing the free
       energy without collective variables", J. Chem. Theory Comput. 14, 1206 (2018).
    .. [2] M. d'Errico, E. Facco, A. Laio, A. Rodriguez, "Automatic topography of
       high-dimensional data sets by non-parametric density peak clustering",
       Inf. Sci. 560, 476 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.density import DensityEstimator
    >>> X = np.random.default_rng(0).normal(size=(1000, 2))
    >>> est = DensityEstimator(intrinsic_dim=2.0).fit(X)
    >>> true = -np.log(2 * np.pi) - 0.5 * (X ** 2).sum(1)
    >>> bool(np.corrcoef(est.log_density_, true)[0, 1] > 0.9)
    True
    >>> centre, tail = est.score_samples([[0.0, 0.0], [3.0, 3.0]])
    >>> bool(abs(centre - np.log(1 / (2 * np.pi))) < 0.5 and tail < centre - 5)
    True
    """

    _parameter_constraints = {
        "method": [StrOptions({"pak", "kstar", "knn"})],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_neighbors": [Interval(numbers.Integral, 1, None, closed="left"),
                          StrOptions({"auto"})],
        "intrinsic_dim": [StrOptions({"twonn", "gride"}),
                          Interval(numbers.Real, 0, None, closed="neither")],
        "threshold": [Interval(numbers.Real, 0, None, closed="neither")],
        "metric": METRIC_OR_PRECOMPUTED_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        method="pak",
        *,
        n_neighbors=20,
        max_neighbors="auto",
        intrinsic_dim="twonn",
        threshold=KSTAR_THRESHOLD,
        metric="euclidean",
        algorithm="auto",
        n_jobs=None,
    ):
        self.method = method
        self.n_neighbors = n_neighbors
        self.max_neighbors = max_neighbors
        self.intrinsic_dim = intrinsic_dim
        self.threshold = threshold
        self.metric = metric
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Estimate the log density of every sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or a kNN graph
            Points, or with ``metric="precomputed"`` a sparse kNN graph / a
            ``(distances, indices)`` pair.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : DensityEstimator
            The fitted estimator.
        """
        fit = fit_density(self, X, what=type(self).__name__)
        self._set_attributes(fit)
        return self

    def _set_attributes(self, fit):
        nb = fit.neighbors
        self._fit = fit
        self.log_density_ = nb.to_samples(fit.log_density)
        self.log_density_err_ = nb.to_samples(fit.error)
        self.kstar_ = nb.to_samples(fit.kstar)
        self.intrinsic_dim_ = float(fit.intrinsic_dim)
        self.n_neighbors_ = int(nb.n_neighbors)
        self.n_saturated_ = int(fit.saturated.sum())
        self.n_duplicates_ = int(nb.n_duplicates)

    def score_samples(self, X):
        """Log density of query points (see the rule in the Notes).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), or a kNN graph
            Points; with ``metric="precomputed"`` a sparse graph of the queries
            against the fitted samples or a ``(distances, indices)`` pair indexing them.

        Returns
        -------
        log_density : ndarray of shape (n_queries,)
            Log density of each query.
        """
        check_is_fitted(self)
        return query_density(self, self._fit, X)[0]

    def score(self, X, y=None):
        """Total log density of ``X`` (sum of :meth:`score_samples`).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), or a kNN graph
            Query points.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        score : float
            Sum of the log densities of the queries.
        """
        return float(np.sum(self.score_samples(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        if self.metric == "precomputed":
            tags.input_tags.pairwise = True
            tags.input_tags.sparse = True
        return tags


# --------------------------------------------------------------------------------------
# shared by the density and clustering estimators


def _dim_needs(est):
    if isinstance(est.intrinsic_dim, str):
        return 2 * GRIDE_N1 if est.intrinsic_dim == "gride" else 2
    return 1


def _distinct_width(graph):
    """Largest k such that every distinct point of a precomputed graph lists k distinct others.

    Lists filled by copies of a point hold fewer distinct neighbours than entries;
    asking the duplicate-aware layer for this many keeps every distinct point.
    """
    g = as_knn_graph(graph)
    if g.n_queries == 0 or g.n_neighbors == 0:
        return max(g.n_neighbors, 1)
    if g.n_duplicates == 0:
        return g.n_neighbors
    groups = g.duplicate_groups()
    _, kept = np.unique(groups, return_index=True)
    lab = np.sort(groups[g.indices[kept]], axis=1)
    new = np.ones(lab.shape, dtype=bool)
    new[:, 1:] = lab[:, 1:] != lab[:, :-1]
    own = (lab == groups[kept][:, None]).any(axis=1)
    return max(int((new.sum(axis=1) - own).min()), 1)


def fit_density(est, X, *, what, method=None, min_distinct=None):
    """Neighbours, intrinsic dimension and densities for an estimator's parameters.

    ``est`` carries ``n_neighbors, max_neighbors, intrinsic_dim, threshold,
    metric, algorithm, n_jobs`` (and ``method`` unless given).  Returns a
    :class:`DensityFit` over the distinct points.
    """
    method = est.method if method is None else method
    X = validate_neighbors_input(est, X)
    estimate_d = isinstance(est.intrinsic_dim, str)
    if min_distinct is None:
        min_distinct = 3 if estimate_d else 2
    kwargs = dict(metric=est.metric, algorithm=est.algorithm, n_jobs=est.n_jobs, what=what,
                  min_distinct=min_distinct)
    precomputed = est.metric == "precomputed"
    if precomputed:
        X = as_knn_graph(X)  # parsed once, here
    if method == "knn":
        want = max(int(est.n_neighbors), _dim_needs(est))
        nb = distinct_neighbors(X, want, cap_to_available=precomputed, **kwargs)
    elif precomputed:
        nb = distinct_neighbors(X, _distinct_width(X), cap_to_available=True, **kwargs)
    else:
        cap = est.max_neighbors
        start = AUTO_START_NEIGHBORS if cap == "auto" else int(cap)
        start = max(start, _dim_needs(est))
        nb = distinct_neighbors(X, start, cap_to_available=True, **kwargs)
    if nb.rows.size != nb.n_distinct:
        raise ValueError(
            f"{what}: {nb.n_distinct - nb.rows.size} distinct points have too few distinct "
            "neighbours in the precomputed graph (their lists are filled by duplicates); "
            "pass a graph with more neighbours or the raw data."
        )
    if method == "knn" and nb.n_neighbors < est.n_neighbors:
        raise ValueError(
            f"{what}: n_neighbors={est.n_neighbors} needs more than {est.n_neighbors} distinct "
            f"points (or neighbours in the graph); got {nb.n_neighbors + 1} distinct points"
            + (f" and {nb.n_neighbors} neighbours per point." if precomputed else ".")
        )
    d = estimate_dimension(nb.distances, est.intrinsic_dim) if estimate_d else float(
        est.intrinsic_dim)
    if not (np.isfinite(d) and d > 0):
        raise ValueError(f"{what}: the estimated intrinsic dimension is {d!r}.")
    n = nb.n_distinct
    with numba_threads(est.n_jobs, blas=False):
        if method == "knn":
            k = int(est.n_neighbors)
            log_r = _log_distances(nb.distances)
            kstar = np.full(n, k, dtype=np.int64)
            saturated = np.zeros(n, dtype=bool)
        else:
            while True:
                log_r = _log_distances(nb.distances)
                kstar, saturated = _kern.kstar_kernel(
                    log_r, nb.indices, d, float(est.threshold), KSTAR_MIN
                )
                K = nb.n_neighbors
                top = min(AUTO_MAX_NEIGHBORS, n - 1)
                if est.max_neighbors != "auto" or precomputed or not saturated.any() or K >= top:
                    break
                nb = distinct_neighbors(X, min(2 * K, top), cap_to_available=True, **kwargs)
        log_vd = log_unit_ball_volume(d)
        if method == "pak":
            kk = np.maximum(kstar, 2)
            if nb.n_neighbors < 2:
                raise ValueError(f"{what}: PAk needs at least 2 neighbours per point.")
            F, _, ok = _kern.pak_kernel(log_r, kk, d, log_vd, _PAK_MAX_ITER, _PAK_TOL)
            log_rho = F - np.log(n)
            kf = kk.astype(np.float64)
            err = np.sqrt((4 * kf + 2) / (kf * (kf - 1)))
        else:
            log_rho = np.log(kstar) - np.log(n) - _kern.knn_log_volume(log_r, kstar, d, log_vd)
            err = 1.0 / np.sqrt(kstar)
    if not np.isfinite(log_rho).all():  # pragma: no cover - guarded by the distinct graph
        raise FloatingPointError(f"{what}: non-finite log density.")
    return DensityFit(nb, log_r, kstar, saturated, log_rho, err, d)


def query_density(est, fit, X, method=None):
    """Log density, error and k* of query points (rule: see DensityEstimator Notes)."""
    method = est.method if method is None else method
    X = validate_neighbors_input(est, X, reset=False)
    nb = fit.neighbors
    K = nb.n_neighbors
    q = nb.query(X, min(K + 1, nb.n_distinct))
    d = fit.intrinsic_dim
    log_rq = _log_distances(np.where(q.indices >= 0, q.distances, np.inf))
    n = nb.n_distinct
    valid = (q.indices >= 0).sum(1)
    if (valid < 1).any():
        raise ValueError("Some query has no neighbour among the fitted points.")
    ind = np.where(q.indices >= 0, q.indices, 0)
    with numba_threads(est.n_jobs, blas=False):
        if method == "knn":
            kstar = np.minimum(int(est.n_neighbors), valid)
        else:
            kstar = _kern.kstar_query_kernel(
                log_rq, ind, fit.log_r, d, float(est.threshold), KSTAR_MIN
            )
            kstar = np.minimum(np.minimum(kstar, K), valid)
        log_vd = log_unit_ball_volume(d)
        if method == "pak":
            kk = np.maximum(kstar, 2)
            F, _, _ = _kern.pak_kernel(log_rq, kk, d, log_vd, _PAK_MAX_ITER, _PAK_TOL)
            log_rho = F - np.log(n)
            kf = kk.astype(np.float64)
            err = np.sqrt((4 * kf + 2) / (kf * (kf - 1)))
        else:
            log_rho = np.log(kstar) - np.log(n) - _kern.knn_log_volume(log_rq, kstar, d, log_vd)
            err = 1.0 / np.sqrt(kstar)
    return log_rho, err, kstar, q
