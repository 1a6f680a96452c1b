"""A pull request's content, checked with the main branch's code (for CI).

CI checks and builds every pull request before anyone has reviewed it, so it must run
nothing the pull request brings: its code (``hooks/``, ``overrides/``, ``mkdocs.yml``,
``pyproject.toml``, a committed ``__pycache__``...) is for the maintainers to review. CI
therefore checks out the base branch (trusted code) and :func:`take_content` puts in place
``docs/`` and ``data/`` only, as merging the pull request would make them: its new files
added, its deleted ones removed, a symlink kept a symlink (which the check then refuses),
what the base branch merged meanwhile kept. A conflict, or a ``.gitattributes`` or
``.gitmodules`` among them, is refused before anything is written. The files the pull
request changes anywhere else (since it left the base branch) are listed, not taken.

Only Git reads the pull request here (``git merge-base``, ``diff``, ``merge-tree``,
``ls-tree``, ``restore``); nothing of it is imported or run. Revisions must be full commit
ids, so that none can read as an option.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: The folders a pull request may change and CI takes from it.
CONTENT = ("docs", "data")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class PullRequestError(Exception):
    """A pull request's content cannot be taken; the message is for the user."""


@dataclass(frozen=True)
class Taken:
    #: paths under docs/ and data/ that the pull request changes (now as it has them).
    content: tuple[str, ...]
    #: paths it changes anywhere else: not taken, for the maintainers to review.
    outside: tuple[str, ...]


def _git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise PullRequestError(f"Lệnh git {args[0]} không chạy được: {detail}")
    return result.stdout


def _paths(output: bytes) -> list[str]:
    return [os.fsdecode(name) for name in output.split(b"\0") if name]


def _commit(root: Path, rev: str) -> str:
    if not _COMMIT.fullmatch(rev):
        raise PullRequestError(f"“{rev}” không phải mã đầy đủ của một lần gửi (commit): cần 40 chữ số "
                               "và chữ cái a-f, như git rev-parse in ra.")
    found = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True)
    if found.returncode != 0:
        raise PullRequestError(f"Kho chưa có lần gửi {rev}: hãy tải về trước (git fetch).")
    return rev


def take_content(root: Path, base: str, head: str) -> Taken:
    """Make ``docs/`` and ``data/`` of the checkout at ``root`` those of ``head`` merged
    into ``base`` (what merging the pull request would give them), and say what ``head``
    changes since it left ``base``, inside and outside them."""
    base, head = _commit(root, base), _commit(root, head)
    pending = _paths(_git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--ignored=matching",
                          "--", *CONTENT))
    if pending:
        raise PullRequestError("Thư mục docs/ hoặc data/ đang có tệp chưa lưu vào Git (kể cả tệp Git bỏ qua); "
                               "lệnh này sẽ ghi đè lên chúng nên chưa làm gì. Hãy lưu (commit), cất (git stash) "
                               "hoặc chuyển chúng đi trước.")
    # Since the pull request left the base branch: the base may have moved on since.
    fork = _git(root, "merge-base", base, head).decode().strip()
    changed = _paths(_git(root, "diff", "--name-only", "-z", "--no-renames", fork, head))
    content = tuple(p for p in changed if p.split("/", 1)[0] in CONTENT)
    outside = tuple(p for p in changed if p.split("/", 1)[0] not in CONTENT)
    merged = subprocess.run(["git", "-C", str(root), "merge-tree", "--write-tree", "--no-messages", base, head],
                            capture_output=True)
    if merged.returncode != 0:
        raise PullRequestError("Yêu cầu hợp nhất xung đột với nhánh chính (cùng sửa một chỗ): hãy cập nhật "
                               "yêu cầu hợp nhất theo nhánh chính rồi gửi lại.")
    tree = merged.stdout.decode().split("\n", 1)[0].strip()
    # Git applies a .gitattributes while it writes files (filters, encodings): none may come
    # from the pull request. (A .gitmodules has no place there either.)
    listed = _paths(_git(root, "ls-tree", "-r", "-z", "--name-only", tree, "--", *CONTENT))
    git_files = [p for p in listed if p.rsplit("/", 1)[-1] in (".gitattributes", ".gitmodules")]
    if git_files:
        raise PullRequestError(f"Yêu cầu hợp nhất có tệp cấu hình Git trong docs/ hoặc data/ ({git_files[0]}); "
                               "các thư mục này chỉ chứa nội dung báo cáo: hãy xóa tệp đó.")
    # The folders either side has (git restore refuses a path that neither knows).
    known = {p.split("/", 1)[0] for p in listed}
    known.update(folder for folder in CONTENT if _git(root, "ls-files", "-z", "--", folder))
    if known:
        _git(root, "restore", f"--source={tree}", "--worktree", "--", *sorted(known))
    return Taken(content, outside)
