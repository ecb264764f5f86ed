"""
ROCKET + ridge on GunPoint, and a pruned model
==============================================

:class:`~sklearn_geom.timeseries.RocketTransformer` turns each series into features of
random convolutional kernels; a ridge classifier on those features is the ROCKET
classifier of Dempster et al. (2020).  We fit it on GunPoint (a bundled UCR set), compare
the three variants, then prune the model: keep the features with the largest ridge
coefficients and let :meth:`~sklearn_geom.timeseries.RocketTransformer.keep_features`
compute only their kernels.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_geom.datasets import load_ucr
from sklearn_geom.timeseries import RocketTransformer

X_train, y_train, X_test, y_test = load_ucr("GunPoint")
print("train", X_train.shape, "test", X_test.shape)

# %%
# The three variants, with their default sizes (ROCKET: 10,000 kernels, 20,000 features;
# MiniRocket: 9,996 features; MultiRocket: 49,728 features).  ``kind`` is a parameter, so
# a grid search can also choose the variant.

for kind in ["rocket", "minirocket", "multirocket"]:
    model = make_pipeline(
        RocketTransformer(kind=kind, random_state=0, n_jobs=-1),
        StandardScaler(),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
    )
    t = time.perf_counter()
    model.fit(X_train, y_train)
    acc = model.score(X_test, y_test)
    n_features = model[0].get_feature_names_out().shape[0]
    print(
        f"{kind:>11}: {n_features:6d} features, accuracy {acc:.3f}, "
        f"fit + predict {time.perf_counter() - t:.2f} s"
    )

# %%
# Pruning.  A smaller ROCKET model: rank the features by the largest absolute ridge
# coefficient, keep the top ones, refit the ridge on them, and deploy a transformer that
# computes only the kernels behind the kept features.

rocket = RocketTransformer(n_kernels=2000, random_state=0).fit(X_train)
scaler = StandardScaler().fit(rocket.transform(X_train))
F_train = scaler.transform(rocket.transform(X_train))
F_test = scaler.transform(rocket.transform(X_test))
ridge = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)).fit(F_train, y_train)
order = np.argsort(-np.abs(np.atleast_2d(ridge.coef_)).max(axis=0))

kept_counts = [5, 10, 20, 50, 100, 200, 500, 1000, 4000]
accuracies = []
for n_keep in kept_counts:
    keep = np.sort(order[:n_keep])
    r = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)).fit(F_train[:, keep], y_train)
    accuracies.append(r.score(F_test[:, keep], y_test))

# deploy the 50-feature model: the pruned transformer gives the same columns
keep = np.sort(order[:50])
pruned = RocketTransformer(n_kernels=2000, random_state=0).fit(X_train).keep_features(keep)
assert np.array_equal(pruned.transform(X_test), rocket.transform(X_test)[:, keep])
n_kernels_used = len({name.split("_")[1] for name in pruned.get_feature_names_out()})
print(f"50 features come from {n_kernels_used} of the 2000 kernels")

# %%
# Left: the two classes (a hand drawing a gun, or pointing).  Right: test accuracy of
# the ridge refitted on the top features.

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for label, colour in zip(np.unique(y_train), ["C0", "C1"]):
    for x in X_train[y_train == label][:8]:
        axes[0].plot(x, color=colour, alpha=0.5, lw=1)
    axes[0].plot([], [], color=colour, label=f"class {label}")
axes[0].set(title="GunPoint training series", xlabel="time")
axes[0].legend()
axes[1].semilogx(kept_counts, accuracies, "o-")
axes[1].axhline(ridge.score(F_test, y_test), color="grey", ls="--", label="all 4000")
axes[1].set(
    title="ROCKET, pruned by ridge coefficients",
    xlabel="features kept",
    ylabel="test accuracy",
)
axes[1].legend()
fig.tight_layout()
plt.show()
