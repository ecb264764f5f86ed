"""
Sparseness of Forward-Forward and backprop representations
==========================================================

Tosato et al. (2023) found that networks trained with Hinton's Forward-Forward algorithm
(each layer trained locally to give a high "goodness" :math:`\\sum_j h_j^2` to an image
shown with its right label and a low one with a wrong label) build much sparser hidden
representations than the same architecture trained with backprop.  Here both are trained
in a few seconds on the digits and compared with
:func:`~sklearn_geom.metrics.hoyer_sparseness` per layer, through
:func:`~sklearn_geom.layerwise.layerwise_profile`; the class ensembles
(:func:`~sklearn_geom.metrics.class_ensembles`) show how many units each class recruits.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits

from sklearn_geom.activations import TorchActivations
from sklearn_geom.layerwise import layerwise_profile
from sklearn_geom.metrics import class_ensembles, hoyer_sparseness
from sklearn_geom.plotting import plot_layer_profile

torch.set_num_threads(1)
warnings.simplefilter("ignore", RuntimeWarning)  # samples silenced by the ReLU

X, y = load_digits(return_X_y=True)
Xt, yt = torch.as_tensor((X / 16.0).astype(np.float32)), torch.as_tensor(y)


def embed_label(x, labels):
    """Write the label one-hot into the first 10 pixels (always blank in the digits' corner)."""
    x = x.clone()
    x[:, :10] = 0.0
    x[torch.arange(len(x)), labels] = 1.0
    return x


class Net(torch.nn.Module):
    def __init__(self, sizes=(64, 200, 200)):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        )
        self.acts = torch.nn.ModuleList([torch.nn.ReLU() for _ in sizes[1:]])

    def forward(self, x):
        for lin, act in zip(self.layers, self.acts):
            x = act(lin(x / (x.norm(dim=1, keepdim=True) + 1e-6)))
        return x


# Forward-Forward: layer by layer, goodness above theta for positive data, below for negative
torch.manual_seed(0)
ff = Net()
g = torch.Generator().manual_seed(0)
pos = embed_label(Xt, yt)
neg = embed_label(Xt, (yt + torch.randint(1, 10, yt.shape, generator=g)) % 10)
for lin, act in zip(ff.layers, ff.acts):
    opt = torch.optim.Adam(lin.parameters(), lr=0.03)

    def layer(h, lin=lin, act=act):
        return act(lin(h / (h.norm(dim=1, keepdim=True) + 1e-6)))

    for _ in range(150):
        gp, gn = layer(pos).pow(2).sum(1), layer(neg).pow(2).sum(1)
        loss = torch.nn.functional.softplus(torch.cat([2.0 - gp, gn - 2.0])).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        pos, neg = layer(pos), layer(neg)

# backprop: the same layers and a linear read-out
torch.manual_seed(0)
bp = torch.nn.Sequential(Net(), torch.nn.Linear(200, 10))
opt = torch.optim.Adam(bp.parameters(), lr=0.01)
for _ in range(150):
    loss = torch.nn.functional.cross_entropy(bp(Xt), yt)
    opt.zero_grad()
    loss.backward()
    opt.step()

acts = {
    "Forward-Forward": TorchActivations(ff, layers="acts.*").fit_transform(embed_label(Xt, yt)),
    "backprop": TorchActivations(bp, layers="0.acts.*").fit_transform(Xt),
}
profiles = {name: layerwise_profile(a, metrics=hoyer_sparseness) for name, a in acts.items()}
for name, a in acts.items():
    member, _ = class_ensembles(a[-1], y, ratio=2.0)
    print(f"{name}: Hoyer sparseness per layer "
          f"{profiles[name]['hoyer_sparseness'].round(2).tolist()}, "
          f"units per class ensemble (ratio 2) in the last layer: {member.sum(1).tolist()}")

ax = plot_layer_profile(profiles, "hoyer_sparseness", x="depth", ylabel="Hoyer sparseness")
ax.set_xticks([0, 1])
plt.show()
