"""Numba kernels for ROCKET and the shared series layout (plain arrays in, arrays out).

A collection of ``n`` series with ``C`` channels is passed as one flat array ``data`` with
``offsets`` (int64, ``n``) and ``lengths`` (int64, ``n``): channel ``c`` of series ``i`` is
``data[offsets[i] + c * lengths[i] : offsets[i] + (c + 1) * lengths[i]]``.  A C-contiguous
``(n, C, T)`` array raveled is exactly this layout (``offsets = arange(n) * C * T``), so equal
length input needs no copy.  Kernels never write into ``data``.
"""

import numpy as np
from numba import njit, prange


@njit(parallel=True, cache=True)
def znormalise(data, offsets, lengths, n_channels, out_dtype_probe):
    """Z-normalise every channel of every series (population std).

    A channel whose standard deviation is <= 1e-12 times its largest absolute value
    (a constant series, up to rounding) becomes all zeros.  Returns a new flat array of
    the dtype of ``out_dtype_probe``.
    """
    out = np.empty(data.shape[0], dtype=out_dtype_probe.dtype)
    n = lengths.shape[0]
    for i in prange(n):
        T = lengths[i]
        for c in range(n_channels):
            s = offsets[i] + c * T
            mean = 0.0
            amax = 0.0
            for t in range(T):
                v = np.float64(data[s + t])
                mean += v
                if abs(v) > amax:
                    amax = abs(v)
            mean /= T
            var = 0.0
            for t in range(T):
                dv = np.float64(data[s + t]) - mean
                var += dv * dv
            std = np.sqrt(var / T)
            if std <= 1e-12 * amax or std == 0.0:
                for t in range(T):
                    out[s + t] = 0.0
            else:
                inv = 1.0 / std
                for t in range(T):
                    out[s + t] = (np.float64(data[s + t]) - mean) * inv
    return out


@njit(parallel=True, fastmath=True, cache=True)
def rocket_transform(
    data,
    offsets,
    lengths,
    weights,
    weight_offsets,
    kernel_lengths,
    channel_counts,
    channel_indices,
    channel_offsets,
    biases,
    dilations,
    paddings,
    kernel_ids,
    columns,
    n_out,
):
    """Apply ROCKET kernels ``kernel_ids`` to every series; PPV and max pooling.

    ``columns`` has shape ``(n_kernels, 2)``: output column of the PPV and of the max of
    each kernel, or -1 when that feature is not wanted.  The convolution of one kernel is
    accumulated weight by weight into a buffer over the output positions: for each weight
    the range of positions whose input index lies inside the series is computed once, so
    the inner loop has no bounds test and vectorises.  Positions outside the series
    (padding) contribute zero.  A series shorter than the kernel's receptive field is
    treated as zero-extended at its end to that field (one output position).
    """
    n = lengths.shape[0]
    out = np.zeros((n, n_out), dtype=biases.dtype)
    # buffer size: the longest output over series and kernels
    max_pad = 0
    for jj in range(kernel_ids.shape[0]):
        if paddings[kernel_ids[jj]] > max_pad:
            max_pad = paddings[kernel_ids[jj]]
    max_len = 1
    for i in range(n):
        if lengths[i] > max_len:
            max_len = lengths[i]
    buf_size = max_len + 2 * max_pad + 1
    for i in prange(n):
        T = lengths[i]
        base = offsets[i]
        buf = np.empty(buf_size, dtype=biases.dtype)
        for jj in range(kernel_ids.shape[0]):
            k = kernel_ids[jj]
            L = kernel_lengths[k]
            d = dilations[k]
            p = paddings[k]
            b = biases[k]
            out_len = T + 2 * p - (L - 1) * d
            if out_len < 1:
                out_len = 1
            for t in range(out_len):
                buf[t] = b
            w0 = weight_offsets[k]
            c0 = channel_offsets[k]
            for c in range(channel_counts[k]):
                xs = base + channel_indices[c0 + c] * T
                for m in range(L):
                    w = weights[w0 + c * L + m]
                    shift = m * d - p  # input index = t + shift
                    lo = -shift if shift < 0 else 0
                    hi = T - shift
                    if hi > out_len:
                        hi = out_len
                    if hi <= lo:
                        continue
                    # slices indexed from 0: numba then knows the index is non-negative,
                    # drops its wraparound test and LLVM vectorises the loop
                    bv = buf[lo:hi]
                    xv = data[xs + lo + shift : xs + hi + shift]
                    for t in range(hi - lo):
                        bv[t] += w * xv[t]
            count = 0
            mx = buf[0]
            for t in range(out_len):
                v = buf[t]
                if v > 0:
                    count += 1
                if v > mx:
                    mx = v
            if columns[k, 0] >= 0:
                out[i, columns[k, 0]] = count / out_len
            if columns[k, 1] >= 0:
                out[i, columns[k, 1]] = mx
    return out
