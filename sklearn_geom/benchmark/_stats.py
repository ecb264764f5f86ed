"""Comparing classifiers over many data sets: ranks, Friedman, Nemenyi, Wilcoxon-Holm.

Demšar (2006) recommends comparing k methods on N data sets by their mean
ranks: the Friedman test for "all equal", then the Nemenyi post-hoc test (two
methods differ when their mean ranks differ by more than the critical difference
``CD = q_alpha * sqrt(k (k + 1) / (6 N))``) or pairwise Wilcoxon signed-rank
tests with Holm's step-down correction (Benavoli et al., 2016).
"""

import itertools

import numpy as np
from scipy import stats
from sklearn.utils import Bunch


def _as_scores(scores, method_names):
    names = None
    if hasattr(scores, "columns") and hasattr(scores, "to_numpy"):  # pandas DataFrame
        names = [str(c) for c in scores.columns]
        scores = scores.to_numpy(dtype=float)
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise ValueError(f"scores must be 2-D (n_datasets, n_methods); got shape {scores.shape}.")
    N, k = scores.shape
    if k < 2:
        raise ValueError(f"at least 2 methods are needed to compare; got {k}.")
    if N < 1:
        raise ValueError("scores has no data sets (rows).")
    if not np.isfinite(scores).all():
        raise ValueError(
            "scores contain NaN or inf: every method needs a score on every data set "
            "(drop the incomplete data sets first)."
        )
    if method_names is not None:
        names = [str(m) for m in method_names]
    if names is None:
        names = [f"method {j}" for j in range(k)]
    if len(names) != k:
        raise ValueError(f"{len(names)} method names for {k} methods.")
    return scores, names


def rank_scores(scores, *, higher_is_better=True):
    """Rank the methods on each data set (1 = best, ties get the average rank).

    Parameters
    ----------
    scores : array-like of shape (n_datasets, n_methods)
        One score (e.g. accuracy) per data set and method.
    higher_is_better : bool, default=True
        False for errors or times.

    Returns
    -------
    ranks : ndarray of shape (n_datasets, n_methods)
        Rank of each method within each data set (1 = best, ties averaged).

    Examples
    --------
    >>> from sklearn_geom.benchmark import rank_scores
    >>> rank_scores([[0.9, 0.8, 0.9], [0.7, 0.75, 0.6]])
    array([[1.5, 3. , 1.5],
           [2. , 1. , 3. ]])
    """
    scores = np.asarray(scores, dtype=float)
    signed = -scores if higher_is_better else scores
    return np.vstack([stats.rankdata(row, method="average") for row in signed])


def nemenyi_critical_difference(n_methods, n_datasets, alpha=0.05):
    """Critical difference of mean ranks for the Nemenyi test.

    ``CD = q_alpha * sqrt(k (k + 1) / (6 N))`` with ``q_alpha`` the studentized
    range quantile (infinite degrees of freedom) divided by ``sqrt(2)``
    (Demšar 2006, Table 5a: 1.960, 2.343, 2.569, 2.728, ... for k = 2, 3, 4, 5
    at alpha = 0.05).

    Parameters
    ----------
    n_methods : int
        The number k of methods (>= 2).
    n_datasets : int
        N, the number of data sets (>= 1).
    alpha : float, default=0.05
        Significance level.

    Returns
    -------
    cd : float
        Two methods whose mean ranks differ by more than this differ significantly.

    References
    ----------
    .. [1] J. Demšar, "Statistical comparisons of classifiers over multiple data
       sets", JMLR 7, 1-30, 2006.

    Examples
    --------
    >>> from sklearn_geom.benchmark import nemenyi_critical_difference
    >>> round(nemenyi_critical_difference(4, 14), 2)  # Demšar (2006), Sec. 3.2.4
    1.25
    """
    k, N = int(n_methods), int(n_datasets)
    if k < 2 or N < 1:
        raise ValueError(f"need n_methods >= 2 and n_datasets >= 1; got {k}, {N}.")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}.")
    q = stats.studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2)
    return float(q * np.sqrt(k * (k + 1) / (6.0 * N)))


def friedman_test(ranks):
    """Friedman statistic and Iman-Davenport correction from a rank table.

    Parameters
    ----------
    ranks : array-like of shape (n_datasets, n_methods)
        Per-data-set ranks (see :func:`rank_scores`).

    Returns
    -------
    result : Bunch
        ``statistic`` (chi-square, k - 1 dof), ``pvalue``, ``f_statistic``
        (Iman-Davenport, (k - 1, (k - 1)(N - 1)) dof) and ``f_pvalue``.

    Examples
    --------
    >>> from sklearn_geom.benchmark import friedman_test
    >>> res = friedman_test([[1, 2, 3]] * 5)
    >>> round(res.statistic, 6), round(res.pvalue, 4)
    (10.0, 0.0067)
    """
    R = np.asarray(ranks, dtype=float)
    N, k = R.shape
    Rj = R.mean(axis=0)
    chi2 = 12.0 * N / (k * (k + 1)) * (np.sum(Rj**2) - k * (k + 1) ** 2 / 4.0)
    p = float(stats.chi2.sf(chi2, k - 1))
    denom = N * (k - 1) - chi2
    if N > 1 and denom > 0:
        F = (N - 1) * chi2 / denom
        pF = float(stats.f.sf(F, k - 1, (k - 1) * (N - 1)))
    else:  # perfect agreement (or one data set): F is infinite / undefined
        F, pF = (np.inf, 0.0) if N > 1 else (np.nan, np.nan)
    return Bunch(statistic=float(chi2), pvalue=p, f_statistic=float(F), f_pvalue=pF)


