"""Numba kernels for MiniRocket and MultiRocket (plain arrays in, arrays out).

Series layout as in :mod:`._rocket_numba`.  The 84 MiniRocket kernels have length 9, weight
-1 everywhere and +2 at three of the nine positions (``indices``).  For a dilation ``d`` the
convolution is computed as in Dempster et al. (2021): ``A = -sum_j x_j`` and
``G_j = 3 x_j`` where ``x_j`` is the series shifted by ``(j - 4) d`` ("same" zero padding),
and ``C = A + G_a + G_b + G_c``; for several channels the per-channel ``C`` are summed.
"""

import numpy as np
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic


@njit(fastmath=True, cache=True)
def _fill_alpha_gamma(data, start, T, d, A, G, row):
    """A[row] = -(sum of the 9 shifted copies), G[j, row] = 3 * copy j (zeros outside).

    The additions follow the order of the reference implementation (centre, then shifts
    -4d..-d, then d..4d) so that results agree to the last bit where possible.  All loops
    run over 0-based slices so that numba drops its negative-index test and LLVM
    vectorises them.
    """
    x = data[start : start + T]
    a = A[row]
    g4 = G[4, row]
    for t in range(T):
        v = x[t]
        a[t] = -v
        g4[t] = v + v + v
    for j in range(9):
        if j == 4:
            continue
        g = G[j, row]
        shift = (j - 4) * d  # copy j at position t is x[t + shift]
        if shift < 0:
            lo = min(-shift, T)
            hi = T
        else:
            lo = 0
            hi = max(T - shift, 0)
        n = hi - lo
        gz = g[:lo]
        for t in range(gz.shape[0]):
            gz[t] = 0.0
        gz = g[hi:]
        for t in range(gz.shape[0]):
            gz[t] = 0.0
        if n > 0:
            av = a[lo:hi]
            gv = g[lo:hi]
            xv = x[lo + shift : hi + shift]
            for t in range(n):
                v = xv[t]
                av[t] -= v
                gv[t] = v + v + v


@njit(fastmath=True, cache=True)
def _combine(A, G, a, b, c, chans, c0, cnt, T, C):
    r = chans[c0]
    ar = A[r]
    ga = G[a, r]
    gb = G[b, r]
    gc = G[c, r]
    for t in range(T):
        C[t] = ar[t] + ga[t] + gb[t] + gc[t]
    for q in range(1, cnt):
        r = chans[c0 + q]
        ar = A[r]
        ga = G[a, r]
        gb = G[b, r]
        gc = G[c, r]
        for t in range(T):
            C[t] += ar[t] + ga[t] + gb[t] + gc[t]


@intrinsic
def _cttz(typingctx, x):
    """Trailing zero bits of a uint64 (LLVM ``cttz``; 64 for 0)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.cttz(args[0], cgutils.false_bit)

    return sig, codegen


@intrinsic
def _ctlz(typingctx, x):
    """Leading zero bits of a uint64 (LLVM ``ctlz``; 64 for 0)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.ctlz(args[0], cgutils.false_bit)

    return sig, codegen


