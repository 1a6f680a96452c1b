"""Serving on the intranet with Debian's real nginx, started here on 127.0.0.1 with a
free port: login on every path, the security headers on every response, a strict CSP
under which Material's pages, search and the print button work in Chromium, releases
switched atomically while a client polls, rollback, and the readers' logins. Bad input
gets a Vietnamese error and changes nothing."""

from __future__ import annotations

import base64
import filecmp
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from baocao.serve import csp, htpasswd
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


@pytest.fixture(scope="module")
def server(sites):
    """Debian's nginx serving ``www/current`` (the old build published), with one reader.

    Run as a user without root, as the standalone config promises: as ``nobody`` when the
    tests run as root (hence a folder all may read and a prefix all may write)."""
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: tests/install.sh must install it")
        pytest.skip("Debian nginx not installed (run tests/install.sh)")
    old, _new, repo = sites
    work = Path(tempfile.mkdtemp(prefix="baocao-nginx-"))
    work.chmod(0o755)
    try:
        www, prefix, users = work / "www", work / "prefix", work / "htpasswd"
        prefix.mkdir()
        prefix.chmod(0o777)
        as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
        done = cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old))
        assert done.returncode == 0, done.stderr
        assert "Đã phát hành" in done.stdout
        added = cli("user", "add", USER, "--htpasswd", str(users), stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        assert oct(users.stat().st_mode & 0o777) == "0o640"
        users.chmod(0o644)  # for the test's nginx (nobody); Debian's workers are in www-data
        port = _free_port()
        conf = work / "nginx.conf"
        made = cli("nginx", "--root", str(www / "current"), "--listen", f"127.0.0.1:{port}",
                   "--htpasswd", str(users), "--standalone")
        assert made.returncode == 0, made.stderr
        conf.write_text(made.stdout, encoding="utf-8")
        conf.chmod(0o644)
        checked = subprocess.run([*as_user, NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
                                 capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr
        log = (work / "stderr.log").open("w")
        process = subprocess.Popen([*as_user, NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                                   stdout=log, stderr=log)
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert process.poll() is None, (work / "stderr.log").read_text()
                    time.sleep(0.05)
            yield {"base": f"http://127.0.0.1:{port}", "www": www, "users": users, "repo": repo,
                   "conf": conf, "old": old, "new": sites[1], "prefix": prefix}
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
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
    # gzip for text
    status, headers, _ = fetch(base + "/assets/stylesheets/baocao.css", gzip=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Security-Policy"]


def test_web_form_gets_its_own_policy(server):
    """/admin/ (Decap CMS) needs 'unsafe-eval' and inline styles (tests/test_cms.py measures
    it); the rest of the site keeps the strict policy."""
    from baocao.contribute import cms

    status, headers, _ = fetch(server["base"] + "/admin/")
    assert status == 200
    assert headers["Content-Security-Policy"] == cms.admin_csp("http://git.intranet/api/v1")
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
    releases = sorted((www / "releases").iterdir())
    assert len(releases) == 2
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
    names = sorted(p.name for p in (www / "releases").iterdir())
    assert len(names) == 2 and os.readlink(www / "current") == f"releases/{names[-1]}"
    assert "Đã xóa 1 bản cũ" in done.stdout
    assert tree(www / "current") == tree(old)


def test_publish_warns_when_inline_scripts_change(sites, tmp_path):
    """New inline scripts (a Material upgrade) need a new CSP: publish says so."""
    old, _new, repo = sites
    www = tmp_path / "www"
    assert cli("--root", str(repo), "publish", "--to", str(www), "--site", str(old)).returncode == 0
    upgraded = tmp_path / "upgraded"
    shutil.copytree(old, upgraded)
    home = upgraded / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", "<script>var x=1</script></body>"),
                    encoding="utf-8")
    done = cli("--root", str(repo), "publish", "--to", str(www), "--site", str(upgraded))
    assert done.returncode == 0, done.stderr
    assert "baocao nginx" in done.stderr and "systemctl reload nginx" in done.stderr
    same = cli("--root", str(repo), "publish", "--to", str(www), "--site", str(upgraded))
    assert same.returncode == 0 and same.stderr == ""


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
