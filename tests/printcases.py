"""Shared by the print and Word tests: LibreOffice's PDF of a Word file, the lines of each
page of a PDF, and a report crafted to meet pagination's edge cases (a document number at
every place near a line's end, a contributor's table with long cells, the generated tables)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, copy_repo

SOFFICE = shutil.which("soffice")
#: The print stylesheet's font, Liberation Serif 2.1.5 (Times New Roman's metrics, with
#: Vietnamese): LibreOffice is given it too, whatever the machine has (Debian's
#: fonts-liberation 1.07 has no Vietnamese letters).
FONTS = ROOT / "overrides" / "assets" / "fonts"


def word_pdfs(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """Each .docx converted to PDF by LibreOffice headless (one run, a profile of its own),
    Times New Roman given as the bundled Liberation Serif."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed: tests/install.sh must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice not installed (run tests/install.sh)")
    out_dir.mkdir(parents=True, exist_ok=True)
    conf = fontconfig(out_dir, FONTS, "/etc/fonts/fonts.conf")
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, docx_paths)], check=True, capture_output=True,
                   timeout=300, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    pdfs = [out_dir / (path.stem + ".pdf") for path in docx_paths]
    assert all(pdf.exists() for pdf in pdfs)
    return pdfs


def fontconfig(folder: Path, fonts: Path, include: str) -> Path:
    """A fontconfig file (for ``FONTCONFIG_FILE``) that adds the folder ``fonts`` to what
    ``include`` gives (``/etc/fonts/conf.d``: the rules only; ``/etc/fonts/fonts.conf``:
    the system's fonts too)."""
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <include ignore_missing="yes">{include}</include>
  <cachedir>{folder / "fc-cache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return conf


def page_lines(pdf: Path) -> list[list[str]]:
    """The text lines of each page, the page number at its top left out."""
    pages = []
    for number, page in enumerate(PdfReader(str(pdf)).pages, start=1):
        text = page.extract_text().replace("\xa0", " ").replace("\u2011", "-")
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        if lines and lines[0] == str(number):
            lines = lines[1:]
        pages.append(lines)
    return pages


def first_words(pdf: Path, count: int = 6) -> list[str]:
    """The first words of each page."""
    return [" ".join(" ".join(lines).split()[:count]) for lines in page_lines(pdf)]


#: "…theo Chỉ thị số 51-CT/TW…" after a run of letters one letter longer each time: in one
#: of them the number reaches the end of the line exactly where its hyphen could break.
DOCUMENT_NUMBERS = "\n\n".join(f"{'n' * width} theo Chỉ thị số 51-CT/TW ngày 08/8/2025 của Ban Bí thư."
                               for width in range(30, 62))
CONTRIBUTOR_TABLE = """| Nội dung công việc đã thực hiện trong quý | Kết quả thực hiện và những khó khăn, vướng mắc còn tồn tại | Tỷ lệ |
| --- | --- | ---: |
| Tuyên truyền, quán triệt các văn bản của Trung ương, Thành ủy và Đảng ủy xã đến toàn thể cán bộ, đảng viên | Hoàn thành đúng tiến độ; một số chi bộ tổ chức sinh hoạt chuyên đề còn chậm do địa bàn rộng, đảng viên đi làm ăn xa | 100% |
| Thu nhận thẻ đảng viên trên phần mềm phục vụ công tác đổi thẻ theo Chỉ thị số 51-CT/TW | Đã thu nhận đầy đủ hồ sơ của các chi bộ trực thuộc | 98,5% |
"""
TABLE_MARKERS = "\n\n".join(f"<!-- baocao:table {name} -->" for name in ("structure", "summary", "members",
                                                                          "documents"))


def crafted_repo(dest: Path) -> Path:
    """A copy of the shipped repository whose last section also holds the document numbers,
    a contributor's table and the generated tables."""
    repo = copy_repo(dest)
    section = repo / "docs" / "reports" / "2025-q3" / "de-xuat.md"
    text = section.read_text(encoding="utf-8").rstrip("\n")
    section.write_text(f"{text}\n\n{DOCUMENT_NUMBERS}\n\n{CONTRIBUTOR_TABLE}\n{TABLE_MARKERS}\n", encoding="utf-8")
    return repo


def broken_numbers(pages: list[list[str]]) -> list[str]:
    """Lines that end inside a document number (at its hyphen)."""
    lines = [line for page in pages for line in page]
    return [f"{a} / {b}" for a, b in zip(lines, lines[1:], strict=False)
            if a.endswith("51-") or b.startswith("CT/TW")]
