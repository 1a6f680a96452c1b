"""Report and section pages, as the engine builds them: their HTML drawn by baocao.

MkDocs converts each page's Markdown with a new Python-Markdown converter (about 0.2 ms a
page: a tenth of a build). A page whose content baocao drew is handed to MkDocs as one
marked comment (:func:`baocao.render.fragments.wrap_text`), so :class:`DrawnPage` renders
it without a converter: what Python-Markdown would make of the comment. The adapter
makes the engine's page class from it (``class _DrawnPage(DrawnPage, Page)``), as
Material's blog plugin subclasses ``Page`` for its posts; the table of contents is set
from the page's headings afterwards (:func:`toc_tokens`).
"""

from __future__ import annotations

from baocao.render.site import Heading


class DrawnPage:
    """Mixin for the engine's page class: ``render`` without a Markdown converter."""

    markdown: str | None

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self.content = self.markdown.strip()
        self.toc = self.empty_toc()
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}

    def empty_toc(self):
        """The engine's empty table of contents (the adapter's class says which)."""
        raise NotImplementedError


def toc_tokens(items: list[Heading]) -> list[dict]:
    """Python-Markdown's toc tokens (nested by level) from a page's headings."""
    root: list[dict] = []
    stack: list[dict] = []
    for item in items:
        token = {"level": item.level, "id": item.id, "name": item.title, "children": []}
        while stack and stack[-1]["level"] >= item.level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root
