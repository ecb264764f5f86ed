"""The Sequential Feature Detachment path: step schedule, ridge fast path, generic refit path.

Everything here works on one training part (and optionally one validation part) and returns
plain arrays, so that the whole path can be cached by ``joblib.Memory`` (keyed by the data
and the path parameters, not by the selection parameters) and shared by every candidate of a
grid search over ``n_features_to_select`` or ``trade_off``.
"""

import warnings

import numpy as np
from scipy import linalg
from scipy.linalg import blas, lapack
from sklearn.base import clone
from sklearn.linear_model import RidgeClassifier, RidgeClassifierCV

from ..utils import numba_threads, progress
from ._path_numba import hash_words, move_rows, prepare_transposed

DEFAULT_ALPHAS = np.logspace(-10, 10, 20)

# Recompute the Gram matrix from the surviving columns whenever their number has shrunk by
# this factor since the last computation: bounds the rounding error that the downdates
# accumulate (a few extra percent of work).
_REFRESH_FACTOR = 8


def step_counts(n_features, drop_ratio, max_steps):
    """Number of features alive at each step of the path (step 0 is the full model).

    ``floor(n_features * (1 - drop_ratio) ** k)`` for ``k < max_steps``, duplicates and
    zeros removed (Uribarri et al., 2024).

    Parameters
    ----------
    n_features : int
        Number of features of the full model.
    drop_ratio : float
        Fraction of the surviving features dropped at each step.
    max_steps : int
        Largest number of steps.

    Returns
    -------
    counts : ndarray of int64, decreasing
        Number of features of each step; ``counts[0] == n_features``.
    """
    ratios = np.power(1.0 - drop_ratio, np.arange(max_steps))
    counts = np.unique((ratios * n_features).astype(np.int64))[::-1]
    counts = counts[counts > 0]
    if counts.size == 0 or counts[0] != n_features:  # rounding of 1.0 * n never drops it
        counts = np.concatenate([[n_features], counts[counts < n_features]])
    return counts.astype(np.int64)


def aggregate_importance(coef, how):
    """Feature importance from a coefficient array ``(n_targets, n_features)`` or ``(n,)``."""
    coef = np.abs(np.asarray(coef, dtype=np.float64))
    if coef.ndim == 1:
        return coef
    if coef.shape[0] == 1:
        return coef[0]
    if how == "max":
        return coef.max(axis=0)
    if how == "l2":
        return np.sqrt((coef * coef).sum(axis=0))
    return coef.sum(axis=0)


def _col_importance(coef_t, how):
    """``aggregate_importance(coef_t, how)`` for a C-contiguous ``(n_targets, n_features)``,
    row by row (fast for few targets and many features)."""
    out = np.abs(coef_t[0])
    if coef_t.shape[0] == 1:
        return out
    if how == "l2":
        out *= out
    for row in coef_t[1:]:
        a = np.abs(row)
        if how == "max":
            np.maximum(out, a, out=out)
        elif how == "l2":
            out += a * a
        else:
            out += a
    return np.sqrt(out) if how == "l2" else out


def estimator_importance(estimator, how, n_features):
    """Importance of the features of a fitted estimator (``coef_`` or ``feature_importances_``)."""
    if hasattr(estimator, "coef_"):
        imp = aggregate_importance(estimator.coef_, how)
    elif hasattr(estimator, "feature_importances_"):
        imp = np.abs(np.asarray(estimator.feature_importances_, dtype=np.float64))
    else:
        raise ValueError(
            f"The estimator {type(estimator).__name__} has neither a coef_ nor a "
            "feature_importances_ attribute after fit, so it cannot rank features; use a "
            "linear model or a tree ensemble."
        )
    if imp.ndim != 1 or imp.shape[0] != n_features:
        raise ValueError(
            f"The importances of {type(estimator).__name__} have shape {imp.shape}; expected "
            f"({n_features},)."
        )
    if not np.all(np.isfinite(imp)):
        raise ValueError(
            f"The estimator {type(estimator).__name__} returned non-finite importances."
        )
    return imp


