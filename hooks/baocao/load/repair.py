"""What ``baocao check --fix`` repairs in content and data files, and how mojibake is told.

- a file saved as **UTF-16** (Notepad's "Unicode") is written again as UTF-8;
- **mojibake**: UTF-8 text read once as Windows-1252 or Latin-1 and saved again
  (``Chi bá»™ Ä‘Ã£`` for ``Chi bộ đã``), told and undone by ftfy (a well-kept library made for
  exactly this), line by line, only where ftfy finds a real decoding to undo;
- text typed in the old **TCVN3 or VNI fonts** (``§¶ng bé``, ``Ñaûng boä``) pasted into a
  Unicode file, converted by the tables the Word import uses
  (:mod:`baocao.load.legacy_fonts`), a whole line at a time and only when the line has
  no letter that only Unicode has (a mixed line is left for the clerk, and still reported);
- zero-width characters inside words are removed, and everything is made Unicode NFC.

Each file is rewritten only when something changed, by a temporary file renamed over it;
only plain files that the layout walk accepts, inside the repository, are touched.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from baocao.load import characters, legacy_fonts

#: What a UTF-8 lead byte followed by a continuation byte looks like once read as
#: Windows-1252/Latin-1: only lines with such a pair are given to ftfy.
PAIR = re.compile("[\u00c2-\u00f4][" + re.escape("".join(legacy_fonts.byte_char(b) for b in range(0x80, 0xC0))) + "]")
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


def mojibake_fixed(line: str) -> str | None:
    """``line`` with UTF-8-read-as-Windows-1252 undone, or None when it is not mojibake."""
    if not PAIR.search(line):
        return None
    import ftfy  # only for the rare line that may be mojibake: it takes a while to import

    fixed, steps = ftfy.fix_encoding_and_explain(line)
    if fixed == line or not any(step[0] == "decode" for step in steps or ()):
        return None
    return unicodedata.normalize("NFC", fixed)


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
        fixed = mojibake_fixed(line)
        kind = "mojibake"
        if fixed is None:
            fixed, kind = legacy_fixed(line), "legacy"
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
