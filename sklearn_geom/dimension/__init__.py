"""Intrinsic dimension: TwoNN (with decimation / scale analysis) and GRIDE (multiscale)."""

from ._gride import Gride
from ._twonn import TwoNN

__all__ = ["Gride", "TwoNN"]
