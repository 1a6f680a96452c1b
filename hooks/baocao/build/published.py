"""What of ``docs/`` is published: a security rule, whatever the check said.

A file of ``docs/`` is published only when it is a known page kind
(:func:`baocao.load.layout.accepted`, plus the maintainer's ``extra.baocao_allowed``
patterns) and is reached through no symbolic link (the file, a folder on its way, or
``docs/`` itself). The check refuses both already; this makes sure they are never
published, whatever happens to the check, the error site of ``mkdocs serve`` included.
Files from elsewhere (the theme's) are not judged here.
"""

from __future__ import annotations

import os
import stat

from baocao.load import layout


class PublishedFiles:
    """Judges the files of one build's ``docs_dir`` (each folder resolved once: the theme's
    files are hundreds)."""

    def __init__(self, docs_dir: str, patterns: tuple[str, ...]) -> None:
        self.docs = os.path.realpath(docs_dir)
        self.patterns = patterns
        self.docs_is_link = os.path.islink(docs_dir)  # then every file of it is reached through it
        self.folders: dict[str, str] = {}

    def _real(self, folder: str) -> str:
        if folder not in self.folders:
            self.folders[folder] = os.path.realpath(folder)
        return self.folders[folder]

    def refused(self, src_dir: str | None, src_uri: str) -> bool:
        """Whether the file ``src_uri`` found in ``src_dir`` must not be published."""
        if not src_dir or self._real(src_dir) != self.docs:
            return False
        # The file is where it seems when its folder resolves to itself (no link on the
        # way) and the file itself is no link.
        folder = os.path.join(self.docs, *src_uri.split("/")[:-1])
        try:
            link = stat.S_ISLNK(os.lstat(os.path.join(folder, src_uri.rsplit("/", 1)[-1])).st_mode)
        except OSError:
            link = True
        return (link or self.docs_is_link or self._real(folder) != folder
                or not layout.accepted(src_uri, self.patterns))
