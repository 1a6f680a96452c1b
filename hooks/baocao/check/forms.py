"""Rules of the statistical forms: ``data/forms.yml`` itself, and the forms of every
report adding up.

- The registry: row ids unique within a form, ``sum`` / ``minus`` / ``part_of`` naming rows
  of the same form, indicators that exist, no row that adds itself up, sheet names that a
  spreadsheet accepts once each.
- Each report: a section that gives every detail of a total (``sum_of`` in
  ``data/indicators.yml``, e.g. chuyển đến from another province and from within it)
  without the total is warned about: the total is what the report's own tables show.
- Each report's forms add up (:mod:`baocao.compile.forms`): a row that the form computes
  (B, C, D = A + B − C, a total over the categories) equals the figure the archive gives
  for it; a "trong đó" row is not above its row; the form's A is last quarter's D. The
  figures of one section are checked by :mod:`baocao.check.rules` already; here only
  figures that meet from different places (the overview and the categories' sections) are,
  and the problem names the figure and the section that cause it.

A sealed report's figures were judged at issue and may not change: what the forms say of
them now (after ``data/`` changed) is a note naming the only lawful way, a replacement
report; last quarter's D against a sealed report's A is said at the earlier report when
that one may still change (:func:`baocao.check.seal.judged_at`).
"""

from __future__ import annotations

from collections.abc import Iterator

from baocao.check.seal import judged_at, sealed, sealed_note
from baocao.compile import forms as compiled
from baocao.load.messages import did_you_mean
from baocao.model import Archive, Report, Source
from baocao.problems import Problem, Severity
from baocao.vnformat import number

FILE = "forms.yml"
#: Excel refuses a sheet of this name.
RESERVED_SHEET = "history"


def check_forms(archive: Archive) -> Iterator[Problem]:
    if {FILE, "indicators.yml", "categories.yml"} & archive.broken:
        return
    registry = list(_registry(archive))
    yield from registry
    if any(p.severity is Severity.ERROR for p in registry):
        return  # the forms cannot be filled: their own errors say why
    layouts: dict[tuple, list[compiled.Slot]] = {}  # the same lines for every period of the same categories
    previous: compiled.Values | None = None
    totals = [ind for ind in archive.indicators.values() if ind.sum_of]
    for report in archive.reports:
        found = list(_details_without_total(archive, report, totals))
        values = compiled.Values(archive, report)
        last = previous if previous and previous.report.period.next() == report.period else None
        categories = tuple(c.id for c in archive.active_categories(report.period))
        for form in archive.forms.values():
            key = (form.id, categories)
            if key not in layouts:
                layouts[key] = compiled.layout(archive, form, report.period)
            found.extend(_form(archive, form, layouts[key], values, last))
        if sealed(report):  # its figures were judged at issue: what the forms say now asks no change
            mine = f"docs/{report.folder}/"
            found = [sealed_note(p, report) if p.path.startswith(mine) else p for p in found]
        yield from found
        previous = values


# --- the registry ---------------------------------------------------------------------------


def _registry(archive: Archive) -> Iterator[Problem]:
    src = archive.sources.get(FILE, Source(f"data/{FILE}"))
    sheets: dict[str, str] = {}
    for f, form in enumerate(archive.forms.values()):
        here = ("forms", f)
        sheet = form.sheet.casefold()
        if sheet in sheets or sheet == RESERVED_SHEET:
            yield _at(src, (*here, "sheet"), "Tên trang tính "
                      + (f"`{form.sheet}` trùng với biểu `{sheets[sheet]}`" if sheet in sheets
                         else f"`{form.sheet}` bị Excel dành riêng") + "; hãy đặt tên khác.", "form-sheet")
        sheets.setdefault(sheet, form.id)
        rows: dict[str, int] = {}
        for r, row in enumerate(form.rows):
            if row.id in rows:
                first = src.line(*here, "rows", rows[row.id], "id")
                yield _at(src, (*here, "rows", r, "id"), f"Mã dòng `{row.id}` đã dùng ở dòng {first} của tệp (cùng "
                          f"biểu `{form.id}`); hãy đặt mã khác: mỗi dòng của biểu có mã riêng.", "duplicate-id")
            rows.setdefault(row.id, r)
        for r, row in enumerate(form.rows):
            at = (*here, "rows", r)
            if row.indicator and row.indicator not in archive.indicators:
                yield _at(src, (*at, "indicator"), f"Không có chỉ tiêu `{row.indicator}` trong data/indicators.yml."
                          f"{did_you_mean(row.indicator, archive.indicators)}", "unknown-id")
            for key in ("sum", "minus"):
                for i, ref in enumerate(getattr(row, key)):
                    if ref not in rows:
                        yield _at(src, (*at, key, i), f"Biểu `{form.id}` không có dòng `{ref}`."
                                  f"{did_you_mean(ref, rows)}", "unknown-id")
            if row.part_of and row.part_of not in rows:
                yield _at(src, (*at, "part_of"), f"Biểu `{form.id}` không có dòng `{row.part_of}`."
                          f"{did_you_mean(row.part_of, rows)}", "unknown-id")
            if row.per_category and (row.sum or row.minus or not row.indicator):
                yield _at(src, (*at, "per_category"), "Dòng có `per_category: true` là tổng các loại tổ chức: "
                          "hãy ghi `indicator:` cho dòng và xóa `sum:`/`minus:`.", "form-row")
            elif not (row.indicator or row.sum):
                yield _at(src, (*at, "id"), f"Dòng `{row.id}` không có số liệu: hãy ghi `indicator:` (chỉ tiêu) "
                          "hoặc `sum:` (các dòng cộng lại).", "form-row")
        yield from _loops(src, here, form.rows)


