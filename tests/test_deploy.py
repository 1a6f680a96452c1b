"""The README's deployment, run as written (issue 24.11, 24.12): the systemd unit's
commands (pull, build with the PDF and Word files, publish) on a clone; and the install
on a server without internet: a wheelhouse made from the locked versions, installed by
pip with no index into a fresh virtual environment (no network at all when the machine
lets the test take it away), then `baocao check` and a build from that environment."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT, copy_repo

README = ROOT / "README.md"
LOCK = ROOT / "requirements.lock"
PERIOD = "2025-q3"


def _deploy_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Deploying on a Debian server")
    return text[start:text.index("\n## ", start + 3)]


def _code_blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", _deploy_section(), flags=re.S)


def _unit() -> dict[str, list[str]]:
    """The [Service] settings of the README's baocao-publish.service, in order."""
    block = next(b for b in _code_blocks("ini") if "baocao-publish.service" in b)
    service = block.split("[Service]", 1)[1].split("\n\n", 1)[0]
    settings: dict[str, list[str]] = {}
    for line in service.strip().splitlines():
        key, _, value = line.partition("=")
        settings.setdefault(key, []).append(value)
    return settings


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Văn phòng", "-c", "user.email=vp@daison.local", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=120)


def _program(name: str) -> str:
    """A program of this test's environment (what /opt/baocao/venv/bin holds on the server)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed"
    return found


def test_readme_deploys_with_baocao_build():
    """Every command the deployment section gives builds with `baocao build` (Vietnamese,
    no end-of-life notice) and with the PDF and Word downloads."""
    commands = "\n".join(_code_blocks("sh") + _code_blocks("ini"))
    assert "mkdocs " not in commands
    builds = [line for line in commands.splitlines() if "baocao build" in line]
    assert len(builds) == 2
    assert all("BAOCAO_PDF=1 BAOCAO_DOCX=1" in line for line in builds if "ExecStart" not in line)
    assert "BAOCAO_PDF=1 BAOCAO_DOCX=1" in _unit()["Environment"][0]
    section = _deploy_section()
    assert "BAOCAO_PDF=1 BAOCAO_DOCX=1 baocao build --strict && baocao publish" in section.replace("\n", " ")


def test_systemd_unit_publishes_the_pdf_and_word_files(tmp_path):
    """The unit's ExecStart lines, run as written (paths of the server mapped to
    temporary ones), on a clone that has news to pull: the served release has the report's
    PDF and Word files, which its page offers, and the build said nothing in English."""
    unit = _unit()
    origin = copy_repo(tmp_path / "origin")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "Kho báo cáo")
    kho, srv = tmp_path / "kho", tmp_path / "srv"
    _git(tmp_path, "clone", "-q", str(origin), str(kho))
    section = origin / f"docs/reports/{PERIOD}/cong-an.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nCâu mới thêm sau khi sao chép kho.\n",
                       encoding="utf-8")
    _git(origin, "commit", "-qam", "Thêm một câu")
    paths = {"/opt/baocao/kho": str(kho), "/srv/baocao": str(srv)}
    assert unit["WorkingDirectory"] == ["/opt/baocao/kho"] and unit["User"] == ["baocao"]
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    env.update(dict(item.split("=", 1) for value in unit["Environment"] for item in shlex.split(value)))
    said = ""
    for line in unit["ExecStart"]:
        argv = shlex.split(line)
        argv[0] = _program(Path(argv[0]).name)
        argv = [paths.get(arg, arg) for arg in argv]
        done = subprocess.run(argv, cwd=kho, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        said += done.stdout + done.stderr
    assert "Đã dựng xong trang web" in said and "Đã phát hành bản" in said
    assert "NO_MKDOCS_2_WARNING" not in said and "Material for MkDocs" not in said
    report = srv / "current" / "reports" / PERIOD
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "Câu mới thêm sau khi sao chép kho." in page  # the pull came before the build
    pdf, docx = report / f"bao-cao-{PERIOD}.pdf", report / f"bao-cao-{PERIOD}.docx"
    assert f'href="{pdf.name}"' in page and f'href="{docx.name}"' in page
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) >= 2
    with zipfile.ZipFile(docx) as word:
        assert "Câu mới thêm sau khi sao chép kho." in word.read("word/document.xml").decode("utf-8")


# --- the locked versions and the install without internet (issue 24.12) --------------------


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _requirements() -> list[Requirement]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["pdf"]]


def test_lock_pins_every_dependency_with_hashes():
    """Every dependency of the package (and of its `pdf` extra) is locked at one exact
    version its range admits, every locked line carries hashes; a dependency added to
    pyproject.toml fails here until the lock is made again (README "Installing")."""
    pins = _locked()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run the uv command of README \"Installing\""
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])
    assert "setuptools" in pins  # builds the package itself on the server
    entries = re.split(r"\n(?=[A-Za-z])", LOCK.read_text(encoding="utf-8").split("\n", 2)[2])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    assert not re.search(r"^\s*(-e|--index-url|--extra-index-url|--find-links)", LOCK.read_text(), flags=re.M)
    readme = _deploy_section()
    assert "requirements.lock" in readme and "--require-hashes" in readme and "--no-index" in readme


def _pip_env(**extra: str) -> dict[str, str]:
    """The environment with no pip setting of this machine (indexes, find-links, constraints):
    pip as on a server just installed. The CA bundle stays, for the connected step."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHONPATH"))}
    if "PIP_CERT" in os.environ:
        env["PIP_CERT"] = os.environ["PIP_CERT"]
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def _offline_prefix() -> list[str]:
    """A prefix that runs a command with no network but loopback (a new network namespace),
    when this machine allows it (root, unshare, ip); else nothing: `--no-index` alone then
    keeps pip off every index."""
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True)
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "offline"] if probe.returncode == 0 else []


