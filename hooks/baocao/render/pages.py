"""Markdown of the report pages: the assembled report, section pages, home and archive.

- the report page: the whole official document assembled from its sections (header,
  BÁO CÁO and subject, opening paragraph, numbered parts, Nơi nhận, signature);
- a section page: its text with contributor, status and the way back to the report;
- the home page and the archive page: latest report, key figures, progress, every
  quarter by year.

Contributor text is inserted as Markdown, never run as a template; the only thing done
to it is replacing ``<!-- baocao:table NAME -->`` markers with generated tables. Every
value from front matter or data that goes into HTML is escaped here.
"""

from __future__ import annotations

import re
from html import escape
from itertools import groupby

from baocao.compile import aggregate
from baocao.model import Archive, Report, Section, Slot, slot_title
from baocao.render import tables
from baocao.render.fragments import wrap, wrap_text
from baocao.render.links import Links
from baocao.textfold import slugify
from baocao.vnformat import date_header, date_text, number

REPORT_STATUS = {"draft": "Dự thảo", "issued": "Đã ban hành"}
SECTION_STATUS = {"draft": "Đang soạn", "submitted": "Đã gửi", "approved": "Đã duyệt", "missing": "Chưa có"}
#: Indicators shown as key figures on the home page, when known.
KEY_FIGURES = ("to_chuc_dang", "dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc",
               "dang_vien_dau_ky", "dang_vien_cuoi_ky")
MARKER = re.compile(r"<!--\s*baocao:table\s+([a-z_]+)\s*-->")
NBSP5 = "&nbsp;" * 5

HOME = "index.md"
ARCHIVE = "reports/index.md"
TRENDS = "thong-ke/index.md"
ORGANISATIONS = "to-chuc/index.md"
DOCUMENTS = "van-ban/index.md"
TRACKER = "tien-do/index.md"


def report_uri(report: Report) -> str:
    return report.uri


def section_uri(report: Report, section: Section) -> str:
    return f"{report.folder}/{section.slug}.md"


def _title(slot: Slot, report: Report, section: Section | None) -> str:
    """A slot's title, or its section's own title where it has one."""
    return section.meta.title if section is not None and section.meta.title else slot_title(slot, report.period)


def heading(slot: Slot, report: Report, section: Section | None = None) -> str:
    """Numbered heading text of a slot, e.g. ``2.5. Tổ chức cơ sở đảng khác``."""
    return f"{slot.number} {_title(slot, report, section)}"


def with_tables(archive: Archive, report: Report, text: str) -> str:
    """Replace table markers in Markdown by the generated tables (unknown markers stay)."""
    def table(match: re.Match) -> str:
        make = tables.MARKERS.get(match.group(1))
        return "\n\n" + make(archive, report) + "\n\n" if make else match.group(0)

    return MARKER.sub(table, text) if "baocao:table" in text else text


# --- report page ---------------------------------------------------------------------------


def document_header(archive: Archive, report: Report) -> str:
    committee = archive.committee
    meta = report.meta
    code = escape(committee.code) if committee else ""
    number_ = f"Số {escape(meta.number)}" if meta.number else f"Số{NBSP5}&nbsp;-BC/{code}"
    if meta.issued_on:
        when = date_header(meta.issued_on)
    else:
        year = (meta.as_of or report.period.end).year
        when = f"ngày{NBSP5}tháng{NBSP5}năm {year}"
    place = escape(committee.place) if committee else ""
    parent = escape(committee.parent.upper()) if committee else ""
    name = escape(committee.name.upper()) if committee else ""
    return wrap(
        '<div class="bc-header">'
        '<div class="bc-issuer">'
        f'<p class="bc-parent">{parent}</p>'
        f'<p class="bc-issuer-name">{name}</p>'
        '<p class="bc-star">*</p>'
        f'<p class="bc-number">{number_}</p>'
        '</div>'
        '<div class="bc-nation">'
        '<p class="bc-party">ĐẢNG CỘNG SẢN VIỆT NAM</p>'
        f'<p class="bc-place-date"><em>{place}, {when}</em></p>'
        '</div>'
        '</div>'
    ) + f'<h1 class="bc-title">BÁO CÁO<span class="bc-subject">{escape(report.subject)}</span></h1>\n'



