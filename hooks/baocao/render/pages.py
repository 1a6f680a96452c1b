"""The HTML of every page baocao makes, drawn by the templates from the model.

- the report page: the whole official document (:mod:`baocao.compile.document`) with its
  toolbar and the screen-only appendix of figures;
- a section page: its text with contributor, status and the way back to the report;
- the home and archive pages, the trends with their charts, the party organisations, the
  documents catalog and the submission tracker;
- the deadlines of the quarters being collected (:mod:`baocao.deadlines`: who is late, on
  the build's day) on the tracker and the home page, and on each section page what changed
  since the same slot of the previous quarter (:mod:`baocao.compile.compare`).

This module chooses what each page shows and in which order; the templates under
``overrides/baocao/`` say how it looks. It writes no markup: contributor text becomes HTML
only through :class:`~baocao.render.contributor.Converter` (sanitised), everything else
reaches the page through autoescaped templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from baocao import deadlines
from baocao.compile import aggregate, charts, compare, forms, tables
from baocao.compile.document import (
    REPORT_STATUS,
    SECTION_STATUS,
    Document,
    Text,
    assemble,
    progress_line,
    section_heading,
)
from baocao.compile.sitemap import (
    APPENDIX_ID,
    ARCHIVE,
    DOCUMENTS,
    GENERATED,
    HOME,
    OPENING_PREFIX,
    ORGANISATIONS,
    REPORT_TITLE_ID,
    SECTION_TEXT_PREFIX,
    SECTION_TITLE_ID,
    TRACKER,
    TRENDS,
    docs_path,
    organisation_uri,
    page_uris,
    report_uri,
    section_uri,
    stats_uri,
)
from baocao.compile.tables import Cell, Row, Table, figure, text
from baocao.load.cache import TextCache
from baocao.model import Archive, Report, Section
from baocao.render import calendar
from baocao.render.contributor import Converter
from baocao.render.links import Links
from baocao.render.templates import Templates
from baocao.seal.shown import SealView, seal_view
from baocao.vnformat import date_text

#: Indicators shown as key figures on the home page, when known.
KEY_FIGURES = ("to_chuc_dang", "dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc",
               "dang_vien_dau_ky", "dang_vien_cuoi_ky")
ORG_TYPES = {"dang_bo_co_so": "Đảng bộ cơ sở", "chi_bo_co_so": "Chi bộ cơ sở",
             "chi_bo_truc_thuoc": "Chi bộ trực thuộc", "dang_bo_bo_phan": "Đảng bộ bộ phận",
             "co_quan_tham_muu": "Cơ quan tham mưu, giúp việc", None: "(chưa rõ)"}
GROUPS = (("to_chuc", "Tổ chức đảng"), ("dang_vien", "Đảng viên"), ("hoat_dong", "Hoạt động"))

#: Page addresses (:mod:`baocao.compile.sitemap`), named here too for the page builders.
__all__ = ["ARCHIVE", "DOCUMENTS", "GENERATED", "HOME", "ORGANISATIONS", "TRACKER", "TRENDS", "Downloads",
           "Renderer", "organisation_uri", "report_uri", "section_uri", "stats_uri", "section_title"]


def section_title(archive: Archive, report: Report, section: Section) -> str:
    return section_heading(archive, report, section)


@dataclass(frozen=True)
class Downloads:
    """File names of a report's downloads beside its page, when they are made."""

    pdf: str | None = None
    docx: str | None = None
    #: the statistical forms' workbook (``baocao.export.xlsx``).
    xlsx: str | None = None


