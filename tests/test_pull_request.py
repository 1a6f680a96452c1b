"""CI checks a pull request with the main branch's code: `baocao pr-content` takes only the
pull request's docs/ and data/, and nothing else it brings is run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import mkdocs_build, run_cli

SECTION = Path("docs/reports/2025-q3/khac.md")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=CI", "-c", "user.email=ci@example.invalid", "-C", str(root),
                           *args], check=True, capture_output=True, text=True).stdout.strip()


def committed(repo: Path) -> str:
    """The repository made a Git repository on branch main, everything committed: its commit."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def pull_request(repo: Path, tmp_path: Path) -> tuple[Path, str, str, Path]:
    """The shipped site as the base commit, and a pull request on it that changes a section
    and also code: the hook module (which would leave a mark when imported), mkdocs.yml
    and a committed bytecode file. The checkout is left on the base commit."""
    base = committed(repo)
    git(repo, "checkout", "-qb", "de-nghi")
    mark = tmp_path / "ma-da-chay"
    with open(repo / SECTION, "a", encoding="utf-8") as handle:
        handle.write("\nCâu mới của chi bộ trong yêu cầu hợp nhất.\n")
    adapter = repo / "hooks" / "mkdocs_adapter.py"
    adapter.write_text(f"from pathlib import Path\nPath({str(mark)!r}).write_text('x')\n" + adapter.read_text(),
                       encoding="utf-8")
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text() + "\n# sửa\n", encoding="utf-8")
    cache = repo / "hooks" / "baocao" / "__pycache__"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "model.cpython-311.pyc").write_bytes(b"\x00\x01 not really bytecode")
    git(repo, "add", "-A", "-f")
    git(repo, "commit", "-qm", "pull request")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", base)
    subprocess.run(["git", "-C", str(repo), "clean", "-qfdx", "hooks"], check=True)
    return repo, base, head, mark


def test_content_is_taken_and_no_code_of_the_pull_request_runs(pull_request, tmp_path):
    repo, base, head, mark = pull_request
    base_adapter = (repo / "hooks" / "mkdocs_adapter.py").read_text(encoding="utf-8")
    result = run_cli(repo, "pr-content", base, head, "--format", "github")
    assert result.returncode == 0, result.stderr
    assert "Câu mới của chi bộ" in (repo / SECTION).read_text(encoding="utf-8")
    assert (repo / "hooks" / "mkdocs_adapter.py").read_text(encoding="utf-8") == base_adapter
    assert not (repo / "hooks" / "baocao" / "__pycache__" / "model.cpython-311.pyc").exists()
    warned = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert sorted(line.split("file=")[1].split(",")[0] for line in warned) == [
        "hooks/baocao/__pycache__/model.cpython-311.pyc", "hooks/mkdocs_adapter.py", "mkdocs.yml"]
    assert "ngoài docs/ và data/" in warned[0]
    # The check and the build then run the main branch's code on the pull request's text.
    assert run_cli(repo, "check").returncode == 0
    site = tmp_path / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr[-2000:]
    assert "Câu mới của chi bộ" in (site / "reports/2025-q3/khac/index.html").read_text(encoding="utf-8")
    assert not mark.exists(), "the pull request's hook module ran"


def test_deleted_and_linked_files_are_taken_as_the_pull_request_has_them(repo):
    base = committed(repo)
    git(repo, "rm", "-q", str(SECTION))
    (repo / "docs/reports/2025-q3/mat-khau.md").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pull request")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", base)
    assert (repo / SECTION).exists() and not (repo / "docs/reports/2025-q3/mat-khau.md").is_symlink()

    result = run_cli(repo, "pr-content", base, head)
    assert result.returncode == 0, result.stderr
    assert not (repo / SECTION).exists()
    assert (repo / "docs/reports/2025-q3/mat-khau.md").is_symlink(), "kept a link: the check refuses it"
    check = run_cli(repo, "check")
    assert check.returncode == 1 and "mat-khau.md" in check.stdout


