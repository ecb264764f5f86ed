"""scikit-learn's estimator checks on every public estimator of the package.

Estimators are discovered (every class derived from ``BaseEstimator`` in the
``__all__`` of a public subpackage), not listed by hand.  ``CHECK_PARAMS`` only
shrinks parameters to keep the checks fast; ``EXPECTED_FAILED`` must give a
reason for every entry.
"""

import importlib
import inspect
import pkgutil

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import check_param_validation, parametrize_with_checks

import sklearn_geom

# Parameters for speed only (the checks fit on tiny data many times).
CHECK_PARAMS = {
    "RocketTransformer": dict(n_kernels=84),
}

# {estimator class name: {check name: reason}}; every entry needs a written reason.
EXPECTED_FAILED = {}


def _discover():
    found = {}
    for mod in pkgutil.iter_modules(sklearn_geom.__path__):
        if mod.name.startswith("_") or not mod.ispkg:
            continue
        try:
            module = importlib.import_module(f"sklearn_geom.{mod.name}")
        except ImportError:  # optional dependency missing: that subpackage has its own skip
            continue
        for name in getattr(module, "__all__", []):
            try:
                obj = getattr(module, name, None)
            except ImportError:  # lazily exported object with a missing optional dependency
                continue
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
                and obj.__module__.startswith("sklearn_geom")
            ):
                found[obj.__name__] = obj
    return [found[k] for k in sorted(found)]


ESTIMATOR_CLASSES = _discover()


def _instances():
    return [cls(**CHECK_PARAMS.get(cls.__name__, {})) for cls in ESTIMATOR_CLASSES]


def test_discovery_finds_estimators():
    names = {cls.__name__ for cls in ESTIMATOR_CLASSES}
    assert "KNNTransformer" in names


@parametrize_with_checks(
    _instances(),
    expected_failed_checks=lambda est: EXPECTED_FAILED.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", _instances(), ids=lambda e: type(e).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)
