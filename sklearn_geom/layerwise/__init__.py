"""One estimator per representation -> a tidy profile over the layers (needs pandas)."""

from ._layerwise import LayerwiseEstimator, layerwise_profile

__all__ = ["LayerwiseEstimator", "layerwise_profile"]
