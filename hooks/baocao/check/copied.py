"""Rules on text copied from the previous quarter.

A section whose words are at least 90 % those of the same slot (same part, same category)
in the quarter before (:mod:`baocao.compile.compare`) gets an advisory warning,
``same-as-previous``: it never fails the build of a draft, ``--strict`` included. In an
issued report it is an error unless the section says ``acknowledged: true``: copying must
be a decision, not an accident. Figures identical to last quarter's are a milder note,
``same-figures-as-previous``, in drafts and issued reports alike. The similarity each
pair of texts had is kept in the check's cache folder between runs.

A sealed report is not judged again: its copies were judged at issue (``baocao issue``
refuses an unacknowledged copy, a warning), and the seal now refuses any change to its
files, ``acknowledged`` included. A quarter before it added later (a past report
imported, a replacement) changes nothing for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from baocao.check.seal import sealed
from baocao.compile.compare import Comparison, compare_all, release_words
from baocao.load.cache import TextCache
from baocao.model import Archive
from baocao.problems import Problem, Severity


def _decided(found: Comparison, memo: TextCache | None) -> bool:
    """Whether the section is a copy, from the similarity an earlier run found for these
    two texts when the cache has it (a value from the cache is checked to be a number
    from 0 to 1, else computed again)."""
    if memo is None or found.previous is None:
        return found.copied
    key = f"{found.previous.body}\0{found.section.body}"
    kept = memo.get(key)
    try:
        value = float(kept) if kept is not None else math.nan
    except ValueError:
        value = math.nan
    if 0.0 <= value <= 1.0:
        found.known(value)
        return found.copied
    copied = found.copied
    memo.put(key, f"{found.similarity:.6f}" if copied else "0")
    return copied


def check_copied(archive: Archive, root: Path | None = None) -> Iterator[Problem]:
    """With ``root``, what earlier runs found for the same two texts is taken from the
    check's cache folder (:class:`~baocao.load.cache.TextCache`), so a second check
    compares only texts that changed."""
    memo = TextCache(root, "similarity") if root is not None else None
    for report in archive.reports:
        before = archive.report(report.period.previous())
        if before is None:
            continue
        if sealed(report):  # judged at issue, which refuses a copy not acknowledged; the seal refuses any change now
            release_words(before)
            continue
        issued = report.meta.status == "issued"
        for section, found in zip(report.sections, compare_all(archive, report), strict=True):
            src = section.source
            copied = not section.meta.acknowledged and _decided(found, memo)
            found.release()
            if copied:
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
        release_words(before)  # its words were this quarter's "before"; no later quarter needs them
    if archive.reports:
        release_words(archive.reports[-1])
    if memo is not None:
        memo.save()


RULES = (check_copied,)
