"""A section against the same slot of the previous quarter: how similar, and which words
changed.

Texts are compared as words, normalised: comments (the scaffold's guidance is one) and
HTML tags dropped, Unicode NFC, lower case, invisible format characters (bidi controls
included) dropped, and ASCII punctuation removed from each word, so ``Đảng,`` and
``đảng`` are one word and a Markdown bullet or ``**`` is none. The similarity is
rapidfuzz's normalised Indel similarity of the two word sequences (``2 × common words / all
words``, what difflib's ``ratio`` computes, in C++ and bit-parallel); the word diff is the
same alignment (:func:`rapidfuzz.distance.Indel.opcodes`): words removed, then words added,
between runs of words kept (there, every punctuation mark is removed from a word's key).

Cheap enough for every ``baocao check`` (issue 22: at most 10 % more;
``tests/benchmarks/bench_similarity.py``): the words of a text are made by a few C passes
(its UTF-8 bytes less ASCII punctuation, split; a pass that cannot change the text is left
out), whether a section is a copy is decided by exact bounds in integers first (a copy
needs ``20 × words in common ≥ 9 × all words``: the shorter text's length, then
rapidfuzz's longest common subsequence with that many words as its cutoff, which gives up
on a dissimilar pair sooner than the normalised similarity does), only a pair that passes
them is measured, and rapidfuzz, a large extension to load, is imported only when a
comparison is made. On a 10-year archive (390 pairs of texts of about 640 words) the
check's comparison takes about 28 ms (37 ms without the bounds) and loading rapidfuzz
about 6 ms, of a check of about 0.40 s.

Bounded by construction: at most :data:`MAX_WORDS` words of each text are compared (a
real section has under 1,000; the check allows bodies of 10,000 lines), and a word is
shown at most :data:`MAX_SHOWN` characters long, so the work and the size of the diff view
stay small whatever a file holds. The diff is data (kinds and plain strings): the section
template draws it, escaped.
"""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

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


#: ASCII punctuation and symbols, deleted from the UTF-8 bytes of a text in one C pass
#: (Vietnamese letters are never ASCII, so they are untouched).
_ASCII_PUNCTUATION = string.punctuation.encode()


def word_keys(markdown: str) -> list[bytes]:
    """The normalised words of a text (UTF-8 bytes), at most :data:`MAX_WORDS`: a few C
    passes over the text, no Python loop over its words. A pass that cannot change the
    text is left out: comments and tags need a ``<``, and every format character is
    unprintable, so a text whose only unprintable character is the line break has none
    (asking is twice as fast as removing)."""
    text = _plain(markdown) if "<" in markdown else unicodedata.normalize("NFC", markdown)
    if not text.replace("\n", " ").isprintable():
        text = _FORMAT.sub("", text)
    text = text.lower()
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_PUNCTUATION).split()[:MAX_WORDS]


def similarity(old: list, new: list, cutoff: float = 0.0) -> float:
    """How alike two word sequences are, from 0 (nothing in common) to 1 (the same); 0 for
    anything below ``cutoff``, which rapidfuzz then decides much faster."""
    from rapidfuzz.distance import Indel  # loaded when a similarity is needed, not before

    return Indel.normalized_similarity(old, new, score_cutoff=cutoff or None)


def _fewest_common(total: int) -> int:
    """The fewest words two texts of ``total`` words in all must have in common (in order)
    for a similarity of at least :data:`THRESHOLD`: ``2 × common / total ≥ 9/10``, that is
    ``20 × common ≥ 9 × total``, in integers (exact)."""
    return (9 * total + 19) // 20


