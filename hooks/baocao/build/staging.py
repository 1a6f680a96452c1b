"""Publishing a build atomically: build beside ``site/``, swap it in only after success.

A build writes into a staging folder beside the site folder (same parent, so the same
file system): ``.<site name>.staging-<pid>-<random>``. Only when the whole build has
succeeded (every hook, every strict warning counted) is it swapped in with one
``renameat2(RENAME_EXCHANGE)`` call (Linux 3.15+, glibc 2.28+, through ctypes): at every
instant ``site/`` is either the whole previous site or the whole new one, and its path
never goes missing, so a web server reading it never sees a half-written site. The old
site, now under the staging name, is then deleted.

Where the exchange is not available (another kernel, a file system without it), two
renames are used instead: ``site`` → ``.<name>.old-<pid>-<random>``, then staging →
``site``; between the two, ``site`` is briefly missing but never partial.

A build that fails, or a process killed at any moment (SIGKILL included), leaves
``site/`` untouched; the staging folders it left are removed by the next build (those
whose process is gone). A symlink at the site's path is replaced, never followed.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _prefixes(site: Path) -> tuple[str, str]:
    return f".{site.name}.staging-", f".{site.name}.old-"


def staging_dir(site: Path) -> Path:
    """A fresh staging folder path beside ``site`` (not created)."""
    return site.parent / f"{_prefixes(site)[0]}{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def clean_stale(site: Path) -> list[Path]:
    """Remove staging and old folders beside ``site`` left by builds no longer running."""
    removed = []
    try:
        entries = list(site.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        for prefix in _prefixes(site):
            if not entry.name.startswith(prefix):
                continue
            pid = entry.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                _remove(entry)
                removed.append(entry)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def swap_in(staging: Path, site: Path) -> None:
    """Make the finished ``staging`` folder the site, atomically; delete the old site."""
    if not os.path.lexists(site):
        os.rename(staging, site)
        return
    if _exchange(staging, site):
        _remove(staging)  # now the old site
        return
    old = site.parent / f"{_prefixes(site)[1]}{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(site, old)
    os.rename(staging, site)
    _remove(old)
