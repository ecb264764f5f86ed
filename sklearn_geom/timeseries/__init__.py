"""Random convolutional kernel transforms for time series (ROCKET, MiniRocket, MultiRocket)."""

from ._rocket import RocketTransformer

__all__ = ["RocketTransformer"]
