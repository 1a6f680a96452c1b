"""Atomic releases of a built site: ``DIR/releases/<UTC time>-<git hash>/`` holds each
published copy, ``DIR/current`` is a symlink to one of them, replaced by ``rename(2)``
so a reader gets a whole old page or a whole new page, never a mix or an error.

A release is copied and verified (``sitecheck``) before the switch, and its manifest
``releases/<name>.sha256`` (``sha256sum -c`` reads it) records every file; the last N are
kept; ``rollback`` points ``current`` at the release before it after verifying that
release again: its manifest, its pages, no symlink, no unknown inline script. Bad input
raises ``DeployError`` before anything is written.

The marker and the lock are opened with ``O_NOFOLLOW``: a symlink put at their names by
another account is refused, never written through.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from baocao.deploy import DeployError
from baocao.deploy.sitecheck import verify_site

RELEASES = "releases"
CURRENT = "current"
#: Marks a folder as ours; a folder with other things and no marker is never touched.
MARKER = ".baocao-releases"
MARKER_TEXT = ("Thư mục phát hành của kho báo cáo (baocao publish). Trang đang phục vụ là "
               "current/; các bản cũ nằm trong releases/. Đừng sửa tay.\n")
LOCK = ".lock"
MANIFEST = ".sha256"
NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-z]{1,12}$")
_TMP_PREFIX = ".tmp-"


@dataclass
class Outcome:
    release: str
    previous: str | None
    pages: int = 0
    removed: list[str] = field(default_factory=list)
    #: what the administrator should know (in Vietnamese), the command having succeeded
    warnings: list[str] = field(default_factory=list)


def _check_target(to: Path, *, must_exist: bool) -> bool:
    """Validate ``to`` as a releases folder without writing; True when it is one already."""
    if to.is_symlink():
        raise DeployError(f"`{to}` là một liên kết tượng trưng: hãy chỉ thẳng tới thư mục phát hành.")
    if not to.exists():
        if must_exist:
            raise DeployError(f"Chưa có thư mục phát hành `{to}`: chưa phát hành lần nào.")
        if not to.parent.is_dir():
            raise DeployError(f"Không có thư mục `{to.parent}` để tạo thư mục phát hành `{to}`.")
        return False
    if not to.is_dir():
        raise DeployError(f"`{to}` không phải là thư mục phát hành (đó là một tệp).")
    entries = set(os.listdir(to)) - {LOCK}
    if not entries and not must_exist:
        return False
    if MARKER not in entries:
        raise DeployError(f"`{to}` không phải là thư mục phát hành của baocao (không có tệp {MARKER}) "
                          "và không trống: không ghi gì vào đó. Hãy chọn một thư mục trống hoặc "
                          "thư mục đã dùng cho `baocao publish`.")
    releases, current = to / RELEASES, to / CURRENT
    if not releases.is_dir() or releases.is_symlink():
        raise DeployError(f"Thư mục phát hành `{to}` hỏng: thiếu thư mục {RELEASES}/.")
    if current.exists() or current.is_symlink():
        target = os.readlink(current) if current.is_symlink() else None
        if target is None or not target.startswith(f"{RELEASES}/") or not NAME.fullmatch(target.split("/", 1)[1]):
            raise DeployError(f"`{current}` không phải liên kết tới một bản trong {RELEASES}/: "
                              "không đổi gì. Hãy kiểm tra thư mục phát hành.")
    elif must_exist:
        raise DeployError(f"Thư mục phát hành `{to}` chưa có bản nào đang phục vụ ({CURRENT}).")
    return True


def releases(to: Path) -> list[str]:
    """Release names, oldest first."""
    folder = to / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if NAME.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def current(to: Path) -> str | None:
    link = to / CURRENT
    return os.readlink(link).split("/", 1)[1] if link.is_symlink() else None


_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def _open_own_file(path: Path, flags: int) -> int:
    """A descriptor of the plain file ``path``, never through a symlink (``O_NOFOLLOW``)."""
    try:
        fd = os.open(path, flags | _NOFOLLOW, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DeployError(f"`{path}` là một liên kết tượng trưng (symlink), không phải tệp của baocao: "
                              "không ghi gì. Hãy xóa liên kết đó (có thể do một tài khoản khác đặt vào).") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DeployError(f"`{path}` không phải là tệp thường: không ghi gì. Hãy xóa nó.")
    return fd


def _mark(to: Path) -> None:
    """Write the marker unless it is there (an existing one must be a plain file)."""
    try:
        fd = _open_own_file(to / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        os.close(_open_own_file(to / MARKER, os.O_RDONLY))
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT)


@contextmanager
def _locked(to: Path) -> Iterator[None]:
    fd = _open_own_file(to / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError(f"Đang có một lệnh phát hành khác chạy trên `{to}`; hãy đợi nó xong.") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def git_hash(repo: Path | None) -> str:
    try:
        out = subprocess.run(["git", "-C", str(repo or "."), "rev-parse", "--short=7", "HEAD"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "nogit"
    value = out.stdout.strip()
    return value if out.returncode == 0 and re.fullmatch(r"[0-9a-f]{4,12}", value) else "nogit"


def _new_name(existing: list[str], short_hash: str) -> str:
    """``<UTC time>-<hash>``, later than every existing release (waits for the next
    second when two releases come in the same second)."""
    for _ in range(3):
        name = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{short_hash}"
        if not existing or name[:16] > existing[-1][:16]:
            return name
        time.sleep(1.05)
    raise DeployError("Đồng hồ của máy chủ chạy lùi so với bản phát hành mới nhất; "
                      "hãy chỉnh đồng hồ rồi phát hành lại.")


def _switch(to: Path, name: str) -> None:
    """Point ``current`` at ``releases/name`` in one ``rename``."""
    tmp = to / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(f"{RELEASES}/{name}", tmp)
    os.replace(tmp, to / CURRENT)
    fd = os.open(to, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(to: Path, keep: int) -> list[str]:
    names = releases(to)
    live = current(to)
    doomed = [n for n in names[:-keep] if n != live] if keep < len(names) else []
    for name in doomed:
        shutil.rmtree(to / RELEASES / name)
        with contextlib.suppress(FileNotFoundError):
            (to / RELEASES / f"{name}{MANIFEST}").unlink()
    for leftover in (to / RELEASES).glob(f"{_TMP_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return doomed


def _file_digest(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DeployError(f"`{path}` không phải là tệp thường.")
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def manifest(release: Path) -> dict[str, str]:
    """Relative path (POSIX) -> SHA-256 of every file of ``release``."""
    out: dict[str, str] = {}
    for path in sorted(release.rglob("*")):
        rel = path.relative_to(release).as_posix()
        if not rel.isprintable() or "\\" in rel:  # sha256sum would escape it: a site has no such name
            raise DeployError(f"Trang đã dựng có tệp tên lạ ({ascii(rel)}): không phát hành.")
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            raise DeployError(f"`{rel}` trong bản phát hành không phải tệp hay thư mục thường.")
        if path.is_file():
            out[rel] = _file_digest(path)
    return out


def _write_manifest(to: Path, name: str) -> None:
    """``releases/<name>.sha256``, as ``sha256sum`` writes it, written whole or not at all."""
    text = "".join(f"{digest}  {rel}\n" for rel, digest in manifest(to / RELEASES / name).items())
    tmp = to / RELEASES / f"{_TMP_PREFIX}{name}{MANIFEST}"
    fd = _open_own_file(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(tmp, to / RELEASES / f"{name}{MANIFEST}")


def verify_release(to: Path, name: str) -> list[str]:
    """Check ``releases/name`` against its manifest and the site rules; raise
    ``DeployError`` naming the first difference. Returns warnings (no manifest)."""
    release = to / RELEASES / name
    where = to / RELEASES / f"{name}{MANIFEST}"
    try:
        fd = _open_own_file(where, os.O_RDONLY)
    except FileNotFoundError:
        recorded = None
    else:
        with os.fdopen(fd, encoding="utf-8") as handle:
            recorded = {}
            for line in handle.read().splitlines():
                digest, _, rel = line.partition("  ")
                recorded[rel] = digest
    verify_site(release, None)
    if recorded is None:
        return [f"Bản {name} không có tệp kiểm tra {where.name} (được phát hành bởi phiên bản baocao cũ): "
                "chỉ kiểm tra được các trang, không kiểm tra được từng tệp."]
    actual = manifest(release)
    changed = sorted(rel for rel in recorded.keys() | actual.keys() if recorded.get(rel) != actual.get(rel))
    if changed:
        shown = ", ".join(changed[:5]) + (f" và {len(changed) - 5} tệp khác" if len(changed) > 5 else "")
        raise DeployError(f"Bản {name} đã bị sửa sau khi phát hành (khác với {where.name}): {shown}. "
                          "Không quay lại bản này; hãy phát hành lại từ kho (`baocao build` rồi `baocao publish`).")
    return []


def publish(site: Path, to: Path, *, repo: Path | None = None, keep: int = 5) -> Outcome:
    """Copy ``site`` into a new release of ``to``, verify it, switch ``current`` to it."""
    if keep < 1:
        raise DeployError("--keep phải từ 1 trở lên (nên để 2 trở lên để còn quay lại bản trước).")
    _check_target(to, must_exist=False)
    pages = verify_site(site, repo)
    to.mkdir(exist_ok=True)
    (to / RELEASES).mkdir(exist_ok=True)
    _mark(to)
    with _locked(to):
        previous = current(to)
        name = _new_name(releases(to), git_hash(repo))
        staging = to / RELEASES / f"{_TMP_PREFIX}{name}"
        try:
            shutil.copytree(site, staging, symlinks=True)
            verify_site(staging, repo)
            os.sync()
            os.rename(staging, to / RELEASES / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            _write_manifest(to, name)
        except BaseException:
            shutil.rmtree(to / RELEASES / name, ignore_errors=True)
            raise
        _switch(to, name)
        removed = _prune(to, keep)
    return Outcome(name, previous, len(pages), removed)


def rollback(to: Path) -> Outcome:
    """Point ``current`` at the release before it, once verified; the newer one stays on disk."""
    _check_target(to, must_exist=True)
    with _locked(to):
        names = releases(to)
        live = current(to)
        older = [n for n in names if live is None or n < live]
        if not older:
            raise DeployError(f"Không còn bản nào cũ hơn bản đang phục vụ ({live}) để quay lại.")
        warnings = verify_release(to, older[-1])
        _switch(to, older[-1])
    return Outcome(older[-1], live, warnings=warnings)
