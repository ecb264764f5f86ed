import os

# numba's on-disk cache lives outside the checkout so that fresh clones reuse it.
os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)
os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_reference():
    """Path of ../shared/reference, or skip when the shared folder is absent."""
    ref = SHARED / "reference"
    if not ref.is_dir():
        pytest.skip("../shared/reference is not present beside the checkout (reference data).")
    return ref
