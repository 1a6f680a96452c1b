"""Rules on a report's deadlines: ``due`` and ``sections_due``.

Both are optional. When given: the office's date for the sections comes before the
report's own due date, and neither comes before the date of the request that asked for
the report (the documents of ``responds_to``). That each is a real date is the schema's
part (:mod:`baocao.schemas`).
"""

from __future__ import annotations

from collections.abc import Iterator

from baocao.model import Archive, Report
from baocao.problems import Problem
from baocao.vnformat import date_text

LABELS = {"due": "Hạn gửi báo cáo", "sections_due": "Hạn nộp các phần"}


def _request(archive: Archive, report: Report):
    """The latest dated document among those that asked for the report, or None."""
    dated = [archive.documents[i] for i in report.meta.responds_to
             if i in archive.documents and archive.documents[i].date is not None]
    return max(dated, key=lambda d: d.date) if dated else None


def check_deadlines(archive: Archive) -> Iterator[Problem]:
    for report in archive.reports:
        meta, src = report.meta, report.source
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
