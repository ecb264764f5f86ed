"""Density-peak clustering figures: decision graph, dendrogram of the peaks, 2-D clusters."""

import numpy as np

from . import _get_ax


def _cmap(n_clusters):
    """Qualitative colours with cluster i drawn in colour i in every figure."""
    n = 10 if n_clusters <= 10 else 20
    return dict(cmap=f"tab{n}", vmin=-0.5, vmax=n - 0.5)


def _check_peaks(estimator, what):
    if not hasattr(estimator, "labels_") or not hasattr(estimator, "linkage_"):
        raise TypeError(f"{what} takes a fitted DensityPeak; got {type(estimator).__name__}.")


def plot_decision_graph(estimator, ax=None, *, s=6, centre_size=60, **scatter_kw):
    """Decision graph of density peaks: log density against delta.

    Parameters
    ----------
    estimator : DensityPeak
        A fitted :class:`~sklearn_geom.cluster.DensityPeak` (either method).
    ax : matplotlib Axes, default=None
        Axes to draw on (a new figure's when None).
    s : float, default=6
        Marker size of the points.
    centre_size : float, default=60
        Marker size of the cluster centres (drawn on top, one colour each).
    **scatter_kw
        Passed to :meth:`matplotlib.axes.Axes.scatter` for the points.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.  The first collection holds the points
        (``log_density_``, ``delta_``), the second the centres.

    References
    ----------
    .. [1] A. Rodriguez, A. Laio, "Clustering by fast search and find of density
       peaks", Science 344, 1492 (2014).
    """
    _check_peaks(estimator, "plot_decision_graph")
    ax = _get_ax(ax)
    kw = dict(color="0.5", s=s, linewidths=0)
    kw.update(scatter_kw)
    ax.scatter(estimator.log_density_, estimator.delta_, **kw)
    c = estimator.cluster_centers_indices_
    ax.scatter(estimator.log_density_[c], estimator.delta_[c], s=centre_size,
               c=np.arange(c.size) % 20, edgecolors="k", zorder=3, **_cmap(c.size))
    ax.set_xlabel(r"log density $\ln\rho$")
    ax.set_ylabel(r"$\delta$ (distance to a denser point)")
    return ax


def plot_peak_dendrogram(estimator, ax=None, *, labels=None, **dendrogram_kw):
    """Dendrogram of the density peaks from their saddles.

    Parameters
    ----------
    estimator : DensityPeak
        A fitted :class:`~sklearn_geom.cluster.DensityPeak` with at least 2 clusters.
    ax : matplotlib Axes, default=None
        Axes to draw on (a new figure's when None).
    labels : list of str, default=None
        Leaf labels (default: the cluster numbers).
    **dendrogram_kw
        Passed to :func:`scipy.cluster.hierarchy.dendrogram`.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on; the height of a join is the highest peak's log density
        minus the saddle's (``linkage_``).

    References
    ----------
    .. [1] M. d'Errico, E. Facco, A. Laio, A. Rodriguez, "Automatic topography of
       high-dimensional data sets by non-parametric density peak clustering",
       Inf. Sci. 560, 476 (2021).
    """
    from scipy.cluster.hierarchy import dendrogram

    _check_peaks(estimator, "plot_peak_dendrogram")
    if estimator.n_clusters_ < 2:
        raise ValueError("A dendrogram needs at least 2 clusters; this fit found 1.")
    ax = _get_ax(ax)
    if labels is None:
        labels = [str(i) for i in range(estimator.n_clusters_)]
    dendrogram(estimator.linkage_, ax=ax, labels=labels, **dendrogram_kw)
    ax.set_xlabel("cluster")
    ax.set_ylabel(r"$\ln\rho_{\max} - \ln\rho_{\mathrm{saddle}}$")
    return ax


def plot_density_peaks(estimator, X, ax=None, *, halo=True, s=4, **scatter_kw):
    """2-D scatter of the points coloured by cluster, halo points in grey.

    Parameters
    ----------
    estimator : DensityPeak
        A fitted :class:`~sklearn_geom.cluster.DensityPeak`.
    X : array-like of shape (n_samples, 2)
        The points it was fitted on (or two coordinates of them).
    ax : matplotlib Axes, default=None
        Axes to draw on (a new figure's when None).
    halo : bool, default=True
        Draw the halo (``halo_``) in light grey instead of the cluster colour.
    s : float, default=4
        Marker size.
    **scatter_kw
        Passed to :meth:`matplotlib.axes.Axes.scatter` for the core points.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on; the centres are marked with black crosses.
    """
    _check_peaks(estimator, "plot_density_peaks")
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] != estimator.labels_.shape[0]:
        raise ValueError(
            f"X must have shape (n_samples={estimator.labels_.shape[0]}, 2), got {X.shape}."
        )
    ax = _get_ax(ax)
    core = ~estimator.halo_ if halo else np.ones(X.shape[0], dtype=bool)
    if halo and (~core).any():
        ax.scatter(X[~core, 0], X[~core, 1], s=s, color="0.85", linewidths=0, label="halo")
    kw = dict(s=s, linewidths=0, **_cmap(estimator.n_clusters_))
    kw.update(scatter_kw)
    ax.scatter(X[core, 0], X[core, 1], c=estimator.labels_[core] % 20, **kw)
    c = estimator.cluster_centers_indices_
    ax.scatter(X[c, 0], X[c, 1], marker="x", color="k", s=40, zorder=3, label="peaks")
    ax.set_aspect("equal", adjustable="datalim")
    return ax
