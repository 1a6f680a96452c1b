"""The Party's statistical forms (issue 21): ``baocao stats``, the workbook read back by
openpyxl and recalculated by LibreOffice, the optional detail indicators, the check that
refuses forms that do not add up, and the "Biểu thống kê" page.

Expected figures are recomputed here from the sections' YAML (PyYAML, not baocao), and the
rows of the forms are written out as the issue lists them, not read from ``data/forms.yml``.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.check import run_check
from baocao.check.forms import check_forms
from baocao.check.rules import check_arithmetic
from baocao.compile import forms, tables
from baocao.export import xlsx
from baocao.load.schemas import ReportMeta, SectionMeta
from baocao.model import Report, Section, Source
from baocao.periods import Period
from baocao.problems import Severity
from baocao.vnformat import number
from conftest import ROOT, mkdocs_build, run_cli
from htmltext import text
from sample_archive import CATEGORIES, generate

SOFFICE = shutil.which("soffice")
SAMPLE_QUARTERS = 12
FIRST_ROW = xlsx.TABLE_TOP + 3

# --- the forms as the issue lists them -----------------------------------------------------------

MOVES_IN = ("ket_nap", "chuyen_den", "phuc_hoi")
MOVES_OUT = ("tu_tran", "khai_tru", "xoa_ten", "xin_ra", "chuyen_di")
#: Biểu số 1: (code, words of the label, indicator or rows added up).
BIEU_1 = (
    ("A", "chuyển sang", "dang_vien_dau_ky"),
    ("B", "tăng trong kỳ", MOVES_IN),
    ("1", "Kết nạp", "ket_nap"),
    ("2", "Chuyển đến", "chuyen_den"),
    ("a", "tỉnh, thành phố khác", "chuyen_den_ngoai_tinh"),
    ("b", "khác trong tỉnh", "chuyen_den_trong_tinh"),
    ("3", "Phục hồi đảng tịch", "phuc_hoi"),
    ("C", "giảm trong kỳ", MOVES_OUT),
    ("1", "Từ trần", "tu_tran"),
    ("2", "Khai trừ", "khai_tru"),
    ("3", "Xóa tên", "xoa_ten"),
    ("", "đảng viên dự bị", "xoa_ten_du_bi"),
    ("4", "Xin ra khỏi Đảng", "xin_ra"),
    ("5", "Chuyển đi", "chuyen_di"),
    ("a", "tỉnh, thành phố khác", "chuyen_di_ngoai_tinh"),
    ("b", "khác trong tỉnh", "chuyen_di_trong_tinh"),
    ("D", "cuối kỳ", "D"),
)
ORG_TYPES = (("1", "Đảng bộ cơ sở", "dang_bo_co_so"), ("2", "Chi bộ cơ sở", "chi_bo_co_so"),
             ("3", "Chi bộ trực thuộc", "chi_bo_truc_thuoc"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]) or {}


def category_names(root: Path) -> dict[str, str]:
    return {c["id"]: c["short"] for c in yaml.safe_load((root / "data/categories.yml").read_text())["categories"]}


def expected_figures(root: Path, slug: str) -> tuple[dict, dict[str, dict]] | None:
    """(whole, per category) figures of a quarter from its files, or None without the quarter.
    The whole is the sum over every category when all give it, else the overview's figure."""
    folder = root / "docs" / "reports" / slug
    if not folder.is_dir():
        return None
    parts: dict[str, dict] = {c: {} for c in category_names(root)}
    overview: dict = {}
    for path in folder.glob("*.md"):
        fm = front_matter(path)
        if fm.get("category"):
            parts[fm["category"]] = fm.get("figures") or {}
        elif fm.get("figures"):
            overview.update({k: v for k, v in fm["figures"].items() if v is not None})
    keys = {k for f in parts.values() for k in f} | set(overview)
    whole = {}
    for key in keys:
        values = [f.get(key) for f in parts.values()]
        whole[key] = sum(values) if None not in values else overview.get(key)
    return whole, parts


def added(values: list) -> int | None:
    return None if None in values else sum(values)


def expected_bieu_1(whole: dict) -> list[tuple[str, str, int | None]]:
    rows, by_key = [], {}
    for code, words, what in BIEU_1:
        if what == "D":
            a, b, c = by_key["A"], by_key["B"], by_key["C"]
            value = a + b - c if None not in (a, b, c) else whole.get("dang_vien_cuoi_ky")
        elif isinstance(what, tuple):
            value = added([whole.get(k) for k in what])
        elif what in ("chuyen_den", "chuyen_di"):
            value = added([whole.get(f"{what}_ngoai_tinh"), whole.get(f"{what}_trong_tinh")])
            value = whole.get(what) if value is None else value
        else:
            value = whole.get(what)
        by_key.setdefault(code, value)
        rows.append((code, words, value))
    return rows


