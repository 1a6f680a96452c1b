"""Rules across files: references, outline slots, completeness, dates, arithmetic.

Each rule reads the loaded :class:`~baocao.model.Archive` and yields problems; none
raises. Rules that need a registry which failed to load are skipped (its own errors
are already reported).
"""

from __future__ import annotations

from collections.abc import Iterator

from baocao.check.seal import judged_at, sealed_note
from baocao.compile import aggregate
from baocao.load.messages import suggest_ids
from baocao.model import Archive, Report, Section, Source, slot_title
from baocao.problems import Problem, Severity
from baocao.vnformat import date_text, number

Rule = Iterator[Problem]


def _err(source: Source, keys: tuple, field: str, message: str, code: str,
         severity: Severity = Severity.ERROR) -> Problem:
    return Problem(source.path, source.line(*keys), field, message, code, severity)


#: Who adds a document to the catalogue, and where (said when a document id is unknown).
ADDING_DOCUMENTS = (" Văn bản mới do Văn phòng Đảng ủy thêm vào tệp data/documents.yml (mỗi văn bản một mục: "
                    "`id` là số ký hiệu, `kind`, `date`, `issuer`, `title`): nếu số ký hiệu đúng, hãy báo văn "
                    "phòng thêm, hoặc thêm mục đó vào data/documents.yml trong cùng yêu cầu để văn phòng duyệt.")


def _unknown(source: Source, keys: tuple, value: str, registry: dict, what: str, file: str) -> Problem:
    field = ".".join(str(k) for k in keys)
    more = ADDING_DOCUMENTS if file == "documents.yml" else ""
    return _err(source, keys, field,
                f"Không có {what} `{value}` trong data/{file}.{suggest_ids(value, registry)}{more}",
                "unknown-id")


# --- references ------------------------------------------------------------------------


def check_references(archive: Archive) -> Rule:
    broken = archive.broken
    leaves = archive.leaf_parts()
    for report in archive.reports:
        if "documents.yml" not in broken:
            for i, doc in enumerate(report.meta.responds_to):
                if doc not in archive.documents:
                    yield _unknown(report.source, ("responds_to", i), doc, archive.documents, "văn bản",
                                   "documents.yml")
        for section in report.sections:
            meta, src = section.meta, section.source
            if "outline.yml" not in broken and meta.part not in leaves:
                yield _unknown(src, ("part",), meta.part, leaves, "mục đề cương", "outline.yml")
            if "categories.yml" not in broken and meta.category and meta.category not in archive.categories:
                yield _unknown(src, ("category",), meta.category, archive.categories, "loại tổ chức",
                               "categories.yml")
            if ("organisations.yml" not in broken and meta.contributor
                    and meta.contributor not in archive.organisations):
                yield _unknown(src, ("contributor",), meta.contributor, archive.organisations,
                               "tổ chức", "organisations.yml")
            if "documents.yml" not in broken:
                for i, doc in enumerate(meta.documents):
                    if doc not in archive.documents:
                        yield _unknown(src, ("documents", i), doc, archive.documents, "văn bản",
                                       "documents.yml")
            if "indicators.yml" not in broken:
                for key in meta.figures:
                    if key not in archive.indicators:
                        yield _unknown(src, ("figures", key), key, archive.indicators, "chỉ tiêu",
                                       "indicators.yml")


def check_data_references(archive: Archive) -> Rule:
    """Ids used inside the registries themselves."""
    src = archive.sources.get("organisations.yml", Source("data/organisations.yml"))
    if not {"organisations.yml", "categories.yml"} & archive.broken:
        for i, org in enumerate(archive.organisations.values()):
            if org.category and org.category not in archive.categories:
                yield _unknown(src, ("organisations", i, "category"), org.category, archive.categories,
                               "loại tổ chức", "categories.yml")
    if "indicators.yml" not in archive.broken:
        src = archive.sources.get("indicators.yml", Source("data/indicators.yml"))
        for i, ind in enumerate(archive.indicators.values()):
            for key in ("sum_of", "plus", "minus"):
                for j, ref in enumerate(getattr(ind, key)):
                    if ref not in archive.indicators:
                        yield _unknown(src, ("indicators", i, key, j), ref, archive.indicators, "chỉ tiêu",
                                       "indicators.yml")
            for key in ("part_of", "carried_from"):
                ref = getattr(ind, key)
                if ref and ref not in archive.indicators:
                    yield _unknown(src, ("indicators", i, key), ref, archive.indicators, "chỉ tiêu",
                                   "indicators.yml")


# --- outline slots and completeness ---------------------------------------------------------


