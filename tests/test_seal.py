"""Issuing and the seal (issue 20): ``baocao issue``, the manifest, ``issued-changed``,
errata (shown on the page, word by word), replacement reports, Git as the second witness,
``baocao verify PERIOD``. The seed report is issued again here as a fresh draft."""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, copy_repo, mkdocs_build, run_cli

FOLDER = Path("docs/reports/2025-q3")
ERRATUM = """\
errata:
  - date: 2025-10-05
    number: 12-CV/ĐU
    reason: Lỗi đánh máy
    corrections:
      - file: chi-bo-nong-thon.md
        old: có nhiều chuyên biến tích cực
        new: có nhiều chuyển biến tích cực
"""


def as_draft(root: Path) -> Path:
    """The seed report made a draft again (no number, no date), as before its issue."""
    index = root / FOLDER / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("status: issued", "status: draft")
                     .replace("missing_in_source: [number, issued_on]\n", ""), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def issued(tmp_path_factory) -> tuple[Path, str]:
    """A copy of the repository whose Q3/2025 report was issued by ``baocao issue``."""
    root = as_draft(copy_repo(tmp_path_factory.mktemp("issued") / "repo"))
    done = run_cli(root, "issue", "2025-Q3", "--number", "45", "--date", "2025-09-30")
    assert done.returncode == 0, done.stdout + done.stderr
    return root, done.stdout


