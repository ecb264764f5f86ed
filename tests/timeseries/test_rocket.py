"""Tests of RocketTransformer (ROCKET, MiniRocket, MultiRocket).

Independent references used here:
- the published kernel definitions (statistics of many drawn kernels, Dempster et al. 2020);
- brute-force numpy implementations written in this file of one ROCKET kernel, of the
  MiniRocket convolution and of the four MultiRocket pooling operators (paper definitions);
- aeon 1.6 (peer library) run side by side: ROCKET convolution, MiniRocket dilations,
  quantiles, biases and features, MultiRocket features of the raw series;
- published accuracies (Dempster et al. 2020/2021, Tan et al. 2022) on UCR/UEA sets
  bundled with aeon.
"""

import pickle

import numpy as np
import pytest

from sklearn_geom.timeseries import RocketTransformer

KINDS = ["rocket", "minirocket", "multirocket"]
SMALL = {"rocket": 60, "minirocket": 168, "multirocket": 84}


def _walks(n=12, T=50, C=None, seed=0):
    rng = np.random.RandomState(seed)
    shape = (n, T) if C is None else (n, C, T)
    return np.cumsum(rng.normal(size=shape), axis=-1)


# --------------------------------------------------------------------------- references


def rocket_ref(x, weights, chans, bias, dilation, padding):
    """One ROCKET kernel on one series ``x`` (C, T) by the definition, in float64.

    Zero padding of ``padding`` each side; a series shorter than the receptive field is
    zero-extended at its end (the documented policy).
    """
    L = weights.shape[1]
    T = x.shape[1]
    xp = np.pad(x.astype(np.float64), ((0, 0), (padding, padding)))
    n_out = T + 2 * padding - (L - 1) * dilation
    if n_out < 1:
        xp = np.pad(xp, ((0, 0), (0, 1 - n_out)))
        n_out = 1
    conv = np.full(n_out, float(bias))
    for c, ch in enumerate(chans):
        for m in range(L):
            conv += weights[c, m] * xp[ch, m * dilation : m * dilation + n_out]
    return (conv > 0).mean(), conv.max()


def mini_conv_ref(x, chans, dilation, idx):
    """MiniRocket convolution ("same" zero padding) of channels ``chans`` of x (C, T)."""
    w = -np.ones(9)
    w[list(idx)] = 2.0
    T = x.shape[1]
    out = np.zeros(T)
    for ch in chans:
        for j in range(9):
            shift = (j - 4) * dilation  # out[t] += w[j] * x[t + shift] where defined
            lo, hi = max(0, -shift), min(T, T - shift)
            if hi > lo:
                out[lo:hi] += w[j] * x[ch, lo + shift : hi + shift]
    return out


def pools_ref(C, bias):
    """PPV, LSPV, MPV, MIPV of C - bias (Tan et al. 2022 definitions)."""
    z = C - bias
    pos = z > 0
    longest = run = 0
    for p in pos:
        run = run + 1 if p else 0
        longest = max(longest, run)
    m = pos.sum()
    mpv = z[pos].mean() if m else 0.0
    mipv = np.flatnonzero(pos).mean() if m else -1.0
    return pos.mean(), longest, mpv, mipv


def mini_units(kernels):
    """(dilation index, dilation, kernel index, bias, combination index) per feature."""
    from sklearn_geom.timeseries._kernels import MINIROCKET_INDICES

    out = []
    f = 0
    for di, (d, nf) in enumerate(zip(kernels["dilations"], kernels["n_features_per_dilation"])):
        for k in range(84):
            for _ in range(nf):
                out.append((di, int(d), k, kernels["biases"][f], di * 84 + k))
                f += 1
    return out, MINIROCKET_INDICES


def mini_feature_ref(x, kernels, unit, multi):
    di, d, k, bias, comb = unit
    units, indices = mini_units(kernels)
    c0 = kernels["channel_offsets"][comb]
    chans = kernels["channel_indices"][c0 : c0 + kernels["channel_counts"][comb]]
    C = mini_conv_ref(x, chans, d, indices[k])
    T = C.shape[0]
    if (di + k) % 2 == 1 and T - 8 * d > 0:
        C = C[4 * d : T - 4 * d]
    p = pools_ref(C, float(bias))
    return p if multi else p[:1]


