"""Rebuilds under ``baocao serve``: only what a save changed is read, drawn and written.

``baocao serve`` runs ``mkdocs serve --dirty``: MkDocs then keeps the site folder between
builds and asks each page whether it changed (``File.is_modified``); the engine answers
from here, so that after any sequence of saves the served site is, byte for byte, what a
fresh full build gives (build dates aside):

- the check takes each unchanged file as the build before left it, decoded in memory
  (:class:`~baocao.load.cache.FileCache`), and knows which files it read again;
- :func:`to_draw` says which of baocao's pages may have changed: for a file whose
  front matter did not change (its text did), the pages that show that text (its report
  page and its own page); for a file whose front matter changed, the report's pages, the
  report that compares with it a year later, and the pages compiled across the archive;
  for anything else (a file added or removed, a registry of ``data/``, ``mkdocs.yml``, the
  theme, a new Git commit, the error site before or now), every page. Those pages are
  drawn again, and only those whose drawing differs from the last build's (HTML, title,
  search) are written again by the engine; the others keep their files;
- MkDocs' search index is made of every page's entries in the full build's order: each
  page's entries are kept between builds (:class:`SearchEntries`);
- the files of pages that are gone are removed from the site folder (:func:`prune`).

Git dates: the git-revision-date plugin keeps each file's last commit between builds and
drops what a new commit changed; a new commit also redraws every page here, so every
date shown is the one a full build would show (a file not committed yet: today's).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from baocao.compile import sitemap
from baocao.model import Archive, Report
from baocao.periods import Period


def serve_args(args: list[str]) -> list[str]:
    """``baocao serve``'s options for ``mkdocs serve``: ``--dirty`` (rebuilds write only what
    changed, see the module's docstring) unless the user chose ``--clean`` or ``--dirty``."""
    return args if {"--clean", "--dirty"} & set(args) else [*args, "--dirty"]


def digest(*parts: object) -> str:
    text = "\x00".join(str(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def git_head(root: Path) -> str:
    """The commit Git's HEAD names (empty outside Git)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def folder_stamps(folder: Path) -> str:
    """A digest of every file's name, size and time under ``folder`` (links not followed)."""
    found = []
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            try:
                info = os.lstat(os.path.join(base, name))
            except OSError:
                continue
            found.append(f"{os.path.join(base, name)} {info.st_size} {info.st_mtime_ns}")
    return digest(*found)


def frame(config_file: Path | None, theme_dirs: Iterable[str], settings: object, head: str) -> str:
    """What every page depends on besides the content: ``mkdocs.yml``, the theme's own
    folder (baocao's templates and overrides), the settings, the Git commit."""
    try:
        config = config_file.read_bytes() if config_file is not None else b""
    except OSError:
        config = b""
    custom = [folder_stamps(Path(d)) for d in theme_dirs if (Path(d) / "baocao").is_dir()]
    return digest(hashlib.sha256(config).hexdigest(), *custom, repr(settings), head)


@dataclass
class Previous:
    """What the last good build left, for the next one to compare with."""

    archive: Archive
    frame: str
    #: each page of baocao's plan -> digest of what it gave MkDocs (HTML, title, search).
    pages: dict[str, str]
    #: the wrapped content of each generated page (given again when it is not redrawn).
    generated: dict[str, str]
    #: every file written, by source URI -> its path in the site folder.
    outputs: dict[str, str] = field(default_factory=dict)


def _sources(archive: Archive) -> dict[str, tuple[Report, object]]:
    found: dict[str, tuple[Report, object]] = {}
    for report in archive.reports:
        found[report.source.path] = (report, None)
        for section in report.sections:
            found[section.source.path] = (report, section)
    return found


def _same_front(old, new) -> bool:
    """Whether a content file changed only in its text (front matter, name, and whether
    it says anything at all are the same)."""
    if old[1] is None:
        return new[1] is None and old[0].meta == new[0].meta
    return (new[1] is not None and old[1].meta == new[1].meta and old[1].slug == new[1].slug
            and old[1].has_text == new[1].has_text)


#: In what :func:`to_draw` gives: every generated page (compiled across the archive: the
#: home, archive, trends, tracker, organisations, documents pages, and any added later).
GENERATED_PAGES = "<generated>"


def to_draw(previous: Archive, archive: Archive, read_again: set[str], root: Path) -> set[str] | None:
    """Addresses of baocao's pages to draw again after the files ``read_again`` (absolute
    paths) changed (:data:`GENERATED_PAGES` standing for every generated page); None:
    every page."""
    prefix = str(root) + "/"
    changed = {p[len(prefix):] if p.startswith(prefix) else p for p in read_again}
    old, new = _sources(previous), _sources(archive)
    if set(old) != set(new) or any(not p.startswith(sitemap.DOCS + "/") for p in changed):
        return None  # a file added or removed (or unreadable), or a registry of data/
    if [(r.period, r.unreadable) for r in previous.reports] != [(r.period, r.unreadable) for r in archive.reports]:
        return None
    pages: set[str] = set()
    for path in changed:
        if path not in new:
            return None
        report, section = new[path]
        if _same_front(old[path], new[path]):
            pages.add(sitemap.report_uri(report))
            if section is not None:
                pages.add(sitemap.section_uri(report, section))
            continue
        # The report a year later compares its members with this one
        # (aggregate.same_quarter_last_year).
        for shown in (report, archive.report(Period(report.period.year + 1, report.period.quarter))):
            if shown is None:
                continue
            pages.add(sitemap.report_uri(shown))
            pages.update(sitemap.section_uri(shown, s) for s in shown.sections)
        pages.add(GENERATED_PAGES)
    return pages


class SearchEntries:
    """Each page's entries in the engine's search index, kept between builds."""

    def __init__(self) -> None:
        self.by_page: dict[str, list] = {}
        self._seen = 0

    def begin(self) -> None:
        self._seen = 0

    def record(self, uri: str, entries: list) -> None:
        """``entries`` is the index being built; what it gained since the last call is ``uri``'s."""
        self.by_page[uri] = list(entries[self._seen:])
        self._seen = len(entries)

    def ordered(self, pages: Iterable[str]) -> list:
        """The whole index, page by page in the order a full build indexes them."""
        return [entry for uri in pages for entry in self.by_page.get(uri, ())]


def prune(site: Path, paths: Iterable[str]) -> None:
    """Remove the files at ``paths`` (inside ``site``; no link followed), then the folders
    they leave empty."""
    site = Path(os.path.realpath(site))
    for path in paths:
        target = Path(path)
        if not target.is_absolute() or not Path(os.path.realpath(target.parent)).is_relative_to(site):
            continue
        try:
            target.unlink()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            continue
        folder = target.parent
        while folder != site and folder.is_relative_to(site):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
