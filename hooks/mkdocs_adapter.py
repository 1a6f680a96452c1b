"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

- ``on_pre_build``: run every check before MkDocs empties ``site/``; on errors (or on
  warnings under ``--strict``) log each problem and abort, so the last good site stays.
- ``on_files``: add the pages that baocao generates (home, archive, trends, tracker, ...)
  and put report pages after their sections.
- ``on_page_read_source`` / ``on_page_markdown``: give each page its Markdown and title
  from the page plan (content files were already read and validated by the check).
- ``on_page_content``: put back reused section text on report pages; keep each section's
  converted text for its report page (built last) and frame it on its own page.
- ``on_post_page``: put the ready-made HTML fragments (tables, charts) in the finished page.
- ``on_post_build``: with ``BAOCAO_PDF=1``, print each report page to PDF beside it.

Between ``on_pre_build`` and ``on_post_build`` the objects alive after the check are
frozen (:func:`gc.freeze`): they last the whole build, and walking them at every
collection cost about 40 ms of a 40-report build (MkDocs' own objects about half of it).
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from baocao.check import run_check
from baocao.export import staging
from baocao.load import layout
from baocao.problems import Severity, summary
from baocao.render import fragments, pages, sanitize
from baocao.render.links import Links
from baocao.render.site import plan

log = logging.getLogger("mkdocs.plugins.baocao")

_state: dict = {}


# --- publishing: build beside site/, swap in after success (baocao.export.staging) ------

_stage: dict = {}


def on_startup(*, command: str, dirty: bool) -> None:
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


def on_pre_build(*, config) -> None:
    gc.unfreeze()  # a build that failed half-way left its objects frozen
    result = run_check(Path(config.config_file_path).resolve().parent)
    for problem in result.problems:
        (log.error if problem.severity is Severity.ERROR else log.warning)(problem.text())
    _state.clear()
    # Under --strict a warning fails the build too: fail here, before site/ is emptied.
    if not result.ok or (config.strict and result.problems):
        raise PluginError(f"Kiểm tra nội dung: {summary(result.problems)} Trang web cũ được giữ nguyên; "
                          "hãy sửa các lỗi trên rồi chạy lại.")
    _state["archive"] = result.archive
    # The archive, the schemas and the imports live for the whole build: keep the cyclic
    # garbage collector from walking them again at each of its passes. They are handed
    # back in on_post_build.
    gc.freeze()


def _pdf_wanted() -> bool:
    return os.environ.get("BAOCAO_PDF", "") not in ("", "0")


def _pdf_name(report) -> str:
    return f"bao-cao-{report.period.slug}.pdf"


def _published_only(files: Files, config) -> None:
    """Drop every file of ``docs/`` that is not a known page kind (the check refused it
    already; this makes sure it is never published, whatever happens to the check)."""
    docs = os.path.realpath(config.docs_dir)
    patterns = layout.allowed_patterns(Path(config.config_file_path).resolve().parent)
    for file in list(files):
        src_dir = getattr(file, "src_dir", None)
        if src_dir and os.path.realpath(src_dir) == docs and not layout.accepted(file.src_uri, patterns):
            files.remove(file)


def on_files(files: Files, /, *, config) -> Files:
    _published_only(files, config)
    archive = _state["archive"]
    pdfs = {pages.report_uri(r): _pdf_name(r) for r in archive.reports} if _pdf_wanted() else {}
    rendered: dict[str, str] = {}
    specs = plan(archive, Links(config.use_directory_urls), pdfs, rendered)
    _state["specs"] = specs
    _state["rendered"] = rendered
    # Report pages last: they reuse the HTML of their sections, converted just before.
    for report in archive.reports:
        index = files.get_file_from_path(pages.report_uri(report))
        if index is not None:
            files.remove(index)
            files.append(index)
    for spec in specs.values():
        if not spec.generated:
            continue
        existing = files.get_file_from_path(spec.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, spec.src_uri, content=spec.build()))
    return files


def on_page_read_source(*, page, config) -> str | None:
    # The check has read and validated every content file: give MkDocs the page's Markdown
    # directly, so it neither reads the file again nor re-parses its front matter.
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None or spec.generated:
        return None
    return "\n" + spec.build()


def on_page_markdown(markdown: str, /, *, page, config, files) -> str | None:
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None:
        return None
    page.meta["title"] = spec.title
    if not spec.searchable:
        page.meta["search"] = {"exclude": True}
    return None


def on_page_content(html: str, /, *, page, config, files) -> str:
    html = fragments.unwrap_text(html)
    spec = _state.get("specs", {}).get(page.file.src_uri)
    if spec is None or spec.frame is None:
        return html
    html = _sanitized(html)
    if spec.reuse_key and pages.reusable_body(html):
        _state["rendered"][spec.reuse_key] = html
    before, after = spec.frame()
    return before + html + after


def _sanitized(html: str) -> str:
    """A section page's converted text is only the contributor's: through the allowlist
    sanitiser, keeping our own fragment markers (generated tables) as they are."""
    return sanitize.clean_around(html, fragments.LATE_MARKER)


def on_post_page(output: str, /, *, page, config) -> str:
    return fragments.unwrap(output)


def on_post_build(*, config) -> None:
    gc.unfreeze()
    if not _pdf_wanted() or "archive" not in _state:
        return
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
