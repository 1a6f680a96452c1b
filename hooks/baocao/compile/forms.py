"""The Party's statistical forms (``data/forms.yml``) filled from the archive's figures.

:func:`fill` turns one form of the registry and one report into a :class:`FilledForm`: the
head (the committee as in the document header, the form's number and title, the period,
the unit), one :class:`Line` per row with this period, the same period of last year and
the ratio of the two, the notes under the table and the foot (preparer, place and date,
signer). It is data only, drawn alike by the spreadsheet (:mod:`baocao.export.xlsx`) and
by the "Biểu thống kê" page of the site.

Where a figure comes from:
- a row with an ``indicator`` shows the whole committee's figure
  (:func:`baocao.compile.aggregate.whole`: the sum over the categories when every category
  gives it, else the figure of the overview); a row that ``per_category`` adds below
  another shows that category's section's figure;
- a row that adds up other rows (``sum`` / ``minus``; a ``per_category`` row over the rows
  it adds) is a :class:`Formula` when every row it adds is known: its value is computed,
  and the spreadsheet writes the formula with that value. When some row it adds is not
  known, the row shows the figure given for its indicator, else nothing.

Unknown is never 0: a figure nobody gave stays ``None`` (a blank cell), and so does a
ratio whose either side is unknown or whose last year is 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from baocao.compile import aggregate
from baocao.compile.document import header
from baocao.model import Archive, Report
from baocao.periods import Period
from baocao.schemas import Form, FormRow
from baocao.vnformat import date_header

#: Column heads of every form, and the numbers printed under them.
COLUMNS = ("Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tỷ lệ (%) kỳ này so với cùng kỳ")
COLUMN_NUMBERS = ("A", "1", "2", "3 = 1 : 2 × 100")
PREPARER = "NGƯỜI LẬP BIỂU"
#: The signer when neither the form nor the report names one.
DEFAULT_AUTHORITY = "T/M BAN THƯỜNG VỤ"
#: The blanks of a date not known yet, as on an unnumbered draft (non-breaking: kept in print).
BLANK = "\u00a0" * 6
BLANK_NOTE = ("Ô để trống: chưa có số liệu (không phải số 0). Tỷ lệ để trống khi một trong hai kỳ "
              "chưa có số liệu hoặc cùng kỳ năm trước bằng 0.")


@dataclass(frozen=True)
class Formula:
    """Rows of the same column added (``plus``) and taken away (``minus``), by line key."""

    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One cell of figures: its value (None: not known) and, when computed, its formula."""

    value: int | None
    formula: Formula | None = None


@dataclass(frozen=True)
class Slot:
    """A line of a form before any figure: a row of the registry, or the row a
    ``per_category`` row adds for one category."""

    key: str
    row: FormRow
    category_id: str | None
    label: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]

    @property
    def indicator(self) -> str | None:
        return self.row.indicator


@dataclass(frozen=True)
class Line:
    key: str
    #: the row's code (A, 1, a) and the codes of the rows above it (``B.2.a``), for notes.
    code: str
    ref: str
    label: str
    #: indentation: 0 main rows; a category row one below its row.
    level: int
    now: Figure
    before: Figure
    #: now / before × 100, when both are known and before is not 0.
    ratio: float | None
    #: a detail row (optional indicator) left blank: a note says so.
    blank_detail_now: bool = False
    blank_detail_before: bool = False

    @property
    def main(self) -> bool:
        return self.level == 0


@dataclass(frozen=True)
class Head:
    #: the superior body and the issuer, upper case, as in the report's header.
    parent: str
    issuer: str
    number: str
    title: str
    #: ``Quý III năm 2025``.
    period: str
    #: ``Đơn vị tính: người``.
    unit: str
    draft: bool
    #: the two periods compared: ``quý III/2025``, ``quý III/2024``.
    now_label: str
    before_label: str


@dataclass(frozen=True)
class Foot:
    preparer: str
    #: ``Đại Sơn, ngày 25 tháng 8 năm 2025`` (blanks while the report has no date).
    place_date: str
    authority: str
    position: str
    name: str


@dataclass(frozen=True)
class FilledForm:
    form: Form
    report: Report
    head: Head
    columns: tuple[str, ...]
    column_numbers: tuple[str, ...]
    lines: tuple[Line, ...]
    notes: tuple[str, ...]
    foot: Foot

    @property
    def anchor(self) -> str:
        return self.form.id.replace("_", "-")


