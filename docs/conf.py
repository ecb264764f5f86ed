"""Sphinx configuration: pydata-sphinx-theme, numpydoc, autosummary, sphinx-gallery."""

import os
import sys

# The repository root, from this file's location (sphinx may be run from anywhere, and
# tests/test_docs.py builds a copy of docs/ in a temporary folder with ``-c docs``).
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
import sklearn_geom  # noqa: E402

project = "sklearn_geom"
author = "sklearn_geom developers"
release = sklearn_geom.__version__
version = release
# The version switcher's name for this build: "dev" for development versions, else X.Y.
switcher_version = "dev" if "dev" in release else ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
# One API page per object (``.. autosummary:: :toctree: generated/``), written from the
# templates of _templates/autosummary/ (class.rst, function.rst, base.rst).
autosummary_generate = True
numpydoc_show_class_members = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "sg_execution_times.rst"]

# The theme of the scikit-learn ecosystem, with a version switcher.  The switcher reads
# _static/switcher.json (one entry per published version; the site keeps each version in
# a folder of its own at its root: /dev/, /0.1/, ...); the path is relative to the site
# root, and is checked at build time without network access.
html_theme = "pydata_sphinx_theme"
html_static_path = ["_static"]
html_title = f"sklearn_geom {release}"
html_theme_options = {
    "switcher": {"json_url": "_static/switcher.json", "version_match": switcher_version},
    "navbar_end": ["version-switcher", "theme-switcher", "navbar-icon-links"],
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_sidebars = {"index": [], "api": []}

# SPHINX_GALLERY_RUN=0 builds the gallery pages without running the examples (fast check).
# sphinx-gallery reads the top-level ``plot_gallery`` value (also settable with
# ``-D plot_gallery=0``); it overrides the key of the same name in sphinx_gallery_conf.
plot_gallery = os.environ.get("SPHINX_GALLERY_RUN", "True")

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": plot_gallery,
    "download_all_examples": False,
    # no sg_execution_times.rst written into the source tree
    "write_computation_times": False,
    # "Gallery examples using X" on each API page (the minigallery of the templates)
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklearn_geom",),
}


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated ``set_{method}_request`` methods: inherited
    machinery of metadata routing, whose docstrings link into scikit-learn's glossary."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
