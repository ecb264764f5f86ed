"""Numba kernels for ROCKET and the shared series layout (plain arrays in, arrays out).

A collection of ``n`` series with ``C`` channels is passed as one flat array ``data`` with
``offsets`` (int64, ``n``) and ``lengths`` (int64, ``n``): channel ``c`` of series ``i`` is
``data[offsets[i] + c * lengths[i] : offsets[i] + (c + 1) * lengths[i]]``.  A C-contiguous
``(n, C, T)`` array raveled is exactly this layout (``offsets = arange(n) * C * T``), so equal
length input needs no copy.  Kernels never write into ``data``.
"""

import numpy as np
from numba import njit, prange, types
from numba.extending import overload

_BLOCK = 32


# --- max reduction on order-preserving integer keys ------------------------------------
# numba does not vectorise a float max reduction (its max keeps Python's NaN semantics),
# but it vectorises an integer one.  For IEEE floats, key(x) = x ^ ((x >> (bits-1)) & M),
# with M all ones but the sign bit, orders like the floats themselves (NaN excluded: the
# input is checked finite) and is its own inverse.


def int_view(a):  # pragma: no cover - replaced by the overload in compiled code
    return a.view(np.int32 if a.dtype == np.float32 else np.int64)


@overload(int_view)
def _ol_int_view(a):
    if a.dtype == types.float32:
        return lambda a: a.view(np.int32)
    return lambda a: a.view(np.int64)


def max_key(iv, n):  # pragma: no cover - replaced by the overload in compiled code
    raise NotImplementedError


@overload(max_key, jit_options=dict(fastmath=True))
def _ol_max_key(iv, n):
    if iv.dtype == types.int32:

        def impl(iv, n):
            m = np.int32(0x7FFFFFFF)
            best = np.int32(-2147483648)
            for t in range(n):
                x = iv[t]
                best = max(best, x ^ ((x >> np.int32(31)) & m))
            return best ^ ((best >> np.int32(31)) & m)

        return impl

    def impl(iv, n):
        m = np.int64(0x7FFFFFFFFFFFFFFF)
        best = np.int64(-0x8000000000000000)
        for t in range(n):
            x = iv[t]
            best = max(best, x ^ ((x >> np.int64(63)) & m))
        return best ^ ((best >> np.int64(63)) & m)

    return impl


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
    n_channels,
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
    each kernel, or -1 when that feature is not wanted.

    Each series is first copied into a zero-filled buffer with room for the largest
    padding on the left and the longest receptive field on the right, so that the
    convolution needs no bounds test at all: the zeros are the kernels' padding (and the
    zero-extension of a series shorter than a kernel's receptive field, which then has
    one output position).  The convolution of one kernel is accumulated weight by weight
    over the output positions, rounded up to a multiple of 32: every inner loop is a
    0-based contiguous loop without scalar remainder, which LLVM vectorises.  The extra
    positions are set below zero before pooling.
    """
    n = lengths.shape[0]
    out = np.zeros((n, n_out), dtype=biases.dtype)
    off = 0
    max_span = 0
    for jj in range(kernel_ids.shape[0]):
        k = kernel_ids[jj]
        off = max(off, paddings[k])
        max_span = max(max_span, (kernel_lengths[k] - 1) * dilations[k])
    max_T = 1
    for i in range(n):
        max_T = max(max_T, lengths[i])
    xl = max(max_T + 2 * off, max_span + off) + 2 * _BLOCK
    # a value far below zero, typed like the biases (a float64 would widen the loops)
    low = np.full(1, np.finfo(biases.dtype).min / 2, dtype=biases.dtype)[0]
    for i in prange(n):
        T = lengths[i]
        base = offsets[i]
        xpad = np.zeros((n_channels, xl), dtype=biases.dtype)
        for c in range(n_channels):
            xs = data[base + c * T : base + (c + 1) * T]
            row = xpad[c, off : off + T]
            for t in range(T):
                row[t] = xs[t]
        buf = np.empty(xl, dtype=biases.dtype)
        buf_keys = int_view(buf)
        scratch = np.zeros(1, dtype=biases.dtype)
        scratch_keys = int_view(scratch)
        for jj in range(kernel_ids.shape[0]):
            k = kernel_ids[jj]
            L = kernel_lengths[k]
            d = dilations[k]
            p = paddings[k]
            b = biases[k]
            out_len = T + 2 * p - (L - 1) * d
            if out_len < 1:
                out_len = 1
            npad = ((out_len + _BLOCK - 1) // _BLOCK) * _BLOCK
            bv = buf[:npad]
            w0 = weight_offsets[k]
            c0 = channel_offsets[k]
            for c in range(channel_counts[k]):
                xrow = xpad[channel_indices[c0 + c]]
                for m in range(L):
                    w = weights[w0 + c * L + m]
                    s0 = off - p + m * d  # buffer index of input t + m * d - p, at t = 0
                    xv = xrow[s0 : s0 + npad]
                    if c == 0 and m == 0:
                        for t in range(npad):
                            bv[t] = b + w * xv[t]
                    else:
                        for t in range(npad):
                            bv[t] += w * xv[t]
            tail = buf[out_len:npad]
            for t in range(tail.shape[0]):
                tail[t] = low
            zero = b - b
            if npad < 16_000_000:
                count = zero  # float counter of the biases' dtype: 8 lanes, exact here
                for t in range(npad):
                    count += bv[t] > zero
                ppv = count / out_len
            else:
                n_pos = 0
                for t in range(npad):
                    if bv[t] > zero:
                        n_pos += 1
                ppv = n_pos / out_len
            scratch_keys[0] = max_key(buf_keys, npad)  # bits of the max
            mx = scratch[0]
            if columns[k, 0] >= 0:
                out[i, columns[k, 0]] = ppv
            if columns[k, 1] >= 0:
                out[i, columns[k, 1]] = mx
    return out
