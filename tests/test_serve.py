"""``mkdocs serve`` with a broken file: the errors are shown, the server keeps running,
and it serves again once the file is fixed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CA = "docs/reports/2025-q3/cong-an.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(path, needle: str, start: int, timeout: float = 30) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        log = path.read_text(encoding="utf-8", errors="replace")
        if needle in log[start:]:
            return log
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not in serve log:\n{path.read_text(encoding='utf-8')}")


def _write_until(log_path, path, text: str, needle: str, mark: int) -> str:
    """Write ``text`` to ``path`` until the serve log shows ``needle`` (the watcher polls,
    and a change made while it starts up may be missed)."""
    for _ in range(3):
        path.write_text(text, encoding="utf-8")
        try:
            return _wait_for(log_path, needle, mark, timeout=15)
        except AssertionError:
            time.sleep(1)
    return _wait_for(log_path, needle, mark, timeout=15)


def _start(repo, tmp_path):
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=repo, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return server, port, log_path


def _get(url: str) -> tuple[int, str]:
    # A page that never comes (the server waiting for a good build) fails here, not later.
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def _page_until(url: str, needle: str, timeout: float = 30) -> str:
    deadline = time.time() + timeout
    while True:
        status, html = _get(url)
        if needle in html or time.time() > deadline:
            assert needle in html, html[-2000:]
            return html
        time.sleep(0.3)


def test_serve_survives_broken_file(repo, tmp_path):
    server, port, log_path = _start(repo, tmp_path)
    try:
        _wait_for(log_path, "Serving on", 0)
        url = f"http://127.0.0.1:{port}/reports/2025-q3/"
        assert _get(url)[0] == 200
        path = repo / CA
        good = path.read_text(encoding="utf-8")
        mark = len(log_path.read_text(encoding="utf-8"))
        log = _write_until(log_path, path, good.replace("status: approved", "status: [oops"),
                           "Kiểm tra nội dung: Có 1 lỗi.", mark)
        assert f"{CA}:5: Viết sai quy cách" in log  # the line of the bracket never closed
        assert "Traceback" not in log
        assert "giữ nguyên" not in log[mark:]  # nothing is "kept": the error page is served
        assert server.poll() is None  # still running
        # issue 14.11: the browser gets a Vietnamese page listing the problems, not a hang
        html = _page_until(url, "Nội dung đang có lỗi")
        assert f"{CA}:5</code>" in html and "Viết sai quy cách" in html
        assert _page_until(f"http://127.0.0.1:{port}/thong-ke/", "Nội dung đang có lỗi")
        _write_until(log_path, path, good, "Documentation built", len(log))
        html = _page_until(url, "ĐẢNG CỘNG SẢN VIỆT NAM")
        assert "Nội dung đang có lỗi" not in html
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_starts_with_a_broken_file_and_recovers(repo, tmp_path):
    path = repo / CA
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("status: approved", "stauts: approved"), encoding="utf-8")
    server, port, log_path = _start(repo, tmp_path)
    try:
        log = _wait_for(log_path, "Serving on", 0)
        assert "Trang xem thử hiện danh sách lỗi" in log and "Traceback" not in log
        url = f"http://127.0.0.1:{port}/"
        html = _page_until(url, "Nội dung đang có lỗi")
        assert f"{CA}:5</code>" in html and "<code>stauts</code>" in html and '<html lang="vi"' in html
        _write_until(log_path, path, good, "Documentation built", len(log))
        _page_until(url, "Báo cáo mới nhất")
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- `baocao serve` (issue 23.15) ---------------------------------------------------------


def _baocao_serve(repo, log_path, *args: str) -> subprocess.Popen:
    with open(log_path, "w", encoding="utf-8") as log:
        # its own session: the signals below reach baocao alone, as from another program
        return subprocess.Popen([sys.executable, "-m", "baocao", "--root", str(repo), "serve", *args],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _children(pid: int) -> list[int]:
    try:
        text = open(f"/proc/{pid}/task/{pid}/children", encoding="ascii").read()  # noqa: SIM115
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            state = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()[0]  # noqa: SIM115
            threads = len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            return True
        # exited, waiting for its parent to collect it: once its last thread is gone too (the
        # main thread shows Z while the others are still being torn down, sockets open)
        if state == "Z" and threads <= 1:
            return True
        time.sleep(0.2)
    return False


def test_serve_on_a_port_in_use_says_so_in_vietnamese(repo, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "serve", "-a",
                                 f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=300)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        assert f"cổng {port} của 127.0.0.1 đang được một chương trình khác dùng" in result.stderr
        suggested = re.search(r"`baocao serve -a 127\.0\.0\.1:(\d+)`", result.stderr)
        assert suggested and int(suggested.group(1)) != port
        with socket.socket() as probe:  # the port suggested is free
            probe.bind(("127.0.0.1", int(suggested.group(1))))
        # The address written in mkdocs.yml (dev_addr) is the one checked when -a is not given.
        config = repo / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + f"\ndev_addr: 127.0.0.1:{port}\n", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "serve"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 1 and f"cổng {port}" in result.stderr and "Traceback" not in result.stderr


def test_port_taken_while_mkdocs_builds_gives_the_same_message():
    """The port can be taken between baocao's check and MkDocs' own bind: MkDocs' traceback
    is then replaced by the message; any other traceback is passed on whole."""
    from baocao.console import relay

    busy = ["INFO    -  Building documentation...\n", "Traceback (most recent call last):\n",
            '  File "x.py", line 1, in <module>\n', "    self.socket.bind(self.server_address)\n",
            "OSError: [Errno 98] Address already in use\n"]
    assert list(relay(busy, lambda: "cổng bận")) == ["THÔNG TIN - Đang dựng trang web...\n", "cổng bận\n"]
    other = [*busy[1:4], "ValueError: x\n", "Shutting down...\n"]
    assert list(relay(other, lambda: "cổng bận")) == [*other[:4], "Đang dừng...\n"]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL", "SIGINT", "SIGHUP"])
def test_stopping_baocao_serve_stops_mkdocs(repo, tmp_path, how):
    port = _free_port()
    log_path = tmp_path / "serve.log"
    server = _baocao_serve(repo, log_path, "-a", f"127.0.0.1:{port}")
    try:
        _wait_for(log_path, "Đang phục vụ trang xem thử", 0, timeout=120)
        children = _children(server.pid)
        assert len(children) == 1
        os.kill(server.pid, getattr(signal, how))
        server.wait(timeout=30)
        assert _gone(children[0]), f"mkdocs serve still runs after {how} to baocao"
        with socket.socket() as probe:  # and its port is free again
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
        assert "Traceback" not in log_path.read_text(encoding="utf-8")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
