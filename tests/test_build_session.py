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
