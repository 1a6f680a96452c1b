"""Rules on text copied from the previous quarter.

A section whose words are at least 90 % those of the same slot (same part, same category)
in the quarter before (:mod:`baocao.compile.compare`) gets an advisory warning,
``same-as-previous``: it never fails the build of a draft, ``--strict`` included. In an
issued report it is an error unless the section says ``acknowledged: true``: copying must
be a decision, not an accident. Figures identical to last quarter's are a milder note,
``same-figures-as-previous``, in drafts and issued reports alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from baocao.compile.compare import compare
from baocao.model import Archive
from baocao.problems import Problem, Severity


def check_copied(archive: Archive) -> Iterator[Problem]:
    for report in archive.reports:
        if archive.report(report.period.previous()) is None:
            continue
        issued = report.meta.status == "issued"
        for section in report.sections:
            found = compare(archive, report, section)
            src = section.source
            if found.copied and not section.meta.acknowledged:
                text = (f"Phần này giống quý trước {found.percent} %: hãy viết kết quả của quý này "
                        f"(so với {found.previous.source.path}).")
                if issued:
                    yield Problem(src.path, section.body_line, "",
                                  f"{text} Báo cáo đã ban hành: nếu giống là có chủ ý, văn phòng ghi "
                                  "`acknowledged: true` trong phần đầu của tệp này.", "same-as-previous")
                else:
                    yield Problem(src.path, section.body_line, "",
                                  f"{text} Nếu giống là có chủ ý, văn phòng ghi `acknowledged: true`.",
                                  "same-as-previous", Severity.WARNING, advisory=True)
            if found.figures_same:
                yield Problem(src.path, src.line("figures"), "figures",
                              f"Số liệu giống hệt {found.previous_report.period.label}; nếu đúng là không đổi "
                              "thì không cần sửa, nếu không hãy ghi số liệu của quý này.",
                              "same-figures-as-previous", Severity.NOTE)


RULES = (check_copied,)
