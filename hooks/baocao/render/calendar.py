"""The deadlines calendar: one iCalendar file (RFC 5545) the site publishes at :data:`PATH`.

For each quarter being collected (a draft with ``due`` or ``sections_due``,
:func:`baocao.deadlines.open_reports`), one all-day event on the office's date for the
sections, listing the sections still awaited and how late each is on the day of the build,
and one on the report's own due date, naming the request. Events are in Vietnamese, with a
reminder the day before, and keep the same UID from build to build (the period and the
kind of deadline), so a phone that imported or subscribed to the file updates them instead
of adding copies. The file is written by the ``icalendar`` library (escaping, line folding,
CRLF); with no quarter being collected there is no event, and no file (RFC 5545 wants at
least one component).
"""

from __future__ import annotations

import datetime as dt

import icalendar

from baocao.deadlines import ReportDeadlines, open_reports, report_deadlines
from baocao.model import Archive
from baocao.textfold import slugify
from baocao.vnformat import date_text

#: Where the site publishes the file (a path of the built site).
PATH = "lich/han-nop-bao-cao.ics"
PRODID = "-//baocao//Han nop bao cao//VI"


def _uid(archive: Archive, found: ReportDeadlines, kind: str) -> str:
    committee = slugify(archive.committee.name) if archive.committee else "dang-uy"
    return f"{found.report.period.slug}-{kind}@{committee}.baocao"


def _event(archive: Archive, found: ReportDeadlines, kind: str, day: dt.date, summary: str,
           lines: list[str]) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", _uid(archive, found, kind))
    event.add("dtstamp", dt.datetime.combine(found.today, dt.time(0), dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Ngày mai: {summary}")
    alarm.add("trigger", dt.timedelta(hours=-15))  # 9:00 the day before
    event.add_component(alarm)
    return event


def _sections_lines(found: ReportDeadlines) -> list[str]:
    awaited = found.awaited
    lines = ["Các tổ chức đảng nộp phần của mình cho văn phòng Đảng ủy.",
             f"Tính đến ngày {date_text(found.today)}: "
             + (f"còn {len(awaited)} phần chưa nộp:" if awaited else "đã nộp đủ các phần.")]
    for row in awaited:
        who = f" ({row.organisation})" if row.organisation else ""
        lines.append(f"- {row.label}{who}: {row.state_text.lower()}, {row.due_text}")
    return lines


def _due_lines(archive: Archive, found: ReportDeadlines) -> list[str]:
    report = found.report
    lines = [f"Gửi báo cáo {report.period.label} lên cấp trên."]
    for doc_id in report.meta.responds_to:
        doc = archive.documents.get(doc_id)
        if doc is not None:
            dated = f", ngày {date_text(doc.date)}" if doc.date else ""
            lines.append(f"Theo {doc.kind} số {doc.id}{dated} của {doc.issuer}.")
    if found.due is not None:
        lines.append(f"Tính đến ngày {date_text(found.today)}: {found.due.text}.")
    return lines


def ics(archive: Archive, today: dt.date) -> bytes | None:
    """The calendar file's bytes, or None when no quarter is being collected."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = archive.committee.name if archive.committee else "Đảng ủy"
    calendar.add("x-wr-calname", icalendar.vText(f"Hạn nộp báo cáo — {name}"))  # escaped as TEXT
    events = 0
    for report in open_reports(archive):
        found = report_deadlines(archive, report, today)
        meta = report.meta
        if meta.sections_due is not None:
            calendar.add_component(_event(
                archive, found, "han-nop-cac-phan", meta.sections_due,
                f"Hạn nộp các phần báo cáo {report.period.label}", _sections_lines(found)))
            events += 1
        if meta.due is not None:
            calendar.add_component(_event(
                archive, found, "han-gui-bao-cao", meta.due,
                f"Hạn gửi báo cáo {report.period.label}",
                # without a date of their own, the sections are due with the report
                _due_lines(archive, found) + (_sections_lines(found)[1:] if meta.sections_due is None else [])))
            events += 1
    return calendar.to_ical() if events else None
