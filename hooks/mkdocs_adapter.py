"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

- ``on_pre_build``: run every check before MkDocs empties ``site/``; on errors (or on
  warnings under ``--strict``) log each problem and abort, so the last good site stays.
  Under ``mkdocs serve`` a failed check does not abort: every page becomes a Vietnamese
  page listing the problems (see :func:`_error_site`), which the browser reloads, and the
  next save that fixes the files brings the site back. (An aborted build would leave the
  server waiting for a good build, every request hanging.)
- ``on_files``: add the pages that baocao generates (home, archive, trends, tracker, ...),
  and make each report and section page a :class:`_DrawnPage`, which MkDocs builds
  without converting Markdown.
- ``on_page_read_source`` / ``on_page_markdown``: give each page its content and title
  from the page plan (content files were already read and validated by the check). The
  content is the page's finished HTML, drawn by baocao's templates, as one marked comment.
- ``on_page_content``: put that HTML in place and give MkDocs its table of contents.
- ``on_post_page``: put the ready-made HTML fragments (tables, charts) in the finished page.
- ``on_post_build``: with ``BAOCAO_PDF=1``, print each report page to PDF beside it; with
  ``BAOCAO_DOCX=1``, write each report's Word file beside it.
- ``on_startup`` / ``on_config`` / ``on_shutdown``: ``mkdocs build`` writes into a staging
  folder beside ``site/``, swapped in atomically only when the whole build succeeded
  (:mod:`baocao.export.staging`); ``mkdocs serve`` is left alone.
- ``on_files`` also drops every file of ``docs/`` that is not a known page kind
  (:mod:`baocao.load.layout`).
- ``on_files`` also writes ``admin/config.yml``, the web form's configuration, from the
  archive and ``extra.cms`` of ``mkdocs.yml`` (``BAOCAO_CMS_LOCAL`` set by ``baocao edit``
  points it at a local decap-server instead).
- ``on_files`` also writes the deadlines calendar ``lich/han-nop-bao-cao.ics``
  (:mod:`baocao.render.calendar`).

Long-lived objects are kept out of the cyclic garbage collector (:func:`gc.freeze`):
MkDocs' own when this module is imported (before baocao's imports, which used to trigger
a full collection of them), then the archive after the check. They last the whole build;
walking them at every full collection, and once more as the process exits, cost about
0.13 s of a 40-report build of 1.7 s. ``mkdocs build`` never hands them back (the process
ends with the build); ``mkdocs serve`` hands them back after each build, and any build
after the first in a process (``mkdocs serve --clean`` too) hands them back and collects
before it starts, so that what a rebuild drops is never frozen.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import stat
import sys
from pathlib import Path

gc.freeze()  # before the imports below: see the module's docstring

from markdown import __version__ as markdown_version
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from baocao.check import run_check
from baocao.contribute import cms
from baocao.export import staging
from baocao.load import layout
from baocao.load.cache import TextCache
from baocao.problems import failing, log_level, sort_key, summary
from baocao.render import calendar, fragments, pages
from baocao.render.links import Links
from baocao.render.site import Heading, headings, plan
from baocao.render.templates import FOLDER as TEMPLATES
from baocao.render.templates import Templates

log = logging.getLogger("mkdocs.plugins.baocao")

_state: dict = {}
#: Whether this process is ``mkdocs serve`` (set once, in on_startup).
_serving = False
#: Every page the last good build had: under serve, each shows the problems while they last.
_known_pages: set[str] = set()


def on_startup(*, command, dirty) -> None:
    global _serving
    _serving = command == "serve"
    _stage_startup(command, dirty)


