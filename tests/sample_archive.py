"""Generator of a clearly fictional archive, for tests, demos and benchmarks.

It writes a whole site (mkdocs.yml, data/, docs/, overrides/, the hook module) for an
invented committee, "Đảng ủy xã Mẫu Thử", marked as sample data everywhere, with any
number of quarters. Figures are drawn at random (seeded) but satisfy every rule: per
category, organisation counts add up and members at end = start + in - out, with every
row of the statistical forms given (chuyển đến/đi by origin, xóa tên of probationary
members); the overview holds the whole committee's figures, equal to the sum of the
categories; each quarter starts where the last one ended. The shipped Đại Sơn content is
never touched.

    python tests/sample_archive.py OUT_DIR [QUARTERS] [--draft-last]
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

from baocao.periods import Period  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_NOTE = "Dữ liệu mẫu, hư cấu — không phải báo cáo thật."

CATEGORIES = ["xa_thon", "co_quan_hanh_chinh_su_nghiep", "quan_doi", "cong_an", "khac"]
SLUGS = {"xa_thon": "chi-bo-thon", "co_quan_hanh_chinh_su_nghiep": "co-quan", "quan_doi": "quan-su",
         "cong_an": "cong-an", "khac": "khac"}
OTHER_PARTS = {"overview": "tinh-hinh-chung", "strengths": "uu-diem", "limitations": "han-che",
               "tasks": "nhiem-vu", "proposals": "de-xuat"}
ORGANISATIONS = [
    ("chi_bo_thon_dong", "Chi bộ thôn Đông (mẫu)", "chi_bo_truc_thuoc", "xa_thon"),
    ("chi_bo_thon_tay", "Chi bộ thôn Tây (mẫu)", "chi_bo_truc_thuoc", "xa_thon"),
    ("dang_bo_co_quan_mau", "Đảng bộ Cơ quan xã (mẫu)", "dang_bo_co_so", "co_quan_hanh_chinh_su_nghiep"),
    ("chi_bo_quan_su_mau", "Chi bộ Quân sự xã (mẫu)", "chi_bo_co_so", "quan_doi"),
    ("dang_bo_cong_an_mau", "Đảng bộ Công an xã (mẫu)", "dang_bo_co_so", "cong_an"),
    ("chi_bo_hop_tac_xa_mau", "Chi bộ Hợp tác xã (mẫu)", "chi_bo_co_so", "khac"),
]
CONTRIBUTOR = {"xa_thon": "chi_bo_thon_dong", "co_quan_hanh_chinh_su_nghiep": "dang_bo_co_quan_mau",
               "quan_doi": "chi_bo_quan_su_mau", "cong_an": "dang_bo_cong_an_mau", "khac": "chi_bo_hop_tac_xa_mau"}
DOCUMENTS = [
    ("01-CV/BTCMT", "Công văn", "Ban Tổ chức Tỉnh ủy Mẫu (hư cấu)", "về việc báo cáo hằng quý (mẫu)"),
    ("10-KL/MT", "Kết luận", "Ban Thường vụ Tỉnh ủy Mẫu (hư cấu)", "về công tác xây dựng Đảng (mẫu)"),
    ("20-CT/MT", "Chỉ thị", "Ban Thường vụ Tỉnh ủy Mẫu (hư cấu)", "về sinh hoạt chi bộ (mẫu)"),
    ("30-HD/MT", "Hướng dẫn", "Ban Tổ chức Tỉnh ủy Mẫu (hư cấu)", "về thống kê đảng viên (mẫu)"),
]
MOVES_IN = ["ket_nap", "chuyen_den", "phuc_hoi"]
MOVES_OUT = ["tu_tran", "khai_tru", "xoa_ten", "xin_ra", "chuyen_di"]
ORG_KEYS = ["dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc"]
PARAGRAPH = ("Trong {ky}, {who} tiếp tục lãnh đạo thực hiện nhiệm vụ chính trị, giữ vững sinh hoạt chi bộ "
             "định kỳ, quan tâm công tác phát triển đảng viên và quản lý đảng viên. ({note})")
#: Invented sentences; each section of each quarter draws its own, so no quarter repeats the
#: one before (the check flags a section copied from last quarter).
SENTENCES = (
    "Các chi bộ duy trì sinh hoạt thường kỳ vào ngày {n} hằng tháng, nội dung sinh hoạt có chủ đề rõ ràng.",
    "Đã tổ chức {n} buổi học tập chuyên đề cho đảng viên, tỷ lệ tham dự đạt trên {m} phần trăm.",
    "Công tác kiểm tra, giám sát được thực hiện theo kế hoạch, đã kiểm tra {n} chi bộ trực thuộc.",
    "Việc thu, nộp đảng phí được thực hiện đúng quy định, không có đảng viên nợ đảng phí quá {n} tháng.",
    "Phối hợp với Mặt trận và các đoàn thể vận động nhân dân tham gia {n} công trình dân sinh.",
    "Quan tâm bồi dưỡng {n} quần chúng ưu tú, giới thiệu cho Đảng xem xét kết nạp.",
    "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn ổn định; không có điểm nóng.",
    "Hoàn thành việc rà soát hồ sơ đảng viên, cập nhật {n} phiếu vào phần mềm quản lý.",
    "Đảng viên cao tuổi được thăm hỏi, tặng quà nhân dịp {n} ngày lễ lớn trong quý.",
    "Chi ủy xây dựng chương trình công tác quý với {n} nhiệm vụ trọng tâm, phân công rõ người, rõ việc.",
    "Một số đảng viên còn chưa thực hiện tốt việc giữ mối liên hệ với nơi cư trú; đã nhắc nhở {n} trường hợp.",
    "Việc ứng dụng công nghệ thông tin trong sinh hoạt chi bộ bước đầu có kết quả ở {n} chi bộ.",
    "Công tác tuyên truyền được đẩy mạnh qua hệ thống loa truyền thanh với {n} tin, bài.",
    "Đã giải quyết dứt điểm {n} đơn thư kiến nghị của nhân dân, không để tồn đọng kéo dài.",
    "Phong trào thi đua yêu nước được phát động rộng khắp, {n} tập thể được khen thưởng.",
    "Chất lượng sinh hoạt ở {n} chi bộ còn hạn chế, chưa đi sâu vào những vấn đề thực tiễn.",
    "Kinh phí hoạt động của chi bộ được bảo đảm; đã quyết toán {n} khoản chi đúng quy định.",
    "Tổ chức hội nghị sơ kết, rút ra {n} bài học kinh nghiệm trong lãnh đạo, chỉ đạo.",
    "Công tác dân vận của chính quyền có chuyển biến, {n} mô hình dân vận khéo được nhân rộng.",
    "Đã tiếp nhận {n} đảng viên chuyển sinh hoạt đến và làm thủ tục cho {m} đảng viên chuyển đi.",
)


def _body(rng: random.Random, ky: str, who: str, paragraphs: int) -> str:
    """Text of one section: the opening sentence, then paragraphs of drawn sentences."""
    out = [PARAGRAPH.format(ky=ky, who=who, note=SAMPLE_NOTE)]
    for _ in range(paragraphs):
        chosen = rng.sample(SENTENCES, 6)
        out.append(" ".join(s.format(n=rng.randint(2, 30), m=rng.randint(60, 99)) for s in chosen))
    return "\n\n".join(out)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _md(front: dict, body: str) -> str:
    return "---\n" + _dump(front) + "---\n\n" + body.strip() + "\n"


def write_site_files(root: Path) -> None:
    """mkdocs.yml, overrides and hook module copied from the project, data/ invented."""
    root.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("site_name: Báo cáo tổ chức cơ sở đảng — Đảng ủy xã Đại Sơn",
                            "site_name: Đảng ủy xã Mẫu Thử (dữ liệu mẫu)")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", root / "overrides", dirs_exist_ok=True)
    (root / "hooks").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "hooks" / "mkdocs_adapter.py", root / "hooks" / "mkdocs_adapter.py")
    data = root / "data"
    data.mkdir(exist_ok=True)
    for name in ("categories.yml", "indicators.yml", "outline.yml", "forms.yml"):
        shutil.copy2(ROOT / "data" / name, data / name)
    (data / "committee.yml").write_text(_dump({
        "name": "Đảng ủy xã Mẫu Thử",
        "organisation": "Đảng bộ xã Mẫu Thử",
        "parent": "Đảng bộ tỉnh Mẫu",
        "code": "ĐU",
        "place": "Mẫu Thử",
        "terms": [{"label": "mẫu", "start": dt.date(1900, 1, 1)}],
        "reviewers": ["@van-phong-mau"],
    }), encoding="utf-8")
    (data / "organisations.yml").write_text(_dump({"organisations": [
        {"id": i, "name": n, "type": t, "category": c, "reviewers": [f"@{i.replace('_', '-')}"]}
        for i, n, t, c in ORGANISATIONS]}), encoding="utf-8")
    (data / "documents.yml").write_text(_dump({"documents": [
        {"id": i, "kind": k, "date": dt.date(2000, 1, 15), "issuer": s, "title": t} for i, k, s, t in DOCUMENTS]}),
        encoding="utf-8")


def _category_figures(rng: random.Random, start: int, details: random.Random) -> dict[str, int]:
    figures = {"dang_vien_dau_ky": start}
    figures.update({k: rng.randint(0, 4) for k in MOVES_IN})
    figures.update({k: rng.randint(0, 2) for k in MOVES_OUT})
    figures["dang_vien_cuoi_ky"] = (start + sum(figures[k] for k in MOVES_IN)
                                    - sum(figures[k] for k in MOVES_OUT))
    # The optional details of the statistical forms, drawn from a generator of their own
    # so that the other figures stay what they were before the details existed.
    for key in ("chuyen_den", "chuyen_di"):
        within = details.randint(0, figures[key])
        figures[f"{key}_ngoai_tinh"], figures[f"{key}_trong_tinh"] = figures[key] - within, within
    figures["xoa_ten_du_bi"] = details.randint(0, figures["xoa_ten"])
    return figures


FIRST = Period(2023, 1)


def generate(root: Path, quarters: int = 12, start: Period = FIRST, seed: int = 7,
             draft_last: bool = False, paragraphs: int = 1) -> list[Period]:
    """Write a fictional archive of ``quarters`` reports under ``root``; return their periods.
    Each section has ``paragraphs`` paragraphs of drawn sentences (about 80 words each)."""
    write_site_files(root)
    rng = random.Random(seed)
    details = random.Random(seed + 1)
    words = random.Random(seed + 1)  # its own draws: the figures stay those of ``seed``
    members = {c: rng.randint(40, 400) for c in CATEGORIES}
    orgs = {c: {"dang_bo_co_so": rng.randint(0, 2), "chi_bo_co_so": rng.randint(0, 3),
                "chi_bo_truc_thuoc": rng.randint(1, 12)} for c in CATEGORIES}
    periods = []
    period = start
    for index in range(quarters):
        last = index == quarters - 1
        draft = draft_last and last
        folder = root / "docs" / "reports" / period.slug
        folder.mkdir(parents=True, exist_ok=True)
        report = {"period": period.key, "status": "draft" if draft else "issued"}
        if not draft:
            report.update({"number": f"{index + 1}-BC/ĐU", "issued_on": period.end.replace(day=1),
                           "as_of": period.end.replace(day=1)})
        report.update({"responds_to": ["01-CV/BTCMT"],
                       "signer": {"authority": "T/M", "body": "Ban Thường vụ",
                                  "position": "Bí thư", "name": "Nguyễn Văn Mẫu"},
                       "recipients": ["Ban Tổ chức Tỉnh ủy Mẫu;", "Lưu VPĐU."]})
        (folder / "index.md").write_text(_md(report, f"Báo cáo mẫu {period.label}. {SAMPLE_NOTE}"),
                                         encoding="utf-8")
        whole: dict[str, int] = {}
        for category in CATEGORIES:
            if draft and category == "khac":
                continue  # left missing, for the tracker
            figures = _category_figures(rng, members[category], details)
            members[category] = figures["dang_vien_cuoi_ky"]
            if rng.random() < 0.15:
                orgs[category]["chi_bo_truc_thuoc"] += 1
            figures.update(orgs[category])
            figures["to_chuc_dang"] = sum(orgs[category].values())
            for key, value in figures.items():
                whole[key] = whole.get(key, 0) + value
            front = {"part": "results", "category": category, "contributor": CONTRIBUTOR[category],
                     "status": "submitted" if draft else "approved", "figures": figures}
            body = _body(words, period.label, CONTRIBUTOR[category], paragraphs)
            (folder / f"{SLUGS[category]}.md").write_text(_md(front, body), encoding="utf-8")
        for part, slug in OTHER_PARTS.items():
            if draft and part == "proposals":
                continue
            front = {"part": part, "contributor": "chi_bo_thon_dong", "status": "draft" if draft else "approved"}
            if part == "overview":
                front["figures"] = {} if draft else dict(whole)
                front["documents"] = [DOCUMENTS[index % 3 + 1][0]]
            body = _body(words, period.label, "Đảng ủy", paragraphs)
            (folder / f"{slug}.md").write_text(_md(front, body), encoding="utf-8")
        periods.append(period)
        period = period.next()
    return periods


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0])
    count = int(args[1]) if len(args) > 1 else 12
    made = generate(out, count, draft_last="--draft-last" in sys.argv)
    print(f"{len(made)} báo cáo mẫu ({made[0].label} – {made[-1].label}) trong {out}")
