"""Markdown of the pages built from the archive model.

- the report page: the whole official document assembled from its sections (header,
  BÁO CÁO and subject, opening paragraph, numbered parts, Nơi nhận, signature);
- a section page: its text with contributor, status and the way back to the report;
- the home page and the archive page: latest report, key figures, every quarter by year.

Contributor text is inserted as Markdown, never run as a template. Every value from
front matter or data that goes into HTML is escaped here.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from .model import Archive, Report, Section, Slot, slot_title
from .textfold import slugify
from .vnformat import date_header, date_text, number

REPORT_STATUS = {"draft": "Dự thảo", "issued": "Đã ban hành"}
SECTION_STATUS = {"draft": "Đang soạn", "submitted": "Đã gửi", "approved": "Đã duyệt"}
#: Indicators shown as key figures on the home page, when known.
KEY_FIGURES = ("to_chuc_dang", "dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc",
               "dang_vien_dau_ky", "dang_vien_cuoi_ky")


def heading(slot: Slot, report: Report, section: Section | None = None) -> str:
    """Numbered heading text of a slot, with a section's own title where it has one."""
    title = section.meta.title if section is not None and section.meta.title else slot_title(slot, report.period)
    return f"{slot.number} {title}"


def anchor(text: str) -> str:
    return slugify(text)


def sections_by_slot(report: Report) -> dict[tuple, Section]:
    found: dict[tuple, Section] = {}
    for section in report.sections:
        found.setdefault((section.meta.part, section.meta.category), section)
    return found


# --- report page ---------------------------------------------------------------------------


def document_header(archive: Archive, report: Report) -> str:
    committee = archive.committee
    meta = report.meta
    code = committee.code if committee else ""
    number_ = f"Số {meta.number}" if meta.number else f"Số&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;-BC/{escape(code)}"
    if meta.issued_on:
        when = date_header(meta.issued_on)
    else:
        year = (meta.as_of or report.period.end).year
        when = f"ngày&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;tháng&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;năm {year}"
    place = escape(committee.place) if committee else ""
    parent = escape(committee.parent.upper()) if committee else ""
    name = escape(committee.name.upper()) if committee else ""
    return (
        '<div class="bc-header">'
        '<div class="bc-issuer">'
        f'<p class="bc-parent">{parent}</p>'
        f'<p class="bc-issuer-name">{name}</p>'
        '<p class="bc-star">*</p>'
        f'<p class="bc-number">{escape(number_) if meta.number else number_}</p>'
        '</div>'
        '<div class="bc-nation">'
        '<p class="bc-party">ĐẢNG CỘNG SẢN VIỆT NAM</p>'
        f'<p class="bc-place-date"><em>{place}, {when}</em></p>'
        '</div>'
        '</div>\n\n'
        f'<h1 class="bc-title">BÁO CÁO<span class="bc-subject">{escape(report.subject)}</span></h1>\n'
    )


def report_toolbar(archive: Archive, report: Report) -> str:
    """Screen-only links: print, PDF, previous and next quarter."""
    before, after = archive.neighbours(report)
    links = ['<button class="md-button bc-print" onclick="window.print()">In báo cáo</button>']
    if before:
        links.append(f'<a class="md-button" href="../{before.period.slug}/">← {escape(before.period.label)}</a>')
    if after:
        links.append(f'<a class="md-button" href="../{after.period.slug}/">{escape(after.period.label)} →</a>')
    status = REPORT_STATUS[report.meta.status]
    return (f'<div class="bc-toolbar bc-screen-only" data-search-exclude><span class="bc-status bc-status-{report.meta.status}">'
            f'{status}</span> {" ".join(links)}</div>\n')


def document_end(report: Report) -> str:
    meta = report.meta
    recipients = "<br>".join(f"- {escape(line)}" for line in meta.recipients)
    signer = meta.signer
    if signer:
        signature = (
            f'<p class="bc-authority">{escape(signer.authority)} {escape(signer.body.upper())}</p>'
            f'<p class="bc-position">{escape(signer.position.upper())}</p>'
            '<p class="bc-sign-space"></p>'
            f'<p class="bc-signer-name">{escape(signer.name)}</p>'
        )
    else:
        signature = '<p class="bc-sign-space"></p>'
    return (
        '<div class="bc-end">'
        '<div class="bc-recipients">'
        '<p class="bc-recipients-label"><strong><em>Nơi nhận:</em></strong></p>'
        f'<p class="bc-recipients-list">{recipients}</p>'
        '</div>'
        f'<div class="bc-signature">{signature}</div>'
        '</div>\n'
    )


