"""Presentation lives in autoescaped templates: no markup in Python, and every value from
the repository reaches HTML escaped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from baocao.render.links import Links
from baocao.render.templates import Templates
from conftest import ROOT, mkdocs_build

# Any opening tag a page is made of, written in Python source.
TAG = re.compile(r"<(div|p|table|thead|tbody|tr|td|th|caption|span|svg|path|circle|line|text|a|h[1-6]|ul|ol|li|"
                 r"button|section|nav|em|strong|br|code|title)[\s>/]")


def test_no_html_markup_in_python():
    found = []
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if TAG.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_templates_escape_by_default():
    templates = Templates(ROOT / "overrides", Links())
    template = templates.env.from_string("<p>{{ value }}</p>")
    assert template.render(value='<img src=x onerror="alert(1)">') == (
        "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>")


def test_every_template_compiles():
    templates = Templates(ROOT / "overrides", Links())
    names = templates.env.list_templates(extensions=["html"])
    assert "report.html" in names and "partials/table.html" in names
    for name in names:
        templates.env.get_template(name)


@pytest.mark.parametrize("where", ["section title", "category name", "organisation name", "outline title",
                                   "document title", "signer name"])
def test_markup_from_front_matter_and_data_is_escaped(repo, tmp_path, where):
    payload = '<img src=x onerror=alert(1)>'
    edits = {
        "section title": ("docs/reports/2025-q3/khac.md", "title: Tổ chức cơ sở đảng khác", f"title: '{payload}' #"),
        "category name": ("data/categories.yml", "name: Tổ chức cơ sở đảng khác",
                          f"name: 'Tổ chức cơ sở đảng khác {payload}'"),
        "organisation name": ("data/organisations.yml", "name: Đảng bộ Công an xã",
                              f"name: 'Đảng bộ Công an xã {payload}'"),
        "outline title": ("data/outline.yml", "title: Tình hình chung", f"title: 'Tình hình chung {payload}'"),
        "document title": ("data/documents.yml", "title:", f"title: '{payload}' #"),
        "signer name": ("docs/reports/2025-q3/index.md", "name: Trương Thị Toan", f"name: 'Trương Thị Toan {payload}'"),
    }
    path, old, new = edits[where]
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    shown = False
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert payload not in html, page
        shown = shown or "&lt;img src=x onerror=alert(1)&gt;" in html
    assert shown, "the value is shown, escaped"


def _converter():
    from baocao.render.contributor import Converter

    return Converter(Links(), {"reports/2025-q3/index.md", "reports/2025-q3/khac.md"})


def test_contributor_headings_get_our_level_and_id_never_theirs():
    # A raw heading with an id of the page's own (the appendix) would take over its anchor
    # and the table of contents: it is moved below the part and given an id of its own.
    html = _converter().html('<h2 id="phu-luc-so-lieu">Phụ lục giả</h2>\n\n## Kết quả\n',
                             "reports/2025-q3/khac.md", "reports/2025-q3/index.md", shift=3, prefix="2-5")
    assert 'id="phu-luc-so-lieu"' not in html
    assert '<h5 id="2-5-phu-luc-gia">Phụ lục giả</h5>' in html
    assert '<h5 id="2-5-ket-qua">Kết quả</h5>' in html


def test_contributor_heading_ids_unique_across_a_sections_texts():
    converter = _converter()
    ids = []
    for text in ("## Kết quả\n", "## Kết quả\n\n## Kết quả 2\n"):  # two texts around a table marker
        html = converter.html(text, "reports/2025-q3/khac.md", "reports/2025-q3/index.md", shift=3, prefix="p")
        ids += re.findall(r' id="([^"]+)"', html)
    assert len(ids) == 3 and len(set(ids)) == 3, ids


@pytest.mark.parametrize("text", ["[a](./javascript\n:alert(1))", "[a](./data:text/html,x)",
                                  "![i](./data:image/svg+xml,x)", "[a](khac.md#x) [b](./vbscript:x)"])
def test_resolved_relative_links_never_read_as_a_scheme(text):
    html = _converter().html(text, "reports/2025-q3/khac.md", "reports/2025-q3/index.md")
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url), url


def test_converted_texts_kept_between_builds_are_cleaned_again(tmp_path):
    # A text converted in an earlier build is taken from the cache (no second conversion),
    # but still goes through the allowlist and the heading numbering: an edited cache
    # entry brings no script and no id of its own.
    from baocao.load.cache import TextCache
    from baocao.render.contributor import Converter

    pages = {"reports/2025-q3/index.md", "reports/2025-q3/khac.md"}
    args = ("reports/2025-q3/khac.md", "reports/2025-q3/index.md")
    first = TextCache(tmp_path, "converted")
    fresh = Converter(Links(), pages, first).html("## Kết quả\n\nMột *câu*.\n", *args, shift=2, prefix="p")
    first.save()
    again = TextCache(tmp_path, "converted")
    assert Converter(Links(), pages, again).html("## Kết quả\n\nMột *câu*.\n", *args, shift=2, prefix="p") == fresh
    key = next(iter(again.entries))
    again.entries[key] = '<h2 id="x">Kết quả</h2><p>Sửa <script>alert(1)</script><img src=x onerror=alert(1)></p>'
    html = Converter(Links(), pages, again).html("## Kết quả\n\nMột *câu*.\n", *args, shift=2, prefix="p")
    assert "Sửa" in html, "the entry was used"
    assert "<script" not in html and "onerror" not in html and 'id="x"' not in html
    assert '<h4 id="p-ket-qua">' in html


def test_a_kept_conversion_that_is_not_text_counts_as_missing(tmp_path):
    # JSON can hold a lone surrogate, which the sanitiser cannot take: the entry is dropped
    # and the text converted again, instead of every build failing.
    from baocao.load.cache import TextCache
    from baocao.render.contributor import Converter

    pages = {"reports/2025-q3/index.md", "reports/2025-q3/khac.md"}
    memo = TextCache(tmp_path, "converted")
    fresh = Converter(Links(), pages, memo).html("Một *câu*.\n", "reports/2025-q3/khac.md", "reports/2025-q3/index.md")
    memo.entries[next(iter(memo.entries))] = "<p>a\ud800b</p>"
    again = Converter(Links(), pages, memo).html("Một *câu*.\n", "reports/2025-q3/khac.md", "reports/2025-q3/index.md")
    assert again == fresh


@pytest.mark.parametrize("text", ["[phần khác](khac.md)", "[sắp có](moi.md)", "![ảnh](anh.png)", "[lên](../x.md)"])
def test_texts_with_relative_urls_are_converted_at_every_build(tmp_path, text):
    # Their HTML depends on the page that shows them and on which pages exist (a link to a
    # section not written yet becomes a link once it is): never kept.
    from baocao.load.cache import TextCache
    from baocao.render.contributor import Converter

    memo = TextCache(tmp_path, "converted")
    Converter(Links(), {"reports/2025-q3/index.md", "reports/2025-q3/khac.md"}, memo).html(
        text, "reports/2025-q3/khac.md", "reports/2025-q3/index.md")
    assert memo.entries == {}


def test_many_repeated_headings_get_distinct_ids():
    # 8,000 headings of the same text (a quadratic search for a free id once made this 18 s;
    # tests/benchmarks/bench_hostile.py times such inputs).
    html = _converter().html("## same\n\n" * 8000, "reports/2025-q3/khac.md", "reports/2025-q3/index.md",
                             shift=1, prefix="p")
    ids = re.findall(r'<h3 id="([^"]+)"', html)
    assert len(ids) == 8000 == len(set(ids))


def test_empty_parts_of_a_scaffolded_draft_say_so(repo, tmp_path):
    # Each empty heading of a new quarter gets a line under it: headings never stand in a
    # row (in print they are kept with what follows, which pushed the text to page 2).
    from conftest import run_cli

    assert run_cli(repo, "new-quarter", "2025-Q4").returncode == 0
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (site / "reports/2025-q4/index.html").read_text(encoding="utf-8")
    assert html.count("(Chưa có nội dung phần này.)") == 10


def test_a_build_from_kept_conversions_draws_the_same_pages(repo, tmp_path):
    # The second build takes the report's texts from the conversions kept by the first.
    from baocao.load.cache import cache_dir

    pages = ("reports/2025-q3/index.html", "reports/2025-q3/tinh-hinh-chung/index.html")
    sites = []
    for name in ("first", "second"):
        site = tmp_path / name
        result = mkdocs_build(repo, site)
        assert result.returncode == 0, result.stderr[-2000:]
        # (without Git history, the date of last change is the build's time, to the second)
        sites.append([re.sub(r'<span class="git-revision-date[^>]*>[^<]*</span>', "",
                             (site / page).read_text(encoding="utf-8")) for page in pages])
        assert (cache_dir(repo) / "converted.json").is_file()
    assert sites[0] == sites[1]


def test_builds_repeated_in_one_process_hand_back_what_they_froze(repo):
    # `mkdocs serve --clean` builds again and again as "build": each build's frozen objects
    # must be handed back before the next, or every rebuild's would be kept for ever.
    script = f"""
