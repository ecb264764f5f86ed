"""GRIDE: generalised-ratios intrinsic-dimension estimator (Denti, Doimo, Laio, Mira 2022)."""

import numbers
import warnings

import numpy as np
from scipy.optimize import brentq
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval

from ..neighbors import distinct_neighbors, validate_neighbors_input
from ..neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from ._common import log_ratio

#: Interval searched for the maximum of the likelihood.
D_BOUNDS = (1e-3, 1e3)


def _score(d, log_mu, a, s):
    """Derivative of the log-likelihood in d (strictly decreasing)."""
    t = -np.expm1(-d * log_mu)  # 1 - mu^-d, in (0, 1]
    return log_mu.size / d + a * np.sum(log_mu / t) - s


def gride_fisher(d, log_mu, n1, n2):
    """Observed Fisher information ``-d^2 log L / dd^2`` at ``d``."""
    a = n2 - n1 - 1
    e = np.exp(-d * log_mu)
    t = -np.expm1(-d * log_mu)
    return log_mu.size / d**2 + a * float(np.sum(log_mu**2 * e / t**2))


def gride_estimate(log_mu, n1, n2, bounds=D_BOUNDS):
    """Maximum-likelihood dimension from ``ln(r_n2 / r_n1)`` (all > 0).

    The density of ``mu = r_n2 / r_n1`` is
    ``d (mu^d - 1)^(n2-n1-1) / (B(n2-n1, n1) mu^((n2-1) d + 1))``; its log-likelihood
    is concave in d, so the root of the score is found by Brent's method on
    ``bounds`` (closed form ``N / ((n2 - 1) sum ln mu)`` when ``n2 = n1 + 1``).

    Returns
    -------
    d : float
    err : float
        ``1 / sqrt(I(d))``, I the observed Fisher information.
    """
    log_mu = np.asarray(log_mu, dtype=np.float64)
    if log_mu.size < 1:
        raise ValueError("GRIDE needs at least one point with r_n2 > r_n1.")
    a = n2 - n1 - 1
    s = (n2 - 1) * float(np.sum(log_mu))
    lo, hi = bounds
    if a == 0:
        d = log_mu.size / s
    elif _score(lo, log_mu, a, s) <= 0:
        d = lo
    elif _score(hi, log_mu, a, s) >= 0:
        d = hi
    else:
        d = brentq(_score, lo, hi, args=(log_mu, a, s), xtol=1e-12, rtol=4 * np.finfo(float).eps)
    if not lo <= d <= hi:
        d = float(np.clip(d, lo, hi))
    if d in (lo, hi):
        warnings.warn(
            f"GRIDE: the likelihood is maximal at the boundary d = {d:g} of the search "
            f"interval {bounds}.",
            UserWarning,
            stacklevel=3,
        )
    return float(d), float(1.0 / np.sqrt(gride_fisher(d, log_mu, n1, n2)))


