"""Reading in a real browser (Debian's headless Chromium through Playwright): search with
or without diacritics, no request to another host, a phone-sized screen, a sub-path."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from baocao.textfold import fold
from conftest import mkdocs_build

REPORT = "/reports/2025-q3/"

# query -> (page, anchor of the section it must find)
QUERIES = {
    "dang vien": (REPORT, "1-tinh-hinh-chung"),
    "dai son": (REPORT, "1-tinh-hinh-chung"),
    "quan su": (REPORT, "2-3-to-chuc-co-so-dang-trong-quan-doi"),
    "dang uy": (REPORT, "1-tinh-hinh-chung"),
    "Đảng uỷ": (REPORT, "1-tinh-hinh-chung"),
    "Đảng ủy": (REPORT, "1-tinh-hinh-chung"),
    "chuyển đổi số": (REPORT, "2-2-to-chuc-co-so-dang-o-co-quan-hanh-chinh-don-vi-su-nghiep"),
    "176-KL/TW": (REPORT, "1-tinh-hinh-chung"),
}


def search(page, base: str, query: str) -> dict:
    """Type ``query`` into Material's search and return the results' links and marks."""
    page.goto(base + "/")
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material reads the query on key-up
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=10_000)
    page.wait_for_timeout(300)
    return page.evaluate("""() => ({
        links: [...document.querySelectorAll('.md-search-result__list a')].map(a => a.getAttribute('href')),
        marks: [...document.querySelectorAll('.md-search-result__list mark')].map(m => m.innerText),
        snippets: [...document.querySelectorAll('.md-search-result__article')].map(a => a.innerText.trim()),
    })""")


@pytest.fixture(scope="module")
def site_url(shipped_site, serve):
    return serve(shipped_site)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_search_finds_section(page, site_url, query):
    path, anchor = QUERIES[query]
    found = search(page, site_url, query)
    targets = [urlparse(link) for link in found["links"]]
    assert any(t.path.endswith(path) and t.fragment == anchor for t in targets), found["links"]
    # the marked words are the query's words as the text writes them
    terms = fold(query).lower().replace("-", " ").replace("/", " ").split()
    marked = [m for m in found["marks"] if any(fold(m).lower().startswith(t) for t in terms)]
    assert marked, found["marks"]
    if not query.isascii() or query in ("dang vien", "dai son", "quan su", "dang uy"):
        assert any(not m.isascii() for m in marked), marked
    # section pages are not in the index: no result leads to them
    assert not [t for t in targets if re.search(r"/reports/\d{4}-q\d/[a-z-]+/$", t.path)]
    snippets = [s for s in found["snippets"] if s]
    assert len(snippets) == len(set(snippets)), "a paragraph appears twice in the results"


def test_result_leads_to_section_and_marks_words_as_written(page, site_url):
    found = search(page, site_url, "quan su")
    link = next(link for link in found["links"] if "#2-3-to-chuc-co-so-dang-trong-quan-doi" in link)
    page.goto(urljoin(page.url, link))
    marks = page.eval_on_selector_all("article mark.bc-hit", "els => els.map(e => e.innerText)")
    assert "Quân" in marks and "sự" in marks


def _requests_on(page, url: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return seen


KINDS = ["/", REPORT, REPORT + "cong-an/", "/reports/", "/thong-ke/", "/to-chuc/",
         "/to-chuc/dang-bo-cong-an/", "/van-ban/", "/tien-do/", "/404.html"]


@pytest.mark.parametrize("path", KINDS)
def test_no_request_leaves_the_site(page, site_url, path):
    requests = _requests_on(page, site_url + path)
    if path == KINDS[0]:
        # the search worker and its index come from the site too
        search(page, site_url, "dang vien")
    host = urlparse(site_url).netloc
    outside = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
               and urlparse(url).netloc != host]
    assert outside == []
    assert any(url.endswith(".css") for url in requests)


def test_search_assets_requested_from_site(page, site_url):
    requests = _requests_on(page, site_url + "/")
    search(page, site_url, "dang")
    assert any("workers/search" in url for url in requests)
    assert any("lunr.vi.min.js" in url for url in requests)


def test_report_fits_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    for path in (REPORT, "/thong-ke/", "/tien-do/", "/"):
        page.goto(site_url + path)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (path, widths)
    context.close()


def test_page_language_headings_and_tables(page, site_url):
    page.goto(site_url + REPORT)
    assert page.get_attribute("html", "lang") == "vi"
    levels = page.eval_on_selector_all("article h1, article h2, article h3, article h4",
                                       "els => els.map(e => +e.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.locator("table.bc-table th[scope=col]").count() > 0
    assert page.locator("table.bc-table th[scope=row]").count() > 0


def test_navigation_links(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="Tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025").click()
    assert page.url.endswith(REPORT)
    page.goto(site_url + REPORT + "cong-an/")
    page.locator("nav.bc-breadcrumb a").click()
    assert page.url.endswith(REPORT)
    for target in ("Thống kê", "Tổ chức đảng", "Văn bản", "Tiến độ"):
        page.goto(site_url + "/")
        page.locator(".md-nav--primary").get_by_role("link", name=target).first.click()
        assert page.locator("article h1").count() == 1


def test_sub_path_build(browser, serve, tmp_path):
    from conftest import copy_repo

    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsite_url: http://intranet.local/baocao/\n",
                      encoding="utf-8")
    site = tmp_path / "site"
    assert mkdocs_build(root, site, "--strict").returncode == 0
    base = serve(site, mount="/baocao") + "/baocao"
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(base + REPORT)
    page.wait_for_load_state("networkidle")
    assert "ĐẢNG ỦY XÃ ĐẠI SƠN" in page.inner_text("article")
    page.goto(base + "/")
    page.locator(".md-nav--primary").get_by_role("link", name="Thống kê").first.click()
    assert page.url.startswith(base + "/thong-ke/")
    found = search(page, base, "quan su")
    assert any("2-3-to-chuc-co-so-dang-trong-quan-doi" in link for link in found["links"])
    assert failed == []
    context.close()


def test_offline_build_opens_from_files(browser, tmp_path):
    """With the documented setting (Material's offline plugin) the site opens from a file share."""
    from conftest import copy_repo

    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("plugins:\n  - search:", "plugins:\n  - offline\n  - search:")
    config.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert mkdocs_build(root, site, "--strict").returncode == 0
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Tình hình hoạt động của tổ chức cơ sở đảng quý III năm 2025").click()
    assert page.url.endswith("reports/2025-q3/index.html")
    assert "ĐẢNG ỦY XÃ ĐẠI SƠN" in page.inner_text("article")
    page.locator("a.md-button", has_text="Số liệu tổng hợp").click()
    assert page.url.endswith("reports/2025-q3/index.html#phu-luc-so-lieu")
    page.goto((site / "thong-ke" / "index.html").as_uri())
    page.get_by_role("link", name="quý III/2025").first.click()
    assert page.url.endswith("reports/2025-q3/index.html#phu-luc-so-lieu")
    context.close()


@pytest.mark.parametrize("path", [REPORT, "/thong-ke/", "/tien-do/", "/to-chuc/"])
def test_generated_tables_have_no_narrow_wrapped_columns(page, site_url, path):
    # On a desktop screen no column of a generated table is squeezed so that its words
    # stand one per line.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + path)
    narrow = page.evaluate("""() => [...document.querySelectorAll('table.bc-table th, table.bc-table td')]
        .filter(c => c.offsetParent !== null && c.innerText.trim())
        .filter(c => {
            const words = c.innerText.trim().split(/\\s+/);
            const range = document.createRange();
            range.selectNodeContents(c);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            return words.length > 1 && lines > Math.max(2, words.length - 1);
        }).map(c => c.innerText.trim())""")
    assert narrow == []


def test_section_page_label_and_value_apart(page, site_url):
    page.goto(site_url + REPORT + "cong-an/")
    gaps = page.evaluate("""() => [...document.querySelectorAll('table.bc-section-meta tr')].map(tr => {
        const box = el => { const r = document.createRange(); r.selectNodeContents(el);
                            return r.getBoundingClientRect(); };
        const [th, td] = tr.children;
        return box(td).left - box(th).right;
    })""")
    assert gaps and min(gaps) >= 8, gaps
    text = page.locator("table.bc-section-meta").inner_text()
    assert "Đơn vị soạn" in text and "Đơn vị soạn(" not in text.replace("\t", " ").replace("\n", " ")
