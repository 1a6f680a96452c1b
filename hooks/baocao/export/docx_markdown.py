"""Contributor Markdown into Word paragraphs, runs and tables.

The Markdown is converted by Python-Markdown (the site's own ``tables`` extension), and
the HTML tree it gives (parsed by lxml, which python-docx already needs) is walked:
paragraphs, headings, lists (items drawn as "- " or "1. " lines, as Party documents
write them), bold, italic, code, line breaks, tables, block quotes. Raw HTML the
contributor may have written keeps its text and loses its tags; comments are dropped,
as on the site.

Laid out as the print stylesheet lays out the same text (see :mod:`.docx`): white space
collapsed as a browser collapses it, a label (a one-item list ending with a colon, "- Kết
quả đạt được:") kept with what follows, tables the text's width with a repeated head row and rows
that never split, cells in 12 pt on an exact 15 pt pitch; a document number such as
``51-CT/TW`` keeps its hyphen non-breaking.
"""

from __future__ import annotations

import re

import markdown
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

INLINE_BOLD = {"strong", "b"}
INLINE_ITALIC = {"em", "i"}
BLOCKS = {"p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "div",
          "dl"}
#: Table cells: 12 pt text, exactly 15 pt a line (print: the same).
CELL_PT = 12
CELL_PITCH_PT = 15
#: The hyphen of a document number (``51-CT/TW``, ``1965-QĐ/TU``, ``1-BTCTW``): digits, a
#: hyphen, a capital letter. The print does the same in baocao-print.js.
DOCUMENT_NUMBER_HYPHEN = re.compile(r"(?<=\d)-(?=[A-ZĐ])")
_SPACES = re.compile(r"[ \t\r\n]+")


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"], output_format="html")


def add_markdown(doc, text: str) -> None:
    """Append ``text`` (Markdown) to ``doc`` (a python-docx Document or cell)."""
    source = to_html(text)
    if not source.strip():
        return
    root = lxml_html.fragment_fromstring(source, create_parent="div")
    _blocks(doc, root, indent=0)


def _blocks(doc, element, indent: int) -> None:
    loose: list = []  # inline content met between blocks (raw HTML, stray text)
    if element.text and element.text.strip():
        loose.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCKS:
            if loose:
                _inline_paragraph(doc, loose)
                loose = []
            _block(doc, child, indent)
        elif tag:
            loose.append(child)
        if child.tail and child.tail.strip():
            loose.append(child.tail)
    if loose:
        _inline_paragraph(doc, loose)


def _inline_paragraph(doc, parts: list) -> None:
    paragraph = doc.add_paragraph()
    for part in parts:
        if isinstance(part, str):
            _run(paragraph, part, False, False, False)
        else:
            _inline(paragraph, part, False, False, False, with_tail=False)


def _block(doc, element, indent: int) -> None:
    tag = element.tag
    if tag == "p":
        paragraph = doc.add_paragraph()
        _inline_content(paragraph, element)
    elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
        _inline_content(paragraph, element, bold=True)
    elif tag in ("ul", "ol"):
        _list(doc, element, indent, ordered=tag == "ol")
    elif tag == "table":
        _table(doc, element)
    elif tag == "blockquote":
        _blocks(doc, element, indent + 1)
    elif tag == "pre":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(0)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        lines = element.text_content().rstrip("\n").split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.name = "Courier New"
            run.font.size = Pt(11)
            if index < len(lines) - 1:
                run.add_break()
    elif tag == "hr":
        paragraph = doc.add_paragraph("* * *")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:  # div, dl: their children
        _blocks(doc, element, indent)


def _list(doc, element, indent: int, ordered: bool) -> None:
    start = int(element.get("start", "1") or 1) if ordered else 1
    items = [c for c in element if c.tag == "li"]
    for number, item in enumerate(items, start=start):
        marker = f"{number}. " if ordered else "- "
        paragraph = doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.left_indent = Mm(10 * indent)
        if is_label(items):  # "- Kết quả đạt được:" stays with its text
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
        _run(paragraph, marker, False, False, False)
        # An item's first paragraph (loose list) or its inline text (tight list) is the line;
        # nested lists and further paragraphs follow.
        rest = []
        if item.text and item.text.strip():
            _run(paragraph, item.text.lstrip(), False, False, False)
        first = True
        for child in item:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "p" and first and not (item.text and item.text.strip()):
                _inline_content(paragraph, child)
                first = False
                if child.tail and child.tail.strip():
                    _run(paragraph, child.tail, False, False, False)
                continue
            first = False
            if tag in BLOCKS:
                rest.append(child)
            elif tag:
                _inline(paragraph, child, False, False, False)
            elif child.tail and child.tail.strip():
                _run(paragraph, child.tail, False, False, False)
        for child in rest:
            _block(doc, child, indent + 1)


