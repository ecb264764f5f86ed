"""Statistics behind the critical-difference diagram.

References: hand computations written out below; Demšar (2006, JMLR 7), Table 5a
(Nemenyi q_0.05 values) and the worked example of its Sec. 3.2.4 (k = 4 methods,
N = 14 data sets, mean ranks 3.143, 2.000, 2.893, 1.964: chi2_F = 9.28,
F_F = 3.69, CD = 1.25); scipy.stats.friedmanchisquare as a peer for data without ties.
"""

import numpy as np
import pytest
from scipy import stats

from sklearn_geom.benchmark import (
    critical_difference,
    friedman_test,
    holm_correction,
    nemenyi_critical_difference,
    rank_scores,
)

# Demšar (2006), Table 5a: critical values q_0.05 of the two-tailed Nemenyi test
DEMSAR_Q005 = {
    2: 1.960,
    3: 2.343,
    4: 2.569,
    5: 2.728,
    6: 2.850,
    7: 2.949,
    8: 3.031,
    9: 3.102,
    10: 3.164,
}
# and q_0.10 (Table 5a, second row)
DEMSAR_Q010 = {
    2: 1.645,
    3: 2.052,
    4: 2.291,
    5: 2.459,
    6: 2.589,
    7: 2.693,
    8: 2.780,
    9: 2.855,
    10: 2.920,
}

# A 14 x 4 rank table with Demšar's column means 44/14, 28/14, 40.5/14, 27.5/14
DEMSAR_RANKS = np.array(
    [
        [2.5, 2.5, 4.0, 1.0],
        [2.0, 3.0, 4.0, 1.0],
        [2.0, 2.0, 2.0, 4.0],
        [4.0, 3.0, 2.0, 1.0],
        [3.0, 1.5, 1.5, 4.0],
        [3.0, 1.0, 2.0, 4.0],
        [4.0, 1.5, 3.0, 1.5],
        [2.0, 4.0, 3.0, 1.0],
        [4.0, 1.0, 3.0, 2.0],
        [4.0, 3.0, 2.0, 1.0],
        [3.0, 2.0, 4.0, 1.0],
        [3.0, 1.5, 4.0, 1.5],
        [3.5, 1.0, 3.5, 2.0],
        [4.0, 1.0, 2.5, 2.5],
    ]
)


@pytest.mark.parametrize("k", sorted(DEMSAR_Q005))
def test_nemenyi_cd_matches_published_q(k):
    N = 7
    expected = DEMSAR_Q005[k] * np.sqrt(k * (k + 1) / (6 * N))
    assert nemenyi_critical_difference(k, N) == pytest.approx(expected, abs=2e-3)
    expected10 = DEMSAR_Q010[k] * np.sqrt(k * (k + 1) / (6 * N))
    assert nemenyi_critical_difference(k, N, alpha=0.10) == pytest.approx(expected10, abs=2e-3)


def test_demsar_worked_example():
    scores = -DEMSAR_RANKS  # higher score = better = lower rank
    res = critical_difference(scores, ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"])
    np.testing.assert_allclose(res.ranks, DEMSAR_RANKS)
    np.testing.assert_allclose(res.mean_ranks, [3.143, 2.000, 2.893, 1.964], atol=5e-4)
    assert res.friedman.statistic == pytest.approx(9.28, abs=5e-3)
    assert res.friedman.f_statistic == pytest.approx(3.69, abs=5e-3)
    assert res.cd == pytest.approx(1.25, abs=5e-3)
    # Demšar: C4.5+m+cf (1.964) and C4.5 (3.143) differ by 1.179 < 1.25: not significant
    assert not res.significant.any()
    assert res.cliques == [[3, 1, 2, 0]]
    # with alpha = 0.10 the CD is 1.12 (Demšar) and that pair, and C4.5+m vs C4.5, differ
    res10 = critical_difference(scores, test="nemenyi", alpha=0.10)
    assert res10.cd == pytest.approx(1.12, abs=5e-3)
    assert res10.significant[0, 3] and res10.significant[0, 1]
    assert not res10.significant[0, 2]


def test_mean_ranks_hand_computation():
    acc = np.array(
        [
            [0.90, 0.85, 0.85],  # ranks 1, 2.5, 2.5
            [0.70, 0.80, 0.60],  # ranks 2, 1, 3
            [0.99, 0.99, 0.99],  # ranks 2, 2, 2
            [0.50, 0.60, 0.70],  # ranks 3, 2, 1
        ]
    )
    R = rank_scores(acc)
    np.testing.assert_array_equal(R, [[1, 2.5, 2.5], [2, 1, 3], [2, 2, 2], [3, 2, 1]])
    res = critical_difference(acc, ["a", "b", "c"])
    np.testing.assert_allclose(res.mean_ranks, [8 / 4, 7.5 / 4, 8.5 / 4])
    assert list(res.order) == [1, 0, 2]
    # CD for k = 3, N = 4 from the published q = 2.343
    assert res.cd == pytest.approx(2.343 * np.sqrt(3 * 4 / 24), abs=1e-3)
    # errors: lower is better reverses the ranks
    np.testing.assert_array_equal(rank_scores(1 - acc, higher_is_better=False), R)


def test_friedman_against_scipy_without_ties():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(12, 5)) + np.arange(5) * 0.4
    res = friedman_test(rank_scores(scores))
    ref = stats.friedmanchisquare(*scores.T)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.pvalue == pytest.approx(ref.pvalue)


