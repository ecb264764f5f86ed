"""Numba kernels of the SFD ridge path."""

import numpy as np
from numba import njit, prange

_BLOCK = 16  # features per block: rows of X are read 16 doubles (two cache lines) at a time


@njit(cache=True, nogil=True)
def _column_stats(col, n, scale):
    """Mean, scale and constancy of one column (as ``StandardScaler``: population sd)."""
    s = 0.0
    lo = col[0]
    hi = col[0]
    for i in range(n):
        v = col[i]
        s += v
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    mean = s / n
    const = hi == lo
    sd = 1.0
    if scale:
        ss = 0.0
        for i in range(n):
            d = col[i] - mean
            ss += d * d
        sd = np.sqrt(ss / n)
        if sd < 10.0 * np.finfo(np.float64).eps * max(abs(mean), 1.0):
            sd = 1.0
    return mean, sd, const


@njit(parallel=True, cache=True)
def prepare_transposed(X, Xv, scale, center, reflect):
    """Standardised, centred training (and validation) features, one row per feature.

    For every feature ``j`` of ``X`` (``(n, p)``): ``x = (X[:, j] - mean) / sd`` when
    ``scale`` (population sd, 1 for (near-)zero variance, exactly 0 for a constant
    column, as ``StandardScaler`` and the path's standardisation), then ``x -= mean(x)``
    when ``center``; the validation column gets the same affine map.  With ``reflect``
    (requires ``center``) the training row is written in an orthonormal basis of the
    complement of the constant vector: the Householder reflection
    ``P = I - beta v v^T``, ``v = 1 + sqrt(n) e_1``, applied to ``x``, first coordinate
    dropped (``n - 1`` values).  Inputs are not written.

    Returns
    -------
    XT : ndarray of shape (p, n or n - 1)
    XvT : ndarray of shape (p, n_val)
    constant : ndarray of bool of shape (p,)
    """
    n, p = X.shape
    nv = Xv.shape[0]
    off = 1 if reflect else 0
    XT = np.empty((p, n - off))
    XvT = np.empty((p, nv))
    constant = np.zeros(p, dtype=np.bool_)
    sqn = np.sqrt(n)
    beta = 2.0 / (2.0 * n + 2.0 * sqn)  # 2 / (v^T v)
    n_blocks = (p + _BLOCK - 1) // _BLOCK
    for b in prange(n_blocks):
        j0 = b * _BLOCK
        w = min(p, j0 + _BLOCK) - j0
        buf = np.empty((w, n))
        for i in range(n):
            for jj in range(w):
                buf[jj, i] = X[i, j0 + jj]
        vbuf = np.empty((w, nv))
        for i in range(nv):
            for jj in range(w):
                vbuf[jj, i] = Xv[i, j0 + jj]
        for jj in range(w):
            j = j0 + jj
            col = buf[jj]
            mean, sd, const = _column_stats(col, n, scale)
            constant[j] = const
            if scale:
                if const:
                    for i in range(n):
                        col[i] = 0.0
                else:
                    for i in range(n):
                        col[i] = (col[i] - mean) / sd
            xm = 0.0
            if center:
                s = 0.0
                for i in range(n):
                    s += col[i]
                xm = s / n
                for i in range(n):
                    col[i] -= xm
            vcol = vbuf[jj]
            for i in range(nv):
                if scale:
                    v = 0.0 if const else (vcol[i] - mean) / sd
                else:
                    v = vcol[i]
                XvT[j, i] = v - xm
            if reflect:
                s = sqn * col[0]
                for i in range(n):
                    s += col[i]
                s *= beta  # beta * (v^T x)
                for i in range(1, n):
                    XT[j, i - 1] = col[i] - s
            else:
                for i in range(n):
                    XT[j, i] = col[i]
    return XT, XvT, constant


@njit(cache=True, nogil=True)
def move_rows(A, dst, src):
    """``A[dst] = A[src]`` in place (``dst`` and ``src`` disjoint)."""
    m = A.shape[1]
    for r in range(dst.shape[0]):
        d = dst[r]
        s = src[r]
        for c in range(m):
            A[d, c] = A[s, c]