def check_slots(archive: Archive) -> Rule:
    if {"outline.yml", "categories.yml"} & archive.broken:
        return
    leaves = archive.leaf_parts()
    for report in archive.reports:
        seen: dict[tuple, Section] = {}
        unplaced = False
        for section in report.sections:
            meta, src = section.meta, section.source
            part = leaves.get(meta.part)
            if part is None or (meta.category and meta.category not in archive.categories):
                unplaced = True  # reported by check_references
                continue
            if part.per_category and not meta.category:
                yield _err(src, ("part",), "category",
                           f"Mục `{part.id}` viết theo từng loại tổ chức: hãy thêm `category:` "
                           f"({_implied_category(archive, report, section)}).", "category-required")
                unplaced = True
                continue
            if not part.per_category and meta.category:
                yield _err(src, ("category",), "category",
                           f"Mục `{part.id}` không chia theo loại tổ chức: hãy xóa dòng `category:`.",
                           "category-not-allowed")
                unplaced = True
                continue
            key = (meta.part, meta.category)
            if key in seen:
                yield _err(src, ("part",), "part",
                           f"Báo cáo đã có phần này ở tệp {seen[key].source.path}; mỗi mục chỉ một tệp: "
                           "hãy gộp nội dung vào tệp kia hoặc đổi `part`/`category`.", "duplicate-section")
                continue
            seen[key] = section
        if not unplaced:
            yield from _missing(archive, report, seen)


def _implied_category(archive: Archive, report: Report, section: Section) -> str:
    """The category the file's name implies, else the ones there are."""
    slot = archive.slot_for_file(report.period, section.slug)
    if slot is not None and slot.category is not None and slot.part.id == section.meta.part:
        return (f"theo tên tệp `{section.slug}.md` là phần {slot.full_number} {slot_title(slot, report.period)}: "
                f"hãy viết `category: {slot.category.id}`")
    return "một trong: " + ", ".join(f"`{c}` ({archive.categories[c].name})" for c in archive.categories)


def _missing(archive: Archive, report: Report, seen: dict) -> Rule:
    if report.unreadable:
        return  # the unreadable file is probably the missing one: its own errors say why
    severity = Severity.ERROR if report.meta.status == "issued" else Severity.WARNING
    for slot in archive.slots(report.period):
        if slot.is_leaf and slot.key not in seen:
            what = f"part: {slot.part.id}" + (f", category: {slot.category.id}" if slot.category else "")
            yield _err(report.source, ("period",), "", f"Báo cáo {report.period.label} còn thiếu phần "
                       f"{slot.full_number} {slot_title(slot, report.period)} ({what}); hãy thêm tệp cho "
                       "phần này.", "section-missing", severity)


# --- report metadata and dates -------------------------------------------------------------


def check_report_meta(archive: Archive) -> Rule:
    numbers: dict[tuple[str, str], Report] = {}
    for report in archive.reports:
        meta, src = report.meta, report.source
        declared = set(meta.missing_in_source)
        for key in ("number", "issued_on", "signer"):
            value = getattr(meta, key)
            if meta.status == "issued" and value is None and key not in declared:
                yield _err(src, (key,), key, f"Báo cáo đã ban hành (status: issued) phải có `{key}`; hãy điền, "
                           "hoặc để status: draft nếu chưa ban hành.", "issued-incomplete")
        for key in declared:
            if getattr(meta, key) is not None:
                yield _err(src, ("missing_in_source",), "missing_in_source",
                           f"`{key}` đã có giá trị nên không thể ghi là thiếu trong bản gốc; hãy xóa "
                           f"`{key}` khỏi missing_in_source.", "missing-in-source-conflict")
        if meta.as_of and meta.as_of > report.period.end:
            yield _err(src, ("as_of",), "as_of",
                       f"Ngày số liệu {date_text(meta.as_of)} nằm sau {report.period.label}; "
                       f"hãy viết một ngày đến {date_text(report.period.end)}.", "as-of-after-period")
        if meta.issued_on and meta.as_of and meta.issued_on < meta.as_of:
            yield _err(src, ("issued_on",), "issued_on",
                       f"Ngày ban hành {date_text(meta.issued_on)} trước ngày số liệu "
                       f"{date_text(meta.as_of)}; hãy kiểm tra lại.", "issued-before-as-of")
        if meta.number:
            term = _term_of(archive, meta.issued_on or report.period.end)
            key = (term, meta.number)
            if key in numbers:
                yield _err(src, ("number",), "number",
                           f"Số `{meta.number}` đã dùng cho báo cáo {numbers[key].period.label} trong cùng "
                           "nhiệm kỳ; hãy dùng số tiếp theo.", "number-duplicate")
            numbers.setdefault(key, report)
        for section in report.sections:
            for i, milestone in enumerate(section.meta.milestones):
                if milestone.date > report.period.end:
                    yield _err(section.source, ("milestones", i, "date"), f"milestones.{i}.date",
                               f"Ngày {date_text(milestone.date)} nằm sau {report.period.label}; mốc thời "
                               "gian phải thuộc kỳ báo cáo hoặc trước đó.", "date-after-period")


