"""Real ``mkdocs build`` of the shipped site: the report page, section pages, home."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import SEED, copy_repo, mkdocs_build, run_cli
from htmltext import flat, headings, urls

REPORT = "reports/2025-q3/index.html"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_report_page_has_header_title_and_end(shipped_site):
    page = flat(read(shipped_site, REPORT))
    for expected in ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY XÃ ĐẠI SƠN", "Số -BC/ĐU",
                     "ĐẢNG CỘNG SẢN VIỆT NAM", "Đại Sơn, ngày tháng năm 2025", "BÁO CÁO",
                     "Tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025",
                     "Nơi nhận:", "- Ban Tổ chức Thành ủy,", "- Ủy viên BTV Đảng ủy,", "- Lưu VPĐU.",
                     "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Trương Thị Toan", "1.173"):
        assert expected in page, expected
    # the end block comes after the last part
    assert page.index("2. Đề xuất, kiến nghị") < page.index("Nơi nhận:") < page.index("Trương Thị Toan")


def test_report_parts_in_outline_order(shipped_site):
    found = [text for level, text in headings(read(shipped_site, REPORT)) if level > 1]
    assert found == [
        "A. TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG CỦA TỔ CHỨC CƠ SỞ ĐẢNG TRONG QUÝ III/2025",
        "1. Tình hình chung",
        "2. Kết quả nổi bật",
        "2.1. Tổ chức đảng trực thuộc Đảng ủy xã (chi bộ nông thôn)",
        "2.2. Tổ chức cơ sở đảng ở cơ quan hành chính, đơn vị sự nghiệp",
        "2.3. Tổ chức cơ sở đảng trong quân đội",
        "2.4. Tổ chức cơ sở đảng trong Công an",
        "2.5. Tổ chức cơ sở đảng khác (Chi bộ Quỹ tín dụng Nhân dân)",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Hạn chế, khó khăn, vướng mắc và nguyên nhân",
        "III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV/2025",
        "1. Một số nhiệm vụ giải pháp trọng tâm.",
        "2. Đề xuất, kiến nghị",
        "Phụ lục: số liệu tổng hợp quý III/2025",  # screen only: not printed, not searched
    ]
    assert [level for level, _ in headings(read(shipped_site, REPORT))][:4] == [1, 2, 3, 3]


def _seed_sentences() -> list[str]:
    """Every sentence of the seed's body, page-break artefacts joined, as it must read."""
    raw = SEED.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and paragraph[0].islower():  # a sentence cut by a page break
            joined[-1] += " " + paragraph
        else:
            joined.append(paragraph)
    body = joined[joined.index("BÁO CÁO") + 2: joined.index("Nơi nhận:")]
    sentences = []
    for paragraph in body:
        paragraph = " ".join(paragraph.replace("*", "").split())
        # Known difference: the heading 2.5 loses the stray full stop after its bracket.
        paragraph = paragraph.replace("(Chi bộ Quỹ tín dụng Nhân dân).", "(Chi bộ Quỹ tín dụng Nhân dân)")
        sentences.extend(s.removeprefix("- ") for s in re.split(r"(?<=[.;:!?])\s+", paragraph) if s)
    return sentences


def test_every_seed_sentence_in_order(shipped_site):
    page = flat(read(shipped_site, REPORT))
    sentences = _seed_sentences()
    assert len(sentences) > 150
    position = 0
    for sentence in sentences:
        found = page.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


def test_section_page_shows_contributor_status_and_way_back(shipped_site):
    html = read(shipped_site, "reports/2025-q3/cong-an/index.html")
    page = flat(html)
    assert "2.4. Tổ chức cơ sở đảng trong Công an" in page
    assert "Trạng thái Đã duyệt" in page
    assert "Đơn vị soạn (không ghi trong bản gốc)" in page
    assert "Đảng bộ Công an xã được thành lập theo Quyết định số 07-QĐ/ĐU" in page
    assert 'href="../#2-4-to-chuc-co-so-dang-trong-cong-an"' in html
    report = read(shipped_site, REPORT)
    assert 'id="2-4-to-chuc-co-so-dang-trong-cong-an"' in report


def test_home_shows_latest_report_key_figures_and_archive(shipped_site):
    page = flat(read(shipped_site, "index.html"))
    assert "Báo cáo mới nhất: quý III/2025" in page
    assert "Tổng số tổ chức đảng 30" in page
    assert "Đảng viên đầu kỳ 1.173" in page
    assert "Năm 2025" in page and "Báo cáo quý III/2025 — Đã ban hành" in page
    assert 'href="reports/2025-q3/"' in read(shipped_site, "index.html")


def test_anchors_fold_vietnamese(shipped_site):
    html = read(shipped_site, REPORT)
    assert 'id="2-han-che-kho-khan-vuong-mac-va-nguyen-nhan"' in html
    assert 'id="a-tinh-hinh-ket-qua-to-chuc-va-hoat-dong-cua-to-chuc-co-so-dang-trong-quy-iii-2025"' in html


def test_navigation_does_not_list_every_section(shipped_site):
    html = read(shipped_site, "reports/2025-q3/cong-an/index.html")
    nav = html[html.find('<nav class="md-nav md-nav--primary"'):html.find("</nav>", html.find('md-nav--primary'))]
    assert "tinh-hinh-chung" not in nav and "quan-su" not in nav


