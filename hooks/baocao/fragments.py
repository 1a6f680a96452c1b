"""Ready-made HTML carried through Markdown, search indexing and templates untouched.

Python-Markdown parses every raw HTML block tag by tag, and the search plugin parses every
page's HTML again: large generated tables and charts were the slowest part of a build. A
fragment travels instead as one HTML comment holding its HTML in base64 (one token for
each parser, ignored by search) and is put back in the finished page, by the MkDocs
adapter in ``on_post_page``. Fragments hold no headings, so the table of contents is not
affected; what they hold is not searched (tables of figures, the document's header).

The comment's marker carries a token drawn when this module is loaded: a contributor who
writes a look-alike comment in a section gets an HTML comment, never HTML put back.
"""

from __future__ import annotations

import base64
import re
import secrets

_TOKEN = secrets.token_hex(6)
_LATE, _TEXT = f"bcfrag{_TOKEN}", f"bctext{_TOKEN}"
# One comment may hold several fragments (base64 chunks separated by spaces): see merge().
_PATTERNS = {kind: re.compile(rf"<!--{kind} ([A-Za-z0-9+/= ]*) -->") for kind in (_LATE, _TEXT)}
_ADJACENT = {kind: re.compile(rf" -->\s*<!--{kind} ") for kind in (_LATE, _TEXT)}


def _wrap(kind: str, html: str) -> str:
    data = base64.b64encode(html.encode("utf-8")).decode("ascii")
    return f"\n\n<!--{kind} {data} -->\n\n"


def _decode(chunks: str) -> str:
    return "".join(base64.b64decode(chunk).decode("utf-8") for chunk in chunks.split())


def _unwrap(kind: str, html: str) -> str:
    if f"<!--{kind} " not in html:
        return html
    return _PATTERNS[kind].sub(lambda m: _decode(m.group(1)), html)


def wrap(html: str) -> str:
    """A Markdown block standing for ``html``, put back in the finished page (not searched)."""
    return _wrap(_LATE, html)


def unwrap(html: str) -> str:
    """Put back every :func:`wrap` fragment in a finished page."""
    return _unwrap(_LATE, html)


def wrap_text(html: str) -> str:
    """A Markdown block standing for ``html`` that is text to read and search (a section's
    converted text reused on its report page): put back right after conversion."""
    return _wrap(_TEXT, html)


def unwrap_text(html: str) -> str:
    """Put back every :func:`wrap_text` fragment in converted page content."""
    return _unwrap(_TEXT, html)


def merge(markdown: str) -> str:
    """``markdown`` with each run of fragments of one kind, separated by blank space only,
    made one: Python-Markdown handles every raw block on its own, so fewer blocks convert
    faster. The HTML put back is the same."""
    for kind, adjacent in _ADJACENT.items():
        if markdown.count(f"<!--{kind} ") > 1:
            markdown = adjacent.sub(" ", markdown)
    return markdown
