"""MkDocs' console lines in Vietnamese, for ``baocao serve`` and ``baocao build``.

MkDocs speaks English on the console ("Building documentation...", "Serving on ...",
"Aborted with a BuildError!"). The ``baocao`` command runs MkDocs as a child process and
passes its output through :func:`relay`: the lines a user meets at every build or serve
are said in Vietnamese (:func:`translate`), any other line is passed on as it is, except
the Python traceback of an address already in use, which becomes a Vietnamese message.
Only text is handled here; MkDocs is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

_LEVELS = (("INFO    -  ", "THÔNG TIN - "), ("WARNING -  ", "CẢNH BÁO  - "), ("ERROR   -  ", "LỖI       - "),
           ("DEBUG   -  ", "GỠ LỖI    - "))
_TIME = r"(\[\d\d:\d\d:\d\d\] )?"
_LINES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(pattern), text) for pattern, text in (
    (r"^Building documentation\.\.\.$", "Đang dựng trang web..."),
    (r"^Cleaning site directory$", "Đang xóa thư mục trang web cũ"),
    (r"^Building documentation to directory: (.*)$", r"Dựng trang web vào thư mục: \1"),
    (r"^Documentation built in ([\d.]+) seconds$", r"Đã dựng xong trang web trong \1 giây"),
    (rf"^{_TIME}Serving on (\S+)$", r"\1Đang phục vụ trang xem thử tại \2"),
    (rf"^{_TIME}Watching paths for changes: (.*)$", r"\1Đang theo dõi thay đổi trong: \2"),
    (rf"^{_TIME}Detected file changes$", r"\1Có tệp thay đổi: dựng lại"),
    (rf"^{_TIME}Reloading browsers$", r"\1Tải lại trang trên trình duyệt"),
    (rf"^{_TIME}Browser connected: (\S+)$", r"\1Trình duyệt đang xem: \2"),
    (r"^Shutting down\.\.\.$", "Đang dừng..."),
    (r"^Aborted with a BuildError!$", "Đã dừng vì có lỗi."),
    (r"^Aborted with a configuration error!$", "Đã dừng vì cấu hình sai (xem dòng lỗi ở trên)."),
    (r"^Aborted with (\d+) warnings? in strict mode!$", r"Đã dừng: có \1 cảnh báo (chế độ --strict)."),
    # MkDocs' own refusal of an option baocao passed on (Click's words), pointed to baocao's help
    (r"^Usage: .*\bmkdocs (\w+) \[OPTIONS\]$", r"Cách dùng: baocao \1 [TÙY_CHỌN]"),
    (r"^Try '.*\bmkdocs (\w+) (-h|--help)' for help\.?$", r"Xem `baocao \1 --help`."),
    (r"^Error: No such option:? '?([^' ]+)'?\.? Did you mean '?([^' ]+?)'?\?$",
     r"Lỗi: không có tùy chọn `\1`; có phải `\2`?"),
    (r"^Error: No such option:? '?([^' ]+)'?\.?$", r"Lỗi: không có tùy chọn `\1`."),
    (r"^Error: Option '?([^' ]+)'? requires an argument\.?$", r"Lỗi: sau `\1` phải có một giá trị."),
    (r"^Error: Got unexpected extra arguments? \((.*)\)$", r"Lỗi: không hiểu `\1`."),
    (r"^Error: (.*)$", r"Lỗi: \1"),
))


def translate(line: str) -> str:
    """One line of MkDocs' console output in Vietnamese, or as it was."""
    end = "\n" if line.endswith("\n") else ""
    body = line[: len(line) - len(end)]
    prefix = ""
    for english, vietnamese in _LEVELS:
        if body.startswith(english):
            prefix, body = vietnamese, body[len(english):]
            break
    for pattern, text in _LINES:
        if pattern.match(body):
            body = pattern.sub(text, body)
            break
    return prefix + body + end


_TRACEBACK = "Traceback (most recent call last):"
#: The last line of the traceback of a server whose port is taken (Linux, macOS, Windows).
_ADDRESS_IN_USE = re.compile(r"^OSError: \[(Errno|WinError) (98|48|10048)\]")


def relay(lines: Iterable[str], address_in_use: Callable[[], str] | None = None) -> Iterator[str]:
    """Each line of MkDocs' output, translated. A Python traceback is held until its last
    line: when it says the address is already in use, the user gets ``address_in_use()``
    (a Vietnamese message) instead; any other traceback is passed on as it was."""
    held: list[str] = []
    for line in lines:
        if not held and line.rstrip("\r\n") != _TRACEBACK:
            yield translate(line)
            continue
        held.append(line)
        if len(held) > 1 and not line.startswith((" ", "\t")):  # the exception's line ends it
            if address_in_use is not None and _ADDRESS_IN_USE.match(line):
                yield address_in_use() + "\n"
            else:
                yield from held
            held = []
    yield from held
