"""Vietnamese formats for readers: numbers (``1.173``; ``12,5%``) through Babel's ``vi``
locale, and dates as official documents write them: ``ngày 09 tháng 01 năm 2026`` in the
header (day and months 1-2 padded), ``22/8/2025`` in running text; and why the system refused
to read or write a file (:func:`os_error`), said in Vietnamese instead of the OS's English."""

from __future__ import annotations

import datetime as dt
import errno
import os
from functools import lru_cache

UNKNOWN = "–"


@lru_cache(maxsize=4096)
def number(value: int | float | None) -> str:
    """``1173`` -> ``1.173``; an unknown figure is ``–``, never 0."""
    if value is None:
        return UNKNOWN
    from babel.numbers import format_decimal  # imported on first use: `baocao check` rarely needs it

    return format_decimal(value, locale="vi")


@lru_cache(maxsize=4096)
def percent(value: float | None, digits: int = 1) -> str:
    """``0.125`` -> ``12,5%``."""
    if value is None:
        return UNKNOWN
    from babel.numbers import format_percent

    return format_percent(value, format="#,##0." + "#" * digits + "%", locale="vi")


@lru_cache(maxsize=4096)
def decimal(value: float | None, digits: int = 1) -> str:
    """``106.5714`` -> ``106,6``: rounded half up, as spreadsheets show it; unknown is ``–``."""
    if value is None:
        return UNKNOWN
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0." + "0" * digits, locale="vi")


def date_header(value: dt.date | None) -> str:
    """``ngày 03 tháng 4 năm 2018``; blanks left for an unknown date, as on a draft."""
    if value is None:
        return "ngày     tháng     năm     "
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def date_text(value: dt.date | None) -> str:
    """``22/8/2025`` as in running text."""
    if value is None:
        return UNKNOWN
    return f"{value.day}/{value.month}/{value.year}"


def os_error(error: OSError, *, writing: bool) -> str:
    """Why reading (or ``writing``) a file failed, in Vietnamese words a user can act on:
    ``error`` is what the system raised (its errno says which case; its English text is
    shown only for a case not foreseen here)."""
    name = error.filename
    where = f" `{name}`" if name else ""
    code = error.errno
    if code == errno.EISDIR:
        return f"`{name}` là một thư mục, không phải tệp; hãy ghi cả tên tệp" if name else \
            "đó là một thư mục, không phải tệp; hãy ghi cả tên tệp"
    if code == errno.ENOENT:
        if writing:
            folder = _parent(name)
            return (f"không có thư mục `{folder}`; hãy kiểm tra lại đường dẫn (lệnh không tự tạo thư mục), "
                    "hoặc tạo thư mục đó trước") if folder else "không có thư mục chứa tệp này"
        return f"không có tệp{where}; hãy kiểm tra lại tên và đường dẫn"
    if code == errno.ENOTDIR:
        return f"một phần của đường dẫn{where} là tệp, không phải thư mục; hãy kiểm tra lại đường dẫn"
    if code in (errno.EACCES, errno.EPERM):
        return f"không có quyền {'ghi' if writing else 'đọc'}{where}; hãy chọn chỗ khác hoặc nhờ người quản trị máy"
    if code == errno.EROFS:
        return "ổ đĩa này chỉ cho đọc, không ghi được; hãy chọn chỗ khác"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "ổ đĩa đã đầy; hãy xóa bớt tệp hoặc chọn ổ khác"
    if code == errno.ENAMETOOLONG:
        return "tên tệp hoặc đường dẫn quá dài; hãy đặt tên ngắn hơn"
    if code == errno.ELOOP:
        return f"đường dẫn{where} có liên kết (symlink) vòng lặp"
    return f"lỗi của hệ điều hành ({error.strerror or error})"


def _parent(name) -> str:
    return os.path.dirname(os.fsdecode(name)) if name else ""
