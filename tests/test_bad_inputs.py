"""The corpus of bad inputs: each case breaks the shipped content one way and names the
exact file, line, field and code that ``baocao check`` must report."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from baocao.check import run_check
from baocao.problems import Severity

R = "docs/reports/2025-q3/index.md"
CA = "docs/reports/2025-q3/cong-an.md"
OV = "docs/reports/2025-q3/tinh-hinh-chung.md"
XT = "docs/reports/2025-q3/chi-bo-nong-thon.md"
ORGS = "data/organisations.yml"
INDS = "data/indicators.yml"

BASE = ["part: results", "category: cong_an", "contributor:", "status: approved"]


def section(*lines: str, body: str = "Nội dung.") -> str:
    """A section file whose front matter is ``lines`` (first key on line 2)."""
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def base(*extra: str, body: str = "Nội dung.") -> str:
    return section(*BASE, *extra, body=body)


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


def q4_report(*lines: str) -> dict:
    """A draft quý IV/2025 report with only an overview, for rules across reports."""
    fm = ["period: 2025-Q4", "status: draft", *lines]
    return {"docs/reports/2025-q4/index.md": "---\n" + "\n".join(fm) + "\n---\n\nMở đầu.\n"}


# id -> (changes {path: text | edit | None to delete | bytes}, (path, line, field, code), severity)
CASES: dict[str, tuple[dict, tuple, Severity]] = {}
# id -> words the message must contain (what to write instead, the clerk's own text)
SAYS: dict[str, tuple[str, ...]] = {}


def case(name: str, changes: dict, expected: tuple, severity: Severity = Severity.ERROR,
         says: tuple[str, ...] = ()) -> None:
    assert name not in CASES
    CASES[name] = (changes, expected, severity)
    if says:
        SAYS[name] = says


E, W = Severity.ERROR, Severity.WARNING

# --- 1. YAML and files ---------------------------------------------------------------
case("yaml-syntax", {CA: base("documents: [07-QĐ/ĐU")}, (CA, 6, "", "yaml-syntax"))
case("yaml-syntax-colon", {CA: section("part: results", "category: cong_an: x", "contributor:",
                                       "status: approved")}, (CA, 3, "", "yaml-syntax"))
case("yaml-bad-indent", {CA: section("part: results", "  category: cong_an", "contributor:",
                                     "status: approved")}, (CA, 3, "", "yaml-syntax"),
     says=("`category:` thụt vào", "thẳng cột"))
# issue 14.3: the line to fix, and the right advice
case("yaml-no-space-after-colon", {CA: section("part: results", "category: cong_an", "status:submitted",
                                               "contributor:")}, (CA, 4, "", "yaml-syntax"),
     says=("`status: submitted`", "dấu cách"))
case("yaml-no-space-after-colon-last", {CA: section("part: results", "category: cong_an", "contributor:",
                                                    "status:submitted")}, (CA, 5, "", "yaml-syntax"),
     says=("`status: submitted`",))
case("indent-under-one-value", {CA: section("part: results", "category: cong_an", "contributor:",
                                            "  status: approved")}, (CA, 5, "contributor", "indent"),
     says=("`status:` thụt vào dưới `contributor:`", "thẳng cột"))
case("yaml-bad-indent-list", {CA: base("documents:", "  - 07-QĐ/ĐU", " - 08-QĐ/ĐU")}, (CA, 8, "", "yaml-syntax"),
     says=("mục `- `", "thẳng cột"))
case("yaml-bad-indent-continued", {CA: section("part: results", "category: cong_an", "contributor:",
                                               "status: approved", " documents: []")},
     (CA, 6, "", "yaml-syntax"), says=("`documents:` thụt vào",))
case("yaml-tab", {CA: base("figures:", "\tket_nap: 1")}, (CA, 7, "", "yaml-tab"))
case("yaml-duplicate-key", {CA: base("status: draft")}, (CA, 6, "status", "yaml-duplicate-key"),
     says=("lần đầu ở dòng 5",))
case("yaml-python-tag", {CA: section("part: results", "category: cong_an", "contributor:",
                                     "status: !!python/object/apply:os.system ['echo pwned']")},
     (CA, 5, "status", "yaml-tag"))
case("yaml-custom-tag", {CA: base("title: !vn Tiêu đề")}, (CA, 6, "title", "yaml-tag"))
case("yaml-alias-bomb", {CA: base(
    "milestones:", "  - &a [x, x, x, x, x, x, x, x, x]",
    "  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "  - [*e, *e, *e, *e, *e, *e, *e, *e, *e]")}, (CA, None, "", "yaml-too-big"))
case("yaml-deep-nesting", {CA: base("title: " + "[" * 200 + "]" * 200)}, (CA, 6, "", "yaml-too-deep"))
case("yaml-undefined-alias", {CA: base("title: *nothing")}, (CA, 6, "", "yaml-syntax"))
case("yaml-merge-key", {CA: base("figures:", "  <<: {chi_bo: 1}")}, (CA, 7, "figures", "yaml-merge"))
case("yaml-not-mapping", {CA: section("- part: results", "- status: approved")},
     (CA, 2, "", "yaml-not-mapping"))
case("yaml-scalar", {CA: section("chỉ một dòng chữ")}, (CA, 2, "", "yaml-not-mapping"))
case("yaml-complex-key", {CA: base("? [a, b]", ": c")}, (CA, 6, "", "yaml-key"))
case("file-empty", {CA: ""}, (CA, 1, "", "file-empty"))
case("file-blank", {CA: "\n\n   \n"}, (CA, 1, "", "file-empty"))
case("front-matter-missing", {CA: "part: results\nstatus: approved\n\nNội dung.\n"},
     (CA, 1, "", "front-matter-missing"))
case("front-matter-unclosed", {CA: "---\npart: results\nstatus: approved\n\nNội dung.\n"},
     (CA, 1, "", "front-matter-unclosed"))
case("file-not-utf8", {CA: "---\npart: results\n---\n\nĐang viên\n".encode("cp1258")},
     (CA, 5, "", "file-encoding"))
case("file-too-big", {CA: base(body="Chữ. " * 120_000)}, (CA, 1, "", "file-too-big"))
case("front-matter-too-big", {CA: base(*[f"# ghi chú {i} " + "x" * 60 for i in range(600)])},
     (CA, 1, "", "front-matter-too-big"))
case("data-yaml-syntax", {"data/documents.yml": replace("  - id: 51-CT/TW", "  - id: [51-CT/TW")},
     ("data/documents.yml", None, "", "yaml-syntax"))
case("data-missing", {"data/indicators.yml": None}, (INDS, 1, "", "data-missing"))

# --- 2. types and keys -------------------------------------------------------------------
case("required-status", {CA: section("part: results", "category: cong_an", "contributor:")},
     (CA, 1, "status", "required"))
case("required-part", {CA: section("category: cong_an", "contributor:", "status: approved")},
     (CA, 1, "part", "required"))
case("typo-with-missing", {CA: section("part: results", "category: cong_an", "contributor:",
                                       "staus: approved")}, (CA, 5, "staus", "unknown-key"))
case("required-contributor-key", {CA: section("part: results", "category: cong_an", "status: approved")},
     (CA, 1, "contributor", "required"))
case("enum-status", {CA: section("part: results", "category: cong_an", "contributor:", "status: done")},
     (CA, 5, "status", "enum"))
case("enum-status-bool", {CA: section("part: results", "category: cong_an", "contributor:", "status: no")},
     (CA, 5, "status", "enum"), says=("`no`", "`approved` (đã duyệt)", " hoặc "))
case("typo-status", {CA: section("part: results", "category: cong_an", "contributor:", "stauts: approved")},
     (CA, 5, "stauts", "unknown-key"))
case("typo-contributor", {CA: section("part: results", "category: cong_an", "contributer:",
                                      "status: approved")}, (CA, 4, "contributer", "unknown-key"))
case("figure-negative", {CA: base("figures:", "  ket_nap: -3")}, (CA, 7, "figures.ket_nap", "negative"))
case("figure-text", {CA: base("figures:", "  ket_nap: mười")}, (CA, 7, "figures.ket_nap", "integer"))
case("figure-thousands-dot", {CA: base("figures:", "  dang_vien_dau_ky: 1.173")},
     (CA, 7, "figures.dang_vien_dau_ky", "integer"), says=("`1173`",))
# issue 14.5: the separator named, and only the clerk's own text shown
case("figure-thousands-comma", {CA: base("figures:", "  dang_vien_dau_ky: 1,173")},
     (CA, 7, "figures.dang_vien_dau_ky", "integer"), says=("`1,173`", "`1173`", "dấu phẩy"))
case("figure-thousands-dot-zeros", {CA: base("figures:", "  dang_vien_dau_ky: 1.000")},
     (CA, 7, "figures.dang_vien_dau_ky", "integer"), says=("`1.000`", "`1000`"))
case("figure-bool", {CA: base("figures:", "  ket_nap: yes")}, (CA, 7, "figures.ket_nap", "integer"))
case("figure-quoted", {CA: base("figures:", '  ket_nap: "5"')}, (CA, 7, "figures.ket_nap", "integer"))
case("figures-not-mapping", {CA: base("figures: 5")}, (CA, 6, "figures", "mapping"))
case("documents-not-list", {CA: base("documents: 07-QĐ/ĐU")}, (CA, 6, "documents", "list"))
case("milestone-date-text", {OV: replace("  - date: 2025-07-24", "  - date: cuối tháng 7")},
     (OV, 22, "milestones.1.date", "date"))
case("milestone-unknown-key", {OV: replace("    event: Các chi bộ", "    su_kien: Các chi bộ")},
     (OV, 23, "milestones.1.su_kien", "unknown-key"))
case("date-dmy", {R: replace("as_of: 2025-08-25", "as_of: 25/8/2025")}, (R, 10, "as_of", "date"))
case("date-not-real", {R: replace("as_of: 2025-08-25", "as_of: 2025-02-30")}, (R, 10, "as_of", "date-invalid"))
case("period-pattern", {R: replace("period: 2025-Q3", "period: 2025-3")}, (R, 5, "period", "pattern"))
case("report-status-enum", {R: replace("status: issued", "status: published")}, (R, 6, "status", "enum"))
case("report-number-pattern", {R: replace("number:\n", "number: 45/BC\n")}, (R, 7, "number", "pattern"))
case("signer-missing-name", {R: replace("  name: Trương Thị Toan\n", "")}, (R, 13, "signer.name", "required"))
case("signer-authority-enum", {R: replace("authority: T/M", "authority: TM")},
     (R, 14, "signer.authority", "enum"))
case("signer-unknown-key", {R: replace("  name: Trương", "  chuc_vu: x\n  name: Trương")},
     (R, 17, "signer.chuc_vu", "unknown-key"))
case("recipients-not-list", {R: replace("recipients:\n  - Ban Tổ chức Thành ủy,\n  - Ủy viên BTV Đảng ủy,\n"
                                        "  - Lưu VPĐU.", "recipients: Ban Tổ chức Thành ủy")},
     (R, 18, "recipients", "list"))
case("report-unknown-key", {R: replace("as_of:", "nguoi_ky: x\nas_of:")}, (R, 10, "nguoi_ky", "unknown-key"))
case("missing-in-source-enum", {R: replace("[number, issued_on]", "[number, ngay]")},
     (R, 9, "missing_in_source.1", "enum"))
case("data-required", {ORGS: replace("    name: Chi bộ Quân sự xã\n", "")},
     (ORGS, 17, "organisations.1.name", "required"))
case("data-unknown-key", {INDS: replace("    label: Kết nạp\n", "    label: Kết nạp\n    nhom: x\n")},
     (INDS, 30, "indicators.5.nhom", "unknown-key"))
case("data-duplicate-id", {"data/categories.yml": replace("  - id: khac", "  - id: cong_an")},
     ("data/categories.yml", 16, "categories.4.id", "duplicate-id"))
case("data-id-pattern", {"data/categories.yml": replace("  - id: khac", "  - id: Khác")},
     ("data/categories.yml", 16, "categories.4.id", "pattern"))

# --- 3. references --------------------------------------------------------------------------
case("unknown-category", {CA: section("part: results", "category: congan", "contributor:", "status: approved")},
     (CA, 3, "category", "unknown-id"))
case("unknown-contributor", {CA: section("part: results", "category: cong_an", "contributor: cong_an_xa",
                                         "status: approved")}, (CA, 4, "contributor", "unknown-id"))
case("unknown-part", {CA: section("part: result", "category: cong_an", "contributor:", "status: approved")},
     (CA, 2, "part", "unknown-id"))
case("unknown-document", {CA: base("documents:", "  - 07-QĐ/DU")}, (CA, 7, "documents.0", "unknown-id"))
case("unknown-indicator", {CA: base("figures:", "  ket_nap_moi: 2")},
     (CA, 7, "figures.ket_nap_moi", "unknown-id"))
case("unknown-responds-to", {R: replace("  - 282-CV/BTCTU", "  - 283-CV/BTCTU")},
     (R, 12, "responds_to.0", "unknown-id"))
case("data-unknown-category", {ORGS: replace("    category: khac", "    category: khac_")},
     (ORGS, 32, "organisations.2.category", "unknown-id"))
case("data-unknown-indicator-ref", {INDS: replace("part_of: chi_bo", "part_of: chi_bo_x")},
     (INDS, 66, "indicators.15.part_of", "unknown-id"))
case("folder-name", {"docs/reports/2025-quy4/index.md": "---\nperiod: 2025-Q4\nstatus: draft\n---\n"},
     ("docs/reports/2025-quy4", 1, "", "folder-name"))
case("folder-without-index", {"docs/reports/2025-q4/tinh-hinh-chung.md": base()},
     ("docs/reports/2025-q4", 1, "", "report-index-missing"))
case("section-file-name", {"docs/reports/2025-q3/Công An.md": base()},
     ("docs/reports/2025-q3/Công An.md", 1, "", "file-name"))

# --- 4. periods and dates --------------------------------------------------------------------
case("period-folder", {R: replace("period: 2025-Q3", "period: 2025-Q4")}, (R, 5, "period", "period-folder"))
case("as-of-after-period", {R: replace("as_of: 2025-08-25", "as_of: 2025-10-05")},
     (R, 10, "as_of", "as-of-after-period"))
case("issued-before-as-of", {R: replace("issued_on:\nmissing_in_source: [number, issued_on]",
                                        "issued_on: 2025-08-01\nmissing_in_source: [number]")},
     (R, 8, "issued_on", "issued-before-as-of"))
case("issued-without-number", {R: replace("[number, issued_on]", "[issued_on]")},
     (R, 7, "number", "issued-incomplete"))
case("issued-without-signer", {R: replace("signer:\n  authority: T/M\n  body: Ban Thường vụ\n"
                                          "  position: Phó Bí thư Thường trực\n  name: Trương Thị Toan\n", "")},
     (R, 1, "signer", "issued-incomplete"))
case("missing-in-source-conflict", {R: replace("number:\n", "number: 45-BC/ĐU\n")},
     (R, 9, "missing_in_source", "missing-in-source-conflict"))
case("milestone-after-period", {OV: replace("  - date: 2025-08-15", "  - date: 2025-11-15")},
     (OV, 24, "milestones.2.date", "date-after-period"))
case("number-duplicate", {
    R: replace("number:\nissued_on:\nmissing_in_source: [number, issued_on]",
               "number: 12-BC/ĐU\nissued_on: 2025-09-01\nmissing_in_source: []"),
    **q4_report("number: 12-BC/ĐU")}, ("docs/reports/2025-q4/index.md", 4, "number", "number-duplicate"))

# issue 14.4: a broken report file does not hide its sections' errors
case("section-error-behind-broken-index", {R: replace("status: issued", "status: published"),
                                           CA: base("figures:", "  ket_nap: mười")},
     (CA, 7, "figures.ket_nap", "integer"))

# --- 5. completeness -------------------------------------------------------------------------
case("section-missing-issued", {"docs/reports/2025-q3/de-xuat.md": None}, (R, 5, "", "section-missing"))
case("section-missing-draft", {"docs/reports/2025-q3/de-xuat.md": None,
                               R: replace("status: issued", "status: draft")},
     (R, 5, "", "section-missing"), W)
case("duplicate-section", {"docs/reports/2025-q3/cong-an-2.md": base()},
     (CA, 2, "part", "duplicate-section"))
case("category-required", {CA: section("part: results", "contributor:", "status: approved")},
     (CA, 2, "category", "category-required"))
# issue 14.7: issued means complete
case("issued-section-not-approved", {CA: replace("status: approved", "status: submitted")},
     (CA, 5, "status", "issued-section-not-approved"))
case("issued-section-empty", {CA: base(body="<!--\nHướng dẫn viết.\n-->")}, (CA, 7, "", "issued-section-empty"))
case("category-not-allowed", {OV: replace("part: overview", "part: overview\ncategory: cong_an")},
     (OV, 3, "category", "category-not-allowed"))

# --- 6. arithmetic ---------------------------------------------------------------------------
case("sum-mismatch", {OV: replace("to_chuc_dang: 30", "to_chuc_dang: 31")},
     (OV, 7, "figures.to_chuc_dang", "sum-mismatch"))
case("balance-mismatch", {CA: base("figures:", "  dang_vien_dau_ky: 100", "  ket_nap: 2", "  chuyen_den: 0",
                                   "  phuc_hoi: 0", "  tu_tran: 1", "  khai_tru: 0", "  xoa_ten: 0",
                                   "  xin_ra: 0", "  chuyen_di: 0", "  dang_vien_cuoi_ky: 103")},
     (CA, 16, "figures.dang_vien_cuoi_ky", "balance-mismatch"))
case("part-exceeds-whole", {XT: replace("chi_bo_ban_hanh_quy_che: 11", "chi_bo_ban_hanh_quy_che: 12")},
     (XT, 9, "figures.chi_bo_ban_hanh_quy_che", "part-exceeds-whole"))
# issue 14.8: totals, blank movement rows, documents listed twice
case("sum-below-parts", {OV: replace("  to_chuc_dang: 30\n  dang_bo_co_so: 3\n  chi_bo_co_so: 2\n"
                                               "  chi_bo_truc_thuoc: 25",
                                               "  to_chuc_dang: 4\n  dang_bo_co_so: 3\n  chi_bo_co_so: 2\n"
                                               "  chi_bo_truc_thuoc:")},
     (OV, 7, "figures.to_chuc_dang", "sum-below-parts"), says=("4", "5"))
case("balance-blank-rows", {CA: base("figures:", "  dang_vien_dau_ky: 100", "  ket_nap: 2",
                                     "  dang_vien_cuoi_ky: 103")},
     (CA, 9, "figures.dang_vien_cuoi_ky", "balance-blank-rows"), W, says=("Chuyển đến", "Từ trần"))
case("whole-below-parts", {OV: replace("  dang_vien_dau_ky: 1173", "  dang_vien_dau_ky: 1173\n  ket_nap: 1"),
                           CA: replace("status: approved", "status: approved\nfigures:\n  ket_nap: 2")},
     (OV, 12, "figures.ket_nap", "whole-below-parts"))
case("document-duplicate", {CA: base("documents:", "  - 07-QĐ/ĐU", "  - 07-QĐ/ĐU")},
     (CA, 8, "documents.1", "document-duplicate"), W)
case("whole-not-sum", {
    OV: replace("  dang_vien_dau_ky: 1173", "  dang_vien_dau_ky: 1173\n  ket_nap: 9"),
    XT: replace("  chi_bo: 11", "  ket_nap: 1\n  chi_bo: 11"),
    "docs/reports/2025-q3/co-quan-hanh-chinh-su-nghiep.md": replace("status: approved",
                                                                     "status: approved\nfigures:\n  ket_nap: 1"),
    "docs/reports/2025-q3/quan-su.md": replace("status: approved", "status: approved\nfigures:\n  ket_nap: 1"),
    CA: replace("status: approved", "status: approved\nfigures:\n  ket_nap: 1"),
    "docs/reports/2025-q3/khac.md": replace("status: approved", "status: approved\nfigures:\n  ket_nap: 1"),
}, (OV, 12, "figures.ket_nap", "whole-not-sum"))
case("carried-mismatch", {
    OV: replace("  dang_vien_dau_ky: 1173", "  dang_vien_dau_ky: 1173\n  dang_vien_cuoi_ky: 1180"),
    **q4_report(),
    "docs/reports/2025-q4/tinh-hinh-chung.md": section("part: overview", "contributor:", "status: draft",
                                                       "figures:", "  dang_vien_dau_ky: 1170"),
}, ("docs/reports/2025-q4/tinh-hinh-chung.md", 6, "figures.dang_vien_dau_ky", "carried-mismatch"))

# --- 7. text hygiene and safety ---------------------------------------------------------------
case("text-nfd", {CA: base(body="Đảng viên".replace("ả", "a\u0309"))}, (CA, 8, "", "text-not-nfc"))
case("text-tcvn3", {CA: base(body="Tæ chøc c¬ së ®¶ng")}, (CA, 8, "", "text-legacy-encoding"))
case("text-vni", {CA: base(body="Toå chöùc cô sôû ñaûng")}, (CA, 8, "", "text-legacy-encoding"))
case("html-script", {CA: base(body="Xin chào <script>alert(1)</script>")}, (CA, 8, "", "text-unsafe-html"))
case("html-onerror", {CA: base(body='<img src="x.png" onerror="alert(1)">')}, (CA, 8, "", "text-unsafe-html"))
case("html-javascript-link", {CA: base(body="[bấm vào đây](javascript:alert(1))")},
     (CA, 8, "", "text-unsafe-html"))
case("html-iframe", {CA: base(body='<iframe src="http://example.com"></iframe>')},
     (CA, 8, "", "text-unsafe-html"))
case("html-object", {CA: base(body='<object data="x.swf"></object>')}, (CA, 8, "", "text-unsafe-html"))
case("html-embed", {R: replace("như sau:", 'như sau: <embed src="x">')}, (R, 24, "", "text-unsafe-html"))


# --- 8. links in contributor text (issue 14.18): reported at file:line in every file ------------


def append(text: str) -> Callable[[str], str]:
    """Adds a paragraph at the end of a file (its files end with a line end: the paragraph
    is on the file's line count + 2)."""
    return lambda old: old + "\n" + text + "\n"


LINK = "Xem [tài liệu](khong-ton-tai.md)."
case("link-broken-rural", {XT: append(LINK)}, (XT, 32, "", "link-broken"), says=("`khong-ton-tai.md`",))
case("link-broken-police", {CA: append(LINK)}, (CA, 26, "", "link-broken"), says=("`khong-ton-tai.md`",))
case("link-broken-overview", {OV: append(LINK)}, (OV, 38, "", "link-broken"))
case("link-broken-report-opening", {R: append(LINK)}, (R, 26, "", "link-broken"))
case("link-anchor-other-page", {CA: append("[phần 2.5](index.md#2-5-to-chuc-co-so-dang-kha)")},
     (CA, 26, "", "link-anchor"), says=("`#2-5-to-chuc-co-so-dang-kha`",
                                        "`2-5-to-chuc-co-so-dang-khac-chi-bo-quy-tin-dung-nhan-dan`"))
case("link-anchor-same-page", {XT: append("[trên](#tinh-hinh)")}, (XT, 32, "", "link-anchor"))
case("link-absolute", {CA: append("[kho](/reports/)")}, (CA, 26, "", "link-absolute"))
case("link-outside-docs", {CA: append("[tệp](../../../README.md)")}, (CA, 26, "", "link-outside"))
case("link-image-missing", {CA: append("![ảnh](anh-hoi-nghi.jpg)")}, (CA, 26, "", "link-broken"))
case("link-raw-html", {XT: append("Xem <a href='khong-ton-tai.md'>tài liệu</a>.")}, (XT, 32, "", "link-broken"))
case("link-reference", {CA: append("Xem [tài liệu][tl].\n\n[tl]: khong-ton-tai.md")}, (CA, 28, "", "link-broken"))
case("link-folder", {XT: append("[Công an](cong-an/)")}, (XT, 32, "", "link-broken"), says=("`cong-an.md`",))


def apply(root: Path, changes: dict) -> None:
    for rel, change in changes.items():
        path = root / rel
        if change is None:
            path.unlink()
        elif callable(change):
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(change, bytes):
                path.write_bytes(change)
            else:
                path.write_text(change, encoding="utf-8")



def test_corpus_is_large_enough():
    assert len(CASES) >= 60


def test_shipped_content_is_clean(pristine):
    assert run_check(pristine).problems == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name, pristine, tmp_path):
    changes, (path, line, field, code), severity = CASES[name]
    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    apply(root, changes)
    result = run_check(root)
    matches = [p for p in result.problems if p.code == code and p.path == path]
    assert matches, "\n".join(p.text() for p in result.problems)
    problem = matches[0]
    if line is not None:
        assert problem.line == line, problem.text()
    assert problem.field == field, problem.text()
    assert problem.severity is severity
    assert result.ok is (severity is Severity.WARNING and not [p for p in result.problems
                                                               if p.severity is Severity.ERROR])
    for words in SAYS.get(name, ()):
        assert words in problem.message, problem.text()
    # plain Vietnamese, not a Python or PyYAML message, no English, no jargon (issue 14.6)
    assert not re.search(r"Traceback|Error|YAML|\b(did|found|expected|while|the|value|or|and|must)\b",
                         problem.message), problem.text()
    # a file that cannot be read is not also reported as a missing section
    if code not in ("section-missing",):
        assert not [p for p in result.problems if p.code == "section-missing" and p.path == R]