def expected_bieu_2(whole: dict, parts: dict[str, dict], names: dict[str, str]) -> list[tuple[str, str, int | None]]:
    rows = []
    types = []
    for code, label, key in ORG_TYPES:
        value = added([parts[c].get(key) for c in names])
        types.append(whole.get(key) if value is None else value)
        rows.append((code, label, types[-1]))
        rows.extend(("-", names[c], parts[c].get(key)) for c in names)
    total = added(types)
    rows.insert(0, ("I", "Tổng số tổ chức đảng", whole.get("to_chuc_dang") if total is None else total))
    members = added([parts[c].get("dang_vien_cuoi_ky") for c in names])
    rows.append(("II", "đảng viên", whole.get("dang_vien_cuoi_ky") if members is None else members))
    rows.extend(("-", names[c], parts[c].get("dang_vien_cuoi_ky")) for c in names)
    return rows


def table(ws) -> list[tuple]:
    """(code, label, this period, last year, ratio) of every row of a sheet's table."""
    out = []
    row = FIRST_ROW
    while ws.cell(row, 1).value is not None or ws.cell(row, 2).value is not None:
        out.append(tuple(ws.cell(row, c).value for c in range(1, 6)))
        row += 1
    return out


def ratio(now, before):
    return None if now is None or before is None or before == 0 else now / before * 100


def assert_form(rows: list[tuple], expected_now: list, expected_before: list | None) -> None:
    assert len(rows) == len(expected_now), [r[:2] for r in rows]
    for index, ((code, label, now, before, pct), (e_code, words, value)) in enumerate(
            zip(rows, expected_now, strict=True)):
        assert (code or "") == e_code and words in label, (index, code, label)
        assert now == value, (label, now, value)
        last = expected_before[index][2] if expected_before else None
        assert before == last, (label, before, last)
        assert (pct is None) == (ratio(value, last) is None), (label, pct)
        if pct is not None:
            assert pct == pytest.approx(ratio(value, last), rel=1e-12)


# --- the workbooks ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("stats") / "bieu.xlsx"
    result = run_cli(ROOT, "stats", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"Đã ghi {out}" in result.stdout
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, list[Path]]:
    """A fictional archive of three years with movement figures in every row, and the
    workbook of each of its quarters."""
    root = tmp_path_factory.mktemp("sample") / "archive"
    generate(root, SAMPLE_QUARTERS)
    archive = run_check(root).archive
    books = [xlsx.write(archive, report, root.parent / "books" / xlsx.xlsx_name(report))
             for report in archive.reports]
    return root, books


