"""Reading the repository into an :class:`~baocao.model.Archive`.

Reads ``data/*.yml`` and ``docs/reports/<period>/*.md``, splits front matter, reads YAML
with lines (:mod:`baocao.load.yamlsafe`), validates each file against its schema, and
collects every problem with file, line and field. Files that fail stay out of the
archive; the rest is loaded so that all problems are found in one run.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from baocao import periods
from baocao.load import frontmatter, layout, messages, schemafiles
from baocao.load.cache import FileCache
from baocao.load.hygiene import encoding_problems, text_problems
from baocao.load.yamlsafe import is_invalid, load_yaml
from baocao.model import Archive, Report, Section, Source, slot_title
from baocao.periods import Period
from baocao.problems import Problem, Severity
from baocao.schemas import DATA_FILES, ReportMeta, SectionMeta

M = TypeVar("M", bound=BaseModel)
#: pydantic error types where a mapping is the right kind of value (its content is wrong).
_TAKES_MAPPING = {"missing", "extra_forbidden", "model_type", "dict_type", "model_attributes_type"}

REPORTS_DIR = Path("docs") / "reports"
DATA_DIR = Path("data")
_SECTION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")
#: a period's folder (``2025-q3``), or a replacement report's (``2025-q3-2``, ``2025-q3-3`` ...).
_FOLDER_NAME = re.compile(rf"^{periods.FOLDER}$")


def _rel(root: Path, path: Path) -> str:
    prefix, text = str(root), str(path)
    if text.startswith(prefix + "/"):
        return text[len(prefix) + 1:]
    return path.as_posix()


def parse_yaml(text: str, model: type[M], source: Source, offset: int,
               problems: list[Problem], placeholders: dict | None = None) -> M | None:
    """Read YAML ``text`` (starting at file line ``offset``) as ``model``; record problems.

    Without ``placeholders`` a file with any error gives None. With them (content files),
    what could be read is returned all the same, so that the rules check the rest of the
    file in the same run: the values in error are left out, and a required key that is
    missing or in error takes its placeholder (a value no rule complains about). The
    errors are reported either way, so the check still fails."""
    result = load_yaml(text, offset)
    source.lines, source.offset = result.lines, offset - 1
    for err in result.errors + result.warnings:
        problems.append(Problem(source.path, err.line + offset - 1, err.field, err.message, err.code,
                                Severity.WARNING if err.warning else Severity.ERROR))
    if result.errors and result.value is None:
        return None
    value = result.value if result.value is not None else {}
    if not isinstance(value, dict):
        problems.append(Problem(source.path, offset, "", "Phần thông tin phải là các dòng `tên: giá trị`.",
                                "yaml-not-mapping"))
        return None
    try:
        parsed = model.model_validate(value)
    except ValidationError as exc:
        found = exc.errors()
        # A misspelt key ("stauts") also makes the real one ("status") missing: say it once.
        missing = {tuple(e["loc"]) for e in found if e["type"] == "missing"}
        # A key indented under a field that takes one value ("contributor:" then
        # "  status: draft") is read as part of that field: say so, at the indented line,
        # and do not also call the indented key missing.
        nested: dict[tuple, tuple[str, str]] = {}
        for error in found:
            loc, given = tuple(error["loc"]), error.get("input")
            if error["type"] not in _TAKES_MAPPING and isinstance(given, dict) and given:
                inner = next(iter(given))
                nested[loc] = (str(inner), str(loc[-1]))
                for key in given:
                    missing.discard(loc[:-1] + (key,))
        typos: dict[tuple, str] = {}
        for error in found:
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                siblings = [m[-1] for m in missing if m[:-1] == loc[:-1]]
                guess = messages.nearest(str(loc[-1]), siblings)
                if guess:
                    typos[loc] = guess
                    missing.discard(loc[:-1] + (guess,))
        for error in found:
            if is_invalid(error.get("input")):
                continue  # already reported by the YAML reader
            loc = tuple(error["loc"])
            if error["type"] == "missing" and (loc not in missing or loc in result.lost):
                continue  # said once as a typo, or the key is on a line with a syntax error
            code, message = messages.translate(error, model, result.texts.get(loc))
            if loc in nested:
                inner, outer = nested[loc]
                field = ".".join(str(p) for p in loc)
                problems.append(Problem(
                    source.path, source.line(*loc, inner), field,
                    f"Dòng `{inner}:` thụt vào dưới `{outer}:` nên bị hiểu là một phần của `{outer}`; "
                    f"hãy xóa dấu cách ở đầu dòng để `{inner}:` thẳng cột với `{outer}:`.", "indent"))
                continue
            if loc in typos:
                code, message = "unknown-key", (f"Trường `{loc[-1]}` viết sai; hãy sửa thành "
                                                f"`{typos[loc]}`.")
            field = ".".join(str(p) for p in loc)
            line = source.line(*loc) if error["type"] != "missing" else source.line(*loc[:-1])
            problems.append(Problem(source.path, line, field, message, code))
        return _salvage(model, value, found, placeholders) if placeholders is not None else None
    return parsed if placeholders is not None or not result.errors else None


_DROP = object()


def _salvage(model: type[M], value: dict, found: list[dict], placeholders: dict) -> M | None:
    """``value`` without what the errors ``found`` point at, with ``placeholders`` for
    required keys, validated; None when that still fails."""
    cleaned = copy.deepcopy(value)
    for _ in range(4):
        for error in found:
            loc = tuple(error["loc"])
            _mark(cleaned, loc[:-1] if error["type"] == "missing" else loc)
        cleaned = _purge(cleaned)
        for key, placeholder in placeholders.items():
            cleaned.setdefault(key, placeholder)
        try:
            return model.model_validate(cleaned)
        except ValidationError as exc:
            found = exc.errors()
    return None


def _mark(data, loc: tuple) -> None:
    """Mark for removal the deepest existing value on the path ``loc``."""
    parent, key, node = None, None, data
    for part in loc:
        if isinstance(node, dict) and part in node or \
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent, key, node = node, part, node[part]
        else:
            break
    if parent is not None:
        parent[key] = _DROP


def _purge(data):
    if isinstance(data, dict):
        return {k: _purge(v) for k, v in data.items() if v is not _DROP}
    if isinstance(data, list):
        return [_purge(v) for v in data if v is not _DROP]
    return data


def read_markdown(root: Path, path: Path, model: type[M], problems: list[Problem]
                  ) -> tuple[M | None, Source, frontmatter.SplitFile | None]:
    """Decode, split and validate one content file."""
    source = Source(_rel(root, path))
    try:
        raw = layout.read_file(path, frontmatter.MAX_FILE_BYTES)
    except layout.ReadRefused as exc:
        problems.append(Problem(source.path, 1, "", exc.message, exc.code))
        return None, source, None
    text = frontmatter.decode(raw)
    if isinstance(text, frontmatter.SplitError):
        problems.append(Problem(source.path, text.line, "", text.message, text.code))
        return None, source, None
    split = frontmatter.split(text)
    if isinstance(split, frontmatter.SplitError):
        problems.append(Problem(source.path, split.line, "", split.message, split.code))
        return None, source, None
    problems.extend(encoding_problems(source.path, split.yaml_text, split.yaml_line))
    meta = parse_yaml(split.yaml_text, model, source, split.yaml_line, problems, _placeholders(model, path))
    return meta, source, split


def _placeholders(model: type[BaseModel], path: Path) -> dict:
    """Values for required keys that are missing or in error, chosen so that no rule reports
    anything of them (the file's own errors already fail the check): a section counts as
    approved and written by nobody, a report as a draft of its folder's quarter."""
    if model is SectionMeta:
        return {"contributor": None, "status": "approved"}
    period = Period.parse(path.parent.name)
    return {"status": "draft", **({"period": period.key} if period else {})}


def read_data_record(root: Path, path: Path, model: type[BaseModel]) -> FileRecord:
    """Read and validate one ``data/`` file."""
    problems: list[Problem] = []
    source = Source(_rel(root, path))
    try:
        raw = layout.read_file(path, frontmatter.MAX_FILE_BYTES)
    except layout.ReadRefused as exc:
        problems.append(Problem(source.path, 1, "", exc.message, exc.code))
        return FileRecord(source.path, None, {}, 0, "", 1, problems)
    text = frontmatter.decode(raw)
    if isinstance(text, frontmatter.SplitError):
        problems.append(Problem(source.path, text.line, "", text.message, text.code))
        return FileRecord(source.path, None, {}, 0, "", 1, problems)
    problems.extend(encoding_problems(source.path, text, 1))
    value = parse_yaml(text, model, source, 1, problems)
    return FileRecord(source.path, value, source.lines, source.offset, "", 1, problems)


def load_data(root: Path, archive: Archive, problems: list[Problem], cache: FileCache | None = None,
              tree: layout.Layout | None = None) -> None:
    """Fill the archive's registries from ``data/``."""
    tree = tree or layout.scan(root)
    for name, model in DATA_FILES.items():
        path = root / DATA_DIR / name
        if not tree.ok(f"{DATA_DIR.as_posix()}/{name}"):
            archive.sources[name] = Source(_rel(root, path))
            archive.broken.add(name)
            continue
        if not _is_file(path):
            archive.sources[name] = Source(_rel(root, path))
            problems.append(Problem(archive.sources[name].path, 1, "", f"Thiếu tệp dữ liệu `{name}`.",
                                    "data-missing"))
            archive.broken.add(name)
            continue
        stamp = tree.stamps.get(f"{DATA_DIR.as_posix()}/{name}")
        record = _cached(cache, path, model, stamp)
        if record is None:
            record = read_data_record(root, path, model)
            if cache is not None:
                cache.put(path, record.encode(), stamp, record)
        problems.extend(record.problems)
        value, source = _open(record)
        archive.sources[name] = source
        if value is None:
            archive.broken.add(name)
            continue
        _attach(archive, name, value, source, problems)


def _attach(archive: Archive, name: str, value: BaseModel, source: Source, problems: list[Problem]) -> None:
    if name == "committee.yml":
        archive.committee = value  # type: ignore[assignment]
        return
    if name == "outline.yml":
        archive.outline = list(value.parts)  # type: ignore[attr-defined]
        return
    key = name.removesuffix(".yml")
    items = getattr(value, key)
    registry = getattr(archive, key)
    for index, item in enumerate(items):
        if item.id in registry:
            problems.append(Problem(source.path, source.line(key, index, "id"), f"{key}.{index}.id",
                                    f"Mã `{item.id}` bị trùng; mỗi mục phải có mã riêng.", "duplicate-id"))
            continue
        registry[item.id] = item


class PackedLines(Mapping):
    """The lines of a file's keys as kept in the cache (a JSON list of ``[key, line]``):
    made a dict only when first asked for, which is only when a rule reports a problem in
    that file. Building thousands of small dicts of tuples was most of loading the cache."""

    def __init__(self, packed: list) -> None:
        self._packed: list | None = packed
        self._lines: dict = {}

    def _unpacked(self) -> dict:
        if self._packed is not None:
            self._lines = {tuple(key): int(line) for key, line in self._packed}
            self._packed = None
        return self._lines

    def packed(self) -> list:
        return self._packed if self._packed is not None else _pack(self._lines)

    def __getitem__(self, key: tuple) -> int:
        return self._unpacked()[key]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())


