"""Printing: the report page printed by headless Chromium, and the PDFs of
``BAOCAO_PDF=1 mkdocs build``, checked from the PDF itself."""

from __future__ import annotations

import collections
import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, copy_repo, mkdocs_build

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGINS = {"top": 20 * MM, "bottom": 20 * MM, "left": 30 * MM, "right": 15 * MM}
SITE_TEXT = ("Tìm kiếm", "Trang chủ", "Kho báo cáo", "Made with", "In báo cáo", "Tải bản PDF",
             "Số liệu tổng hợp", "Thống kê", "Mục lục", "Phụ lục", "Tự động tổng hợp")


def positions(page) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def assert_official_pdf(path: Path) -> None:
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2
    texts = [" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages]
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, (width, height)
    first, last = texts[0], texts[-1]
    for line in ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY XÃ ĐẠI SƠN", "ĐẢNG CỘNG SẢN VIỆT NAM",
                 "Số -BC/ĐU", "Đại Sơn, ngày tháng năm 2025", "BÁO CÁO",
                 "Tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025"):
        assert line in first, line
    assert "Nơi nhận:" in last and "Trương Thị Toan" in last and "T/M BAN THƯỜNG VỤ" in last
    for text in texts:
        for chrome in SITE_TEXT:
            assert chrome not in text, chrome
    # every line of text inside the margins (the page number sits in the top margin)
    for number, page in enumerate(reader.pages, start=1):
        for x, y, text in positions(page):
            if text.strip().isdigit() and y > A4[1] - MARGINS["top"]:
                assert number > 1, "no page number on page 1"
                continue
            assert MARGINS["left"] - 1.5 <= x <= A4[0] - MARGINS["right"], (number, x, text)
            assert MARGINS["bottom"] - 1 <= y <= A4[1] - MARGINS["top"], (number, y, text)
    # no heading left alone at the foot of a page
    headings = ("A. TÌNH HÌNH", "1. Tình hình chung", "2. Kết quả nổi bật", "2.1.", "2.2.", "2.3.", "2.4.",
                "2.5.", "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "2. Hạn chế", "III. NHIỆM VỤ", "1. Một số nhiệm vụ",
                "2. Đề xuất", "- Kết quả đạt được:", "- Khó khăn, hạn chế:")
    for page in reader.pages[:-1]:
        lines = [line.strip() for line in page.extract_text().replace("\xa0", " ").splitlines() if line.strip()]
        assert not lines[-1].startswith(headings), lines[-1]
    # page numbers from page 2
    assert not texts[0].startswith("1 ")
    assert texts[1].split()[0] == "2"
    # a serif font, embedded
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and (
                "/FontFile2" in descriptor.get_object() or "/FontFile" in descriptor.get_object())
    # true size: the body is 14 pt, not shrunk to fit (issue 14.2)
    body, count = glyph_sizes(path).most_common(1)[0]
    assert body == 14.0 and count > 10_000, glyph_sizes(path).most_common(5)
    serif = {name: embedded for name, embedded in fonts.items() if "Serif" in name or "Times" in name}
    assert serif and all(serif.values()), fonts
    assert all("Sans" not in name and "Arial" not in name for name in fonts), fonts


#: Debian's fonts-liberation (1.07, pulled in by chromium): its Liberation Serif, which
#: fontconfig gives for "Times New Roman", has no Vietnamese letters.
DEBIAN_LIBERATION = Path("/usr/share/fonts/truetype/liberation")


@pytest.fixture(scope="module")
def fresh_debian_browser(browser, tmp_path_factory):
    """Chromium seeing only the system fonts of a fresh Debian machine with chromium
    installed (fonts-liberation 1.07), whatever else this machine has."""
    if not (DEBIAN_LIBERATION / "LiberationSerif-Regular.ttf").is_file():
        if os.environ.get("CI"):
            pytest.fail("fonts-liberation is not installed: tests/install.sh must install it")
        pytest.skip("Debian fonts-liberation not installed (run tests/install.sh)")
    from printcases import fontconfig

    conf = fontconfig(tmp_path_factory.mktemp("fontconfig"), DEBIAN_LIBERATION, "/etc/fonts/conf.d")
    instance = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                           env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    yield instance
    instance.close()


