"""Progress bars through tqdm when it is installed, silently without it."""


class _NoBar:
    def __init__(self, iterable=None, total=None, **kwargs):
        self.iterable = iterable
        self.total = total

    def __iter__(self):
        return iter(self.iterable)

    def update(self, n=1):
        pass

    def set_postfix_str(self, s, refresh=True):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress(iterable=None, *, total=None, desc=None, enabled=True, **kwargs):
    """Wrap ``iterable`` in a tqdm progress bar.

    Falls back to a silent wrapper when tqdm is not installed (extra
    ``sklearn_geom[progress]``) or when ``enabled`` is False.

    Parameters
    ----------
    iterable : iterable or None, default=None
        What to iterate over; ``None`` for a bar advanced by hand with ``update``.
    total : int or None, default=None
        Number of steps, when ``iterable`` has no length.
    desc : str or None, default=None
        Label shown before the bar.
    enabled : bool, default=True
        False gives the silent wrapper.
    **kwargs : dict
        Passed on to ``tqdm``.

    Returns
    -------
    bar : iterable
        A ``tqdm`` bar, or a silent wrapper with its ``update``, ``set_postfix_str`` and
        ``close`` methods.
    """
    if enabled:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - optional dependency
            pass
        else:
            return tqdm(iterable, total=total, desc=desc, **kwargs)
    return _NoBar(iterable, total=total)
