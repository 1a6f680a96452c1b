"""The allowlist of contributor markup: the elements, attributes, link schemes and image
sources a contributor's text may hold, in one place.

:mod:`baocao.render.sanitize` removes whatever is outside it from the converted HTML;
:mod:`baocao.load.hygiene` tells the contributor first, at the line, what would be
removed. Both read these names, so the check and the pages cannot drift apart.
"""

from __future__ import annotations

import re

#: Elements contributor text may contain.
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "img",
})
#: Elements whose content goes with them (the rest keep their text when dropped).
DROP_WITH_CONTENT = frozenset({"script", "style", "textarea", "title", "noscript", "template",
                               "iframe", "object", "svg", "math", "select", "xmp", "noembed",
                               "noframes", "plaintext"})
_CELL = {"align", "colspan", "rowspan"}
#: Attributes per element.
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": _CELL, "td": _CELL,
    "ol": {"start"},
}
#: URL schemes a link may use (relative URLs and fragments are always allowed).
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def image_source_ok(src: str) -> bool:
    """An image path is a relative path inside the site: no scheme, no host, no root."""
    src = src.strip()
    return bool(src) and not _SCHEME.match(src) and not src.startswith(("/", "\\"))
