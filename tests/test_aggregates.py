"""Compiled tables and charts, checked against figures recomputed independently.

The fictional archive (tests/sample_archive.py) is built once; the expected totals are
computed here straight from its YAML files with PyYAML, not through baocao, and compared
with the cells of the built HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_QUARTERS as QUARTERS
from conftest import mkdocs_build
from htmltext import article, text
from sample_archive import CATEGORIES


@pytest.fixture(scope="module")
def sample(sample_site) -> tuple[Path, Path]:
    return sample_site


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def expected_whole(root: Path, slug: str) -> dict[str, int | None]:
    """Per indicator: the sum over the five categories, None if any category lacks it."""
    folder = root / "docs" / "reports" / slug
    per_category = {}
    for path in folder.glob("*.md"):
        fm = front_matter(path)
        if fm.get("category"):
            per_category[fm["category"]] = fm.get("figures", {})
    keys = {k for figures in per_category.values() for k in figures}
    out: dict[str, int | None] = {}
    for key in keys:
        values = [per_category.get(c, {}).get(key) for c in CATEGORIES]
        out[key] = None if None in values else sum(values)
    return out


def vn(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def table_rows(html: str, css: str) -> list[list[str]]:
    """Rows of cell texts of every table with class ``css``."""
    rows = []
    for table in re.findall(rf'<table class="bc-table {css}">(.*?)</table>', html, flags=re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
            rows.append([" ".join(text(c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)])
    return rows


def test_summary_totals_match_recomputed_sums(sample):
    root, site = sample
    html = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    expected = expected_whole(root, "2025-q3")
    labels = {i["id"]: i["label"] for i in yaml.safe_load((root / "data/indicators.yml").read_text())["indicators"]}
    tables = re.findall(r'<table class="bc-table bc-summary">(.*?)</table>', html, flags=re.S)
    assert tables
    checked = 0
    for table in tables:
        head = [" ".join(text(h).split()) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table)]
        total_row = re.search(r'<tr class="bc-total">(.*?)</tr>', table, flags=re.S).group(1)
        cells = [" ".join(text(c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", total_row)]
        assert cells[0] == "Toàn Đảng bộ"
        for label, cell in zip(head[1:], cells[1:], strict=True):
            key = next(k for k, v in labels.items() if v == label)
            assert cell == vn(expected[key]), (label, cell)
            checked += 1
    assert checked >= 10  # members and activity; organisation counts are in the structure table


def test_members_form_identity_and_last_year(sample):
    root, site = sample
    html = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    now, before = expected_whole(root, "2025-q3"), expected_whole(root, "2024-q3")
    rows = {(r[0], r[1]): r[2:] for r in table_rows(html, "bc-members")[1:]}
    assert rows[("A", "Đảng viên đầu kỳ")][:2] == [vn(now["dang_vien_dau_ky"]), vn(before["dang_vien_dau_ky"])]
    increase = now["ket_nap"] + now["chuyen_den"] + now["phuc_hoi"]
    decrease = sum(now[k] for k in ("tu_tran", "khai_tru", "xoa_ten", "xin_ra", "chuyen_di"))
    assert rows[("B", "Đảng viên tăng trong kỳ")][0] == vn(increase)
    assert rows[("C", "Đảng viên giảm trong kỳ")][0] == vn(decrease)
    assert rows[("D", "Đảng viên cuối kỳ")][0] == vn(now["dang_vien_dau_ky"] + increase - decrease)
    change = now["dang_vien_cuoi_ky"] - before["dang_vien_cuoi_ky"]
    assert rows[("D", "Đảng viên cuối kỳ")][2] == ("+" if change > 0 else "−" if change < 0 else "") + vn(abs(change))


def test_structure_table_counts_by_type(sample):
    root, site = sample
    html = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    rows = table_rows(html, "bc-structure")
    assert rows[0] == ["Loại tổ chức", "Đảng bộ cơ sở", "Chi bộ cơ sở", "Chi bộ trực thuộc", "Tổng số tổ chức đảng"]
    expected = expected_whole(root, "2025-q3")
    assert rows[-1] == ["Toàn Đảng bộ"] + [vn(expected[k]) for k in
                                            ("dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc", "to_chuc_dang")]
    assert len(rows) == 1 + len(CATEGORIES) + 1


def test_trend_table_and_chart_have_one_point_per_quarter(sample):
    root, site = sample
    html = (site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="bc-chart".*?</svg>', html, flags=re.S)
    assert len(charts) >= 14
    cuoi_ky = next(c for c in charts if 'aria-label="Đảng viên cuối kỳ"' in c)
    # the last quarter is a draft without the whole committee's figures: a gap, not a 0
    assert cuoi_ky.count('class="bc-point"') == QUARTERS - 1
    assert "<script" not in cuoi_ky
    trend_rows = [r for r in table_rows(html, "bc-trend") if r[0].startswith("quý")]
    assert len(trend_rows) == QUARTERS * 2  # two groups of indicators, one row per quarter each
    first = next(r for r in trend_rows if r[0] == "quý I/2023")
    assert vn(expected_whole(root, "2023-q1")["to_chuc_dang"]) in first


def test_unknown_figure_renders_as_unknown(sample):
    _, site = sample
    html = (site / "reports" / "2025-q4" / "index.html").read_text(encoding="utf-8")
    rows = table_rows(html, "bc-structure")
    khac = next(r for r in rows if r[0] == "Khác")
    assert khac[1:] == ["–", "–", "–", "–"]
    assert rows[-1][1:] == ["–", "–", "–", "–"]  # a category missing: no total, never a partial sum
    assert 'class="bc-num bc-unknown"' in html


def test_tracker_marks_missing_sections(sample):
    _, site = sample
    html = article((site / "tien-do" / "index.html").read_text(encoding="utf-8"))
    q4 = html[html.find("Báo cáo quý IV/2025"):html.find("Báo cáo quý III/2025")]
    missing = re.findall(r"<tr class=\"bc-row-missing\">\s*<th scope=\"row\">(.*?)</th>", q4)
    assert missing == ["A.2.5. Tổ chức cơ sở đảng khác", "III.2. Đề xuất, kiến nghị"]
    assert "8/10 phần đã có" in text(q4)
    home = text((site / "index.html").read_text(encoding="utf-8"))
    assert "Tiến độ quý IV/2025: 8/10 phần đã có" in home


def test_organisation_page_lists_its_sections(sample):
    _, site = sample
    html = (site / "to-chuc" / "dang-bo-cong-an-mau" / "index.html").read_text(encoding="utf-8")
    page = " ".join(text(html).split())
    assert "2.4. Tổ chức cơ sở đảng trong Công an" in page
    assert page.count("quý ") >= QUARTERS


def test_organisation_figures_one_row_per_section_giving_figures(sample):
    root, site = sample
    # the rural chi bộ writes several parts each quarter; only some of them give figures
    expected = []
    for path in (root / "docs" / "reports").glob("*/*.md"):
        fm = front_matter(path)
        if fm.get("contributor") == "chi_bo_thon_dong" and fm.get("figures"):
            value = fm["figures"].get("dang_vien_cuoi_ky")
            expected.append(f"{value:,}".replace(",", ".") if value is not None else "–")
    assert len(expected) > QUARTERS
    html = (site / "to-chuc" / "chi-bo-thon-dong" / "index.html").read_text(encoding="utf-8")
    rows = table_rows(html, "bc-org-figures")
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Kỳ", "Phần"]
    assert sorted(row[header.index("Đảng viên cuối kỳ")] for row in body) == sorted(expected)
    assert len(table_rows(html, "bc-org-sections")) - 1 > len(body)


def test_documents_catalog_lists_citing_quarters(sample):
    _, site = sample
    rows = table_rows((site / "van-ban" / "index.html").read_text(encoding="utf-8"), "bc-documents")
    request = next(r for r in rows if r[0] == "01-CV/BTCMT")
    assert request[-1].count("quý") == QUARTERS


def test_table_marker_in_section_text(sample, tmp_path):
    import shutil

    root, _ = sample
    copy = tmp_path / "archive"
    shutil.copytree(root, copy)
    path = copy / "docs/reports/2025-q3/tinh-hinh-chung.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<!-- baocao:table members -->\n", encoding="utf-8")
    site = tmp_path / "site"
    assert mkdocs_build(copy, site).returncode == 0
    report = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert '<table class="bc-table bc-members">' in report


def test_seed_statistics_show_known_and_unknown(shipped_site):
    html = (shipped_site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    structure = table_rows(html, "bc-structure")
    assert structure[-1] == ["Toàn Đảng bộ", "3", "2", "25", "30"]
    assert all(row[1:] == ["–", "–", "–", "–"] for row in structure[1:-1])
    members = {r[0] + r[1]: r[2] for r in table_rows(html, "bc-members")[1:]}
    assert members["AĐảng viên đầu kỳ"] == "1.173"
    assert members["DĐảng viên cuối kỳ"] == "–"
    docs = [r[0] for r in table_rows(html, "bc-documents")[1:]]
    # every document the report cites, oldest first
    assert docs == ["1965-QĐ/TU", "48-CT/TW", "2052-QĐ/TU", "07-QĐ/ĐU", "08-QĐ/ĐU", "176-KL/TW", "178-KL/TW",
                    "50-CT/TW", "51-CT/TW", "185-KL/TW", "282-CV/BTCTU"]
