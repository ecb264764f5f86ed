"""Random convolutional kernel transforms for time series (ROCKET, MiniRocket, MultiRocket)."""

from ._detach import DetachRocket
from ._rocket import RocketTransformer

__all__ = ["DetachRocket", "RocketTransformer"]
