"""ADP on the five benchmark sets of d'Errico et al. (Inf. Sci. 2021) against published quality.

A check by hand, not a timing: for each 2-D set the paper's ``Z``, the intrinsic dimension 2
and up to 1000 neighbours, as in the paper; prints the number of clusters, NMI (on points
that are core in both the ground truth and the result), FNR (ground-truth noise assigned to
a cluster) and FPR (ground-truth cluster points declared halo) beside the published values.

The sets are read from ``$SKLEARN_GEOM_ADP_REFERENCE`` or from ``../shared/reference/adp``
next to the checkout.

    python benchmarks/adp_reference.py
"""

import os
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from sklearn_geom.cluster import DensityPeak

# set: (ground truth file, Z, true clusters, published NMI, FNR, FPR)
PUBLISHED = {
    "Fig1": ("gt_F1.txt", 1.5, 8, 1.000, 0.010, 0.111),
    "Fig2": ("gt_F2.txt", 3.0, 2, 0.985, 0.002, 0.015),
    "FigS2": ("gt_FS2.txt", 2.5, 7, 0.999, 0.070, 0.053),
    "FigS3": ("gt_FS3.txt", 2.5, 3, 1.000, 0.000, 0.100),
    "FigS4": ("gt_FS4.txt", 3.0, 3, 0.998, 0.077, 0.036),
}


def reference_folder():
    env = os.environ.get("SKLEARN_GEOM_ADP_REFERENCE")
    folder = Path(env) if env else (
        Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "adp"
    )
    if not folder.is_dir():
        sys.exit(f"reference folder {folder} not found (set SKLEARN_GEOM_ADP_REFERENCE)")
    return folder


def quality(gt, dp):
    lab = np.where(dp.halo_, -1, dp.labels_)
    core = (gt >= 0) & (lab >= 0)
    nmi = normalized_mutual_info_score(gt[core], lab[core])
    fnr = float(np.mean(lab[gt < 0] >= 0))
    fpr = float(np.mean(lab[gt >= 0] < 0))
    return nmi, fnr, fpr


def main():
    folder = reference_folder()
    print("| set | Z | clusters (true) | NMI (published) | FNR (published) | FPR (published) "
          "| spikes |")
    print("|---|---|---|---|---|---|---|")
    for name, (gt_file, Z, true, p_nmi, p_fnr, p_fpr) in PUBLISHED.items():
        X = np.loadtxt(folder / f"{name}.dat")
        gt = np.loadtxt(folder / gt_file).astype(int)
        dp = DensityPeak(Z, max_neighbors=1000, intrinsic_dim=2.0).fit(X)
        nmi, fnr, fpr = quality(gt, dp)
        print(f"| {name} | {Z} | {dp.n_clusters_} ({true}) | {nmi:.3f} ({p_nmi:.3f}) | "
              f"{fnr:.3f} ({p_fnr:.3f}) | {fpr:.3f} ({p_fpr:.3f}) | {int(dp.spikes_.sum())} |",
              flush=True)


if __name__ == "__main__":
    main()
