"""The nginx configuration of the served site, from a Jinja2 template
(``nginx.conf.j2``): basic auth on every path, the CSP (``csp``), security headers on
every response, caching, gzip, the types served (an allowlist), the site's own 404 page,
Vietnamese pages for every error nginx answers itself (``errorpages``), a commented TLS
block. The standalone form names the account its workers run as when nginx is started
by root (``user www-data``), so it works whoever starts it.

Autoescape is off because the output is not HTML; instead every value that goes into
the template matches an allowlist pattern here (addresses, names, paths, hashes), and
the error pages are quoted as nginx strings with no variable in them, so nothing typed
on the command line can add a directive.
"""

from __future__ import annotations

import grp
import ipaddress
import pwd
import re
import stat
from pathlib import Path

import jinja2
import yaml

from baocao.deploy import DeployError, csp, errorpages

_SERVER_NAME = re.compile(r"^(?:_|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$")
_PATH = re.compile(r"^/[A-Za-z0-9._/+@-]*$")
_HASH = re.compile(r"^sha256-[A-Za-z0-9+/]{43}=$")
_POLICY = re.compile(r"^[A-Za-z0-9 ':;/.*+=-]+$")
_ACCOUNT = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
#: nginx reads one configuration token into a 4 KB buffer.
_TOKEN_MAX = 4000
#: The account Debian's nginx runs its workers as.
WORKERS = "www-data"
#: Where nginx's own error pages are answered (internal only: no request reaches it).
ERROR_LOCATION = "/.baocao-loi"
_LISTEN = re.compile(r"^(?:(?P<host>[0-9.]+|\[[0-9a-fA-F:.]+\]|localhost|\*):)?(?P<port>[0-9]{1,5})$")

PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
               "microphone=(), payment=(), usb=()")