def holm_correction(pvalues, alpha=0.05):
    """Holm's step-down procedure: which null hypotheses are rejected.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        The p-values of the m tests.
    alpha : float, default=0.05
        Family-wise significance level.

    Returns
    -------
    reject : ndarray of bool, shape (m,)
        True where the null hypothesis is rejected.

    Examples
    --------
    >>> from sklearn_geom.benchmark._stats import holm_correction
    >>> holm_correction([0.01, 0.04, 0.03, 0.2]).tolist()
    [True, False, False, False]
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    reject = np.zeros(m, dtype=bool)
    for i, idx in enumerate(np.argsort(p, kind="stable")):
        if p[idx] <= alpha / (m - i):
            reject[idx] = True
        else:
            break
    return reject


def _wilcoxon_p(a, b):
    d = a - b
    if np.all(d == 0):
        return 1.0
    return float(stats.wilcoxon(a, b, zero_method="pratt").pvalue)


def _cliques(order, mean_ranks, different):
    """Maximal runs of consecutive methods (in rank order) with no significant pair."""
    k = len(order)
    runs = []
    for i in range(k):
        j = i
        while j + 1 < k and not any(different[order[a], order[j + 1]] for a in range(i, j + 1)):
            j += 1
        if j > i and not any(s <= i and j <= e for s, e in runs):
            runs.append((i, j))
    return [[int(order[t]) for t in range(s, e + 1)] for s, e in runs]


def critical_difference(
    scores, method_names=None, *, test="nemenyi", alpha=0.05, higher_is_better=True
):
    """Mean ranks, significance and cliques for a critical-difference diagram.

    Parameters
    ----------
    scores : array-like or pandas.DataFrame of shape (n_datasets, n_methods)
        One score per data set (row) and method (column), e.g. mean accuracy.
        A DataFrame's columns give the method names.
    method_names : list of str, default=None
        Names of the methods (columns).
    test : {"nemenyi", "wilcoxon-holm"}, default="nemenyi"
        ``"nemenyi"``: two methods differ when their mean ranks differ by more
        than the critical difference.  ``"wilcoxon-holm"``: pairwise Wilcoxon
        signed-rank tests on the scores, Holm-corrected.
    alpha : float, default=0.05
        Significance level.
    higher_is_better : bool, default=True
        False for errors or times.

    Returns
    -------
    result : Bunch
        ``method_names``; ``ranks`` (n_datasets, n_methods); ``mean_ranks``;
        ``order`` (method indices, best first); ``cd`` (the Nemenyi critical
        difference; None for Wilcoxon-Holm); ``pvalues`` (k x k pairwise
        p-values: Wilcoxon, or Nemenyi's from the studentized range);
        ``significant`` (k x k bool); ``cliques`` (lists of method indices not
        significantly different, consecutive in rank order); ``friedman``
        (see :func:`friedman_test`); ``n_datasets``; ``test``; ``alpha``.

    References
    ----------
    .. [1] J. Demšar, "Statistical comparisons of classifiers over multiple data
       sets", JMLR 7, 1-30, 2006.
    .. [2] A. Benavoli, G. Corani and F. Mangili, "Should we really use post-hoc
       tests based on mean-ranks?", JMLR 17, 1-10, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.benchmark import critical_difference
    >>> acc = np.array([[0.9, 0.8, 0.7], [0.95, 0.9, 0.85], [0.8, 0.82, 0.6],
    ...                 [0.7, 0.6, 0.5], [0.99, 0.97, 0.98]])
    >>> res = critical_difference(acc, ["A", "B", "C"])
    >>> res.mean_ranks.round(2).tolist(), round(res.cd, 3)
    ([1.2, 2.0, 2.8], 1.482)
    >>> [[res.method_names[j] for j in c] for c in res.cliques]
    [['A', 'B'], ['B', 'C']]
    """
    scores, names = _as_scores(scores, method_names)
    if test not in ("nemenyi", "wilcoxon-holm"):
        raise ValueError(f"test must be 'nemenyi' or 'wilcoxon-holm'; got {test!r}.")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}.")
    N, k = scores.shape
    ranks = rank_scores(scores, higher_is_better=higher_is_better)
    mean_ranks = ranks.mean(axis=0)
    order = np.argsort(mean_ranks, kind="stable")
    pvalues = np.ones((k, k))
    if test == "nemenyi":
        cd = nemenyi_critical_difference(k, N, alpha)
        se = np.sqrt(k * (k + 1) / (6.0 * N))
        diff = np.abs(mean_ranks[:, None] - mean_ranks[None, :])
        pvalues = stats.studentized_range.sf(diff / se * np.sqrt(2), k, np.inf)
        np.fill_diagonal(pvalues, 1.0)
        significant = diff > cd
    else:
        cd = None
        pairs = list(itertools.combinations(range(k), 2))
        p = np.array([_wilcoxon_p(scores[:, a], scores[:, b]) for a, b in pairs])
        reject = holm_correction(p, alpha)
        significant = np.zeros((k, k), dtype=bool)
        for (a, b), pv, r in zip(pairs, p, reject):
            pvalues[a, b] = pvalues[b, a] = pv
            significant[a, b] = significant[b, a] = r
    return Bunch(
        method_names=names,
        ranks=ranks,
        mean_ranks=mean_ranks,
        order=order,
        cd=cd,
        pvalues=pvalues,
        significant=significant,
        cliques=_cliques(order, mean_ranks, significant),
        friedman=friedman_test(ranks),
        n_datasets=N,
        test=test,
        alpha=alpha,
    )
