"""Atomic releases of a built site: ``DIR/releases/<UTC time>-<git hash>/`` holds each
published copy, ``DIR/current`` is a symlink to one of them, replaced by ``rename(2)``
so a reader gets a whole old page or a whole new page, never a mix or an error.

A release is copied and verified (``sitecheck``) before the switch; the last N are
kept; ``rollback`` points ``current`` at the release before it. Bad input raises
``ServeError`` before anything is written.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from baocao.serve import ServeError, csp
from baocao.serve.sitecheck import verify_site

RELEASES = "releases"
CURRENT = "current"
#: Marks a folder as ours; a folder with other things and no marker is never touched.
MARKER = ".baocao-releases"
MARKER_TEXT = ("Thư mục phát hành của kho báo cáo (baocao publish). Trang đang phục vụ là "
               "current/; các bản cũ nằm trong releases/. Đừng sửa tay.\n")
LOCK = ".lock"
NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-z]{1,12}$")
_TMP_PREFIX = ".tmp-"


@dataclass
class Outcome:
    release: str
    previous: str | None
    pages: int = 0
    removed: list[str] = field(default_factory=list)
    #: the new release runs inline scripts the previous one did not: regenerate the
    #: nginx configuration (its CSP lists their hashes) and reload nginx
    scripts_changed: bool = False


def _check_target(to: Path, *, must_exist: bool) -> bool:
    """Validate ``to`` as a releases folder without writing; True when it is one already."""
    if to.is_symlink():
        raise ServeError(f"`{to}` là một liên kết tượng trưng: hãy chỉ thẳng tới thư mục phát hành.")
    if not to.exists():
        if must_exist:
            raise ServeError(f"Chưa có thư mục phát hành `{to}`: chưa phát hành lần nào.")
        if not to.parent.is_dir():
            raise ServeError(f"Không có thư mục `{to.parent}` để tạo thư mục phát hành `{to}`.")
        return False
    if not to.is_dir():
        raise ServeError(f"`{to}` không phải là thư mục phát hành (đó là một tệp).")
    entries = set(os.listdir(to)) - {LOCK}
    if not entries and not must_exist:
        return False
    if MARKER not in entries:
        raise ServeError(f"`{to}` không phải là thư mục phát hành của baocao (không có tệp {MARKER}) "
                         "và không trống: không ghi gì vào đó. Hãy chọn một thư mục trống hoặc "
                         "thư mục đã dùng cho `baocao publish`.")
    releases, current = to / RELEASES, to / CURRENT
    if not releases.is_dir() or releases.is_symlink():
        raise ServeError(f"Thư mục phát hành `{to}` hỏng: thiếu thư mục {RELEASES}/.")
    if current.exists() or current.is_symlink():
        target = os.readlink(current) if current.is_symlink() else None
        if target is None or not target.startswith(f"{RELEASES}/") or not NAME.match(target.split("/", 1)[1]):
            raise ServeError(f"`{current}` không phải liên kết tới một bản trong {RELEASES}/: "
                             "không đổi gì. Hãy kiểm tra thư mục phát hành.")
    elif must_exist:
        raise ServeError(f"Thư mục phát hành `{to}` chưa có bản nào đang phục vụ ({CURRENT}).")
    return True


def releases(to: Path) -> list[str]:
    """Release names, oldest first."""
    folder = to / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if NAME.match(p.name) and p.is_dir() and not p.is_symlink())


def current(to: Path) -> str | None:
    link = to / CURRENT
    return os.readlink(link).split("/", 1)[1] if link.is_symlink() else None


@contextmanager
def _locked(to: Path) -> Iterator[None]:
    with open(to / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServeError(f"Đang có một lệnh phát hành khác chạy trên `{to}`; hãy đợi nó xong.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    raise ServeError("Đồng hồ của máy chủ chạy lùi so với bản phát hành mới nhất; "
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
    for leftover in (to / RELEASES).glob(f"{_TMP_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return doomed


def publish(site: Path, to: Path, *, repo: Path | None = None, keep: int = 5) -> Outcome:
    """Copy ``site`` into a new release of ``to``, verify it, switch ``current`` to it."""
    if keep < 1:
        raise ServeError("--keep phải từ 1 trở lên (nên để 2 trở lên để còn quay lại bản trước).")
    _check_target(to, must_exist=False)
    pages = verify_site(site, repo)
    to.mkdir(exist_ok=True)
    (to / RELEASES).mkdir(exist_ok=True)
    if not (to / MARKER).exists():
        (to / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
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
        changed = bool(previous) and not (
            csp.inline_script_hashes(to / RELEASES / name)
            <= csp.inline_script_hashes(to / RELEASES / previous))
        _switch(to, name)
        removed = _prune(to, keep)
    return Outcome(name, previous, len(pages), removed, changed)


def rollback(to: Path) -> Outcome:
    """Point ``current`` at the release before it; the newer one stays on disk."""
    _check_target(to, must_exist=True)
    with _locked(to):
        names = releases(to)
        live = current(to)
        older = [n for n in names if live is None or n < live]
        if not older:
            raise ServeError(f"Không còn bản nào cũ hơn bản đang phục vụ ({live}) để quay lại.")
        _switch(to, older[-1])
    return Outcome(older[-1], live)
