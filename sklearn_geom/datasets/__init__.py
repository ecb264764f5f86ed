"""Time-series data sets: UCR/UEA archive loaders (``.ts`` and ``.tsv``) and an explicit download.

Data sets are read from a folder you give, from the small collection bundled
inside the installed sktime and aeon wheels (``pip install
'sklearn_geom[timeseries]'``), or from the cache that :func:`fetch_ucr` fills;
nothing is downloaded unless you call :func:`fetch_ucr`.

Modules: ``_ts`` (the ``.ts`` format: one header parser, reader, writer),
``_tsv`` (the ``UCRArchive_2018`` ``.tsv`` format), ``_load`` (discovery and
loading), ``_missing`` (missing values, padding), ``_archive`` (the archives'
name and size tables), ``_fetch`` (download into a cache).
"""

from ._archive import list_archive_datasets, ucr_archive_summary
from ._common import UCRFormatError
from ._fetch import ChecksumError, fetch_ucr, get_data_home
from ._load import dataset_info, list_bundled_datasets, list_ucr_datasets, load_ucr
from ._missing import interpolate_missing, pad_series
from ._ts import read_ts, write_ts
from ._tsv import read_tsv, write_tsv

__all__ = [
    "ChecksumError",
    "UCRFormatError",
    "dataset_info",
    "fetch_ucr",
    "get_data_home",
    "interpolate_missing",
    "list_archive_datasets",
    "list_bundled_datasets",
    "list_ucr_datasets",
    "load_ucr",
    "pad_series",
    "read_ts",
    "read_tsv",
    "ucr_archive_summary",
    "write_ts",
    "write_tsv",
]
