"""A cache of content and data files already read and validated, kept between runs.

Reading and validating thousands of files is most of a check's time, and between two
runs almost none of them change. Each file's result (validated model, lines, body,
problems) is kept under its path with its size and modification time; a file whose
size or time changed is read again. The cache is one pickle file under ``.cache/``
(never committed), written atomically, and thrown away whole when this package's code
changes or when it cannot be read. It only ever holds what a fresh read would give.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

CACHE_FILE = Path(".cache") / "baocao" / "content.pickle"


def _code_version() -> str:
    """A digest of this package's source: any code change invalidates the cache."""
    digest = hashlib.sha256(sys.version.encode())  # pickled objects follow the Python version too
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FileCache:
    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_FILE
        self.version = _code_version()
        self.entries: dict[str, tuple[tuple[int, int], tuple]] = {}
        self.seen: set[str] = set()
        self.dirty = False
        try:
            with open(self.path, "rb") as handle:
                version, entries = pickle.load(handle)
            if version == self.version:
                self.entries = entries
        except Exception:  # noqa: BLE001 - a missing or unreadable cache is an empty one
            self.entries = {}

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def get(self, path: Path):
        key = str(path)
        self.seen.add(key)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == self._stamp(path):
            return entry[1]
        return None

    def put(self, path: Path, result: tuple) -> None:
        stamp = self._stamp(path)
        if stamp is not None:
            self.entries[str(path)] = (stamp, result)
            self.dirty = True

    def save(self) -> None:
        """Write the cache (dropping files no longer there); never fails the check."""
        if not self.dirty and set(self.entries) <= self.seen:
            return
        entries = {key: value for key, value in self.entries.items() if key in self.seen}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((self.version, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass
