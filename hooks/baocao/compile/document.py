"""The report as one renderer-neutral document: assembled once, drawn by every output.

:func:`assemble` turns a :class:`~baocao.model.Report` into a :class:`Document`: the header
fields, ``BÁO CÁO`` and the subject, the opening, the numbered parts of the outline with
their contributors' text, Nơi nhận and the signature, and the appendix tables. The HTML
page (templates under ``overrides/baocao/``), its print stylesheet, the PDF and the Word
export all read it.

Everything here is data: plain text and contributor Markdown, never markup. Contributor
text stays Markdown (:class:`Text`); a table marker ``<!-- baocao:table NAME -->`` in it
becomes the :class:`~baocao.compile.tables.Table` it names, in place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from baocao.compile import aggregate, sitemap, tables
from baocao.model import Archive, Report, Section, Slot, slot_title

REPORT_STATUS = {"draft": "Dự thảo", "issued": "Đã ban hành"}
SECTION_STATUS = {"draft": "Đang soạn", "submitted": "Đã gửi", "approved": "Đã duyệt", "missing": "Chưa có",
                  "error": "Có lỗi — xem `baocao check`"}
MARKER = re.compile(r"<!--\s*baocao:table\s+([a-z_]+)\s*-->")


@dataclass(frozen=True)
class Text:
    """Contributor Markdown, to be converted (and sanitised) by the renderer."""

    markdown: str
    #: repository-relative path of the file it comes from (relative links resolve there).
    path: str
    #: file line of the text's first line.
    line: int


Block = Text | tables.Table


@dataclass(frozen=True)
class Header:
    """The two-column header of a Party document."""

    #: the superior body, upper case (ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG).
    parent: str
    #: the issuing committee, upper case (ĐẢNG ỦY XÃ ĐẠI SƠN).
    issuer: str
    #: the document number (``45-BC/ĐU``), or None while it has none.
    number: str | None
    #: the committee's code in numbers (``ĐU``), for a blank ``Số   -BC/ĐU``.
    code: str
    place: str
    #: date of issue, or None (then only ``year`` is printed).
    issued_on: dt.date | None
    year: int


@dataclass(frozen=True)
class Part:
    """One heading of the outline, and for a leaf, its section's text."""

    #: ``2.5.``; ``full_number`` is ``A.2.5.``.
    number: str
    full_number: str
    title: str
    #: 1 for A., II., III.; 2 below them; ...
    level: int
    anchor: str
    #: whether the outline expects a section here.
    leaf: bool
    section: Section | None
    body: tuple[Block, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def missing(self) -> bool:
        return self.leaf and self.section is None

    @property
    def empty(self) -> bool:
        """Whether the part has nothing to show: no section, or one with neither text nor a
        table (a scaffolded draft). The page and the Word file then print "(Chưa có nội
        dung phần này.)" under its heading."""
        return self.section is None or (not self.section.has_text
                                        and not any(isinstance(b, tables.Table) for b in self.body))


@dataclass(frozen=True)
class Signature:
    authority: str
    body: str
    position: str
    name: str


@dataclass(frozen=True)
class Document:
    report: Report
    header: Header
    subject: str
    #: True for a draft (printed with "DỰ THẢO").
    draft: bool
    status: str
    opening: tuple[Block, ...]
    parts: tuple[Part, ...]
    recipients: tuple[str, ...]
    signature: Signature | None
    #: the compiled figures: screen-only, not part of the signed document.
    appendix: tuple[tables.Table, ...]

    @property
    def period(self):
        return self.report.period


def blocks(archive: Archive, report: Report, markdown: str, path: str, line: int) -> tuple[Block, ...]:
    """Contributor Markdown split at table markers into text and the tables they name
    (an unknown marker stays in the text, where it is a comment)."""
    markdown = markdown.strip()
    if "baocao:table" not in markdown:
        return (Text(markdown, path, line),) if markdown else ()
    out: list[Block] = []
    start = 0
    for match in MARKER.finditer(markdown):
        make = tables.MARKERS.get(match.group(1))
        if make is None:
            continue
        before = markdown[start:match.start()].strip()
        if before:
            out.append(Text(before, path, line + markdown.count("\n", 0, start)))
        out.extend(make(archive, report))
        start = match.end()
    rest = markdown[start:].strip()
    if rest:
        out.append(Text(rest, path, line + markdown.count("\n", 0, start)))
    return tuple(out)


def part_title(slot: Slot, report: Report, section: Section | None) -> str:
    """A slot's title, or its section's own title where it has one."""
    return section.meta.title if section is not None and section.meta.title else slot_title(slot, report.period)


def header(archive: Archive, report: Report) -> Header:
    committee = archive.committee
    meta = report.meta
    return Header(
        parent=committee.parent.upper() if committee else "",
        issuer=committee.name.upper() if committee else "",
        number=meta.number or None,
        code=committee.code if committee else "",
        place=committee.place if committee else "",
        issued_on=meta.issued_on,
        year=(meta.issued_on or meta.as_of or report.period.end).year,
    )


def appendix(archive: Archive, report: Report) -> tuple[tables.Table, ...]:
    return (tables.structure(archive, report), *tables.summary(archive, report),
            tables.members(archive, report), tables.cited(archive, report))


def assemble(archive: Archive, report: Report) -> Document:
    """The whole report, in outline order with its official numbering. Computed once per
    report (the model keeps it in ``report.cache``)."""
    cached = report.cache.get("document")
    if cached is not None:
        return cached
    found = report.by_slot()
    parts = []
    for slot in archive.slots(report.period):
        section = found.get(slot.key) if slot.is_leaf else None
        title = part_title(slot, report, section)
        body = (blocks(archive, report, section.body, section.source.path, section.body_line)
                if section is not None else ())
        parts.append(Part(slot.number, slot.full_number, title, slot.level, sitemap.part_anchor(slot.number, title),
                          slot.is_leaf, section, body))
    meta = report.meta
    signer = meta.signer
    document = Document(
        report=report,
        header=header(archive, report),
        subject=report.subject,
        draft=meta.status == "draft",
        status=REPORT_STATUS[meta.status],
        opening=blocks(archive, report, report.body, report.source.path, report.body_line),
        parts=tuple(parts),
        recipients=tuple(meta.recipients),
        signature=Signature(signer.authority, signer.body.upper(), signer.position.upper(), signer.name)
        if signer else None,
        appendix=appendix(archive, report),
    )
    report.cache["document"] = document
    return document


def slot_label(slot: Slot, report: Report, section: Section | None) -> str:
    """A slot with its full numbering, e.g. ``A.2.5. Tổ chức cơ sở đảng khác``."""
    return f"{slot.full_number} {part_title(slot, report, section)}"


def section_heading(archive: Archive, report: Report, section: Section) -> str:
    """A section's numbered heading (``2.5. Tổ chức cơ sở đảng khác``), or its own title or
    file name when its slot is not in the outline."""
    slot = archive.leaf_slot(report.period, (section.meta.part, section.meta.category))
    if slot is None:
        return section.meta.title or section.slug
    return f"{slot.number} {part_title(slot, report, section)}"


def progress_line(archive: Archive, report: Report, broken: Collection[str] = ()) -> str:
    """``9/10 phần đã có (đã duyệt 2, ...), còn thiếu 1``; ``broken``: the files with errors
    (counted apart, never as approved)."""
    counts = aggregate.progress(aggregate.tracker(archive, report, broken))
    done = sum(counts.values()) - counts["missing"]
    error = f", có lỗi {counts['error']}" if counts["error"] else ""
    return (f"{done}/{sum(counts.values())} phần đã có (đã duyệt {counts['approved']}, đã gửi "
            f"{counts['submitted']}, đang soạn {counts['draft']}{error}), còn thiếu {counts['missing']}")
