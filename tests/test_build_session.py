"""The build's settings and session (issue 26): settings declared once, environment
variables as overrides only; the engine's rules tested without MkDocs."""

from __future__ import annotations

import pytest

from baocao.load import siteconfig


def test_settings_come_from_extra_with_environment_overrides():
    extra = {"baocao": {"pdf": True}, "baocao_allowed": ["/reports/*/anh/*.png", 3], "cms": {"name": "forgejo"}}
    settings = siteconfig.read(extra, environ={})
    assert (settings.pdf, settings.docx, settings.git_dates, settings.cms_local) == (True, False, True, None)
    assert settings.allowed == ("reports/*/anh/*.png",) and settings.cms == {"name": "forgejo"}
    overridden = siteconfig.read(extra, environ={"BAOCAO_PDF": "0", "BAOCAO_DOCX": "1", "BAOCAO_GIT_DATES": "false",
                                                 "BAOCAO_CMS_LOCAL": "http://127.0.0.1:8081/api/v1"})
    assert (overridden.pdf, overridden.docx, overridden.git_dates) == (False, True, False)
    assert overridden.cms_local == "http://127.0.0.1:8081/api/v1"
    # an empty variable is no override
    assert siteconfig.read(extra, environ={"BAOCAO_PDF": ""}).pdf is True
    assert siteconfig.read(None, environ={}) == siteconfig.Settings()


@pytest.mark.parametrize(("given", "says"), [
    ({"pfd": True}, "`pfd`: không có cài đặt này"),
    ({"pdf": "yes"}, "`pdf`: phải là `true` hoặc `false`"),
    (["pdf"], "phải là các dòng `tên: giá trị`"),
])
def test_a_wrong_setting_is_refused_in_vietnamese(given, says):
    with pytest.raises(siteconfig.SettingsError) as caught:
        siteconfig.read({"baocao": given}, environ={})
    assert "extra.baocao trong mkdocs.yml" in str(caught.value) and says in str(caught.value)


def test_the_command_reads_the_settings_it_uses_despite_a_wrong_build_setting(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("extra:\n  baocao: {pdf: maybe}\n  baocao_allowed: ['a/*.png']\n",
                                         encoding="utf-8")
    assert siteconfig.from_file(tmp_path / "mkdocs.yml").allowed == ("a/*.png",)


def test_page_addresses_and_ids_are_written_once_in_the_site_map():
    # issue 26.2: the link check and the pages read one site map; no other module (nor a
    # template) spells a page address, an id prefix or a download name.
    import re

    from conftest import ROOT

    spelled = re.compile(r"""["'](mo-dau|noi-dung|tieu-de|bao-cao["']|phu-luc-so-lieu|reports/index\.md|"""
                         r"""thong-ke/index\.md|to-chuc/|van-ban/index\.md|tien-do/index\.md|bao-cao-\{[^}]*\}\.)""")
    found = []
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        if path.name == "sitemap.py" or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if spelled.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in sorted((ROOT / "overrides" / "baocao").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: id={m}" for m in re.findall(r'id="(bao-cao|tieu-de)"', text)]
    assert not found, "\n".join(found)


def test_the_hook_module_only_adapts():
    # issue 26.1: one short function per MkDocs event, at most 150 lines; everything else
    # is in the package, which imports nothing from MkDocs.
    import ast
    import re

    from conftest import ROOT

    source = (ROOT / "hooks" / "mkdocs_adapter.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 150
    tree = ast.parse(source)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions and all(f.name.startswith("on_") for f in functions), [f.name for f in functions]
    assert all(f.end_lineno - f.lineno < 20 for f in functions)
    assert len({f.name for f in functions}) == len(functions)
    engine_imports = re.compile(r"^\s*(from|import)\s+(mkdocs|material|properdocs)\b", re.M)
    used = [p.relative_to(ROOT).as_posix() for p in (ROOT / "hooks" / "baocao").rglob("*.py")
            if engine_imports.search(p.read_text(encoding="utf-8"))]
    assert not used, used


def test_published_files_rule_without_the_engine(tmp_path):
    from baocao.build.published import PublishedFiles

    docs = tmp_path / "docs"
    (docs / "reports" / "2025-q3" / "anh").mkdir(parents=True)
    for name in ("reports/2025-q3/index.md", "reports/2025-q3/anh/a.png", "x.js"):
        (docs / name).write_bytes(b"x")
    (docs / "reports" / "2025-q3" / "leak.md").symlink_to("/etc/hostname")
    judge = PublishedFiles(str(docs), ("reports/*/anh/*.png",))
    assert not judge.refused(str(docs), "reports/2025-q3/index.md")
    assert not judge.refused(str(docs), "reports/2025-q3/anh/a.png")
    assert judge.refused(str(docs), "x.js") and judge.refused(str(docs), "reports/2025-q3/leak.md")
    assert not judge.refused("/usr/share/theme", "x.js")  # the theme's files are not judged here


def test_pruning_removes_nothing_outside_the_site(tmp_path):
    from baocao.build.incremental import prune

    site, outside = tmp_path / "site", tmp_path / "outside.html"
    (site / "reports/2025-q3/khac").mkdir(parents=True)
    (site / "reports/2025-q3/khac/index.html").write_text("x", encoding="utf-8")
    outside.write_text("x", encoding="utf-8")
    (site / "link").symlink_to(tmp_path, target_is_directory=True)
    prune(site, [str(site / "reports/2025-q3/khac/index.html"), str(outside), str(site / "link/outside.html"),
                 "relative/index.html"])
    assert outside.exists() and not (site / "reports").exists()  # emptied folders go too
    assert (site / "link").is_symlink() and site.is_dir()