def is_fast_ridge(estimator):
    """Whether the exact dual/primal ridge path applies to ``estimator`` (None = default)."""
    if estimator is None:
        return True
    if type(estimator) is RidgeClassifier:
        return (
            estimator.class_weight is None
            and not estimator.positive
            and estimator.solver in ("auto", "cholesky", "svd")
        )
    if type(estimator) is RidgeClassifierCV:
        return estimator.class_weight is None
    return False


def _householder(n):
    """``v, beta`` of the reflection ``P = I - beta v v^T`` mapping the constant vector to
    ``-sqrt(n) e_1``: columns 2..n of ``P`` are an orthonormal basis of its complement."""
    v = np.ones(n)
    v[0] += np.sqrt(n)
    return v, 2.0 / (v @ v)


def _reflect(K, v, beta):
    """``P K P`` for the reflection ``P = I - beta v v^T`` (symmetric ``K``), in O(n^2)."""
    Kv = K @ v
    vKv = v @ Kv
    return (
        K - beta * np.outer(v, Kv) - beta * np.outer(Kv, v) + (beta * beta * vKv) * np.outer(v, v)
    )


def ridge_loo_alpha(K, Yc, alphas, fit_intercept, reflected=False, return_dual=False, driver=None):
    """Alpha of smallest leave-one-out squared error, from the Gram matrix of the centred data.

    The efficient closed form of ridge leave-one-out (the criterion of scikit-learn's
    ``RidgeClassifierCV`` with ``cv=None``): residuals ``c_i / d_i`` with
    ``c = (K + alpha I)^-1 Y`` and ``d`` the diagonal of the hat residual operator; the
    first alpha wins ties.  With an intercept, the centred Gram matrix has the constant
    vector in its null space; it is projected out exactly (Householder reflection) instead
    of cancelling two ``1 / alpha`` terms, which loses all precision for tiny alphas.
    ``reflected=True``: ``K`` is already the Gram matrix in the basis of the complement of
    the constant vector (``(n - 1, n - 1)``), ``Yc`` still ``(n, n_targets)``.
    ``return_dual=True`` also returns the dual coefficients ``c`` (``(n, n_targets)``) of
    the chosen alpha: the ridge coefficients are ``X_c^T c``.  ``driver``: LAPACK driver
    of ``scipy.linalg.eigh`` (None: its default).
    """
    n = Yc.shape[0]
    if fit_intercept and n > 1:
        v, beta = _householder(n)
        Kr = K if reflected else _reflect(K, v, beta)[1:, 1:]
        eigvals, V = linalg.eigh(Kr, driver=driver)
        Q = np.zeros((n, n - 1))
        Q[1:] = V
        Q -= beta * np.outer(v, v[1:] @ V)  # the basis B = P[:, 1:] times V
    else:
        eigvals, Q = linalg.eigh(K, driver=driver)
    QtY = Q.T @ Yc
    Q2 = Q * Q
    best, best_alpha, best_c = None, None, None
    for alpha in alphas:
        D = 1.0 / (eigvals + float(alpha))
        c = Q @ (D[:, None] * QtY)
        d = Q2 @ D
        looe = c / d[:, None]
        score = -np.mean(looe**2)
        if best is None or score > best:
            best, best_alpha, best_c = score, float(alpha), c
    if return_dual:
        return best_alpha, best_c
    return best_alpha


def ridge_loo_primal(Xc, Yc, alphas):
    """Leave-one-out alpha and coefficients of ridge with an intercept, n_samples >= features.

    ``Xc`` and ``Yc`` centred.  From the thin SVD ``Xc = U S V^T``: the hat matrix of the
    ridge with an unpenalised intercept is ``11^T / n + U diag(s^2 / (s^2 + alpha)) U^T``,
    the leave-one-out residuals are ``(y_i - yhat_i) / (1 - H_ii)`` (the criterion of
    scikit-learn's ``RidgeClassifierCV``, ``cv=None``; the first alpha wins ties).

    Returns
    -------
    alpha : float
    coef : ndarray of shape (n_targets, n_features)
    """
    n = Xc.shape[0]
    U, s, Vt = linalg.svd(Xc, full_matrices=False, check_finite=False)
    UtY = U.T @ Yc
    U2 = U * U
    s2 = s * s
    best, best_alpha = None, None
    for alpha in alphas:
        f = s2 / (s2 + float(alpha))
        resid = Yc - U @ (f[:, None] * UtY)
        h = 1.0 / n + U2 @ f
        looe = resid / (1.0 - h)[:, None]
        score = -np.mean(looe**2)
        if best is None or score > best:
            best, best_alpha = score, float(alpha)
    coef = (Vt.T @ ((s / (s2 + best_alpha))[:, None] * UtY)).T
    return best_alpha, np.ascontiguousarray(coef)


