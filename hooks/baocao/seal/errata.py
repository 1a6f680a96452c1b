"""Errata (đính chính) of an issued report: checked backwards, shown word by word.

Nghị định 30/2020/NĐ-CP, Art. 16, is the model: an error of format or wording in an
issued document is corrected by a công văn đính chính; a change of content needs a new
document that replaces the old one. An entry of ``dinh-chinh.yml`` names the công văn
(number, date), why, and each correction: the wording as issued (``old``) and the right
wording (``new``), one line of text each.

The check does not keep the issued text: it undoes the corrections on the lines that
differ from the manifest (``new`` back to ``old``) and compares the line's digest with
the one recorded at issue (:func:`restore`). A correction may not change a number
(:func:`changes_figures`): figures are content, and need a replacement report.

:func:`word_diff` gives the two wordings as runs of kept, removed and added words, for
the report page to draw side by side (no script: the server marks the words).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from baocao.schemas import Correction

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = re.compile(r"\s+|[^\s]+")


def changes_figures(correction: Correction) -> bool:
    """Whether the correction changes, adds or removes a number (``1.173``, ``25``, ``03``)."""
    return _NUMBER.findall(correction.old) != _NUMBER.findall(correction.new)


def restore(line: bytes, corrections: Sequence[tuple[int, Correction]]) -> tuple[bytes, set[int]]:
    """``line`` with every correction's new wording put back to the issued wording; the
    indices (first of each pair) of the corrections that applied."""
    used: set[int] = set()
    for index, correction in corrections:
        new = correction.new.encode("utf-8")
        if new in line:
            line = line.replace(new, correction.old.encode("utf-8"))
            used.add(index)
    return line, used


@dataclass(frozen=True)
class Run:
    """Words of a wording: ``same``, ``removed`` (in the old one only) or ``added`` (new only)."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> tuple[list[Run], list[Run]]:
    """The old and the new wording as runs, words removed marked in the old one and words
    added in the new one."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left: list[Run] = []
    right: list[Run] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Run("same", "".join(a[i1:i2])))
            right.append(Run("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Run("removed", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(Run("added", "".join(b[j1:j2])))
    return left, right
