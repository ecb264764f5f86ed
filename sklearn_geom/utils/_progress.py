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
    """
    if enabled:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - optional dependency
            pass
        else:
            return tqdm(iterable, total=total, desc=desc, **kwargs)
    return _NoBar(iterable, total=total)