def copy_similarity(old: list, new: list) -> float:
    """What ``similarity(old, new, THRESHOLD)`` gives (the similarity when at least
    :data:`THRESHOLD`, else 0), ruling out most pairs by two exact bounds first. Both
    count words in common: a pair that has fewer than :func:`_fewest_common` is at least
    ``1 / (10 × total)`` below the threshold (far beyond rounding), so rapidfuzz's own
    value would be 0 too. First the shorter text's length (no pair has more words in
    common), then rapidfuzz's longest common subsequence with that many as its cutoff,
    which gives up on a dissimilar pair sooner than the normalised similarity does; only a
    pair that passes both is measured by :func:`similarity`, as before."""
    total = len(old) + len(new)
    needed = _fewest_common(total)
    if min(len(old), len(new)) < needed:
        return 0.0
    from rapidfuzz.distance import LCSseq  # loaded when a comparison is needed, not before

    if LCSseq.similarity(old, new, score_cutoff=needed) < needed:
        return 0.0
    return similarity(old, new, THRESHOLD)


def percent(value: float) -> int:
    """A similarity as a whole percentage, rounded down (0.899 is 89, never "90")."""
    return int(value * 100 + 1e-9)


#: The similarity of two texts (last quarter's, this quarter's) already compared in this
#: process: a preview server's rebuild draws the tracker again, whose texts but one or two
#: are those of the build before (the same strings, kept by the check's cache). Emptied
#: when it passes :data:`_SIMILARITIES_SIZE` pairs (an archive of 159 reports has 1,590).
_similarities: dict[tuple[str, str], float | None] = {}
_SIMILARITIES_SIZE = 20_000
_UNKNOWN = object()


@dataclass(eq=False)
class Comparison:
    """A section and the same slot of the quarter before. The words of both texts are
    normalised when first needed; whether the section is a copy (what the check asks) is
    decided by :func:`copy_similarity`, which rules out a dissimilar pair quickly; the
    similarity itself (what the tracker shows) is computed when first asked."""

    #: the previous quarter's report, when the archive has it.
    previous_report: Report | None
    #: the previous quarter's section of the same slot, when it has one.
    previous: Section | None
    report: Report | None = field(default=None, repr=False)
    section: Section | None = field(default=None, repr=False)
    #: every figure given is the same as last quarter's (and at least one changes in time).
    figures_same: bool = False

    @cached_property
    def old(self) -> list:
        """The previous text's normalised words (none without a previous section)."""
        return _keys(self.previous_report, self.previous) if self.previous is not None else []

    @cached_property
    def new(self) -> list:
        return _keys(self.report, self.section) if self.previous is not None else []

    @cached_property
    def similarity(self) -> float | None:
        """None when either text has no words (nothing to compare). Two texts compared
        before in this process are not compared again (:data:`_similarities`)."""
        key = self._texts
        if key is None:
            return None
        found = _similarities.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            if len(_similarities) >= _SIMILARITIES_SIZE:
                _similarities.clear()
            found = _similarities[key] = similarity(self.old, self.new) if self.old and self.new else None
        return found

    @property
    def _texts(self) -> tuple[str, str] | None:
        return (self.previous.body, self.section.body) if self.previous and self.section else None

    @cached_property
    def copied(self) -> bool:
        if "similarity" in self.__dict__ or self._texts in _similarities:
            return self.similarity is not None and self.similarity >= THRESHOLD
        if not (self.old and self.new):
            return False
        value = copy_similarity(self.old, self.new)
        if value:  # at or above the cutoff rapidfuzz gives the exact value
            self.__dict__["similarity"] = value
        return value >= THRESHOLD

    def known(self, value: float) -> None:
        """Take the similarity from elsewhere (the check's cache of earlier runs): a value
        below :data:`THRESHOLD` only says "not a copy"."""
        if value >= THRESHOLD:
            self.__dict__["similarity"] = value
        self.__dict__["copied"] = value >= THRESHOLD

    @property
    def percent(self) -> int | None:
        return percent(self.similarity) if self.similarity is not None else None

    def release(self) -> None:
        """Let go of the words (made again if asked for): the check keeps no more than two
        quarters' words alive at a time."""
        self.__dict__.pop("old", None)
        self.__dict__.pop("new", None)


