"""sklearn_geom: scikit-learn estimators for the geometry of learned representations.

Subpackages
-----------
activations        activations of torch models as arrays (TorchActivations)
benchmark          the UCR benchmark runner and the statistics of its comparison
cluster            density-peak clustering (DensityPeak)
datasets           UCR archive loaders
density            kNN density estimators
dimension          intrinsic dimension (TwoNN, Gride)
feature_selection  Sequential Feature Detachment
layerwise          per-layer profiles of a representation
metrics            similarity measures between representations
neighbors          exact kNN engine (KNNTransformer, compute_knn)
plotting           figures (matplotlib, optional)
timeseries         ROCKET-family transformers, Detach-ROCKET
topology           zigzag persistence, PersistenceSimilarity
utils              shared helpers (threading, progress, API discovery)

The subpackages are imported on first use, so ``import sklearn_geom`` stays cheap and
optional dependencies are only touched when used.  The list of subpackages is read from
the package folder (every folder with an ``__init__.py`` whose name does not start with an
underscore), so ``__all__`` names exactly those that exist; ``tests/test_package.py``
checks that the list above matches it and that every public name imports.
"""

import importlib
import pkgutil as _pkgutil

__version__ = "0.1.0.dev0"

_SUBMODULES = sorted(
    _mod.name
    for _mod in _pkgutil.iter_modules(__path__)
    if _mod.ispkg and not _mod.name.startswith("_")
)

# Top-level re-exports of the estimators: name -> subpackage.  Every public estimator is
# re-exported here (tests/test_package.py checks it): add yours when you add an estimator.
_EXPORTS = {
    "KNNTransformer": "neighbors",
    "TwoNN": "dimension",
    "Gride": "dimension",
    "DensityEstimator": "density",
    "DensityPeak": "cluster",
    "RocketTransformer": "timeseries",
    "DetachRocket": "timeseries",
    "SequentialFeatureDetachment": "feature_selection",
    "PersistenceSimilarity": "topology",
    "TorchActivations": "activations",
    "LayerwiseEstimator": "layerwise",
}

__all__ = sorted(set(_SUBMODULES) | set(_EXPORTS) | {"__version__"})


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
