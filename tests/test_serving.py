"""Serving on the intranet with Debian's real nginx, started here on 127.0.0.1 with a
free port: login on every path, the security headers on every response, a strict CSP
under which Material's pages, search and the print button work in Chromium, releases
switched atomically while a client polls, rollback, and the readers' logins. Bad input
gets a Vietnamese error and changes nothing."""

from __future__ import annotations

import base64
import contextlib
import filecmp
import grp
import http.client
import json
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from baocao.deploy import DeployError, csp, errorpages, htpasswd
from conftest import ROOT, copy_repo, mkdocs_build

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REPORT = "/reports/2025-q3/"
SECTION = "/reports/2025-q3/cong-an/"
USER, PASSWORD = "bientap", "mat-khau-thu-1"
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
           "Permissions-Policy", "X-Frame-Options", "Cache-Control")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baocao", *args], input=stdin, capture_output=True,
                          text=True, timeout=300, cwd=cwd or ROOT)


def tree(path: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``path`` (contents, symlink targets), to compare."""
    out: dict[str, bytes | None] = {}
    for item in sorted(path.rglob("*")):
        key = item.relative_to(path).as_posix()
        if item.is_symlink():
            out[key] = os.readlink(item).encode()
        elif item.is_file():
            out[key] = item.read_bytes()
        else:
            out[key] = None
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, auth: tuple[str, str] | None = (USER, PASSWORD), gzip: bool = False):
    """(status, headers, body) of a GET; errors are answers too."""
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    if gzip:
        request.add_header("Accept-Encoding", "gzip")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# --- sites, releases and a running nginx -------------------------------------------


@pytest.fixture(scope="module")
def sites(shipped_site, tmp_path_factory) -> tuple[Path, Path, Path]:
    """Two real builds of the shipped content that differ on every page (the site name),
    with a PDF and a Word file added; and the repository copy they come from."""
    base = tmp_path_factory.mktemp("serving")
    old = base / "old"
    shutil.copytree(shipped_site, old)
    repo = copy_repo(base / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: Báo cáo", "site_name: Bản mới — Báo cáo", 1), encoding="utf-8")
    new = base / "new"
    result = mkdocs_build(repo, new)
    assert result.returncode == 0, result.stderr
    for site in (old, new):
        (site / "reports/2025-q3/bao-cao.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        (site / "reports/2025-q3/bao-cao.docx").write_bytes(b"PK\x03\x04docx")
    return old, new, repo


def _nginx_or_skip() -> None:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: tests/install.sh must install it")
        pytest.skip("Debian nginx not installed (run tests/install.sh)")


def as_account(who: str) -> tuple[list[str], int]:
    """The command prefix that runs a program as ``who`` ("root", or "user": an account
    without privileges), and that account's uid. The tests run as root in CI (a fresh
    Debian machine: ``nobody`` and ``setpriv`` are part of every Debian installation);
    run elsewhere as a user, only the "user" case can run."""
    if who == "root":
        if os.geteuid() != 0:
            if os.environ.get("CI"):
                pytest.fail("CI runs the tests as root: nginx started by root is tested there")
            pytest.skip("starting nginx as root needs the tests to run as root")
        return [], 0
    if os.geteuid() != 0:
        return [], os.geteuid()
    nobody = pwd.getpwnam("nobody")
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"], nobody.pw_uid


@contextlib.contextmanager
def running_nginx(conf: Path, prefix: Path, port: int, as_user: list[str]):
    """Debian's nginx on ``conf`` (``nginx -p prefix -c conf``) until the block ends."""
    checked = subprocess.run([*as_user, NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    log_path = prefix.parent / f"stderr-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([*as_user, NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                                   stdout=log, stderr=log)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert process.poll() is None, log_path.read_text()
                    time.sleep(0.05)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def _workers(master: int) -> set[str]:
    """The accounts nginx's worker processes run as."""
    names = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            names.add(pwd.getpwuid(int(fields["Uid"].split()[1])).pw_name)
    return names


def standalone(www: Path, users: Path, work: Path, port: int, *extra: str) -> Path:
    """``baocao nginx --standalone`` for ``www/current`` written to ``work/nginx.conf``."""
    made = cli("nginx", "--root", str(www / "current"), "--listen", f"127.0.0.1:{port}",
               "--htpasswd", str(users), "--standalone", *extra)
    assert made.returncode == 0, made.stderr
    conf = work / "nginx.conf"
    conf.write_text(made.stdout, encoding="utf-8")
    conf.chmod(0o644)
    return conf


@pytest.fixture(scope="module")
def server(sites):
    """Debian's nginx serving ``www/current`` (the old build published), with one reader,
    started as the administrator would start it: by root (its workers then run as
    www-data), the logins made by ``baocao user add`` as root (root:www-data, 0640)."""
    _nginx_or_skip()
    old, _new, repo = sites
    work = Path(tempfile.mkdtemp(prefix="baocao-nginx-"))
    work.chmod(0o755)  # the workers (www-data) must reach the site
    try:
        www, prefix, users = work / "www", work / "prefix", work / "htpasswd"
        prefix.mkdir()
        done = cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old))
        assert done.returncode == 0, done.stderr
        assert "Đã phát hành" in done.stdout
        added = cli("user", "add", USER, "--htpasswd", str(users), stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        assert oct(users.stat().st_mode & 0o777) == "0o640"
        port = _free_port()
        conf = standalone(www, users, work, port)
        with running_nginx(conf, prefix, port, []):
            yield {"base": f"http://127.0.0.1:{port}", "www": www, "users": users, "repo": repo,
                   "conf": conf, "old": old, "new": sites[1], "prefix": prefix}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _asset(site: Path) -> str:
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js"))
    return "/" + bundle.relative_to(site).as_posix()


# --- login and headers --------------------------------------------------------------


def test_every_path_needs_login(server):
    for path in ("/", REPORT, _asset(server["old"]), "/404.html", "/no-such-page/"):
        status, headers, _ = fetch(server["base"] + path, auth=None)
        assert status == 401, path
        assert headers["WWW-Authenticate"].startswith("Basic"), path
        for name in HEADERS:
            assert headers[name], (path, name)
        assert fetch(server["base"] + path, auth=(USER, "sai-mat-khau"))[0] == 401
    for path in ("/", REPORT, SECTION, _asset(server["old"])):
        assert fetch(server["base"] + path)[0] == 200, path


def test_headers_on_every_kind_of_response(server):
    base, old = server["base"], server["old"]
    answers = {path: fetch(base + path) for path in
               ("/", REPORT, _asset(old), "/assets/stylesheets/baocao.css", "/no-such-page/", "/.hidden",
                "/reports/2025-q3/bao-cao.pdf", "/reports/2025-q3/bao-cao.docx")}
    hashes = csp.inline_script_hashes(old)
    assert hashes
    for path, (_status, headers, _body) in answers.items():
        policy = headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'", path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert all(f"'{h}'" in directives["script-src"] for h in hashes), path
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert directives["worker-src"] == "'self'"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
    assert answers["/"][0] == 200 and answers["/"][1]["Cache-Control"] == "no-cache"
    assert answers["/assets/stylesheets/baocao.css"][1]["Cache-Control"] == "no-cache"
    assert answers[_asset(old)][1]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answers[_asset(old)][1]["Content-Type"].startswith("application/javascript")
    # the site's own 404 page, with the headers
    status, headers, body = answers["/no-such-page/"]
    assert status == 404 and body == (old / "404.html").read_bytes()
    assert answers["/.hidden"][0] == 404
    assert answers["/reports/2025-q3/bao-cao.pdf"][1]["Content-Type"] == "application/pdf"
    assert answers["/reports/2025-q3/bao-cao.docx"][1]["Content-Type"] == DOCX
    # YAML (the seal's public manifests and errata, the form's configuration): text a reader can read
    assert fetch(base + "/admin/config.yml")[1]["Content-Type"] == "text/plain; charset=utf-8"
    # gzip for text
    status, headers, _ = fetch(base + "/assets/stylesheets/baocao.css", gzip=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Security-Policy"]


# --- whoever starts nginx; nginx's own pages in Vietnamese (issue 24.7, 24.8) ----------


def _vietnamese_page(status: int, headers, body: bytes) -> str:
    """The page's text, checked to be one of baocao's error pages, with the headers."""
    text = body.decode("utf-8")
    code = 400 if status in errorpages.AS_BAD_REQUEST else status
    assert '<html lang="vi">' in text and f"<h1>{errorpages.PAGES[code][0]}</h1>" in text, (status, text[:300])
    assert "<center>" not in text and not re.search(r"[A-Z][a-z]+ (Required|Error|Allowed|Unavailable|Request)", text)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "script-src" not in policy
    for name in HEADERS[1:]:
        assert headers[name], name
    return text


@pytest.mark.parametrize("who", ["root", "user"])
def test_standalone_config_works_whoever_starts_it(sites, who):
    """Started by root, nginx's workers run as www-data and read the logins as `baocao user
    add` run by root leaves them (root:www-data, 0640); started by an account without
    privileges, they run as that account and read its own files. Either way every page is
    served (on today's code, root's workers ran as `nobody` and every page was a 500)."""
    _nginx_or_skip()
    as_user, uid = as_account(who)
    old, _new, repo = sites
    work = Path(tempfile.mkdtemp(prefix="baocao-nginx-"))
    work.chmod(0o755)
    try:
        www, prefix, users = work / "www", work / "prefix", work / "htpasswd"
        prefix.mkdir()
        assert cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old)).returncode == 0
        assert cli("user", "add", USER, "--htpasswd", str(users), stdin=PASSWORD + "\n").returncode == 0
        if who == "root":
            assert (users.stat().st_uid, users.stat().st_gid) == (0, grp.getgrnam("www-data").gr_gid)
            assert oct(users.stat().st_mode & 0o777) == "0o640"
        elif uid != os.geteuid():  # the account's own files: its logins, its nginx folder
            os.chown(users, uid, -1)
            os.chown(prefix, uid, -1)
        port = _free_port()
        conf = standalone(www, users, work, port)
        base = f"http://127.0.0.1:{port}"
        with running_nginx(conf, prefix, port, as_user) as process:
            for path in ("/", REPORT, SECTION, _asset(old)):
                status, _headers, body = fetch(base + path)
                assert status == 200, (path, body[:300])
            assert _workers(process.pid) == {"www-data" if who == "root" else pwd.getpwuid(uid).pw_name}
            assert fetch(base + REPORT)[2] == (old / "reports/2025-q3/index.html").read_bytes()
            status, headers, body = fetch(base + "/", auth=None)
            assert status == 401 and headers["WWW-Authenticate"] == 'Basic realm="baocao"'
            _vietnamese_page(status, headers, body)
            if who == "root":
                # logins the workers cannot read: nginx's own 500, in Vietnamese
                users.chmod(0o600)
                status, headers, body = fetch(base + "/")
                assert status == 500
                assert "thiếu quyền đọc tệp mật khẩu" in _vietnamese_page(status, headers, body)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_nginx_warns_when_its_workers_cannot_read_the_logins(server, tmp_path):
    users = tmp_path / "htpasswd"
    shutil.copy(server["users"], users)
    args = ("nginx", "--root", str(server["www"] / "current"), "--listen", "8080", "--htpasswd", str(users))
    users.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(users, 0, grp.getgrnam("www-data").gr_gid)
    quiet = cli(*args)
    assert quiet.returncode == 0 and quiet.stderr == ""
    users.chmod(0o600)
    warned = cli(*args, "--standalone")
    assert warned.returncode == 0 and "server {" in warned.stdout
    assert "www-data" in warned.stderr and "không đọc được tệp mật khẩu" in warned.stderr
    assert "lỗi 500" in warned.stderr
    _refused(cli(*args, "--standalone", "--user", "khong-co-ai"), "--user")


