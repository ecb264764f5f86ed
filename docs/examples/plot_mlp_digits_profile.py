"""
Layer-by-layer geometry of an MLP on the digits
===============================================

The intrinsic-dimension (ID) profile of Ansuini et al. (NeurIPS 2019) and the label
overlap and density peaks of Doimo et al. (NeurIPS 2020), on a small MLP trained in a few
seconds on scikit-learn's digits and on the same network untrained.
:class:`~sklearn_geom.activations.TorchActivations` captures the four hidden layers and the
logits; :class:`~sklearn_geom.layerwise.LayerwiseEstimator` runs
:class:`~sklearn_geom.dimension.TwoNN` and
:func:`~sklearn_geom.metrics.label_overlap` on every layer.

In the trained network the ID falls over the last layers, the label overlap rises towards
1 and the density peaks of the last hidden layer are the classes; the untrained network
loses the class structure with depth.
"""

import warnings
from functools import partial

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from sklearn_geom.activations import TorchActivations
from sklearn_geom.dimension import TwoNN
from sklearn_geom.layerwise import LayerwiseEstimator
from sklearn_geom.metrics import label_overlap
from sklearn_geom.neighbors import DuplicatePointsWarning
from sklearn_geom.plotting import plot_layer_profile

torch.set_num_threads(1)  # tiny model: one thread is fastest
warnings.simplefilter("ignore", DuplicatePointsWarning)  # dead ReLUs copy a few points

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X).astype(np.float32)


def mlp(seed=0):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(
        nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10),
    )


def train(net, epochs=10, batch=128):
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        perm = torch.randperm(len(Xt), generator=g)
        for i in range(0, len(Xt), batch):
            idx = perm[i : i + batch]
            loss = torch.nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net


nets = {"trained": train(mlp()), "untrained": mlp()}
profiles = {}
for name, net in nets.items():
    acts = TorchActivations(net, layers=["1", "3", "5", "7", "8"]).fit_transform(X)
    stack = {"input": X, **{layer: a for layer, a in acts}}
    profiles[name] = LayerwiseEstimator(
        TwoNN(), metrics={"label overlap": partial(label_overlap, n_neighbors=10)}
    ).fit(stack, y).profile_
    print(name)
    print(profiles[name][["layer", "width", "dimension_", "label overlap"]].round(2))

    # density peaks of the last hidden layer against the classes
    try:
        from sklearn_geom.cluster import DensityPeak
    except ImportError:  # the clustering subpackage is optional here
        continue
    peaks = DensityPeak().fit(acts["7"])
    print(f"  last hidden layer: {peaks.n_clusters_} density peaks, "
          f"ARI with the digits {adjusted_rand_score(y, peaks.labels_):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
plot_layer_profile(profiles, "dimension_", ax=axes[0], error="dimension_err_",
                   ylabel="intrinsic dimension (TwoNN)")
plot_layer_profile(profiles, "label overlap", ax=axes[1])
fig.tight_layout()
plt.show()