def _pack(lines: Mapping) -> list:
    return [[list(key), line] for key, line in lines.items()]


@dataclass
class FileRecord:
    """What reading one file gives, kept in the cache between runs: the validated front
    matter or data (None when invalid), the lines, the body, the problems."""

    path: str
    value: BaseModel | None
    lines: Mapping[tuple, int]
    offset: int
    body: str
    body_line: int
    problems: list[Problem]

    def encode(self) -> list:
        """Plain JSON values (see :mod:`baocao.load.cache`)."""
        lines = self.lines.packed() if isinstance(self.lines, PackedLines) else _pack(self.lines)
        value = self.value.model_dump(mode="json") if self.value is not None else None
        problems = [[p.path, p.line, p.field, p.message, p.code, p.severity.value] for p in self.problems]
        return [self.path, value, lines, self.offset, self.body, self.body_line, problems]

    @classmethod
    def decode(cls, data: list, model: type[BaseModel]) -> FileRecord:
        """The record :meth:`encode` gave; the value validated again by ``model``."""
        path, value, lines, offset, body, body_line, problems = data
        if not (isinstance(path, str) and isinstance(body, str) and isinstance(lines, list)
                and type(offset) is int and type(body_line) is int):
            raise ValueError("bad cache entry")
        return cls(path, model.model_validate(value) if value is not None else None, PackedLines(lines),
                   offset, body, body_line,
                   [Problem(str(a), int(b), str(c), str(d), str(e), Severity(f)) for a, b, c, d, e, f in problems])


