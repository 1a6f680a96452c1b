"""Readable by everyone: axe-core's WCAG 2 A and AA rules in Chromium on every kind of page,
with no violation; and the print keeps its black-on-white look.

axe-core comes from npm, pinned by ``tools/axe-core/package-lock.json`` and installed by
``tests/install.sh`` (``npm ci --prefix tools/axe-core``); the test only loads its
``axe.min.js`` into each page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT

AXE = ROOT / "tools" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Every kind of page of the shipped site.
SHIPPED = ["/", "/reports/", "/reports/2025-q3/", "/reports/2025-q3/cong-an/", "/thong-ke/", "/to-chuc/",
           "/to-chuc/chi-bo-quan-su/", "/van-ban/", "/tien-do/", "/404.html"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed: tests/install.sh must run npm ci --prefix tools/axe-core")
        pytest.skip("axe-core not installed (run tests/install.sh)")
    return AXE.read_text(encoding="utf-8")


def violations(browser, base: str, paths: list[str], axe_source: str) -> dict[str, list]:
    found = {}
    page = browser.new_page()
    for path in paths:
        page.goto(base + path)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        found[path] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    page.close()
    return found


def test_every_kind_of_page_has_no_violation(browser, shipped_site, serve, axe_source):
    found = violations(browser, serve(shipped_site), SHIPPED, axe_source)
    assert found == {path: [] for path in SHIPPED}


def _latest(site: Path) -> str:
    return sorted(p.name for p in (site / "reports").iterdir() if p.name[:4].isdigit())[-1]


def test_archive_pages_a_draft_and_tables_have_no_violation(browser, sample_site, crafted_site, serve, axe_source):
    # the fictional archive: a draft with missing parts, trends over twelve quarters, an
    # organisation's wide table; the crafted report: a contributor's table, generated tables
    _root, site = sample_site
    draft = f"/reports/{_latest(site)}/"
    paths = ["/", draft, draft + "cong-an/", "/thong-ke/", "/tien-do/", "/to-chuc/chi-bo-thon-dong/"]
    found = violations(browser, serve(site), paths, axe_source)
    found.update(violations(browser, serve(crafted_site), ["/reports/2025-q3/"], axe_source))
    assert all(v == [] for v in found.values()), found


def test_the_print_stays_black_on_white(browser, shipped_site, serve):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(serve(shipped_site) + "/reports/2025-q3/cong-an/")
    colours = page.evaluate("""() => [...document.querySelectorAll('.md-content a, .md-content p, .md-content h1')]
        .filter(e => e.offsetParent !== null).map(e => getComputedStyle(e).color)""")
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).display")
    page.close()
    assert colours and set(colours) == {"rgb(0, 0, 0)"}, set(colours)
    assert header == "none"