#: The types the site serves: an allowlist (anything else goes out as
#: application/octet-stream, a download, never a page). A new kind of download made by the
#: build gets its line here, and its extension in ``charset_types`` of nginx.conf.j2 when it
#: is text.
TYPES = (
    ("text/html", "html"),
    ("text/css", "css"),
    ("application/javascript", "js"),
    ("application/json", "json map"),
    ("text/xml", "xml"),
    ("text/plain", "txt yml"),  # yml: an issued report's public ban-hanh.yml, dinh-chinh.yml; admin/config.yml
    ("image/svg+xml", "svg"),
    ("image/png", "png"),
    ("image/jpeg", "jpg jpeg"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
    ("image/x-icon", "ico"),
    ("font/woff2", "woff2"),
    ("font/woff", "woff"),
    ("font/ttf", "ttf"),
    ("application/gzip", "gz"),
    ("application/manifest+json", "webmanifest"),
    # downloads
    ("application/pdf", "pdf"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("application/vnd.oasis.opendocument.text", "odt"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ("text/calendar", "ics"),
)


def listen_value(text: str) -> str:
    match = _LISTEN.match(text.strip())
    port = int(match["port"]) if match else 0
    host = match["host"] if match else None
    if host and host not in ("localhost", "*"):
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            match = None
    if not match or not 1 <= port <= 65535:
        raise DeployError(f"--listen `{text}` sai dạng; hãy viết ĐỊA_CHỈ:CỔNG, ví dụ 127.0.0.1:8080 "
                          "hoặc 0.0.0.0:80, hoặc chỉ số cổng.")
    return f"{host}:{port}" if host else str(port)


def server_name_value(text: str) -> str:
    if len(text) > 253 or not _SERVER_NAME.fullmatch(text):
        raise DeployError(f"--server-name `{text}` sai dạng; hãy viết một tên máy như baocao.daison.local "
                          "(chữ không dấu, số, dấu chấm, dấu gạch ngang) hoặc `_`.")
    return text


def path_value(option: str, path: Path) -> str:
    """An absolute path made of safe characters; relative paths are made absolute
    (without resolving symlinks: ``current`` must stay a link)."""
    text = str(path if path.is_absolute() else Path.cwd() / path)
    text = re.sub(r"/+", "/", text).rstrip("/") or "/"
    if not _PATH.match(text) or "/../" in text + "/" or "/./" in text + "/":
        raise DeployError(f"{option} `{path}`: đường dẫn chỉ được có chữ không dấu, số và . _ - + @ /; "
                          "hãy chuyển thư mục tới chỗ có tên như vậy (ví dụ /srv/baocao).")
    return text


def user_value(name: str) -> tuple[str, str]:
    """The account (and its group) the workers run as when root starts nginx."""
    try:
        account = pwd.getpwnam(name) if _ACCOUNT.match(name) else None
    except KeyError:
        account = None
    if account is None:
        raise DeployError(f"--user `{name}`: không có tài khoản này trên máy. Hãy dùng tài khoản mà nginx "
                          f"chạy các tiến trình phục vụ, thường là {WORKERS}.")
    try:
        group = grp.getgrgid(account.pw_gid).gr_name
    except KeyError:
        group = ""
    if not _ACCOUNT.match(group):
        raise DeployError(f"--user `{name}`: nhóm chính của tài khoản này không dùng được trong cấu hình nginx.")
    return name, group


def readable_by(path: Path, name: str) -> bool:
    """Whether account ``name`` may read ``path`` by its mode bits (folders on the way
    not counted), as nginx's workers must read the logins."""
    try:
        info, account = path.stat(), pwd.getpwnam(name)
    except (OSError, KeyError):
        return True  # nothing to tell (the file comes later, or another machine)
    if account.pw_uid == 0:
        return True
    groups = {account.pw_gid, *(g.gr_gid for g in grp.getgrall() if name in g.gr_mem)}
    if info.st_uid == account.pw_uid:
        return bool(info.st_mode & stat.S_IRUSR)
    if info.st_gid in groups:
        return bool(info.st_mode & stat.S_IRGRP)
    return bool(info.st_mode & stat.S_IROTH)


def nginx_string(text: str) -> str:
    """``text`` as one double-quoted nginx string with no variable in it."""
    if "$" in text or len(text) > _TOKEN_MAX:
        raise DeployError("Trang lỗi của nginx sai dạng: không tạo cấu hình.")  # our own text: never
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(*, root: Path, listen: str, htpasswd: Path, server_name: str = "_",
           standalone: bool = False, site: Path | None = None, user: str = WORKERS) -> str:
    """The configuration text. ``site`` (default: ``root``) is checked to run no inline
    script outside the theme's committed list (the policy allows those and no other)."""
    values = {
        "root": path_value("--root", root),
        "htpasswd": path_value("--htpasswd", htpasswd),
        "listen": listen_value(listen),
        "server_name": server_name_value(server_name),
    }
    workers = user_value(user) if standalone else None
    source = site or root
    if not (source / "index.html").is_file():
        raise DeployError(f"Không thấy trang chủ trong `{source}`: hãy phát hành trang "
                          "(`baocao publish`) trước khi tạo cấu hình nginx.")
    unknown = csp.unknown_scripts(source)
    if unknown:
        raise DeployError(f"Trang trong `{source}` có đoạn mã (script) không thuộc giao diện của kho, ở: "
                          f"{', '.join(sorted(set(unknown.values()))[:5])}. Hãy phát hành lại bằng `baocao publish` "
                          "(lệnh này kiểm tra đoạn mã) rồi tạo cấu hình.")
    hashes = csp.known_hashes()
    if any(not _HASH.match(h) for h in hashes):  # the committed list (base64 of SHA-256): never
        raise DeployError("Danh sách mã băm của giao diện sai dạng: không tạo cấu hình.")
    errors = errorpages.pages()
    error_csp = csp.error_page_policy(errorpages.style_hashes(errors))
    admin_csp = _admin_csp(source)
    if not all(_POLICY.match(p) for p in (error_csp, csp.policy(hashes))):  # ours: never
        raise DeployError("Chính sách bảo mật sai dạng: không tạo cấu hình.")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    text = env.get_template("nginx.conf.j2").render(
        standalone=standalone, workers=workers, csp=csp.policy(hashes), admin_csp=admin_csp,
        error_csp=error_csp, error_location=ERROR_LOCATION,
        error_pages={code: nginx_string(page) for code, page in errors.items()},
        bad_request=errorpages.AS_BAD_REQUEST, permissions=PERMISSIONS, types=TYPES, **values)
    return re.sub(r"\n{3,}", "\n\n", text)


def htpasswd_warning(htpasswd: Path, *, standalone: bool, user: str = WORKERS) -> str | None:
    """A Vietnamese warning when nginx's workers could not read the logins (every page
    would then be a 500), or None."""
    if readable_by(htpasswd, user):
        return None
    when = "khi nginx được chạy bằng root" if standalone else "(nginx của Debian)"
    return (f"Tài khoản {user}, mà nginx dùng để phục vụ {when}, không đọc được tệp mật khẩu `{htpasswd}`: "
            f"mọi trang sẽ báo lỗi 500. Hãy cho nhóm {user} đọc tệp (chgrp {user} {htpasswd}; "
            f"chmod 640 {htpasswd}), hoặc tạo lại tệp bằng `baocao user add` chạy với quyền root.")


def _admin_csp(source: Path) -> str | None:
    """The policy of the web form at /admin/ when the site has it, for the Forgejo/Gitea
    server that the build wrote into ``admin/config.yml`` (from ``mkdocs.yml``)."""
    if not (source / "admin" / "index.html").is_file():
        return None
    try:
        conf = yaml.safe_load((source / "admin" / "config.yml").read_text(encoding="utf-8"))
        api_root = conf["backend"].get("api_root")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        api_root = None
    policy = csp.admin_policy(api_root if isinstance(api_root, str) else None)
    if not _POLICY.match(policy):  # csp.admin_policy only lets a plain origin through: never
        raise DeployError("Chính sách bảo mật của trang /admin/ sai dạng: không tạo cấu hình.")
    return policy
