"""Contributing: opening a quarter, the tracker, CODEOWNERS, pull request templates and
CI workflows, and the page metadata (contributor, status, last change from Git)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import ROOT, copy_repo, mkdocs_build, run_cli
from htmltext import flat
from sample_archive import generate


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_quarter_then_check_passes(repo, tmp_path):
    result = run_cli(repo, "new-quarter", "2025-Q4")
    assert result.returncode == 0, result.stdout + result.stderr
    folder = repo / "docs/reports/2025-q4"
    names = sorted(p.name for p in folder.glob("*.md"))
    assert names == sorted(["index.md", "tinh-hinh-chung.md", "chi-bo-nong-thon.md", "co-quan-hanh-chinh-su-nghiep.md",
                            "quan-su.md", "cong-an.md", "khac.md", "uu-diem.md", "han-che.md", "nhiem-vu.md",
                            "de-xuat.md"])
    check = run_cli(repo, "check")
    assert check.returncode == 0 and check.stdout.strip() == "Không có lỗi.", check.stdout
    assert mkdocs_build(repo, tmp_path / "site", "--strict").returncode == 0
    section = (folder / "cong-an.md").read_text(encoding="utf-8")
    assert "contributor: dang_bo_cong_an" in section and "status: draft" in section
    assert "# Số liệu:" in section and "Hướng dẫn viết" in section
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "name: Trương Thị Toan" in index and "  - Lưu VPĐU." in index


def test_second_new_quarter_changes_nothing(repo):
    # issue 22.6: on a period that has every file, nothing is written and it says so
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    (repo / "docs/reports/2025-q4/cong-an.md").write_text(
        (repo / "docs/reports/2025-q4/cong-an.md").read_text(encoding="utf-8") + "\nĐã viết.\n", encoding="utf-8")
    before = snapshot(repo / "docs")
    again = run_cli(repo, "new-quarter", "2025-Q4")
    assert again.returncode == 0, again.stderr
    assert "Đã có tệp docs/reports/2025-q4/cong-an.md: giữ nguyên." in again.stderr
    assert "không tạo tệp nào" in again.stderr and again.stdout == ""
    assert snapshot(repo / "docs") == before


def test_new_quarter_keeps_a_file_that_exists(repo):
    # a folder without index.md: the check says to run new-quarter, which writes what is
    # missing and never touches the file there; the check then names that file
    target = repo / "docs/reports/2025-q4/han-che.md"
    target.parent.mkdir(parents=True)
    target.write_text("giữ nguyên\n", encoding="utf-8")
    result = run_cli(repo, "new-quarter", "2025-Q4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Đã có tệp docs/reports/2025-q4/han-che.md: giữ nguyên." in result.stderr
    assert "Đã tạo docs/reports/2025-q4/index.md" in result.stdout and "chạy `baocao check`" in result.stdout
    assert target.read_text(encoding="utf-8") == "giữ nguyên\n"
    check = run_cli(repo, "check")
    assert check.returncode == 1 and "docs/reports/2025-q4/han-che.md:1:" in check.stdout


def test_new_quarter_carries_members_count(tmp_path):
    root = tmp_path / "sample"
    generate(root, 4)
    last = yaml.safe_load((root / "docs/reports/2023-q4/tinh-hinh-chung.md").read_text(encoding="utf-8")
                          .split("---\n")[1])["figures"]["dang_vien_cuoi_ky"]
    assert run_cli(root, "new-quarter", "2024-Q1").returncode == 0
    overview = (root / "docs/reports/2024-q1/tinh-hinh-chung.md").read_text(encoding="utf-8")
    assert re.search(rf"^  dang_vien_dau_ky: {last}  #", overview, flags=re.M)
    police_last = yaml.safe_load((root / "docs/reports/2023-q4/cong-an.md").read_text(encoding="utf-8")
                                 .split("---\n")[1])["figures"]["dang_vien_cuoi_ky"]
    police = (root / "docs/reports/2024-q1/cong-an.md").read_text(encoding="utf-8")
    assert re.search(rf"^  dang_vien_dau_ky: {police_last}  #", police, flags=re.M)
    assert run_cli(root, "check").returncode == 0


def test_new_quarter_bad_period(repo):
    result = run_cli(repo, "new-quarter", "2025-4")
    assert result.returncode == 2 and "sai dạng" in result.stderr


def test_status_lists_every_slot_and_marks_missing(tmp_path):
    root = tmp_path / "sample"
    generate(root, 3, draft_last=True)
    result = run_cli(root, "status")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Báo cáo quý III/2023 (dự thảo): 8/10 phần đã có")
    missing = [line for line in lines if "  CHƯA CÓ  " in line]
    assert len(missing) == 2 and "A.2.5. Tổ chức cơ sở đảng khác" in missing[0]
    assert any("docs/reports/2023-q3/cong-an.md" in line and "Đảng bộ Công an xã (mẫu)" in line for line in lines)
    assert run_cli(root, "status", "2023-Q1").stdout.startswith("Báo cáo quý I/2023 (đã ban hành): 10/10")


def test_codeowners_from_registry(tmp_path):
    root = tmp_path / "sample"
    generate(root, 2)
    result = run_cli(root, "codeowners")
    assert result.returncode == 0
    assert "* @van-phong-mau" in result.stdout
    assert "/docs/reports/*/cong-an.md @dang-bo-cong-an-mau @van-phong-mau" in result.stdout
    out = tmp_path / "CODEOWNERS"
    assert run_cli(root, "codeowners", "--write", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_only_the_office_owns_the_seals_files(tmp_path):
    """The manifest, the errata and the kept PDF and Word files of every report folder are the
    office's alone, on the last lines (the last matching line wins over an organisation's)."""
    root = tmp_path / "sample"
    generate(root, 2)
    lines = run_cli(root, "codeowners").stdout.splitlines()
    assert lines[-4:] == [f"/docs/reports/*/{name} @van-phong-mau"
                          for name in ("ban-hanh.yml", "dinh-chinh.yml", "*.pdf", "*.docx")]


def test_workflows_are_valid_and_run_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The README installs in a virtual environment (Debian 12 refuses pip outside one); the
    # workflow's runner has its own Python (setup-python), where pip installs directly.
    assert "sh tools/install.sh" in readme and "python -m pip install -e ." in readme
    # Gitea and Forgejo read .github/workflows when they have no workflow folder of their own
    for path in (ROOT / ".github/workflows/kiem-tra.yml",):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps = workflow["jobs"]["kiem-tra"]["steps"]
        commands = [step.get("run", "") for step in steps]
        assert "python3 -m pip install -e ." in commands
        assert "baocao check --format github" in commands
        assert "mkdocs build --strict" in commands
        # Pull requests are checked with the main branch's workflow (test_pull_request.py).
        assert {"pull_request_target", "push"} <= set(workflow[True])  # YAML 1.1 reads the key `on` as True


def test_pull_request_templates_in_vietnamese():
    for path in (ROOT / ".github/pull_request_template.md",):
        text = path.read_text(encoding="utf-8")
        assert text.count("- [ ]") >= 5 and "Chỉ sửa tệp của tổ chức mình" in text


def test_contributing_guide_covers_the_three_roles():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in ("Sửa tệp", "Thông điệp commit", "yêu cầu hợp nhất", "baocao new-quarter", "baocao status",
                   "status: issued", "mkdocs build --strict", "Chi tiết"):
        assert needle in text, needle


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Văn phòng", "GIT_AUTHOR_EMAIL": "vp@example.local",
           "GIT_COMMITTER_NAME": "Văn phòng", "GIT_COMMITTER_EMAIL": "vp@example.local"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_git_dates_and_edit_link_on_section_pages(tmp_path):
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "\nrepo_url: https://git.dangUy.local/van-phong/baocao\nedit_uri: _edit/main/docs/\n",
                      encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Nhập báo cáo quý III/2025", date="2025-09-02T10:00:00+07:00")
    path = root / "docs/reports/2025-q3/cong-an.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nBổ sung.\n", encoding="utf-8")
    _git(root, "commit", "-qam", "Đảng bộ Công an: bổ sung", date="2025-10-05T09:00:00+07:00")
    site = tmp_path / "site"
    result = mkdocs_build(root, site, "--strict")
    assert result.returncode == 0, result.stderr
    html = (site / "reports/2025-q3/cong-an/index.html").read_text(encoding="utf-8")
    assert re.search(r'git-revision-date-localized-plugin[^>]*>05/10/2025<', html)
    other = (site / "reports/2025-q3/quan-su/index.html").read_text(encoding="utf-8")
    assert re.search(r'git-revision-date-localized-plugin[^>]*>02/09/2025<', other)
    assert 'href="https://git.dangUy.local/van-phong/baocao/_edit/main/docs/reports/2025-q3/cong-an.md"' in html
    page = flat(html)
    assert "Đơn vị soạn" in page and "Trạng thái Đã duyệt" in page


def test_build_outside_git_still_works(repo, tmp_path):
    result = mkdocs_build(repo, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/reports/2025-q3/cong-an/index.html").read_text(encoding="utf-8")
    assert "git-revision-date-localized-plugin" in html  # the build date stands in


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]), text


def test_new_quarter_offers_last_quarters_indicators_and_valid_contributors(repo):
    # issue 14.13: every indicator the previous quarter used is offered; every section
    # names only contributor ids it may use, or says to leave it empty
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    orgs = {o["id"]: o for o in yaml.safe_load((repo / "data/organisations.yml").read_text(encoding="utf-8"))
            ["organisations"]}
    for path in sorted((repo / "docs/reports/2025-q4").glob("*.md")):
        if path.name == "index.md":
            continue
        new, text = _front(path)
        old, _ = _front(repo / "docs/reports/2025-q3" / path.name)
        assert set(old.get("figures") or {}) <= set(new.get("figures") or {}), path.name
        line = next(x for x in text.splitlines() if x.startswith("contributor:"))
        value, _, note = line.partition("#")
        value = value.removeprefix("contributor:").strip()
        named = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", note)
        category = new.get("category")
        allowed = {i for i, o in orgs.items() if (o.get("category") == category if category
                                                  else o.get("type") == "co_quan_tham_muu")}
        assert not value or value in allowed, (path.name, line)
        assert set(named) <= allowed, (path.name, line)
        assert named or "để trống" in note, (path.name, line)
    rural, text = _front(repo / "docs/reports/2025-q4/chi-bo-nong-thon.md")
    assert "chi_bo_ban_hanh_quy_che" in rural["figures"] and "chi_bo" in rural["figures"]
    assert "chưa có tổ chức nào" in text


def test_new_quarter_warns_when_the_previous_quarter_is_missing(repo):
    # issue 14.10
    skipped = run_cli(repo, "new-quarter", "2026-Q1")
    assert skipped.returncode == 0, skipped.stderr
    assert "Cảnh báo: chưa có báo cáo quý IV/2025" in skipped.stderr
    assert "baocao new-quarter 2025-Q4" in skipped.stderr
    shutil.rmtree(repo / "docs/reports/2026-q1")
    following = run_cli(repo, "new-quarter", "2025-Q4")
    assert following.returncode == 0 and "Cảnh báo" not in following.stderr


def test_blank_scaffolded_drafts_count_as_missing(repo, tmp_path):
    # issue 14.7: progress, the tracker and the home page count a still-empty draft as missing
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    status = run_cli(repo, "status", "2025-Q4")
    assert "0/10 phần đã có" in status.stdout and "còn thiếu 10" in status.stdout, status.stdout
    police = repo / "docs/reports/2025-q4/cong-an.md"
    police.write_text(police.read_text(encoding="utf-8") + "\nĐảng bộ Công an đã tổ chức học tập.\n",
                      encoding="utf-8")
    status = run_cli(repo, "status", "2025-Q4")
    assert "1/10 phần đã có" in status.stdout and "đang soạn 1" in status.stdout, status.stdout
    assert mkdocs_build(repo, tmp_path / "site").returncode == 0
    home = flat((tmp_path / "site/index.html").read_text(encoding="utf-8"))
    assert "Tiến độ quý IV/2025: 1/10 phần đã có" in home, home
    tracker = flat((tmp_path / "site/tien-do/index.html").read_text(encoding="utf-8"))
    assert tracker.count("Chưa có") >= 9 and "Đang soạn" in tracker
