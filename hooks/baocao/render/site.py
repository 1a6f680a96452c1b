"""The plan of the site: every page that baocao makes or fills, by source path.

The MkDocs adapter asks :func:`plan` for the pages; each :class:`PageSpec` says whether
the page is generated (no source file) or fills a content file, its title (escaped HTML,
as the theme prints it unescaped), whether it is searched, and how to build its content.
Builders run lazily, once per page. A page's content is its finished HTML, handed to
MkDocs as one marked comment (:func:`baocao.render.fragments.wrap_text`): MkDocs converts
no Markdown of ours, and :func:`headings` gives it the table of contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from baocao.compile import sitemap
from baocao.compile.document import section_heading
from baocao.model import Archive
from baocao.render import fragments
from baocao.render.pages import Renderer

_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    #: the page title as HTML text (escaped).
    title: Markup
    #: the page's HTML, built on demand.
    html: Callable[[], str]
    generated: bool
    searchable: bool = True

    def build(self) -> str:
        """The page's content as MkDocs takes it: its HTML as one marked comment."""
        return fragments.wrap_text(self.html())


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    #: escaped HTML text.
    title: str


def headings(html: str) -> list[Heading]:
    """The headings with an id in a page's HTML (ours, or contributor text already cleaned),
    for the table of contents; the h1 is the page title and is left out."""
    return [Heading(int(level), anchor, _TAG.sub("", inner).strip())
            for level, anchor, inner in _HEADING.findall(html) if level != "1"]


def plan(archive: Archive, renderer: Renderer) -> dict[str, PageSpec]:
    """Every page of the site that baocao owns, keyed by source URI."""

    def page(uri: str, title: str, html: Callable[[], str], generated: bool = True,
             searchable: bool = True) -> PageSpec:
        return PageSpec(uri, escape(title), html, generated, searchable)

    specs: list[PageSpec] = [
        page(sitemap.HOME, "Trang chủ", renderer.home),
        page(sitemap.ARCHIVE, "Kho báo cáo", renderer.archive_page),
        # Pages of figures only are left out of the search index: nothing to read there.
        page(sitemap.TRENDS, "Thống kê qua các kỳ", renderer.trends, searchable=False),
        page(sitemap.ORGANISATIONS, "Các tổ chức đảng", renderer.organisations),
        page(sitemap.DOCUMENTS, "Văn bản được nêu", renderer.documents),
        page(sitemap.TRACKER, "Tiến độ nộp báo cáo", renderer.tracker, searchable=False),
    ]
    for org_id, org in archive.organisations.items():
        specs.append(page(sitemap.organisation_uri(org_id), org.name,
                          lambda o=org_id: renderer.organisation(o), searchable=False))
    replaced = {id(r) for r in archive.replaced}
    for report in [*archive.reports, *archive.replaced]:
        specs.append(page(sitemap.report_uri(report), f"Báo cáo {report.period.label}"
                          + (f" (số {report.meta.number}, đã được thay thế)" if id(report) in replaced else ""),
                          lambda r=report: renderer.report(r), generated=False))
        if archive.is_current(report):  # one stats page a period, its report's (sitemap.page_uris)
            specs.append(page(sitemap.stats_uri(report), f"Biểu thống kê {report.period.label}",
                              lambda r=report: renderer.stats(r), searchable=False))
        for section in report.sections:
            title = f"{section_heading(archive, report, section)} — {report.period.label}"
            # The text is searched on the report page; indexing it here too would show it twice.
            specs.append(page(sitemap.section_uri(report, section), title,
                              lambda r=report, s=section: renderer.section(r, s),
                              generated=False, searchable=False))
    return {spec.src_uri: spec for spec in specs}