def print_report(browser, base: str, out: Path) -> Path:
    """The report page of the site served at ``base`` printed to PDF by Chromium, as a
    reader prints it."""
    page = browser.new_page()
    page.goto(base + "/reports/2025-q3/")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.pdf(path=str(out), prefer_css_page_size=True)
    page.close()
    return out


@pytest.fixture(scope="module")
def printed(fresh_debian_browser, shipped_site, serve, tmp_path_factory) -> Path:
    return print_report(fresh_debian_browser, serve(shipped_site), tmp_path_factory.mktemp("print") / "report.pdf")


def test_printed_report_is_the_official_document(printed):
    assert_official_pdf(printed)


def glyph_sizes(path: Path) -> collections.Counter:
    """Characters of the PDF by their printed size in points (font size × text and
    page matrices), rounded to 0.1 pt."""
    sizes: collections.Counter = collections.Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes[round(size * scale, 1)] += len(text.strip())

    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_print_is_true_size_in_one_font(printed, fresh_debian_browser, shipped_site, serve):
    # issue 14.1: on a fresh Debian machine every glyph comes from one font (the text reads
    # whole, each face embedded once); issue 14.2: body text is 14 pt, not shrunk to 96 %
    reader = PdfReader(str(printed))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG" in text and "Đại Sơn, ngày" in text, text[:200]
    faces = collections.Counter()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            faces[str(font.get_object()["/BaseFont"])] += 0
    names = collections.Counter(re.sub(r"^/[A-Z]{6}\+", "", name) for name in faces)
    assert all(count == 1 for count in names.values()), names
    sizes = glyph_sizes(printed)
    body, count = sizes.most_common(1)[0]
    assert body == 14.0 and count > 10_000, sizes.most_common(5)
    # the header fits the printed line (A4 less the margins: 165 mm = 624 px)
    page = fresh_debian_browser.new_page(viewport={"width": 624, "height": 900})
    page.emulate_media(media="print")
    page.goto(serve(shipped_site) + "/reports/2025-q3/")
    page.evaluate("document.fonts.ready.then(() => true)")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.querySelector('.bc-header').scrollWidth]")
    page.close()
    assert widths[0] == 624 and widths[1] <= 624, widths


def test_section_and_generated_pages_print_clean(browser, shipped_site, serve, tmp_path):
    base = serve(shipped_site)
    page = browser.new_page()
    for path in ("/reports/2025-q3/cong-an/", "/thong-ke/", "/tien-do/"):
        page.goto(base + path)
        out = tmp_path / "page.pdf"
        page.pdf(path=str(out), prefer_css_page_size=True)
        reader = PdfReader(str(out))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
        for chrome in ("Tìm kiếm", "Made with", "Trang chủ"):
            assert chrome not in text, (path, chrome)
    page.close()


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory, browser) -> tuple[Path, subprocess.CompletedProcess]:
    site = tmp_path_factory.mktemp("pdfsite") / "site"
    result = mkdocs_build(ROOT, site, "--strict", env={"BAOCAO_PDF": "1"})
    assert result.returncode == 0, result.stderr
    return site, result


def test_baocao_pdf_build_writes_and_links_pdf(pdf_site):
    site, result = pdf_site
    pdf = site / "reports" / "2025-q3" / "bao-cao-2025-q3.pdf"
    assert pdf.is_file()
    html = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    assert '<a class="md-button" href="bao-cao-2025-q3.pdf" download>Tải bản PDF</a>' in html
    assert "Đã in PDF reports/2025-q3/bao-cao-2025-q3.pdf" in result.stderr
    assert_official_pdf(pdf)


