"""TorchActivations against activations computed by hand from the same tiny modules.

The reference values are computed in the tests by calling the submodules directly
(or by explicit numpy/torch arithmetic for pooling), never by the extractor.
"""

import re
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from sklearn.pipeline import make_pipeline  # noqa: E402

from sklearn_geom.activations import TorchActivations, select_layers  # noqa: E402
from sklearn_geom.dimension import TwoNN  # noqa: E402
from sklearn_geom.utils import LayeredData  # noqa: E402


def mlp(seed=0, d_in=5):
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(d_in, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3)
    )


def manual(net, X, upto):
    with torch.no_grad():
        h = torch.as_tensor(X, dtype=torch.float32)
        for i in range(upto + 1):
            h = net[i](h)
    return h.numpy()


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(37, 5))


class Block(nn.Module):
    """A transformer-style block: returns (hidden_states, attention_weights)."""

    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)

    def forward(self, h, mask):
        h = torch.tanh(self.lin(h)) + h
        att = torch.softmax(h @ h.transpose(1, 2), dim=-1)
        return h * mask[..., None], att


class TinyTransformer(nn.Module):
    def __init__(self, vocab=20, d=6, n_blocks=3):
        super().__init__()
        torch.manual_seed(1)
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList([Block(d) for _ in range(n_blocks)])
        self.head = nn.Linear(d, 2)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        for b in self.blocks:
            h, _ = b(h, attention_mask.float())
        return self.head(h)


def tokens(left_pad):
    rng = np.random.default_rng(3)
    ids = rng.integers(1, 20, size=(9, 7))
    lengths = rng.integers(2, 8, size=9)
    mask = np.zeros((9, 7), dtype=np.int64)
    for i, n in enumerate(lengths):
        if left_pad:
            mask[i, 7 - n :] = 1
        else:
            mask[i, :n] = 1
    ids = ids * mask
    return {"input_ids": torch.as_tensor(ids), "attention_mask": torch.as_tensor(mask)}


def block_outputs(model, batch):
    """Hidden states after each block, computed by calling the modules directly."""
    with torch.no_grad():
        h = model.embed(batch["input_ids"])
        outs = []
        for b in model.blocks:
            h, _ = b(h, batch["attention_mask"].float())
            outs.append(h.numpy().copy())
    return outs


# ---------------------------------------------------------------- layer selection


def test_select_layers_by_name_glob_regex_predicate_list():
    model = TinyTransformer()
    assert select_layers(model, "head") == ["head"]
    assert select_layers(model, "blocks.*") == [
        "blocks.0", "blocks.0.lin", "blocks.1", "blocks.1.lin", "blocks.2", "blocks.2.lin"
    ]
    assert select_layers(model, re.compile(r"blocks\.\d")) == ["blocks.0", "blocks.1", "blocks.2"]
    assert select_layers(model, lambda n, m: isinstance(m, nn.Linear)) == [
        "blocks.0.lin", "blocks.1.lin", "blocks.2.lin", "head"
    ]
    assert select_layers(model, ["head", "embed"]) == ["embed", "head"]
    assert select_layers(model) == ["embed", "blocks.0.lin", "blocks.1.lin", "blocks.2.lin", "head"]
    names = [n for n, _ in TorchActivations(model).list_layers()]
    assert names[:2] == ["embed", "blocks"] and ("head", "Linear") in TorchActivations(
        model
    ).list_layers()


def test_unmatched_layer_lists_close_names():
    with pytest.raises(ValueError, match=r"'block.1' matches no module.*blocks\.1"):
        select_layers(TinyTransformer(), "block.1")
    with pytest.raises(ValueError, match="matches no module"):
        TorchActivations(mlp(), layers="fc9").fit(np.zeros((3, 5)))


# ---------------------------------------------------------------- values


def test_values_equal_manual_forward_in_execution_order(X):
    net = mlp()
    acts = TorchActivations(net, layers=["2", "0", "3"], batch_size=8).fit_transform(X)
    assert isinstance(acts, LayeredData)
    assert acts.names == ("0", "2", "3")
    for name, arr in acts:
        assert arr.dtype == np.float32
        np.testing.assert_allclose(arr, manual(net, X, int(name)), rtol=1e-6, atol=1e-6)


