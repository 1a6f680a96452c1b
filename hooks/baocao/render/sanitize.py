"""Contributor HTML made safe by an allowlist (nh3): only what a report's text needs.

Provisional minimal allowlist; see the security work (issue 11) for the full one.
"""

from __future__ import annotations

import nh3

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
        "u", "s", "sub", "sup", "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
        "a", "img"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
              "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}}


def clean(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
