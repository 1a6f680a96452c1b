"""The official PDF's finish: Vietnamese metadata, and empty signature fields.

Phụ lục I of Nghị định 30/2020/NĐ-CP places the digital signatures of a document:
the signer's (người có thẩm quyền) over the signature block, between the position and
the name, centred; the organisation's (the seal, dấu) at its real size, overlapping
about a third of the signer's on the left. :func:`finish` puts two empty signature
fields there, named :data:`SIGNER_FIELD` and :data:`SEAL_FIELD`, so that any PAdES tool
(the commune's token software, or ``baocao sign --field``) signs into them.

The place of the signature block comes from the printed page itself: the link that
:func:`baocao.export.pdf.print_pages` puts in its space (:data:`~baocao.export.pdf.SIGNATURE_MARK`).

Metadata (``/Info``): title (BÁO CÁO and the subject), author (the committee), subject
(number, date and subject), creation and modification dates (the date of issue, when the
report has one). Fonts: Chromium embeds every font it uses (subsets); :func:`finish`
adds none (empty fields have no appearance).

:func:`printed` prints a report page and finishes it; :func:`official_pdf` is the report's
official PDF: the one kept at issue for a sealed report, else one printed now.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from baocao.export.pdf import SIGNATURE_MARK, PdfError, print_report
from baocao.seal.manifest import state

SIGNER_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"
MM = 72 / 25.4
#: The signer's signature image: width (height is the signature block's space).
SIGNER_WIDTH = 60 * MM
#: The seal: a Party committee's round seal, 35 mm across [UNCONFIRMED: size of the seal
#: of a Đảng ủy xã not checked against the regulation].
SEAL_SIZE = 35 * MM


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    #: the date of issue, or None (then the print time stays).
    issued_on: dt.date | None


def pdf_date(day: dt.date) -> str:
    """``D:20250930000000+07'00'``: the start of ``day`` in Vietnam."""
    return f"D:{day:%Y%m%d}000000+07'00'"


@dataclass(frozen=True)
class Box:
    page: int
    x1: float
    y1: float
    x2: float
    y2: float


def places(space: Box) -> tuple[Box, Box]:
    """The signer's and the seal's boxes for the signature block's ``space``."""
    centre = (space.x1 + space.x2) / 2
    signer = Box(space.page, centre - SIGNER_WIDTH / 2, space.y1, centre + SIGNER_WIDTH / 2, space.y2)
    right = signer.x1 + SIGNER_WIDTH / 3
    middle = (space.y1 + space.y2) / 2
    seal = Box(space.page, right - SEAL_SIZE, middle - SEAL_SIZE / 2, right, middle + SEAL_SIZE / 2)
    return signer, seal


def _take_mark(writer: PdfWriter) -> Box | None:
    """Remove the signature block's link; its page and rectangle."""
    found = None
    for number, page in enumerate(writer.pages):
        annots = page.get("/Annots")
        if not annots:
            continue
        kept = ArrayObject()
        for ref in annots:
            annot = ref.get_object()
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if annot.get("/Subtype") == "/Link" and action is not None and action.get("/URI") == SIGNATURE_MARK:
                x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
                found = Box(number, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
                continue
            kept.append(ref)
        if len(kept) != len(annots):
            if kept:
                page[NameObject("/Annots")] = kept
            else:
                del page["/Annots"]
    return found


def _field(writer: PdfWriter, name: str, tooltip: str, box: Box) -> None:
    page = writer.pages[box.page]
    field = DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"),
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/T"): TextStringObject(name),
        NameObject("/TU"): TextStringObject(tooltip),
        NameObject("/F"): NumberObject(4),  # printed
        NameObject("/Rect"): ArrayObject(FloatObject(round(v, 2)) for v in (box.x1, box.y1, box.x2, box.y2)),
        NameObject("/P"): page.indirect_reference,
    })
    ref = writer._add_object(field)
    page.setdefault(NameObject("/Annots"), ArrayObject()).append(ref)
    form = writer.root_object.setdefault(NameObject("/AcroForm"), DictionaryObject())
    form.setdefault(NameObject("/Fields"), ArrayObject()).append(ref)