def report_toolbar(archive: Archive, report: Report, links: Links, pdf: str | None = None) -> str:
    """Screen-only links: print, PDF, statistics, previous and next quarter."""
    here = report_uri(report)
    before, after = archive.neighbours(report)
    items = ['<button class="md-button bc-print" type="button">In báo cáo</button>']
    if pdf:
        items.append(f'<a class="md-button" href="{escape(pdf)}" download>Tải bản PDF</a>')
    items.append('<a class="md-button" href="#phu-luc-so-lieu">Số liệu tổng hợp</a>')
    if before:
        items.append(f'<a class="md-button bc-prev" href="{links.href(here, report_uri(before))}">'
                     f"← {escape(before.period.label)}</a>")
    if after:
        items.append(f'<a class="md-button bc-next" href="{links.href(here, report_uri(after))}">'
                     f"{escape(after.period.label)} →</a>")
    status = REPORT_STATUS[report.meta.status]
    return wrap(f'<div class="bc-toolbar bc-screen-only" data-search-exclude><span class="bc-status '
                f'bc-status-{report.meta.status}">{status}</span> {" ".join(items)}</div>')


def document_end(report: Report) -> str:
    meta = report.meta
    recipients = "<br>".join(f"- {escape(line)}" for line in meta.recipients)
    signer = meta.signer
    signature = '<p class="bc-sign-space"></p>'
    if signer:
        signature = (
            f'<p class="bc-authority">{escape(signer.authority)} {escape(signer.body.upper())}</p>'
            f'<p class="bc-position">{escape(signer.position.upper())}</p>'
            '<p class="bc-sign-space"></p>'
            f'<p class="bc-signer-name">{escape(signer.name)}</p>'
        )
    return wrap(
        '<div class="bc-end">'
        '<div class="bc-recipients">'
        '<p class="bc-recipients-label"><strong><em>Nơi nhận:</em></strong></p>'
        f'<p class="bc-recipients-list">{recipients}</p>'
        '</div>'
        f'<div class="bc-signature">{signature}</div>'
        '</div>'
    )


def reusable_body(html: str) -> bool:
    """Whether a section's converted text reads the same on the report page: no heading (it
    would be missing from the report's contents) and no relative link or image (the report
    page sits one folder up)."""
    return not (re.search(r"<h[1-6][\s>]", html) or
                re.search(r'\s(?:src|href)="(?![a-z][a-z0-9+.-]*:|#|/)', html))


def report_markdown(archive: Archive, report: Report, links: Links, pdf: str | None = None,
                    appendix: str = "", rendered: dict[str, str] | None = None) -> str:
    """The whole report, in outline order, as one Markdown document, then ``appendix``.

    ``rendered`` maps a section's path to its text already converted to HTML on its own
    page (when :func:`reusable_body`): that HTML is reused instead of converting the
    Markdown a second time.
    """
    rendered = rendered or {}
    found = report.by_slot()
    out = [document_header(archive, report), report_toolbar(archive, report, links, pdf),
           with_tables(archive, report, report.body.strip()), ""]
    for slot in archive.slots(report.period):
        section = found.get(slot.key) if slot.is_leaf else None
        text = heading(slot, report, section)
        out.append(f"{'#' * (slot.level + 1)} {text} {{ #{slugify(text)} }}\n")
        if not slot.is_leaf:
            continue
        if section is None:
            out.append('<p class="bc-missing">(Chưa có nội dung phần này.)</p>\n')
        elif section.source.path in rendered:
            out.append(wrap_text(rendered[section.source.path]))
        else:
            out.append(with_tables(archive, report, section.body.strip()) + "\n")
    out.append(document_end(report))
    out.append(appendix)
    return "\n".join(out)


# --- section page ----------------------------------------------------------------------


def section_slot(archive: Archive, report: Report, section: Section) -> Slot | None:
    return archive.leaf_slot(report.period, (section.meta.part, section.meta.category))


def section_title(archive: Archive, report: Report, section: Section) -> str:
    slot = section_slot(archive, report, section)
    return heading(slot, report, section) if slot else (section.meta.title or section.slug)


def slot_label(slot: Slot, report: Report, section: Section | None) -> str:
    """A slot with its full numbering, e.g. ``A.2.5. Tổ chức cơ sở đảng khác``."""
    return f"{slot.full_number} {_title(slot, report, section)}"


def organisation_uri(org_id: str) -> str:
    return f"to-chuc/{org_id.replace('_', '-')}.md"


def section_markdown(archive: Archive, report: Report, section: Section) -> str:
    """A section page's Markdown: the contributor's text only (see :func:`section_frame`)."""
    return with_tables(archive, report, section.body.strip())


