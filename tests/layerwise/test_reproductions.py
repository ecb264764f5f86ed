"""Published layer-by-layer findings reproduced on CPU-sized models trained in the test.

References (the behaviour asserted, not numbers produced by this package):

* Ansuini et al., NeurIPS 2019: in a trained network the intrinsic dimension (ID) falls
  over the last layers; in an untrained one it does not fall the same way.
* Doimo et al., NeurIPS 2020: in a trained classifier the density peaks of the last
  layers match the classes and the label overlap rises with depth; untrained, it falls.
* Tosato et al. 2023: Forward-Forward training gives sparser hidden activations (higher
  Hoyer sparseness) than backprop on the same architecture.
* Medvet, Bartoli, Ansuini, Tarlao, PPSN 2018: the ID of an evolving population falls
  over the generations as diversity is lost.

Thresholds leave wide margins around the values observed (stated beside each).
"""

import warnings
from functools import partial

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pandas")

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from sklearn_geom.activations import TorchActivations  # noqa: E402
from sklearn_geom.dimension import TwoNN  # noqa: E402
from sklearn_geom.layerwise import LayerwiseEstimator, layerwise_profile  # noqa: E402
from sklearn_geom.metrics import hoyer_sparseness, label_overlap  # noqa: E402
from sklearn_geom.neighbors import DuplicatePointsWarning  # noqa: E402


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models train fastest on one thread (and the machine is shared)."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


def digits_mlp(seed=0):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(
        nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10),
    )


def train_classifier(net, X, y, epochs=10, batch=128, lr=3e-3, seed=0):
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(Xt), generator=g)
        for i in range(0, len(Xt), batch):
            idx = perm[i : i + batch]
            loss = torch.nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net


@pytest.mark.slow
def test_mlp_on_digits_trained_vs_untrained():
    cluster = pytest.importorskip("sklearn_geom.cluster")
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    untrained = digits_mlp()
    trained = train_classifier(digits_mlp(), X, y)
    layers = ["1", "3", "5", "7", "8"]  # the four ReLUs and the logits
    profiles = {}
    for name, net in (("trained", trained), ("untrained", untrained)):
        acts = TorchActivations(net, layers=layers).fit_transform(X)
        stack = {"input": X, **{n: a for n, a in acts}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DuplicatePointsWarning)  # dead-ReLU copies
            profiles[name] = LayerwiseEstimator(
                TwoNN(), metrics={"chi": partial(label_overlap, n_neighbors=10)}
            ).fit(stack, y).profile_
        last = cluster.DensityPeak().fit(acts["7"])
        profiles[name + "_ari"] = adjusted_rand_score(y, last.labels_)
    tr, un = profiles["trained"], profiles["untrained"]
    id_in = tr["dimension_"][0]
    # ID of the last hidden layer relative to the input (observed: 0.6 trained, 0.9 untrained)
    assert tr["dimension_"][4] / id_in < 0.75
    assert un["dimension_"][4] / id_in > 0.8
    assert tr["dimension_"][5] < un["dimension_"][5]
    # density peaks of the last hidden layer (observed ARI: 0.99 trained, 0.0 untrained)
    assert profiles["trained_ari"] > 0.6
    assert profiles["untrained_ari"] < 0.3
    # label overlap rises with depth only when trained (observed 0.94 -> 1.0 / 0.94 -> 0.52)
    assert tr["chi"].iloc[-1] > tr["chi"].iloc[0]
    assert np.all(np.diff(tr["chi"].to_numpy()[1:]) >= -0.01)
    assert un["chi"].iloc[-1] < un["chi"].iloc[0] - 0.1


def _embed_label(x, labels):
    x = x.clone()
    x[:, :10] = 0.0
    x[torch.arange(len(x)), labels] = 1.0
    return x


