"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

One short function per MkDocs event, each handing plain values to the build session of
:mod:`baocao.build.session` (which holds what a build does and knows nothing of MkDocs)
and MkDocs' objects back: this module is the only part of baocao that touches MkDocs'
classes, and the only part to port to another engine.

- ``on_startup`` / ``on_config`` / ``on_shutdown``: ``mkdocs build`` writes into a staging
  folder beside ``site/``, swapped in atomically only when the whole build succeeded;
  ``mkdocs serve`` is left alone.
- ``on_pre_build``: the check, before MkDocs empties ``site/``: a failed check (or a
  warning under ``--strict``) aborts, so the last good site stays; under ``mkdocs serve``
  every page becomes a page listing the problems instead.
- ``on_files``: drop what of ``docs/`` must not be published; add the generated pages and
  ``admin/config.yml`` (or the error site); report and section pages become
  :class:`_DrawnPage`, which MkDocs builds without converting Markdown.
- ``on_page_read_source`` / ``on_page_markdown`` / ``on_page_content`` / ``on_post_page``:
  each page's finished HTML, title and table of contents from the page plan.
- ``on_post_build``: the downloads (``BAOCAO_PDF``, ``BAOCAO_DOCX``), the memo kept.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

gc.freeze()  # before the imports below: see baocao.build.session (the garbage collector)

from markdown import __version__ as markdown_version
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from baocao.build import logs
from baocao.build.drawn import DrawnPage
from baocao.build.session import BuildFailed, Engine

log = logging.getLogger("mkdocs.plugins.baocao")
engine = Engine(log)
logs.quiet_git_dates()


class _DrawnPage(DrawnPage, Page):
    """A report or section page: MkDocs converts no Markdown for it (see DrawnPage).
    Created in ``on_files``, it is the page MkDocs builds."""

    def empty_toc(self):
        return get_toc([])


def on_startup(*, command, dirty) -> None:
    engine.start(command, dirty)


def on_config(config):
    def restore(site: Path) -> None:
        config.site_dir = str(site)

    staged = engine.site_dir(Path(config.site_dir), restore)
    if staged is not None:
        config.site_dir = str(staged)
    return config


def on_shutdown() -> None:
    # Called in MkDocs' `finally:` after build(): an exception on its way out (a failed
    # check, a strict warning, an error in any hook, Ctrl-C) means the build failed.
    engine.shutdown(failed=sys.exc_info()[1] is not None)


def on_pre_build(*, config) -> None:
    try:
        engine.begin(Path(config.config_file_path).resolve().parent, config.docs_dir, config.extra,
                     strict=config.strict, directory_urls=config.use_directory_urls,
                     theme_dirs=config.theme.dirs, site_url=config.site_url)
    except BuildFailed as exc:
        raise PluginError(str(exc)) from None


def on_files(files: Files, /, *, config) -> Files:
    session = engine.session
    for file in list(files):
        if session.refused(getattr(file, "src_dir", None), file.src_uri):
            files.remove(file)
    documentation = [f.src_uri for f in files.documentation_pages()]
    try:
        for uri, content in session.files(documentation, config.nav, engine.known, markdown_version):
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, uri, content=content))
    except BuildFailed as exc:
        raise PluginError(str(exc)) from None
    for uri in session.drawn():
        existing = files.get_file_from_path(uri)
        if existing is not None and existing.page is None:
            _DrawnPage(None, existing, config)
    return files


def on_page_read_source(*, page, config) -> str | None:
    return engine.session.source(page.file.src_uri)


def on_page_markdown(markdown: str, /, *, page, config, files) -> str | None:
    meta = engine.session.meta(page.file.src_uri)
    if meta is not None:
        page.meta.update(meta)
    return None


def on_page_content(html: str, /, *, page, config, files) -> str:
    html, toc = engine.session.content(page.file.src_uri, html)
    if toc is not None:
        page.toc = get_toc(toc)
    return html


def on_post_page(output: str, /, *, page, config) -> str:
    return engine.session.finished(output)


def on_post_build(*, config) -> None:
    try:
        engine.end(Path(config.site_dir))
    except BuildFailed as exc:
        raise PluginError(str(exc)) from None
