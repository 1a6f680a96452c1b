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
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from baocao.render.links import Links
from baocao.render.sanitize import clean
from baocao.textfold import slugify

_HEADING = re.compile(r"^h([1-6])$")
DOCS = "docs/"


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


class _Rewrite(Treeprocessor):
    target: _Target | None = None

    def run(self, root):
        target = self.target
        seen: set[str] = set()
        for element in root.iter():
            match = _HEADING.match(element.tag) if isinstance(element.tag, str) else None
            if match:
                target.headings = True
                element.tag = f"h{min(6, int(match.group(1)) + target.shift)}"
                text = "".join(element.itertext())
                anchor = slugify(f"{target.prefix} {text}".strip()) or target.prefix or "muc"
                unique, n = anchor, 1
                while unique in seen:
                    n += 1
                    unique = f"{anchor}-{n}"
                seen.add(unique)
                element.set("id", unique)
            elif element.tag == "a" and element.get("href"):
                element.set("href", self._resolve(element.get("href")))
            elif element.tag == "img" and element.get("src"):
                element.set("src", self._resolve(element.get("src")))
        return None

    def _resolve(self, url: str) -> str:
        target = self.target
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "/")) or not parts.path:
            return url
        path = posixpath.normpath(posixpath.join(posixpath.dirname(target.source), parts.path))
        if path.startswith("../") or path == "..":
            return url  # outside the site: left for the check to report
        target.relative = True
        if path.endswith(".md"):
            if path not in target.pages:
                return url  # a broken link: the check reports it at its line
            return target.links.href(target.page, path, parts.fragment)
        return target.links.file_href(target.page, path)


class _Baocao(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_Rewrite(md), "baocao_rewrite", 5)


class Converter:
    """Converts contributor texts for one build; a text that reads the same on every page
    (no headings, no relative links) is converted once."""

    def __init__(self, links: Links, pages: frozenset[str] | set[str]) -> None:
        self.links = links
        self.pages = frozenset(pages)
        # Column alignment as an attribute, not a style (styles are not allowed).
        self._md = markdown.Markdown(extensions=[TableExtension(use_align_attribute=True), "fenced_code", _Baocao()],
                                     output_format="html")
        self._rewrite: _Rewrite = self._md.treeprocessors["baocao_rewrite"]
        self._portable: dict[tuple[str, str], Markup] = {}

    def html(self, text: str, source: str, page: str, shift: int = 0, prefix: str = "") -> Markup:
        """``text`` (Markdown from the repository file ``source``, docs-relative) as safe HTML
        for the page built from ``page``."""
        key = (source, text)
        portable = self._portable.get(key)
        if portable is not None:
            return portable
        target = _Target(source, page, self.links, self.pages, shift, prefix)
        self._rewrite.target = target
        try:
            converted = self._md.reset().convert(text)
        finally:
            self._rewrite.target = None
        result = Markup(clean(converted))
        if not (target.relative or target.headings):
            self._portable[key] = result
        return result


def docs_path(repo_path: str) -> str:
    """``docs/reports/2025-q3/x.md`` -> ``reports/2025-q3/x.md``."""
    return repo_path[len(DOCS):] if repo_path.startswith(DOCS) else repo_path
