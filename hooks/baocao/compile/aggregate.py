"""Figures compiled from the sections' front matter: per category, for the whole
committee, quarter after quarter; and the submission status of every outline slot.

A figure is written once, by the section that owns it; every total here is derived.
``None`` means unknown and stays unknown: it is never counted as 0.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from baocao.model import Archive, Report, Section, Slot
from baocao.periods import Period

Figures = dict[str, int | None]

#: Rows of the Party form "Biểu số 1-BTCTW, tăng giảm đảng viên": (code, label, ids).
MEMBER_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("A", "Đảng viên đầu kỳ", ("dang_vien_dau_ky",)),
    ("B", "Đảng viên tăng trong kỳ", ("ket_nap", "chuyen_den", "phuc_hoi")),
    ("1", "Kết nạp", ("ket_nap",)),
    ("2", "Chuyển đến", ("chuyen_den",)),
    ("3", "Phục hồi đảng tịch", ("phuc_hoi",)),
    ("C", "Đảng viên giảm trong kỳ", ("tu_tran", "khai_tru", "xoa_ten", "xin_ra", "chuyen_di")),
    ("1", "Từ trần", ("tu_tran",)),
    ("2", "Khai trừ", ("khai_tru",)),
    ("3", "Xóa tên", ("xoa_ten",)),
    ("4", "Xin ra khỏi Đảng", ("xin_ra",)),
    ("5", "Chuyển đi", ("chuyen_di",)),
    ("D", "Đảng viên cuối kỳ", ("dang_vien_cuoi_ky",)),
)
STRUCTURE = ("dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc")
STRUCTURE_TOTAL = "to_chuc_dang"


def total(values: list[int | None]) -> int | None:
    """Sum when every value is known, else unknown."""
    if not values or any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def by_category(archive: Archive, report: Report) -> dict[str, Figures]:
    """Category id -> its section's figures, for every active category (empty if absent)."""
    out: dict[str, Figures] = {c.id: {} for c in archive.active_categories(report.period)}
    for section in report.sections:
        if section.meta.category in out:
            out[section.meta.category] = dict(section.meta.figures)
    return out


def given_whole(report: Report) -> Figures:
    """Figures given for the whole committee (sections without a category)."""
    out: Figures = {}
    for section in report.sections:
        if section.meta.category is None:
            for key, value in section.meta.figures.items():
                if out.get(key) is None:
                    out[key] = value
    return out


def whole(archive: Archive, report: Report) -> Figures:
    """The whole committee: the sum of the categories where all are known, else the
    figure the overview gives, else unknown. Computed once per report."""
    cached = report.cache.get("whole")
    if cached is None:
        cached = report.cache["whole"] = _whole(archive, report)
    return cached


def _whole(archive: Archive, report: Report) -> Figures:
    parts = by_category(archive, report)
    given = given_whole(report)
    out: Figures = {}
    for key in archive.indicators:
        summed = total([figures.get(key) for figures in parts.values()])
        out[key] = summed if summed is not None else given.get(key)
    return out


def used_indicators(archive: Archive, reports: list[Report]) -> list[str]:
    """Indicator ids that any section of ``reports`` mentions, in registry order."""
    seen = {key for report in reports for section in report.sections for key in section.meta.figures}
    return [key for key in archive.indicators if key in seen]


def same_quarter_last_year(archive: Archive, report: Report) -> Report | None:
    return archive.report(Period(report.period.year - 1, report.period.quarter))


def member_rows(figures: Figures) -> list[tuple[str, str, int | None]]:
    """(code, label, value) rows of Biểu 1-BTCTW from one set of figures."""
    return [(code, label, total([figures.get(i) for i in ids])) for code, label, ids in MEMBER_ROWS]


def series(archive: Archive, indicator: str) -> list[tuple[Period, int | None]]:
    """The whole committee's value of ``indicator`` in every report, oldest first."""
    return [(report.period, whole(archive, report).get(indicator)) for report in archive.reports]


def cited_documents(archive: Archive, report: Report) -> list[str]:
    """Ids of documents the report cites (its request first, then sections in order)."""
    ids: list[str] = list(report.meta.responds_to)
    for section in report.sections:
        ids.extend(section.meta.documents)
    unique = list(dict.fromkeys(i for i in ids if i in archive.documents))
    return sorted(unique, key=lambda i: (archive.documents[i].date is None, archive.documents[i].date or 0, i))


@dataclass(frozen=True)
class TrackerRow:
    slot: Slot
    section: Section | None
    #: the section's file has errors: what the model holds of it may be a placeholder
    #: (a misspelt ``status`` reads as approved), so its status is not known.
    broken: bool = False

    @property
    def status(self) -> str:
        """The section's status; ``missing`` when there is no file, or only a blank draft
        (a scaffolded file nobody has written in yet); ``error`` when its file has errors."""
        if self.section is None or (self.section.meta.status == "draft" and self.section.is_blank):
            return "missing"
        if self.broken:
            return "error"
        return self.section.meta.status


def tracker(archive: Archive, report: Report, broken: Collection[str] = ()) -> list[TrackerRow]:
    """Every slot that takes a section, with its section or None when missing; ``broken``:
    the paths of the files the check found errors in (their sections' status is unknown)."""
    found = report.by_slot()
    rows = []
    for slot in archive.slots(report.period):
        if slot.is_leaf:
            section = found.get(slot.key)
            rows.append(TrackerRow(slot, section, section is not None and section.source.path in broken))
    return rows


def progress(rows: list[TrackerRow]) -> dict[str, int]:
    counts = {"missing": 0, "draft": 0, "submitted": 0, "approved": 0, "error": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


def organisation_sections(archive: Archive, org_id: str) -> list[tuple[Report, Section]]:
    return [(report, section) for report in archive.reports for section in report.sections
            if section.meta.contributor == org_id]
