"""
Intrinsic dimension of digits and of a swiss roll
=================================================

TwoNN estimates the intrinsic dimension from the ratio of each point's second to first
neighbour distance; GRIDE uses the n1-th and 2 n1-th neighbours, so that growing n1
probes growing scales.  A swiss roll (a 2-D sheet rolled in 3-D) gives about 2 at every
scale; the 64 raw pixels of the sklearn digits give about 9 at the smallest scale, and
the estimate changes with scale.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits, make_swiss_roll

from sklearn_geom.dimension import Gride, TwoNN
from sklearn_geom.plotting import plot_id_scale

digits = load_digits().data
roll, _ = make_swiss_roll(2000, noise=0.0, random_state=0)

for name, X in [("digits", digits), ("swiss roll", roll)]:
    est = TwoNN().fit(X)
    print(f"{name:>10}: TwoNN ID = {est.dimension_:.2f} +/- {est.dimension_err_:.2f}")

# %%
# ID against scale: GRIDE at n1 = 1, 2, 4, ..., 32 and TwoNN on random subsets of
# N, N/2, N/4, ... points (decimation).  Both put the mean neighbour distance of the
# scale on the horizontal axis.

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, (name, X) in zip(axes, [("digits", digits), ("swiss roll", roll)]):
    plot_id_scale(Gride(multiscale=True).fit(X), ax=ax, label="GRIDE")
    plot_id_scale(TwoNN(n_scales=6, random_state=0).fit(X), ax=ax, label="TwoNN decimation")
    ax.set_title(name)
fig.tight_layout()
plt.show()
