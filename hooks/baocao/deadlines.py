"""Deadlines of a quarter: who is late, and by how many days.

A report's front matter may give two dates: ``due``, when the report must reach the body
that asked for it (the request named by ``responds_to``), and ``sections_due``, the earlier
date the office sets for the party organisations' sections. :func:`report_deadlines`
tells, for a given day, the report's days to ``due`` and, for each section still awaited
(missing, or a draft), its days to ``sections_due`` (``due`` when the office set no date of
its own). The tracker page, the home page, ``baocao status`` and the calendar file all read
it, so they always agree.

"Today" is the clock's day, or ``BAOCAO_TODAY`` (``YYYY-MM-DD``) for the site, or
``baocao status --today``: for tests and back-dating.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection
from dataclasses import dataclass

from baocao.compile import aggregate
from baocao.compile.document import SECTION_STATUS, slot_label
from baocao.model import Archive, Report
from baocao.vnformat import date_text

TODAY_VARIABLE = "BAOCAO_TODAY"


class BadDate(ValueError):
    """A date written otherwise than ``YYYY-MM-DD``, or one that does not exist."""


def parse_date(text: str, what: str, example: str = "2025-12-15") -> dt.date:
    """``2025-12-15`` as a date; :class:`BadDate` with a Vietnamese message otherwise, saying
    whether it is written otherwise or is no real day. Every date a command takes is read
    here (``what``: the option, ``example``: a date to copy)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise BadDate(f"{what} `{text}` sai dạng; hãy viết NĂM-THÁNG-NGÀY bằng số, ví dụ {example}.")
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        which = f"tháng {month} năm {year} không có ngày {day}" if 1 <= month <= 12 else f"không có tháng {month}"
        raise BadDate(f"{what} `{text}` không phải một ngày có thật ({which}); hãy viết NĂM-THÁNG-NGÀY, "
                      f"ví dụ {example}.") from None