def test_login_page_is_vietnamese_and_readable_without_login(server):
    for path in ("/", REPORT, "/no-such-page/", "/.hidden", "/.baocao-loi", "/assets/"):
        status, headers, body = fetch(server["base"] + path, auth=None)
        assert status == 401, path
        text = _vietnamese_page(status, headers, body)
        assert "liên hệ Văn phòng Đảng ủy" in text
    # logged in: the site's own 404 page; a folder without a page: nginx's 403, in Vietnamese
    status, _headers, body = fetch(server["base"] + "/no-such-page/")
    assert status == 404 and body == (server["old"] / "404.html").read_bytes()
    status, headers, body = fetch(server["base"] + "/assets/")
    assert status == 403
    _vietnamese_page(status, headers, body)


def _request(base: str, method: str, path: str, body: bytes | None = None):
    request = urllib.request.Request(base + path, data=body, method=method)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_error_nginx_answers_is_in_vietnamese(server):
    """Each status nginx has an English page of gets baocao's page instead. The generated
    configuration is served with one added location per status (``return NNN``), by root
    as in production; requests that make nginx answer by itself come first."""
    base = server["base"]
    assert _request(base, "POST", "/", b"x=1")[0] == 405
    _vietnamese_page(*_request(base, "POST", "/", b"x=1"))
    _vietnamese_page(*_request(base, "GET", "/" + "a" * 20_000))  # 414
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")  # two Host lines: 400
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b'<html lang="vi">' in body and b"nginx" not in body

    codes = [*errorpages.PAGES, *errorpages.AS_BAD_REQUEST]
    text = server["conf"].read_text(encoding="utf-8")
    locations = "".join(f"        location = /__status/{code} {{ return {code}; }}\n" for code in codes)
    text = text.replace("        location / {", locations + "        location / {", 1)
    prefix = Path(tempfile.mkdtemp(prefix="prefix-", dir=server["prefix"].parent))
    port = _free_port()
    text = text.replace(f"listen {base.rsplit(':', 1)[1]};", f"listen 127.0.0.1:{port};")
    text = text.replace(f"listen 127.0.0.1:{base.rsplit(':', 1)[1]};", f"listen 127.0.0.1:{port};")
    conf = prefix / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    with running_nginx(conf, prefix, port, []):
        for code in codes:
            if code == 408:  # nginx closes the connection on a timeout, sending no page at all
                with pytest.raises(http.client.RemoteDisconnected):
                    fetch(f"http://127.0.0.1:{port}/__status/{code}")
                continue
            status, headers, body = fetch(f"http://127.0.0.1:{port}/__status/{code}")
            if code == 404:
                assert status == 404 and body == (server["old"] / "404.html").read_bytes()
                continue
            assert status == (400 if code in errorpages.AS_BAD_REQUEST else code), code
            _vietnamese_page(status, headers, body)


