"""Shared fixtures: copies of the repository, real MkDocs builds, a local HTTP server
and headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The real report as received (shared/seed/000_73bd87a4b63f64ac.txt), kept with the tests
# so that a clone checks its transcription on its own.
SEED = ROOT / "tests" / "fixtures" / "seed-2025-q3.txt"
#: What a site needs besides the installed package.
SITE_PARTS = ("mkdocs.yml", "data", "docs", "overrides", "hooks/mkdocs_adapter.py")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The check's cache lives in the user's cache folder: keep the tests' caches in a
    temporary one (inherited by the commands the tests start)."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


def copy_repo(dest: Path) -> Path:
    """A copy of the shipped site sources in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = ROOT / part
        target = dest / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__", "schemas"))
        else:
            shutil.copy2(src, target)
    return dest


def mkdocs_build(root: Path, site_dir: Path, *args: str, env: dict | None = None
                 ) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build`` of ``root`` into ``site_dir``."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site_dir), *args],
        cwd=root, capture_output=True, text=True, env=full_env, timeout=600,
    )


def commit_all(root: Path) -> None:
    """Everything under ``root`` committed to a new Git repository, as users keep an archive."""
    git = ["git", "-c", "user.name=Văn phòng", "-c", "user.email=vp@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Kho báo cáo"], cwd=root, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a command started with ``start_new_session=True`` and every process it started
    (``baocao serve`` runs MkDocs as its child)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baocao", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A copy of the shipped site shared by a module's tests, which copy it again to change it."""
    return copy_repo(tmp_path_factory.mktemp("pristine") / "repo")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


SAMPLE_QUARTERS = 12


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> tuple[Path, Path]:
    """The fictional archive (12 quarters, the last a draft with missing parts), built."""
    from sample_archive import generate

    root = tmp_path_factory.mktemp("sample") / "archive"
    generate(root, SAMPLE_QUARTERS, draft_last=True)
    site = root.parent / "site"
    result = mkdocs_build(root, site)
    assert result.returncode == 0, result.stderr
    return root, site


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped content built once with ``--strict``."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = mkdocs_build(ROOT, site, "--strict")
    assert result.returncode == 0, result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def serve():
    """Serve a folder on 127.0.0.1; returns the base URL. Servers stop at session end."""
    servers = []

    def start(folder: Path, mount: str = "") -> str:
        if mount:
            # serve ``folder`` under a sub-path, e.g. /baocao/
            parent = folder.parent / f"mount-{len(servers)}"
            (parent / mount.strip("/")).parent.mkdir(parents=True, exist_ok=True)
            if not (parent / mount.strip("/")).exists():
                (parent / mount.strip("/")).symlink_to(folder, target_is_directory=True)
            folder = parent
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium. Missing Chromium fails in CI and skips elsewhere."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: tests/install.sh must install it")
        pytest.skip("Debian chromium not installed (run tests/install.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def crafted_site(tmp_path_factory) -> Path:
    """The shipped content with pagination's edge cases added to its last section (document
    numbers at every place near a line's end, a contributor's table, the generated tables:
    ``printcases.crafted_repo``), built with ``--strict``."""
    from printcases import crafted_repo

    repo = crafted_repo(tmp_path_factory.mktemp("crafted") / "repo")
    site = repo.parent / "site"
    result = mkdocs_build(repo, site, "--strict")
    assert result.returncode == 0, result.stderr
    return site
