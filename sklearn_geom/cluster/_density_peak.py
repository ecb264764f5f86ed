"""Density-peak clustering: Advanced Density Peaks (ADP) and the classic decision graph."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..density._density import KSTAR_THRESHOLD, fit_density, query_density
from ..neighbors import KNNGraph, as_knn_graph
from ..neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from ..utils import numba_threads
from . import _density_peak_numba as _kern


def _rank(values):
    """Rank of each point by decreasing ``values`` (ties by index); and the order."""
    n = values.shape[0]
    order = np.lexsort((np.arange(n), -values))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank, order.astype(np.int64)


def saddles(labels, n_clusters, indices, kstar, centre, rank, log_rho, err, centres_too=True):
    """Saddle between every pair of clusters that touch (ADP step 3).

    Returns edge arrays ``a < b``, saddle log density, error and point (the
    border point with the highest g between the two clusters).
    """
    other = _kern.border_candidates(labels, indices, kstar, centre, centres_too)
    x = np.flatnonzero(other >= 0)
    if x.size == 0:
        e = np.empty(0, dtype=np.int64)
        return e, e, np.empty(0), np.empty(0), e
    c1, c2 = labels[x], other[x]
    a, b = np.minimum(c1, c2), np.maximum(c1, c2)
    key = a * np.int64(n_clusters) + b
    order = np.lexsort((rank[x], key))
    key, x = key[order], x[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, x = key[first], x[first]
    return key // n_clusters, key % n_clusters, log_rho[x], err[x], x


def _top_two(values, labels, n_clusters):
    """Highest and second highest value in each cluster (-inf where missing)."""
    order = np.lexsort((-values, labels))
    lab, val = labels[order], values[order]
    start = np.searchsorted(lab, np.arange(n_clusters))
    count = np.bincount(labels, minlength=n_clusters)
    first = np.full(n_clusters, -np.inf)
    second = np.full(n_clusters, -np.inf)
    first[count >= 1] = val[start[count >= 1]]
    two = count >= 2
    second[two] = val[start[two] + 1]
    return first, second


def adp(log_rho, err, kstar, indices, Z):
    """Advanced Density Peaks on a distinct-point kNN graph (d'Errico et al. 2021).

    Two guards against peaks that the noise of the estimate makes: isolated
    spikes are levelled to their neighbourhood before the clustering
    (``cap_spikes``), and a pair of clusters is significant only when in each
    of them a second point passes the test against the saddle.

    Parameters
    ----------
    log_rho, err : ndarray of shape (n,)
        Log density and its error per point.
    kstar : ndarray of shape (n,)
        Neighbourhood size per point (at most the graph's width).
    indices : ndarray of shape (n, K)
        Neighbour lists, sorted by distance, self excluded.
    Z : float
        Significance of the merging test.

    Returns
    -------
    labels : ndarray of shape (n,)
        Final cluster of every point (numbered by decreasing peak log density).
    peaks : ndarray of shape (n_clusters,)
        Point at the peak of each cluster.
    ea, eb, e_rho, e_err, e_point : ndarrays
        Saddles between final clusters ``ea < eb``: log density, error and point.
    rho : ndarray of shape (n,)
        The log density of the clustering (``log_rho`` with spikes levelled).
    spikes : ndarray of shape (n,), bool
        The levelled points.
    """
    rho, spikes = _kern.cap_spikes(log_rho, err, kstar, indices, float(Z))
    rank_rho, _ = _rank(rho)
    g = rho - err
    rank, order = _rank(g)
    putative = _kern.putative_centres(rank, indices, kstar)
    centre, parent = _kern.prune_centres(rank, indices, kstar, putative)
    labels, centres = _kern.assign(order, indices, centre, parent)
    M = centres.size
    ea, eb, er, ee, ep = saddles(labels, M, indices, kstar, centre, rank, rho, err)
    first, second = _top_two(rho - Z * err, labels, M)
    into, _, _, alive, ma, mb, er, ee, ep = _kern.merge_clusters(
        rho[centres], err[centres], first, second, ea, eb, er, ee, ep, float(Z)
    )
    survivors = np.flatnonzero(into == np.arange(M))
    # number the final clusters by decreasing peak
    survivors = survivors[np.argsort(rank_rho[centres[survivors]], kind="stable")]
    remap = np.full(M, -1, dtype=np.int64)
    remap[survivors] = np.arange(survivors.size)
    labels = remap[into[labels]]
    peaks = centres[survivors]
    # saddles between the final clusters: the merged ones (the higher saddle of the
    # merged pair towards each other cluster)
    ra, rb = remap[ma[alive]], remap[mb[alive]]
    return (labels, peaks, np.minimum(ra, rb), np.maximum(ra, rb), er[alive], ee[alive],
            ep[alive], rho, spikes)


def peaks_linkage(peak_rho, peak_err, ea, eb, e_rho, e_err, e_pt):
    """Dendrogram of the peaks in scipy's linkage format.

    Clusters are joined by decreasing saddle log density (the merged cluster
    keeps, towards every other one, the higher saddle); the height of a join is
    ``max(peak_rho) - saddle``.  Groups with no saddle between them are joined
    last, one after the other, one unit above the highest height.
    """
    M = peak_rho.shape[0]
    if M < 2:
        return np.empty((0, 4))
    _, merges, merge_rho, *_ = _kern.merge_clusters(
        peak_rho, peak_err, peak_rho, peak_rho, ea, eb, e_rho, e_err, e_pt, np.inf
    )
    top = float(np.max(peak_rho))
    node = np.arange(M)
    count = np.ones(M, dtype=np.int64)
    rows = []
    for step, ((a, b), rs) in enumerate(zip(merges, merge_rho)):
        n1, n2 = sorted((node[a], node[b]))
        count[a] += count[b]
        rows.append([n1, n2, top - rs, count[a]])
        node[a] = M + step
    heights = np.maximum.accumulate([r[2] for r in rows]) if rows else np.zeros(0)
    for r, h in zip(rows, heights):
        r[2] = max(float(h), 0.0)
    roots = sorted({int(node[c]) for c in range(M) if _root(c, merges)})
    if len(roots) > 1:
        h = (heights[-1] if len(heights) else 0.0) + 1.0
        cur, cur_count = roots[0], _count(roots[0], M, rows)
        for r in roots[1:]:
            cnt = cur_count + _count(r, M, rows)
            rows.append([min(cur, r), max(cur, r), h, cnt])
            cur, cur_count = M + len(rows) - 1, cnt
    return np.asarray(rows, dtype=np.float64)


def _root(c, merges):
    return not np.any(merges[:, 1] == c) if len(merges) else True


def _count(node, M, rows):
    return 1 if node < M else int(rows[node - M][3])


class DensityPeak(ClusterMixin, BaseEstimator):
    """Density-peak clustering: Advanced Density Peaks (ADP) or the classic decision graph.

    ``method="adp"`` (d'Errico et al. 2021) finds the peaks of the density
    without parameters other than the significance ``Z``: every point gets a
    log density and its error (PAk by default, on adaptive neighbourhoods k*);
    a point whose ``g = log rho - error`` is the highest within its k*
    neighbours (and lies in no higher point's neighbourhood) is a centre; the
    other points, by decreasing g, join the cluster of their nearest already
    assigned neighbour; pairs of clusters whose saddle is not significantly
    lower than both peaks (``rho_peak - rho_saddle < Z (e_peak + e_saddle)``)
    are merged, highest saddle first.  Two guards keep the noise of the
    estimate from making peaks (see Notes): isolated spikes are levelled to
    their neighbourhood, and a second point of each cluster must pass the test.

    ``method="classic"`` (Rodriguez & Laio 2014) uses the decision graph: rho
    (the same log density) against delta, the distance to the nearest point of
    higher density; centres are the points with both large (``n_clusters`` by
    ``gamma = (rho - min rho) * delta``, or the thresholds), the others follow
    their nearest higher-density point.

    Parameters
    ----------
    Z : float, default=1.65
        Significance of the ADP merging test (papers use 1.2-3).
    method : {"adp", "classic"}, default="adp"
        Clustering algorithm.
    density : {"pak", "kstar", "knn"}, default="pak"
        Density estimator (see :class:`~sklearn_geom.density.DensityEstimator`).
        With ``"knn"`` every point uses ``n_neighbors`` as its neighbourhood.
    n_neighbors : int, default=20
        The k of ``density="knn"``.
    max_neighbors : int or "auto", default="auto"
        Largest neighbourhood of the k* search; ``"auto"`` starts at 100 and
        doubles while some point's k* reaches it (up to 1600).  With
        ``metric="precomputed"`` every neighbour of the graph is used: pass
        enough of them.
    intrinsic_dim : {"twonn", "gride"} or float, default="twonn"
        Intrinsic dimension of the density estimate.
    threshold : float, default=23.928
        Threshold of the k* test.
    n_clusters : int, default=None
        ``method="classic"``: number of centres (largest gamma).
    rho_threshold, delta_threshold : float, default=None
        ``method="classic"``: centres are the points with log density above
        ``rho_threshold`` and delta above ``delta_threshold`` (either may be None).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance; ``"precomputed"`` takes a kNN graph (sparse, as from
        :class:`~sklearn_geom.neighbors.KNNTransformer`, or ``(distances, indices)``).
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search.
    n_jobs : int, default=None
        Threads (None: every core numba may use, -1: all cores).  Results do not
        depend on it.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of every sample (core labelling: every point has a cluster;
        exact duplicates share their label).  Clusters are numbered by
        decreasing peak log density.
    halo_ : ndarray of shape (n_samples,), bool
        Halo points: log density below the highest saddle of their cluster.
        ``np.where(halo_, -1, labels_)`` is the labelling with halo.
    n_clusters_ : int
        Number of clusters.
    cluster_centers_indices_ : ndarray of shape (n_clusters,)
        Sample (row of X) at the peak of each cluster.
    peaks_log_density_, peaks_log_density_err_ : ndarray of shape (n_clusters,)
        Log density of the peaks (on the clustering's scale: spikes levelled)
        and its error.
    saddle_log_density_ : ndarray of shape (n_clusters, n_clusters)
        Log density of the saddle point between two clusters (``-inf`` where
        they do not touch); the diagonal holds the peaks.
    saddle_log_density_err_ : ndarray of shape (n_clusters, n_clusters)
        Its error (0 where there is no saddle).
    saddle_indices_ : ndarray of shape (n_clusters, n_clusters)
        Sample at each saddle (-1 where none; the peak on the diagonal).
    linkage_ : ndarray of shape (n_clusters - 1, 4)
        Dendrogram of the peaks in :func:`scipy.cluster.hierarchy.linkage`
        format: clusters joined by decreasing saddle density (a merged cluster
        keeps the higher saddle towards each other one), height
        ``max(peaks_log_density_) - saddle``; groups with no saddle between them
        are joined one unit above the highest height.
    log_density_, log_density_err_ : ndarray of shape (n_samples,)
        Density estimate of every sample (the estimator's output, spikes
        included).
    spikes_ : ndarray of shape (n_samples,), bool
        Samples whose log density is an isolated spike (Notes); the clustering
        uses for them the highest log density of their k* neighbours.  Always
        False with ``method="classic"``.
    kstar_ : ndarray of shape (n_samples,)
        Neighbourhood size of every sample.
    delta_ : ndarray of shape (n_samples,)
        Distance to the nearest point of higher log density (the decision
        graph; the highest point gets the largest delta).  With
        ``metric="precomputed"``, points with no higher point among their listed
        neighbours get the lower bound ``r_K``.
    intrinsic_dim_ : float
        Intrinsic dimension used.
    n_neighbors_ : int
        Neighbours per point of the graph used.
    n_duplicates_ : int
        Samples that duplicate another one (they share its label).
    n_features_in_ : int
        Number of features seen during fit (raw data and sparse graphs).

    Notes
    -----
    Peaks made by the noise of the estimate.  In high intrinsic dimension with
    few points per neighbourhood (k* of 3-10), the density estimate has a heavy
    upper tail (PAk extrapolates a short first shell into a value several nats
    above every neighbour), and among 10^5 points many local maxima pass the
    pairwise test of ADP by chance: DADApy reports 25 and 41 clusters for a
    5-Gaussian mixture in D = 20 at N = 50k and 100k.  Two guards, both at the
    same significance ``Z``, remove them:

    - *isolated spikes*: a point whose log density exceeds that of every one
      of its k* neighbours, ``rho_i - rho_j > Z sqrt(e_i^2 + e_j^2)``,
      contradicts the premise of k* (a neighbourhood of statistically constant
      density); for the clustering its log density becomes the highest of its
      neighbours' (repeated until no point changes; ``spikes_``);
    - *a second point passes the test*: a pair of clusters is significant
      only when, in each of them, besides the peak a second point passes the
      test against the saddle, ``rho_i - rho_s >= Z (e_i + e_s)``, so that no
      single estimate makes a mode on its own.

    On the benchmark sets of d'Errico et al. (2-D, k* of tens to hundreds) no
    point is a spike and the results are those of the plain test; on the
    5-Gaussian mixture above the result is 5 clusters.

    With fewer than 3 distinct points (2 when ``intrinsic_dim`` is given)
    densities are undefined: everything is one cluster, with a warning, and the
    density attributes are NaN.

    :meth:`predict` gives a new point the label of its nearest fitted neighbour
    whose g (``log rho - error``) is higher than the new point's own g
    (computed as in :meth:`~sklearn_geom.density.DensityEstimator.score_samples`),
    or, when none of its ``n_neighbors_ + 1`` nearest fitted points is higher,
    the label of the nearest one; a copy of a fitted point gets its label.

    References
    ----------
    .. [1] M. d'Errico, E. Facco, A. Laio, A. Rodriguez, "Automatic topography of
       high-dimensional data sets by non-parametric density peak clustering",
       Inf. Sci. 560, 476 (2021).
    .. [2] A. Rodriguez, M. d'Errico, E. Facco, A. Laio, "Computing the free
       energy without collective variables", J. Chem. Theory Comput. 14, 1206 (2018).
    .. [3] A. Rodriguez, A. Laio, "Clustering by fast search and find of density
       peaks", Science 344, 1492 (2014).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.cluster import DensityPeak
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(8, 1, (300, 2))])
    >>> dp = DensityPeak().fit(X)
    >>> dp.n_clusters_
    2
    >>> first, second = dp.labels_[:300], dp.labels_[300:]
    >>> bool((first == first[0]).all() and (second != first[0]).all())
    True
    >>> dp.predict([[0.0, 0.0], [8.0, 8.0]]).tolist() == [dp.labels_[0], dp.labels_[300]]
    True
    """

    _parameter_constraints = {
        "Z": [Interval(numbers.Real, 0, None, closed="left")],
        "method": [StrOptions({"adp", "classic"})],
        "density": [StrOptions({"pak", "kstar", "knn"})],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_neighbors": [Interval(numbers.Integral, 1, None, closed="left"),
                          StrOptions({"auto"})],
        "intrinsic_dim": [StrOptions({"twonn", "gride"}),
                          Interval(numbers.Real, 0, None, closed="neither")],
        "threshold": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "rho_threshold": [numbers.Real, None],
        "delta_threshold": [Interval(numbers.Real, 0, None, closed="left"), None],
        "metric": METRIC_OR_PRECOMPUTED_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        Z=1.65,
        *,
        method="adp",
        density="pak",
        n_neighbors=20,
        max_neighbors="auto",
        intrinsic_dim="twonn",
        threshold=KSTAR_THRESHOLD,
        n_clusters=None,
        rho_threshold=None,
        delta_threshold=None,
        metric="euclidean",
        algorithm="auto",
        n_jobs=None,
    ):
        self.Z = Z
        self.method = method
        self.density = density
        self.n_neighbors = n_neighbors
        self.max_neighbors = max_neighbors
        self.intrinsic_dim = intrinsic_dim
        self.threshold = threshold
        self.n_clusters = n_clusters
        self.rho_threshold = rho_threshold
        self.delta_threshold = delta_threshold
        self.metric = metric
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Cluster ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or a kNN graph
            Points, or with ``metric="precomputed"`` a sparse kNN graph / a
            ``(distances, indices)`` pair.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : DensityPeak
            The fitted estimator.
        """
        if self.method == "classic" and self.n_clusters is None and (
            self.rho_threshold is None and self.delta_threshold is None
        ):
            raise ValueError(
                "method='classic' needs n_clusters or rho_threshold / delta_threshold to "
                "select the centres on the decision graph."
            )
        try:
            fit = fit_density(self, X, what="DensityPeak", method=self.density)
        except ValueError as exc:
            if "distinct points" not in str(exc) or not self._few_distinct(X):
                raise
            return self._fit_degenerate(X)
        self._fit = fit
        nb = fit.neighbors
        n = nb.n_distinct
        log_rho, err = fit.log_density, fit.error
        kstar = np.minimum(fit.kstar, nb.n_neighbors)
        ind = nb.indices
        with numba_threads(self.n_jobs, blas=False):
            rank_rho, order_rho = _rank(log_rho)
            delta, parent_rho = self._delta(fit, rank_rho, order_rho)
            if self.method == "adp":
                labels, peaks, ea, eb, er, ee, ep, rho_c, spikes = adp(
                    log_rho, err, kstar, ind, float(self.Z)
                )
            else:
                peaks = self._classic_centres(log_rho, delta, rank_rho)
                centre_lab = np.full(n, -1, dtype=np.int64)
                centre_lab[peaks] = np.arange(peaks.size)
                labels = _kern.follow_parents(order_rho, parent_rho, centre_lab)
                centre_mask = centre_lab >= 0
                rank, _ = _rank(log_rho - err)
                ea, eb, er, ee, ep = saddles(
                    labels, peaks.size, ind, kstar, centre_mask, rank, log_rho, err
                )
                rho_c, spikes = log_rho, np.zeros(n, dtype=bool)
        self._set_topography(fit, labels, peaks, ea, eb, er, ee, ep, delta, rho_c, spikes)
        self._g = rho_c - err
        return self

    # ----------------------------------------------------------------------------------

    def _few_distinct(self, X):
        need = 3 if isinstance(self.intrinsic_dim, str) else 2
        if self.metric == "precomputed":
            try:
                labels = as_knn_graph(X).duplicate_groups()
            except Exception:
                return False
            return int(labels.max()) + 1 < need if labels.size else True
        X = np.asarray(X)
        return X.ndim == 2 and X.shape[0] >= 1 and np.unique(X, axis=0).shape[0] < need

    def _fit_degenerate(self, X):
        from ..neighbors import validate_neighbors_input

        X = validate_neighbors_input(self, X)
        if self.metric == "precomputed":
            g = as_knn_graph(X)
            n, groups = g.n_samples_fit, g.duplicate_groups()
        else:
            X = np.asarray(X)
            n = X.shape[0]
            _, groups = np.unique(X, axis=0, return_inverse=True)
            groups = groups.ravel()
        warnings.warn(
            f"DensityPeak: only {int(groups.max()) + 1} distinct point(s) among {n} "
            "samples; densities are undefined and all samples form one cluster.",
            UserWarning,
            stacklevel=3,
        )
        self._fit = None
        self.labels_ = np.zeros(n, dtype=np.int64)
        self.halo_ = np.zeros(n, dtype=bool)
        self.n_clusters_ = 1
        self.cluster_centers_indices_ = np.array([0], dtype=np.int64)
        self.peaks_log_density_ = np.full(1, np.nan)
        self.peaks_log_density_err_ = np.full(1, np.nan)
        self.saddle_log_density_ = np.full((1, 1), np.nan)
        self.saddle_log_density_err_ = np.zeros((1, 1))
        self.saddle_indices_ = np.zeros((1, 1), dtype=np.int64)
        self.linkage_ = np.empty((0, 4))
        self.log_density_ = np.full(n, np.nan)
        self.log_density_err_ = np.full(n, np.nan)
        self.spikes_ = np.zeros(n, dtype=bool)
        self.kstar_ = np.zeros(n, dtype=np.int64)
        self.delta_ = np.zeros(n)
        self.intrinsic_dim_ = float("nan")
        self.n_neighbors_ = 0
        self.n_duplicates_ = int(n - (groups.max() + 1))
        return self

    def _delta(self, fit, rank, order):
        """Distance to the nearest point of higher log density, and that point."""
        nb = fit.neighbors
        parent, delta = _kern.nearest_higher(rank, nb.indices, nb.distances)
        top = order[0]
        missing = np.flatnonzero(parent < 0)
        missing = missing[missing != top]
        if missing.size:
            if nb.X_fit is not None:
                # exact search among the higher points for the few local maxima
                Xf = np.asarray(nb.X_fit, dtype=np.float64)
                if nb.metric == "cosine":
                    Xf = Xf / np.linalg.norm(Xf, axis=1, keepdims=True)
                p, sq = _kern.nearest_higher_brute(np.ascontiguousarray(Xf), rank, missing)
                parent[missing] = p
                delta[missing] = 0.5 * sq if nb.metric == "cosine" else np.sqrt(sq)
            else:
                parent[missing] = top
                delta[missing] = nb.distances[missing, -1]
        finite = np.delete(delta, top)
        delta[top] = float(finite.max()) if finite.size else 0.0
        parent[top] = top
        return delta, parent

    def _classic_centres(self, log_rho, delta, rank):
        top = int(np.argmin(rank))
        if self.n_clusters is not None:
            gamma = (log_rho - log_rho.min()) * delta
            k = min(int(self.n_clusters), log_rho.size)
            order = np.lexsort((rank, -gamma))
            sel = set(order[:k].tolist())
            if top not in sel:
                sel.discard(order[k - 1])
                sel.add(top)
            peaks = np.fromiter(sel, dtype=np.int64)
        else:
            ok = np.ones(log_rho.size, dtype=bool)
            if self.rho_threshold is not None:
                ok &= log_rho > self.rho_threshold
            if self.delta_threshold is not None:
                ok &= delta > self.delta_threshold
            ok[top] = True
            peaks = np.flatnonzero(ok)
        return peaks[np.argsort(rank[peaks], kind="stable")]

    def _set_topography(self, fit, labels, peaks, ea, eb, er, ee, ep, delta, rho_c, spikes):
        nb = fit.neighbors
        C = peaks.size
        err = fit.error
        S = np.full((C, C), -np.inf)
        SE = np.zeros((C, C))
        SI = np.full((C, C), -1, dtype=np.int64)
        S[ea, eb] = S[eb, ea] = er
        SE[ea, eb] = SE[eb, ea] = ee
        SI[ea, eb] = SI[eb, ea] = nb.kept[ep] if ep.size else ep
        highest = S.max(axis=1) if C else np.zeros(0)
        diag = np.arange(C)
        S[diag, diag] = rho_c[peaks]
        SE[diag, diag] = err[peaks]
        SI[diag, diag] = nb.kept[peaks]
        halo = rho_c < highest[labels]
        self.labels_ = nb.to_samples(labels)
        self.halo_ = nb.to_samples(halo)
        self.n_clusters_ = int(C)
        self.cluster_centers_indices_ = nb.kept[peaks]
        self.peaks_log_density_ = rho_c[peaks]
        self.peaks_log_density_err_ = err[peaks]
        self.saddle_log_density_ = S
        self.saddle_log_density_err_ = SE
        self.saddle_indices_ = SI
        self.linkage_ = peaks_linkage(rho_c[peaks], err[peaks], ea, eb, er, ee, ep)
        self.log_density_ = nb.to_samples(fit.log_density)
        self.spikes_ = nb.to_samples(spikes)
        self.log_density_err_ = nb.to_samples(err)
        self.kstar_ = nb.to_samples(fit.kstar)
        self.delta_ = nb.to_samples(delta)
        self.intrinsic_dim_ = float(fit.intrinsic_dim)
        self.n_neighbors_ = int(nb.n_neighbors)
        self.n_duplicates_ = int(nb.n_duplicates)
        self._labels_distinct = labels

    # ----------------------------------------------------------------------------------

    def fit_predict(self, X, y=None):
        """Cluster ``X`` and return ``labels_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or a kNN graph
            As in :meth:`fit`.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Core labels (every sample has a cluster).
        """
        return self.fit(X).labels_

    def predict(self, X):
        """Cluster of new points (rule in the Notes).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), or a kNN graph
            Points; with ``metric="precomputed"`` a sparse graph of the queries
            against the fitted samples or a ``(distances, indices)`` pair.

        Returns
        -------
        labels : ndarray of shape (n_queries,)
            Cluster of each query.
        """
        check_is_fitted(self)
        if self._fit is None:
            from ..neighbors import validate_neighbors_input

            X = validate_neighbors_input(self, X, reset=False)
            n_q = X.shape[0] if not isinstance(X, (tuple, list, KNNGraph)) else len(X[0])
            return np.zeros(n_q, dtype=np.int64)
        log_rho, err, _, q = query_density(self, self._fit, X, method=self.density)
        with numba_threads(self.n_jobs, blas=False):
            out = _kern.predict_kernel(
                log_rho - err, self._g, self._labels_distinct, np.ascontiguousarray(q.indices)
            )
        exact = (q.distances[:, 0] == 0) & (q.indices[:, 0] >= 0)
        out[exact] = self._labels_distinct[q.indices[exact, 0]]
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        if self.metric == "precomputed":
            tags.input_tags.pairwise = True
            tags.input_tags.sparse = True
        return tags
