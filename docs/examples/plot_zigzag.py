"""
Zigzag barcode of a drifting point cloud
========================================

Ten layers of a point cloud sampled near a circle, drifting slowly; each layer's
5-nearest-neighbour flag complex; the barcode of the intersection zigzag
``K_0 ⊇ K_0 ∩ K_1 ⊆ K_1 ...`` computed by
:func:`sklearn_geom.topology.zigzag_barcode_of_complexes` (FastZigzag).  The long
H1 bar is the circle, present in every layer.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_geom.topology import knn_flag_complex, zigzag_barcode_of_complexes

rng = np.random.default_rng(0)
t = rng.uniform(0, 2 * np.pi, 200)
X = np.c_[np.cos(t), np.sin(t)] + 0.05 * rng.normal(size=(200, 2))
layers = []
for _ in range(10):
    layers.append(X.copy())
    X = X + 0.02 * rng.normal(size=X.shape)

complexes = [knn_flag_complex(Y, n_neighbors=5, max_dim=2) for Y in layers]
bc = zigzag_barcode_of_complexes(complexes, homology_dims=[0, 1])
print(bc)
print("Betti numbers of layer 0 (H0, H1):", bc.betti_at(0))

fig, ax = plt.subplots(figsize=(6, 4))
row = 0
for dim, color in [(0, "tab:blue"), (1, "tab:red")]:
    sel = bc.in_dimension(dim)
    keep = (sel.death - sel.birth) >= 2  # bars spanning at least one layer
    for b, d in zip(sel.birth[keep], sel.death[keep]):
        ax.hlines(row, b, d, color=color, lw=2)
        row += 1
ax.set_xlabel("zigzag position (2 l = layer l, 2 l + 1 = intersection)")
ax.set_ylabel("bar")
ax.set_title("H0 (blue) and H1 (red) bars")
plt.tight_layout()
plt.show()
