"""Markdown of the pages compiled across the archive: each report's appendix of figures,
the trends with their charts, the party organisations, the documents catalog and the
submission tracker. All are generated from the model; none comes from a file."""

from __future__ import annotations

from html import escape

from baocao.compile import aggregate
from baocao.model import Archive, Report
from baocao.render import charts, tables
from baocao.render.fragments import wrap
from baocao.render.links import Links
from baocao.render.pages import (
    DOCUMENTS,
    ORGANISATIONS,
    SECTION_STATUS,
    TRACKER,
    TRENDS,
    organisation_uri,
    progress_line,
    report_uri,
    section_title,
    section_uri,
    slot_label,
)
from baocao.vnformat import date_text

ORG_TYPES = {"dang_bo_co_so": "Đảng bộ cơ sở", "chi_bo_co_so": "Chi bộ cơ sở",
             "chi_bo_truc_thuoc": "Chi bộ trực thuộc", "dang_bo_bo_phan": "Đảng bộ bộ phận",
             "co_quan_tham_muu": "Cơ quan tham mưu, giúp việc", None: "(chưa rõ)"}
GROUPS = (("to_chuc", "Tổ chức đảng"), ("dang_vien", "Đảng viên"), ("hoat_dong", "Hoạt động"))


APPENDIX = "phu-luc-so-lieu"


def statistics_markdown(archive: Archive, report: Report, links: Links) -> str:
    """The report's compiled figures, as a screen-only appendix of the report page: they are
    derived from the sections, not part of the signed document, so they never print."""
    here = report_uri(report)
    return "\n\n".join([
        f"## Phụ lục: số liệu tổng hợp {report.period.label} "
        f'{{ #{APPENDIX} .bc-screen-only data-search-exclude="" }}',
        wrap('<div class="bc-appendix bc-screen-only" data-search-exclude>'
             '<p>Tự động tổng hợp từ số liệu các tổ chức đảng ghi trong phần của mình; không thuộc văn bản '
             f'đã ký. Dấu – là chưa có số liệu. <a href="{links.href(here, TRENDS)}">Thống kê qua các kỳ</a>.</p>'),
        tables.structure(archive, report),
        tables.summary(archive, report),
        tables.members(archive, report),
        tables.documents(archive, aggregate.cited_documents(archive, report),
                         f"Văn bản nêu trong báo cáo {report.period.label}"),
        wrap("</div>"),
    ]) + "\n"


def trends_markdown(archive: Archive, links: Links) -> str:
    out = ["# Thống kê qua các kỳ",
           "Số liệu toàn Đảng bộ, kỳ này qua kỳ khác: tổng các loại tổ chức khi đủ số liệu, nếu không "
           "thì số do phần Tình hình chung ghi. Dấu – là chưa có số liệu."]
    quarters = [f'<a href="{links.href(TRENDS, report_uri(r), APPENDIX)}">{escape(r.period.label)}</a>'
                for r in reversed(archive.reports)]
    if quarters:
        out.append("Số liệu tổng hợp từng kỳ: " + ", ".join(quarters) + ".")
    used = aggregate.used_indicators(archive, archive.reports)
    for group, title in GROUPS:
        keys = [k for k in used if archive.indicators[k].group == group]
        if not keys:
            continue
        out.append(f"## {title}")
        out.append(tables.trend(archive, keys, f"{title} qua các kỳ", TRENDS, links))
        for key in keys:
            indicator = archive.indicators[key]
            out.append(f"### {escape(indicator.label)}")
            out.append(charts.line_chart(indicator.label, aggregate.series(archive, key), indicator.unit))
    return "\n\n".join(out) + "\n"


def organisations_markdown(archive: Archive, links: Links) -> str:
    rows = []
    for org in archive.organisations.values():
        category = archive.categories.get(org.category) if org.category else None
        count = len(aggregate.organisation_sections(archive, org.id))
        rows.append(f'<tr><th scope="row"><a href="{links.href(ORGANISATIONS, organisation_uri(org.id))}">'
                    f"{escape(org.name)}</a></th><td>{ORG_TYPES.get(org.type, org.type)}</td>"
                    f"<td>{escape(category.short) if category else ''}</td>"
                    f'<td class="bc-num">{count}</td></tr>')
    table = tables.html_table("Các tổ chức đảng", ["Tổ chức", "Loại", "Loại tổ chức (mục báo cáo)",
                                                   "Số phần đã soạn"], rows, "bc-organisations")
    return "# Các tổ chức đảng\n\n" + table + "\n"


