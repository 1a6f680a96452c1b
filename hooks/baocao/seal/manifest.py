"""What an issued report is made of, as digests: the manifest (``ban-hanh.yml``).

At issue (:mod:`baocao.contribute.issue`) the manifest records, for the report's folder:

- each Markdown file (``index.md`` and every section): the SHA-256 of its bytes, and a
  short digest of each line, so that the check can name the first changed line without
  keeping the text twice;
- the PDF and Word files made at that moment (kept beside them);
- the registry entries the signed document quotes (:func:`quoted_entries`): the
  committee's printed names, the outline's numbers and titles, the names of the
  categories active in the period, the documents it cites.

:func:`attach` reads each report's manifest and errata into :class:`SealState` (problems
at file and line, as for every file), and settles replacements: a report that
``replaces:`` an issued one becomes the period's report, and the old one is kept, still
published, in ``archive.replaced``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from baocao.load import sealfiles
from baocao.model import Archive, Report, Source
from baocao.problems import Problem
from baocao.schemas import Errata, Erratum, IssueManifest, SealedEntry, SealedFile

#: Length of a line's digest (hex digits of its SHA-256): enough to tell lines apart.
LINE_DIGEST = 16


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def line_digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()[:LINE_DIGEST]


def line_digests(data: bytes) -> list[str]:
    return [line_digest(line) for line in data.split(b"\n")]


def sealed_file(name: str, data: bytes) -> SealedFile:
    return SealedFile(name=name, sha256=sha256(data), lines=line_digests(data) if name.endswith(".md") else [])


def _digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return sha256(text.encode("utf-8"))


@dataclass(frozen=True)
class Quoted:
    """A registry entry the signed document quotes: where it is, and its digest."""

    file: str
    id: str
    #: the keys of the entry in its file (for the line of a problem).
    keys: tuple
    sha256: str


def quoted_entries(archive: Archive, report: Report) -> list[Quoted]:
    """The registry entries ``report``'s document prints, with the digests of what it prints."""
    out: list[Quoted] = []
    committee = archive.committee
    if committee is not None:
        printed = {k: getattr(committee, k) for k in ("name", "parent", "code", "place")}
        out.append(Quoted("committee.yml", "committee", ("name",), _digest(printed)))

    def walk(parts, path: tuple) -> None:
        for index, part in enumerate(parts):
            keys = (*path, index)
            out.append(Quoted("outline.yml", part.id, keys, _digest(
                {"number": part.number, "title": part.title, "per_category": part.per_category})))
            walk(part.children, (*keys, "children"))

    walk(archive.outline, ("parts",))
    order = list(archive.categories)
    for category in archive.active_categories(report.period):
        out.append(Quoted("categories.yml", category.id, ("categories", order.index(category.id)),
                          _digest({"name": category.name})))
    documents = list(archive.documents)
    cited = list(report.meta.responds_to) + [d for s in report.sections for d in s.meta.documents]
    for doc_id in dict.fromkeys(cited):
        doc = archive.documents.get(doc_id)
        if doc is not None:
            out.append(Quoted("documents.yml", doc_id, ("documents", documents.index(doc_id)),
                              _digest(doc.model_dump(mode="json"))))
    return out


def sealed_entries(archive: Archive, report: Report) -> list[SealedEntry]:
    return [SealedEntry(file=q.file, id=q.id, sha256=q.sha256) for q in quoted_entries(archive, report)]


def make(report: Report, archive: Archive, files: dict[str, bytes], today: dt.date) -> IssueManifest:
    """The manifest of ``report`` from the bytes of its files (name -> bytes)."""
    return IssueManifest(
        period=report.period.key, number=report.meta.number, issued_on=report.meta.issued_on,
        sealed_on=today, files=[sealed_file(name, data) for name, data in sorted(files.items())],
        entries=sealed_entries(archive, report))


