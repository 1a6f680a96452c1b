"""The nginx configuration of the served site, from a Jinja2 template
(``nginx.conf.j2``): basic auth on every path, the CSP (``csp``), security headers on
every response, caching, gzip, types, the site's own 404 page, a commented TLS block.

Autoescape is off because the output is not HTML; instead every value that goes into
the template matches an allowlist pattern here (addresses, names, paths, hashes), so
nothing typed on the command line can add a directive.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import jinja2
import yaml

from baocao.serve import ServeError, csp

_SERVER_NAME = re.compile(r"^(?:_|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$")
_PATH = re.compile(r"^/[A-Za-z0-9._/+@-]*$")
_HASH = re.compile(r"^sha256-[A-Za-z0-9+/]{43}=$")
_POLICY = re.compile(r"^[A-Za-z0-9 ':;/.*-]+$")
_LISTEN = re.compile(r"^(?:(?P<host>[0-9.]+|\[[0-9a-fA-F:.]+\]|localhost|\*):)?(?P<port>[0-9]{1,5})$")

PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
               "microphone=(), payment=(), usb=()")

#: What the site serves; PDF and Word files are offered for download.
TYPES = (
    ("text/html", "html htm"),
    ("text/css", "css"),
    ("application/javascript", "js"),
    ("application/json", "json map"),
    ("text/xml", "xml"),
    ("text/plain", "txt md"),
    ("image/svg+xml", "svg"),
    ("image/png", "png"),
    ("image/jpeg", "jpg jpeg"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
    ("image/x-icon", "ico"),
    ("font/woff2", "woff2"),
    ("font/woff", "woff"),
    ("font/ttf", "ttf"),
    ("application/pdf", "pdf"),
    ("text/calendar", "ics"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("application/msword", "doc"),
    ("application/gzip", "gz"),
    ("application/manifest+json", "webmanifest"),
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
        raise ServeError(f"--listen `{text}` sai dạng; hãy viết ĐỊA_CHỈ:CỔNG, ví dụ 127.0.0.1:8080 "
                         "hoặc 0.0.0.0:80, hoặc chỉ số cổng.")
    return f"{host}:{port}" if host else str(port)


def server_name_value(text: str) -> str:
    if len(text) > 253 or not _SERVER_NAME.match(text):
        raise ServeError(f"--server-name `{text}` sai dạng; hãy viết một tên máy như baocao.daison.local "
                         "(chữ không dấu, số, dấu chấm, dấu gạch ngang) hoặc `_`.")
    return text


def path_value(option: str, path: Path) -> str:
    """An absolute path made of safe characters; relative paths are made absolute
    (without resolving symlinks: ``current`` must stay a link)."""
    text = str(path if path.is_absolute() else Path.cwd() / path)
    text = re.sub(r"/+", "/", text).rstrip("/") or "/"
    if not _PATH.match(text) or "/../" in text + "/" or "/./" in text + "/":
        raise ServeError(f"{option} `{path}`: đường dẫn chỉ được có chữ không dấu, số và . _ - + @ /; "
                         "hãy chuyển thư mục tới chỗ có tên như vậy (ví dụ /srv/baocao).")
    return text


def render(*, root: Path, listen: str, htpasswd: Path, server_name: str = "_",
           standalone: bool = False, site: Path | None = None) -> str:
    """The configuration text. Script hashes come from ``site`` (default: ``root``)."""
    values = {
        "root": path_value("--root", root),
        "htpasswd": path_value("--htpasswd", htpasswd),
        "listen": listen_value(listen),
        "server_name": server_name_value(server_name),
    }
    source = site or root
    if not (source / "index.html").is_file():
        raise ServeError(f"Không thấy trang chủ trong `{source}`: hãy phát hành trang "
                         "(`baocao publish`) trước khi tạo cấu hình nginx.")
    hashes = csp.inline_script_hashes(source)
    if any(not _HASH.match(h) for h in hashes):  # our own output (base64 of SHA-256): never
        raise ServeError("Mã băm của đoạn mã trong trang sai dạng: không tạo cấu hình.")
    admin_csp = _admin_csp(source)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    text = env.get_template("nginx.conf.j2").render(
        standalone=standalone, csp=csp.policy(hashes), admin_csp=admin_csp, permissions=PERMISSIONS,
        types=TYPES, **values)
    return re.sub(r"\n{3,}", "\n\n", text)


def _admin_csp(source: Path) -> str | None:
    """The policy of the web form at /admin/ when the site has it, for the Forgejo/Gitea
    server that the build wrote into ``admin/config.yml`` (from ``mkdocs.yml``)."""
    from baocao.contribute import cms

    if not (source / "admin" / "index.html").is_file():
        return None
    try:
        conf = yaml.safe_load((source / "admin" / "config.yml").read_text(encoding="utf-8"))
        api_root = conf["backend"].get("api_root")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        api_root = None
    policy = cms.admin_csp(api_root if isinstance(api_root, str) else None)
    if not _POLICY.match(policy):  # cms.admin_csp only lets a plain origin through: never
        raise ServeError("Chính sách bảo mật của trang /admin/ sai dạng: không tạo cấu hình.")
    return policy
