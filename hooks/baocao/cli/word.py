"""Word files: ``docx`` (the official Word file of a report) and ``import`` (a past Word
report as a draft quarter)."""

from __future__ import annotations

import sys
from pathlib import Path

from baocao.cli.common import command, period, report_file


def add_docx(sub) -> None:
    word = command(sub, "docx", export_docx, help="xuất báo cáo một kỳ ra tệp Word (.docx) đúng thể thức")
    word.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    word.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bao-cao-<kỳ>.docx)")


def add_import(sub) -> None:
    imp = command(sub, "import", import_word,
                  help="nhập một báo cáo cũ từ tệp Word (.docx hoặc .doc) thành dự thảo")
    imp.add_argument("file", metavar="TỆP", help="tệp Word của báo cáo, ví dụ bao-cao-quy-2.docx")
    imp.add_argument("--period", metavar="KỲ", required=True, help="kỳ của báo cáo, ví dụ 2025-Q2")


def export_docx(root: Path, args) -> int:
    from baocao.export import docx

    return report_file(root, args.period, args.output, "xuất tệp Word", docx.docx_name, docx.write)


def import_word(root: Path, args) -> int:
    from baocao.contribute import word_import

    quarter = period(args.period)
    if quarter is None:
        return 2
    try:
        outcome = word_import.import_file(root, Path(args.file), quarter)
    except word_import.ImportFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    header = outcome.header
    found = [f"số {header['number']}" if header.get("number") else "",
             header.get("place", ""),
             f"ngày {header['issued_on'].day}/{header['issued_on'].month}/{header['issued_on'].year}"
             if header.get("issued_on") else ""]
    if outcome.subject:
        print(f"Tiêu đề văn bản: {outcome.subject}")
    if any(found):
        print("Số, nơi và ngày ban hành: " + ", ".join(part for part in found if part) + ".")
    for path in outcome.written:
        print(f"Đã tạo {path.relative_to(root).as_posix()}")
    for line in outcome.warnings:
        print(f"Cảnh báo: {line}", file=sys.stderr)
    print(f"Đã nhập báo cáo {quarter.label} thành dự thảo: {len(outcome.written)} tệp. "
          f"Hãy đọc lại từng phần rồi chạy `baocao check`.")
    return 0
