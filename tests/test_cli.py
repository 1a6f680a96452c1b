"""The ``baocao`` command as users run it: output formats, exit codes, --fix, schemas."""

from __future__ import annotations

import json
import unicodedata

from baocao.load.schemafiles import json_schemas as schemas
from conftest import ROOT, run_cli

CA = "docs/reports/2025-q3/cong-an.md"


def break_status(repo):
    path = repo / CA
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "stauts: approved"),
                    encoding="utf-8")


def test_check_passes_on_shipped_content():
    result = run_cli(ROOT, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "Không có lỗi."


def test_check_text_format_and_exit_code(repo):
    break_status(repo)
    result = run_cli(repo, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{CA}:5: stauts: Trường `stauts` viết sai; hãy sửa thành `status`. [unknown-key]",
        "Có 1 lỗi.",
    ]
    assert "Traceback" not in result.stderr


def test_check_github_format(repo):
    break_status(repo)
    result = run_cli(repo, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file={CA},line=5::stauts: Trường `stauts` viết sai; hãy sửa thành `status`. [unknown-key]")


def test_check_json_format(repo):
    break_status(repo)
    result = run_cli(repo, "check", "--format", "json")
    data = json.loads(result.stdout)
    assert data == {"problems": [{"path": CA, "line": 5, "field": "stauts", "code": "unknown-key",
                                  "severity": "error",
                                  "message": "Trường `stauts` viết sai; hãy sửa thành `status`."}],
                    "errors": 1, "warnings": 0}


def test_warnings_do_not_fail_check(repo):
    index = repo / "docs/reports/2025-q3/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("status: issued", "status: draft"),
                     encoding="utf-8")
    (repo / "docs/reports/2025-q3/de-xuat.md").unlink()
    result = run_cli(repo, "check")
    assert result.returncode == 0
    assert "(cảnh báo)" in result.stdout and result.stdout.strip().endswith("Có 1 cảnh báo.")


def test_fix_rewrites_nfd_as_nfc(repo):
    path = repo / CA
    nfd = unicodedata.normalize("NFD", path.read_text(encoding="utf-8"))
    path.write_text(nfd, encoding="utf-8")
    assert run_cli(repo, "check").returncode == 1
    result = run_cli(repo, "check", "--fix")
    assert result.returncode == 0, result.stdout
    assert f"Đã chuyển sang Unicode NFC: {CA}" in result.stdout
    assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8"))


def test_committed_schemas_match_the_model():
    for name, schema in schemas().items():
        committed = json.loads((ROOT / "data" / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == schema, f"data/schemas/{name} is stale: run `baocao schema`"


def test_data_files_carry_schema_modeline():
    for path in (ROOT / "data").glob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schemas/{path.stem}.schema.json"


def test_schema_command_writes_files(repo):
    result = run_cli(repo, "schema")
    assert result.returncode == 0
    assert (repo / "data/schemas/section.schema.json").is_file()


def test_cache_sees_every_change_and_survives_corruption(repo):
    assert run_cli(repo, "check").returncode == 0
    from baocao.load.cache import CACHE_NAME, cache_dir

    cache = cache_dir(repo) / CACHE_NAME
    assert cache.is_file() and not (repo / ".cache").exists()
    path = repo / CA
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("status: approved", "status: approveX"), encoding="utf-8")  # same size
    result = run_cli(repo, "check")
    assert result.returncode == 1 and "[enum]" in result.stdout
    path.write_text(good, encoding="utf-8")
    assert run_cli(repo, "check").returncode == 0
    cache.write_bytes(b"not json {")
    assert run_cli(repo, "check").returncode == 0
    path.write_text(good.replace("status: approved", "stauts: approved"), encoding="utf-8")
    assert run_cli(repo, "check", "--no-cache").returncode == 1


def test_rule_problem_in_a_cached_file_keeps_its_line(repo):
    # Rules run on every check; their problems in an unchanged file (read from the cache,
    # with its key lines packed) point at the same line as on a fresh read.
    path = repo / CA
    path.write_text(path.read_text(encoding="utf-8").replace("contributor:\n", "contributor: cong_an_xa_khong_co\n"),
                    encoding="utf-8")
    fresh = run_cli(repo, "check", "--no-cache")
    first = run_cli(repo, "check")
    cached = run_cli(repo, "check")
    assert fresh.returncode == first.returncode == cached.returncode == 1
    assert f"{CA}:4: contributor:" in fresh.stdout
    assert fresh.stdout == first.stdout == cached.stdout


def test_cache_sees_a_changed_data_file(repo):
    assert run_cli(repo, "check").returncode == 0
    path = repo / "data/committee.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "nam_thanh_lap: 1930\n", encoding="utf-8")
    result = run_cli(repo, "check")
    assert result.returncode == 1 and "data/committee.yml:" in result.stdout and "nam_thanh_lap" in result.stdout
    path.write_text(good, encoding="utf-8")
    assert run_cli(repo, "check").returncode == 0


def test_wrong_command_is_explained_in_vietnamese(repo):
    result = run_cli(repo, "chek")
    assert result.returncode == 2
    assert "Lệnh chưa đúng: không có `chek`" in result.stderr and "Cách dùng:" in result.stderr
    assert "invalid choice" not in result.stderr


def test_outside_the_repository_one_clear_message(tmp_path):
    # issue 14.9: not six "missing data file" lines, but where to run the command
    for command in (("check",), ("status",), ("new-quarter", "2025-Q4")):
        result = run_cli(tmp_path, *command)
        assert result.returncode == 2, command
        assert result.stdout == "" and "data-missing" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "không phải kho báo cáo" in lines[0] and "mkdocs.yml" in lines[0], lines
    assert not (tmp_path / ".cache").exists() and not (tmp_path / "docs").exists()


def test_every_command_is_run_by_one_function_of_its_area():
    # One dispatch style (issue 26.4): each sub-command is added by its area's module of
    # baocao.cli with the function that runs it; main() only calls it.
    import argparse

    from baocao import cli

    parser = cli.parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert list(commands)[:4] == ["check", "schema", "pr-content", "new-quarter"] and len(commands) == 20
    for name, command in commands.items():
        run = command.get_default("run")
        assert callable(run), name
        area = run.__module__.rsplit(".", 1)[-1]
        assert area in ("content", "pull_request", "word", "stats", "form", "site", "issued"), (name, area)
