"""What may exist under ``docs/`` and ``data/``, judged before anything is read.

Everything a pull request brings is untrusted. The tree is walked without following
links (``lstat`` only):

- a symbolic link anywhere under ``docs/`` or ``data/`` is refused (it could publish
  files of the build machine, or point at ``/dev/zero``), and so is anything that is not
  a plain file or folder (device, FIFO, socket);
- under ``docs/`` only the contract's page kinds are accepted:
  ``reports/<period>/index.md`` and ``reports/<period>/<slug>.md`` (names are judged by
  the loader), the files of an issued report (:mod:`.sealfiles`: its manifest,
  errata, and the PDF and Word files made at issue, which the seal's rule checks), plus the patterns the maintainer lists under ``extra: baocao_allowed:`` in
  ``mkdocs.yml`` (trusted: reviewed by the office), as shell patterns relative to
  ``docs/`` where ``*`` also crosses ``/`` (for example ``reports/*/anh/*.png``). A
  pattern only ever admits pictures and documents to download (:data:`EXTRA_SUFFIXES`):
  never a page or anything a browser runs (``.html``, ``.htm``, ``.xhtml``, ``.svg``,
  ``.xml``, ``.js``, ``.md``...), whatever the pattern says, since the served site's
  policy trusts every script the site itself holds. Anything else (``docs/*.md``, ``.html``, ``.js``, sub-folders of a report...) is refused
  with its path, and the MkDocs adapter never publishes it;
- under ``data/`` only the data files the loader reads and the JSON Schemas of
  ``data/schemas/`` (anything else, a ``.gitattributes`` included, is refused).

The loader then reads files with :func:`read_file`: no link followed, plain files only,
the size limit applied to ``fstat`` before a byte is read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from baocao.load import sealfiles, siteconfig
from baocao.problems import Problem
from baocao.schemas import DATA_FILES

#: Deepest folder nesting walked under docs/ or data/ (deeper is refused, not walked).
MAX_DEPTH = 12
ROOTS = ("docs", "data")


@dataclass
class Layout:
    """The outcome of the walk: problems, and the paths (relative, POSIX) refused."""

    problems: list[Problem] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    #: folder (relative) -> (sub-folders, plain files) accepted in it, by name, sorted
    listing: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    #: file (relative) -> [size, mtime_ns] from the walk's lstat (the cache's stamp)
    stamps: dict[str, list[int]] = field(default_factory=dict)

    def ok(self, rel: str) -> bool:
        """Whether ``rel`` and none of its parent folders was refused."""
        parts = rel.split("/")
        return not any("/".join(parts[:n]) in self.refused for n in range(1, len(parts) + 1))


def allowed_patterns(root: Path) -> tuple[str, ...]:
    """The maintainer's extra patterns (``extra.baocao_allowed`` in ``mkdocs.yml``)."""
    return siteconfig.from_file(root / "mkdocs.yml").allowed


def data_accepted(rel: str) -> bool:
    """Whether a file at ``rel`` (``data/...``, POSIX) is one the repository keeps there:
    a data file the loader reads, or a JSON Schema written by ``baocao schema``."""
    return rel.removeprefix("data/") in DATA_FILES or fnmatchcase(rel, "data/schemas/*.schema.json")


#: What a maintainer's ``baocao_allowed`` pattern may admit (lower-cased suffix): pictures
#: and documents to download, which browsers never run (an allowlist).
EXTRA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".odt", ".ods"})


def accepted(uri: str, patterns: tuple[str, ...] = ()) -> bool:
    """Whether a file at ``uri`` (relative to ``docs/``, POSIX) is a known page kind."""
    parts = uri.split("/")
    if len(parts) == 3 and parts[0] == "reports" and (parts[2].endswith(".md") or sealfiles.known(parts[2])):
        return True
    return extra_kind(uri) and any(fnmatchcase(uri, pattern) for pattern in patterns)


def extra_kind(uri: str) -> bool:
    """Whether a file at ``uri`` is of a kind a maintainer's pattern may admit."""
    name = uri.rsplit("/", 1)[-1]
    return "." in name and name[name.rindex("."):].lower() in EXTRA_SUFFIXES


