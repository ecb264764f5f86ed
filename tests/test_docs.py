"""Documentation checks: the API pages, the estimators' docstrings, the gallery, the Sphinx build.

What is checked, and against what:

* every object named in ``docs/api.rst`` and in the ``autosummary`` / ``autoclass`` /
  ``autofunction`` / ``automodule`` directives of ``docs/modules/*.rst`` imports (the rst
  files are parsed here, independently of Sphinx);
* every public estimator (``sklearn_geom.utils.all_estimators``, the discovery that
  ``tests/test_common.py`` uses too) has a numpydoc docstring
  with non-empty "References" and "Examples" sections (parsed with numpydoc's ``docscrape``,
  the parser Sphinx uses) and is listed in ``docs/api.rst``;
* every public name in a subpackage's ``__all__`` can be imported;
* every gallery script ``docs/examples/plot_*.py`` compiles and has the title docstring
  sphinx-gallery needs;
* Sphinx builds the HTML docs with warnings as errors (``-W``), the gallery pages generated
  but not executed (``SPHINX_GALLERY_RUN=0``).  The build runs on a copy of ``docs/`` in a
  temporary folder, so concurrent runs never touch the checkout.

The docstring examples themselves run as doctests (``--doctest-modules`` in pyproject.toml).
"""

import ast
import importlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from sklearn_geom.utils import all_estimators, all_public_objects

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API_RST = DOCS / "api.rst"
MODULE_PAGES = sorted((DOCS / "modules").glob("*.rst"))
EXAMPLES = sorted((DOCS / "examples").glob("plot_*.py"))

# Folders of docs/ that Sphinx generates; never copied into the temporary build.
GENERATED_DIRS = ("_build", "generated", "gen_modules", "auto_examples")


# --------------------------------------------------------------------------------------
# rst parsing
# --------------------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*?)\s*$")


