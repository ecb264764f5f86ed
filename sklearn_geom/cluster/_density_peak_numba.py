"""Numba kernels of density-peak clustering (ADP and the classic decision graph).

Points are ordered by ``rank`` (0 = highest ``g = log rho - error``, ties by
index), which makes "higher density" a strict total order.  Kernels take only
arrays and scalars and never write into their inputs.
"""

import heapq

import numpy as np
from numba import njit, prange, types
from numba.typed import Dict, List


@njit(cache=True, parallel=True)
def _spike_pass(cur, err, kstar, indices, Z, out):
    n = indices.shape[0]
    changed = np.zeros(n, dtype=np.bool_)
    for i in prange(n):
        out[i] = cur[i]
        k = kstar[i]
        if k < 1:
            continue
        top = -np.inf
        spike = True
        for c in range(k):
            j = indices[i, c]
            if cur[i] - cur[j] <= Z * np.sqrt(err[i] * err[i] + err[j] * err[j]):
                spike = False
                break
            if cur[j] > top:
                top = cur[j]
        if spike:
            out[i] = top
            changed[i] = True
    return changed


def cap_spikes(log_rho, err, kstar, indices, Z, max_iter=100):
    """Density for the clustering with isolated spikes levelled to their neighbourhood.

    Point i is a spike when its log density exceeds that of every one of its k*
    neighbours significantly, ``rho_i - rho_j > Z sqrt(e_i^2 + e_j^2)``: k* is
    by construction a neighbourhood of statistically constant density, so such a
    value is an outlier of the estimate (PAk at k* = 3-5 in high dimension
    extrapolates a short first shell into a peak several nats above every
    neighbour).  Its clustering density becomes the highest of its neighbours';
    the test is repeated until no point changes.  Returns the levelled log
    densities and the mask of levelled points.
    """
    cur = log_rho.copy()
    mask = np.zeros(log_rho.shape[0], dtype=np.bool_)
    out = np.empty_like(cur)
    for _ in range(max_iter):
        changed = _spike_pass(cur, err, kstar, indices, float(Z), out)
        if not changed.any():
            break
        mask |= changed
        cur, out = out, cur
    return cur, mask


@njit(cache=True, parallel=True)
def putative_centres(rank, indices, kstar):
    """Points ranked above all of their k* nearest neighbours."""
    n = indices.shape[0]
    out = np.ones(n, dtype=np.bool_)
    for i in prange(n):
        r = rank[i]
        for c in range(kstar[i]):
            if rank[indices[i, c]] < r:
                out[i] = False
                break
    return out


@njit(cache=True)
def prune_centres(rank, indices, kstar, putative):
    """Drop putative centres inside the k*-neighbourhood of a higher-ranked point.

    Returns ``centre`` (bool) and ``parent``: for a dropped centre, the
    highest-ranked point whose k*-neighbourhood contains it (-1 elsewhere).
    """
    n = indices.shape[0]
    parent = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        r = rank[i]
        for c in range(kstar[i]):
            j = indices[i, c]
            if putative[j] and rank[j] > r:
                p = parent[j]
                if p < 0 or rank[i] < rank[p]:
                    parent[j] = i
    centre = putative & (parent < 0)
    return centre, parent


@njit(cache=True)
def assign(order, indices, centre, parent):
    """Visit points by decreasing g; each takes the label of its nearest labelled neighbour.

    A dropped centre whose list holds no labelled point takes the label of its
    ``parent`` (ranked higher, so labelled before it).  Returns labels
    (0..n_centres-1, numbered by rank of the centre) and the centres in that order.
    """
    n, K = indices.shape
    labels = np.full(n, -1, dtype=np.int64)
    n_c = 0
    for t in range(n):
        i = order[t]
        if centre[i]:
            labels[i] = n_c
            n_c += 1
    centres = np.empty(n_c, dtype=np.int64)
    for i in range(n):
        if centre[i]:
            centres[labels[i]] = i
    for t in range(n):
        i = order[t]
        if labels[i] >= 0:
            continue
        for c in range(K):
            lab = labels[indices[i, c]]
            if lab >= 0:
                labels[i] = lab
                break
        if labels[i] < 0 and parent[i] >= 0:
            labels[i] = labels[parent[i]]
    return labels, centres


