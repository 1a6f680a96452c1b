"""The seal: an issued report's files stay as they were at issue, or say why not.

For each report with a manifest (``ban-hanh.yml``, :mod:`baocao.seal.manifest`):

- every Markdown file it covers must have the digest it had at issue, once the wording
  corrections of ``dinh-chinh.yml`` are undone (:mod:`baocao.seal.errata`); otherwise
  ``issued-changed`` at the first changed line, saying what to do (put it back, record a
  đính chính, or make a replacement report);
- no Markdown file may be added to or removed from the folder; the PDF and Word files
  made at issue must be there, unchanged;
- the registry entries the document quotes (committee, outline, categories, documents
  cited) must be as they were (``issued-changed`` at the entry's line in ``data/``);
- a correction may change wording only: not a line of the front matter
  (``erratum-not-wording``), not a number (``erratum-changes-figure``: figures need a
  replacement report), and its new wording must be found (``erratum-unused``).

A PDF or Word file in a report folder that no manifest covers is refused
(``issued-file-unsealed``): only ``baocao issue`` puts them there. One a manifest covers
must have no active content (``issued-file-active``): a pull request can add a manifest of
its own for a file of its own, and the site publishes these files.

**Git is the second witness.** When the repository is a Git working tree, each manifest
must be byte for byte the one of the commit checked out (``HEAD``), and the errata there
must still be listed, unchanged, first (entries are only added). In CI the checked-out
commit is the base branch and the pull request's ``docs/`` is laid over it
(``baocao pr-content``): a pull request cannot rewrite a manifest or an erratum to cover
its change.

An issued report without a manifest (issued before the seal existed, like the shipped
seed report) is not sealed: nothing here applies to it until ``baocao issue PERIOD
--seal-existing`` writes one.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from baocao.load import layout, sealfiles
from baocao.load.frontmatter import MAX_FILE_BYTES, SplitError, decode, split
from baocao.load.yamlsafe import load_yaml
from baocao.model import Archive, Report
from baocao.problems import Problem, Severity
from baocao.schemas import Errata
from baocao.seal import errata as corrections
from baocao.seal import wordfile
from baocao.seal.fields import active_content
from baocao.seal.manifest import line_digest, quoted_entries, sha256, state

#: Corrections a report's errata may hold in all (bounds the work of undoing them).
MAX_CORRECTIONS = 500
_TODO = ("Hãy trả lại đúng như bản ban hành. Nếu là lỗi câu chữ, hãy ghi đính chính vào {errata} (ngày, số "
         "công văn đính chính, câu chữ đã viết và câu chữ đúng, lý do); nếu phải sửa số liệu hoặc nội dung, "
         "hãy làm báo cáo thay thế (thư mục {replacement}, có `replaces: {number}`).")


def _issued(report: Report) -> str:
    number = report.meta.number
    return f"Báo cáo {report.period.label}" + (f" số {number}" if number else "") + " đã ban hành và niêm phong"


def _todo(report: Report) -> str:
    folder = f"docs/{report.folder}"
    return _TODO.format(errata=f"{folder}/{sealfiles.ERRATA}", replacement=f"docs/reports/{report.period.slug}-2",
                        number=report.meta.number or "<số ký hiệu>")


# --- what other rules may ask of a sealed report --------------------------------------------

#: Said instead of a request to change a sealed report's file.
_SEALED = ("Báo cáo {label} đã ban hành và niêm phong nên không sửa tệp này; nếu số đã ban hành sai, phải "
           "ban hành báo cáo thay thế.")
#: The request to change the file at the end of a rule's message ("Hãy sửa số cho khớp.").
_ASKS = re.compile(r"[;,.]?\s*(?:[Hh]ãy|Nếu)\s.*\Z", re.S)


def sealed(report: Report) -> bool:
    return state(report).sealed


def judged_at(later: Report, earlier: Report) -> Report | None:
    """Where a rule comparing two consecutive quarters reports a disagreement: at the later
    report, unless the seal forbids changing it; then at the earlier one (a draft, a past
    report imported, a replacement), unless it is sealed too: None, and the later report
    gets :func:`sealed_note` (no change but a replacement report can settle it)."""
    if not sealed(later):
        return later
    return earlier if not sealed(earlier) else None


def sealed_note(problem: Problem, report: Report) -> Problem:
    """What a rule says of a sealed report's figures, as a note that asks for no change the
    seal refuses: its request to change the file is replaced by the only lawful way."""
    said = _ASKS.sub("", problem.message).rstrip(" .;,")
    return dataclasses.replace(problem, severity=Severity.NOTE, advisory=False,
                               message=f"{said}. {_SEALED.format(label=report.period.label)}")


def check_seal(archive: Archive, root: Path) -> Iterator[Problem]:
    """Every problem of the seal, for every report (current and replaced)."""
    root = Path(root)
    reports = [*archive.reports, *archive.replaced]
    committed = _committed(root)
    for report in reports:
        seal = state(report)
        folder = f"docs/{report.folder}"
        if seal.manifest is None:
            for name in seal.extra_files:
                yield Problem(f"{folder}/{name}", 1, "", "Tệp PDF/Word trong thư mục báo cáo chỉ do lệnh `baocao "
                              "issue` ghi khi ban hành (cùng tệp ban-hanh.yml); hãy xóa tệp này.",
                              "issued-file-unsealed")
            if seal.errata and seal.errata_source is not None:
                yield Problem(seal.errata_source.path, 1, "", "Chỉ đính chính được báo cáo đã ban hành và niêm "
                              f"phong (có tệp {sealfiles.MANIFEST}); hãy sửa thẳng vào báo cáo rồi xóa tệp này.",
                              "erratum-not-issued")
            continue
        # A manifest as committed was checked with its files when it was committed (CI checks
        # every pull request): the kept PDF and Word files need no new scan, which is most of
        # the seal's time in a large archive.
        rel = f"{folder}/{sealfiles.MANIFEST}"
        vetted = committed is not None and rel in committed and committed[rel] == _read(root, rel)
        yield from _manifest_head(report)
        yield from _files(root, report, scan=not vetted)
        yield from _entries(archive, report)
    yield from _git_witness(root, committed)
    yield from _issued_by_hand(root, [r for r in reports if r.meta.status == "issued" and state(r).manifest is None])


def _issued_by_hand(root: Path, unsealed: list[Report]) -> Iterator[Problem]:
    """An issued report without a manifest that the commit checked out (``HEAD``) has as a
    draft: someone wrote ``status: issued`` by hand, so it was never numbered, checked and
    sealed by ``baocao issue``. Refused: issuing is the command's act. A report issued at
    ``HEAD`` already (issued before the seal existed, as the seed), or new in this change (a
    past report imported from Word), is not judged here."""
    if not unsealed or not os.path.exists(root / ".git"):
        return
    then = _at_head(root, [f"docs/{report.folder}/index.md" for report in unsealed])
    for report in unsealed:
        data = then.get(f"docs/{report.folder}/index.md")
        if data is None or _status_of(data) != "draft":
            continue
        src = report.source
        yield Problem(src.path, src.line("status"), "status",
                      f"Báo cáo {report.period.label} là dự thảo trong lần gửi đang dùng (Git) và được đổi sang "
                      "`status: issued` bằng tay, nên không được vào số, kiểm tra và niêm phong. Hãy trả lại "
                      f"`status: draft` rồi ban hành bằng lệnh `baocao issue {report.period.key} --number <số> "
                      "--date <NĂM-THÁNG-NGÀY>` (lệnh ghi số, ngày và tệp ban-hanh.yml).", "issued-by-hand")


def _status_of(data: bytes) -> str | None:
    """The ``status`` a report's ``index.md`` (bytes, as committed) gives, when it can be read."""
    text = decode(data)
    parts = split(text) if isinstance(text, str) else text
    if isinstance(parts, SplitError):
        return None
    value = load_yaml(parts.yaml_text).value
    return value.get("status") if isinstance(value, dict) else None


