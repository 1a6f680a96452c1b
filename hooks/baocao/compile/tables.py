"""Tables of compiled figures as data: captions, column heads, rows of cells.

Renderer-neutral: the HTML templates (``overrides/baocao/partials/table.html``) and the Word
export draw the same :class:`Table`. A cell holds plain text (never markup) and, where it
links to a page of the site, the page's source path; an unknown figure is
:data:`~baocao.vnformat.UNKNOWN` ("–"), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from baocao.compile import aggregate
from baocao.model import Archive, Report
from baocao.periods import Period
from baocao.vnformat import UNKNOWN, date_text, number, percent

GROUP_TITLES = {"to_chuc": "Tổ chức đảng", "dang_vien": "Đảng viên", "hoat_dong": "Hoạt động"}


@dataclass(frozen=True)
class Cell:
    text: str
    #: right-aligned figure (numbers, "–").
    numeric: bool = False
    #: a figure that is not known: shown as "–" with a hint.
    unknown: bool = False
    #: source path of the page the cell links to (``reports/2025-q3/index.md``), if any.
    link: str | None = None
    #: anchor within the linked page.
    anchor: str = ""
    #: short CSS state name (``missing``, ``approved`` ...), for colours only.
    state: str = ""
    #: shown in a fixed-width font (file paths).
    code: bool = False
    #: long text that may run over several lines (a title); other cells stay on one line.
    long: bool = False
    #: a known figure and nothing more (no link, state, code or long text): most cells of
    #: a table of figures, which a renderer may draw the short way.
    plain_figure: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plain_figure", self.numeric and not (
            self.unknown or self.link or self.state or self.code or self.long))


@dataclass(frozen=True)
class Row:
    #: the first cell, a row heading.
    head: Cell
    cells: tuple[Cell, ...]
    #: ``total``, ``group``, ``item`` or ``missing``: how the row stands out.
    kind: str = ""
    #: a cell before the row heading (the row code of Biểu 1-BTCTW: A, B, 1 ...).
    code: str | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[Row, ...]
    #: short name of the kind of table (``summary``, ``members`` ...), for styles.
    kind: str = ""
    #: the text shown instead when there are no rows.
    empty: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def figure(value: int | None) -> Cell:
    if value is None:
        return Cell(UNKNOWN, numeric=True, unknown=True)
    return Cell(number(value), numeric=True)


def text(value: str, **kwargs) -> Cell:
    return Cell(value, **kwargs)


def summary(archive: Archive, report: Report) -> list[Table]:
    """Categories as rows (outline order), indicators as columns, a computed total row;
    one table per indicator group so that each fits a page. Organisation counts are in
    :func:`structure`; optional details (chuyển đến by origin ...) in the statistical forms."""
    keys = [k for k in aggregate.used_indicators(archive, [report])
            if archive.indicators[k].group != "to_chuc" and not archive.indicators[k].optional]
    if not keys:
        return [Table("", (), (), "summary", empty="Báo cáo chưa có số liệu.")]
    parts = aggregate.by_category(archive, report)
    whole = aggregate.whole(archive, report)
    out = []
    for group, title in GROUP_TITLES.items():
        group_keys = [k for k in keys if archive.indicators[k].group == group]
        if not group_keys:
            continue
        head = ("Loại tổ chức", *(archive.indicators[k].label for k in group_keys))
        rows = [Row(text(archive.categories[c].short), tuple(figure(figures.get(k)) for k in group_keys))
                for c, figures in parts.items()]
        rows.append(Row(text("Toàn Đảng bộ"), tuple(figure(whole.get(k)) for k in group_keys), "total"))
        out.append(Table(f"{title} — {report.period.label}", head, tuple(rows), "summary"))
    return out


def structure(archive: Archive, report: Report) -> Table:
    """Party organisations by type and category, with the totals."""
    keys = [k for k in (*aggregate.STRUCTURE, aggregate.STRUCTURE_TOTAL) if k in archive.indicators]
    parts = aggregate.by_category(archive, report)
    whole = aggregate.whole(archive, report)
    head = ("Loại tổ chức", *(archive.indicators[k].label for k in keys))
    rows = []
    for category, figures in parts.items():
        values = [figures.get(k) for k in keys]
        if keys and keys[-1] == aggregate.STRUCTURE_TOTAL and values[-1] is None:
            values[-1] = aggregate.total(values[:-1])
        rows.append(Row(text(archive.categories[category].short), tuple(figure(v) for v in values)))
    rows.append(Row(text("Toàn Đảng bộ"), tuple(figure(whole.get(k)) for k in keys), "total"))
    return Table(f"Tổ chức đảng {report.period.label}", head, tuple(rows), "structure")


def members(archive: Archive, report: Report) -> Table:
    """Biểu số 1-BTCTW: A, B, C, D with the same quarter of last year and the change."""
    now = aggregate.member_rows(aggregate.whole(archive, report))
    before_report = aggregate.same_quarter_last_year(archive, report)
    before = aggregate.member_rows(aggregate.whole(archive, before_report)) if before_report else None
    head = ("", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (−)", "Kỳ này so với cùng kỳ")
    rows = []
    for index, (code, label, value) in enumerate(now):
        last = before[index][2] if before else None
        change = value - last if value is not None and last is not None else None
        ratio = percent(value / last) if change is not None and last else UNKNOWN
        sign = UNKNOWN if change is None else ("+" if change > 0 else "−" if change < 0 else "") + number(abs(change))
        rows.append(Row(text(label), (figure(value), figure(last), Cell(sign, numeric=True),
                                      Cell(ratio, numeric=True)),
                        "group" if code.isalpha() else "item", code=code))
    caption = f"Tăng, giảm đảng viên {report.period.label} (theo Biểu số 1-BTCTW)"
    if before_report is None:
        caption += f" — chưa có báo cáo {Period(report.period.year - 1, report.period.quarter).label}"
    return Table(caption, head, tuple(rows), "members")


def documents(archive: Archive, ids: list[str], caption: str) -> Table:
    rows = []
    for doc_id in ids:
        doc = archive.documents[doc_id]
        rows.append(Row(text(doc.id), (text(date_text(doc.date)), text(doc.issuer), text(f"{doc.kind} {doc.title}", long=True))))
    return Table(caption, ("Số ký hiệu", "Ngày", "Cơ quan ban hành", "Trích yếu"), tuple(rows), "documents",
                 empty="Không có văn bản.")


def cited(archive: Archive, report: Report) -> Table:
    """The documents a report cites."""
    return documents(archive, aggregate.cited_documents(archive, report),
                     f"Văn bản nêu trong báo cáo {report.period.label}")


def trend(archive: Archive, keys: list[str], caption: str) -> Table:
    """Quarters as rows (newest first), indicators as columns, whole committee."""
    head = ("Kỳ", *(archive.indicators[k].label for k in keys))
    rows = []
    for report in reversed(archive.reports):
        figures = aggregate.whole(archive, report)
        rows.append(Row(text(report.period.label, link=report.uri), tuple(figure(figures.get(k)) for k in keys)))
    return Table(caption, head, tuple(rows), "trend")


#: Marker name -> tables, for ``<!-- baocao:table NAME -->`` in report and section text.
MARKERS = {
    "summary": summary,
    "structure": lambda archive, report: [structure(archive, report)],
    "members": lambda archive, report: [members(archive, report)],
    "documents": lambda archive, report: [cited(archive, report)],
}