@njit(cache=True, parallel=True)
def border_candidates(labels, indices, kstar, centre, centres_too):
    """Border point test of every point.

    Point x of cluster c is a border point towards c' when its nearest neighbour
    outside c within its k* neighbours (y, of cluster c') has x before any other
    point of c in y's neighbour list (or no point of c at all).  Returns for each
    point the other cluster (-1 when x is not a border point).

    With ``centres_too`` the centres are tested as well (DADApy skips them): a
    centre that is itself a border point gives a saddle equal to its peak, so its
    cluster is merged; otherwise a cluster of one or two points that no other
    point borders (an outlier ranked above its few neighbours, frequent at high
    intrinsic dimension) has no saddle and survives by accident.
    """
    n, K = indices.shape
    other = np.full(n, -1, dtype=np.int64)
    for x in prange(n):
        if centre[x] and not centres_too:
            continue
        c = labels[x]
        y = -1
        for t in range(kstar[x]):
            z = indices[x, t]
            if labels[z] != c:
                y = z
                break
        if y < 0:
            continue
        ok = True
        for t in range(K):
            z = indices[y, t]
            if z == x:
                break
            if labels[z] == c:
                ok = False
                break
        if ok:
            other[x] = labels[y]
    return other


@njit(cache=True)
def _significant(rc_a, ec_a, sec_a, rc_b, ec_b, sec_b, rs, es, Z):
    """ADP's test, passed also by a second point of each cluster.

    ``sec`` is the second highest ``rho - Z e`` of the cluster's points.
    """
    return ((rc_a - rs >= Z * (ec_a + es)) and (rc_b - rs >= Z * (ec_b + es))
            and sec_a >= rs + Z * es and sec_b >= rs + Z * es)


@njit(cache=True)
def _sig_edge(e, a_, b_, peak_rho, peak_err, second, rho, err, Z):
    a, b = a_[e], b_[e]
    return _significant(peak_rho[a], peak_err[a], second[a], peak_rho[b], peak_err[b],
                        second[b], rho[e], err[e], Z)


@njit(cache=True)
def merge_clusters(peak_rho, peak_err, first, second, ea, eb, e_rho, e_err, e_point, Z):
    """Merge non-significant pairs of clusters, highest saddle first.

    Clusters ``0..M-1`` with peak log density ``peak_rho`` and error, and the
    two highest ``rho - Z e`` of their points (``first``, ``second``; -inf
    where a cluster has one point); saddles as edges ``(ea, eb)`` with saddle
    log density, error and point.  The pair (a, b) is not significant when
    ``rho_a - rho_s < Z (e_a + e_s)`` or ``rho_b - rho_s < Z (e_b + e_s)``
    (d'Errico et al. 2021), or when in one of the two clusters no second point
    passes that test (``second < rho_s + Z e_s``: a peak that a single
    estimate makes is not a mode).  The highest non-significant saddle is
    merged first; the survivor is the cluster whose peak stands out more
    (larger ``(rho - rho_s) / (e + e_s)``), and towards every other cluster
    the merged one keeps the higher of the two saddles.  ``Z = inf`` merges
    every connected pair (the dendrogram).

    Returns
    -------
    into : int64 (M,)
        Cluster each one was absorbed into (itself for survivors, chained).
    merges : int64 (n_merges, 2), merge_rho : float64 (n_merges,)
        Survivor / absorbed cluster and saddle of each merge, in order.
    alive_edge : bool (E,) with the final edge arrays ea, eb, rho, err, point.
    """
    M = peak_rho.shape[0]
    E = ea.shape[0]
    a_ = ea.copy()
    b_ = eb.copy()
    rho = e_rho.copy()
    err = e_err.copy()
    pt = e_point.copy()
    top1 = first.copy()
    top2 = second.copy()
    alive = np.ones(E, dtype=np.bool_)
    stamp = np.zeros(E, dtype=np.int64)
    adj = List()
    for _ in range(M):
        adj.append(Dict.empty(key_type=types.int64, value_type=types.int64))
    for e in range(E):
        adj[a_[e]][b_[e]] = e
        adj[b_[e]][a_[e]] = e
    heap = [(0.0, np.int64(0), np.int64(0))]
    heap.pop()
    for e in range(E):
        if not _sig_edge(e, a_, b_, peak_rho, peak_err, top2, rho, err, Z):
            heap.append((-rho[e], np.int64(e), np.int64(0)))
    heapq.heapify(heap)
    into = np.arange(M)
    merges = np.empty((max(M - 1, 0), 2), dtype=np.int64)
    merge_rho = np.empty(max(M - 1, 0))
    n_m = 0
    while len(heap) > 0:
        negr, e, st = heapq.heappop(heap)
        if not alive[e] or stamp[e] != st:
            continue
        a, b = a_[e], b_[e]
        rs, es = rho[e], err[e]
        ca = (peak_rho[a] - rs) / (peak_err[a] + es)
        cb = (peak_rho[b] - rs) / (peak_err[b] + es)
        if ca < cb:
            a, b = b, a
        # a survives, b is absorbed
        alive[e] = False
        into[b] = a
        merges[n_m, 0] = a
        merges[n_m, 1] = b
        merge_rho[n_m] = rs
        n_m += 1
        # the two highest densities of the union
        hi = max(top1[a], top1[b])
        lo = max(min(top1[a], top1[b]), max(top2[a], top2[b]))
        top1[a] = hi
        top2[a] = lo
        del adj[a][b]
        del adj[b][a]
        for x in adj[b].keys():
            eb_x = adj[b][x]
            del adj[x][b]
            if x in adj[a]:
                ea_x = adj[a][x]
                if rho[eb_x] > rho[ea_x]:
                    rho[ea_x] = rho[eb_x]
                    err[ea_x] = err[eb_x]
                    pt[ea_x] = pt[eb_x]
                alive[eb_x] = False
            else:
                if a_[eb_x] == b:
                    a_[eb_x] = a
                else:
                    b_[eb_x] = a
                adj[a][x] = eb_x
                adj[x][a] = eb_x
        adj[b].clear()
        # every edge of the merged cluster is tested again (its saddles and its
        # second density may have changed)
        for x in adj[a].keys():
            e2 = adj[a][x]
            stamp[e2] += 1
            if not _sig_edge(e2, a_, b_, peak_rho, peak_err, top2, rho, err, Z):
                heapq.heappush(heap, (-rho[e2], np.int64(e2), stamp[e2]))
    # resolve chains
    for c in range(M):
        r = c
        while into[r] != r:
            r = into[r]
        into[c] = r
    return into, merges[:n_m], merge_rho[:n_m], alive, a_, b_, rho, err, pt


