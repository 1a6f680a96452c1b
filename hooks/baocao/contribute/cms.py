"""The web form's configuration: Decap CMS ``config.yml`` made from the schemas and ``data/``.

``baocao cms-config`` prints it and every build writes it to ``admin/config.yml``, so the
form never drifts from the rules ``baocao check`` applies. One collection per quarter
(newest first) lists that report's ``index.md`` and its section files, each with a
Vietnamese label; their fields follow the keys of :class:`~baocao.schemas.ReportMeta`
and :class:`~baocao.schemas.SectionMeta` in order, with the schemas' Vietnamese titles
as labels and descriptions as hints (:data:`FORM_HINTS` where a description speaks of the
file). Selects list the ids of ``data/``; figures are one ``baocao-count`` widget per
indicator (a whole number typed as Vietnamese write it). The files of issued reports are
shown read-only. Files are read and written by the ``baocao-frontmatter`` format of
``overrides/admin/baocao-cms.js``, which keeps YAML comments and refuses to save
what the form cannot represent (the ``_baocao`` guard field carries the rules it checks).

Backend settings come from the caller (``mkdocs.yml`` ``extra.cms`` or CLI options), never
from ``docs/`` or ``data/``. This module knows nothing of MkDocs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel

from baocao.compile.document import REPORT_STATUS
from baocao.load import siteconfig
from baocao.model import Archive, Report, slot_title
from baocao.periods import FIRST_YEAR, FOLDER, KEY, LAST_YEAR
from baocao.schemas import Count, Milestone, ReportMeta, SectionMeta, Signer

#: Name of the custom file format registered by ``overrides/admin/baocao-cms.js``.
FORMAT = "baocao-frontmatter"
#: Name of the guard field (and its widget): shows why a file is read-only, blocks saving.
GUARD = "_baocao"
#: The Markdown files of a report folder, the folder's name in a group.
_IN_FOLDER = r"^docs/reports/({folders})/[a-z0-9][a-z0-9-]*\.md$"
#: The files the form reads and writes (``docs/reports/<folder>/<file>.md``, the folders
#: the loader reads: a period's, ``2025-q3``, or a replacement report's, ``2025-q3-2``), and
#: nothing else: ``baocao edit``'s local backend refuses any other path. A regular
#: expression that Python and JavaScript read alike.
EDITABLE = _IN_FOLDER.format(folders=FOLDER)

#: Name of the widget of one figure (``overrides/admin/baocao-count.js``): a text box read as
#: Vietnamese write numbers (1.173 is 1173; 1.5 and 1,5 are refused), never Decap's number
#: widget, whose <input type="number"> turned "1.173" into 173.
COUNT_WIDGET = "baocao-count"
COUNT_HINT = ("Số nguyên từ 0, gõ 1173 hoặc 1.173 (dấu chấm ngăn hàng nghìn); không có phần lẻ. "
              "Để trống nếu chưa có số liệu: ô trống không phải số 0.")
#: The media library registered by ``overrides/admin/baocao-cms.js``: none (no "Media"
#: button, no upload).
MEDIA_LIBRARY = "baocao-khong-tep"
#: Backend used when ``extra.cms`` gives none: Forgejo/Gitea with pull requests.
DEFAULT_BACKEND = "forgejo"
#: Keys of ``extra.cms`` in ``mkdocs.yml`` (or CLI options) passed to Decap's backend.
BACKEND_KEYS = ("name", "repo", "branch", "api_root", "base_url", "app_id", "cms_label_prefix")

SECTION_STATUS = {"draft": "Đang soạn", "submitted": "Đã gửi (chờ văn phòng duyệt)", "approved": "Đã duyệt"}
AUTHORITY = {"T/M": "T/M (thay mặt tập thể)", "K/T": "K/T (ký thay)", "T/L": "T/L (thừa lệnh)"}
MISSING_IN_SOURCE = {"number": "Số ký hiệu", "issued_on": "Ngày ban hành", "signer": "Người ký",
                     "as_of": "Ngày tính số liệu"}
BODY_HINT = ("Viết nội dung, mỗi đoạn cách nhau một dòng trống. Dòng bắt đầu bằng \"- \" là một ý "
             "gạch đầu dòng. Không chèn mã HTML; số liệu ghi ở các ô Số liệu, không gõ lại bảng.")
# The bounds of a figure, read from the schema's own declaration of Count.
_LIMITS = [m for a in get_args(Count)[1:] for m in getattr(a, "metadata", ())]
MIN_COUNT = next(m.ge for m in _LIMITS if hasattr(m, "ge"))
MAX_COUNT = next(m.le for m in _LIMITS if hasattr(m, "le"))


def writable(archive: Archive) -> str:
    """The files the form may write: those of :data:`EDITABLE` in the folders of reports that
    are not issued, by folder, not by period: a draft replacement (``2025-q3-2``) is
    writable, the issued report it replaces (``2025-q3``) is not (a regular expression, as
    :data:`EDITABLE`; one that matches nothing when every report is issued)."""
    folders = "|".join(r.folder.rsplit("/", 1)[-1] for r in archive.reports  # names the loader read: [0-9a-q-]
                       if r.meta.status != "issued")
    return _IN_FOLDER.format(folders=folders) if folders else r"^(?!)$"


#: The form's hints where the schema's description speaks of the file (ids, data/ paths,
#: the date as written in YAML): a secretary sees labels and pickers, never ids.
FORM_HINTS: dict[tuple[type[BaseModel], str], str] = {
    (ReportMeta, "period"): "Kỳ của báo cáo (không sửa).",
    (ReportMeta, "status"): "«Dự thảo» khi đang soạn. Văn phòng chọn «Đã ban hành» khi báo cáo đã ký; từ đó biểu "
                            "mẫu chỉ cho xem báo cáo này.",
    (ReportMeta, "issued_on"): "Ngày ký ban hành; để trống khi chưa ban hành.",
    (ReportMeta, "as_of"): "Ngày chốt số liệu của báo cáo.",
    (ReportMeta, "responds_to"): "Văn bản cấp trên yêu cầu báo cáo. Văn bản chưa có trong danh sách thì nhờ văn "
                                 "phòng Đảng ủy thêm.",
    (SectionMeta, "part"): "Mục của đề cương mà phần này viết cho (không sửa).",
    (SectionMeta, "category"): "Loại tổ chức đảng của phần, ở mục kết quả theo loại tổ chức (không sửa).",
    (SectionMeta, "contributor"): "Tổ chức đảng soạn phần này; để trống nếu không rõ.",
    (SectionMeta, "status"): "«Đang soạn» khi đang viết; viết xong thì chọn «Đã gửi» để văn phòng duyệt; văn "
                             "phòng chọn «Đã duyệt».",
    (SectionMeta, "figures"): "Mỗi ô một chỉ tiêu; để trống ô chưa có số liệu.",
    (SectionMeta, "acknowledged"): "Chỉ văn phòng Đảng ủy đánh dấu, khi phần này giống quý trước là có chủ ý (ví dụ "
                                   "tình hình không đổi). Tổ chức đảng không tự đánh dấu ô này.",
    (SectionMeta, "documents"): "Văn bản được nêu hoặc quán triệt trong phần. Văn bản chưa có trong danh sách thì "
                                "nhờ văn phòng Đảng ủy thêm.",
    (Milestone, "date"): "Ngày diễn ra sự kiện.",
}


def _field(model: type[BaseModel], name: str, widget: str, **extra: Any) -> dict:
    info = model.model_fields[name]
    out: dict[str, Any] = {"name": name, "label": info.title or name, "widget": widget}
    hint = FORM_HINTS.get((model, name), info.description)
    if hint:
        out["hint"] = hint
    out["required"] = info.is_required() and _not_nullable(info)
    out.update(extra)
    return out


def _not_nullable(info) -> bool:
    return "None" not in str(info.annotation)


def _select(model: type[BaseModel], name: str, options: list[tuple[str, str]], *, multiple: bool = False,
            what: str) -> dict:
    """A select of known ids; a single select also gets a pattern, so an id typed in the file
    that is not in ``data/`` is refused in the form with a message."""
    field = _field(model, name, "select", options=[{"label": label, "value": value} for value, label in options],
                   multiple=multiple)
    if multiple:
        field["required"] = False
    elif options:
        alternatives = "|".join(re.escape(value) for value, _ in options)
        field["pattern"] = [f"^({alternatives})$", f"Không có trong danh sách {what}; hãy chọn lại."]
    return field


def _date(model: type[BaseModel], name: str) -> dict:
    # A date only, read and written as YYYY-MM-DD in local time: no time zone to show
    # ("UTC"), and "today" is the user's today.
    return _field(model, name, "datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY", time_format=False,
                  picker_utc=False, default="")


def _documents(archive: Archive) -> list[tuple[str, str]]:
    return [(d.id, f"{d.id} — {d.kind} {d.title}") for d in archive.documents.values()]


def _numbered_parts(archive: Archive) -> list[tuple[str, str]]:
    """Outline parts that take sections, labelled with their full numbering (``A.2. Kết quả…``)."""
    out: list[tuple[str, str]] = []

    def walk(parts, prefix: str) -> None:
        for part in parts:
            if not part.children:
                title = part.title.replace("{ky_sau}", "kỳ sau").replace("{ky}", "kỳ báo cáo")
                out.append((part.id, f"{prefix}{part.number} {title}"))
            walk(part.children, prefix + part.number)

    walk(archive.outline, "")
    return out


#: Why the files of an issued report are shown read-only (the guard field says it, and
#: blocks saving).
ISSUED_READ_ONLY = ("Báo cáo này đã ban hành: biểu mẫu chỉ cho xem, không sửa được. Cần đính chính thì báo văn "
                    "phòng Đảng ủy.")


def _guard(model: type[BaseModel], kind: str, ids: dict[str, list[str]], counts: dict[str, list[str]]) -> dict:
    """The guard field: the keys a file may have, with their labels (the guard's messages name
    a field by its label, never by its key), the ids each may take, the figures' ids."""
    keys = list(model.model_fields)
    return {"name": GUARD, "label": "Hướng dẫn", "widget": "baocao-guard", "required": False,
            "kind": kind, "keys": keys, "labels": {k: model.model_fields[k].title or k for k in keys},
            "ids": ids, "counts": counts}