def test_bom_and_crlf_are_accepted(pristine, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    path = root / CA
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run_check(root).problems == []


GOOD_LINKS = ("Xem [Công an](cong-an.md), [phần 2.5](index.md#2-5-to-chuc-co-so-dang-khac-chi-bo-quy-tin-dung-nhan-dan), "
              "[quý này](../2025-q3/index.md), [trên](#1-tinh-hinh-chung), [phụ lục](#phu-luc-so-lieu), "
              "[tiến độ](../../tien-do/index.md), `[mã](khong-co.md)`, <https://example.com>, "
              "[thư](mailto:vp@example.invalid).")


def test_good_links_pass_the_check_and_work_on_the_site(pristine, tmp_path):
    # issue 14.18: the check's idea of the pages and their headings is the site's
    from conftest import mkdocs_build

    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    apply(root, {XT: append(GOOD_LINKS)})
    assert run_check(root).problems == []
    site = tmp_path / "site"
    result = mkdocs_build(root, site, "--strict")
    assert result.returncode == 0, result.stderr
    report = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    for anchor in ("2-5-to-chuc-co-so-dang-khac-chi-bo-quy-tin-dung-nhan-dan", "1-tinh-hinh-chung", "phu-luc-so-lieu"):
        assert f'id="{anchor}"' in report, anchor


def test_broken_link_fails_the_build_at_its_line(pristine, tmp_path):
    # issue 14.18: the rural chi bộ section's broken link used to publish href="khong-ton-tai.md"
    from conftest import mkdocs_build

    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    apply(root, {XT: append(LINK)})
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode != 0
    assert f"{XT}:32: Liên kết `khong-ton-tai.md`" in result.stderr
    assert not (tmp_path / "site" / "reports/2025-q3/index.html").exists()
