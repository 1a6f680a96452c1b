"""Writing the imported quarter: ``index.md`` (header fields, subject, opening, Nơi nhận,
signer, then the unplaced text under a heading-like line that says so) and one draft
section per leaf of the outline, named as in the nearest report, with the scaffold's
front-matter writer (:mod:`baocao.contribute.scaffold`); all prepared first, then
written into a new folder in one rename, so an existing quarter is never touched and a
failure leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from baocao.contribute.scaffold import front_matter, previous_report, section_file_name
from baocao.contribute.word_import.parsing import Parsed
from baocao.load import characters
from baocao.model import Archive, slot_title
from baocao.periods import Period

UNPLACED_TITLE = "PHẦN CHƯA XẾP ĐƯỢC VÀO ĐỀ CƯƠNG (nhập từ Word: hãy chuyển vào đúng phần rồi xóa)"


def _quoted(name: str) -> str:
    """A file name in double quotes, every character that could end the comment line or that
    the check refuses written as an escape: a name is whatever the sender chose."""
    quoted = json.dumps(name, ensure_ascii=False)
    return characters.SUSPECT.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _body(blocks: list[str]) -> str:
    """Blocks as Markdown: list items of one list on consecutive lines."""
    out: list[str] = []
    for block in blocks:
        if out and block.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


def _preview(block: str) -> str:
    text = " ".join(block.replace("**", "").split())
    return text if len(text) <= 70 else text[:67] + "…"


def plan(parsed: Parsed, archive: Archive, period: Period, source: str) -> tuple[dict[str, str], list[str]]:
    """File name -> text of the new quarter, and the warnings."""
    warnings: list[str] = []
    # File names as the nearest report has them (a later one when none is earlier).
    previous = previous_report(archive, period, or_later=True)
    header = parsed.header
    subject = parsed.subject
    standard = f"Tình hình hoạt động của tổ chức cơ sở đảng {period.long_label}"
    meta: list[tuple[str, object]] = [("period", period.key), ("status", "draft")]
    if subject and " ".join(subject.split()) != standard:
        meta.append(("title", " ".join(subject.split())))
    number = header.get("number")
    if number and re.match(r"^\d+-BC/[^\s]+$", number):
        meta.append(("number", number))
    if header.get("issued_on"):
        meta.append(("issued_on", header["issued_on"]))
    if parsed.signer:
        meta.append(("signer", parsed.signer))
    meta.append(("recipients", parsed.recipients))
    files: dict[str, str] = {}
    body = _body(parsed.opening)
    if parsed.unplaced:
        body += ("\n\n" if body else "") + f"**{UNPLACED_TITLE}**\n\n" + _body(parsed.unplaced)
        listing = "; ".join(_preview(b) for b in parsed.unplaced[:12])
        more = f" (và {len(parsed.unplaced) - 12} đoạn nữa)" if len(parsed.unplaced) > 12 else ""
        warnings.append(f"{len(parsed.unplaced)} đoạn không xếp được vào phần nào của đề cương, đã ghi ở cuối "
                        f"index.md dưới dòng \"{UNPLACED_TITLE}\": {listing}{more}")
    comment = (f"# Báo cáo {period.label} nhập từ tệp Word {_quoted(source)} (dự thảo): hãy đọc lại, điền "
               "as_of, responds_to, rồi đổi status khi ban hành.")
    files["index.md"] = front_matter(meta, comment) + "\n\n" + body + "\n"
    names: set[str] = set()
    empty = []
    for slot in archive.slots(period):
        if not slot.is_leaf:
            continue
        name = section_file_name(slot, previous)
        while name in names:
            name += "-2"
        names.add(name)
        fields: list[tuple[str, object]] = [("part", slot.part.id)]
        if slot.category is not None:
            fields.append(("category", slot.category.id))
        if slot.key in parsed.titles:
            fields.append(("title", parsed.titles[slot.key]))
        fields += [("contributor", None), ("status", "draft")]
        blocks = parsed.sections.get(slot.key, [])
        if not blocks:
            empty.append(f"{slot.full_number} {slot_title(slot, period)}")
        files[f"{name}.md"] = front_matter(fields) + "\n\n" + _body(blocks) + ("\n" if blocks else "")
    if empty:
        warnings.append("Bản Word không có nội dung cho các phần: " + "; ".join(empty)
                        + ". Các tệp này được tạo trống.")
    return files, warnings


def write_folder(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` (name -> text) into the new folder ``folder`` in one rename; the paths
    written. FileExistsError when the folder appeared meanwhile (nothing is written then)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-import-", dir=folder.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if folder.exists():
            raise FileExistsError(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]
