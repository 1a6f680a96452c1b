"""The Jinja2 templates that draw baocao's pages, with autoescape on.

The templates live in the theme's overrides folder (``overrides/baocao/``), beside
Material's own overrides, so a designer changes the layout without touching Python.
Every value reaches HTML escaped; the only markup a template is handed ready-made is the
contributor HTML that :mod:`.contributor` has cleaned by allowlist.

Templates mark blocks that are not text to search (tables, the document's header) with
``{% call late() %}…{% endcall %}``: such a block travels past Markdown and the search
indexer as a short comment and is put back in the finished page (:mod:`.fragments`).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from baocao.render import fragments
from baocao.render.links import Links
from baocao.textfold import slugify
from baocao.vnformat import date_header, date_text, decimal, number

#: The folder of baocao's templates inside the theme's overrides folder.
FOLDER = "baocao"


def _late(caller) -> Markup:
    return Markup(fragments.wrap(str(caller())))


class Templates:
    """The template environment of one build (``overrides`` is the theme's custom_dir)."""

    def __init__(self, overrides: Path, links: Links, bytecode_cache: jinja2.BytecodeCache | None = None) -> None:
        self.env = jinja2.Environment(
            bytecode_cache=bytecode_cache,
            loader=jinja2.FileSystemLoader(str(Path(overrides) / FOLDER)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.links = links
        self.env.globals.update(late=_late, href=links.href)
        self.env.filters.update(number=number, decimal=decimal, date_text=date_text, date_header=date_header,
                                slug=slugify)

    def render(self, name: str, /, **context) -> str:
        return self.env.get_template(name).render(**context)
