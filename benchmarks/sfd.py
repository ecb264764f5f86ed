"""Sequential Feature Detachment and Detach-ROCKET: speed and accuracy.

Three parts, each side by side in one run on the same data:

1. ``path``: the full SFD procedure on ROCKET features (10,000 kernels = 20,000 features)
   of OSULeaf and PLAID (the largest bundled training set): ours
   (``SequentialFeatureDetachment().fit``: exact ridge path through Gram downdates) against
   the reference procedure of detach_rocket (``RidgeClassifierCV`` for alpha, then
   ``RidgeClassifier`` refitted on the surviving features at every step with validation
   scoring, the trade-off selection, the final ridge on the selected features).  The
   ``detach-rocket`` package is not installable here, so its loop is re-implemented below
   with its two bugs fixed (scaler on the training part only, selected step's own mask),
   which is what ours computes (it omits detach_rocket's extra full-model refits, which
   favours the reference).  Both sides on the same number of BLAS threads (``--threads``,
   default 1), alternating, best of ``--repeats``.  Masks compared at every step.
2. ``grid``: ``GridSearchCV`` over 10 pruning levels x 5 folds of
   ``SFD(n_features_to_select, memory)`` (scored by its final ridge) against 5 single fits
   (one per fold's training part), with ``refit=False`` and with ``refit=True`` (which adds
   one path on all the data: part of GridSearchCV's cost), and (``--grid-no-memory``) the
   grid without ``memory``.
3. ``ucr``: ``DetachRocket`` against ROCKET (ridge on all 20,000 features, fitted inside
   DetachRocket on the same transform) on every bundled UCR/UEA set: test accuracy of
   both, retained fraction, transform time of the test split by the full and by the
   pruned transformer (best of 3, after a warm-up).

Usage::

    NUMBA_CACHE_DIR=~/.cache/sklearn_geom/numba python benchmarks/sfd.py
    python benchmarks/sfd.py --parts path --datasets OSULeaf
    python benchmarks/sfd.py --parts path grid --repeats 2
"""

import argparse
import tempfile
import time
import warnings

import numpy as np

ALPHAS = np.logspace(-10, 10, 20)


def rocket_features(name, n_kernels, seed=0):
    from sklearn_geom.datasets import load_ucr
    from sklearn_geom.timeseries import RocketTransformer

    X_train, y_train, X_test, y_test = load_ucr(name)
    rocket = RocketTransformer(n_kernels=n_kernels, random_state=seed, n_jobs=-1)
    F_train = rocket.fit_transform(X_train)
    return F_train, np.asarray(y_train), rocket, X_test, np.asarray(y_test)


def reference_procedure(F, y, seed, trade_off=0.1, drop_ratio=0.05, max_steps=150):
    """detach_rocket's procedure (bugs fixed), refitting RidgeClassifier at every step.

    Ties in importance (only the zero importance of constant and dropped features) are
    broken by index with a stable sort, as ours; detach_rocket's quicksort leaves them
    arbitrary.
    """
    from sklearn.linear_model import RidgeClassifier, RidgeClassifierCV
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    n, p = F.shape
    _, y_enc = np.unique(y, return_inverse=True)
    tr, va = train_test_split(np.arange(n), test_size=0.33, stratify=y_enc, random_state=seed)
    tr, va = np.sort(tr), np.sort(va)
    scaler = StandardScaler().fit(F[tr])
    Xs, Xv = scaler.transform(F[tr]), scaler.transform(F[va])
    alpha = RidgeClassifierCV(alphas=ALPHAS).fit(Xs, y[tr]).alpha_
    ratios = np.power(1 - drop_ratio, np.arange(max_steps))
    counts = np.unique((ratios * p).astype(int))[::-1]
    counts = counts[counts > 0]
    # per step, what detach_rocket's feature_detachment does: keep the top features of the
    # full-length importance vector (dropped ones at 0), refit, training and validation
    # accuracy, one row of the importance matrix
    importance = None
    masks, val, train = [], [], []
    importance_matrix = np.zeros((len(counts), p))
    clf = RidgeClassifier(alpha=alpha)
    for k, cnt in enumerate(counts):
        mask = np.zeros(p, dtype=bool)
        if k == 0:
            mask[:] = True
        else:
            mask[np.argsort(importance, kind="stable")[p - cnt :]] = True
        clf.fit(Xs[:, mask], y[tr])
        train.append(clf.score(Xs[:, mask], y[tr]))
        val.append(clf.score(Xv[:, mask], y[va]))
        importance = np.zeros(p)
        importance[mask] = np.abs(np.atleast_2d(clf.coef_)).max(axis=0)
        importance_matrix[k] = importance
        masks.append(mask)
    val = np.array(val)
    rel = val / val[0]
    smooth = np.array([rel[max(k - 1, 0) : k + 2].mean() for k in range(len(rel))])
    k_best = int(np.argmax(trade_off * (1 - counts / p) + smooth))
    mask = masks[k_best]
    final_scaler = StandardScaler().fit(F[:, mask])
    RidgeClassifierCV(alphas=ALPHAS).fit(final_scaler.transform(F[:, mask]), y)
    return {"masks": masks, "alpha": alpha, "step": k_best, "val": val}


