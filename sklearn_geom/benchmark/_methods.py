"""The registry of benchmark methods: named factories of unfitted classifiers.

A method is a factory ``factory(*, random_state=None, n_jobs=None, **params)``
returning an unfitted scikit-learn classifier, plus default ``params`` stored
with it.  The runner calls ``factory(random_state=seed, n_jobs=inner_n_jobs,
**params)`` where ``params`` are the registered defaults updated by the run's
``n_kernels`` (when given) and its ``method_params[name]``; a method with other
knobs than ``n_kernels`` (a pruning level, a classifier choice) registers
without any change to the runner.
"""

import contextlib
import inspect

import numpy as np

#: The ROCKET family; each kind is registered as a method and as its Detach-ROCKET variant.
ROCKET_KINDS = ("rocket", "minirocket", "multirocket")

#: Methods of the main job: the three kinds and Detach-ROCKET (ROCKET kernels, as in the
#: Detach-ROCKET paper); the other Detach-ROCKET kinds run with ``--methods``.
DEFAULT_METHODS = (*ROCKET_KINDS, "detach_rocket")

# name -> (factory, default params, description)
_METHODS = {}


def register_method(name, factory, *, params=None, description=None, overwrite=False):
    """Add a method to the benchmark.

    Parameters
    ----------
    name : str
        Name used in ``methods=`` and in the results.
    factory : callable
        ``factory(*, random_state=None, n_jobs=None, **params)`` returning an
        unfitted scikit-learn classifier (typically a pipeline whose first step
        is the feature transform, so that its time is reported separately).
        It receives the run's seed, the threads it may use and the method's
        parameters: ``params`` below, updated by the run's ``n_kernels`` (when
        not None and the factory has an ``n_kernels`` or ``**`` argument) and
        by the run's ``method_params[name]``.
    params : dict, default=None
        Default keyword arguments of the factory for this method (e.g.
        ``{"kind": "minirocket", "pruning": 0.5}``), recorded in the results.
    description : str, default=None
        One line for listings; default: the factory's docstring's first line.
    overwrite : bool, default=False
        Replace an existing method of that name.

    See Also
    --------
    registered_method : Register for the duration of a ``with`` block.
    unregister_method : Remove a method.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_geom.benchmark import (available_methods, register_method,
    ...                                     unregister_method)
    >>> def make_dummy(*, random_state=None, n_jobs=None, strategy="prior"):
    ...     return DummyClassifier(strategy=strategy, random_state=random_state)
    >>> register_method("dummy", make_dummy, params={"strategy": "stratified"})
    >>> "dummy" in available_methods()
    True
    >>> unregister_method("dummy")
    """
    if not callable(factory):
        raise TypeError("factory must be callable.")
    name = str(name)
    if not name or any(c.isspace() for c in name):
        raise ValueError(f"method name must be a non-empty word; got {name!r}.")
    if name in _METHODS and not overwrite:
        raise ValueError(f"method {name!r} is already registered (pass overwrite=True).")
    params = dict(params or {})
    for reserved in ("random_state", "n_jobs"):
        if reserved in params:
            raise ValueError(f"params must not set {reserved!r}: the runner passes it.")
    if description is None:
        doc = inspect.getdoc(factory) or ""
        description = doc.splitlines()[0] if doc else ""
    _METHODS[name] = (factory, params, str(description))


def unregister_method(name):
    """Remove a registered method.

    Parameters
    ----------
    name : str
        A name from :func:`available_methods`.

    Raises
    ------
    KeyError
        When no method of that name is registered.
    """
    if name not in _METHODS:
        raise KeyError(f"no method {name!r} is registered.")
    del _METHODS[name]


@contextlib.contextmanager
def registered_method(name, factory, *, params=None, description=None):
    """Register a method for the duration of a ``with`` block.

    A method of the same name registered before is restored afterwards.

    Parameters
    ----------
    name : str
        Name used in ``methods=`` and in the results.
    factory : callable
        ``factory(*, random_state=None, n_jobs=None, **params)`` returning an
        unfitted classifier (see :func:`register_method`).
    params : dict, default=None
        Default keyword arguments of the factory for this method.
    description : str, default=None
        One line for listings.

    Yields
    ------
    None
        The method is registered inside the block.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_geom.benchmark import available_methods, registered_method
    >>> with registered_method("dummy", lambda **kw: DummyClassifier()):
    ...     print("dummy" in available_methods())
    True
    >>> "dummy" in available_methods()
    False
    """
    previous = _METHODS.get(name)
    register_method(name, factory, params=params, description=description, overwrite=True)
    try:
        yield
    finally:
        if previous is None:
            _METHODS.pop(name, None)
        else:
            _METHODS[name] = previous