# --------------------------------------------------------------------------- ROCKET kernels


def test_rocket_kernel_statistics():
    """Kernel parameters follow the ROCKET definition (Dempster et al. 2020)."""
    T = 500
    n = 30000
    r = RocketTransformer(n_kernels=n, random_state=1).fit(_walks(3, T))
    k = r.kernels_
    L = k["lengths"]
    for length in (7, 9, 11):
        assert abs((L == length).mean() - 1 / 3) < 0.015
    w = k["weights"].astype(np.float64)
    # mean-centred per kernel; before centring N(0, 1) so the variance is (L - 1) / L
    seg = [w[o : o + ln] for o, ln in zip(k["weight_offsets"], L)]
    assert max(abs(s.mean()) for s in seg) < 1e-5
    for length in (7, 9, 11):
        pooled = np.concatenate([s for s, ln in zip(seg, L) if ln == length])
        assert abs(pooled.var() - (length - 1) / length) < 0.03
    b = k["biases"].astype(np.float64)
    assert b.min() >= -1 and b.max() <= 1
    assert abs(b.mean()) < 0.02 and abs(b.var() - 1 / 3) < 0.01
    d = k["dilations"]
    A = np.log2((T - 1) / (L - 1))
    assert d.min() >= 1 and np.all(d <= (T - 1) / (L - 1))
    # d = floor(2^U(0, A)): P(d <= m) = log2(m + 1) / A (for m + 1 <= 2^A)
    for m in (1, 3, 7, 20):
        for length in (7, 9, 11):
            sel = L == length
            expected = min(1.0, np.log2(m + 1) / A[sel][0])
            assert abs((d[sel] <= m).mean() - expected) < 0.03
    p = k["paddings"]
    padded = p > 0
    assert abs(padded.mean() - 0.5) < 0.015
    np.testing.assert_array_equal(p[padded], ((L - 1) * d // 2)[padded])
    assert np.all(k["channel_counts"] == 1)


def test_rocket_multivariate_channel_subsets():
    """Multivariate kernels use floor(2^U(0, log2(min(C, L) + 1))) distinct channels."""
    C = 5
    r = RocketTransformer(n_kernels=6000, random_state=0).fit(_walks(4, 40, C=C))
    k = r.kernels_
    cnt = k["channel_counts"]
    assert cnt.min() >= 1 and cnt.max() <= C
    # P(count = 1) = P(2^U < 2) = 1 / log2(C + 1)
    assert abs((cnt == 1).mean() - 1 / np.log2(C + 1)) < 0.03
    for o, c in zip(k["channel_offsets"][:500], cnt[:500]):
        ch = k["channel_indices"][o : o + c]
        assert len(set(ch.tolist())) == c and ch.min() >= 0 and ch.max() < C
    assert len(k["weights"]) == (k["lengths"] * cnt).sum()


@pytest.mark.parametrize("C", [None, 3])
def test_rocket_matches_bruteforce(C):
    """PPV and max of ROCKET kernels equal a brute-force numpy convolution (float64),
    including series of other lengths than at fit (variable length, shorter than kernels)."""
    X = _walks(4, 60, C=C, seed=3)
    r = RocketTransformer(n_kernels=40, dtype="float64", normalize=False, random_state=2)
    r.fit(X)
    k = r.kernels_
    rng = np.random.RandomState(5)
    nch = 1 if C is None else C
    series = [rng.normal(size=(nch, T)) for T in (60, 33, 9, 4, 1)]
    F = r.transform(series if C is not None else [s[0] for s in series])
    for i, s in enumerate(series):
        for j in range(40):
            L = k["lengths"][j]
            cnt = k["channel_counts"][j]
            w = k["weights"][k["weight_offsets"][j] :][: cnt * L].reshape(cnt, L)
            ch = k["channel_indices"][k["channel_offsets"][j] :][:cnt]
            ppv, mx = rocket_ref(s, w, ch, k["biases"][j], k["dilations"][j], k["paddings"][j])
            assert F[i, 2 * j] == pytest.approx(ppv, abs=1e-12)
            assert F[i, 2 * j + 1] == pytest.approx(mx, rel=1e-10, abs=1e-10)


def test_rocket_matches_aeon_convolution():
    """Peer check: aeon's ROCKET kernel application on our kernels gives our features
    (float32 both; differences only from rounding order: max within 1e-4, PPV rarely
    off by one position)."""
    pytest.importorskip("aeon")
    from aeon.transformations.collection.convolution_based._rocket import _apply_kernels

    X = _walks(10, 80, C=2, seed=4).astype(np.float32)
    r = RocketTransformer(n_kernels=300, normalize=False, random_state=0).fit(X)
    k = r.kernels_
    aeon_kernels = (
        k["weights"].astype(np.float32),
        k["lengths"].astype(np.int32),
        k["biases"].astype(np.float32),
        k["dilations"].astype(np.int32),
        k["paddings"].astype(np.int32),
        k["channel_counts"].astype(np.int32),
        k["channel_indices"].astype(np.int32),
    )
    A = _apply_kernels(X, aeon_kernels)
    F = r.transform(X)
    np.testing.assert_allclose(F[:, 1::2], A[:, 1::2], rtol=1e-4, atol=1e-4)
    ppv_diff = np.abs(F[:, ::2] - A[:, ::2])
    assert ppv_diff.max() <= 1 / 40 + 1e-6  # at most one position of >= 40
    assert (ppv_diff > 0).mean() < 0.01


# --------------------------------------------------------------------------- MiniRocket


def test_minirocket_parameters_match_aeon():
    """Peer check: dilations, features per dilation and the quantile sequence equal
    aeon's; with one training example (no random draw) the biases equal aeon's."""
    pytest.importorskip("aeon")
    from aeon.transformations.collection.convolution_based import MiniRocket
    from aeon.transformations.collection.convolution_based import _minirocket as am

    from sklearn_geom.timeseries._kernels import fit_dilations, quantiles

    for T in (9, 10, 24, 150, 1000, 5000):
        for nf in (84, 500, 840, 10000, 50000):
            a = am._fit_dilations(T, nf, 32)
            b = fit_dilations(T, nf, 32)
            np.testing.assert_array_equal(a[0], b[0])
            np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(am._quantiles(9996), quantiles(9996))

    X = _walks(1, 120, seed=6)[:, None, :].astype(np.float32)
    ours = RocketTransformer(kind="minirocket", n_kernels=2000, normalize=False).fit(X)
    theirs = MiniRocket(n_kernels=2000, random_state=0).fit(X)
    np.testing.assert_allclose(ours.kernels_["biases"], theirs.parameters[4], rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("C", [1, 3])
def test_minirocket_features_match_aeon(C):
    """Peer check: aeon's MiniRocket transform with our fitted parameters gives exactly
    our features (same definition, same single precision)."""
    pytest.importorskip("aeon")
    from aeon.transformations.collection.convolution_based import MiniRocket

    X = _walks(15, 70, C=C, seed=7).astype(np.float32)
    ours = RocketTransformer(kind="minirocket", n_kernels=1000, normalize=False, random_state=0)
    ours.fit(X)
    k = ours.kernels_
    theirs = MiniRocket(n_kernels=1000, random_state=0).fit(X)
    theirs.parameters = (
        k["channel_counts"].astype(np.int32),
        k["channel_indices"].astype(np.int32),
        k["dilations"].astype(np.int32),
        k["n_features_per_dilation"].astype(np.int32),
        k["biases"].astype(np.float32),
    )
    A = theirs.transform(X)
    F = ours.transform(X)
    assert A.shape == F.shape
    diff = np.abs(A - F)
    assert diff.max() <= 1 / 70 + 1e-6
    assert (diff > 0).mean() < 0.002


@pytest.mark.parametrize("kind", ["minirocket", "multirocket"])
def test_minirocket_family_matches_numpy_definition(kind):
    """MiniRocket (PPV) and MultiRocket (PPV, LSPV, MPV, MIPV on the series and on its
    first difference) equal a brute-force numpy implementation of the definitions, in
    float64, on series of several lengths (fit length, longer, shorter than the kernel)."""
    X = _walks(6, 40, C=2, seed=8)
    r = RocketTransformer(
        kind=kind, n_kernels=168, dtype="float64", normalize=False, random_state=3
    ).fit(X)
    rng = np.random.RandomState(9)
    series = [rng.normal(size=(2, T)) for T in (40, 57, 12, 5, 1)]
    F = r.transform(series)
    multi = kind == "multirocket"
    reps = (
        [("raw", r.kernels_["raw"]), ("diff", r.kernels_["diff"])]
        if multi
        else [("raw", r.kernels_)]
    )
    col = 0
    for rep, kern in reps:
        units, _ = mini_units(kern)
        nf = len(units)
        check = rng.choice(nf, size=min(nf, 60), replace=False)
        for i, s in enumerate(series):
            x = s
            if rep == "diff":
                x = np.diff(s, axis=1) if s.shape[1] > 1 else np.zeros((2, 1))
            for f in check:
                ref = mini_feature_ref(x, kern, units[f], multi)
                for p, v in enumerate(ref):
                    got = F[i, col + p * nf + f]
                    assert got == pytest.approx(v, rel=1e-9, abs=1e-9), (rep, i, f, p)
        col += (4 if multi else 1) * nf
    assert col == F.shape[1]


def test_minirocket_biases_are_quantiles_of_one_example():
    """Each bias is the stated quantile of the full convolution output of the training
    example (with one example no random draw is involved); numpy's np.quantile as
    reference."""
    from sklearn_geom.timeseries._kernels import quantiles

    X = _walks(1, 64, seed=10)
    r = RocketTransformer(kind="minirocket", n_kernels=420, dtype="float64", normalize=False)
    r.fit(X)
    units, indices = mini_units(r.kernels_)
    q = quantiles(len(units)).astype(np.float64)
    for f in range(0, len(units), 7):
        di, d, k, bias, comb = units[f]
        C = mini_conv_ref(X, [0], d, indices[k])
        assert bias == pytest.approx(np.quantile(C, q[f]), rel=1e-9, abs=1e-9)


def test_select_ranks_equals_full_sort():
    """The partial selection behind the biases puts at every wanted rank the value a full
    sort puts there (numpy's sort as reference), with many equal values, constant arrays,
    sorted and reversed input, and the input is a permutation of the original."""
    from sklearn_geom.timeseries._minirocket_numba import _select_ranks

    rng = np.random.RandomState(0)
    for trial in range(300):
        n = int(rng.randint(1, 400))
        kind = trial % 5
        if kind == 0:
            a = rng.normal(size=n)
        elif kind == 1:
            a = rng.randint(0, 1 + trial % 7, size=n).astype(float)  # many ties
        elif kind == 2:
            a = np.full(n, 2.5)
        elif kind == 3:
            a = np.sort(rng.normal(size=n))
        else:
            a = np.sort(rng.normal(size=n))[::-1].copy()
        a = a.astype(np.float32)
        ks = np.unique(rng.randint(0, n, size=rng.randint(1, 12))).astype(np.int64)
        b = a.copy()
        _select_ranks(b, ks)
        np.testing.assert_array_equal(b[ks], np.sort(a)[ks])
        np.testing.assert_array_equal(np.sort(b), np.sort(a))


def test_multirocket_raw_features_match_aeon():
    """Peer check on the raw-series block of MultiRocket with our parameters injected into
    aeon: PPV and MIPV equal; aeon's MPV adds the bias instead of subtracting it (a known
    quirk of the reference code) so aeon - 2 * bias equals ours; LSPV differs by definition
    (ours: longest run of positive values, as in the paper)."""
    pytest.importorskip("aeon")
    from aeon.transformations.collection.convolution_based import MultiRocket

    X = _walks(10, 60, C=1, seed=11).astype(np.float32)
    ours = RocketTransformer(kind="multirocket", n_kernels=336, normalize=False, random_state=0)
    F = ours.fit_transform(X)
    kr, kd = ours.kernels_["raw"], ours.kernels_["diff"]
    theirs = MultiRocket(n_kernels=336, random_state=0).fit(X)
    theirs.parameter = (
        kr["dilations"].astype(np.int32),
        kr["n_features_per_dilation"].astype(np.int32),
        kr["biases"].astype(np.float32),
    )
    theirs.parameter1 = (
        kd["dilations"].astype(np.int32),
        kd["n_features_per_dilation"].astype(np.int32),
        kd["biases"].astype(np.float32),
    )
    A = theirs.transform(X)
    assert A.shape == F.shape
    nf = 84 * int(kr["n_features_per_dilation"].sum())
    ppv, mpv, mipv = slice(0, nf), slice(2 * nf, 3 * nf), slice(3 * nf, 4 * nf)
    np.testing.assert_allclose(F[:, ppv], A[:, ppv], atol=1 / 60 + 1e-6)
    assert (F[:, ppv] != A[:, ppv]).mean() < 0.002
    same = F[:, ppv] == A[:, ppv]
    np.testing.assert_allclose(F[:, mipv][same], A[:, mipv][same], rtol=1e-5)
    b = kr["biases"][None, :].repeat(len(X), 0)
    has = (F[:, ppv] > 0) & same
    np.testing.assert_allclose(F[:, mpv][has], (A[:, mpv] - 2 * b)[has], rtol=1e-4, atol=1e-3)


def test_n_kernels_conventions():
    X = _walks(5, 30)
    assert RocketTransformer(n_kernels=50).fit_transform(X).shape == (5, 100)
    assert RocketTransformer(kind="minirocket", n_kernels=1000).fit_transform(X).shape == (
        5,
        84 * 11,
    )
    assert RocketTransformer(kind="minirocket", n_kernels=10).fit_transform(X).shape == (5, 84)
    assert RocketTransformer(kind="multirocket", n_kernels=200).fit_transform(X).shape == (
        5,
        8 * 84 * 2,
    )
    r = RocketTransformer(kind="multirocket").fit(X)
    assert r.transform(X).shape == (5, 49728)


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_features(kind):
    X = _walks(8, 40, seed=12)
    a = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=5).fit_transform(X)
    b = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=np.int64(5))
    np.testing.assert_array_equal(a, b.fit_transform(X))
    c = RocketTransformer(
        kind=kind, n_kernels=SMALL[kind], random_state=np.random.RandomState(5)
    ).fit_transform(X)
    d = RocketTransformer(
        kind=kind, n_kernels=SMALL[kind], random_state=np.random.RandomState(5)
    ).fit_transform(X)
    np.testing.assert_array_equal(c, d)
    e = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=6).fit_transform(X)
    assert not np.array_equal(a, e)