@intrinsic
def _popcount(typingctx, x):
    """Set bits of a uint64 (LLVM ``ctpop``)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return sig, codegen


_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_WORD = 64


@njit(fastmath=True, cache=True)
def _pools(C, lo, n, bias, res):
    """PPV, LSPV, MPV, MIPV of ``C[lo:lo + n] - bias`` into res[0:4] (Tan et al. 2022).

    ``C[lo + n:]`` up to the next multiple of 64 positions holds a value below every bias.
    One pass in words of 64 positions: a vectorised loop gives the word's count, sum of
    ``C - bias`` and sum of indices over positive positions and packs the positives into
    a 64-bit mask; the longest stretch of positives is then found on the masks with bit
    operations (runs crossing words are carried, runs inside a word are measured only
    when the word holds more positives than the longest stretch so far).  The sums are
    exact in the word (at most 64 counts, indices below 2**11) and the sums of ``C -
    bias`` per word are added in float64.
    """
    one = np.uint64(1)
    zero = bias - bias  # 0 in the dtype of C
    f0 = np.float32(0.0)
    count = 0.0
    total = 0.0
    idx = 0.0
    cur = np.uint64(0)  # stretch of positives running into the current word
    longest = np.uint64(0)
    for w0 in range(0, n, _WORD):
        cv = C[lo + w0 : lo + w0 + _WORD]
        w = np.uint64(0)
        cnt = f0
        tot = zero
        ix = f0
        for t in range(_WORD):  # a constant trip count: fully vectorised, no remainder loop
            z = cv[t] - bias
            p = z > 0
            cnt += p
            tot += z if p else zero
            ix += np.float32(t) if p else f0
            w |= np.uint64(p) << np.uint64(t)
        count += cnt
        total += tot
        idx += ix + cnt * w0
        if w == _ALL:
            cur += np.uint64(_WORD)
            continue
        # bit t of w is position w0 + t; the padding of a last partial word gives zeros
        tz = _cttz(~w)  # positives at the start of the word, continuing ``cur``
        longest = max(longest, cur + tz)
        lead = _ctlz(~w)  # positives at the end of the word, running into the next
        inner = (w & (_ALL >> lead)) >> tz
        if _popcount(inner) > longest:
            k = np.uint64(0)
            while inner:  # after k steps a bit survives iff a stretch of > k ones exists
                inner &= inner >> one
                k += one
            longest = max(longest, k)
        cur = lead
    longest = max(longest, cur)
    res[0] = count / n
    res[1] = longest
    if count > 0:
        res[2] = total / count
        res[3] = idx / count
    else:
        res[2] = 0.0
        res[3] = -1.0


_BLOCK = 64  # padding of C: a multiple of the 64-position words of _pools


@njit(fastmath=True, cache=True)
def _count_above_long(C, lo, hi, bias):
    count = 0
    for t in range(lo, hi):
        if C[t] > bias:
            count += 1
    return count


@njit(parallel=True, fastmath=True, cache=True)
def mini_transform(
    data,
    offsets,
    lengths,
    n_channels,
    indices,
    dilations,
    n_features_per_dilation,
    channel_counts,
    channel_indices,
    channel_offsets,
    biases,
    columns,
    multi,
    out,
):
    """Write MiniRocket (``multi=False``: PPV) or MultiRocket (``multi=True``: PPV, LSPV,
    MPV, MIPV) features of every series into ``out`` (an output buffer owned by the caller).

    ``columns`` has shape ``(n_features, 4)`` (one row per kernel/dilation/bias combination,
    one column per pooling operator): the output column, or -1 when not wanted.  Combinations
    without any wanted feature are not computed.  Kernels alternate between "same" padding
    (every position pooled) and no padding (positions ``[4d, T - 4d)`` pooled; all positions
    when the series is too short to have any).
    """
    n = lengths.shape[0]
    n_kernels = indices.shape[0]
    n_dil = dilations.shape[0]
    n_pools = 4 if multi else 1
    # which (dilation, kernel) combinations are needed
    n_comb = n_dil * n_kernels
    need = np.zeros(n_comb, dtype=np.bool_)
    f = 0
    comb = 0
    for di in range(n_dil):
        for _k in range(n_kernels):
            for _q in range(n_features_per_dilation[di]):
                for p in range(n_pools):
                    if columns[f, p] >= 0:
                        need[comb] = True
                f += 1
            comb += 1
    for i in prange(n):
        T = lengths[i]
        base = offsets[i]
        A = np.empty((n_channels, T), dtype=out.dtype)
        G = np.empty((9, n_channels, T), dtype=out.dtype)
        C = np.empty(T + _BLOCK, dtype=out.dtype)
        low = np.finfo(out.dtype).min / 2  # below every bias; C - bias stays finite
        res = np.zeros(4, dtype=np.float64)
        f_start = 0
        comb = 0
        for di in range(n_dil):
            d = dilations[di]
            nf = n_features_per_dilation[di]
            pad = 4 * d
            any_need = False
            for k in range(n_kernels):
                if need[comb + k]:
                    any_need = True
            if any_need:
                for r in range(n_channels):
                    _fill_alpha_gamma(data, base + r * T, T, d, A, G, r)
            for k in range(n_kernels):
                if need[comb]:
                    _combine(
                        A,
                        G,
                        indices[k, 0],
                        indices[k, 1],
                        indices[k, 2],
                        channel_indices,
                        channel_offsets[comb],
                        channel_counts[comb],
                        T,
                        C,
                    )
                    lo = 0
                    hi = T
                    if (di + k) % 2 == 1 and T - 2 * pad > 0:
                        lo = pad
                        hi = T - pad
                    n_pos = hi - lo
                    block = _WORD if multi else 32  # PPV alone: padding to 32 is enough
                    npad = ((n_pos + block - 1) // block) * block
                    for t in range(hi, lo + npad):
                        C[t] = low
                    if not multi:
                        orow = out[i]
                        cv = C[lo : lo + npad]
                        for q in range(nf):
                            fi = f_start + q
                            col = columns[fi, 0]
                            if col < 0:
                                continue
                            b = biases[fi]
                            if n_pos < 16_000_000:
                                cnt = b - b  # float counter, exact below 2**24
                                for t in range(npad):
                                    cnt += cv[t] > b
                                orow[col] = cnt / n_pos
                            else:
                                orow[col] = _count_above_long(C, lo, hi, b) / n_pos
                        f_start += nf
                        comb += 1
                        continue
                    for q in range(nf):
                        fi = f_start + q
                        wanted = False
                        for p in range(n_pools):
                            if columns[fi, p] >= 0:
                                wanted = True
                        if not wanted:
                            continue
                        _pools(C, lo, n_pos, biases[fi], res)
                        for p in range(n_pools):
                            if columns[fi, p] >= 0:
                                out[i, columns[fi, p]] = res[p]
                f_start += nf
                comb += 1


@njit(cache=True)
def _select_ranks(a, ks):
    """Reorder ``a`` in place so that ``a[k]`` is its k-th smallest value for every k of
    ``ks`` (sorted, unique): a quickselect with three-way partitions (robust to the many
    equal values of flat series) that descends only into parts holding a wanted rank.
    The values at ``ks`` are those of a full sort."""
    nk = ks.shape[0]
    if nk == 0:
        return
    # pending parts hold disjoint, non-empty sets of ranks: at most nk of them
    stack = np.empty((nk + 1, 4), dtype=np.int64)
    stack[0, 0] = 0
    stack[0, 1] = a.shape[0]
    stack[0, 2] = 0
    stack[0, 3] = nk
    top = 1
    rounds = 0
    while top > 0:
        top -= 1
        lo = stack[top, 0]
        hi = stack[top, 1]
        klo = stack[top, 2]
        khi = stack[top, 3]
        while hi - lo > 16 and klo < khi:
            rounds += 1
            if rounds > 64 * nk + 64:  # bad pivots: finish this part with a sort
                a[lo:hi].sort()
                klo = khi
                break
            mid = (lo + hi - 1) // 2
            x = a[lo]
            y = a[mid]
            z = a[hi - 1]
            if x > y:
                x, y = y, x
            if y > z:
                y = z
                if x > y:
                    y = x
            pivot = y  # median of three
            # [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot
            lt = lo
            i = lo
            gt = hi
            while i < gt:
                v = a[i]
                if v < pivot:
                    a[i] = a[lt]
                    a[lt] = v
                    lt += 1
                    i += 1
                elif v > pivot:
                    gt -= 1
                    a[i] = a[gt]
                    a[gt] = v
                else:
                    i += 1
            m1 = klo  # ranks [klo, m1) lie left, [m1, m2) on the pivot, [m2, khi) right
            while m1 < khi and ks[m1] < lt:
                m1 += 1
            m2 = m1
            while m2 < khi and ks[m2] < gt:
                m2 += 1
            if m2 < khi:
                stack[top, 0] = gt
                stack[top, 1] = hi
                stack[top, 2] = m2
                stack[top, 3] = khi
                top += 1
            hi = lt
            khi = m1
        if klo < khi:
            for i in range(lo + 1, hi):  # insertion sort of a small part
                v = a[i]
                j = i - 1
                while j >= lo and a[j] > v:
                    a[j + 1] = a[j]
                    j -= 1
                a[j + 1] = v


@njit(parallel=True, fastmath=True, cache=True)
def mini_fit_biases(
    data,
    offsets,
    lengths,
    n_channels,
    indices,
    dilations,
    n_features_per_dilation,
    channel_counts,
    channel_indices,
    channel_offsets,
    examples,
    quantiles,
    out_probe,
):
    """Biases: quantiles of the convolution output (all positions) of one training example
    per (dilation, kernel) combination (``examples``, drawn by the caller)."""
    n_kernels = indices.shape[0]
    n_dil = dilations.shape[0]
    n_comb = n_dil * n_kernels
    f_starts = np.zeros(n_comb, dtype=np.int64)
    total = 0
    for di in range(n_dil):
        for k in range(n_kernels):
            f_starts[di * n_kernels + k] = total
            total += n_features_per_dilation[di]
    biases = np.zeros(total, dtype=out_probe.dtype)
    for comb in prange(n_comb):
        di = comb // n_kernels
        k = comb - di * n_kernels
        d = dilations[di]
        i = examples[comb]
        T = lengths[i]
        base = offsets[i]
        A = np.empty((n_channels, T), dtype=out_probe.dtype)
        G = np.empty((9, n_channels, T), dtype=out_probe.dtype)
        C = np.empty(T, dtype=out_probe.dtype)
        c0 = channel_offsets[comb]
        for q in range(channel_counts[comb]):
            r = channel_indices[c0 + q]
            _fill_alpha_gamma(data, base + r * T, T, d, A, G, r)
        _combine(
            A,
            G,
            indices[k, 0],
            indices[k, 1],
            indices[k, 2],
            channel_indices,
            c0,
            channel_counts[comb],
            T,
            C,
        )
        nf = n_features_per_dilation[di]
        ks = np.empty(2 * nf, dtype=np.int64)
        for q in range(nf):
            v = quantiles[f_starts[comb] + q] * (T - 1)
            lo = min(int(np.floor(v)), T - 1)
            ks[2 * q] = lo
            ks[2 * q + 1] = lo + 1 if lo + 1 < T else T - 1
        # only the order statistics the quantiles need, in C's own dtype (the same values
        # as after a cast to float64 and a full sort)
        _select_ranks(C, np.unique(ks))
        s = C
        for q in range(nf):
            fi = f_starts[comb] + q
            v = quantiles[fi] * (T - 1)
            lo = min(int(np.floor(v)), T - 1)
            hi = lo + 1 if lo + 1 < T else T - 1
            frac = v - lo
            a = np.float64(s[lo])
            b = np.float64(s[hi])
            diff = b - a
            if frac >= 0.5:
                biases[fi] = b - diff * (1.0 - frac)
            else:
                biases[fi] = a + diff * frac
    return biases


@njit(parallel=True, cache=True)
def first_difference(data, offsets, lengths, n_channels, new_offsets, new_lengths):
    """First difference of every channel; a series of length 1 gives one zero."""
    n = lengths.shape[0]
    total = 0
    for i in range(n):
        total += new_lengths[i] * n_channels
    out = np.empty(total, dtype=data.dtype)
    for i in prange(n):
        T = lengths[i]
        U = new_lengths[i]
        for c in range(n_channels):
            s = offsets[i] + c * T
            o = new_offsets[i] + c * U
            if T < 2:
                out[o] = 0.0
            else:
                for t in range(T - 1):
                    out[o + t] = data[s + t + 1] - data[s + t]
    return out