class Gride(BaseEstimator):
    """Intrinsic dimension from the ratios of the n1-th and 2 n1-th neighbour distances.

    GRIDE generalises TwoNN: for each point ``mu = r_n2 / r_n1`` with ``n2 = 2 n1``
    has a density that depends only on the intrinsic dimension d (on a locally
    uniform manifold), and d is its maximum-likelihood estimate.  Larger ``n1``
    probes larger scales and averages out noise; the multiscale mode estimates
    d at ``n1 = 1, 2, 4, ...`` to show how the dimension depends on scale.

    Parameters
    ----------
    n1 : int, default=1
        Neighbour rank of the inner distance (``n2 = 2 n1``) for ``dimension_``.
    multiscale : bool, default=False
        Also estimate at ``n1 = 1, 2, 4, ...`` while ``2 n1 <= range_max`` (and
        the data have enough distinct points), into the ``scale_*`` attributes.
    range_max : int, default=64
        Largest neighbour rank ``n2`` of the multiscale mode (DADApy's
        ``range_max``: with 64, ``n1`` goes up to 32).  Capped at the number of
        distinct points minus one (or at the neighbours of a precomputed graph).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance.  ``"precomputed"``: ``X`` is a kNN graph (sparse, as from
        :class:`~sklearn_geom.neighbors.KNNTransformer`, or a ``(distances,
        indices)`` pair) with at least ``2 n1`` neighbours per point.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search of :func:`~sklearn_geom.neighbors.compute_knn`.
    n_jobs : int, default=None
        Threads of the neighbour search (None: every core numba and OpenMP allow,
        as scikit-learn's OpenMP kernels, limited by ``threadpoolctl``,
        ``OMP_NUM_THREADS`` or ``NUMBA_NUM_THREADS``; -1: all cores).  Results do
        not depend on it.

    Attributes
    ----------
    dimension_ : float
        Maximum-likelihood estimate at ``n1``.
    dimension_err_ : float
        ``1 / sqrt(I)``, ``I`` the observed Fisher information at the maximum.
    scale_ : float
        Mean over points of ``(r_n1 + r_n2) / 2``: the length scale probed.
    n_samples_used_ : int
        Number of ratios in the estimate at ``n1`` (distinct points with
        ``r_n2 > r_n1``).
    n_duplicates_ : int
        Points removed because another point lies at distance 0.
    n_ties_ : int
        Distinct points with ``r_n1 == r_n2`` at ``n1`` (zero likelihood for
        ``n1 > 1``, no information at ``n1 = 1``), left out.
    scale_n1_ : ndarray of int
        ``n1`` of each scale (``[n1]`` without ``multiscale``).
    scale_dimensions_ : ndarray
        Estimate at each scale.
    scale_errors_ : ndarray
        Fisher-information error at each scale.
    scale_distances_ : ndarray
        Mean of ``(r_n1 + r_n2) / 2`` at each scale.
    n_features_in_ : int
        Number of features seen during fit (raw data and sparse graphs).

    See Also
    --------
    TwoNN : The n1 = 1 case with least-squares fit, decimation and local estimates.

    Notes
    -----
    At ``n1 = 1`` the estimate is the plain maximum likelihood ``N / sum ln mu``,
    while ``TwoNN(method="mle", discard_fraction=0)`` gives the unbiased
    ``(N - 1) / sum ln mu`` on the same ratios: the two differ by the factor
    ``(N - 1) / N`` exactly.  Duplicates are collapsed before anything is counted
    (:class:`~sklearn_geom.neighbors.DuplicatePointsWarning`); ratios with
    ``mu == 1`` are dropped with a warning.

    References
    ----------
    .. [1] F. Denti, D. Doimo, A. Laio, A. Mira, "The generalized ratios intrinsic
       dimension estimator", Sci. Rep. 12, 20005 (2022).
    .. [2] E. Facco, M. d'Errico, A. Rodriguez, A. Laio, "Estimating the intrinsic
       dimension of datasets by a minimal neighborhood information", Sci. Rep. 7,
       12140 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.dimension import Gride
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(1000, 3))
    >>> est = Gride(multiscale=True, range_max=16).fit(X)
    >>> est.scale_n1_.tolist()
    [1, 2, 4, 8]
    >>> bool(np.all(np.abs(est.scale_dimensions_ - 3) < 0.5))
    True
    """

    _parameter_constraints = {
        "n1": [Interval(numbers.Integral, 1, None, closed="left")],
        "multiscale": ["boolean"],
        "range_max": [Interval(numbers.Integral, 2, None, closed="left")],
        "metric": METRIC_OR_PRECOMPUTED_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        n1=1,
        *,
        multiscale=False,
        range_max=64,
        metric="euclidean",
        algorithm="auto",
        n_jobs=None,
    ):
        self.n1 = n1
        self.multiscale = multiscale
        self.range_max = range_max
        self.metric = metric
        self.algorithm = algorithm
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
        self : Gride
            The fitted estimator.
        """
        n1 = int(self.n1)
        X = validate_neighbors_input(self, X)
        search = dict(metric=self.metric, algorithm=self.algorithm, n_jobs=self.n_jobs,
                      what="Gride")
        if self.multiscale:
            nb = distinct_neighbors(
                X, max(self.range_max, 2 * n1), cap_to_available=True, **search
            )
            available = nb.n_neighbors
            if 2 * n1 > available:
                raise ValueError(
                    f"Gride needs {2 * n1} distinct neighbours per point for n1={n1}, but "
                    f"only {available} are available."
                )
            top = min(self.range_max, available)
            scales = [1 << i for i in range(int(np.log2(top)))] if top >= 2 else []
        else:
            nb = distinct_neighbors(X, 2 * n1, **search)
            scales = [n1]
        dist = nb.distances
        out = {}
        for m in sorted(set(scales) | {n1}):
            r_lo, r_hi = dist[:, m - 1], dist[:, 2 * m - 1]
            lm = log_ratio(r_hi, r_lo)
            ok = lm > 0
            if not ok.any():
                if m == n1:
                    raise ValueError(
                        f"Gride: every point has r_{m} == r_{2 * m} (ties); the dimension is "
                        "undefined at this scale."
                    )
                continue
            d, err = gride_estimate(lm[ok], m, 2 * m)
            out[m] = (d, err, float(np.mean(0.5 * (r_lo[ok] + r_hi[ok]))), int(ok.sum()))
        self.dimension_, self.dimension_err_, self.scale_, self.n_samples_used_ = out[n1]
        self.n_ties_ = int(dist.shape[0] - self.n_samples_used_)
        if self.n_ties_:
            warnings.warn(
                f"Gride: {self.n_ties_} points have r_{n1} == r_{2 * n1} (mu == 1, ties) and "
                "were left out of the estimate.",
                UserWarning,
                stacklevel=3,
            )
        self.n_duplicates_ = int(nb.n_duplicates)
        keys = [m for m in scales if m in out]
        self.scale_n1_ = np.asarray(keys, dtype=np.int64)
        self.scale_dimensions_ = np.asarray([out[m][0] for m in keys])
        self.scale_errors_ = np.asarray([out[m][1] for m in keys])
        self.scale_distances_ = np.asarray([out[m][2] for m in keys])
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        if self.metric == "precomputed":
            tags.input_tags.pairwise = True
            tags.input_tags.sparse = True
        return tags
