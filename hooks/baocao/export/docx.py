"""A report as an official Word file (.docx), drawn from the assembled document.

Reads :func:`baocao.compile.document.assemble` (the same document the HTML page shows) and
lays it out as Hướng dẫn 36-HD/VPTW asks (``shared/reference/domain.md`` §1): A4, margins
20/20/30/15 mm, Times New Roman 14 pt justified with a first-line indent, the two-column
header as a borderless table, BÁO CÁO and the subject, the numbered parts, figures tables
as real Word tables, Nơi nhận and the signature in a borderless table kept on one page,
page numbers from page 2. Contributor Markdown is converted by Python-Markdown and the
resulting HTML tree is walked into Word paragraphs, runs and tables (:mod:`.docx_markdown`).

Values the reference marks unconfirmed (margins, spacing, indent) carry ``[UNCONFIRMED]``
as in the print stylesheet, and match it. The vertical measures are the print stylesheet's
too (``baocao-print.css``, "one vertical rhythm"): every line exactly ``PITCH_PT`` high,
space after paragraphs only, the same heights for the header, the title and the signature
block, the same "keep with next" rules; so the Word file and the PDF break their pages at
the same lines (tested through LibreOffice against Chromium's print).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baocao.compile import tables
from baocao.compile.document import Document, Part, Text, assemble
from baocao.compile.sitemap import download_name
from baocao.export import docx_markdown as md
from baocao.export import docx_package, write_file
from baocao.model import Archive, Report
from baocao.vnformat import date_header

FONT = docx_package.FONT
BODY_PT = 14
#: [UNCONFIRMED] third-party values, as in baocao-print.css.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
INDENT_MM = 10
#: Every line of the document is exactly this high (print: ``line-height: 18pt``).
PITCH_PT = 18
SPACE_AFTER_PT = 6
#: Blank number and date as on an unnumbered draft (non-breaking spaces stay put).
BLANK = "\u00a0" * 5
#: Printed under a part whose section is missing (the import skips it).
MISSING = "(Chưa có nội dung phần này.)"
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]


def docx_name(report: Report) -> str:
    return download_name(report, "docx")


def _style_font(style, size: float) -> None:
    """Times New Roman for every script (Latin, complex, East Asian) and no theme font, so
    Vietnamese never falls back to another face."""
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_PT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), docx_package.LANGUAGE)
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(INDENT_MM)
    fmt.line_spacing = Pt(PITCH_PT)  # a length: "exactly"
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(SPACE_AFTER_PT)
    fmt.widow_control = True
    # Headings: Word's own styles (the navigation pane and the import recognise them),
    # drawn as the official body headings: 14 pt bold, black, indented like the text. They
    # name no font: they take Normal's (docx_package removes the template's).
    for level in (1, 2, 3, 4):
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(BODY_PT)
        style.font.bold = True
        style.font.italic = False
        pf = style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = Mm(INDENT_MM)
        pf.space_before = Pt(0)
        pf.space_after = Pt(SPACE_AFTER_PT)
        pf.line_spacing = Pt(PITCH_PT)
        pf.keep_with_next = True
        pf.keep_together = True


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers from page 2, centred in the top margin; the first page's header is empty.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Mm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(PITCH_PT)
    _field(paragraph, "PAGE", "2")
    section.first_page_header.paragraphs[0].text = ""


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``) with a cached value, as Word writes it."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


#: Children of ``w:tblPr`` in the order the OOXML schema requires (Word repairs a file
#: whose elements are out of order).
TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
                "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _tbl_pr_set(table, element) -> None:
    """Put ``element`` into the table's properties, replacing one of its kind, in schema order."""
    tbl_pr = table._tbl.tblPr
    name = element.tag.split("}")[1]
    for old in tbl_pr.findall(element.tag):
        tbl_pr.remove(old)
    rank = TBL_PR_ORDER.index(name)
    for index, child in enumerate(tbl_pr):
        child_name = child.tag.split("}")[1]
        if child_name in TBL_PR_ORDER and TBL_PR_ORDER.index(child_name) > rank:
            tbl_pr.insert(index, element)
            return
    tbl_pr.append(element)