def _accuracy(decision, y_enc):
    if decision.shape[1] == 1:
        pred = (decision[:, 0] > 0).astype(np.int64)
    else:
        pred = np.argmax(decision, axis=1)
    return float(np.mean(pred == y_enc))


class _Ranking:
    """Elimination bookkeeping: ranks from the back, last step alive per feature."""

    def __init__(self, n_features):
        self.ranking = np.zeros(n_features, dtype=np.int64)
        self.last_step = np.zeros(n_features, dtype=np.int64)
        self.next_worst = n_features

    def drop(self, features_by_increasing_importance, step):
        m = features_by_increasing_importance.shape[0]
        self.ranking[features_by_increasing_importance] = np.arange(
            self.next_worst, self.next_worst - m, -1
        )
        self.last_step[features_by_increasing_importance] = step
        self.next_worst -= m


def _split_keep(imp, ids, n_keep):
    """Split the surviving features into the dropped and the kept ones.

    The dropped ones are the ``len(imp) - n_keep`` least important, ties broken by the
    smaller feature index ``ids`` (as a stable sort over the features in index order would);
    they are returned by increasing (importance, index).  The kept ones are returned as
    increasing local positions.
    """
    m = imp.shape[0]
    n_drop = m - n_keep
    if n_drop <= 0:
        return np.zeros(0, dtype=np.int64), np.arange(m)
    if n_keep == 0:
        return np.lexsort((ids, imp)), np.zeros(0, dtype=np.int64)
    v = imp[np.argpartition(imp, n_drop - 1)[n_drop - 1]]  # the n_drop-th smallest value
    below = np.flatnonzero(imp < v)
    tied = np.flatnonzero(imp == v)
    need = n_drop - below.shape[0]
    if tied.shape[0] > need:
        tied = tied[np.argsort(ids[tied], kind="stable")[:need]]
    drop = np.concatenate([below, tied])
    drop = drop[np.lexsort((ids[drop], imp[drop]))]
    kept = np.ones(m, dtype=bool)
    kept[drop] = False
    return drop, np.flatnonzero(kept)


def _solve_pos(K, alpha, B):
    """Solve ``(K + alpha I) X = B`` by Cholesky (as scikit-learn), reading only the upper
    triangle of the symmetric ``K`` (not written)."""
    A = np.array(K, order="F")
    A.flat[:: A.shape[0] + 1] += alpha
    _, x, info = lapack.dposv(A, B, lower=0, overwrite_a=True, overwrite_b=False)
    if info != 0:
        warnings.warn(
            "Singular matrix in the ridge path; using the least-squares solution.", stacklevel=2
        )
        A = np.triu(K) + np.triu(K, 1).T
        A.flat[:: A.shape[0] + 1] += alpha
        return linalg.lstsq(A, B)[0]
    return x


