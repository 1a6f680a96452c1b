"""The site: ``serve`` (the preview on this PC) and ``build`` (MkDocs as a child, its console
in Vietnamese), and its deployment on an intranet (:mod:`baocao.deploy`): ``publish``,
``nginx``, ``user``."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from baocao.cli.common import command
from baocao.cli.parser import Parser
from baocao.deploy import DeployError

#: The MkDocs options users need, listed by ``baocao serve --help`` / ``build --help`` in
#: Vietnamese and passed on as given: (flags, metavar or None for a switch, help).
_CLEAN = (("-c", "--clean"), None, "dựng lại toàn bộ trang mỗi lần (chậm hơn)")
_STRICT = (("-s", "--strict"), None, "dừng khi có cảnh báo, như máy kiểm tra (CI)")
_TALK = ((("-v", "--verbose"), None, "in thêm chi tiết"), (("-q", "--quiet"), None, "không in cảnh báo"))
MKDOCS_OPTIONS = {
    "serve": (
        (("-a", "--dev-addr"), "ĐỊA_CHỈ:CỔNG", "địa chỉ và cổng của trang xem thử, ví dụ 127.0.0.1:8001 (mặc định: "
                                               "dev_addr trong mkdocs.yml, không có thì 127.0.0.1:8000)"),
        (("-o", "--open"), None, "mở trang trong trình duyệt khi dựng xong"),
        _CLEAN,
        (("--dirty",), None, "mỗi lần lưu chỉ dựng lại các trang thay đổi (mặc định)"),
        _STRICT,
        (("--no-livereload",), None, "không tự tải lại trang trên trình duyệt sau mỗi lần lưu"),
        *_TALK),
    "build": (
        (("-d", "--site-dir"), "THƯ_MỤC", "thư mục ghi trang web (mặc định: site/)"),
        _CLEAN,
        (("--dirty",), None, "chỉ dựng lại các trang thay đổi"),
        _STRICT,
        *_TALK),
}


def add_serve(sub) -> None:
    _mkdocs(sub, "serve", "xem thử trang web tại http://127.0.0.1:8000/ (chạy `mkdocs serve`)")


def add_build(sub) -> None:
    _mkdocs(sub, "build", "dựng trang web vào thư mục site/ (chạy `mkdocs build`)")


def _mkdocs(sub, name: str, text: str) -> None:
    run = command(sub, name, run_mkdocs, passes_on=True, help=text,
                  description=f"{text[0].upper()}{text[1:]}. Các tùy chọn dưới đây và mọi tùy chọn khác của "
                              f"`mkdocs {name}` được chuyển nguyên cho MkDocs.")
    for flags, metavar, what in MKDOCS_OPTIONS[name]:
        if metavar:
            run.add_argument(*flags, metavar=metavar, help=what)
        else:
            run.add_argument(*flags, action="store_true", help=what)


def _mkdocs_args(args) -> list[str]:
    """The options of :data:`MKDOCS_OPTIONS` given, as MkDocs reads them, then the others."""
    given = []
    for flags, metavar, _ in MKDOCS_OPTIONS[args.command]:
        value = getattr(args, flags[-1].lstrip("-").replace("-", "_"))
        if metavar and value is not None:
            given += [flags[-1], value]
        elif not metavar and value:
            given.append(flags[-1])
    return given + args.passed_on


def add_publish(sub) -> None:
    pub = command(sub, "publish", publish_site, anywhere=True,
                  help="phát hành trang đã dựng (đổi bản tức thì), hoặc quay lại bản trước")
    pub.add_argument("--to", required=True, metavar="THƯ_MỤC", help="thư mục phát hành, ví dụ /srv/baocao")
    pub.add_argument("--site", metavar="THƯ_MỤC", help="trang đã dựng (mặc định: site/ trong thư mục kho)")
    pub.add_argument("--keep", type=int, default=5, metavar="SỐ_BẢN", help="số bản gần nhất được giữ lại (mặc định 5)")
    pub.add_argument("--rollback", action="store_true", help="quay lại bản phát hành trước")


def add_nginx(sub) -> None:
    ngx = command(sub, "nginx", nginx_config, anywhere=True, help="in cấu hình nginx: đăng nhập, CSP, bộ nhớ đệm")
    ngx.add_argument("--root", dest="web_root", required=True, metavar="THƯ_MỤC",
                     help="thư mục trang đang phục vụ, ví dụ /srv/baocao/current")
    ngx.add_argument("--listen", required=True, metavar="ĐỊA_CHỈ:CỔNG", help="ví dụ 127.0.0.1:8080 hoặc 80")
    ngx.add_argument("--htpasswd", required=True, metavar="TỆP", help="tệp mật khẩu (baocao user add)")
    ngx.add_argument("--server-name", default="_", metavar="TÊN", help="tên máy chủ, ví dụ baocao.daison.local")
    ngx.add_argument("--standalone", action="store_true",
                     help="in cả tệp nginx.conf chạy riêng: nginx -p THƯ_MỤC -c TỆP (bằng root hoặc tài khoản thường)")
    ngx.add_argument("--user", default="www-data", metavar="TÊN",
                     help="với --standalone chạy bằng root: tài khoản của các tiến trình phục vụ (mặc định www-data)")


def add_user(sub) -> None:
    user = command(sub, "user", user_account, anywhere=True, help="thêm hoặc xóa tài khoản đọc báo cáo")
    user_sub = user.add_subparsers(dest="user_command", metavar="VIỆC", parser_class=Parser, required=True)
    for name, text in (("add", "thêm tài khoản (hoặc đổi mật khẩu); mật khẩu nhập từ bàn phím"),
                       ("remove", "xóa tài khoản")):
        one = user_sub.add_parser(name, help=text)
        one.add_argument("name", metavar="TÊN", help="tên đăng nhập, ví dụ nguyenvana")
        one.add_argument("--htpasswd", required=True, metavar="TỆP", help="tệp mật khẩu, ví dụ /etc/nginx/baocao.htpasswd")


def run_mkdocs(root: Path, args) -> int:
    from baocao.build.incremental import serve_args
    from baocao.mkdocs_run import run

    given = _mkdocs_args(args)
    return run(root, args.command, serve_args(given) if args.command == "serve" else given)


def _said(run):
    """``run`` with the deployment's refusals and the files it could not read or write said
    in Vietnamese (exit 1)."""
    @functools.wraps(run)
    def said(root: Path, args) -> int:
        try:
            return run(root, args)
        except DeployError as error:
            print(f"Lỗi: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"Lỗi: không ghi hoặc đọc được `{error.filename}`: {error.strerror}. Không đổi gì thêm.",
                  file=sys.stderr)
            return 1
    return said


@_said
def publish_site(root: Path, args) -> int:
    from baocao.deploy import publish

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


@_said
def nginx_config(root: Path, args) -> int:
    from baocao.deploy import nginx

    print(nginx.render(root=Path(args.web_root), listen=args.listen, htpasswd=Path(args.htpasswd),
                       server_name=args.server_name, standalone=args.standalone, user=args.user), end="")
    warning = nginx.htpasswd_warning(Path(args.htpasswd), standalone=args.standalone, user=args.user)
    if warning:
        print(f"Chú ý: {warning}", file=sys.stderr)
    return 0


@_said
def user_account(root: Path, args) -> int:
    from baocao.deploy import htpasswd

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


def _read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise DeployError("Hai lần nhập mật khẩu không giống nhau: không đổi gì.")
        return first
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line