def finish(printed: bytes, meta: Metadata, signature_fields: bool) -> bytes:
    """The printed PDF with its metadata, the signature block's mark removed, and with
    ``signature_fields`` the two empty signature fields."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(printed)))
    space = _take_mark(writer)
    if signature_fields:
        if space is None:
            raise PdfError("Không tìm thấy khối chữ ký trong bản in nên không đặt được ô ký số.")
        signer, seal = places(space)
        _field(writer, SIGNER_FIELD, "Chữ ký số của người có thẩm quyền", signer)
        _field(writer, SEAL_FIELD, "Chữ ký số của cơ quan, tổ chức (dấu)", seal)
    info = {"/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject, "/Creator": "baocao",
            "/Producer": "baocao (Chromium, pypdf)"}
    if meta.issued_on is not None:
        info["/CreationDate"] = info["/ModDate"] = pdf_date(meta.issued_on)
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def printed(root, archive, report, signature_fields: bool) -> bytes:
    """``report``'s page printed to PDF (:func:`baocao.export.pdf.print_report`) and finished:
    its metadata, and with ``signature_fields`` its two empty signature fields."""
    page = print_report(root, f"{report.folder}/index.html", mark_signature=signature_fields)
    return finish(page, metadata_for(archive, report), signature_fields)


def official_pdf(root, archive, report, signature_fields: bool = False):
    """The official PDF of ``report``, and its entry in the manifest when it is the one kept
    at issue (a sealed report's, as it was); else the page printed now (with
    ``signature_fields``, two empty signature fields). PdfError when printing fails."""
    sealed = state(report).output("pdf")
    if sealed is not None:
        return (root / "docs" / report.folder / sealed.name).read_bytes(), sealed
    return printed(root, archive, report, signature_fields), None


def metadata_for(archive, report) -> Metadata:
    """The PDF metadata of ``report``: in Vietnamese, the committee as author, dates of issue."""
    from baocao.vnformat import date_text

    committee = archive.committee.name if archive.committee else ""
    number = f"số {report.meta.number}" if report.meta.number else "chưa vào số"
    day = f"ngày {date_text(report.meta.issued_on)}" if report.meta.issued_on else "chưa ghi ngày ban hành"
    status = "" if report.meta.status == "issued" else " (dự thảo)"
    return Metadata(title=f"Báo cáo {report.subject[:1].lower()}{report.subject[1:]}{status}", author=committee,
                    subject=f"Báo cáo {number}, {day}, của {committee}: {report.subject}",
                    issued_on=report.meta.issued_on)


#: Names that make a PDF act when opened or clicked beyond following a link: scripts,
#: launching programs, other files, forms sent away, embedded files and media.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia",
                "/XFA", "/Launch"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData", "/ResetForm",
                   "/Rendition", "/Sound", "/Movie", "/Hide", "/SetOCGState", "/Thread", "/Named"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")
#: What a PDF made here may hold, as allowlists: the actions of Chromium's links (to a
#: place in the file, or an address), its link annotations and our signature fields.
ACTIONS = frozenset({"/GoTo", "/URI"})
ANNOTATIONS = frozenset({"/Link", "/Widget"})
FIELD_TYPES = frozenset({"/Sig"})


def _resolved(value):
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


def _actions(value) -> set[str]:
    """The actions of an ``/A`` or ``/Next`` entry that are not on the list (an entry that is
    no action, such as a structure element's attributes, has no ``/S``)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    value = _resolved(value)
    items = [_resolved(v) for v in value] if isinstance(value, ArrayObject) else [value]
    return {f"hành động {item.get('/S')}" for item in items
            if isinstance(item, DictionaryObject) and ("/S" in item or item.get("/Type") == "/Action")
            and item.get("/S") not in ACTIONS}


def _annotations(value) -> set[str]:
    from pypdf.generic import ArrayObject, DictionaryObject

    value = _resolved(value)
    items = [_resolved(v) for v in value] if isinstance(value, ArrayObject) else []
    return {f"chú thích {item.get('/Subtype')}" for item in items
            if isinstance(item, DictionaryObject) and item.get("/Subtype") not in ANNOTATIONS}


def active_content(data: bytes) -> list[str]:
    """What in the PDF ``data`` is more than pages, fonts, links and signature fields: the
    PDF that Chromium prints has none of it, so a kept PDF that has it was not made here.
    An empty list for a clean PDF; one Vietnamese phrase per finding (or for a PDF that
    cannot be read)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        roots = [reader.trailer]
        found: set[str] = set()
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                if item.idnum in seen:
                    continue
                seen.add(item.idnum)
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                for key, value in item.items():
                    if key in _ACTIVE_KEYS:
                        found.add(f"khóa {key}")
                    if key == "/S" and value in _ACTIVE_ACTIONS:
                        found.add(f"hành động {value}")
                    if key == "/URI" and not str(value).lower().startswith(_LINK_SCHEMES):
                        found.add("liên kết không phải http, https hoặc mailto")
                    if key in ("/A", "/Next"):
                        found.update(_actions(value))
                    if key == "/Annots":
                        found.update(_annotations(value))
                    if key == "/FT" and value not in FIELD_TYPES:
                        found.add(f"trường biểu mẫu {value}")
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
            if len(seen) > 200_000:
                return ["tệp PDF quá nhiều đối tượng"]
        return sorted(found)
    except Exception:  # a PDF pypdf cannot read is not one made here
        return ["tệp PDF không đọc được"]