def test_what_the_base_branch_changed_since_is_kept_and_not_blamed(pull_request):
    # The main branch moved on after the pull request left it: another organisation's text
    # and a code change were merged. CI checks what merging would give: both texts; and it
    # warns only about the pull request's own changes.
    repo, _, head, _ = pull_request
    git(repo, "checkout", "-q", "main")
    other = repo / "docs/reports/2025-q3/cong-an.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nĐoạn của công an đã hợp nhất trước.\n", encoding="utf-8")
    (repo / "overrides" / "main-moi.txt").write_text("x", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main moves on")
    base = git(repo, "rev-parse", "HEAD")
    result = run_cli(repo, "pr-content", base, head, "--format", "github")
    assert result.returncode == 0, result.stderr
    assert "Đoạn của công an đã hợp nhất trước." in other.read_text(encoding="utf-8")
    assert "Câu mới của chi bộ" in (repo / SECTION).read_text(encoding="utf-8")
    assert "main-moi.txt" not in result.stdout


def test_a_conflict_with_the_base_branch_is_refused(pull_request):
    repo, _, head, _ = pull_request
    git(repo, "checkout", "-q", "main")
    with open(repo / SECTION, "a", encoding="utf-8") as handle:
        handle.write("\nMột câu khác ở cùng chỗ.\n")
    git(repo, "commit", "-qam", "same place")
    base = git(repo, "rev-parse", "HEAD")
    before = (repo / SECTION).read_text(encoding="utf-8")
    result = run_cli(repo, "pr-content", base, head)
    assert result.returncode == 2 and "xung đột" in result.stderr
    assert (repo / SECTION).read_text(encoding="utf-8") == before


@pytest.mark.parametrize("name", ["data/.gitattributes", "docs/reports/.gitattributes", "docs/.gitmodules"])
def test_git_settings_from_a_pull_request_are_refused_before_any_file_is_written(repo, name):
    # A .gitattributes applies while Git writes files (a filter the runner has, an
    # encoding): it is refused before Git writes anything of the pull request.
    base = committed(repo)
    (repo / name).write_text("*.md ident\n", encoding="utf-8")  # any setting: the file is refused
    with open(repo / SECTION, "a", encoding="utf-8") as handle:
        handle.write("\nCâu mới.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pull request")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", base)
    result = run_cli(repo, "pr-content", base, head)
    assert result.returncode == 2 and "cấu hình Git" in result.stderr, result.stderr
    assert not (repo / name).exists() and "Câu mới." not in (repo / SECTION).read_text(encoding="utf-8")


def test_uncommitted_content_is_never_overwritten(pull_request):
    repo, base, head, _ = pull_request
    (repo / SECTION).write_text("Bản đang sửa dở.\n", encoding="utf-8")
    result = run_cli(repo, "pr-content", base, head)
    assert result.returncode == 2
    assert "chưa lưu vào Git" in result.stderr
    assert (repo / SECTION).read_text(encoding="utf-8") == "Bản đang sửa dở.\n"


def test_files_git_ignores_are_never_overwritten(pull_request):
    repo, base, head, _ = pull_request
    (repo / ".git" / "info" / "exclude").write_text("*.ghi-chu\n", encoding="utf-8")
    note = repo / "data" / "rieng.ghi-chu"
    note.write_text("Việc đang làm.\n", encoding="utf-8")
    result = run_cli(repo, "pr-content", base, head)
    assert result.returncode == 2 and "Git bỏ qua" in result.stderr
    assert note.read_text(encoding="utf-8") == "Việc đang làm.\n"


@pytest.mark.parametrize("rev", ["main", "--output=/tmp/x", "HEAD~1", "0" * 39, "0" * 40])
def test_revisions_are_full_commit_ids_of_the_repository(pull_request, rev):
    repo, base, head, _ = pull_request
    result = run_cli(repo, "pr-content", rev, head)
    assert result.returncode == 2  # refused, in Vietnamese ("--output=..." already by the parser)
    assert ("Lỗi:" in result.stderr or "Lệnh chưa đúng" in result.stderr) and "Traceback" not in result.stderr
    assert "Câu mới" not in (repo / SECTION).read_text(encoding="utf-8")


def test_file_names_outside_content_never_end_a_workflow_command(repo):
    base = committed(repo)
    (repo / "ten\n::error file=x::gia.txt").write_text("x", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pull request")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", base)
    for form in ("github", "text"):
        result = run_cli(repo, "pr-content", base, head, "--format", form)
        assert result.returncode == 0, result.stderr
        assert not any(line.startswith("::error") for line in result.stdout.splitlines()), result.stdout


def test_the_workflow_checks_pull_requests_with_the_main_branchs_code():
    # The workflow checks out the base commit, installs it, and only then takes the pull
    # request's content; nothing of the pull request is installed or run before that.
    whole = (Path(__file__).resolve().parents[1] / ".github/workflows/kiem-tra.yml").read_text(encoding="utf-8")
    text = whole[whole.index("steps:"):]
    checkout = text.index("actions/checkout")
    install = text.index("pip install")
    take = text.index("baocao pr-content")
    assert checkout < install < take < text.index("baocao check") < text.index("mkdocs build")
    assert "github.event.pull_request.base.sha" in text[checkout:install]
    assert re.search(r"^permissions:\n  contents: read\n", whole, re.M), "a read-only token"
    # The steps as the main branch has them: a pull request cannot edit what checks it.
    assert re.search(r"^on:\n  pull_request_target:\n", whole, re.M) and "\n  pull_request:" not in whole
    assert "secrets." not in whole