def test_execution_order_not_definition_order():
    class Reordered(nn.Module):
        def __init__(self):
            super().__init__()
            self.late = nn.Linear(4, 2)  # defined first, runs second
            self.early = nn.Linear(3, 4)

        def forward(self, x):
            return self.late(self.early(x))

    X = np.ones((4, 3))
    ta = TorchActivations(Reordered(), layers=["late", "early"]).fit(X)
    assert ta.layer_names_ == ["early", "late"] and ta.layer_widths_ == [4, 2]
    assert ta.transform(X).names == ("early", "late")


def test_single_layer_gives_2d_array_and_pipeline_with_twonn():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(400, 3))
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 30), nn.Identity())
    out = TorchActivations(net, layers="0").fit_transform(Z)
    assert out.shape == (400, 30)
    pipe = make_pipeline(TorchActivations(net, layers="0"), TwoNN()).fit(Z)
    # a linear map of 3-D data keeps ID 3 (reference: TwoNN on the manual activations)
    ref = TwoNN().fit(manual(net, Z, 0)).dimension_
    assert pipe[-1].dimension_ == pytest.approx(ref, rel=1e-5)
    assert 2.5 < ref < 3.5


def test_float64_model_and_integer_token_ids():
    net = mlp().double()
    X = np.random.default_rng(0).normal(size=(6, 5)).astype(np.float32)
    out = TorchActivations(net, layers="4").fit_transform(X)
    assert out.dtype == np.float32
    with torch.no_grad():
        ref = net(torch.as_tensor(X, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-6)
    emb = nn.Sequential(nn.Embedding(10, 4))
    ids = np.array([[1, 2], [3, 4]])
    got = TorchActivations(emb, layers="0").fit_transform(ids)
    np.testing.assert_allclose(got, emb[0].weight.detach().numpy()[ids].reshape(2, -1))


# ---------------------------------------------------------------- transformers-style


@pytest.mark.parametrize("left_pad", [False, True])
def test_tuple_outputs_and_mask_aware_pooling(left_pad):
    model = TinyTransformer()
    batch = tokens(left_pad)
    ref = block_outputs(model, batch)
    m = batch["attention_mask"].numpy().astype(bool)
    last = np.array([np.flatnonzero(r)[-1] for r in m])
    first = np.array([np.flatnonzero(r)[0] for r in m])
    for pooling in ("mean", "last", "first"):
        acts = TorchActivations(model, layers="blocks.?", pooling=pooling, batch_size=4)
        out = acts.fit_transform(batch)
        assert out.names == ("blocks.0", "blocks.1", "blocks.2")
        for l, (_, arr) in enumerate(out):
            h = ref[l]
            if pooling == "mean":
                want = np.stack([h[i, m[i]].mean(axis=0) for i in range(9)])
            elif pooling == "last":
                want = h[np.arange(9), last]
            else:
                want = h[np.arange(9), first]
            np.testing.assert_allclose(arr, want, rtol=1e-5, atol=1e-6)


def test_token_level_pooling_none_with_ids():
    model = TinyTransformer()
    batch = tokens(left_pad=True)
    ta = TorchActivations(model, layers=["blocks.1", "blocks.2"], pooling="none", batch_size=4)
    out = ta.fit_transform(batch)
    m = batch["attention_mask"].numpy().astype(bool)
    s, p = np.nonzero(m)
    np.testing.assert_array_equal(ta.sample_ids_, s)
    np.testing.assert_array_equal(ta.position_ids_, p)
    ref = block_outputs(model, batch)
    np.testing.assert_allclose(out["blocks.2"], ref[2][s, p], rtol=1e-5, atol=1e-6)


def test_callable_pooling_and_tuple_index():
    model = TinyTransformer()
    batch = tokens(False)

    def max_pool(h, mask):
        return (h - 1e4 * (1 - mask[..., None].float())).amax(dim=1)

    out = TorchActivations(model, layers="blocks.0", pooling=max_pool).fit_transform(batch)
    ref = block_outputs(model, batch)[0]
    m = batch["attention_mask"].numpy().astype(bool)
    np.testing.assert_allclose(out, np.stack([ref[i, m[i]].max(0) for i in range(9)]), rtol=1e-5)
    # element 1 of the tuple: the attention weights (batch, T, T), flattened
    att = TorchActivations(model, layers="blocks.0", tuple_index=1).fit_transform(batch)
    assert att.shape == (9, 49)
    np.testing.assert_allclose(att.reshape(9, 7, 7).sum(-1), 1.0, rtol=1e-5)


def test_global_average_of_conv_maps():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(2, 5, 3, padding=1), nn.ReLU(), nn.Conv2d(5, 4, 3))
    X = np.random.default_rng(0).normal(size=(6, 2, 8, 8)).astype(np.float32)
    out = TorchActivations(net, layers=["1", "2"], pooling="global_avg").fit_transform(X)
    with torch.no_grad():
        h1 = net[1](net[0](torch.as_tensor(X)))
        h2 = net[2](h1)
    np.testing.assert_allclose(out["1"], h1.numpy().mean(axis=(2, 3)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["2"], h2.numpy().mean(axis=(2, 3)), rtol=1e-5, atol=1e-6)
    flat = TorchActivations(net, layers="2").fit_transform(X)
    assert flat.shape == (6, 4 * 6 * 6)


# ---------------------------------------------------------------- robustness


def test_in_place_ops_do_not_corrupt_capture(X):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 7), nn.ReLU(inplace=True), nn.Linear(7, 2))
    pre = manual(net, X, 0)
    assert (pre < 0).any()
    out = TorchActivations(net, layers="0").fit_transform(X)
    np.testing.assert_allclose(out, pre, rtol=1e-6)  # negative values survive the in-place ReLU
    inp = TorchActivations(net, layers="1", capture="input").fit_transform(X)
    np.testing.assert_allclose(inp, pre, rtol=1e-6)


