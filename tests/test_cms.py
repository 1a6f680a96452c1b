"""The web form at /admin/ (Decap CMS): its configuration from the schemas, its bundle, and
the real form driven in Chromium against ``baocao edit`` (decap-server + mkdocs serve)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from baocao.check import run_check
from baocao.contribute import cms
from baocao.contribute.edit import SERVER_SCRIPT
from baocao.deploy import csp
from baocao.schemas import ReportMeta, SectionMeta
from conftest import ROOT, copy_repo, mkdocs_build, run_cli

ADMIN = ROOT / "overrides" / "admin"


@pytest.fixture(scope="module")
def archive():
    return run_check(ROOT).archive


def _files(conf: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in conf["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["files"]}


# --- configuration ---------------------------------------------------------------------


def test_fields_follow_the_schemas(archive):
    for fields, model in ((cms.section_fields(archive), SectionMeta), (cms.report_fields(archive), ReportMeta)):
        names = [f["name"] for f in fields]
        assert names == [cms.GUARD, *model.model_fields, "body"]
        for field in fields[1:-1]:
            info = model.model_fields[field["name"]]
            assert field["label"] == info.title
            assert field["hint"] == cms.FORM_HINTS.get((model, field["name"]), info.description)
        guard = fields[0]
        assert guard["keys"] == list(model.model_fields)
    section = {f["name"]: f for f in cms.section_fields(archive)}
    assert section["part"]["required"] and section["status"]["required"]
    assert not section["contributor"]["required"] and not section["category"]["required"]
    figures = section["figures"]["fields"]
    assert [f["name"] for f in figures] == list(archive.indicators)
    for figure in figures:
        # never Decap's "number" widget, which saved "1.173" as 173 (issue 23.1)
        assert figure["widget"] == "baocao-count" and figure["min"] == 0 and figure["max"] == 10_000_000
        assert figure["required"] is False
        assert archive.indicators[figure["name"]].label in figure["label"]
    assert [o["value"] for o in section["contributor"]["options"]] == list(archive.organisations)
    assert [o["value"] for o in section["category"]["options"]] == list(archive.categories)
    assert [o["value"] for o in section["documents"]["options"]] == list(archive.documents)
    assert section["documents"]["multiple"] is True
    assert [o["value"] for o in section["status"]["options"]] == ["draft", "submitted", "approved"]
    assert [o["value"] for o in section["part"]["options"]] == list(archive.leaf_parts())
    pattern = re.compile(section["contributor"]["pattern"][0])
    assert pattern.match("dang_bo_cong_an") and not pattern.match("khong_co")
    assert section["body"]["widget"] == "text"  # never the rich-text editor, which rewrites Markdown
    report = {f["name"]: f for f in cms.report_fields(archive)}
    assert [f["name"] for f in report["signer"]["fields"]] == ["authority", "body", "position", "name"]
    assert report["recipients"]["widget"] == "list"


def test_every_schema_key_needs_a_widget(monkeypatch):
    with pytest.raises(ValueError, match="no form field"):
        cms._in_model_order(SectionMeta, {})


def _texts(value):
    """Every label, hint and description of a configuration, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("label", "hint", "description", "label_singular", "read_only") and isinstance(item, str):
                yield item
            elif key == "labels" and isinstance(item, dict):
                yield from item.values()
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def test_what_the_form_says_names_no_internal_id(archive):
    """Issue 23.12: hints showed ids (`results`, `draft/submitted/approved`) and data/ paths.
    The form speaks of labels: no id of data/ or of a status, no file path."""
    conf = cms.config(archive, {"repo": "vp/baocao", "api_root": "http://git.lan/api/v1"})
    ids = {*archive.categories, *archive.organisations, *archive.indicators, *archive.leaf_parts(),
           "draft", "submitted", "approved", "issued", "overview", "results"}
    found = []
    for text in _texts(conf):
        words = set(re.findall(r"[A-Za-z0-9_]+", text))
        if words & ids or re.search(r"data/|\.yml|\bNĂM-Q|<", text):
            found.append(text)
    assert not found, found


