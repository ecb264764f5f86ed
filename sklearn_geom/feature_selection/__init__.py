"""Feature selection: Sequential Feature Detachment (any features, not only ROCKET's)."""

from ._path import step_counts
from ._sfd import SequentialFeatureDetachment

__all__ = ["SequentialFeatureDetachment", "step_counts"]
