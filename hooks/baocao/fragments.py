"""Ready-made HTML carried through Markdown untouched.

Python-Markdown parses every raw HTML block tag by tag, which made large generated
tables and charts the slowest part of a build. A fragment travels instead as one HTML
comment holding its HTML in base64 (one token for the parser) and is put back after
conversion, by the MkDocs adapter in ``on_page_content``. Fragments hold no headings,
so the table of contents is not affected.
"""

from __future__ import annotations

import base64
import re

_PATTERN = re.compile(r"<!--bcfrag ([A-Za-z0-9+/=]*) -->")


def wrap(html: str) -> str:
    """A Markdown block standing for ``html``."""
    data = base64.b64encode(html.encode("utf-8")).decode("ascii")
    return f"\n\n<!--bcfrag {data} -->\n\n"


def unwrap(html: str) -> str:
    """Put every fragment's HTML back in converted ``html``."""
    if "<!--bcfrag " not in html:
        return html
    return _PATTERN.sub(lambda m: base64.b64decode(m.group(1)).decode("utf-8"), html)