def report_problems(problems: list[Problem], report: Report) -> list[Problem]:
    """The seal's problems (``issued-…``, ``erratum-…``) of ``report``'s folder and of ``data/``."""
    return [p for p in problems if p.code.startswith(("issued-", "erratum-"))
            and (p.path.startswith(f"docs/{report.folder}/") or p.path.startswith("data/"))]


def _manifest_head(report: Report) -> Iterator[Problem]:
    seal = state(report)
    manifest, src = seal.manifest, seal.manifest_source
    if manifest.period != report.period.key:
        yield Problem(src.path, src.line("period"), "period", f"Tệp ban hành ghi kỳ `{manifest.period}`, "
                      f"không phải {report.period.key}: tệp này không thuộc báo cáo này; hãy lấy lại tệp đúng.",
                      "issued-manifest-changed")
    if report.meta.status != "issued":
        src = report.source
        yield Problem(src.path, src.line("status"), "status", f"{_issued(report)} ({sealfiles.MANIFEST}): "
                      "không thể trở lại dự thảo; hãy viết `status: issued`.", "issued-changed")


def _read(root: Path, rel: str) -> bytes | None:
    try:
        return layout.read_file(root / rel, MAX_FILE_BYTES * 4)
    except layout.ReadRefused:
        return None


def _files(root: Path, report: Report, scan: bool = True) -> Iterator[Problem]:
    seal = state(report)
    manifest = seal.manifest
    folder = f"docs/{report.folder}"
    errata_src = seal.errata_source
    by_file: dict[str, list] = {}
    if sum(len(entry.corrections) for entry in seal.errata) > MAX_CORRECTIONS:
        yield Problem(errata_src.path, 1, "", f"Quá nhiều chỗ đính chính (tối đa {MAX_CORRECTIONS}); báo cáo sai nhiều "
                      "như vậy cần ban hành báo cáo thay thế.", "erratum-too-many")
        return
    for i, entry in enumerate(seal.errata):
        for j, fix in enumerate(entry.corrections):
            by_file.setdefault(fix.file, []).append(((i, j), fix))
    covered = {f.name for f in manifest.files}
    body_lines = {"index.md": report.body_line, **{f"{s.slug}.md": s.body_line for s in report.sections}}
    present = {s.source.path.rsplit("/", 1)[-1] for s in report.sections} | {"index.md"}
    present.update(p.rsplit("/", 1)[-1] for p in report.unreadable)
    for name in sorted(present - covered):
        yield Problem(f"{folder}/{name}", 1, "", f"{_issued(report)}: không được thêm phần mới. Hãy xóa tệp này; "
                      "nếu báo cáo thiếu nội dung, phải làm báo cáo thay thế.", "issued-changed")
    for name in sorted(n for n in seal.extra_files if n not in covered):
        yield Problem(f"{folder}/{name}", 1, "", f"{_issued(report)}: tệp này không phải tệp được ghi khi ban hành; "
                      "hãy xóa.", "issued-file-unsealed")
    used: set[tuple[int, int]] = set()
    for sealed in manifest.files:
        rel = f"{folder}/{sealed.name}"
        data = _read(root, rel)
        if data is None:
            yield Problem(rel, 1, "", f"{_issued(report)}: tệp này của bản ban hành đã bị xóa hoặc không đọc "
                          f"được. Hãy khôi phục tệp (`git checkout -- {rel}`).", "issued-changed")
            continue
        if scan and not sealed.name.endswith(".md"):
            found = (active_content if sealed.name.endswith(".pdf") else wordfile.active_content)(data)
            if found:
                yield Problem(rel, 1, "", f"Tệp này có nội dung tự chạy hoặc nhúng ({', '.join(found)}): không phải "
                              "tệp do baocao làm khi ban hành, nên không được đăng. Hãy xóa tệp này cùng tệp "
                              f"{sealfiles.MANIFEST} rồi ban hành lại bằng `baocao issue`.", "issued-file-active")
                continue
        if sha256(data) == sealed.sha256 and sealed.name not in by_file:
            continue
        if not sealed.name.endswith(".md"):
            yield Problem(rel, 1, "", f"{_issued(report)}: tệp {sealed.name} khác tệp được ghi khi ban hành. "
                          f"Hãy khôi phục tệp (`git checkout -- {rel}`).", "issued-changed")
            continue
        lines = data.split(b"\n")
        fixes = by_file.get(sealed.name, [])
        if len(lines) != len(sealed.lines):
            first = _first_difference([line_digest(x) for x in lines], sealed.lines)
            yield Problem(rel, first, "", f"{_issued(report)}: từ dòng {first}, tệp đã thêm hoặc bớt dòng so với "
                          f"bản ban hành. {_todo(report)}", "issued-changed")
            continue
        front = body_lines.get(sealed.name, 1) - 1
        for number, (line, digest) in enumerate(zip(lines, sealed.lines, strict=True), start=1):
            if line_digest(line) == digest:
                continue
            restored, applied = corrections.restore(line, [(k, fix) for k, (_, fix) in enumerate(fixes)])
            if line_digest(restored) != digest:
                yield Problem(rel, number, "", f"{_issued(report)}: dòng {number} khác bản ban hành"
                              + (" (kể cả khi bỏ các đính chính đã ghi)" if fixes else "") + f". {_todo(report)}",
                              "issued-changed")
                continue
            for k in applied:
                used.add(fixes[k][0])
                if number <= front:
                    (i, j) = fixes[k][0]
                    yield Problem(errata_src.path, errata_src.line("errata", i, "corrections", j), "",
                                  f"Đính chính chỉ sửa câu chữ trong nội dung; dòng {number} của {sealed.name} "
                                  "thuộc phần thông tin (số, ngày, người ký, số liệu...). Thay đổi này cần báo cáo "
                                  "thay thế, không đính chính được.", "erratum-not-wording")
    for i, entry in enumerate(seal.errata):
        for j, fix in enumerate(entry.corrections):
            where = errata_src.line("errata", i, "corrections", j)
            if fix.file not in covered or not fix.file.endswith(".md"):
                yield Problem(errata_src.path, where, f"errata.{i}.corrections.{j}.file",
                              f"Báo cáo không có tệp `{fix.file}`; hãy ghi tên tệp của phần được đính chính, ví dụ "
                              "chi-bo-nong-thon.md.", "erratum-unused")
            elif corrections.changes_figures(fix):
                yield Problem(errata_src.path, where, f"errata.{i}.corrections.{j}",
                              f"Đính chính này sửa số liệu (`{fix.old}` thành `{fix.new}`): theo Nghị định 30/2020 "
                              "(Điều 16), sửa nội dung phải ban hành báo cáo thay thế, không đính chính được. Hãy "
                              f"làm báo cáo thay thế có `replaces: {report.meta.number or '<số ký hiệu>'}`.",
                              "erratum-changes-figure")
            elif (i, j) not in used:
                yield Problem(errata_src.path, where, f"errata.{i}.corrections.{j}.new",
                              f"Không thấy câu chữ đúng `{fix.new}` ở dòng đã sửa nào của {fix.file}; hãy trích "
                              "nguyên văn câu chữ đã sửa trong tệp.", "erratum-unused")


