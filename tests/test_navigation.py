"""Navigation across the archive: every page within three clicks of home, each report
linked to the previous and next quarter, each section page linked back."""

from __future__ import annotations

import posixpath
import re
from collections import deque
from pathlib import Path

from htmltext import article


def page_links(site: Path, page: Path) -> set[Path]:
    """Site pages an HTML page links to (content and navigation, not assets)."""
    html = page.read_text(encoding="utf-8")
    found = set()
    for href in re.findall(r'<a [^>]*href="([^"#?]*)[^"]*"', html):
        if not href or re.match(r"^[a-z]+:", href) or href.startswith("/"):
            continue
        target = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))
        path = site / target
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            found.add(path)
    return found


def clicks_from_home(site: Path) -> dict[Path, int]:
    home = site / "index.html"
    depth = {home: 0}
    queue = deque([home])
    while queue:
        page = queue.popleft()
        for target in page_links(site, page):
            if target not in depth:
                depth[target] = depth[page] + 1
                queue.append(target)
    return depth


def test_every_page_within_three_clicks_of_home(sample_site, shipped_site):
    for site in (sample_site[1], shipped_site):
        depth = clicks_from_home(site)
        # admin/ is the web form (Decap CMS), not a page of the reading site.
        pages = {p for p in site.rglob("*.html") if p.name != "404.html"
                 and not p.relative_to(site).as_posix().startswith("admin/")}
        unreachable = sorted(p.relative_to(site).as_posix() for p in pages if p not in depth)
        assert unreachable == []
        too_far = sorted(p.relative_to(site).as_posix() for p in pages if depth[p] > 3)
        assert too_far == []


def test_reports_link_previous_and_next_quarter(sample_site):
    _, site = sample_site
    html = article((site / "reports/2024-q1/index.html").read_text(encoding="utf-8"))
    assert '<a class="md-button bc-prev" href="../2023-q4/">← quý IV/2023</a>' in html
    assert '<a class="md-button bc-next" href="../2024-q2/">quý II/2024 →</a>' in html
    first = article((site / "reports/2023-q1/index.html").read_text(encoding="utf-8"))
    assert "bc-prev" not in first and "bc-next" in first


def test_section_pages_link_back_to_their_report(sample_site):
    _, site = sample_site
    for page in (site / "reports/2024-q2").glob("*/index.html"):
        assert site / "reports/2024-q2/index.html" in page_links(site, page)
