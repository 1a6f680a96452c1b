"""A past report in Word (.docx, .doc) imported as a draft quarter.

``baocao import bao-cao.docx --period 2025-Q2`` reads the file with python-docx and writes
``docs/reports/2025-q2/``: ``index.md`` (header fields, subject, opening, Nơi nhận,
signer) and one draft section per leaf of the outline, their text word for word as
Markdown (paragraphs, "- " lists, bold, italic, tables).

- A ``.doc`` is first converted by LibreOffice (``soffice --convert-to docx``) when it is
  installed, with no network (a network namespace of its own, and a profile that fetches
  no linked picture and updates no link); otherwise the error says how to save it as .docx.
- The file is checked before python-docx opens it: a zip whose directory announces too
  many entries or too many bytes once unpacked (a zip bomb) is refused, so are a
  password-protected file (an OLE container, not a zip), a corrupt one, a file that is not
  Word, an empty document.
- Runs in the old TCVN3 and VNI fonts are converted to Unicode by their font name
  (:mod:`baocao.load.legacy_fonts`).
- Headings are recognised by their numbering (A., I., I-, 1., 2.1. …) when they are a Word
  heading, bold or in capitals, and matched to the outline slots by number and by title
  folded without diacritics (:func:`baocao.textfold.fold`).
- A sentence cut by a page break (a paragraph that starts in lower case after one with no
  closing punctuation) is joined.
- Nothing is dropped: text that has no slot (an unknown heading, text under a heading
  that takes no section, anything after the signature) is written at the end of
  ``index.md`` under a heading-like line that says so, and listed in a warning.

All files are prepared first and written into a new folder in one rename: an existing
quarter is never touched, and a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from baocao.contribute.scaffold import _scalar, _slug
from baocao.export.docx import MISSING
from baocao.load import characters, legacy_fonts
from baocao.model import Archive, Slot, slot_title
from baocao.periods import Period
from baocao.textfold import fold

#: Zip bomb limits, read from the zip directory before anything is unpacked.
MAX_ENTRIES = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SOFFICE_SECONDS = 120
#: Most paragraphs imported (a quarterly report has a few hundred; 10,000 take a few
#: seconds: tests/benchmarks/bench_import.py).
MAX_PARAGRAPHS = 10_000

UNPLACED_TITLE = "PHẦN CHƯA XẾP ĐƯỢC VÀO ĐỀ CƯƠNG (nhập từ Word: hãy chuyển vào đúng phần rồi xóa)"

_NUMBER = re.compile(r"^\s*(?P<num>(?:[A-ZĐ]|[IVXLC]+)\s*[.\-–]|\d+(?:\.\d+)*\.?)\s+(?P<words>\S.*)$")
_LIST = re.compile(r"^\s*[-–•+*]\s+")
_SO = re.compile(r"^\s*Số\s*:?\s*(?P<n>\d*)\s*-\s*(?P<kind>[A-ZĐ]+)\s*/\s*(?P<issuer>\S+)")
_DATE = re.compile(r"^\s*(?P<place>[^,]*?)\s*,\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{4})")
_AUTHORITY = re.compile(r"^\s*(?P<auth>T/M|K/T|T/L|TM\.?|KT\.?|TL\.?)\s+(?P<body>.+)$")
_CLOSING = (".", "!", "?", ":", ";", "…", ")", '"', "”")


class ImportFailed(Exception):
    """The file cannot be imported; the message is Vietnamese and says what to do."""


@dataclass
class Outcome:
    folder: Path
    written: list[Path]
    warnings: list[str]
    header: dict = field(default_factory=dict)
    #: the subject (trích yếu) read under BÁO CÁO, if any.
    subject: str | None = None


# --- opening the file safely -----------------------------------------------------------


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(f"{name}: tệp .docx bị hỏng, không mở được. Hãy mở lại bằng Word và lưu lại "
                           "thành tệp mới.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed(f"{name}: tệp có {len(entries)} phần bên trong, quá nhiều cho một văn bản "
                               f"(tối đa {MAX_ENTRIES}); không mở, để an toàn.")
        total = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        if total > MAX_UNPACKED or total / packed > MAX_RATIO and total > 10 * 1024 * 1024:
            raise ImportFailed(f"{name}: tệp giải nén ra tới {total // (1024 * 1024)} MB, bất thường với một "
                               "văn bản (có thể là tệp độc hại); không mở, để an toàn.")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise ImportFailed(f"{name}: đây không phải tệp Word (.docx) — không có nội dung văn bản bên trong.")
        encrypted = {"EncryptionInfo", "EncryptedPackage"} & names
        if encrypted:
            raise ImportFailed(_password(name))


def _password(name: str) -> str:
    return (f"{name}: tệp Word có đặt mật khẩu. Hãy mở bằng Word, bỏ mật khẩu (Tệp > Thông tin > "
            "Bảo vệ tài liệu > Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập lại.")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


#: LibreOffice settings of the throw-away profile (Common.xcs, Writer.xcs, Calc.xcs): no
#: macro, no active content, no picture or file linked from the document fetched, no link
#: or field updated, and a proxy that answers nothing in case anything still asks.
OFFICE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop>
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop>
 <prop oor:name="DisableActiveContent" oor:op="fuse"><value>true</value></prop>
 <prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>0</value></prop>
 <prop oor:name="Field" oor:op="fuse"><value>false</value></prop>
 <prop oor:name="Chart" oor:op="fuse"><value>false</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>1</value></prop>
</item>
<item oor:path="/org.openoffice.Inet/Settings">
 <prop oor:name="ooInetProxyType" oor:op="fuse"><value>1</value></prop>
 <prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop>
 <prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop>
 <prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop>
 <prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop>
 <prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop>
</item>
</oor:items>
"""


