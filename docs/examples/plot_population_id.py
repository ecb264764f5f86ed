"""
Intrinsic dimension of an evolving population
=============================================

Medvet, Bartoli, Ansuini and Tarlao (PPSN 2018) followed the intrinsic dimension of the
genotypes of an evolving population over the generations and saw it fall as the
population loses diversity.  The generations are an ordered sequence of representations
of the same number of points, so the layer-by-layer API takes them as they are: here a
simple generational genetic algorithm (tournament selection, uniform crossover, rare
Gaussian mutation, elitism) on the 20-dimensional sphere function, and
:class:`~sklearn_geom.dimension.TwoNN` on every tenth generation through
:func:`~sklearn_geom.layerwise.layerwise_profile`.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

from sklearn_geom.dimension import TwoNN
from sklearn_geom.layerwise import layerwise_profile
from sklearn_geom.neighbors import DuplicatePointsWarning
from sklearn_geom.plotting import plot_layer_profile

warnings.simplefilter("ignore", DuplicatePointsWarning)  # clones of the elite


def evolve(n=200, d=20, generations=60, every=10, rate=0.2, sigma=0.3, seed=0):
    rng = np.random.default_rng(seed)
    pop = rng.uniform(-5, 5, size=(n, d))
    snapshots = {}
    for g in range(generations + 1):
        if g % every == 0:
            snapshots[g] = pop.copy()
        fitness = -np.sum(pop**2, axis=1)
        a, b = rng.integers(0, n, (2, n))
        parents = np.where((fitness[a] > fitness[b])[:, None], pop[a], pop[b])
        mates = parents[rng.permutation(n)]
        child = np.where(rng.random((n, d)) < 0.5, parents, mates)
        child += (rng.random((n, d)) < rate / d) * rng.normal(scale=sigma, size=(n, d))
        child[0] = pop[np.argmax(fitness)]
        pop = child
    return snapshots


profiles = {}
for seed in (0, 1, 2):
    prof = layerwise_profile(evolve(seed=seed), TwoNN())
    prof["generation"] = prof["layer"].astype(int)
    profiles[f"run {seed}"] = prof
    print(f"run {seed}: ID per generation {prof['dimension_'].round(1).tolist()}")

ax = plot_layer_profile(profiles, "dimension_", x="generation", error="dimension_err_",
                        ylabel="intrinsic dimension of the population")
plt.show()