@pytest.mark.browser
def test_login_page_in_chromium_without_login(browser, server):
    """The 401 page as a reader sees it on cancelling the login box: styled by its inline
    style under its own policy, with no violation. (Chromium, given no login, stops at the
    401; the test hands it nginx's answer without the WWW-Authenticate header, every other
    header, the policy included, as nginx sent it.)"""
    context = browser.new_context()
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
    """)
    answers = []
    policies: list[str] = []  # replaces nginx's policy when set (the check that the policy is applied)

    def without_login_box(route):
        status, headers, body = fetch(route.request.url, auth=None)
        answers.append(status)
        kept = {k: v for k, v in headers.items() if k.lower() not in ("www-authenticate", "content-length")}
        if policies:
            kept["Content-Security-Policy"] = policies[0]
        route.fulfill(status=status, headers=kept, body=body)

    context.route("**/*", without_login_box)
    page = context.new_page()
    response = page.goto(server["base"] + REPORT)
    assert response.status == 401 and answers == [401]
    assert response.headers["content-security-policy"].startswith("default-src 'none'; style-src 'sha256-")
    assert page.locator("h1").inner_text() == "Cần đăng nhập"
    assert page.evaluate("document.documentElement.lang") == "vi"
    background = "getComputedStyle(document.querySelector('header')).backgroundColor"
    assert page.evaluate(background) == "rgb(139, 0, 0)"
    assert page.evaluate("window.__csp") == []
    # under the site's policy (no hash for the style) the same page loses its style
    policies.append(csp.policy())
    page.goto(server["base"] + "/")
    assert page.evaluate(background) == "rgba(0, 0, 0, 0)" and page.evaluate("window.__csp") == ["style-src-elem"]
    context.close()


def test_web_form_gets_its_own_policy(server):
    """/admin/ (Decap CMS) needs 'unsafe-eval' and inline styles (tests/test_cms.py measures
    it); the rest of the site keeps the strict policy."""
    status, headers, _ = fetch(server["base"] + "/admin/")
    assert status == 200
    assert headers["Content-Security-Policy"] == csp.admin_policy("http://git.intranet/api/v1")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-eval" not in fetch(server["base"] + "/")[1]["Content-Security-Policy"]


def test_server_block_alone_is_valid_inside_an_http_block(server, tmp_path):
    """The default output (no --standalone) is a server block for Debian's conf.d."""
    made = cli("nginx", "--root", str(server["www"] / "current"), "--listen", "127.0.0.1:8080",
               "--htpasswd", str(server["users"]), "--server-name", "baocao.daison.local")
    assert made.returncode == 0, made.stderr
    assert "server_name baocao.daison.local;" in made.stdout
    assert "# ssl_certificate" in made.stdout  # the commented TLS block
    block = tmp_path / "baocao.conf"
    block.write_text(made.stdout, encoding="utf-8")
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n include {block};\n}}\n",
                    encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    # no location sets a header of its own (nginx would drop the server's headers there)
    lines = [line.strip() for line in made.stdout.splitlines() if not line.strip().startswith("#")]
    inside = False
    for line in lines:
        inside = inside or line.startswith("location ")
        assert not (inside and line.startswith("add_header")), line
        inside = inside and line != "}"
    assert sum(line.startswith("location ") for line in lines) >= 2


