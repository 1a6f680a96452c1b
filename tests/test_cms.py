"""The web form at /admin/ (Decap CMS): its configuration from the schemas, its bundle, and
the real form driven in Chromium against ``baocao edit`` (decap-server + mkdocs serve)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from baocao.check import run_check
from baocao.contribute import cms
from baocao.contribute.edit import SERVER_SCRIPT
from baocao.load.schemas import ReportMeta, SectionMeta
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
            assert field["label"] == info.title and field["hint"] == info.description
        guard = fields[0]
        assert guard["keys"] == list(model.model_fields)
    section = {f["name"]: f for f in cms.section_fields(archive)}
    assert section["part"]["required"] and section["status"]["required"]
    assert not section["contributor"]["required"] and not section["category"]["required"]
    figures = section["figures"]["fields"]
    assert [f["name"] for f in figures] == list(archive.indicators)
    for figure in figures:
        assert figure["widget"] == "number" and figure["value_type"] == "int"
        assert figure["min"] == 0 and figure["required"] is False
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
    assert text.count("widget: baocao-guard") == 2
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
    page.goto(f"{url}admin/#/collections/{collection}/entries/{entry}")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("textarea[id^='body-field']")


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


def test_negative_figure_is_refused(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "co-quan-hanh-chinh-su-nghiep.md"
    before = path.read_text(encoding="utf-8")
    _open(page, url, "bao-cao-2025-q4", "co-quan-hanh-chinh-su-nghiep")
    page.locator("input[id^='ket_nap-field']").fill("-5")
    _publish(page)
    page.get_by_text("Kết nạp (người) phải nằm trong khoảng từ 0", exact=False).wait_for()
    assert path.read_text(encoding="utf-8") == before


def test_unknown_id_is_refused(form):
    page, root, url, _ = form
    path = root / "docs" / "reports" / "2025-q4" / "quan-su.md"
    original = path.read_text(encoding="utf-8")
    bad = re.sub(r"^contributor:.*$", "contributor: khong_co", original, flags=re.M)
    bad = bad.replace("documents: []", "documents: [999-XX/YY]")
    path.write_text(bad, encoding="utf-8")
    try:
        _open(page, url, "bao-cao-2025-q4", "quan-su")
        page.get_by_text('Mã "999-XX/YY" ở `documents` không có trong danh sách', exact=False).first.wait_for()
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
    """The policy cms.admin_csp() gives is enough: the form loads, opens a section and
    validates it with no violation (the local backend stands for the Forgejo API)."""
    _, url, _ = edit_session
    served = yaml.safe_load(urllib.request.urlopen(f"{url}admin/config.yml").read())  # noqa: S310
    policy = cms.admin_csp(served["local_backend"]["url"])
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