_HEADER = """\
# yaml-language-server: $schema=../../../data/schemas/ban-hanh.schema.json
# Bản ban hành của báo cáo {label}: mã SHA-256 của từng tệp khi ban hành,
# do lệnh `baocao issue` ghi. KHÔNG SỬA TAY tệp này: mọi thay đổi nội dung báo cáo
# sau khi ban hành phải ghi vào dinh-chinh.yml (đính chính câu chữ) hoặc làm báo cáo
# thay thế (sửa số liệu, nội dung). `baocao verify {key}` đối chiếu các tệp với tệp này.
"""


def dump(manifest: IssueManifest, label: str) -> str:
    """The manifest as the YAML file ``ban-hanh.yml`` (with a Vietnamese header comment)."""
    data = manifest.model_dump(mode="python")
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    return _HEADER.format(label=label, key=manifest.period) + body


# --- reading into the archive --------------------------------------------------------------


@dataclass
class SealState:
    """The seal of one report: its manifest and errata as read (None / empty when absent)."""

    manifest: IssueManifest | None = None
    manifest_source: Source | None = None
    errata: list[Erratum] = field(default_factory=list)
    errata_source: Source | None = None
    #: the report this one replaces, and the one that replaced it.
    replaces: Report | None = None
    replaced_by: Report | None = None
    #: the file names this folder holds besides Markdown (outputs checked against the manifest).
    extra_files: list[str] = field(default_factory=list)

    @property
    def sealed(self) -> bool:
        return self.manifest is not None

    def output(self, kind: str) -> SealedFile | None:
        """The sealed output file of ``kind`` (``pdf``, ``docx``), when the manifest has one."""
        if self.manifest is None:
            return None
        return next((f for f in self.manifest.files if f.name.endswith("." + kind)), None)


def state(report: Report) -> SealState:
    """The seal of ``report`` (an empty one when :func:`attach` has not run)."""
    return report.seal if isinstance(report.seal, SealState) else SealState()


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def attach(root: Path, archive: Archive, problems: list[Problem]) -> None:
    """Read every report's manifest and errata; settle replacements."""
    from baocao.load.loader import read_data_record

    for report in archive.reports:
        seal = SealState()
        folder = root / "docs" / report.folder
        try:
            listed = sorted(os.listdir(folder))
        except OSError:
            listed = []
        seal.extra_files = [n for n in listed if sealfiles.is_output(n) and _is_file(folder / n)]
        for name, model in ((sealfiles.MANIFEST, IssueManifest), (sealfiles.ERRATA, Errata)):
            path = folder / name
            if not _is_file(path):
                continue
            record = read_data_record(root, path, model)
            problems.extend(record.problems)
            source = Source(record.path, record.lines, 1, record.offset)
            if record.value is None:
                continue
            if name == sealfiles.MANIFEST:
                seal.manifest, seal.manifest_source = record.value, source
            else:
                seal.errata, seal.errata_source = list(record.value.errata), source
        report.seal = seal
    problems.extend(_settle_replacements(archive))


def _settle_replacements(archive: Archive) -> Iterator[Problem]:
    """A report with ``replaces: N`` is the period's report; the issued report numbered N
    moves to ``archive.replaced`` (still published, marked as replaced)."""
    replacing = [r for r in archive.reports if r.meta.replaces]
    for report in replacing:
        src = report.source
        old = next((r for r in archive.reports if r is not report and r.period == report.period
                    and r.meta.number == report.meta.replaces and r.meta.status == "issued"), None)
        if old is None:
            yield Problem(src.path, src.line("replaces"), "replaces",
                          f"Không có báo cáo {report.period.label} đã ban hành với số `{report.meta.replaces}` "
                          "để thay thế; hãy ghi đúng số ký hiệu của báo cáo cũ (cùng kỳ).", "replaces-unknown")
            continue
        if state(old).replaced_by is not None:
            yield Problem(src.path, src.line("replaces"), "replaces",
                          f"Báo cáo số {old.meta.number} đã được thay thế bởi báo cáo ở "
                          f"{state(old).replaced_by.source.path}; mỗi báo cáo chỉ được thay thế một lần.",
                          "replaces-twice")
            continue
        state(report).replaces = old
        state(old).replaced_by = report
        archive.reports.remove(old)
        archive.replaced.append(old)
    archive.replaced.sort(key=lambda r: (r.period, r.folder))