def test_module_called_twice():
    class Shared(nn.Module):
        def __init__(self):
            super().__init__()
            torch.manual_seed(0)
            self.lin = nn.Linear(4, 4)

        def forward(self, x):
            return self.lin(torch.relu(self.lin(x)))

    net = Shared()
    X = np.random.default_rng(0).normal(size=(5, 4))
    with torch.no_grad():
        first = net.lin(torch.as_tensor(X, dtype=torch.float32))
        second = net.lin(torch.relu(first))
    with pytest.warns(RuntimeWarning, match="ran 2 times"):
        out = TorchActivations(net, layers="lin").fit_transform(X)
    np.testing.assert_allclose(out, second.numpy(), rtol=1e-6)
    out = TorchActivations(net, layers="lin", repeated="first").fit_transform(X)
    np.testing.assert_allclose(out, first.numpy(), rtol=1e-6)
    both = TorchActivations(net, layers="lin", repeated="all").fit_transform(X)
    assert both.names == ("lin#0", "lin#1")
    np.testing.assert_allclose(both["lin#1"], second.numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="ran 2 times"):
        TorchActivations(net, layers="lin", repeated="error").fit(X)


def test_hooks_removed_and_state_restored_on_error():
    class Boom(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 3)
            self.drop = nn.Dropout(0.5)

        def forward(self, x):
            h = self.drop(self.lin(x))
            if x.shape[0] > 2:
                raise RuntimeError("boom")
            return h

    net = Boom()
    net.train()
    ta = TorchActivations(net, layers="lin", batch_size=2).fit(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="boom"):
        TorchActivations(net, layers=["lin", "drop"], batch_size=5).fit(np.ones((5, 3)))
    assert not net.lin._forward_hooks and not net.drop._forward_hooks
    assert not net.lin._forward_pre_hooks
    assert net.training and net.drop.training
    assert all(p.requires_grad for p in net.parameters())
    # evaluation mode during capture: dropout is off, so repeated calls agree
    a = ta.transform(np.ones((2, 3)))
    np.testing.assert_array_equal(a, ta.transform(np.ones((2, 3))))
    assert net.training