def test_user_add_change_and_remove_on_the_live_server(server):
    base, users = server["base"], server["users"]
    assert cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin="mot-mat-khau\n").returncode == 0
    assert fetch(base + "/", auth=("nguyenvana", "mot-mat-khau"))[0] == 200
    changed = cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin="mat-khau-moi\n")
    assert changed.returncode == 0 and "Đã đổi mật khẩu" in changed.stdout
    assert fetch(base + "/", auth=("nguyenvana", "mot-mat-khau"))[0] == 401
    assert fetch(base + "/", auth=("nguyenvana", "mat-khau-moi"))[0] == 200
    removed = cli("user", "remove", "nguyenvana", "--htpasswd", str(users))
    assert removed.returncode == 0, removed.stderr
    assert fetch(base + "/", auth=("nguyenvana", "mat-khau-moi"))[0] == 401
    assert fetch(base + "/")[0] == 200  # the other reader is untouched
    assert htpasswd.users(users) == [USER]


# --- the pages under the policy, in Chromium ----------------------------------------


@pytest.fixture
def page(browser, server):
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD})
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
    """)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


@pytest.mark.browser
def test_pages_load_without_csp_violations(page, server):
    for path in ("/", REPORT, SECTION, "/reports/", "/thong-ke/", "/to-chuc/", "/van-ban/", "/tien-do/"):
        page.goto(server["base"] + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
        # Material's inline bootstrap ran (it defines __md_get), so its hash was accepted
        assert page.evaluate("typeof window.__md_get") == "function", path
    assert page.problems == []
    # the site's own 404 page, served by nginx with its status
    page.goto(server["base"] + "/no-such-page/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("typeof window.__md_get") == "function"
    assert [p for p in page.problems if "404" not in p] == []


@pytest.mark.browser
def test_search_works_under_the_policy(page, server):
    page.goto(server["base"] + "/")
    box = page.locator("input.md-search__input")
    box.fill("dang vien")
    box.press("End")  # Material reads the query on key-up
    # (a locator, not wait_for_function: the policy forbids the eval it polls with)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__list a", "els => els.map(a => a.href)")
    assert any(REPORT in link for link in links)
    marks = page.eval_on_selector_all(".md-search-result__list mark", "els => els.map(m => m.innerText)")
    assert any(not m.isascii() for m in marks), marks
    assert page.evaluate("window.__csp") == []
    assert page.problems == []


@pytest.mark.browser
def test_print_button_prints_without_inline_handler(page, server):
    page.goto(server["base"] + REPORT)
    button = page.locator(".bc-print")
    assert button.get_attribute("onclick") is None
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("window.__csp") == [] and page.problems == []


def _inline_attributes(site: Path) -> list[str]:
    import re

    found = []
    pattern = re.compile(r"<[a-zA-Z][^>]*?\s(style|on[a-z]+)\s*=", re.S)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found += [f"{page.relative_to(site)}: {m.group(1)}" for m in pattern.finditer(text)]
    return found


def test_no_inline_style_or_event_handler_on_any_page(shipped_site, sample_site):
    assert _inline_attributes(shipped_site) == []
    assert _inline_attributes(sample_site[1]) == []


# --- releases -------------------------------------------------------------------------


def test_publish_while_polling_then_rollback(server):
    base, www, old, new = server["base"], server["www"], server["old"], server["new"]
    paths = ("/", REPORT, SECTION)
    versions = {p: {(old / p.lstrip("/") / "index.html").read_bytes(): "old",
                    (new / p.lstrip("/") / "index.html").read_bytes(): "new"} for p in paths}
    assert all(len(v) == 2 for v in versions.values())
    seen: list[tuple[str, int, str]] = []
    published = threading.Event()

    def poll() -> None:
        after = 0
        for i in range(20_000):  # bounded: stops soon after the switch is seen
            path = paths[i % len(paths)]
            status, _headers, body = fetch(base + path)
            which = versions[path].get(body, "mixed") if status == 200 else "error"
            seen.append((path, status, which))
            if published.is_set():
                after += 1
                if after >= 60:
                    return

    poller = threading.Thread(target=poll)
    poller.start()
    for _ in range(3000):  # the client is polling before the switch
        if len(seen) >= 30 or not poller.is_alive():
            break
        time.sleep(0.01)
    done = cli("--root", str(server["repo"]), "publish", "--to", str(www), "--site", str(new))
    published.set()
    poller.join(timeout=120)
    assert done.returncode == 0, done.stderr
    kinds = [which for _path, _status, which in seen]
    assert set(kinds) <= {"old", "new"}, [s for s in seen if s[2] not in ("old", "new")][:5]
    assert kinds[0] == "old" and kinds[-1] == "new"
    # once the new release is seen, the old one never comes back
    assert "old" not in kinds[kinds.index("new"):]
    releases = sorted(p for p in (www / "releases").iterdir() if p.is_dir())
    assert len(releases) == 2
    assert sorted(p.name for p in (www / "releases").iterdir() if not p.is_dir()) == [
        f"{r.name}.sha256" for r in releases]
    assert tree(www / "current") == tree(new)

    back = cli("publish", "--rollback", "--to", str(www))
    assert back.returncode == 0, back.stderr
    assert "Đã quay lại" in back.stdout
    assert os.readlink(www / "current") == f"releases/{releases[0].name}"
    assert tree(www / "current") == tree(old)
    assert filecmp.dircmp(www / "current", old).diff_files == []
    for path in paths:
        assert fetch(base + path)[2] == (old / path.lstrip("/") / "index.html").read_bytes()
    # nothing older to go back to
    again = cli("publish", "--rollback", "--to", str(www))
    assert again.returncode == 1 and "Không còn bản nào cũ hơn" in again.stderr
    assert os.readlink(www / "current") == f"releases/{releases[0].name}"


def test_keep_removes_old_releases_but_never_the_current(sites, tmp_path):
    old, new, repo = sites
    www = tmp_path / "www"
    for site in (old, new, old):
        done = cli("--root", str(repo), "publish", "--to", str(www), "--site", str(site), "--keep", "2")
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (www / "releases").iterdir() if p.is_dir())
    assert len(names) == 2 and os.readlink(www / "current") == f"releases/{names[-1]}"
    assert sorted(p.name for p in (www / "releases").glob("*.sha256")) == [f"{n}.sha256" for n in names]
    assert "Đã xóa 1 bản cũ" in done.stdout
    assert tree(www / "current") == tree(old)


@pytest.mark.parametrize("where, script", [
    ("index.html", "<script>var x=1</script>"),
    ("reports/2025-q3/index.html", "<script type=module>import('/x.js')</script>"),
    ("assets/anh.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
])
def test_publish_refuses_an_inline_script_not_in_the_theme_list(sites, tmp_path, where, script):
    """Issue 24.10: the policy's hashes are the committed list of the theme's scripts; a release
    with any other inline script is refused (today it was published and publish advised adding
    its hash to the policy)."""
    old, _new, repo = sites
    www = tmp_path / "www"
    assert cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old)).returncode == 0
    before = tree(www)
    other = tmp_path / "other"
    shutil.copytree(old, other)
    page = other / where
    if page.exists():
        page.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    else:
        page.write_text(script, encoding="utf-8")
    _refused(cli("--root", str(repo), "publish", "--to", str(www), "--site", str(other)),
             f"đoạn mã (script) không thuộc giao diện của kho, ở: {where}")
    assert tree(www) == before
    # nor is a configuration made for it
    _refused(cli("nginx", "--root", str(other), "--listen", "8080", "--htpasswd", "/etc/nginx/baocao.htpasswd"),
             where)


def test_policy_comes_from_the_committed_list_not_from_the_build(sites, server):
    """Every inline script of the real builds is in the list, which names the installed
    theme's version (a theme upgrade fails here until the list is updated deliberately:
    tools/csp/update-inline-scripts.py, then review the diff)."""
    from importlib.metadata import version

    listed = json.loads(csp.KNOWN.read_text(encoding="utf-8"))
    assert listed["material"] == version("mkdocs-material"), "update the list with the theme"
    assert {csp.script_hash(text) for text in listed["scripts"].values()} == set(listed["scripts"])
    for site in sites[:2]:
        assert set(csp.inline_script_hashes(site)) <= csp.known_hashes()
    policy = fetch(server["base"] + "/")[1]["Content-Security-Policy"]
    script_src = dict(part.strip().split(" ", 1) for part in policy.split(";"))["script-src"].split()
    assert set(script_src) == {"'self'", *(f"'{h}'" for h in csp.known_hashes())}
    # the bootstrap of every folder depth a page may have, and the 404 page's (site root)
    assert len(listed["scripts"]) == csp.DEPTHS + 3


# --- bad input: a Vietnamese error, nothing changed -----------------------------------


def _refused(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert words in result.stderr, result.stderr
    assert result.stderr.startswith("Lỗi: ") and "Traceback" not in result.stderr


def test_target_that_is_not_a_releases_folder(sites, tmp_path):
    old, _new, repo = sites
    other = tmp_path / "var-www"
    other.mkdir()
    (other / "index.html").write_text("trang khác", encoding="utf-8")
    before = tree(other)
    _refused(cli("--root", str(repo), "publish", "--to", str(other), "--site", str(old)),
             "không phải là thư mục phát hành")
    assert tree(other) == before
    _refused(cli("publish", "--rollback", "--to", str(other)), "không phải là thư mục phát hành")
    assert tree(other) == before
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    _refused(cli("--root", str(repo), "publish", "--to", str(a_file), "--site", str(old)), "là một tệp")
    _refused(cli("publish", "--rollback", "--to", str(tmp_path / "none")), "chưa phát hành lần nào")
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("remove, words", [
    ("index.html", "thiếu trang chủ"),
    ("reports/2025-q3/index.html", "thiếu trang báo cáo: reports/2025-q3/index.html"),
    ("reports/2025-q3/cong-an/index.html", "reports/2025-q3/cong-an/index.html"),
])
def test_site_without_its_pages_is_not_published(sites, tmp_path, remove, words):
    old, new, repo = sites
    www = tmp_path / "www"
    assert cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old)).returncode == 0
    broken = tmp_path / "broken"
    shutil.copytree(new, broken)
    (broken / remove).unlink()
    before = tree(www)
    _refused(cli("--root", str(repo), "publish", "--to", str(www), "--site", str(broken)), words)
    assert tree(www) == before
    # a fresh target is not even created
    _refused(cli("--root", str(repo), "publish", "--to", str(tmp_path / "fresh"), "--site", str(broken)), words)
    assert not (tmp_path / "fresh").exists()


def test_site_whose_page_offers_a_missing_download_is_not_published(sites, tmp_path):
    """Issue 24.11: the report page offers the PDF and the Word file; a build that left one out
    (BAOCAO_PDF or BAOCAO_DOCX forgotten, a failed print) is not published."""
    old, _new, repo = sites
    broken = tmp_path / "broken"
    shutil.copytree(old, broken)
    page = broken / "reports/2025-q3/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<a href="bao-cao.pdf">PDF</a><a href="../../tai/bao-cao-2025-q3.docx">Word</a></body>'),
        encoding="utf-8")
    published = cli("--root", str(repo), "publish", "--to", str(tmp_path / "ok"), "--site", str(broken))
    assert published.returncode == 1 and "bao-cao-2025-q3.docx" in published.stderr  # the PDF is there
    (broken / "tai").mkdir()
    (broken / "tai/bao-cao-2025-q3.docx").write_bytes(b"PK")
    assert cli("--root", str(repo), "publish", "--to", str(tmp_path / "ok"), "--site", str(broken)).returncode == 0
    (broken / "reports/2025-q3/bao-cao.pdf").unlink()
    _refused(cli("--root", str(repo), "publish", "--to", str(tmp_path / "www"), "--site", str(broken)),
             "Trang `reports/2025-q3/index.html` của bản dựng có nút tải `bao-cao.pdf` nhưng thiếu tệp đó")
    assert not (tmp_path / "www").exists()


def test_report_list_comes_from_the_site_too(sites, tmp_path):
    """Published from outside the repository, the site's own archive page lists the reports."""
    old, _new, _repo = sites
    broken = tmp_path / "broken"
    shutil.copytree(old, broken)
    shutil.rmtree(broken / "reports/2025-q3")
    _refused(cli("--root", str(tmp_path), "publish", "--to", str(tmp_path / "www"), "--site", str(broken)),
             "reports/2025-q3/index.html")


