"""HTML tables of the compiled figures, in Vietnamese formats.

Each function returns one ``<table>`` wrapped so that it scrolls inside itself on a
phone. Unknown figures show "–" (with a tooltip), never 0. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from baocao.compile import aggregate
from baocao.model import Archive, Report
from baocao.periods import Period
from baocao.render.fragments import wrap
from baocao.render.links import Links
from baocao.vnformat import UNKNOWN, date_text, number, percent


def cell(value: int | None) -> str:
    if value is None:
        return f'<td class="bc-num bc-unknown" title="chưa có số liệu">{UNKNOWN}</td>'
    return f'<td class="bc-num">{number(value)}</td>'


def html_table(caption: str, head: Iterable[str], rows: Iterable[str], css: str = "") -> str:
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return wrap(f'<div class="bc-table-wrap"><table class="bc-table {css}"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


GROUP_TITLES = {"to_chuc": "Tổ chức đảng", "dang_vien": "Đảng viên", "hoat_dong": "Hoạt động"}


def summary(archive: Archive, report: Report) -> str:
    """Categories as rows (outline order), indicators as columns, a computed total row;
    one table per indicator group so that each fits a page. Organisation counts are in
    :func:`structure`."""
    keys = [k for k in aggregate.used_indicators(archive, [report]) if archive.indicators[k].group != "to_chuc"]
    if not keys:
        return '<p class="bc-missing">Báo cáo chưa có số liệu.</p>'
    parts = aggregate.by_category(archive, report)
    whole = aggregate.whole(archive, report)
    out = []
    for group, title in GROUP_TITLES.items():
        group_keys = [k for k in keys if archive.indicators[k].group == group]
        if not group_keys:
            continue
        head = ["Loại tổ chức"] + [escape(archive.indicators[k].label) for k in group_keys]
        rows = [f'<tr><th scope="row">{escape(archive.categories[c].short)}</th>'
                + "".join(cell(figures.get(k)) for k in group_keys) + "</tr>" for c, figures in parts.items()]
        rows.append('<tr class="bc-total"><th scope="row">Toàn Đảng bộ</th>'
                    + "".join(cell(whole.get(k)) for k in group_keys) + "</tr>")
        out.append(html_table(f"{title} — {report.period.label}", head, rows, "bc-summary"))
    return "\n".join(out)


def structure(archive: Archive, report: Report) -> str:
    """Party organisations by type and category, with the totals."""
    keys = [k for k in (*aggregate.STRUCTURE, aggregate.STRUCTURE_TOTAL) if k in archive.indicators]
    parts = aggregate.by_category(archive, report)
    whole = aggregate.whole(archive, report)
    head = ["Loại tổ chức"] + [escape(archive.indicators[k].label) for k in keys]
    rows = []
    for category, figures in parts.items():
        values = [figures.get(k) for k in keys]
        if keys and keys[-1] == aggregate.STRUCTURE_TOTAL and values[-1] is None:
            values[-1] = aggregate.total(values[:-1])
        rows.append(f'<tr><th scope="row">{escape(archive.categories[category].short)}</th>'
                    + "".join(cell(v) for v in values) + "</tr>")
    rows.append('<tr class="bc-total"><th scope="row">Toàn Đảng bộ</th>'
                + "".join(cell(whole.get(k)) for k in keys) + "</tr>")
    return html_table(f"Tổ chức đảng {report.period.label}", head, rows, "bc-structure")


def members(archive: Archive, report: Report) -> str:
    """Biểu số 1-BTCTW: A, B, C, D with the same quarter of last year and the change."""
    now = aggregate.member_rows(aggregate.whole(archive, report))
    before_report = aggregate.same_quarter_last_year(archive, report)
    before = aggregate.member_rows(aggregate.whole(archive, before_report)) if before_report else None
    head = ["", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (−)", "Kỳ này so với cùng kỳ"]
    rows = []
    for index, (code, label, value) in enumerate(now):
        last = before[index][2] if before else None
        change = value - last if value is not None and last is not None else None
        ratio = percent(value / last) if change is not None and last else UNKNOWN
        sign = UNKNOWN if change is None else ("+" if change > 0 else "−" if change < 0 else "") + number(abs(change))
        strong = code.isalpha()
        rows.append(f'<tr class="{"bc-group" if strong else "bc-item"}"><td>{code}</td>'
                    f'<th scope="row">{escape(label)}</th>{cell(value)}{cell(last)}'
                    f'<td class="bc-num">{sign}</td><td class="bc-num">{ratio}</td></tr>')
    caption = f"Tăng, giảm đảng viên {report.period.label} (theo Biểu số 1-BTCTW)"
    if before_report is None:
        caption += f" — chưa có báo cáo {Period(report.period.year - 1, report.period.quarter).label}"
    return html_table(caption, head, rows, "bc-members")


def documents(archive: Archive, ids: list[str], caption: str) -> str:
    if not ids:
        return '<p class="bc-missing">Không có văn bản.</p>'
    rows = []
    for doc_id in ids:
        doc = archive.documents[doc_id]
        rows.append(f'<tr><th scope="row">{escape(doc.id)}</th><td>{escape(date_text(doc.date))}</td>'
                    f"<td>{escape(doc.issuer)}</td><td>{escape(doc.kind)} {escape(doc.title)}</td></tr>")
    return html_table(caption, ["Số ký hiệu", "Ngày", "Cơ quan ban hành", "Trích yếu"], rows, "bc-documents")


def trend(archive: Archive, keys: list[str], caption: str, here: str, links: Links) -> str:
    """Quarters as rows (newest first), indicators as columns, whole committee."""
    head = ["Kỳ"] + [escape(archive.indicators[k].label) for k in keys]
    rows = []
    for report in reversed(archive.reports):
        figures = aggregate.whole(archive, report)
        rows.append(f'<tr><th scope="row"><a href="{links.href(here, report.uri)}">'
                    f"{escape(report.period.label)}</a></th>" + "".join(cell(figures.get(k)) for k in keys)
                    + "</tr>")
    return html_table(caption, head, rows, "bc-trend")


#: Marker name -> table, for ``<!-- baocao:table NAME -->`` in report and section text.
MARKERS = {
    "summary": summary,
    "structure": structure,
    "members": members,
    "documents": lambda archive, report: documents(archive, aggregate.cited_documents(archive, report),
                                                   f"Văn bản nêu trong báo cáo {report.period.label}"),
}