class Renderer:
    """Draws the pages of one build."""

    def __init__(self, archive: Archive, templates: Templates, links: Links,
                 downloads: dict[str, Downloads] | None = None, memo: TextCache | None = None,
                 today: dt.date | None = None) -> None:
        self.archive = archive
        #: the day deadlines are counted from (the build's, or BAOCAO_TODAY).
        self.today = today or deadlines.today()
        self.templates = templates
        self.links = links
        self.downloads = downloads or {}
        self.converter = Converter(links, page_uris(archive), memo)
        self._documents: dict[int, Document] = {}

    def document(self, report: Report) -> Document:
        """The report's document, assembled once for its page and all its section pages."""
        document = self._documents.get(id(report))
        if document is None:
            document = self._documents[id(report)] = assemble(self.archive, report)
        return document

    # --- contributor text ------------------------------------------------------------

    def blocks(self, blocks, page: str, shift: int, prefix: str) -> list[Markup | Table]:
        """Contributor blocks as the template takes them: text converted and sanitised,
        tables as data."""
        out: list[Markup | Table] = []
        for block in blocks:
            if isinstance(block, Text):
                out.append(self.converter.html(block.markdown, docs_path(block.path), page, shift, prefix))
            else:
                out.append(block)
        return out

    # --- report and section pages -------------------------------------------------------

    def report(self, report: Report) -> str:
        archive = self.archive
        document = self.document(report)
        here = report_uri(report)
        before, after = archive.neighbours(report)
        parts = []
        for part in document.parts:
            items = self.blocks(part.body, here, part.level + 1, part.anchor)
            parts.append((part, items, part.empty))
        return self.templates.render(
            "report.html", doc=document, here=here, parts=parts,
            opening=self.blocks(document.opening, here, 1, OPENING_PREFIX),
            before=before, after=after, downloads=self.downloads.get(here, Downloads()),
            title_id=REPORT_TITLE_ID, appendix_id=APPENDIX_ID, trends=TRENDS, seal=seal_view(archive, report),
            stats=stats_uri(report) if archive.is_current(report) else None)

    def stats(self, report: Report) -> str:
        """The report's statistical forms, as the workbook has them (:mod:`baocao.compile.forms`)."""
        here = stats_uri(report)
        made = self.downloads.get(report_uri(report), Downloads()).xlsx
        return self.templates.render(
            "stats.html", here=here, report=report, report_uri=report_uri(report),
            forms=forms.fill_all(self.archive, report),
            xlsx=self.links.file_href(here, f"{report.folder}/{made}") if made else None)

    def section(self, report: Report, section: Section) -> str:
        archive = self.archive
        meta = section.meta
        here = section_uri(report, section)
        title = section_title(archive, report, section)
        org = archive.organisations.get(meta.contributor) if meta.contributor else None
        part = next((p for p in self.document(report).parts if p.section is section), None)
        body = part.body if part is not None else (
            Text(section.body.strip(), section.source.path, section.body_line),)
        found = compare.compare(archive, report, section)
        previous = found.previous
        changes = (compare.word_diff(previous.body, section.body)
                   if previous is not None and found.similarity is not None else None)
        if previous is not None:  # pages are drawn quarter after quarter: no later page needs them
            compare.release_words(found.previous_report, previous)
            found.release()
        return self.templates.render(
            "section.html", here=here, report=report, report_uri=report_uri(report), title=title,
            anchor=part.anchor if part is not None else "",
            organisation=org, organisation_uri=organisation_uri(org.id) if org else None,
            status=SECTION_STATUS[meta.status], title_id=SECTION_TITLE_ID,
            body=self.blocks(body, here, 1, SECTION_TEXT_PREFIX),
            compared=found, changes=changes, max_words=compare.MAX_WORDS, acknowledged=meta.acknowledged,
            previous_uri=section_uri(found.previous_report, previous) if previous is not None else None)

    # --- home and archive ----------------------------------------------------------------

    def _years(self) -> list[tuple[int, list[Report]]]:
        """Reports by year, newest first; a replaced report right after the one replacing it."""
        current = {id(r) for r in self.archive.reports}
        listed = sorted([*self.archive.reports, *self.archive.replaced],
                        key=lambda r: (r.period, id(r) in current, r.folder), reverse=True)
        return [(year, list(reports)) for year, reports in groupby(listed, key=lambda r: r.period.year)]

    def _seals(self) -> dict[str, SealView | None]:
        """The seal of every report (number, errata, replacement), by folder, for the lists."""
        return {r.folder: seal_view(self.archive, r) for r in [*self.archive.reports, *self.archive.replaced]}

    def home(self) -> str:
        archive = self.archive
        issued = [r for r in archive.reports if r.meta.status == "issued"]
        featured = issued[-1] if issued else archive.latest
        newer = [r for r in archive.reports if featured and r.period > featured.period]
        key_figures = []
        if featured:
            figures = aggregate.whole(archive, featured)
            key_figures = [(archive.indicators[k].label, figures[k]) for k in KEY_FIGURES
                           if k in archive.indicators and figures.get(k) is not None]
        return self.templates.render(
            "home.html", here=HOME, committee=archive.committee, featured=featured, newer=newer,
            key_figures=key_figures, latest=archive.latest,
            progress=progress_line(archive, archive.latest) if archive.latest else "",
            links_to=[("Thống kê qua các kỳ", TRENDS), ("Các tổ chức đảng", ORGANISATIONS),
                      ("Văn bản được nêu", DOCUMENTS), ("Tiến độ nộp báo cáo", TRACKER)],
            tracker=TRACKER, years=self._years(), status=REPORT_STATUS, seals=self._seals(),
            collecting=[(r, deadlines.report_deadlines(archive, r, self.today),
                         self.deadline_table(r, similarity=False))
                        for r in deadlines.open_reports(archive)],
            calendar_href=self.calendar_href(HOME), today=self.today)

    def archive_page(self) -> str:
        return self.templates.render("archive.html", here=ARCHIVE, years=self._years(), status=REPORT_STATUS,
                                     seals=self._seals())

    # --- pages compiled across the archive -------------------------------------------------

    def trends(self) -> str:
        archive = self.archive
        used = aggregate.used_indicators(archive, archive.reports)
        groups = []
        for group, title in GROUPS:
            keys = [k for k in used if archive.indicators[k].group == group]
            if not keys:
                continue
            indicator_charts = [
                (archive.indicators[k].label,
                 charts.line_chart(archive.indicators[k].label, aggregate.series(archive, k),
                                   archive.indicators[k].unit))
                for k in keys]
            groups.append((title, tables.trend(archive, keys, f"{title} qua các kỳ"), indicator_charts))
        return self.templates.render("trends.html", here=TRENDS, reports=list(reversed(archive.reports)),
                                     appendix_id=APPENDIX_ID, groups=groups)

    def organisations(self) -> str:
        archive = self.archive
        rows = []
        for org in archive.organisations.values():
            category = archive.categories.get(org.category) if org.category else None
            count = len(aggregate.organisation_sections(archive, org.id))
            rows.append(Row(text(org.name, link=organisation_uri(org.id)),
                            (text(ORG_TYPES.get(org.type, org.type)), text(category.short if category else ""),
                             Cell(str(count), numeric=True))))
        table = Table("Các tổ chức đảng", ("Tổ chức", "Loại", "Loại tổ chức (mục báo cáo)", "Số phần đã soạn"),
                      tuple(rows), "organisations")
        return self.templates.render("organisations.html", here=ORGANISATIONS, organisations=table)

    def organisation(self, org_id: str) -> str:
        archive = self.archive
        org = archive.organisations[org_id]
        here = organisation_uri(org_id)
        category = archive.categories.get(org.category) if org.category else None
        facts = [("Loại", ORG_TYPES.get(org.type, org.type)), ("Thuộc mục", category.name if category else "")]
        if org.active_from:
            facts.append(("Hoạt động từ", date_text(org.active_from)))
        if org.active_to:
            facts.append(("Hoạt động đến", date_text(org.active_to)))
        if org.formed_by:
            doc = archive.documents.get(org.formed_by)
            facts.append(("Thành lập theo", f"{doc.kind} số {doc.id}, ngày {date_text(doc.date)}" if doc
                          else org.formed_by))
        if org.formed_from:
            facts.append(("Trên cơ sở", "; ".join(org.formed_from)))
        owned = aggregate.organisation_sections(archive, org_id)
        sections = Table(f"Các phần do {org.name} soạn", ("Kỳ", "Phần", "Trạng thái"), tuple(
            Row(text(r.period.label), (text(section_title(archive, r, s), link=section_uri(r, s), long=True),
                                       text(SECTION_STATUS[s.meta.status])))
            for r, s in reversed(owned)), "org-sections")
        # Not every part an organisation writes gives figures: one row per section that does.
        with_figures = [(r, s) for r, s in owned if s.meta.figures]
        keys = [k for k in archive.indicators if any(k in s.meta.figures for _, s in with_figures)]
        figures = Table(f"Số liệu của {org.name}", ("Kỳ", "Phần", *(archive.indicators[k].label for k in keys)),
                        tuple(Row(text(r.period.label), (text(section_title(archive, r, s)),
                                                         *(figure(s.meta.figures.get(k)) for k in keys)))
                              for r, s in reversed(with_figures)), "org-figures") if keys else None
        return self.templates.render("organisation.html", here=here, org=org, back=ORGANISATIONS,
                                     facts=[f for f in facts if f[1]], sections=sections if owned else None,
                                     figures=figures)

    def documents(self) -> str:
        archive = self.archive
        cited: dict[str, list[Report]] = {doc_id: [] for doc_id in archive.documents}
        for report in archive.reports:
            for doc_id in aggregate.cited_documents(archive, report):
                cited[doc_id].append(report)
        rows = [(doc, cited[doc.id]) for doc in sorted(
            archive.documents.values(), key=lambda d: (d.date is None, d.date or 0, d.id))]
        return self.templates.render("documents.html", here=DOCUMENTS, rows=rows)

    def calendar_href(self, here: str) -> str | None:
        """The link to the deadlines calendar, when the site has one (a quarter is being
        collected)."""
        return self.links.file_href(here, calendar.PATH) if deadlines.open_reports(self.archive) else None

    def deadline_table(self, report: Report, similarity: bool = True) -> Table:
        """Every slot of a report: its file, organisation, state, days to its deadline, and
        (``similarity``) how much of its text is last quarter's. An overdue row stands out."""
        archive = self.archive
        found = deadlines.report_deadlines(archive, report, self.today)
        rows = []
        for row in found.rows:
            section = row.row.section
            # the file's name: its folder is the quarter's (docs/reports/<kỳ>/)
            cells = [text(section.source.path.rsplit("/", 1)[-1], code=True) if section else text("–"),
                     text(row.organisation or "–", long=True),
                     text(row.state_text, state=row.state),
                     text(row.due_text, state="overdue" if row.overdue else "")]
            if similarity:
                cells.append(self._similarity_cell(report, section))
            kind = "overdue" if row.overdue else ("row-missing" if section is None else "")
            rows.append(Row(text(row.label, link=section_uri(report, section) if section else None),
                            tuple(cells), kind))
        head = ("Phần", "Tệp", "Đơn vị soạn", "Trạng thái", "Hạn") + (("Giống quý trước",) if similarity else ())
        return Table(f"Tiến độ {report.period.label}", head, tuple(rows), "tracker")

    def _similarity_cell(self, report: Report, section: Section | None) -> Cell:
        found = compare.compare(self.archive, report, section) if section is not None else None
        if found is None or found.percent is None:
            return Cell("–", numeric=True)
        found.release()
        return Cell(f"{found.percent} %", numeric=True, state="copied" if found.copied else "")

    def tracker(self) -> str:
        archive = self.archive
        quarters = []
        for report in reversed(archive.reports):
            quarters.append((report, progress_line(archive, report),
                             deadlines.report_deadlines(archive, report, self.today),
                             self.deadline_table(report)))
            compare.release_words(report)  # newest first: the quarter after it is done too
        return self.templates.render("tracker.html", here=TRACKER, quarters=quarters, today=self.today,
                                     calendar_href=self.calendar_href(TRACKER))
