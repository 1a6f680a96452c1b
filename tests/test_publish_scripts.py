"""Review (hostile, after the merge of issues 20-26): ``baocao publish``'s refusal of inline
scripts not in the committed list (serve/csp.unknown_scripts, serve/sitecheck).

``_SCRIPT_TYPES`` counts five ``type`` values as script; browsers run every "JavaScript
MIME type" of the HTML standard (``application/x-javascript``, ``text/jscript``,
``text/javascript1.5``, ``application/ecmascript``...). Such a script is not reported,
so the publish check (the second line of defence behind the sanitiser; the served CSP
still blocks it) lets it through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TYPES = ("application/x-javascript", "text/jscript", "text/javascript1.5", "application/ecmascript")


@pytest.mark.parametrize("kind", TYPES)
def test_every_script_type_a_browser_runs_is_reported(tmp_path: Path, kind: str):
    from baocao.serve.csp import unknown_scripts

    (tmp_path / "index.html").write_text(f'<p>x</p><script type="{kind}">window.ran = 1</script>', encoding="utf-8")
    assert unknown_scripts(tmp_path), kind


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