@njit(cache=True, parallel=True)
def nearest_higher(rank, indices, distances):
    """Nearest listed neighbour ranked higher (-1 when none is listed) and its distance."""
    n, K = indices.shape
    parent = np.full(n, -1, dtype=np.int64)
    delta = np.full(n, np.inf)
    for i in prange(n):
        r = rank[i]
        for c in range(K):
            j = indices[i, c]
            if j >= 0 and rank[j] < r:
                parent[i] = j
                delta[i] = distances[i, c]
                break
    return parent, delta


@njit(cache=True)
def follow_parents(order, parent, centre_label):
    """Classic density peaks: each point (by rank) takes the label of its parent."""
    n = order.shape[0]
    labels = centre_label.copy()
    for t in range(n):
        i = order[t]
        if labels[i] < 0:
            labels[i] = labels[parent[i]]
    return labels


@njit(cache=True, parallel=True)
def predict_kernel(g_query, g_fit, labels, indices):
    """Label of the nearest fitted neighbour with higher g (else of the nearest one)."""
    n, K = indices.shape
    out = np.empty(n, dtype=np.int64)
    for i in prange(n):
        lab = labels[indices[i, 0]]
        for c in range(K):
            j = indices[i, c]
            if j < 0:
                break
            if g_fit[j] > g_query[i]:
                lab = labels[j]
                break
        out[i] = lab
    return out


@njit(cache=True, parallel=True)
def nearest_higher_brute(X, rank, targets):
    """Exact nearest point ranked higher for each target row (brute force, no buffers).

    Returns the point and the squared euclidean distance (-1, inf for the top point).
    """
    m = targets.shape[0]
    n, D = X.shape
    parent = np.full(m, -1, dtype=np.int64)
    best = np.full(m, np.inf)
    for t in prange(m):
        i = targets[t]
        r = rank[i]
        b = np.inf
        p = -1
        for j in range(n):
            if rank[j] < r:
                s = 0.0
                for c in range(D):
                    diff = X[i, c] - X[j, c]
                    s += diff * diff
                if s < b or (s == b and j < p):
                    b = s
                    p = j
        parent[t] = p
        best[t] = b
    return parent, best