def _term_of(archive: Archive, day) -> str:
    label = ""
    if archive.committee:
        for term in sorted(archive.committee.terms, key=lambda t: t.start):
            if term.start <= day:
                label = term.label
    return label


# --- arithmetic -----------------------------------------------------------------------------


def check_arithmetic(archive: Archive) -> Rule:
    if "indicators.yml" in archive.broken:
        return
    previous: Report | None = None
    for report in archive.reports:
        for section in report.sections:
            yield from _within_section(archive, section)
        yield from _whole_vs_parts(archive, report)
        if previous is not None and previous.period.next() == report.period:
            yield from _carried(archive, previous, report)
        previous = report


def _within_section(archive: Archive, section: Section) -> Rule:
    figures, src = section.meta.figures, section.source
    for ind in archive.indicators.values():
        value = figures.get(ind.id)
        if value is None:
            continue
        if ind.sum_of:
            parts = [figures.get(p) for p in ind.sum_of]
            if all(p is not None for p in parts) and sum(parts) != value:
                yield _err(src, ("figures", ind.id), f"figures.{ind.id}",
                           f"{ind.label} là {number(value)} nhưng tổng các thành phần "
                           f"({_labels(archive, ind.sum_of, ' + ')}) là {number(sum(parts))}; hãy sửa cho khớp.",
                           "sum-mismatch")
            elif sum(p for p in parts if p is not None) > value:
                known = [p for p in ind.sum_of if figures.get(p) is not None]
                yield _err(src, ("figures", ind.id), f"figures.{ind.id}",
                           f"{ind.label} là {number(value)}, ít hơn các thành phần đã ghi "
                           f"({_labels(archive, known)}: {number(sum(figures[p] for p in known))}); "
                           "hãy kiểm tra lại.", "sum-below-parts")
        if ind.plus or ind.minus:
            terms = [figures.get(p) for p in ind.plus + ind.minus]
            expected = (sum(figures.get(p) or 0 for p in ind.plus)
                        - sum(figures.get(m) or 0 for m in ind.minus))
            if all(t is not None for t in terms):
                if expected != value:
                    yield _err(src, ("figures", ind.id), f"figures.{ind.id}",
                               f"{ind.label} phải bằng {number(expected)} (= {_labels(archive, ind.plus, ' + ')}"
                               f" − {_labels(archive, ind.minus, ' − ')}), không phải {number(value)}.",
                               "balance-mismatch")
            elif any(t is not None for t in terms) and expected != value:
                blank = [t for t in ind.plus + ind.minus if figures.get(t) is None]
                yield _err(src, ("figures", ind.id), f"figures.{ind.id}",
                           f"{ind.label} là {number(value)} nhưng các số đã ghi cho {number(expected)}; "
                           f"các dòng để trống: {_labels(archive, blank)}. Hãy điền các dòng này "
                           "(viết 0 nếu không có).", "balance-blank-rows", Severity.WARNING)
        if ind.part_of:
            whole = figures.get(ind.part_of)
            if whole is not None and value > whole:
                label = archive.indicators[ind.part_of].label if ind.part_of in archive.indicators else ind.part_of
                yield _err(src, ("figures", ind.id), f"figures.{ind.id}",
                           f"{ind.label} ({number(value)}) không thể lớn hơn {label} ({number(whole)}).",
                           "part-exceeds-whole")


def _labels(archive: Archive, ids: list[str], between: str = ", ") -> str:
    return between.join(archive.indicators[i].label if i in archive.indicators else i for i in ids)


def _whole_vs_parts(archive: Archive, report: Report) -> Rule:
    """A figure for the whole committee equals the sum over every active category."""
    wholes = [s for s in report.sections if s.meta.category is None]
    parts = [s for s in report.sections if s.meta.category is not None]
    active = {c.id for c in archive.active_categories(report.period)}
    for whole in wholes:
        for key, value in whole.meta.figures.items():
            if value is None:
                continue
            given = {s.meta.category: s.meta.figures.get(key) for s in parts if key in s.meta.figures}
            if active and set(given) >= active and all(v is not None for v in given.values()):
                total = sum(given.values())
                if total != value:
                    yield _err(whole.source, ("figures", key), f"figures.{key}",
                               f"Số toàn Đảng bộ ({number(value)}) khác tổng các loại tổ chức "
                               f"({number(total)}); hãy sửa cho khớp.", "whole-not-sum")
            elif sum(v for v in given.values() if v is not None) > value:
                known = sum(v for v in given.values() if v is not None)
                yield _err(whole.source, ("figures", key), f"figures.{key}",
                           f"Số toàn Đảng bộ ({number(value)}) ít hơn tổng các loại tổ chức đã ghi "
                           f"({number(known)}); hãy kiểm tra lại.", "whole-below-parts")