def read_only(fields: list[dict], why: str) -> list[dict]:
    """``fields`` whose guard shows the file read-only, saying ``why``."""
    return [{**fields[0], "read_only": why}, *fields[1:]]


def section_fields(archive: Archive) -> list[dict]:
    """The fields of a section file, in :class:`SectionMeta` key order, then the body."""
    parts = _numbered_parts(archive)
    categories = [(c.id, c.short) for c in archive.categories.values()]
    organisations = [(o.id, o.name) for o in archive.organisations.values()]
    indicators = list(archive.indicators.values())
    by_name = {
        "part": _select(SectionMeta, "part", parts, what="mục của đề cương"),
        "category": _select(SectionMeta, "category", categories, what="loại tổ chức"),
        "title": _field(SectionMeta, "title", "string"),
        "contributor": _select(SectionMeta, "contributor", organisations,
                               what="tổ chức đảng"),
        "status": _select(SectionMeta, "status", list(SECTION_STATUS.items()), what="trạng thái"),
        "figures": _field(SectionMeta, "figures", "object", collapsed=False, fields=[
            {"name": i.id, "label": f"{i.label} ({i.unit})", "widget": COUNT_WIDGET,
             "min": MIN_COUNT, "max": MAX_COUNT, "required": False, "hint": COUNT_HINT}
            for i in indicators]),
        "documents": _select(SectionMeta, "documents", _documents(archive), multiple=True,
                             what="văn bản"),
        # The summary of a folded item (Decap's own is "No date" while the date is empty).
        "milestones": _field(SectionMeta, "milestones", "list", required=False, summary="Mốc {{date}} {{event}}",
                             fields=[
            _date(Milestone, "date") | {"required": True},
            _field(Milestone, "event", "string")]),
        "acknowledged": _field(SectionMeta, "acknowledged", "boolean", required=False),
    }
    fields = _in_model_order(SectionMeta, by_name)
    guard = _guard(SectionMeta, "section",
                   {"part": [p for p, _ in parts], "category": [c for c, _ in categories],
                    "contributor": [o for o, _ in organisations], "status": list(SECTION_STATUS),
                    "documents": list(archive.documents)},
                   {"figures": [i.id for i in indicators]})
    return [guard, *fields, _body()]