def test_holm_hand_computation():
    # m = 4: sorted p 0.01 <= 0.05/4 rejected; 0.03 > 0.05/3 stop
    assert holm_correction([0.01, 0.04, 0.03, 0.2]).tolist() == [True, False, False, False]
    # 0.001 <= 0.0125, 0.012 <= 0.01667, 0.02 <= 0.025, 0.06 > 0.05
    assert holm_correction([0.06, 0.012, 0.001, 0.02]).tolist() == [False, True, True, True]


def test_wilcoxon_holm_cliques():
    """Method A beats B and C on every one of 12 data sets, B and C tie in sign."""
    rng = np.random.default_rng(0)
    base = rng.uniform(0.6, 0.8, size=12)
    b_c = rng.normal(scale=0.01, size=12)
    scores = np.column_stack([base + 0.1, base + b_c, base - b_c])
    res = critical_difference(scores, ["A", "B", "C"], test="wilcoxon-holm")
    assert res.cd is None
    # exact two-sided Wilcoxon p for 12 of 12 positive differences: 2 / 2**12
    assert res.pvalues[0, 1] == pytest.approx(2 / 2**12)
    assert res.significant[0, 1] and res.significant[0, 2] and not res.significant[1, 2]
    assert [sorted(c) for c in res.cliques] == [[1, 2]]


def test_cliques_are_maximal_runs():
    # mean ranks 1, 2, 3, 4 on N datasets chosen so that CD ~ 1.5: runs {1,2}, {2,3}, {3,4}
    scores = -np.tile([1.0, 2.0, 3.0, 4.0], (13, 1))
    res = critical_difference(scores)
    assert 1 < res.cd < 2
    assert res.cliques == [[0, 1], [1, 2], [2, 3]]


def test_bad_inputs():
    with pytest.raises(ValueError, match="2-D"):
        critical_difference([1, 2, 3])
    with pytest.raises(ValueError, match="at least 2 methods"):
        critical_difference([[1.0], [2.0]])
    with pytest.raises(ValueError, match="NaN"):
        critical_difference([[1.0, np.nan], [2.0, 1.0]])
    with pytest.raises(ValueError, match="test must be"):
        critical_difference([[1.0, 2.0]], test="t-test")
    with pytest.raises(ValueError, match="names"):
        critical_difference([[1.0, 2.0]], ["a"])


def test_dataframe_input_and_plots():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from sklearn_geom.plotting import plot_accuracy_scatter, plot_critical_difference

    df = pd.DataFrame(-DEMSAR_RANKS, columns=["w", "x", "y", "z"])
    res = critical_difference(df)
    assert res.method_names == ["w", "x", "y", "z"]
    ax = plot_critical_difference(res)
    texts = [t.get_text() for t in ax.texts]
    assert "CD = 1.25" in texts and any(t.startswith("z (1.96") for t in texts)
    ax2 = plot_critical_difference(df, test="wilcoxon-holm")
    assert "Wilcoxon-Holm" in ax2.get_title()
    ax3 = plot_accuracy_scatter(
        [0.9, 0.8, 0.7], [0.95, 0.8, 0.6], labels=("A", "B"), dataset_names=["d1", "d2", "d3"]
    )
    texts = [t.get_text() for t in ax3.texts]
    assert "B better: 1" in texts and "A better: 1" in texts and "ties: 1" in texts
    with pytest.raises(ValueError, match="equal length"):
        plot_accuracy_scatter([0.9], [0.8, 0.7])
    plt.close("all")
