"""Values the check refuses, at their file and line in Vietnamese, because a later stage
could not take them: the build would stop with a Python traceback instead (the contract:
"never a traceback for bad content"; every problem said by the check).

- the registry's one-line names (``Line`` in schemas): a line break in the committee's
  name reached the deadlines calendar's ``X-WR-CALNAME``, which icalendar refuses to write
  unescaped (the calendar now writes it as TEXT too);
- the deadlines of a report (check/deadlines): at most a year after the quarter ends; the
  calendar's DTEND of ``9999-12-31`` overflowed (``baocao new-quarter`` refuses them too);
- a period's year outside 1930–2099 (periods.FIRST_YEAR, LAST_YEAR): ``baocao new-quarter
  0000-Q1`` stopped on a date of year 0, and a folder ``0000-q1`` was "sai dạng" without
  saying why; digits other than ASCII (``٢٠٢٥-Q3``) were read as 2025 in silence;
- of the same kind in the forms and the errata: a form's label with a line break; a
  correction's wording on two lines (refused before, but as "sai dạng mã").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_repo, mkdocs_build, run_cli


def open_quarter(root: Path) -> Path:
    done = run_cli(root, "new-quarter", "2025-Q4", "--due", "2025-12-20", "--sections-due", "2025-12-10")
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "docs/reports/2025-q4/index.md"


def build_said(root: Path, site: Path) -> tuple[str, str]:
    checked = run_cli(root, "check")
    built = mkdocs_build(root, site)
    assert built.returncode == 1
    return checked.stdout, built.stderr


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) and return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


ONE_LINE = "phải viết trên một dòng"


def test_a_committee_name_with_a_line_break_is_refused_not_a_traceback(tmp_path):
    """``name: "Đảng ủy xã\\nĐại Sơn"`` (a YAML escape, or a ``|`` block): the name is one
    line wherever it is printed."""
    root = copy_repo(tmp_path / "repo")
    open_quarter(root)
    line = replace_in(root / "data/committee.yml", "name: Đảng ủy xã Đại Sơn", 'name: "Đảng ủy xã\\nĐại Sơn"')
    checked, stderr = build_said(root, tmp_path / "site")
    assert "Traceback" not in stderr, stderr[-1500:]
    assert f"data/committee.yml:{line}: name: `name` {ONE_LINE}" in checked, checked


def test_the_calendar_writes_the_committees_name_as_text():
    """Behind the check: the calendar's name is escaped as TEXT (``\\n``, ``\\;``), never a
    raw line break in the file."""
    import datetime as dt

    from baocao.model import Archive, Report, Source
    from baocao.periods import Period
    from baocao.render.calendar import ics
    from baocao.schemas import Committee, ReportMeta

    committee = Committee.model_construct(name="Đảng ủy\nxã; Đại Sơn", organisation="x", parent="x", code="ĐU",
                                          place="x")
    meta = ReportMeta(period="2025-Q4", status="draft", due=dt.date(2025, 12, 20))
    report = Report(Source("docs/reports/2025-q4/index.md"), Period(2025, 4), meta, "", 1)
    data = ics(Archive(committee=committee, reports=[report]), dt.date(2025, 12, 1))
    assert "X-WR-CALNAME:Hạn nộp báo cáo — Đảng ủy\\nxã\\; Đại Sơn\r\n" in data.decode("utf-8")


@pytest.mark.parametrize(("due", "sections_due", "line_of"), [
    ("9999-12-31", "9999-12-30", "due:"),
    ("2026-12-31", "2027-01-01", "sections_due:"),  # a year after the quarter ends, and a day more
])
def test_a_due_date_beyond_a_year_after_the_quarter_is_refused_not_a_traceback(tmp_path, due, sections_due, line_of):
    """``due: 9999-12-31`` overflowed the calendar's DTEND (``baocao status`` meanwhile said
    "còn 2912104 ngày"): a deadline is at most a year after its quarter ends."""
    root = copy_repo(tmp_path / "repo")
    index = open_quarter(root)
    replace_in(index, "due: 2025-12-20", f"due: {due}")
    replace_in(index, "sections_due: 2025-12-10", f"sections_due: {sections_due}")
    line = next(i for i, text in enumerate(index.read_text(encoding="utf-8").split("\n"), 1)
                if text.startswith(line_of))
    checked, stderr = build_said(root, tmp_path / "site")
    assert "Traceback" not in stderr, stderr[-1500:]
    assert f"docs/reports/2025-q4/index.md:{line}:" in checked, checked
    assert "quá xa kỳ báo cáo quý IV/2025: hạn phải trước hoặc đúng ngày 31/12/2026" in checked, checked
    assert "[deadline-too-late]" in checked


def test_new_quarter_refuses_a_deadline_beyond_a_year_and_writes_nothing(tmp_path):
    root = copy_repo(tmp_path / "repo")
    done = run_cli(root, "new-quarter", "2025-Q4", "--due", "9999-12-31")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--due (31/12/9999) quá xa kỳ báo cáo quý IV/2025" in done.stderr and "Traceback" not in done.stderr
    assert not (root / "docs/reports/2025-q4").exists()


def test_a_form_label_with_a_line_break_is_refused(tmp_path):
    root = copy_repo(tmp_path / "repo")
    line = replace_in(root / "data/forms.yml", "label: Kết nạp", 'label: "Kết\\nnạp"')
    done = run_cli(root, "check")
    assert done.returncode == 1
    assert f"data/forms.yml:{line}: forms.0.rows.2.label: `label` {ONE_LINE}" in done.stdout, done.stdout


def test_a_correction_on_two_lines_is_refused_as_such(tmp_path):
    """A correction quotes one line: one written on two says so (not "sai dạng mã")."""
    from test_seal_pull_request import seal

    root = copy_repo(tmp_path / "repo")
    seal(root)
    (root / "docs/reports/2025-q3/dinh-chinh.yml").write_text(
        "errata:\n  - date: 2025-10-05\n    number: 12-CV/ĐU\n    reason: Lỗi đánh máy\n    corrections:\n"
        "      - file: chi-bo-nong-thon.md\n        old: \"có nhiều\\nchuyên biến tích cực\"\n"
        "        new: có nhiều chuyển biến tích cực\n", encoding="utf-8")
    done = run_cli(root, "check")
    assert done.returncode == 1
    assert f"docs/reports/2025-q3/dinh-chinh.yml:7: errata.0.corrections.0.old: `old` {ONE_LINE}" in done.stdout, \
        done.stdout


@pytest.mark.parametrize("period", ["0000-Q1", "9999-Q4", "1929-Q4", "2100-Q1"])
def test_new_quarter_refuses_a_year_outside_the_archive_and_writes_nothing(tmp_path, period):
    root = copy_repo(tmp_path / "repo")
    done = run_cli(root, "new-quarter", period)
    assert done.returncode == 2, done.stdout + done.stderr
    year = period[:4]
    assert f"Kỳ `{period}` có năm {year} ngoài khoảng 1930–2099; hãy kiểm tra lại năm" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (root / "docs/reports").iterdir()) == ["2025-q3"]


def test_a_period_with_a_year_outside_the_archive_is_refused_at_its_line(tmp_path):
    """In front matter and as a folder's name, each with the reason (the year), not "sai dạng"."""
    root = copy_repo(tmp_path / "repo")
    line = replace_in(root / "docs/reports/2025-q3/index.md", "period: 2025-Q3", "period: 0025-Q3")
    folder = root / "docs/reports/0000-q1"
    folder.mkdir()
    (folder / "index.md").write_text("---\nperiod: 0000-Q1\nstatus: draft\n---\n", encoding="utf-8")
    checked, stderr = build_said(root, tmp_path / "site")
    assert "Traceback" not in stderr, stderr[-1500:]
    assert (f"docs/reports/2025-q3/index.md:{line}: period: Kỳ `0025-Q3` có năm 0025 ngoài khoảng 1930–2099; "
            "hãy kiểm tra lại năm, ví dụ `2025-Q3`. [pattern]") in checked, checked
    assert ("docs/reports/0000-q1:1: Tên thư mục `0000-q1` có năm 0000 ngoài khoảng 1930–2099; hãy đặt tên "
            "NĂM-q<quý>") in checked, checked