def is_label(items: list) -> bool:
    """A list of one item ending with a colon ("- Kết quả đạt được:") is a label for the
    text after it (baocao-print.js marks the same lists in print)."""
    return len(items) == 1 and items[0].text_content().strip().endswith(":")


def _table(doc, element) -> None:
    rows = [tr for tr in element.iter("tr")]
    if not rows:
        return
    width = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
    table = new_table(doc, width, rows=0)
    for tr in rows:
        row = add_row(table)
        if tr.getparent() is not None and tr.getparent().tag == "thead":
            repeat_header(row)
        for cell, source in zip(row.cells, [c for c in tr if c.tag in ("td", "th")], strict=False):
            paragraph = cell.paragraphs[0]
            _plain_cell(paragraph)
            align = (source.get("style") or source.get("align") or "")
            if "right" in align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif "center" in align or (source.tag == "th" and not align):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _inline_content(paragraph, source, bold=source.tag == "th")
            for run in paragraph.runs:
                run.font.size = Pt(CELL_PT)
    after_table(doc)


def new_table(doc, columns: int, rows: int = 1):
    """A bordered table ("Table Grid": 0.5 pt rules) exactly the text's width, centred:
    it never reaches into the margins, and its columns follow their content in Word."""
    table = doc.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.insert_element_before(width, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                         "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                         "w:tblCaption", "w:tblDescription")
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    for row in table.rows:
        cant_split(row)
    return table


def add_row(table):
    """A row that is never split across two pages (print: ``break-inside: avoid``)."""
    row = table.add_row()
    cant_split(row)
    return row


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def repeat_header(row) -> None:
    """The row is repeated at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def after_table(doc) -> None:
    """The 6 pt gap after a table (Word needs a paragraph between two tables anyway)."""
    fmt = doc.add_paragraph().paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(6)


def _plain_cell(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(CELL_PITCH_PT)
    fmt.widow_control = False


def cell_text(cell, text: str, bold: bool = False, right: bool = False, center: bool = False,
              size: float = CELL_PT) -> None:
    """Plain text in a table cell (figures tables: never Markdown)."""
    paragraph = cell.paragraphs[0]
    _plain_cell(paragraph)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = add_text_run(paragraph, text)
    run.bold = bold or None
    run.font.size = Pt(size)


def add_text_run(paragraph, text: str):
    """A run of ``text`` whose document numbers keep their hyphen on one line
    (``w:noBreakHyphen``, which Word draws as a hyphen and reads back as one)."""
    run = paragraph.add_run()
    pieces = DOCUMENT_NUMBER_HYPHEN.split(text)
    for index, piece in enumerate(pieces):
        if index:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            run._r.add_t(piece)
    return run


def _collapse(paragraph, text: str) -> str:
    """White space as a browser collapses it: one space for any run of spaces and line
    ends, none at the start of a paragraph or after a space already written."""
    text = _SPACES.sub(" ", text)
    if text.startswith(" "):
        runs = paragraph.runs
        if not runs or runs[-1].text.endswith((" ", "\n")) or not runs[-1].text:
            text = text[1:]
    return text


def _inline_content(paragraph, element, bold: bool = False, italic: bool = False) -> None:
    if element.text:
        _run(paragraph, element.text, bold, italic, False)
    for child in element:
        _inline(paragraph, child, bold, italic, False)


def _inline(paragraph, element, bold: bool, italic: bool, code: bool, with_tail: bool = True) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag:  # comments and processing instructions keep only their tail
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag == "img":  # pictures stay on the site; the file names them
            alt = (element.get("alt") or "").strip()
            _run(paragraph, f"[Hình: {alt}]" if alt else "[Hình]", bold, italic, False)
        else:
            b = bold or tag in INLINE_BOLD
            i = italic or tag in INLINE_ITALIC
            c = code or tag == "code"
            if element.text:
                _run(paragraph, element.text, b, i, c, sub=tag == "sub", sup=tag == "sup")
            for child in element:
                _inline(paragraph, child, b, i, c)
    if with_tail and element.tail:
        _run(paragraph, element.tail, bold, italic, code)


def _run(paragraph, text: str, bold: bool, italic: bool, code: bool, sub: bool = False, sup: bool = False):
    text = _collapse(paragraph, text)
    if not text:
        return None
    run = add_text_run(paragraph, text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if code:
        run.font.name = "Courier New"
    if sub:
        run.font.subscript = True
    if sup:
        run.font.superscript = True
    return run