# --- layout: the lines of a form -------------------------------------------------------------


def layout(archive: Archive, form: Form, period: Period) -> list[Slot]:
    """The lines of ``form`` for a report of ``period``, in order: each row, and after a
    ``per_category`` row one line per category active in that period."""
    out: list[Slot] = []
    for row in form.rows:
        categories = archive.active_categories(period) if row.per_category else []
        added = tuple(f"{row.id}.{c.id}" for c in categories)
        out.append(Slot(row.id, row, None, row.label, tuple(row.sum) or added, tuple(row.minus)))
        for category, key in zip(categories, added, strict=True):
            out.append(Slot(key, row, category.id, category.short, (), ()))
    return out


class Values:
    """The figures of one report as the forms read them (all unknown without a report)."""

    def __init__(self, archive: Archive, report: Report | None) -> None:
        self.report = report
        self.whole = aggregate.whole(archive, report) if report else {}
        self.parts = aggregate.by_category(archive, report) if report else {}

    def given(self, indicator: str | None, category: str | None) -> int | None:
        if indicator is None:
            return None
        if category is None:
            return self.whole.get(indicator)
        return self.parts.get(category, {}).get(indicator)


def evaluate(slots: list[Slot], values: Values) -> dict[str, Figure]:
    """Every line's figure: computed (with its formula) when all the lines it adds are
    known, else the figure given for its indicator, else unknown. A row that adds itself
    up (a loop in the registry, refused by the check) is unknown, never an endless loop."""
    by_key = {slot.key: slot for slot in slots}
    done: dict[str, Figure] = {}
    busy: set[str] = set()

    def figure(key: str) -> Figure:
        if key in done:
            return done[key]
        slot = by_key.get(key)
        if slot is None or key in busy:
            return Figure(None)
        busy.add(key)
        result = Figure(values.given(slot.indicator, slot.category_id))
        if slot.plus or slot.minus:
            plus = [figure(k).value for k in slot.plus]
            minus = [figure(k).value for k in slot.minus]
            if None not in plus and None not in minus:
                result = Figure(sum(plus) - sum(minus), Formula(slot.plus, slot.minus))  # type: ignore[arg-type]
        busy.discard(key)
        done[key] = result
        return result

    for slot in slots:
        figure(slot.key)
    return done


def ratio(now: int | None, before: int | None) -> float | None:
    """``now`` as a percentage of ``before``; None when either is unknown or before is 0."""
    if now is None or before is None or before == 0:
        return None
    return now / before * 100


def _refs(slots: list[Slot]) -> Iterator[str]:
    """``B.2.a``: each line's code after the codes of the rows above it; a line with no code
    of its own (a category line, a "trong đó" line) has the reference of its row."""
    codes: dict[int, str] = {}
    for slot in slots:
        level = slot.row.level
        if slot.category_id is None and slot.row.code:
            codes = {k: v for k, v in codes.items() if k < level}
            codes[level] = slot.row.code
            yield ".".join(codes[k] for k in sorted(codes))
        else:
            limit = level + (1 if slot.category_id is not None else 0)
            yield ".".join(codes[k] for k in sorted(codes) if k < limit)


# --- the filled form --------------------------------------------------------------------------


def fill(archive: Archive, form: Form, report: Report) -> FilledForm:
    """``form`` filled with the figures of ``report`` and of the same period of last year."""
    period = report.period
    before_period = Period(period.year - 1, period.quarter)
    before_report = aggregate.same_quarter_last_year(archive, report)
    slots = layout(archive, form, period)
    now = evaluate(slots, Values(archive, report))
    before = evaluate(slots, Values(archive, before_report))
    lines = []
    for slot, ref in zip(slots, _refs(slots), strict=True):
        detail = bool(slot.indicator and slot.indicator in archive.indicators
                      and archive.indicators[slot.indicator].optional)
        a, b = now[slot.key], before[slot.key]
        lines.append(Line(
            key=slot.key, code=slot.row.code if slot.category_id is None else "-", ref=ref, label=slot.label,
            level=slot.row.level + (1 if slot.category_id is not None else 0),
            now=a, before=b, ratio=ratio(a.value, b.value),
            blank_detail_now=detail and a.value is None,
            blank_detail_before=detail and b.value is None and before_report is not None))
    return FilledForm(form, report, _head(archive, form, report, before_period), COLUMNS, COLUMN_NUMBERS,
                      tuple(lines), tuple(_notes(lines, before_period, before_report)),
                      _foot(archive, form, report))


