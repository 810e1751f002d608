# Sphinx configuration for the divert module's documentation.
# Build: sphinx-build -W -b html doc <output dir>  (CTest: divert-sphinx)
project = "ns-3 divert module"
copyright = "the ns-3 divert module authors, GPL-2.0-only"
extensions = []
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "default"
