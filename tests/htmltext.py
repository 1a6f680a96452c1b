"""Helpers to read built HTML in tests: the visible text of the article, headings,
and every URL a page refers to."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "br", "table", "section", "td", "th"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def article(html: str) -> str:
    start = html.find("<article")
    end = html.find("</article>")
    return html[start:end] if start >= 0 else html


def text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    joined = "".join(parser.parts).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in joined.split("\n") if line.strip())


def flat(html: str) -> str:
    """Article text on one line with single spaces."""
    return " ".join(text(article(html)).split())


def headings(html: str) -> list[tuple[int, str]]:
    found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", article(html), flags=re.S)
    return [(int(level), " ".join(text(inner).split())) for level, inner in found]


_URL = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^)"']+)""")


def urls(html: str) -> list[str]:
    return [a or b for a, b in _URL.findall(html)]
