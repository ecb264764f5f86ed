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
