"""Text hygiene of contributor text: Unicode NFC, legacy TCVN3/VNI mojibake, and raw HTML
that could run script. Each problem names the file line; the body is never executed or
rendered as a template, only read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from baocao.problems import Problem

# TCVN3 puts ®, §, ¶, ¹ ... inside words; VNI read as Windows-1252 gives ä, ö, û, ø, ñ after
# a letter. None of these occurs in Vietnamese written in Unicode.
_MOJIBAKE = re.compile(r"(?<=\w)[®§¶¹¸µ¦¼½¾]|[®§¶¹¸µ¦¼½¾](?=\w)|[A-Za-z][äöüûøïëÿñ]|ñ[a-z]")
_SCRIPT = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|meta|link|base)\b"
    r"|\son[a-z]+\s*="
    r"|javascript\s*:",
    re.IGNORECASE,
)


def text_problems(path: str, body: str, first: int) -> Iterator[Problem]:
    """Problems of a content file's text (``first`` is the file line of its first line)."""
    if (body.isascii() or unicodedata.is_normalized("NFC", body)) and not (
            _MOJIBAKE.search(body) or _SCRIPT.search(body)):
        return  # the common case, without walking the lines
    for offset, line in enumerate(body.split("\n")):
        number_ = first + offset
        if not line.isascii() and not unicodedata.is_normalized("NFC", line):
            yield Problem(path, number_, "", "Chữ Việt không ở dạng Unicode dựng sẵn (NFC); "
                          "hãy chạy `baocao check --fix` để sửa tự động.", "text-not-nfc")
        if _MOJIBAKE.search(line):
            yield Problem(path, number_, "", "Có chữ bị lỗi phông (bảng mã TCVN3/VNI cũ, ví dụ ®¶ng); "
                          "hãy chuyển sang Unicode (Unikey: Công cụ chuyển mã) rồi dán lại.", "text-legacy-encoding")
        if _SCRIPT.search(line):
            yield Problem(path, number_, "", "Không được chèn mã HTML có thể chạy lệnh (<script>, "
                          "<iframe>, on...=, javascript:); hãy viết chữ bình thường.", "text-unsafe-html")