def request_dates(due: str | None, sections_due: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The request's deadlines as given to ``new-quarter`` (``--due``, ``--sections-due``),
    each optional; :class:`BadDate` when one is not a date, or the sections are not due
    before the report."""
    dates = (parse_date(due, "--due") if due else None,
             parse_date(sections_due, "--sections-due") if sections_due else None)
    if dates[0] and dates[1] and dates[1] >= dates[0]:
        raise BadDate(f"--sections-due {dates[1].isoformat()} phải trước --due {dates[0].isoformat()}: các phần "
                      "nộp trước để văn phòng kịp tổng hợp.")
    return dates


def today(environ: dict | None = None) -> dt.date:
    """The day deadlines are counted from: ``BAOCAO_TODAY`` when set, else the clock's."""
    text = (os.environ if environ is None else environ).get(TODAY_VARIABLE, "")
    return parse_date(text, TODAY_VARIABLE) if text else dt.date.today()


@dataclass(frozen=True)
class Countdown:
    """Days from ``today`` to a deadline (negative when it is past)."""

    deadline: dt.date
    today: dt.date

    @property
    def days(self) -> int:
        return (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def text(self) -> str:
        """``còn 3 ngày``, ``hạn cuối là hôm nay`` or ``quá hạn 2 ngày``."""
        if self.days > 0:
            return f"còn {self.days} ngày"
        if self.days == 0:
            return "hạn cuối là hôm nay"
        return f"quá hạn {-self.days} ngày"


@dataclass(frozen=True)
class SectionDeadline:
    """One slot of the report: its label, its section (if any), state and organisation, and
    its countdown while the section is still awaited."""

    row: aggregate.TrackerRow
    label: str
    organisation: str
    #: None when the section is in (submitted or approved), or when no date is set.
    countdown: Countdown | None
    #: the report has a deadline for its sections.
    dated: bool = False

    @property
    def state(self) -> str:
        return self.row.status

    @property
    def state_text(self) -> str:
        return SECTION_STATUS[self.row.status]

    @property
    def awaited(self) -> bool:
        return self.row.status in ("missing", "draft", "error")

    @property
    def overdue(self) -> bool:
        return self.countdown is not None and self.countdown.overdue

    @property
    def due_text(self) -> str:
        if self.countdown is not None:
            return self.countdown.text
        return "đã nộp" if self.dated and not self.awaited else "–"


@dataclass(frozen=True)
class ReportDeadlines:
    report: Report
    today: dt.date
    #: the report's own countdown to ``due`` (None when issued or without a due date).
    due: Countdown | None
    #: the day sections are counted against (``sections_due``, else ``due``), or None.
    sections_deadline: dt.date | None
    rows: tuple[SectionDeadline, ...]

    @property
    def is_open(self) -> bool:
        """A draft: its deadlines still matter."""
        return self.report.meta.status != "issued"

    @property
    def has_dates(self) -> bool:
        return self.report.meta.due is not None or self.report.meta.sections_due is not None

    @property
    def overdue(self) -> list[SectionDeadline]:
        return [row for row in self.rows if row.overdue]

    @property
    def awaited(self) -> list[SectionDeadline]:
        return [row for row in self.rows if row.awaited]

    @property
    def summary(self) -> str:
        """One line: the report's due date and the sections' date, with their countdowns."""
        meta = self.report.meta
        parts = []
        if meta.due is not None:
            if self.due is not None:
                parts.append(f"Hạn gửi báo cáo: {date_text(meta.due)} ({self.due.text})")
            else:
                parts.append(f"Hạn gửi báo cáo: {date_text(meta.due)}")
        if meta.sections_due is not None:
            text = f"Hạn nộp các phần: {date_text(meta.sections_due)}"
            if self.is_open:
                text += f" ({Countdown(meta.sections_due, self.today).text})"
            parts.append(text)
        if not parts:
            return "Chưa ghi hạn nộp (due, sections_due trong index.md của báo cáo)"
        return "; ".join(parts)

    def as_json(self) -> dict:
        """The same facts for scripts (``baocao status --format json``)."""
        meta = self.report.meta

        def days(countdown: Countdown | None) -> int | None:
            return countdown.days if countdown is not None else None

        return {
            "period": self.report.period.key,
            "status": meta.status,
            "today": self.today.isoformat(),
            "due": meta.due.isoformat() if meta.due else None,
            "sections_due": meta.sections_due.isoformat() if meta.sections_due else None,
            "days_to_due": days(self.due),
            "sections": [{
                "label": row.label,
                "part": row.row.slot.part.id,
                "category": row.row.slot.category.id if row.row.slot.category else None,
                "path": row.row.section.source.path if row.row.section else None,
                "contributor": row.row.section.meta.contributor if row.row.section else None,
                "organisation": row.organisation or None,
                "state": row.state,
                "days_to_due": days(row.countdown),
                "overdue": row.overdue,
            } for row in self.rows],
        }


def report_deadlines(archive: Archive, report: Report, day: dt.date, broken: Collection[str] = ()) -> ReportDeadlines:
    """Every slot of ``report`` with its state and days to its deadline on ``day``; ``broken``:
    the files the check found errors in (their rows say so, awaited until mended)."""
    meta = report.meta
    is_open = meta.status != "issued"
    deadline = meta.sections_due or meta.due
    rows = []
    for row in aggregate.tracker(archive, report, broken):
        section = row.section
        org = archive.organisations.get(section.meta.contributor or "") if section else None
        awaited = row.status in ("missing", "draft", "error")
        countdown = Countdown(deadline, day) if is_open and awaited and deadline else None
        rows.append(SectionDeadline(row, slot_label(row.slot, report, section), org.name if org else "",
                                    countdown, deadline is not None))
    due = Countdown(meta.due, day) if is_open and meta.due else None
    return ReportDeadlines(report, day, due, deadline, tuple(rows))


def open_reports(archive: Archive) -> list[Report]:
    """Drafts with a deadline, newest first: the quarters being collected."""
    return [r for r in reversed(archive.reports)
            if r.meta.status != "issued" and (r.meta.due is not None or r.meta.sections_due is not None)]


def terminal_table(found: ReportDeadlines) -> str:
    """The rows as aligned text for a terminal: an overdue row starts with ``!`` and says
    ``QUÁ HẠN`` in capitals, so it stands out without colours."""
    head = ("", "Phần", "Tệp", "Đơn vị soạn", "Trạng thái", "Hạn")
    rows = [head]
    for row in found.rows:
        section = row.row.section
        rows.append(("!" if row.overdue else "", row.label, section.source.path if section else "(chưa có tệp)",
                     row.organisation or "–", row.state_text.upper() if row.state == "missing" else row.state_text,
                     row.due_text.upper() if row.overdue else row.due_text))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows)
