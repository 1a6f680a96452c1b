"""Replacement reports (``replaces:``, folders ``2025-q3-2``) against the features beside
the seal: one rule for "the report of a period" (``Archive.is_current``) everywhere. The
period's statistical forms' page and workbook are its current report's (a report replaced
has no stats page); a page offers only files that exist (a report replaced: its files kept
at issue, if sealed); ``baocao publish`` checks the pages of replacement folders; the web
form reads and writes by folder, so a draft replacement is writable and the issued report it
replaces is not.

The replaced report here is the seed given a number and a date: issued, not sealed (a
report issued before the seal existed), unless a test seals it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_repo, mkdocs_build, run_cli

OLD = Path("docs/reports/2025-q3")
NEW = Path("docs/reports/2025-q3-2")


def numbered(root: Path) -> Path:
    """The seed numbered 45-BC/ĐU, issued on 30/9/2025."""
    index = root / OLD / "index.md"
    text = index.read_text(encoding="utf-8")
    text = (text.replace("number:\n", "number: 45-BC/ĐU\n").replace("issued_on:\n", "issued_on: 2025-09-30\n")
            .replace("missing_in_source: [number, issued_on]\n", ""))
    index.write_text(text, encoding="utf-8")
    return root


def with_replacement(root: Path, status: str = "issued", number_old: bool = True) -> Path:
    """The seed numbered 45-BC/ĐU (issued), replaced by docs/reports/2025-q3-2 whose overview
    gives 1174 party members at the start of the quarter instead of 1173."""
    if number_old:
        numbered(root)
    # the Markdown files only: the seal's files are the old report's
    shutil.copytree(root / OLD, root / NEW, ignore=lambda _, names: [n for n in names if not n.endswith(".md")])
    number, day = ("52-BC/ĐU", "2025-10-20") if status == "issued" else ("", "")
    new_index = root / NEW / "index.md"
    text = new_index.read_text(encoding="utf-8")
    text = text.replace("number: 45-BC/ĐU", f"number: {number}".strip())
    text = text.replace("issued_on: 2025-09-30", f"issued_on: {day}".strip() + "\nreplaces: 45-BC/ĐU")
    new_index.write_text(text.replace("status: issued", f"status: {status}"), encoding="utf-8")
    section = root / NEW / "tinh-hinh-chung.md"
    section.write_text(section.read_text(encoding="utf-8").replace("dang_vien_dau_ky: 1173", "dang_vien_dau_ky: 1174"),
                       encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def replaced_site(tmp_path_factory) -> tuple[Path, Path]:
    root = with_replacement(copy_repo(tmp_path_factory.mktemp("replaced") / "repo"))
    done = run_cli(root, "check")
    assert done.returncode == 0, done.stdout
    site = root.parent / "site"
    built = mkdocs_build(root, site, "--strict", env={"BAOCAO_DOCX": "1", "BAOCAO_XLSX": "1"})
    assert built.returncode == 0, built.stderr
    return root, site


def test_the_periods_stats_page_shows_the_replacements_figures(replaced_site):
    """README: "From then on the replacement is the period's report (figures, trends...)".
    The period's stats page (``thong-ke/2025-q3/``) is the replacement's, never the figures it
    was made to correct; the replaced report's page has no link to a stats page."""
    _, site = replaced_site
    stats = (site / "thong-ke" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    trends = (site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "1.174" in trends  # the trends page has the replacement's figure
    assert "1.174" in stats and "1.173" not in stats


def test_every_download_a_page_offers_is_written(replaced_site):
    """The build makes the Word file and the workbook for the report of each period only; a
    replaced report that is not sealed has no file to offer, and offers none (else
    ``baocao publish`` would refuse the site: deploy/sitecheck.missing_downloads)."""
    from baocao.deploy.sitecheck import missing_downloads

    _, site = replaced_site
    assert missing_downloads(site) == []
    old = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert not download_links(old) and "thong-ke/2025-q3" not in old
    new = (site / "reports/2025-q3-2/index.html").read_text(encoding="utf-8")
    assert download_links(new) == {"bao-cao-2025-q3.docx", "bieu-thong-ke-2025-q3.xlsx"}
    assert "../../thong-ke/2025-q3/" in new
    stats = (site / "thong-ke/2025-q3/index.html").read_text(encoding="utf-8")
    assert 'href="../../reports/2025-q3-2/bieu-thong-ke-2025-q3.xlsx"' in stats
    assert 'href="../../reports/2025-q3-2/"' in stats


def test_publish_checks_the_replacement_pages(replaced_site, tmp_path):
    """A release must hold the pages of every report folder, a replacement's
    (``reports/2025-q3-2/``) included: ``baocao publish`` refuses a site without them."""
    from baocao.deploy import DeployError
    from baocao.deploy.sitecheck import expected_pages, verify_site

    root, site = replaced_site
    pages = expected_pages(root, site)
    assert {"reports/2025-q3-2/index.html", "reports/2025-q3-2/tinh-hinh-chung/index.html"} <= set(pages)
    verify_site(site, root)
    partial = tmp_path / "site"
    shutil.copytree(site, partial)
    shutil.rmtree(partial / "reports/2025-q3-2/tinh-hinh-chung")
    with pytest.raises(DeployError, match="reports/2025-q3-2/tinh-hinh-chung/index.html"):
        verify_site(partial, root)


def download_links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"/]+\.(?:pdf|docx|xlsx))" download', html))


def test_a_sealed_replaced_report_offers_its_kept_files_and_nothing_else(tmp_path):
    """Sealed with its Word file kept at issue, then replaced: its page offers that file (the
    very bytes kept), no workbook and no stats page; the replacement's page offers the files
    the build made for it; no link of the site leads to a missing file."""
    from test_seal_pull_request import office_docx, seal

    from baocao.deploy.sitecheck import missing_downloads

    root = numbered(copy_repo(tmp_path / "repo"))
    kept = office_docx(root)
    seal(root, kept)
    with_replacement(root, number_old=False)
    assert run_cli(root, "check").returncode == 0
    site = tmp_path / "site"
    built = mkdocs_build(root, site, "--strict", env={"BAOCAO_DOCX": "1", "BAOCAO_XLSX": "1"})
    assert built.returncode == 0, built.stderr
    assert missing_downloads(site) == []
    old = (site / "reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert download_links(old) == {"bao-cao-2025-q3.docx"} and "thong-ke/2025-q3" not in old
    assert (site / "reports/2025-q3/bao-cao-2025-q3.docx").read_bytes() == kept
    new = (site / "reports/2025-q3-2/index.html").read_text(encoding="utf-8")
    assert download_links(new) == {"bao-cao-2025-q3.docx", "bieu-thong-ke-2025-q3.xlsx"}
    assert (site / "reports/2025-q3-2/bao-cao-2025-q3.docx").read_bytes() != kept


def test_the_form_writes_the_replacement_draft_not_the_replaced_report(tmp_path):
    """The form's patterns go by folder, not by period: a draft replacement's files
    (``docs/reports/2025-q3-2/``) are read and written, those of the issued report it
    replaces (``docs/reports/2025-q3/``, the same period) stay read-only behind
    ``baocao edit``'s guard."""
    from baocao.check import run_check
    from baocao.contribute.cms import EDITABLE, writable

    root = with_replacement(copy_repo(tmp_path / "repo"), status="draft")
    checked = run_check(root)
    assert checked.ok, checked.problems
    pattern = writable(checked.archive)
    assert not re.match(pattern, "docs/reports/2025-q3/tinh-hinh-chung.md"), pattern  # issued: read only
    assert re.match(EDITABLE, "docs/reports/2025-q3-2/tinh-hinh-chung.md")
    assert re.match(pattern, "docs/reports/2025-q3-2/tinh-hinh-chung.md"), pattern
