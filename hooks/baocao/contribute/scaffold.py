"""Opening a quarter: the files of the next report, as drafts, ready to fill in.

``baocao new-quarter 2025-Q4`` writes ``docs/reports/2025-q4/index.md`` and one draft per
outline part and per active category. Front matter is filled where the archive knows the
answer (period, part, category, contributor, the previous report's signer and recipients,
this quarter's opening members count from last quarter's closing count) and commented in
Vietnamese; ``--due`` and ``--sections-due`` fill the request's deadlines. Nothing is ever
overwritten: on a period that exists already, only the files of slots that have no
section yet are written (each created exclusively, so a file that appears meanwhile is
kept too), and the command says which it wrote and which it left.

Its front-matter writer (:func:`front_matter`, :func:`entry`), its file names
(:func:`section_file_name`) and its nearest report (:func:`previous_report`) are those of
the Word import too (:mod:`baocao.contribute.word_import.writing`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from baocao.compile import aggregate
from baocao.model import Archive, Report, Section, Slot, default_file_name, slot_title
from baocao.periods import Period
from baocao.problems import Problem, errors, within

FIGURE_GROUPS = ("to_chuc", "dang_vien")


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str


def scalar(value) -> str:
    """One YAML scalar as it would be written in a mapping (nothing for None)."""
    if value is None:
        return ""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def entry(key: str, value, indent: str = "") -> str:
    """One line of front matter, ``key: value`` (``key:`` alone for None)."""
    return f"{indent}{key}: {scalar(value)}".rstrip()


def front_matter(fields: list[tuple[str, object]], comment: str = "") -> str:
    """Front matter between ``---`` lines, a comment line first when given: each field in
    order, a scalar, a list of scalars (``[]`` when empty) or a mapping of scalars."""
    out = ["---", comment] if comment else ["---"]
    for key, value in fields:
        if isinstance(value, list):
            if not value:
                out.append(f"{key}: []")
            else:
                out.append(f"{key}:")
                out.extend(f"  - {scalar(v)}" for v in value)
        elif isinstance(value, dict):
            out.append(f"{key}:")
            out.extend(entry(k, v, "  ") for k, v in value.items())
        else:
            out.append(entry(key, value))
    out.append("---")
    return "\n".join(out)


def previous_report(archive: Archive, period: Period, *, or_later: bool = False) -> Report | None:
    """The latest report before ``period``; with ``or_later``, when there is none, the first
    after it (past reports are often imported before the ones already in the archive)."""
    earlier = [r for r in archive.reports if r.period < period]
    if earlier or not or_later:
        return earlier[-1] if earlier else None
    return next((r for r in archive.reports if r.period > period), None)


def section_file_name(slot: Slot, previous: Report | None) -> str:
    """The file name (without ``.md``) a slot had in the previous report, else one made from
    its title."""
    if previous is not None:
        for section in previous.sections:
            if (section.meta.part, section.meta.category) == slot.key:
                return section.slug
    return default_file_name(slot)


def _candidates(archive: Archive, slot: Slot) -> list[str]:
    """Organisations that may write a slot: those of its category; for a part of the whole
    committee, the committee's offices (or, without any, every organisation)."""
    orgs = archive.organisations.values()
    if slot.category is not None:
        return [o.id for o in orgs if o.category == slot.category.id]
    offices = [o.id for o in orgs if o.type == "co_quan_tham_muu"]
    return offices or [o.id for o in orgs]


def _contributor(archive: Archive, slot: Slot, before: Section | None) -> str | None:
    """Who wrote the slot last quarter, else its only candidate."""
    if before is not None and before.meta.contributor in archive.organisations:
        return before.meta.contributor
    if slot.category is None:
        return None
    owners = _candidates(archive, slot)
    return owners[0] if len(owners) == 1 else None


def _contributor_note(archive: Archive, slot: Slot) -> str:
    ids = _candidates(archive, slot)
    if not ids:
        return ("  # mã tổ chức soạn phần này: data/organisations.yml chưa có tổ chức nào thuộc loại này, "
                "hãy để trống (hoặc thêm tổ chức vào data/organisations.yml rồi ghi mã của nó)")
    return f"  # mã tổ chức soạn phần này (data/organisations.yml): {' hoặc '.join(ids)}; để trống nếu không rõ"


def _previous_section(previous: Report | None, slot: Slot) -> Section | None:
    if previous is None:
        return None
    return next((s for s in previous.sections if (s.meta.part, s.meta.category) == slot.key), None)


