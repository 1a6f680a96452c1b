"""The archive model: reports, their sections, and the registries they refer to.

Built by :mod:`baocao.load.loader` from files, read by the rules, the aggregations and the page
builders. Front matter values are the validated :mod:`baocao.schemas` objects; each
object keeps its file path and the line of every key, so later rules can point at it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from baocao.periods import Period
from baocao.schemas import (
    Category,
    Committee,
    Document,
    Form,
    Indicator,
    Organisation,
    OutlinePart,
    ReportMeta,
    SectionMeta,
)
from baocao.textfold import slugify


@dataclass
class Source:
    """Where a value came from: a repository-relative path and the line of each key."""

    path: str
    #: line of each key within the YAML text; ``offset`` turns it into a file line.
    lines: Mapping[tuple, int] = field(default_factory=dict)
    first_line: int = 1
    offset: int = 0

    def line(self, *keys: Any) -> int:
        path = tuple(keys)
        while path:
            if path in self.lines:
                return self.lines[path] + self.offset
            path = path[:-1]
        return self.first_line


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


@dataclass
class Section:
    source: Source
    slug: str
    meta: SectionMeta
    body: str
    body_line: int

    @property
    def has_text(self) -> bool:
        """Whether the section says anything: text other than blank lines and comments
        (the scaffold's guidance is a comment)."""
        return bool(_COMMENT.sub("", self.body).strip())

    @property
    def is_blank(self) -> bool:
        """A file as ``new-quarter`` leaves it: no text and no figure given. It counts as
        missing in progress and in the tracker, not as a draft."""
        return not self.has_text and all(v is None for v in self.meta.figures.values())


@dataclass
class Report:
    source: Source
    period: Period
    meta: ReportMeta
    body: str
    body_line: int
    sections: list[Section] = field(default_factory=list)
    #: section files of this report that could not be read (their errors are reported).
    unreadable: list[str] = field(default_factory=list)
    #: values derived from this report, computed once (see baocao.compile.aggregate).
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    #: the folder's name when it is not the period's (a replacement: ``2025-q3-2``).
    folder_name: str = ""
    #: its manifest, errata and replacements (a baocao.seal.manifest.SealState, set by the check).
    seal: Any = field(default=None, repr=False, compare=False)

    @property
    def folder(self) -> str:
        return f"reports/{self.folder_name or self.period.slug}"

    @property
    def uri(self) -> str:
        """Source path of the report page in the docs folder."""
        return f"{self.folder}/index.md"

    def by_slot(self) -> dict[tuple[str, str | None], Section]:
        """Sections by outline slot key ``(part, category)``; the first file wins a duplicate."""
        found: dict[tuple[str, str | None], Section] = {}
        for section in self.sections:
            found.setdefault((section.meta.part, section.meta.category), section)
        return found

    @property
    def subject(self) -> str:
        """The trích yếu: the front matter's title, or the standard one for the period."""
        return self.meta.title or (
            f"Tình hình hoạt động của tổ chức cơ sở đảng {self.period.long_label}")


@dataclass(frozen=True)
class Slot:
    """One place in a report's outline: a heading, and for leaves, the section it expects."""

    part: OutlinePart
    category: Category | None
    number: str
    level: int
    #: number with its parents' numbers, e.g. ``II.1.`` or ``A.2.1.``.
    full_number: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.part.children and (self.category is not None or not self.part.per_category)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.part.id, self.category.id if self.category else None)


