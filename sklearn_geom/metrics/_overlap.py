"""Label overlap and neighbourhood (data) overlap of representations."""

import numpy as np

from ._common import check_labels, neighbor_indices

_AVERAGES = ("samples", "classes", None)


def _check_average(average):
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}.")


def label_overlap(
    X,
    labels,
    *,
    n_neighbors=30,
    class_fraction=None,
    average="samples",
    metric="euclidean",
    algorithm="auto",
    n_jobs=None,
):
    """Fraction of each point's nearest neighbours that share its label.

    ``chi_gt(k) = mean_i (1/k) #{j in kNN_k(i) : y_j = y_i}`` (Doimo et al. 2020).
    With ``class_fraction`` the number of neighbours depends on the class,
    ``k_i = max(1, floor(class_fraction * n_{y_i}))`` (balanced for unequal
    classes), and with ``average="classes"`` each point is weighted by
    ``1 / n_{y_i}`` so that every class counts equally.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or kNN graph
        The representation; with ``metric="precomputed"`` a kNN graph (sparse
        distance matrix as from ``KNNTransformer``, ``(distances, indices)`` pair
        or ``KNNGraph``) with enough neighbours per point.
    labels : array-like of shape (n_samples,)
        Ground-truth class of each point.
    n_neighbors : int, default=30
        ``k``; ignored when ``class_fraction`` is given.
    class_fraction : float in (0, 1], default=None
        Neighbours per point as a fraction of the size of its class.
    average : {"samples", "classes"} or None, default="samples"
        ``"samples"``: plain mean over points; ``"classes"``: mean weighted by
        ``1 / n_{y_i}`` (DADApy's ``return_label_overlap`` default
        ``weighted=True``); ``None``: the per-point overlaps.
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of the neighbour search (:func:`sklearn_geom.neighbors.compute_knn`).
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search algorithm.
    n_jobs : int, default=None
        Threads of the neighbour search.  Results do not depend on it.

    Returns
    -------
    overlap : float or ndarray of shape (n_samples,)
        In [0, 1].

    Notes
    -----
    Duplicate points are kept: they are neighbours at distance 0 (ties ordered
    by index), as in DADApy; a
    :class:`~sklearn_geom.neighbors.DuplicatePointsWarning` reports them.

    References
    ----------
    .. [1] Doimo, Glielmo, Ansuini, Laio, "Hierarchical nucleation in deep neural
       networks", NeurIPS 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import label_overlap
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (50, 3)), rng.normal(10, 1, (50, 3))]
    >>> y = np.repeat([0, 1], 50)
    >>> float(label_overlap(X, y, n_neighbors=10))
    1.0
    """
    _check_average(average)
    if class_fraction is not None and not (0 < class_fraction <= 1):
        raise ValueError(f"class_fraction must be in (0, 1], got {class_fraction!r}.")
    labels_in = labels
    # number of points: from X itself (graph or points)
    if class_fraction is None:
        k_per = None
        k = n_neighbors
    else:
        lab = np.asarray(labels_in)
        _, inv, counts = np.unique(lab, return_inverse=True, return_counts=True)
        k_class = np.maximum(1, np.floor(class_fraction * counts).astype(np.int64))
        k_per = k_class[inv.ravel()]
        k = int(k_class.max())
    ind, n = neighbor_indices(X, k, metric=metric, algorithm=algorithm, n_jobs=n_jobs,
                              what="label_overlap")
    labels = check_labels(labels_in, n)
    _, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    codes = codes.ravel()
    same = codes[ind] == codes[:, None]
    if k_per is None:
        per_point = same.mean(axis=1)
    else:
        same &= np.arange(k)[None, :] < k_per[:, None]
        per_point = same.sum(axis=1) / k_per
    if average is None:
        return per_point
    if average == "classes":
        return float(np.average(per_point, weights=1.0 / counts[codes]))
    return float(per_point.mean())


def neighborhood_overlap(
    X_a,
    X_b,
    *,
    n_neighbors=30,
    average=True,
    metric="euclidean",
    algorithm="auto",
    n_jobs=None,
):
    """Overlap of the neighbourhoods of the same points in two representations.

    ``chi(A, B)(k) = mean_i |kNN_k^A(i) ∩ kNN_k^B(i)| / k`` (Doimo et al. 2020,
    Valeriani et al. 2023): 1 when both representations have the same
    neighbourhoods, about ``k / N`` for unrelated ones.

    Parameters
    ----------
    X_a, X_b : array-like of shape (n_samples, n_features_a / n_features_b) or kNN graphs
        The same points, in the same order, in two representations (the widths
        may differ).  With ``metric="precomputed"`` both are kNN graphs.
    n_neighbors : int, default=30
        ``k``.
    average : bool, default=True
        Return the mean (True) or the per-point overlaps (False).
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of both neighbour searches.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Neighbour search algorithm.
    n_jobs : int, default=None
        Threads of the neighbour search.

    Returns
    -------
    overlap : float or ndarray of shape (n_samples,)
        In [0, 1]; equals DADApy's ``return_data_overlap``.

    Notes
    -----
    Duplicate points are kept as neighbours (ties by index) with a
    :class:`~sklearn_geom.neighbors.DuplicatePointsWarning`.

    References
    ----------
    .. [1] Doimo, Glielmo, Ansuini, Laio, "Hierarchical nucleation in deep neural
       networks", NeurIPS 2020.
    .. [2] Valeriani, Doimo, Cuturello, Laio, Ansuini, Cazzaniga, "The geometry of
       hidden representations of large transformer models", NeurIPS 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.metrics import neighborhood_overlap
    >>> X = np.random.default_rng(0).normal(size=(100, 5))
    >>> float(neighborhood_overlap(X, 3 * X + 1, n_neighbors=10))
    1.0
    """
    ind_a, n_a = neighbor_indices(X_a, n_neighbors, metric=metric, algorithm=algorithm,
                                  n_jobs=n_jobs, what="neighborhood_overlap", name="X_a")
    ind_b, n_b = neighbor_indices(X_b, n_neighbors, metric=metric, algorithm=algorithm,
                                  n_jobs=n_jobs, what="neighborhood_overlap", name="X_b")
    if n_a != n_b:
        raise ValueError(
            f"X_a and X_b must hold the same points: got {n_a} and {n_b} samples."
        )
    per_point = _row_intersections(ind_a, ind_b) / n_neighbors
    return float(per_point.mean()) if average else per_point


def _row_intersections(a, b):
    """|a_i ∩ b_i| per row of two (n, k) integer arrays with distinct entries per row."""
    n, k = a.shape
    both = np.concatenate([a, b], axis=1)
    both.sort(axis=1)
    return np.count_nonzero(both[:, 1:] == both[:, :-1], axis=1).astype(np.float64)
