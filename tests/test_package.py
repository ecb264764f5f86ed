"""The package surface: subpackages, ``__all__`` lists, top-level re-exports, ``import *``.

Reference: the package folder itself (the subpackages that exist on disk), the
hand-written list in the top-level docstring, and a fresh interpreter running
``from sklearn_geom import *`` (with and without the optional dependencies).
"""

import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sklearn_geom
from sklearn_geom.utils import all_estimators, all_public_objects, public_subpackages

# Optional third-party dependencies (extras); the package must import without them
# (they are imported inside the functions that need them).
OPTIONAL_DEPENDENCIES = (
    "torch",
    "matplotlib",
    "dask",
    "distributed",
    "tqdm",
    "sktime",
    "aeon",
    "pandas",
    "faiss",
    "skdim",
    "dadapy",
    "dionysus",
)

# Subpackages left out of ``from sklearn_geom import *``: {name: reason}.  None today.
EXCLUDED_FROM_STAR = {}


def _docstring_subpackages():
    doc = sklearn_geom.__doc__
    section = doc.split("Subpackages\n-----------\n", 1)[1].split("\n\n", 1)[0]
    return sorted(line.split()[0] for line in section.splitlines() if line.strip())


def test_subpackages_derived_from_folder():
    """``__all__`` names exactly the public subpackages on disk, and the docstring lists them."""
    on_disk = public_subpackages()
    assert set(on_disk) <= set(sklearn_geom.__all__)
    listed_modules = {
        name for name in sklearn_geom.__all__ if name != "__version__" and name[0].islower()
    }
    assert listed_modules == set(on_disk)
    assert _docstring_subpackages() == on_disk, (
        "the 'Subpackages' list in sklearn_geom/__init__.py's docstring must name exactly the "
        f"subpackages on disk: {on_disk}"
    )


def test_every_top_level_name_resolves():
    for name in sklearn_geom.__all__:
        assert getattr(sklearn_geom, name) is not None, name
    assert sorted(dir(sklearn_geom)) == sorted(sklearn_geom.__all__)


def test_every_subpackage_all_resolves():
    """Every name in every public subpackage's ``__all__`` imports (lazy exports included)."""
    objects = all_public_objects()  # raises on the first name that does not resolve
    for sub in public_subpackages():
        module = getattr(sklearn_geom, sub)
        names = getattr(module, "__all__", None)
        assert names is not None, f"sklearn_geom.{sub} has no __all__"
        assert len(names) == len(set(names)), f"sklearn_geom.{sub}.__all__ has duplicates"
        for name in names:
            assert f"{sub}.{name}" in objects


def test_top_level_exports_every_estimator():
    """Each public estimator is re-exported at top level, as the same object."""
    estimators = dict(all_estimators())
    exports = sklearn_geom._EXPORTS
    assert set(exports) == set(estimators), (
        "sklearn_geom._EXPORTS (sklearn_geom/__init__.py) must re-export every public "
        f"estimator: missing {sorted(set(estimators) - set(exports))}, "
        f"not estimators {sorted(set(exports) - set(estimators))}"
    )
    for name, sub in exports.items():
        obj = getattr(sklearn_geom, name)
        assert obj is estimators[name]
        assert obj is getattr(getattr(sklearn_geom, sub), name)


def test_excluded_from_star_have_reasons():
    for name, reason in EXCLUDED_FROM_STAR.items():
        assert name in public_subpackages()
        assert isinstance(reason, str) and len(reason) > 10, name


def _run(code):
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-6000:]}"
    return proc.stdout


def test_star_import_fresh_interpreter():
    """``from sklearn_geom import *`` in a fresh interpreter binds every name of ``__all__``."""
    out = _run(
        """
        ns = {}
        exec("from sklearn_geom import *", ns)
        import sklearn_geom
        missing = [n for n in sklearn_geom.__all__ if n not in ns]
        print("MISSING", missing)
        """
    )
    assert "MISSING []" in out, out


def test_import_is_lazy():
    """``import sklearn_geom`` imports no subpackage (and so no numba kernel, no extra)."""
    out = _run(
        """
        import sys
        import sklearn_geom
        loaded = sorted(m for m in sys.modules if m.startswith("sklearn_geom."))
        print("LOADED", loaded)
        """
    )
    assert "LOADED []" in out, out


def test_star_import_without_optional_dependencies():
    """The whole public API imports with every optional dependency made unimportable.

    Optional dependencies must be imported inside the functions that use them; a
    subpackage that imports one at module level fails here.
    """
    blocked = repr(OPTIONAL_DEPENDENCIES)
    excluded = repr(sorted(EXCLUDED_FROM_STAR))
    out = _run(
        f"""
        import sys

        class _Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {blocked}:
                    raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
                return None

        for mod in list(sys.modules):
            if mod.split(".")[0] in {blocked}:
                del sys.modules[mod]
        sys.meta_path.insert(0, _Block())
        import sklearn_geom
        ns = {{}}
        for name in sklearn_geom.__all__:
            if name not in {excluded}:
                ns[name] = getattr(sklearn_geom, name)
        from sklearn_geom.utils import all_public_objects
        print("N", len(all_public_objects()))
        """
    )
    assert re.search(r"N \d+", out), out


def test_public_classes_and_functions_have_docstrings():
    missing = [
        key
        for key, obj in all_public_objects().items()
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and not inspect.getdoc(obj)
    ]
    assert not missing, f"public objects without a docstring: {missing}"


# --------------------------------------------------------------------------------------
# constructor conventions (written down once in docs/contributing.rst)
# --------------------------------------------------------------------------------------

