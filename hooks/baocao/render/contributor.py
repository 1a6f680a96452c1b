"""Contributor Markdown to safe HTML, one text at a time.

Every text a pull request brings (a report's opening, each section) is converted here on
its own, never together with the page around it, so that nothing in it (an unclosed tag,
a comment, a heading) can reach past its end. The dialect is fixed here, not by
``mkdocs.yml``: paragraphs, lists, emphasis, links, images, tables and code, with no
attribute lists. The HTML is then cleaned by the allowlist of :mod:`.sanitize` and only
then marked safe for the templates.

On the way, headings are moved below the page's own (``#`` in a section becomes a
heading under the section's), given ids unique in the page, and relative links are
resolved as MkDocs would: a link to another ``.md`` file of the site points at its page,
a link to a file points at the file, both relative to the page that shows the text.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from baocao.compile.sitemap import heading_id
from baocao.load.cache import TextCache
from baocao.render.links import Links
from baocao.render.sanitize import clean

# A heading in HTML cleaned by the allowlist: attributes are plain, "<" and ">" escaped.
_HEADING = re.compile(r"<h([1-6])(?:\s[^>]*)?>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass
class _Target:
    """Where the text being converted is shown, and what it may link to."""

    #: docs-relative path of the file the text comes from.
    source: str
    #: docs-relative source path of the page that shows it.
    page: str
    links: Links
    pages: frozenset[str]
    #: heading levels added (``#`` becomes ``h{1 + shift}``).
    shift: int
    #: prefix of heading ids, so that they are unique in the page.
    prefix: str
    #: set during conversion: whether the result depends on the page or the shift.
    relative: bool = False
    headings: bool = False
    #: set during conversion: whether the text has a relative URL (the Markdown's HTML
    #: then depends on the page and on which pages exist).
    local: bool = False


class _Rewrite(Treeprocessor):
    """Resolves relative links and images as MkDocs would, for the page being drawn."""

    target: _Target | None = None

    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                element.set("href", self._resolve(element.get("href")))
            elif element.tag == "img" and element.get("src"):
                element.set("src", self._resolve(element.get("src")))
        return None

    def _resolve(self, url: str) -> str:
        target = self.target
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "/")) or not parts.path:
            return url
        target.local = True
        path = posixpath.normpath(posixpath.join(posixpath.dirname(target.source), parts.path))
        if path.startswith("../") or path == "..":
            return url  # outside the site: left for the check to report
        target.relative = True
        if path.endswith(".md") and path in target.pages:
            resolved = target.links.href(target.page, path, parts.fragment)
        elif path.endswith(".md"):
            return url  # a broken link: the check reports it at its line
        else:
            resolved = target.links.file_href(target.page, path)
        # A relative path never reads as a scheme ("javascript:..." built from "./javascript"
        # and a line break): its first segment keeps a "./" before any colon.
        first = resolved.split("/", 1)[0]
        return f"./{resolved}" if ":" in first else resolved


def _number_headings(html: str, target: _Target, seen: dict[str, int]) -> str:
    """Every heading of cleaned contributor HTML, Markdown's and raw alike, moved below the
    page's own headings and given an id of its own, unique in the page (``seen`` counts
    the ids given so far): an id or a level written by the contributor never survives."""

    def renumber(match: re.Match) -> str:
        target.headings = True
        level = min(6, int(match.group(1)) + target.shift)
        inner = match.group(2)
        words = unescape(_TAG.sub(" ", inner))
        unique = heading_id(target.prefix, words, seen)
        return f'<h{level} id="{unique}">{inner}</h{level}>'

    return _HEADING.sub(renumber, html)


class _Baocao(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_Rewrite(md), "baocao_rewrite", 5)


class Converter:
    """Converts contributor texts for one build; a text that reads the same on every page
    (no headings, no relative links) is converted once.

    With a ``memo`` (a :class:`~baocao.load.cache.TextCache` kept between builds), the
    Markdown's HTML of a text without relative URLs is taken from it instead of converted
    again; cleaning by the allowlist and numbering the headings are done at every build,
    on what the memo gives as on fresh HTML."""

    def __init__(self, links: Links, pages: frozenset[str] | set[str], memo: TextCache | None = None) -> None:
        self.links = links
        self.pages = frozenset(pages)
        # Column alignment as an attribute, not a style (styles are not allowed).
        self._md = markdown.Markdown(extensions=[TableExtension(use_align_attribute=True), "fenced_code", _Baocao()],
                                     output_format="html")
        self._rewrite: _Rewrite = self._md.treeprocessors["baocao_rewrite"]
        self.memo = memo
        self._portable: dict[tuple[str, str], Markup] = {}
        #: ids given to contributor headings, per page and prefix (a section's texts share them).
        self._ids: dict[tuple[str, str], dict[str, int]] = {}

    def html(self, text: str, source: str, page: str, shift: int = 0, prefix: str = "") -> Markup:
        """``text`` (Markdown from the repository file ``source``, docs-relative) as safe HTML
        for the page built from ``page``."""
        key = (source, text)
        portable = self._portable.get(key)
        if portable is not None:
            return portable
        target = _Target(source, page, self.links, self.pages, shift, prefix)
        converted = self.memo.get(text) if self.memo is not None else None
        if converted is None:
            self._rewrite.target = target
            try:
                converted = self._md.reset().convert(text)
            finally:
                self._rewrite.target = None
            if self.memo is not None and not target.local:
                self.memo.put(text, converted)
        cleaned = _number_headings(clean(converted), target, self._ids.setdefault((page, prefix), {}))
        result = Markup(cleaned)
        if not (target.relative or target.headings):
            self._portable[key] = result
        return result