@pytest.mark.parametrize("kind", KINDS)
def test_n_jobs_does_not_change_features(kind):
    X = _walks(9, 45, C=2, seed=13)
    a = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0, n_jobs=1)
    b = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0, n_jobs=2)
    np.testing.assert_array_equal(a.fit_transform(X), b.fit_transform(X))
    c = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0, n_jobs=-1)
    np.testing.assert_array_equal(a.transform(X), c.fit(X).transform(X))


@pytest.mark.parametrize("kind", KINDS)
def test_pickle_round_trip(kind):
    X = _walks(6, 30, seed=14)
    r = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit(X)
    r2 = pickle.loads(pickle.dumps(r))
    np.testing.assert_array_equal(r.transform(X), r2.transform(X))


@pytest.mark.parametrize("kind", KINDS)
def test_keep_features_equals_full_columns(kind):
    """A pruned transformer outputs exactly the kept columns of the full transform."""
    X = _walks(7, 50, C=2, seed=15)
    r = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit(X)
    full = r.transform(X)
    names = r.get_feature_names_out()
    rng = np.random.RandomState(0)
    mask = rng.rand(full.shape[1]) < 0.1
    r.keep_features(mask)
    np.testing.assert_array_equal(r.transform(X), full[:, mask])
    np.testing.assert_array_equal(r.get_feature_names_out(), names[mask])
    # composition: indices refer to the current output
    r.keep_features([2, 0])
    kept = np.flatnonzero(mask)[[0, 2]]
    np.testing.assert_array_equal(r.transform(X), full[:, kept])
    assert list(r.features_kept_) == list(kept)
    r2 = pickle.loads(pickle.dumps(r))
    np.testing.assert_array_equal(r2.transform(X), full[:, kept])
    r.keep_features(None)
    np.testing.assert_array_equal(r.transform(X), full)
    with pytest.raises(ValueError, match="boolean mask"):
        r.keep_features(np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="lie in"):
        r.keep_features([full.shape[1]])
    with pytest.raises(ValueError, match="at least one"):
        r.keep_features(np.zeros(full.shape[1], dtype=bool))
    # refitting resets the selection
    assert r.fit(X).transform(X).shape == full.shape


