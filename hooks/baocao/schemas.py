"""The shapes of every file: report and section front matter, and each ``data/`` registry.

One pydantic model per file kind. The same models validate content in ``baocao check``
and produce the JSON Schemas of ``baocao schema`` (for editors), so the two never drift.
Descriptions are Vietnamese because editors show them to contributors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from baocao import periods

# --- building blocks ---------------------------------------------------------------

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
#: A name of the registry, printed on one line (a heading, a table cell, the calendar's
#: name): no line break, which a later stage could not write (an iCalendar property).
Line = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\n\r]+$")]
DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
PeriodKey = Annotated[str, StringConstraints(pattern=periods.KEY)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]
#: One reviewer, as CODEOWNERS reads it: @user or @organisation/team, nothing else (no
#: space or newline that would add an owner or a line).
Handle = Annotated[str, StringConstraints(
    pattern=r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99}))?$")]

ReportStatus = Literal["draft", "issued"]
#: A report's số ký hiệu, e.g. ``45-BC/ĐU``.
ReportNumber = Annotated[str, StringConstraints(pattern=r"^\d+-BC/[^\s]+$", max_length=64)]
SectionStatus = Literal["draft", "submitted", "approved"]
OrgType = Literal["dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc", "dang_bo_bo_phan", "co_quan_tham_muu"]


class Strict(BaseModel):
    """Unknown keys are refused (typos); values are frozen once read. Validators are built
    on first use: a build whose files all come from the cache validates nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- content front matter -------------------------------------------------------------


class Signer(Strict):
    authority: Literal["T/M", "K/T", "T/L"] = Field(
        title="Quyền hạn ký", description="Quyền hạn ký: T/M (thay mặt tập thể), K/T (ký thay), T/L (thừa lệnh).")
    body: Text = Field(title="Tập thể", description="Tập thể hoặc người được thay mặt, ví dụ: Ban Thường vụ.")
    position: Text = Field(title="Chức vụ", description="Chức vụ người ký, ví dụ: Phó Bí thư Thường trực.")
    name: Text = Field(title="Họ và tên", description="Họ và tên người ký.")


class ReportMeta(Strict):
    """Front matter of a report: ``docs/reports/<năm>-q<quý>/index.md``."""

    period: PeriodKey = Field(title="Kỳ báo cáo", description="Kỳ báo cáo, dạng NĂM-Q<quý>, ví dụ 2025-Q3; trùng tên thư mục.")
    status: ReportStatus = Field(title="Trạng thái", description="draft (dự thảo) hoặc issued (đã ban hành).")
    title: Text | None = Field(None, title="Trích yếu", description="Trích yếu; để trống thì dùng trích yếu chuẩn theo kỳ.")
    number: ReportNumber | None = Field(
        None, title="Số ký hiệu", description="Số ký hiệu, ví dụ 45-BC/ĐU; để trống khi chưa vào số.")
    issued_on: dt.date | None = Field(None, title="Ngày ban hành", description="Ngày ban hành, dạng 2025-09-30.")
    as_of: dt.date | None = Field(None, title="Số liệu tính đến ngày", description="Số liệu tính đến ngày, dạng 2025-08-25.")
    responds_to: list[DocumentId] = Field(
        default_factory=list, title="Văn bản yêu cầu báo cáo", description="Số hiệu văn bản yêu cầu báo cáo (có trong data/documents.yml).")
    due: dt.date | None = Field(
        None, title="Hạn gửi báo cáo", description="Hạn gửi báo cáo lên cấp trên theo văn bản yêu cầu, dạng 2025-12-15.")
    sections_due: dt.date | None = Field(
        None, title="Hạn nộp các phần", description="Hạn văn phòng đặt cho các tổ chức đảng nộp phần của mình, "
        "trước hạn gửi báo cáo, dạng 2025-12-10.")
    signer: Signer | None = Field(None, title="Người ký", description="Người ký.")
    recipients: list[Text] = Field(default_factory=list, title="Nơi nhận", description="Nơi nhận, mỗi dòng một nơi.")
    replaces: ReportNumber | None = Field(
        None, title="Thay thế báo cáo số", description="Số ký hiệu của báo cáo đã ban hành mà báo cáo này thay thế "
        "(khi phải sửa số liệu hoặc nội dung của báo cáo đã ban hành), ví dụ 45-BC/ĐU.")
    missing_in_source: list[Literal["number", "issued_on", "signer", "as_of"]] = Field(
        default_factory=list, title="Bản gốc không ghi",
        description="Trường mà bản gốc không ghi (ví dụ bản lưu thiếu số và ngày); "
        "chỉ dùng khi nhập báo cáo cũ.")


