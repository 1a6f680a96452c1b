"""The ``baocao`` command: ``check``, ``new-quarter``, ``status``, ``schema``,
``codeowners``, ``serve`` / ``build`` (MkDocs, run without Material's English end-of-life
banner), the web form: ``cms-config``, ``edit``, Word files: ``docx``, ``import``, and
serving: ``publish``, ``nginx``, ``user``. Messages are in Vietnamese.

Run from the repository root (or pass ``--root``). Exit codes: 0 fine, 1 problems
found, 2 wrong use of the command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from baocao.check import run_check
from baocao.load.schemas import DATA_FILES, ReportMeta, SectionMeta
from baocao.periods import Period
from baocao.problems import Problem, Severity, render, summary

SCHEMA_DIR = Path("data") / "schemas"


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
    check.add_argument("--fix", action="store_true", help="sửa tự động chữ không ở dạng Unicode NFC")
    check.add_argument("--no-cache", action="store_true", help="đọc lại mọi tệp, không dùng bộ nhớ đệm")
    sub.add_parser("schema", help="ghi JSON Schema của các tệp vào data/schemas/")
    pr = sub.add_parser("pr-content", help="lấy docs/ và data/ của một yêu cầu hợp nhất vào đây, giữ nguyên mã "
                                           "của nhánh chính (CI kiểm tra mà không chạy mã của yêu cầu)")
    pr.add_argument("base", metavar="GỐC", help="mã lần gửi (commit) gốc của yêu cầu hợp nhất")
    pr.add_argument("head", metavar="ĐẦU", help="mã lần gửi (commit) mới nhất của yêu cầu hợp nhất")
    pr.add_argument("--format", choices=("text", "github"), default="text",
                    help="github: các tệp ngoài docs/ và data/ hiện thành cảnh báo trên yêu cầu hợp nhất")
    new = sub.add_parser("new-quarter", help="tạo các tệp của báo cáo quý mới (dự thảo), không ghi đè")
    new.add_argument("period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2025-Q4")
    status = sub.add_parser("status", help="xem tiến độ nộp các phần của một kỳ")
    status.add_argument("period", metavar="KỲ", nargs="?", help="kỳ báo cáo, ví dụ 2025-Q4 (mặc định: kỳ mới nhất)")
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
    imp = sub.add_parser("import", help="nhập một báo cáo cũ từ tệp Word (.docx hoặc .doc) thành dự thảo")
    imp.add_argument("file", metavar="TỆP", help="tệp Word của báo cáo, ví dụ bao-cao-quy-2.docx")
    imp.add_argument("--period", metavar="KỲ", required=True, help="kỳ của báo cáo, ví dụ 2025-Q2")
    _serving_commands(sub)
    return parser


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


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every kind of file."""
    out = {"report.schema.json": ReportMeta.model_json_schema(),
           "section.schema.json": SectionMeta.model_json_schema()}
    for name, model in DATA_FILES.items():
        out[name.replace(".yml", ".schema.json")] = model.model_json_schema()
    return out


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def fix_nfc(root: Path) -> list[Path]:
    """Rewrite content and data files that are not NFC; return those changed.

    Only plain files the layout walk accepts (no link followed, nothing outside the
    repository: the real folder of each file must be inside the real root), each
    written to a temporary file beside it and renamed over it."""
    from baocao.load import frontmatter, layout

    changed = []
    real_root = os.path.realpath(root)
    tree = layout.scan(root)
    candidates = list((root / "docs").rglob("*.md")) + list((root / "data").glob("*.yml"))
    for path in sorted(candidates):
        rel = path.relative_to(root).as_posix()
        if not tree.ok(rel) or not os.path.realpath(path.parent).startswith(real_root + os.sep):
            continue
        try:
            text = layout.read_file(path, frontmatter.MAX_FILE_BYTES).decode("utf-8-sig")
        except (layout.ReadRefused, UnicodeDecodeError):
            continue
        fixed = unicodedata.normalize("NFC", text)
        if fixed != text:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".nfc-", suffix=".tmp")
            os.fchmod(fd, os.lstat(path).st_mode & 0o777)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(fixed)
            os.replace(tmp, path)
            changed.append(path)
    return changed


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


def new_quarter(root: Path, text: str) -> int:
    from baocao.contribute import scaffold

    checked = _period_and_check(root, text, "mở kỳ mới")
    if isinstance(checked, int):
        return checked
    period, result = checked
    skipped = scaffold.skipped_quarter(result.archive, period)
    if skipped is not None:
        print(f"Cảnh báo: chưa có báo cáo {skipped.label} (kỳ ngay trước {period.label}); các số liệu đầu kỳ "
              f"không lấy được từ kỳ trước. Nếu bỏ sót, hãy mở {skipped.label} trước: "
              f"`baocao new-quarter {skipped.key}`.", file=sys.stderr)
    planned = scaffold.plan_quarter(result.archive, period, root)
    existing = scaffold.write_quarter(planned)
    if existing:
        for path in existing:
            print(f"Đã có tệp {path.relative_to(root).as_posix()}: không ghi đè.", file=sys.stderr)
        print("Không tạo tệp nào.", file=sys.stderr)
        return 1
    for item in planned:
        print(f"Đã tạo {item.path.relative_to(root).as_posix()}")
    print(f"Đã mở báo cáo {period.label}: {len(planned)} tệp. Chạy `baocao status {period.key}` để xem tiến độ.")
    return 0