def parse_documented_objects(path):
    """Objects documented by one rst file: a list of (fully qualified name, line number).

    Follows ``currentmodule`` / ``module`` directives; reads the body of ``autosummary``
    (entries are the indented non-option lines after the directive) and the argument of
    ``autoclass``, ``autofunction``, ``automethod``, ``autoattribute``, ``autodata``,
    ``autoexception`` and ``automodule``.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    current = None
    found = []
    i = 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, name, arg = len(m.group(1)), m.group(2), m.group(3)
        if name in ("currentmodule", "module", "py:currentmodule", "py:module"):
            current = None if arg in ("", "None") else arg
        elif name in ("automodule",):
            found.append((arg, i + 1))
        elif name in (
            "autoclass",
            "autofunction",
            "automethod",
            "autoattribute",
            "autodata",
            "autoexception",
        ):
            found.append((_qualify(arg, current), i + 1))
        elif name == "autosummary":
            j = i + 1
            while j < len(lines):
                text = lines[j]
                stripped = text.strip()
                if stripped and (len(text) - len(text.lstrip())) <= indent:
                    break  # dedent: end of the directive body
                if stripped and not stripped.startswith(":") and not stripped.startswith(".."):
                    entry = stripped.split()[0].lstrip("~")
                    found.append((_qualify(entry, current), j + 1))
                j += 1
            i = j
            continue
        i += 1
    return found


def _qualify(name, current):
    name = name.split("(")[0].strip()  # autofunction may carry a signature
    if name.startswith("sklearn_geom") or current is None:
        return name
    return f"{current}.{name}"


def import_object(qualname):
    """Import ``a.b.c.Name`` (module prefix imported, the rest read as attributes)."""
    parts = qualname.split(".")
    for cut in range(len(parts), 0, -1):
        modname = ".".join(parts[:cut])
        try:
            obj = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name is not None and (modname == exc.name or modname.startswith(exc.name + ".")):
                continue  # this prefix is not a module: try a shorter one
            raise
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(f"no importable module prefix in {qualname!r}")


def _optional_dependency_missing(exc):
    """True when an ImportError comes from a third-party package that is not installed."""
    for err in (exc, exc.__cause__, exc.__context__):
        if isinstance(err, ModuleNotFoundError) and err.name:
            return not err.name.startswith("sklearn_geom")
    return False


def _documented_entries():
    entries = []
    for page in [API_RST, *MODULE_PAGES]:
        for qualname, lineno in parse_documented_objects(page):
            entries.append((qualname, f"{page.relative_to(ROOT)}:{lineno}"))
    return entries


DOCUMENTED = _documented_entries()


# --------------------------------------------------------------------------------------
# public names and estimators: sklearn_geom.utils discovery, shared with tests/test_common.py
# --------------------------------------------------------------------------------------


def _discover():
    """(public objects, estimators, error): a failing import is reported, never dropped."""
    try:
        return all_public_objects(), [cls for _, cls in all_estimators()], None
    except Exception as exc:  # reported by test_public_names_import
        return {}, [], exc


PUBLIC_NAMES, ESTIMATORS, DISCOVERY_ERROR = _discover()


# --------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------


def test_rst_parser_reads_directives(tmp_path):
    """The rst parser against a hand-written page (reference: the expected list below)."""
    page = tmp_path / "page.rst"
    page.write_text(
        "Title\n=====\n\n"
        ".. currentmodule:: sklearn_geom\n\n"
        ".. autosummary::\n   :toctree: generated/\n   :nosignatures:\n\n"
        "   neighbors.KNNTransformer\n   ~neighbors.compute_knn\n\n"
        "Text after.\n\n"
        ".. currentmodule:: sklearn_geom.neighbors\n\n"
        ".. autoclass:: KNNGraph\n   :members:\n\n"
        ".. autofunction:: sklearn_geom.neighbors.as_knn_graph\n",
        encoding="utf-8",
    )
    names = [name for name, _ in parse_documented_objects(page)]
    assert names == [
        "sklearn_geom.neighbors.KNNTransformer",
        "sklearn_geom.neighbors.compute_knn",
        "sklearn_geom.neighbors.KNNGraph",
        "sklearn_geom.neighbors.as_knn_graph",
    ]


def test_api_rst_is_not_empty():
    assert parse_documented_objects(API_RST), (
        "docs/api.rst documents no object: its autosummary sections are missing."
    )


@pytest.mark.parametrize("qualname,where", DOCUMENTED, ids=[q for q, _ in DOCUMENTED])
def test_documented_object_imports(qualname, where):
    """Every object the docs name must import (else autosummary renders an empty page)."""
    try:
        import_object(qualname)
    except ImportError as exc:
        if _optional_dependency_missing(exc):
            pytest.skip(f"{qualname} ({where}) needs an optional dependency: {exc}")
        pytest.fail(f"{where} documents {qualname!r}, which does not import: {exc!r}")
    except AttributeError as exc:
        pytest.fail(f"{where} documents {qualname!r}, which does not exist: {exc}")


def test_no_duplicate_api_entries():
    """An object listed twice in docs/api.rst makes autosummary write its page twice."""
    seen = {}
    dups = []
    for qualname, lineno in parse_documented_objects(API_RST):
        if qualname in seen:
            dups.append(f"{qualname} (lines {seen[qualname]} and {lineno})")
        seen[qualname] = lineno
    assert not dups, "docs/api.rst lists objects twice: " + "; ".join(dups)


def test_public_names_import():
    """Every name in a public subpackage's __all__ must import (lazy registries included)."""
    assert DISCOVERY_ERROR is None, f"public API discovery failed: {DISCOVERY_ERROR!r}"


def test_estimators_discovered():
    assert "KNNTransformer" in {cls.__name__ for cls in ESTIMATORS}


# Public subpackages whose names need no docs page: {name: reason}.  None today (the
# helpers of sklearn_geom.utils are documented for developers in docs/api.rst).
UNDOCUMENTED_SUBPACKAGES = {}


