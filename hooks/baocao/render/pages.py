"""The HTML of every page baocao makes, drawn by the templates from the model.

- the report page: the whole official document (:mod:`baocao.compile.document`) with its
  toolbar and the screen-only appendix of figures;
- a section page: its text with contributor, status and the way back to the report;
- the home and archive pages, the trends with their charts, the party organisations, the
  documents catalog and the submission tracker.

This module chooses what each page shows and in which order; the templates under
``overrides/baocao/`` say how it looks. It writes no markup: contributor text becomes HTML
only through :class:`~baocao.render.contributor.Converter` (sanitised), everything else
reaches the page through autoescaped templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from baocao.compile import aggregate, charts, tables
from baocao.compile.document import (
    APPENDIX,
    REPORT_STATUS,
    SECTION_STATUS,
    Document,
    Text,
    assemble,
    progress_line,
    section_heading,
    slot_label,
)
from baocao.compile.tables import Cell, Row, Table, figure, text
from baocao.load.cache import TextCache
from baocao.model import Archive, Report, Section
from baocao.render.contributor import Converter, docs_path
from baocao.render.links import Links
from baocao.render.templates import Templates
from baocao.vnformat import date_text

#: Indicators shown as key figures on the home page, when known.
KEY_FIGURES = ("to_chuc_dang", "dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc",
               "dang_vien_dau_ky", "dang_vien_cuoi_ky")
ORG_TYPES = {"dang_bo_co_so": "Đảng bộ cơ sở", "chi_bo_co_so": "Chi bộ cơ sở",
             "chi_bo_truc_thuoc": "Chi bộ trực thuộc", "dang_bo_bo_phan": "Đảng bộ bộ phận",
             "co_quan_tham_muu": "Cơ quan tham mưu, giúp việc", None: "(chưa rõ)"}
GROUPS = (("to_chuc", "Tổ chức đảng"), ("dang_vien", "Đảng viên"), ("hoat_dong", "Hoạt động"))

HOME = "index.md"
ARCHIVE = "reports/index.md"
TRENDS = "thong-ke/index.md"
ORGANISATIONS = "to-chuc/index.md"
DOCUMENTS = "van-ban/index.md"
TRACKER = "tien-do/index.md"
GENERATED = (HOME, ARCHIVE, TRENDS, ORGANISATIONS, DOCUMENTS, TRACKER)


def report_uri(report: Report) -> str:
    return report.uri


def section_uri(report: Report, section: Section) -> str:
    return f"{report.folder}/{section.slug}.md"


def organisation_uri(org_id: str) -> str:
    return f"to-chuc/{org_id.replace('_', '-')}.md"


def section_title(archive: Archive, report: Report, section: Section) -> str:
    return section_heading(archive, report, section)


@dataclass(frozen=True)
class Downloads:
    """File names of a report's downloads beside its page, when they are made."""

    pdf: str | None = None
    docx: str | None = None


class Renderer:
    """Draws the pages of one build."""

    def __init__(self, archive: Archive, templates: Templates, links: Links,
                 downloads: dict[str, Downloads] | None = None, memo: TextCache | None = None) -> None:
        self.archive = archive
        self.templates = templates
        self.links = links
        self.downloads = downloads or {}
        uris = set(GENERATED)
        for report in archive.reports:
            uris.add(report_uri(report))
            uris.update(section_uri(report, s) for s in report.sections)
        uris.update(organisation_uri(o) for o in archive.organisations)
        self.converter = Converter(links, uris, memo)
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
            opening=self.blocks(document.opening, here, 1, "mo-dau"),
            before=before, after=after, downloads=self.downloads.get(here, Downloads()),
            appendix_id=APPENDIX, trends=TRENDS)

    def section(self, report: Report, section: Section) -> str:
        archive = self.archive
        meta = section.meta
        here = section_uri(report, section)
        title = section_title(archive, report, section)
        org = archive.organisations.get(meta.contributor) if meta.contributor else None
        part = next((p for p in self.document(report).parts if p.section is section), None)
        body = part.body if part is not None else (
            Text(section.body.strip(), section.source.path, section.body_line),)
        return self.templates.render(
            "section.html", here=here, report=report, report_uri=report_uri(report), title=title,
            anchor=part.anchor if part is not None else "",
            organisation=org, organisation_uri=organisation_uri(org.id) if org else None,
            status=SECTION_STATUS[meta.status], body=self.blocks(body, here, 1, "noi-dung"))

    # --- home and archive ----------------------------------------------------------------

    def _years(self) -> list[tuple[int, list[Report]]]:
        return [(year, list(reports))
                for year, reports in groupby(reversed(self.archive.reports), key=lambda r: r.period.year)]

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
            tracker=TRACKER, years=self._years(), status=REPORT_STATUS)

    def archive_page(self) -> str:
        return self.templates.render("archive.html", here=ARCHIVE, years=self._years(), status=REPORT_STATUS)

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
                                     appendix_id=APPENDIX, groups=groups)

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

    def tracker(self) -> str:
        archive = self.archive
        quarters = []
        for report in reversed(archive.reports):
            rows = []
            for row in aggregate.tracker(archive, report):
                slot, section = row.slot, row.section
                label = slot_label(slot, report, section)
                if section is None:
                    rows.append(Row(text(label), (text("–"), text("–"), text("Chưa có", state="missing")),
                                    "row-missing"))
                    continue
                org = archive.organisations.get(section.meta.contributor or "")
                rows.append(Row(text(label, link=section_uri(report, section)),
                                (text(section.source.path, code=True), text(org.name if org else "–", long=True),
                                 text(SECTION_STATUS[row.status], state=row.status))))
            quarters.append((report, progress_line(archive, report),
                             Table(f"Tiến độ {report.period.label}", ("Phần", "Tệp", "Đơn vị soạn", "Trạng thái"),
                                   tuple(rows), "tracker")))
        return self.templates.render("tracker.html", here=TRACKER, quarters=quarters)
