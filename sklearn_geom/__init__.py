"""sklearn_geom: scikit-learn estimators for the geometry of learned representations.

Subpackages
-----------
neighbors   exact kNN engine (KNNTransformer, compute_knn)
dimension   intrinsic dimension (TwoNN, Gride)
timeseries  ROCKET-family transformers
datasets    UCR archive loaders
topology    zigzag persistence, PersistenceSimilarity
plotting    figures (matplotlib, optional)
"""

import importlib

__version__ = "0.1.0.dev0"

# Public subpackages; imported lazily so that ``import sklearn_geom`` stays cheap
# and optional dependencies are only touched when used.
_SUBMODULES = [
    "neighbors",
    "dimension",
    "density",
    "cluster",
    "metrics",
    "topology",
    "timeseries",
    "datasets",
    "activations",
    "layerwise",
    "plotting",
    "utils",
]

# Top-level re-exports of the main estimators: name -> subpackage.
_EXPORTS = {
    "KNNTransformer": "neighbors",
    "TwoNN": "dimension",
    "Gride": "dimension",
    "RocketTransformer": "timeseries",
    "PersistenceSimilarity": "topology",
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
