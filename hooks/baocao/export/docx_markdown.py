"""Contributor Markdown into Word paragraphs, runs and tables.

The Markdown is converted by Python-Markdown (the site's own ``tables`` extension), and
the HTML tree it gives (parsed by lxml, which python-docx already needs) is walked:
paragraphs, headings, lists (items drawn as "- " or "1. " lines, as Party documents
write them), bold, italic, code, line breaks, tables, block quotes. Raw HTML the
contributor may have written keeps its text and loses its tags; comments are dropped,
as on the site.
"""

from __future__ import annotations

import markdown
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from lxml import html as lxml_html

INLINE_BOLD = {"strong", "b"}
INLINE_ITALIC = {"em", "i"}
BLOCKS = {"p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "div",
          "dl"}


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
    for number, item in enumerate((c for c in element if c.tag == "li"), start=start):
        marker = f"{number}. " if ordered else "- "
        paragraph = doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.left_indent = Mm(10 * indent)
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


def _table(doc, element) -> None:
    rows = [tr for tr in element.iter("tr")]
    if not rows:
        return
    width = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for tr in rows:
        cells = table.add_row().cells
        for cell, source in zip(cells, [c for c in tr if c.tag in ("td", "th")], strict=False):
            paragraph = cell.paragraphs[0]
            _plain_cell(paragraph)
            align = (source.get("style") or source.get("align") or "")
            if "right" in align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif "center" in align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _inline_content(paragraph, source, bold=source.tag == "th")
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _plain_cell(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def cell_text(cell, text: str, bold: bool = False, right: bool = False, center: bool = False,
              size: float = 12) -> None:
    """Plain text in a table cell (figures tables: never Markdown)."""
    paragraph = cell.paragraphs[0]
    _plain_cell(paragraph)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)


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
    text = " ".join(text.split("\n"))
    if not paragraph.runs:
        text = text.lstrip()
    if not text:
        return None
    run = paragraph.add_run(text)
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