def part_path(datasets, n_kernels, seed, repeats=1, threads=1):
    from sklearn.linear_model import RidgeClassifier
    from threadpoolctl import threadpool_limits

    from sklearn_geom.feature_selection import SequentialFeatureDetachment

    print("\n## Full SFD path: ours vs the reference procedure (refit at every step)")
    print(
        f"{threads} BLAS thread(s) each; times in s, best of {repeats} run(s), the two "
        "sides alternating"
    )
    print(
        "| data set | train x features | steps | ours | reference | ratio | alpha ours/ref "
        "| masks equal (all steps) | masks equal, same alpha | selected step ours/ref |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in datasets:
        F, y, *_ = rocket_features(name, n_kernels, seed)
        F = F.astype(np.float64)
        with threadpool_limits(threads, user_api="blas"), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # constant features
            t_ours = t_ref = np.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                sfd = SequentialFeatureDetachment(random_state=seed, n_jobs=threads).fit(F, y)
                t_ours = min(t_ours, time.perf_counter() - t0)
                t0 = time.perf_counter()
                ref = reference_procedure(F, y, seed)
                t_ref = min(t_ref, time.perf_counter() - t0)
        equal = all(
            np.array_equal(sfd.last_step_ >= k, m) for k, m in enumerate(ref["masks"])
        ) and len(ref["masks"]) == len(sfd.step_n_features_)
        # our path with the reference's alpha (the two LOO computations may pick different
        # alphas, see RESULTS.md); masks at every step
        same = SequentialFeatureDetachment(
            RidgeClassifier(alpha=ref["alpha"]), random_state=seed, n_jobs=1
        ).fit(F, y)
        equal_same = all(
            np.array_equal(same.last_step_ >= k, m) for k, m in enumerate(ref["masks"])
        )
        print(
            f"| {name} | {F.shape[0]} x {F.shape[1]} | {len(ref['masks'])} | {t_ours:.2f} | "
            f"{t_ref:.2f} | {t_ref / t_ours:.1f}x | {sfd.alpha_:.3g} / {ref['alpha']:.3g} | "
            f"{equal} | {equal_same} | {sfd.selected_step_} / {ref['step']} |",
            flush=True,
        )


def part_grid(name, n_kernels, seed, levels=10, folds=5, no_memory_too=False, repeats=1):
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from threadpoolctl import threadpool_limits

    from sklearn_geom.feature_selection import SequentialFeatureDetachment

    print(f"\n## GridSearchCV over {levels} pruning levels x {folds} folds ({name})")
    F, y, *_ = rocket_features(name, n_kernels, seed)
    p = F.shape[1]
    grid_levels = sorted({max(1, int(p * 0.5**i)) for i in range(levels)})
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    param = "n_features_to_select"
    single = SequentialFeatureDetachment(n_features_to_select=grid_levels[len(grid_levels) // 2])
    t_grid = t_refit = t_single = np.inf
    with threadpool_limits(1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        SequentialFeatureDetachment(n_features_to_select=5).fit(F[:, :500], y)  # compile
        for _ in range(repeats):  # the three runs alternate; best of `repeats` each
            t0 = time.perf_counter()
            for tr, _ in cv.split(F, y):
                clone(single).fit(F[tr], y[tr])
            t_single = min(t_single, time.perf_counter() - t0)
            for refit in (False, True):
                with tempfile.TemporaryDirectory() as cache:
                    t0 = time.perf_counter()
                    grid = GridSearchCV(
                        SequentialFeatureDetachment(memory=cache),
                        {param: grid_levels},
                        cv=cv,
                        refit=refit,
                    ).fit(F, y)
                    t = time.perf_counter() - t0
                if refit:
                    t_refit = min(t_refit, t)
                else:
                    t_grid = min(t_grid, t)
        t_nomem, same = None, None
        if no_memory_too:
            t0 = time.perf_counter()
            grid_nomem = GridSearchCV(
                SequentialFeatureDetachment(), {param: grid_levels}, cv=cv, refit=False
            ).fit(F, y)
            t_nomem = time.perf_counter() - t0
            same = np.allclose(
                grid.cv_results_["mean_test_score"], grid_nomem.cv_results_["mean_test_score"]
            )
    print(f"levels (features kept): {grid_levels}")
    print(f"best of {repeats} run(s) each, the runs alternating")
    print("| run | time (s) | / 5 single fits |")
    print("|---|---|---|")
    print(f"| 5 single fits (one per fold's training part) | {t_single:.2f} | 1.00 |")
    print(f"| GridSearchCV, memory, refit=False | {t_grid:.2f} | {t_grid / t_single:.2f} |")
    print(
        f"| GridSearchCV, memory, refit=True (+ 1 path on all data) | {t_refit:.2f} | "
        f"{t_refit / t_single:.2f} |"
    )
    if t_nomem is not None:
        print(f"| GridSearchCV, no memory | {t_nomem:.2f} | {t_nomem / t_single:.2f} |")
        print(f"same cv scores with and without memory: {same}")
    best = grid.cv_results_["params"][int(np.argmax(grid.cv_results_["mean_test_score"]))]
    print(f"best level: {best[param]} features", flush=True)


def part_ucr(datasets, n_kernels, seed, repeats=3):
    from sklearn_geom.datasets import load_ucr
    from sklearn_geom.timeseries import DetachRocket

    print(f"\n## Detach-ROCKET vs ROCKET ({n_kernels} kernels, ridge on all features)")
    print(
        "| data set | ROCKET acc | Detach-ROCKET acc | change (points) | retained | "
        "transform full (s) | pruned (s) | speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for name in datasets:
        X_train, y_train, X_test, y_test = load_ucr(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            clf = DetachRocket(n_kernels=n_kernels, random_state=seed, n_jobs=1)
            clf.fit(X_train, y_train)
        acc, acc_full = clf.score(X_test, y_test), clf.score_full(X_test, y_test)
        full_t, pruned_t = clf.transformer_, clf.prune()[0]
        times = {}
        for label, tr in (("full", full_t), ("pruned", pruned_t)):
            tr.transform(X_test[:2] if not isinstance(X_test, list) else X_test[:2])  # warm-up
            best = np.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                tr.transform(X_test)
                best = min(best, time.perf_counter() - t0)
            times[label] = best
        rows.append((acc_full, acc, clf.retained_fraction_, times["full"] / times["pruned"]))
        print(
            f"| {name} | {acc_full:.4f} | {acc:.4f} | {100 * (acc - acc_full):+.1f} | "
            f"{100 * clf.retained_fraction_:.2f}% | {times['full']:.3f} | "
            f"{times['pruned']:.3f} | {times['full'] / times['pruned']:.1f}x |",
            flush=True,
        )
    r = np.array(rows)
    print(
        f"| mean | {r[:, 0].mean():.4f} | {r[:, 1].mean():.4f} | "
        f"{100 * (r[:, 1] - r[:, 0]).mean():+.1f} | {100 * r[:, 2].mean():.2f}% | | | "
        f"{np.exp(np.log(r[:, 3]).mean()):.1f}x (geo.) |"
    )


def main():
    from sklearn_geom.datasets import list_bundled_datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", default=["path", "grid", "ucr"])
    parser.add_argument("--datasets", nargs="+", default=None)
    parser.add_argument("--n-kernels", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--grid-no-memory", action="store_true", help="also time the grid without memory"
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="best of this many runs (path and grid parts)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS threads of both sides (path part)"
    )
    args = parser.parse_args()
    if "path" in args.parts:
        part_path(
            args.datasets or ["OSULeaf", "PLAID"], args.n_kernels, args.seed,
            repeats=args.repeats, threads=args.threads,
        )  # fmt: skip
    if "grid" in args.parts:
        part_grid(
            (args.datasets or ["OSULeaf"])[0], args.n_kernels, args.seed,
            no_memory_too=args.grid_no_memory, repeats=args.repeats,
        )  # fmt: skip
    if "ucr" in args.parts:
        part_ucr(args.datasets or list_bundled_datasets(), args.n_kernels, args.seed)


if __name__ == "__main__":
    main()
