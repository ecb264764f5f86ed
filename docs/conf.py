"""Sphinx configuration: numpydoc + autosummary + sphinx-gallery."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
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
exclude_patterns = ["_build", "auto_examples/*.ipynb"]
html_theme = "alabaster"

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # SPHINX_GALLERY_RUN=0 builds the pages without running the examples (fast check)
    "plot_gallery": os.environ.get("SPHINX_GALLERY_RUN", "True"),
    "download_all_examples": False,
}