@pytest.mark.parametrize("kind", KINDS)
def test_keep_features_computes_only_needed_kernels(kind, monkeypatch):
    """After pruning, the numba kernels are asked only for the kept kernels (ROCKET) or
    kernel/dilation/bias combinations (MiniRocket, MultiRocket)."""
    import sklearn_geom.timeseries._rocket as mod

    calls = []
    for fname in ("rocket_transform", "mini_transform"):
        real = getattr(mod, fname)

        def spy(*args, _real=real, _name=fname):
            calls.append((_name, args))
            return _real(*args)

        monkeypatch.setattr(mod, fname, spy)
    X = _walks(4, 40, seed=16)
    r = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit(X)
    full = r.transform(X)
    keep = [1, 5, full.shape[1] - 1]
    calls.clear()
    np.testing.assert_array_equal(r.keep_features(keep).transform(X), full[:, keep])
    if kind == "rocket":
        ((name, args),) = calls
        np.testing.assert_array_equal(args[13], [0, 2, SMALL[kind] - 1])  # kernel_ids
    else:
        wanted = sum(int((args[11] >= 0).any(axis=1).sum()) for _, args in calls)
        assert wanted == 3 if kind == "minirocket" else wanted <= 3


@pytest.mark.parametrize("kind", KINDS)
def test_input_layouts_agree(kind):
    """2-D (n, T), 3-D (n, 1, T) and a list of 1-D series give the same features; each
    series of an unequal-length list gives what it gives alone."""
    X = _walks(6, 35, seed=17)
    r = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit(X)
    F = r.transform(X)
    np.testing.assert_array_equal(F, r.transform(X[:, None, :]))
    np.testing.assert_array_equal(F, r.transform(list(X)))
    r3 = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0)
    np.testing.assert_array_equal(F, r3.fit_transform(list(X)))
    rng = np.random.RandomState(1)
    ragged = [np.cumsum(rng.normal(size=T)) for T in (35, 80, 10, 3, 1)]
    G = r.transform(ragged)
    assert np.isfinite(G).all()
    for i, s in enumerate(ragged):
        np.testing.assert_array_equal(G[i], r.transform([s])[0])


