"""Rebuilds under ``baocao serve``: only what a save changed is read, drawn and written.

``baocao serve`` runs ``mkdocs serve --dirty``: MkDocs then keeps the site folder between
builds and asks each page whether it changed (``File.is_modified``); the engine answers
from here, so that after any sequence of saves the served site is, byte for byte, what a
fresh full build gives (build dates aside). The rule is made to be right by construction:

- what a build reads is its **frame** (:func:`frame`: ``mkdocs.yml``, the theme's own
  folder, the settings, the Git commit checked out, the day deadlines are counted from)
  and **every file under** ``docs/`` **and** ``data/`` (:func:`snapshot`: name, kind, size
  and time of each, whether the check reads it through its cache, reads it directly like
  the seal's ``ban-hanh.yml`` and ``dinh-chinh.yml``, or only publishes it like a kept PDF);
  a change of the frame, or of any file but the text of a report's or section's Markdown,
  draws every page again (:func:`to_draw` says None). Nothing is listed by kind of file,
  so a file a later feature reads is covered without a list to keep;
- a save that changed only the text of content files (front matter, names and the set of
  files as they were) draws again the pages that read that text (:func:`text_readers`):
  its report page, its own page, the page of the same slot the quarter after (its "So với
  quý trước"), and the tracker (its similarity column). ``tests/test_serve_incremental.py``
  checks this list against the renderer itself: for every content file of an archive with
  every kind of page, a text edit changes no page outside it;
- of the pages drawn, only those whose drawing differs from the last build's (HTML, title,
  search) are written again by the engine; the others keep their files;
- MkDocs' search index is made of every page's entries in the full build's order: each
  page's entries are kept between builds (:class:`SearchEntries`);
- the files of pages that are gone are removed from the site folder (:func:`prune`).

Git dates: the git-revision-date plugin keeps each file's last commit between builds and
drops what a new commit changed; a new commit also redraws every page here, so every
date shown is the one a full build would show (a file not committed yet: today's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from baocao.compile import compare, sitemap
from baocao.model import Archive, Report, Section


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


#: The folders of the repository whose files a build reads (content, registries, seal
#: files, kept downloads): every file there is in :func:`snapshot`.
CONTENT_FOLDERS = ("docs", "data")


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``docs/`` and ``data/`` but folders (files, links, anything else;
    no link followed), by path from ``root``: its kind, size and time. Taken before the
    check reads the files: a file saved meanwhile differs at the next build."""
    found: dict[str, tuple[int, int, int]] = {}
    folders = list(CONTENT_FOLDERS)  # a stack, not recursion: any depth is walked
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(root / folder) as listed:
                entries = list(listed)
        except OSError:
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}"
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                folders.append(rel)
            else:
                found[rel] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
    return found


def changed_files(before: dict[str, tuple], after: dict[str, tuple]) -> set[str]:
    """The paths added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def frame(config_file: Path | None, theme_dirs: Iterable[str], settings: object, head: str,
          today: dt.date) -> str:
    """What every page depends on besides the files of ``docs/`` and ``data/``:
    ``mkdocs.yml``, the theme's own folder (baocao's templates and overrides), the
    settings, the Git commit (its dates, and the seal's second witness), the day
    deadlines are counted from."""
    try:
        config = config_file.read_bytes() if config_file is not None else b""
    except OSError:
        config = b""
    custom = [folder_stamps(Path(d)) for d in theme_dirs if (Path(d) / "baocao").is_dir()]
    return digest(hashlib.sha256(config).hexdigest(), *custom, repr(settings), head, today.isoformat())


@dataclass
class Previous:
    """What the last good build left, for the next one to compare with."""

    archive: Archive
    frame: str
    #: each page of baocao's plan -> digest of what it gave MkDocs (HTML, title, search).
    pages: dict[str, str]
    #: the wrapped content of each generated page (given again when it is not redrawn).
    generated: dict[str, str]
    #: every file under docs/ and data/ as that build found it (:func:`snapshot`).
    files: dict[str, tuple] = field(default_factory=dict)
    #: every file written, by source URI -> its path in the site folder.
    outputs: dict[str, str] = field(default_factory=dict)


def _sources(archive: Archive) -> dict[str, tuple[Report, Section | None]]:
    """Each Markdown file of a report (current, not replaced) by its path from the root."""
    found: dict[str, tuple[Report, Section | None]] = {}
    for report in archive.reports:
        found[report.source.path] = (report, None)
        for section in report.sections:
            found[section.source.path] = (report, section)
    return found


def _same_front(old: tuple[Report, Section | None], new: tuple[Report, Section | None]) -> bool:
    """Whether a content file changed only in its text (front matter, name, and whether
    it says anything at all are the same)."""
    if old[1] is None:
        return new[1] is None and old[0].meta == new[0].meta
    return (new[1] is not None and old[1].meta == new[1].meta and old[1].slug == new[1].slug
            and old[1].has_text == new[1].has_text)


def text_readers(archive: Archive, report: Report, section: Section | None) -> set[str]:
    """The pages that show the text of ``report``'s ``index.md`` (``section`` None) or of
    ``section``: the report page (the whole document), the section's own page, each page of
    the quarter after whose "So với quý trước" compares with it (found as that page finds
    it: :func:`baocao.compile.compare.previous_section`), and the tracker (similarity)."""
    pages = {sitemap.report_uri(report)}
    if section is None:
        return pages
    pages |= {sitemap.section_uri(report, section), sitemap.TRACKER}
    after = report.period.next()
    for later in (r for r in [*archive.reports, *archive.replaced] if r.period == after):
        pages.update(sitemap.section_uri(later, s) for s in later.sections
                     if compare.previous_section(archive, later, s)[1] is section)
    return pages


def to_draw(previous: Archive, archive: Archive, changed: set[str]) -> set[str] | None:
    """Addresses of baocao's pages to draw again after the files ``changed`` (paths from
    the root, :func:`changed_files`) changed; None: every page. Only a change of the text
    alone of report and section files is drawn page by page."""
    old, new = _sources(previous), _sources(archive)
    if set(old) != set(new) or ([(r.period, r.folder, r.unreadable) for r in previous.reports]
                                != [(r.period, r.folder, r.unreadable) for r in archive.reports]):
        return None
    pages: set[str] = set()
    for path in changed:
        if path not in old or not _same_front(old[path], new[path]):
            return None  # anything but a content file's text: a registry, a seal file, a file added...
        pages |= text_readers(archive, *new[path])
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
