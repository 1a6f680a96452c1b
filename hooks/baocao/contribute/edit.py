"""``baocao edit``: the web form on one PC, without a Git server.

Starts Decap's local backend (``decap-server``, Node 20 or later, installed with
``npm ci --prefix tools/decap-server``) and ``mkdocs serve``, both on 127.0.0.1 with free
ports; the served ``admin/config.yml`` points the form at the local backend
(``BAOCAO_CMS_LOCAL``), which writes the files of the working tree directly. Prints the
address of the form, and stops both servers on Ctrl-C.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from baocao.check import run_check
from baocao.problems import render

#: Where ``npm ci --prefix tools/decap-server`` puts the server, relative to a repository.
SERVER_SCRIPT = Path("tools/decap-server/node_modules/decap-server/dist/index.js")
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


def _wait(url: str, procs: list[subprocess.Popen]) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own 127.0.0.1 server
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
    # Broken content: say so now. (`mkdocs serve` would start anyway and show a page of the
    # problems instead of the site, with no form to open.)
    checked = run_check(root)
    if not checked.ok:
        print(render(checked.problems), file=sys.stderr)
        print("Không mở được biểu mẫu: nội dung có lỗi. Hãy sửa các lỗi trên (chạy `baocao check` "
              "để xem lại) rồi mở lại biểu mẫu.", file=sys.stderr)
        return 1
    backend_port, site_port = free_port(), port or free_port()
    backend_url = f"http://127.0.0.1:{backend_port}/api/v1"
    site_url = f"http://127.0.0.1:{site_port}/"
    backend_env = {**os.environ, "PORT": str(backend_port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
                   "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    site_env = {**os.environ, "BAOCAO_CMS_LOCAL": backend_url, "NO_MKDOCS_2_WARNING": "1"}
    procs: list[subprocess.Popen] = []
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        procs.append(subprocess.Popen([node, str(server)], cwd=root, env=backend_env))
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-q", "--no-livereload", "-a", f"127.0.0.1:{site_port}",
             "-f", str(root / "mkdocs.yml")], cwd=root, env=site_env))
        if not _wait(site_url + "admin/config.yml", procs):
            print("Không mở được biểu mẫu: trang web hoặc decap-server không chạy (xem lỗi ở trên; "
                  "chạy `baocao check` nếu nội dung có lỗi).", file=sys.stderr)
            return 1
        print(f"Biểu mẫu soạn báo cáo: {site_url}admin/", flush=True)
        print("Mở địa chỉ trên bằng trình duyệt. Biểu mẫu ghi thẳng vào các tệp trong thư mục "
              f"{root}. Bấm Ctrl+C để dừng.", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("Một máy chủ đã dừng bất ngờ; dừng biểu mẫu.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nĐã dừng biểu mẫu.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(procs)
