"""What a kept Word file may hold: its OOXML package judged against an allowlist.

A report's Word file kept at issue is published as the official one, and a pull request can
seal a file of its own with a manifest of its own; so :func:`active_content` reads the
package as Word does, with a parser, never by searching its bytes or trusting its names:

- the ZIP container (``zipfile``): every part read through a bounded stream (its declared
  size is what the file says, not what it holds): a part larger than :data:`MAX_PART`
  (:data:`MAX_RELATIONSHIPS` for ``[Content_Types].xml`` and relationships), more than
  :data:`MAX_TOTAL` in all or more than :data:`MAX_PARTS` parts is refused, never skipped;
  part names unique, ignoring case (as OPC compares them);
- ``[Content_Types].xml`` and every relationships part (``*.rels``) parsed by the standard
  library's XML parser (expat), with no DTD (OOXML has none; entities are how XML parsers
  are attacked); every content type declared and every relationship type on the lists of
  what python-docx writes (its template's parts, with the headers, footers, numbering and
  pictures it adds); every relationship internal, to a part of the package;
- every part by its first bytes, whatever its name and type: no OLE compound file (Word's
  macros, embedded objects and ActiveX controls are stored so) and no ZIP (an embedded
  package); a picture has the signature of its type; every XML part parses, with no DTD;
- the field codes of the document, its headers and footers: page numbers only (``PAGE``,
  ``NUMPAGES``, ``SECTIONPAGES``); ``DDEAUTO``, ``INCLUDETEXT``, ``INCLUDEPICTURE`` and the
  like fetch or run what is outside the file.

The file baocao makes (:mod:`baocao.export.docx`) passes; anything else is named, in
Vietnamese, one phrase per finding.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from xml.parsers import expat

#: The largest part read (uncompressed): the document of a long report is a few megabytes.
MAX_PART = 16 << 20
#: The largest ``[Content_Types].xml`` or relationships part (python-docx writes 1-2 kB).
MAX_RELATIONSHIPS = 1 << 20
#: All parts together, uncompressed, and how many parts.
MAX_TOTAL = 64 << 20
MAX_PARTS = 200

_OPC = "http://schemas.openxmlformats.org/package/2006"
_CONTENT_TYPES = f"{_OPC}/content-types"
_RELATIONSHIPS = f"{_OPC}/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_RELATIONSHIPS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"

#: Relationship types python-docx writes (its template, and what it adds).
RELATIONSHIP_TYPES = frozenset({
    f"{_OFFICE}/officeDocument",
    f"{_OPC}/relationships/metadata/core-properties",
    f"{_OPC}/relationships/metadata/thumbnail",
    f"{_OFFICE}/extended-properties",
    f"{_OFFICE}/styles",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    f"{_OFFICE}/settings",
    f"{_OFFICE}/webSettings",
    f"{_OFFICE}/fontTable",
    f"{_OFFICE}/theme",
    f"{_OFFICE}/numbering",
    f"{_OFFICE}/header",
    f"{_OFFICE}/footer",
    f"{_OFFICE}/customXml",
    f"{_OFFICE}/customXmlProps",
    f"{_OFFICE}/image",
})
#: Content types python-docx writes, and for pictures the bytes each starts with.
_PICTURES = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",), "image/gif": (b"GIF87a", b"GIF89a")}
CONTENT_TYPES = frozenset({
    "application/xml",
    _RELATIONSHIPS_TYPE,
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "application/vnd.openxmlformats-officedocument.theme+xml",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "application/vnd.ms-word.stylesWithEffects+xml",
    *(f"{_WML}.{kind}+xml" for kind in ("document.main", "styles", "settings", "webSettings", "fontTable",
                                          "numbering", "header", "footer")),
    *_PICTURES,
})
#: Parts whose field codes are read: the text Word shows.
_TEXT_PARTS = frozenset(f"{_WML}.{kind}+xml" for kind in ("document.main", "header", "footer"))
#: Field codes that only number pages.
FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_CONTENT_TYPES_PART = "[Content_Types].xml"


class _Refused(Exception):
    """The package is not one python-docx writes (the message is the Vietnamese finding)."""


def active_content(data: bytes) -> list[str]:
    """What in the Word file ``data`` is not what python-docx writes: an empty list for a
    clean file, else one Vietnamese phrase per finding (a file that cannot be read is one)."""
    found: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = _read_parts(package)
    except _Refused as refused:
        return [str(refused)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, ValueError,
            EOFError):
        return ["tệp Word không đọc được"]
    try:
        types = _content_types(parts)
    except _Refused as refused:
        return [str(refused)]
    for name, blob in parts.items():
        kind = types(name)
        if blob.startswith(_OLE):
            found.add(f"đối tượng OLE (macro, đối tượng nhúng hoặc ActiveX) ở {name}")
        elif blob.startswith(_ZIP):
            found.add(f"tệp nén nhúng ở {name}")
        if kind not in CONTENT_TYPES:
            found.add(f"phần {name} kiểu `{kind}`")
        elif kind in _PICTURES:
            if not blob.startswith(_PICTURES[kind]):
                found.add(f"phần {name} không phải ảnh {kind}")
        else:
            try:
                if kind == _RELATIONSHIPS_TYPE or name.lower().endswith(".rels"):  # OPC names ignore case
                    found.update(_relationships(name, blob, parts))
                elif kind in _TEXT_PARTS:
                    found.update(f"trường `{code}` ở {name}" for code in _fields(blob) if code not in FIELDS)
                else:
                    _parse(blob)
            except _Refused as refused:
                found.add(f"{refused} ({name})")
    return sorted(found)


def _read_parts(package: zipfile.ZipFile) -> dict[str, bytes]:
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise _Refused(f"quá nhiều phần (hơn {MAX_PARTS})")
    parts: dict[str, bytes] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if name.casefold() in seen:
            raise _Refused(f"hai phần cùng tên {name}")
        seen.add(name.casefold())
        small = name.lower().endswith(".rels") or name.casefold() == _CONTENT_TYPES_PART.casefold()
        limit = MAX_RELATIONSHIPS if small else MAX_PART
        with package.open(info) as stream:
            blob = stream.read(limit + 1)
        if len(blob) > limit:
            raise _Refused(f"phần {name} quá lớn (hơn {limit >> 20} MiB)")
        total += len(blob)
        if total > MAX_TOTAL:
            raise _Refused(f"tệp Word giải nén quá lớn (hơn {MAX_TOTAL >> 20} MiB)")
        parts[name] = blob
    return parts


def _content_types(parts: dict[str, bytes]) -> Callable[[str], str]:
    """The content type of each part, as ``[Content_Types].xml`` declares it (every type it
    declares must be on the list, used or not)."""
    blob = parts.get(_CONTENT_TYPES_PART)
    if blob is None:
        raise _Refused("thiếu [Content_Types].xml: không phải tệp Word")
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for tag, attrs in _parse(blob):
        if tag == f"{_CONTENT_TYPES}}}Default":
            defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
        elif tag == f"{_CONTENT_TYPES}}}Override":
            overrides[attrs.get("PartName", "").lower()] = attrs.get("ContentType", "")
        elif tag != f"{_CONTENT_TYPES}}}Types":
            raise _Refused(f"[Content_Types].xml có phần tử lạ `{tag}`")
    declared = sorted(set(defaults.values()) | set(overrides.values()))
    strange = [t for t in declared if t not in CONTENT_TYPES]
    if strange:
        raise _Refused(f"kiểu nội dung `{strange[0]}`")

    def kind(name: str) -> str:
        if name == _CONTENT_TYPES_PART:
            return "application/xml"
        found = overrides.get("/" + name.lower())
        return found if found is not None else defaults.get(_extension(name), "(không rõ)")

    return kind


def _extension(name: str) -> str:
    """As OPC reads it: ``_rels/.rels`` has the extension ``rels``."""
    base = posixpath.basename(name)
    return base.rpartition(".")[2].lower() if "." in base else ""


def _relationships(name: str, blob: bytes, parts: dict[str, bytes]) -> list[str]:
    """The relationships of one ``.rels`` part that python-docx would not write."""
    found = []
    folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels: targets are relative to word/
    for tag, attrs in _parse(blob):
        if tag == f"{_RELATIONSHIPS}}}Relationships":
            continue
        if tag != f"{_RELATIONSHIPS}}}Relationship":
            raise _Refused(f"phần tử lạ `{tag}` trong quan hệ")
        kind, target = attrs.get("Type", ""), attrs.get("Target", "")
        if kind not in RELATIONSHIP_TYPES:
            found.append(f"quan hệ `{kind.rsplit('/', 1)[-1] or kind}` ở {name}")
        if attrs.get("TargetMode", "Internal") != "Internal":
            found.append(f"liên kết ra ngoài `{target}` ở {name}")
            continue
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if path not in parts:
            found.append(f"quan hệ tới `{target}` không có trong tệp ({name})")
    return found


def _fields(blob: bytes) -> list[str]:
    """The first word of every field code in a part of text: simple fields (``w:fldSimple``)
    and complex ones (``w:instrText`` between a ``begin`` and its ``separate`` or ``end``,
    however the code is split into runs, fields nested)."""
    codes: list[str] = []
    open_fields: list[list[str]] = []
    reading: list[bool] = []
    text: list[str] = []
    inside = [False]  # in a w:instrText: only its characters are kept

    def close(buffer: list[str]) -> None:
        words = "".join(buffer).split()
        codes.append(words[0].upper() if words else "")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_W}}}fldSimple":
            words = attrs.get(f"{_W}}}instr", "").split()
            codes.append(words[0].upper() if words else "")
        elif tag == f"{_W}}}fldChar":
            kind = attrs.get(f"{_W}}}fldCharType")
            if kind == "begin":
                open_fields.append([])
                reading.append(True)
            elif kind in ("separate", "end") and open_fields:
                if reading[-1]:
                    close(open_fields[-1])
                    reading[-1] = False
                if kind == "end":
                    open_fields.pop()
                    reading.pop()
        elif tag == f"{_W}}}instrText":
            text.clear()
            inside[0] = True

    def end(tag: str) -> None:
        if tag == f"{_W}}}instrText":
            inside[0] = False
            if open_fields and reading[-1]:
                open_fields[-1].append("".join(text))
            else:  # an instruction outside a field: judged on its own
                close(text)
            text.clear()

    _parse(blob, start, end, lambda data: text.append(data) if inside[0] else None)
    for buffer, still in zip(open_fields, reading, strict=True):
        if still:
            close(buffer)
    return codes


def _parse(blob: bytes, start: Callable[[str, dict[str, str]], None] | None = None,
           end: Callable[[str], None] | None = None,
           chars: Callable[[str], None] | None = None) -> list[tuple[str, dict[str, str]]]:
    """Parse one XML part with expat (names as ``{namespace}local``, without the braces'
    first one: ``namespace}local``); refuse a DTD. Without ``start``, returns every element
    with its attributes."""
    elements: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate(namespace_separator="}")

    def doctype(*_args) -> None:
        raise _Refused("khai báo DTD")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start or (lambda tag, attrs: elements.append((tag, attrs)))
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    try:
        parser.Parse(blob, True)
    except expat.ExpatError as error:
        raise _Refused(f"XML hỏng ở dòng {error.lineno}") from None
    return elements