@pytest.mark.parametrize("text", ["٢٠٢٥-Q3", "２０２５-Q3", "0000-Q1", "9999-Q4", "2100-Q1", "1929-q4"])
def test_a_period_is_ascii_digits_of_a_year_the_archive_can_hold(text):
    """Never another value in silence: Arabic-Indic or full-width digits are not read as 2025."""
    import re

    from baocao.periods import FOLDER, KEY, Period

    assert Period.parse(text) is None
    assert not re.match(KEY, text) and not re.fullmatch(FOLDER, text.lower())


def test_a_quarter_named_in_a_word_file_has_a_year_the_archive_can_hold():
    from baocao.periods import Period

    assert Period.named_in("Báo cáo quý II năm 2025") == Period(2025, 2)
    assert Period.named_in("Báo cáo quý II năm 0025") is None
    assert Period.parse("1930-Q1") == Period(1930, 1) and Period.parse("2099-q4") == Period(2099, 4)


def test_a_name_with_a_line_break_at_its_end_is_not_a_known_name(tmp_path):
    """``$`` matches before a final line break: names are matched whole (``fullmatch``), so
    ``2025-q4\\n`` is no report folder and ``bao-cao-2025-q3.pdf\\n`` no kept PDF."""
    from baocao.deploy import sitecheck
    from baocao.load import sealfiles

    assert sealfiles.known("bao-cao-2025-q3.pdf") and not sealfiles.known("bao-cao-2025-q3.pdf\n")
    assert not sealfiles.known("bao-cao-٢٠٢٥-q3.pdf")
    assert sitecheck.REPORT_DIR.fullmatch("2025-q3-2") and not sitecheck.REPORT_DIR.fullmatch("2025-q3\n")
    root = copy_repo(tmp_path / "repo")
    folder = root / "docs/reports/2025-q4\n"
    folder.mkdir()
    (folder / "index.md").write_text("---\nperiod: 2025-Q4\nstatus: draft\n---\n", encoding="utf-8")
    done = run_cli(root, "check")
    assert done.returncode == 1 and "[folder-name]" in done.stdout, done.stdout


