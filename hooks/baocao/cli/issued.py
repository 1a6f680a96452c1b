"""The issued report: ``issue`` (numbered, dated, sealed), ``pdf`` (its official PDF),
``sign`` (a PAdES signature) and ``verify`` (a PDF's signatures, or a period against its
manifest)."""

from __future__ import annotations

import sys
from pathlib import Path

from baocao.check import run_check
from baocao.cli.common import (
    cannot_read,
    cannot_write,
    checked_report,
    command,
    not_a_repository,
    period,
    writable,
)
from baocao.periods import Period
from baocao.problems import render
from baocao.vnformat import os_error


def add_issue(sub) -> None:
    issue = command(sub, "issue", issue_report,
                    help="ban hành một báo cáo đã đủ và sạch lỗi: số, ngày, niêm phong (ban-hanh.yml)")
    issue.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    issue.add_argument("--number", metavar="SỐ", help="số thứ tự của báo cáo, ví dụ 45 (thành 45-BC/ĐU)")
    issue.add_argument("--date", metavar="NGÀY", help="ngày ban hành, ví dụ 2025-09-30")
    issue.add_argument("--seal-existing", action="store_true",
                       help="niêm phong nguyên trạng một báo cáo đã ban hành trước khi có chức năng này")


def add_pdf(sub) -> None:
    pdf = command(sub, "pdf", export_pdf, help="ghi bản PDF chính thức của báo cáo một kỳ")
    pdf.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    pdf.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bao-cao-<kỳ>.pdf)")
    pdf.add_argument("--signature-fields", action="store_true",
                     help="thêm hai ô ký số trống (người ký, cơ quan) theo Phụ lục I Nghị định 30/2020")


def add_sign(sub) -> None:
    sign = command(sub, "sign", sign_pdf, anywhere=True,
                   help="ký số tệp PDF (PAdES) bằng tệp khóa PKCS#12 hoặc thiết bị ký (token)")
    sign.add_argument("file", metavar="TỆP.pdf", help="tệp PDF cần ký")
    sign.add_argument("-o", "--output", required=True, metavar="TỆP", help="tệp PDF đã ký ghi ra (không ghi đè)")
    key = sign.add_mutually_exclusive_group(required=True)
    key.add_argument("--pkcs12", metavar="TỆP", help="tệp khóa .p12/.pfx")
    key.add_argument("--pkcs11-lib", metavar="THƯ_VIỆN", help="thư viện PKCS#11 của thiết bị ký, ví dụ "
                     "/usr/lib/x86_64-linux-gnu/libvgca.so")
    sign.add_argument("--token-label", metavar="NHÃN", help="nhãn của thiết bị ký (với --pkcs11-lib)")
    sign.add_argument("--key-label", metavar="NHÃN", help="nhãn của khóa trên thiết bị (khi có nhiều khóa)")
    sign.add_argument("--pin-file", metavar="TỆP", help="tệp chứa mã PIN hoặc mật khẩu (dòng đầu); không có thì "
                      "hỏi khi chạy, không hiện chữ")
    sign.add_argument("--field", metavar="Ô", help="ô ký: ChuKyNguoiKy (mặc định) hoặc ChuKyCoQuan")
    sign.add_argument("--tsa", metavar="ĐỊA_CHỈ", help="máy chủ cấp dấu thời gian (PAdES B-T), ví dụ http://tsa.ca.gov.vn")


def add_verify(sub) -> None:
    # anywhere: a PDF is verified wherever it is; a period needs the archive (checked then)
    verify = command(sub, "verify", verify_target, anywhere=True,
                     help="kiểm tra chữ ký số của tệp PDF, hoặc đối chiếu một kỳ với bản ban hành")
    verify.add_argument("target", metavar="TỆP.pdf|KỲ", help="tệp PDF nhận được, hoặc kỳ báo cáo, ví dụ 2025-Q3")
    verify.add_argument("--trust", action="append", default=[], metavar="CA.pem",
                        help="chứng thư của cơ quan chứng thực được tin cậy (có thể ghi nhiều lần)")
    verify.add_argument("--crl", action="append", default=[], metavar="TỆP.crl",
                        help="danh sách chứng thư bị thu hồi của cơ quan chứng thực (có thể ghi nhiều lần)")
    verify.add_argument("--site", metavar="THƯ_MỤC", help="trang đã dựng để đối chiếu bản PDF đăng trên trang "
                        "(mặc định: site/ nếu có)")


def issue_report(root: Path, args) -> int:
    from baocao.contribute.issue import IssueError, issue
    from baocao.deadlines import BadDate, parse_date
    from baocao.vnformat import date_text

    quarter = period(args.period)
    if quarter is None:
        return 2
    day = None
    if args.date:
        try:
            day = parse_date(args.date, "--date", "2025-09-30")
        except BadDate as error:
            print(str(error), file=sys.stderr)
            return 2
    if not args.seal_existing and (args.number is None or day is None):
        print("Hãy ghi số và ngày ban hành: `baocao issue KỲ --number 45 --date 2025-09-30`.", file=sys.stderr)
        return 2
    try:
        done = issue(root, quarter, args.number, day, seal_existing=args.seal_existing)
    except IssueError as error:
        if error.problems:
            print(render(error.problems))
        print(str(error), file=sys.stderr)
        return 1
    meta = done.report.meta
    folder = f"docs/{done.report.folder}"
    which = (f" số {meta.number}" if meta.number else "") + (f", ngày {date_text(meta.issued_on)}" if meta.issued_on else "")
    if args.seal_existing:
        print(f"Đã niêm phong báo cáo {quarter.label}{which} (đã ban hành từ trước: số, ngày và nội dung giữ "
              "nguyên; không ban hành lại).")
    else:
        print(f"Đã ban hành báo cáo {quarter.label}{which} (đã ghi status: issued, số và ngày vào "
              f"{done.report.source.path}).")
    print(f"Đã ghi bản PDF {folder}/{done.pdf} và bản Word {folder}/{done.docx}. Các tệp được niêm phong:")
    for path, digest in done.sealed:
        print(f"  {path}  SHA-256 {digest}")
    print(f"Đã ghi bản niêm phong {done.manifest.relative_to(root).as_posix()}. Hãy lưu (commit) cả thư mục "
          f"{folder}/ ngay. Bản PDF để ký: {folder}/{done.pdf}.")
    return 0