def section_frame(archive: Archive, report: Report, section: Section, links: Links) -> tuple[str, str]:
    """HTML put before and after a section page's converted text: the way back, the title,
    contributor and status. Added after conversion, so the text converts exactly as on its
    own and can be reused on the report page."""
    meta = section.meta
    here = section_uri(report, section)
    title = section_title(archive, report, section)
    org = archive.organisations.get(meta.contributor) if meta.contributor else None
    contributor = (f'<a href="{links.href(here, organisation_uri(org.id))}">{escape(org.name)}</a>'
                   if org else "(không ghi trong bản gốc)")
    report_link = f'<a href="{links.href(here, report_uri(report))}">Báo cáo {escape(report.period.label)}</a>'
    rows = [("Báo cáo", report_link), ("Đơn vị soạn", contributor), ("Trạng thái", SECTION_STATUS[meta.status])]
    table = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    anchor = slugify(title)
    back = links.href(here, report_uri(report), anchor)
    before = (f'<nav class="bc-breadcrumb bc-screen-only" aria-label="Đường dẫn">{report_link} › '
              f'{escape(title)}</nav><h1 id="{anchor}">{escape(title)}</h1>'
              f'<table class="bc-section-meta bc-screen-only">{table}</table>')
    after = (f'<p class="bc-screen-only"><a href="{back}">← Đọc phần này trong toàn văn báo cáo '
             f"{escape(report.period.label)}</a></p>")
    return before, after


# --- home and archive ----------------------------------------------------------------------


def archive_list(archive: Archive, here: str, links: Links) -> str:
    """The reports by year, newest first: a heading per year (in the page's contents) and
    its list of links as a ready-made fragment (a link list has nothing to search)."""
    lines = []
    for year, reports in groupby(reversed(archive.reports), key=lambda r: r.period.year):
        lines.append(f"### Năm {year}\n")
        items = []
        for report in reports:
            extra = f", số {escape(report.meta.number)}" if report.meta.number else ""
            items.append(f'<li><a href="{links.href(here, report_uri(report))}">Báo cáo {report.period.label}</a>'
                         f" — {REPORT_STATUS[report.meta.status]}{extra}</li>")
        lines.append(wrap('<ul class="bc-archive-list">\n' + "\n".join(items) + "\n</ul>"))
    return "\n".join(lines) if lines else "Chưa có báo cáo nào.\n"


def progress_line(archive: Archive, report: Report) -> str:
    counts = aggregate.progress(aggregate.tracker(archive, report))
    done = sum(counts.values()) - counts["missing"]
    return (f"{done}/{sum(counts.values())} phần đã có (đã duyệt {counts['approved']}, đã gửi "
            f"{counts['submitted']}, đang soạn {counts['draft']}), còn thiếu {counts['missing']}")


def home_markdown(archive: Archive, links: Links) -> str:
    committee = archive.committee
    name = committee.name if committee else "Đảng ủy"
    out = [f"# Báo cáo tình hình hoạt động của tổ chức cơ sở đảng — {escape(name)}\n"]
    latest = archive.latest
    if latest:
        as_of = f"; số liệu tính đến ngày {date_text(latest.meta.as_of)}" if latest.meta.as_of else ""
        out.append(f"## Báo cáo mới nhất: {latest.period.label}\n")
        out.append(f'<p class="bc-latest"><strong><a href="{links.href(HOME, report_uri(latest))}">'
                   f"{escape(latest.subject)}</a></strong> — {REPORT_STATUS[latest.meta.status]}{as_of}.</p>\n")
        figures = aggregate.whole(archive, latest)
        known = [(archive.indicators[k].label, figures[k]) for k in KEY_FIGURES
                 if k in archive.indicators and figures.get(k) is not None]
        if known:
            out.append("| Chỉ tiêu | Số liệu |\n| --- | ---: |")
            out.extend(f"| {escape(label)} | {number(value)} |" for label, value in known)
            out.append("")
        out.append(f'Tiến độ {latest.period.label}: {progress_line(archive, latest)} — '
                   f'<a href="{links.href(HOME, TRACKER)}">xem bảng theo dõi</a>.\n')
    out.append("## Tra cứu\n")
    for label, uri in (("Thống kê qua các kỳ", TRENDS), ("Các tổ chức đảng", ORGANISATIONS),
                       ("Văn bản được nêu", DOCUMENTS), ("Tiến độ nộp báo cáo", TRACKER)):
        out.append(f'- <a href="{links.href(HOME, uri)}">{label}</a>')
    out.append("\n## Kho báo cáo\n")
    out.append(archive_list(archive, HOME, links))
    return "\n".join(out)


def archive_markdown(archive: Archive, links: Links) -> str:
    return "# Kho báo cáo\n\n" + archive_list(archive, ARCHIVE, links)
