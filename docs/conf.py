"""Sphinx configuration: numpydoc + autosummary + sphinx-gallery."""

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

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
numpydoc_show_class_members = False
templates_path = []
exclude_patterns = ["_build", "auto_examples/*.ipynb", "sg_execution_times.rst"]
html_theme = "alabaster"

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
}
