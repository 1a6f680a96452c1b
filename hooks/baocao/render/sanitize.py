"""The allowlist sanitiser for contributor text: converted HTML in, safe HTML out.

Every text a contributor writes (a report's opening, each section) is converted from
Markdown on its own and passed through :func:`clean` before it reaches a page. It is an
allowlist (``nh3``, the Python binding of the Rust crate *ammonia*, which parses like a
browser, decodes entities before judging URLs and re-serialises what it keeps):

- elements: paragraphs, line breaks, rules, headings, lists, emphasis, quotes, code,
  tables, links and images; anything else is dropped, its text kept (``script``,
  ``style``, ``textarea``... lose their content too); comments are dropped;
- attributes: ``href`` (http, https, mailto, relative, ``#fragment``; ``rel="noopener
  noreferrer"`` is added), ``img`` ``src`` (a relative path inside the site only: no scheme,
  no ``//host``, no ``/`` root, so no ``data:``, no ``http:``: the intranet has no internet
  and a reader's browser must not call anywhere), ``alt``, ``title``, ``align`` on table
  cells (left/center/right), ``colspan``/``rowspan`` (1-100);
- no ``style``, no ``class``, no event handler, no ``id`` (headings get their level and id
  from :mod:`baocao.render.contributor` after cleaning, so that a contributor cannot take
  an anchor of the page): what ``attr_list`` lets a
  contributor write (``{: .x #y onclick=...}``) comes out as nothing. Our own classes
  and ids are added by the page frame, never by contributor text.

The allowlist itself is :mod:`baocao.allowlist`, which :mod:`baocao.load.hygiene` checks the
Markdown against too, so the check tells the contributor what would be removed.
"""

from __future__ import annotations

import re

import nh3

from baocao.allowlist import ATTRIBUTES, DROP_WITH_CONTENT, LINK_SCHEMES, TAGS, image_source_ok

_NUMBER = re.compile(r"[1-9][0-9]?|100")


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if image_source_ok(value) else None
    if attribute == "align":
        return value.lower() if value.lower() in ("left", "center", "right") else None
    if attribute in ("colspan", "rowspan", "start"):
        return value if _NUMBER.fullmatch(value.strip()) else None
    return value


def clean(html: str) -> str:
    """``html`` (one contributor text, converted) with everything outside the allowlist removed."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={key: set(value) for key, value in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(LINK_SCHEMES),
    )
