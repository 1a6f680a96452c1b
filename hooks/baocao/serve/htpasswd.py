"""The readers' logins: an htpasswd file for nginx's ``auth_basic_user_file``.

Passwords are hashed with SHA-512-crypt (``$6$``), which nginx checks through the
system's crypt(3) (glibc/libxcrypt on Debian), using libpass (the maintained fork of
passlib). 5000 rounds, crypt's own default: nginx checks the password again on every
request (a page is a dozen requests or more), so a slow hash would slow every page.

The file is replaced whole (a temporary file in the same folder, then ``rename``): a
failed write leaves it as it was. A new file is made readable by nginx's workers
(mode 0640, group ``www-data`` when that group exists and we may set it).
"""

from __future__ import annotations

import contextlib
import grp
import os
import re
import tempfile
from pathlib import Path

from passlib.hash import sha512_crypt

from baocao.serve import ServeError

ROUNDS = 5000
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
NGINX_GROUP = "www-data"


def check_name(name: str) -> str:
    if ":" in name:
        raise ServeError(f"Tên đăng nhập `{name}` có dấu hai chấm (:), không dùng được; "
                         "hãy dùng chữ không dấu, số và . _ - @, ví dụ nguyenvana.")
    if "\n" in name or "\r" in name:
        raise ServeError("Tên đăng nhập có ký tự xuống dòng, không dùng được; "
                         "hãy dùng chữ không dấu, số và . _ - @, ví dụ nguyenvana.")
    if not _NAME.match(name):
        raise ServeError(f"Tên đăng nhập `{name}` không dùng được: chỉ chữ không dấu, số và . _ - @ "
                         "(tối đa 64 ký tự, bắt đầu bằng chữ hoặc số), ví dụ nguyenvana.")
    return name


def check_password(password: str) -> str:
    if "\n" in password or "\r" in password or "\0" in password:
        raise ServeError("Mật khẩu không được có ký tự xuống dòng.")
    if len(password) < MIN_PASSWORD:
        raise ServeError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    return password


def hash_password(password: str) -> str:
    return sha512_crypt.using(rounds=ROUNDS).hash(password)


def verify(password: str, hashed: str) -> bool:
    return sha512_crypt.verify(password, hashed)


def read(path: Path) -> list[str]:
    """The file's lines (empty when the file does not exist yet)."""
    if path.is_dir():
        raise ServeError(f"`{path}` là một thư mục, không phải tệp mật khẩu.")
    if not path.exists():
        return []
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ServeError(f"Không đọc được tệp mật khẩu `{path}`: {error.strerror or error}.") from None


def users(path: Path) -> list[str]:
    return [line.split(":", 1)[0] for line in read(path) if ":" in line and not line.startswith("#")]


def check_writable(path: Path) -> None:
    """Raise unless the file can be replaced (its folder exists and may be written)."""
    folder = path.parent
    if not folder.is_dir():
        raise ServeError(f"Không có thư mục `{folder}` để ghi tệp mật khẩu `{path}`.")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ServeError(f"Không có quyền ghi tệp mật khẩu `{path}`; hãy chạy lệnh bằng tài khoản "
                         "quản trị (sudo).")


def _write(path: Path, lines: list[str]) -> None:
    check_writable(path)
    text = "".join(f"{line}\n" for line in lines)
    existing = path.stat() if path.exists() else None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise ServeError(f"Không ghi được tệp mật khẩu `{path}`: {error.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if existing:
            os.chmod(tmp, existing.st_mode & 0o7777)
            with contextlib.suppress(PermissionError):
                os.chown(tmp, existing.st_uid, existing.st_gid)
        else:
            os.chmod(tmp, 0o640)
            with contextlib.suppress(KeyError, PermissionError):
                os.chown(tmp, -1, grp.getgrnam(NGINX_GROUP).gr_gid)
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ServeError(f"Không ghi được tệp mật khẩu `{path}`: {error.strerror}.") from None


def add(path: Path, name: str, password: str) -> bool:
    """Add or replace ``name``; True when it replaced an existing user."""
    check_name(name)
    check_password(password)
    lines = read(path)
    check_writable(path)
    entry = f"{name}:{hash_password(password)}"
    replaced = False
    out = []
    for line in lines:
        if line.split(":", 1)[0] == name and ":" in line:
            out.append(entry)
            replaced = True
        else:
            out.append(line)
    if not replaced:
        out.append(entry)
    _write(path, out)
    return replaced


def remove(path: Path, name: str) -> None:
    check_name(name)
    lines = read(path)
    kept = [line for line in lines if not (":" in line and line.split(":", 1)[0] == name)]
    if len(kept) == len(lines):
        raise ServeError(f"Không có tài khoản `{name}` trong `{path}`: không đổi gì.")
    _write(path, kept)
