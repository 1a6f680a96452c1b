"""The engines the site is built with (issue 26.6-7): MkDocs 1.6 and its fork ProperDocs
1.6.7 build the same site; an engine that runs no hooks gives a site that ``baocao publish``
refuses, saying why; a wrong build setting stops the build with a Vietnamese message."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from compare_sites import differences
from conftest import ROOT, mkdocs_build, run_cli


def _engine_build(engine: str, root, site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", engine, "build", "-d", str(site), *args], cwd=root,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_properdocs_builds_the_same_site_as_mkdocs(shipped_site, tmp_path):
    # ProperDocs (the fork of MkDocs 1.6 by its former maintainers) runs hooks and loads
    # Material's theme through MkDocs' entry points: the same pages, byte for byte but for
    # the generator's name and the build dates.
    site = tmp_path / "properdocs-site"
    result = _engine_build("properdocs", ROOT, site, "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "reports/2025-q3/index.html").is_file()
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8")
    assert differences(shipped_site, site, engines=True) == []


def test_publish_refuses_a_site_built_without_the_hooks(repo, tmp_path):
    # What an engine that ignores `hooks:` (Zensical) would build: the same mkdocs.yml
    # without its hook module.
    config = repo / "mkdocs.yml"
    config.write_text(re.sub(r"\nhooks:\n  - [^\n]+\n", "\n", config.read_text(encoding="utf-8")), encoding="utf-8")
    site = tmp_path / "plain-site"
    assert mkdocs_build(repo, site).returncode == 0
    www = tmp_path / "www"
    result = run_cli(repo, "publish", "--to", str(www), "--site", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "không được dựng qua bước dựng của baocao" in result.stderr, result.stderr
    assert "`hooks: - hooks/mkdocs_adapter.py`" in result.stderr and "Zensical" in result.stderr
    assert not (www / "current").exists()


def test_a_wrong_build_setting_stops_the_build(repo, tmp_path):
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n  baocao:\n    pfd: true\n", 1),
                      encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Cài đặt extra.baocao trong mkdocs.yml chưa đúng: `pfd`: không có cài đặt này" in result.stderr
    assert not site.exists()