def test_seed_workbook_read_back(seed_book):
    book = openpyxl.load_workbook(seed_book, data_only=True)  # the values stored with the formulas
    assert book.sheetnames == ["Biểu 1 - Tăng giảm ĐV", "Biểu 2 - Theo loại hình"]
    one, two = book.worksheets
    whole, parts = expected_figures(ROOT, "2025-q3")
    assert whole["dang_vien_dau_ky"] == 1173
    assert_form(table(one), expected_bieu_1(whole), None)
    names = category_names(ROOT)
    assert_form(table(two), expected_bieu_2(whole, parts, names), None)
    # the head and the foot
    head = [[one.cell(r, c).value for c in range(1, 6)] for r in range(1, FIRST_ROW)]
    assert head[0][0] == "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG" and head[1][0] == "ĐẢNG ỦY XÃ ĐẠI SƠN"
    assert head[2][0] == "*" and head[0][3] == "Biểu số 1"
    assert head[3][0] == "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN" and head[4][0] == "Quý III năm 2025"
    assert head[5][0] == "Đơn vị tính: người"
    assert head[6] == ["Chỉ tiêu", None, "Kỳ này", "Cùng kỳ năm trước", "Tỷ lệ (%) kỳ này so với cùng kỳ"]
    assert head[7][2:4] == ["quý III/2025", "quý III/2024"]
    assert head[8] == ["A", None, "1", "2", "3 = 1 : 2 × 100"]
    cells = [c.value for row in one.iter_rows(min_row=FIRST_ROW + len(BIEU_1)) for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in cells and "T/M BAN THƯỜNG VỤ" in cells
    assert "PHÓ BÍ THƯ THƯỜNG TRỰC" in cells and "Trương Thị Toan" in cells
    blank = "\u00a0" * 6  # the seed has no date of issue: blanks that print
    assert f"Đại Sơn, ngày{blank}tháng{blank}năm 2025" in cells
    notes = " ".join(c for c in cells if c.startswith("- "))
    assert "Kho chưa có báo cáo quý III/2024" in notes
    assert "B.2.a Từ tỉnh, thành phố khác" in notes and "C.3 Trong đó: đảng viên dự bị" in notes
    # a formula only where every row it adds is known: I = 1 + 2 + 3 (3 + 2 + 25)
    sheets = openpyxl.load_workbook(seed_book).worksheets
    formulas = [{c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"} for ws in sheets]
    assert formulas == [{}, {"C10": "=C11+C17+C23"}]
    assert two["C10"].value == 30


def test_seed_workbook_layout_fonts_and_print_settings(seed_book):
    book = openpyxl.load_workbook(seed_book)
    assert book._named_styles["Normal"].font.name == "Times New Roman"
    for ws in book.worksheets:
        last = FIRST_ROW + len(table(ws)) - 1
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {"A1:B1", "A2:B2", "A3:B3", "D1:E1", "A4:E4", "A5:E5", "A6:E6", "A7:B8", "E7:E8", "A9:B9"} <= merged
        notes = [r for r in range(last + 1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("- ")]
        assert notes and all(f"A{r}:E{r}" in merged for r in notes)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", cell.coordinate
        for r in range(FIRST_ROW, last + 1):
            assert ws.cell(r, 3).number_format == ws.cell(r, 4).number_format == xlsx.INTEGER
            assert ws.cell(r, 5).number_format == xlsx.RATIO
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${xlsx.TABLE_TOP}:${xlsx.TABLE_TOP + 2}"
        assert ws.print_area.endswith(f"!$A$1:$E${ws.max_row}")
        assert ws.print_options.horizontalCentered
        assert ws.oddFooter.center.text == "Trang &P/&N"


_TERM = re.compile(r"([A-Z]+)([0-9]+)")


def evaluate(formula: str, values) -> float:
    """The value of one of the workbook's formulas (sums, differences, a ratio), computed
    here from the values of the other cells."""
    body = formula.removeprefix("=")
    match = re.fullmatch(r"SUM\(([A-Z]+)([0-9]+):\1([0-9]+)\)", body)
    if match:
        column, first, last = match.groups()
        return sum(values[f"{column}{r}"].value for r in range(int(first), int(last) + 1))
    match = re.fullmatch(r"([A-Z]+[0-9]+)/([A-Z]+[0-9]+)\*100", body)
    if match:
        return values[match.group(1)].value / values[match.group(2)].value * 100
    assert re.fullmatch(r"[A-Z]+[0-9]+([+-][A-Z]+[0-9]+)*", body), formula
    total, sign = 0, 1
    for part in re.findall(r"[+-]?[A-Z]+[0-9]+", body):
        sign = -1 if part.startswith("-") else 1
        total += sign * values[part.lstrip("+-")].value
    return total


def test_sample_workbooks_every_value_and_formula(sample):
    root, books = sample
    names = category_names(root)
    checked = 0
    for book_path in books:
        slug = re.search(r"(\d{4}-q\d)", book_path.name).group(1)
        now = expected_figures(root, slug)
        year, quarter = slug.split("-q")
        before = expected_figures(root, f"{int(year) - 1}-q{quarter}")
        formulas = openpyxl.load_workbook(book_path)
        values = openpyxl.load_workbook(book_path, data_only=True)
        one, two = values.worksheets
        assert_form(table(one), expected_bieu_1(now[0]), expected_bieu_1(before[0]) if before else None)
        assert_form(table(two), expected_bieu_2(*now, names),
                    expected_bieu_2(*before, names) if before else None)
        # every row is given in this archive: the details sum to their rows
        assert None not in [row[2] for row in table(one)]
        for sheet, sheet_values in zip(formulas.worksheets, values.worksheets, strict=True):
            found = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
            for cell in found:
                stored = sheet_values[cell.coordinate].value
                assert stored is not None, cell.coordinate
                assert stored == pytest.approx(evaluate(cell.value, sheet_values), rel=1e-12), cell.coordinate
                checked += 1
        # B, C, D and the details' rows are formulas; D is A + B − C
        d_row = FIRST_ROW + len(BIEU_1) - 1
        assert formulas.worksheets[0][f"C{d_row}"].value == f"=C{FIRST_ROW}+C{FIRST_ROW + 1}-C{FIRST_ROW + 7}"
        assert formulas.worksheets[0][f"C{FIRST_ROW + 1}"].value == "=C12+C13+C16"
        assert formulas.worksheets[0][f"C{FIRST_ROW + 3}"].value == "=C14+C15"
        assert formulas.worksheets[1][f"C{FIRST_ROW + 1}"].value == "=SUM(C12:C16)"
    assert checked > 400


# --- LibreOffice --------------------------------------------------------------------------------


RECALC_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(files: list[Path], out_dir: Path, target: str) -> None:
    """Convert with LibreOffice headless, a profile of its own that recalculates every
    formula of an .xlsx on load (Tools > Options > Calc > Formula: "Always recalculate")."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed: tests/install.sh must install LibreOffice")
        pytest.skip("LibreOffice not installed (run tests/install.sh)")
    profile = out_dir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ON_LOAD, encoding="utf-8")
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
                    "--outdir", str(out_dir), *map(str, files)], check=True, capture_output=True, timeout=600)


def stale_copy(book: Path, out: Path) -> Path:
    """``book`` with a wrong value stored for its D formula: recalculating must mend it."""
    source = zipfile.ZipFile(book)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(rb"(<f>C10\+C11-C17</f>)<v>[^<]*</v>", rb"\1<v>99999</v>", content)
                assert count == 1
            target.writestr(item, content)
    out.write_bytes(data.getvalue())
    return out


@pytest.fixture(scope="module")
def recalculated(seed_book, sample, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("lo")
    originals = [seed_book, *sample[1], stale_copy(sample[1][-1], out.parent / "stale.xlsx")]
    soffice_convert(originals, out, "xlsx")
    return out, originals


def _cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_libreoffice_recalculates_the_values_baocao_stored(recalculated):
    out, originals = recalculated
    *books, stale = originals
    for book in books:
        ours = openpyxl.load_workbook(book, data_only=True)
        theirs = openpyxl.load_workbook(out / book.name, data_only=True)
        assert theirs.sheetnames == ours.sheetnames
        for mine, other in zip(ours.worksheets, theirs.worksheets, strict=True):
            expected, got = _cells(mine), _cells(other)
            assert set(got) == set(expected), (book.name, set(got) ^ set(expected))
            for key, value in expected.items():
                if isinstance(value, float):
                    assert got[key] == pytest.approx(value, rel=1e-12), (book.name, key)
                else:
                    assert got[key] == value, (book.name, key)
            assert not any(isinstance(v, str) and v.startswith("#") for v in got.values())
    # the stored value was wrong on purpose: LibreOffice computed D itself
    mended = openpyxl.load_workbook(out / stale.name, data_only=True).worksheets[0]
    assert mended["C26"].value != 99999
    assert mended["C26"].value == openpyxl.load_workbook(books[-1], data_only=True).worksheets[0]["C26"].value


def test_libreoffice_shows_vietnamese_numbers(seed_book, sample, tmp_path):
    soffice_convert([seed_book, sample[1][-1]],
                    tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1")
    seed = (tmp_path / "bieu-Biểu 1 - Tăng giảm ĐV.csv").read_text(encoding="utf-8")
    assert "A,Tổng số đảng viên cuối kỳ trước chuyển sang,1.173,," in seed
    sample_rows = (tmp_path / f"{sample[1][-1].stem}-Biểu 1 - Tăng giảm ĐV.csv").read_text(encoding="utf-8")
    shown = re.search(r'^A,[^,]*,([^,]*),([^,]*),"([^"]*)"$', sample_rows, flags=re.M).groups()
    assert re.fullmatch(r"\d\.\d{3}", shown[0]) and re.fullmatch(r"\d\.\d{3}", shown[1])
    assert re.fullmatch(r"\d+,\d", shown[2]), shown


# --- missing last year, zero last year --------------------------------------------------------


def test_missing_previous_year_and_zero_are_blank_never_0_or_div0(seed_book, sample, recalculated):
    out, _ = recalculated
    for path in (seed_book, out / seed_book.name):
        for ws in openpyxl.load_workbook(path, data_only=True).worksheets:
            rows = table(ws)
            assert rows and all(r[3] is None and r[4] is None for r in rows), path
    # in the sample, organisation counts of 0 last year give no ratio, never #DIV/0!
    book = sample[1][-1]
    zero_last_year = [r for r in table(openpyxl.load_workbook(book, data_only=True).worksheets[1]) if r[3] == 0]
    assert zero_last_year and all(r[4] is None for r in zero_last_year)
    formulas = openpyxl.load_workbook(book).worksheets[1]
    for r, row in enumerate(table(formulas), start=FIRST_ROW):
        if row[3] == 0:
            assert formulas.cell(r, 5).value is None
    relaid = table(openpyxl.load_workbook(out / book.name, data_only=True).worksheets[1])
    assert [r[4] for r in relaid if r[3] == 0] == [None] * len(zero_last_year)


# --- property: D = A + B − C, and the report's own table --------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return run_check(ROOT).archive


def _category(draw, start: int) -> dict:
    moves = {k: draw(st.integers(0, 60)) for k in (*MOVES_IN, *MOVES_OUT)}
    start = max(start, sum(moves[k] for k in MOVES_OUT))
    figures = {"dang_vien_dau_ky": start, **moves,
               "dang_vien_cuoi_ky": start + sum(moves[k] for k in MOVES_IN) - sum(moves[k] for k in MOVES_OUT)}
    for key in ("chuyen_den", "chuyen_di"):
        if draw(st.booleans()):
            part = draw(st.integers(0, figures[key]))
            figures[f"{key}_ngoai_tinh"], figures[f"{key}_trong_tinh"] = part, figures[key] - part
    if draw(st.booleans()):
        figures["xoa_ten_du_bi"] = draw(st.integers(0, figures["xoa_ten"]))
    return figures


@st.composite
def quarters(draw) -> tuple[dict[str, dict], dict]:
    """Valid figures: each category present or not, its rows adding up; the overview
    giving the whole committee's (the sum of the categories and of those not written)."""
    parts = {c: _category(draw, draw(st.integers(0, 3000))) for c in CATEGORIES if draw(st.integers(0, 4))}
    overview: dict = {}
    if draw(st.booleans()) or len(parts) < len(CATEGORIES):
        absent = _category(draw, draw(st.integers(0, 3000))) if len(parts) < len(CATEGORIES) else {}
        for key in (*MOVES_IN, *MOVES_OUT, "dang_vien_dau_ky", "dang_vien_cuoi_ky"):
            values = [f[key] for f in parts.values()] + ([absent[key]] if absent else [])
            overview[key] = sum(values)
    return parts, overview


def _quarter_archive(base, parts: dict[str, dict], overview: dict):
    archive = copy.copy(base)
    period = Period(2026, 1)
    report = Report(Source("docs/reports/2026-q1/index.md"), period, ReportMeta(period=period.key, status="draft"),
                    "", 1)
    for category, figures in parts.items():
        meta = SectionMeta(part="results", category=category, contributor=None, status="draft", figures=figures)
        report.sections.append(Section(Source(f"docs/reports/2026-q1/{category}.md"), category, meta, "", 1))
    meta = SectionMeta(part="overview", contributor=None, status="draft", figures=overview)
    report.sections.append(Section(Source("docs/reports/2026-q1/tinh-hinh-chung.md"), "tinh-hinh-chung", meta, "", 1))
    archive.reports = [report]
    return archive, report


@given(quarters())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_property_d_is_a_plus_b_minus_c_and_the_reports_table(shipped, quarter):
    archive, report = _quarter_archive(shipped, *quarter)
    errors = [p for rule in (check_arithmetic, check_forms) for p in rule(archive) if p.severity is Severity.ERROR]
    assert not errors, [p.text() for p in errors]  # valid figures: the forms add up
    bieu_1 = forms.fill_all(archive, report)[0]
    value = {line.code: line.now.value for line in bieu_1.lines if line.main}
    assert None not in value.values()
    assert value["D"] == value["A"] + value["B"] - value["C"]
    members = tables.members(archive, report)
    shown = {row.code: row.cells[0].text for row in members.rows if row.code.isalpha()}
    assert {code: number(v) for code, v in value.items()} == shown
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.to_bytes(archive, report)), data_only=True).worksheets[0]
    assert sheet[f"C{FIRST_ROW + len(BIEU_1) - 1}"].value == value["D"]


# --- the check: details, and forms that do not add up ------------------------------------------

OV = "docs/reports/2025-q3/tinh-hinh-chung.md"
SECTIONS = {"xa_thon": "chi-bo-nong-thon.md", "co_quan_hanh_chinh_su_nghiep": "co-quan-hanh-chinh-su-nghiep.md",
            "quan_doi": "quan-su.md", "cong_an": "cong-an.md", "khac": "khac.md"}


def add_figures(repo: Path, name: str, figures: dict) -> None:
    path = repo / "docs/reports/2025-q3" / name
    text_ = path.read_text(encoding="utf-8")
    head, rest = text_.split("---\n", 2)[1:]
    lines = "".join(f"  {k}: {v}\n" for k, v in figures.items())
    if "figures:" in head:
        head = head.replace("figures:\n", "figures:\n" + lines, 1)
    else:
        head += "figures:\n" + lines
    path.write_text("---\n" + head + "---\n" + rest, encoding="utf-8")


def line_of(repo: Path, rel: str, text_: str) -> int:
    lines = (repo / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text_ in line)


def problems(repo: Path, code: str):
    return [p for p in run_check(repo, use_cache=False).problems if p.code == code]


def test_details_summing_to_their_row_and_blank_when_not_given(repo):
    name = SECTIONS["cong_an"]
    rel = f"docs/reports/2025-q3/{name}"
    add_figures(repo, name, {"chuyen_den": 3, "chuyen_den_ngoai_tinh": 2, "chuyen_den_trong_tinh": 2,
                             "xoa_ten": 1, "xoa_ten_du_bi": 2})
    found = {p.code: p for p in run_check(repo, use_cache=False).problems}
    assert found["sum-mismatch"].path == rel and found["sum-mismatch"].field == "figures.chuyen_den"
    assert found["sum-mismatch"].line == line_of(repo, rel, "chuyen_den: 3")
    assert found["part-exceeds-whole"].field == "figures.xoa_ten_du_bi"
    # details without their row: a warning saying what to write
    path = repo / rel
    path.write_text(path.read_text(encoding="utf-8").replace("  chuyen_den: 3\n", "").replace(
        "chuyen_den_trong_tinh: 2", "chuyen_den_trong_tinh: 1").replace("xoa_ten_du_bi: 2", "xoa_ten_du_bi: 1"),
        encoding="utf-8")
    result = run_check(repo, use_cache=False)
    assert result.ok, [p.text() for p in result.problems]
    (warning,) = [p for p in result.problems if p.code == "form-total-missing"]
    assert warning.severity is Severity.WARNING and warning.path == rel
    assert "chuyen_den: 3" in warning.message


def test_check_refuses_a_d_that_the_forms_do_not_give(repo):
    for name in SECTIONS.values():
        add_figures(repo, name, {k: 1 if k == "ket_nap" else 0 for k in (*MOVES_IN, *MOVES_OUT)})
    add_figures(repo, "tinh-hinh-chung.md", {"dang_vien_cuoi_ky": 1180})
    result = run_check(repo, use_cache=False)
    (problem,) = [p for p in result.problems if p.code == "form-mismatch"]
    assert not result.ok and problem.severity is Severity.ERROR
    assert (problem.path, problem.field) == (OV, "figures.dang_vien_cuoi_ky")
    assert problem.line == line_of(repo, OV, "dang_vien_cuoi_ky: 1180")
    assert "Biểu số 1" in problem.message and "1.180" in problem.message and "1.178" in problem.message
    assert "tổng các loại tổ chức" in problem.message
    # 1173 + 5 − 0: the forms add up
    path = repo / OV
    path.write_text(path.read_text(encoding="utf-8").replace("1180", "1178"), encoding="utf-8")
    assert not problems(repo, "form-mismatch")


def test_check_refuses_organisation_counts_that_do_not_add_up(repo):
    path = repo / OV
    path.write_text(path.read_text(encoding="utf-8").replace("  chi_bo_truc_thuoc: 25\n", ""), encoding="utf-8")
    for category, count in zip(SECTIONS, (20, 2, 1, 1, 2), strict=True):
        add_figures(repo, SECTIONS[category], {"chi_bo_truc_thuoc": count})
    (problem,) = problems(repo, "form-mismatch")
    assert (problem.path, problem.field) == (OV, "figures.to_chuc_dang")
    assert problem.line == line_of(repo, OV, "to_chuc_dang: 30")
    assert "Biểu số 2" in problem.message and "31" in problem.message


def test_check_refuses_a_quarter_not_starting_where_the_last_ended(tmp_path):
    root = tmp_path / "archive"
    generate(root, 6)
    folder = root / "docs/reports/2024-q1"
    # the overview gives no figure: the whole committee's are the sums of the categories
    overview = folder / "tinh-hinh-chung.md"
    head, body = overview.read_text(encoding="utf-8").split("---\n")[1:]
    fm = yaml.safe_load(head)
    fm["figures"] = {}
    overview.write_text("---\n" + yaml.safe_dump(fm, allow_unicode=True, sort_keys=False) + "---\n" + body,
                        encoding="utf-8")
    # one category starts one member above where it ended: its own rows still add up
    section = folder / "chi-bo-thon.md"
    fm = front_matter(section)["figures"]
    content = section.read_text(encoding="utf-8")
    for key in ("dang_vien_dau_ky", "tu_tran"):
        content = content.replace(f"  {key}: {fm[key]}\n", f"  {key}: {fm[key] + 1}\n")
    section.write_text(content, encoding="utf-8")
    result = run_check(root, use_cache=False)
    found = [p for p in result.problems if p.code == "form-mismatch"]
    assert [(p.path, p.field) for p in found] == [("docs/reports/2024-q1/chi-bo-thon.md", "figures.dang_vien_dau_ky")]
    assert found[0].line == line_of(root, "docs/reports/2024-q1/chi-bo-thon.md", "dang_vien_dau_ky:")
    assert "quý IV/2023" in found[0].message and not result.ok


# --- the registry: forms as data ---------------------------------------------------------------

FORMS = "data/forms.yml"


@pytest.mark.parametrize(("old", "new", "field", "code", "at"), [
    ("indicator: ket_nap\n", "indicator: ket_nap_moi\n", "forms.0.rows.2.indicator", "unknown-id", "new"),
    ("sum: [b1, b2, b3]", "sum: [b1, b2, b4]", "forms.0.rows.1.sum.2", "unknown-id", "new"),
    # the first row of the loop: b = b1 + b2 + b3, b2 = b2a + b2b + b
    ("sum: [b2a, b2b]", "sum: [b2a, b2b, b]", "forms.0.rows.1.sum", "form-loop", "sum: [b1, b2, b3]"),
    ("sheet: Biểu 2 - Theo loại hình", "sheet: biểu 1 - tăng giảm đv", "forms.1.sheet", "form-sheet", "new"),
    ("sheet: Biểu 2 - Theo loại hình", "sheet: 'Biểu 2: theo loại hình'", "forms.1.sheet", "pattern", "new"),
    ("sheet: Biểu 2 - Theo loại hình", "sheet: History", "forms.1.sheet", "form-sheet", "new"),
    ("        indicator: dang_vien_cuoi_ky\n        per_category: true",
     "        sum: [to_chuc]\n        per_category: true", "forms.1.rows.4.per_category", "form-row",
     "per_category: true"),
    ("      - id: c3_du_bi\n", "      - id: c3\n", "forms.0.rows.11.id", "duplicate-id", "new"),
])
def test_bad_form_registry(repo, old, new, field, code, at):
    path = repo / FORMS
    content = path.read_text(encoding="utf-8")
    assert old in content
    start = content.index(old)
    content = content.replace(old, new, 1)
    path.write_text(content, encoding="utf-8")
    # the line of the new text, of a line within it, or of another line the problem names
    where = start if at == "new" else start + new.index(at) if at in new else content.index(at)
    line = content.count("\n", 0, where) + 1
    found = [p for p in run_check(repo, use_cache=False).problems if p.path == FORMS]
    assert [(p.field, p.code, p.line) for p in found] == [(field, code, line)], [p.text() for p in found]
    assert "hãy" in found[0].message.lower() or "Có phải ý bạn là" in found[0].message  # what to write
    result = run_cli(repo, "stats", "2025-Q3", "-o", str(repo / "x.xlsx"))
    assert result.returncode == 1 and "Hãy sửa các lỗi trên trước khi điền biểu thống kê" in result.stderr
    assert not (repo / "x.xlsx").exists()


def test_a_new_form_added_as_data(repo, tmp_path):
    with (repo / FORMS).open("a", encoding="utf-8") as handle:
        handle.write("""  - id: to_chuc_rieng
    number: Biểu số 9
    title: Thử một biểu mới
    sheet: Biểu 9
    unit: tổ chức
    rows:
      - id: tong
        code: I
        label: Chi bộ cơ sở và chi bộ trực thuộc
        sum: [co_so, truc_thuoc]
      - id: co_so
        code: "1"
        label: Chi bộ cơ sở
        level: 1
        indicator: chi_bo_co_so
      - id: truc_thuoc
        code: "2"
        label: Chi bộ trực thuộc
        level: 1
        indicator: chi_bo_truc_thuoc
""")
    out = tmp_path / "b.xlsx"
    result = run_cli(repo, "stats", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    book = openpyxl.load_workbook(out, data_only=True)
    assert book.sheetnames[-1] == "Biểu 9"
    assert [r[:3] for r in table(book["Biểu 9"])] == [("I", "Chi bộ cơ sở và chi bộ trực thuộc", 27),
                                                     ("1", "Chi bộ cơ sở", 2), ("2", "Chi bộ trực thuộc", 25)]
    assert openpyxl.load_workbook(out)["Biểu 9"]["C10"].value == "=C11+C12"


def test_no_form_at_all(repo, tmp_path):
    (repo / FORMS).write_text("forms: []\n", encoding="utf-8")
    out = tmp_path / "none.xlsx"
    result = run_cli(repo, "stats", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert openpyxl.load_workbook(out).active["A1"].value.startswith("Chưa có biểu thống kê nào")
    site = tmp_path / "site"
    assert mkdocs_build(repo, site, env={"BAOCAO_XLSX": "1"}).returncode == 0
    assert "Biểu thống kê quý III/2025" in (site / "thong-ke/2025-q3/index.html").read_text(encoding="utf-8")


# --- hostile text -------------------------------------------------------------------------------


def test_text_from_the_repository_is_never_a_formula_nor_markup(repo, tmp_path):
    forms_path, categories = repo / FORMS, repo / "data/categories.yml"
    forms_path.write_text(forms_path.read_text(encoding="utf-8").replace(
        "label: Kết nạp\n", "label: \"=HYPERLINK(\\\"http://x.invalid\\\",\\\"Kết nạp\\\")\"\n").replace(
        "label: Từ trần\n", "label: \"Từ trần <img src=x onerror=alert(1)>\"\n"), encoding="utf-8")
    categories.write_text(categories.read_text(encoding="utf-8").replace(
        "short: Công an\n", "short: \"=cmd|' /C calc'!A0\"\n"), encoding="utf-8")
    out = tmp_path / "h.xlsx"
    result = run_cli(repo, "stats", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    book = openpyxl.load_workbook(out)
    labels = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and ("HYPERLINK" in c.value or "cmd|" in c.value or "Từ" in c.value)]
    assert {c.value for c in labels} >= {'=HYPERLINK("http://x.invalid","Kết nạp")', "=cmd|' /C calc'!A0",
                                         "Từ trần <img src=x onerror=alert(1)>"}
    assert all(c.data_type == "s" for c in labels)
    site = tmp_path / "site"
    built = mkdocs_build(repo, site)
    assert built.returncode == 0, built.stderr
    page = (site / "thong-ke/2025-q3/index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    # A control character in a label is refused by the check, at its line, before any form
    # is made (it could not be written to a cell or a page as typed).
    forms_path.write_text(forms_path.read_text(encoding="utf-8").replace(
        "label: \"Từ trần <img", "label: \"Từ\\atrần <img"), encoding="utf-8")
    result = run_cli(repo, "stats", "2025-Q3", "-o", str(tmp_path / "bell.xlsx"))
    assert result.returncode == 1 and "data/forms.yml:" in result.stdout + result.stderr
    assert "[text-control]" in result.stdout + result.stderr


# --- the command ------------------------------------------------------------------------------


def test_stats_command_default_name_and_unknown_period(tmp_path):
    result = run_cli(ROOT, "stats", "2019-Q1", "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 1 and "Chưa có báo cáo quý I/2019" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
    result = run_cli(ROOT, "stats", "2025-3")
    assert result.returncode == 2 and "sai dạng" in result.stderr
    done = subprocess.run([sys.executable, "-m", "baocao", "--root", str(ROOT), "stats", "2025-Q3"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and (tmp_path / "bieu-thong-ke-2025-q3.xlsx").is_file()


# --- the site -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_with_xlsx(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("xlsx-site") / "site"
    result = mkdocs_build(ROOT, site, "--strict", env={"BAOCAO_XLSX": "1"})
    assert result.returncode == 0, result.stderr
    return site


def page_rows(html: str) -> list[list[list[str]]]:
    """Per form on the page, the cells of each row of its table's body."""
    out = []
    for body in re.findall(r'<table class="bc-form-table">.*?<tbody>(.*?)</tbody>', html, flags=re.S):
        out.append([[" ".join(text(c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
                    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)])
    return out


def shown(value) -> str:
    """A figure as the page shows it: ``1.173``; a ratio rounded half up as spreadsheets do."""
    if value is None:
        return ""
    if isinstance(value, float):
        whole, tenth = str(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)).split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + tenth
    return f"{value:,}".replace(",", ".")


def test_site_offers_the_workbook_and_the_page_shows_its_figures(shipped_with_xlsx):
    site = shipped_with_xlsx
    book = site / "reports/2025-q3/bieu-thong-ke-2025-q3.xlsx"
    assert openpyxl.load_workbook(book).sheetnames == ["Biểu 1 - Tăng giảm ĐV", "Biểu 2 - Theo loại hình"]
    report = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert 'href="bieu-thong-ke-2025-q3.xlsx" download>Tải biểu thống kê (Excel)</a>' in report
    assert 'href="../../thong-ke/2025-q3/">Biểu thống kê</a>' in report
    page = (site / "thong-ke/2025-q3/index.html").read_text(encoding="utf-8")
    assert 'href="../../reports/2025-q3/bieu-thong-ke-2025-q3.xlsx" download>Tải tệp Excel</a>' in page
    assert "<title>Biểu thống kê quý III/2025" in page
    values = openpyxl.load_workbook(book, data_only=True)
    for rows, ws in zip(page_rows(page), values.worksheets, strict=True):
        assert rows == [[r[0] or "", r[1], shown(r[2]), shown(r[3]), shown(r[4])] for r in table(ws)]
    for words in ("ĐẢNG ỦY XÃ ĐẠI SƠN", "Biểu số 1", "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN", "Quý III năm 2025",
                  "Đơn vị tính: người", "NGƯỜI LẬP BIỂU", "T/M BAN THƯỜNG VỤ", "Trương Thị Toan"):
        assert words in text(page), words


def test_without_the_setting_no_workbook_is_offered(shipped_site):
    report = (shipped_site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert "xlsx" not in report and ">Biểu thống kê</a>" in report
    assert "Tải tệp Excel" not in (shipped_site / "thong-ke/2025-q3/index.html").read_text(encoding="utf-8")


def test_sample_pages_show_the_workbooks_figures(sample_site, tmp_path):
    root, site = sample_site
    archive = run_check(root).archive
    for report in archive.reports[-5:]:
        page = (site / "thong-ke" / report.period.slug / "index.html").read_text(encoding="utf-8")
        book = openpyxl.load_workbook(io.BytesIO(xlsx.to_bytes(archive, report)), data_only=True)
        for rows, ws in zip(page_rows(page), book.worksheets, strict=True):
            assert rows == [[r[0] or "", r[1], shown(r[2]), shown(r[3]), shown(r[4])] for r in table(ws)]


@pytest.mark.browser
def test_page_prints_on_a4_landscape(shipped_with_xlsx, browser, serve, tmp_path):
    from pypdf import PdfReader

    base = serve(shipped_with_xlsx)
    page = browser.new_page()
    page.goto(f"{base}/reports/2025-q3/")
    page.click("a.md-button:text-is('Biểu thống kê')")
    page.wait_for_url(f"{base}/thong-ke/2025-q3/")
    out = tmp_path / "bieu.pdf"
    page.pdf(path=str(out), prefer_css_page_size=True)
    page.close()
    reader = PdfReader(str(out))
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {(842, 595)}  # A4 landscape, every page
    printed = " ".join(p.extract_text() for p in reader.pages)
    for words in ("THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN", "1.173", "NGƯỜI LẬP BIỂU", "Biểu số 2"):
        assert words in printed, words
    assert "Tải tệp Excel" not in printed and "In biểu" not in printed