def _offered(archive: Archive, slot: Slot, before: Section | None) -> list[str]:
    """Indicators offered in a slot's figures: the usual ones for a category or the overview,
    and every one the slot used last quarter, in registry order."""
    used = set(before.meta.figures) if before is not None else set()
    usual = slot.category is not None or slot.part.id == "overview"
    return [i.id for i in archive.indicators.values()
            if i.id in used or (usual and i.group in FIGURE_GROUPS)]


def _figures_block(archive: Archive, offered: list[str], opening: int | None) -> list[str]:
    lines = ["# Số liệu: mỗi dòng là một chỉ tiêu (xem data/indicators.yml), viết số nguyên, không dấu",
             "# chấm (1173, không phải 1.173). Để trống nếu chưa có số liệu: ô trống KHÔNG phải số 0.",
             "figures:"]
    for key in offered:
        indicator = archive.indicators[key]
        value = opening if indicator.id == "dang_vien_dau_ky" else None
        note = f"  # {indicator.label}"
        if indicator.id == "dang_vien_dau_ky" and opening is not None:
            note += " (= số cuối kỳ trước)"
        lines.append(entry(indicator.id, value, "  ") + note)
    return lines


def _section_text(archive: Archive, period: Period, slot: Slot, opening: int | None,
                  before: Section | None = None) -> str:
    title = f"{slot.full_number} {slot_title(slot, period)}"
    contributor = _contributor(archive, slot, before)
    lines = [
        "---",
        f"# Phần {title} — báo cáo {period.label}.",
        "# Chỉ sửa giá trị sau dấu hai chấm; giữ nguyên tên trường và thụt lề bằng dấu cách.",
        f"part: {slot.part.id}  # mục của đề cương (không sửa)",
    ]
    if slot.category is not None:
        lines.append(f"category: {slot.category.id}  # loại tổ chức (không sửa)")
    lines += [
        entry("contributor", contributor) + _contributor_note(archive, slot),
        "status: draft  # draft: đang soạn; submitted: đã gửi; approved: đã duyệt (văn phòng ghi)",
    ]
    offered = _offered(archive, slot, before)
    if offered:
        lines += _figures_block(archive, offered, opening)
    lines += [
        "# Văn bản được nêu hoặc quán triệt: số ký hiệu có trong data/documents.yml, mỗi dòng một văn bản,",
        "# ví dụ:",
        "#   - 176-KL/TW",
        "documents: []",
        "---",
        "",
        "<!--",
        "Hướng dẫn viết (dòng này không hiện trên trang):",
        "- Viết nội dung bên dưới, mỗi đoạn cách nhau một dòng trống.",
        "- Dòng bắt đầu bằng \"- \" là một ý gạch đầu dòng, ví dụ \"- Kết quả đạt được:\".",
        "- Không dán chữ từ phần mềm cũ dùng phông TCVN3/VNI; không chèn mã HTML.",
        "- Số liệu ghi ở phần figures phía trên, không gõ lại bảng tổng hợp.",
        "-->",
        "",
    ]
    return "\n".join(lines)


def _report_text(archive: Archive, period: Period, previous: Report | None, due: dt.date | None = None,
                 sections_due: dt.date | None = None) -> str:
    signer = previous.meta.signer if previous else None
    recipients = previous.meta.recipients if previous else []
    lines = [
        "---",
        f"# Thông tin chung của báo cáo {period.label}. Văn phòng điền số, ngày khi ban hành.",
        f"period: {period.key}  # kỳ báo cáo (không sửa)",
        "status: draft  # draft: dự thảo; issued: đã ban hành (khi đó phải có number, issued_on, signer)",
        "number:  # số ký hiệu khi vào số, ví dụ 45-BC/ĐU",
        "issued_on:  # ngày ban hành, dạng NĂM-THÁNG-NGÀY, ví dụ 2025-12-20",
        "as_of:  # số liệu tính đến ngày, dạng NĂM-THÁNG-NGÀY",
        "# Văn bản cấp trên yêu cầu báo cáo (số ký hiệu trong data/documents.yml), ví dụ:",
        "#   - 282-CV/BTCTU",
        "responds_to: []",
        entry("due", due) + "  # hạn gửi báo cáo lên cấp trên theo văn bản yêu cầu, dạng NĂM-THÁNG-NGÀY",
        entry("sections_due", sections_due) + "  # hạn các tổ chức đảng nộp phần của mình (trước hạn gửi báo cáo)",
    ]
    if signer:
        lines += ["signer:",
                  f"  authority: {signer.authority}  # T/M, K/T hoặc T/L",
                  entry("body", signer.body, "  "),
                  entry("position", signer.position, "  "),
                  entry("name", signer.name, "  ")]
    else:
        lines += ["# Người ký, ví dụ:", "# signer:", "#   authority: T/M", "#   body: Ban Thường vụ",
                  "#   position: Bí thư", "#   name: Nguyễn Văn A"]
    lines.append("recipients:  # Nơi nhận, mỗi dòng một nơi" if recipients else "recipients: []  # Nơi nhận")
    lines += [f"  - {scalar(line)}" for line in recipients]
    lines += [
        "---",
        "",
        "<!--",
        "Viết đoạn mở đầu bên dưới, ví dụ: \"Thực hiện Công văn số ... của ..., Ban Thường vụ Đảng ủy xã ...",
        "báo cáo kết quả thực hiện như sau:\". Các phần của báo cáo nằm ở các tệp khác trong thư mục này.",
        "-->",
        "",
    ]
    return "\n".join(lines)