@pytest.mark.parametrize("kind", KINDS)
def test_short_constant_and_tiny_series(kind):
    """Series of 1-5 points, constant series: finite features, no NaN; a constant series
    is normalised to zeros (its features equal those of an all-zero series)."""
    for T in (1, 2, 3, 5):
        X = _walks(4, T, seed=T)
        F = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit_transform(X)
        assert np.isfinite(F).all()
    X = _walks(5, 30, seed=18)
    X[2] = 3.7
    r = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0).fit(X)
    F = r.transform(X)
    assert np.isfinite(F).all()
    np.testing.assert_array_equal(F[2], r.transform(np.zeros((1, 30)))[0])


@pytest.mark.parametrize("kind", KINDS)
def test_normalise_is_per_series_znorm(kind):
    X = _walks(6, 40, C=2, seed=19) * 5 + 3
    Z = (X - X.mean(-1, keepdims=True)) / X.std(-1, keepdims=True)
    a = RocketTransformer(kind=kind, n_kernels=SMALL[kind], random_state=0, dtype="float64")
    b = RocketTransformer(
        kind=kind, n_kernels=SMALL[kind], random_state=0, dtype="float64", normalize=False
    )
    np.testing.assert_allclose(a.fit_transform(X), b.fit_transform(Z), rtol=1e-7, atol=1e-7)