class FFNet(torch.nn.Module):
    """Layers that see the length-normalised output of the previous one (Hinton 2022)."""

    def __init__(self, sizes=(64, 200, 200)):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        )
        self.acts = torch.nn.ModuleList([torch.nn.ReLU() for _ in sizes[1:]])

    def forward(self, x):
        for lin, act in zip(self.layers, self.acts):
            x = act(lin(x / (x.norm(dim=1, keepdim=True) + 1e-6)))
        return x


def train_forward_forward(net, X, y, steps=150, theta=2.0, lr=0.03, seed=0):
    """Layer-local training: goodness sum(h^2) above theta with the right label, below with a
    wrong one (Hinton 2022)."""
    g = torch.Generator().manual_seed(seed)
    pos = _embed_label(X, y)
    neg = _embed_label(X, (y + torch.randint(1, 10, y.shape, generator=g)) % 10)
    for lin, act in zip(net.layers, net.acts):
        opt = torch.optim.Adam(lin.parameters(), lr=lr)

        def layer(h, lin=lin, act=act):
            return act(lin(h / (h.norm(dim=1, keepdim=True) + 1e-6)))

        for _ in range(steps):
            gp, gn = layer(pos).pow(2).sum(1), layer(neg).pow(2).sum(1)
            loss = torch.nn.functional.softplus(torch.cat([theta - gp, gn - theta])).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            pos, neg = layer(pos), layer(neg)
    return net


@pytest.mark.slow
def test_forward_forward_is_sparser_than_backprop():
    X, y = load_digits(return_X_y=True)
    Xt, yt = torch.as_tensor((X / 16.0).astype(np.float32)), torch.as_tensor(y)
    torch.manual_seed(0)
    ff = train_forward_forward(FFNet(), Xt, yt)
    torch.manual_seed(0)
    bp = torch.nn.Sequential(FFNet(), torch.nn.Linear(200, 10))
    opt = torch.optim.Adam(bp.parameters(), lr=0.01)
    for _ in range(150):
        loss = torch.nn.functional.cross_entropy(bp(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    a_ff = TorchActivations(ff, layers="acts.*").fit_transform(_embed_label(Xt, yt))
    a_bp = TorchActivations(bp, layers="0.acts.*").fit_transform(Xt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows silenced by the ReLU
        s_ff = layerwise_profile(a_ff, metrics=hoyer_sparseness)["hoyer_sparseness"]
        s_bp = layerwise_profile(a_bp, metrics=hoyer_sparseness)["hoyer_sparseness"]
    # observed: FF 0.99 / 0.83, BP 0.79 / 0.38
    assert np.all(s_ff.to_numpy() > s_bp.to_numpy() + 0.1)


def evolve(n=200, d=20, generations=60, every=10, rate=0.2, sigma=0.3, seed=0):
    """A generational GA on the sphere function: tournament, uniform crossover, mutation."""
    rng = np.random.default_rng(seed)
    pop = rng.uniform(-5, 5, size=(n, d))
    snapshots = {}
    for g in range(generations + 1):
        if g % every == 0:
            snapshots[f"gen{g}"] = pop.copy()
        f = -np.sum(pop**2, axis=1)
        a, b = rng.integers(0, n, (2, n))
        parents = np.where((f[a] > f[b])[:, None], pop[a], pop[b])
        mates = parents[rng.permutation(n)]
        child = np.where(rng.random((n, d)) < 0.5, parents, mates)
        child += (rng.random((n, d)) < rate / d) * rng.normal(scale=sigma, size=(n, d))
        child[0] = pop[np.argmax(f)]  # elitism
        pop = child
    return snapshots


@pytest.mark.parametrize("seed", [0, 1])
def test_population_id_falls_over_generations(seed):
    gens = evolve(seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DuplicatePointsWarning)  # clones of the elite
        prof = layerwise_profile(gens, TwoNN())
    ids = prof["dimension_"].to_numpy()
    # observed: 13.8 -> 6.1 (seed 0), 14.3 -> 3.7 (seed 1)
    assert ids[-1] < 0.6 * ids[0]
    assert prof["layer"].tolist()[-1] == "gen60"
