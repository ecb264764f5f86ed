"""Dense Z/2 linear algebra and small-complex helpers shared by the zigzag tests.

Independent of the engine: plain numpy over Z/2 and Python sets of vertex tuples.
"""

import itertools

import numpy as np

# ---------------------------------------------------------------------------------------
# dense Z/2 linear algebra
# ---------------------------------------------------------------------------------------


def _rref(M):
    """Reduced row echelon form over Z/2; returns (R, pivot_columns)."""
    R = (np.array(M, dtype=np.uint8) & 1).copy()
    rows, cols = R.shape
    piv = []
    r = 0
    for c in range(cols):
        if r == rows:
            break
        nz = np.flatnonzero(R[r:, c])
        if nz.size == 0:
            continue
        p = r + nz[0]
        if p != r:
            R[[r, p]] = R[[p, r]]
        others = np.flatnonzero(R[:, c])
        others = others[others != r]
        R[others] ^= R[r]
        piv.append(c)
        r += 1
    return R, piv


def rank2(M):
    M = np.asarray(M)
    if M.size == 0:
        return 0
    return len(_rref(M)[1])


def nullspace2(M, n_cols):
    """Basis (as columns) of the kernel of M over Z/2."""
    M = np.asarray(M, dtype=np.uint8)
    if n_cols == 0:
        return np.zeros((0, 0), dtype=np.uint8)
    M = M.reshape(-1, n_cols)
    if M.shape[0] == 0:
        return np.eye(n_cols, dtype=np.uint8)
    R, piv = _rref(M)
    free = [c for c in range(n_cols) if c not in piv]
    basis = np.zeros((n_cols, len(free)), dtype=np.uint8)
    for k, f in enumerate(free):
        basis[f, k] = 1
        for i, p in enumerate(piv):
            basis[p, k] = R[i, f]
    return basis


def solve2(A, b):
    """One solution x of A x = b over Z/2 (A: (m, n)); raises if none."""
    m, n = A.shape
    aug = np.concatenate([A, b.reshape(-1, 1)], axis=1).astype(np.uint8)
    R, piv = _rref(aug)
    if n in piv:
        raise ValueError("inconsistent")
    x = np.zeros(n, dtype=np.uint8)
    for i, p in enumerate(piv):
        x[p] = R[i, n]
    return x


# ---------------------------------------------------------------------------------------
# homology of small complexes
# ---------------------------------------------------------------------------------------


def closure(generators):
    out = set()
    for g in generators:
        g = tuple(sorted(g))
        for k in range(1, len(g) + 1):
            out.update(itertools.combinations(g, k))
    return out


def to_by_dim(cx, top):
    out = []
    for d in range(top + 1):
        rows = sorted(s for s in cx if len(s) == d + 1)
        out.append(np.array(rows, dtype=np.int64).reshape(-1, d + 1))
    return out