class Milestone(Strict):
    date: dt.date = Field(title="Ngày", description="Ngày, dạng 2025-07-24.")
    event: Text = Field(title="Sự kiện", description="Sự kiện.")


class SectionMeta(Strict):
    """Front matter of a section: ``docs/reports/<kỳ>/<tên-phần>.md``."""

    part: Id = Field(title="Mục của đề cương", description="Mục của đề cương (data/outline.yml), ví dụ overview, results.")
    category: Id | None = Field(None, title="Loại tổ chức đảng", description="Loại tổ chức đảng (data/categories.yml) với mục results.")
    title: Text | None = Field(None, title="Tiêu đề riêng", description="Tiêu đề riêng của phần; để trống thì dùng tiêu đề đề cương.")
    contributor: Id | None = Field(title="Đơn vị soạn", description="Mã tổ chức đảng soạn phần này (data/organisations.yml); "
                                   "để trống nếu không rõ.")
    status: SectionStatus = Field(title="Trạng thái", description="draft (đang soạn), submitted (đã gửi), approved (đã duyệt).")
    figures: dict[str, Count | None] = Field(
        default_factory=dict, title="Số liệu", description="Số liệu: mã chỉ tiêu (data/indicators.yml) -> số nguyên ≥ 0; "
        "để trống nếu chưa có.")
    documents: list[DocumentId] = Field(
        default_factory=list, title="Văn bản được nêu", description="Văn bản được nêu hoặc quán triệt (data/documents.yml).")
    milestones: list[Milestone] = Field(default_factory=list, title="Mốc thời gian", description="Mốc thời gian nêu trong phần.")
    acknowledged: StrictBool = Field(
        False, title="Đã xác nhận giống quý trước",
        description="Văn phòng ghi true khi phần này giống quý trước là có chủ ý (ví dụ tình hình không đổi); "
        "báo cáo đã ban hành cần trường này cho mọi phần giống quý trước.")


# --- data registries --------------------------------------------------------------------


class Term(Strict):
    label: Line = Field(description="Nhiệm kỳ, ví dụ 2025-2030.")
    start: dt.date = Field(description="Ngày bắt đầu.")


class Committee(Strict):
    """``data/committee.yml``: the committee that issues the reports."""

    name: Line = Field(description="Tên cơ quan ban hành, ví dụ Đảng ủy xã Đại Sơn.")
    organisation: Line = Field(description="Tên đảng bộ, ví dụ Đảng bộ xã Đại Sơn.")
    parent: Line = Field(description="Cấp trên trực tiếp, ví dụ Đảng bộ thành phố Hải Phòng.")
    code: Line = Field(description="Chữ viết tắt trong số ký hiệu, ví dụ ĐU.")
    place: Line = Field(description="Địa danh ghi ở đầu văn bản.")
    formed_on: dt.date | None = None
    formed_by: DocumentId | None = None
    formed_from: list[Text] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    reviewers: list[Handle] = Field(default_factory=list,
                                    description="Tài khoản của văn phòng duyệt mọi thay đổi, ví dụ @van-phong.")


class Category(Strict):
    id: Id
    name: Line = Field(description="Tiêu đề dùng trong báo cáo.")
    short: Line = Field(description="Tên ngắn cho bảng.")
    active_from: dt.date | None = None
    active_to: dt.date | None = None


class Categories(Strict):
    """``data/categories.yml``: categories of party organisations, in report order."""

    categories: list[Category]


class Organisation(Strict):
    id: Id
    name: Line
    type: OrgType | None = Field(None, description="Loại; để trống nếu tài liệu không nêu.")
    category: Id | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    formed_by: DocumentId | None = None
    formed_from: list[Text] = Field(default_factory=list)
    reviewers: list[Handle] = Field(default_factory=list, description="Tài khoản duyệt bài của tổ chức.")


