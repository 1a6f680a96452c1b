"""Every mistake in one run, each message saying what to write (issue 23, points 5 to 7, 14):
a bad figure or a syntax error no longer hides the file's other problems; unknown ids
suggest the nearest ones; the file name says which part and category; arithmetic speaks
the labels; `baocao status` says the real problem; changed JSON Schemas are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from baocao.check import run_check

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
