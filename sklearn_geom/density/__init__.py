"""Point densities from nearest-neighbour distances: kNN, adaptive k* and PAk."""

from ._density import (
    DensityEstimator,
    compute_kstar,
    knn_log_density,
    log_unit_ball_volume,
    pak_log_density,
)

__all__ = [
    "DensityEstimator",
    "compute_kstar",
    "knn_log_density",
    "log_unit_ball_volume",
    "pak_log_density",
]
