"""The README's first command, as written, on Debian 12 (issue 23): `pip install` outside a
virtual environment is refused there (PEP 668), and a fresh Debian 12 has no python3-venv."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import ROOT

README = ROOT / "README.md"
#: Debian's own Python (the one PEP 668 protects), else whatever python3 the machine has.
DEBIAN_PYTHON = Path("/usr/bin/python3")


def _commands() -> list[str]:
    """The README's two commands: its first two ``sh`` blocks."""
    return [block.strip() for block in re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)[:2]]


def _clone(dest: Path) -> Path:
    """The repository's tracked files, as a clone has them (the working tree's versions)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _debian_path(tmp_path: Path) -> str:
    """A PATH where ``python3`` is Debian's (no pyenv, no virtual environment)."""
    folder = tmp_path / "debian-bin"
    folder.mkdir(exist_ok=True)
    python = DEBIAN_PYTHON if DEBIAN_PYTHON.exists() else Path(shutil.which("python3"))
    (folder / "python3").symlink_to(python)
    return f"{folder}:/usr/bin:/bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readme_commands_use_a_virtual_environment():
    first, second = _commands()
    assert first == "sh tools/install.sh && .venv/bin/baocao serve"
    assert second == "sh tests/install.sh && .venv/bin/python -m pytest"
    # CI runs the README's test command, exactly.
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith(second)
    assert "sh tools/install.sh test" in (ROOT / "tests" / "install.sh").read_text(encoding="utf-8")


def test_readme_first_command_works_with_debians_python(tmp_path):
    repo = _clone(tmp_path / "clone")
    env = {**os.environ, "PATH": _debian_path(tmp_path), "NO_MKDOCS_2_WARNING": "1",
           "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_USER"):
        env.pop(name, None)
    if list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")) and DEBIAN_PYTHON.exists():
        # What the README used to say, refused on this machine as on any Debian 12.
        old = subprocess.run(["python3", "-m", "pip", "install", "-e", "."], cwd=repo, env=env,
                             capture_output=True, text=True, timeout=300)
        assert old.returncode != 0 and ("externally-managed-environment" in old.stderr or "No module named pip" in
                                        old.stderr), old.stderr
    install, serve = _commands()[0].split(" && ")
    done = subprocess.run(install, shell=True, cwd=repo, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã cài baocao vào thư mục .venv" in done.stdout
    # The README's serve command, on a free port rather than 8000 (another may be in use here).
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(f"{serve} -a 127.0.0.1:{port}", shell=True, cwd=repo, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 300
        while "Đang phục vụ trang xem thử" not in log_path.read_text(encoding="utf-8"):
            assert server.poll() is None and time.time() < deadline, log_path.read_text(encoding="utf-8")
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:  # noqa: S310
            assert "Đảng ủy xã Đại Sơn" in response.read().decode("utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert "Traceback" not in log_path.read_text(encoding="utf-8")


STUB_PYTHON = """#!/bin/sh
# python3 of a fresh Debian 12: no ensurepip until python3-venv is installed
echo "python3 $*" >> "$LOG"
case "$*" in
  *"import ensurepip"*) [ -f "$MARK" ] || exit 1; exit 0 ;;
  "-m venv --clear .venv") mkdir -p .venv/bin; printf '#!/bin/sh\\necho ".venv/bin/python $*" >> "$LOG"\\n' > .venv/bin/python
     cp .venv/bin/python .venv/bin/pip; chmod +x .venv/bin/python .venv/bin/pip ;;
esac
"""
STUB_APT = """#!/bin/sh
echo "apt-get $*" >> "$LOG"
case "$*" in *install*python3-venv*) touch "$MARK" ;; esac
"""
STUB_SUDO = """#!/bin/sh
echo "sudo" >> "$LOG"
exec "$@"
"""


def test_install_script_installs_python3_venv_on_a_fresh_debian(tmp_path):
    """The branch of tools/install.sh that a machine with python3-venv never takes."""
    repo = _clone(tmp_path / "clone")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, text in (("python3", STUB_PYTHON), ("apt-get", STUB_APT), ("sudo", STUB_SUDO)):
        (stubs / name).write_text(text, encoding="utf-8")
        (stubs / name).chmod(0o755)
    log, mark = tmp_path / "calls.log", tmp_path / "venv-installed"
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "LOG": str(log), "MARK": str(mark), "HOME": str(tmp_path)}
    done = subprocess.run(["sh", "tools/install.sh", "test"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    calls = [line for line in log.read_text(encoding="utf-8").splitlines() if line != "sudo"]
    assert calls == ["python3 -c import ensurepip, venv", "apt-get update -qq",
                     "apt-get install -y -qq python3-venv", "python3 -m venv --clear .venv",
                     ".venv/bin/python -m pip install -q -e .[test]"]
    assert "Cài các gói Debian còn thiếu: python3-venv" in done.stdout
