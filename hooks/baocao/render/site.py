"""The plan of the site: every page that baocao makes or fills, by source path.

The MkDocs adapter asks :func:`plan` for the pages; each :class:`PageSpec` says whether
the page is generated (no source file) or fills a content file, its title, whether it is
searched, and how to build its Markdown. Builders run lazily, once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from baocao.model import Archive
from baocao.render import archive_pages, fragments, pages
from baocao.render.links import Links


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    #: the page's Markdown, built on demand.
    markdown: Callable[[], str]
    generated: bool
    searchable: bool = True
    #: HTML to put before and after the converted page (section pages), if any.
    frame: Callable[[], tuple[str, str]] | None = None
    #: key under which the converted text is kept for reuse (section pages), if any.
    reuse_key: str | None = None

    def build(self) -> str:
        """The page's Markdown, with adjacent ready-made fragments made one."""
        return fragments.merge(self.markdown())


def plan(archive: Archive, links: Links, pdfs: dict[str, str] | None = None,
         rendered: dict[str, str] | None = None, docxs: dict[str, str] | None = None) -> dict[str, PageSpec]:
    """Every page of the site that baocao owns, keyed by source URI.

    ``rendered`` is filled by the caller with each section's converted text under the
    spec's ``reuse_key`` (when :func:`baocao.render.pages.reusable_body`); report pages, built
    after their sections, reuse it.
    """
    pdfs = pdfs or {}
    docxs = docxs or {}
    rendered = rendered if rendered is not None else {}
    specs: list[PageSpec] = [
        PageSpec(pages.HOME, "Trang chủ", lambda: pages.home_markdown(archive, links), True),
        PageSpec(pages.ARCHIVE, "Kho báo cáo", lambda: pages.archive_markdown(archive, links), True),
        # Pages of figures only are left out of the search index: nothing to read there.
        PageSpec(pages.TRENDS, "Thống kê qua các kỳ", lambda: archive_pages.trends_markdown(archive, links), True,
                 searchable=False),
        PageSpec(pages.ORGANISATIONS, "Các tổ chức đảng",
                 lambda: archive_pages.organisations_markdown(archive, links), True),
        PageSpec(pages.DOCUMENTS, "Văn bản được nêu", lambda: archive_pages.documents_markdown(archive, links), True),
        PageSpec(pages.TRACKER, "Tiến độ nộp báo cáo", lambda: archive_pages.tracker_markdown(archive, links), True,
                 searchable=False),
    ]
    for org_id, org in archive.organisations.items():
        specs.append(PageSpec(pages.organisation_uri(org_id), org.name,
                              lambda o=org_id: archive_pages.organisation_markdown(archive, o, links), True,
                              searchable=False))
    for report in archive.reports:
        uri = pages.report_uri(report)
        specs.append(PageSpec(uri, f"Báo cáo {report.period.label}",
                              lambda r=report, u=uri: pages.report_markdown(
                                  archive, r, links, pdfs.get(u), archive_pages.statistics_markdown(archive, r, links),
                                  rendered, docxs.get(u)),
                              False))
        for section in report.sections:
            title = f"{pages.section_title(archive, report, section)} — {report.period.label}"
            # The text is searched on the report page; indexing it here too would show it twice.
            specs.append(PageSpec(pages.section_uri(report, section), title,
                                  lambda r=report, s=section: pages.section_markdown(archive, r, s),
                                  False, searchable=False,
                                  frame=lambda r=report, s=section: pages.section_frame(archive, r, s, links),
                                  reuse_key=section.source.path))
    return {spec.src_uri: spec for spec in specs}