@pytest.mark.parametrize(("lines", "at", "said"), [
    (["  baocao:", "    docx: \"co\""], 2, "`docx`: phải là `true` hoặc `false`"),
    (["  baocao:", "    pdf: true", "    word: true"], 3, "`word`: không có cài đặt này (chỉ có `pdf`, `docx`, `xlsx`)"),
])
def test_a_bad_extra_baocao_is_said_by_the_check_as_by_the_build(tmp_path, lines, at, said):
    """``baocao check`` said "Không có lỗi." and only the build failed: the issuing procedure
    trusts a clean check. The check says the build's message at ``mkdocs.yml:line``."""
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = replace_in(config, "  generator: false\n", "  generator: false\n" + "\n".join(lines) + "\n") + at
    checked, stderr = build_said(root, tmp_path / "site")
    message = f"Cài đặt extra.baocao trong mkdocs.yml chưa đúng: {said}."
    assert f"mkdocs.yml:{line}: extra.baocao: {message} [settings]" in checked, checked
    assert message in stderr, stderr[-1500:]
    assert "!!python/name:" in text  # read without running Material's tags


def test_a_list_of_allowed_files_written_as_one_string_is_said(tmp_path):
    """``baocao_allowed: "tai-lieu/*.pdf"`` (not a list) was ignored in silence by the build."""
    root = copy_repo(tmp_path / "repo")
    line = replace_in(root / "mkdocs.yml", "  generator: false\n",
                      '  generator: false\n  baocao_allowed: "tai-lieu/*.pdf"\n') + 1
    checked = run_cli(root, "check").stdout
    assert f"mkdocs.yml:{line}: extra.baocao_allowed: Cài đặt extra.baocao_allowed trong mkdocs.yml phải là " \
           "danh sách" in checked, checked
