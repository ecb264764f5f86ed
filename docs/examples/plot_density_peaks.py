"""
Density peaks: clusters, halo and the topography of the peaks
=============================================================

Advanced Density Peaks (ADP) estimates the density of every point (PAk on adaptive
neighbourhoods), takes the local maxima as centres, assigns the other points by
decreasing density and keeps only the peaks that stand significantly above the saddle
that joins them to another peak.  Here: two groups of two blobs each, plus uniform
background noise.  The dendrogram of the peaks, built from the saddle densities, joins
the blobs of each group before joining the groups; the halo (grey) holds the points
below the highest saddle of their cluster.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_geom.cluster import DensityPeak
from sklearn_geom.plotting import plot_decision_graph, plot_density_peaks, plot_peak_dendrogram

rng = np.random.default_rng(0)
centres = np.array([[0, 0], [4, 0], [16, 0], [20, 0]])
X = np.vstack(
    [rng.normal(c, 1.0, (400, 2)) for c in centres] + [rng.uniform([-4, -6], [24, 6], (300, 2))]
)

dp = DensityPeak(Z=1.65).fit(X)
print(f"{dp.n_clusters_} clusters, intrinsic dimension {dp.intrinsic_dim_:.2f}, "
      f"{dp.halo_.mean():.0%} of the points in the halo")
print("peak log densities:", np.round(dp.peaks_log_density_, 2))

fig, axes = plt.subplots(1, 3, figsize=(13, 4))
plot_density_peaks(dp, X, ax=axes[0])
axes[0].set_title("clusters (halo in grey)")
plot_peak_dendrogram(dp, ax=axes[1])
axes[1].set_title("dendrogram of the peaks")
plot_decision_graph(dp, ax=axes[2])
axes[2].set_title("decision graph")
fig.tight_layout()

# %%
# The classic algorithm of Rodriguez & Laio picks the centres on the decision graph:
# large density and large distance to any denser point.

classic = DensityPeak(method="classic", n_clusters=4).fit(X)
fig, ax = plt.subplots(figsize=(4.5, 4))
plot_density_peaks(classic, X, ax=ax, halo=False)
ax.set_title("classic density peaks, 4 centres")
plt.show()