def test_public_names_documented():
    """Every public class/function of a subpackage's __all__ is on some docs page."""
    documented = set()
    for qualname, _ in DOCUMENTED:
        try:
            documented.add(id(import_object(qualname)))
        except (ImportError, AttributeError):
            pass  # reported by test_documented_object_imports
    missing = [
        f"sklearn_geom.{key}"
        for key, obj in sorted(PUBLIC_NAMES.items())
        if key.split(".")[0] not in UNDOCUMENTED_SUBPACKAGES
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and id(obj) not in documented
    ]
    assert not missing, (
        "public names in __all__ that no page of docs/ documents (add them to the autosummary "
        "of docs/api.rst or of the subpackage's docs/modules page): " + ", ".join(missing)
    )


def _api_objects():
    objs = set()
    for qualname, _ in parse_documented_objects(API_RST):
        try:
            objs.add(id(import_object(qualname)))
        except (ImportError, AttributeError):
            pass  # reported by test_documented_object_imports
    return objs


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_estimator_listed_in_api_rst(cls):
    assert id(cls) in _api_objects(), (
        f"{cls.__module__}.{cls.__name__} is a public estimator but docs/api.rst does not list "
        f"it; add it to the autosummary of its subpackage's section."
    )


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_estimator_docstring_sections(cls):
    """numpydoc's parser must find Parameters-style sections, References and a doctest Example."""
    from numpydoc.docscrape import ClassDoc

    name = f"{cls.__module__}.{cls.__name__}"
    assert inspect.getdoc(cls), f"{name} has no docstring"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # numpydoc warns on unknown sections
        doc = ClassDoc(cls, config={"show_class_members": False})
    missing = [sec for sec in ("References", "Examples") if not "".join(doc[sec]).strip()]
    assert not missing, f"{name}: numpydoc docstring lacks section(s) {missing}"
    assert ">>>" in "\n".join(doc["Examples"]), f"{name}: the Examples section has no doctest"
    assert doc["Summary"], f"{name}: the docstring has no one-line summary"