@njit(cache=True, nogil=True)
def hash_words(w, seed, check, m1, m2):
    """A 256-bit fingerprint of the ``uint64`` words ``w``: four independent
    multiply-xorshift lanes (each word enters one lane, with its position), mixed at the
    end.  Not cryptographic; it keys a cache of computations on the user's own data.

    With ``check``, also whether no word holds a non-finite float: a word ``x`` with
    ``x & m1 == m1`` or ``x & m2 == m2`` (the exponent masks of the floats a word holds,
    all exponent bits set meaning inf or NaN), in the same pass.

    Returns
    -------
    digest : ndarray of uint64 of shape (4,)
    finite : bool
    """
    m = np.uint64(0x9E3779B97F4A7C15)
    m2_ = np.uint64(0xBF58476D1CE4E5B9)
    s32 = np.uint64(32)
    s29 = np.uint64(29)
    h0 = np.uint64(seed) ^ np.uint64(0x243F6A8885A308D3)
    h1 = np.uint64(seed) ^ np.uint64(0x13198A2E03707344)
    h2 = np.uint64(seed) ^ np.uint64(0xA4093822299F31D0)
    h3 = np.uint64(seed) ^ np.uint64(0x082EFA98EC4E6C89)
    n = w.shape[0]
    n4 = n - n % 4
    bad = False
    if check and m1 == m2:  # float64: one exponent per word
        for i in range(0, n4, 4):
            x0 = w[i]
            x1 = w[i + 1]
            x2 = w[i + 2]
            x3 = w[i + 3]
            h0 = (h0 ^ x0) * m
            h0 ^= h0 >> s29
            h1 = (h1 ^ x1) * m
            h1 ^= h1 >> s29
            h2 = (h2 ^ x2) * m
            h2 ^= h2 >> s29
            h3 = (h3 ^ x3) * m
            h3 ^= h3 >> s29
            bad |= ((x0 & m1) == m1) | ((x1 & m1) == m1) | ((x2 & m1) == m1) | ((x3 & m1) == m1)
    elif check:
        for i in range(0, n4, 4):
            x0 = w[i]
            x1 = w[i + 1]
            x2 = w[i + 2]
            x3 = w[i + 3]
            h0 = (h0 ^ x0) * m
            h0 ^= h0 >> s29
            h1 = (h1 ^ x1) * m
            h1 ^= h1 >> s29
            h2 = (h2 ^ x2) * m
            h2 ^= h2 >> s29
            h3 = (h3 ^ x3) * m
            h3 ^= h3 >> s29
            bad |= (
                ((x0 & m1) == m1)
                | ((x0 & m2) == m2)
                | ((x1 & m1) == m1)
                | ((x1 & m2) == m2)
                | ((x2 & m1) == m1)
                | ((x2 & m2) == m2)
                | ((x3 & m1) == m1)
                | ((x3 & m2) == m2)
            )
    else:
        for i in range(0, n4, 4):
            h0 = (h0 ^ w[i]) * m
            h0 ^= h0 >> s29
            h1 = (h1 ^ w[i + 1]) * m
            h1 ^= h1 >> s29
            h2 = (h2 ^ w[i + 2]) * m
            h2 ^= h2 >> s29
            h3 = (h3 ^ w[i + 3]) * m
            h3 ^= h3 >> s29
    for i in range(n4, n):
        x0 = w[i]
        h0 = (h0 ^ x0) * m
        h0 ^= h0 >> s29
        if check:
            bad |= ((x0 & m1) == m1) | ((x0 & m2) == m2)
    out = np.empty(4, dtype=np.uint64)
    hs = (h0, h1, h2, h3)
    for k in range(4):
        h = hs[k] ^ np.uint64(n) ^ (hs[(k + 1) % 4] >> s32)
        h = (h ^ (h >> s29)) * m2_
        h ^= h >> s32
        out[k] = h
    return out, not bad


@njit(cache=True, nogil=True)
def select_center(X, idx):
    """``Xc = X[:, idx] - mean`` in float64, the column means and population variances, in
    two passes over the selected columns (rows read in order)."""
    n = X.shape[0]
    m = idx.shape[0]
    out = np.empty((n, m))
    mean = np.zeros(m)
    for i in range(n):
        for k in range(m):
            v = np.float64(X[i, idx[k]])
            out[i, k] = v
            mean[k] += v
    for k in range(m):
        mean[k] /= n
    var = np.zeros(m)
    for i in range(n):
        for k in range(m):
            d = out[i, k] - mean[k]
            out[i, k] = d
            var[k] += d * d
    for k in range(m):
        var[k] /= n
    return out, mean, var


@njit(cache=True, nogil=True)
def select_standardise(X, idx, mean, scale, check):
    """``(X[:, idx] - mean) / scale`` in float64 in one pass over the rows of ``X``, and,
    with ``check``, whether every value of ``X`` (all columns) is finite."""
    n, p = X.shape
    m = idx.shape[0]
    out = np.empty((n, m))
    bad = False
    for i in range(n):
        if check:
            row_bad = False
            for j in range(p):
                v = X[i, j]
                row_bad |= (v != v) | (v == np.inf) | (v == -np.inf)
            bad |= row_bad
        for k in range(m):
            out[i, k] = (np.float64(X[i, idx[k]]) - mean[k]) / scale[k]
    return out, not bad
