"""Every mistake in one run, each message saying what to write (issue 23, points 5 to 7, 14):
a bad figure or a syntax error no longer hides the file's other problems; unknown ids
suggest the nearest ones; the file name says which part and category; arithmetic speaks
the labels; `baocao status` says the real problem; changed JSON Schemas are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from baocao.check import run_check
from conftest import run_cli

CA = "docs/reports/2025-q3/cong-an.md"


def _write(root: Path, rel: str, front: list[str], body: str = "Nội dung.") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + body + "\n", encoding="utf-8")
    return path


def _found(root: Path, rel: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.code) for p in run_check(root, use_cache=False).problems if p.path == rel]


def _messages(root: Path, rel: str) -> dict[str, str]:
    return {p.code: p.message for p in run_check(root, use_cache=False).problems if p.path == rel}


# --- point 5 ------------------------------------------------------------------------------


WALKTHROUGH = [
    "part: results",                     # 2
    "category: cong_an",                 # 3
    "contributor: cong_an_xa",           # 4  wrong contributor
    "status: approved",                  # 5
    "figures:",                          # 6
    "  dang_vien_dau_ky: 1.120",         # 7  a figure with a thousands dot
    "  to_chuc_dang: 3",                 # 8  3 ≠ 1 + 1 + 0
    "  dang_bo_co_so: 1",                # 9
    "  chi_bo_co_so: 1",                 # 10
    "  chi_bo_truc_thuoc: 0",            # 11
    "documents:",                        # 12
    "  - 07-QĐ/ĐU",                      # 13
    "  - 99-CV/XYZ",                     # 14 unknown document
]


def test_a_bad_figure_hides_nothing_else(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, WALKTHROUGH)
    found = _found(root, CA)
    assert (7, "figures.dang_vien_dau_ky", "integer") in found
    assert (4, "contributor", "unknown-id") in found
    assert (8, "figures.to_chuc_dang", "sum-mismatch") in found
    assert (14, "documents.1", "unknown-id") in found
    assert len(found) == 4, found


def test_a_syntax_error_hides_nothing_else(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, ["part: results", "contributor: dang_bo_cong_an", "status:approved",
                      'title: "Công an', "documents:", "  - 99-CV/XYZ"])
    found = _found(root, CA)
    assert (4, "", "yaml-syntax") in found  # the missing space
    assert (5, "", "yaml-syntax") in found  # the quote never closed
    assert (2, "category", "category-required") in found  # the missing category
    assert (7, "documents.0", "unknown-id") in found  # and what follows the broken line
    assert not [f for f in found if f[2] == "required"], found  # `title` is not "missing"
    assert len(found) == 4, found


def test_two_syntax_errors_and_a_schema_error_in_a_data_file(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    path = root / "data/organisations.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("  - id: chi_bo_quy_tin_dung")
    name, kind, category = (lines.index(x, at) for x in ("    name: Chi bộ Quỹ tín dụng Nhân dân",
                                                          "    type: chi_bo_co_so", "    category: khac"))
    lines[name] = "    name: Chi bộ Quỹ tín dụng: Nhân dân"  # a colon in a value
    lines[kind] = "    type:chi_bo_co_so"  # no space
    lines[category] = "    category: Khác"  # not an id
    path.write_text("\n".join(lines), encoding="utf-8")
    found = _found(root, "data/organisations.yml")
    # `name` is on the broken line: not also called missing
    assert [(line, code) for line, _, code in found] == [(name + 1, "yaml-syntax"), (kind + 1, "yaml-syntax"),
                                                         (category + 1, "pattern")], found


# --- point 6 ------------------------------------------------------------------------------


def test_unknown_organisation_suggests_the_nearest(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, ["part: results", "category: cong_an", "contributor: cong_an_xa", "status: approved"])
    said = _messages(root, CA)["unknown-id"]
    assert "`dang_bo_cong_an` (Đảng bộ Công an xã)" in said, said


def test_unknown_document_says_who_adds_documents_and_where(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, ["part: results", "category: cong_an", "contributor:", "status: approved",
                      "documents: [07-QD/DU]"])
    said = _messages(root, CA)["unknown-id"]
    assert "`07-QĐ/ĐU`" in said  # the same number, written without its Vietnamese letters
    assert "Văn phòng Đảng ủy" in said and "data/documents.yml" in said and "`title`" in said


def test_missing_category_and_part_come_from_the_file_name(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, ["part: results", "contributor:", "status: approved"])
    said = _messages(root, CA)["category-required"]
    assert "`category: cong_an`" in said and "cong-an.md" in said, said
    _write(root, CA, ["category: cong_an", "contributor:", "status: approved"])
    said = _messages(root, CA)["required"]
    assert "`part: results`" in said and "cong-an.md" in said, said
    # a file named as new-quarter names a part of the whole committee
    (root / CA).unlink()
    rel = "docs/reports/2025-q3/uu-diem.md"
    _write(root, rel, ["contributor:", "status: approved"])
    assert "`part: strengths`" in _messages(root, rel)["required"]


def test_arithmetic_messages_use_the_labels(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    _write(root, CA, ["part: results", "category: cong_an", "contributor:", "status: approved", "figures:",
                      "  to_chuc_dang: 3", "  dang_bo_co_so: 1", "  chi_bo_co_so: 1", "  chi_bo_truc_thuoc: 0",
                      "  dang_vien_dau_ky: 100", "  ket_nap: 2", "  chuyen_den: 0", "  phuc_hoi: 0",
                      "  tu_tran: 0", "  khai_tru: 0", "  xoa_ten: 0", "  xin_ra: 0", "  chuyen_di: 1",
                      "  dang_vien_cuoi_ky: 100"])
    said = _messages(root, CA)
    assert "(Đảng bộ cơ sở + Chi bộ cơ sở + Chi bộ trực thuộc)" in said["sum-mismatch"], said
    assert "Đảng viên đầu kỳ + Kết nạp" in said["balance-mismatch"] and "− Từ trần" in said["balance-mismatch"]
    assert "dang_bo_co_so" not in said["sum-mismatch"] and "ket_nap" not in said["balance-mismatch"]


# --- point 7 ------------------------------------------------------------------------------


def test_status_says_the_real_problem_of_a_broken_index(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    index = root / "docs/reports/2025-q4/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("---\n", "", 1), encoding="utf-8")
    result = run_cli(root, "status", "2025-Q4")
    assert "new-quarter" not in result.stdout, result.stdout
    assert "docs/reports/2025-q4/index.md:1:" in result.stdout and "[front-matter-missing]" in result.stdout
    assert result.returncode == 1


def test_status_lists_the_errors_of_a_readable_quarter(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    index = root / "docs/reports/2025-q4/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("status: draft", "status: dang soan", 1),
                     encoding="utf-8")
    result = run_cli(root, "status", "2025-Q4")
    assert "Báo cáo quý IV/2025" in result.stdout and "[enum]" in result.stdout, result.stdout
    assert "docs/reports/2025-q4/index.md:" in result.stdout and result.returncode == 1


# --- point 14 -----------------------------------------------------------------------------


def test_changed_or_foreign_json_schemas_are_refused(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    assert run_cli(root, "schema").returncode == 0
    assert not [p for p in run_check(root).problems if p.path.startswith("data/schemas")]
    path = root / "data/schemas/section.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["additionalProperties"] = True  # an editor would then accept any key
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    (root / "data/schemas/extra.schema.json").write_text("{}", encoding="utf-8")
    found = [(p.path, p.line, p.code) for p in run_check(root).problems if p.path.startswith("data/schemas")]
    assert found == [("data/schemas/extra.schema.json", 1, "schema-unknown"),
                     ("data/schemas/section.schema.json", 1, "schema-changed")]
    result = run_cli(root, "check")
    assert result.returncode == 1 and "baocao schema" in result.stdout
    assert run_cli(root, "schema").returncode == 0  # written again: the same as the models
    (root / "data/schemas/extra.schema.json").unlink()
    assert run_cli(root, "check").returncode == 0


def test_a_colon_in_the_first_value_under_a_key_is_no_indentation_mistake(pristine, tmp_path):
    """``authority: T/M: x`` right under ``signer:`` was "thụt vào nhiều hơn dòng trên… hãy
    xóa dấu cách thừa": its indentation is right, the colon inside the value is the
    mistake (as said for the same colon on a later line, here too with the line to write)."""
    root = shutil.copytree(pristine, tmp_path / "repo")
    index = root / "docs/reports/2025-q3/index.md"
    lines = index.read_text(encoding="utf-8").split("\n")
    first, later = lines.index("  authority: T/M"), lines.index("  name: Trương Thị Toan")
    lines[first] = "  authority: T/M: Ban Thường vụ"
    lines[later] = "  name: Phó Bí thư: Trương Thị Toan"
    index.write_text("\n".join(lines), encoding="utf-8")
    said = run_cli(root, "check").stdout
    where = "docs/reports/2025-q3/index.md"
    assert (f'{where}:{first + 1}: Viết sai quy cách: có dấu `:` không đúng chỗ; giá trị có dấu `:` phải đặt '
            'trong ngoặc kép: hãy viết `authority: "T/M: Ban Thường vụ"`. [yaml-syntax]') in said, said
    assert f'{where}:{later + 1}: Viết sai quy cách: có dấu `:` không đúng chỗ' in said, said
    assert '`name: "Phó Bí thư: Trương Thị Toan"`' in said
    assert "thụt vào" not in said


def test_a_key_indented_too_far_is_still_said_so(pristine, tmp_path):
    root = shutil.copytree(pristine, tmp_path / "repo")
    index = root / "docs/reports/2025-q3/index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("as_of: 2025-08-25", "as_of: 2025-08-25\n  status: issued", 1), encoding="utf-8")
    line = text[:text.index("as_of:")].count("\n") + 2
    said = run_cli(root, "check").stdout
    assert (f"docs/reports/2025-q3/index.md:{line}: Viết sai quy cách: dòng `status:` thụt vào nhiều hơn dòng "
            "trên") in said, said
