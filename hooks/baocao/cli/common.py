"""What every area of the command shares: how a sub-command is added (:func:`command`, the
one dispatch style), the period and the archive folder checked, a clean check before
writing a file, text written or printed, a file the user named refused before it is
written (a folder, a folder that does not exist) and why it could not be read or written,
in Vietnamese (:func:`baocao.vnformat.os_error`)."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from pathlib import Path

from baocao.check import run_check
from baocao.periods import Period
from baocao.problems import render
from baocao.vnformat import os_error


def command(sub, name: str, run: Callable, *, anywhere: bool = False, passes_on: bool = False, **kwargs):
    """The sub-command ``name`` (its parser, to add arguments to): ``run(root, args)`` does
    it and returns the exit code. ``anywhere``: it runs outside an archive's folder too;
    ``passes_on``: options it does not know are handed to it (``args.passed_on``)."""
    parser = sub.add_parser(name, **kwargs)
    parser.set_defaults(run=run, anywhere=anywhere, passes_on=passes_on)
    return parser


def period(text: str) -> Period | None:
    found = Period.parse(text)
    if found is None:
        print(Period.refusal(text, "2025-Q4"), file=sys.stderr)
    return found


def not_a_repository(root: Path) -> bool:
    """True (and says where to run) when ``root`` is not the archive's folder: it has
    neither ``mkdocs.yml`` nor ``data/``."""
    if (root / "mkdocs.yml").is_file() or (root / "data").is_dir():
        return False
    where = root.resolve()
    print(f"Thư mục {where} không phải kho báo cáo (không có tệp mkdocs.yml và thư mục data/). "
          "Hãy chuyển vào thư mục gốc của kho (thư mục đã tải về, có tệp mkdocs.yml) rồi chạy lại, "
          "hoặc chỉ rõ thư mục đó: `baocao --root <thư mục> ...`.", file=sys.stderr)
    return True


def output(text: str, write: str | None) -> int:
    """``text`` written to the file ``write``, or printed when there is none."""
    if not write:
        print(text, end="")
        return 0
    path = Path(write)
    if not writable(path):
        return 1
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        return cannot_write(path, error)
    print(f"Đã ghi {write}")
    return 0


def writable(path: Path) -> bool:
    """True when ``path`` (a file the user named) may be written; else False after saying
    why: it is a folder, or its folder does not exist (a typo in a path creates no folder)."""
    if path.is_dir():
        cannot_write(path, IsADirectoryError(errno.EISDIR, "Is a directory", str(path)))
        return False
    if not path.parent.is_dir():
        cannot_write(path, FileNotFoundError(errno.ENOENT, "No such file or directory", str(path)))
        return False
    return True


def cannot_write(path: Path, error: OSError) -> int:
    """Says (in Vietnamese) why ``path`` could not be written; the exit code 1."""
    print(f"Không ghi được tệp {path}: {os_error(error, writing=True)}. Không ghi gì.", file=sys.stderr)
    return 1


def cannot_read(path, error: OSError) -> int:
    """Says (in Vietnamese) why ``path`` could not be read; the exit code 2."""
    print(f"Không đọc được tệp {path}: {os_error(error, writing=False)}.", file=sys.stderr)
    return 2


def clean_check(root: Path, doing: str, blocking: Callable | None = None):
    """The check of ``root`` when it found no error (``blocking(problems)``: the errors that
    count, when some do not); else None after printing the problems and that they must be
    fixed before ``doing``."""
    result = run_check(root)
    if (not blocking(result.problems)) if blocking else result.ok:
        return result
    print(render(result.problems))
    print(f"Hãy sửa các lỗi trên trước khi {doing}.", file=sys.stderr)
    return None


def period_and_check(root: Path, text: str, doing: str, blocking: Callable | None = None):
    """The period written ``text`` and a check of ``root`` without errors (``blocking``: see
    :func:`clean_check`), or the exit code after saying what is wrong (``doing``: what the
    command was about to do)."""
    found = period(text)
    if found is None:
        return 2
    result = clean_check(root, doing, blocking and (lambda problems: blocking(problems, found)))
    if result is None:
        return 1
    return found, result


def checked_report(root: Path, text: str, doing: str):
    """The check's result and the report of the period written ``text``, or the exit code
    after saying what is wrong."""
    checked = period_and_check(root, text, doing)
    if isinstance(checked, int):
        return checked
    found, result = checked
    report = result.archive.report(found)
    if report is None:
        print(f"Chưa có báo cáo {found.label}.", file=sys.stderr)
        return 1
    return result, report


def report_file(root: Path, text: str, output: str | None, doing: str, name, write) -> int:
    """A file made from one period's report (``write(archive, report, path)``), after a clean
    check; ``name(report)`` is the file's name when ``output`` is not given."""
    checked = checked_report(root, text, doing)
    if isinstance(checked, int):
        return checked
    result, report = checked
    path = Path(output) if output else Path(name(report))
    if not writable(path):
        return 1
    try:
        write(result.archive, report, path)
    except OSError as error:
        return cannot_write(path, error)
    print(f"Đã ghi {path}")
    return 0