class _GitDateNotes(logging.Filter):
    """The git-revision-date plugin says, in English and once per page, that a page has no
    Git history ("has no git logs, using current timestamp", "Falling back to build
    date"): a new file not committed yet, or a copy outside Git. That is expected
    (``fallback_to_build_date: true``: the page shows the build date) and says nothing a
    user must act on: those notes are dropped. The plugin's warnings and errors pass.
    (It logs them from its worker processes too, which inherit this filter, so they can
    be dropped but not counted.)"""

    NOTES = ("has no git logs", "Falling back to build date")

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not any(n in str(record.msg) for n in self.NOTES)


for _name in ("util", "plugin"):
    logging.getLogger(f"mkdocs.plugins.mkdocs_git_revision_date_localized_plugin.{_name}").addFilter(_GitDateNotes())


# --- publishing: build beside site/, swap in after success (baocao.export.staging) ------

_stage: dict = {}


def _stage_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` builds into its own temporary folder; a --dirty build needs the old
    # files in place: neither is staged.
    _stage.clear()
    _stage["command"] = None if dirty else command


def on_config(config):
    if _stage.get("command") not in ("build", "gh-deploy"):
        return config
    _stage["config"] = config
    site = Path(config.site_dir)
    staging.clean_stale(site)
    _stage["site"], _stage["staging"] = site, staging.staging_dir(site)
    config.site_dir = str(_stage["staging"])
    return config


def on_shutdown() -> None:
    # Called in MkDocs' `finally:` after build(): an exception on its way out (a failed
    # check, a strict warning, an error in any hook, Ctrl-C) means the build failed.
    site, built = _stage.pop("site", None), _stage.pop("staging", None)
    if site is None:
        return
    if sys.exc_info()[1] is None and built.is_dir():
        staging.swap_in(built, site)
        log.info(f"Đã thay trang web mới vào {site}")
    else:
        shutil.rmtree(built, ignore_errors=True)
    _config_site_dir_restored(site)


def _config_site_dir_restored(site: Path) -> None:
    config = _stage.pop("config", None)
    if config is not None:
        config.site_dir = str(site)


#: Builds started in this process (``mkdocs serve``, also with ``--clean``, builds again).
_builds = 0


def on_pre_build(*, config) -> None:
    global _builds
    if _builds:
        # Hand back what the build before froze (a failed one never reached on_post_build)
        # and collect what it dropped, before this build freezes what is alive again.
        gc.unfreeze()
        gc.collect()
    _builds += 1
    result = run_check(Path(config.config_file_path).resolve().parent)
    for problem in result.problems:
        log.log(log_level(problem), problem.text())
    _state.clear()
    # Under --strict a warning fails the build too: fail here, before site/ is emptied.
    if failing(result.problems, config.strict):
        if _serving:
            _state["problems"] = result.problems
            log.error(_SERVE_FAILED.format(summary(result.problems)))
            return
        raise PluginError(f"Kiểm tra nội dung: {summary(result.problems)} Trang web cũ được giữ nguyên; "
                          "hãy sửa các lỗi trên rồi chạy lại.")
    _state["archive"] = result.archive
    # The web form's settings are checked here too, before site/ is emptied.
    try:
        cms.backend_settings((config.extra or {}).get("cms") or {})
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    # The archive, the schemas and the imports live for the whole build: keep the cyclic
    # garbage collector from walking them again at each of its passes. They are handed
    # back in on_post_build.
    gc.freeze()


def _pdf_wanted() -> bool:
    return os.environ.get("BAOCAO_PDF", "") not in ("", "0")


def _pdf_name(report) -> str:
    return f"bao-cao-{report.period.slug}.pdf"


def _published_only(files: Files, config) -> None:
    """Drop every file of ``docs/`` that is not a known page kind, or that is reached
    through a link (the check refused both already; this makes sure they are never
    published, whatever happens to the check, the error site of ``mkdocs serve`` included)."""
    docs = os.path.realpath(config.docs_dir)
    patterns = layout.patterns((config.extra or {}).get("baocao_allowed"))
    docs_is_link = os.path.islink(config.docs_dir)  # then every file of it is reached through it
    folders: dict[str, str] = {}  # each folder resolved once (theme files are hundreds)
    for file in list(files):
        src_dir = getattr(file, "src_dir", None)
        if not src_dir:
            continue
        if src_dir not in folders:
            folders[src_dir] = os.path.realpath(src_dir)
        if folders[src_dir] != docs:
            continue
        # The file is where it seems when its folder resolves to itself (no link on the
        # way) and the file itself is no link.
        folder = os.path.join(docs, *file.src_uri.split("/")[:-1])
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        try:
            link = stat.S_ISLNK(os.lstat(os.path.join(folder, file.src_uri.rsplit("/", 1)[-1])).st_mode)
        except OSError:
            link = True
        if link or docs_is_link or folders[folder] != folder or not layout.accepted(file.src_uri, patterns):
            files.remove(file)


def _docx_wanted() -> bool:
    return os.environ.get("BAOCAO_DOCX", "") not in ("", "0")


def _docx_name(report) -> str:
    return f"bao-cao-{report.period.slug}.docx"


def _overrides(config) -> Path:
    """The theme folder that holds baocao's templates (the theme's custom_dir)."""
    for folder in config.theme.dirs:
        if (Path(folder) / TEMPLATES).is_dir():
            return Path(folder)
    raise PluginError(f"Không tìm thấy thư mục mẫu trang {TEMPLATES}/ trong custom_dir của theme.")


def on_files(files: Files, /, *, config) -> Files:
    _published_only(files, config)
    if "problems" in _state:
        return _error_site(files, config, _state["problems"])
    archive = _state["archive"]
    links = Links(config.use_directory_urls)
    downloads = {pages.report_uri(r): pages.Downloads(pdf=_pdf_name(r) if _pdf_wanted() else None,
                                                      docx=_docx_name(r) if _docx_wanted() else None)
                 for r in archive.reports}
    # Contributor texts converted by earlier builds (cleaned again here, like new ones).
    _state["memo"] = memo = TextCache(Path(config.config_file_path).resolve().parent, "converted",
                                      f"markdown {markdown_version}")
    renderer = pages.Renderer(archive, Templates(_overrides(config), links), links, downloads, memo)
    specs = plan(archive, renderer)
    _state["specs"] = specs
    _cms_config(files, config, archive)
    _generated(files, config, calendar.PATH, calendar.ics(archive, renderer.today))
    for spec in specs.values():
        existing = files.get_file_from_path(spec.src_uri)
        if not spec.generated:
            if existing is not None and existing.page is None:
                _DrawnPage(None, existing, config)
            continue
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, spec.src_uri, content=spec.build()))
    return files


class _DrawnPage(Page):
    """A content page (report or section) whose HTML baocao draws: MkDocs converts no
    Markdown for it. Its Markdown is the one marked comment that
    :func:`on_page_read_source` gives; :func:`on_page_content` puts the HTML in its place
    and sets the table of contents. Material's blog plugin gives its posts a ``Page``
    subclass the same way; creating it in ``on_files`` makes it the page MkDocs builds."""

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        # What Python-Markdown would make of the comment, without making a converter
        # (about 0.2 ms a page: a tenth of the time of a build).
        self.content = self.markdown.strip()
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _generated(files: Files, config, path: str, content: bytes | None) -> None:
    """A file of the site that baocao makes (no page), in place of any file of that path."""
    existing = files.get_file_from_path(path)
    if existing is not None:
        files.remove(existing)
    if content is not None:
        files.append(File.generated(config, path, content=content))


def _cms_config(files: Files, config, archive) -> None:
    settings = (config.extra or {}).get("cms") or {}
    try:
        text = cms.dump(cms.config(archive, settings, local_url=os.environ.get("BAOCAO_CMS_LOCAL") or None,
                                   site_url=config.site_url or None))
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    existing = files.get_file_from_path("admin/config.yml")
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, "admin/config.yml", content=text))
_SERVE_FAILED = ("Kiểm tra nội dung: {} Trang xem thử hiện danh sách lỗi thay cho các trang; hãy sửa "
                 "các lỗi trên rồi lưu tệp, trang sẽ tự tải lại.")


def _error_page(config, problems) -> str:
    """The page shown under ``mkdocs serve`` while the check fails: a heading, then the
    problems drawn by the autoescaped template ``problems.html``."""
    templates = Templates(_overrides(config), Links(config.use_directory_urls))
    return ("# Nội dung đang có lỗi\n\n"
            + templates.render("problems.html", summary=summary(problems), problems=sorted(problems, key=sort_key))
            + "\n")


def _error_site(files: Files, config, problems) -> Files:
    """Under ``mkdocs serve`` with a failed check: every page (content files, the nav's pages,
    and every page of the last good build) replaced by the error page; assets stay."""
    content = _error_page(config, problems)
    uris = set(_known_pages) | {pages.HOME}
    uris.update(f.src_uri for f in files.documentation_pages())
    uris.update(_nav_uris(config.nav or []))
    for uri in sorted(uris):
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=content))
    return files


def _nav_uris(nav) -> list[str]:
    found: list[str] = []
    for item in nav if isinstance(nav, list) else [nav]:
        if isinstance(item, dict):
            for value in item.values():
                found.extend(_nav_uris(value))
        elif isinstance(item, str) and item.endswith(".md") and "://" not in item:
            found.append(item)
    return found


def on_page_read_source(*, page, config) -> str | None:
    # The check has read and validated every content file: give MkDocs the page's content
    # directly, so it neither reads the file again nor re-parses its front matter.
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None or spec.generated:
        return None
    return "\n" + spec.build()


def on_page_markdown(markdown: str, /, *, page, config, files) -> str | None:
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None:
        return None
    # Escaped by construction: Material prints the title as it is.
    page.meta["title"] = spec.title
    if not spec.searchable:
        page.meta["search"] = {"exclude": True}
    return None


def _toc(items: list[Heading]) -> list[dict]:
    """Python-Markdown's toc tokens (nested by level) from a page's headings."""
    root: list[dict] = []
    stack: list[dict] = []
    for item in items:
        token = {"level": item.level, "id": item.id, "name": item.title, "children": []}
        while stack and stack[-1]["level"] >= item.level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def on_page_content(html: str, /, *, page, config, files) -> str:
    html = fragments.unwrap_text(html)
    if page.file.src_uri in _state.get("specs", {}):
        page.toc = get_toc(_toc(headings(html)))
    return html


def on_post_page(output: str, /, *, page, config) -> str:
    return fragments.unwrap(output)


def on_post_build(*, config) -> None:
    if _serving:
        gc.unfreeze()
    _known_pages.update(_state.get("specs", ()))
    if "memo" in _state:
        _state["memo"].save()
    if "archive" not in _state:
        return
    if _docx_wanted():
        _write_docx(config)
    if _pdf_wanted():
        _write_pdf(config)


def _write_docx(config) -> None:
    from baocao.export.docx import write

    site = Path(config.site_dir)
    archive = _state["archive"]
    for report in archive.reports:
        out = write(archive, report, site / report.folder / _docx_name(report))
        log.info(f"Đã ghi tệp Word {out.relative_to(site).as_posix()}")


def _write_pdf(config) -> None:
    from baocao.export.pdf import PdfError, print_pages

    links = Links(config.use_directory_urls)
    site = Path(config.site_dir)
    reports = _state["archive"].reports
    jobs = [(links.url(pages.report_uri(r)), site / r.folder / _pdf_name(r)) for r in reports]

    def progress(url: str, out: Path, seconds: float) -> None:
        log.info(f"Đã in PDF {out.relative_to(site).as_posix()} ({seconds:.1f} giây)")

    try:
        print_pages(site, jobs, progress)
    except PdfError as exc:
        raise PluginError(str(exc)) from exc
