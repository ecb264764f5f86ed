"""Density-peak clustering: Advanced Density Peaks (ADP) and the classic decision graph."""

from ._density_peak import DensityPeak

__all__ = ["DensityPeak"]