def _borderless(table, top_pt: float = 0) -> None:
    """No borders and no cell padding (but ``top_pt`` above the text): a layout table
    (header, signature)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _tbl_pr_set(table, borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top_pt), ("left", 0), ("bottom", 0), ("right", 0)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Pt(size).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _tbl_pr_set(table, margins)


def _widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    width.set(qn("w:type"), "dxa")
    _tbl_pr_set(table, width)
    grid = table._tbl.tblGrid
    for col, size in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(size).twips)))
    for row in table.rows:
        for cell, size in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(size)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    tr_pr.append(element)


def _line(cell_or_doc, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
          underline: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False,
          keep: bool = False, space_after: float = 0, pitch: float = PITCH_PT):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(pitch)
    if keep:
        fmt.keep_with_next = True
    if text:
        run = md.add_text_run(paragraph, text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        run.underline = underline
    return paragraph


def _header(doc, document: Document) -> None:
    head = document.header
    if document.draft:
        _line(doc, "DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(table)
    _widths(table, [88, TEXT_WIDTH_MM - 88])
    left, right = table.rows[0].cells
    number = f"Số {head.number}" if head.number else f"Số{BLANK}-BC/{head.code}"
    when = date_header(head.issued_on) if head.issued_on else f"ngày{BLANK}tháng{BLANK}năm {head.year}"
    _line(left, head.parent, first=True)
    _line(left, head.issuer, bold=True)
    _line(left, "*")
    _line(left, number)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True, first=True, space_after=12)
    _line(right, f"{head.place}, {when}", italic=True)
    _line(doc, "", space_after=6)
    _line(doc, "BÁO CÁO", size=16, bold=True, keep=True)
    _line(doc, document.subject, bold=True, keep=True, space_after=12)


def _part(doc, part: Part, archive: Archive, report: Report) -> None:
    doc.add_paragraph(part.heading, style=f"Heading {min(part.level, 4)}")
    if part.leaf and part.empty:  # as the report page says it
        paragraph = doc.add_paragraph()
        paragraph.add_run(MISSING).italic = True
    for block in part.body:
        _block(doc, block)


def _block(doc, block) -> None:
    if isinstance(block, Text):
        md.add_markdown(doc, block.markdown)
    else:
        figures_table(doc, block)


def figures_table(doc, table: tables.Table) -> None:
    """A table of compiled figures as a real Word table: caption, head row, rows."""
    if table.caption:
        _line(doc, table.caption, bold=True, keep=True, space_after=3, align=WD_ALIGN_PARAGRAPH.LEFT)
    if not table.rows:
        if table.empty:
            doc.add_paragraph(table.empty)
        return
    coded = any(row.code is not None for row in table.rows)
    head = list(table.head)
    if coded and (not head or head[0] != ""):
        head = ["", *head]  # the code column (A, B, 1 ...) has an empty heading
    grid = md.new_table(doc, len(head))
    for cell, text in zip(grid.rows[0].cells, head, strict=False):
        md.cell_text(cell, text, bold=True, center=True)
    md.repeat_header(grid.rows[0])
    for row in table.rows:
        cells = md.add_row(grid).cells
        values = ([tables.Cell(row.code or "")] if coded else []) + [row.head, *row.cells]
        strong = row.kind in ("total", "group")
        for cell, value in zip(cells, values, strict=False):
            md.cell_text(cell, value.text, bold=strong, right=value.numeric)
    md.after_table(doc)


def _end(doc, document: Document) -> None:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table, top_pt=12)
    _widths(table, [TEXT_WIDTH_MM / 2 - 5, TEXT_WIDTH_MM / 2 + 5])
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True, keep=True)
    for line in document.recipients:
        _line(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, keep=True, pitch=15)
    signature = document.signature
    if signature:
        _line(right, f"{signature.authority} {signature.body}", bold=True, first=True, keep=True)
        _line(right, signature.position, bold=True, keep=True)
        for _ in range(4):
            _line(right, "", keep=True)
        _line(right, signature.name, bold=True, keep=True)
    else:
        _line(right, "", first=True)
    # Keep the table on the page of the last lines of text.
    previous = table._tbl.getprevious()
    if previous is not None and previous.tag == qn("w:p"):
        previous.get_or_add_pPr().get_or_add_keepNext()


def build(archive: Archive, report: Report):
    """The python-docx document of ``report``."""
    document = assemble(archive, report)
    doc = new_document()
    _styles(doc)
    _page(doc)
    _header(doc, document)
    for block in document.opening:
        _block(doc, block)
    for part in document.parts:
        _part(doc, part, archive, report)
    _end(doc, document)
    docx_package.finish(doc, title=f"Báo cáo {report.period.label}", subject=document.subject,
                        author=archive.committee.name if archive.committee else "",
                        keywords="báo cáo; tổ chức cơ sở đảng", when=report.meta.issued_on)
    return doc


def to_bytes(archive: Archive, report: Report) -> bytes:
    out = io.BytesIO()
    build(archive, report).save(out)
    return out.getvalue()


def write(archive: Archive, report: Report, path: Path) -> Path:
    """Write the .docx of ``report`` to ``path`` (through a temporary file: a failure
    leaves no half-written file)."""
    return write_file(path, to_bytes(archive, report))