def export_pdf(root: Path, args) -> int:
    from baocao.compile.sitemap import download_name
    from baocao.export.pdf import PdfError
    from baocao.seal.fields import official_pdf

    checked = checked_report(root, args.period, "in bản PDF")
    if isinstance(checked, int):
        return checked
    result, report = checked
    path = Path(args.output) if args.output else Path(download_name(report, "pdf"))
    if not writable(path):
        return 1
    try:
        data, sealed = official_pdf(root, result.archive, report, args.signature_fields)
        if sealed is not None:
            print(f"Báo cáo đã ban hành: đây là bản PDF ghi khi ban hành (SHA-256 {sealed.sha256}), đã có ô ký số.")
        path.write_bytes(data)
    except PdfError as error:
        print(str(error), file=sys.stderr)
        return 1
    except OSError as error:
        return cannot_write(path, error)
    print(f"Đã ghi {path}")
    return 0


def _secret_reader(pin_file: str | None):
    """How ``sign`` gets the PIN or password: the first line of ``pin_file``, or typed
    without echo; never from the command line."""
    import getpass

    def read(prompt: str) -> str:
        from baocao.seal.sign import SignError

        if pin_file:
            try:
                with open(pin_file, encoding="utf-8") as handle:
                    return handle.readline().rstrip("\r\n")
            except OSError as exc:
                raise SignError(f"Không đọc được tệp mã PIN {pin_file}: {os_error(exc, writing=False)}.") from exc
        if not sys.stdin.isatty():
            raise SignError("Không có bàn phím để nhập mã PIN: hãy chạy trong cửa sổ lệnh, hoặc ghi mã vào một tệp "
                            "chỉ mình bạn đọc được và dùng --pin-file TỆP.")
        return getpass.getpass(prompt)

    return read


def sign_pdf(root: Path, args) -> int:
    from baocao.seal.sign import Key, SignError, sign, time_text

    if not writable(Path(args.output)):  # a folder, or in a folder that does not exist
        return 1
    key = Key(pkcs12=Path(args.pkcs12) if args.pkcs12 else None, pkcs11_lib=args.pkcs11_lib,
              token_label=args.token_label, key_label=args.key_label)
    try:
        done = sign(Path(args.file), Path(args.output), key, _secret_reader(args.pin_file), root=root,
                    field=args.field, tsa=args.tsa)
    except SignError as error:
        print(f"Không ký: {error}", file=sys.stderr)
        return 1
    print(f"Đã ký vào ô {done.field}: {done.signer}, lúc {time_text(done.time)}"
          + (" (có dấu thời gian)" if done.timestamped else "") + f". Bản đã ký: {args.output}")
    return 0


def verify_target(root: Path, args) -> int:
    from baocao.seal import verify as check

    quarter = Period.parse(args.target)
    if quarter is not None and not_a_repository(root):
        return 2
    try:
        trust = check.load_certificates([Path(p) for p in args.trust])
        crls = check.load_crls([Path(p) for p in args.crl])
    except check.VerifyError as error:
        print(str(error), file=sys.stderr)
        return 2
    if quarter is not None:
        return _verify_period(root, quarter, args.site)
    if Period.meant(args.target) and not Path(args.target).exists():
        print(Period.refusal(args.target) + " (Lệnh này nhận một kỳ báo cáo hoặc một tệp PDF.)", file=sys.stderr)
        return 2
    try:
        data = Path(args.target).read_bytes()
    except OSError as error:
        return cannot_read(args.target, error)
    verdict = check.verify_pdf(data, trust, crls)
    if (root / "data").is_dir():  # which issued report it is, when this archive sealed it
        verdict.issued_copy = check.issued_copy(data, check.sealed_pdfs(run_check(root).archive))
    for line in check.describe(verdict):
        print(line)
    return 0 if verdict.ok else 1


def _verify_period(root: Path, quarter: Period, site: str | None) -> int:
    """Every report of ``quarter`` (the current one, and those it replaced) against its manifest."""
    from baocao.check.seal import report_problems
    from baocao.seal import verify as check

    result = run_check(root)
    reports = result.archive.reports_of(quarter)
    if not reports:
        print(f"Chưa có báo cáo {quarter.label}.", file=sys.stderr)
        return 1
    site_dir = Path(site) if site else (root / "site" if (root / "site").is_dir() else None)
    ok = True
    for report in reports:
        seal_problems = report_problems(result.problems, report)
        try:
            files = check.verify_period(root, report, site_dir, {p.path for p in seal_problems})
        except check.VerifyError as error:
            print(str(error), file=sys.stderr)
            return 1
        number = f" số {report.meta.number}" if report.meta.number else ""
        print(f"Báo cáo {quarter.label}{number} (docs/{report.folder}/):")
        for item in files:
            print(f"  {'ĐÚNG' if item.ok else 'SAI '}  {item.path}: {item.note}")
        if seal_problems:
            print(render(seal_problems))
        ok = ok and all(f.ok for f in files) and not seal_problems
    print(f"Báo cáo {quarter.label}: " + ("mọi tệp khớp bản ban hành." if ok else "CÓ tệp khác bản ban hành (xem trên)."))
    return 0 if ok else 1
