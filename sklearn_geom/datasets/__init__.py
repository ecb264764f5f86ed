"""Time-series data sets: UCR/UEA archive loaders (``.ts`` and ``.tsv``), offline only.

Nothing is downloaded: data sets are read from a folder you give, or from the
small collection bundled inside the installed sktime and aeon wheels
(``pip install 'sklearn_geom[timeseries]'``).
"""

from ._archive import ucr_archive_summary
from ._ucr import (
    UCRFormatError,
    dataset_info,
    list_bundled_datasets,
    list_ucr_datasets,
    load_ucr,
    read_ts,
    read_tsv,
    write_ts,
    write_tsv,
)

__all__ = [
    "UCRFormatError",
    "dataset_info",
    "list_bundled_datasets",
    "list_ucr_datasets",
    "load_ucr",
    "read_ts",
    "read_tsv",
    "ucr_archive_summary",
    "write_ts",
    "write_tsv",
]