def _ridge_path(
    XT, XvT, Y, yv_enc, counts, alpha_spec, fit_intercept, reflected, how, verbose, record=None
):
    """Exact ridge path: dual with Gram downdates while n_features > n_samples, then primal.

    ``XT`` (``(p, n)``, or ``(p, n - 1)`` when ``reflected``) holds the standardised,
    centred training features one row per feature (:func:`prepare_transposed`),
    ``XvT`` (``(p, n_val)`` or None) the validation features with the same map; both are
    reordered in place.  Dual: ``coef = X^T (K + alpha I)^-1 Y`` with ``K = X X^T`` over
    the surviving features; dropping the features ``F`` is the downdate
    ``K -= X_F X_F^T``.  The surviving rows are kept at the top of the arrays by moving
    the few kept rows of the tail into the holes the dropped rows leave (no full copy per
    step).  Primal (once at most ``n_samples`` features survive, as scikit-learn's
    cholesky solver switches): ``(X^T X + alpha I) coef = X^T Y`` with the Gram matrix of
    the survivors sub-indexed.  With ``reflected`` the samples are in an orthonormal basis
    of the complement of the constant vector (the intercept by centring): ``K`` is then
    positive definite even for tiny alphas and the coefficients equal the centred ones.
    """
    p = XT.shape[0]
    n, t = Y.shape
    ym = Y.mean(axis=0) if fit_intercept else np.zeros(t)
    Yc = Y - ym
    has_val = XvT is not None
    rank = _Ranking(p)
    ids = np.arange(p)  # global index of row i of XT
    val_scores = np.full(counts.shape[0], np.nan)
    dual = p > n
    K = G = b = XvTa = None
    alpha = None if isinstance(alpha_spec, tuple) else alpha_spec
    last_refresh = p
    Yd = Yc  # right-hand side of the dual system
    if reflected:
        v, beta = _householder(n)
        Yd = (Yc - beta * np.outer(v, v @ Yc))[1:]
    if dual:
        K = np.asfortranarray(XT.T @ XT)  # syrk; only its upper triangle is downdated
    if alpha is None:  # ("loo", alphas)
        if dual:
            alpha = ridge_loo_alpha(K, Yc, alpha_spec[1], fit_intercept, reflected=reflected)
        else:
            y_enc = np.where(Y[:, 0] > 0, 1, 0) if t == 1 else np.argmax(Y, axis=1)
            est = RidgeClassifierCV(alphas=alpha_spec[1], fit_intercept=fit_intercept)
            alpha = float(est.fit(XT.T, y_enc).alpha_)  # centring does not change alpha
    for k in progress(range(counts.shape[0]), desc="SFD path", enabled=verbose):
        cnt = int(counts[k])
        dual = dual and cnt > n
        if not dual and G is None:  # the primal from here on (as scikit-learn's solver)
            K = None
            XT = XT[:cnt].copy()
            G = XT @ XT.T  # equals the centred Gram matrix also in reflected coordinates
            b = XT @ Yd
            if has_val:
                XvTa = XvT[:cnt].copy()
            ids = ids[:cnt].copy()
        if dual:
            XTa = XT[:cnt]
            if cnt * _REFRESH_FACTOR <= last_refresh:
                K = np.asfortranarray(XTa.T @ XTa)
                last_refresh = cnt
            dual_coef = _solve_pos(K, alpha, Yd)
            coef_t = dual_coef.T @ XTa.T  # (t, cnt)
            if has_val:
                val_scores[k] = _accuracy((coef_t @ XvT[:cnt]).T + ym, yv_enc)
        else:
            coef = _solve_pos(G, alpha, b)
            coef_t = np.ascontiguousarray(coef.T)
            if has_val:
                val_scores[k] = _accuracy((coef_t @ XvTa).T + ym, yv_enc)
        if record is not None:  # (global feature ids, coefficients) of every step, for tests
            record.append((ids[:cnt].copy(), np.array(coef_t.T)))
        imp = _col_importance(coef_t, how)
        n_keep = int(counts[k + 1]) if k + 1 < counts.shape[0] else 0
        drop, keep = _split_keep(imp, ids[:cnt], n_keep)
        rank.drop(ids[drop], k)
        if n_keep == 0:
            break
        if dual:
            XF = XT[drop]
            # K -= X_F X_F^T on the upper triangle, in place (syrk)
            K = blas.dsyrk(-1.0, XF.T, beta=1.0, c=K, trans=0, lower=0, overwrite_c=1)
            holes = drop[drop < n_keep]
            tail = keep[keep >= n_keep]
            move_rows(XT, holes, tail)
            ids[holes] = ids[tail]
            if has_val:
                move_rows(XvT, holes, tail)
        else:
            G = G[np.ix_(keep, keep)]
            b = b[keep]
            XT = XT[keep]
            ids = ids[keep]
            if has_val:
                XvTa = XvTa[keep]
    return rank, val_scores, alpha