@pytest.fixture
def sealed(issued, tmp_path) -> Path:
    """A copy of the issued repository, to change."""
    root = tmp_path / "repo"
    shutil.copytree(issued[0], root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / FOLDER / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / FOLDER / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# --- baocao issue ----------------------------------------------------------------------------


def test_issue_numbers_dates_and_seals_the_report(issued):
    root, said = issued
    index = (root / FOLDER / "index.md").read_text(encoding="utf-8")
    assert "status: issued\n" in index and "number: 45-BC/ĐU\n" in index and "issued_on: 2025-09-30\n" in index
    assert "# Bản lưu không ghi số" in index  # the comments stay as written
    assert "Đã ban hành báo cáo quý III/2025 số 45-BC/ĐU, ngày 30/9/2025 (đã ghi status: issued, số và ngày vào " \
           f"{FOLDER}/index.md)." in said
    manifest = (root / FOLDER / "ban-hanh.yml").read_text(encoding="utf-8")
    for name in ("index.md", "chi-bo-nong-thon.md", "bao-cao-2025-q3.pdf", "bao-cao-2025-q3.docx"):
        digest = hashlib.sha256((root / FOLDER / name).read_bytes()).hexdigest()
        assert f"- name: {name}\n  sha256: {digest}\n" in manifest
        assert f"docs/reports/2025-q3/{name}  SHA-256 {digest}" in said
    for entry in ("file: committee.yml", "id: 282-CV/BTCTU", "file: outline.yml", "file: categories.yml"):
        assert entry in manifest
    assert run_cli(root, "check").returncode == 0


def test_the_issued_pdf_is_ready_to_sign(issued):
    root, _ = issued
    reader = PdfReader(str(root / FOLDER / "bao-cao-2025-q3.pdf"))
    meta = reader.metadata
    assert meta.title == "Báo cáo tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025"
    assert meta.author == "Đảng ủy xã Đại Sơn"
    assert meta.subject.startswith("Báo cáo số 45-BC/ĐU, ngày 30/9/2025, của Đảng ủy xã Đại Sơn")
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20250930000000+07'00'"
    fields = {str(f["/T"]): f for f in (a.get_object() for a in reader.pages[-1]["/Annots"])
              if f.get("/FT") == "/Sig"}
    assert set(fields) == {"ChuKyNguoiKy", "ChuKyCoQuan"}
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Số 45-BC/ĐU" in text and "Đại Sơn, ngày 30 tháng 9 năm 2025" in text


def test_never_issued_twice(sealed):
    before = (sealed / FOLDER / "ban-hanh.yml").read_bytes()
    again = run_cli(sealed, "issue", "2025-Q3", "--number", "46", "--date", "2025-10-01")
    assert again.returncode == 1 and "không ban hành lại" in again.stderr and "Traceback" not in again.stderr
    assert (sealed / FOLDER / "ban-hanh.yml").read_bytes() == before
    assert "number: 45-BC/ĐU" in (sealed / FOLDER / "index.md").read_text(encoding="utf-8")


def test_issue_refuses_an_incomplete_report_and_writes_nothing(tmp_path):
    root = as_draft(copy_repo(tmp_path / "repo"))
    edit(root, "khac.md", "status: approved", "status: submitted")  # fine in a draft, not in an issue
    index = (root / FOLDER / "index.md").read_bytes()
    done = run_cli(root, "issue", "2025-Q3", "--number", "45", "--date", "2025-09-30")
    assert done.returncode == 1, done.stdout
    # said as what it is: a draft that cannot be issued yet, the unapproved section named
    assert done.stdout.splitlines()[0] == (
        f"{FOLDER}/khac.md:6: status: Phần này chưa được duyệt (`status: submitted`): để ban hành báo cáo "
        "quý III/2025, mọi phần phải được duyệt; khi văn phòng đã duyệt, hãy viết `status: approved`. "
        "[issued-section-not-approved]")
    assert "đã ban hành" not in done.stdout
    assert (f"Chưa ban hành được báo cáo quý III/2025: các tệp sau chưa đủ (xem các dòng trên): {FOLDER}/khac.md. "
            "Để ban hành, mọi phần phải được duyệt (`status: approved`)") in done.stderr
    assert (root / FOLDER / "index.md").read_bytes() == index
    assert not (root / FOLDER / "ban-hanh.yml").exists() and not (root / FOLDER / "bao-cao-2025-q3.pdf").exists()


def test_issue_refuses_an_unclean_check(tmp_path):
    root = as_draft(copy_repo(tmp_path / "repo"))
    edit(root, "cong-an.md", "status: approved", "status: aproved")
    done = run_cli(root, "issue", "2025-Q3", "--number", "45", "--date", "2025-09-30")
    assert done.returncode == 1 and "Kiểm tra chưa sạch" in done.stderr
    assert not (root / FOLDER / "ban-hanh.yml").exists()


def test_issue_refuses_a_bad_number_or_a_future_date(tmp_path):
    root = as_draft(copy_repo(tmp_path / "repo"))
    bad = run_cli(root, "issue", "2025-Q3", "--number", "45-QĐ/ĐU", "--date", "2025-09-30")
    assert bad.returncode == 1 and "sai dạng" in bad.stderr
    future = run_cli(root, "issue", "2025-Q3", "--number", "45", "--date", "2999-01-01")
    assert future.returncode == 1 and "đến hôm nay" in future.stderr
    assert "status: draft" in (root / FOLDER / "index.md").read_text(encoding="utf-8")


def test_the_shipped_seed_is_issued_without_a_seal(shipped_site):
    """The seed was issued before the seal existed: no manifest, the check and the strict
    build pass, the page says it has no digest, ``verify`` says how to seal it."""
    page = (shipped_site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    assert "chưa có mã kiểm tra bản ban hành" in page and "Bản ban hành</h2>" not in page
    said = run_cli(ROOT, "verify", "2025-Q3")
    assert said.returncode == 1 and "--seal-existing" in said.stderr


def test_seal_existing_seals_the_seed_as_it_stands(tmp_path):
    root = copy_repo(tmp_path / "repo")
    index = (root / FOLDER / "index.md").read_bytes()
    done = run_cli(root, "issue", "2025-Q3", "--seal-existing")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / FOLDER / "index.md").read_bytes() == index  # number and date stay unknown
    said = done.stdout.splitlines()
    assert said[0] == ("Đã niêm phong báo cáo quý III/2025 (đã ban hành từ trước: số, ngày và nội dung giữ nguyên; "
                       "không ban hành lại).") and "Đã ban hành" not in done.stdout
    assert said[1] == (f"Đã ghi bản PDF {FOLDER}/bao-cao-2025-q3.pdf và bản Word {FOLDER}/bao-cao-2025-q3.docx. "
                       "Các tệp được niêm phong:")
    assert f"Đã ghi bản niêm phong {FOLDER}/ban-hanh.yml." in done.stdout
    assert "number:" in (root / FOLDER / "ban-hanh.yml").read_text(encoding="utf-8")
    assert run_cli(root, "check").returncode == 0
    assert run_cli(root, "verify", "2025-Q3").returncode == 0


# --- the seal in the check ----------------------------------------------------------------------


def test_an_edit_of_an_issued_section_fails_the_check(sealed):
    edit(sealed, "chi-bo-nong-thon.md", "có nhiều chuyên biến tích cực", "có nhiều chuyển biến tích cực")
    line = line_of(sealed, "chi-bo-nong-thon.md", "chuyển biến")
    done = run_cli(sealed, "check")
    assert done.returncode == 1
    found = [row for row in done.stdout.splitlines() if "[issued-changed]" in row]
    assert found == [row for row in found if row.startswith(f"docs/reports/2025-q3/chi-bo-nong-thon.md:{line}: ")]
    assert len(found) == 1 and "số 45-BC/ĐU đã ban hành và niêm phong" in found[0]
    assert "dinh-chinh.yml" in found[0] and "báo cáo thay thế" in found[0]


def test_added_lines_removed_files_and_new_sections_are_refused(sealed):
    edit(sealed, "uu-diem.md", "\n\n", "\n\nMột câu thêm.\n\n")
    (sealed / FOLDER / "quan-su.md").unlink()
    shutil.copy(sealed / FOLDER / "khac.md", sealed / FOLDER / "khac-2.md")
    done = run_cli(sealed, "check")
    text = done.stdout
    assert "uu-diem.md:" in text and "đã thêm hoặc bớt dòng" in text
    assert "docs/reports/2025-q3/quan-su.md:1:" in text and "đã bị xóa" in text
    assert "docs/reports/2025-q3/khac-2.md:1:" in text and "không được thêm phần mới" in text


def test_the_issued_pdf_and_registry_entries_are_sealed(sealed):
    pdf = sealed / FOLDER / "bao-cao-2025-q3.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% changed\n")
    documents = sealed / "data" / "documents.yml"
    text = documents.read_text(encoding="utf-8")
    documents.write_text(text.replace("về việc báo cáo tình hình hoạt động", "về báo cáo tình hình hoạt động", 1),
                         encoding="utf-8")
    done = run_cli(sealed, "check")
    assert "docs/reports/2025-q3/bao-cao-2025-q3.pdf:1:" in done.stdout
    line = text.split("\n").index("  - id: 282-CV/BTCTU") + 1
    assert f"data/documents.yml:{line}: Mục `282-CV/BTCTU` được trích trong bản ban hành" in done.stdout