def _first_difference(now: list[str], then: list[str]) -> int:
    """1-based line of ``now`` where it first differs from ``then``."""
    for tag, i1, _i2, _j1, _j2 in difflib.SequenceMatcher(None, now, then, autojunk=False).get_opcodes():
        if tag != "equal":
            return min(i1, len(now) - 1) + 1 if now else 1
    return len(now)


def _entries(archive: Archive, report: Report) -> Iterator[Problem]:
    seal = state(report)
    now = {(q.file, q.id): q for q in quoted_entries(archive, report)}
    for entry in seal.manifest.entries:
        if entry.file in archive.broken:
            continue  # its own errors are reported
        source = archive.sources.get(entry.file)
        path = source.path if source else f"data/{entry.file}"
        quoted = now.get((entry.file, entry.id))
        if quoted is not None and quoted.sha256 == entry.sha256:
            continue
        line = source.line(*quoted.keys) if (source and quoted) else 1
        yield Problem(path, line, "", f"Mục `{entry.id}` được trích trong bản ban hành của báo cáo "
                      f"{report.period.label} ({sealfiles.MANIFEST}), nhưng đã bị sửa hoặc xóa. Hãy trả lại như khi ban hành; nếu "
                      "cần thông tin mới cho các kỳ sau, hãy báo văn phòng (báo cáo đã ban hành không được đổi).",
                      "issued-changed")


