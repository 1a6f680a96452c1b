"""The Content-Security-Policy of the served site: ``'self'`` for everything, plus the
SHA-256 hashes of the inline scripts the theme writes into its pages (Material's
``__md_scope`` bootstrap, one per folder depth, and its content-tabs snippet). Never
``'unsafe-inline'`` for scripts.

The hashes come from a committed list, ``inline-scripts.json`` beside this module, never
from a build: a build that carried a script of its own (a contributor's page, a changed
template) would otherwise put that script's hash into the policy. The list names the
theme version it was taken from and the text of each script, so that a change of it is
a reviewed commit; ``tools/csp/update-inline-scripts.py`` rewrites it from a built site after
a theme upgrade. ``baocao publish`` refuses a release with an inline script that is not in
the list (:func:`unknown_scripts`).

Styles: Material's HTML carries no ``style`` attribute and no ``<style>`` element (its
JavaScript sets styles through the CSSOM, which CSP allows), so ``style-src 'self'``
holds. Its stylesheets draw icons with ``data:`` SVG masks, hence ``img-src 'self' data:``.
Search runs in a Web Worker loaded from the site (``worker-src 'self'``).

Besides: the policy of nginx's own error pages (:func:`error_page_policy`) and that of the
web form at ``/admin/`` (:func:`admin_policy`), which ``baocao edit`` serves too.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

#: The committed list of the theme's inline scripts.
KNOWN = Path(__file__).with_name("inline-scripts.json")
#: ``type`` values of an inline ``<script>`` a browser never runs (a data block), as an
#: allowlist: every other value counts as script, a missing or empty one included, since
#: browsers run every JavaScript MIME type of the HTML standard (``application/x-javascript``,
#: ``text/jscript``, ``text/javascript1.5``...) and ``module``, and read ``importmap`` and
#: ``speculationrules``, which the policy governs too. Material writes its ``__config`` as
#: ``application/json``.
DATA_TYPES = frozenset({"application/json", "application/ld+json"})
#: Files of a site a browser may run inline scripts from.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
#: Material's bootstrap names the site's root relative to the page, e.g. ``"../.."``.
SCOPE = re.compile(r'^__md_scope=new URL\("(?P<base>(?:\.|\.\.(?:/\.\.)*|/))",location\),')
#: Folder depths whose bootstrap the list holds (baocao's deepest page is at depth 3).
DEPTHS = 8


class _Elements(HTMLParser):
    """The text of every ``<script>`` run inline (or of every ``<style>``)."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tag = tag
        self.found: list[str] = []
        self._buffer: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != self.tag:
            return
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        runs = tag == "style" or ("src" not in values and kind not in DATA_TYPES)
        self._buffer = [] if runs else None

    def handle_data(self, data: str) -> None:
        if self._buffer is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag and self._buffer is not None:
            self.found.append("".join(self._buffer))
            self._buffer = None


def _inline(html: str, tag: str) -> list[str]:
    parser = _Elements(tag)
    parser.feed(html)
    parser.close()
    return parser.found


def inline_scripts(html: str) -> list[str]:
    return _inline(html, "script")


def inline_styles(html: str) -> list[str]:
    return _inline(html, "style")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def pages(site: Path) -> list[Path]:
    """Every file of ``site`` a browser could run an inline script from."""
    return sorted(p for p in site.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def inline_script_hashes(site: Path) -> dict[str, str]:
    """Hash of every inline script of ``site`` -> the first page (relative) that has it."""
    found: dict[str, str] = {}
    for page in pages(site):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "<script" in text.lower():
            for script in inline_scripts(text):
                found.setdefault(script_hash(script), page.relative_to(site).as_posix())
    return found


@functools.cache
def _known() -> dict:
    return json.loads(KNOWN.read_text(encoding="utf-8"))


def known_hashes() -> frozenset[str]:
    """The hashes of the committed list."""
    return frozenset(_known()["scripts"])


def unknown_scripts(site: Path) -> dict[str, str]:
    """Inline scripts of ``site`` that are not in the committed list: hash -> page."""
    known = known_hashes()
    return {h: page for h, page in inline_script_hashes(site).items() if h not in known}


def theme_scripts(site: Path) -> dict[str, str]:
    """The inline scripts of a built site as the committed list records them (hash ->
    text), with Material's bootstrap for every folder depth up to :data:`DEPTHS` and for
    the site's root (``"/"``, the 404 page), whichever depths the site has."""
    scripts: dict[str, str] = {}
    for page in pages(site):
        for script in inline_scripts(page.read_text(encoding="utf-8", errors="replace")):
            match = SCOPE.match(script)
            if not match:
                scripts[script_hash(script)] = script
                continue
            rest = script[match.end():]
            bases = ["/", ".", *("/".join([".."] * depth) for depth in range(1, DEPTHS + 1))]
            for base in bases:
                variant = f'__md_scope=new URL("{base}",location),{rest}'
                scripts[script_hash(variant)] = variant
    return dict(sorted(scripts.items()))


def policy(hashes: frozenset[str] | set[str] | None = None) -> str:
    """The header value (the committed list's hashes unless ``hashes`` is given)."""
    hashes = known_hashes() if hashes is None else hashes
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


def error_page_policy(style_hashes: set[str]) -> str:
    """The policy of nginx's own error pages: nothing but their inline style."""
    styles = " ".join(f"'{h}'" for h in sorted(style_hashes)) or "'none'"
    return "; ".join([
        "default-src 'none'",
        f"style-src {styles}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


def admin_policy(api_root: str | None = None) -> str:
    """The policy of the web form at ``/admin/`` (measured in tests/test_cms.py): Decap
    compiles code at run time (``'unsafe-eval'``: ajv and a YAML helper use ``new Function``)
    and styles its components with injected ``<style>`` (``'unsafe-inline'``); it talks to the
    Forgejo/Gitea API and shows the user's avatar from it. Served by nginx (:mod:`.nginx`)
    and by ``baocao edit`` (:mod:`baocao.contribute.edit`) alike."""
    origin = ""
    if api_root:
        match = re.match(r"^(https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?)(?:/|$)", api_root)
        origin = f" {match.group(1)}" if match else ""
    return ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"connect-src 'self'{origin}; img-src 'self' data:{origin}; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
