"""The site map: every page baocao makes, its address, the ids it gives, its downloads.

Written once and read by the pages (:mod:`baocao.render`) and by the link check
(:mod:`baocao.check.links`) alike, so that a link the check accepts is a link the page
has:

- page addresses, as source paths in the docs folder (MkDocs turns ``reports/2025-q3/index.md``
  into ``reports/2025-q3/``): the generated pages, each report, each section, each party
  organisation (:func:`page_uris` lists them all);
- the ids a page gives besides its outline headings (the report's title and appendix, a
  section page's title) and the prefixes of the ids of contributor headings (a report's
  opening, a section page's text; a section's text on its report page takes its part's
  anchor), and :func:`heading_id`, the one way such an id is made;
- the file name of each download beside a report page (:func:`download_name`).
"""

from __future__ import annotations

from baocao.model import Archive, Report, Section
from baocao.textfold import slugify, unique_id

#: Contributor files live under this folder of the repository; addresses are relative to it.
DOCS = "docs"

HOME = "index.md"
ARCHIVE = "reports/index.md"
TRENDS = "thong-ke/index.md"
ORGANISATIONS = "to-chuc/index.md"
DOCUMENTS = "van-ban/index.md"
TRACKER = "tien-do/index.md"
#: Pages generated without a file of their own, besides each organisation's.
GENERATED = (HOME, ARCHIVE, TRENDS, ORGANISATIONS, DOCUMENTS, TRACKER)

#: The report page's title (``BÁO CÁO`` and the subject) and its appendix of figures.
REPORT_TITLE_ID = "bao-cao"
APPENDIX_ID = "phu-luc-so-lieu"
#: A section page's title.
SECTION_TITLE_ID = "tieu-de"
#: Ids a report page and a section page give besides the headings of the outline and texts.
REPORT_IDS = (REPORT_TITLE_ID, APPENDIX_ID)
SECTION_IDS = (SECTION_TITLE_ID,)
#: Prefixes of the ids of contributor headings: a report's opening, a section page's text.
OPENING_PREFIX = "mo-dau"
SECTION_TEXT_PREFIX = "noi-dung"


def docs_path(repo_path: str) -> str:
    """``docs/reports/2025-q3/x.md`` -> ``reports/2025-q3/x.md``."""
    prefix = DOCS + "/"
    return repo_path[len(prefix):] if repo_path.startswith(prefix) else repo_path


def report_uri(report: Report) -> str:
    return report.uri


def section_uri(report: Report, section: Section) -> str:
    return f"{report.folder}/{section.slug}.md"


def stats_uri(report: Report) -> str:
    """The statistical forms ("Biểu thống kê") of the report of a period, among the pages
    of figures: one page a period, its current report's (a report replaced has none:
    :meth:`baocao.model.Archive.is_current`)."""
    return f"thong-ke/{report.period.slug}.md"


def organisation_uri(org_id: str) -> str:
    return f"to-chuc/{org_id.replace('_', '-')}.md"


def page_uris(archive: Archive) -> set[str]:
    """The address of every page baocao makes for ``archive``."""
    uris = set(GENERATED)
    for report in [*archive.reports, *archive.replaced]:
        uris.add(report_uri(report))
        uris.update(section_uri(report, s) for s in report.sections)
    uris.update(stats_uri(report) for report in archive.reports)
    uris.update(organisation_uri(o) for o in archive.organisations)
    return uris


def part_anchor(number: str, title: str) -> str:
    """The id of a heading of the outline: ``2.5. Tổ chức cơ sở đảng khác`` ->
    ``2-5-to-chuc-co-so-dang-khac``."""
    return slugify(f"{number} {title}")


def heading_id(prefix: str, words: str, seen: dict[str, int]) -> str:
    """The id of a contributor heading reading ``words``, shown under ``prefix``: unique
    in its page (``seen`` counts the ids given so far in it)."""
    return unique_id(slugify(f"{prefix} {words}".strip()) or prefix or "muc", seen)


#: The start of each download's file name, by its suffix (the report itself: ``bao-cao``).
DOWNLOAD_STEMS = {"pdf": "bao-cao", "docx": "bao-cao", "xlsx": "bieu-thong-ke"}


def download_name(report: Report, suffix: str) -> str:
    """A report's download beside its page: ``bao-cao-2025-q3.pdf``, ``bieu-thong-ke-2025-q3.xlsx``."""
    return f"{DOWNLOAD_STEMS[suffix]}-{report.period.slug}.{suffix}"