def _loops(src: Source, here: tuple, rows) -> Iterator[Problem]:
    """The first row found that adds itself up, directly or through other rows (one walk
    through the rows: linear in the rows and the rows they name)."""
    terms = {row.id: [*row.sum, *row.minus] for row in rows}
    index = {row.id: r for r, row in reversed(list(enumerate(rows)))}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for row in rows:
        if row.id in state:
            continue
        state[row.id] = 1
        path = [(row.id, iter(terms[row.id]))]
        while path:
            key, following = path[-1]
            term = next(following, None)
            if term is None:
                state[key] = 2
                path.pop()
            elif state.get(term) == 1:
                looped = rows[index[term]]
                yield _at(src, (*here, "rows", index[term], "sum" if looped.sum else "minus"),
                          f"Dòng `{term}` được cộng từ chính nó (qua `sum`/`minus`); hãy bỏ vòng lặp này.",
                          "form-loop")
                return
            elif term not in state and term in terms:
                state[term] = 1
                path.append((term, iter(terms[term])))


# --- each report --------------------------------------------------------------------------


def _details_without_total(archive: Archive, report: Report, totals: list) -> Iterator[Problem]:
    for section in report.sections:
        figures = section.meta.figures
        for ind in totals:
            if figures.get(ind.id) is not None:
                continue
            parts = [figures.get(p) for p in ind.sum_of]
            if None not in parts:
                first = ind.sum_of[0]
                total = sum(parts)  # type: ignore[arg-type]
                yield _at(section.source, ("figures", first),
                          f"Đã ghi đủ các dòng chi tiết của {ind.label} ({', '.join(ind.sum_of)}) nhưng chưa ghi "
                          f"tổng `{ind.id}`; hãy ghi `{ind.id}: {total}` (các bảng của báo cáo dùng số tổng).",
                          "form-total-missing", Severity.WARNING, field=f"figures.{first}")


def _form(archive: Archive, form, slots: list[compiled.Slot], values: compiled.Values,
          previous: compiled.Values | None) -> Iterator[Problem]:
    """The problems of one form of one report: its computed rows against the figures given
    for them, its "trong đó" rows, its A against last quarter's D."""
    report = values.report
    by_key = {slot.key: slot for slot in slots}
    figures = compiled.evaluate(slots, values)
    found: dict[str, frozenset[str]] = {}

    def origin(key: str) -> frozenset[str]:  # computed only when a figure disagrees
        if not found:
            found.update(compiled.origins(archive, values, slots))
        return found[key]

    for slot in slots:
        figure = figures[slot.key]
        if figure.formula is not None and slot.indicator:
            given = values.given(slot.indicator, slot.category_id)
            if given is not None and given != figure.value:
                yield from _computed_vs_given(archive, form, by_key, values, slot, figure, given, origin(slot.key))
        part_of = by_key.get(slot.row.part_of or "") if slot.category_id is None else None
        if part_of is not None:
            value, whole = figure.value, figures[part_of.key].value
            if value is not None and whole is not None and value > whole:
                where = origin(slot.key) | origin(part_of.key)
                if len(where) > 1:
                    yield _mismatch(report, slot, origin(slot.key) or where,
                                    f"{form.number}: dòng “{slot.label}” là {number(value)}, lớn hơn dòng "
                                    f"“{part_of.label}” ({number(whole)}){_from(where)}. Hãy sửa số cho khớp.")
        carried = archive.indicators[slot.indicator].carried_from if slot.indicator else None
        if previous is not None and carried and slot.category_id is None:
            before = previous.given(carried, None)
            if figure.value is not None and before is not None and figure.value != before:
                yield from _carried(archive, form, values, previous, slot, figure.value, carried, before,
                                    origin(slot.key))


