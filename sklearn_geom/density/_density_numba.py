"""Numba kernels of the density estimators: k*, kNN and PAk log densities.

All kernels work on the logarithm of the neighbour distances (``log_r``, shape
``(n, K)``, column ``c`` the ``(c + 1)``-th neighbour, self excluded), so that
volumes ``V_d r^d`` are never formed: ``ln V = ln V_d + d ln r`` stays finite at
any intrinsic dimension.  Inputs are never written to.
"""

import numpy as np
from numba import njit, prange

_LN2 = np.log(2.0)


@njit(cache=True, inline="always")
def _log_cosh(y):
    y = abs(y)
    return y + np.log1p(np.exp(-2.0 * y)) - _LN2


@njit(cache=True, parallel=True)
def kstar_kernel(log_r, indices, d, threshold, k_min):
    """Adaptive neighbourhood size k* of every row.

    For ``k = k_min, k_min + 1, ..., K - 1`` the likelihood-ratio statistic
    ``D_k = -2 k [ln V_i + ln V_j - 2 ln(V_i + V_j) + ln 4]`` compares the volume
    ``V_i`` of the k-neighbourhood of i with the volume ``V_j`` of the
    k-neighbourhood of j, the (k+1)-th neighbour of i.  With
    ``x = ln V_i - ln V_j = d (ln r_i,k - ln r_j,k)`` it equals ``4 k ln cosh(x / 2)``
    (``V_d`` cancels).  k* is the first k with ``D_k > threshold``; K when no k
    fails (``saturated``).  Rows with ``K < k_min`` get ``k* = K``.

    Returns
    -------
    kstar : int64 (n,)
    saturated : bool (n,)
    """
    n, K = log_r.shape
    kstar = np.empty(n, dtype=np.int64)
    saturated = np.zeros(n, dtype=np.bool_)
    for i in prange(n):
        ks = K
        sat = True
        for k in range(k_min, K):
            j = indices[i, k]
            x = d * (log_r[i, k - 1] - log_r[j, k - 1])
            dk = 4.0 * k * _log_cosh(0.5 * x)
            if dk > threshold:
                ks = k
                sat = False
                break
        kstar[i] = ks
        saturated[i] = sat
    return kstar, saturated


@njit(cache=True, parallel=True)
def kstar_query_kernel(log_r, indices, log_r_fit, d, threshold, k_min):
    """k* of query rows whose neighbours are fitted points (radii in ``log_r_fit``).

    Same test as :func:`kstar_kernel`, with ``r_j,k`` read from the fitted graph
    (``log_r_fit``, ``K_fit`` columns); k stops at ``min(K, K_fit + 1) - 1``.
    """
    n, K = log_r.shape
    k_top = min(K, log_r_fit.shape[1] + 1)
    kstar = np.empty(n, dtype=np.int64)
    for i in prange(n):
        ks = k_top
        for k in range(k_min, k_top):
            j = indices[i, k]
            x = d * (log_r[i, k - 1] - log_r_fit[j, k - 1])
            if 4.0 * k * _log_cosh(0.5 * x) > threshold:
                ks = k
                break
        kstar[i] = ks
    return kstar


@njit(cache=True, parallel=True)
def knn_log_volume(log_r, kstar, d, log_vd):
    """``ln(V_d r_i,k^d)`` with ``k = kstar[i]`` (``-inf`` when ``r = 0``)."""
    n = log_r.shape[0]
    out = np.empty(n)
    for i in prange(n):
        out[i] = log_vd + d * log_r[i, kstar[i] - 1]
    return out


@njit(cache=True, inline="always")
def _pak_value(log_v, k, ka, G, a):
    s = 0.0
    for l in range(k):
        s += np.exp(log_v[l] + G + a * (l + 1))
    return k * G + a * ka - s


@njit(cache=True)
def _pak_one(log_v, k, max_iter, tol):
    """Maximise ``L(G, a) = k G + a k(k+1)/2 - sum_l exp(u_l + G + a l)``.

    ``u_l = ln v_l - ln V_k`` (``ln V_k`` the log volume of the whole k-ball,
    so that ``u_l <= 0`` and the sums never overflow); ``F = G - ln V_k``.
    Newton-Raphson from the kNN value (``G = ln k, a = 0``) with step halving:
    L is concave, so every accepted step increases it.

    Returns G, a, converged.
    """
    G = np.log(k)
    a = 0.0
    ka = 0.5 * k * (k + 1.0)

    L = _pak_value(log_v, k, ka, G, a)
    for _ in range(max_iter):
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        for l in range(k):
            t = np.exp(log_v[l] + G + a * (l + 1))
            s0 += t
            s1 += (l + 1) * t
            s2 += (l + 1) * (l + 1) * t
        gG = k - s0
        ga = ka - s1
        # Hessian [[-s0, -s1], [-s1, -s2]] (negative definite): solve H step = -grad
        det = s0 * s2 - s1 * s1
        if det <= 0.0:
            return G, a, False
        dG = (s2 * gG - s1 * ga) / det
        da = (s0 * ga - s1 * gG) / det
        step = 1.0
        improved = False
        for _h in range(60):
            G1 = G + step * dG
            a1 = a + step * da
            L1 = _pak_value(log_v, k, ka, G1, a1)
            if L1 >= L - 1e-12 * abs(L):
                improved = True
                break
            step *= 0.5
        if not improved:
            return G, a, abs(dG) < 1e-6 and abs(da) < 1e-6
        G, a, L = G1, a1, L1
        if abs(step * dG) < tol and abs(step * da) < tol:
            return G, a, True
    return G, a, False


@njit(cache=True, parallel=True)
def pak_kernel(log_r, kstar, d, log_vd, max_iter, tol):
    """PAk log density (plus ``ln N``) of every row: ``F`` of the maximum likelihood.

    Shell volumes ``v_l = V_d (r_l^d - r_(l-1)^d)`` in log space:
    ``ln v_l = ln V_d + d ln r_l + ln(1 - exp(d (ln r_(l-1) - ln r_l)))``.

    Returns F (n,), a (n,), converged (n,).
    """
    n = log_r.shape[0]
    F = np.empty(n)
    A = np.empty(n)
    ok = np.empty(n, dtype=np.bool_)
    for i in prange(n):
        k = kstar[i]
        log_vk = log_vd + d * log_r[i, k - 1]
        u = np.empty(k)
        prev = -np.inf
        for l in range(k):
            cur = log_r[i, l]
            if prev == -np.inf:
                u[l] = log_vd + d * cur - log_vk
            else:
                u[l] = log_vd + d * cur + np.log(-np.expm1(d * (prev - cur))) - log_vk
            prev = cur
        G, a, conv = _pak_one(u, k, max_iter, tol)
        F[i] = G - log_vk
        A[i] = a
        ok[i] = conv
    return F, A, ok
