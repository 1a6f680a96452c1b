"""Ready-made HTML carried through Markdown, search indexing and templates untouched.

Python-Markdown parses every raw HTML block tag by tag, and the search plugin parses every
page's HTML again: large generated tables and charts were the slowest part of a build. A
fragment travels instead as a short HTML comment naming its HTML (one token for each
parser, ignored by search); the HTML waits here, keyed by its content, and is put back
in the converted or finished page by the MkDocs adapter. Fragments hold no headings, so
the table of contents is not affected; what :func:`wrap` holds is not searched (tables of
figures, the document's header).

The comment's marker carries a token drawn when this module is loaded: a contributor who
writes a look-alike comment in a section gets an HTML comment, never HTML put back. The
HTML is kept for the life of the process; keyed by content, a rebuild of unchanged pages
(``mkdocs serve``) adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets

_TOKEN = secrets.token_hex(6)
_LATE, _TEXT = f"bcfrag{_TOKEN}", f"bctext{_TOKEN}"
_PATTERNS = {kind: re.compile(rf"<!--{kind} ([0-9a-f]+) -->") for kind in (_LATE, _TEXT)}
_HTML: dict[str, str] = {}


def _wrap(kind: str, html: str) -> str:
    key = hashlib.blake2b(html.encode("utf-8"), digest_size=8).hexdigest()
    _HTML[key] = html
    return f"\n\n<!--{kind} {key} -->\n\n"


def _put_back(match: re.Match) -> str:
    return _HTML.get(match.group(1), match.group(0))


def _unwrap(kind: str, html: str) -> str:
    if f"<!--{kind} " not in html:
        return html
    return _PATTERNS[kind].sub(_put_back, html)


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