def report_fields(archive: Archive) -> list[dict]:
    """The fields of a report's ``index.md``, in :class:`ReportMeta` key order, then the body."""
    number_pattern = ReportMeta.model_json_schema()["properties"]["number"]["anyOf"][0]["pattern"]
    by_name = {
        "period": _field(ReportMeta, "period", "string", pattern=[KEY, f"Viết NĂM-Q<quý>, năm từ {FIRST_YEAR} đến {LAST_YEAR}, ví dụ 2025-Q4."]),
        "status": _select(ReportMeta, "status", list(REPORT_STATUS.items()), what="trạng thái"),
        "title": _field(ReportMeta, "title", "string"),
        "number": _field(ReportMeta, "number", "string", pattern=[number_pattern, "Viết như 45-BC/ĐU."]),
        "issued_on": _date(ReportMeta, "issued_on"),
        "as_of": _date(ReportMeta, "as_of"),
        "responds_to": _select(ReportMeta, "responds_to", _documents(archive), multiple=True,
                               what="văn bản"),
        "due": _date(ReportMeta, "due"),
        "sections_due": _date(ReportMeta, "sections_due"),
        "signer": _field(ReportMeta, "signer", "object", collapsed=False, fields=[
            _select(Signer, "authority", list(AUTHORITY.items()), what="quyền hạn ký") | {"required": False},
            *(_field(Signer, name, "string") | {"required": False} for name in ("body", "position", "name"))]),
        "recipients": _field(ReportMeta, "recipients", "list", required=False, allow_add=True,
                             field={"name": "line", "label": "Nơi nhận", "widget": "string"}),
        "replaces": _field(ReportMeta, "replaces", "string",
                           pattern=[number_pattern, "Viết như 45-BC/ĐU."]),
        "missing_in_source": _select(ReportMeta, "missing_in_source", list(MISSING_IN_SOURCE.items()),
                                     multiple=True, what="trường"),
    }
    fields = _in_model_order(ReportMeta, by_name)
    guard = _guard(ReportMeta, "report",
                   {"status": list(REPORT_STATUS), "responds_to": list(archive.documents),
                    "missing_in_source": list(MISSING_IN_SOURCE)}, {})
    return [guard, *fields, _body()]


