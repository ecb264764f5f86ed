"""
A small UCR benchmark: ROCKET, MiniRocket and MultiRocket
=========================================================

The UCR benchmark (``sklearn-geom-ucr``, the project's main job) fits each method on the
default train split of each data set, scores it on the test split, repeats with new
kernels, and compares the methods by mean rank.  Here: two data sets bundled with
sktime/aeon (GunPoint and ItalyPowerDemand), two runs, small transforms, so that it runs
in seconds.  Results go to a folder; running again with the same folder would skip the
finished tasks.
"""

import tempfile

import matplotlib.pyplot as plt

from sklearn_geom.benchmark import run_ucr_benchmark
from sklearn_geom.plotting import plot_accuracy_scatter, plot_critical_difference

out = tempfile.mkdtemp(prefix="ucr_")
res = run_ucr_benchmark(
    out,
    datasets=["GunPoint", "ItalyPowerDemand"],
    methods=["rocket", "minirocket", "multirocket"],
    n_runs=2,
    n_kernels=504,  # ROCKET: 504 kernels; MiniRocket: 504 features; MultiRocket: 504 x 8
    progress=False,
    verbose=False,
)
for s in res.summary:
    print(
        f"{s['dataset']:>17} {s['method']:>12}: {s['accuracy_mean']:.3f} "
        f"± {s['accuracy_std']:.3f}  (fit {s['fit_time_mean']:.2f} s)"
    )

# %%
# Mean ranks and the critical-difference diagram.  With two data sets nothing can be
# significant: the thick bar joins all three methods.  On the full archive
# (``--data-dir ~/UCRArchive_2018``) the diagram separates them.

acc = {(s["dataset"], s["method"]): s["accuracy_mean"] for s in res.summary}
methods = ["rocket", "minirocket", "multirocket"]
datasets = ["GunPoint", "ItalyPowerDemand"]
table = [[acc[(d, m)] for m in methods] for d in datasets]

fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), gridspec_kw={"width_ratios": [1.6, 1]})
plot_critical_difference(table, methods, ax=axes[0])
plot_accuracy_scatter(
    [row[0] for row in table],
    [row[1] for row in table],
    labels=("ROCKET", "MiniRocket"),
    dataset_names=datasets,
    ax=axes[1],
)
fig.tight_layout()
plt.show()