def fill_all(archive: Archive, report: Report) -> list[FilledForm]:
    """Every form of the registry, in order, filled for ``report``. Computed once per report."""
    cached = report.cache.get("forms")
    if cached is None:
        cached = report.cache["forms"] = [fill(archive, form, report) for form in archive.forms.values()]
    return cached


def _head(archive: Archive, form: Form, report: Report, before: Period) -> Head:
    top = header(archive, report)
    long_label = report.period.long_label
    return Head(parent=top.parent, issuer=top.issuer, number=form.number, title=form.title.upper(),
                period=long_label[0].upper() + long_label[1:], unit=f"Đơn vị tính: {form.unit}",
                draft=report.meta.status == "draft", now_label=report.period.label, before_label=before.label)


def _foot(archive: Archive, form: Form, report: Report) -> Foot:
    top = header(archive, report)
    day = date_header(top.issued_on) if top.issued_on else f"ngày{BLANK}tháng{BLANK}năm {top.year}"
    signer = form.signer or report.meta.signer
    if signer is None:
        authority, position, name = DEFAULT_AUTHORITY, "", ""
    else:
        authority = f"{signer.authority} {signer.body}".upper()
        position, name = signer.position.upper(), signer.name
    return Foot(PREPARER, f"{top.place}, {day}" if top.place else day, authority, position, name)


def _notes(lines: list[Line], before: Period, before_report: Report | None) -> Iterator[str]:
    yield BLANK_NOTE
    if before_report is None:
        yield f"Kho chưa có báo cáo {before.label}: cột Cùng kỳ năm trước và cột Tỷ lệ để trống."
    for attr, when in (("blank_detail_now", "Kỳ này"), ("blank_detail_before", "Cùng kỳ năm trước")):
        blank = [f"{line.ref} {line.label}".strip() for line in lines if getattr(line, attr)]
        if blank:
            yield (f"{when}, các phần chưa ghi số liệu chi tiết (không bắt buộc) nên để trống các dòng: "
                   f"{'; '.join(blank)}.")
    totals = [line for line, after in zip(lines, lines[1:], strict=False)
              if line.now.value is not None and line.now.formula is None and after.code == "-"
              and after.now.value is None]
    if totals:
        yield ("Các dòng " + "; ".join(f"{line.ref} {line.label}".strip() for line in totals)
               + ": số của toàn Đảng bộ do báo cáo ghi; các phần theo loại tổ chức chưa ghi số này nên "
               "các dòng theo loại tổ chức để trống.")


# --- where a figure comes from (for the check) ---------------------------------------------

#: The origin of a whole committee's figure that is the sum over every category.
CATEGORIES = "categories"


def origins(archive: Archive, values: Values, slots: list[Slot]) -> dict[str, frozenset[str]]:
    """For each line, where its figure comes from: the paths of the sections that give it
    (a category's section, or the overview for the whole committee), or :data:`CATEGORIES`
    when it is the sum over every category. A computed line comes from where its terms do."""
    by_key = {slot.key: slot for slot in slots}
    figures = evaluate(slots, values)
    done: dict[str, frozenset[str]] = {}

    def origin(key: str, seen: frozenset = frozenset()) -> frozenset[str]:
        if key in done:
            return done[key]
        slot = by_key.get(key)
        if slot is None or key in seen:
            return frozenset()
        if figures[key].formula is not None:
            found = frozenset().union(*(origin(k, seen | {key}) for k in slot.plus + slot.minus))
        else:
            found = given_by(archive, values, slot.indicator, slot.category_id)
        done[key] = found
        return found

    for slot in slots:
        origin(slot.key)
    return done


def given_by(archive: Archive, values: Values, indicator: str | None, category: str | None) -> frozenset[str]:
    """Where a given figure is written: the path of its section, or :data:`CATEGORIES` for
    a whole committee's figure summed over them (empty when nobody gives it)."""
    report = values.report
    if report is None or indicator is None:
        return frozenset()
    if category is None and aggregate.total(
            [figures.get(indicator) for figures in values.parts.values()]) is not None:
        return frozenset((CATEGORIES,))
    for section in report.sections:
        if section.meta.category == category and section.meta.figures.get(indicator) is not None:
            return frozenset((section.source.path,))
    return frozenset()
