"""Review (hostile, after the merge of issues 20-26): replacement reports (``replaces:``,
folders ``2025-q3-2``) against the features merged beside the seal: the statistical forms'
page, the downloads and the publish check, and ``baocao edit``'s read-only rule.

Each test states what the merged contract promises and fails on the merged code.
The replaced report here is the seed given a number and a date: issued, not sealed (a
report issued before the seal existed), so no Chromium print is needed; the sealed case
behaves the same for everything tested here (nothing below reads the manifest).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_repo, mkdocs_build, run_cli

OLD = Path("docs/reports/2025-q3")
NEW = Path("docs/reports/2025-q3-2")


def with_replacement(root: Path, status: str = "issued") -> Path:
    """The seed numbered 45-BC/ĐU (issued), replaced by docs/reports/2025-q3-2 whose overview
    gives 1174 party members at the start of the quarter instead of 1173."""
    index = root / OLD / "index.md"
    text = index.read_text(encoding="utf-8")
    text = (text.replace("number:\n", "number: 45-BC/ĐU\n").replace("issued_on:\n", "issued_on: 2025-09-30\n")
            .replace("missing_in_source: [number, issued_on]\n", ""))
    index.write_text(text, encoding="utf-8")
    shutil.copytree(root / OLD, root / NEW)
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


def test_review_the_periods_stats_page_shows_the_replacements_figures(replaced_site):
    """README: "From then on the replacement is the period's report (figures, trends...)".
    The plan keys the stats page by period (``thong-ke/2025-q3.md``) for the replaced report
    and its replacement alike; the replaced one, listed last, wins: the page shows the
    figures the replacement was made to correct (render/site.py, compile/sitemap.stats_uri)."""
    _, site = replaced_site
    stats = (site / "thong-ke" / "2025-q3" / "index.html").read_text(encoding="utf-8")
    trends = (site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "1.174" in trends  # the trends page has the replacement's figure
    assert "1.174" in stats and "1.173" not in stats


def test_review_every_download_a_page_offers_is_written(replaced_site):
    """The replaced report's page offers ``bao-cao-2025-q3.docx`` and the Excel workbook (and
    the period's stats page links the workbook in the replaced folder), but the build writes
    those files only for ``archive.reports`` (build/downloads.py): broken links, and
    ``baocao publish`` refuses the site (serve/sitecheck.missing_downloads)."""
    from baocao.serve.sitecheck import missing_downloads

    _, site = replaced_site
    assert missing_downloads(site) == []


def test_review_publish_checks_the_replacement_pages(replaced_site):
    """``expected_pages`` only knows folders ``YYYY-qN``: a replacement report's pages
    (``reports/2025-q3-2/``) may be missing from a release without the check noticing."""
    from baocao.serve.sitecheck import expected_pages

    root, site = replaced_site
    assert "reports/2025-q3-2/index.html" in expected_pages(root, site)


def test_review_the_form_writes_the_replacement_draft_not_the_replaced_report(tmp_path):
    """``cms.writable`` lists ``r.period.slug`` of the reports not issued: a draft replacement
    (folder 2025-q3-2, period 2025-Q3) makes ``docs/reports/2025-q3/`` -- the issued, replaced
    report -- writable through ``baocao edit``'s guard, while the replacement's own files
    match neither ``EDITABLE`` nor ``writable`` (the form cannot even read them)."""
    from baocao.check import run_check
    from baocao.contribute.cms import EDITABLE, writable

    root = with_replacement(copy_repo(tmp_path / "repo"), status="draft")
    checked = run_check(root)
    assert checked.ok, checked.problems
    pattern = writable(checked.archive)
    assert not re.match(pattern, "docs/reports/2025-q3/tinh-hinh-chung.md"), pattern  # issued: read only
    assert re.match(EDITABLE, "docs/reports/2025-q3-2/tinh-hinh-chung.md")
    assert re.match(pattern, "docs/reports/2025-q3-2/tinh-hinh-chung.md"), pattern
