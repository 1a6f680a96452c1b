"""The readers' logins: an htpasswd file for nginx's ``auth_basic_user_file``.

Passwords are hashed with SHA-512-crypt (``$6$``), which nginx checks through the
system's crypt(3) (glibc/libxcrypt on Debian), using libpass (the maintained fork of
passlib). 5000 rounds, crypt's own default: nginx checks the password again on every
request (a page is a dozen requests or more), so a slow hash would slow every page.

The file is replaced whole: a new file in the same folder, then ``rename``, so a failed
write leaves it as it was. Everything is done through descriptors, relative to the
folder opened once, never by path again: the existing file is opened with ``O_NOFOLLOW``
(a symlink at its name is refused), the new one is created with ``O_EXCL`` and given its
mode and owner with ``fchmod``/``fchown`` before a byte is written, and it is renamed
into place only if the name still holds it. A folder that another account may write is
refused: that account could swap names under any program. A new file is made readable
by nginx's workers (mode 0640, group ``www-data`` when that group exists and we may set
it); a replaced file keeps its owner, group and mode (never writable by others).
"""

from __future__ import annotations

import contextlib
import errno
import grp
import os
import pwd
import re
import secrets
import stat
from pathlib import Path

from passlib.hash import sha512_crypt

from baocao.deploy import DeployError
from baocao.vnformat import os_error

ROUNDS = 5000
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
NGINX_GROUP = "www-data"


def check_name(name: str) -> str:
    if ":" in name:
        raise DeployError(f"Tên đăng nhập `{name}` có dấu hai chấm (:), không dùng được; "
                          "hãy dùng chữ không dấu, số và . _ - @, ví dụ nguyenvana.")
    if "\n" in name or "\r" in name:
        raise DeployError("Tên đăng nhập có ký tự xuống dòng, không dùng được; "
                          "hãy dùng chữ không dấu, số và . _ - @, ví dụ nguyenvana.")
    if not _NAME.fullmatch(name):
        raise DeployError(f"Tên đăng nhập `{name}` không dùng được: chỉ chữ không dấu, số và . _ - @ "
                          "(tối đa 64 ký tự, bắt đầu bằng chữ hoặc số), ví dụ nguyenvana.")
    return name


def check_password(password: str) -> str:
    if "\n" in password or "\r" in password or "\0" in password:
        raise DeployError("Mật khẩu không được có ký tự xuống dòng.")
    if len(password) < MIN_PASSWORD:
        raise DeployError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    return password


def hash_password(password: str) -> str:
    return sha512_crypt.using(rounds=ROUNDS).hash(password)


def verify(password: str, hashed: str) -> bool:
    return sha512_crypt.verify(password, hashed)


_OPEN = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def _folder(path: Path) -> int:
    """A descriptor of ``path``'s folder, refused when another account may write it."""
    folder = path.parent
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        raise DeployError(f"Không có thư mục `{folder}` để ghi tệp mật khẩu `{path}`.") from None
    except OSError as error:
        raise DeployError(f"Không mở được thư mục `{folder}` của tệp mật khẩu: {_why(error, False)}.") from None
    info = os.fstat(fd)
    if info.st_uid not in (0, os.geteuid()) or _others_may_write(info):
        os.close(fd)
        raise DeployError(f"Thư mục `{folder}` cho tài khoản khác ghi vào (hoặc thuộc tài khoản khác): tài khoản "
                          "đó có thể tráo tệp mật khẩu. Hãy để tệp mật khẩu trong một thư mục chỉ quản trị viên "
                          "ghi được, ví dụ /etc/nginx.")
    return fd


def _others_may_write(info: os.stat_result) -> bool:
    """Whether an account other than the folder's owner may write it: anyone (o+w), or a
    group with a member other than the owner (a user's own private group is fine)."""
    if info.st_mode & stat.S_IWOTH:
        return True
    if not info.st_mode & stat.S_IWGRP:
        return False
    try:
        group = grp.getgrgid(info.st_gid)
    except KeyError:
        return True
    owners = {pwd.getpwuid(info.st_uid).pw_name} if _known_uid(info.st_uid) else set()
    members = set(group.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == info.st_gid}
    return bool(members - owners)


