"""MkDocs hook module: connects the ``baocao`` package to MkDocs, and does nothing else.

- ``on_pre_build``: run every check before MkDocs empties ``site/``; on errors (or on
  warnings under ``--strict``) log each problem and abort, so the last good site stays.
- ``on_files``: add the generated pages (home, archive).
- ``on_page_markdown``: give report and section pages their assembled Markdown.
"""

from __future__ import annotations

import logging
from pathlib import Path

from baocao import pages
from baocao.check import CheckResult, run_check
from baocao.problems import Severity, summary
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.baocao")

_state: dict[str, object] = {}


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_pre_build(*, config) -> None:
    result = run_check(_root(config))
    for problem in result.problems:
        if problem.severity is Severity.ERROR:
            log.error(problem.text())
        else:
            log.warning(problem.text())
    # Under --strict a warning fails the build too: fail here, before site/ is emptied.
    if not result.ok or (config.strict and result.problems):
        _state.pop("result", None)
        raise PluginError(f"Kiểm tra nội dung: {summary(result.problems)} Trang web cũ được giữ nguyên; "
                          "hãy sửa các lỗi trên rồi chạy lại.")
    _state["result"] = result
    _state["pages"] = {}


def _result() -> CheckResult:
    return _state["result"]  # type: ignore[return-value]


def on_files(files: Files, /, *, config) -> Files:
    archive = _result().archive
    routes: dict[str, tuple] = {}
    for report in archive.reports:
        routes[f"{report.folder}/index.md"] = ("report", report, None)
        for section in report.sections:
            routes[f"{report.folder}/{section.slug}.md"] = ("section", report, section)
    _state["pages"] = routes
    for src_uri, content in (("index.md", pages.home_markdown(archive)),
                             ("reports/index.md", pages.archive_markdown(archive))):
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_markdown(markdown: str, /, *, page, config, files) -> str | None:
    route = _state.get("pages", {}).get(page.file.src_uri)  # type: ignore[union-attr]
    if route is None:
        return None
    kind, report, section = route
    archive = _result().archive
    if kind == "report":
        page.meta["title"] = f"Báo cáo {report.period.label}"
        return pages.report_markdown(archive, report)
    page.meta["title"] = f"{pages.section_title(archive, report, section)} — {report.period.label}"
    # The text is searched on the report page; indexing it here too would show it twice.
    page.meta["search"] = {"exclude": True}
    return pages.section_markdown(archive, report, section)
