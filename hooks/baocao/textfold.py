"""Folding Vietnamese text for matching and anchors.

Folding is: Unicode NFC, then ``đ``/``Đ`` to ``d``/``D`` (they do not decompose), then
NFD with the combining marks removed, then lower case. "Đảng uỷ" and "Đảng ủy" both fold
to "dang uy". :func:`slugify` uses it for heading anchors, so "Đảng viên" gives
``dang-vien`` (Python-Markdown's default drops the "Đ").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


class _WithoutMarks(dict):
    """A ``str.translate`` table that deletes combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics."""
    text = unicodedata.normalize("NFC", text).translate(_D)
    return unicodedata.normalize("NFD", text).translate(_WITHOUT_MARKS).lower()


@lru_cache(maxsize=16384)  # headings repeat quarter after quarter
def slugify(value: str, separator: str = "-") -> str:
    """Heading anchor: folded, words joined by ``separator`` (Python-Markdown's signature)."""
    words = _NON_WORD.sub(" ", fold(value)).replace("_", " ").split()
    return separator.join(words)


def unique_id(anchor: str, seen: dict[str, int]) -> str:
    """``anchor``, or ``anchor-2``, ``anchor-3`` ... the first not given yet in ``seen``
    (which counts each anchor's uses): linear however many headings repeat."""
    count = seen.get(anchor, 0)
    unique = anchor if count == 0 else f"{anchor}-{count + 1}"
    while unique in seen and unique != anchor:
        count += 1
        unique = f"{anchor}-{count + 1}"
    seen[anchor] = count + 1
    seen.setdefault(unique, 1)
    return unique