# --- Git, the second witness -------------------------------------------------------------


def _committed(root: Path) -> dict[str, bytes] | None:
    """The bytes at ``HEAD`` of the seal files (manifests and errata) under ``docs/reports``,
    or None when ``root`` is not a Git working tree (or Git is missing)."""
    if not os.path.exists(root / ".git"):
        return None
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "--name-only", "-z", "HEAD", "--",
                                 "docs/reports"], capture_output=True, timeout=30, env=env)
        if listed.returncode != 0:
            return None
        paths = [p for p in listed.stdout.decode("utf-8", "replace").split("\0")
                 if p.rsplit("/", 1)[-1] in (sealfiles.MANIFEST, sealfiles.ERRATA)]
    except (OSError, subprocess.SubprocessError):
        return None
    return _at_head(root, paths)


def _at_head(root: Path, paths: list[str]) -> dict[str, bytes]:
    """The bytes at ``HEAD`` of those of ``paths`` it has (one ``git cat-file`` for all)."""
    if not paths:
        return {}
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        batch = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], capture_output=True, timeout=30,
                               input="".join(f"HEAD:{p}\n" for p in paths).encode("utf-8"), env=env)
    except (OSError, subprocess.SubprocessError):
        return {}
    out: dict[str, bytes] = {}
    data, pos = batch.stdout, 0
    for path in paths:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[path] = data[pos:pos + size]
            pos += size + 1
    return out


