"""Word import, read right and safely (issue 23, points 8 to 11): line breaks in the header
and signature cells, the title on the console, everything imported as text the check
accepts, the file name never injecting front matter, long files bounded, and a .doc
converted with no network."""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import markdown
import pytest
from docx import Document

from baocao.contribute import word_import
from baocao.contribute.word_import import opening, reading, writing
from baocao.periods import Period
from conftest import copy_repo, run_cli

Q2 = "docs/reports/2025-q2"


def _cell_lines(cell, *lines: str, bold: bool = False) -> None:
    """One paragraph whose lines are separated by line breaks (Shift+Enter)."""
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold or None
        if index < len(lines) - 1:
            run.add_break()


def _report_with_breaks(path: Path) -> Path:
    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    _cell_lines(header.cell(0, 0), "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY XÃ ĐẠI SƠN", "*", "Số 12-BC/ĐU")
    _cell_lines(header.cell(0, 1), "ĐẢNG CỘNG SẢN VIỆT NAM", "Đại Sơn, ngày 20 tháng 6 năm 2025")
    doc.add_paragraph("BÁO CÁO").runs[0].bold = True
    doc.add_paragraph("Tình hình hoạt động của tổ chức cơ sở đảng quý II năm 2025").runs[0].bold = True
    doc.add_paragraph("Ban Thường vụ Đảng ủy xã báo cáo như sau:")
    doc.add_paragraph("A. TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG").runs[0].bold = True
    doc.add_paragraph("1. Tình hình chung").runs[0].bold = True
    doc.add_paragraph("Đảng bộ hoạt động ổn định.")
    end = doc.add_table(rows=1, cols=2)
    _cell_lines(end.cell(0, 0), "Nơi nhận:", "- Ban Tổ chức Thành ủy,", "- Ủy viên BTV Đảng ủy,", "- Lưu VPĐU.")
    _cell_lines(end.cell(0, 1), "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "", "", "Trương Thị Toan",
                bold=True)
    doc.save(str(path))
    return path


# --- point 8 ------------------------------------------------------------------------------


