"""Figures for the package's results (needs matplotlib: ``pip install sklearn_geom[plotting]``).

One private module per figure family; every function takes the fitted estimator
(or its arrays) and an optional matplotlib ``ax`` and returns the ``Axes``.
"""

import importlib

# public function -> private module of this package
_EXPORTS = {
    "plot_id_scale": "_dimension",
    "plot_decision_graph": "_density",
    "plot_peak_dendrogram": "_density",
    "plot_density_peaks": "_density",
    "plot_critical_difference": "_benchmark",
    "plot_accuracy_scatter": "_benchmark",
    "plot_barcode": "_topology",
    "plot_similarity": "_topology",
    "plot_pruning_scores": "_topology",
    "plot_layer_profile": "_layerwise",
    "plot_detachment_path": "_feature_selection",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__


def _get_ax(ax=None, **subplots_kw):
    """The given Axes, or a new figure's; raises ImportError naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ImportError(
            "Plotting needs matplotlib: pip install 'sklearn_geom[plotting]'."
        ) from exc
    if ax is None:
        _, ax = plt.subplots(**subplots_kw)
    return ax
