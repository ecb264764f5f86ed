"""Which data sets a benchmark runs on (public functions of :mod:`sklearn_geom.datasets` only)."""

from ._errors import BenchmarkError

COLLECTIONS = ("all", "univariate", "multivariate")


def _univariate_archive_names():
    from sklearn_geom.datasets import list_archive_datasets

    return set(list_archive_datasets("univariate"))


def select_datasets(
    data_dir=None, datasets=None, *, multivariate=False, unequal_length=False, all_bundled=False
):
    """Names of the data sets a benchmark runs on.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Folder with the data sets; None: those bundled with sktime/aeon.
    datasets : list of str, or {"all", "univariate", "multivariate"}, default=None
        Explicit names (then no filter applies), or a collection: every
        classification data set of the folder that is univariate, multivariate,
        or either (equal and unequal length); None: every univariate
        equal-length classification data set of the folder, plus the kinds the
        filters below add.
    multivariate : bool, default=False
        Include multivariate data sets (univariate ones are always included).
    unequal_length : bool, default=False
        Include unequal-length data sets.
    all_bundled : bool, default=False
        Without ``data_dir``, the default keeps only bundled data sets that are
        part of the UCR 2018 or UEA 2018 archives (ACSF1, ArrowHead, GunPoint,
        ItalyPowerDemand, OSULeaf, ...; not UnitTest or Covid3Month_disc); True
        keeps every bundled classification set.

    Returns
    -------
    names : list of str
        Data set names as found in the folder, sorted case-insensitively (or in
        the order given).

    Raises
    ------
    BenchmarkError
        For names that are not in the folder (the message lists the available ones).
    FileNotFoundError
        When ``data_dir`` does not exist.

    Examples
    --------
    >>> from sklearn_geom.benchmark import select_datasets
    >>> select_datasets()
    ['ACSF1', 'ArrowHead', 'GunPoint', 'ItalyPowerDemand', 'OSULeaf']
    """
    from sklearn_geom.datasets import list_archive_datasets, list_ucr_datasets

    available = list_ucr_datasets(data_dir)
    where = data_dir if data_dir is not None else "bundled with sktime/aeon"
    if isinstance(datasets, str):
        if datasets not in COLLECTIONS:
            datasets = [datasets]
        else:
            uni = {"all": None, "univariate": True, "multivariate": False}[datasets]
            names = set(list_ucr_datasets(data_dir, univariate=uni))
            if data_dir is None and not all_bundled:
                names &= set(list_archive_datasets("all"))
            return sorted(names, key=str.lower)
    if datasets is not None:
        datasets = list(datasets)
        lower = {n.lower(): n for n in available}
        missing = [d for d in datasets if d not in available and str(d).lower() not in lower]
        if missing:
            raise BenchmarkError(
                f"Unknown data set(s) {missing} ({where}). "
                f"Available: {', '.join(available) or '(none)'}."
            )
        return [d if d in available else lower[d.lower()] for d in datasets]
    names = set(list_ucr_datasets(data_dir, univariate=True, equal_length=True))
    if multivariate:
        names |= set(list_ucr_datasets(data_dir, univariate=False, equal_length=True))
    if unequal_length:
        names |= set(list_ucr_datasets(data_dir, univariate=True, equal_length=False))
        if multivariate:
            names |= set(list_ucr_datasets(data_dir, univariate=False, equal_length=False))
    if data_dir is None and not all_bundled:
        names &= set(list_archive_datasets("all"))
    return sorted(names, key=str.lower)