def test_site_with_a_symlink_is_not_published(sites, tmp_path):
    old, _new, repo = sites
    linked = tmp_path / "linked"
    shutil.copytree(old, linked)
    (linked / "passwd").symlink_to("/etc/passwd")
    _refused(cli("--root", str(repo), "publish", "--to", str(tmp_path / "www"), "--site", str(linked)),
             "liên kết tượng trưng")
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize("name, words", [
    ("ten:hai-cham", "dấu hai chấm"),
    ("ten\nxuong-dong", "xuống dòng"),
    ("Nguyễn", "chỉ chữ không dấu"),
])
def test_user_name_with_colon_or_newline(tmp_path, name, words):
    users = tmp_path / "htpasswd"
    cli("user", "add", "dau-tien", "--htpasswd", str(users), stdin="mat-khau-dai\n")
    before = users.read_bytes()
    _refused(cli("user", "add", name, "--htpasswd", str(users), stdin="mat-khau-dai\n"), words)
    _refused(cli("user", "remove", name, "--htpasswd", str(users)), words)
    assert users.read_bytes() == before


def test_unwritable_htpasswd(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", str(folder), stdin="mat-khau-dai\n"),
             "là một thư mục")
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", str(tmp_path / "no" / "htpasswd"),
                 stdin="mat-khau-dai\n"), "Không có thư mục")
    # /proc refuses new files even to root
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", "/proc/baocao-htpasswd",
                 stdin="mat-khau-dai\n"), "htpasswd")
    assert list(folder.iterdir()) == [] and not (tmp_path / "no").exists()