@functools.cache
def _no_network() -> list[str]:
    """The command prefix that runs a program with no network: a network namespace of its
    own (``unshare``, as an unprivileged user through a user namespace), where the system
    allows it; else nothing (the profile's settings still keep LibreOffice from fetching)."""
    program = shutil.which("unshare")
    for prefix in ([program, "--net", "--map-root-user"], [program, "--net"]) if program else ():
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    return []


def _convert_doc(path: Path) -> bytes:
    """A .doc converted to .docx by LibreOffice, with a profile of its own that fetches
    nothing, in a network namespace of its own where the system allows it: an untrusted
    .doc must not make this computer send requests to the addresses it names."""
    program = _soffice()
    if program is None:
        raise ImportFailed(
            f"{path.name}: tệp .doc (Word 97-2003) cần chuyển sang .docx trước. Mở tệp bằng Word, chọn "
            "Tệp > Lưu thành, chọn kiểu \"Word Document (*.docx)\", rồi nhập tệp .docx đó; hoặc cài "
            "LibreOffice (gói libreoffice-writer) để lệnh tự chuyển.")
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as work:
        folder = Path(work)
        source = folder / "in.doc"
        shutil.copyfile(path, source)
        (folder / "profile" / "user").mkdir(parents=True)
        (folder / "profile" / "user" / "registrymodifications.xcu").write_text(OFFICE_PROFILE, encoding="utf-8")
        profile = (folder / "profile").as_uri()
        environment = {key: value for key, value in os.environ.items()
                       if key in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SAL_USE_VCLPLUGIN")}
        environment.update(HOME=str(folder), no_proxy="", http_proxy="http://127.0.0.1:9",
                           https_proxy="http://127.0.0.1:9")
        try:
            subprocess.run([*_no_network(), program, f"-env:UserInstallation={profile}", "--headless",
                            "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", str(folder),
                            str(source)],
                           capture_output=True, timeout=SOFFICE_SECONDS, check=False, env=environment)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFailed(f"{path.name}: LibreOffice không chuyển được tệp .doc ({exc}). Hãy mở bằng "
                               "Word và lưu thành .docx.") from exc
        out = folder / "in.docx"
        if not out.exists():
            raise ImportFailed(f"{path.name}: LibreOffice không chuyển được tệp .doc (tệp hỏng hoặc có mật "
                               "khẩu?). Hãy mở bằng Word và lưu thành .docx.")
        return out.read_bytes()


def read_bytes(path: Path) -> bytes:
    """The .docx bytes of ``path`` (a .doc converted), checked; ImportFailed otherwise."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: không có tệp này.") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: không đọc được tệp ({exc.strerror or exc}).") from exc
    suffix = path.suffix.lower()
    if data.startswith(OLE_MAGIC):
        # An encrypted .docx is an OLE container holding an "EncryptedPackage" stream.
        if suffix == ".docx" or "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFailed(_password(name))
        data = _convert_doc(path)
    elif suffix == ".doc" and not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word.")
    elif suffix not in (".docx", ".doc") and not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word; chỉ nhập được tệp .docx hoặc .doc.")
    if not data.startswith(ZIP_MAGIC):
        raise ImportFailed(f"{name}: đây không phải tệp Word (.docx) hoặc tệp đã hỏng.")
    _check_zip(data, name)
    return data


def open_document(path: Path):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    data = read_bytes(path)
    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as exc:
        raise ImportFailed(f"{path.name}: tệp .docx bị hỏng, không đọc được nội dung. Hãy mở lại bằng Word và "
                           "lưu thành tệp mới.") from exc
    except Exception as exc:  # lxml XMLSyntaxError and the like: a broken part
        raise ImportFailed(f"{path.name}: tệp .docx bị hỏng ({type(exc).__name__}). Hãy mở lại bằng Word và "
                           "lưu thành tệp mới.") from exc


# --- reading paragraphs ----------------------------------------------------------------


@dataclass
class Line:
    """One paragraph of the document as read: its plain text and its Markdown."""

    text: str
    markdown: str
    bold: bool = False
    heading_style: bool = False
    listed: bool = False
    #: a Markdown table (then ``text`` is its plain text).
    table: bool = False
    #: where it stands: ``body``, ``header`` (the top layout table), ``end`` (Nơi nhận, signature).
    zone: str = "body"
    cells: list[list[str]] = field(default_factory=list)
    #: numbered by Word (the number is not in the text).
    numbered: bool = False
    #: the text's lines as Word's line breaks (Shift+Enter) separate them.
    broken: list[str] = field(default_factory=list)


class _Styles:
    """Style facts of paragraphs and runs, each style looked up once: python-docx's
    ``paragraph.style`` and ``run.style`` walk the whole style list at every call (about
    ten per paragraph made 10,000 paragraphs take 100 s)."""

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn

        styles = document.styles
        self.by_id = {style.style_id: style for style in styles}
        self.default_paragraph = styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_character = styles.default(WD_STYLE_TYPE.CHARACTER)
        self.default_font = None
        fonts = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            self.default_font = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
        self._hansi = qn("w:hAnsi")
        self._facts: dict[tuple[str, str | None], tuple] = {}
        #: characters the check refuses (controls, direction overrides, zero-width) left out.
        self.removed = 0

    def _style(self, kind: str, style_id: str | None):
        style = self.by_id.get(style_id) if style_id else None
        return style or (self.default_paragraph if kind == "p" else self.default_character)

    def facts(self, kind: str, style_id: str | None) -> tuple[str, str | None, bool, bool]:
        """(name, font, bold, italic) of a paragraph (``p``) or character (``r``) style,
        following the styles it is based on."""
        key = (kind, style_id)
        found = self._facts.get(key)
        if found is None:
            style = self._style(kind, style_id)
            name = style.name if style is not None else ""
            font = bold = italic = None
            seen = 0
            while style is not None and seen < 20:
                font = font or style.font.name
                bold = style.font.bold if bold is None else bold
                italic = style.font.italic if italic is None else italic
                style = style.base_style
                seen += 1
            found = self._facts[key] = (name or "", font, bool(bold), bool(italic))
        return found

    def paragraph(self, paragraph) -> tuple[str, str | None, bool, bool]:
        ppr = paragraph._p.pPr
        return self.facts("p", ppr.style if ppr is not None else None)

    def run(self, run) -> tuple[str, str | None, bool, bool]:
        rpr = run._r.rPr
        return self.facts("r", rpr.style if rpr is not None else None)

    def font(self, run, paragraph_font: str | None) -> str | None:
        """The font of a run: its own, its character style's, its paragraph style's, the
        document default."""
        if run.font.name:
            return run.font.name
        rpr = run._r.rPr
        if rpr is not None and rpr.rFonts is not None:
            other = rpr.rFonts.get(self._hansi)
            if other:
                return other
        name, font, _, _ = self.run(run)
        if font and name != "Default Paragraph Font":
            return font
        return paragraph_font or self.default_font


_ESCAPE = re.compile(r"([\\`*_\[\]{}])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _escape(text: str) -> str:
    """Text as Markdown that shows it as written: emphasis, links, code, attribute lists
    escaped; ``<`` and entity-like ``&`` as entities (Python-Markdown has no escape for
    them), so no raw HTML and nothing the check refuses comes out of a Word text."""
    return _ENTITY.sub("&amp;", _ESCAPE.sub(r"\\\1", text)).replace("<", "&lt;")


def _safe_start(markdown: str) -> str:
    """A paragraph that must stay a paragraph: a leading ``#``, ``>``, ``-``, ``+``, ``1.``
    or ``~~~`` would make a heading, a quote, a list, a rule or a code block."""
    if markdown[:1] in ("#", ">", "-", "+"):
        return "\\" + markdown
    if markdown.startswith("~"):
        return "&#126;" + markdown[1:]
    return _NUMBERED.sub(r"\1\\\2", markdown)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    if not text.strip() or not (bold or italic):
        return text
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    mark = "***" if bold and italic else "**" if bold else "*"
    return f"{lead}{mark}{core}{mark}{trail}"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Runs inside these are not the paragraph's visible text (deleted text, text boxes).
_HIDDEN = {W + "del", W + "moveFrom", W + "txbxContent", W + "p"}


def _paragraph_runs(paragraph):
    """Every run of the paragraph's visible text, also inside hyperlinks, tracked insertions,
    fields, smart tags and content controls (python-docx's ``runs`` has only direct ones)."""
    from docx.text.run import Run

    element = paragraph._p
    for run in element.iter(W + "r"):
        ancestor = run.getparent()
        while ancestor is not None and ancestor is not element and ancestor.tag not in _HIDDEN:
            ancestor = ancestor.getparent()
        if ancestor is element:
            yield Run(run, paragraph)


def _blocks(container, parent):
    """Paragraphs and tables of a body, cell or text box in order, also inside content
    controls, custom XML and tracked insertions."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == W + "p":
            yield from _text_boxes(child, parent)
            yield Paragraph(child, parent)
        elif child.tag == W + "tbl":
            yield Table(child, parent)
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _blocks(content, parent)
        elif child.tag in (W + "customXml", W + "ins", W + "moveTo"):
            yield from _blocks(child, parent)


def _text_boxes(paragraph, parent):
    """The paragraphs of text boxes anchored in a paragraph (once: Word writes each box twice,
    as DrawingML and as a VML fallback)."""
    for box in paragraph.iter(W + "txbxContent"):
        if any(a.tag in (MC_FALLBACK, W + "txbxContent") for a in box.iterancestors()):
            continue
        yield from _blocks(box, parent)


def images(document) -> int:
    """How many pictures the document has (they are not imported)."""
    body = document.element.body
    pictures = sum(1 for _ in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"))
    return pictures + sum(1 for _ in body.iter("{urn:schemas-microsoft-com:vml}imagedata"))


def _runs(paragraph, styles: _Styles) -> tuple[str, str, bool, list[str]]:
    """Plain text, Markdown, whether every visible character is bold, and the text's lines
    as Word's line breaks (Shift+Enter) separate them."""
    pieces: list[tuple[str, bool, bool]] = []
    _, paragraph_font, bold_style, italic_style = styles.paragraph(paragraph)
    for run in _paragraph_runs(paragraph):
        text = run.text
        if not text:
            continue
        text = legacy_fonts.to_unicode(text, styles.font(run, paragraph_font))
        text = text.replace("\t", " ").replace("\r", "\n")
        if characters.SUSPECT.search(text):
            text, removed = characters.remove_refused(text)
            styles.removed += removed
        if run.bold is None or run.italic is None:
            _, _, bold_run, italic_run = styles.run(run)
        bold = run.bold if run.bold is not None else (bold_run or bold_style)
        italic = run.italic if run.italic is not None else (italic_run or italic_style)
        if pieces and pieces[-1][1] == bool(bold) and pieces[-1][2] == bool(italic):
            pieces[-1] = (pieces[-1][0] + text, pieces[-1][1], pieces[-1][2])
        else:
            pieces.append((text, bool(bold), bool(italic)))
    whole = "".join(p[0] for p in pieces)
    plain = " ".join(whole.split())
    broken = [" ".join(part.split()) for part in whole.split("\n")]
    visible = [p for p in pieces if p[0].strip()]
    all_bold = bool(visible) and all(p[1] for p in visible)
    markdown = "".join(_emphasis(_escape(text), bold and not all_bold, italic) for text, bold, italic in pieces)
    markdown = " ".join(markdown.split())
    return (unicodedata.normalize("NFC", plain), unicodedata.normalize("NFC", markdown), all_bold,
            [unicodedata.normalize("NFC", part) for part in broken if part])


def _line(paragraph, styles: _Styles, zone: str = "body") -> Line | None:
    plain, markdown, bold, broken = _runs(paragraph, styles)
    if not plain:
        return None
    style = styles.paragraph(paragraph)[0]
    heading_style = style.startswith(("Heading", "Title"))
    ppr = paragraph._p.pPr
    numbered = ppr is not None and ppr.numPr is not None and not heading_style
    listed = numbered or bool(_LIST.match(plain)) or style.startswith("List Bullet")
    if listed:
        markdown = "- " + _safe_start(_LIST.sub("", markdown, count=1).lstrip())
        plain = _LIST.sub("", plain, count=1)
    else:
        markdown = _safe_start(markdown)
    return Line(plain, markdown, bold, heading_style, listed, zone=zone, numbered=numbered, broken=broken)


def _table_lines(table, styles: _Styles) -> list[Line]:
    """A layout table (header, Nơi nhận and signature) as its cells' lines; any other table
    as one Markdown table."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.iterchildren(W + "tr"):
        # each cell once (python-docx's row.cells repeats a merged cell), then empty cells
        # for the further columns it spans, so the next cells stay in their columns
        cells: list[list[Line]] = []
        for tc in tr.iterchildren(W + "tc"):
            cells.append(_cell_lines(_Cell(tc, table), styles))
            cells.extend([] for _ in range(tc.grid_span - 1))
        rows.append(cells)
    if not rows:
        return []
    flat_text = fold(" ".join(line.text for row in rows for cell in row for line in cell))
    if "noi nhan" in flat_text or "dang cong san viet nam" in flat_text:
        zone = "end" if "noi nhan" in flat_text else "header"
        out = []
        for row in rows:
            for cell in row:
                for line in cell:
                    line.zone = zone
                    out.extend(_broken_lines(line))
                out.append(Line("", "", zone=zone))  # a cell boundary
        return out
    grid = [[" ".join(line.markdown for line in cell).replace("|", "\\|") for cell in row] for row in rows]
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    text = " ".join(" ".join(r) for r in grid)
    return [Line(text, "\n".join(lines), table=True, cells=grid)]


def _cell_lines(cell, styles: _Styles) -> list[Line]:
    """A cell's lines; a table nested in it gives its cells' lines."""
    from docx.table import Table, _Cell

    out: list[Line] = []
    for item in _blocks(cell._tc, cell):
        if isinstance(item, Table):
            for tr in item._tbl.iterchildren(W + "tr"):
                for tc in tr.iterchildren(W + "tc"):
                    out.extend(_cell_lines(_Cell(tc, item), styles))
        else:
            line = _line(item, styles)
            if line:
                out.append(line)
    return out


def _broken_lines(line: Line) -> list[Line]:
    """A paragraph of the header or of the signature block as the lines its line breaks
    (Shift+Enter) make: "Số 12-BC/ĐU", each recipient, each line of the signature."""
    if len(line.broken) < 2:
        return [line]
    out = []
    for part in line.broken:
        listed = bool(_LIST.match(part))
        text = _LIST.sub("", part, count=1) if listed else part
        out.append(Line(text, _safe_start(_escape(text)), line.bold, zone=line.zone, listed=listed or line.listed))
    return out


def read_lines(document) -> list[Line]:
    return read_document(document)[0]


def read_document(document) -> tuple[list[Line], int]:
    """The document's lines, and how many characters the check refuses were left out."""
    from docx.table import Table

    styles = _Styles(document)
    lines: list[Line] = []
    for item in _blocks(document.element.body, document._body):
        if isinstance(item, Table):
            lines.extend(_table_lines(item, styles))
        else:
            line = _line(item, styles)
            if line:
                lines.append(line)
    return _join_cut_sentences(lines), styles.removed


def _join_cut_sentences(lines: list[Line]) -> list[Line]:
    """A paragraph that starts in lower case after a body paragraph with no closing
    punctuation continues it (a sentence cut by a page break); never after a heading or a
    bold line."""
    out: list[Line] = []
    for line in lines:
        previous = out[-1] if out else None
        if (previous is not None and line.zone == previous.zone == "body" and not line.table
                and not previous.table and not line.listed and line.text[:1].islower()
                and not previous.text.rstrip().endswith(_CLOSING) and not previous.heading_style
                and not previous.bold):
            previous.text += " " + line.text
            previous.markdown += " " + line.markdown
            continue
        out.append(line)
    return out


# --- the outline -----------------------------------------------------------------------


def _number(text: str) -> str:
    """``I-`` / ``I -`` → ``I.``, ``2.1`` → ``2.1.``."""
    text = re.sub(r"\s+", "", text).replace("–", ".").replace("-", ".")
    return text if text.endswith(".") else text + "."


def _depth(number: str) -> int:
    """1 for A./II., 2 for 1., 3 for 2.1. (as slot levels)."""
    stem = number.rstrip(".")
    if not stem[:1].isdigit():
        return 1
    return stem.count(".") + 2


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def _similar(a: str, b: str) -> float:
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / max(len(left), len(right))


@dataclass
class Heading:
    number: str
    title: str
    depth: int


def heading_of(line: Line) -> Heading | None:
    if line.zone != "body" or line.table or len(line.text) > 300:
        return None
    if line.listed and not (line.numbered and line.bold):
        return None
    match = _NUMBER.match(line.text)
    if not match:
        # Word's own numbering (not in the text): matched by its title alone.
        if line.heading_style or (line.numbered and line.bold):
            return Heading("", line.text.strip(), 0)
        return None
    title = match.group("words").strip()
    letters = [c for c in title if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    if not (line.heading_style or line.bold or capitals):
        return None
    number = _number(match.group("num"))
    return Heading(number, title, _depth(number))


def _slot_titles(slot: Slot, period: Period) -> list[str]:
    titles = [slot_title(slot, period)]
    if slot.category is not None:
        titles.append(slot.category.short)
    return titles


def match_slot(heading: Heading, slots: list[Slot], period: Period, parents: dict[int, Slot],
               used: set[int]) -> Slot | None:
    """The slot a heading stands for: same numbering under the current parent and a title
    that shares words with it, or a title close enough wherever it is."""
    best, best_score = None, 0.0
    for index, slot in enumerate(slots):
        if index in used:
            continue
        title = max(_similar(heading.title, t) for t in _slot_titles(slot, period))
        same_number = slot.number == heading.number
        parent = parents.get(slot.level - 1)
        under = slot.level == 1 or (parent is not None and slot.full_number.startswith(parent.full_number))
        # the title decides; the same number under the same parent breaks near ties
        placed = same_number and under
        score = 0.0
        if (placed and title >= 0.3) or (title >= 0.75 and (slot.level == heading.depth or not heading.number)) \
                or (placed and slot.level == heading.depth and title >= 0.15):
            score = title + (0.3 if placed else 0.0)
        if score > best_score:
            best, best_score = slot, score
    return best


# --- the whole document ----------------------------------------------------------------


@dataclass
class Parsed:
    header: dict
    subject: str | None
    opening: list[str]
    sections: dict[tuple, list[str]]
    titles: dict[tuple, str]
    unplaced: list[str]
    recipients: list[str]
    signer: dict | None
    draft_mark: bool = False


def parse(lines: list[Line], archive: Archive, period: Period) -> Parsed:
    slots = archive.slots(period)
    header: dict = {}
    subject = None
    draft_mark = False
    opening: list[str] = []
    sections: dict[tuple, list[str]] = {}
    titles: dict[tuple, str] = {}
    unplaced: list[str] = []
    end: list[Line] = []
    parents: dict[int, Slot] = {}
    used: set[int] = set()
    current: list[str] = opening
    current_slot: Slot | None = None
    seen_title = False
    seen_heading = False
    waiting: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        folded = fold(line.text).strip()
        if line.zone == "end" or folded.startswith("noi nhan"):
            end.extend(lines[index - 1:])
            break
        if line.zone == "header" or (not seen_heading and _header_line(line, header)):
            if line.zone == "header":
                _header_line(line, header)
            continue
        if line.text == MISSING:  # what the export prints under a part with no section
            continue
        if not seen_heading and folded in ("du thao", "du thao lan"):
            draft_mark = True
            continue
        if not seen_title and not seen_heading and folded == "bao cao":
            seen_title = True
            if index < len(lines) and lines[index].zone == "body" and not heading_of(lines[index]):
                subject = lines[index].text
                index += 1
            continue
        heading = heading_of(line)
        slot = match_slot(heading, slots, period, parents, used) if heading is not None else None
        if heading is not None and (slot is not None or heading.number):
            if slot is not None:
                seen_heading = True
                used.add(slots.index(slot))
                parents[slot.level] = slot
                for level in list(parents):
                    if level > slot.level:
                        del parents[level]
                current_slot = slot
                if slot.is_leaf:
                    current = sections.setdefault(slot.key, [])
                    if heading.title != slot_title(slot, period):
                        titles[slot.key] = heading.title
                else:
                    current = unplaced
                    waiting = f"**{_escape(line.text)}**"
                continue
            if current_slot is not None and heading.depth > current_slot.level and current_slot.is_leaf:
                current.append(line.markdown if not line.bold else f"**{_escape(line.text)}**")
                continue
            if seen_heading or current is not opening:
                unplaced.append(f"**{_escape(line.text)}**")
                current = unplaced
                current_slot = None
                waiting = None
                continue
        if current is unplaced and waiting:
            unplaced.append(waiting)  # the heading the unplaced text stood under
            waiting = None
        current.append(line.markdown if not (line.bold and not line.listed and not line.table)
                       else f"**{_escape(line.text)}**")
    recipients, signer, rest = _end_block(end)
    unplaced.extend(rest)
    return Parsed(header, subject, opening, sections, titles, unplaced, recipients, signer, draft_mark)


def _header_line(line: Line, header: dict) -> bool:
    """Record a header field of ``line``; whether it was one."""
    text = line.text.strip()
    folded = fold(text)
    so = _SO.match(text)
    if so:
        if so.group("n"):
            header["number"] = f"{so.group('n')}-{so.group('kind')}/{so.group('issuer')}"
        return True
    date = _DATE.match(text)
    if date:
        header["place"] = date.group("place")
        if date.group("d") and date.group("m"):
            with contextlib.suppress(ValueError):
                header["issued_on"] = dt.date(int(date.group("y")), int(date.group("m")), int(date.group("d")))
        header["year"] = int(date.group("y"))
        return True
    if folded in ("dang cong san viet nam", "*", "") or line.zone == "header":
        return True
    if folded.startswith(("dang bo ", "dang uy ", "ban chap hanh ", "chi bo ", "ban thuong vu ")) and text.isupper():
        header.setdefault("bodies", []).append(text)
        return True
    return False


def _end_block(lines: list[Line]) -> tuple[list[str], dict | None, list[str]]:
    """Nơi nhận, the signer, and any text after them (kept as unplaced)."""
    recipients: list[str] = []
    signature: list[str] = []
    rest: list[str] = []
    in_recipients = False
    for line in lines:
        folded = fold(line.text).strip()
        if line.zone == "end" and not line.text:
            in_recipients = False  # a cell boundary
            continue
        if folded.startswith("noi nhan"):
            in_recipients = True
            after = line.text.split(":", 1)[1].strip() if ":" in line.text else ""
            if after:
                recipients.append(_LIST.sub("", after))
            continue
        if in_recipients and (line.listed or line.zone == "end"):
            recipients.append(line.text.strip())
            continue
        if line.zone == "end" or (not rest and (signature or _AUTHORITY.match(line.text))):
            signature.append(line.text.strip())
            in_recipients = False
            continue
        rest.append(line.markdown)
    signer = None
    if signature:
        authority = _AUTHORITY.match(signature[0])
        if authority and len(signature) >= 3:
            code = authority.group("auth").rstrip(".")
            code = {"TM": "T/M", "KT": "K/T", "TL": "T/L"}.get(code, code)
            signer = {"authority": code, "body": authority.group("body").strip(),
                      "position": signature[1], "name": signature[-1]}
        else:
            rest = signature + rest
    return recipients, signer, rest


# --- writing ---------------------------------------------------------------------------


def _front(lines: list[tuple[str, object]], comment: str = "") -> str:
    out = ["---", comment] if comment else ["---"]
    for key, value in lines:
        if isinstance(value, list):
            if not value:
                out.append(f"{key}: []")
            else:
                out.append(f"{key}:")
                out.extend(f"  - {_scalar(v)}" for v in value)
        elif isinstance(value, dict):
            out.append(f"{key}:")
            out.extend(f"  {k}: {_scalar(v)}".rstrip() for k, v in value.items())
        else:
            out.append(f"{key}: {_scalar(value)}".rstrip())
    out.append("---")
    return "\n".join(out)


def _quoted(name: str) -> str:
    """A file name in double quotes, every character that could end the comment line or that
    the check refuses written as an escape: a name is whatever the sender chose."""
    quoted = json.dumps(name, ensure_ascii=False)
    return characters.SUSPECT.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _body(blocks: list[str]) -> str:
    """Blocks as Markdown: list items of one list on consecutive lines."""
    out: list[str] = []
    for block in blocks:
        if out and block.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


def _preview(block: str) -> str:
    text = " ".join(block.replace("**", "").split())
    return text if len(text) <= 70 else text[:67] + "…"


def plan(parsed: Parsed, archive: Archive, period: Period, source: str) -> tuple[dict[str, str], list[str]]:
    """File name -> text of the new quarter, and the warnings."""
    warnings: list[str] = []
    # File names as the nearest report has them (past reports are often imported before
    # the ones already in the archive, so a later one will do).
    earlier = [r for r in archive.reports if r.period < period]
    later = [r for r in archive.reports if r.period > period]
    previous = earlier[-1] if earlier else later[0] if later else None
    header = parsed.header
    subject = parsed.subject
    standard = f"Tình hình hoạt động của tổ chức cơ sở đảng {period.long_label}"
    meta: list[tuple[str, object]] = [("period", period.key), ("status", "draft")]
    if subject and " ".join(subject.split()) != standard:
        meta.append(("title", " ".join(subject.split())))
    number = header.get("number")
    if number and re.match(r"^\d+-BC/[^\s]+$", number):
        meta.append(("number", number))
    if header.get("issued_on"):
        meta.append(("issued_on", header["issued_on"]))
    if parsed.signer:
        meta.append(("signer", parsed.signer))
    meta.append(("recipients", parsed.recipients))
    files: dict[str, str] = {}
    body = _body(parsed.opening)
    if parsed.unplaced:
        body += ("\n\n" if body else "") + f"**{UNPLACED_TITLE}**\n\n" + _body(parsed.unplaced)
        listing = "; ".join(_preview(b) for b in parsed.unplaced[:12])
        more = f" (và {len(parsed.unplaced) - 12} đoạn nữa)" if len(parsed.unplaced) > 12 else ""
        warnings.append(f"{len(parsed.unplaced)} đoạn không xếp được vào phần nào của đề cương, đã ghi ở cuối "
                        f"index.md dưới dòng \"{UNPLACED_TITLE}\": {listing}{more}")
    comment = (f"# Báo cáo {period.label} nhập từ tệp Word {_quoted(source)} (dự thảo): hãy đọc lại, điền "
               "as_of, responds_to, rồi đổi status khi ban hành.")
    files["index.md"] = _front(meta, comment) + "\n\n" + body + "\n"
    names: set[str] = set()
    empty = []
    for slot in archive.slots(period):
        if not slot.is_leaf:
            continue
        name = _slug(archive, slot, previous)
        while name in names:
            name += "-2"
        names.add(name)
        fields: list[tuple[str, object]] = [("part", slot.part.id)]
        if slot.category is not None:
            fields.append(("category", slot.category.id))
        if slot.key in parsed.titles:
            fields.append(("title", parsed.titles[slot.key]))
        fields += [("contributor", None), ("status", "draft")]
        blocks = parsed.sections.get(slot.key, [])
        if not blocks:
            empty.append(f"{slot.full_number} {slot_title(slot, period)}")
        files[f"{name}.md"] = _front(fields) + "\n\n" + _body(blocks) + ("\n" if blocks else "")
    if empty:
        warnings.append("Bản Word không có nội dung cho các phần: " + "; ".join(empty)
                        + ". Các tệp này được tạo trống.")
    return files, warnings


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _stated_period(subject: str) -> Period | None:
    """The quarter a subject names ("… quý II năm 2025", "quý II/2025")."""
    match = re.search(r"quý\s+(IV|III|II|I)\s*(?:năm\s*|/\s*)(\d{4})", subject, re.IGNORECASE)
    if not match:
        return None
    return Period(int(match.group(2)), _ROMAN[match.group(1).upper()])


def import_file(root: Path, path: Path, period: Period) -> Outcome:
    """Import ``path`` as the draft of ``period`` under ``root``; ImportFailed on bad input
    (then nothing is written)."""
    from baocao.check import run_check

    folder = root / "docs" / "reports" / period.slug
    if folder.exists():
        raise ImportFailed(f"Đã có thư mục {folder.relative_to(root).as_posix()} của báo cáo {period.label}: "
                           "không ghi đè. Hãy chọn kỳ khác hoặc xóa thư mục đó trước.")
    document = open_document(path)
    paragraphs = sum(1 for _ in document.element.body.iter(W + "p"))
    if paragraphs > MAX_PARAGRAPHS:
        raise ImportFailed(f"{path.name}: văn bản có {paragraphs} đoạn, quá dài cho một báo cáo (tối đa "
                           f"{MAX_PARAGRAPHS} đoạn); không nhập. Hãy kiểm tra lại có đúng tệp báo cáo không, "
                           "hoặc tách thành nhiều tệp.")
    lines, removed = read_document(document)
    if not any(line.text.strip() for line in lines):
        raise ImportFailed(f"{path.name}: văn bản trống, không có chữ nào để nhập.")
    archive = run_check(root).archive
    if archive.report(period) is not None:
        raise ImportFailed(f"Đã có báo cáo {period.label}: không ghi đè.")
    parsed = parse(lines, archive, period)
    files, warnings = plan(parsed, archive, period, path.name)
    if removed:
        warnings.append(f"Bản Word có {removed} ký tự ẩn không được phép (ký tự điều khiển, ký tự đảo chiều chữ, "
                        "ký tự vô hình giữa từ): đã bỏ khi nhập.")
    pictures = images(document)
    if pictures:
        warnings.append(f"Bản Word có {pictures} hình ảnh: hình ảnh không được nhập, hãy thêm lại nếu cần.")
    stated = _stated_period(parsed.subject or "")
    if stated is not None and stated != period:
        warnings.append(f"Trích yếu ghi {stated.label}, khác kỳ {period.label} đã chọn (--period {period.key}); "
                        "hãy kiểm tra lại.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{period.slug}-import-", dir=folder.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if folder.exists():
            raise ImportFailed(f"Đã có thư mục {folder.relative_to(root).as_posix()}: không ghi đè.")
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written = [folder / name for name in files]
    return Outcome(folder, written, warnings, parsed.header, parsed.subject)