def _known_uid(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _open_existing(folder: int, path: Path) -> int | None:
    """A descriptor of the existing file (None when there is none), never through a link."""
    try:
        fd = os.open(path.name, os.O_RDONLY | _OPEN, dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DeployError(f"`{path}` là một liên kết tượng trưng (symlink): không đọc, không ghi. Hãy chỉ "
                              "thẳng tới tệp mật khẩu thật.") from None
        if error.errno == errno.EISDIR:
            raise DeployError(f"`{path}` là một thư mục, không phải tệp mật khẩu.") from None
        raise DeployError(f"Không đọc được tệp mật khẩu `{path}`: {_why(error, False)}.") from None
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        os.close(fd)
        raise DeployError(f"`{path}` là một thư mục, không phải tệp mật khẩu.")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DeployError(f"`{path}` không phải là tệp thường: không dùng làm tệp mật khẩu.")
    return fd


def _lines(fd: int | None, path: Path) -> list[str]:
    if fd is None:
        return []
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise DeployError(f"Tệp mật khẩu `{path}` không phải chữ UTF-8: không đổi gì.") from None


def read(path: Path) -> list[str]:
    """The file's lines (empty when the file does not exist yet)."""
    if path.is_dir():
        raise DeployError(f"`{path}` là một thư mục, không phải tệp mật khẩu.")
    folder = _folder(path)
    try:
        fd = _open_existing(folder, path)
        try:
            return _lines(fd, path)
        finally:
            if fd is not None:
                os.close(fd)
    finally:
        os.close(folder)


def users(path: Path) -> list[str]:
    return [line.split(":", 1)[0] for line in read(path) if ":" in line and not line.startswith("#")]


def check_writable(path: Path) -> None:
    """Raise unless the file can be replaced (its folder exists, is ours, and may be written)."""
    folder = _folder(path)
    try:
        if not os.access(".", os.W_OK | os.X_OK, dir_fd=folder):
            raise DeployError(f"Không có quyền ghi tệp mật khẩu `{path}`; hãy chạy lệnh bằng tài khoản "
                              "quản trị (sudo).")
    finally:
        os.close(folder)


def _edit(path: Path, change) -> None:
    """Replace the file by ``change(lines)`` (a list of lines), all through descriptors."""
    folder = _folder(path)
    try:
        existing = _open_existing(folder, path)
        try:
            lines = change(_lines(existing, path))
            before = os.fstat(existing) if existing is not None else None
        finally:
            if existing is not None:
                os.close(existing)
        _replace(folder, path, lines, before)
    finally:
        os.close(folder)


def _replace(folder: int, path: Path, lines: list[str], before: os.stat_result | None) -> None:
    if not os.access(".", os.W_OK | os.X_OK, dir_fd=folder):
        raise DeployError(f"Không có quyền ghi tệp mật khẩu `{path}`; hãy chạy lệnh bằng tài khoản "
                          "quản trị (sudo).")
    tmp = f".{path.name}.{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN, 0o600, dir_fd=folder)
    except OSError as error:
        raise DeployError(f"Không ghi được tệp mật khẩu `{path}`: {_why(error, True)}.") from None
    try:
        try:
            if before is not None:
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, before.st_uid, before.st_gid)
                os.fchmod(fd, before.st_mode & 0o775)
            else:
                with contextlib.suppress(KeyError, PermissionError):
                    os.fchown(fd, -1, grp.getgrnam(NGINX_GROUP).gr_gid)
                os.fchmod(fd, 0o640)
            os.write(fd, "".join(f"{line}\n" for line in lines).encode("utf-8"))
            os.fsync(fd)
            written = os.fstat(fd)
        finally:
            os.close(fd)
        now = os.stat(tmp, dir_fd=folder, follow_symlinks=False)
        if (now.st_dev, now.st_ino) != (written.st_dev, written.st_ino):
            raise DeployError(f"Tệp tạm của `{path}` đã bị tráo trong lúc ghi: không đổi gì.")
        os.rename(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        os.fsync(folder)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        if isinstance(error, OSError):
            raise DeployError(f"Không ghi được tệp mật khẩu `{path}`: {_why(error, True)}.") from None
        raise


def add(path: Path, name: str, password: str) -> bool:
    """Add or replace ``name``; True when it replaced an existing user."""
    check_name(name)
    check_password(password)
    entry = f"{name}:{hash_password(password)}"
    replaced = False

    def change(lines: list[str]) -> list[str]:
        nonlocal replaced
        out = []
        for line in lines:
            if line.split(":", 1)[0] == name and ":" in line:
                out.append(entry)
                replaced = True
            else:
                out.append(line)
        return out if replaced else [*out, entry]

    _edit(path, change)
    return replaced


def remove(path: Path, name: str) -> None:
    check_name(name)

    def change(lines: list[str]) -> list[str]:
        kept = [line for line in lines if not (":" in line and line.split(":", 1)[0] == name)]
        if len(kept) == len(lines):
            raise DeployError(f"Không có tài khoản `{name}` trong `{path}`: không đổi gì.")
        return kept

    _edit(path, change)


def _why(error: OSError, writing: bool) -> str:
    """Why the system refused, in Vietnamese; the file is named by the message already (the
    error may name the temporary file beside it)."""
    return os_error(OSError(error.errno, error.strerror), writing=writing)