def test_without_variable_no_pdf_but_print_button(shipped_site):
    html = (shipped_site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    assert "In báo cáo" in html and "Tải bản PDF" not in html
    assert not list(shipped_site.rglob("*.pdf"))


def test_missing_chromium_is_a_clear_error(repo, tmp_path):
    result = mkdocs_build(repo, tmp_path / "site", env={"BAOCAO_PDF": "1",
                                                        "BAOCAO_CHROMIUM": "/khong/co/chromium"})
    assert result.returncode != 0
    assert "Không tìm thấy trình duyệt Chromium" in result.stderr
    assert "Traceback" not in result.stderr


def test_fonts_are_bundled_with_licence():
    fonts = ROOT / "overrides" / "assets" / "fonts"
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (fonts / f"LiberationSerif-{style}.ttf").stat().st_size > 100_000
    assert "SIL Open Font License" in (fonts / "LICENSE-Liberation.txt").read_text(encoding="utf-8")


# --- issue 24: a clean print, one pagination with Word, tables, what is kept together -------


def test_print_with_the_browsers_headers_and_footers_on_is_clean(browser, shipped_site, serve, tmp_path):
    # issue 24.1: every CSS page margin box is defined, so Chromium stamps none of its own
    # (the address, the date, the title, "1/9") even when "headers and footers" are on
    page = browser.new_page()
    page.goto(serve(shipped_site) + "/reports/2025-q3/")
    page.evaluate("document.fonts.ready.then(() => true)")
    out = tmp_path / "headers.pdf"
    title = page.title()
    page.pdf(path=str(out), display_header_footer=True, prefer_css_page_size=True)
    page.close()
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text()
        assert "http" not in text and "127.0.0.1" not in text, (number, text[-200:])
        assert title not in text and "Báo cáo quý III/2025 -" not in text, number
        assert not re.search(r"\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}", text), number  # a date and time
        assert not re.search(rf"\b{number}/{len(reader.pages)}\b", text), number  # "1/9"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if number == 1:
            assert lines[0] == "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", lines[:2]
        else:
            assert lines[0] == str(number), lines[:2]


def _seed_docx(tmp_path: Path, repo: Path = ROOT, name: str = "seed") -> Path:
    from baocao.check import run_check
    from baocao.export import docx as export
    from baocao.periods import Period

    archive = run_check(repo).archive
    report = archive.report(Period.parse("2025-Q3"))
    return export.write(archive, report, tmp_path / f"{name}.docx")


def test_word_and_the_printed_pdf_paginate_alike(printed, tmp_path):
    # issue 24.2: one exact line pitch (18 pt) and the same spacing and keeping rules in both:
    # the Word file, laid out by LibreOffice, and Chromium's print break at the same lines
    from printcases import first_words, page_lines, word_pdfs

    word = word_pdfs([_seed_docx(tmp_path)], tmp_path / "lo")[0]
    printed_pages, word_pages = first_words(printed), first_words(word)
    assert len(word_pages) == len(printed_pages), (len(word_pages), len(printed_pages))
    assert word_pages == printed_pages
    # and not only page by page: the seed's lines are the same lines
    body = [line for page in page_lines(printed) for line in page if len(line.split()) > 8]
    word_body = [line for page in page_lines(word) for line in page if len(line.split()) > 8]
    assert len(body) > 250
    differing = [line for line in body if line not in set(word_body)]
    assert len(differing) <= 2, differing  # a line filled to within a tenth of a point may differ


#: The opening lines added by the keeping test: each one line and 24 pt (18 + 6) high.
def _extra(count: int) -> list[str]:
    return [f"Đoạn thêm số {i + 1} để dời trang." for i in range(count)]


KEPT_WITH_NEXT = ("A. TÌNH HÌNH", "1. Tình hình chung", "2. Kết quả nổi bật", "2.1.", "2.2.", "2.3.", "2.4.",
                  "2.5.", "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "2. Hạn chế", "III. NHIỆM VỤ", "1. Một số nhiệm vụ",
                  "2. Đề xuất", "- Kết quả đạt được:", "- Khó khăn, hạn chế:", "- Khó khăn:")


def _kept_together(pages: list[list[str]], label: str) -> None:
    """No heading or label ends a page, and the signature block is not alone on its page."""
    for number, lines in enumerate(pages[:-1], start=1):
        assert not lines[-1].startswith(KEPT_WITH_NEXT), (label, number, lines[-1])
    last = next(i for i, lines in enumerate(pages) if any("Nơi nhận" in line for line in lines))
    end = next(i for i, line in enumerate(pages[last]) if "Nơi nhận" in line or "T/M BAN" in line)
    assert end >= 2, (label, "the signature block starts a page", pages[last][:3])


def test_labels_headings_and_signature_stay_with_their_text_in_print_and_word(browser, shipped_site, serve,
                                                                              tmp_path):
    # issue 24.5: the report moved down one line at a time (lines added to its opening) puts
    # every heading, every label ("- Kết quả đạt được:") and the signature block at the foot of
    # a page in turn: none is left there alone, in the print or in Word; and the two still
    # break their pages alike (24.2)
    from printcases import first_words, page_lines, word_pdfs

    base = serve(shipped_site)
    repo = copy_repo(tmp_path / "repo")
    index = repo / "docs" / "reports" / "2025-q3" / "index.md"
    original = index.read_text(encoding="utf-8")
    page = browser.new_page()
    printed_pdfs, docx_files = [], []
    for count in range(8):
        page.goto(base + "/reports/2025-q3/")
        page.evaluate("""(lines) => { const opening = document.querySelector('.bc-opening');
            for (const line of lines) { const p = document.createElement('p'); p.textContent = line;
                opening.append(p); } }""", _extra(count))
        page.evaluate("document.fonts.ready.then(() => true)")
        out = tmp_path / f"print-{count}.pdf"
        page.pdf(path=str(out), prefer_css_page_size=True)
        printed_pdfs.append(out)
        index.write_text(original.rstrip("\n") + "".join(f"\n\n{line}" for line in _extra(count)) + "\n",
                         encoding="utf-8")
        docx_files.append(_seed_docx(tmp_path, repo, f"word-{count}"))
    page.close()
    word = word_pdfs(docx_files, tmp_path / "lo")
    for count, (printed_pdf, word_pdf) in enumerate(zip(printed_pdfs, word, strict=True)):
        _kept_together(page_lines(printed_pdf), f"print +{count}")
        _kept_together(page_lines(word_pdf), f"Word +{count}")
    for count, (printed_pdf, word_pdf) in enumerate(zip(printed_pdfs, word, strict=True)):
        assert first_words(printed_pdf) == first_words(word_pdf), count


@pytest.fixture(scope="module")
def crafted_print(browser, crafted_site, serve, tmp_path_factory) -> Path:
    return print_report(browser, serve(crafted_site), tmp_path_factory.mktemp("crafted-print") / "report.pdf")


def test_document_numbers_never_break_at_their_hyphen_in_print(crafted_print):
    # issue 24.5: "51-CT/TW" at every place near the end of a line: it moves whole to the next
    from printcases import broken_numbers, page_lines

    pages = page_lines(crafted_print)
    assert broken_numbers(pages) == []
    lines = [line for page in pages for line in page]
    assert any(line.startswith("51-CT/TW") for line in lines), "no number reached a line's end"


def test_tables_print_at_12_pt_in_the_line_with_rules_and_never_shrink_the_page(crafted_print, browser,
                                                                                 crafted_site, serve):
    # issue 24.3: a contributor's Markdown table and the generated tables in the report: the
    # page is not scaled (body 14 pt), the tables are 12 pt, inside the margins, ruled in black
    sizes = glyph_sizes(crafted_print)
    body, count = sizes.most_common(1)[0]
    assert body == 14.0 and count > 10_000, sizes.most_common(5)
    assert sizes[12.0] > 800, sizes.most_common(8)
    assert set(sizes) <= {11.0, 12.0, 13.0, 14.0, 15.0, 16.0}, sizes
    reader = PdfReader(str(crafted_print))
    for number, pdf_page in enumerate(reader.pages, start=1):
        for x, _y, text in positions(pdf_page):
            assert MARGINS["left"] - 1.5 <= x <= A4[0] - MARGINS["right"], (number, x, text)
    page = browser.new_page(viewport={"width": 624, "height": 900})
    page.emulate_media(media="print")
    page.goto(serve(crafted_site) + "/reports/2025-q3/")
    cells = page.evaluate("""() => [...document.querySelectorAll('.bc-part-text table')].map(t => [
        t.getBoundingClientRect().width, [...t.querySelectorAll('th, td')].map(c => { const s = getComputedStyle(c);
            return [s.borderTopStyle, s.borderTopColor, parseFloat(s.borderTopWidth), s.fontSize]; })])""")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert width == 624
    assert len(cells) >= 5  # the contributor's table and the four generated ones
    for table_width, styles in cells:
        assert 615 <= table_width <= 624, table_width  # the line's width (less 0.6 pt)
        for style, color, rule, size in styles:
            assert (style, color, size) == ("solid", "rgb(0, 0, 0)", "16px") and 0 < rule <= 1, style