def test_bad_input():
    r = RocketTransformer(n_kernels=10, random_state=0)
    X = _walks(5, 20)
    Xn = X.copy()
    Xn[1, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        r.fit(Xn)
    with pytest.raises(ValueError, match="NaN"):
        r.fit(Xn[:, None, :])
    with pytest.raises(ValueError, match="NaN"):
        r.fit([X[0], Xn[1]])
    with pytest.raises(ValueError, match="empty"):
        r.fit([])
    with pytest.raises(ValueError, match="same number of channels"):
        r.fit([np.zeros((2, 10)), np.zeros((3, 10))])
    with pytest.raises(ValueError, match="dimensions"):
        r.fit([np.zeros((2, 2, 2))])
    r.fit(_walks(5, 20, C=2))
    with pytest.raises(ValueError, match="channels"):
        r.transform(_walks(5, 20, C=3))
    r.fit(X)
    # 2-D input of another length: scikit-learn's n_features_in_ message, then what is
    # accepted instead (3-D arrays and lists of any length)
    expected = "X has 21 features, but RocketTransformer is expecting 20"
    with pytest.raises(ValueError, match=expected) as e:
        r.transform(_walks(5, 21))
    assert "20 time points" in str(e.value) and "3-D array" in str(e.value)
    assert "list of series" in str(e.value)
    # 3-D input of another length than at fit is fine (kernels apply at any length)
    assert r.transform(_walks(2, 33)[:, None, :]).shape == (2, 20)
    # arrays of another dimension: the message names the accepted layouts (not "dim <= 2")
    for bad in (np.zeros((2, 1, 1, 20)), np.zeros(20)):
        for call in (r.transform, RocketTransformer(n_kernels=10).fit):
            with pytest.raises(ValueError, match=f"X has {bad.ndim} dimension") as e:
                call(bad)
            msg = str(e.value)
            assert "dim <= 2" not in msg
            assert "(n_cases, n_timepoints)" in msg
            assert "(n_cases, n_channels, n_timepoints)" in msg and "list of" in msg
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        r.transform(np.zeros(20))
    # the input is not modified
    X0 = X.copy()
    RocketTransformer(kind="multirocket", n_kernels=84).fit_transform(X)
    np.testing.assert_array_equal(X, X0)


def test_readonly_input_and_dtypes():
    X = _walks(5, 25).astype(np.float32)
    X.setflags(write=False)
    F = RocketTransformer(n_kernels=10, random_state=0, normalize=False).fit_transform(X)
    assert F.dtype == np.float32
    G = RocketTransformer(
        n_kernels=10, random_state=0, normalize=False, dtype=np.float64
    ).fit_transform(X)
    assert G.dtype == np.float64
    np.testing.assert_allclose(F, G, rtol=1e-4, atol=1e-4)
    Xi = (X * 10).astype(np.int64)
    assert RocketTransformer(kind="minirocket", n_kernels=84).fit_transform(Xi).shape == (5, 84)


def test_pandas_output_and_names():
    pd = pytest.importorskip("pandas")
    X = _walks(4, 30)
    r = RocketTransformer(kind="multirocket", n_kernels=84, random_state=0).set_output(
        transform="pandas"
    )
    df = r.fit_transform(X)
    assert isinstance(df, pd.DataFrame)
    assert df.shape == (4, 672)
    assert df.columns[0].startswith("multirocket_raw_k0_d1_b0_ppv")
    assert df.columns[-1].startswith("multirocket_diff_k83_")
    assert df.columns[-1].endswith("_mipv")
    assert len(set(df.columns)) == df.shape[1]
    names = RocketTransformer(kind="minirocket", n_kernels=168).fit(X).get_feature_names_out()
    assert names[0] == "minirocket_k0_d1_b0_ppv" and len(set(names)) == len(names)


# --------------------------------------------------------------------------- accuracy


def _load(name):
    aeon_datasets = pytest.importorskip("aeon.datasets")
    Xtr, ytr = aeon_datasets.load_classification(name, split="train")
    Xte, yte = aeon_datasets.load_classification(name, split="test")
    return Xtr, ytr, Xte, yte


def _accuracy(name, **params):
    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    Xtr, ytr, Xte, yte = _load(name)
    model = make_pipeline(
        RocketTransformer(random_state=0, n_jobs=-1, **params),
        StandardScaler(),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)),
    )
    return model.fit(Xtr, ytr).score(Xte, yte)