def release_words(report: Report, section: Section | None = None) -> None:
    """Let go of the words of ``report``'s sections, or of one of them (made again if asked
    for): whoever walks the quarters in order keeps no more than two quarters' words."""
    if section is None:
        report.cache.pop("word_keys", None)
    else:
        report.cache.get("word_keys", {}).pop(section.slug, None)


def previous_section(archive: Archive, report: Report, section: Section) -> tuple[Report | None, Section | None]:
    """The previous quarter's report, and its section of the same slot (part, category)."""
    before = archive.report(report.period.previous())
    if before is None:
        return None, None
    return before, before.by_slot().get((section.meta.part, section.meta.category))


def _keys(report: Report, section: Section) -> list[bytes]:
    cache = report.cache.setdefault("word_keys", {})
    keys = cache.get(section.slug)
    if keys is None:
        keys = cache[section.slug] = word_keys(section.body)
    return keys


def compare(archive: Archive, report: Report, section: Section) -> Comparison:
    """``section`` against last quarter's section of its slot; made once per section."""
    cache = report.cache.setdefault("comparisons", {})
    found = cache.get(section.slug)
    if found is not None and found[0] is section:
        return found[1]
    before, previous = previous_section(archive, report, section)
    return _made(archive, report, section, before, previous, cache)


def compare_all(archive: Archive, report: Report) -> list[Comparison]:
    """:func:`compare` for each of ``report``'s sections, in order, last quarter's report
    and slots looked up once (what the check asks of every report)."""
    cache = report.cache.setdefault("comparisons", {})
    before = archive.report(report.period.previous())
    slots = before.by_slot() if before is not None else {}
    out = []
    for section in report.sections:
        found = cache.get(section.slug)
        if found is not None and found[0] is section:
            out.append(found[1])
        else:
            previous = slots.get((section.meta.part, section.meta.category))
            out.append(_made(archive, report, section, before, previous, cache))
    return out


def _made(archive: Archive, report: Report, section: Section, before: Report | None, previous: Section | None,
          cache: dict) -> Comparison:
    result = Comparison(before, previous, report, section, _figures_same(archive, previous, section))
    cache[section.slug] = (section, result)
    return result


def _figures_same(archive: Archive, previous: Section | None, section: Section) -> bool:
    """The known figures are exactly last quarter's, and they are not only counts of
    organisations (those rarely change from one quarter to the next)."""
    if previous is None:
        return False
    now, then = section.meta.figures, previous.meta.figures
    known = 0
    for key, value in now.items():  # most sections differ in their first figure: no dict made
        if value is not None:
            if then.get(key) != value:
                return False
            known += 1
    if not known or known != sum(value is not None for value in then.values()):
        return False
    return any(archive.indicators[k].group != "to_chuc" if k in archive.indicators else True
               for k, v in now.items() if v is not None)


# --- the word diff ------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """A text's words as shown (bounded), their keys, and where its lines start."""

    shown: tuple[str, ...]
    keys: tuple[str, ...]
    #: indices of the words that start a new line of the text (not the first word), in order.
    breaks: tuple[int, ...]
    #: the text had more than :data:`MAX_WORDS` words.
    cut: bool


#: a word as written -> its key (lower case, no punctuation): texts repeat their words, so
#: each is worked out once; emptied when it passes :data:`_MEMO_SIZE` entries.
_memo: dict[str, str] = {}
_MEMO_SIZE = 100_000


def _key(token: str) -> str:
    if len(_memo) >= _MEMO_SIZE:
        _memo.clear()
    key = _memo[token] = _NOT_WORD.sub("", token.lower())
    return key


#: a word longer than :data:`MAX_SHOWN` characters, cut to that length (with "…").
_LONG = re.compile(rf"(\S{{{MAX_SHOWN - 1}}})\S+")