def available_methods():
    """Names of the registered benchmark methods.

    Returns
    -------
    names : list of str
        Sorted names, for ``methods=`` and ``--methods``.

    Examples
    --------
    >>> from sklearn_geom.benchmark import available_methods
    >>> {"rocket", "minirocket", "multirocket"} <= set(available_methods())
    True
    """
    return sorted(_METHODS)


def method_description(name):
    """The one-line description of a registered method."""
    check_methods([name])
    return _METHODS[name][2]


def check_methods(methods):
    """Raise ``ValueError`` naming the unknown ones among ``methods``."""
    unknown = [m for m in methods if m not in _METHODS]
    if unknown:
        raise ValueError(
            f"Unknown method(s) {unknown}. Registered: {', '.join(available_methods())}."
        )


def method_factory(name):
    """The factory of a registered method (it travels with each task to the workers)."""
    check_methods([name])
    return _METHODS[name][0]


def _accepts(factory, param):
    try:
        sig = inspect.signature(factory)
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return True
    return any(
        p.kind is inspect.Parameter.VAR_KEYWORD or p.name == param for p in sig.parameters.values()
    )


def method_params(name, n_kernels=None, overrides=None):
    """Effective parameters of a method in a run.

    The registered defaults, then ``n_kernels`` (only when not None and the
    factory takes an ``n_kernels`` or ``**`` argument), then ``overrides``.
    """
    check_methods([name])
    factory, params, _ = _METHODS[name]
    params = dict(params)
    if n_kernels is not None and _accepts(factory, "n_kernels"):
        params["n_kernels"] = int(n_kernels)
    params.update(overrides or {})
    return params


def make_method(name, *, random_state=None, n_jobs=None, **params):
    """Build the unfitted classifier of a registered method.

    Parameters
    ----------
    name : str
        A name from :func:`available_methods`.
    random_state : int or None, default=None
        Seed of the random kernels.
    n_jobs : int or None, default=None
        Threads inside the method.
    **params
        The method's parameters, over its registered defaults; for the ROCKET
        family ``n_kernels`` (size of the transform, see
        :class:`~sklearn_geom.timeseries.RocketTransformer`; None: each paper's
        default, ROCKET 10,000 kernels, MiniRocket ~10,000 features,
        MultiRocket 6,250 kernels i.e. ~50,000 features).

    Returns
    -------
    estimator : classifier
        Unfitted, built by the method's factory with these parameters.

    Examples
    --------
    >>> from sklearn_geom.benchmark import make_method
    >>> make_method("minirocket", random_state=0, n_kernels=84)  # doctest: +SKIP
    Pipeline(steps=[('rockettransformer', RocketTransformer(kind='minirocket', ...
    """
    params = method_params(name, overrides=params)
    return method_factory(name)(random_state=random_state, n_jobs=n_jobs, **params)


# --------------------------------------------------------------------- the ROCKET family
def make_rocket_family(*, random_state=None, n_jobs=None, kind="rocket", n_kernels=None):
    """RocketTransformer -> StandardScaler -> RidgeClassifierCV, as in the papers."""
    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_geom.timeseries import RocketTransformer

    # Dempster et al.: ridge with alpha from logspace(-3, 3, 10) by efficient
    # leave-one-out CV on standardised features.
    return make_pipeline(
        RocketTransformer(kind=kind, n_kernels=n_kernels, n_jobs=n_jobs, random_state=random_state),
        StandardScaler(with_mean=True),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
    )


def make_detach_rocket(*, random_state=None, n_jobs=None, kind="rocket", n_kernels=None, **params):
    """Detach-ROCKET: kernels -> Sequential Feature Detachment -> RidgeClassifierCV.

    ``params`` go to :class:`~sklearn_geom.timeseries.DetachRocket` (e.g.
    ``n_features_to_select``, ``trade_off``).  Its report adds the retained fraction,
    the full model's accuracy and the inference speed-up of the pruned transform.
    """
    from ..timeseries import DetachRocket

    return DetachRocket(
        kind=kind, n_kernels=n_kernels, random_state=random_state, n_jobs=n_jobs, **params
    )


def _register_defaults():
    for kind in ROCKET_KINDS:
        register_method(
            kind,
            make_rocket_family,
            params={"kind": kind},
            description=f"{kind} kernels -> StandardScaler -> RidgeClassifierCV",
            overwrite=True,
        )
        register_method(
            f"detach_{kind}",
            make_detach_rocket,
            params={"kind": kind},
            description=f"Detach-ROCKET: {kind} kernels -> SFD pruning -> RidgeClassifierCV",
            overwrite=True,
        )


_register_defaults()
