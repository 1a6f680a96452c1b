"""What ``baocao check --fix`` repairs in content and data files, and how mojibake is told.

- a file saved as **UTF-16** (Notepad's "Unicode") is written again as UTF-8;
- **mojibake**: UTF-8 text read once as Windows-1252 or Latin-1 and saved again
  (``Chi bá»™ Ä‘Ã£`` for ``Chi bộ đã``), told and undone by ftfy (a well-kept library made for
  exactly this), line by line, only where ftfy decodes the whole line as UTF-8 (its
  explanation is ``encode``/``decode`` steps, no lossy or partial step);
- mojibake that **lost a byte**: the bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D have no
  Windows-1252 character, so reading dropped them or wrote ``?``/``�`` (``Ä?áº£ng`` for
  ``Đảng``, ``há»p`` for ``họp``); ftfy then only mends pieces (``apply
  decode_inconsistent_utf8``). :func:`mojibake` decodes such words itself (ftfy's
  Windows-1252 reading, each lost byte tried as each of the five): a lost letter is
  restored only when one Vietnamese letter fits (``Ä?`` can only be ``Đ``); otherwise
  (``á»?`` is ``ề``, ``ọ``, ``ỏ``, ``Ố`` or ``ờ``) the line is left as it is and the check
  names the word to retype, with the letters that may fit;
- text typed in the old **TCVN3 or VNI fonts** (``§¶ng bé``, ``Ñaûng boä``) pasted into a
  Unicode file, converted by the tables the Word import uses
  (:mod:`baocao.load.legacy_fonts`), a whole line at a time and only when the line has
  no letter that only Unicode has (a mixed line is left for the clerk, and still reported);
- zero-width characters inside words are removed, and everything is made Unicode NFC.

Each file is rewritten only when something changed, by a temporary file renamed over it;
only plain files that the layout walk accepts, inside the repository, are touched.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from baocao.load import characters, legacy_fonts

_CONTINUATION = "".join(legacy_fonts.byte_char(b) for b in range(0x80, 0xC0))
#: What a UTF-8 lead byte followed by a continuation byte looks like once read as
#: Windows-1252/Latin-1, or by a ``?``/``�`` where the reading lost the continuation: only
#: lines with such a pair are given to ftfy (a dropped byte leaves other pairs on its line:
#: ``há»p`` has ``á»``).
PAIR = re.compile("[\u00c2-\u00f4][" + re.escape(_CONTINUATION + "?\ufffd") + "]")
# TCVN3 puts ®, §, ¶, ¹ ... inside words; VNI read as Windows-1252 gives ä, ö, û, ø, ñ after
# a letter. None of these occurs in Vietnamese written in Unicode.
_TCVN3 = re.compile(r"(?<=\w)[®§¶¹¸µ¦¼½¾]|[®§¶¹¸µ¦¼½¾](?=\w)")
_VNI = re.compile(r"[A-Za-z][äöüûøïëÿñ]|ñ[a-z]")
LEGACY = re.compile(f"{_TCVN3.pattern}|{_VNI.pattern}")
#: The characters ``LEGACY`` looks for, as one class: a fast first search.
LEGACY_HINT = re.compile("[®§¶¹¸µ¦¼½¾äöüûøïëÿñ]")


def legacy_suspect(text: str) -> bool:
    """Whether ``text`` has TCVN3 or VNI text in it."""
    return bool(LEGACY_HINT.search(text)) and bool(LEGACY.search(text))


@dataclass(frozen=True)
class Mojibake:
    """A line of mojibake undone: ``text`` is what it should read, a letter that was lost
    and cannot be told shown as ``?``; ``retype`` the words holding such letters, each with
    the words it may be (empty when no repair is certain)."""

    text: str
    retype: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def certain(self) -> bool:
        return not self.retype


def mojibake(line: str) -> Mojibake | None:
    """``line`` with UTF-8-read-as-Windows-1252 undone, or None when it is not mojibake."""
    if not PAIR.search(line):
        return None
    import ftfy  # only for the rare line that may be mojibake: it takes a while to import

    fixed, steps = ftfy.fix_encoding_and_explain(line)
    if fixed != line and _whole_decoding(steps) and fixed.count("\ufffd") <= line.count("\ufffd"):
        # ftfy's ``restore_byte_a0`` reads ``Ã `` as ``à`` (a no-break space made a space);
        # it may as well be ``Á``, ``Í``, ``Ý`` that lost their byte (``Ã kiáº¿n``): sure only
        # after a small letter (``vÃ `` is ``và``: no capital inside a word).
        unsure = ("transcode", "restore_byte_a0") in steps and _CAPITAL_A0.search(line)
        lost = _lost_bytes(line) if unsure else None
        return lost or Mojibake(unicodedata.normalize("NFC", fixed))
    return _lost_bytes(line)


def _whole_decoding(steps: list | None) -> bool:
    """Whether ftfy's explanation is the whole line encoded and decoded as UTF-8 (a byte
    ``restore_byte_a0`` put back at most): not ``replace_lossy_sequences`` (a lost byte
    made ``�``), ``fix_c1_controls``, nor ``apply decode_inconsistent_utf8`` (pieces only)."""
    steps = list(steps or ())
    return (any(step[0] == "decode" and step[1].startswith("utf-8") for step in steps)
            and all(step[0] in ("encode", "decode") or tuple(step) == ("transcode", "restore_byte_a0")
                    for step in steps))


# --- mojibake that lost a byte ------------------------------------------------------------

#: The bytes Windows-1252 has no character for: a reading drops them or writes ``?``/``�``.
LOST_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_LOST = -1
_BASES = "aăâeêioôơuưy"
_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_LOWER = {unicodedata.normalize("NFC", base + mark) for base in _BASES for mark in _MARKS} | {"đ"}
#: The letters of Vietnamese with a diacritic or not (and ``”``, whose last byte is 0x9D):
#: what a lost byte may be restored to.
FITTING = frozenset(_LOWER | {letter.upper() for letter in _LOWER} | {"\u201d"})
#: Tones a syllable ending in p, t, c, ch never takes (only sắc or nặng).
_NOT_BEFORE_STOP = ("\u0300", "\u0309", "\u0303")
_STOP = re.compile(r"(?:p|t|c|ch)$", re.IGNORECASE)


def _byte_of() -> dict[str, int]:
    table = {legacy_fonts.byte_char(code): code for code in range(0x80, 0x100)}
    table.update({chr(code): code for code in range(0x80, 0xA0)})  # Latin-1's reading
    return table


_BYTE_OF = _byte_of()
#: ``Ã`` and a space not after a small letter: ``à`` or a capital that lost its byte.
_CAPITAL_A0 = re.compile("(?<![a-z])\u00c3 ")


def _lost_bytes(line: str) -> Mojibake | None:
    """``line`` decoded word by word where a word is mojibake that lost bytes; None when no
    word is, or when nothing on the line shows for sure that it is mojibake."""
    # Split at spaces only: a no-break space is byte 0xA0 of a letter (``Ã\xa0`` is ``à``).
    words = re.split(r"([ \t]+)", line)
    retype: list[tuple[str, tuple[str, ...]]] = []
    lost = evidence = False
    for index, word in enumerate(words):
        if word.isascii():
            continue
        decoded = _decode_word(word)
        if decoded is None:
            continue
        pieces, word_evidence = decoded
        evidence = evidence or word_evidence
        options = [piece for piece in pieces if isinstance(piece, tuple)]
        lost = lost or bool(options)
        shown = "".join(piece if isinstance(piece, str) else (piece[0] if len(piece) == 1 else "?")
                        for piece in pieces)
        if any(len(piece) > 1 for piece in options):
            retype.append((shown, _fitting_words(pieces)))
        words[index] = shown
    if not lost or not evidence:
        return None
    return Mojibake(unicodedata.normalize("NFC", "".join(words)), tuple(retype))


def _decode_word(word: str) -> tuple[list, bool] | None:
    """The pieces of ``word`` read back as UTF-8: text, or a tuple of the letters a
    sequence that lost a byte may be; and whether the word surely is mojibake. None when
    it is not UTF-8 read as Windows-1252 (a character outside that reading, a stray byte,
    a lost byte that no letter fits)."""
    codes = []
    for char in word:
        if char == "\ufffd":
            codes.append(_LOST)
        elif char < "\x80":
            codes.append(ord(char))
        elif char in _BYTE_OF:
            codes.append(_BYTE_OF[char])
        else:
            return None
    pieces: list = []
    evidence = False
    at = 0
    while at < len(codes):
        lead = codes[at]
        if lead == _LOST or lead < 0x80:
            pieces.append("\ufffd" if lead == _LOST else chr(lead))
            at += 1
            continue
        need = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
        if not need:
            return None
        sequence, at = [lead], at + 1
        while len(sequence) < need and at < len(codes):
            code = codes[at]
            if code in (_LOST, ord("?")):
                # ``?``/``�`` where a continuation belongs, after a real one: sure.
                evidence = evidence or len(sequence) > 1
                sequence.append(_LOST)
            elif 0x80 <= code <= 0xBF:
                sequence.append(code)
            else:
                break
            at += 1
        if len(sequence) == need - 1:
            # A dropped byte: sure when a letter follows (a ``»`` ends a quotation).
            evidence = evidence or (len(sequence) > 1 and at < len(codes) and chr(codes[at]).isalnum())
            sequence.append(_LOST)
        if len(sequence) < need:
            return None
        if _LOST not in sequence:
            try:
                pieces.append(bytes(sequence).decode("utf-8"))
            except UnicodeDecodeError:
                return None
            evidence = True
            continue
        fits = _fits(sequence)
        if not fits:
            return None
        # A lead that is no Vietnamese letter (``Ä``) is mojibake whatever follows it.
        evidence = evidence or legacy_fonts.byte_char(lead) not in FITTING
        pieces.append(fits)
    return pieces, evidence


def _fits(sequence: list[int]) -> tuple[str, ...]:
    """The letters of :data:`FITTING` that ``sequence`` (with lost bytes) may have been."""
    holes = [place for place, code in enumerate(sequence) if code == _LOST]
    found = []
    for fill in itertools.product(LOST_BYTES, repeat=len(holes)):
        candidate = list(sequence)
        for place, code in zip(holes, fill, strict=True):
            candidate[place] = code
        try:
            char = bytes(candidate).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if char in FITTING:
            found.append(char)
    return tuple(found)


def _fitting_words(pieces: list) -> tuple[str, ...]:
    """The words ``pieces`` may spell, keeping those Vietnamese spelling allows (a letter's
    case as the word's, no huyền/hỏi/ngã before a final p, t, c, ch) when any is left."""
    words = [""]
    for piece in pieces:
        options = (piece,) if isinstance(piece, str) else piece
        words = [word + option for word in words for option in options][:50]
    allowed = [word for word in words if _spelled(word, pieces)]
    return tuple(allowed or words)


def _spelled(word: str, pieces: list) -> bool:
    place = 0
    first = next((at for at, char in enumerate(word) if char.isalpha()), 0)
    for piece in pieces:
        if isinstance(piece, tuple) and len(piece) > 1:
            char = word[place]
            # Its case as the other letters but the first (``Đề``, ``ĐỀ``, ``Thời``).
            others = [c for at, c in enumerate(word) if c.isalpha() and at not in (first, place)]
            if place != first and others and char.isupper() != all(c.isupper() for c in others):
                return False
            if _STOP.search(word) and any(m in unicodedata.normalize("NFD", char) for m in _NOT_BEFORE_STOP):
                return False
        place += len(piece) if isinstance(piece, str) else 1
    return True


def legacy_fixed(line: str) -> str | None:
    """``line`` converted from TCVN3 or VNI, or None when it is not wholly such text."""
    if not legacy_suspect(line) or legacy_fonts.already_unicode(line):
        return None
    fixed = legacy_fonts.from_tcvn3(line) if _TCVN3.search(line) else legacy_fonts.from_vni(line)
    return fixed if fixed != line and not LEGACY.search(fixed) else None


def decode_utf16(raw: bytes) -> str | None:
    """The text of a UTF-16 file (with or without a byte-order mark), or None."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-16-le" if raw[1:2] == b"\0" else "utf-16-be"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


@dataclass
class Repaired:
    """What was done to one file: the kinds of repair and the lines of each."""

    path: Path
    done: dict[str, list[int]] = field(default_factory=dict)


def repair_text(text: str) -> tuple[str, dict[str, list[int]]]:
    """``text`` repaired, and the 1-based lines of each kind of repair."""
    done: dict[str, list[int]] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = mojibake(line)
        # Mojibake that lost letters is left for the clerk (never read as TCVN3/VNI).
        fixed, kind = (found.text if found.certain else None, "mojibake") if found else (legacy_fixed(line), "legacy")
        if fixed is not None:
            lines[index] = line = fixed
            done.setdefault(kind, []).append(index + 1)
        cleaned = characters.without_zero_width(line)
        if cleaned != line:
            lines[index] = line = cleaned
            done.setdefault("zero-width", []).append(index + 1)
        if not line.isascii() and not unicodedata.is_normalized("NFC", line):
            lines[index] = unicodedata.normalize("NFC", line)
            done.setdefault("nfc", []).append(index + 1)
    return "\n".join(lines), done


def repair_files(root: Path) -> list[Repaired]:
    """Repair every content and data file that needs it; what was done to each."""
    from baocao.load import frontmatter, layout

    changed = []
    real_root = os.path.realpath(root)
    tree = layout.scan(root)
    candidates = list((root / "docs").rglob("*.md")) + list((root / "data").glob("*.yml"))
    for path in sorted(candidates):
        rel = path.relative_to(root).as_posix()
        if not tree.ok(rel) or not os.path.realpath(path.parent).startswith(real_root + os.sep):
            continue
        try:
            raw = layout.read_file(path, 2 * frontmatter.MAX_FILE_BYTES)
        except layout.ReadRefused:
            continue
        record = Repaired(path)
        if frontmatter.utf16(raw):
            text = decode_utf16(raw)
            if text is None:
                continue
            text = text.removeprefix("\ufeff")
            record.done["utf-16"] = []
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
        fixed, done = repair_text(text)
        record.done.update(done)
        if record.done:
            _replace(path, fixed)
            changed.append(record)
    return changed


def _replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".fix-", suffix=".tmp")
    try:
        os.fchmod(fd, os.lstat(path).st_mode & 0o777)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
