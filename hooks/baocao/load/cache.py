"""A cache of content and data files already read and validated, kept between runs.

Reading and validating thousands of files is most of a check's time, and between two
runs almost none of them change. Each file's result (validated values, lines, body,
problems) is kept under its path with its size and modification time (``lstat``: a link
is never followed); a file whose size or time changed is read again.

The cache is plain JSON, read with :func:`json.loads` (no pickle, marshal, eval or YAML
object tags: nothing in it can construct an object or run code), kept **outside the
repository**, in the user's cache folder: ``$XDG_CACHE_HOME/baocao/<digest of the
repository's real path>/content.json`` (``~/.cache`` when unset; the system temporary
folder, per user, when there is no home). A file committed to the repository (the old
``.cache/baocao/content.pickle`` included) is never read. The cache is written
atomically and thrown away whole when this package's code changes, when it belongs to
another repository, or when it cannot be read; an entry that does not decode counts as
missing. Values are validated again by the models when taken out (pydantic-core, fast),
so even an edited cache gives only what the schemas allow.

:class:`TextCache` keeps, the same way, texts computed from texts: contributor Markdown
converted to HTML (``converted.json``), by a digest of the Markdown. The HTML taken out
is cleaned by the allowlist again at each build, like freshly converted HTML.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_NAME = "content.json"


@functools.cache
def _code_version() -> str:
    """A digest of this package's source (as imported): any code change invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir(root: Path) -> Path:
    """Where the cache of the repository at ``root`` lives (outside it)."""
    real = os.path.realpath(root)
    key = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        base = os.path.join(home, ".cache") if os.path.isabs(home) and home != "/" else ""
    if not base:
        base = os.path.join(tempfile.gettempdir(), f"baocao-cache-{os.getuid() if hasattr(os, 'getuid') else 0}")
    return Path(base) / "baocao" / key


class _JsonCache:
    """One JSON file of entries in the repository's cache folder (see the module's
    docstring): read whole at start, written whole and atomically by :meth:`save`,
    dropping the entries this run did not ask for."""

    def __init__(self, root: Path, name: str, version: str) -> None:
        self.root = os.path.realpath(root)
        self.path = cache_dir(root) / name
        self.version = version
        self.entries: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.dirty = False
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read())
            if (isinstance(data, dict) and data.get("version") == self.version
                    and data.get("root") == self.root and isinstance(data.get("entries"), dict)):
                self.entries = data["entries"]
        except (OSError, ValueError, RecursionError):  # missing, unreadable or not JSON: empty
            self.entries = {}

    def save(self) -> None:
        """Write the cache (dropping entries not asked for in this run); never fails."""
        if not self.dirty and set(self.entries) <= self.seen:
            return
        entries = {key: value for key, value in self.entries.items() if key in self.seen}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"version": self.version, "root": self.root, "entries": entries}, handle,
                              ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, TypeError, ValueError):
            pass


class TextCache(_JsonCache):
    """Texts computed from texts (Markdown converted to HTML), by a digest of the input;
    ``kind`` names the computation, and ``version`` says what else the result depends
    on (a library's version): a change of either, or of this package, empties it. What
    is taken out is only a string; the caller treats it as untrusted."""

    def __init__(self, root: Path, kind: str, version: str = "") -> None:
        super().__init__(root, f"{kind}.json", f"{_code_version()} {version}")

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def get(self, text: str) -> str | None:
        key = self._key(text)
        self.seen.add(key)
        value = self.entries.get(key)
        if not isinstance(value, str):
            return None
        try:
            value.encode("utf-8")  # JSON can hold a lone surrogate, which no text has
        except UnicodeEncodeError:
            del self.entries[key]  # a bad entry is a missing one
            self.dirty = True
            return None
        return value

    def put(self, text: str, result: str) -> None:
        key = self._key(text)
        self.seen.add(key)
        self.entries[key] = result
        self.dirty = True


class FileCache(_JsonCache):
    """Records of content and data files. Kept for a process's life (``mkdocs serve``), it
    also keeps each record decoded: a rebuild takes an unchanged file's record as it is,
    neither read nor decoded again, and knows which files it read again (:attr:`missed`)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, CACHE_NAME, _code_version())
        self.decoded: dict[str, tuple[list[int] | None, Any]] = {}
        #: files read again in this run (new, or changed since the run before).
        self.missed: set[str] = set()

    def begin(self) -> None:
        """A new run of the same process."""
        self.missed = set()

    @staticmethod
    def _stamp(path: Path) -> list[int] | None:
        try:
            info = os.lstat(path)
        except OSError:
            return None
        return [info.st_size, info.st_mtime_ns]

    def get(self, path: Path, decode: Callable[[Any], Any], stamp: list[int] | None = None):
        """The record kept for ``path`` if the file is unchanged, decoded by ``decode``;
        None when missing, changed, or when the entry does not decode. ``stamp`` is the
        file's ``[size, mtime_ns]`` when the caller has just taken it (the layout walk)."""
        key = str(path)
        self.seen.add(key)
        stamp = stamp if stamp is not None else self._stamp(path)
        kept = self.decoded.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        self.missed.add(key)
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp):
            return None
        try:
            record = decode(entry[1])
        except Exception:  # noqa: BLE001 - a bad entry is a missing one
            self.entries.pop(key, None)
            return None
        self.decoded[key] = (stamp, record)
        return record

    def put(self, path: Path, encoded: Any, stamp: list[int] | None = None, decoded: Any = None) -> None:
        """Keep ``encoded`` (and the record it encodes, ``decoded``, for this process)."""
        stamp = stamp if stamp is not None else self._stamp(path)
        if stamp is not None:
            self.entries[str(path)] = [stamp, encoded]
            self.dirty = True
            if decoded is not None:
                self.decoded[str(path)] = (stamp, decoded)
