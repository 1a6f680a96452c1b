"""The ``baocao`` command: ``check``, ``new-quarter``, ``status``, ``schema``,
``codeowners``, ``serve`` / ``build`` (MkDocs, run without Material's English end-of-life
banner), the web form: ``cms-config``, ``edit``, Word files: ``docx``, ``import``, and
the statistical forms: ``stats``, serving: ``publish``, ``nginx``, ``user``, and the issued report: ``issue``, ``pdf``,
``sign``, ``verify``. Messages are in Vietnamese.

Run from the repository root (or pass ``--root``). Exit codes: 0 fine, 1 problems
found, 2 wrong use of the command.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from baocao.check import run_check
from baocao.load import schemafiles
from baocao.periods import Period
from baocao.problems import Problem, Severity, errors, render, summary


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="xem hướng dẫn này")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Cách dùng:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "Cách dùng:", 1)
        return text.replace("positional arguments:", "Tham số:").replace("options:", "Tùy chọn:")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, text in _ERRORS:
            match = re.search(pattern, message)
            if match:
                message = text.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Lệnh chưa đúng: {message}. Xem `{self.prog} --help`.\n")


_ERRORS = (
    (r"invalid choice: '([^']*)' \(choose from (.*)\)", "không có `{0}`; hãy chọn một trong: {1}"),
    (r"the following arguments are required: (.*)", "còn thiếu {0}"),
    (r"unrecognized arguments: (.*)", "không hiểu `{0}`"),
    (r"argument (\S+): expected one argument", "sau {0} phải có một giá trị"),
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="baocao", description="Công cụ kho báo cáo của Đảng ủy.")
    parser.add_argument("--root", default=".", help="thư mục gốc của kho (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung và dữ liệu")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="dạng kết quả: text (mặc định), github (chú thích CI), json")
    check.add_argument("--fix", action="store_true", help="sửa tự động: chữ không ở dạng Unicode NFC, chữ lỗi mã, "
                       "chữ TCVN3/VNI, tệp UTF-16, ký tự vô hình giữa từ")
    check.add_argument("--no-cache", action="store_true", help="đọc lại mọi tệp, không dùng bộ nhớ đệm")
    sub.add_parser("schema", help="ghi JSON Schema của các tệp vào data/schemas/")
    pr = sub.add_parser("pr-content", help="lấy docs/ và data/ của một yêu cầu hợp nhất vào đây, giữ nguyên mã "
                                           "của nhánh chính (CI kiểm tra mà không chạy mã của yêu cầu)")
    pr.add_argument("base", metavar="GỐC", help="mã lần gửi (commit) gốc của yêu cầu hợp nhất")
    pr.add_argument("head", metavar="ĐẦU", help="mã lần gửi (commit) mới nhất của yêu cầu hợp nhất")
    pr.add_argument("--format", choices=("text", "github"), default="text",
                    help="github: các tệp ngoài docs/ và data/ hiện thành cảnh báo trên yêu cầu hợp nhất")
    new = sub.add_parser("new-quarter", help="tạo các tệp của báo cáo quý mới (dự thảo); kỳ đã có: chỉ tạo các "
                                             "tệp còn thiếu, không ghi đè")
    new.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q4")
    new.add_argument("--due", metavar="NGÀY", help="hạn gửi báo cáo lên cấp trên, ví dụ 2025-12-15")
    new.add_argument("--sections-due", metavar="NGÀY", help="hạn các tổ chức đảng nộp phần của mình, ví dụ 2025-12-10")
    status = sub.add_parser("status", help="xem tiến độ nộp các phần của một kỳ và số ngày còn lại đến hạn")
    status.add_argument("period", metavar="KỲ", nargs="?", help="kỳ báo cáo, ví dụ 2025-Q4 (mặc định: kỳ mới nhất)")
    status.add_argument("--today", metavar="NGÀY", help="tính hạn như thể hôm nay là ngày này, ví dụ 2025-12-12")
    status.add_argument("--format", choices=("text", "json"), default="text",
                        help="dạng kết quả: text (bảng, mặc định) hoặc json (cho chương trình khác)")
    for name, text in (("serve", "xem thử trang web tại http://127.0.0.1:8000/ (chạy `mkdocs serve`)"),
                       ("build", "dựng trang web vào thư mục site/ (chạy `mkdocs build`)")):
        sub.add_parser(name, help=text + "; các tùy chọn khác chuyển nguyên cho mkdocs, ví dụ --strict")
    owners = sub.add_parser("codeowners", help="in tệp CODEOWNERS (người duyệt từng phần) từ data/")
    owners.add_argument("--write", metavar="TỆP", help="ghi vào tệp này thay vì in ra")
    cms_config = sub.add_parser("cms-config", help="in cấu hình biểu mẫu soạn báo cáo (admin/config.yml)")
    cms_config.add_argument("--write", metavar="TỆP", help="ghi vào tệp này thay vì in ra")
    for option, what in (("--repo", "kho trên máy chủ, ví dụ van-phong/baocao"),
                         ("--api-root", "địa chỉ API, ví dụ http://git.intranet/api/v1"),
                         ("--app-id", "Client ID của ứng dụng OAuth"), ("--branch", "nhánh chính")):
        cms_config.add_argument(option, metavar="GIÁ_TRỊ", help=f"{what} (mặc định: extra.cms trong mkdocs.yml)")
    edit = sub.add_parser("edit", help="mở biểu mẫu soạn báo cáo trên máy này (không cần máy chủ)")
    edit.add_argument("--port", type=int, default=0, help="cổng của trang web (mặc định: một cổng còn trống)")
    word = sub.add_parser("docx", help="xuất báo cáo một kỳ ra tệp Word (.docx) đúng thể thức")
    word.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    word.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bao-cao-<kỳ>.docx)")
    stats = sub.add_parser("stats", help="điền các biểu mẫu thống kê của một kỳ vào tệp Excel (.xlsx)")
    stats.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    stats.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bieu-thong-ke-<kỳ>.xlsx)")
    imp = sub.add_parser("import", help="nhập một báo cáo cũ từ tệp Word (.docx hoặc .doc) thành dự thảo")
    imp.add_argument("file", metavar="TỆP", help="tệp Word của báo cáo, ví dụ bao-cao-quy-2.docx")
    imp.add_argument("--period", metavar="KỲ", required=True, help="kỳ của báo cáo, ví dụ 2025-Q2")
    _serving_commands(sub)
    _seal_commands(sub)
    return parser


def _seal_commands(sub) -> None:
    """``issue``, ``pdf``, ``sign``, ``verify``: the issued report, its PDF and signatures (baocao.seal)."""
    issue = sub.add_parser("issue", help="ban hành một báo cáo đã đủ và sạch lỗi: số, ngày, niêm phong (ban-hanh.yml)")
    issue.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    issue.add_argument("--number", metavar="SỐ", help="số thứ tự của báo cáo, ví dụ 45 (thành 45-BC/ĐU)")
    issue.add_argument("--date", metavar="NGÀY", help="ngày ban hành, ví dụ 2025-09-30")
    issue.add_argument("--seal-existing", action="store_true",
                       help="niêm phong nguyên trạng một báo cáo đã ban hành trước khi có chức năng này")
    pdf = sub.add_parser("pdf", help="ghi bản PDF chính thức của báo cáo một kỳ")
    pdf.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q3")
    pdf.add_argument("-o", "--output", metavar="TỆP", help="tệp ghi ra (mặc định: bao-cao-<kỳ>.pdf)")
    pdf.add_argument("--signature-fields", action="store_true",
                     help="thêm hai ô ký số trống (người ký, cơ quan) theo Phụ lục I Nghị định 30/2020")
    sign = sub.add_parser("sign", help="ký số tệp PDF (PAdES) bằng tệp khóa PKCS#12 hoặc thiết bị ký (token)")
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
    verify = sub.add_parser("verify", help="kiểm tra chữ ký số của tệp PDF, hoặc đối chiếu một kỳ với bản ban hành")
    verify.add_argument("target", metavar="TỆP.pdf|KỲ", help="tệp PDF nhận được, hoặc kỳ báo cáo, ví dụ 2025-Q3")
    verify.add_argument("--trust", action="append", default=[], metavar="CA.pem",
                        help="chứng thư của cơ quan chứng thực được tin cậy (có thể ghi nhiều lần)")
    verify.add_argument("--crl", action="append", default=[], metavar="TỆP.crl",
                        help="danh sách chứng thư bị thu hồi của cơ quan chứng thực (có thể ghi nhiều lần)")
    verify.add_argument("--site", metavar="THƯ_MỤC", help="trang đã dựng để đối chiếu bản PDF đăng trên trang "
                        "(mặc định: site/ nếu có)")


def _serving_commands(sub) -> None:
    """``publish``, ``nginx``, ``user``: serving the built site (baocao.serve)."""
    pub = sub.add_parser("publish", help="phát hành trang đã dựng (đổi bản tức thì), hoặc quay lại bản trước")
    pub.add_argument("--to", required=True, metavar="THƯ_MỤC", help="thư mục phát hành, ví dụ /srv/baocao")
    pub.add_argument("--site", metavar="THƯ_MỤC", help="trang đã dựng (mặc định: site/ trong thư mục kho)")
    pub.add_argument("--keep", type=int, default=5, metavar="N", help="giữ N bản gần nhất (mặc định 5)")
    pub.add_argument("--rollback", action="store_true", help="quay lại bản phát hành trước")
    ngx = sub.add_parser("nginx", help="in cấu hình nginx: đăng nhập, CSP, bộ nhớ đệm")
    ngx.add_argument("--root", dest="web_root", required=True, metavar="THƯ_MỤC",
                     help="thư mục trang đang phục vụ, ví dụ /srv/baocao/current")
    ngx.add_argument("--listen", required=True, metavar="ĐỊA_CHỈ:CỔNG", help="ví dụ 127.0.0.1:8080 hoặc 80")
    ngx.add_argument("--htpasswd", required=True, metavar="TỆP", help="tệp mật khẩu (baocao user add)")
    ngx.add_argument("--server-name", default="_", metavar="TÊN", help="tên máy chủ, ví dụ baocao.daison.local")
    ngx.add_argument("--standalone", action="store_true",
                     help="in cả tệp nginx.conf chạy riêng: nginx -p THƯ_MỤC -c TỆP (bằng root hoặc tài khoản thường)")
    ngx.add_argument("--user", default="www-data", metavar="TÊN",
                     help="với --standalone chạy bằng root: tài khoản của các tiến trình phục vụ (mặc định www-data)")
    user = sub.add_parser("user", help="thêm hoặc xóa tài khoản đọc báo cáo")
    user_sub = user.add_subparsers(dest="user_command", metavar="VIỆC", parser_class=_Parser, required=True)
    for name, text in (("add", "thêm tài khoản (hoặc đổi mật khẩu); mật khẩu nhập từ bàn phím"),
                       ("remove", "xóa tài khoản")):
        one = user_sub.add_parser(name, help=text)
        one.add_argument("name", metavar="TÊN", help="tên đăng nhập, ví dụ nguyenvana")
        one.add_argument("--htpasswd", required=True, metavar="TỆP", help="tệp mật khẩu, ví dụ /etc/nginx/baocao.htpasswd")


def _read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            from baocao.serve import ServeError

            raise ServeError("Hai lần nhập mật khẩu không giống nhau: không đổi gì.")
        return first
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def serving(root: Path, args: argparse.Namespace) -> int:
    from baocao.serve import ServeError, htpasswd, nginx, publish

    try:
        if args.command == "publish":
            to = Path(args.to)
            if args.rollback:
                done = publish.rollback(to)
                print(f"Đã quay lại bản {done.release} (thay cho {done.previous}), sau khi kiểm tra lại bản đó.")
            else:
                site = Path(args.site) if args.site else root / "site"
                done = publish.publish(site, to, repo=root, keep=args.keep)
                print(f"Đã phát hành bản {done.release} ({done.pages} trang đã kiểm tra); "
                      f"{to / publish.CURRENT} trỏ tới bản này.")
                if done.removed:
                    print(f"Đã xóa {len(done.removed)} bản cũ: {', '.join(done.removed)}.")
            for line in done.warnings:
                print(f"Chú ý: {line}", file=sys.stderr)
            return 0
        if args.command == "nginx":
            print(nginx.render(root=Path(args.web_root), listen=args.listen, htpasswd=Path(args.htpasswd),
                               server_name=args.server_name, standalone=args.standalone, user=args.user), end="")
            warning = nginx.htpasswd_warning(Path(args.htpasswd), standalone=args.standalone, user=args.user)
            if warning:
                print(f"Chú ý: {warning}", file=sys.stderr)
            return 0
        path = Path(args.htpasswd)
        if args.user_command == "add":
            htpasswd.check_name(args.name)
            htpasswd.read(path)
            htpasswd.check_writable(path)  # before the password is asked for
            replaced = htpasswd.add(path, args.name, _read_password())
            print(f"Đã đổi mật khẩu của {args.name}." if replaced else f"Đã thêm tài khoản {args.name}.")
        else:
            htpasswd.remove(path, args.name)
            print(f"Đã xóa tài khoản {args.name}.")
        return 0
    except ServeError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Lỗi: không ghi hoặc đọc được `{error.filename}`: {error.strerror}. Không đổi gì thêm.",
              file=sys.stderr)
        return 1


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


def _period(text: str) -> Period | None:
    period = Period.parse(text)
    if period is None:
        print(f"Kỳ `{text}` sai dạng; hãy viết NĂM-Q<quý>, ví dụ 2025-Q4.", file=sys.stderr)
    return period


def _not_a_repository(root: Path) -> bool:
    """True (and says where to run) when ``root`` is not the archive's folder: it has
    neither ``mkdocs.yml`` nor ``data/``."""
    if (root / "mkdocs.yml").is_file() or (root / "data").is_dir():
        return False
    where = root.resolve()
    print(f"Thư mục {where} không phải kho báo cáo (không có tệp mkdocs.yml và thư mục data/). "
          "Hãy chuyển vào thư mục gốc của kho (thư mục đã tải về, có tệp mkdocs.yml) rồi chạy lại, "
          "hoặc chỉ rõ thư mục đó: `baocao --root <thư mục> ...`.", file=sys.stderr)
    return True


def _output(text: str, write: str | None) -> int:
    """``text`` written to the file ``write``, or printed when there is none."""
    if write:
        Path(write).parent.mkdir(parents=True, exist_ok=True)
        Path(write).write_text(text, encoding="utf-8")
        print(f"Đã ghi {write}")
    else:
        print(text, end="")
    return 0


def _period_and_check(root: Path, text: str, doing: str):
    """The period written ``text`` and a check of ``root`` without errors, or the exit code
    after saying what is wrong (``doing``: what the command was about to do)."""
    period = _period(text)
    if period is None:
        return 2
    result = run_check(root)
    if not result.ok:
        print(render(result.problems))
        print(f"Hãy sửa các lỗi trên trước khi {doing}.", file=sys.stderr)
        return 1
    return period, result


def _deadline_options(due: str | None, sections_due: str | None):
    """The dates given on the command line, or a message saying what to write instead."""
    from baocao.deadlines import BadDate, parse_date

    try:
        dates = (parse_date(due, "--due") if due else None,
                 parse_date(sections_due, "--sections-due") if sections_due else None)
    except BadDate as exc:
        return str(exc)
    if dates[0] and dates[1] and dates[1] >= dates[0]:
        return (f"--sections-due {dates[1].isoformat()} phải trước --due {dates[0].isoformat()}: các phần nộp "
                "trước để văn phòng kịp tổng hợp.")
    return dates


def new_quarter(root: Path, text: str, due: str | None = None, sections_due: str | None = None) -> int:
    from baocao.contribute import scaffold

    dates = _deadline_options(due, sections_due)
    if isinstance(dates, str):
        print(dates, file=sys.stderr)
        return 2
    checked = _period_and_check(root, text, "mở kỳ mới")
    if isinstance(checked, int):
        return checked
    period, result = checked
    from baocao.check.deadlines import too_late

    said = [too_late(period, k, v, "--" + k.replace("_", "-")) for k, v in zip(("due", "sections_due"), dates, strict=True)]
    if any(said):
        print(" ".join(m for m in said if m) + " Không tạo tệp nào.", file=sys.stderr)
        return 2
    current = result.archive.report(period)
    if current is not None:
        changed = [f"{key}: {value.isoformat()} (đang là {getattr(current.meta, key) or 'trống'})"
                   for key, value in zip(("due", "sections_due"), dates, strict=True)
                   if value is not None and value != getattr(current.meta, key)]
        if changed:
            print(f"Báo cáo {period.label} đã có tệp {current.source.path}: lệnh này không sửa tệp đã có, nên "
                  f"không ghi {'; '.join(changed)}. Hãy sửa hạn trong tệp đó. Không tạo tệp nào.", file=sys.stderr)
            return 1
    skipped = scaffold.skipped_quarter(result.archive, period)
    if skipped is not None and current is None:
        print(f"Cảnh báo: chưa có báo cáo {skipped.label} (kỳ ngay trước {period.label}); các số liệu đầu kỳ "
              f"không lấy được từ kỳ trước. Nếu bỏ sót, hãy mở {skipped.label} trước: "
              f"`baocao new-quarter {skipped.key}`.", file=sys.stderr)
    planned = scaffold.plan_quarter(result.archive, period, root, *dates)
    written, kept = scaffold.write_missing(planned)
    if current is not None:
        for path in [current.source.path, *(s.source.path for s in current.sections)]:
            print(f"Đã có tệp {path}: giữ nguyên.", file=sys.stderr)
    for path in kept:
        print(f"Đã có tệp {path.relative_to(root).as_posix()}: không ghi đè.", file=sys.stderr)
    for path in written:
        print(f"Đã tạo {path.relative_to(root).as_posix()}")
    if not written:
        print(f"Báo cáo {period.label} đã đủ tệp cho mọi phần: không tạo tệp nào.", file=sys.stderr)
        return 0 if not kept else 1
    if current is not None:
        print(f"Đã tạo {len(written)} tệp còn thiếu của báo cáo {period.label}; các tệp đã có giữ nguyên.")
    else:
        print(f"Đã mở báo cáo {period.label}: {len(written)} tệp. Chạy `baocao status {period.key}` để xem tiến độ.")
    return 0 if not kept else 1


def status(root: Path, text: str | None, today: str | None = None, form: str = "text") -> int:
    from baocao import deadlines
    from baocao.compile import document

    try:
        day = deadlines.parse_date(today, "--today") if today else deadlines.today()
    except deadlines.BadDate as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = run_check(root)
    archive = result.archive
    period = _period(text) if text else (archive.latest.period if archive.latest else None)
    if period is None:
        print("Chưa có báo cáo nào." if not text else "", file=sys.stderr)
        return 2 if text else 0
    report = archive.report(period)
    folder = f"docs/reports/{period.slug}"
    here = [p for p in result.problems if p.path == folder or p.path.startswith(folder + "/")]
    if report is None:
        if here:  # the quarter is there, but its files cannot be read: say why
            print(f"Báo cáo {period.label} có lỗi nên chưa đọc được:")
            print(render(here))
            print(f"Hãy sửa các lỗi trên rồi chạy lại `baocao status {period.key}`.")
            return 1
        print(f"Chưa có báo cáo {period.label}; mở kỳ bằng `baocao new-quarter {period.key}`.")
        return 0
    found = deadlines.report_deadlines(archive, report, day)
    if form == "json":
        print(json.dumps(found.as_json() | {"problems": summary(result.problems)}, ensure_ascii=False, indent=2))
        return 1 if errors(here) else 0
    print(f"Báo cáo {period.label} ({document.REPORT_STATUS[report.meta.status].lower()}): "
          f"{document.progress_line(archive, report)}.")
    print(f"{found.summary}. Tính đến ngày {day.day}/{day.month}/{day.year}.")
    print(deadlines.terminal_table(found))
    if found.overdue:
        print(f"Quá hạn: {len(found.overdue)} phần (dòng có dấu !).")
    if here:
        caution = " (có lỗi: tiến độ trên có thể chưa đúng)" if errors(here) else ""
        print(f"Kiểm tra các tệp của báo cáo {period.label}{caution}:")
        print(render(here))
    elif result.problems:
        print(f"Kiểm tra: {summary(result.problems)} Chạy `baocao check` để xem chi tiết.")
    return 1 if errors(here) else 0


def cms_config(root: Path, args) -> int:
    from baocao.contribute import cms

    result = run_check(root)
    if not result.ok:
        print(render(result.problems))
        print("Hãy sửa các lỗi trên trước khi tạo cấu hình biểu mẫu.", file=sys.stderr)
        return 1
    settings = cms.settings_from_mkdocs(root / "mkdocs.yml")
    given = {"repo": args.repo, "api_root": args.api_root, "app_id": args.app_id, "branch": args.branch}
    settings.update({k: v for k, v in given.items() if v is not None})
    try:
        text = cms.dump(cms.config(result.archive, settings))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return _output(text, args.write)


def _checked_report(root: Path, text: str, doing: str):
    """The check's result and the report of the period written ``text``, or the exit code
    after saying what is wrong."""
    checked = _period_and_check(root, text, doing)
    if isinstance(checked, int):
        return checked
    period, result = checked
    report = result.archive.report(period)
    if report is None:
        print(f"Chưa có báo cáo {period.label}.", file=sys.stderr)
        return 1
    return result, report


def _report_file(root: Path, text: str, output: str | None, doing: str, name, write) -> int:
    """A file made from one period's report (``write(archive, report, path)``), after a clean
    check; ``name(report)`` is the file's name when ``output`` is not given."""
    checked = _checked_report(root, text, doing)
    if isinstance(checked, int):
        return checked
    result, report = checked
    path = Path(output) if output else Path(name(report))
    try:
        write(result.archive, report, path)
    except OSError as exc:
        print(f"Không ghi được tệp {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(f"Đã ghi {path}")
    return 0


def export_docx(root: Path, text: str, output: str | None) -> int:
    from baocao.export import docx

    return _report_file(root, text, output, "xuất tệp Word", docx.docx_name, docx.write)


def export_stats(root: Path, text: str, output: str | None) -> int:
    from baocao.export import xlsx

    return _report_file(root, text, output, "điền biểu thống kê", xlsx.xlsx_name, xlsx.write)


def import_word(root: Path, file: str, text: str) -> int:
    from baocao.contribute import word_import

    period = _period(text)
    if period is None:
        return 2
    try:
        outcome = word_import.import_file(root, Path(file), period)
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
    print(f"Đã nhập báo cáo {period.label} thành dự thảo: {len(outcome.written)} tệp. "
          f"Hãy đọc lại từng phần rồi chạy `baocao check`.")
    return 0


_OUTSIDE = ("tệp này nằm ngoài docs/ và data/: lần kiểm tra này dùng mã của nhánh chính và không dùng "
            "tệp này; người quản trị cần xem xét riêng trước khi hợp nhất.")


def pr_content(root: Path, base: str, head: str, form: str) -> int:
    from baocao.contribute.pull_request import PullRequestError, take_content

    try:
        taken = take_content(root, base, head)
    except PullRequestError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    print(f"Đã lấy docs/ và data/ của yêu cầu hợp nhất ({len(taken.content)} tệp thay đổi); "
          "mã (hooks/, overrides/, mkdocs.yml...) vẫn là của nhánh chính.")
    if taken.outside:
        print(f"Yêu cầu hợp nhất còn sửa {len(taken.outside)} tệp ngoài docs/ và data/, không được dùng ở đây:")
        for path in taken.outside:
            if form == "github":  # the name is the pull request's: escaped by the runner's rules
                print(Problem(path, 1, "", _OUTSIDE, "outside-content", Severity.WARNING).github())
            else:  # a name with control characters is shown as Python writes it, never raw
                print(f"  {path if path.isprintable() else ascii(path)}")
    return 0


def issue_report(root: Path, args) -> int:
    import datetime as dt

    from baocao.seal.issue import IssueError, issue
    from baocao.vnformat import date_text

    period = _period(args.period)
    if period is None:
        return 2
    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"Ngày `{args.date}` sai dạng; hãy viết NĂM-THÁNG-NGÀY, ví dụ 2025-09-30.", file=sys.stderr)
            return 2
    if not args.seal_existing and (args.number is None or day is None):
        print("Hãy ghi số và ngày ban hành: `baocao issue KỲ --number 45 --date 2025-09-30`.", file=sys.stderr)
        return 2
    try:
        done = issue(root, period, args.number, day, seal_existing=args.seal_existing)
    except IssueError as error:
        if error.problems:
            print(render(error.problems))
        print(str(error), file=sys.stderr)
        return 1
    meta = done.report.meta
    print(f"Đã ban hành báo cáo {period.label}" + (f" số {meta.number}" if meta.number else "")
          + (f", ngày {date_text(meta.issued_on)}" if meta.issued_on else "") + ".")
    for path, digest in done.sealed:
        print(f"  {path}  SHA-256 {digest}")
    print(f"Đã ghi bản niêm phong {done.manifest.relative_to(root).as_posix()}. Hãy lưu (commit) cả thư mục "
          f"docs/{done.report.folder}/ ngay. Bản PDF để ký: docs/{done.report.folder}/{done.pdf}.")
    return 0