# Published single-run accuracies (Dempster et al. 2020/2021, Tan et al. 2022):
# GunPoint 1.00, ItalyPowerDemand ~0.97, OSULeaf ~0.94 (ROCKET), BasicMotions 1.00,
# JapaneseVowels ~0.96-0.99 (Ruiz et al. 2021 multivariate bake-off; unequal lengths).
@pytest.mark.parametrize(
    "name, kind, n_kernels, minimum",
    [
        ("GunPoint", "rocket", 10_000, 0.98),
        ("ItalyPowerDemand", "rocket", 10_000, 0.95),
        ("OSULeaf", "rocket", 10_000, 0.90),
        ("GunPoint", "minirocket", 10_000, 0.98),
        ("ItalyPowerDemand", "minirocket", 10_000, 0.94),
        ("GunPoint", "multirocket", 6_250, 0.98),
        ("ItalyPowerDemand", "multirocket", 6_250, 0.94),
        ("BasicMotions", "rocket", 2_000, 0.95),
        # unequal lengths (7-26), 12 channels; without normalisation (see below)
        ("JapaneseVowels", "minirocket", 10_000, 0.96),
    ],
)
def test_accuracy_on_bundled_ucr_sets(name, kind, n_kernels, minimum):
    """RidgeClassifierCV(alphas=logspace(-3, 3, 10)) on our features reaches the published
    accuracy range (reference: the papers' single-run accuracies on the default split).

    JapaneseVowels is run with ``normalize=False``: per-channel z-normalisation removes the
    level of each cepstral coefficient, which carries much of the class information
    (measured here: 0.80 with normalisation, 0.98 without; the MiniRocket papers do not
    normalise)."""
    normalize = name != "JapaneseVowels"
    acc = _accuracy(name, kind=kind, n_kernels=n_kernels, normalize=normalize)
    assert acc >= minimum, f"{name} {kind}: accuracy {acc:.3f} < {minimum}"