def _errata_of(data: bytes) -> list | None:
    try:
        result = load_yaml(data.decode("utf-8-sig"))
        return list(Errata.model_validate(result.value).errata) if not result.errors else None
    except (UnicodeDecodeError, ValidationError, ValueError, TypeError):
        return None


def _git_witness(root: Path, committed: dict[str, bytes] | None) -> Iterator[Problem]:
    if not committed:
        return
    for rel, then in sorted(committed.items()):
        now = _read(root, rel)
        name = rel.rsplit("/", 1)[-1]
        if name == sealfiles.MANIFEST:
            if now != then:
                yield Problem(rel, 1, "", "Tệp ban hành (niêm phong) đã bị sửa hoặc xóa so với bản đã lưu trong Git "
                              "(lần gửi đang dùng). Tệp này chỉ do `baocao issue` ghi một lần và không bao giờ sửa; "
                              f"hãy khôi phục (`git checkout HEAD -- {rel}`).", "issued-manifest-changed")
            continue
        before = _errata_of(then)
        if before is None:
            continue
        after = _errata_of(now) if now is not None else []
        if after is None or after[:len(before)] != before:
            yield Problem(rel, 1, "", "Đính chính đã ghi (đã lưu trong Git) không được sửa hay xóa: mỗi công văn "
                          "đính chính là một mục mới thêm vào cuối tệp. Hãy khôi phục các mục cũ "
                          f"(`git checkout HEAD -- {rel}`) rồi thêm mục mới.", "erratum-changed")
