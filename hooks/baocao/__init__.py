"""baocao: the archive of quarterly reports of a commune Party committee.

The package reads reports and sections (Markdown with YAML front matter) and the
registries in ``data/``, validates them, and builds the pages of the site. It imports
nothing from MkDocs: ``hooks/mkdocs_adapter.py`` connects it to the generator.
"""

__version__ = "0.1.0"
