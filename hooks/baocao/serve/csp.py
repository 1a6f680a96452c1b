"""The Content-Security-Policy of the served site: ``'self'`` for everything, plus the
SHA-256 hashes of the inline scripts Material writes into its pages (the ``__md_scope``
bootstrap, one per folder depth, and the content-tabs snippet), found by reading every
built page. Never ``'unsafe-inline'`` for scripts.

Styles: Material's HTML carries no ``style`` attribute and no ``<style>`` element (its
JavaScript sets styles through the CSSOM, which CSP allows), so ``style-src 'self'``
holds. Its stylesheets draw icons with ``data:`` SVG masks, hence ``img-src 'self' data:``.
Search runs in a Web Worker loaded from the site (``worker-src 'self'``).
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

#: ``type`` values a browser runs as script (an empty or missing type included).
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._buffer: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        self._buffer = None if "src" in values or kind not in _SCRIPT_TYPES else []

    def handle_data(self, data: str) -> None:
        if self._buffer is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._buffer is not None:
            self.scripts.append("".join(self._buffer))
            self._buffer = None


def inline_scripts(html: str) -> list[str]:
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def inline_script_hashes(site: Path) -> set[str]:
    """Hashes of every inline script of every page of ``site``."""
    hashes: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "<script" in text:
            hashes.update(script_hash(s) for s in inline_scripts(text))
    return hashes


def policy(hashes: set[str] | list[str]) -> str:
    """The header value."""
    scripts = " ".join(["'self'", *(f"'{h}'" for h in sorted(hashes))])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])
