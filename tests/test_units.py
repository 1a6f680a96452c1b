"""Unit tests of the small pure pieces: YAML reading, splitting, periods, formats, folding."""

from __future__ import annotations

import datetime as dt

from baocao.load import frontmatter
from baocao.load.yamlsafe import load_yaml
from baocao.periods import Period
from baocao.textfold import fold, slugify
from baocao.vnformat import date_header, date_text, number, percent


def test_yaml_keeps_lines_and_types():
    result = load_yaml("a: 1\nb:\n  - x\n  - 2025-08-25\nc: 2025-Q3\nd: 08\ne:\n")
    assert result.errors == []
    assert result.value == {"a": 1, "b": ["x", dt.date(2025, 8, 25)], "c": "2025-Q3", "d": 8, "e": None}
    assert result.lines[("b", 1)] == 4
    assert result.line_of(("b", 1, "deeper")) == 4


def test_yaml_duplicate_key_is_an_error():
    result = load_yaml("a: 1\na: 2\n")
    assert [(e.line, e.code) for e in result.errors] == [(2, "yaml-duplicate-key")]


def test_yaml_leading_zeros_are_decimal():
    # issue 14.5: clerks write "03 đảng bộ"; 0640 is six hundred and forty, never octal 416
    result = load_yaml("a: 03\nb: 0640\nc: 08\nd: '08'\ne: 0\n")
    assert result.errors == []
    assert result.value == {"a": 3, "b": 640, "c": 8, "d": "08", "e": 0}


def test_yaml_keeps_the_text_as_written():
    # issue 14.5: messages show what the clerk wrote, never the value read ("1.0", "False")
    result = load_yaml("a: 1.000\nb: no\nc: x\n")
    assert result.value == {"a": 1.0, "b": False, "c": "x"}
    assert result.texts == {("a",): "1.000", ("b",): "no"}


def test_chart_ticks_are_distinct_whole_numbers():
    # issue 14.14: the "Chi bộ cơ sở" axis read 0, 0, 1, 1, 2
    from baocao.compile.charts import line_chart, ticks

    assert ticks(0, 2) == [0, 1, 2]
    assert ticks(0, 0) == [0, 1]
    assert ticks(0, 3) == [0, 1, 2, 3]
    assert ticks(0, 30) == [0, 10, 20, 30]
    assert ticks(0, 1173) == [0, 500, 1000, 1500]
    for high in range(0, 3000, 7):
        axis = ticks(0, high)
        assert axis[0] == 0 and axis[-1] >= high and len(set(axis)) == len(axis) >= 2
        assert all(isinstance(t, int) for t in axis) and len(axis) <= 7
    chart = line_chart("Chi bộ cơ sở", [(Period(2025, 2), 1), (Period(2025, 3), 2)])
    assert [label.text for label in chart.grid] == ["0", "1", "2"]


def test_yaml_tags_never_construct():
    result = load_yaml("a: !!python/object/apply:os.system ['touch /tmp/baocao-pwned']\n")
    assert result.errors[0].code == "yaml-tag"
    assert result.value == {"a": None}


def test_yaml_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    result = load_yaml("\n".join(lines))
    assert result.errors[0].code == "yaml-too-big"


def test_yaml_deep_nesting_is_refused_before_parsing():
    result = load_yaml("a: " + "[" * 5000 + "]" * 5000)
    assert result.errors[0].code == "yaml-too-deep"
    result = load_yaml("\n".join("  " * i + f"k{i}:" for i in range(300)))
    assert result.errors[0].code == "yaml-too-deep"


def test_split_accepts_bom_and_crlf():
    text = frontmatter.decode("\ufeff---\r\na: 1\r\n---\r\n\r\nThân bài\r\n".encode())
    split = frontmatter.split(text)
    assert isinstance(split, frontmatter.SplitFile)
    assert split.yaml_text == "a: 1" and split.body.strip() == "Thân bài" and split.body_line == 4


def test_periods():
    period = Period.parse("2025-Q3")
    assert period == Period.parse("2025-q3") and period.slug == "2025-q3"
    assert period.label == "quý III/2025" and period.long_label == "quý III năm 2025"
    assert period.next().label == "quý IV/2025" and Period(2025, 4).next() == Period(2026, 1)
    assert Period(2026, 1).previous() == Period(2025, 4)
    assert period.start == dt.date(2025, 7, 1) and period.end == dt.date(2025, 9, 30)
    assert Period.parse("2025-Q5") is None and Period.parse("2025-3") is None