import gc, json, os
os.chdir({str(repo)!r})
from mkdocs.commands.build import build
from mkdocs.config import load_config
counts = []
for _ in range(5):
    config = load_config("mkdocs.yml", site_dir={str(repo / "site")!r})
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    counts.append(gc.get_freeze_count())
print(json.dumps(counts))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert max(counts[1:]) - min(counts[1:]) < 500, counts  # it grew by about 3,000 a build


def test_mkdocs_makes_no_markdown_converter_for_report_and_section_pages(repo):
    # Their HTML is drawn by baocao: MkDocs' own conversion (a new Python-Markdown
    # converter for each page) would only turn the marked comment into itself.
    script = f"""
import json, os
os.chdir({str(repo)!r})
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page
converted = []
plain_render = Page.render
def render(self, config, files):
    converted.append(self.file.src_uri)
    return plain_render(self, config, files)
Page.render = render
config = load_config("mkdocs.yml", site_dir={str(repo / "site")!r})
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
print(json.dumps(converted))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    converted = json.loads(result.stdout.strip().splitlines()[-1])
    assert "index.md" in converted, "generated pages still go through MkDocs"
    assert not [uri for uri in converted if uri.startswith("reports/2025-q3/")], converted
    html = (repo / "site/reports/2025-q3/index.html").read_text(encoding="utf-8")
    assert "BÁO CÁO" in html and "bctext" not in html and 'href="#phu-luc-so-lieu"' in html
