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
"""

from __future__ import annotations

from collections.abc import Iterator

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
    previous: Report | None = None
    for report in archive.reports:
        yield from _details_without_total(archive, report)
        yield from _report(archive, report, previous if previous and previous.period.next() == report.period
                           else None)
        previous = report


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
                yield _at(src, (*here, "rows", r, "id"), f"Mã dòng `{row.id}` bị trùng trong biểu `{form.id}`; "
                          "mỗi dòng phải có mã riêng.", "duplicate-id")
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
    """The first row that adds itself up, directly or through other rows."""
    terms = {row.id: [*row.sum, *row.minus] for row in rows}
    for r, row in enumerate(rows):
        seen: set[str] = set()
        stack = list(terms[row.id])
        while stack:
            key = stack.pop()
            if key == row.id:
                yield _at(src, (*here, "rows", r, "sum" if row.sum else "minus"),
                          f"Dòng `{row.id}` được cộng từ chính nó (qua `sum`/`minus`); hãy bỏ vòng lặp này.",
                          "form-loop")
                return
            if key not in seen and key in terms:
                seen.add(key)
                stack.extend(terms[key])


# --- each report --------------------------------------------------------------------------


def _details_without_total(archive: Archive, report: Report) -> Iterator[Problem]:
    for section in report.sections:
        figures = section.meta.figures
        for ind in archive.indicators.values():
            if not ind.sum_of or figures.get(ind.id) is not None:
                continue
            parts = [figures.get(p) for p in ind.sum_of]
            if None not in parts:
                first = ind.sum_of[0]
                total = sum(parts)  # type: ignore[arg-type]
                yield _at(section.source, ("figures", first),
                          f"Đã ghi đủ các dòng chi tiết của {ind.label} ({', '.join(ind.sum_of)}) nhưng chưa ghi "
                          f"tổng `{ind.id}`; hãy ghi `{ind.id}: {total}` (các bảng của báo cáo dùng số tổng).",
                          "form-total-missing", Severity.WARNING, field=f"figures.{first}")


def _report(archive: Archive, report: Report, previous: Report | None) -> Iterator[Problem]:
    values = compiled.Values(archive, report)
    for form in archive.forms.values():
        slots = compiled.layout(archive, form, report.period)
        by_key = {slot.key: slot for slot in slots}
        figures = compiled.evaluate(slots, values)
        origins = compiled.origins(archive, values, slots)
        for slot in slots:
            figure = figures[slot.key]
            if figure.formula is not None and slot.indicator:
                yield from _computed_vs_given(archive, form, report, values, slot, figure, origins)
            part_of = by_key.get(slot.row.part_of or "") if slot.category_id is None else None
            if part_of is not None:
                value, whole = figure.value, figures[part_of.key].value
                where = origins[slot.key] | origins[part_of.key]
                if value is not None and whole is not None and value > whole and len(where) > 1:
                    yield _mismatch(report, slot, origins[slot.key] or where,
                                    f"{form.number}: dòng “{slot.label}” là {number(value)}, lớn hơn dòng "
                                    f"“{part_of.label}” ({number(whole)}){_from(where)}. Hãy sửa số cho khớp.")
            if previous is not None and slot.category_id is None and slot.indicator:
                yield from _carried(archive, form, report, previous, slot, figure, origins)


def _computed_vs_given(archive: Archive, form, report: Report, values: compiled.Values, slot: compiled.Slot,
                       figure: compiled.Figure, origins: dict) -> Iterator[Problem]:
    given = values.given(slot.indicator, slot.category_id)
    if given is None or given == figure.value:
        return
    given_at = compiled.given_by(archive, values, slot.indicator, slot.category_id)
    where = given_at | origins[slot.key]
    if len(where) <= 1:
        return  # one section's own figures: reported by the rules of that section
    terms = " + ".join(_code(slot_) for slot_ in _slots(archive, form, report, slot.plus))
    if slot.minus:
        terms += " − " + " − ".join(_code(slot_) for slot_ in _slots(archive, form, report, slot.minus))
    yield _mismatch(report, slot, given_at,
                    f"{form.number} không khớp: dòng {_code(slot)} “{slot.label}” ({slot.indicator}) là "
                    f"{number(given)}{_from(given_at)}, nhưng {terms} = {number(figure.value)}"
                    f"{_from(origins[slot.key])}. Hãy sửa số cho khớp, hoặc ghi đủ số của từng loại tổ chức.")


def _carried(archive: Archive, form, report: Report, previous: Report, slot: compiled.Slot,
             figure: compiled.Figure, origins: dict) -> Iterator[Problem]:
    source = archive.indicators.get(slot.indicator or "")
    if source is None or not source.carried_from:
        return
    before_values = compiled.Values(archive, previous)
    before = before_values.given(source.carried_from, None)
    if figure.value is None or before is None or figure.value == before:
        return
    before_at = compiled.given_by(archive, before_values, source.carried_from, None)
    here = origins[slot.key]
    if compiled.CATEGORIES not in here | before_at:
        return  # both given by the overviews: the rule "carried-mismatch" says so
    if here == before_at:  # both summed over the categories: the categories that differ
        values = compiled.Values(archive, report)
        for category in values.parts:
            value, last = values.given(slot.indicator, category), before_values.given(source.carried_from, category)
            if value is not None and last is not None and value != last:
                yield _mismatch(report, slot, compiled.given_by(archive, values, slot.indicator, category),
                                f"{form.number}: dòng {_code(slot)} “{slot.label}” của toàn Đảng bộ là "
                                f"{number(figure.value)}, khác số cuối kỳ {previous.period.label} "
                                f"({number(before)}), vì số của phần này ({number(value)}) khác số cuối kỳ "
                                f"{previous.period.label} của cùng loại tổ chức ({number(last)}). "
                                "Hãy sửa số cho khớp.")
        return
    yield _mismatch(report, slot, here,
                    f"{form.number}: dòng {_code(slot)} “{slot.label}” là {number(figure.value)}{_from(here)}, "
                    f"nhưng số cuối kỳ {previous.period.label} ({source.carried_from}) là {number(before)}"
                    f"{_from(before_at)}. Hãy sửa số cho khớp.")


# --- messages ---------------------------------------------------------------------------------


def _slots(archive: Archive, form, report: Report, keys) -> list[compiled.Slot]:
    by_key = {slot.key: slot for slot in compiled.layout(archive, form, report.period)}
    return [by_key[k] for k in keys if k in by_key]


def _code(slot: compiled.Slot) -> str:
    return slot.row.code or slot.label if slot.category_id is None else slot.label


def _from(where: frozenset[str]) -> str:
    places = sorted("tổng các loại tổ chức" if o == compiled.CATEGORIES else f"phần {o}" for o in where)
    return f" (lấy từ {', '.join(places)})" if places else ""


def _mismatch(report: Report, slot: compiled.Slot, where: frozenset[str], message: str) -> Problem:
    """A problem at the figure that causes it: in the section that gives it, else at the report."""
    sections = {section.source.path: section for section in report.sections}
    section = next((sections[o] for o in sorted(where) if o in sections), None)
    if section is not None and slot.indicator in section.meta.figures:
        return _at(section.source, ("figures", slot.indicator), message, "form-mismatch",
                   field=f"figures.{slot.indicator}")
    if section is not None:
        return _at(section.source, ("figures",), message, "form-mismatch", field="figures")
    return _at(report.source, ("period",), message, "form-mismatch", field="")


def _at(source: Source, keys: tuple, message: str, code: str, severity: Severity = Severity.ERROR,
        field: str | None = None) -> Problem:
    return Problem(source.path, source.line(*keys), ".".join(str(k) for k in keys) if field is None else field,
                   message, code, severity)