def _computed_vs_given(archive: Archive, form, by_key: dict, values: compiled.Values, slot: compiled.Slot,
                       figure: compiled.Figure, given: int, computed_at: frozenset[str]) -> Iterator[Problem]:
    given_at = compiled.given_by(archive, values, slot.indicator, slot.category_id)
    if len(given_at | computed_at) <= 1:
        return  # one section's own figures: reported by the rules of that section
    terms = " + ".join(_code(by_key[k]) for k in slot.plus)
    if slot.minus:
        terms += " − " + " − ".join(_code(by_key[k]) for k in slot.minus)
    yield _mismatch(values.report, slot, given_at,
                    f"{form.number} không khớp: dòng {_code(slot)} “{slot.label}” ({slot.indicator}) là "
                    f"{number(given)}{_from(given_at)}, nhưng {terms} = {number(figure.value)}"
                    f"{_from(computed_at)}. Hãy sửa số cho khớp, hoặc ghi đủ số của từng loại tổ chức.")


def _carried(archive: Archive, form, values: compiled.Values, previous: compiled.Values, slot: compiled.Slot,
             value: int, carried: str, before: int, here: frozenset[str]) -> Iterator[Problem]:
    """A form's A against last quarter's D: said at the later report, unless it is sealed,
    then at the earlier one (:func:`baocao.check.seal.judged_at`; both sealed: the later
    report's note, made by :func:`check_forms`)."""
    report, last = values.report, previous.report.period.label
    before_at = compiled.given_by(archive, previous, carried, None)
    if compiled.CATEGORIES not in here | before_at:
        return  # both given by the overviews: the rule "carried-mismatch" says so
    earlier = judged_at(report, previous.report) is previous.report
    sealed_later = (f"của báo cáo {report.period.label} đã ban hành và niêm phong. Hãy sửa số của kỳ này cho khớp; "
                    f"nếu số đã ban hành sai, phải ban hành báo cáo thay thế cho báo cáo {report.period.label}.")
    if here == before_at:  # both summed over the categories: the categories that differ
        for category in values.parts:
            mine, theirs = values.given(slot.indicator, category), previous.given(carried, category)
            if mine is None or theirs is None or mine == theirs:
                continue
            if earlier:
                yield _mismatch(previous.report, slot, compiled.given_by(archive, previous, carried, category),
                                f"{form.number}: số cuối kỳ ({carried}) của phần này là {number(theirs)}, khác "
                                f"dòng {_code(slot)} “{slot.label}” của cùng loại tổ chức ({number(mine)}) "
                                f"{sealed_later}", indicator=carried)
                continue
            yield _mismatch(report, slot, compiled.given_by(archive, values, slot.indicator, category),
                            f"{form.number}: dòng {_code(slot)} “{slot.label}” của toàn Đảng bộ là "
                            f"{number(value)}, khác số cuối kỳ {last} ({number(before)}), vì số của phần "
                            f"này ({number(mine)}) khác số cuối kỳ {last} của cùng loại tổ chức "
                            f"({number(theirs)}). Hãy sửa số cho khớp.")
        return
    if earlier:
        yield _mismatch(previous.report, slot, before_at,
                        f"{form.number}: số cuối kỳ {last} ({carried}) là {number(before)}{_from(before_at)}, "
                        f"khác dòng {_code(slot)} “{slot.label}” ({number(value)}{_from(here)}) {sealed_later}",
                        indicator=carried)
        return
    yield _mismatch(report, slot, here,
                    f"{form.number}: dòng {_code(slot)} “{slot.label}” là {number(value)}{_from(here)}, "
                    f"nhưng số cuối kỳ {last} ({carried}) là {number(before)}{_from(before_at)}. "
                    "Hãy sửa số cho khớp.")


# --- messages ---------------------------------------------------------------------------------


def _code(slot: compiled.Slot) -> str:
    return slot.row.code or slot.label if slot.category_id is None else slot.label


def _from(where: frozenset[str]) -> str:
    places = sorted("tổng các loại tổ chức" if o == compiled.CATEGORIES else f"phần {o}" for o in where)
    return f" (lấy từ {', '.join(places)})" if places else ""


def _mismatch(report: Report, slot: compiled.Slot, where: frozenset[str], message: str,
              indicator: str | None = None) -> Problem:
    """A problem at the figure that causes it (``slot``'s, or ``indicator``): in the section
    that gives it, else at the report."""
    indicator = indicator or slot.indicator
    sections = {section.source.path: section for section in report.sections}
    section = next((sections[o] for o in sorted(where) if o in sections), None)
    if section is not None and indicator in section.meta.figures:
        return _at(section.source, ("figures", indicator), message, "form-mismatch",
                   field=f"figures.{indicator}")
    if section is not None:
        return _at(section.source, ("figures",), message, "form-mismatch", field="figures")
    return _at(report.source, ("period",), message, "form-mismatch", field="")


def _at(source: Source, keys: tuple, message: str, code: str, severity: Severity = Severity.ERROR,
        field: str | None = None) -> Problem:
    return Problem(source.path, source.line(*keys), ".".join(str(k) for k in keys) if field is None else field,
                   message, code, severity)
