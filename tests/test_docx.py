"""Word export (``baocao docx``, ``BAOCAO_DOCX=1 mkdocs build``) and import (``baocao
import``): the official layout read back through LibreOffice's PDF, the round trip of the
seed quarter, legacy fonts, and every kind of bad input."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from test_build_site import _seed_sentences

from baocao.check import run_check
from baocao.contribute import word_import
from baocao.contribute.word_import import opening, parsing, reading, writing
from baocao.contribute.word_import.lines import Line
from baocao.export import docx as export
from baocao.load import legacy_fonts
from baocao.periods import Period
from conftest import ROOT, copy_repo, mkdocs_build, run_cli

SOFFICE = shutil.which("soffice")


def soffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice headless, with a profile of its own (tests run in parallel)."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed: tests/install.sh must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (run tests/install.sh)")
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=180)
    pdf = out_dir / (docx_path.stem + ".pdf")
    assert pdf.exists()
    return pdf


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "bao-cao-2025-q3.docx"
    result = run_cli(ROOT, "docx", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def seed_pdf(seed_docx, tmp_path_factory) -> tuple[str, object]:
    from pypdf import PdfReader

    pdf = soffice_pdf(seed_docx, tmp_path_factory.mktemp("pdf"))
    return PdfReader(str(pdf))


def _pdf_text(reader) -> str:
    return " ".join(" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages)


def test_pdf_is_a4_in_times_new_roman(seed_pdf):
    for page in seed_pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    fonts = set()
    for page in seed_pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts, "no fonts in the PDF"
    # Times New Roman, or its metric twin that LibreOffice substitutes where it is missing.
    assert all(re.match(r"(TimesNewRoman|Times New Roman|LiberationSerif)", f) for f in fonts), fonts


def test_pdf_header_lines_and_end(seed_pdf):
    first = " ".join(seed_pdf.pages[0].extract_text().replace("\xa0", " ").split())
    for expected in ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY XÃ ĐẠI SƠN", "*", "Số -BC/ĐU",
                     "ĐẢNG CỘNG SẢN VIỆT NAM", "Đại Sơn, ngày tháng năm 2025", "BÁO CÁO",
                     "Tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025"):
        assert expected in first, expected
    assert "DỰ THẢO" not in first  # the seed was issued
    text = _pdf_text(seed_pdf)
    for expected in ("Nơi nhận:", "- Ban Tổ chức Thành ủy,", "- Lưu VPĐU.", "T/M BAN THƯỜNG VỤ",
                     "PHÓ BÍ THƯ THƯỜNG TRỰC", "Trương Thị Toan"):
        assert expected in text, expected
    # page numbers from page 2, not on page 1
    assert not re.match(r"^\s*1\s", seed_pdf.pages[0].extract_text())
    assert seed_pdf.pages[1].extract_text().lstrip().startswith("2")


def test_pdf_has_every_seed_sentence_in_order(seed_pdf):
    # Words split by the end of a line come back joined with a space or a hyphen at the
    # line end; compare on text without any space.
    text = re.sub(r"\s+", "", re.sub(r"(?m)^\s*\d+\s*$", "", "\n".join(
        p.extract_text().replace("\xa0", " ") for p in seed_pdf.pages)))
    position = 0
    sentences = _seed_sentences()
    assert len(sentences) > 150
    for sentence in sentences:
        needle = re.sub(r"\s+", "", sentence)
        found = text.find(needle, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(needle)


def test_docx_structure_is_the_official_layout(seed_docx):
    doc = Document(str(seed_docx))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.paragraph_format.alignment == 3  # justified
    assert normal.paragraph_format.first_line_indent.mm > 5
    header, end = doc.tables[0], doc.tables[-1]
    assert len(header.columns) == 2 and "w:val=\"nil\"" in header._tbl.xml
    party = header.rows[0].cells[1].paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.underline and party.bold
    assert header.rows[0].cells[1].paragraphs[1].runs[0].italic
    assert "Nơi nhận:" in end.rows[0].cells[0].text and "Trương Thị Toan" in end.rows[0].cells[1].text
    assert "cantSplit" in end._tbl.xml
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("A. TÌNH HÌNH") and "2.5. Tổ chức cơ sở đảng khác (Chi bộ Quỹ tín dụng Nhân dân)" \
        in headings and headings[-1] == "2. Đề xuất, kiến nghị"


def test_docx_xml_elements_in_schema_order(seed_docx):
    """Word repairs a file whose table properties are out of schema order."""
    with zipfile.ZipFile(seed_docx) as archive:
        xml = archive.read("word/document.xml").decode()
    for props in re.findall(r"<w:tblPr>(.*?)</w:tblPr>", xml):
        names = [n for n in re.findall(r"<w:(\w+)", props) if n in export.TBL_PR_ORDER]
        order = [export.TBL_PR_ORDER.index(n) for n in names]
        assert order == sorted(order), names


def test_draft_carries_du_thao_and_figures_tables(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    index = repo / "docs/reports/2025-q3/index.md"
    text = index.read_text(encoding="utf-8").replace("status: issued", "status: draft")
    text = text.replace("missing_in_source: [number, issued_on]\n", "")
    index.write_text(text + "\n<!-- baocao:table members -->\n\n| Cột **một** | Cột hai |\n| --- | ---: |\n"
                     "| *a* | 1 |\n", encoding="utf-8")
    out = tmp_path / "draft.docx"
    result = run_cli(repo, "docx", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "DỰ THẢO"
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["", "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (−)", "Kỳ này so với cùng kỳ"] in cells
    assert ["Cột một", "Cột hai"] in cells and ["a", "1"] in cells
    # the draft comes back: "DỰ THẢO" and the placeholder of a missing part are not text
    (repo / "docs/reports/2025-q3/khac.md").unlink()
    assert run_cli(repo, "docx", "2025-Q3", "-o", str(out)).returncode == 0
    assert export.MISSING in [p.text for p in Document(str(out)).paragraphs]
    result = run_cli(repo, "import", str(out), "--period", "2026-Q3")
    assert result.returncode == 0, result.stderr
    assert "DỰ THẢO" not in (repo / "docs/reports/2026-q3/index.md").read_text(encoding="utf-8")
    assert (repo / "docs/reports/2026-q3/khac.md").read_text(encoding="utf-8").endswith("---\n\n")
    assert "2.5. Tổ chức cơ sở đảng khác" in result.stderr  # listed as empty


def test_mkdocs_build_writes_docx_and_link(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site, "--strict", env={"BAOCAO_DOCX": "1"})
    assert result.returncode == 0, result.stderr
    out = site / "reports/2025-q3/bao-cao-2025-q3.docx"
    assert Document(str(out)).tables
    page = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert 'href="bao-cao-2025-q3.docx" download>Tải bản Word</a>' in page


def test_cli_docx_unknown_period(tmp_path):
    result = run_cli(ROOT, "docx", "2019-Q1", "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 1 and "Chưa có báo cáo quý I/2019" in result.stderr
    assert not (tmp_path / "x.docx").exists()


# --- import ------------------------------------------------------------------------------


def _bodies(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[2]
        out[path.name] = " ".join(re.sub(r"<!--.*?-->", "", text, flags=re.S).split())
    return out


def test_round_trip_gives_back_every_section_word_for_word(seed_docx, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    result = run_cli(repo, "import", str(seed_docx), "--period", "2026-Q3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "không xếp được" not in result.stderr
    original = _bodies(repo / "docs/reports/2025-q3")
    imported = _bodies(repo / "docs/reports/2026-q3")
    assert original.keys() == imported.keys()
    for name, text in original.items():
        assert imported[name] == text, name
    khac = (repo / "docs/reports/2026-q3/khac.md").read_text(encoding="utf-8")
    assert "title: Tổ chức cơ sở đảng khác (Chi bộ Quỹ tín dụng Nhân dân)" in khac
    assert "status: draft" in khac
    index = (repo / "docs/reports/2026-q3/index.md").read_text(encoding="utf-8")
    assert "status: draft" in index and "name: Trương Thị Toan" in index and "  - Lưu VPĐU." in index
    check = run_cli(repo, "check")
    assert check.returncode == 0, check.stdout
    assert "2026-q3" not in check.stdout  # nothing to say about the imported quarter


def test_import_refuses_an_existing_quarter(seed_docx, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    before = _bodies(repo / "docs/reports/2025-q3")
    result = run_cli(repo, "import", str(seed_docx), "--period", "2025-Q3")
    assert result.returncode == 1 and "không ghi đè" in result.stderr
    assert _bodies(repo / "docs/reports/2025-q3") == before


def _write_docx(path: Path, paragraphs: list[tuple[str, dict]]) -> Path:
    doc = Document()
    for text, style in paragraphs:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = style.get("bold")
        run.italic = style.get("italic")
        if "font" in style:
            run.font.name = style["font"]
    doc.save(str(path))
    return path


def test_plain_bold_headings_legacy_fonts_cut_sentences_and_unplaced_text(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    source = _write_docx(tmp_path / "cu.docx", [
        ("§¶NG Bé THµNH PHè H¶I PHßNG", {"font": ".VnTimeH"}),
        ("Sè 12-BC/§U", {"font": ".VnTime"}),
        ("§¹i S¬n, ngµy 20 th¸ng 6 n¨m 2025", {"font": ".VnTime", "italic": True}),
        ("BÁO CÁO", {"bold": True}),
        ("Tình hình hoạt động của tổ chức cơ sở đảng quý II năm 2025", {"bold": True}),
        ("Ban Th­êng vô §¶ng ñy x· b¸o c¸o nh­ sau:", {"font": ".VnTime"}),
        ("A. TINH HINH, KET QUA TO CHUC VA HOAT DONG", {"bold": True}),
        ("1. Tinh hinh chung", {"bold": True}),
        ("Ñaûng boä xaõ Ñaïi Sôn hoaït ñoäng oån ñònh vaø", {"font": "VNI-Times"}),
        ("tiếp tục phát triển.", {}),
        ("2. Kết quả nổi bật", {"bold": True}),
        ("Đoạn này nằm dưới một mục không có phần riêng.", {}),
        ("2.4. Tổ chức cơ sở đảng trong Công an", {"bold": True}),
        ("- Kết quả đạt được:", {}),
        ("Công tác ", {}),
        ("9. Mục lạ không có trong đề cương", {"bold": True}),
        ("Đoạn của mục lạ.", {}),
    ])
    result = run_cli(repo, "import", str(source), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Số, nơi và ngày ban hành: số 12-BC/ĐU, Đại Sơn, ngày 20/6/2025." in result.stdout
    assert "Tiêu đề văn bản: Tình hình hoạt động của tổ chức cơ sở đảng quý II năm 2025" in result.stdout
    folder = repo / "docs/reports/2025-q2"
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "number: 12-BC/ĐU" in index and "issued_on: 2025-06-20" in index
    assert "Ban Thường vụ Đảng ủy xã báo cáo như sau:" in index
    assert "title:" not in index.split("---")[1]  # the standard subject of quý II/2025
    overview = (folder / "tinh-hinh-chung.md").read_text(encoding="utf-8")
    assert "Đảng bộ xã Đại Sơn hoạt động ổn định và tiếp tục phát triển." in overview
    # headings matched without diacritics: the section keeps the heading as written
    assert "title: Tinh hinh chung" in overview
    cong_an = (folder / "cong-an.md").read_text(encoding="utf-8")
    assert "- Kết quả đạt được:" in cong_an and "category: cong_an" in cong_an
    # nothing dropped: unplaced text at the end of index.md, and a warning listing it
    assert writing.UNPLACED_TITLE in index
    assert "Đoạn này nằm dưới một mục không có phần riêng." in index
    assert "9. Mục lạ không có trong đề cương" in index and "Đoạn của mục lạ." in index
    assert "không xếp được" in result.stderr and "Đoạn của mục lạ." in result.stderr
    check = run_cli(repo, "check")
    assert "[" not in "".join(line for line in check.stdout.splitlines() if "2025-q2" in line
                              and "section-missing" not in line), check.stdout
    assert check.returncode == 0, check.stdout


def test_cut_sentences_join_but_never_onto_a_heading():
    line = Line
    joined = reading._join_cut_sentences([
        line("Đoạn bị cắt ở cuối", "Đoạn bị cắt ở cuối"), line("trang.", "trang."),
        line("1. Tình hình chung", "1. Tình hình chung", bold=True), line("đoạn viết thường.", "đoạn viết thường."),
        line("Đoạn đủ câu.", "Đoạn đủ câu."), line("viết thường.", "viết thường.")])
    assert [x.text for x in joined] == ["Đoạn bị cắt ở cuối trang.", "1. Tình hình chung", "đoạn viết thường.",
                                        "Đoạn đủ câu.", "viết thường."]


def test_headings_matched_by_title_before_number(tmp_path):
    """A past report that numbered the categories in another order: each part still goes to
    its category."""
    repo = copy_repo(tmp_path / "repo")
    source = _write_docx(tmp_path / "thu-tu.docx", [
        ("A. TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG CỦA TỔ CHỨC CƠ SỞ ĐẢNG TRONG QUÝ II/2025", {"bold": True}),
        ("2. Kết quả nổi bật", {"bold": True}),
        ("2.1. Tổ chức cơ sở đảng trong Công an", {"bold": True}),
        ("Phần của công an.", {}),
        ("2.2. To chuc co so dang trong quan doi", {"bold": True}),
        ("Phần của quân sự.", {}),
    ])
    assert run_cli(repo, "import", str(source), "--period", "2025-Q2").returncode == 0
    folder = repo / "docs/reports/2025-q2"
    assert "Phần của công an." in (folder / "cong-an.md").read_text(encoding="utf-8")
    assert "Phần của quân sự." in (folder / "quan-su.md").read_text(encoding="utf-8")


def test_legacy_tables_every_letter():
    letters = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    inverse = {v: k for k, v in legacy_fonts.TCVN3.items() if k >= 0xA1 and v.islower()}
    encoded = "".join(chr(inverse[c]) if c in inverse else c for c in letters)
    assert legacy_fonts.from_tcvn3(encoded.encode("latin-1").decode("cp1252")) == letters
    assert legacy_fonts.from_tcvn3(encoded.encode("latin-1").decode("cp1252"), upper=True) == letters.upper()
    vni = {v: k for k, v in legacy_fonts.VNI.items()}
    assert legacy_fonts.from_vni("".join(vni.get(c, c) for c in letters)) == letters
    assert legacy_fonts.from_vni("".join(vni.get(c, c) for c in letters.upper())) == letters.upper()
    # published examples
    assert legacy_fonts.to_unicode("§¶ng bé x· Th­êng vô", ".VnTime") == "Đảng bộ xã Thường vụ"
    assert legacy_fonts.to_unicode("Ñaûng boä Vieät Nam", "VNI-Times") == "Đảng bộ Việt Nam"
    assert legacy_fonts.to_unicode("§¶ng", "Times New Roman") == "§¶ng"
    assert legacy_fonts.encoding_of(".VnArialH") == "tcvn3-upper" and legacy_fonts.encoding_of("VNI-Helve") == "vni"


def test_legacy_font_of_the_style_and_unicode_text_in_an_old_font(tmp_path):
    doc = Document()
    doc.styles["Normal"].font.name = ".VnTime"  # the whole document typed in TCVN3
    doc.add_paragraph("BÁO CÁO").runs[0].font.name = "Times New Roman"
    doc.add_paragraph("Tình hình chung").runs[0].font.name = "Arial"
    doc.add_paragraph("§¶ng ñy x· l·nh ®¹o, chØ ®¹o.")
    doc.add_paragraph("Đảng ủy đã gõ lại bằng Unicode.")  # Unicode letters: left as they are
    path = tmp_path / "vntime.docx"
    doc.save(str(path))
    lines = [line.text for line in reading.read_lines(opening.open_document(path))]
    assert lines == ["BÁO CÁO", "Tình hình chung", "Đảng ủy xã lãnh đạo, chỉ đạo.", "Đảng ủy đã gõ lại bằng Unicode."]


# --- bad input ---------------------------------------------------------------------------


def _nothing_written(repo: Path) -> None:
    assert not (repo / "docs/reports/2025-q2").exists()
    assert not list((repo / "docs/reports").glob(".*import*"))


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return path


def _many(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
        for index in range(opening.MAX_ENTRIES + 1):
            archive.writestr(f"x/{index}", "")
    return path


def _empty(path: Path) -> Path:
    Document().save(str(path))
    return path


def _corrupt(path: Path, seed: Path) -> Path:
    data = seed.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _broken_xml(path: Path, seed: Path) -> Path:
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, b"<w:document><broken" if item.filename == "word/document.xml" else data)
    return path


def _encrypted(path: Path, seed: Path) -> Path:
    """A real password-protected .docx (ECMA-376 agile encryption, as Word writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with seed.open("rb") as source, path.open("wb") as out:
        OOXMLFile(source).encrypt("mat-khau", out)
    return path


@pytest.mark.parametrize("kind, message", [
    ("text", "không phải tệp Word"),
    ("zip", "không phải tệp Word"),
    ("corrupt", "bị hỏng"),
    ("broken_xml", "bị hỏng"),
    ("encrypted", "mật khẩu"),
    ("empty", "văn bản trống"),
    ("bomb", "bất thường"),
    ("many", "quá nhiều"),
    ("missing", "không có tệp này"),
])
def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(kind, message, seed_docx, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = tmp_path / "input.docx"
    if kind == "text":
        path.write_text("đây là chữ thường, không phải Word", encoding="utf-8")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif kind == "corrupt":
        _corrupt(path, seed_docx)
    elif kind == "broken_xml":
        _broken_xml(path, seed_docx)
    elif kind == "encrypted":
        _encrypted(path, seed_docx)
    elif kind == "empty":
        _empty(path)
    elif kind == "bomb":
        _bomb(path)
    elif kind == "many":
        _many(path)
    result = run_cli(repo, "import", str(path), "--period", "2025-Q2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    _nothing_written(repo)


def test_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    path = _bomb(tmp_path / "bomb.docx")

    def no_read(*args, **kwargs):
        raise AssertionError("a zip bomb was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_read)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_read)
    with pytest.raises(word_import.ImportFailed, match="bất thường"):
        opening.read_bytes(path)


def test_password_protected_file_named_doc(seed_docx, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = _encrypted(tmp_path / "cu.doc", seed_docx)
    result = run_cli(repo, "import", str(path), "--period", "2025-Q2")
    assert result.returncode == 1 and "mật khẩu" in result.stderr
    _nothing_written(repo)


def test_doc_without_libreoffice_says_how_to_convert(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    path = tmp_path / "cu.doc"
    path.write_bytes(opening.OLE_MAGIC + b"\0" * 1024)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {**os.environ, "PATH": str(bin_dir)}
    result = subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "import", str(path),
                             "--period", "2025-Q2"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "Lưu thành" in result.stderr and ".docx" in result.stderr and "LibreOffice" in result.stderr
    _nothing_written(repo)


def test_doc_through_libreoffice(seed_docx, tmp_path):
    if SOFFICE is None:
        soffice_pdf(seed_docx, tmp_path)  # fails in CI, skips elsewhere
    profile = (tmp_path / "lo").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(seed_docx)], check=True, capture_output=True, timeout=180)
    doc = tmp_path / "bao-cao-2025-q3.doc"
    assert doc.read_bytes().startswith(opening.OLE_MAGIC)
    repo = copy_repo(tmp_path / "repo")
    result = run_cli(repo, "import", str(doc), "--period", "2026-Q3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _bodies(repo / "docs/reports/2026-q3")["cong-an.md"] == _bodies(repo / "docs/reports/2025-q3")["cong-an.md"]


def test_import_in_process_matches_archive_slots(seed_docx):
    archive = run_check(ROOT).archive
    lines = reading.read_lines(opening.open_document(seed_docx))
    parsed = parsing.parse(lines, archive, Period.parse("2026-Q3"))
    assert not parsed.unplaced and len(parsed.sections) == 10
    assert parsed.signer == {"authority": "T/M", "body": "BAN THƯỜNG VỤ", "position": "PHÓ BÍ THƯ THƯỜNG TRỰC",
                             "name": "Trương Thị Toan"}


def _png() -> bytes:
    """A 1×1 PNG, made here."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _xml(fragment: str):
    from docx.oxml import parse_xml

    return parse_xml(
        '<w:root xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{fragment}</w:root>")[0]


def test_text_in_word_structures_is_not_lost(tmp_path):
    """Content controls, hyperlinks, tracked changes, text boxes, merged cells, Word's own
    heading numbering: the text is read where Word shows it; deleted text is not."""
    doc = Document()
    doc.add_paragraph("BÁO CÁO").runs[0].bold = True
    doc.add_paragraph("Tình hình hoạt động của tổ chức cơ sở đảng quý I năm 2025").runs[0].bold = True
    doc.add_paragraph("Mở đầu.")
    doc.add_paragraph("TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG CỦA TỔ CHỨC CƠ SỞ ĐẢNG TRONG QUÝ II/2025",
                      style="Heading 1")
    doc.add_paragraph("Tình hình chung", style="Heading 2")
    body = doc.element.body
    sectpr = body[-1]
    sectpr.addprevious(_xml(
        '<w:sdt><w:sdtContent><w:p><w:r><w:t>Đoạn trong ô nội dung.</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    sectpr.addprevious(_xml(
        '<w:p><w:r><w:t xml:space="preserve">Xem </w:t></w:r><w:hyperlink w:anchor="x"><w:r><w:t>liên kết'
        '</w:t></w:r></w:hyperlink><w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> đã thêm'
        '</w:t></w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText> ĐÃ XÓA</w:delText></w:r></w:del>'
        '<w:r><w:t>.</w:t></w:r></w:p>'))
    sectpr.addprevious(_xml(
        '<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Chữ trong hộp văn bản.</w:t>'
        '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>'))
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Gộp"
    table.cell(0, 2).text = "Ba"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "a", "b", "c"
    doc.add_picture(io.BytesIO(_png()))
    doc.add_paragraph("Kết quả nổi bật", style="Heading 2")
    doc.add_paragraph("Đoạn dưới mục không có tệp riêng.")
    path = tmp_path / "cau-truc.docx"
    doc.save(str(path))
    repo = copy_repo(tmp_path / "repo")
    result = run_cli(repo, "import", str(path), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    overview = (repo / "docs/reports/2025-q2/tinh-hinh-chung.md").read_text(encoding="utf-8")
    assert "title:" not in overview  # matched by its title alone, written as the outline has it
    assert "Đoạn trong ô nội dung." in overview
    assert "Xem liên kết đã thêm." in overview and "ĐÃ XÓA" not in overview
    assert "Chữ trong hộp văn bản." in overview
    assert "| Gộp |  | Ba |" in overview and "| a | b | c |" in overview
    index = (repo / "docs/reports/2025-q2/index.md").read_text(encoding="utf-8")
    assert "Mở đầu." in index
    assert "**Kết quả nổi bật**\n\nĐoạn dưới mục không có tệp riêng." in index
    assert "1 hình ảnh" in result.stderr
    assert "Trích yếu ghi quý I/2025, khác kỳ quý II/2025" in result.stderr
    assert run_cli(repo, "check").returncode == 0


def test_contributor_markdown_into_word_runs():
    from baocao.export import docx_markdown

    doc = Document()
    docx_markdown.add_markdown(doc, (
        "<!-- hướng dẫn: không in -->\n\nĐoạn **đậm** và *nghiêng*, <b>HTML</b> thô, [liên kết](http://x), "
        "![sơ đồ](a.png).\n\n- Ý một\n- Ý hai\n\nGiữa.\n\n1. Thứ nhất\n2. Thứ hai\n\n## Tiêu đề nhỏ\n\n"
        "| A | B |\n| --- | ---: |\n| *x* | 2 |\n"))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts == ["Đoạn đậm và nghiêng, HTML thô, liên kết, [Hình: sơ đồ].", "- Ý một", "- Ý hai",
                     "Giữa.", "1. Thứ nhất", "2. Thứ hai", "Tiêu đề nhỏ"]
    runs = {r.text: (r.bold, r.italic) for r in doc.paragraphs[0].runs}
    assert runs["đậm"] == (True, None) and runs["nghiêng"] == (None, True)
    assert all(r.bold for r in doc.paragraphs[6].runs)
    table = doc.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["A", "B"], ["x", "2"]]
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right-aligned column
    assert "hướng dẫn" not in " ".join(texts)


# --- issue 24: styles, pagination, tables, document numbers, empty parts -------------------


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_word_styles_follow_normal_and_the_template_leaves_nothing(seed_docx, tmp_path):
    # issue 24.4
    import datetime as dt

    parts = _parts(seed_docx)
    for name, data in parts.items():
        assert b"python-docx" not in data, name
    styles = parts["word/styles.xml"].decode()
    for leftover in ("Calibri", "Cambria", "en-US", "Theme=", "theme=", "w:color ", 'w:styleId="Title"',
                     'w:styleId="Subtitle"'):
        assert leftover not in styles, leftover
    assert "word/stylesWithEffects.xml" not in parts and "docProps/thumbnail.jpeg" not in parts
    assert not [name for name in parts if name.startswith("customXml/")]
    theme = parts["word/theme/theme1.xml"].decode()
    assert "Cambria" not in theme and "Calibri" not in theme.split("<a:fontScheme")[1].split("</a:majorFont>")[0]
    settings = parts["word/settings.xml"].decode()
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings), settings[:600]
    assert 'w:themeFontLang w:val="vi-VN"' in settings and "proofState" not in settings
    doc = Document(str(seed_docx))
    defaults = styles.split("<w:rPrDefault>")[1].split("</w:rPrDefault>")[0]
    assert 'w:val="vi-VN"' in defaults and 'w:ascii="Times New Roman"' in defaults and 'w:val="28"' in defaults
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(18) and normal.paragraph_format.line_spacing_rule == 4
    headings = [style for style in doc.styles if style.name.startswith("Heading") and style.type == 1]
    assert [style.name for style in headings] == ["Heading 1", "Heading 2", "Heading 3"]  # those used
    for heading in headings:
        assert heading.base_style.name == "Normal"
        assert heading.element.rPr.rFonts is None and heading.font.color.rgb is None
        assert heading.paragraph_format.line_spacing == Pt(18) and heading.paragraph_format.space_before == 0
    core = doc.core_properties
    assert core.title == "Báo cáo quý III/2025" and core.author == "Đảng ủy xã Đại Sơn"
    assert core.last_modified_by == "Đảng ủy xã Đại Sơn" and not core.comments and core.language == "vi-VN"
    assert core.created.date() == core.modified.date() == dt.datetime.now(dt.UTC).date()  # no date of issue
    # changing Normal's font changes the whole document, headings included
    normal.font.name = "Liberation Sans"
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        normal.element.rPr.rFonts.set(export.qn(attr), "Liberation Sans")
    changed = tmp_path / "sans.docx"
    doc.save(str(changed))
    from printcases import word_pdfs

    fonts = set()
    from pypdf import PdfReader

    for page in PdfReader(str(word_pdfs([changed], tmp_path / "lo")[0])).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("LiberationSans") for name in fonts), fonts


def test_an_issued_report_is_dated_by_its_date_of_issue(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    index = repo / "docs/reports/2025-q3/index.md"
    text = index.read_text(encoding="utf-8").replace("number:\n", "number: 45-BC/ĐU\n")
    text = text.replace("issued_on:\n", "issued_on: 2025-09-05\n").replace("missing_in_source: [number, issued_on]\n", "")
    index.write_text(text, encoding="utf-8")
    out = tmp_path / "issued.docx"
    result = run_cli(repo, "docx", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    core = Document(str(out)).core_properties
    assert str(core.created.date()) == str(core.modified.date()) == "2025-09-05"


@pytest.fixture(scope="module")
def crafted_word(tmp_path_factory) -> tuple[Path, Path]:
    """The crafted report (printcases) as a Word file, and LibreOffice's PDF of it."""
    from printcases import crafted_repo, word_pdfs

    folder = tmp_path_factory.mktemp("crafted-word")
    repo = crafted_repo(folder / "repo")
    out = folder / "crafted.docx"
    result = run_cli(repo, "docx", "2025-Q3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, word_pdfs([out], folder / "lo")[0]


def test_document_numbers_never_break_at_their_hyphen_in_word(crafted_word):
    # issue 24.5: a non-breaking hyphen (w:noBreakHyphen), read back as "-"
    from printcases import broken_numbers, page_lines

    docx_path, pdf = crafted_word
    pages = page_lines(pdf)
    assert broken_numbers(pages) == []
    assert any(line.startswith("51-CT/TW") for page in pages for line in page), "no number reached a line's end"
    assert "<w:noBreakHyphen/>" in _parts(docx_path)["word/document.xml"].decode()
    assert any("Chỉ thị số 51-CT/TW" in p.text for p in Document(str(docx_path)).paragraphs)


def test_contributor_tables_repeat_their_head_and_stay_inside_the_margins(crafted_word):
    # issue 24.3
    from test_print import A4, MARGINS, positions

    docx_path, pdf = crafted_word
    doc = Document(str(docx_path))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nội dung công việc"))
    head, *rows = table.rows
    assert head._tr.trPr.find(export.qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(export.qn("w:tblHeader")) is None for row in rows)
    assert all(row._tr.trPr.find(export.qn("w:cantSplit")) is not None for row in table.rows)
    width = table._tbl.tblPr.find(export.qn("w:tblW"))
    assert (width.get(export.qn("w:type")), width.get(export.qn("w:w"))) == ("pct", "5000")
    cell = rows[0].cells[0].paragraphs[0]
    assert cell.paragraph_format.line_spacing == Pt(15) and {run.font.size for run in cell.runs} == {Pt(12)}
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(str(pdf)).pages, start=1):
        for x, _y, text in positions(page):
            assert MARGINS["left"] - 1.5 <= x <= A4[0] - MARGINS["right"], (number, x, text)


def test_a_drafts_empty_parts_say_so_in_word_as_on_the_web(tmp_path):
    # issue 24.6: a scaffolded section (no text, no figure) reads "(Chưa có nội dung phần này.)"
    repo = copy_repo(tmp_path / "repo")
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    out = tmp_path / "q4.docx"
    result = run_cli(repo, "docx", "2025-Q4", "-o", str(out))
    assert result.returncode == 0, result.stderr
    paragraphs = [p for p in Document(str(out)).paragraphs if p.text.strip()]
    archive = run_check(repo).archive
    leaves = [slot for slot in archive.slots(Period.parse("2025-Q4")) if slot.is_leaf]
    assert len(leaves) >= 10
    after_headings = [paragraphs[i + 1].text for i, p in enumerate(paragraphs[:-1])
                      if p.style.name.startswith("Heading") and not paragraphs[i + 1].style.name.startswith("Heading")]
    assert after_headings == [export.MISSING] * len(leaves), after_headings
    html = mkdocs_build(repo, tmp_path / "site")
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "site/reports/2025-q4/index.html").read_text(encoding="utf-8")
    assert page.count(export.MISSING) == len(leaves)
    # and the placeholder is not taken for text when the file comes back
    result = run_cli(repo, "import", str(out), "--period", "2026-Q1")
    assert result.returncode == 0, result.stderr
    assert export.MISSING not in "".join(p.read_text(encoding="utf-8")
                                         for p in (repo / "docs/reports/2026-q1").glob("*.md"))
