"""A section against the same slot of the previous quarter: how similar, and which words
changed.

Texts are compared as words, normalised: comments (the scaffold's guidance is one) and
HTML tags dropped, Unicode NFC, case folded, punctuation and invisible format characters (bidi
controls included) removed from each word, so ``Đảng,`` and ``đảng`` are one word and a
Markdown bullet or ``**`` is none. The similarity is rapidfuzz's normalised Indel
similarity of the two word sequences (``2 × common words / all words``, what difflib's
``ratio`` computes, in C++ and bit-parallel); the word diff is the same alignment
(:func:`rapidfuzz.distance.Indel.opcodes`): words removed, then words added, between runs
of words kept.

Bounded by construction: at most :data:`MAX_WORDS` words of each text are compared (a
real section has under 1,000; the check allows bodies of 10,000 lines), and a word is
shown at most :data:`MAX_SHOWN` characters long, so the work and the size of the diff view
stay small whatever a file holds. The diff is data (kinds and plain strings): the section
template draws it, escaped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from baocao.model import Archive, Report, Section

#: At or above this similarity a section is "the same as last quarter's".
THRESHOLD = 0.9
#: Words of each text compared, at most.
MAX_WORDS = 4000
#: Characters of one word shown in the diff, at most.
MAX_SHOWN = 60

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
#: An HTML tag written in the text (``<b>``, ``</b>``): markup, not words.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
#: What is not part of a word's key: punctuation, symbols, format characters, ``_``.
_NOT_WORD = re.compile(r"[^\w\s]|_")
#: Invisible format characters (bidi controls, zero-width ...), never shown.
_FORMAT = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _plain(markdown: str) -> str:
    return unicodedata.normalize("NFC", _TAG.sub(" ", _COMMENT.sub(" ", markdown)))


def word_keys(markdown: str) -> list[str]:
    """The normalised words of a text, at most :data:`MAX_WORDS` (linear, in C regexes)."""
    return _NOT_WORD.sub("", _plain(markdown).casefold()).split()[:MAX_WORDS]


def similarity(old: list[str], new: list[str]) -> float:
    """How alike two word sequences are, from 0 (nothing in common) to 1 (the same)."""
    return Indel.normalized_similarity(old, new)


def percent(value: float) -> int:
    """A similarity as a whole percentage, rounded down (0.899 is 89, never "90")."""
    return int(value * 100 + 1e-9)


@dataclass(frozen=True)
class Comparison:
    """A section and the same slot of the quarter before."""

    #: the previous quarter's report, when the archive has it.
    previous_report: Report | None
    #: the previous quarter's section of the same slot, when it has one.
    previous: Section | None
    #: None when either text is empty (nothing to compare).
    similarity: float | None
    #: every figure given is the same as last quarter's (and at least one changes in time).
    figures_same: bool

    @property
    def copied(self) -> bool:
        return self.similarity is not None and self.similarity >= THRESHOLD

    @property
    def percent(self) -> int | None:
        return percent(self.similarity) if self.similarity is not None else None


def previous_section(archive: Archive, report: Report, section: Section) -> tuple[Report | None, Section | None]:
    """The previous quarter's report, and its section of the same slot (part, category)."""
    before = archive.report(report.period.previous())
    if before is None:
        return None, None
    return before, before.by_slot().get((section.meta.part, section.meta.category))


def _keys(report: Report, section: Section) -> list[str]:
    cache = report.cache.setdefault("word_keys", {})
    keys = cache.get(section.slug)
    if keys is None:
        keys = cache[section.slug] = word_keys(section.body)
    return keys


def compare(archive: Archive, report: Report, section: Section) -> Comparison:
    """``section`` against last quarter's section of its slot; computed once per section."""
    cache = report.cache.setdefault("comparisons", {})
    found = cache.get(section.slug)
    if found is not None and found[0] is section:
        return found[1]
    before, previous = previous_section(archive, report, section)
    value = None
    if previous is not None and previous.has_text and section.has_text:
        new, old = _keys(report, section), _keys(before, previous)
        value = similarity(old, new) if old and new else None
    result = Comparison(before, previous, value, _figures_same(archive, previous, section))
    cache[section.slug] = (section, result)
    return result


def _figures_same(archive: Archive, previous: Section | None, section: Section) -> bool:
    """The known figures are exactly last quarter's, and they are not only counts of
    organisations (those rarely change from one quarter to the next)."""
    if previous is None:
        return False
    now = {k: v for k, v in section.meta.figures.items() if v is not None}
    then = {k: v for k, v in previous.meta.figures.items() if v is not None}
    if not now or now != then:
        return False
    return any(archive.indicators[k].group != "to_chuc" if k in archive.indicators else True for k in now)


# --- the word diff ------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """A text's words as shown (bounded), their keys, and which start a line."""

    shown: tuple[str, ...]
    keys: tuple[str, ...]
    #: indices of words that start a new line of the text (not the first word).
    breaks: frozenset[int]
    #: the text had more than :data:`MAX_WORDS` words.
    cut: bool


def words(markdown: str) -> Words:
    shown: list[str] = []
    keys: list[str] = []
    breaks: set[int] = set()
    cut = False
    for line in _FORMAT.sub("", _plain(markdown)).splitlines():
        first = True
        for token in line.split():
            key = _NOT_WORD.sub("", token.casefold())
            if not key:
                continue  # a bullet, ``**``, a lone punctuation mark
            if len(keys) == MAX_WORDS:
                cut = True
                break
            if first and keys:
                breaks.add(len(keys))
            first = False
            shown.append(token if len(token) <= MAX_SHOWN else token[:MAX_SHOWN - 1] + "…")
            keys.append(key)
        if cut:
            break
    return Words(tuple(shown), tuple(keys), frozenset(breaks), cut)


@dataclass(frozen=True)
class Segment:
    """A run of words: ``equal`` (kept), ``delete`` (only last quarter) or ``insert`` (only
    this quarter); ``lines`` are its words joined, split where the text starts a line."""

    kind: str
    lines: tuple[str, ...]
    #: the run starts a new line of its text.
    starts_line: bool = False


@dataclass(frozen=True)
class WordDiff:
    segments: tuple[Segment, ...]
    removed: int
    added: int
    #: either text was longer than :data:`MAX_WORDS` words: only their beginnings are compared.
    cut: bool


def _run(kind: str, text: Words, start: int, end: int) -> Segment:
    lines: list[list[str]] = [[]]
    for index in range(start, end):
        if index in text.breaks and lines[-1]:
            lines.append([])
        lines[-1].append(text.shown[index])
    return Segment(kind, tuple(" ".join(line) for line in lines), start in text.breaks)


def word_diff(old_markdown: str, new_markdown: str) -> WordDiff:
    """The words removed from and added to ``old_markdown`` to make ``new_markdown``."""
    old, new = words(old_markdown), words(new_markdown)
    segments: list[Segment] = []
    removed = added = 0
    pending: list[Segment] = []  # the inserts of a change, drawn after its deletes
    for op in Indel.opcodes(old.keys, new.keys):
        if op.tag == "equal":
            segments.extend(pending)
            pending.clear()
            segments.append(_run("equal", new, op.dest_start, op.dest_end))
        elif op.tag == "delete":
            removed += op.src_end - op.src_start
            segments.append(_run("delete", old, op.src_start, op.src_end))
        else:
            added += op.dest_end - op.dest_start
            pending.append(_run("insert", new, op.dest_start, op.dest_end))
    segments.extend(pending)
    return WordDiff(tuple(segments), removed, added, old.cut or new.cut)