def test_issued_reports_are_read_only_and_nothing_is_uploaded(tmp_path):
    root = copy_repo(tmp_path / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    archive = run_check(root).archive
    conf = cms.config(archive, {"repo": "vp/baocao", "api_root": "http://git.lan/api/v1"})
    for collection in conf["collections"]:
        assert collection["create"] is False and collection["delete"] is False
        issued = collection["name"] == "bao-cao-2025-q3"  # the seed report is issued
        for entry in collection["files"]:
            guard = entry["fields"][0]
            assert guard["name"] == cms.GUARD
            assert (guard.get("read_only") == cms.ISSUED_READ_ONLY) is issued, entry["file"]
    assert conf["media_library"] == {"name": cms.MEDIA_LIBRARY}
    # baocao edit's backend writes only the files of reports not issued.
    writable = re.compile(cms.writable(archive))
    assert writable.match("docs/reports/2025-q4/cong-an.md") and writable.match("docs/reports/2025-q4/index.md")
    assert not writable.match("docs/reports/2025-q3/cong-an.md") and not writable.match("docs/reports/2025-q3/index.md")
    every = [f["file"] for c in conf["collections"] for f in c["files"]]
    assert all(re.match(cms.EDITABLE, path) for path in every)


def test_one_collection_per_quarter_newest_first(tmp_path):
    root = copy_repo(tmp_path / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    conf = cms.config(run_check(root).archive, {"repo": "vp/baocao", "api_root": "http://git.lan/api/v1"})
    assert [c["name"] for c in conf["collections"]] == ["bao-cao-2025-q4", "bao-cao-2025-q3"]
    files = _files(conf, "bao-cao-2025-q4")
    assert list(files)[:3] == ["index", "tinh-hinh-chung", "chi-bo-nong-thon"]
    assert files["chi-bo-nong-thon"]["file"] == "docs/reports/2025-q4/chi-bo-nong-thon.md"
    assert files["chi-bo-nong-thon"]["label"].startswith("A.2.1. ")
    assert all(c["format"] == cms.FORMAT for c in conf["collections"])
    assert conf["backend"] == {"name": "forgejo", "repo": "vp/baocao", "api_root": "http://git.lan/api/v1",
                               "branch": "main"}
    assert conf["publish_mode"] == "editorial_workflow" and "local_backend" not in conf
    assert conf["locale"] == "vi"
    # Shared field lists are written once, and Decap's YAML reader gets the same mapping back.
    text = cms.dump(conf)
    assert text.count("widget: baocao-guard") == 4  # report and section, editable or issued
    assert yaml.safe_load(text) == conf


def test_local_config_never_points_outside():
    conf = cms.backend_settings({"repo": "vp/baocao", "api_root": "http://git.lan/api/v1"},
                                local_url="http://127.0.0.1:9/api/v1")
    assert conf["backend"]["name"] == "proxy" and conf["backend"]["proxy_url"] == "http://127.0.0.1:9/api/v1"
    assert conf["local_backend"]["url"] == "http://127.0.0.1:9/api/v1"
    assert "publish_mode" not in conf


def test_backend_settings_come_from_mkdocs_yml_only(tmp_path):
    settings = cms.settings_from_mkdocs(ROOT / "mkdocs.yml")
    assert settings["name"] == "forgejo" and "api_root" in settings
    # Unknown keys are not passed to Decap.
    assert cms.backend_settings({"repo": "a/b", "evil": "x"})["backend"] == {
        "name": "forgejo", "repo": "a/b", "branch": "main"}


def test_only_the_pull_request_backend_is_accepted(tmp_path):
    with pytest.raises(ValueError, match="forgejo"):
        cms.backend_settings({"name": "gitea", "repo": "a/b"})
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: forgejo", "name: gitea"), encoding="utf-8")
    result = run_cli(root, "cms-config")
    assert result.returncode == 1 and "chỉ `forgejo`" in result.stderr and "Traceback" not in result.stderr
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("trang cũ", encoding="utf-8")
    built = mkdocs_build(root, site)
    assert built.returncode != 0 and "chỉ `forgejo`" in built.stderr and "Traceback" not in built.stderr
    assert (site / "old.html").is_file()  # refused before MkDocs empties site/


def test_cli_prints_what_the_build_writes(tmp_path):
    root = copy_repo(tmp_path / "repo")
    printed = run_cli(root, "cms-config", "--repo", "vp/other")
    assert printed.returncode == 0, printed.stderr
    assert "repo: vp/other" in printed.stdout
    site = tmp_path / "site"
    result = mkdocs_build(root, site, "--strict")
    assert result.returncode == 0, result.stderr
    built = (site / "admin" / "config.yml").read_text(encoding="utf-8")
    assert built == run_cli(root, "cms-config").stdout
    assert (site / "admin" / "index.html").is_file() and (site / "admin" / "decap" / "decap-cms.js").is_file()
    assert (site / "admin" / "decap" / "LICENSE.txt").is_file()
    assert not (site / "admin" / "README.md").exists()


def test_cli_refuses_a_broken_archive(tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "data" / "categories.yml").write_text("categories: [\n", encoding="utf-8")
    result = run_cli(root, "cms-config")
    assert result.returncode == 1 and "Hãy sửa các lỗi" in result.stderr


def test_bundle_matches_its_checksums():
    listed = {}
    for line in (ROOT / "tools" / "cms" / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = sorted(p.relative_to(ADMIN).as_posix() for d in ("decap", "yaml") for p in (ADMIN / d).rglob("*")
                     if p.is_file())
    assert sorted(listed) == present
    for name, digest in listed.items():
        assert hashlib.sha256((ADMIN / name).read_bytes()).hexdigest() == digest, name
    versions = (ROOT / "tools" / "cms" / "VERSIONS").read_text()
    assert "decap-cms 3.16.3" in versions
    html = (ADMIN / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


# --- the real form ---------------------------------------------------------------------


def _server_installed() -> bool:
    return (ROOT / SERVER_SCRIPT).is_file() or bool(os.environ.get("BAOCAO_DECAP_SERVER"))


def test_edit_says_why_it_cannot_start(tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "docs" / "reports" / "2025-q3" / "cong-an.md").write_text("---\npart: [\n---\n", encoding="utf-8")
    env = {**os.environ, "PATH": "/nonexistent"}
    no_node = subprocess.run([sys.executable, "-m", "baocao", "--root", str(root), "edit"],
                             capture_output=True, text=True, timeout=120, env=env)
    assert no_node.returncode == 1 and "Cần Node.js 20" in no_node.stderr
    if not _server_installed():
        return
    broken = subprocess.run([sys.executable, "-m", "baocao", "--root", str(root), "edit"],
                            capture_output=True, text=True, timeout=300)
    assert broken.returncode == 1 and "Không mở được biểu mẫu" in broken.stderr
    assert "Traceback" not in broken.stderr
    (root / "docs" / "reports" / "2025-q3" / "cong-an.md").write_bytes((ROOT / "docs/reports/2025-q3/cong-an.md").read_bytes())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([sys.executable, "-m", "baocao", "--root", str(root), "edit", "--port", str(port)],
                              capture_output=True, text=True, timeout=300)
    assert busy.returncode == 1 and "Traceback" not in busy.stderr
    assert f"cổng {port} đang được một chương trình khác dùng" in busy.stderr
    assert re.search(r"`baocao edit --port \d+`", busy.stderr)


@pytest.fixture(scope="module")
def edit_session(tmp_path_factory):
    """``baocao edit`` on a copy of the repository with the 2025-Q4 quarter opened."""
    if not _server_installed():
        if os.environ.get("CI"):
            pytest.fail("decap-server is not installed: tests/install.sh must install it")
        pytest.skip("decap-server not installed (npm ci --prefix tools/decap-server)")
    root = copy_repo(tmp_path_factory.mktemp("cms") / "repo")
    assert run_cli(root, "new-quarter", "2025-Q4").returncode == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "hooks"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "baocao", "--root", str(root), "edit"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)admin/", line)
    if not match:
        proc.kill()
        pytest.fail(f"baocao edit did not start: {line}{proc.stderr.read()}")
    yield root, match.group(1), proc
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Đã dừng biểu mẫu" in out


@pytest.fixture
def form(browser, edit_session):
    """A page of the form; every request it makes is recorded, and any to another host refused."""
    root, url, _ = edit_session
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))

    def outside(route):
        route.abort()

    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), outside)
    yield page, root, url, requests
    context.close()
    assert requests and all(u.startswith("http://127.0.0.1:") for u in requests), \
        [u for u in requests if not u.startswith("http://127.0.0.1:")]
    assert not failed, failed  # every file the form asks for is served


