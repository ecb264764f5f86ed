"""Capture overhead of TorchActivations against a plain forward pass.

Same model, same batches, one run, alternating: the plain forward (``model.eval()``,
``torch.inference_mode()``, a loop over the batches keeping only the output) against
``TorchActivations(model, layers=...).transform`` capturing *every block* (pooled to one
row per sample, copied to float32 numpy, concatenated per layer).  Reported: the median
over ``--repeats`` of each and their ratio (target: < 1.3x).

Models (untrained, seed 0): an MLP of 8 blocks Linear(512, 512) + ReLU on 8192 x 512
inputs, and a small CNN of 4 blocks Conv2d(3x3) + ReLU (32 channels, 32 x 32 maps) on
2048 x 3 x 32 x 32 inputs, capturing each block's output with ``pooling="flatten"``
(every value) and with ``pooling="global_avg"``.  Batch size 256.

Usage::

    python benchmarks/activations.py [--repeats 5] [--threads 2] [--only mlp|cnn]
"""

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

os.environ.setdefault(
    "NUMBA_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "sklearn_geom", "numba")
)


def mlp(width=512, depth=8):
    import torch

    torch.manual_seed(0)
    blocks = [torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU())
              for _ in range(depth)]
    return torch.nn.Sequential(*blocks)


def cnn(channels=32, depth=4):
    import torch

    torch.manual_seed(0)
    blocks = [torch.nn.Sequential(torch.nn.Conv2d(3, channels, 3, padding=1), torch.nn.ReLU())]
    blocks += [torch.nn.Sequential(torch.nn.Conv2d(channels, channels, 3, padding=1),
                                   torch.nn.ReLU()) for _ in range(depth - 1)]
    return torch.nn.Sequential(*blocks)


def plain_forward(model, X, batch_size):
    import torch

    model.eval()
    outs = []
    with torch.inference_mode():
        for s in range(0, len(X), batch_size):
            outs.append(model(torch.as_tensor(X[s : s + batch_size])))
    return outs


def bench(name, model, X, pooling, repeats, batch_size=256):
    from sklearn_geom.activations import TorchActivations

    layers = [str(i) for i in range(len(model))]
    ta = TorchActivations(model, layers=layers, pooling=pooling, batch_size=batch_size).fit(X)
    plain_forward(model, X[:batch_size], batch_size)  # warm-up
    t_plain, t_capture = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        plain_forward(model, X, batch_size)
        t_plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = ta.transform(X)
        t_capture.append(time.perf_counter() - t0)
    mb = sum(a.nbytes for _, a in out) / 2**20
    p, c = statistics.median(t_plain), statistics.median(t_capture)
    print(f"{name:<32} {len(layers):>2} layers  captured {mb:8.1f} MiB  plain {p:7.3f} s  "
          f"capture {c:7.3f} s  ratio {c / p:5.2f}x")
    return c / p


def main(argv=None):
    import torch

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", choices=["mlp", "cnn"], default=None)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    print(f"python {platform.python_version()}, torch {torch.__version__}, "
          f"{args.threads} torch threads, {os.cpu_count()} cores, median of {args.repeats}")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8192, 512)).astype(np.float32)
    images = rng.normal(size=(2048, 3, 32, 32)).astype(np.float32)
    if args.only in (None, "mlp"):
        bench("MLP 8 x Linear(512)+ReLU, flatten", mlp(), X, "flatten", args.repeats)
    if args.only in (None, "cnn"):
        bench("CNN 4 x Conv(32)+ReLU, flatten", cnn(), images, "flatten", args.repeats)
        bench("CNN 4 x Conv(32)+ReLU, global_avg", cnn(), images, "global_avg", args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