def status(root: Path, text: str | None) -> int:
    from baocao.compile import aggregate
    from baocao.compile import document as pages

    result = run_check(root)
    archive = result.archive
    period = _period(text) if text else (archive.latest.period if archive.latest else None)
    if period is None:
        print("Chưa có báo cáo nào." if not text else "", file=sys.stderr)
        return 2 if text else 0
    report = archive.report(period)
    if report is None:
        print(f"Chưa có báo cáo {period.label}; mở kỳ bằng `baocao new-quarter {period.key}`.")
        return 0
    rows = aggregate.tracker(archive, report)
    print(f"Báo cáo {period.label} ({pages.REPORT_STATUS[report.meta.status].lower()}): "
          f"{pages.progress_line(archive, report)}.")
    table = []
    for row in rows:
        section = row.section
        org = archive.organisations.get(section.meta.contributor or "") if section else None
        table.append((pages.slot_label(row.slot, report, section),
                      section.source.path if section else "(chưa có tệp)",
                      org.name if org else "–",
                      pages.SECTION_STATUS[row.status].upper() if section is None else
                      pages.SECTION_STATUS[row.status]))
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    for label, path, org, state in table:
        print(f"  {label.ljust(widths[0])}  {path.ljust(widths[1])}  {org.ljust(widths[2])}  {state}")
    if result.problems:
        print(f"Kiểm tra: {summary(result.problems)} Chạy `baocao check` để xem chi tiết.")
    return 0


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


def export_docx(root: Path, text: str, output: str | None) -> int:
    from baocao.export import docx

    checked = _period_and_check(root, text, "xuất tệp Word")
    if isinstance(checked, int):
        return checked
    period, result = checked
    report = result.archive.report(period)
    if report is None:
        print(f"Chưa có báo cáo {period.label}.", file=sys.stderr)
        return 1
    path = Path(output) if output else Path(docx.docx_name(report))
    try:
        docx.write(result.archive, report, path)
    except OSError as exc:
        print(f"Không ghi được tệp {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(f"Đã ghi {path}")
    return 0


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
    if any(found):
        print("Tiêu đề văn bản: " + ", ".join(part for part in found if part) + ".")
    for path in outcome.written:
        print(f"Đã tạo {path.relative_to(root).as_posix()}")
    for line in outcome.warnings:
        print(f"Cảnh báo: {line}", file=sys.stderr)
    print(f"Đã nhập báo cáo {period.label} thành dự thảo: {len(outcome.written)} tệp. "
          f"Hãy đọc lại từng phần rồi chạy `baocao check`.")
    return 0


def run_mkdocs(root: Path, command: str, args: list[str]) -> int:
    """``mkdocs <command>`` in ``root``, its console lines said in Vietnamese
    (:mod:`baocao.console`), with ``NO_MKDOCS_2_WARNING=1``: Material 9.7 prints an English
    notice about its end of life (and MkDocs 2) at every MkDocs command, which says nothing
    to a user of this archive (pyproject.toml keeps MkDocs below 2)."""
    from baocao.console import translate

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "mkdocs", command, *args], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                             errors="replace", bufsize=1)
    assert child.stdout is not None

    def relay() -> None:
        for line in child.stdout:
            sys.stderr.write(translate(line))
            sys.stderr.flush()

    try:
        relay()
    except KeyboardInterrupt:  # Ctrl+C reaches MkDocs too: let it say goodbye, then stop
        try:
            relay()
        except KeyboardInterrupt:
            child.terminate()
    return child.wait()


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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("serve", "build"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    root = Path(args.root)
    if args.command in ("publish", "nginx", "user"):
        return serving(root, args)
    if args.command and _not_a_repository(root):
        return 2
    if args.command in ("serve", "build"):
        return run_mkdocs(root, args.command, extra)
    if args.command == "new-quarter":
        return new_quarter(root, args.period)
    if args.command == "status":
        return status(root, args.period)
    if args.command == "docx":
        return export_docx(root, args.period, args.output)
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
        for path in write_schemas(root):
            print(f"Đã ghi {path.relative_to(root).as_posix()}")
        return 0
    if args.command == "check":
        if args.fix:
            for path in fix_nfc(root):
                print(f"Đã chuyển sang Unicode NFC: {path.relative_to(root).as_posix()}")
        result = run_check(root, use_cache=not args.no_cache)
        print(render(result.problems, args.format))
        return 0 if result.ok else 1
    parser.print_help(sys.stderr)
    return 2
