# numba's cache folder (NUMBA_CACHE_DIR) is set by scripts/env.sh, which scripts/test.sh
# sources; a bare ``pytest`` uses numba's default (``__pycache__`` beside the modules).
import os

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