def test_offline_install_from_a_wheelhouse(tmp_path):
    """README "Installing", step by step: the wheelhouse from the lock on a connected
    machine (CI's machine reaches the package index); then, with no index and no network,
    a fresh virtual environment gets exactly the locked versions and the package, and
    `baocao` checks and builds the repository from it, the PDF and Word files included."""
    wheelhouse, venv, repo = tmp_path / "wheelhouse", tmp_path / "venv", tmp_path / "kho"
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--require-hashes", "--no-deps", "-r", str(LOCK),
         "-d", str(wheelhouse), "-q"], env=_pip_env(), capture_output=True, text=True, timeout=1200)
    if download.returncode != 0 and not os.environ.get("CI"):
        pytest.skip("no wheelhouse made (no connection to the package index?): " + download.stderr[-300:])
    assert download.returncode == 0, download.stderr  # CI's machine reaches the package index
    # the repository as the server's clone has it (the package's files included)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Kho báo cáo")

    offline = _offline_prefix()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", str(wheelhouse)]
    for args in (["--require-hashes", "-r", str(repo / "requirements.lock")],
                 ["--no-deps", "--no-build-isolation", "-e", str(repo)]):
        done = subprocess.run([*offline, *pip, *args], env=_pip_env(), capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, done.stdout + done.stderr
    frozen = subprocess.run([str(venv / "bin" / "pip"), "list", "--format=freeze"], env=_pip_env(),
                            capture_output=True, text=True, check=True).stdout
    installed = {canonicalize_name(line.split("==")[0]): line.split("==")[1]
                 for line in frozen.splitlines() if "==" in line}
    assert {name: installed.get(name) for name in _locked()} == _locked()

    baocao = str(venv / "bin" / "baocao")
    env = {k: v for k, v in _pip_env().items() if k != "NO_MKDOCS_2_WARNING"}
    checked = subprocess.run([*offline, baocao, "check"], cwd=repo, env=env, capture_output=True, text=True,
                             timeout=300)
    assert checked.returncode == 0 and "Không có lỗi" in checked.stdout, checked.stdout + checked.stderr
    built = subprocess.run([*offline, baocao, "build", "--strict"], cwd=repo, capture_output=True, text=True,
                           env={**env, "BAOCAO_PDF": "1", "BAOCAO_DOCX": "1"}, timeout=600)
    assert built.returncode == 0, built.stderr
    assert "Đã dựng xong trang web" in built.stderr
    report = repo / "site" / "reports" / PERIOD
    assert (report / f"bao-cao-{PERIOD}.pdf").read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(report / f"bao-cao-{PERIOD}.docx")
    # the package ran from the fresh environment, not from this one
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import baocao, mkdocs; print(baocao.__file__, "
                            "mkdocs.__file__)"], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert where[0] == str(repo / "hooks/baocao/__init__.py") and where[1].startswith(str(venv))