def test_multirocket_diff_block_matches_aeon_on_differenced_series():
    """Peer check of the first-difference block: aeon's MultiRocket raw-series path applied
    to ``np.diff(X)`` with our difference-representation parameters gives exactly our PPV.
    (aeon's own difference path starts its left-hand shifts one position off, ``end =
    n_timepoints - padding`` for a series of ``n_timepoints - 1``; we follow the definition.)
    """
    pytest.importorskip("aeon")
    from aeon.transformations.collection.convolution_based import MultiRocket

    X = _walks(10, 60, C=1, seed=21).astype(np.float32)
    ours = RocketTransformer(kind="multirocket", n_kernels=336, normalize=False, random_state=0)
    F = ours.fit_transform(X)
    kd = ours.kernels_["diff"]
    D = np.diff(X, axis=-1)
    theirs = MultiRocket(n_kernels=336, random_state=0).fit(D)
    p = (
        kd["dilations"].astype(np.int32),
        kd["n_features_per_dilation"].astype(np.int32),
        kd["biases"].astype(np.float32),
    )
    theirs.parameter = theirs.parameter1 = p
    A = theirs.transform(D)
    nf = 84 * int(kd["n_features_per_dilation"].sum())
    diff = np.abs(A[:, :nf] - F[:, 4 * nf : 5 * nf])
    assert diff.max() <= 1 / 59 + 1e-6 and (diff > 0).mean() < 0.002


# tests/test_common.py runs scikit-learn's checks on the default kind; the other two here.
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


@parametrize_with_checks(
    [
        RocketTransformer(kind="minirocket", n_kernels=84),
        RocketTransformer(kind="multirocket", n_kernels=84),
    ]
)
def test_sklearn_checks_other_kinds(estimator, check):
    check(estimator)
