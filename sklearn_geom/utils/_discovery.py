"""Discovery of the package's public API: subpackages, public names, estimators.

One walk over the package, shared by the common estimator checks
(``tests/test_common.py``), the documentation checks (``tests/test_docs.py``) and the
package-surface test (``tests/test_package.py``).  Nothing is silently dropped: a public
subpackage that fails to import, or a name in an ``__all__`` that does not resolve,
raises, so that a broken estimator fails the tests instead of leaving them.
"""

import importlib
import inspect
import pkgutil

from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClusterMixin,
    RegressorMixin,
    TransformerMixin,
)

_PACKAGE = "sklearn_geom"

_TYPE_FILTERS = {
    "classifier": ClassifierMixin,
    "regressor": RegressorMixin,
    "transformer": TransformerMixin,
    "cluster": ClusterMixin,
}


def public_subpackages():
    """Names of the public subpackages of ``sklearn_geom``, sorted.

    A public subpackage is a folder of the package with an ``__init__.py`` whose name
    does not start with an underscore.

    Returns
    -------
    names : list of str
        Subpackage names, e.g. ``["benchmark", "datasets", ...]``.

    Examples
    --------
    >>> from sklearn_geom.utils import public_subpackages
    >>> "neighbors" in public_subpackages()
    True
    """
    package = importlib.import_module(_PACKAGE)
    return sorted(
        mod.name
        for mod in pkgutil.iter_modules(package.__path__)
        if mod.ispkg and not mod.name.startswith("_")
    )


def all_public_objects():
    """Every name of every public subpackage's ``__all__``, resolved.

    Returns
    -------
    objects : dict
        Maps ``"subpackage.Name"`` to the object, in subpackage order.

    Raises
    ------
    ImportError
        If a public subpackage, or a lazily exported name, fails to import.
    AttributeError
        If a name listed in an ``__all__`` is not defined.

    Examples
    --------
    >>> from sklearn_geom.utils import all_public_objects
    >>> all_public_objects()["neighbors.KNNTransformer"].__name__
    'KNNTransformer'
    """
    objects = {}
    for sub in public_subpackages():
        module = importlib.import_module(f"{_PACKAGE}.{sub}")
        for name in getattr(module, "__all__", ()):
            try:
                objects[f"{sub}.{name}"] = getattr(module, name)
            except AttributeError as exc:
                raise AttributeError(
                    f"{_PACKAGE}.{sub}.__all__ lists {name!r}, which is not defined: {exc}"
                ) from exc
    return objects


def all_estimators(type_filter=None):
    """The public estimators of ``sklearn_geom``, as scikit-learn's ``all_estimators``.

    An estimator is a non-abstract class derived from :class:`~sklearn.base.BaseEstimator`,
    defined in ``sklearn_geom`` and listed in the ``__all__`` of a public subpackage.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "transformer", "cluster"} or list of such, \
            default=None
        Keep only the estimators of these kinds (by scikit-learn's mixins); ``None`` keeps
        all.

    Returns
    -------
    estimators : list of (str, type)
        ``(class name, class)`` pairs sorted by name.

    Raises
    ------
    ImportError
        If a public subpackage, or a lazily exported name, fails to import.
    ValueError
        If two different public classes share a name, or ``type_filter`` is unknown.

    Examples
    --------
    >>> from sklearn_geom.utils import all_estimators
    >>> dict(all_estimators(type_filter="transformer"))["KNNTransformer"].__name__
    'KNNTransformer'
    """
    if type_filter is None:
        mixins = None
    else:
        kinds = [type_filter] if isinstance(type_filter, str) else list(type_filter)
        unknown = [k for k in kinds if k not in _TYPE_FILTERS]
        if unknown:
            raise ValueError(
                f"type_filter must be None or among {sorted(_TYPE_FILTERS)}; got {unknown}"
            )
        mixins = tuple(_TYPE_FILTERS[k] for k in kinds)
    found = {}
    for key, obj in all_public_objects().items():
        if not (
            inspect.isclass(obj)
            and issubclass(obj, BaseEstimator)
            and not inspect.isabstract(obj)
            and obj.__module__.startswith(_PACKAGE + ".")
        ):
            continue
        if mixins is not None and not issubclass(obj, mixins):
            continue
        other = found.setdefault(obj.__name__, obj)
        if other is not obj:
            raise ValueError(
                f"two public estimators are named {obj.__name__!r}: "
                f"{other.__module__} and {obj.__module__} ({key})"
            )
    return sorted(found.items())