def test_a_quarter_named_as_readers_write_it():
    # what the Word import reads in a subject, written as the pages write periods
    for period in (Period(2025, 2), Period(2024, 4), Period(2023, 1), Period(2019, 3)):
        assert Period.named_in(f"Báo cáo tình hình {period.long_label}") == period
        assert Period.named_in(f"Kết quả {period.label} và phương hướng") == period
        assert Period.named_in(period.label.upper()) == period
    assert Period.named_in("quý II / 2025 và quý III năm 2025") == Period(2025, 2)
    assert Period.named_in("quý V/2025") is None and Period.named_in("năm 2025") is None


def test_vietnamese_formats():
    assert number(1173) == "1.173" and number(1234567) == "1.234.567" and number(None) == "–"
    assert percent(0.125) == "12,5%"
    assert date_header(dt.date(2026, 1, 9)) == "ngày 09 tháng 01 năm 2026"
    assert date_header(dt.date(2025, 8, 22)) == "ngày 22 tháng 8 năm 2025"
    assert date_text(dt.date(2025, 8, 22)) == "22/8/2025"


def test_folding_and_anchors():
    assert fold("Đảng uỷ") == fold("Đảng ủy") == "dang uy"
    assert fold("hoà") == fold("hòa") == "hoa"
    assert slugify("Đảng viên") == "dang-vien"
    assert slugify("2.4. Tổ chức cơ sở đảng trong Công an") == "2-4-to-chuc-co-so-dang-trong-cong-an"


def test_links_match_mkdocs_urls():
    from baocao.render.links import Links

    links = Links()
    assert links.url("reports/2025-q3/index.md") == "reports/2025-q3/"
    assert links.url("reports/2025-q3/cong-an.md") == "reports/2025-q3/cong-an/"
    assert links.href("reports/2025-q3/cong-an.md", "reports/2025-q3/index.md", "x") == "../#x"
    assert links.href("index.md", "reports/2025-q3/index.md") == "reports/2025-q3/"
    assert links.href("reports/2025-q3/cong-an.md", "index.md") == "../../../"
    assert links.href("reports/2025-q3/index.md", "reports/2025-q2/index.md") == "../2025-q2/"
    flat = Links(directory_urls=False)
    assert flat.url("index.md") == "index.html"
    assert flat.href("reports/2025-q3/cong-an.md", "reports/2025-q3/index.md", "x") == "index.html#x"
    assert flat.href("reports/2025-q3/cong-an.md", "index.md") == "../../index.html"
    assert flat.href("thong-ke/index.md", "reports/2025-q3/index.md") == "../reports/2025-q3/index.html"


def test_links_agree_with_mkdocs_for_every_pair():
    import itertools

    from mkdocs.structure.files import File

    from baocao.render.links import Links

    sources = ["index.md", "kho-bao-cao/index.md", "reports/2025-q3/index.md", "reports/2025-q3/khac.md",
               "reports/2025-q30/index.md", "reports/2025-q4/cong-an.md", "to-chuc/dang-bo-cong-an.md",
               "to-chuc/index.md", "thong-ke/index.md", "reports/index.md", "a.md"]
    for directory_urls in (True, False):
        links = Links(directory_urls)
        files = {src: File(src, "docs", "site", directory_urls) for src in sources}
        for here, there in itertools.product(sources, sources):
            expected = files[there].url_relative_to(files[here])
            assert links.href(here, there) == expected, (directory_urls, here, there)


def test_search_folding_is_the_same_in_page_and_worker():
    """The page (query) and the search worker (index) fold text with the same steps."""
    import re

    from conftest import ROOT

    scripts = ROOT / "overrides" / "assets" / "javascripts"

    def steps(text: str) -> str:
        body = re.search(r"function fold\(text\) \{(.*?)\n  \}", text, flags=re.S).group(1)
        return " ".join(body.split())

    page = steps((scripts / "baocao-search.js").read_text(encoding="utf-8"))
    worker = steps((scripts / "lunr" / "min" / "lunr.vi.min.js").read_text(encoding="utf-8"))
    assert page == worker


def test_site_config_is_read_as_data_only(tmp_path):
    # mkdocs.yml is trusted, but read as data: a tag that would build an object reads as nothing.
    from baocao.load.siteconfig import extra

    marker = tmp_path / "ran"
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        f"hooks_bad: !!python/object/apply:os.system ['touch {marker}']\n"
        "nav_title: !ENV [HOME, x]\n"
        "extra:\n  baocao_allowed: ['reports/*/anh/*.png']\n  cms: {backend: forgejo}\n", encoding="utf-8")
    assert extra(tmp_path / "mkdocs.yml") == {"baocao_allowed": ["reports/*/anh/*.png"], "cms": {"backend": "forgejo"}}
    assert not marker.exists()
    assert extra(tmp_path / "missing.yml") == {}