def _generic_path(Xs, y, Xv, yv, counts, estimator, how, verbose):
    """Reference procedure for any estimator: refit on the surviving features at every step."""
    p = Xs.shape[1]
    rank = _Ranking(p)
    alive = np.arange(p)
    val_scores = np.full(counts.shape[0], np.nan)
    for k in progress(range(counts.shape[0]), desc="SFD path", enabled=verbose):
        est = clone(estimator).fit(Xs[:, alive], y)
        imp = estimator_importance(est, how, alive.shape[0])
        if Xv is not None:
            val_scores[k] = float(np.mean(est.predict(Xv[:, alive]) == yv))
        n_keep = counts[k + 1] if k + 1 < counts.shape[0] else 0
        drop, keep = _split_keep(imp, alive, n_keep)
        rank.drop(alive[drop], k)
        alive = alive[keep]
    return rank, val_scores


def standardise(X_train, X_val, scale):
    """Float64 arrays standardised on the training part; constant columns exactly zero.

    Standardisation as scikit-learn's ``StandardScaler`` (population standard deviation,
    a scale of 1 for columns of (near-)zero variance).
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    constant = np.ptp(X_train, axis=0) == 0
    if scale:
        mean = X_train.mean(axis=0)
        Xs = X_train - mean
        sd = np.sqrt(np.einsum("ij,ij->j", Xs, Xs) / max(X_train.shape[0], 1))
        sd[sd < 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1.0)] = 1.0
        Xs /= sd
        Xv = (np.asarray(X_val, dtype=np.float64) - mean) / sd if X_val is not None else None
        # exactly zero (also after centring), so its coefficient is exactly zero
        Xs[:, constant] = 0.0
        if Xv is not None:
            Xv[:, constant] = 0.0
    else:
        Xs = X_train
        Xv = np.asarray(X_val, dtype=np.float64) if X_val is not None else None
    return Xs, Xv, constant


def detachment_path(
    X_train,
    y_train,
    X_val,
    y_val,
    *,
    classes,
    counts,
    estimator,
    how,
    scale,
    n_threads,
    verbose,
    record=None,
):
    """Run one SFD path (module-level so that ``joblib.Memory`` can cache it).

    Returns
    -------
    result : dict
        ``ranking`` (1 = detached last), ``last_step`` (last step at which each feature is
        alive), ``val_scores`` (accuracy per step on the validation part, NaN without one),
        ``alpha`` (ridge alpha of the path, NaN for other estimators) and
        ``constant`` (features constant on the training part).
    """
    # None means one thread here (BLAS on small matrices only loses from more threads)
    with numba_threads(1 if n_threads is None else n_threads):
        y_enc = np.searchsorted(classes, y_train)
        yv_enc = np.searchsorted(classes, y_val) if y_val is not None else None
        if is_fast_ridge(estimator):
            n, p = X_train.shape
            if estimator is None:
                alpha_spec, fit_intercept = ("loo", DEFAULT_ALPHAS), True
            elif isinstance(estimator, RidgeClassifierCV):
                fit_intercept = estimator.fit_intercept
                if estimator.cv is None and estimator.scoring is None:
                    alpha_spec = (
                        "loo",
                        np.atleast_1d(np.asarray(estimator.alphas, float)),
                    )
                else:
                    Xs = standardise(X_train, None, scale)[0]
                    alpha_spec = float(clone(estimator).fit(Xs, y_train).alpha_)
            else:
                alpha_spec, fit_intercept = (
                    float(estimator.alpha),
                    estimator.fit_intercept,
                )
            if classes.shape[0] == 2:
                Y = np.where(y_enc == 1, 1.0, -1.0)[:, None]
            else:
                Y = -np.ones((y_enc.shape[0], classes.shape[0]))
                Y[np.arange(y_enc.shape[0]), y_enc] = 1.0
            reflected = fit_intercept and p > n and n > 1
            X_val64 = (
                np.zeros((0, p)) if X_val is None
                else np.ascontiguousarray(X_val, dtype=np.float64)
            )  # fmt: skip
            XT, XvT, constant = prepare_transposed(
                np.ascontiguousarray(X_train, dtype=np.float64),
                X_val64,
                bool(scale),
                bool(fit_intercept),
                bool(reflected),
            )
            rank, val_scores, alpha = _ridge_path(
                XT,
                XvT if X_val is not None else None,
                Y,
                yv_enc,
                counts,
                alpha_spec,
                fit_intercept,
                reflected,
                how,
                verbose,
                record,
            )
        else:
            Xs, Xv, constant = standardise(X_train, X_val, scale)
            rank, val_scores = _generic_path(
                Xs, y_train, Xv, y_val, counts, estimator, how, verbose
            )
            alpha = np.nan
    return {
        "ranking": rank.ranking,
        "last_step": rank.last_step,
        "val_scores": val_scores,
        "alpha": alpha,
        "constant": np.flatnonzero(constant),
    }


# exponent masks of the floats held by one 64-bit word (all exponent bits set: inf or NaN)
_EXP_MASKS = {
    np.dtype(np.float64): (0x7FF0000000000000, 0x7FF0000000000000),
    np.dtype(np.float32): (0x7F800000, 0x7F80000000000000),
}


def fingerprint(a):
    """Fingerprint of one array (shape, dtype and every byte) and whether all its values
    are finite (always True for non-float arrays), in one pass: see :func:`data_key`."""
    a = np.asarray(a)
    if a.dtype.hasobject:  # object labels: joblib's hash
        import joblib

        return joblib.hash(a), True
    a = np.ascontiguousarray(a)
    masks = _EXP_MASKS.get(a.dtype.newbyteorder("=")) if a.dtype.isnative else None
    check = masks is not None
    m1, m2 = masks if check else (0, 0)
    raw = a.reshape(-1).view(np.uint8)
    n8 = raw.shape[0] - raw.shape[0] % 8
    words = raw[:n8].view(np.uint64)
    tail = np.zeros(1, dtype=np.uint64)
    if n8 < raw.shape[0]:
        tail.view(np.uint8)[: raw.shape[0] - n8] = raw[n8:]
    m1, m2 = np.uint64(m1), np.uint64(m2)
    d0, finite = hash_words(words, raw.shape[0], check, m1, m2)
    d1, finite_tail = hash_words(tail, 1, check, m1, m2)
    digest = d0 ^ d1
    return f"{a.dtype.str}{a.shape}:{digest.tobytes().hex()}", bool(finite and finite_tail)


def data_key(*arrays):
    """Fingerprint of arrays (shape, dtype and every byte) for the path cache.

    ``joblib.Memory`` hashes its arguments with md5 through pickling, which costs more than
    the rest of a grid-search candidate on a cached path; this reads each array once with
    a numba multiply-xorshift hash (256 bits; not cryptographic).  An entry may be None or
    the precomputed :func:`fingerprint` string of an array.
    """
    parts = []
    for a in arrays:
        if a is None:
            parts.append("None")
        elif isinstance(a, str):
            parts.append(a)
        else:
            parts.append(fingerprint(a)[0])
    return "|".join(parts)


def cached_detachment_path(
    key,
    X_train,
    y_train,
    X_val,
    y_val,
    *,
    classes,
    counts,
    estimator,
    how,
    scale,
    n_threads,
    verbose,
):
    """:func:`detachment_path` with the data identified by ``key`` (:func:`data_key`), so
    that ``joblib.Memory`` can ignore the arrays themselves."""
    return detachment_path(
        X_train,
        y_train,
        X_val,
        y_val,
        classes=classes,
        counts=counts,
        estimator=estimator,
        how=how,
        scale=scale,
        n_threads=n_threads,
        verbose=verbose,
    )


def smooth(values, window):
    """Centred moving average over ``window`` points, averaging only the points that exist.

    No zero padding: the first and last steps are averaged over the steps beside them only,
    so they can be selected.
    """
    values = np.asarray(values, dtype=np.float64)
    if window <= 1 or values.shape[0] <= 1:
        return values.copy()
    half = window // 2
    c = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(values.shape[0])
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + (window - 1 - half) + 1, values.shape[0])
    return (c[hi] - c[lo]) / (hi - lo)


def select_step(retained_fraction, val_scores, trade_off, smoothing):
    """Step maximising ``trade_off * (1 - retained) + smoothed(val / val_full)``.

    Returns
    -------
    step : int
    objective : ndarray
    """
    val = np.asarray(val_scores, dtype=np.float64)
    norm = val[0] if val[0] > 0 else 1.0
    objective = trade_off * (1.0 - np.asarray(retained_fraction)) + smooth(val / norm, smoothing)
    return int(np.argmax(objective)), objective