@lru_cache(maxsize=32)  # a text is "this quarter" on its page, "last quarter" on the next one's
def words(markdown: str) -> Words:
    shown: list[str] = []
    keys: list[str] = []
    breaks: list[int] = []
    known = _memo.get
    text = _LONG.sub("\\1…", _FORMAT.sub("", _plain(markdown)))
    for line in text.splitlines():
        tokens = line.split()
        if not tokens:
            continue
        found = [known(t) or _key(t) for t in tokens]
        if "" in found:  # a bullet, ``**``, a lone punctuation mark: no word
            tokens, found = [t for t, k in zip(tokens, found, strict=True) if k], [k for k in found if k]
            if not found:
                continue
        if keys:
            breaks.append(len(keys))
        shown.extend(tokens)
        keys.extend(found)
        if len(keys) > MAX_WORDS:
            break
    cut = len(keys) > MAX_WORDS
    if cut:
        del shown[MAX_WORDS:], keys[MAX_WORDS:]
        breaks = [b for b in breaks if b < MAX_WORDS]
    return Words(tuple(shown), tuple(keys), tuple(breaks), cut)


class Segment(NamedTuple):
    """One line's part of a run of words: ``equal`` (kept), ``delete`` (only last quarter)
    or ``insert`` (only this quarter). (A named tuple: a page has a few hundred, and the
    template unpacks them.)"""

    kind: str
    #: the words, joined by spaces.
    text: str
    #: drawn after a line break (the words start a line of their text).
    starts_line: bool


@dataclass(frozen=True)
class WordDiff:
    segments: tuple[Segment, ...]
    removed: int
    added: int
    #: either text was longer than :data:`MAX_WORDS` words: only their beginnings are compared.
    cut: bool


def _run(segments: list[Segment], kind: str, text: Words, start: int, end: int) -> None:
    """Add the words ``start:end`` of ``text``, one segment per line they span."""
    if start == end:
        return
    breaks = text.breaks
    first, last = bisect_right(breaks, start), bisect_left(breaks, end)
    starts = first > 0 and breaks[first - 1] == start
    if first == last:  # most runs stay within a line
        segments.append(Segment(kind, " ".join(text.shown[start:end]), starts))
        return
    edges = [start, *breaks[first:last], end]
    for index, (a, b) in enumerate(itertools.pairwise(edges)):
        segments.append(Segment(kind, " ".join(text.shown[a:b]), starts or index > 0))


def word_diff(old_markdown: str, new_markdown: str) -> WordDiff:
    """The words removed from and added to ``old_markdown`` to make ``new_markdown``: a
    change is drawn as its removed words, then its added words; a single word kept between
    two changes is drawn as part of them (one change reads better than three)."""
    from rapidfuzz.distance import Indel

    old, new = words(old_markdown), words(new_markdown)
    ops = Indel.opcodes(old.keys, new.keys).as_list()
    segments: list[Segment] = []
    removed = added = 0
    change: list[int] | None = None  # [old start, old end, new start, new end] of the change being drawn
    for index, (tag, src_start, src_end, dest_start, dest_end) in enumerate(ops):
        lone = (tag == "equal" and dest_end - dest_start == 1 and change is not None
                and index + 1 < len(ops))
        if tag != "equal" or lone:
            if change is None:
                change = [src_start, src_end, dest_start, dest_end]
            else:
                change[1], change[3] = src_end, dest_end
            continue
        if change is not None:
            _run(segments, "delete", old, change[0], change[1])
            _run(segments, "insert", new, change[2], change[3])
            removed, added = removed + change[1] - change[0], added + change[3] - change[2]
            change = None
        _run(segments, "equal", new, dest_start, dest_end)
    if change is not None:
        _run(segments, "delete", old, change[0], change[1])
        _run(segments, "insert", new, change[2], change[3])
        removed, added = removed + change[1] - change[0], added + change[3] - change[2]
    return WordDiff(tuple(segments), removed, added, old.cut or new.cut)