def _open(page, url: str, collection: str, entry: str) -> None:
    """Open an entry of the form in a freshly loaded page (Decap keeps the entry it shows when
    only the address's #fragment changes), logging in unless this page already did."""
    page.goto("about:blank")
    page.goto(f"{url}admin/#/collections/{collection}/entries/{entry}")
    login = page.get_by_role("button", name="Đăng nhập")
    body = page.locator("textarea[id^='body-field']")
    login.or_(body).first.wait_for()
    if login.is_visible():
        login.click()
    body.wait_for()


def _publish(page) -> None:
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_text("Công bố ngay", exact=True).click()


def _wait_change(path: Path, before: str) -> str:
    """The file once decap-server has written it whole (it truncates, then writes)."""
    last = before
    for _ in range(600):
        text = path.read_text(encoding="utf-8")
        if text != before and text == last and re.match(r"---\n.*?\n---\n", text, re.S):
            return text
        last = text
        time.sleep(0.1)
    raise AssertionError(f"{path} was not saved")


def _comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.split("---")[1].splitlines() if "#" in line)


def test_secretary_writes_section_in_the_form(form, tmp_path):
    page, root, url, requests = form
    path = root / "docs" / "reports" / "2025-q4" / "chi-bo-nong-thon.md"
    before = path.read_text(encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "chi-bo-nong-thon")
    assert page.get_by_text("Mục của đề cương", exact=False).first.is_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
    paragraph = "Quý IV, các chi bộ thôn tổ chức sinh hoạt chuyên đề về chuyển đổi số trong công tác đảng."
    body = page.locator("textarea[id^='body-field']")
    body.fill(paragraph + "\n\n" + body.input_value())
    page.locator("input[id^='ket_nap-field']").fill("3")
    page.locator("input[id^='chuyen_di-field']").fill("0")
    _publish(page)
    after = _wait_change(path, before)
    meta = yaml.safe_load(after.split("---")[1])
    SectionMeta.model_validate(meta)
    assert meta["figures"]["ket_nap"] == 3 and meta["figures"]["chuyen_di"] == 0
    # Blank stays unknown, never 0 or the word null.
    assert meta["figures"]["tu_tran"] is None and "null" not in after
    assert meta["part"] == "results" and meta["category"] == "xa_thon" and meta["status"] == "draft"
    # Nothing else changed: every comment of the scaffold is kept, and the other lines too.
    assert _comments(after) == _comments(before)
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 3 and paragraph in changed
    check = run_cli(root, "check")
    assert check.returncode == 0, check.stdout
    site = tmp_path / "site"
    built = mkdocs_build(root, site)
    assert built.returncode == 0, built.stderr
    assert paragraph in (site / "reports" / "2025-q4" / "index.html").read_text(encoding="utf-8")
    assert any(u.endswith("/admin/config.yml") for u in requests)