def test_layer_not_run_is_an_error():
    class Unused(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = nn.Linear(2, 2)

        def forward(self, x):
            return self.a(x)

    with pytest.raises(RuntimeError, match=r"\['b'\] did not run"):
        TorchActivations(Unused(), layers=["a", "b"]).fit(np.ones((2, 2)))


# ---------------------------------------------------------------- inputs and output


def test_dataloader_dict_and_tensor_inputs_agree(X):
    net = mlp()
    ref = TorchActivations(net, layers=["0", "4"]).fit_transform(X)
    ds = torch.utils.data.TensorDataset(
        torch.as_tensor(X, dtype=torch.float32), torch.zeros(len(X))
    )
    dl = torch.utils.data.DataLoader(ds, batch_size=10, shuffle=False)
    ta = TorchActivations(net, layers=["0", "4"], progress=True)
    from_dl = ta.fit(dl).transform(dl)
    from_t = ta.transform(torch.as_tensor(X, dtype=torch.float32))
    for name in ("0", "4"):
        # different batch sizes: float32 GEMM rounding only
        np.testing.assert_allclose(from_dl[name], ref[name], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(from_t[name], ref[name], rtol=1e-5, atol=1e-6)

    class KW(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, x):
            return self.net(x)

    from_dict = TorchActivations(KW(), layers="net.4").fit_transform({"x": X})
    np.testing.assert_allclose(from_dict, ref["4"], rtol=1e-5, atol=1e-6)


def test_spill_to_disk(X, tmp_path):
    net = mlp()
    ref = TorchActivations(net, layers=["0", "2"], batch_size=7).fit_transform(X)
    ta = TorchActivations(net, layers=["0", "2"], spill_dir=tmp_path, batch_size=7)
    out = ta.fit_transform(X)
    for name in ("0", "2"):
        assert isinstance(out[name], np.memmap)
        np.testing.assert_array_equal(np.asarray(out[name]), ref[name])
    assert len(list(tmp_path.rglob("*.f32"))) == 2
    # a DataLoader (unknown length up front) goes through the appending writer
    dl = torch.utils.data.DataLoader(torch.as_tensor(X, dtype=torch.float32), batch_size=7)
    out = TorchActivations(net, layers=["0", "2"], spill_dir=tmp_path).fit(dl).transform(dl)
    for name in ("0", "2"):
        assert isinstance(out[name], np.memmap)
        np.testing.assert_array_equal(np.asarray(out[name]), ref[name])


def test_bad_input(X):
    net = mlp()
    ta = TorchActivations(net, layers="0").fit(X)
    with pytest.raises(ValueError, match="features"):
        ta.transform(X[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        ta.transform(np.full((2, 5), np.nan))
    with pytest.raises(ValueError, match="different lengths"):
        TorchActivations(net, layers="0").fit({"x": X, "y": X[:3]})
    with pytest.raises(ValueError, match="pooling='none' needs token-level"):
        TorchActivations(net, layers="0", pooling="none").fit(X)
    with pytest.raises(TypeError, match="not a tensor"):
        class Dict(nn.Module):
            def forward(self, x):
                return {"a": 1}

        m = nn.Sequential(Dict())
        TorchActivations(m, layers="0").fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TorchActivations(net, layers="0").fit(X)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_device_round_trip(X):
    """device="cuda": same activations as on the CPU, the model back on the CPU afterwards."""
    net = mlp()
    ref = TorchActivations(net, layers=["0", "4"]).fit_transform(X)
    out = TorchActivations(net, layers=["0", "4"], device="cuda").fit_transform(X)
    assert next(net.parameters()).device.type == "cpu"
    for name in ("0", "4"):
        assert out[name].dtype == np.float32
        np.testing.assert_allclose(out[name], ref[name], rtol=1e-4, atol=1e-5)
