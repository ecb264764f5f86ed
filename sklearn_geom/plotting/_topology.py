"""Figures of zigzag persistence across layers (PersistenceSimilarity)."""

import numpy as np

from . import _get_ax


def _fitted(estimator, attrs):
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator, attrs)
    return estimator


def _layer_labels(estimator, n):
    names = getattr(estimator, "layer_names_", None)
    if names is None or len(names) != n:
        return [str(i) for i in range(n)]
    return [str(x) for x in names]


def plot_barcode(
    estimator,
    *,
    homology_dim=None,
    effective=True,
    max_bars=None,
    ax=None,
    **line_kw,
):
    """Barcode of the zigzag over the layers.

    Parameters
    ----------
    estimator : PersistenceSimilarity, Barcode or array-like of shape (n_bars, 3)
        A fitted estimator, a :class:`~sklearn_geom.topology.Barcode`, or rows
        ``(dimension, birth, death)`` in zigzag positions (death exclusive).
    homology_dim : int or list of int, default=None
        Degrees to draw (default: the estimator's ``homology_dim``, or every
        degree of an array).
    effective : bool, default=True
        Draw bars in effective layers (``ceil(position / 2)``, from the first to
        the last layer a cycle lives in, bars inside one effective layer left
        out, as in ``effective_barcode_``) rather than in zigzag positions (where
        odd positions are intersections).
    max_bars : int, default=None
        Draw at most this many bars per degree (the longest ones).
    ax : matplotlib Axes, default=None
        Axes to draw on (default: a new figure).
    **line_kw : dict
        Passed to :class:`matplotlib.collections.LineCollection`.

    Returns
    -------
    ax : matplotlib Axes
        The axes with one horizontal segment per bar, sorted by birth then
        length, coloured by degree.
    """
    from matplotlib.collections import LineCollection

    n_layers = None
    if hasattr(estimator, "get_params"):
        _fitted(estimator, ["barcode_"])
        bars = estimator.barcode_.to_array()
        if homology_dim is None:
            homology_dim = estimator.homology_dim
        n_layers = estimator.n_layers_
    elif hasattr(estimator, "to_array"):
        bars = estimator.to_array()
        n_layers = (estimator.n_positions + 1) // 2
    else:
        bars = np.asarray(estimator, dtype=np.int64).reshape(-1, 3)
    if effective:
        bars = np.c_[bars[:, 0], (bars[:, 1:] + 1) // 2]
        bars = bars[bars[:, 1] != bars[:, 2]]
    dims = (
        np.unique(bars[:, 0]).tolist()
        if homology_dim is None
        else np.atleast_1d(homology_dim).astype(int).tolist()
    )
    ax = _get_ax(ax, figsize=(7, 4))
    y0 = 0
    for c, p in enumerate(dims):
        sel = bars[bars[:, 0] == p]
        length = sel[:, 2] - sel[:, 1]
        if max_bars is not None and sel.shape[0] > max_bars:
            sel = sel[np.argsort(-length, kind="stable")[:max_bars]]
        sel = sel[np.lexsort((-(sel[:, 2] - sel[:, 1]), sel[:, 1]))]
        # bar [b, d) covers the cells b .. d-1: draw from b - 0.5 to d - 0.5
        y = y0 + np.arange(sel.shape[0])
        segs = np.stack(
            [np.c_[sel[:, 1] - 0.5, y], np.c_[sel[:, 2] - 0.5, y]], axis=1
        ).astype(float)
        kw = dict(colors=f"C{c}", linewidths=1.0 if sel.shape[0] < 200 else 0.5)
        kw.update(line_kw)
        ax.add_collection(LineCollection(segs, label=f"$H_{p}$", **kw))
        y0 += sel.shape[0]
    if n_layers is not None:
        right = n_layers if effective else 2 * n_layers - 1
    else:
        right = int(bars[:, 2].max()) if bars.size else 1
    ax.set_xlim(-0.5, right - 0.5)
    ax.set_ylim(-1, max(y0, 1))
    ax.set_xlabel("layer" if effective else "zigzag position (2l: layer l, 2l+1: intersection)")
    ax.set_ylabel("bar")
    ax.set_yticks([])
    if dims:
        ax.legend(loc="upper left")
    return ax


def plot_similarity(estimator, *, ax=None, cmap="viridis", colorbar=True, **imshow_kw):
    """Heatmap of the persistence similarity ``S_p(i, j)``.

    Parameters
    ----------
    estimator : PersistenceSimilarity or array-like of shape (n_layers, n_layers)
        A fitted estimator (its ``similarity_``) or a matrix.
    ax : matplotlib Axes, default=None
        Axes to draw on (default: a new figure).
    cmap : str, default="viridis"
        Colour map.
    colorbar : bool, default=True
        Add a colour bar.
    **imshow_kw : dict
        Passed to ``ax.imshow``.

    Returns
    -------
    ax : matplotlib Axes
        Rows are the layer ``i`` whose cycles are followed, columns the layer
        ``j`` they persist to; values in [0, 1].
    """
    if hasattr(estimator, "get_params"):
        _fitted(estimator, ["similarity_"])
        S = estimator.similarity_
        title = f"persistence similarity $S_{estimator.homology_dim}$"
    else:
        S = np.asarray(estimator, dtype=float)
        title = "persistence similarity"
    ax = _get_ax(ax, figsize=(5, 4.2))
    kw = dict(origin="lower", vmin=0.0, vmax=1.0, cmap=cmap, interpolation="nearest")
    kw.update(imshow_kw)
    im = ax.imshow(S, **kw)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer j")
    ax.set_ylabel("layer i")
    ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax)
    return ax


