"""
Exact kNN graphs in a pipeline
==============================

:class:`~sklearn_geom.neighbors.KNNTransformer` computes the exact k-nearest-neighbour
graph once and hands it, in scikit-learn's sparse layout, to any estimator that accepts
``metric="precomputed"``: here sklearn's Isomap and our TwoNN, on a swiss roll.  The graph
is the same as sklearn's ``KNeighborsTransformer`` gives (checked below), so the two are
interchangeable; ours is the faster one (``benchmarks/knn.py``).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_swiss_roll
from sklearn.manifold import Isomap
from sklearn.neighbors import KNeighborsTransformer
from sklearn.pipeline import make_pipeline

from sklearn_geom.dimension import TwoNN
from sklearn_geom.neighbors import KNNTransformer

X, t = make_swiss_roll(n_samples=2000, noise=0.05, random_state=0)

# the same sparse graph as sklearn's transformer
ours = KNNTransformer(n_neighbors=10).fit_transform(X)
ref = KNeighborsTransformer(n_neighbors=10).fit_transform(X)
print("same graph as sklearn:", np.allclose(ours.toarray(), ref.toarray()))

# one graph, two consumers: an embedding and the intrinsic dimension
embedding = make_pipeline(
    KNNTransformer(n_neighbors=10), Isomap(n_neighbors=10, metric="precomputed")
).fit_transform(X)
twonn = make_pipeline(KNNTransformer(n_neighbors=10), TwoNN(metric="precomputed")).fit(X)
d = twonn[-1].dimension_
print(f"TwoNN intrinsic dimension of the swiss roll: {d:.2f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 4))
axes[0].scatter(X[:, 0], X[:, 2], c=t, s=4, cmap="viridis")
axes[0].set_title("swiss roll (x, z)")
axes[1].scatter(embedding[:, 0], embedding[:, 1], c=t, s=4, cmap="viridis")
axes[1].set_title(f"Isomap on the KNNTransformer graph (TwoNN d = {d:.2f})")
fig.tight_layout()
plt.show()
