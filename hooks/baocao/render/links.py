"""Page URLs and relative links, computed as MkDocs does, without MkDocs.

Generated HTML (tables, headers) cannot rely on MkDocs rewriting ``.md`` links, so page
builders ask :class:`Links` for hrefs. Both URL styles work: ``reports/2025-q3/`` with
directory URLs (the default) and ``reports/2025-q3/index.html`` without (offline use).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Links:
    directory_urls: bool = True

    @lru_cache(maxsize=8192)  # noqa: B019 - a few frozen instances per build
    def url(self, src_uri: str) -> str:
        """Site-relative URL of the page built from ``src_uri`` (``reports/2025-q3/index.md``)."""
        stem, _ = posixpath.splitext(src_uri)
        name = posixpath.basename(stem)
        folder = posixpath.dirname(stem)
        if name in ("index", "README"):
            return f"{folder}/" if folder and self.directory_urls else (
                f"{folder}/index.html" if folder else ("" if self.directory_urls else "index.html"))
        if self.directory_urls:
            return f"{stem}/"
        return f"{stem}.html"

    @lru_cache(maxsize=65536)  # noqa: B019
    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """Relative href from the page of ``from_src`` to the page of ``to_src``."""
        return self._relative(self.url(from_src), self.url(to_src), anchor)

    def file_href(self, from_src: str, path: str) -> str:
        """Relative href from the page of ``from_src`` to the file ``path`` (an image ...),
        both relative to the docs folder."""
        return self._relative(self.url(from_src), path)

    @staticmethod
    def _relative(here: str, there: str, anchor: str = "") -> str:
        folder = here[:here.rfind("/") + 1]  # "" for the home page
        common = posixpath.commonprefix([folder, there])
        common = common[:common.rfind("/") + 1]
        relative = "../" * folder[len(common):].count("/") + there[len(common):]
        return (relative or "./") + (f"#{anchor}" if anchor else "")