def test_section_pages_excluded_from_search_index(shipped_site):
    index = json.loads((shipped_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert not [loc for loc in locations if loc.startswith("reports/2025-q3/cong-an")]
    sentence = "Một số cán bộ có tâm lý lo lắng về vị trí công tác"
    assert sum(doc["text"].count(sentence) for doc in index["docs"]) == 1


def test_no_page_refers_to_another_host(shipped_site):
    offenders = []
    for page in shipped_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in urls(html):
            if re.match(r"^(https?:)?//", url) and "<link rel=\"canonical\"" not in url:
                offenders.append((page.relative_to(shipped_site).as_posix(), url))
    for css in shipped_site.rglob("*.css"):
        for url in urls(css.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url):
                offenders.append((css.relative_to(shipped_site).as_posix(), url))
    # Links a reader may click (not loaded by the page) are allowed: Material's footer credit.
    loaded = [(p, u) for p, u in offenders if "squidfunk.github.io" not in u]
    assert loaded == []


def test_failed_build_keeps_last_good_site(repo, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = repo / "docs/reports/2025-q3/cong-an.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: approved", "status: [oops"),
                      encoding="utf-8")
    result = mkdocs_build(repo, site)
    assert result.returncode != 0
    assert "docs/reports/2025-q3/cong-an.md:" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_fixture_copy_builds_strict(tmp_path):
    root = copy_repo(tmp_path / "copy")
    result = mkdocs_build(root, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr


def test_contributor_text_is_never_a_template(repo, tmp_path):
    path = repo / "docs/reports/2025-q3/khac.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMẫu: {{ config.site_name }} và {% if true %}x{% endif %}\n",
                    encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site, "--strict")
    assert result.returncode == 0, result.stderr
    page = flat(read(site, REPORT))
    assert "Mẫu: {{ config.site_name }} và {% if true %}x{% endif %}" in page


def test_script_in_contributor_text_fails_the_build(repo, tmp_path):
    path = repo / "docs/reports/2025-q3/khac.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    result = mkdocs_build(repo, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/reports/2025-q3/khac.md:" in result.stderr and "[text-unsafe-html]" in result.stderr
    assert not (tmp_path / "site" / "reports").exists()


def test_look_alike_fragment_in_contributor_text_stays_a_comment(repo, tmp_path):
    # Generated tables travel through Markdown as marked comments; a contributor who copies
    # that shape (the old base64 one, or the key of a real fragment) must not get HTML in.
    script = base64.b64encode(b"<script>alert(1)</script>").decode()
    path = repo / "docs/reports/2025-q3/khac.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n<!--bcfrag {script} -->\n\n<!--bctext {script} -->\n",
                    encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site, "--strict")
    assert result.returncode == 0, result.stderr
    for page in (REPORT, "reports/2025-q3/khac/index.html"):
        html = read(site, page)
        assert "alert(1)" not in html
        assert "<script>alert" not in html
        # contributor text is sanitised on its own: its comments are dropped, never put back
        assert script not in html


def test_section_text_reused_unless_it_has_relative_links(repo, tmp_path):
    path = repo / "docs/reports/2025-q3/khac.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nXem [phần Công an](cong-an.md).\n", encoding="utf-8")
    site = tmp_path / "site"
    assert mkdocs_build(repo, site, "--strict").returncode == 0
    report = read(site, REPORT)
    section = read(site, "reports/2025-q3/khac/index.html")
    # each page gets the link right for where it sits
    assert re.search(r'<a href="cong-an/"[^>]*>phần Công an</a>', report)
    assert re.search(r'<a href="\.\./cong-an/"[^>]*>phần Công an</a>', section)
    # sections without such links read the same on both pages
    police = flat(read(site, "reports/2025-q3/cong-an/index.html"))
    assert "Một số cán bộ có tâm lý lo lắng về vị trí công tác" in police


#: English a user could meet on a page (Material's strings and footer, MkDocs' 404).
ENGLISH = re.compile(r"Made with|Material for MkDocs|Not found|Initializing search|Contributors|\bTabs\b|"
                     r"RSS feed|Metadata|Skip to content|Back to top")


def test_no_english_on_any_page(shipped_site):
    # issue 14.12: footer, 404 page, Material's strings
    for page in [*shipped_site.rglob("*.html")]:
        html = page.read_text(encoding="utf-8")
        text = flat(html)
        assert not ENGLISH.search(text), (page, ENGLISH.search(text).group(0))
        for attr in re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', html):
            assert not ENGLISH.search(attr), (page, attr)
    missing = flat(read(shipped_site, "404.html"))
    assert "Không tìm thấy trang" in missing and "Về trang chủ" in missing
    assert "squidfunk" not in read(shipped_site, "index.html")


def test_baocao_build_in_a_clone_says_nothing_in_english(repo, tmp_path):
    # issue 14.12: no Material end-of-life banner, no "has no git logs" lines for a new,
    # uncommitted quarter
    git = ["git", "-c", "user.name=Văn phòng", "-c", "user.email=vp@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "Báo cáo quý III"], cwd=repo, check=True)
    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    result = subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "build", "-d",
                             str(tmp_path / "site")], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/reports/2025-q4/index.html").is_file()
    log = result.stdout + result.stderr
    for english in ("end of life", "Zensical", "NO_MKDOCS_2_WARNING", "has no git logs", "Falling back",
                    "Building documentation", "Documentation built", "INFO"):
        assert english not in log, log
    assert "Đã dựng xong trang web trong" in log, log
    # a failed build says so in Vietnamese too
    police = repo / "docs/reports/2025-q3/cong-an.md"
    police.write_text(police.read_text(encoding="utf-8").replace("status: approved", "status: xong"),
                      encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "build", "--strict", "-d",
                             str(tmp_path / "site2")], capture_output=True, text=True, env=env, timeout=600)
    assert failed.returncode == 1
    assert "Đã dừng vì có lỗi." in failed.stderr and "Aborted" not in failed.stderr, failed.stderr
    assert "LỖI" in failed.stderr and "cong-an.md:5: status:" in failed.stderr, failed.stderr