def test_an_erratum_lets_the_wording_change_and_shows_on_the_page(sealed, tmp_path):
    edit(sealed, "chi-bo-nong-thon.md", "có nhiều chuyên biến tích cực", "có nhiều chuyển biến tích cực")
    hostile = ERRATUM.replace("reason: Lỗi đánh máy", "reason: Lỗi đánh máy <script>alert(1)</script>")
    (sealed / FOLDER / "dinh-chinh.yml").write_text(hostile, encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 0, done.stdout
    said = run_cli(sealed, "verify", "2025-Q3")
    assert said.returncode == 0 and "chi-bo-nong-thon.md: khớp bản ban hành, với các đính chính đã ghi" in said.stdout
    site = tmp_path / "site"
    built = mkdocs_build(sealed, site, "--strict")
    assert built.returncode == 0, built.stderr
    page = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    assert "Công văn đính chính số 12-CV/ĐU, ngày 5/10/2025" in page
    assert "Lỗi đánh máy &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert re.search(r'<td class="bc-old">có nhiều <del>chuyên</del> biến tích cực</td>', page)
    assert re.search(r'<td class="bc-new">có nhiều <ins>chuyển</ins> biến tích cực</td>', page)
    assert "2.1. Tổ chức đảng trực thuộc Đảng ủy xã (chi bộ nông thôn)</td>" in page
    assert "có nhiều chuyển biến tích cực" in page.split('id="ban-ban-hanh"')[1]  # the text reads corrected
    digest = hashlib.sha256((sealed / FOLDER / "bao-cao-2025-q3.pdf").read_bytes()).hexdigest()
    assert f'<code class="bc-digest">{digest}</code>' in page and "certutil -hashfile" in page
    archive = (site / "reports" / "index.html").read_text(encoding="utf-8")
    assert "1 đính chính</a>" in archive
    assert "<script" not in page.split('class="bc-seal')[1].split("</section>")[0]


def test_a_figure_edit_with_only_an_erratum_fails(sealed):
    edit(sealed, "tinh-hinh-chung.md", "dang_vien_dau_ky: 1173", "dang_vien_dau_ky: 1174")
    edit(sealed, "tinh-hinh-chung.md", "và 1.173 đảng viên. Tính", "và 1.174 đảng viên. Tính")
    (sealed / FOLDER / "dinh-chinh.yml").write_text("""\
errata:
  - date: 2025-10-05
    number: 12-CV/ĐU
    reason: Ghi nhầm số đảng viên
    corrections:
      - file: tinh-hinh-chung.md
        old: "dang_vien_dau_ky: 1173"
        new: "dang_vien_dau_ky: 1174"
      - file: tinh-hinh-chung.md
        old: và 1.173 đảng viên. Tính
        new: và 1.174 đảng viên. Tính
""", encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1
    assert "[erratum-changes-figure]" in done.stdout and "báo cáo thay thế" in done.stdout
    assert "[erratum-not-wording]" in done.stdout  # the figure is in the front matter


def test_an_erratum_that_quotes_nothing_is_refused(sealed):
    (sealed / FOLDER / "dinh-chinh.yml").write_text(ERRATUM, encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "[erratum-unused]" in done.stdout


def test_bad_seal_files_are_problems_at_their_lines(sealed):
    (sealed / FOLDER / "dinh-chinh.yml").write_text("errata:\n  - date: hôm qua\n    number: 12\n", encoding="utf-8")
    manifest = sealed / FOLDER / "ban-hanh.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("period: 2025-Q3", "period: !!python/object x"),
                        encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "docs/reports/2025-q3/dinh-chinh.yml:2:" in done.stdout
    assert "docs/reports/2025-q3/ban-hanh.yml:" in done.stdout


def test_a_pdf_without_a_manifest_is_refused(tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / FOLDER / "bao-cao-2025-q3.pdf").write_bytes(b"%PDF-1.4\n")
    (root / FOLDER / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    done = run_cli(root, "check")
    assert "docs/reports/2025-q3/bao-cao-2025-q3.pdf:1:" in done.stdout and "[issued-file-unsealed]" in done.stdout
    assert "docs/reports/2025-q3/notes.pdf:1:" in done.stdout and "[file-unexpected]" in done.stdout


# --- replacement ------------------------------------------------------------------------------


def replacement(root: Path, status: str = "issued") -> Path:
    """A replacement of report 45-BC/ĐU in docs/reports/2025-q3-2 with one figure changed."""
    new = root / "docs" / "reports" / "2025-q3-2"
    shutil.copytree(root / FOLDER, new, ignore=shutil.ignore_patterns("*.yml", "*.pdf", "*.docx"))
    index = new / "index.md"
    number, day = ("52-BC/ĐU", "2025-10-20") if status == "issued" else ("", "")
    text = index.read_text(encoding="utf-8").replace("number: 45-BC/ĐU", f"number: {number}".strip())
    text = text.replace("issued_on: 2025-09-30", f"issued_on: {day}".strip() + "\nreplaces: 45-BC/ĐU")
    index.write_text(text.replace("status: issued", f"status: {status}"), encoding="utf-8")
    section = new / "tinh-hinh-chung.md"
    section.write_text(section.read_text(encoding="utf-8").replace("dang_vien_dau_ky: 1173", "dang_vien_dau_ky: 1174"),
                       encoding="utf-8")
    return new


def test_a_replacement_report_keeps_the_old_one_published_and_marked(sealed, tmp_path):
    replacement(sealed)
    done = run_cli(sealed, "check")
    assert done.returncode == 0, done.stdout
    site = tmp_path / "site"
    built = mkdocs_build(sealed, site, "--strict")
    assert built.returncode == 0, built.stderr
    old = (site / "reports" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    assert "Đã được thay thế bởi báo cáo số 52-BC/ĐU ngày 20/10/2025" in old
    assert 'href="../2025-q3-2/"' in old and "Bản ban hành</h2>" in old
    assert (site / "reports" / "2025-q3" / "bao-cao-2025-q3.pdf").is_file()  # the old PDF stays published
    assert (site / "reports" / "2025-q3" / "chi-bo-nong-thon" / "index.html").is_file()
    new = (site / "reports" / "2025-q3-2" / "index.html").read_text(encoding="utf-8")
    assert "Báo cáo này thay thế báo cáo số 45-BC/ĐU ngày 30/9/2025" in new
    archive = (site / "reports" / "index.html").read_text(encoding="utf-8")
    assert "<strong>đã được thay thế</strong> bởi số 52-BC/ĐU" in archive and "thay thế số 45-BC/ĐU" in archive
    trends = (site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "1.174" in trends  # the replacement's figures are the period's


def test_a_replacement_is_drafted_then_issued_like_any_report(sealed):
    replacement(sealed, status="draft")
    assert run_cli(sealed, "check").returncode == 0
    done = run_cli(sealed, "issue", "2025-Q3", "--number", "52", "--date", "2025-10-20")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "docs/reports/2025-q3-2/bao-cao-2025-q3.pdf  SHA-256" in done.stdout
    assert (sealed / "docs" / "reports" / "2025-q3-2" / "ban-hanh.yml").is_file()
    said = run_cli(sealed, "verify", "2025-Q3")
    assert said.returncode == 0, said.stdout
    assert "Báo cáo quý III/2025 số 52-BC/ĐU (docs/reports/2025-q3-2/):" in said.stdout
    assert "Báo cáo quý III/2025 số 45-BC/ĐU (docs/reports/2025-q3/):" in said.stdout


def test_a_received_signed_copy_is_recognised_as_the_issued_pdf(sealed, tmp_path):
    from pki import make_ca, make_signer, write_pkcs12

    ca = make_ca()
    p12 = write_pkcs12(make_signer(ca, "Trương Thị Toan"), ca, tmp_path / "k.p12", "k")
    (tmp_path / "pin").write_text("k\n")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    signed = tmp_path / "da-ky.pdf"
    done = run_cli(sealed, "sign", str(sealed / FOLDER / "bao-cao-2025-q3.pdf"), "-o", str(signed),
                   "--pkcs12", str(p12), "--pin-file", str(tmp_path / "pin"))
    assert done.returncode == 0, done.stderr
    said = run_cli(sealed, "verify", str(signed), "--trust", str(tmp_path / "ca.pem"))
    assert said.returncode == 0, said.stdout
    assert "Nội dung trước các chữ ký đúng là bản PDF ban hành của báo cáo quý III/2025 số 45-BC/ĐU." in said.stdout


def test_a_replacement_must_name_an_issued_report(sealed):
    new = replacement(sealed)
    index = new / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("replaces: 45-BC/ĐU", "replaces: 44-BC/ĐU"),
                     encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "[replaces-unknown]" in done.stdout
    index.write_text(index.read_text(encoding="utf-8").replace("replaces: 44-BC/ĐU\n", ""), encoding="utf-8")
    assert "[replaces-missing]" in run_cli(sealed, "check").stdout


# --- Git, the second witness ---------------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@x", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_a_pull_request_cannot_rewrite_the_manifest_or_an_erratum(sealed):
    git(sealed, "init", "-q")
    edit(sealed, "chi-bo-nong-thon.md", "có nhiều chuyên biến tích cực", "có nhiều chuyển biến tích cực")
    (sealed / FOLDER / "dinh-chinh.yml").write_text(ERRATUM, encoding="utf-8")
    git(sealed, "add", "-A")
    git(sealed, "commit", "-qm", "issued, one erratum")
    assert run_cli(sealed, "check").returncode == 0
    # a change made to look sealed: the manifest recomputed over it
    from baocao.seal.manifest import line_digests, sha256

    edit(sealed, "uu-diem.md", "\n\n", "\n\nMột câu thêm.\n\n")
    manifest = sealed / FOLDER / "ban-hanh.yml"
    data = (sealed / FOLDER / "uu-diem.md").read_bytes()
    text = manifest.read_text(encoding="utf-8")
    block = re.search(r"- name: uu-diem\.md\n  sha256: \w+\n  lines: \[[^\]]*\]\n", text).group(0)
    manifest.write_text(text.replace(block, f"- name: uu-diem.md\n  sha256: {sha256(data)}\n  lines: "
                                     f"[{', '.join(line_digests(data))}]\n"), encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "[issued-manifest-changed]" in done.stdout
    assert "[issued-changed]" not in done.stdout  # the forged manifest covers the text: Git does not
    git(sealed, "checkout", "--", ".")
    (sealed / FOLDER / "dinh-chinh.yml").write_text(ERRATUM.replace("Lỗi đánh máy", "Lỗi chính tả"), encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "[erratum-changed]" in done.stdout
    (sealed / FOLDER / "dinh-chinh.yml").write_text(ERRATUM + ERRATUM.replace("errata:\n", "")
                                                    .replace("12-CV", "13-CV"), encoding="utf-8")
    assert "[erratum-changed]" not in run_cli(sealed, "check").stdout  # entries are added at the end


# --- baocao verify PERIOD -----------------------------------------------------------------------


def test_verify_a_period_against_its_manifest(sealed, tmp_path):
    said = run_cli(sealed, "verify", "2025-Q3")
    assert said.returncode == 0, said.stdout + said.stderr
    assert "ĐÚNG  docs/reports/2025-q3/bao-cao-2025-q3.pdf: khớp bản ban hành" in said.stdout
    site = tmp_path / "site"
    assert mkdocs_build(sealed, site).returncode == 0
    published = site / "reports" / "2025-q3" / "bao-cao-2025-q3.pdf"
    assert run_cli(sealed, "verify", "2025-Q3", "--site", str(site)).returncode == 0
    published.write_bytes(published.read_bytes()[:-10])
    said = run_cli(sealed, "verify", "2025-Q3", "--site", str(site))
    assert said.returncode == 1 and f"SAI   {site}/reports/2025-q3/bao-cao-2025-q3.pdf: KHÁC bản ban hành" in said.stdout


def test_a_forged_manifest_cannot_publish_a_pdf_with_scripts(sealed):
    """A pull request can write a manifest of its own for a PDF of its own: the PDF is
    still refused when it carries what Chromium never prints (scripts, launch actions)."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    from baocao.seal.manifest import sha256

    pdf = sealed / FOLDER / "bao-cao-2025-q3.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(pdf)))
    writer.add_open_action(JavaScript("app.alert('xin chào');"))
    writer.write(str(pdf))
    manifest = sealed / FOLDER / "ban-hanh.yml"
    text = manifest.read_text(encoding="utf-8")
    old = re.search(r"- name: bao-cao-2025-q3\.pdf\n  sha256: (\w+)", text).group(1)
    manifest.write_text(text.replace(old, sha256(pdf.read_bytes())), encoding="utf-8")
    done = run_cli(sealed, "check")
    assert done.returncode == 1 and "docs/reports/2025-q3/bao-cao-2025-q3.pdf:1:" in done.stdout
    assert "[issued-file-active]" in done.stdout and "/JavaScript" in done.stdout


def test_ci_refuses_a_pull_request_editing_an_issued_section(sealed, tmp_path):
    """As CI runs it: the base branch checked out, the pull request's docs/ taken by
    ``baocao pr-content``, then ``baocao check --format github`` and ``mkdocs build --strict``.
    The same edit with its erratum entry passes."""
    run = functools.partial(subprocess.run, check=True, capture_output=True, text=True)

    def git(*args: str) -> str:
        return run(["git", "-c", "user.name=CI", "-c", "user.email=ci@example.invalid", "-C", str(sealed),
                    *args]).stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "issued")
    base = git("rev-parse", "HEAD")
    heads = {}
    for name, erratum in (("sua-thang", False), ("dinh-chinh", True)):
        git("checkout", "-qb", name, base)
        edit(sealed, "chi-bo-nong-thon.md", "có nhiều chuyên biến tích cực", "có nhiều chuyển biến tích cực")
        if erratum:
            (sealed / FOLDER / "dinh-chinh.yml").write_text(ERRATUM, encoding="utf-8")
        git("add", "-A")
        git("commit", "-qm", name)
        heads[name] = git("rev-parse", "HEAD")
    git("checkout", "-q", base)
    assert run_cli(sealed, "pr-content", base, heads["sua-thang"]).returncode == 0
    done = run_cli(sealed, "check", "--format", "github")
    assert done.returncode == 1
    assert re.search(r"::error file=docs/reports/2025-q3/chi-bo-nong-thon\.md,line=\d+::.*\[issued-changed\]",
                     done.stdout)
    assert mkdocs_build(sealed, tmp_path / "site-1", "--strict").returncode != 0
    git("checkout", "-q", "-f", base)
    git("clean", "-qfd", "docs")
    assert run_cli(sealed, "pr-content", base, heads["dinh-chinh"]).returncode == 0
    assert run_cli(sealed, "check", "--format", "github").returncode == 0
    assert mkdocs_build(sealed, tmp_path / "site-2", "--strict").returncode == 0


def test_official_number_and_front_matter_edit():
    from baocao.contribute.issue import official_number, set_front_matter

    assert official_number("45", "ĐU") == "45-BC/ĐU" and official_number("5", "ĐU") == "05-BC/ĐU"
    assert official_number("045-BC/ĐU", "ĐU") == "45-BC/ĐU"
    assert official_number("45-BC/UB", "ĐU") is None and official_number("0", "ĐU") is None
    assert official_number("bốn lăm", "ĐU") is None
    text = "---\r\nperiod: 2025-Q4\r\nstatus: draft  # dự thảo\r\nnumber:\r\n# ghi chú\r\nsigner:\r\n  name: A\r\n---\r\nx\r\n"
    done = set_front_matter(text, {"status": "issued", "number": "45-BC/ĐU", "issued_on": "2025-12-30"})
    assert done == ("---\r\nperiod: 2025-Q4\r\nstatus: issued\r\nnumber: 45-BC/ĐU\r\nissued_on: 2025-12-30\r\n"
                    "# ghi chú\r\nsigner:\r\n  name: A\r\n---\r\nx\r\n")