def plot_pruning_scores(
    estimator, *, layers_to_prune=None, threshold=None, ax=None, **plot_kw
):
    """Layer scores with the threshold and the layers to prune shaded.

    Parameters
    ----------
    estimator : PersistenceSimilarity or array-like of shape (n_layers,)
        A fitted estimator (``scores_``, ``layers_to_prune_``, ``threshold``) or
        the scores.
    layers_to_prune : array-like of int, default=None
        Layers to shade (default: the estimator's ``layers_to_prune_``).
    threshold : float, default=None
        Relative threshold to draw as ``threshold * max(score)`` (default: the
        estimator's ``threshold``; none for bare scores).
    ax : matplotlib Axes, default=None
        Axes to draw on (default: a new figure).
    **plot_kw : dict
        Passed to ``ax.plot`` for the score curve.

    Returns
    -------
    ax : matplotlib Axes
        The score curve over the layers.
    """
    if hasattr(estimator, "get_params"):
        _fitted(estimator, ["scores_"])
        scores = estimator.scores_
        if layers_to_prune is None:
            layers_to_prune = estimator.layers_to_prune_
        if threshold is None:
            threshold = estimator.threshold
    else:
        scores = np.asarray(estimator, dtype=float).ravel()
    layers = np.arange(scores.size)
    ax = _get_ax(ax, figsize=(7, 3.5))
    kw = dict(marker="o", markersize=3, color="C0", label="score")
    kw.update(plot_kw)
    ax.plot(layers, scores, **kw)
    if threshold is not None and scores.size:
        ax.axhline(threshold * scores.max(), color="C3", ls="--", lw=1,
                   label=f"{threshold:g} x max")
    first = True
    for layer in np.asarray(layers_to_prune if layers_to_prune is not None else [], dtype=int):
        ax.axvspan(layer - 0.5, layer + 0.5, color="C1", alpha=0.25, lw=0,
                   label="pruned" if first else None)
        first = False
    ax.set_xlabel("layer")
    ax.set_ylabel("score")
    ax.set_xlim(-0.5, max(scores.size - 0.5, 0.5))
    ax.legend(loc="best")
    return ax