def test_bad_passwords_and_missing_users(tmp_path):
    users = tmp_path / "htpasswd"
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin="ngan\n"), "quá ngắn")
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin=""), "quá ngắn")
    assert not users.exists()
    cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin="mat-khau-dai\n")
    before = users.read_bytes()
    _refused(cli("user", "remove", "khong-co", "--htpasswd", str(users)), "Không có tài khoản")
    assert users.read_bytes() == before
    assert before.startswith(b"nguyenvana:$6$")


@pytest.mark.parametrize("option, value, words", [
    ("--listen", "127.0.0.1:8080; include /etc/shadow", "--listen"),
    ("--listen", "127.0.0.1:99999", "--listen"),
    ("--listen", "intranet:80", "--listen"),
    ("--server-name", "baocao.local; return 200", "--server-name"),
    ("--htpasswd", "/etc/nginx/mật khẩu", "--htpasswd"),
    ("--htpasswd", "/etc/nginx/x;y", "--htpasswd"),
])
def test_nginx_values_are_allowlisted(sites, option, value, words):
    old = sites[0]
    args = {"--root": str(old), "--listen": "127.0.0.1:8080", "--htpasswd": "/etc/nginx/baocao.htpasswd",
            "--server-name": "_"}
    args[option] = value
    result = cli("nginx", *[x for pair in args.items() for x in pair])
    _refused(result, words)
    assert result.stdout == ""


