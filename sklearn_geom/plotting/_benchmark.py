"""Figures of the UCR benchmark: critical-difference diagram and pairwise accuracy scatter."""

import numpy as np

from sklearn_geom.benchmark import critical_difference

from . import _get_ax


def plot_critical_difference(
    scores,
    method_names=None,
    *,
    test="nemenyi",
    alpha=0.05,
    higher_is_better=True,
    ax=None,
):
    """Critical-difference diagram (Demšar 2006) of methods compared over many data sets.

    The axis shows the mean rank of every method (1 = best, on the left); thick
    bars join methods that are not significantly different (Nemenyi: mean ranks
    closer than the critical difference, drawn above the axis; or pairwise
    Wilcoxon signed-rank tests with Holm's correction).

    Parameters
    ----------
    scores : array-like or pandas.DataFrame of shape (n_datasets, n_methods), or Bunch
        Scores (e.g. mean accuracy) per data set and method, or the result of
        :func:`sklearn_geom.benchmark.critical_difference`.
    method_names : list of str, default=None
        Method names (default: a DataFrame's columns, or "method j").
    test : {"nemenyi", "wilcoxon-holm"}, default="nemenyi"
        Post-hoc test (ignored when ``scores`` is already a result).
    alpha : float, default=0.05
        Significance level.
    higher_is_better : bool, default=True
        False for errors or times.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on.

    References
    ----------
    .. [1] J. Demšar, "Statistical comparisons of classifiers over multiple data
       sets", JMLR 7, 1-30, 2006.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.plotting import plot_critical_difference
    >>> acc = np.array([[0.9, 0.8, 0.7], [0.95, 0.9, 0.85], [0.8, 0.82, 0.6]])
    >>> ax = plot_critical_difference(acc, ["A", "B", "C"])
    >>> ax.get_title()
    'Critical difference (Nemenyi, alpha = 0.05, N = 3)'
    """
    if hasattr(scores, "mean_ranks") and hasattr(scores, "cliques"):
        res = scores
    else:
        res = critical_difference(
            scores, method_names, test=test, alpha=alpha, higher_is_better=higher_is_better
        )
    names = list(res.method_names)
    k = len(names)
    mr = np.asarray(res.mean_ranks, dtype=float)
    order = list(res.order)
    ax = _get_ax(ax, figsize=(7, 1.6 + 0.32 * k))

    lo, hi = 1, k
    width = max(hi - lo, 1)
    # axis with ticks
    ax.plot([lo, hi], [0, 0], color="black", lw=1)
    for t in range(lo, hi + 1):
        ax.plot([t, t], [0, -0.08], color="black", lw=1)
        ax.text(t, -0.12, str(t), ha="center", va="bottom", fontsize=9)
    for t in np.arange(lo + 0.5, hi, 1.0):
        ax.plot([t, t], [0, -0.04], color="black", lw=0.7)

    # method labels: best half on the left, the rest on the right
    n_left = (k + 1) // 2
    step = 0.28
    for pos, j in enumerate(order):
        if pos < n_left:
            y = 0.25 + pos * step
            x_text = lo - 0.12 * width
            ha = "right"
        else:
            y = 0.25 + (k - 1 - pos) * step
            x_text = hi + 0.12 * width
            ha = "left"
        ax.plot([mr[j], mr[j], x_text], [0, y, y], color="black", lw=0.8)
        ax.text(
            x_text + (-0.01 if ha == "right" else 0.01) * width,
            y,
            f"{names[j]} ({mr[j]:.2f})",
            ha=ha,
            va="center",
            fontsize=9,
        )

    # cliques: thick bars just under the axis line, stacked
    for c_i, clique in enumerate(res.cliques):
        r = mr[list(clique)]
        y = 0.1 + c_i * 0.07
        ax.plot(
            [r.min() - 0.03, r.max() + 0.03], [y, y], color="black", lw=3.5, solid_capstyle="round"
        )

    # critical difference bar above the axis
    if res.cd is not None:
        y_cd = -0.35
        ax.plot([lo, lo + res.cd], [y_cd, y_cd], color="black", lw=1.2)
        for x in (lo, lo + res.cd):
            ax.plot([x, x], [y_cd - 0.04, y_cd + 0.04], color="black", lw=1.2)
        ax.text(
            lo + res.cd / 2, y_cd - 0.06, f"CD = {res.cd:.2f}", ha="center", va="bottom", fontsize=9
        )

    n_rows = max(n_left, k - n_left)
    ax.set_xlim(lo - 0.75 * width, hi + 0.75 * width)
    ax.set_ylim(0.25 + (n_rows - 1) * step + 0.15, -0.5)
    ax.axis("off")
    label = "Nemenyi" if res.test == "nemenyi" else "Wilcoxon-Holm"
    ax.set_title(f"Critical difference ({label}, alpha = {res.alpha}, N = {res.n_datasets})")
    return ax


def plot_accuracy_scatter(
    accuracy_x, accuracy_y, *, labels=("method x", "method y"), dataset_names=None, ax=None
):
    """Pairwise comparison of two methods: one point per data set, accuracy x vs y.

    Points above the diagonal are data sets where the second method is more
    accurate; the corners give the win / tie / loss counts.

    Parameters
    ----------
    accuracy_x, accuracy_y : array-like of shape (n_datasets,)
        Accuracy (or any score) of the two methods on the same data sets.
    labels : (str, str), default=("method x", "method y")
        Names of the two methods (axis labels).
    dataset_names : list of str, default=None
        Annotate each point with its data set name.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on.

    Examples
    --------
    >>> from sklearn_geom.plotting import plot_accuracy_scatter
    >>> ax = plot_accuracy_scatter([0.9, 0.8, 0.7], [0.95, 0.8, 0.6], labels=("A", "B"))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('A accuracy', 'B accuracy')
    """
    x = np.asarray(accuracy_x, dtype=float)
    y = np.asarray(accuracy_y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(
            f"accuracy_x and accuracy_y must be 1-D of equal length; got "
            f"{x.shape} and {y.shape}."
        )
    if dataset_names is not None and len(dataset_names) != x.size:
        raise ValueError("dataset_names must have one name per data set.")
    ax = _get_ax(ax, figsize=(4.5, 4.5))
    both = np.concatenate([x, y]) if x.size else np.array([0.0, 1.0])
    lo = min(float(np.nanmin(both)), 1.0) - 0.02
    lo = max(0.0, lo - 0.05 * (1 - lo))
    hi = 1.0 if np.nanmax(both) <= 1 else float(np.nanmax(both))
    hi += 0.02 * (hi - lo)  # points at accuracy 1 stay visible
    ax.plot([lo, hi], [lo, hi], color="grey", lw=1, ls="--")
    ax.scatter(x, y, s=25, color="tab:blue", edgecolor="black", lw=0.5, zorder=3)
    if dataset_names is not None:
        for xi, yi, name in zip(x, y, dataset_names):
            ax.annotate(str(name), (xi, yi), textcoords="offset points", xytext=(3, 3), fontsize=7)
    wins_y, ties, wins_x = int(np.sum(y > x)), int(np.sum(y == x)), int(np.sum(y < x))
    ax.text(0.03, 0.97, f"{labels[1]} better: {wins_y}", transform=ax.transAxes, va="top")
    ax.text(0.97, 0.03, f"{labels[0]} better: {wins_x}", transform=ax.transAxes, ha="right")
    if ties:
        ax.text(0.97, 0.10, f"ties: {ties}", transform=ax.transAxes, ha="right")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel(f"{labels[0]} accuracy")
    ax.set_ylabel(f"{labels[1]} accuracy")
    return ax
