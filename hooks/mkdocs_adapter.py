"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

One short function per MkDocs event, handing plain values to the build session of
:mod:`baocao.build.session` (which holds what a build does and imports nothing from MkDocs)
and MkDocs' objects back: the only part of baocao that touches MkDocs' classes, and the
only part to port to another engine. ``on_config``/``on_shutdown``: the staging folder of
``mkdocs build``; ``on_pre_build``: the check, before ``site/`` is emptied; ``on_files``:
what is published, the generated pages (or the error site under serve), report and section
pages as :class:`_DrawnPage`; the page events: each page's HTML, title and table of
contents; ``on_post_build``: the downloads. Under ``baocao serve`` (``mkdocs serve
--dirty``): ``on_nav`` says which pages changed, ``on_page_context`` keeps each page's
search entries, ``on_serve`` looks for saved files more often.
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
from watchdog.observers.polling import PollingObserver

from baocao.build.drawn import DrawnPage
from baocao.build.session import BuildFailed, Engine

engine = Engine(logging.getLogger("mkdocs.plugins.baocao"))


class _DrawnPage(DrawnPage, Page):
    """A report or section page (made in ``on_files``): no Markdown converted, see DrawnPage."""

    def empty_toc(self):
        return get_toc([])


def on_startup(*, command, dirty) -> None:
    engine.start(command, dirty)


@event_priority(100)  # the theme's environment kept before the search plugin asks for it
def on_config(config):
    config.site_dir = str(engine.site_dir(Path(config.site_dir), lambda site: setattr(config, "site_dir", str(site)))
                          or config.site_dir)
    if engine.serving:  # the theme's files and compiled templates, kept between rebuilds
        config.theme.get_env = engine.theme.wrap(config.theme.get_env, config.theme.dirs,
                                                 config.theme.static_templates)
    return config


def on_shutdown() -> None:
    # In MkDocs' `finally:` after build(): an exception on its way out means the build failed.
    engine.shutdown(failed=sys.exc_info()[1] is not None)


def on_pre_build(*, config) -> None:
    try:
        engine.begin(Path(config.config_file_path), config.docs_dir, config.extra, strict=config.strict,
                     directory_urls=config.use_directory_urls, theme_dirs=config.theme.dirs, site_url=config.site_url)
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


def on_serve(server, /, *, config, builder):
    if engine.tracking:  # baocao serve: look for saved files more often than MkDocs does
        watched = [p for p in (config.docs_dir, config.config_file_path) if p]
        list(map(server.unwatch, watched))
        server.observer = PollingObserver(timeout=engine.WATCH_SECONDS)
        list(map(server.watch, watched))
    return server


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
