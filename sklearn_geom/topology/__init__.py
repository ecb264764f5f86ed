"""Topology of representations across layers: flag complexes of kNN graphs, zigzag
persistence and the persistence similarity of Gardinazzi et al."""

from ._complex import (
    flag_complex,
    intersect_complexes,
    knn_flag_complex,
    symmetric_knn_adjacency,
)

__all__ = [
    "flag_complex",
    "intersect_complexes",
    "knn_flag_complex",
    "symmetric_knn_adjacency",
]