def _cached(cache: FileCache | None, path: Path, model: type[BaseModel],
            stamp: list[int] | None = None) -> FileRecord | None:
    return cache.get(path, lambda data: FileRecord.decode(data, model), stamp) if cache is not None else None


def read_record(root: Path, path: Path, model: type[BaseModel]) -> FileRecord:
    """Read, split and validate one content file, and check its text."""
    problems: list[Problem] = []
    meta, source, split = read_markdown(root, path, model, problems)
    if split is not None:
        problems.extend(text_problems(source.path, split.body, split.body_line))
    return FileRecord(source.path, meta if split is not None else None,
                      source.lines, source.offset, split.body if split else "", split.body_line if split else 1,
                      problems)


def read_all(root: Path, paths: list[tuple[Path, bool]], cache: FileCache | None = None,
             stamps: dict[str, list[int]] | None = None) -> list[FileRecord]:
    """Read content files, taking unchanged ones from ``cache`` when given (``stamps``: the
    size and time the layout walk saw, taken before reading)."""
    records = []
    stamps = stamps or {}
    for path, is_report in paths:
        model = ReportMeta if is_report else SectionMeta
        stamp = stamps.get(_rel(root, path))
        record = _cached(cache, path, model, stamp)
        if record is None:
            record = read_record(root, path, model)
            if cache is not None:
                cache.put(path, record.encode(), stamp, record)
        records.append(record)
    return records


