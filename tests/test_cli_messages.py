"""What the ``baocao`` command says when it refuses: every refusal in Vietnamese, saying
what to write instead, and nothing written (the new-user trial's findings)."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

ORGS = "data/organisations.yml"


def unknown_organisation_key(repo):
    path = repo / ORGS
    path.write_text(path.read_text(encoding="utf-8").replace("    type: dang_bo_co_so\n",
                                                             "    type: dang_bo_co_so\n    loai: x\n", 1),
                    encoding="utf-8")


def test_codeowners_refuses_when_the_check_has_errors(repo):
    path = repo / ORGS
    path.write_text(path.read_text(encoding="utf-8").replace("    category: cong_an\n",
                                                             "    category: cong_an\n    reviewers: ['@ca']\n", 1),
                    encoding="utf-8")
    good = run_cli(repo, "codeowners")
    assert good.returncode == 0 and "@ca" in good.stdout, good.stdout + good.stderr
    target = repo / ".github/CODEOWNERS"
    target.parent.mkdir(exist_ok=True)
    target.write_text("kept\n", encoding="utf-8")
    unknown_organisation_key(repo)
    for args in (("codeowners",), ("codeowners", "--write", ".github/CODEOWNERS")):
        result = run_cli(repo, *args)
        assert result.returncode == 1, result.stdout
        assert f"{ORGS}:" in result.stdout and "loai" in result.stdout
        assert "Hãy sửa các lỗi trên trước khi tạo tệp CODEOWNERS." in result.stderr
    assert target.read_text(encoding="utf-8") == "kept\n"


def test_write_refuses_a_folder_a_missing_folder_and_says_why(repo, tmp_path):
    (tmp_path / "folder").mkdir()
    for command in (("codeowners",), ("cms-config",)):
        folder = run_cli(repo, *command, "--write", str(tmp_path / "folder"))
        assert folder.returncode == 1 and "Traceback" not in folder.stderr, folder.stderr
        assert f"Không ghi được tệp {tmp_path / 'folder'}: " in folder.stderr
        assert "là một thư mục, không phải tệp" in folder.stderr
        missing = run_cli(repo, *command, "--write", str(tmp_path / "typo/sub/CODEOWNERS"))
        assert missing.returncode == 1 and "Traceback" not in missing.stderr, missing.stderr
        assert f"không có thư mục `{tmp_path / 'typo/sub'}`" in missing.stderr
        assert not (tmp_path / "typo").exists()
        proc = run_cli(repo, *command, "--write", "/proc/x/y")
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert "Không ghi được tệp /proc/x/y: không có thư mục `/proc/x`" in proc.stderr


def test_output_files_refused_in_vietnamese(repo, tmp_path):
    (tmp_path / "folder").mkdir()
    for command in ("stats", "docx"):
        folder = run_cli(repo, command, "2025-Q3", "-o", str(tmp_path / "folder"))
        assert folder.returncode == 1, folder.stderr
        assert "là một thư mục, không phải tệp" in folder.stderr and "Is a directory" not in folder.stderr
        assert list((tmp_path / "folder").iterdir()) == []
        missing = run_cli(repo, command, "2025-Q3", "-o", str(tmp_path / "typo/out.bin"))
        assert missing.returncode == 1 and f"không có thư mục `{tmp_path / 'typo'}`" in missing.stderr
        assert not (tmp_path / "typo").exists()
    for out, says in ((tmp_path / "folder", "là một thư mục, không phải tệp"),
                      (tmp_path / "typo/ky.pdf", f"không có thư mục `{tmp_path / 'typo'}`")):
        signed = run_cli(tmp_path, "sign", "x.pdf", "-o", str(out), "--pkcs12", "k.p12")
        assert signed.returncode == 1 and says in signed.stderr, signed.stderr
    assert not (tmp_path / "typo").exists()


def test_os_error_wording_names_each_case():
    import errno

    from baocao.vnformat import os_error

    assert "không có quyền ghi `/x`" in os_error(PermissionError(errno.EACCES, "Permission denied", "/x"), writing=True)
    assert "không có tệp `/x`" in os_error(FileNotFoundError(errno.ENOENT, "No such file", "/x"), writing=False)
    assert "ổ đĩa đã đầy" in os_error(OSError(errno.ENOSPC, "No space left on device"), writing=True)


def test_verify_refuses_a_mistyped_period_and_says_why(tmp_path):
    for target, why in (("2025-Q5", "có quý 5; một năm chỉ có quý 1 đến 4"), ("2025q3", "sai dạng; hãy viết NĂM-Q")):
        result = run_cli(tmp_path, "verify", target)
        assert result.returncode == 2
        assert f"Kỳ `{target}` {why}" in result.stderr and "No such file" not in result.stderr, result.stderr
    missing = run_cli(tmp_path, "verify", str(tmp_path / "nhan-duoc.pdf"))
    assert missing.returncode == 2 and "No such file" not in missing.stderr
    assert f"Không đọc được tệp {tmp_path / 'nhan-duoc.pdf'}: không có tệp" in missing.stderr


def test_every_command_reads_a_date_alike(repo):
    issued = run_cli(repo, "issue", "2025-Q4", "--number", "1", "--date", "2025-02-30")
    opened = run_cli(repo, "new-quarter", "2025-Q4", "--due", "2025-02-30")
    for result, option in ((issued, "--date"), (opened, "--due")):
        assert result.returncode == 2
        assert (f"{option} `2025-02-30` không phải một ngày có thật (tháng 2 năm 2025 không có ngày 30); "
                "hãy viết NĂM-THÁNG-NGÀY") in result.stderr, result.stderr
    wrong = run_cli(repo, "issue", "2025-Q4", "--number", "1", "--date", "30/9/2025")
    assert wrong.returncode == 2 and "--date `30/9/2025` sai dạng; hãy viết NĂM-THÁNG-NGÀY" in wrong.stderr
    assert not (repo / "docs/reports/2025-q4").exists()


def test_argparse_refusals_are_in_vietnamese(tmp_path):
    for args, says in (
        (("publish", "--to", str(tmp_path), "--keep", "x"), "sau --keep phải là một số nguyên (chỉ chữ số), không phải `x`"),
        (("edit", "--port", "x"), "sau --port phải là một số nguyên (chỉ chữ số), không phải `x`"),
        (("sign", "a.pdf", "-o", "b.pdf"), "cần một trong các tùy chọn --pkcs12 hoặc --pkcs11-lib"),
        (("sign", "a.pdf", "-o", "b.pdf", "--pkcs12", "k", "--pkcs11-lib", "l"),
         "không dùng --pkcs11-lib cùng với --pkcs12: chỉ chọn một"),
        (("check", "--fix=1"), "--fix không nhận giá trị"),
    ):
        result = run_cli(tmp_path, *args)
        assert result.returncode == 2 and f"Lệnh chưa đúng: {says}" in result.stderr, (args, result.stderr)
        assert "invalid" not in result.stderr and "argument" not in result.stderr, result.stderr


def test_every_option_value_has_a_vietnamese_name():
    # `--port PORT`, `--keep N`, `--format {text,json}` were argparse's English
    import argparse

    from baocao import cli

    def options(parser, name):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, child in action.choices.items():
                    yield from options(child, f"{name} {sub}")
            elif action.option_strings and action.nargs != 0:
                yield name, action

    found = list(options(cli.parser(), "baocao"))
    assert len(found) > 30
    for name, action in found:
        assert action.metavar and not action.metavar.isascii() or action.metavar in ("CA.pem",), (name, action)
    edit = run_cli(ROOT, "edit", "--help").stdout
    assert "--port CỔNG" in edit and "PORT" not in edit


def test_serve_lists_its_options_and_mkdocs_refusals_point_to_baocao(repo):
    shown = run_cli(repo, "serve", "--help")
    assert shown.returncode == 0
    for option in ("-a ĐỊA_CHỈ:CỔNG, --dev-addr ĐỊA_CHỈ:CỔNG", "-c, --clean", "--dirty", "-s, --strict"):
        assert option in shown.stdout, shown.stdout
    refused = run_cli(repo, "serve", "--bogus")
    assert refused.returncode == 2
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert lines == ["Cách dùng: baocao serve [TÙY_CHỌN]", "Xem `baocao serve --help`.",
                     "Lỗi: không có tùy chọn `--bogus`; có phải `--verbose`?"], lines


def test_mkdocs_click_refusals_translated():
    from baocao.console import translate

    assert translate("Error: No such option: --bogus\n") == "Lỗi: không có tùy chọn `--bogus`.\n"
    assert translate("Error: Option '-a' requires an argument.") == "Lỗi: sau `-a` phải có một giá trị."
    assert translate("Try 'python -m mkdocs build --help' for help.") == "Xem `baocao build --help`."


def test_status_shows_a_broken_section_as_such_not_approved(repo):
    # `stauts:` misspelt: the loader's placeholder status is "approved"; the row must not say so
    path = repo / "docs/reports/2025-q3/cong-an.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "stauts: approved"), encoding="utf-8")
    result = run_cli(repo, "status", "2025-Q3")
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if "docs/reports/2025-q3/cong-an.md  " in line)
    assert "Có lỗi — xem `baocao check`" in row and "Đã duyệt" not in row, row
    assert "(đã duyệt 9, đã gửi 0, đang soạn 0, có lỗi 1)" in result.stdout.splitlines()[0], result.stdout
    data = json.loads(run_cli(repo, "status", "2025-Q3", "--format", "json").stdout)
    states = {s["path"]: s["state"] for s in data["sections"]}
    assert states["docs/reports/2025-q3/cong-an.md"] == "error"
    assert list(states.values()).count("approved") == 9


def test_new_quarter_restores_a_deleted_index_as_the_check_advises(repo):
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    folder = repo / "docs/reports/2025-q4"
    section = folder / "cong-an.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nĐã viết.\n", encoding="utf-8")
    written = section.read_bytes()
    (folder / "index.md").unlink()
    check = run_cli(repo, "check")
    assert check.returncode == 1 and "hãy tạo bằng `baocao new-quarter`" in check.stdout
    again = run_cli(repo, "new-quarter", "2025-Q4")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.startswith("Đã tạo docs/reports/2025-q4/index.md\n"), again.stdout
    assert "Đã có tệp docs/reports/2025-q4/cong-an.md: giữ nguyên." in again.stderr
    assert section.read_bytes() == written
    assert run_cli(repo, "check").stdout.strip() == "Không có lỗi."
    # other errors still stop it
    broken = repo / "docs/reports/2025-q3/cong-an.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: approved", "stauts: approved"),
                      encoding="utf-8")
    (folder / "index.md").unlink()
    refused = run_cli(repo, "new-quarter", "2025-Q4")
    assert refused.returncode == 1 and "Hãy sửa các lỗi trên trước khi mở kỳ mới." in refused.stderr
    assert not (folder / "index.md").exists()


def test_compare_sites_takes_two_folders(tmp_path):
    import subprocess
    import sys

    script = str(ROOT / "tests/compare_sites.py")

    def run(*args):
        return subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=60)

    shown = run("--help")
    assert shown.returncode == 0 and "SITE_A" in shown.stdout and "--engines" in shown.stdout
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("x", encoding="utf-8")
    for args, says in (((), "the following arguments are required"),
                       ((str(tmp_path / "a"), str(tmp_path / "typo")), f"no folder {tmp_path / 'typo'}"),
                       ((str(tmp_path / "a"), str(tmp_path / "a/index.html")), "is not a folder")):
        result = run(*args)
        assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert run(str(tmp_path / "a"), str(tmp_path / "a")).returncode == 0