def organisation_markdown(archive: Archive, org_id: str, links: Links) -> str:
    org = archive.organisations[org_id]
    here = organisation_uri(org_id)
    category = archive.categories.get(org.category) if org.category else None
    facts = [("Loại", ORG_TYPES.get(org.type, org.type)),
             ("Thuộc mục", escape(category.name) if category else "")]
    if org.active_from:
        facts.append(("Hoạt động từ", date_text(org.active_from)))
    if org.active_to:
        facts.append(("Hoạt động đến", date_text(org.active_to)))
    if org.formed_by:
        doc = archive.documents.get(org.formed_by)
        facts.append(("Thành lập theo", escape(f"{doc.kind} số {doc.id}, ngày {date_text(doc.date)}" if doc
                                               else org.formed_by)))
    if org.formed_from:
        facts.append(("Trên cơ sở", escape("; ".join(org.formed_from))))
    info = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in facts if v)
    out = [f"# {escape(org.name)}",
           f'<p class="bc-screen-only"><a href="{links.href(here, ORGANISATIONS)}">← Các tổ chức đảng</a></p>',
           f'<table class="bc-section-meta">{info}</table>', "## Các phần đã soạn"]
    owned = aggregate.organisation_sections(archive, org_id)
    if not owned:
        out.append('<p class="bc-missing">Chưa có phần nào ghi tổ chức này là đơn vị soạn.</p>')
        return "\n\n".join(out) + "\n"
    rows = []
    for report, section in reversed(owned):
        rows.append(f'<tr><th scope="row">{escape(report.period.label)}</th>'
                    f'<td><a href="{links.href(here, section_uri(report, section))}">'
                    f"{escape(section_title(archive, report, section))}</a></td>"
                    f"<td>{SECTION_STATUS[section.meta.status]}</td></tr>")
    out.append(tables.html_table(f"Các phần do {org.name} soạn", ["Kỳ", "Phần", "Trạng thái"], rows,
                                 "bc-org-sections"))
    # Not every part an organisation writes gives figures: one row per section that does.
    with_figures = [(r, s) for r, s in owned if s.meta.figures]
    keys = [k for k in archive.indicators if any(k in s.meta.figures for _, s in with_figures)]
    if keys:
        out.append("## Số liệu qua các kỳ")
        rows = [f'<tr><th scope="row">{escape(r.period.label)}</th>'
                f"<td>{escape(section_title(archive, r, s))}</td>"
                + "".join(tables.cell(s.meta.figures.get(k)) for k in keys) + "</tr>"
                for r, s in reversed(with_figures)]
        out.append(tables.html_table(f"Số liệu của {org.name}",
                                     ["Kỳ", "Phần"] + [escape(archive.indicators[k].label) for k in keys], rows,
                                     "bc-org-figures"))
    return "\n\n".join(out) + "\n"


def documents_markdown(archive: Archive, links: Links) -> str:
    cited: dict[str, list[Report]] = {doc_id: [] for doc_id in archive.documents}
    for report in archive.reports:
        for doc_id in aggregate.cited_documents(archive, report):
            cited[doc_id].append(report)
    rows = []
    for doc in sorted(archive.documents.values(), key=lambda d: (d.date is None, d.date or 0, d.id)):
        where = ", ".join(f'<a href="{links.href(DOCUMENTS, report_uri(r))}">{escape(r.period.label)}</a>'
                          for r in cited[doc.id]) or "–"
        rows.append(f'<tr><th scope="row">{escape(doc.id)}</th><td>{escape(date_text(doc.date))}</td>'
                    f"<td>{escape(doc.issuer)}</td><td>{escape(doc.kind)} {escape(doc.title)}</td>"
                    f"<td>{where}</td></tr>")
    table = tables.html_table("Văn bản được các báo cáo nêu",
                              ["Số ký hiệu", "Ngày", "Cơ quan ban hành", "Trích yếu", "Nêu trong báo cáo"], rows,
                              "bc-documents")
    return "# Văn bản được nêu\n\n" + table + "\n"


def tracker_markdown(archive: Archive, links: Links) -> str:
    out = ["# Tiến độ nộp báo cáo",
           "Mỗi mục của đề cương và mỗi loại tổ chức cần một tệp. Dòng «Chưa có» là phần còn thiếu."]
    for report in reversed(archive.reports):
        rows = []
        for row in aggregate.tracker(archive, report):
            slot, section = row.slot, row.section
            title = escape(slot_label(slot, report, section))
            if section is None:
                rows.append(f'<tr class="bc-row-missing"><th scope="row">{title}</th><td>–</td><td>–</td>'
                            f'<td class="bc-state-missing">Chưa có</td></tr>')
                continue
            org = archive.organisations.get(section.meta.contributor or "")
            rows.append(f'<tr><th scope="row"><a href="{links.href(TRACKER, section_uri(report, section))}">'
                        f"{title}</a></th>"
                        f"<td><code>{escape(section.source.path)}</code></td>"
                        f"<td>{escape(org.name) if org else '–'}</td>"
                        f'<td class="bc-state-{row.status}">{SECTION_STATUS[row.status]}</td></tr>')
        # One heading and one fragment a quarter: the page stays cheap with hundreds of them.
        out.append(f"## Báo cáo {report.period.label}")
        out.append(wrap(f'<p class="bc-progress"><a href="{links.href(TRACKER, report_uri(report))}">'
                        f"Báo cáo {report.period.label}</a>: {progress_line(archive, report)}.</p>"))
        out.append(tables.html_table(f"Tiến độ {report.period.label}", ["Phần", "Tệp", "Đơn vị soạn", "Trạng thái"],
                                     rows, "bc-tracker"))
    return "\n\n".join(out) + "\n"