def scan(root: Path, patterns: tuple[str, ...] | None = None) -> Layout:
    """Walk ``docs/`` and ``data/`` under ``root`` without following links."""
    layout = Layout()
    if patterns is None:
        patterns = allowed_patterns(root)
    for top in ROOTS:
        path = root / top
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if _refuse(layout, top, info):
            continue
        _walk(layout, path, top, top == "docs", patterns, 1)
    return layout


def _refuse(layout: Layout, rel: str, info: os.stat_result) -> bool:
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        layout.refused.add(rel)
        layout.problems.append(Problem(rel, 1, "", "Liên kết tượng trưng (symlink) không được phép trong kho; "
                                       "hãy thay bằng tệp thật hoặc xóa.", "file-symlink"))
        return True
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        layout.refused.add(rel)
        layout.problems.append(Problem(rel, 1, "", "Đây không phải tệp thường (thiết bị, đường ống...); "
                                       "hãy xóa khỏi kho.", "file-special"))
        return True
    return False


def _walk(layout: Layout, folder: Path, rel: str, in_docs: bool, patterns: tuple[str, ...], depth: int) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    folders: list[str] = []
    files: list[str] = []
    layout.listing[rel] = (folders, files)
    for entry in entries:
        entry_rel = f"{rel}/{entry.name}"
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if _refuse(layout, entry_rel, info):
            continue
        if stat.S_ISDIR(info.st_mode):
            if depth >= MAX_DEPTH:
                layout.refused.add(entry_rel)
                layout.problems.append(Problem(entry_rel, 1, "", "Thư mục lồng nhau quá sâu; hãy xóa.",
                                               "file-unexpected"))
                continue
            folders.append(entry.name)
            _walk(layout, Path(entry.path), entry_rel, in_docs, patterns, depth + 1)
        elif accepted(entry_rel.removeprefix("docs/"), patterns) if in_docs else data_accepted(entry_rel):
            files.append(entry.name)
            layout.stamps[entry_rel] = [info.st_size, info.st_mtime_ns]
        else:
            layout.refused.add(entry_rel)
            uri = entry_rel.removeprefix("docs/")
            never = in_docs and any(fnmatchcase(uri, pattern) for pattern in patterns)
            layout.problems.append(Problem(entry_rel, 1, "", _NEVER_PUBLISHED if never else
                                           _DOCS_UNEXPECTED if in_docs else _DATA_UNEXPECTED, "file-unexpected"))


_DOCS_UNEXPECTED = ("Tệp này không thuộc cấu trúc kho (chỉ có docs/reports/<kỳ>/index.md, "
                    "docs/reports/<kỳ>/<phần>.md và các tệp ban hành ban-hanh.yml, dinh-chinh.yml) nên không được đăng; hãy xóa hoặc chuyển vào đúng thư mục "
                    "báo cáo.")
_NEVER_PUBLISHED = ("Loại tệp này không bao giờ được đăng, kể cả khi mkdocs.yml (baocao_allowed) cho phép: "
                    "ngoài các tệp báo cáo .md, kho chỉ đăng ảnh và tài liệu để tải về ("
                    + ", ".join(sorted(EXTRA_SUFFIXES)) + "). Hãy xóa tệp này hoặc lưu nó ở một dạng đó.")
_DATA_UNEXPECTED = ("Tệp này không thuộc thư mục data/ (chỉ có các tệp dữ liệu " + ", ".join(sorted(DATA_FILES))
                    + " và data/schemas/*.schema.json) nên không được dùng; hãy xóa.")


class ReadRefused(Exception):
    """A file that :func:`read_file` would not read, with the Vietnamese reason and a code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of a plain file, never through a link, at most ``limit`` bytes (checked on
    the open file before reading)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadRefused("file-read", f"Không đọc được tệp ({exc.strerror}).") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused("file-special", "Đây không phải tệp thường; hãy xóa khỏi kho.")
        if info.st_size > limit:
            raise ReadRefused("file-too-big", f"Tệp quá lớn ({info.st_size // 1024} KB, tối đa {limit // 1024} KB); "
                              "hãy tách nội dung hoặc bỏ hình ảnh nhúng.")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise ReadRefused("file-too-big", f"Tệp quá lớn (tối đa {limit // 1024} KB).")
        return data
    finally:
        os.close(fd)
