"""The error the command line reports as one line (a user error, not a bug)."""


class BenchmarkError(ValueError):
    """A benchmark setting that cannot run: unknown data set or method, conflicting resume.

    The command line ``sklearn-geom-ucr`` prints its message on one line and exits
    with status 2 (no traceback).
    """