def _carried(archive: Archive, previous: Report, report: Report) -> Rule:
    """A quarter's start is last quarter's end. Said at the later report, unless it is sealed:
    then at the earlier one (:func:`baocao.check.seal.judged_at`)."""
    before, now = aggregate.given_whole(previous), aggregate.given_whole(report)
    at = judged_at(report, previous)
    for ind in archive.indicators.values():
        value, expected = now.get(ind.id), before.get(ind.carried_from) if ind.carried_from else None
        if value is None or expected is None or value == expected:
            continue
        if at is previous:
            section = next(s for s in previous.sections
                           if s.meta.category is None and s.meta.figures.get(ind.carried_from) is not None)
            start = archive.indicators.get(ind.carried_from)
            yield _err(section.source, ("figures", ind.carried_from), f"figures.{ind.carried_from}",
                       f"{start.label if start else ind.carried_from} ({number(expected)}) phải bằng {ind.label} "
                       f"của {report.period.label} ({number(value)}), báo cáo đã ban hành và niêm phong. Hãy sửa "
                       f"số của kỳ này cho khớp; nếu số đã ban hành sai, phải ban hành báo cáo thay thế cho báo "
                       f"cáo {report.period.label}.", "carried-mismatch")
            continue
        section = next(s for s in report.sections
                       if s.meta.category is None and s.meta.figures.get(ind.id) is not None)
        problem = _err(section.source, ("figures", ind.id), f"figures.{ind.id}",
                       f"{ind.label} ({number(value)}) phải bằng số cuối kỳ của "
                       f"{previous.period.label} ({number(expected)}).", "carried-mismatch")
        yield problem if at is report else sealed_note(problem, report)


# --- issued reports and repeated documents ------------------------------------------------


def check_issued_complete(archive: Archive) -> Rule:
    """An issued report is the signed document: every section approved and written."""
    for report in archive.reports:
        if report.meta.status == "issued":
            yield from _sections_unready(report, issuing=False)


def issue_blockers(report: Report) -> list[Problem]:
    """What stops the draft ``report`` from being issued, said as such (it is not issued
    yet): a section not approved or empty, no signer. ``baocao issue`` asks before it
    writes ``status: issued``; the same conditions as the issued report's rules."""
    found = list(_sections_unready(report, issuing=True))
    if report.meta.signer is None and "signer" not in report.meta.missing_in_source:  # as check_report_meta
        found.append(_err(report.source, ("signer",), "signer",
                          f"Chưa có người ký (`signer`): để ban hành báo cáo {report.period.label}, hãy điền "
                          "`signer` (authority, body, position, name) như các báo cáo trước.", "issue-no-signer"))
    return found


def _sections_unready(report: Report, *, issuing: bool) -> Iterator[Problem]:
    """The sections of ``report`` not approved or without text; ``issuing``: said to who is
    about to issue the draft, otherwise of a report already issued."""
    label = report.period.label
    for section in report.sections:
        src = section.source
        if section.meta.status != "approved":
            message = (f"Phần này chưa được duyệt (`status: {section.meta.status}`): để ban hành báo cáo {label}, "
                       "mọi phần phải được duyệt; khi văn phòng đã duyệt, hãy viết `status: approved`."
                       if issuing else
                       f"Báo cáo {label} đã ban hành (status: issued) nên phần này phải được duyệt: hãy viết "
                       "`status: approved` khi văn phòng đã duyệt, hoặc để báo cáo ở `status: draft`.")
            yield _err(src, ("status",), "status", message, "issued-section-not-approved")
        if not section.has_text:
            message = (f"Phần này chưa có nội dung: để ban hành báo cáo {label}, hãy viết nội dung của phần."
                       if issuing else
                       f"Báo cáo {label} đã ban hành nhưng phần này chưa có nội dung; hãy viết nội dung, hoặc để "
                       "báo cáo ở `status: draft`.")
            yield Problem(src.path, section.body_line, "", message, "issued-section-empty")


def check_repeated_documents(archive: Archive) -> Rule:
    for report in archive.reports:
        places = [(report.source, "responds_to", report.meta.responds_to)]
        places += [(s.source, "documents", s.meta.documents) for s in report.sections]
        for src, key, ids in places:
            seen: set[str] = set()
            for i, doc in enumerate(ids):
                if doc in seen:
                    yield _err(src, (key, i), f"{key}.{i}",
                               f"Văn bản `{doc}` được ghi hai lần; hãy xóa một dòng.", "document-duplicate",
                               Severity.WARNING)
                seen.add(doc)


RULES = (check_references, check_data_references, check_slots, check_report_meta, check_arithmetic,
         check_issued_complete, check_repeated_documents)
