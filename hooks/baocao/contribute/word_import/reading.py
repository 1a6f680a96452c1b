"""Reading the Word file's OOXML into :class:`~.lines.Line` s: every paragraph and table of
the body in order (also inside content controls, tracked insertions and text boxes), each
run's text in Unicode (runs in the old TCVN3 and VNI fonts converted by their font name:
:mod:`baocao.load.legacy_fonts`), its bold and italic, Word's own numbering and line breaks;
the header and signature layout tables as lines of their own zone; a sentence cut by a page
break joined again.
"""

from __future__ import annotations

import unicodedata

from baocao.contribute.word_import.lines import LIST, Line, emphasis, escape, safe_start
from baocao.load import characters, legacy_fonts
from baocao.textfold import fold

_CLOSING = (".", "!", "?", ":", ";", "…", ")", '"', "”")


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
    markdown = "".join(emphasis(escape(text), bold and not all_bold, italic) for text, bold, italic in pieces)
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
    listed = numbered or bool(LIST.match(plain)) or style.startswith("List Bullet")
    if listed:
        markdown = "- " + safe_start(LIST.sub("", markdown, count=1).lstrip())
        plain = LIST.sub("", plain, count=1)
    else:
        markdown = safe_start(markdown)
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
        listed = bool(LIST.match(part))
        text = LIST.sub("", part, count=1) if listed else part
        out.append(Line(text, safe_start(escape(text)), line.bold, zone=line.zone, listed=listed or line.listed))
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