def test_office_fills_the_report_header(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "index.md"
    before = path.read_text(encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "index")
    page.locator("input[id^='as_of-field']").fill("2025-12-15")
    page.locator("input[id^='due-field']").fill("2025-12-20")
    page.locator("input[id^='sections_due-field']").fill("2025-12-10")
    page.locator("input[id^='name-field']").fill("Nguyễn Văn An")
    _publish(page)
    after = _wait_change(path, before)
    meta = ReportMeta.model_validate(yaml.safe_load(after.split("---")[1]))
    assert str(meta.as_of) == "2025-12-15" and meta.signer.name == "Nguyễn Văn An"
    assert (str(meta.due), str(meta.sections_due)) == ("2025-12-20", "2025-12-10")  # issue 22
    assert meta.recipients and meta.status == "draft" and meta.number is None
    assert _comments(after) == _comments(before)
    check = run_cli(root, "check")
    assert check.returncode == 0, check.stdout


def _type_figure(page, indicator: str, keys: str, *, clear: bool = True):
    """Click a figure's box, empty it (Ctrl+A, Backspace) and type ``keys`` one key at a
    time, then leave it with Tab, as a person does."""
    box = page.locator(f"input[id^='{indicator}-field']")
    box.click()
    if clear:
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
    page.keyboard.type(keys)
    page.keyboard.press("Tab")
    return box


def _figures(text: str) -> dict:
    return yaml.safe_load(text.split("---")[1])["figures"]


def _shown_figures(page, indicators) -> dict:
    return {i: page.locator(f"input[id^='{i}-field']").input_value() for i in indicators}


def test_figures_typed_as_vietnamese_write_them_are_saved_as_shown(form):
    """Issue 23.1: Decap's number box saved `1.173` as 173 and `1.000` as 1. The form reads a
    figure as a Vietnamese writes it, and what it saves is what the box shows."""
    page, root, url, _ = form
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    path = root / "docs" / "reports" / "2025-q4" / "khac.md"
    before = path.read_text(encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "khac")
    typed = {"ket_nap": "1.173", "chuyen_den": "1.000", "phuc_hoi": " 1 173 ", "tu_tran": "007",
             "khai_tru": "0", "to_chuc_dang": "10.000.000", "xin_ra": "12"}
    for indicator, keys in typed.items():
        _type_figure(page, indicator, keys)
    # Pasted from a spreadsheet, with a non-breaking space as the thousands separator.
    page.evaluate("navigator.clipboard.writeText('1\u00a0234\u00a0567\\n')")
    page.locator("input[id^='dang_vien_dau_ky-field']").click()
    page.keyboard.press("Control+V")
    page.keyboard.press("Tab")
    expected = {"ket_nap": 1173, "chuyen_den": 1000, "phuc_hoi": 1173, "tu_tran": 7, "khai_tru": 0,
                "to_chuc_dang": 10_000_000, "xin_ra": 12, "dang_vien_dau_ky": 1234567}
    assert _shown_figures(page, expected) == {k: str(v) for k, v in expected.items()}
    _publish(page)
    after = _wait_change(path, before)
    saved = _figures(after)
    assert {k: saved[k] for k in expected} == expected
    assert all(v is None for k, v in saved.items() if k not in expected)
    assert _comments(after) == _comments(before)
    assert "ket_nap: 1173 # Kết nạp" in after  # the value goes after "key: ", the comment stays
    # Editing what is there: a digit added at the end, one removed at the start, a box emptied.
    page.locator("input[id^='ket_nap-field']").click()
    page.keyboard.press("End")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.locator("input[id^='dang_vien_dau_ky-field']").click()
    page.keyboard.press("Home")
    page.keyboard.press("Delete")
    page.keyboard.press("Tab")
    _type_figure(page, "chuyen_den", "")
    _type_figure(page, "xin_ra", "1.2")  # a slip, then corrected in the same box
    page.get_by_text("«1.2» không phải số nguyên", exact=False).first.wait_for()
    _type_figure(page, "xin_ra", "1.200")
    page.get_by_text("«1.2» không phải số nguyên", exact=False).first.wait_for(state="detached")
    _publish(page)
    again = _wait_change(path, after)
    saved = _figures(again)
    expected |= {"ket_nap": 11734, "dang_vien_dau_ky": 234567, "chuyen_den": None, "xin_ra": 1200}
    assert {k: saved[k] for k in expected} == expected
    shown = _shown_figures(page, saved)
    assert shown == {k: "" if v is None else str(v) for k, v in saved.items()}
    check = run_cli(root, "check")
    assert check.returncode == 0, check.stdout


#: What a person may type that is not a whole number of people or organisations, and the
#: start of the Vietnamese message the form gives at the box before anything is saved.
NOT_COUNTS = {
    "ket_nap": ("1.5", "«1.5» không phải số nguyên"),
    "chuyen_den": ("1,5", "«1,5»: ô này chỉ nhận số nguyên"),
    "phuc_hoi": ("1,173", "«1,173»: ô này chỉ nhận số nguyên"),
    "tu_tran": ("-5", "«-5»: số liệu không âm"),
    "khai_tru": ("1.17", "«1.17» không phải số nguyên"),
    "xoa_ten": ("12a", "«12a»: chỉ gõ chữ số"),
    "xin_ra": ("10.000.001", "«10.000.001» lớn quá: số liệu tối đa là 10.000.000"),
    "chuyen_di": ("99999999999999999999", "lớn quá"),
    "dang_vien_cuoi_ky": ("0.173", "«0.173» không phải số nguyên"),
    "to_chuc_dang": ("1.173,5", "«1.173,5»: ô này chỉ nhận số nguyên"),
    "dang_bo_co_so": ("1e3", "«1e3»: chỉ gõ chữ số"),
}


def test_figures_that_are_not_whole_numbers_are_refused_before_saving(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "tinh-hinh-chung.md"
    before = path.read_text(encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "tinh-hinh-chung")
    for indicator, (keys, message) in NOT_COUNTS.items():
        box = _type_figure(page, indicator, keys)
        page.get_by_text(message, exact=False).first.wait_for()  # said at once, before saving
        assert box.input_value() == keys  # what was typed stays, for the user to correct
    _publish(page)
    time.sleep(2)
    assert path.read_text(encoding="utf-8") == before  # nothing saved, nothing changed
    page.get_by_text(NOT_COUNTS["ket_nap"][1], exact=False).first.wait_for()


def test_a_wrong_figure_in_the_file_is_shown_and_corrected(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "co-quan-hanh-chinh-su-nghiep.md"
    original = path.read_text(encoding="utf-8")
    bad = re.sub(r"^  ket_nap:.*$", "  ket_nap: 1.5", original, flags=re.M)
    bad = re.sub(r"^  tu_tran:.*$", '  tu_tran: "12"', bad, flags=re.M)
    path.write_text(bad, encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "co-quan-hanh-chinh-su-nghiep")
    page.get_by_text("«1.5» không phải số nguyên", exact=False).first.wait_for()  # said on opening
    assert page.locator("input[id^='ket_nap-field']").input_value() == "1.5"
    page.locator("textarea[id^='body-field']").fill("Nội dung.")
    _publish(page)
    page.get_by_text('hãy gõ lại số này', exact=False).first.wait_for()  # "12" in quotes is text, not a number
    assert path.read_text(encoding="utf-8") == bad
    _type_figure(page, "ket_nap", "2")
    _type_figure(page, "tu_tran", "12")
    _publish(page)
    figures = _figures(_wait_change(path, bad))
    assert figures["ket_nap"] == 2 and figures["tu_tran"] == 12


def _ask(url: str, body, *, host: str | None = None, origin: str | None = None,
         content_type: str = "application/json") -> tuple[int, str]:
    """POST ``body`` to ``url`` with exactly these Host and Origin headers."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Content-Type": content_type, "Host": host or parts.netloc}
    if origin:
        headers["Origin"] = origin
    connection.request("POST", parts.path, body if isinstance(body, str) else json.dumps(body), headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def _get(url: str, host: str) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path, headers={"Host": host})
    response = connection.getresponse()
    response.read()
    return response.status


def _persist(path: str, raw: str = "---\npart: results\nstatus: draft\n---\n") -> dict:
    return {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"slug": "x", "path": path, "raw": raw}], "assets": [],
        "options": {"commitMessage": "m", "useWorkflow": False, "status": "draft"}}}


def test_local_servers_answer_only_the_form(edit_session, tmp_path):
    """Issue 23.13: decap-server answered any Host (a page the clerk opens could reach it by
    DNS rebinding) and wrote any file of the repository (hooks/, mkdocs.yml)."""
    root, url, _ = edit_session
    api = yaml.safe_load(urllib.request.urlopen(f"{url}admin/config.yml").read())["local_backend"]["url"]  # noqa: S310
    form = url.rstrip("/")
    own = urllib.parse.urlsplit(api).netloc
    info = {"action": "info", "params": {"branch": "main"}}
    assert _ask(api, info, origin=form)[0] == 200
    # Another Host (DNS rebinding), another Origin, or none: refused before anything is read.
    assert _ask(api, info, host=f"evil.example:{urllib.parse.urlsplit(api).port}", origin=form)[0] == 421
    assert _ask(api, info, host=f"localhost:{urllib.parse.urlsplit(api).port}", origin=form)[0] == 421
    assert _ask(api, info, origin="http://evil.example")[0] == 403
    assert _ask(api, info, origin=f"http://127.0.0.1:{urllib.parse.urlsplit(api).port + 1}")[0] == 403
    assert _ask(api, info)[0] == 403
    assert _ask(api, "action=info", origin=form, content_type="text/plain")[0] == 404
    # The form has no media: Decap's question for the media folder's files gets none.
    assert _ask(api, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "hooks"}},
                origin=form) == (200, "[]")
    assert _ask(api, "{not json", origin=form)[0] == 400
    # The site of the form: its own Host only.
    assert _get(f"{url}admin/", urllib.parse.urlsplit(url).netloc) == 200
    assert _get(f"{url}admin/", "evil.example") == 421
    assert _get(f"{url}admin/", f"localhost:{urllib.parse.urlsplit(url).port}") == 421
    # Only the files the form edits are read or written; no media, no deletion, no renaming.
    before = {p: (root / p).read_bytes() for p in ("mkdocs.yml", "docs/reports/2025-q4/index.md",
                                                   "docs/reports/2025-q3/cong-an.md")}
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("ngoài kho", encoding="utf-8")
    (root / "docs" / "reports" / "2031-q1").symlink_to(outside, target_is_directory=True)
    (root / "docs" / "reports" / "2025-q4" / "lien-ket.md").symlink_to(outside / "x.md")
    try:
        for path in ("mkdocs.yml", "hooks/mkdocs_adapter.py", "data/organisations.yml", "tools/x.md",
                     "docs/reports/2025-q4/../../../mkdocs.yml", "docs/reports/2025-q4/a/b.md",
                     "docs/reports/2025-q4/x.yml", "docs/reports/2031-q1/x.md", "docs/reports/2025-q4/lien-ket.md",
                     "/etc/passwd", "docs/reports/2025-q4/.an.md"):
            status, text = _ask(api, _persist(path), origin=form)
            assert status == 403 and "Máy chủ biểu mẫu từ chối" in text, (path, status, text)
            assert _ask(api, {"action": "getEntry", "params": {"branch": "main", "path": path}}, origin=form)[0] == 403
        # An issued report is read, not written.
        issued = "docs/reports/2025-q3/cong-an.md"
        status, text = _ask(api, _persist(issued), origin=form)
        assert status == 403 and "đã ban hành" in text
        assert _ask(api, {"action": "getEntry", "params": {"branch": "main", "path": issued}}, origin=form)[0] == 200
        status, text = _ask(api, {"action": "entriesByFiles", "params": {"branch": "main", "files": [
            {"path": "docs/reports/2025-q4/index.md"}, {"path": "mkdocs.yml"}]}}, origin=form)
        assert status == 403, text
        media = {"action": "persistMedia", "params": {"branch": "main", "asset": {
            "path": "docs/reports/2025-q4/anh.png", "content": "eA==", "encoding": "base64"}}}
        with_asset = _persist("docs/reports/2025-q4/index.md")
        with_asset["params"]["assets"] = [media["params"]["asset"]]
        renamed = _persist("docs/reports/2025-q4/index.md")
        renamed["params"]["dataFiles"][0]["newPath"] = "mkdocs.yml"
        for body in (media, with_asset, renamed,
                     {"action": "deleteFile", "params": {"branch": "main", "path": "docs/reports/2025-q4/index.md"}},
                     {"action": "getMediaFile", "params": {"branch": "main", "path": "mkdocs.yml"}},
                     {"action": "entriesByFolder", "params": {"branch": "main", "folder": "hooks", "extension": "py",
                                                              "depth": 9}}):
            assert _ask(api, body, origin=form)[0] == 403, body["action"]
        assert (outside / "x.md").read_text(encoding="utf-8") == "ngoài kho"
        assert sorted(p.name for p in outside.iterdir()) == ["x.md"]
        assert {p: (root / p).read_bytes() for p in before} == before
        assert not (root / "docs" / "reports" / "2025-q4" / "anh.png").exists()
        assert not (root / "tools").exists()
    finally:
        (root / "docs" / "reports" / "2031-q1").unlink()
        (root / "docs" / "reports" / "2025-q4" / "lien-ket.md").unlink()
    # What the form does edit still reads and writes.
    status, text = _ask(api, {"action": "getEntry", "params": {"branch": "main",
                                                              "path": "docs/reports/2025-q4/index.md"}}, origin=form)
    assert status == 200 and json.loads(text)["data"] == before["docs/reports/2025-q4/index.md"].decode()
    assert own != urllib.parse.urlsplit(url).netloc


def test_issued_report_is_read_only_in_the_form(form):
    page, root, url, _ = form
    page.on("dialog", lambda dialog: dialog.accept())  # "leave without saving?"
    for entry, path in (("index", "docs/reports/2025-q3/index.md"), ("cong-an", "docs/reports/2025-q3/cong-an.md")):
        before = (root / path).read_text(encoding="utf-8")
        _open(page, url, "bao-cao-2025-q3", entry)
        page.get_by_text("Báo cáo này đã ban hành: biểu mẫu chỉ cho xem", exact=False).wait_for()
        body = page.locator("textarea[id^='body-field']")
        assert body.evaluate("el => el.closest('[inert]') !== null")
        body.click(force=True)  # a click does not reach it, nor do keys
        page.keyboard.type("Sửa báo cáo đã ban hành")
        assert "Sửa báo cáo đã ban hành" not in body.input_value()
        # and were a value changed anyway, saving is refused, at the guard
        page.evaluate("""() => { const t = document.querySelector("textarea[id^='body-field']");
            t.closest('[inert]').inert = false; }""")
        body.fill(body.input_value() + "\nSửa báo cáo đã ban hành")
        _publish(page)
        page.get_by_text("Báo cáo này đã ban hành", exact=False).first.wait_for()
        time.sleep(1)
        assert (root / path).read_text(encoding="utf-8") == before


def test_the_form_offers_no_upload(form):
    page, _, url, _ = form
    page.goto(f"{url}admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Báo cáo quý IV/2025", exact=False).first.wait_for()
    assert page.get_by_text("Tập tin", exact=True).count() == 0  # Decap's "Media" button
    page.goto(f"{url}admin/#/media")
    time.sleep(1)
    assert page.locator("input[type=file]").count() == 0
    _open(page, url, "bao-cao-2025-q4", "cong-an")
    assert page.locator("input[type=file]").count() == 0


def test_login_page_shows_the_committee(browser, edit_session):
    _, url, _ = edit_session
    page = browser.new_page()
    try:
        page.goto(f"{url}admin/")
        page.get_by_role("button", name="Đăng nhập").wait_for()
        assert page.get_by_text("Đảng ủy xã Đại Sơn", exact=True).is_visible()
        assert page.get_by_text("Biểu mẫu soạn báo cáo", exact=True).is_visible()
        shown = page.evaluate("""() => [...document.querySelectorAll('svg, img')]
            .filter(el => el.getBoundingClientRect().width > 0).map(el => el.outerHTML.slice(0, 80))""")
        assert shown == [], shown  # Decap's logo and its credit are not shown
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_text("Báo cáo quý IV/2025", exact=False).first.wait_for()
        assert not page.get_by_text("Biểu mẫu soạn báo cáo", exact=True).is_visible()
    finally:
        page.close()


UNTRANSLATED = r"""
() => {
  const out = [];
  const walk = (en, vi, path) => {
    for (const [k, v] of Object.entries(en)) {
      const key = path ? `${path}.${k}` : k;
      const mine = vi ? vi[k] : undefined;
      if (v && typeof v === 'object') walk(v, mine, key);
      else if (mine === undefined || (mine === v && /[A-Za-z]{3,}/.test(v.replace(/%\{\w+\}|Markdown/g, '')))) out.push(key);
    }
  };
  walk(CMS.getLocale('en'), CMS.getLocale('vi'), '');
  return out;
}
"""

#: What the page says (text, also what screen readers get, and the attributes that label
#: things), read for English.
SAID = r"""
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('script, style, noscript, textarea')) continue;
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (el.getAttribute(name)) out.push(`${name}=${el.getAttribute(name)}`);
    }
  }
  return out;
}
"""
ENGLISH = re.compile(r"\b(option|options|selected|deselected|focused|press|select|remove|copy|path|results?|"
                     r"available|loading|field|widget|open|link|tab|menu|use|escape|value|values|search|term|"
                     r"clear|cleared|all|the|of|for|is|no|timer|notification|delete|save|cancel|add|new|entry|"
                     r"media|image|file|now|preview|publish|logo|utc|string|list|object|text|datetime|draggable|"
                     r"item|dragging|drop|dropped|pick|space|bar|arrow|keys)\b", re.I)


def test_the_form_speaks_vietnamese(form):
    """Issue 23.12: Decap's remaining English ("Copy", "Copy Path", "Remove …", the widgets'
    names in labels) and what its select boxes and lists write outside its locales."""
    page, _, url, _ = form
    page.goto(f"{url}admin/")
    page.get_by_role("button", name="Đăng nhập").wait_for()
    assert page.evaluate(UNTRANSLATED) == []
    heard: list[str] = []

    def listen(where: str) -> None:
        heard.extend(f"{where}: {text}" for text in page.evaluate(SAID) if ENGLISH.search(text))

    listen("login")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Báo cáo quý IV/2025", exact=False).first.wait_for()
    listen("collections")
    page.get_by_role("button", name="Tài khoản").click()
    listen("account menu")
    _open(page, url, "bao-cao-2025-q4", "uu-diem")
    listen("section")
    documents = page.locator("[id^='documents-field']").first
    documents.click()
    page.keyboard.type("zzz")
    page.get_by_text("Không có lựa chọn nào").wait_for()  # react-select's "No options"
    listen("a select with nothing found")
    for _ in range(3):
        page.keyboard.press("Backspace")
    page.keyboard.press("ArrowDown")
    listen("a select open")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    listen("a value chosen")
    page.get_by_role("button", name="Thêm mốc thời gian").click()
    listen("a list item added")
    page.locator("input[id^='title-field']").fill("x")
    page.get_by_role("button", name="Công bố", exact=True).click()
    listen("the publish menu")
    _open(page, url, "bao-cao-2025-q4", "index")
    listen("report")
    assert not heard, heard


READ_COUNT_CASES = r"""
async () => {
  const { readCount } = await import('./baocao-count.js');
  const limits = { min: 0, max: 10000000 };
  const cases = ['1173', '1.173', '1.000', '1 173', '1\u00a0173', '1\u202f173', ' 0 ', '', '   ', '007',
                 '1.5', '1,5', '1.17', '1.1734', '01.173', '1.173 456', '+5', '\u22125', '５', '١', '0x10',
                 '1_000', '10000000', '10000001', '1.000.000.000'];
  return cases.map(text => [text, readCount(text, limits)]);
}
"""


def test_figure_reading_rules(form):
    """The same rules, over what typing through a keyboard cannot easily reach: other spaces,
    other digits, other minus signs."""
    page, _, url, _ = form
    page.goto(f"{url}admin/")
    read = {text: result.get("value", "refused") for text, result in page.evaluate(READ_COUNT_CASES)}
    assert read == {"1173": 1173, "1.173": 1173, "1.000": 1000, "1 173": 1173, "1\u00a0173": 1173,
                    "1\u202f173": 1173, " 0 ": 0, "": "", "   ": "", "007": 7,
                    "1.5": "refused", "1,5": "refused", "1.17": "refused", "1.1734": "refused",
                    "01.173": "refused", "1.173 456": "refused", "+5": "refused", "\u22125": "refused",
                    "５": "refused", "١": "refused", "0x10": "refused", "1_000": "refused",
                    "10000000": 10_000_000, "10000001": "refused", "1.000.000.000": "refused"}


def test_unknown_id_is_refused(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "quan-su.md"
    original = path.read_text(encoding="utf-8")
    bad = re.sub(r"^contributor:.*$", "contributor: khong_co", original, flags=re.M)
    bad = bad.replace("documents: []", "documents: [999-XX/YY]")
    path.write_text(bad, encoding="utf-8")
    try:
        _open(page, url, "bao-cao-2025-q4", "quan-su")
        page.get_by_text('Mã "999-XX/YY" ở ô «Văn bản được nêu» không có trong danh sách', exact=False).first.wait_for()
        page.locator("textarea[id^='body-field']").fill("Nội dung mới.")
        _publish(page)
        page.get_by_text("Không có trong danh sách tổ chức đảng", exact=False).first.wait_for()
        assert path.read_text(encoding="utf-8") == bad
    finally:
        path.write_text(original, encoding="utf-8")


def test_file_the_form_cannot_represent_is_read_only(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "cong-an.md"
    original = path.read_text(encoding="utf-8")
    bad = original.replace("status: draft", "status: draft\nghi_chu: giữ nguyên dòng này", 1)
    path.write_text(bad, encoding="utf-8")
    try:
        _open(page, url, "bao-cao-2025-q4", "cong-an")
        page.get_by_text("Tệp này chỉ xem được", exact=False).wait_for()
        assert page.get_by_text("Trường lạ `ghi_chu`", exact=False).first.is_visible()
        inert = page.locator("textarea[id^='body-field']").evaluate("el => el.closest('[inert]') !== null")
        assert inert
        assert path.read_text(encoding="utf-8") == bad
    finally:
        path.write_text(original, encoding="utf-8")


FORMAT_CASES = r"""
async () => {
  const { fromFile, toFile } = await import('./baocao-format.js');
  const order = ['_baocao', 'part', 'category', 'title', 'contributor', 'status', 'figures', 'documents',
                 'milestones', 'body'];
  const out = {};
  const src = '---\n# đầu\npart: results  # mục\ncategory: xa_thon\ncontributor:  # mã\nstatus: draft\n' +
              'figures:\n  # số\n  chi_bo: 11\n# văn bản\ndocuments: []\n---\n\nThân bài\n';
  out.same = toFile(fromFile(src), order) === src;
  const d = fromFile(src);
  d.contributor = 'chi_bo_quan_su'; d.figures = { ...d.figures, ket_nap: 3, chi_bo: '' };
  d.documents = ['176-KL/TW']; d.title = 'Tiêu đề: mới';
  out.edited = toFile(d, order);
  const anchored = fromFile('---\npart: &p results\ncategory: *p\nstatus: draft\n---\n');
  out.anchorProblems = anchored.__baocao.problems;
  try { toFile(anchored, order); out.anchorSaved = true; } catch (e) { out.anchorSaved = false; }
  const broken = fromFile('---\npart: [\n---\n');
  out.brokenProblems = broken.__baocao.problems;
  const listed = fromFile('---\npart: results\nstatus: draft\ndocuments:\n  - 176-KL/TW\n  # giữ\n  - 50-CT/TW\n---\n');
  listed.documents = ['51-CT/TW'];
  try { toFile(listed, order); out.commentLost = false; } catch (e) { out.commentLost = e.message; }
  return out;
}
"""


def test_file_format_keeps_what_the_form_does_not_show(form):
    page, root, url, _ = form
    page.goto(f"{url}admin/")
    result = page.evaluate(FORMAT_CASES)
    assert result["same"] is True
    edited = result["edited"]
    for kept in ("# đầu", "part: results  # mục", "# số", "# văn bản", "# mã"):
        assert kept in edited
    meta = yaml.safe_load(edited.split("---")[1])
    assert meta["contributor"] == "chi_bo_quan_su" and meta["title"] == "Tiêu đề: mới"
    assert meta["figures"] == {"chi_bo": None, "ket_nap": 3} and meta["documents"] == ["176-KL/TW"]
    assert list(meta) == ["part", "category", "title", "contributor", "status", "figures", "documents"]
    assert result["anchorProblems"] and result["anchorSaved"] is False
    assert "cú pháp YAML" in result["brokenProblems"][0]
    assert "ghi chú" in result["commentLost"]


def test_admin_runs_under_its_content_security_policy(browser, edit_session):
    """The policy csp.admin_policy() gives is enough: the form loads, opens a section and
    validates it with no violation (the local backend stands for the Forgejo API)."""
    _, url, _ = edit_session
    served = yaml.safe_load(urllib.request.urlopen(f"{url}admin/config.yml").read())  # noqa: S310
    policy = csp.admin_policy(served["local_backend"]["url"])
    assert "'unsafe-eval'" in policy and "style-src 'self' 'unsafe-inline'" in policy
    # The policy is enough; without 'unsafe-eval' or 'unsafe-inline' the form breaks.
    assert _violations(browser, url, policy, open_form=True) == []
    assert "script-src" in " ".join(_violations(browser, url, policy.replace(" 'unsafe-eval'", "")))
    assert "style-src" in " ".join(_violations(browser, url, policy.replace(" 'unsafe-inline'", "")))


def _violations(browser, url: str, policy: str, *, open_form: bool = False) -> list[str]:
    """The directives a page of the form violates under ``policy`` (the first ones when it
    breaks; none after opening a section when it works)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    served: list[str] = []

    def with_policy(route):
        response = route.fetch()
        served.append(route.request.url)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    # A page answered through route.fulfill counts as public for Chromium's private network
    # access checks, which would then refuse it the loopback API: turn those off here.
    args = [*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,"
            "PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults"]
    strict = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    try:
        page = strict.new_page()
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                             "e => window.__csp.push(e.violatedDirective));")
        page.route(re.compile(r".*/admin/(index\.html)?$"), with_policy)
        if open_form:
            _open(page, url, "bao-cao-2025-q4", "uu-diem")
            page.locator("input[id^='title-field']").fill("x")
        else:
            page.goto(f"{url}admin/")
            page.wait_for_function("() => window.__csp.length > 0")
        found = page.evaluate("() => window.__csp")
    finally:
        strict.close()
    assert served, "the policy was not applied"
    return found
