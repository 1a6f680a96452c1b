"""A paragraph of the Word file as read (:class:`Line`), and Word text written as Markdown
that shows it as written: escaped, its emphasis kept, a paragraph kept a paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LIST = re.compile(r"^\s*[-–•+*]\s+")


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


_ESCAPE = re.compile(r"([\\`*_\[\]{}])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Text as Markdown that shows it as written: emphasis, links, code, attribute lists
    escaped; ``<`` and entity-like ``&`` as entities (Python-Markdown has no escape for
    them), so no raw HTML and nothing the check refuses comes out of a Word text."""
    return _ENTITY.sub("&amp;", _ESCAPE.sub(r"\\\1", text)).replace("<", "&lt;")


def safe_start(markdown: str) -> str:
    """A paragraph that must stay a paragraph: a leading ``#``, ``>``, ``-``, ``+``, ``1.``
    or ``~~~`` would make a heading, a quote, a list, a rule or a code block."""
    if markdown[:1] in ("#", ">", "-", "+"):
        return "\\" + markdown
    if markdown.startswith("~"):
        return "&#126;" + markdown[1:]
    return _NUMBERED.sub(r"\1\\\2", markdown)


def emphasis(text: str, bold: bool, italic: bool) -> str:
    if not text.strip() or not (bold or italic):
        return text
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    mark = "***" if bold and italic else "**" if bold else "*"
    return f"{lead}{mark}{core}{mark}{trail}"

