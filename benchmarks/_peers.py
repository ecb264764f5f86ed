"""Run peer libraries that cannot live in the main environment, for the benchmarks.

DADApy 0.3.4 needs numpy < 2 (and imports jax/optax/flax), while sklearn_geom runs on
numpy 2; DADApy therefore lives in its own virtual environment (see benchmarks/README.md)
and is run here through a subprocess:

* the data go through a ``.npy`` file in a temporary folder (float64, as DADApy casts);
* the timing is taken inside the subprocess around the peer call only, so interpreter
  start-up, imports (jax is slow to import) and the file transfer are not counted;
* the result comes back as one JSON line on stdout.

The interpreter is ``$SKLEARN_GEOM_DADAPY_PYTHON`` if set, else ``.venv-dadapy/bin/python``
in the root of the checkout (git ignores ``.venv*/``).  When neither works,
:func:`dadapy_python` raises :class:`PeerUnavailable` with the setup commands.

Command line (a self-check)::

    python benchmarks/_peers.py          # runs DADApy's TwoNN on 2000 uniform 3-D points
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

# Default: a virtual environment in the root of the checkout (relative to this file).
DEFAULT_DADAPY_PYTHON = str(Path(__file__).resolve().parents[1] / ".venv-dadapy" / "bin" / "python")
ENV_VAR = "SKLEARN_GEOM_DADAPY_PYTHON"

SETUP_HELP = f"""\
DADApy runs in its own virtual environment (it needs numpy < 2). Create it in the root of
the checkout with:

    python -m venv .venv-dadapy
    .venv-dadapy/bin/pip install cython "numpy<2" scipy scikit-learn matplotlib \\
        seaborn tqdm networkx setuptools wheel
    .venv-dadapy/bin/pip install --no-build-isolation --no-deps dadapy
    .venv-dadapy/bin/pip install "jax==0.4.30" "jaxlib==0.4.30" "flax==0.8.5" optax "numpy<2"

or create it anywhere and point {ENV_VAR} at its python (see benchmarks/README.md)."""


class PeerUnavailable(RuntimeError):
    """A peer library (or its environment) is not installed."""


def dadapy_python():
    """Path of the python interpreter of the DADApy environment; checks that dadapy imports."""
    exe = os.environ.get(ENV_VAR) or DEFAULT_DADAPY_PYTHON
    if not Path(exe).exists():
        raise PeerUnavailable(f"No DADApy interpreter at {exe!r} ({ENV_VAR}).\n{SETUP_HELP}")
    proc = subprocess.run(
        [exe, "-c", "import dadapy, numpy"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise PeerUnavailable(
            f"`import dadapy` fails with {exe!r}:\n{proc.stderr.strip()[-2000:]}\n{SETUP_HELP}"
        )
    return exe


# The script run inside the DADApy environment: load X, time only the call, print JSON.
_DADAPY_TWONN = textwrap.dedent(
    """
    import json, sys, time, warnings
    from importlib.metadata import version
    import numpy as np
    import sklearn
    from dadapy import Data

    X = np.load(sys.argv[1])
    kwargs = json.loads(sys.argv[2])
    data_kwargs = {key: kwargs.pop(key) for key in ("n_jobs", "maxk") if key in kwargs}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        try:
            data = Data(X, **data_kwargs)
            d, err, scale = data.compute_id_2NN(**kwargs)
            error = None
        except Exception as exc:  # DADApy crashes on some inputs; report, do not hide
            d = err = scale = None
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
    out = dict(
        dimension=None if d is None else float(d),
        error=None if err is None else float(err),
        scale=None if scale is None else float(scale),
        seconds=seconds,
        exception=error,
        warnings=sorted({str(w.message)[:200] for w in caught}),
        n_jobs=getattr(data, "n_jobs", None) if error is None else None,
        maxk=getattr(data, "maxk", None) if error is None else None,
        versions=dict(
            dadapy=version("dadapy"), numpy=np.__version__, sklearn=sklearn.__version__
        ),
    )
    print("__RESULT__" + json.dumps(out))
    """
)


def dadapy_twonn(X, repeats=1, timeout=3600, **kwargs):
    """DADApy's ``Data(X).compute_id_2NN(**kwargs)`` in its own environment.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Saved as float64 (``Data`` casts to float64 itself).
    repeats : int, default=1
        Independent runs, each in a fresh ``Data`` object (the distance computation is
        always included); one subprocess for all of them.
    **kwargs
        Passed to ``compute_id_2NN``; ``n_jobs`` and ``maxk`` go to ``Data`` instead
        (DADApy's defaults: all cores, ``maxk=min(100, N - 1)`` neighbours).

    Returns
    -------
    list of dict
        One dict per repeat: ``dimension``, ``error``, ``scale``, ``seconds`` (time of
        ``Data(X)`` plus ``compute_id_2NN()`` only), ``exception`` (None or the text of the
        exception DADApy raised), ``warnings``, ``n_jobs`` and ``maxk`` DADApy used,
        ``versions``.
    """
    exe = dadapy_python()
    results = []
    with tempfile.TemporaryDirectory(prefix="sklearn_geom_peer_") as tmp:
        path = Path(tmp) / "X.npy"
        np.save(path, np.ascontiguousarray(X, dtype=np.float64))
        script = Path(tmp) / "run.py"
        script.write_text(_DADAPY_TWONN)
        for _ in range(repeats):
            proc = subprocess.run(
                [exe, str(script), str(path), json.dumps(kwargs)],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=dict(os.environ, JAX_PLATFORMS="cpu"),
            )
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("__RESULT__")]
            if proc.returncode != 0 or not lines:
                raise RuntimeError(
                    f"DADApy subprocess failed (exit {proc.returncode}):\n"
                    f"{proc.stderr.strip()[-3000:]}"
                )
            results.append(json.loads(lines[-1][len("__RESULT__") :]))
    return results


def main():
    try:
        exe = dadapy_python()
    except PeerUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    X = np.random.default_rng(0).uniform(size=(2000, 3))
    (res,) = dadapy_twonn(X)
    print(f"DADApy interpreter: {exe}")
    print(json.dumps(res, indent=2))
    return 0 if res["exception"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
