"""``baocao edit``: the web form on one PC, without a Git server.

Builds the site once into a temporary folder, its ``admin/config.yml`` pointing the form
at a local backend (``BAOCAO_CMS_LOCAL``), serves it on 127.0.0.1, and starts that backend:
Decap's ``decap-server`` (Node 20 or later, installed with ``npm ci --prefix
tools/decap-server``) in its ``fs`` mode, which writes the files of the working tree
directly. Prints the address of the form, and stops both on Ctrl-C (decap-server also when
``baocao edit`` is killed outright, on Linux). The site is not rebuilt while the form is
open: a live reload would wipe the form.

Both servers answer only their own address, so that no web page the user opens can reach
them (DNS rebinding) or make them write: the site answers only the Host
``127.0.0.1:<port>`` (:class:`SiteHandler`), and decap-server runs behind
``edit_backend.js`` (beside this module), which refuses another Host, an Origin other than
the form's page, and any file but those the form shows
(:data:`baocao.contribute.cms.EDITABLE`) and, for writing, those of reports not issued
(:func:`baocao.contribute.cms.writable`). ``/admin/`` is served with the
Content-Security-Policy the production server gives it (:func:`baocao.deploy.csp.admin_policy`).
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from baocao.check import run_check
from baocao.contribute.cms import EDITABLE, writable
from baocao.deploy.csp import admin_policy
from baocao.mkdocs_run import die_with_parent, free_after
from baocao.problems import render

#: Where ``npm ci --prefix tools/decap-server`` puts the server, relative to a repository.
SERVER_SCRIPT = Path("tools/decap-server/node_modules/decap-server/dist/index.js")
#: Our launcher of decap-server's middleware, behind its guard (see the module's docstring).
BACKEND_SCRIPT = Path(__file__).with_name("edit_backend.js")
NODE_MIN = 20
START_TIMEOUT = 180.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_server(root: Path) -> Path | None:
    """decap-server's script: ``$BAOCAO_DECAP_SERVER``, else under the site, else beside the package."""
    given = os.environ.get("BAOCAO_DECAP_SERVER")
    candidates = [Path(given)] if given else []
    candidates += [root / SERVER_SCRIPT, Path(__file__).resolve().parents[3] / SERVER_SCRIPT]
    return next((c for c in candidates if c.is_file()), None)


def node_version(node: str) -> int | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.match(r"v(\d+)", out.strip())
    return int(match.group(1)) if match else None


def _wait(url: str, origin: str, proc: subprocess.Popen) -> bool:
    """Whether the local backend at ``url`` answers, as the form will ask it, in time."""
    request = urllib.request.Request(url, data=json.dumps({"action": "info"}).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": origin})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 - our own 127.0.0.1 server
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, for the Host ``127.0.0.1:<port>`` only (another Host, as a page
    reached by DNS rebinding sends, gets 421); no folder listings; ``/admin/`` with its CSP."""

    host = ""
    admin_policy = ""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml",
                      ".js": "text/javascript"}

    def send_head(self):
        if self.headers.get("Host") != self.host:
            self._plain(421, f"Địa chỉ lạ: trang này chỉ mở tại http://{self.host}/.")
            return None
        return super().send_head()

    def list_directory(self, path):
        self._plain(404, "Không có trang này.")
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.path.startswith("/admin/"):
            self.send_header("Content-Security-Policy", self.admin_policy)
        super().end_headers()

    def _plain(self, code: int, text: str) -> None:
        body = (text + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the signature of http.server
        pass


def serve_site(folder: Path, port: int, backend_url: str) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on 127.0.0.1:``port`` in a thread (see :class:`SiteHandler`). Raises
    OSError when the port cannot be taken."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(folder, port, backend_url))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _handler(folder: Path, port: int, backend_url: str):
    host, policy = f"127.0.0.1:{port}", admin_policy(backend_url)

    class Handler(SiteHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

    Handler.host, Handler.admin_policy = host, policy
    return Handler


def port_taken(port: int) -> str:
    """The message for a port another program holds, with a free one to choose instead."""
    free = free_after("127.0.0.1", port)
    return (f"cổng {port} đang được một chương trình khác dùng (có thể là một cửa sổ `baocao edit` khác vẫn "
            "đang chạy). Hãy đóng chương trình đó rồi chạy lại"
            + (f", hoặc chọn cổng khác: `baocao edit --port {free}`." if free else "."))


def _build(root: Path, site: Path, backend_url: str) -> bool:
    env = {**os.environ, "BAOCAO_CMS_LOCAL": backend_url, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site),
                            "-f", str(root / "mkdocs.yml")], cwd=root, env=env)
    return built.returncode == 0


def run(root: Path, *, port: int = 0) -> int:
    root = root.resolve()
    node = shutil.which("node")
    version = node_version(node) if node else None
    if version is None or version < NODE_MIN:
        print(f"Cần Node.js {NODE_MIN} trở lên (lệnh `node`) để chạy biểu mẫu trên máy này"
              + (f"; máy đang có Node.js {version}." if version else "."), file=sys.stderr)
        return 1
    server = find_server(root)
    if server is None:
        print("Chưa cài decap-server. Chạy một lần: npm ci --prefix tools/decap-server", file=sys.stderr)
        return 1
    checked = run_check(root)
    if not checked.ok:
        print(render(checked.problems), file=sys.stderr)
        print("Không mở được biểu mẫu: nội dung có lỗi. Hãy sửa các lỗi trên (chạy `baocao check` "
              "để xem lại) rồi mở lại biểu mẫu.", file=sys.stderr)
        return 1
    backend_port, site_port = free_port(), port or free_port()
    backend_url = f"http://127.0.0.1:{backend_port}/api/v1"
    site_url = f"http://127.0.0.1:{site_port}/"
    backend_env = {**os.environ, "PORT": str(backend_port), "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn",
                   "BAOCAO_FORM_ORIGIN": site_url.rstrip("/"), "BAOCAO_READABLE": EDITABLE,
                   "BAOCAO_WRITABLE": writable(checked.archive)}
    backend: subprocess.Popen | None = None
    site_server = None
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="baocao-edit-") as tmp:
            try:
                site_server = serve_site(Path(tmp) / "site", site_port, backend_url)
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                print(f"Không mở được biểu mẫu: {port_taken(site_port)}", file=sys.stderr)
                return 1
            if not _build(root, Path(tmp) / "site", backend_url):
                print("Không mở được biểu mẫu: không dựng được trang web (xem lỗi ở trên).", file=sys.stderr)
                return 1
            backend = subprocess.Popen([node, str(BACKEND_SCRIPT), str(server)], cwd=root, env=backend_env,
                                       preexec_fn=die_with_parent if sys.platform == "linux" else None)
            if not _wait(backend_url, site_url.rstrip("/"), backend):
                print("Không mở được biểu mẫu: decap-server không chạy (xem lỗi ở trên).", file=sys.stderr)
                return 1
            print(f"Biểu mẫu soạn báo cáo: {site_url}admin/", flush=True)
            print("Mở địa chỉ trên bằng trình duyệt. Biểu mẫu ghi thẳng vào các tệp trong thư mục "
                  f"{root}. Bấm Ctrl+C để dừng.", flush=True)
            while backend.poll() is None:
                time.sleep(0.5)
            print("Máy chủ biểu mẫu (decap-server) đã dừng bất ngờ; dừng biểu mẫu.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("\nĐã dừng biểu mẫu.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if backend is not None:
            _stop([backend])
        if site_server is not None:
            site_server.shutdown()
            site_server.server_close()
