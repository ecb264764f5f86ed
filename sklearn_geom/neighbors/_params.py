"""Parameter constraints shared by every estimator that searches neighbours.

Defined once here and used in the ``_parameter_constraints`` of
:class:`~sklearn_geom.neighbors.KNNTransformer`, the intrinsic-dimension estimators
and the topology estimators, so that the accepted values of ``metric``,
``algorithm`` and ``n_jobs`` cannot drift apart.
"""

import numbers

from sklearn.utils._param_validation import StrOptions

#: Distances the engine computes itself.
METRICS = ("euclidean", "cosine")

#: Search algorithms of :func:`~sklearn_geom.neighbors.compute_knn`.
ALGORITHMS = ("auto", "brute", "kd_tree")

#: ``metric`` of an estimator that only takes raw points (KNNTransformer).
METRIC_CONSTRAINT = [StrOptions(set(METRICS))]

#: ``metric`` of KNNTransformer: sklearn's name ``"minkowski"`` (with ``p=2``) too.
METRIC_OR_MINKOWSKI_CONSTRAINT = [StrOptions(set(METRICS) | {"minkowski"})]

#: ``metric`` of an estimator that also takes a precomputed kNN graph.
METRIC_OR_PRECOMPUTED_CONSTRAINT = [StrOptions(set(METRICS) | {"precomputed"})]

#: ``algorithm``.
ALGORITHM_CONSTRAINT = [StrOptions(set(ALGORITHMS))]

#: ``n_jobs`` (None: every core numba and OpenMP may use; -1: all cores; n: n threads).
N_JOBS_CONSTRAINT = [numbers.Integral, None]