class Organisations(Strict):
    """``data/organisations.yml``: the party organisations of the committee."""

    organisations: list[Organisation]


class Document(Strict):
    id: DocumentId = Field(description="Số ký hiệu, ví dụ 176-KL/TW.")
    kind: Line = Field(description="Thể loại: Công văn, Kết luận, Chỉ thị, Quyết định, ...")
    date: dt.date | None = None
    issuer: Line
    title: Line = Field(description="Trích yếu.")


class Documents(Strict):
    """``data/documents.yml``: documents cited by the reports."""

    documents: list[Document]


class Indicator(Strict):
    id: Id
    label: Line
    unit: Line = "người"
    group: Literal["to_chuc", "dang_vien", "hoat_dong"] = "hoat_dong"
    sum_of: list[Id] = Field(default_factory=list, description="Là tổng của các chỉ tiêu này.")
    plus: list[Id] = Field(default_factory=list, description="Bằng tổng các chỉ tiêu `plus` ...")
    minus: list[Id] = Field(default_factory=list, description="... trừ tổng các chỉ tiêu `minus`.")
    part_of: Id | None = Field(None, description="Không được lớn hơn chỉ tiêu này.")
    carried_from: Id | None = Field(None, description="Bằng chỉ tiêu này của quý trước.")
    optional: bool = Field(False, description="Chỉ tiêu chi tiết, không bắt buộc: phần nào không ghi thì dòng "
                           "của nó trong biểu thống kê để trống, kèm ghi chú (không phải số 0).")


class Indicators(Strict):
    """``data/indicators.yml``: the statistics indicators."""

    indicators: list[Indicator]


class OutlinePart(Strict):
    id: Id
    number: Line
    title: Line = Field(description="Tiêu đề; {ky} là kỳ báo cáo, {ky_sau} là kỳ sau.")
    per_category: bool = False
    children: list[OutlinePart] = Field(default_factory=list)


class Outline(Strict):
    """``data/outline.yml``: the report outline, its numbering and titles."""

    parts: list[OutlinePart]


# --- the seal: files of an issued report (docs/reports/<kỳ>/ban-hanh.yml, dinh-chinh.yml) -----

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
LineDigest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
#: A file of the report's own folder (no folder part: nothing outside it can be named).
ReportFileName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*\.(md|pdf|docx)$", max_length=100)]
#: One line of wording, quoted from a report's text.
Wording = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\n\r]+$")]


class SealedFile(Strict):
    name: ReportFileName = Field(description="Tệp trong thư mục báo cáo.")
    sha256: Sha256 = Field(description="Mã SHA-256 của tệp khi ban hành.")
    lines: list[LineDigest] = Field(default_factory=list, max_length=20_000,
                                    description="Mã của từng dòng (16 chữ số đầu của SHA-256), để chỉ ra dòng bị sửa.")


class SealedEntry(Strict):
    file: Literal["committee.yml", "outline.yml", "categories.yml", "documents.yml"] = Field(
        description="Tệp dữ liệu chứa mục được báo cáo trích.")
    id: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(description="Mã của mục.")
    sha256: Sha256 = Field(description="Mã SHA-256 của phần được trích khi ban hành.")


class IssueManifest(Strict):
    """``docs/reports/<kỳ>/ban-hanh.yml``: written once by ``baocao issue``, never edited."""

    period: PeriodKey = Field(description="Kỳ báo cáo.")
    number: ReportNumber | None = Field(None, description="Số ký hiệu khi ban hành.")
    issued_on: dt.date | None = Field(None, description="Ngày ban hành.")
    sealed_on: dt.date = Field(description="Ngày ghi tệp này.")
    files: list[SealedFile] = Field(max_length=500, description="Các tệp của báo cáo và mã của chúng khi ban hành.")
    entries: list[SealedEntry] = Field(default_factory=list, max_length=2000,
                                       description="Các mục dữ liệu (data/) mà báo cáo trích, khi ban hành.")


class Correction(Strict):
    file: ReportFileName = Field(title="Tệp", description="Tệp của phần được đính chính, ví dụ chi-bo-nong-thon.md.")
    old: Wording = Field(title="Đã viết", description="Câu chữ đã viết trong bản ban hành (trích nguyên văn).")
    new: Wording = Field(title="Nay sửa lại", description="Câu chữ đúng.")


