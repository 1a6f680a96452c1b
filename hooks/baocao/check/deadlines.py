"""Rules on a report's deadlines: ``due`` and ``sections_due``.

Both are optional. When given: the office's date for the sections comes before the
report's own due date, neither comes before the date of the request that asked for the
report (the documents of ``responds_to``), and neither is more than a year after the
quarter ends (:func:`latest`: a later date is a mistyped year, and the calendar and the
countdowns could not count to it). That each is a real date is the schema's part
(:mod:`baocao.schemas`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from baocao.model import Archive, Report
from baocao.periods import Period
from baocao.problems import Problem
from baocao.vnformat import date_text

LABELS = {"due": "Hạn gửi báo cáo", "sections_due": "Hạn nộp các phần"}


def _request(archive: Archive, report: Report):
    """The latest dated document among those that asked for the report, or None."""
    dated = [archive.documents[i] for i in report.meta.responds_to
             if i in archive.documents and archive.documents[i].date is not None]
    return max(dated, key=lambda d: d.date) if dated else None


def latest(period: Period) -> dt.date:
    """The latest deadline a report of ``period`` may have: a year after its quarter ends
    (the day before the last date there is, for the last quarters a date can hold)."""
    end = period.end
    return end.replace(year=end.year + 1) if end.year < dt.MAXYEAR else dt.date.max - dt.timedelta(days=1)


def too_late(period: Period, key: str, value: dt.date | None, what: str | None = None) -> str | None:
    """What to say of deadline ``key`` (called ``what``) when ``value`` is beyond
    :func:`latest`, else None."""
    bound = latest(period)
    if value is None or value <= bound:
        return None
    return (f"{what or LABELS[key]} ({date_text(value)}) quá xa kỳ báo cáo {period.label}: hạn phải trước hoặc đúng ngày "
            f"{date_text(bound)} (một năm sau khi hết quý); hãy kiểm tra lại năm.")


def check_deadlines(archive: Archive) -> Iterator[Problem]:
    for report in archive.reports:
        meta, src = report.meta, report.source
        for key in ("sections_due", "due"):
            said = too_late(report.period, key, getattr(meta, key))
            if said:
                yield Problem(src.path, src.line(key), key, said, "deadline-too-late")
        if meta.due is not None and meta.sections_due is not None and meta.sections_due >= meta.due:
            yield Problem(src.path, src.line("sections_due"), "sections_due",
                          f"Hạn nộp các phần ({date_text(meta.sections_due)}) phải trước hạn gửi báo cáo "
                          f"({date_text(meta.due)}), để văn phòng kịp tổng hợp; hãy viết một ngày trước "
                          f"{date_text(meta.due)}.", "sections-due-after-due")
        request = None if "documents.yml" in archive.broken else _request(archive, report)
        if request is None:
            continue
        for key in ("sections_due", "due"):
            value = getattr(meta, key)
            if value is not None and value < request.date:
                yield Problem(src.path, src.line(key), key,
                              f"{LABELS[key]} ({date_text(value)}) trước ngày của văn bản yêu cầu báo cáo "
                              f"{request.kind} số {request.id} ({date_text(request.date)}); hãy viết một ngày "
                              f"từ {date_text(request.date)} trở đi.", "deadline-before-request")


RULES = (check_deadlines,)
