"""Topology of representations across layers: flag complexes of kNN graphs, zigzag
persistence and the persistence similarity of Gardinazzi et al."""

from ._complex import (
    flag_complex,
    intersect_complexes,
    knn_flag_complex,
    symmetric_knn_adjacency,
)
from ._persistence_similarity import PersistenceSimilarity, effective_layer
from ._zigzag import Barcode, zigzag_barcode, zigzag_barcode_of_complexes

__all__ = [
    "PersistenceSimilarity",
    "effective_layer",
    "flag_complex",
    "intersect_complexes",
    "knn_flag_complex",
    "symmetric_knn_adjacency",
    "Barcode",
    "zigzag_barcode",
    "zigzag_barcode_of_complexes",
]