def test_nginx_before_anything_is_published(tmp_path):
    _refused(cli("nginx", "--root", str(tmp_path / "www" / "current"), "--listen", "8080",
                 "--htpasswd", "/etc/nginx/baocao.htpasswd"), "baocao publish")


# --- files of the logins and of the releases, never through a link (issue 24.9) ------------


def test_user_add_refuses_a_symlink_at_the_logins(tmp_path):
    victim = tmp_path / "shadow"
    victim.write_text("root:x:0:0\n", encoding="utf-8")
    folder = tmp_path / "nginx"
    folder.mkdir(mode=0o755)
    users = folder / "baocao.htpasswd"
    users.symlink_to(victim)
    for args in (("add", "nguyenvana"), ("remove", "root")):
        _refused(cli("user", *args, "--htpasswd", str(users), stdin="mat-khau-dai\n"), "liên kết tượng trưng")
    assert users.is_symlink() and victim.read_text(encoding="utf-8") == "root:x:0:0\n"
    assert sorted(p.name for p in folder.iterdir()) == ["baocao.htpasswd"]


@pytest.mark.parametrize("mode, owner", [(0o777, None), (0o1777, None), (0o775, "www-data"), (0o755, "nobody")])
def test_user_add_refuses_a_folder_another_account_may_write(tmp_path, mode, owner):
    """World-writable (sticky or not), writable by a group with other members, or owned by
    another account: that account could swap the names the command writes."""
    if owner and os.geteuid() != 0:
        pytest.skip("needs root to give the folder to another account")
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    if owner == "www-data":
        os.chown(folder, 0, grp.getgrnam("www-data").gr_gid)
    elif owner:
        os.chown(folder, pwd.getpwnam(owner).pw_uid, -1)
    _refused(cli("user", "add", "nguyenvana", "--htpasswd", str(folder / "htpasswd"), stdin="mat-khau-dai\n"),
             "cho tài khoản khác ghi vào")
    assert list(folder.iterdir()) == []


