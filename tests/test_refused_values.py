"""Review (hostile, after the merge of issues 20-26): the deadlines calendar
(``lich/han-nop-bao-cao.ics``, render/calendar.py) on values a pull request may write.

The check accepts both values below ("Không có lỗi."); the build then stops with a
Python traceback (the contract: "never a traceback for bad content"; every problem said
by the check, at its file and line, in Vietnamese).
"""

from __future__ import annotations

from pathlib import Path

from conftest import copy_repo, mkdocs_build, run_cli


def open_quarter(root: Path) -> Path:
    done = run_cli(root, "new-quarter", "2025-Q4", "--due", "2025-12-20", "--sections-due", "2025-12-10")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "docs/reports/2025-q4/index.md"


def build_said(root: Path, site: Path) -> tuple[str, str]:
    checked = run_cli(root, "check")
    built = mkdocs_build(root, site)
    return checked.stdout, built.stderr


def test_a_committee_name_with_a_line_break_is_refused_not_a_traceback(tmp_path):
    """``name: "Đảng ủy xã\\nĐại Sơn"`` (a YAML escape, or a ``|`` block) passes the schema
    (``Text`` allows line breaks); the calendar's ``X-WR-CALNAME`` is not a TEXT value to
    icalendar, which asserts "Content line can not contain unescaped new line characters"."""
    root = copy_repo(tmp_path / "repo")
    open_quarter(root)
    committee = root / "data/committee.yml"
    text = committee.read_text(encoding="utf-8")
    committee.write_text(text.replace("name: Đảng ủy xã Đại Sơn", 'name: "Đảng ủy xã\\nĐại Sơn"', 1),
                         encoding="utf-8")
    checked, stderr = build_said(root, tmp_path / "site")
    assert "Traceback" not in stderr, stderr[-1500:]
    assert "data/committee.yml:" in checked, checked


def test_a_due_date_at_the_end_of_time_is_refused_not_a_traceback(tmp_path):
    """``due: 9999-12-31`` passes the check (the deadline rules only order the dates); the
    calendar's DTEND (``day + 1 day``) overflows: ``OverflowError: date value out of range``.
    (``baocao status`` meanwhile says "còn 2912104 ngày".)"""
    root = copy_repo(tmp_path / "repo")
    index = open_quarter(root)
    text = index.read_text(encoding="utf-8")
    text = text.replace("due: 2025-12-20", "due: 9999-12-31").replace("sections_due: 2025-12-10",
                                                                     "sections_due: 9999-12-30")
    index.write_text(text, encoding="utf-8")
    checked, stderr = build_said(root, tmp_path / "site")
    assert "Traceback" not in stderr, stderr[-1500:]
    assert "docs/reports/2025-q4/index.md:" in checked, checked