class Erratum(Strict):
    date: dt.date = Field(title="Ngày", description="Ngày của công văn đính chính, dạng 2025-10-05.")
    number: Annotated[str, StringConstraints(pattern=r"^\d+-[A-ZĐ]+/[^\s]+$", max_length=64)] = Field(
        title="Số công văn đính chính", description="Số ký hiệu của công văn đính chính, ví dụ 12-CV/ĐU.")
    reason: Text = Field(title="Lý do", description="Lý do đính chính, ví dụ: lỗi đánh máy.")
    corrections: list[Correction] = Field(min_length=1, max_length=200, title="Nội dung đính chính",
                                          description="Từng chỗ được sửa: câu chữ đã viết và câu chữ đúng.")


class Errata(Strict):
    """``docs/reports/<kỳ>/dinh-chinh.yml``: the errata of an issued report, one entry per công văn đính chính."""

    errata: list[Erratum] = Field(max_length=200)


#: A worksheet's name as spreadsheet programs accept it: 1 to 31 characters, none of
#: ``[ ] : * ? / \\``, no apostrophe or control character, not starting with a space.
SheetName = Annotated[str, StringConstraints(
    pattern=r"^[^\[\]:*?/\\'\x00-\x20\x7f][^\[\]:*?/\\'\x00-\x1f\x7f]{0,30}$")]


class FormRow(Strict):
    """One row of a statistical form: a figure of the archive, or rows of the form added up."""

    id: Id = Field(description="Mã dòng, riêng trong biểu (các dòng khác dùng mã này trong sum, minus, part_of).")
    code: Annotated[str, StringConstraints(max_length=8)] = Field(
        "", description="Ký hiệu in ở cột đầu: A, B, 1, 2, a ...; để trống nếu không có.")
    label: Line = Field(description="Tên chỉ tiêu in trong biểu.")
    level: Annotated[StrictInt, Field(ge=0, le=3)] = Field(0, description="Mức thụt lề: 0 (dòng chính) đến 3.")
    indicator: Id | None = Field(None, description="Chỉ tiêu lấy số (data/indicators.yml), của toàn Đảng bộ.")
    sum: Annotated[list[Id], Field(max_length=200)] = Field(
        default_factory=list, description="Bằng tổng các dòng này của biểu (công thức).")
    minus: Annotated[list[Id], Field(max_length=200)] = Field(
        default_factory=list, description="... trừ các dòng này (công thức).")
    part_of: Id | None = Field(None, description="Dòng \"trong đó\": không lớn hơn dòng này của biểu.")
    per_category: bool = Field(False, description="Thêm dưới dòng này một dòng cho mỗi loại tổ chức "
                               "(data/categories.yml); dòng này là tổng của chúng.")


class Form(Strict):
    """One statistical form (biểu mẫu thống kê): one worksheet of ``baocao stats``."""

    id: Id
    number: Line = Field(description="Số biểu, ví dụ Biểu số 1.")
    title: Line = Field(description="Tên biểu, ví dụ Thống kê tăng, giảm đảng viên.")
    sheet: SheetName = Field(description="Tên trang tính trong tệp Excel (tối đa 31 ký tự, không có [ ] : * ? / \\ ').")
    unit: Line = Field("người", description="Đơn vị tính.")
    signer: Signer | None = Field(None, description="Người ký biểu; để trống thì dùng người ký báo cáo "
                                  "(nếu không có: T/M Ban Thường vụ).")
    rows: Annotated[list[FormRow], Field(min_length=1, max_length=200)]


class Forms(Strict):
    """``data/forms.yml``: the Party's statistical forms filled from the figures, in order."""

    forms: Annotated[list[Form], Field(max_length=30)]


#: data file name -> model, in the order they are loaded.
DATA_FILES: dict[str, type[Strict]] = {
    "committee.yml": Committee,
    "categories.yml": Categories,
    "organisations.yml": Organisations,
    "documents.yml": Documents,
    "indicators.yml": Indicators,
    "outline.yml": Outline,
    "forms.yml": Forms,
}
