"""Characters that no contributor text may hold, found at their line.

- **Control characters** (C0 other than tab and newline, DEL, C1), the line and paragraph
  separators U+2028/U+2029 (a line break to YAML and JavaScript, not to Markdown) and
  **non-characters** (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF): invisible, and Word's XML cannot hold
  most of them (the Word export would fail). Refused: ``text-control``.
- **Direction overrides and isolates** (U+202A–U+202E, U+2066–U+2069): they reorder what a
  reader sees (``Kết nạp \\u202e01\\u202c`` shows "10"). Refused: ``text-bidi``.
- **Zero-width characters inside a word** (U+200B–U+200D, U+2060, U+FEFF between two
  letters or digits): the word looks whole but search and Word do not find it. A warning:
  ``text-zero-width``, and ``baocao check --fix`` removes them.

Used by the YAML reader (front matter and ``data/``), the text hygiene (bodies) and the
Word import (which removes them from what it imports and warns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff"
_NONCHAR_ASTRAL = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
#: Any character this module speaks of, and any character beyond the BMP (one search, of
#: a class of ranges only, which is fast, tells whether a text needs a closer look).
SUSPECT = re.compile(f"[{_CONTROL}{_BIDI}{_ZERO_WIDTH}\U00010000-\U0010ffff]")
#: Characters refused anywhere.
REFUSED = re.compile(f"[{_CONTROL}{_BIDI}{_NONCHAR_ASTRAL}]")
_IS_BIDI = re.compile(f"[{_BIDI}]")
#: Zero-width characters with a letter or digit on each side.
ZERO_WIDTH_IN_WORD = re.compile(f"(?<=\\w)[{_ZERO_WIDTH}]+(?=\\w)")
ANY_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH}]")

_NAMES = {"\x0b": "Tab dọc", "\x0c": "ngắt trang", "\x1b": "ESC", "\x00": "NUL", "\x7f": "DEL",
          "\u2028": "ngắt dòng Unicode", "\u2029": "ngắt đoạn Unicode"}


@dataclass(frozen=True)
class Found:
    """One bad character: 0-based line, code, Vietnamese message, whether only a warning."""

    line: int
    code: str
    message: str
    warning: bool = False


def describe(char: str) -> str:
    """``U+000B (Tab dọc)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _context(line: str, at: int) -> str:
    """The visible words before position ``at`` of ``line``, to say where the character is."""
    before = REFUSED.sub("", ANY_ZERO_WIDTH.sub("", line[max(0, at - 30):at])).strip()
    words = before.split()[-4:]
    return f" (ngay sau «{' '.join(words)}»)" if words else " (ở đầu dòng)"


def reason(char: str) -> tuple[str, str]:
    """(code, what is wrong with ``char`` and what to do), for a refused character."""
    if _IS_BIDI.match(char):
        return "text-bidi", ("nó làm chữ hiện khác thứ tự đã gõ (ví dụ «01» thành «10»); hãy xóa ký tự này "
                             "(xóa rồi gõ lại đoạn chữ đó).")
    return "text-control", ("trang web, bản in và tệp Word không thể hiện được; hãy xóa ký tự này (xóa rồi "
                            "gõ lại đoạn chữ đó).")


def message(char: str, line: str, at: int) -> tuple[str, str]:
    """(code, Vietnamese message) for a refused character at ``at`` of ``line``."""
    code, why = reason(char)
    kind = "Có ký tự đảo chiều chữ" if code == "text-bidi" else "Có ký tự ẩn không được phép"
    return code, f"{kind} {describe(char)}{_context(line, at)}: {why}"


def scan(text: str, limit: int = 20) -> Iterator[Found]:
    """The bad characters of ``text``, at most ``limit`` (each line reported once per code)."""
    if not SUSPECT.search(text):
        return
    count = 0
    for index, line in enumerate(text.split("\n")):
        if not SUSPECT.search(line):
            continue
        seen: set[str] = set()
        for match in REFUSED.finditer(line):
            code, said = message(match.group(), line, match.start())
            if code not in seen:
                seen.add(code)
                yield Found(index, code, said)
                count += 1
        zero = ZERO_WIDTH_IN_WORD.search(line)
        if zero:
            yield Found(index, "text-zero-width",
                        f"Có ký tự vô hình {describe(zero.group()[0])} nằm giữa một từ{_context(line, zero.start())}: "
                        "từ đó sẽ không tìm thấy được; hãy chạy `baocao check --fix` để xóa tự động.", True)
            count += 1
        if count >= limit:
            return


def without_zero_width(text: str) -> str:
    """``text`` with the zero-width characters inside words removed (``--fix``)."""
    return ZERO_WIDTH_IN_WORD.sub("", text) if ANY_ZERO_WIDTH.search(text) else text


def remove_refused(text: str) -> tuple[str, int]:
    """``text`` without refused and zero-width characters (tab and newline kept), and how
    many were removed; for text taken from elsewhere (Word)."""
    cleaned, count = REFUSED.subn("", text)
    cleaned, more = ANY_ZERO_WIDTH.subn("", cleaned)
    return cleaned, count + more