def export_pdf(root: Path, text: str, output: str | None, signature_fields: bool) -> int:
    from baocao.compile.sitemap import download_name
    from baocao.export.pdf import PdfError, print_report
    from baocao.seal.fields import finish, metadata_for
    from baocao.seal.manifest import state

    checked = _checked_report(root, text, "in bản PDF")
    if isinstance(checked, int):
        return checked
    result, report = checked
    path = Path(output) if output else Path(download_name(report, "pdf"))
    path.parent.mkdir(parents=True, exist_ok=True)
    sealed = state(report).output("pdf")
    try:
        if sealed is not None:  # the official PDF is the one made at issue, kept as it was
            data = (root / "docs" / report.folder / sealed.name).read_bytes()
            print(f"Báo cáo đã ban hành: đây là bản PDF ghi khi ban hành (SHA-256 {sealed.sha256}), đã có ô ký số.")
        else:
            printed = print_report(root, f"{report.folder}/index.html", mark_signature=signature_fields)
            data = finish(printed, metadata_for(result.archive, report), signature_fields)
        path.write_bytes(data)
    except PdfError as error:
        print(str(error), file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Không ghi được tệp {path}: {error.strerror or error}.", file=sys.stderr)
        return 1
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
                raise SignError(f"Không đọc được tệp mã PIN {pin_file} ({exc.strerror}).") from exc
        if not sys.stdin.isatty():
            raise SignError("Không có bàn phím để nhập mã PIN: hãy chạy trong cửa sổ lệnh, hoặc ghi mã vào một tệp "
                            "chỉ mình bạn đọc được và dùng --pin-file TỆP.")
        return getpass.getpass(prompt)

    return read


def sign_pdf(root: Path, args) -> int:
    from baocao.seal.sign import Key, SignError, sign, time_text

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


def verify(root: Path, args) -> int:
    from baocao.seal import verify as check

    try:
        trust = check.load_certificates([Path(p) for p in args.trust])
        crls = check.load_crls([Path(p) for p in args.crl])
    except check.VerifyError as error:
        print(str(error), file=sys.stderr)
        return 2
    period = Period.parse(args.target)
    if period is not None:
        return _verify_period(root, period, args.site)
    try:
        data = Path(args.target).read_bytes()
    except OSError as error:
        print(f"Không đọc được tệp {args.target} ({error.strerror}).", file=sys.stderr)
        return 2
    verdict = check.verify_pdf(data, trust, crls)
    verdict.issued_copy = _issued_copy(root, data)
    for line in check.describe(verdict):
        print(line)
    return 0 if verdict.ok else 1


def _issued_copy(root: Path, data: bytes) -> str | None:
    """What the PDF was before its signatures, when a manifest of this repository sealed it."""
    from baocao.seal import verify as check
    from baocao.seal.manifest import state

    if not (root / "data").is_dir():
        return None
    archive = run_check(root).archive
    sealed = {}
    for report in [*archive.reports, *archive.replaced]:
        output = state(report).output("pdf")
        if output is not None:
            sealed[output.sha256] = (f"báo cáo {report.period.label}"
                                     + (f" số {report.meta.number}" if report.meta.number else ""))
    return check.issued_copy(data, sealed)


def _verify_period(root: Path, period: Period, site: str | None) -> int:
    """Every report of ``period`` (the current one, and those it replaced) against its manifest."""
    from baocao.seal import verify as check

    if _not_a_repository(root):
        return 2
    result = run_check(root)
    current = result.archive.report(period)
    reports = [r for r in ([current] if current else []) + result.archive.replaced if r.period == period]
    if not reports:
        print(f"Chưa có báo cáo {period.label}.", file=sys.stderr)
        return 1
    site_dir = Path(site) if site else (root / "site" if (root / "site").is_dir() else None)
    ok = True
    for report in reports:
        seal_problems = [p for p in result.problems if p.code.startswith(("issued-", "erratum-"))
                         and (p.path.startswith(f"docs/{report.folder}/") or p.path.startswith("data/"))]
        try:
            files = check.verify_period(root, report, site_dir, {p.path for p in seal_problems})
        except check.VerifyError as error:
            print(str(error), file=sys.stderr)
            return 1
        number = f" số {report.meta.number}" if report.meta.number else ""
        print(f"Báo cáo {period.label}{number} (docs/{report.folder}/):")
        for item in files:
            print(f"  {'ĐÚNG' if item.ok else 'SAI '}  {item.path}: {item.note}")
        if seal_problems:
            print(render(seal_problems))
        ok = ok and all(f.ok for f in files) and not seal_problems
    print(f"Báo cáo {period.label}: " + ("mọi tệp khớp bản ban hành." if ok else "CÓ tệp khác bản ban hành (xem trên)."))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("serve", "build"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    root = Path(args.root)
    if args.command in ("publish", "nginx", "user"):
        return serving(root, args)
    if args.command == "sign":
        return sign_pdf(root, args)
    if args.command == "verify" and Period.parse(args.target) is None:
        return verify(root, args)
    if args.command and _not_a_repository(root):
        return 2
    if args.command in ("serve", "build"):
        from baocao.build.incremental import serve_args
        from baocao.mkdocs_run import run

        return run(root, args.command, serve_args(extra) if args.command == "serve" else extra)
    if args.command == "new-quarter":
        return new_quarter(root, args.period, args.due, args.sections_due)
    if args.command == "status":
        return status(root, args.period, args.today, args.format)
    if args.command == "docx":
        return export_docx(root, args.period, args.output)
    if args.command == "issue":
        return issue_report(root, args)
    if args.command == "pdf":
        return export_pdf(root, args.period, args.output, args.signature_fields)
    if args.command == "verify":
        return verify(root, args)
    if args.command == "stats":
        return export_stats(root, args.period, args.output)
    if args.command == "import":
        return import_word(root, args.file, args.period)
    if args.command == "codeowners":
        from baocao.contribute.codeowners import codeowners

        result = run_check(root)
        text = codeowners(result.archive)
        return _output(text, args.write)
    if args.command == "cms-config":
        return cms_config(root, args)
    if args.command == "edit":
        from baocao.contribute.edit import run

        return run(root, port=args.port)
    if args.command == "pr-content":
        return pr_content(root, args.base, args.head, args.format)
    if args.command == "schema":
        for path in schemafiles.write(root):
            print(f"Đã ghi {path.relative_to(root).as_posix()}")
        return 0
    if args.command == "check":
        if args.fix:
            _fix(root)
        result = run_check(root, use_cache=not args.no_cache)
        print(render(result.problems, args.format))
        return 0 if result.ok else 1
    parser.print_help(sys.stderr)
    return 2