@dataclass
class Archive:
    committee: Committee | None = None
    categories: dict[str, Category] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    outline: list[OutlinePart] = field(default_factory=list)
    #: the statistical forms (``data/forms.yml``), in order.
    forms: dict[str, Form] = field(default_factory=dict)
    #: in period order (the loader sorts them); one per period.
    reports: list[Report] = field(default_factory=list)
    #: issued reports replaced by another (``replaces:``): still published, marked as replaced.
    replaced: list[Report] = field(default_factory=list)
    #: data files that could not be read: rules that need them are skipped.
    broken: set[str] = field(default_factory=set)
    #: data file name -> where its values came from (lines of every key).
    sources: dict[str, Source] = field(default_factory=dict)
    _slots: dict[Period, list[Slot]] = field(default_factory=dict, repr=False)
    _leaves: dict[Period, dict[tuple[str, str | None], Slot]] = field(default_factory=dict, repr=False)

    @property
    def latest(self) -> Report | None:
        return self.reports[-1] if self.reports else None

    def report(self, period: Period) -> Report | None:
        """The report of ``period`` (reports are kept in period order)."""
        index = bisect_left(self.reports, period, key=lambda r: r.period)
        if index < len(self.reports) and self.reports[index].period == period:
            return self.reports[index]
        return None

    def reports_of(self, period: Period) -> list[Report]:
        """The report of ``period`` and the issued reports of ``period`` it replaced."""
        current = self.report(period)
        return [r for r in ([current] if current else []) + self.replaced if r.period == period]

    def is_current(self, report: Report) -> bool:
        """Whether ``report`` is its period's report: the one rule for "the report of a period"
        (a replacement, draft or issued, from the moment it names the report it replaces).
        A report it replaced (in :attr:`replaced`) keeps its own page and section pages and
        the files kept at issue, and nothing the build makes for a period (its statistical
        forms' page and workbook, a Word or PDF file made again, figures across periods)."""
        return self.report(report.period) is report

    def neighbours(self, report: Report) -> tuple[Report | None, Report | None]:
        index = bisect_left(self.reports, report.period, key=lambda r: r.period)
        before = self.reports[index - 1] if index > 0 else None
        after = self.reports[index + 1] if index + 1 < len(self.reports) else None
        return before, after

    def active_categories(self, period: Period) -> list[Category]:
        return [
            c for c in self.categories.values()
            if (c.active_from is None or c.active_from <= period.end)
            and (c.active_to is None or c.active_to >= period.start)
        ]

    def slots(self, period: Period) -> list[Slot]:
        """The outline of a report of ``period``, in order, with official numbering."""
        cached = self._slots.get(period)
        if cached is None:
            cached = self._slots[period] = self._make_slots(period)
        return cached

    def leaf_slot(self, period: Period, key: tuple[str, str | None]) -> Slot | None:
        """The slot of ``period``'s outline that takes sections of ``key`` ``(part, category)``."""
        leaves = self._leaves.get(period)
        if leaves is None:
            leaves = self._leaves[period] = {slot.key: slot for slot in self.slots(period) if slot.is_leaf}
        return leaves.get(key)

    def _make_slots(self, period: Period) -> list[Slot]:
        out: list[Slot] = []

        def walk(parts: list[OutlinePart], level: int, prefix: str) -> None:
            for part in parts:
                out.append(Slot(part, None, part.number, level, prefix + part.number))
                if part.per_category:
                    stem = part.number.rstrip(".")
                    for index, category in enumerate(self.active_categories(period), start=1):
                        number = f"{stem}.{index}."
                        out.append(Slot(part, category, number, level + 1, prefix + number))
                walk(part.children, level + 1, prefix + part.number)

        walk(self.outline, 1, "")
        return out

    def slot_for_file(self, period: Period, slug: str) -> Slot | None:
        """The leaf slot of ``period`` that a section file named ``slug`` (without ``.md``)
        stands for: the slot a file of that name had in the nearest report, else the one
        ``new-quarter`` names so."""
        def distance(report: Report) -> int:
            return abs((report.period.year - period.year) * 4 + report.period.quarter - period.quarter)

        for report in sorted(self.reports, key=distance):
            for section in report.sections:
                if section.slug == slug:
                    slot = self.leaf_slot(period, (section.meta.part, section.meta.category))
                    if slot is not None:
                        return slot
        return next((s for s in self.slots(period) if s.is_leaf and default_file_name(s) == slug), None)

    def leaf_parts(self) -> dict[str, OutlinePart]:
        """Outline parts that take sections, by id."""
        found: dict[str, OutlinePart] = {}

        def walk(parts: list[OutlinePart]) -> None:
            for part in parts:
                if not part.children:
                    found[part.id] = part
                walk(part.children)

        walk(self.outline)
        return found


def slot_title(slot: Slot, period: Period) -> str:
    """Heading text of a slot, placeholders filled, top level in capitals."""
    if slot.category is not None:
        return slot.category.name
    title = slot.part.title
    if "{" in title:
        title = title.replace("{ky_sau}", period.next().label).replace("{ky}", period.label)
    return title.upper() if slot.level == 1 else title


def default_file_name(slot: Slot) -> str:
    """The file name (without ``.md``) ``new-quarter`` gives a slot that no earlier report names."""
    if slot.category is not None:
        return slot.category.id.replace("_", "-")
    return slugify(slot.part.title.replace("{ky_sau}", "").replace("{ky}", ""))[:40].strip("-")
