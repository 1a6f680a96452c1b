"""Folding Vietnamese text for matching and anchors.

Folding is: Unicode NFC, then ``đ``/``Đ`` to ``d``/``D`` (they do not decompose), then
NFD with the combining marks removed, then lower case. "Đảng uỷ" and "Đảng ủy" both fold
to "dang uy". :func:`slugify` uses it for heading anchors, so "Đảng viên" gives
``dang-vien`` (Python-Markdown's default drops the "Đ").
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics."""
    text = unicodedata.normalize("NFC", text).translate(_D)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(value: str, separator: str = "-") -> str:
    """Heading anchor: folded, words joined by ``separator`` (Python-Markdown's signature)."""
    words = _NON_WORD.sub(" ", fold(value)).replace("_", " ").split()
    return separator.join(words)
