"""Figures of Sequential Feature Detachment (SequentialFeatureDetachment, DetachRocket)."""

import numpy as np

from . import _get_ax


def plot_detachment_path(estimator, *, show_objective=True, ax=None, **line_kw):
    """Validation accuracy along the detachment path against the retained fraction.

    Parameters
    ----------
    estimator : SequentialFeatureDetachment or DetachRocket
        Fitted with automatic selection (``n_features_to_select=None``), so that the
        validation accuracy of every step exists.  A ``DetachRocket`` is read through its
        ``selector_``.
    show_objective : bool, default=True
        Also draw the selection criterion ``trade_off * (1 - retained) +
        smoothed(val / val_full)`` (scaled by the full model's validation accuracy, so
        that it shares the accuracy axis).
    ax : matplotlib Axes, default=None
        Axes to draw on (default: a new figure).
    **line_kw : dict
        Passed to ``ax.plot`` for the accuracy curve.

    Returns
    -------
    ax : matplotlib Axes
        Retained fraction of the features (log scale, decreasing to the right) against
        the validation accuracy of each step; the selected step is marked.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.feature_selection import SequentialFeatureDetachment
    >>> from sklearn_geom.plotting import plot_detachment_path
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 200))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> sfd = SequentialFeatureDetachment(random_state=0).fit(X, y)
    >>> ax = plot_detachment_path(sfd)
    >>> ax.get_xlabel()
    'retained fraction of the features'
    """
    from sklearn.utils.validation import check_is_fitted

    sfd = getattr(estimator, "selector_", estimator)
    check_is_fitted(sfd, "support_")
    if sfd.validation_scores_ is None:
        raise ValueError(
            "The selector has no validation scores: it was fitted with n_features_to_select; "
            "fit it with automatic selection (n_features_to_select=None) to plot its path."
        )
    ax = _get_ax(ax)
    frac = np.asarray(sfd.retained_fraction_)
    val = np.asarray(sfd.validation_scores_)
    k = sfd.selected_step_
    kw = {"color": "C0", "label": "validation accuracy"}
    kw.update(line_kw)
    ax.plot(frac, val, **kw)
    if show_objective and sfd.objective_ is not None:
        ax.plot(
            frac, sfd.objective_ * val[0], color="C1", ls="--", lw=1, label="criterion (scaled)"
        )
    ax.scatter(
        [frac[k]], [val[k]], color="C3", zorder=3,
        label=f"selected: {sfd.n_features_} features ({100 * frac[k]:.2g}%)",
    )  # fmt: skip
    ax.axhline(val[0], color="0.6", lw=0.8, ls=":", label="full model")
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("retained fraction of the features")
    ax.set_ylabel("validation accuracy")
    ax.legend(loc="best", fontsize="small")
    return ax
