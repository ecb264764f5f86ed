"""Kernel generation (numpy, from one RandomState) shared by the three ROCKET variants."""

from itertools import combinations

import numpy as np

from ._minirocket_numba import first_difference, mini_fit_biases

# The 84 MiniRocket kernels: positions of the three weights +2 among the nine.
MINIROCKET_INDICES = np.array(list(combinations(range(9), 3)), dtype=np.int64)

_GOLDEN = (np.sqrt(5.0) + 1.0) / 2.0


def generate_rocket_kernels(n_kernels, n_timepoints, n_channels, rng):
    """Draw ``n_kernels`` ROCKET kernels (Dempster et al. 2020) for series of length
    ``n_timepoints`` with ``n_channels`` channels.

    length ~ U{7, 9, 11}; weights N(0, 1) mean-centred (per channel); bias ~ U(-1, 1);
    dilation = floor(2^U(0, A)) with A = log2((T - 1) / (length - 1)) (A clipped at 0 for
    series shorter than the kernel, so dilation >= 1); padding (length - 1) * dilation // 2
    with probability 1/2, else 0; channels: floor(2^U(0, log2(min(C, length) + 1))) distinct
    channels drawn uniformly.
    """
    lengths = rng.choice(np.array([7, 9, 11], dtype=np.int64), n_kernels)
    if n_channels == 1:
        counts = np.ones(n_kernels, dtype=np.int64)
    else:
        limit = np.minimum(n_channels, lengths)
        counts = np.floor(2.0 ** rng.uniform(0.0, np.log2(limit + 1.0))).astype(np.int64)
        counts = np.clip(counts, 1, limit)
    seg_len = np.repeat(lengths, counts)
    weights = rng.standard_normal(int(seg_len.sum()))
    seg_start = np.zeros(seg_len.shape[0], dtype=np.int64)
    np.cumsum(seg_len[:-1], out=seg_start[1:])
    means = np.add.reduceat(weights, seg_start) / seg_len
    weights -= np.repeat(means, seg_len)
    weight_offsets = np.zeros(n_kernels, dtype=np.int64)
    np.cumsum((lengths * counts)[:-1], out=weight_offsets[1:])
    channel_offsets = np.zeros(n_kernels, dtype=np.int64)
    np.cumsum(counts[:-1], out=channel_offsets[1:])
    if n_channels == 1:
        channels = np.zeros(n_kernels, dtype=np.int64)
    else:
        channels = np.concatenate(
            [rng.choice(n_channels, c, replace=False) for c in counts]
        ).astype(np.int64)
    biases = rng.uniform(-1.0, 1.0, n_kernels)
    with np.errstate(divide="ignore"):
        upper = np.log2(max(n_timepoints - 1, 0) / (lengths - 1.0))
    upper = np.maximum(upper, 0.0)
    dilations = np.floor(2.0 ** rng.uniform(0.0, upper)).astype(np.int64)
    dilations = np.maximum(dilations, 1)
    padded = rng.randint(2, size=n_kernels) == 1
    paddings = np.where(padded, ((lengths - 1) * dilations) // 2, 0).astype(np.int64)
    return dict(
        lengths=lengths,
        weights=weights,
        weight_offsets=weight_offsets,
        biases=biases,
        dilations=dilations,
        paddings=paddings,
        channel_counts=counts,
        channel_indices=channels,
        channel_offsets=channel_offsets,
    )


def fit_dilations(n_timepoints, n_features, max_dilations_per_kernel):
    """MiniRocket dilations and number of features (biases) per dilation.

    ``n_features // 84`` features per kernel (at least 1), spread over at most
    ``max_dilations_per_kernel`` dilations ``floor(2^e)`` with ``e`` evenly spaced in
    ``[0, log2((T - 1) / 8)]`` (exponent clipped at 0 for series shorter than 9).
    """
    per_kernel = max(1, n_features // 84)
    true_max = min(per_kernel, max_dilations_per_kernel)
    multiplier = per_kernel / true_max
    if n_timepoints > 9:
        max_exponent = np.log2((n_timepoints - 1) / 8.0)
    else:
        max_exponent = 0.0
    dilations, counts = np.unique(
        np.logspace(0, max_exponent, true_max, base=2).astype(np.int32), return_counts=True
    )
    per_dilation = (counts * multiplier).astype(np.int32)
    remainder = per_kernel - int(per_dilation.sum())
    i = 0
    while remainder > 0:
        per_dilation[i] += 1
        remainder -= 1
        i = (i + 1) % len(per_dilation)
    return dilations.astype(np.int64), per_dilation.astype(np.int64)


def quantiles(n):
    """Low-discrepancy quantile sequence ``(k * golden ratio) mod 1``, k = 1..n (float32)."""
    return ((np.arange(1, n + 1, dtype=np.float64) * _GOLDEN) % 1).astype(np.float32)


def fit_minirocket(coll, n_features, max_dilations_per_kernel, rng, dtype):
    """Fit MiniRocket parameters (dilations, channel combinations, biases) on ``coll``.

    The reference length for the dilations is the longest series.  One random training
    example per (dilation, kernel) combination is drawn from ``rng`` for the biases.
    """
    T = int(coll.lengths.max())
    C = coll.n_channels
    dilations, per_dilation = fit_dilations(T, n_features, max_dilations_per_kernel)
    n_comb = 84 * len(dilations)
    if C == 1:
        counts = np.ones(n_comb, dtype=np.int64)
        channels = np.zeros(n_comb, dtype=np.int64)
    else:
        max_exp = np.log2(min(C, 9) + 1.0)
        counts = np.floor(2.0 ** rng.uniform(0.0, max_exp, n_comb)).astype(np.int64)
        counts = np.clip(counts, 1, min(C, 9))
        channels = np.concatenate([rng.choice(C, c, replace=False) for c in counts])
        channels = channels.astype(np.int64)
    offsets = np.zeros(n_comb, dtype=np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    examples = rng.randint(coll.n_series, size=n_comb).astype(np.int64)
    q = quantiles(84 * int(per_dilation.sum()))
    biases = mini_fit_biases(
        coll.data,
        coll.offsets,
        coll.lengths,
        C,
        MINIROCKET_INDICES,
        dilations,
        per_dilation,
        counts,
        channels,
        offsets,
        examples,
        q.astype(np.float64),
        np.zeros(1, dtype=dtype),
    )
    return dict(
        dilations=dilations,
        n_features_per_dilation=per_dilation,
        biases=biases,
        channel_counts=counts,
        channel_indices=channels,
        channel_offsets=offsets,
    )


def difference_collection(coll):
    """First-difference collection (length ``T - 1``; a length-1 series gives one zero)."""
    from ._input import SeriesCollection

    new_lengths = np.maximum(coll.lengths - 1, 1)
    new_offsets = np.zeros_like(coll.offsets)
    np.cumsum(new_lengths[:-1] * coll.n_channels, out=new_offsets[1:])
    data = first_difference(
        coll.data, coll.offsets, coll.lengths, coll.n_channels, new_offsets, new_lengths
    )
    return SeriesCollection(data, new_offsets, new_lengths, coll.n_channels, coll.layout)
