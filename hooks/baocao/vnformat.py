"""Vietnamese formats for readers: numbers (``1.173``; ``12,5%``) through Babel's ``vi``
locale, and dates as official documents write them: ``ngày 09 tháng 01 năm 2026`` in the
header (day and months 1-2 padded), ``22/8/2025`` in running text."""

from __future__ import annotations

import datetime as dt
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
