"""The archive's content: ``check`` (and ``--fix``), ``schema``, ``new-quarter``, ``status``,
``codeowners``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from baocao.check import run_check
from baocao.cli.common import clean_check, command, output, period, period_and_check
from baocao.load import schemafiles
from baocao.problems import errors, render, summary, within


def add_check(sub) -> None:
    check = command(sub, "check", check_content, help="kiểm tra toàn bộ nội dung và dữ liệu")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", metavar="DẠNG",
                       help="dạng kết quả: text (mặc định), github (chú thích CI), json")
    check.add_argument("--fix", action="store_true", help="sửa tự động: chữ không ở dạng Unicode NFC, chữ lỗi mã, "
                       "chữ TCVN3/VNI, tệp UTF-16, ký tự vô hình giữa từ")
    check.add_argument("--no-cache", action="store_true", help="đọc lại mọi tệp, không dùng bộ nhớ đệm")


def add_schema(sub) -> None:
    command(sub, "schema", write_schemas, help="ghi JSON Schema của các tệp vào data/schemas/")


def add_new_quarter(sub) -> None:
    new = command(sub, "new-quarter", new_quarter, help="tạo các tệp của báo cáo quý mới (dự thảo); kỳ đã có: chỉ "
                                                       "tạo các tệp còn thiếu, không ghi đè")
    new.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q4")
    new.add_argument("--due", metavar="NGÀY", help="hạn gửi báo cáo lên cấp trên, ví dụ 2025-12-15")
    new.add_argument("--sections-due", metavar="NGÀY", help="hạn các tổ chức đảng nộp phần của mình, ví dụ 2025-12-10")


def add_status(sub) -> None:
    status = command(sub, "status", show_status,
                     help="xem tiến độ nộp các phần của một kỳ và số ngày còn lại đến hạn")
    status.add_argument("period", metavar="KỲ", nargs="?", help="kỳ báo cáo, ví dụ 2025-Q4 (mặc định: kỳ mới nhất)")
    status.add_argument("--today", metavar="NGÀY", help="tính hạn như thể hôm nay là ngày này, ví dụ 2025-12-12")
    status.add_argument("--format", choices=("text", "json"), default="text", metavar="DẠNG",
                        help="dạng kết quả: text (bảng, mặc định) hoặc json (cho chương trình khác)")


def add_codeowners(sub) -> None:
    owners = command(sub, "codeowners", write_codeowners, help="in tệp CODEOWNERS (người duyệt từng phần) từ data/")
    owners.add_argument("--write", metavar="TỆP", help="ghi vào tệp này thay vì in ra")


def check_content(root: Path, args) -> int:
    if args.fix:
        _fix(root)
    result = run_check(root, use_cache=not args.no_cache)
    print(render(result.problems, args.format))
    return 0 if result.ok else 1


_REPAIRS = {"utf-16": "Đã chuyển từ mã UTF-16 sang UTF-8", "mojibake": "Đã sửa chữ bị lỗi mã (mojibake)",
            "legacy": "Đã chuyển chữ TCVN3/VNI sang Unicode", "zero-width": "Đã xóa ký tự vô hình giữa từ",
            "nfc": "Đã chuyển sang Unicode NFC"}


def _fix(root: Path) -> None:
    """``check --fix``: repair the files (:mod:`baocao.load.repair`), one line per repair."""
    from baocao.load.repair import repair_files

    for repaired in repair_files(root):
        rel = repaired.path.relative_to(root).as_posix()
        for kind, lines in repaired.done.items():
            where = f" (dòng {', '.join(map(str, lines[:10]))}{'…' if len(lines) > 10 else ''})" \
                if lines and kind != "nfc" else ""
            print(f"{_REPAIRS[kind]}: {rel}{where}")


def write_schemas(root: Path, args) -> int:
    for path in schemafiles.write(root):
        print(f"Đã ghi {path.relative_to(root).as_posix()}")
    return 0


def write_codeowners(root: Path, args) -> int:
    from baocao.contribute.codeowners import codeowners

    result = clean_check(root, "tạo tệp CODEOWNERS")  # an unreadable registry would drop its review rules
    if result is None:
        return 1
    return output(codeowners(result.archive), args.write)


def new_quarter(root: Path, args) -> int:
    from baocao.contribute import scaffold
    from baocao.deadlines import BadDate, request_dates

    try:
        dates = request_dates(args.due, args.sections_due)
    except BadDate as exc:
        print(str(exc), file=sys.stderr)
        return 2
    checked = period_and_check(root, args.period, "mở kỳ mới", scaffold.blocking)
    if isinstance(checked, int):
        return checked
    quarter, result = checked
    from baocao.check.deadlines import too_late

    said = [too_late(quarter, k, v, "--" + k.replace("_", "-")) for k, v in zip(("due", "sections_due"), dates, strict=True)]
    if any(said):
        print(" ".join(m for m in said if m) + " Không tạo tệp nào.", file=sys.stderr)
        return 2
    current = result.archive.report(quarter)
    if current is not None:
        changed = [f"{key}: {value.isoformat()} (đang là {written or 'trống'})"
                   for key, value, written in scaffold.changed_deadlines(current, *dates)]
        if changed:
            print(f"Báo cáo {quarter.label} đã có tệp {current.source.path}: lệnh này không sửa tệp đã có, nên "
                  f"không ghi {'; '.join(changed)}. Hãy sửa hạn trong tệp đó. Không tạo tệp nào.", file=sys.stderr)
            return 1
    skipped = scaffold.skipped_quarter(result.archive, quarter)
    if skipped is not None and current is None:
        print(f"Cảnh báo: chưa có báo cáo {skipped.label} (kỳ ngay trước {quarter.label}); các số liệu đầu kỳ "
              f"không lấy được từ kỳ trước. Nếu bỏ sót, hãy mở {skipped.label} trước: "
              f"`baocao new-quarter {skipped.key}`.", file=sys.stderr)
    planned = scaffold.plan_quarter(result.archive, quarter, root, *dates)
    there = [p.path for p in planned if p.path.exists()]  # in a folder that lost its index.md
    written, kept = scaffold.write_missing([p for p in planned if p.path not in there])
    there = [p.relative_to(root).as_posix() for p in there]
    if current is not None:
        there = [current.source.path, *(s.source.path for s in current.sections), *there]
    for path in there:
        print(f"Đã có tệp {path}: giữ nguyên.", file=sys.stderr)
    for path in kept:
        print(f"Đã có tệp {path.relative_to(root).as_posix()}: không ghi đè.", file=sys.stderr)
    for path in written:
        print(f"Đã tạo {path.relative_to(root).as_posix()}")
    if not written:
        print(f"Báo cáo {quarter.label} đã đủ tệp cho mọi phần: không tạo tệp nào.", file=sys.stderr)
        return 0 if not kept else 1
    if current is not None or there:
        print(f"Đã tạo {len(written)} tệp còn thiếu của báo cáo {quarter.label}; các tệp đã có giữ nguyên"
              + ("; chạy `baocao check` để kiểm tra chúng." if there and current is None else "."))
    else:
        print(f"Đã mở báo cáo {quarter.label}: {len(written)} tệp. Chạy `baocao status {quarter.key}` để xem tiến độ.")
    return 0 if not kept else 1


def show_status(root: Path, args) -> int:
    from baocao import deadlines
    from baocao.compile import document

    text, today, form = args.period, args.today, args.format
    try:
        day = deadlines.parse_date(today, "--today") if today else deadlines.today()
    except deadlines.BadDate as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = run_check(root)
    archive = result.archive
    quarter = period(text) if text else (archive.latest.period if archive.latest else None)
    if quarter is None:
        print("Chưa có báo cáo nào." if not text else "", file=sys.stderr)
        return 2 if text else 0
    report = archive.report(quarter)
    here = within(result.problems, f"docs/reports/{quarter.slug}")
    if report is None:
        if here:  # the quarter is there, but its files cannot be read: say why
            print(f"Báo cáo {quarter.label} có lỗi nên chưa đọc được:")
            print(render(here))
            print(f"Hãy sửa các lỗi trên rồi chạy lại `baocao status {quarter.key}`.")
            return 1
        print(f"Chưa có báo cáo {quarter.label}; mở kỳ bằng `baocao new-quarter {quarter.key}`.")
        return 0
    broken = {problem.path for problem in errors(result.problems)}  # their sections' status is unknown
    found = deadlines.report_deadlines(archive, report, day, broken)
    if form == "json":
        print(json.dumps(found.as_json() | {"problems": summary(result.problems)}, ensure_ascii=False, indent=2))
        return 1 if errors(here) else 0
    print(f"Báo cáo {quarter.label} ({document.REPORT_STATUS[report.meta.status].lower()}): "
          f"{document.progress_line(archive, report, broken)}.")
    print(f"{found.summary}. Tính đến ngày {day.day}/{day.month}/{day.year}.")
    print(deadlines.terminal_table(found))
    if found.overdue:
        print(f"Quá hạn: {len(found.overdue)} phần (dòng có dấu !).")
    if here:
        caution = " (có lỗi: tiến độ trên có thể chưa đúng)" if errors(here) else ""
        print(f"Kiểm tra các tệp của báo cáo {quarter.label}{caution}:")
        print(render(here))
    elif result.problems:
        print(f"Kiểm tra: {summary(result.problems)} Chạy `baocao check` để xem chi tiết.")
    return 1 if errors(here) else 0