def test_line_breaks_in_header_and_signature_cells_are_lines(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    source = _report_with_breaks(tmp_path / "ngat-dong.docx")
    result = run_cli(repo, "import", str(source), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tiêu đề văn bản: Tình hình hoạt động của tổ chức cơ sở đảng quý II năm 2025" in result.stdout
    assert "Số, nơi và ngày ban hành: số 12-BC/ĐU, Đại Sơn, ngày 20/6/2025." in result.stdout
    assert "không xếp được" not in result.stderr, result.stderr
    index = (repo / Q2 / "index.md").read_text(encoding="utf-8")
    front = index.split("---")[1]
    assert "number: 12-BC/ĐU" in front and "issued_on: 2025-06-20" in front
    assert "recipients:\n  - Ban Tổ chức Thành ủy,\n  - Ủy viên BTV Đảng ủy,\n  - Lưu VPĐU.\n" in front, front
    assert "  authority: T/M\n  body: BAN THƯỜNG VỤ\n  position: PHÓ BÍ THƯ THƯỜNG TRỰC\n" \
           "  name: Trương Thị Toan" in front, front
    assert writing.UNPLACED_TITLE not in index


# --- point 9 ------------------------------------------------------------------------------


HOSTILE = ["Văn bản có nhắc <script>alert(1)</script> như chữ thường.",
           "[bấm vào đây](javascript:alert(1)) và <http://x.invalid/> và ![ảnh](http://x.invalid/a.png)",
           "---", "> không phải trích dẫn", "~~~", "```", "1. không phải danh sách", "# không phải tiêu đề",
           "{: .lop #ma onclick=x}", "Giá &lt; 5 &amp; tiếp &#x202e; và <!-- chú thích",
           "*nghiêng giả* và _gạch_ và `mã` và \\ gạch chéo"]


def test_imported_text_is_text_and_passes_the_check(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    doc = Document()
    doc.add_paragraph("BÁO CÁO").runs[0].bold = True
    doc.add_paragraph("A. TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG").runs[0].bold = True
    doc.add_paragraph("1. Tình hình chung").runs[0].bold = True
    for text in HOSTILE:
        doc.add_paragraph(text)
    source = tmp_path / "doc-hai.docx"
    doc.save(str(source))
    result = run_cli(repo, "import", str(source), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    check = run_cli(repo, "check")
    assert check.returncode == 0, check.stdout
    assert not [line for line in check.stdout.splitlines() if Q2 in line and "section-missing" not in line], \
        check.stdout
    body = (repo / Q2 / "tinh-hinh-chung.md").read_text(encoding="utf-8").split("---", 2)[2]
    html = markdown.markdown(body, extensions=["tables", "fenced_code"])
    for tag in ("<script", "<a ", "<img", "<hr", "<blockquote", "<pre", "<ol", "<ul", "<h1", "<em", "<code",
                "<!--"):
        assert tag not in html, (tag, html)
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.S)
    assert len(paragraphs) == len(HOSTILE), html
    from lxml import html as lxml_html

    shown = [lxml_html.fragment_fromstring(p, create_parent="div").text_content() for p in paragraphs]
    assert shown == HOSTILE


def test_a_file_name_cannot_inject_front_matter(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    doc = Document()
    doc.add_paragraph("Mở đầu.")
    name = "bao-cao\nstatus: issued\nnumber: 1-BC\n\u2028title: x\u202e.docx"
    source = tmp_path / name
    doc.save(str(source))
    result = run_cli(repo, "import", str(source), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    index = (repo / Q2 / "index.md").read_text(encoding="utf-8")
    front = index.split("\n---\n", 1)[0]
    assert "\nstatus: draft" in front and "status: issued" not in front.replace('\\nstatus: issued', "")
    assert '"bao-cao\\nstatus: issued\\nnumber: 1-BC\\n\\u2028title: x\\u202e.docx"' in front, front
    check = run_cli(repo, "check")
    assert check.returncode == 0, check.stdout
    assert not [line for line in check.stdout.splitlines() if Q2 in line and "section-missing" not in line]


def test_characters_the_check_refuses_are_left_out_with_a_warning(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    doc = Document()
    doc.add_paragraph("Kết nạp \u202e01\u202c đảng\u200bviên\x85 mới.")
    source = tmp_path / "an.docx"
    doc.save(str(source))
    result = run_cli(repo, "import", str(source), "--period", "2025-Q2")
    assert result.returncode == 0, result.stderr
    assert "4 ký tự ẩn" in result.stderr, result.stderr
    assert "Kết nạp 01 đảngviên mới." in (repo / Q2 / "index.md").read_text(encoding="utf-8")
    assert run_cli(repo, "check").returncode == 0


# --- point 10 -----------------------------------------------------------------------------


def test_style_lookups_do_not_grow_with_the_paragraphs(tmp_path, monkeypatch):
    """python-docx looks a style up by walking every style; the import asks once per style,
    not about ten times per paragraph (10,000 paragraphs took 103 s)."""
    from docx.styles.styles import Styles

    doc = Document()
    for index in range(300):
        paragraph = doc.add_paragraph(style="List Bullet" if index % 3 else None)
        paragraph.add_run(f"Đoạn {index} ")
        paragraph.add_run("đậm").bold = True
    source = tmp_path / "dai.docx"
    doc.save(str(source))
    calls = []
    original = Styles.get_by_id

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Styles, "get_by_id", counting)
    lines = reading.read_lines(opening.open_document(source))
    assert len(lines) == 300
    assert len(calls) < 20, len(calls)


def test_longer_files_are_refused_in_vietnamese(tmp_path, monkeypatch):
    assert opening.MAX_PARAGRAPHS == 10_000
    monkeypatch.setattr(opening, "MAX_PARAGRAPHS", 40)
    repo = copy_repo(tmp_path / "repo")
    doc = Document()
    for index in range(41):
        doc.add_paragraph(f"Đoạn {index}.")
    source = tmp_path / "dai.docx"
    doc.save(str(source))
    with pytest.raises(word_import.ImportFailed, match="41 đoạn.*tối đa 40 đoạn"):
        word_import.import_file(repo, source, Period.parse("2025-Q2"))
    assert not (repo / Q2).exists()


# --- point 11 -----------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_png())

    def log_message(self, *args) -> None:
        pass


def _png() -> bytes:
    from test_docx import _png as png

    return png()


def _linked_picture_docx(path: Path, url: str) -> Path:
    """A .docx whose only picture is linked (not embedded): Word fetches it from ``url``."""
    doc = Document()
    doc.add_paragraph("Mở đầu có ảnh liên kết.")
    doc.add_paragraph().add_run().add_picture(str(_png_file(path.parent)))
    doc.save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = re.sub(r'Target="media/[^"]+"', f'Target="{url}" TargetMode="External"', rels)
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"r:embed=", b"r:link=")
    parts = {name: data for name, data in parts.items() if not name.startswith("word/media/")}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _png_file(folder: Path) -> Path:
    path = folder / "a.png"
    path.write_bytes(_png())
    return path


@pytest.fixture
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()
    server.server_close()


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed: tests/install.sh must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (run tests/install.sh)")
    return found


def _to_doc(soffice: str, source: Path, out: Path) -> Path:
    """``source`` converted to .doc (Word 97-2003) by LibreOffice, with no network."""
    profile = (out / "lo-make").as_uri()
    subprocess.run(["unshare", "--net", "--map-root-user", soffice, f"-env:UserInstallation={profile}",
                    "--headless", "--convert-to", "doc", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out / (source.stem + ".doc")


def test_doc_conversion_makes_no_request(tmp_path, recorder):
    soffice = _soffice()
    base, seen = recorder
    url = f"{base}/anh-lien-ket.png"
    doc = _to_doc(soffice, _linked_picture_docx(tmp_path / "lien-ket.docx", url), tmp_path)
    assert doc.read_bytes().startswith(opening.OLE_MAGIC) and url.encode("utf-16-le") in doc.read_bytes()
    # Without the precautions LibreOffice does fetch the picture (so this test means something).
    profile = (tmp_path / "lo-open").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                    "--outdir", str(tmp_path / "open"), str(doc)], check=True, capture_output=True, timeout=180)
    assert seen, "LibreOffice did not fetch the linked picture: the test proves nothing"
    seen.clear()
    repo = copy_repo(tmp_path / "repo")
    result = run_cli(repo, "import", str(doc), "--period", "2025-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Mở đầu có ảnh liên kết." in (repo / Q2 / "index.md").read_text(encoding="utf-8")
    assert seen == [], seen
