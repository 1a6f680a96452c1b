"""A past report in Word (.docx, .doc) imported as a draft quarter.

``baocao import bao-cao.docx --period 2025-Q2`` reads the file with python-docx and writes
``docs/reports/2025-q2/``: ``index.md`` (header fields, subject, opening, Nơi nhận,
signer) and one draft section per leaf of the outline, their text word for word as
Markdown (paragraphs, "- " lists, bold, italic, tables). :func:`import_file` runs the
steps, one module each:

- :mod:`.opening`: the file opened safely: a ``.doc`` converted by LibreOffice with no
  network; a zip bomb, a password-protected or corrupt file, one that is not Word, one
  too long refused before python-docx reads it;
- :mod:`.reading`: the OOXML read into :class:`~.lines.Line` s (text and Markdown), runs in
  the old TCVN3 and VNI fonts converted to Unicode by their font name, a sentence cut by
  a page break joined;
- :mod:`.outline`: headings recognised by their numbering (A., I., I-, 1., 2.1. …) when
  they are a Word heading, bold or in capitals, and matched to the outline slots by
  number and by title folded without diacritics;
- :mod:`.parsing`: every line put in its place (header, subject, opening, sections, Nơi
  nhận, signer); nothing is dropped: text that has no slot is written at the end of
  ``index.md`` under a heading-like line that says so, and listed in a warning;
- :mod:`.writing`: the files, prepared first and written into a new folder in one rename:
  an existing quarter is never touched, and a failure leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from baocao.contribute.word_import.opening import ImportFailed, open_document
from baocao.contribute.word_import.parsing import parse
from baocao.contribute.word_import.reading import images, read_document
from baocao.contribute.word_import.writing import plan, write_folder
from baocao.periods import Period

__all__ = ["ImportFailed", "Outcome", "import_file"]


@dataclass
class Outcome:
    folder: Path
    written: list[Path]
    warnings: list[str]
    header: dict = field(default_factory=dict)
    #: the subject (trích yếu) read under BÁO CÁO, if any.
    subject: str | None = None


def import_file(root: Path, path: Path, period: Period) -> Outcome:
    """Import ``path`` as the draft of ``period`` under ``root``; ImportFailed on bad input
    (then nothing is written)."""
    from baocao.check import run_check

    folder = root / "docs" / "reports" / period.slug
    if folder.exists():
        raise ImportFailed(f"Đã có thư mục {folder.relative_to(root).as_posix()} của báo cáo {period.label}: "
                           "không ghi đè. Hãy chọn kỳ khác hoặc xóa thư mục đó trước.")
    document = open_document(path)
    lines, removed = read_document(document)
    if not any(line.text.strip() for line in lines):
        raise ImportFailed(f"{path.name}: văn bản trống, không có chữ nào để nhập.")
    archive = run_check(root).archive
    if archive.report(period) is not None:
        raise ImportFailed(f"Đã có báo cáo {period.label}: không ghi đè.")
    parsed = parse(lines, archive, period)
    files, warnings = plan(parsed, archive, period, path.name)
    if removed:
        warnings.append(f"Bản Word có {removed} ký tự ẩn không được phép (ký tự điều khiển, ký tự đảo chiều chữ, "
                        "ký tự vô hình giữa từ): đã bỏ khi nhập.")
    pictures = images(document)
    if pictures:
        warnings.append(f"Bản Word có {pictures} hình ảnh: hình ảnh không được nhập, hãy thêm lại nếu cần.")
    stated = Period.named_in(parsed.subject or "")
    if stated is not None and stated != period:
        warnings.append(f"Trích yếu ghi {stated.label}, khác kỳ {period.label} đã chọn (--period {period.key}); "
                        "hãy kiểm tra lại.")
    try:
        written = write_folder(folder, files)
    except FileExistsError as exc:
        raise ImportFailed(f"Đã có thư mục {folder.relative_to(root).as_posix()}: không ghi đè.") from exc
    return Outcome(folder, written, warnings, parsed.header, parsed.subject)

