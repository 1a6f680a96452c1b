"""Text typed in the old Vietnamese font encodings, back to Unicode, by font name.

Before Unicode, Vietnamese was typed with 8-bit fonts that draw Vietnamese letters at the
places of Western ones: the TCVN3 (ABC) fonts ``.VnTime``, ``.VnArial`` … (TCVN 5712:1993,
VN3) and the VNI fonts ``VNI-Times``, ``VNI-Helve`` … (VNI for Windows). Word stores such
text as the Western (Windows-1252) characters of those bytes: "Đảng bộ" in ``.VnTime`` is
``§¶ng bé``, in ``VNI-Times`` ``Ñaûng boä``. Only the font name tells which it is.

No maintained PyPI package converts these (searched: none with tests and releases), so
the two published tables are here, checked by the tests on every letter:

- TCVN3 maps one byte to one letter (libiconv's ``TCVN`` table, 0xA1–0xFF, and the VN1
  capitals in 0x01–0x17 and 0x80–0xA0, which some fonts also carry). The capital fonts
  (``.VnTimeH`` …, name ending in H) draw the lower-case places as capitals.
- VNI writes a letter as a base letter and a following mark character (``a`` + ``ù`` =
  ``á``), a few letters as one character (``ô`` = ``ơ``, ``ñ`` = ``đ``).
"""

from __future__ import annotations

import unicodedata

# --- TCVN3 (TCVN 5712:1993) -----------------------------------------------------------------

#: byte -> Unicode, 0x80..0xFF (libiconv tcvn.h), then the VN1 capitals below 0x20.
_TCVN_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)
_TCVN_LOW = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
             0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}

TCVN3: dict[int, str] = {0x80 + index: char for index, char in enumerate(_TCVN_HIGH)}
TCVN3.update(_TCVN_LOW)


# --- VNI for Windows ------------------------------------------------------------------------

#: Marks after a base vowel: sắc, huyền, hỏi, ngã, nặng.
_TONES = "ùøûõï"
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
#: Marks that also change the vowel: â/ê/ô with a tone, and ă.
_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
#: One-character letters of VNI.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "í": "í", "ì": "ì"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(source: str, base: str, *marks: str) -> None:
        target = unicodedata.normalize("NFC", base + "".join(marks))
        table[source] = target
        table[source.upper()] = target.upper()
        if len(source) == 2:  # a capital base with a small mark, as some files have
            table[source[0].upper() + source[1]] = target.upper()

    for base in "aeouy":
        for tone, mark in zip(_TONES, _TONE_MARKS, strict=True):
            add(base + tone, base, mark)
    for base in "aeo":
        for hat, mark in _HAT.items():
            add(base + hat, base, "\u0302", mark)
    for breve, mark in _BREVE.items():
        add("a" + breve, "a", "\u0306", mark)
    for horn, base in (("ô", "o"), ("ö", "u")):
        for tone, mark in zip(_TONES, _TONE_MARKS, strict=True):
            add(horn + tone, base, "\u031b", mark)
    for source, target in _VNI_SINGLE.items():
        add(source, target)
    return table


VNI: dict[str, str] = _vni_table()
_VNI_FIRST = {key[0] for key in VNI if len(key) == 2}


# --- which encoding a font uses -------------------------------------------------------------


def encoding_of(font: str | None) -> str | None:
    """``tcvn3``, ``tcvn3-upper`` (capital fonts), ``vni`` or None (Unicode) for a font name."""
    if not font:
        return None
    name = font.strip().lower()
    if name.startswith(".vn") or name.startswith("vn3") or name.startswith("abc "):
        return "tcvn3-upper" if name.endswith("h") else "tcvn3"
    if name.startswith("vni-") or name.startswith("vni ") or name.startswith("vni_"):
        return "vni"
    return None


def byte_char(code: int) -> str:
    """The character Word shows for byte ``code`` of an 8-bit font (Windows-1252)."""
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(code)  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: Word keeps them as C1 controls


#: TCVN3 by the character Word stores (both the Windows-1252 and the Latin-1 reading).
_TCVN3_CHARS = {byte_char(code): char for code, char in TCVN3.items()}
_TCVN3_CHARS.update({chr(code): char for code, char in TCVN3.items() if chr(code) not in _TCVN3_CHARS})


def _plain(text: str) -> str:
    """Symbol-font private-use characters (U+F020–U+F0FF, how Word sometimes stores text in
    a font it does not know) as the byte's character."""
    if not any("\uf000" <= char <= "\uf0ff" for char in text):
        return text
    return "".join(byte_char(ord(char) - 0xF000) if "\uf000" <= char <= "\uf0ff" else char for char in text)


def from_tcvn3(text: str, upper: bool = False) -> str:
    result = unicodedata.normalize("NFC", "".join(_TCVN3_CHARS.get(char, char) for char in _plain(text)))
    return result.upper() if upper else result


def from_vni(text: str) -> str:
    chars = _plain(text)
    out = []
    index = 0
    while index < len(chars):
        pair = chars[index:index + 2]
        if chars[index] in _VNI_FIRST and pair in VNI:
            out.append(VNI[pair])
            index += 2
            continue
        out.append(VNI.get(chars[index], chars[index]))
        index += 1
    return unicodedata.normalize("NFC", "".join(out))


def already_unicode(text: str) -> bool:
    """Whether ``text`` has Vietnamese letters no 8-bit font stores (ơ, ư, đ, ạ …): then it
    was typed in Unicode, and only the font name is old."""
    for char in text:
        if ord(char) > 0xFF and not "\uf000" <= char <= "\uf0ff" and char.isalpha():
            try:
                char.encode("cp1252")
            except UnicodeEncodeError:
                return True
    return False


def to_unicode(text: str, font: str | None) -> str:
    """``text`` as typed in ``font``, in Unicode (unchanged for a Unicode font, or for text
    that is Unicode already)."""
    encoding = encoding_of(font)
    if encoding is None or already_unicode(text):
        return text
    if encoding == "vni":
        return from_vni(text)
    return from_tcvn3(text, upper=encoding == "tcvn3-upper")