def _numpydoc_config():
    """The ``[tool.numpydoc_validation]`` table of pyproject.toml."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["numpydoc_validation"]


def _validated_names():
    """Qualified names of the public API: classes, functions, and the public methods and
    properties each public class defines itself (inherited scikit-learn methods are not ours)."""
    names = set()
    for obj in PUBLIC_NAMES.values():
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if not obj.__module__.startswith("sklearn_geom"):
            continue
        base = f"{obj.__module__}.{obj.__qualname__}"
        names.add(base)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if inspect.isfunction(value) or isinstance(value, property):
                    names.add(f"{base}.{attr}")
    return sorted(names)


def test_numpydoc_validation():
    """numpydoc's validator over the public API, with the checks chosen in pyproject.toml.

    Reference: numpydoc's own rules (``numpydoc.validate``), the parser and validator that
    the numpydoc Sphinx extension and pre-commit hook use.
    """
    from numpydoc.validate import get_validation_checks, validate

    config = _numpydoc_config()
    checks = get_validation_checks(set(config["checks"]))
    exclude = [re.compile(pattern) for pattern in config.get("exclude", [])]
    names = _validated_names()
    assert len(names) > 20, names
    problems = []
    for name in names:
        if any(p.search(name) for p in exclude):
            continue
        for code, message in validate(name)["errors"]:
            if code in checks:
                problems.append(f"{name}: {code} {message}")
    assert not problems, f"{len(problems)} numpydoc problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_gallery_example_compiles(path):
    source = path.read_text(encoding="utf-8")
    code = compile(source, str(path), "exec")  # SyntaxError names the file and line
    assert code is not None
    doc = ast.get_docstring(ast.parse(source))
    assert doc, f"{path.name}: sphinx-gallery needs a module docstring with a title"
    lines = doc.strip().splitlines()
    assert len(lines) >= 2 and set(lines[1].strip()) <= set("=-~^*#") and lines[1].strip(), (
        f"{path.name}: the docstring must start with an rst title (text, then an underline)"
    )


README = ROOT / "README.md"
_README_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
_PRINTED = re.compile(r"^\s*print\(.*\)\s*#\s*(about\s+)?(-?\d+(?:\.\d+)?)", re.M)


def _readme_blocks():
    return _README_BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_python_blocks():
    assert len(_readme_blocks()) >= 3


@pytest.mark.parametrize("index", range(len(_readme_blocks())), ids=lambda i: f"block{i + 1}")
def test_readme_snippet_runs(index, tmp_path):
    """Each ``python`` block of README.md runs alone in a fresh interpreter (its own imports).

    Reference for the printed numbers: the value written in the comment after each
    ``print(...)`` of the block (exact to the digits shown; "about x" within 0.02).
    """
    code = _readme_blocks()[index]
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"README block {index + 1} failed:\n{code}\n{proc.stderr[-4000:]}"
    expected = _PRINTED.findall(code)
    printed = proc.stdout.split()
    assert len(printed) >= len(expected), (proc.stdout, expected)
    for (about, value), out in zip(expected, printed):
        if about:
            assert abs(float(out) - float(value)) <= 0.02, (out, value)
        else:
            assert out == value, (out, value)


def _copy_docs(dst):
    def ignore(directory, names):
        if Path(directory) == DOCS:
            return [n for n in names if n in GENERATED_DIRS or n == "sg_execution_times.rst"]
        return [n for n in names if n == "__pycache__"]

    shutil.copytree(DOCS, dst, ignore=ignore)


def test_sphinx_build_html(tmp_path):
    """``sphinx-build -b html -W`` on a copy of docs/ (gallery pages made, examples not run).

    About 25 s of CPU (one page per API object; the gallery pages made, not executed).
    """
    pytest.importorskip("sphinx", reason="the docs extra (sphinx) is not installed")
    pytest.importorskip("numpydoc", reason="the docs extra (numpydoc) is not installed")
    pytest.importorskip("sphinx_gallery", reason="the docs extra (sphinx-gallery) is not installed")
    pytest.importorskip(
        "pydata_sphinx_theme", reason="the docs extra (pydata-sphinx-theme) is not installed"
    )
    src = tmp_path / "src"
    _copy_docs(src)
    out = tmp_path / "html"
    env = dict(os.environ, SPHINX_GALLERY_RUN="0", MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-q",
        "-c",
        str(DOCS),  # conf.py of the checkout: it puts the repository root on sys.path
        "-d",
        str(tmp_path / "doctrees"),
        str(src),
        str(out),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"sphinx-build failed (exit {proc.returncode}); warnings are errors here.\n"
        f"command: {' '.join(cmd)}\n--- stderr ---\n{proc.stderr[-8000:]}\n"
        f"--- stdout ---\n{proc.stdout[-2000:]}"
    )
    assert (out / "index.html").is_file()
    assert (out / "api.html").is_file()
    for page in MODULE_PAGES:
        assert (out / "modules" / (page.stem + ".html")).is_file(), f"{page.name} not built"
    for path in EXAMPLES:
        assert (out / "auto_examples" / (path.stem + ".html")).is_file(), f"{path.name} not built"
    # every documented object got its own page (autosummary, templates in docs/_templates)
    api_text = (out / "api.html").read_text(encoding="utf-8")
    for qualname, _ in parse_documented_objects(API_RST):
        assert qualname.rsplit(".", 1)[-1] in api_text, f"{qualname} missing from api.html"
        assert (out / "generated" / f"{qualname}.html").is_file(), f"no API page for {qualname}"
    # pydata-sphinx-theme with its version switcher, fed by docs/_static/switcher.json
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "version-switcher" in index
    switcher = json.loads((out / "_static" / "switcher.json").read_text(encoding="utf-8"))
    assert all({"version", "url"} <= set(entry) for entry in switcher)