def _open(record: FileRecord) -> tuple[BaseModel | None, Source]:
    return record.value, Source(record.path, record.lines, 1, record.offset)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def load_reports(root: Path, archive: Archive, problems: list[Problem], cache: FileCache | None = None,
                 tree: layout.Layout | None = None) -> None:
    """Read every report folder under ``docs/reports`` (what the layout walk refused is
    not read: no link is followed, nothing but plain files is opened)."""
    tree = tree or layout.scan(root)
    base = root / REPORTS_DIR
    listed = tree.listing.get(REPORTS_DIR.as_posix())
    if listed is None:
        return
    folders: list[tuple[Path, Period, list[Path]]] = []
    paths: list[tuple[Path, bool]] = []
    for name in listed[0]:
        folder = base / name
        rel = f"{REPORTS_DIR.as_posix()}/{name}"
        names = tree.listing.get(rel, ([], []))[1]
        match = _FOLDER_NAME.fullmatch(name)
        period = Period.parse(match.group(1)) if match else None
        if period is None:
            year = re.match(r"([0-9]{4})-q[1-4](?:-[2-9])?$", name)
            wrong = (f"có năm {year.group(1)} ngoài khoảng {periods.FIRST_YEAR}–{periods.LAST_YEAR}" if year
                     else "sai dạng kỳ báo cáo")
            problems.append(Problem(rel, 1, "", f"Tên thư mục `{folder.name}` {wrong}; "
                                    "hãy đặt tên NĂM-q<quý>, ví dụ `2025-q3` (báo cáo thay thế: `2025-q3-2`).",
                                    "folder-name"))
            continue
        index = folder / "index.md"
        if "index.md" not in names:
            if f"{rel}/index.md" in tree.refused:
                continue  # refused by the layout walk, already reported
            problems.append(Problem(rel, 1, "", "Thư mục báo cáo thiếu tệp `index.md` (thông tin chung "
                                    "của báo cáo); hãy tạo bằng `baocao new-quarter`.", "report-index-missing"))
            continue
        sections = [folder / n for n in names if n != "index.md" and n.endswith(".md")]
        folders.append((folder, period, sections))
        paths.append((index, True))
        paths.extend((path, False) for path in sections if _SECTION_NAME.fullmatch(path.name))
    records = iter(read_all(root, paths, cache, tree.stamps))
    for folder, period, sections in folders:
        record = next(records)
        problems.extend(record.problems)
        readable = [path for path in sections if _SECTION_NAME.fullmatch(path.name)]
        section_records = [next(records) for _ in readable]
        meta, source = _open(record)
        if meta is None:
            # The report's own file is broken: its sections' problems are reported all the same.
            for section_record in section_records:
                problems.extend(section_record.problems)
            continue
        if meta.period != period.key:
            problems.append(Problem(source.path, source.line("period"), "period",
                                    f"Kỳ `{meta.period}` không khớp tên thư mục `{folder.name}`; "
                                    f"hãy viết `{period.key}`.", "period-folder"))
        report = Report(source, period, meta, record.body, record.body_line,
                        folder_name="" if folder.name == period.slug else folder.name)
        if report.folder_name and not meta.replaces:
            problems.append(Problem(source.path, source.line("period"), "replaces",
                                    f"Thư mục `{folder.name}` dành cho báo cáo thay thế: hãy thêm `replaces:` "
                                    "(số ký hiệu của báo cáo được thay thế), hoặc đặt báo cáo vào thư mục "
                                    f"`{period.slug}`.", "replaces-missing"))
        for path in sections:
            if not _SECTION_NAME.fullmatch(path.name):
                report.unreadable.append(_rel(root, path))
                problems.append(Problem(_rel(root, path), 1, "", f"Tên tệp `{path.name}` chỉ được gồm chữ "
                                        "thường không dấu, chữ số và dấu gạch ngang, ví dụ `cong-an.md`.",
                                        "file-name"))
        for path, section_record in zip(readable, section_records, strict=True):
            problems.extend(_implied_part(archive, period, path.name, section_record.problems))
            section_meta, section_source = _open(section_record)
            if section_meta is None:
                report.unreadable.append(section_source.path)
                continue
            report.sections.append(Section(section_source, path.stem, section_meta,
                                           section_record.body, section_record.body_line))
        archive.reports.append(report)
    archive.reports.sort(key=lambda r: r.period)


def _implied_part(archive: Archive, period: Period, name: str, problems: list[Problem]) -> list[Problem]:
    """``problems`` of a section file, a missing ``part`` saying which one its name implies."""
    out = []
    for problem in problems:
        if problem.code == "required" and problem.field == "part" and archive.outline:
            slot = archive.slot_for_file(period, name.removesuffix(".md"))
            if slot is not None:
                category = f" và `category: {slot.category.id}`" if slot.category is not None else ""
                problem = dataclasses.replace(problem, message=(
                    f"Thiếu trường bắt buộc `part`; theo tên tệp `{name}` đây là phần {slot.full_number} "
                    f"{slot_title(slot, period)}: hãy thêm dòng `part: {slot.part.id}`{category}."))
        out.append(problem)
    return out


def load_archive(root: Path, cache: FileCache | None = None) -> tuple[Archive, list[Problem]]:
    """Everything under ``root`` that could be read, and every problem met."""
    archive = Archive()
    tree = layout.scan(root)
    problems: list[Problem] = list(tree.problems)
    load_data(root, archive, problems, cache, tree)
    problems.extend(schemafiles.check(root, tree, cache))
    load_reports(root, archive, problems, cache, tree)
    return archive, problems