def _in_model_order(model: type[BaseModel], by_name: dict[str, dict]) -> list[dict]:
    missing = set(model.model_fields) - set(by_name)
    if missing:  # a key added to the schema must get a widget here
        raise ValueError(f"{model.__name__}: no form field for {sorted(missing)}")
    return [by_name[name] for name in model.model_fields]


def _body() -> dict:
    # A plain text box: Decap's Markdown editor would rewrite the text (lists, comments).
    return {"name": "body", "label": "Nội dung", "widget": "text", "required": False, "hint": BODY_HINT}


def _section_label(archive: Archive, report: Report, section) -> str:
    slot = archive.leaf_slot(report.period, (section.meta.part, section.meta.category))
    if slot is None:
        return f"{section.slug} (không có trong đề cương)"
    title = section.meta.title or slot_title(slot, report.period)
    return f"{slot.full_number} {title}"


def _slot_order(archive: Archive, report: Report):
    order = {slot.key: index for index, slot in enumerate(archive.slots(report.period))}

    def key(section) -> tuple[int, str]:
        return (order.get((section.meta.part, section.meta.category), len(order)), section.slug)

    return key


def collections(archive: Archive) -> list[dict]:
    """One collection per quarter, newest first: the report's index.md, then its sections."""
    report_f, section_f = report_fields(archive), section_fields(archive)
    # Issued reports are shown, not edited (one list of fields shared by all of them).
    issued_f = read_only(report_f, ISSUED_READ_ONLY), read_only(section_f, ISSUED_READ_ONLY)
    out = []
    for report in reversed(archive.reports):
        issued = report.meta.status == "issued"
        report_fields_, section_f_ = issued_f if issued else (report_f, section_f)
        files = [{"name": "index", "label": "Thông tin chung và đoạn mở đầu", "file": f"docs/{report.uri}",
                  "fields": report_fields_}]
        for section in sorted(report.sections, key=_slot_order(archive, report)):
            files.append({"name": section.slug, "label": _section_label(archive, report, section),
                          "file": section.source.path, "fields": section_f_})
        for path in report.unreadable:
            name = path.rsplit("/", 1)[-1].removesuffix(".md")
            files.append({"name": name, "label": f"{name} (tệp đang có lỗi)", "file": path, "fields": section_f_})
        out.append({
            "name": f"bao-cao-{report.period.slug}",
            "label": f"Báo cáo {report.period.label} ({REPORT_STATUS[report.meta.status].lower()})",
            "label_singular": "phần",
            "description": (f"Báo cáo {report.period.label} đã ban hành: chỉ xem." if issued else
                            f"Các phần của báo cáo {report.period.label}: chọn phần của đơn vị mình để viết."),
            "format": FORMAT, "extension": "md", "editor": {"preview": False},
            # Files are the report's: the form neither adds nor deletes any.
            "create": False, "delete": False,
            "files": files,
        })
    return out