# Canonical parameter name -> spellings that must not be used for the same concept.
CANONICAL_PARAMETERS = {
    "normalize": ("normalise",),
    "normalization": ("normalisation",),
    "n_jobs": ("n_threads", "num_threads", "workers", "n_workers"),
    "random_state": ("seed", "random_seed", "rng"),
    "progress": ("progress_bar", "show_progress"),
    "n_neighbors": ("k", "n_neighbours", "num_neighbors"),
}
# British stems: parameter names use American spelling, as scikit-learn does.
BRITISH_STEMS = ("normalis", "standardis", "regularis", "optimis", "initialis", "neighbour")


def _init_parameters(cls):
    sig = inspect.signature(cls.__init__)
    return [p for name, p in sig.parameters.items() if name != "self"]


def test_constructor_keyword_only_after_first():
    """Every estimator's ``__init__``: at most one positional parameter, the rest keyword-only."""
    bad = {}
    for name, cls in all_estimators():
        params = _init_parameters(cls)
        positional = [
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        varargs = [p.name for p in params if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if len(positional) > 1 or varargs:
            bad[name] = positional[1:] + varargs
    assert not bad, (
        "parameters after the first must be keyword-only (`def __init__(self, first, *, ...)`), "
        f"and no *args/**kwargs: {bad}"
    )


def test_parameter_spelling_conventions():
    """Shared words are spelled one way across estimators (see docs/contributing.rst)."""
    synonyms = {syn: canon for canon, syns in CANONICAL_PARAMETERS.items() for syn in syns}
    bad = []
    for name, cls in all_estimators():
        for p in _init_parameters(cls):
            if p.name in synonyms:
                bad.append(f"{name}({p.name}=...): use {synonyms[p.name]!r}")
            elif any(stem in p.name for stem in BRITISH_STEMS):
                bad.append(f"{name}({p.name}=...): American spelling, as scikit-learn")
    assert not bad, "; ".join(bad)


def test_function_parameter_spelling_conventions():
    """Public functions follow the same spellings as the estimators (e.g. ``progress``)."""
    synonyms = {syn: canon for canon, syns in CANONICAL_PARAMETERS.items() for syn in syns}
    # In the density formulas ``k`` is the symbol of the estimator, a per-point array
    # (k* of each point), not the ``n_neighbors`` hyper-parameter of an estimator.
    formula_k = {"density.knn_log_density", "density.pak_log_density"}
    bad = []
    for key, obj in all_public_objects().items():
        if not inspect.isfunction(obj):
            continue
        for name in inspect.signature(obj).parameters:
            if name == "k" and key in formula_k:
                continue
            if name in synonyms:
                bad.append(f"{key}({name}=...): use {synonyms[name]!r}")
    assert not bad, "; ".join(bad)


# --------------------------------------------------------------------------------------
# the discovery itself
# --------------------------------------------------------------------------------------


def test_discovery_raises_on_a_broken_subpackage(monkeypatch):
    """A subpackage that fails to import makes discovery raise (it never silently drops out)."""
    from sklearn_geom.utils import _discovery

    monkeypatch.setattr(
        _discovery, "public_subpackages", lambda: ["neighbors", "no_such_subpackage"]
    )
    with pytest.raises(ModuleNotFoundError, match="no_such_subpackage"):
        _discovery.all_estimators()


def test_discovery_raises_on_a_name_missing_from_its_module(monkeypatch):
    import sklearn_geom.neighbors as neighbors
    from sklearn_geom.utils import _discovery

    monkeypatch.setattr(neighbors, "__all__", [*neighbors.__all__, "NoSuchEstimator"])
    with pytest.raises(AttributeError, match="NoSuchEstimator"):
        _discovery.all_public_objects()


def test_all_estimators_type_filter():
    """Reference: scikit-learn's mixins, checked class by class here."""
    from sklearn.base import TransformerMixin

    transformers = dict(all_estimators(type_filter="transformer"))
    everything = dict(all_estimators())
    assert transformers == {
        name: cls for name, cls in everything.items() if issubclass(cls, TransformerMixin)
    }
    assert "KNNTransformer" in transformers
    with pytest.raises(ValueError, match="type_filter"):
        all_estimators(type_filter="spaceship")


# --------------------------------------------------------------------------------------
# repository hygiene
# --------------------------------------------------------------------------------------

_ROOT = Path(__file__).resolve().parents[1]
# patterns built in pieces so that this file does not match itself
_MACHINE_PATHS = re.compile("|".join(["/wo" + "rk/", "/ro" + "ot/", "/ho" + "me/[a-z]"]))
_OUTSIDE_DOC = re.compile(r"\b" + "SP" + r"EC\b|\b" + "ARCHIT" + r"ECTURE\.md")


def _tracked_text_files():
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=_ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    for name in out.splitlines():
        path = _ROOT / name
        if path.suffix in {".py", ".rst", ".md", ".toml", ".sh", ".txt", ".cfg", ".json"}:
            if path.is_file():
                yield name, path.read_text(encoding="utf-8", errors="replace")


def test_no_machine_paths_or_outside_documents():
    """No path of a development machine, and no citation of documents outside the
    repository (comments state the fact or cite the paper)."""
    bad = []
    for name, text in _tracked_text_files():
        for lineno, line in enumerate(text.splitlines(), 1):
            if _MACHINE_PATHS.search(line) or _OUTSIDE_DOC.search(line):
                bad.append(f"{name}:{lineno}: {line.strip()[:100]}")
    assert not bad, "\n".join(bad)
