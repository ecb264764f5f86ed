#!/usr/bin/env bash
# Set up and run the checks: the README's test command, and exactly what CI runs (.ci/run).
#   1. install torch's CPU build (skipped when torch already imports), the package and its
#      `dev` extra (test references, ruff, sphinx, numpydoc);
#   2. ruff (configuration in pyproject.toml) over the whole checkout;
#   3. pytest: the tests, the doctests, numpydoc validation and the Sphinx build
#      (tests/test_docs.py). Extra arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# torch: PyPI's Linux wheel is the CUDA build (several GB). Where a CPU wheel is available
# locally (pip's find-links) `torch==2.13.0` resolves to 2.13.0+cpu; on a machine without
# one, install it first from the CPU index, as the README says:
#   pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
python -c "import torch" 2>/dev/null || python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e ".[dev]"
python -m ruff check .
python -m pytest -n 2 --timeout=900 "$@"
