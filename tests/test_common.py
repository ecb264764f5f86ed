"""scikit-learn's estimator checks on a registry of configured estimators.

HOW TO REGISTER AN ESTIMATOR (in the manner of imbalanced-learn's test_common)
-----------------------------------------------------------------------------
1. Add its class name to ``EXPECTED_NAMES``.  The test ``test_discovered_estimators``
   compares this set with what ``sklearn_geom.utils.all_estimators()`` finds (every
   non-abstract ``BaseEstimator`` subclass in the ``__all__`` of a public subpackage); an
   estimator that fails to import makes discovery raise, so it fails the test instead of
   silently dropping out.
2. Add ``"ClassName": [instance, ...]`` to ``REGISTRY``: the default form first (shrink
   only sizes, for speed, e.g. ``n_kernels``), then the variants users run, e.g. a
   ``metric="precomputed"`` estimator fed by a kNN graph,
   ``make_pipeline(KNNTransformer(n_neighbors=5), TwoNN(metric="precomputed"))``.
   Every instance goes through ``parametrize_with_checks``; the plain (non-pipeline)
   instances also through ``check_param_validation``.
3. A check that must fail goes into ``EXPECTED_FAILED["ClassName"]`` as
   ``{"check_name": "the reason, in words"}`` (applies to the instances registered under
   ``ClassName``; a pipeline must contain the class as one of its steps); for one
   configured instance only, wrap it: ``expect_failures(instance, {"check_xxx": "reason"})``.
   No entry without a reason.  Checks that fail for every Pipeline (not for its steps) are in
   ``PIPELINE_EXPECTED_FAILED``.
4. Re-export the class at top level (``_EXPORTS`` in ``sklearn_geom/__init__.py``;
   ``tests/test_package.py`` checks it) and list it in ``docs/api.rst``
   (``tests/test_docs.py`` checks it).
"""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils.estimator_checks import check_param_validation, parametrize_with_checks

from sklearn_geom.cluster import DensityPeak
from sklearn_geom.density import DensityEstimator
from sklearn_geom.dimension import Gride, TwoNN
from sklearn_geom.feature_selection import SequentialFeatureDetachment
from sklearn_geom.layerwise import LayerwiseEstimator
from sklearn_geom.neighbors import KNNTransformer
from sklearn_geom.timeseries import DetachRocket, RocketTransformer
from sklearn_geom.topology import PersistenceSimilarity
from sklearn_geom.utils import all_estimators

try:  # torch is an optional extra; TorchActivations needs a module to wrap in the checks
    import torch

    from sklearn_geom.activations import TorchActivations

    class TinyTorchNet(torch.nn.Module):
        """Parameter-free network accepting any number of features (module level: picklable)."""

        def __init__(self):
            super().__init__()
            self.act = torch.nn.Tanh()
            self.out = torch.nn.ReLU()

        def forward(self, x):
            return self.out(self.act(x.to(torch.float32)) + 0.5)

except ImportError:  # pragma: no cover - without torch, discovery reports it missing
    TinyTorchNet = None

# The exact set of public estimators (see step 1 above).
EXPECTED_NAMES = {
    "DensityEstimator",
    "DensityPeak",
    "DetachRocket",
    "Gride",
    "KNNTransformer",
    "LayerwiseEstimator",
    "PersistenceSimilarity",
    "RocketTransformer",
    "SequentialFeatureDetachment",
    "TorchActivations",
    "TwoNN",
}

# Expected failures of one configured instance only: {id(instance): {check name: reason}}.
_INSTANCE_EXPECTED_FAILED = {}


def expect_failures(estimator, checks):
    """Register ``estimator`` with checks it must fail, {check name: reason}; returns it."""
    _INSTANCE_EXPECTED_FAILED[id(estimator)] = checks
    return estimator


# {class name: [configured instances]}: default form first, then the variants users run.
REGISTRY = {
    "KNNTransformer": [
        KNNTransformer(),
        KNNTransformer(n_neighbors=3, mode="connectivity"),
        expect_failures(
            KNNTransformer(metric="cosine"),
            {
                "check_estimators_dtypes": (
                    "the check's integer data has an all-zero row, for which the cosine "
                    "distance is undefined: we raise a ValueError (sklearn returns 1)"
                )
            },
        ),
        KNNTransformer(algorithm="kd_tree"),
    ],
    "TwoNN": [
        TwoNN(),
        TwoNN(method="mle"),
        make_pipeline(KNNTransformer(n_neighbors=5), TwoNN(metric="precomputed")),
    ],
    "Gride": [
        Gride(),
        Gride(multiscale=True, range_max=8),
        make_pipeline(KNNTransformer(n_neighbors=5), Gride(metric="precomputed")),
    ],
    "RocketTransformer": [
        # n_kernels shrunk for speed only (the defaults are 10 000 kernels)
        RocketTransformer(kind="rocket", n_kernels=84),
        RocketTransformer(kind="minirocket", n_kernels=84),
        RocketTransformer(kind="multirocket", n_kernels=84),
    ],
    "PersistenceSimilarity": [
        PersistenceSimilarity(),
        PersistenceSimilarity(normalization="row_weighted", homology_dim=0),
    ],
}