def backend_settings(options: dict | None, *, local_url: str | None = None) -> dict:
    """Decap's ``backend`` (and ``publish_mode``/``local_backend``) from trusted settings."""
    options = {k: v for k, v in (options or {}).items() if k in BACKEND_KEYS and v not in (None, "")}
    name = options.pop("name", DEFAULT_BACKEND)
    if name != DEFAULT_BACKEND:
        # Decap's "gitea" backend refuses the editorial workflow: saves would go straight to
        # the main branch, without a pull request, review or check.
        raise ValueError(f"Máy chủ biểu mẫu `{name}` không dùng được: chỉ `forgejo` tạo yêu cầu hợp nhất "
                         "(pull request) cho mỗi lần lưu; hãy ghi `name: forgejo` trong extra.cms của mkdocs.yml.")
    backend = {"name": name, **options}
    backend.setdefault("branch", "main")
    out: dict[str, Any] = {"backend": backend}
    if local_url:
        # baocao edit: decap-server writes the working tree directly (its "fs" mode has no
        # pull requests), so the local form saves without the editorial workflow. The
        # backend is the same local server, so a form that misses it never turns to the
        # production server.
        out["backend"] = {"name": "proxy", "proxy_url": local_url, "branch": backend["branch"]}
        out["local_backend"] = {"url": local_url, "allowed_hosts": ["127.0.0.1"]}
    else:
        out["publish_mode"] = "editorial_workflow"
    return out


def config(archive: Archive, backend: dict | None = None, *, local_url: str | None = None,
           site_url: str | None = None) -> dict:
    """The whole Decap configuration as a mapping."""
    out: dict[str, Any] = {**backend_settings(backend, local_url=local_url), "locale": "vi"}
    if site_url:
        out["site_url"] = out["display_url"] = site_url
    # No media: the form has no file or image field, and the check refuses any file under
    # docs/ but reports. Decap's own media library (a "Media" button, uploads) gives way to
    # MEDIA_LIBRARY, registered by baocao-cms.js, which offers nothing; Decap still wants a
    # media folder (the local backend answers that it holds nothing).
    out["media_library"] = {"name": MEDIA_LIBRARY}
    out["media_folder"] = "docs/assets/uploads"
    out["public_folder"] = "/assets/uploads"
    out["editor"] = {"preview": False}
    out["show_preview_links"] = False
    out["collections"] = collections(archive)
    return out


HEADER = ("# Cấu hình biểu mẫu soạn báo cáo (Decap CMS), sinh tự động từ data/ và các schema\n"
          "# bởi `baocao cms-config` và mỗi lần build: không sửa tay.\n")


def dump(conf: dict) -> str:
    """YAML text of a configuration; shared field lists are written once (anchors)."""
    # libyaml's emitter when PyYAML has it (the same text, twice as fast: the build writes it).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return HEADER + yaml.dump(conf, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def settings_from_mkdocs(path) -> dict:
    """``extra.cms`` of a ``mkdocs.yml`` (empty when absent or unreadable)."""
    return dict(siteconfig.from_file(Path(path)).cms)
