"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

One short function per MkDocs event, each handing plain values to the build session of
:mod:`baocao.build.session` (which holds what a build does and knows nothing of MkDocs)
and MkDocs' objects back: this module is the only part of baocao that touches MkDocs'
classes, and the only part to port to another engine.

- ``on_startup`` / ``on_config`` / ``on_shutdown``: ``mkdocs build`` writes into a staging
  folder swapped in only after success; ``mkdocs serve`` keeps the theme between rebuilds.
- ``on_pre_build``: the check, before MkDocs empties ``site/`` (a failure aborts; under
  serve every page lists the problems instead).
- ``on_files``: drop what must not be published; add the generated pages (or the error
  site); report and section pages become :class:`_DrawnPage` (no Markdown converted).
- ``on_nav``: under ``baocao serve`` (``mkdocs serve --dirty``) each page says if it changed.
- the page events: each page's HTML, title and table of contents from the page plan (and
  under ``baocao serve`` its search entries); ``on_post_build``: the downloads.
"""

from __future__ import annotations

import gc
import logging
import sys
from functools import partial
from pathlib import Path

gc.freeze()  # before the imports below: see baocao.build.session (the garbage collector)

from markdown import __version__ as markdown_version
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
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


@event_priority(100)  # the theme's environment kept before the search plugin asks for it
def on_config(config):
    staged = engine.site_dir(Path(config.site_dir), lambda site: setattr(config, "site_dir", str(site)))
    if staged is not None:
        config.site_dir = str(staged)
    if engine.serving:  # the theme's files and compiled templates, kept between rebuilds
        config.theme.get_env = engine.theme.wrap(config.theme.get_env, config.theme.dirs,
                                                 config.theme.static_templates)
    return config


def on_shutdown() -> None:
    # In MkDocs' `finally:` after build(): an exception on its way out means the build failed.
    engine.shutdown(failed=sys.exc_info()[1] is not None)


def on_pre_build(*, config) -> None:
    try:
        engine.begin(Path(config.config_file_path).resolve().parent, config.docs_dir, config.extra,
                     strict=config.strict, directory_urls=config.use_directory_urls,
                     theme_dirs=config.theme.dirs, site_url=config.site_url,
                     config_file=Path(config.config_file_path))
    except BuildFailed as exc:
        raise PluginError(str(exc)) from None


def on_files(files: Files, /, *, config) -> Files:
    session = engine.session
    for file in list(files):
        if session.refused(getattr(file, "src_dir", None), file.src_uri):
            files.remove(file)
    memo = engine.memo_for(session.root, markdown_version)
    try:
        for uri, content in session.files([f.src_uri for f in files.documentation_pages()], config.nav,
                                          engine.known, memo):
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


def on_nav(nav, /, *, config, files):
    if engine.session.tracking:  # baocao serve: MkDocs reads and writes again only what changed
        for file in files.documentation_pages():
            file.is_modified = partial(engine.session.changed, file.src_uri)
        engine.session.order = [f.src_uri for f in files.documentation_pages()]
        engine.session.outputs = {f.src_uri: f.abs_dest_path for f in files}
    return nav


def on_page_read_source(*, page, config) -> str | None:
    return engine.session.source(page.file.src_uri)


def on_page_markdown(markdown: str, /, *, page, config, files) -> str | None:
    page.meta.update(engine.session.meta(page.file.src_uri) or {})


def on_page_content(html: str, /, *, page, config, files) -> str:
    html, toc = engine.session.content(page.file.src_uri, html)
    page.toc = get_toc(toc) if toc is not None else page.toc
    return html


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context, /, *, page, config, nav):
    index = engine.session.tracking and getattr(config.plugins.get("material/search"), "search_index", None)
    if index:
        engine.search.record(page.file.src_uri, index.entries)
    return context


def on_post_page(output: str, /, *, page, config) -> str:
    return engine.session.finished(output)


@event_priority(100)  # before the search plugin writes its index
def on_post_build(*, config) -> None:
    search = config.plugins.get("material/search")
    if engine.session.tracking and getattr(search, "search_index", None) is not None:
        # Every page's entries, those of the pages not written again included.
        search.search_index.entries = engine.search.ordered(engine.session.order)
        search.search_index_prev = None
    try:
        engine.end(Path(config.site_dir))
    except BuildFailed as exc:
        raise PluginError(str(exc)) from None
