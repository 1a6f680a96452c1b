"""Matching the outline: which paragraphs are headings (their numbering: A., I., I-, 1.,
2.1. …, when they are a Word heading, bold or in capitals; or Word's own numbering), and
which slot of the outline each one stands for, by number under its parent and by title
folded without diacritics (:func:`baocao.textfold.fold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from baocao.contribute.word_import.lines import Line
from baocao.model import Slot, slot_title
from baocao.periods import Period
from baocao.textfold import fold

_NUMBER = re.compile(r"^\s*(?P<num>(?:[A-ZĐ]|[IVXLC]+)\s*[.\-–]|\d+(?:\.\d+)*\.?)\s+(?P<words>\S.*)$")


def _number(text: str) -> str:
    """``I-`` / ``I -`` → ``I.``, ``2.1`` → ``2.1.``."""
    text = re.sub(r"\s+", "", text).replace("–", ".").replace("-", ".")
    return text if text.endswith(".") else text + "."


def _depth(number: str) -> int:
    """1 for A./II., 2 for 1., 3 for 2.1. (as slot levels)."""
    stem = number.rstrip(".")
    if not stem[:1].isdigit():
        return 1
    return stem.count(".") + 2


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def _similar(a: str, b: str) -> float:
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / max(len(left), len(right))


@dataclass
class Heading:
    number: str
    title: str
    depth: int


def heading_of(line: Line) -> Heading | None:
    if line.zone != "body" or line.table or len(line.text) > 300:
        return None
    if line.listed and not (line.numbered and line.bold):
        return None
    match = _NUMBER.match(line.text)
    if not match:
        # Word's own numbering (not in the text): matched by its title alone.
        if line.heading_style or (line.numbered and line.bold):
            return Heading("", line.text.strip(), 0)
        return None
    title = match.group("words").strip()
    letters = [c for c in title if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    if not (line.heading_style or line.bold or capitals):
        return None
    number = _number(match.group("num"))
    return Heading(number, title, _depth(number))


def _slot_titles(slot: Slot, period: Period) -> list[str]:
    titles = [slot_title(slot, period)]
    if slot.category is not None:
        titles.append(slot.category.short)
    return titles


def match_slot(heading: Heading, slots: list[Slot], period: Period, parents: dict[int, Slot],
               used: set[int]) -> Slot | None:
    """The slot a heading stands for: same numbering under the current parent and a title
    that shares words with it, or a title close enough wherever it is."""
    best, best_score = None, 0.0
    for index, slot in enumerate(slots):
        if index in used:
            continue
        title = max(_similar(heading.title, t) for t in _slot_titles(slot, period))
        same_number = slot.number == heading.number
        parent = parents.get(slot.level - 1)
        under = slot.level == 1 or (parent is not None and slot.full_number.startswith(parent.full_number))
        # the title decides; the same number under the same parent breaks near ties
        placed = same_number and under
        score = 0.0
        if (placed and title >= 0.3) or (title >= 0.75 and (slot.level == heading.depth or not heading.number)) \
                or (placed and slot.level == heading.depth and title >= 0.15):
            score = title + (0.3 if placed else 0.0)
        if score > best_score:
            best, best_score = slot, score
    return best