def test_user_add_sets_mode_and_owner_on_the_open_file(tmp_path, monkeypatch):
    """The new file gets its mode and owner through its descriptor: a temporary name swapped
    for a symlink while it is written (by an account that could write the folder) changes
    nothing outside, and the swapped file is not put in place. (On today's code the victim,
    a root-owned 0600 file, got the old file's mode and owner.)"""
    folder = tmp_path / "nginx"
    folder.mkdir(mode=0o755)
    users = folder / "baocao.htpasswd"
    htpasswd.add(users, "dau-tien", "mat-khau-dai")
    users.chmod(0o644)
    if os.geteuid() == 0:
        os.chown(users, pwd.getpwnam("nobody").pw_uid, -1)
    victim = tmp_path / "victim"
    victim.write_text("bí mật\n", encoding="utf-8")
    victim.chmod(0o600)
    before = users.read_bytes()
    real_fsync = os.fsync
    swapped = []

    def fsync_then_swap(fd: int) -> None:
        real_fsync(fd)
        if not swapped and stat.S_ISREG(os.fstat(fd).st_mode):
            temporary = next(p for p in folder.iterdir() if p.name.startswith(".baocao.htpasswd."))
            temporary.unlink()
            temporary.symlink_to(victim)
            swapped.append(temporary)

    monkeypatch.setattr(os, "fsync", fsync_then_swap)
    with pytest.raises(DeployError, match="bị tráo"):
        htpasswd.add(users, "nguyenvana", "mat-khau-dai")
    monkeypatch.undo()
    assert swapped
    info = victim.stat()
    assert (oct(info.st_mode & 0o777), info.st_uid) == ("0o600", os.geteuid())
    assert victim.read_text(encoding="utf-8") == "bí mật\n"
    assert not users.is_symlink() and users.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["baocao.htpasswd"]  # the swapped name removed


def test_user_add_keeps_the_file_owner_and_mode(tmp_path):
    folder = tmp_path / "nginx"
    folder.mkdir(mode=0o755)
    users = folder / "baocao.htpasswd"
    assert cli("user", "add", "dau-tien", "--htpasswd", str(users), stdin="mat-khau-dai\n").returncode == 0
    users.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(users, pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid)
    before = users.stat()
    assert cli("user", "add", "nguyenvana", "--htpasswd", str(users), stdin="mat-khau-dai\n").returncode == 0
    after = users.stat()
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino and htpasswd.users(users) == ["dau-tien", "nguyenvana"]


@pytest.mark.parametrize("name", [".lock", ".baocao-releases"])
def test_publish_never_writes_through_a_symlink_at_its_lock_or_marker(sites, tmp_path, name):
    old, _new, repo = sites
    www = tmp_path / "www"
    (www / "releases").mkdir(parents=True)
    victim = tmp_path / "victim"
    (www / name).symlink_to(victim)
    if name == ".lock":
        (www / ".baocao-releases").write_text("x", encoding="utf-8")
    before = tree(www)
    _refused(cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old)), "liên kết tượng trưng")
    assert not victim.exists() and tree(www) == before
    if name == ".lock":
        _refused(cli("publish", "--rollback", "--to", str(www)), "chưa có bản nào")
        assert not victim.exists()


def _two_releases(sites, www: Path) -> list[Path]:
    old, new, repo = sites
    for site in (old, new):
        assert cli("--root", str(repo), "publish", "--to", str(www), "--site", str(site)).returncode == 0
    return sorted(p for p in (www / "releases").iterdir() if p.is_dir())


@pytest.mark.parametrize("damage, words", [
    (lambda r: (r / "reports/2025-q3/index.html").write_text("<p>sửa tay</p>", encoding="utf-8"),
     "đã bị sửa sau khi phát hành"),
    (lambda r: (r / "them.html").write_text("<p>thêm</p>", encoding="utf-8"), "them.html"),
    (lambda r: (r / "index.html").unlink(), "thiếu trang chủ"),
    (lambda r: (r / "reports/2025-q3/bao-cao.pdf").unlink(), "reports/2025-q3/bao-cao.pdf"),
    (lambda r: (r / "passwd").symlink_to("/etc/passwd"), "liên kết tượng trưng"),
    (lambda r: (r / "404.html").write_text("<script>alert(1)</script>", encoding="utf-8"),
     "không thuộc giao diện"),
])
def test_rollback_verifies_the_release_it_goes_back_to(sites, tmp_path, damage, words):
    www = tmp_path / "www"
    older, newer = _two_releases(sites, www)
    damage(older)
    _refused(cli("publish", "--rollback", "--to", str(www)), words)
    assert os.readlink(www / "current") == f"releases/{newer.name}"


def test_rollback_to_a_release_without_manifest_checks_its_pages(sites, tmp_path):
    """A release published before manifests existed: its pages are checked, with a warning."""
    www = tmp_path / "www"
    older, _newer = _two_releases(sites, www)
    (www / "releases" / f"{older.name}.sha256").unlink()
    back = cli("publish", "--rollback", "--to", str(www))
    assert back.returncode == 0, back.stderr
    assert "không có tệp kiểm tra" in back.stderr and os.readlink(www / "current") == f"releases/{older.name}"
    manifest = www / "releases" / f"{_newer.name}.sha256"
    checked = subprocess.run(["sha256sum", "--check", "--quiet", str(manifest)], cwd=_newer,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # the coreutils tool reads it