def plan_quarter(archive: Archive, period: Period, root: Path, due: dt.date | None = None,
                 sections_due: dt.date | None = None) -> list[Planned]:
    """The files a quarter still needs, with their text: every file of a new quarter; for a
    period that has a report, only a file for each slot that has no section."""
    current = archive.report(period)
    have = current.by_slot() if current is not None else {}
    previous = previous_report(archive, period)
    last = previous if previous is not None and previous.period == period.previous() else None
    folder = root / "docs" / "reports" / period.slug
    planned = [] if current is not None else [
        Planned(folder / "index.md", _report_text(archive, period, previous, due, sections_due))]
    for slot in archive.slots(period):
        if slot.is_leaf and slot.key not in have:
            name = section_file_name(slot, previous)
            opening = _closing_count(archive, last, slot) if last else None
            before = _previous_section(previous, slot)
            planned.append(Planned(folder / f"{name}.md", _section_text(archive, period, slot, opening, before)))
    return planned


#: The check's errors about files of a period that ``new-quarter`` writes: the report's
#: missing ``index.md`` (the check says to create it with ``new-quarter``) and its missing
#: sections. They do not stop it on that period: writing the files is what mends them.
MENDED = ("report-index-missing", "section-missing")


def blocking(problems: list[Problem], period: Period) -> list[Problem]:
    """The errors that stop ``new-quarter`` on ``period``: all but those it mends (:data:`MENDED`,
    in the period's folder)."""
    folder = f"docs/reports/{period.slug}"
    mended = {id(p) for p in within(problems, folder) if p.code in MENDED}
    return [p for p in errors(problems) if id(p) not in mended]


def changed_deadlines(report: Report, due: dt.date | None, sections_due: dt.date | None
                      ) -> list[tuple[str, dt.date, dt.date | None]]:
    """The deadlines given for a quarter that has its report already and that differ from
    its front matter: (key, given, written); ``new-quarter`` never edits a file, so it
    refuses them."""
    return [(key, value, getattr(report.meta, key))
            for key, value in zip(("due", "sections_due"), (due, sections_due), strict=True)
            if value is not None and value != getattr(report.meta, key)]


def skipped_quarter(archive: Archive, period: Period) -> Period | None:
    """The quarter just before ``period`` when it has no report although earlier ones do."""
    before = period.previous()
    if archive.report(before) is None and any(r.period < period for r in archive.reports):
        return before
    return None


def _closing_count(archive: Archive, last: Report, slot: Slot) -> int | None:
    """Last quarter's members at the end, for this slot: its category's, or the whole's."""
    if slot.category is None:
        return aggregate.whole(archive, last).get("dang_vien_cuoi_ky")
    return aggregate.by_category(archive, last).get(slot.category.id, {}).get("dang_vien_cuoi_ky")


def write_missing(planned: list[Planned]) -> tuple[list[Path], list[Path]]:
    """Write each planned file that does not exist yet, never replacing one (created with
    ``O_EXCL``, which also refuses a link in its place); return (written, kept)."""
    written: list[Path] = []
    kept: list[Path] = []
    for item in planned:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(item.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            kept.append(item.path)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(item.text)
        written.append(item.path)
    return written, kept