# densities and density peaks: default form, variants, and fed by a kNN graph
REGISTRY["DensityEstimator"] = [
    DensityEstimator(),
    DensityEstimator("knn", n_neighbors=5),
    DensityEstimator("kstar", intrinsic_dim=2.0),
    make_pipeline(KNNTransformer(n_neighbors=5), DensityEstimator(metric="precomputed")),
]
REGISTRY["DensityPeak"] = [
    expect_failures(
        DensityPeak(),
        {
            "check_clustering": (
                "on the check's 50 points (3 blobs of ~17) the adaptive neighbourhood k* of "
                "PAk spans whole blobs, so ADP finds one significant peak (DADApy does the "
                "same); the registered density='knn' and classic forms pass this check"
            ),
        },
    ),
    DensityPeak(density="knn", n_neighbors=5),
    DensityPeak(method="classic", n_clusters=3),
    make_pipeline(KNNTransformer(n_neighbors=5), DensityPeak(metric="precomputed")),
]

# 2-D input is one representation (or n_layers column blocks); fit only, no transform
REGISTRY["LayerwiseEstimator"] = [
    LayerwiseEstimator(),
    LayerwiseEstimator(TwoNN()),
    LayerwiseEstimator(TwoNN(), n_layers=1, n_jobs=2),
    LayerwiseEstimator(TwoNN(), n_neighbors=3),  # one shared kNN graph per layer
]

if TinyTorchNet is not None:
    # one layer: transform returns a 2-D float32 array (several layers: a LayeredData)
    REGISTRY["TorchActivations"] = [
        TorchActivations(TinyTorchNet(), layers="out"),
        TorchActivations(TinyTorchNet(), layers="out", capture="input", batch_size=3),
        TorchActivations(TinyTorchNet(), layers="act", pooling="mean"),
    ]

# feature selection: default (automatic selection on a validation split), a fixed pruning
# level, cross-validated selection, a generic estimator, and in front of a classifier
REGISTRY["SequentialFeatureDetachment"] = [
    SequentialFeatureDetachment(),
    SequentialFeatureDetachment(n_features_to_select=0.5),
    SequentialFeatureDetachment(cv=2, multiclass_importance="l2"),
    SequentialFeatureDetachment(LogisticRegression(), n_features_to_select=1, max_steps=5),
    # keeps every feature (the checks' toy problems have 2 features): the pipeline wiring
    make_pipeline(SequentialFeatureDetachment(n_features_to_select=1.0), LogisticRegression()),
]
# n_kernels shrunk for speed only (default: 10 000 kernels)
REGISTRY["DetachRocket"] = [
    DetachRocket(n_kernels=50),
    DetachRocket(kind="minirocket", n_kernels=84, n_features_to_select=0.5),
    DetachRocket(kind="multirocket", n_kernels=84, multiclass_importance="l1"),
]

# {class name: {check name: reason}}; every entry needs a written reason.
EXPECTED_FAILED = {}

# Checks that fail for any scikit-learn Pipeline, whatever its steps: {check name: reason}.
PIPELINE_EXPECTED_FAILED = {
    "check_estimators_overwrite_params": (
        "sklearn's Pipeline fits the estimators held in its `steps` parameter in place, "
        "so `steps` compares different after fit (a property of Pipeline, not of our steps)"
    ),
    "check_dont_overwrite_parameters": (
        "sklearn's Pipeline fits the estimators held in its `steps` parameter in place "
        "(a property of Pipeline, not of our steps)"
    ),
}


def _step_class_names(estimator):
    """Class names of an instance, or of every step of a pipeline."""
    if isinstance(estimator, Pipeline):
        return {type(step).__name__ for _, step in estimator.steps}
    return {type(estimator).__name__}


def _registry_key(estimator):
    """The REGISTRY key an instance is listed under (parametrize_with_checks passes the
    very objects of the registry)."""
    for name, instances in REGISTRY.items():
        if any(est is estimator for est in instances):
            return name
    return None


def _expected_failed_checks(estimator):
    failed = dict(EXPECTED_FAILED.get(_registry_key(estimator), {}))
    failed.update(_INSTANCE_EXPECTED_FAILED.get(id(estimator), {}))
    if isinstance(estimator, Pipeline):
        failed.update(PIPELINE_EXPECTED_FAILED)
    return failed


def _all_instances():
    return [est for instances in REGISTRY.values() for est in instances]


def _plain_instances():
    return [est for est in _all_instances() if not isinstance(est, Pipeline)]


def test_discovered_estimators():
    """Discovery finds exactly ``EXPECTED_NAMES`` (a failing import raises here)."""
    found = {name for name, _ in all_estimators()}
    assert found == EXPECTED_NAMES, (
        f"discovered but not in EXPECTED_NAMES: {sorted(found - EXPECTED_NAMES)}; "
        f"in EXPECTED_NAMES but not discovered: {sorted(EXPECTED_NAMES - found)}"
    )


def test_registry_covers_every_estimator():
    """Each estimator has registry entries, its default form first, of the right class."""
    assert set(REGISTRY) == EXPECTED_NAMES
    classes = dict(all_estimators())
    for name, instances in REGISTRY.items():
        assert instances, f"REGISTRY[{name!r}] is empty"
        assert type(instances[0]) is classes[name], (
            f"REGISTRY[{name!r}][0] must be the estimator itself in its default form"
        )
        for est in instances:
            assert name in _step_class_names(est), f"REGISTRY[{name!r}] holds {est!r}"


def test_expected_failures_have_reasons():
    per_instance = [("instance", checks) for checks in _INSTANCE_EXPECTED_FAILED.values()]
    for name, checks in [
        *EXPECTED_FAILED.items(),
        ("Pipeline", PIPELINE_EXPECTED_FAILED),
        *per_instance,
    ]:
        assert name in EXPECTED_NAMES | {"Pipeline", "instance"}, name
        for check, reason in checks.items():
            assert check.startswith("check_"), (name, check)
            assert isinstance(reason, str) and len(reason.split()) >= 3, (name, check)


@parametrize_with_checks(_all_instances(), expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", _plain_instances(), ids=repr)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)
