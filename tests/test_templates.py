"""Presentation lives in autoescaped templates: no markup in Python, and every value from
the repository reaches HTML escaped."""

from __future__ import annotations

import re

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
