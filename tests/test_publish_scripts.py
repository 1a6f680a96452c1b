"""``baocao publish``'s refusal of inline scripts not in the committed list
(deploy/csp.unknown_scripts, deploy/sitecheck): an allowlist of the ``type`` values a
browser never runs (data blocks); every other value is counted as script.

Browsers run every "JavaScript MIME type" of the HTML standard (``application/x-javascript``,
``text/jscript``, ``text/javascript1.5``, ``application/ecmascript``...), not only the five
values once listed; the test drives Chromium to show it. The served CSP still blocks such a
script: the publish check is the second line of defence behind the sanitiser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TYPES = ("application/x-javascript", "text/jscript", "text/javascript1.5", "application/ecmascript")
#: Read by the browser (import maps, speculation rules: the policy governs them too), spelt
#: otherwise, or unknown: counted as script all the same (an allowlist of data types).
READ = ("importmap", "speculationrules", "Module", " text/JavaScript ", "text/vbscript")


@pytest.mark.parametrize("kind", TYPES + READ)
def test_every_script_type_a_browser_runs_is_reported(tmp_path: Path, kind: str):
    from baocao.deploy.csp import unknown_scripts

    (tmp_path / "index.html").write_text(f'<p>x</p><script type="{kind}">window.ran = 1</script>', encoding="utf-8")
    assert unknown_scripts(tmp_path), kind


def test_data_blocks_and_external_scripts_are_not_inline_scripts(tmp_path: Path):
    from baocao.deploy.csp import inline_scripts

    html = ('<script id="__config" type="application/json">{"a": 1}</script>'
            '<script type="application/ld+json">{}</script><script src="x.js"></script>'
            '<script>run()</script><script type="">run2()</script><script language="vbscript">v</script>')
    assert inline_scripts(html) == ["run()", "run2()", "v"]


@pytest.mark.browser
def test_chromium_runs_those_scripts(browser):
    """The premise: Debian's Chromium runs a script of each of these types."""
    page = browser.new_page()
    try:
        for kind in TYPES:
            page.set_content(f'<p>x</p><script type="{kind}">window.ran = "{kind}"</script>')
            assert page.evaluate("window.ran") == kind
    finally:
        page.close()
