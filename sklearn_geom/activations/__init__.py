"""Activations of chosen layers of a torch model (needs ``pip install sklearn_geom[torch]``)."""

from ._torch import TorchActivations, select_layers

__all__ = ["TorchActivations", "select_layers"]
