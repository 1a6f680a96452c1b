"""What the site shows of the seal, as data for the templates (they draw it, autoescaped).

- :func:`seal_view`: a report's number and date, the "Bản ban hành" box (the sealed PDF's
  name and SHA-256, how to check a copy), each erratum with the old and the new wording
  as runs of words (removed / added marked: :func:`baocao.seal.errata.word_diff`), and
  the replacement marks ("Đã được thay thế bởi …", "Thay thế báo cáo số …");
(The PDF and Word files a sealed report's page offers are the ones kept at issue:
:func:`baocao.build.downloads.offered`.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baocao.model import Archive, Report
from baocao.seal.errata import Run, word_diff
from baocao.seal.manifest import state


@dataclass(frozen=True)
class CorrectionView:
    #: the section's heading (or the file name when it has none).
    where: str
    old: tuple[Run, ...]
    new: tuple[Run, ...]


@dataclass(frozen=True)
class ErratumView:
    number: str
    date: dt.date
    reason: str
    corrections: tuple[CorrectionView, ...]


@dataclass(frozen=True)
class SealView:
    #: whether a manifest seals the report (False: issued before the seal existed).
    sealed: bool
    number: str | None
    issued_on: dt.date | None
    sealed_on: dt.date | None
    pdf: str | None
    pdf_sha256: str | None
    errata: tuple[ErratumView, ...]
    replaced_by: Report | None
    replaces: Report | None


def _where(archive: Archive, report: Report, file: str) -> str:
    from baocao.compile.document import section_heading

    if file == "index.md":
        return "Phần mở đầu"
    section = next((s for s in report.sections if f"{s.slug}.md" == file), None)
    return section_heading(archive, report, section) if section is not None else file


def seal_view(archive: Archive, report: Report) -> SealView | None:
    """What the report page shows of the seal; None for a draft that replaces nothing."""
    seal = state(report)
    if report.meta.status != "issued" and seal.replaces is None:
        return None
    pdf = seal.output("pdf")
    errata = tuple(
        ErratumView(entry.number, entry.date, entry.reason, tuple(
            CorrectionView(_where(archive, report, fix.file), *map(tuple, word_diff(fix.old, fix.new)))
            for fix in entry.corrections))
        for entry in seal.errata) if seal.sealed else ()
    return SealView(sealed=seal.sealed, number=report.meta.number, issued_on=report.meta.issued_on,
                    sealed_on=seal.manifest.sealed_on if seal.sealed else None,
                    pdf=pdf.name if pdf else None, pdf_sha256=pdf.sha256 if pdf else None, errata=errata,
                    replaced_by=seal.replaced_by, replaces=seal.replaces)
