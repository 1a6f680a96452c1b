"""``baocao issue``: the report becomes the issued document, and is sealed.

:func:`issue` refuses unless the check is clean (no error, no warning) and, once
``status: issued``, the number and the date are written, the check is still clean: every
section there, approved and written, a signer. It then makes the official PDF (with its
empty signature fields) and the Word file, keeps them in the report's folder, and writes
the manifest (:mod:`baocao.seal.manifest`) last. Anything that fails on the way puts every file back
as it was. A report is never issued twice: once it has a manifest, only errata and a
replacement report remain.

A report issued before the seal existed (``status: issued``, no manifest: the shipped
seed report) is sealed as it stands with ``seal_existing``: number and date untouched.

:func:`set_front_matter` edits the keys by their lines, so comments and the rest of the
file stay as they were written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from baocao.check import run_check
from baocao.check.rules import issue_blockers
from baocao.compile.sitemap import download_name
from baocao.load import sealfiles
from baocao.model import Archive, Report
from baocao.periods import Period
from baocao.problems import Problem
from baocao.seal.manifest import dump, make, state


class IssueError(Exception):
    """The report cannot be issued; the message is Vietnamese. ``problems``: the check's."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Outcome:
    report: Report
    manifest: Path
    #: (repository-relative path, SHA-256) of every file sealed.
    sealed: list[tuple[str, str]]
    pdf: str
    docx: str


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def official_number(text: str, code: str) -> str | None:
    """``45`` (or ``45-BC/ĐU``) -> ``45-BC/ĐU``; numbers below 10 written ``05``, as Party
    documents number them. None when ``text`` is not a number (or names another code)."""
    match = re.fullmatch(r"0*([0-9]{1,4})(?:-BC/(\S+))?", text.strip())  # ASCII digits: ٤٥ is not read as 45
    if not match or int(match.group(1)) == 0 or (match.group(2) and match.group(2) != code):
        return None
    return f"{int(match.group(1)):02d}-BC/{code}"


_KEY = re.compile(r"^([A-Za-z_]+)\s*:")


def set_front_matter(text: str, values: dict[str, str]) -> str:
    """``text`` with top-level front matter keys set to ``values`` (already YAML), each on
    its own line; a key not there is added after ``status:`` (and ``number:``). Line ends stay
    as they were."""
    if "\r\n" in text:
        return set_front_matter(text.replace("\r\n", "\n"), values).replace("\n", "\r\n")
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---" or end is None:
        raise IssueError("Tệp index.md không có phần thông tin đầu tệp (giữa hai dòng ---).")
    todo = dict(values)
    index = 1
    while index < end:
        match = _KEY.match(lines[index])
        key = match.group(1) if match else None
        if key in todo:
            lines[index] = f"{key}: {todo.pop(key)}"
            # a value continued on the lines below (a list, a folded text) goes with it
            while index + 1 < end and (lines[index + 1].startswith((" ", "\t", "-")) and lines[index + 1].strip()):
                del lines[index + 1]
                end -= 1
        index += 1
    if todo:
        # after the keys that come before them in the schema's order
        before = [i for i in range(1, end) if (_KEY.match(lines[i]) or [None, None])[1] in ("status", "title",
                                                                                           "number")]
        at = before[-1] if before else end - 1
        lines[at + 1:at + 1] = [f"{key}: {value}" for key, value in todo.items()]
    return "\n".join(lines)


def _clean(root: Path, doing: str) -> Archive:
    result = run_check(root)
    if result.problems:
        raise IssueError(f"Kiểm tra chưa sạch: hãy sửa hết các lỗi và cảnh báo trên trước khi {doing}.",
                         result.problems)
    return result.archive


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".baocao-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _outputs(root: Path, archive: Archive, report: Report) -> dict[str, bytes]:
    """The official PDF (empty signature fields) and Word file of ``report``, as bytes."""
    from baocao.export import docx
    from baocao.export.pdf import PdfError
    from baocao.seal.fields import printed

    try:
        pdf = printed(root, archive, report, signature_fields=True)
    except PdfError as exc:
        raise IssueError(f"Không in được bản PDF: {exc}") from exc
    return {download_name(report, "pdf"): pdf,
            download_name(report, "docx"): docx.to_bytes(archive, report)}