def report_markdown(archive: Archive, report: Report) -> str:
    """The whole report, in outline order, as one Markdown document."""
    found = sections_by_slot(report)
    out = [document_header(archive, report), report_toolbar(archive, report), report.body.strip(), ""]
    for slot in archive.slots(report.period):
        section = found.get(slot.key) if slot.is_leaf else None
        text = heading(slot, report, section)
        out.append(f"{'#' * (slot.level + 1)} {text} {{ #{anchor(text)} }}\n")
        if not slot.is_leaf:
            continue
        if section is None:
            out.append('<p class="bc-missing">(Chưa có nội dung phần này.)</p>\n')
        else:
            out.append(section.body.strip() + "\n")
    out.append(document_end(report))
    return "\n".join(out)


# --- section page ----------------------------------------------------------------------


def section_slot(archive: Archive, report: Report, section: Section) -> Slot | None:
    for slot in archive.slots(report.period):
        if slot.is_leaf and slot.key == (section.meta.part, section.meta.category):
            return slot
    return None


def section_title(archive: Archive, report: Report, section: Section) -> str:
    slot = section_slot(archive, report, section)
    return heading(slot, report, section) if slot else (section.meta.title or section.slug)


def section_markdown(archive: Archive, report: Report, section: Section) -> str:
    meta = section.meta
    title = section_title(archive, report, section)
    org = archive.organisations.get(meta.contributor) if meta.contributor else None
    contributor = escape(org.name) if org else "(không ghi trong bản gốc)"
    rows = [
        ("Báo cáo", f'<a href="../">Báo cáo {escape(report.period.label)}</a>'),
        ("Đơn vị soạn", contributor),
        ("Trạng thái", SECTION_STATUS[meta.status]),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<nav class="bc-breadcrumb bc-screen-only"><a href="../">Báo cáo {escape(report.period.label)}</a>'
        f' › {escape(title)}</nav>\n\n'
        f"# {title}\n\n"
        f'<table class="bc-section-meta bc-screen-only">{table}</table>\n\n'
        f"{section.body.strip()}\n\n"
        f'<p class="bc-screen-only"><a href="../#{anchor(title)}">← Đọc phần này trong toàn văn báo cáo '
        f"{escape(report.period.label)}</a></p>\n"
    )


# --- home and archive ----------------------------------------------------------------------


def key_figures(archive: Archive, report: Report) -> list[tuple[str, int]]:
    """(label, value) of the whole committee's known key figures in ``report``."""
    totals: dict[str, int] = {}
    for section in report.sections:
        if section.meta.category is None:
            for key, value in section.meta.figures.items():
                if value is not None:
                    totals.setdefault(key, value)
    return [(archive.indicators[k].label, totals[k]) for k in KEY_FIGURES
            if k in totals and k in archive.indicators]


def archive_list(archive: Archive, prefix: str) -> str:
    lines = []
    for year, reports in groupby(reversed(archive.reports), key=lambda r: r.period.year):
        lines.append(f"### Năm {year}\n")
        for report in reports:
            extra = f", số {escape(report.meta.number)}" if report.meta.number else ""
            lines.append(f"- [Báo cáo {report.period.label}]({prefix}{report.period.slug}/index.md)"
                         f" — {REPORT_STATUS[report.meta.status]}{extra}")
        lines.append("")
    return "\n".join(lines) if lines else "Chưa có báo cáo nào.\n"


def home_markdown(archive: Archive) -> str:
    committee = archive.committee
    name = committee.name if committee else "Đảng ủy"
    out = [f"# Báo cáo tình hình hoạt động của tổ chức cơ sở đảng — {escape(name)}\n"]
    latest = archive.latest
    if latest:
        as_of = f"; số liệu tính đến ngày {date_text(latest.meta.as_of)}" if latest.meta.as_of else ""
        out.append(f"## Báo cáo mới nhất: {latest.period.label}\n")
        out.append(f"**[{escape(latest.subject)}](reports/{latest.period.slug}/index.md)** — "
                   f"{REPORT_STATUS[latest.meta.status]}{as_of}.\n")
        figures = key_figures(archive, latest)
        if figures:
            out.append("| Chỉ tiêu | Số liệu |\n| --- | ---: |")
            out.extend(f"| {escape(label)} | {number(value)} |" for label, value in figures)
            out.append("")
    out.append("## Kho báo cáo\n")
    out.append(archive_list(archive, "reports/"))
    return "\n".join(out)


def archive_markdown(archive: Archive) -> str:
    return "# Kho báo cáo\n\n" + archive_list(archive, "")