def issue(root: Path, period: Period, number: str | None, day: dt.date | None, *,
          seal_existing: bool = False, on: dt.date | None = None) -> Outcome:
    """Issue (or, with ``seal_existing``, seal as it stands) the report of ``period``."""
    on = on or today()
    archive = _clean(root, "ban hành")
    report = archive.report(period)
    if report is None:
        raise IssueError(f"Chưa có báo cáo {period.label}.")
    seal = state(report)
    if seal.sealed:
        raise IssueError(f"Báo cáo {period.label} đã ban hành (số {report.meta.number or 'không ghi'}) và niêm phong "
                         f"ngày {seal.manifest.sealed_on:%d/%m/%Y}: không ban hành lại. Sửa câu chữ: ghi đính chính "
                         f"vào {sealfiles.ERRATA}; sửa số liệu, nội dung: làm báo cáo thay thế.")
    index = root / report.source.path
    original = index.read_bytes()
    if seal_existing:
        if report.meta.status != "issued":
            raise IssueError(f"Báo cáo {period.label} chưa ban hành (status: draft): hãy dùng "
                             f"`baocao issue {period.key} --number N --date YYYY-MM-DD`.")
    else:
        if report.meta.status == "issued":
            raise IssueError(f"Báo cáo {period.label} đã ban hành (status: issued) trước khi có niêm phong: không "
                             f"ban hành lại. Để niêm phong nguyên trạng, chạy `baocao issue {period.key} "
                             "--seal-existing`.")
        blockers = issue_blockers(report)
        if blockers:
            raise IssueError(f"Chưa ban hành được báo cáo {period.label}: các tệp sau chưa đủ (xem các dòng trên): "
                             f"{_listed(blockers)}. Để ban hành, mọi phần phải được duyệt (`status: approved`) và có "
                             "nội dung, và báo cáo phải có người ký. Không ghi gì.", blockers)
        code = archive.committee.code if archive.committee else "ĐU"
        written = official_number(number or "", code)
        if written is None:
            raise IssueError(f"Số `{number}` sai dạng: hãy viết số thứ tự, ví dụ `--number 45` (thành 45-BC/{code}).")
        if day is None or day > on:
            raise IssueError("Ngày ban hành phải là một ngày đến hôm nay, dạng YYYY-MM-DD, ví dụ --date "
                             f"{on:%Y-%m-%d}.")
        text = original.decode("utf-8")
        _write(index, set_front_matter(text, {"status": "issued", "number": written,
                                              "issued_on": day.isoformat()}).encode("utf-8"))
    folder = root / "docs" / report.folder
    placed: list[Path] = []
    try:
        if not seal_existing:
            result = run_check(root)
            if result.problems:
                raise IssueError(f"Báo cáo {period.label} chưa đủ để ban hành (các lỗi trên); không ghi gì.",
                                 result.problems)
            archive = result.archive
            report = archive.report(period)
        outputs = _outputs(root, archive, report)
        files = {name: (folder / name).read_bytes() for name in _sources(report)}
        for name, data in outputs.items():
            _write(folder / name, data)
            placed.append(folder / name)
        files.update(outputs)
        manifest = make(report, archive, files, on)
        path = folder / sealfiles.MANIFEST
        _write(path, dump(manifest, period.label).encode("utf-8"))
        placed.append(path)
        after = run_check(root)
        if after.problems:
            raise IssueError("Sau khi ghi, kiểm tra không sạch (các lỗi trên); đã trả lại như cũ.", after.problems)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        _write(index, original)
        raise
    sealed = [(f"docs/{report.folder}/{f.name}", f.sha256) for f in manifest.files]
    pdf, docx = (download_name(report, kind) for kind in ("pdf", "docx"))
    return Outcome(report, path, sealed, pdf, docx)


def _listed(blockers: list[Problem]) -> str:
    """The files named by ``blockers``, each once: ``docs/…/a.md, docs/…/b.md``."""
    return ", ".join(dict.fromkeys(p.path for p in blockers))


def _sources(report: Report) -> list[str]:
    return ["index.md", *(s.source.path.rsplit("/", 1)[-1] for s in report.sections)]
