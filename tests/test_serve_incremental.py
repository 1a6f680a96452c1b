"""Rebuilds under ``baocao serve`` (issue 25): after any sequence of saves, the served site
is what a fresh full build gives, byte for byte (build dates aside), while a rebuild
writes only what changed.

A preview server's builds are driven in one process as ``mkdocs serve --dirty`` drives
them (what ``baocao serve`` runs), in an archive committed to Git; after each save the
site is compared with a fresh full build of the same files in another process. The
archive has every kind of page and dependency: a sealed report with its kept PDF (the
seal: errata, replacements), the statistical forms, deadlines counted from a fixed day,
"So với quý trước" against the quarter before. :func:`test_a_text_edit_changes_no_page_it_does_not_redraw`
checks the rule of text-only saves against the renderer itself, for every content file."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from baocao.build.incremental import serve_args
from compare_sites import differences
from conftest import commit_all, free_port, http_get, stop_group
from sample_archive import generate

#: The day deadlines are counted from, in every build of these tests (a run across
#: midnight changes nothing).
TODAY = "2024-07-08"
SEALED = "docs/reports/2023-q3"

URL = "http://127.0.0.1:8000/"
#: One process building as `mkdocs serve` does: each line read is Python to run (a save),
#: then a rebuild; it prints the files written by each build.
SERVER = textwrap.dedent("""
    import os, sys, time
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    repo, site, dirty = sys.argv[1], sys.argv[2], sys.argv[3] == "dirty"
    os.chdir(repo)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def config():
        c = load_config("mkdocs.yml", site_dir=site)
        c.site_url = {url!r}
        return c

    def rebuild():
        before = time.time()
        try:
            build(config(), serve_url={url!r}, dirty=dirty)
        except BaseException as error:  # the server goes on, as MkDocs' does
            print("failed", type(error).__name__, flush=True)
        written = sorted(os.path.relpath(os.path.join(d, n), site) for d, _, names in os.walk(site)
                         for n in names if os.path.getmtime(os.path.join(d, n)) >= before)
        print("built", " ".join(written), flush=True)

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    rebuild()
    for line in sys.stdin:
        if line.strip() == "stop":
            break
        exec(line)
        rebuild()
    first.plugins.on_shutdown()
""").format(url=URL)


class Server:
    def __init__(self, repo: Path, site: Path, dirty: bool = True, today: str = TODAY) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(repo), str(site),
                                         "dirty" if dirty else "clean"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "BAOCAO_TODAY": today})
        self.written = self._built()

    def _built(self) -> list[str]:
        for line in self.process.stdout:
            if line.startswith("built"):
                return line.split()[1:]
            if line.startswith("failed"):
                raise AssertionError(line)
        raise AssertionError("the server stopped")

    def save(self, code: str) -> list[str]:
        """Run ``code`` (one line of Python, in the repository) and rebuild."""
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()
        self.written = self._built()
        return self.written

    def stop(self) -> None:
        self.process.stdin.write("stop\n")
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _fresh(repo: Path, site: Path, today: str = TODAY) -> Path:
    server = Server(repo, site, dirty=False, today=today)
    server.stop()
    return site


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)
    writer.write(out)
    return out.getvalue()


def _seal(root: Path, folder: str) -> None:
    """Seal the issued report in ``folder`` as ``baocao issue --seal-existing`` does, with
    a kept PDF (made here without a browser) instead of a printed one."""
    from baocao.check import run_check
    from baocao.compile.sitemap import download_name
    from baocao.load import sealfiles
    from baocao.periods import Period
    from baocao.seal import manifest

    archive = run_check(root, use_cache=False).archive
    report = archive.report(Period.parse(folder.rsplit("/", 1)[1]))
    files = {p.name: p.read_bytes() for p in sorted((root / folder).glob("*.md"))}
    pdf = download_name(report, "pdf")
    files[pdf] = _blank_pdf()
    (root / folder / pdf).write_bytes(files[pdf])
    made = manifest.make(report, archive, files, report.meta.issued_on)
    (root / folder / sealfiles.MANIFEST).write_text(manifest.dump(made, report.period.label), encoding="utf-8")


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory) -> Path:
    """Six quarters, the last a draft collecting its sections with deadlines; 2023-Q3
    sealed with a kept PDF; committed to Git."""
    root = tmp_path_factory.mktemp("every-kind") / "archive"
    generate(root, 6, draft_last=True)
    index = root / "docs/reports/2024-q2/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "status: draft\n", "status: draft\ndue: 2024-07-15\nsections_due: 2024-07-05\n"), encoding="utf-8")
    _seal(root, SEALED)
    commit_all(root)
    return root


@pytest.fixture
def archive(every_kind, tmp_path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(every_kind, root, symlinks=True)
    return root


def _write(path: str, old: str, new: str) -> str:
    return (f"p = {path!r}; t = open(p, encoding='utf-8').read(); assert {old!r} in t; "
            f"open(p, 'w', encoding='utf-8').write(t.replace({old!r}, {new!r}, 1))")


def _moved_member(*paths: str) -> str:
    """One member counted as reinstated (phuc_hoi) instead of admitted (ket_nap), in a
    category's section and in the overview at once: every total, and every row of the
    statistical forms, stays right."""
    return "import re; " + " ".join(
        f"t = open({p!r}, encoding='utf-8').read(); "
        "t = re.sub(r'ket_nap: (\\d+)', lambda m: f'ket_nap: {int(m[1]) - 1}', t, count=1); "
        "t = re.sub(r'phuc_hoi: (\\d+)', lambda m: f'phuc_hoi: {int(m[1]) + 1}', t, count=1); "
        f"open({p!r}, 'w', encoding='utf-8').write(t);" for p in paths)


ERRATA = """\
errata:
  - date: 2023-10-05
    number: 12-CV/ĐU
    reason: Lỗi đánh máy
    corrections:
      - file: cong-an.md
        old: giữ vững sinh hoạt chi bộ
        new: giữ vững nền nếp sinh hoạt chi bộ
"""
SECOND_ERRATUM = """\
  - date: 2023-10-12
    number: 15-CV/ĐU
    reason: Thiếu chữ
    corrections:
      - file: khac.md
        old: tiếp tục lãnh đạo thực hiện
        new: tiếp tục lãnh đạo, chỉ đạo thực hiện
"""


def _run(code: str) -> str:
    """Several lines of Python as one save."""
    return f"exec({textwrap.dedent(code)!r})"


def _replacement(folder: str, number: str, replaces: str) -> str:
    """A replacement report of the sealed one in ``folder``: its text as it stands, one
    member counted otherwise, a new number and date, ``replaces:``."""
    return _run(f"""
        import pathlib, shutil
        new = pathlib.Path({folder + '-2'!r})
        shutil.copytree({folder!r}, new, ignore=shutil.ignore_patterns('*.yml', '*.pdf', '*.docx'))
        index = new / 'index.md'
        text = index.read_text(encoding='utf-8').replace('number: {replaces}', 'number: {number}')
        index.write_text(text.replace('issued_on: 2023-09-01', 'issued_on: 2023-10-20\\nreplaces: {replaces}'),
                         encoding='utf-8')
        """) + "; " + _moved_member(f"{folder}-2/quan-su.md", f"{folder}-2/tinh-hinh-chung.md")


def test_served_site_equals_a_fresh_full_build_after_every_save(archive, tmp_path):
    # the last quarter is a draft without its proposals (de-xuat.md), collecting its sections
    q3, q4, q2, draft = SEALED, "docs/reports/2023-q4", "docs/reports/2023-q2", "docs/reports/2024-q2"
    saves = [
        # a section's text: its report page, its own page, and the same section a quarter
        # later ("So với quý trước" compares with it) are written again; the tracker may be
        ("text", _write(f"{q4}/cong-an.md", "giữ vững sinh hoạt chi bộ", "giữ vững nền nếp sinh hoạt chi bộ")),
        # figures: the pages compiled across the archive change too, the quarter's statistical
        # forms, and the report and forms a year later (same quarter last year)
        ("figure", _moved_member(f"{q2}/quan-su.md", f"{q2}/tinh-hinh-chung.md")),
        # a new section file, not committed (its page shows today's date)
        ("new file", f"open({draft + '/ghi-chu.md'!r}, 'w', encoding='utf-8').write("
                     "'---\\npart: proposals\\ncontributor: chi_bo_thon_dong\\nstatus: draft\\n---\\n\\nĐề xuất mới.\\n')"),
        ("deleted file", f"os.remove({draft + '/ghi-chu.md'!r})"),
        # registries of data/: an organisation's name, a row of the statistical forms
        ("registry", _write("data/organisations.yml", "Chi bộ Quân sự xã (mẫu)", "Chi bộ Quân sự (mẫu)")),
        ("forms", _write("data/forms.yml", "label: Kết nạp\n", "label: Kết nạp vào Đảng\n")),
        # the deadline of the quarter being collected: the tracker, the home page, the calendar
        ("due", _write(f"{draft}/index.md", "due: 2024-07-15", "due: 2024-07-12")),
        # a day later: every countdown
        ("today", "os.environ['BAOCAO_TODAY'] = '2024-07-09'"),
        # the sealed report: a wording corrected with its đính chính, then a second one
        ("erratum", _write(f"{q3}/cong-an.md", "giữ vững sinh hoạt chi bộ", "giữ vững nền nếp sinh hoạt chi bộ")
         + f"; open({q3 + '/dinh-chinh.yml'!r}, 'w', encoding='utf-8').write({ERRATA!r})"),
        ("erratum added", _write(f"{q3}/khac.md", "tiếp tục lãnh đạo thực hiện", "tiếp tục lãnh đạo, chỉ đạo thực hiện")
         + f"; open({q3 + '/dinh-chinh.yml'!r}, 'a', encoding='utf-8').write({SECOND_ERRATUM!r})"),
        # a replacement report: the old one stays published, marked, its PDF kept
        ("replacement", _replacement(q3, "9-BC/ĐU", "3-BC/ĐU")),
        # a text edit again, now that the quarter's report is the replacement
        ("text again", _write(f"{q4}/cong-an.md", "nền nếp sinh hoạt", "nền nếp, sinh hoạt")),
        ("error", _write(f"{q4}/khac.md", "status: approved", "status: [oops")),
        ("fix", _write(f"{q4}/khac.md", "status: [oops", "status: approved")),
    ]
    served, today = tmp_path / "served", TODAY
    server = Server(archive, served)
    try:
        for number, (what, code) in enumerate(saves):
            written = server.save(code)
            if what == "error":
                page = (served / "reports/2023-q4/index.html").read_text(encoding="utf-8")
                assert "Nội dung đang có lỗi" in page and "docs/reports/2023-q4/khac.md:" in page
                continue
            if what == "today":
                today = "2024-07-09"
            fresh = _fresh(archive, tmp_path / f"fresh-{number}", today)
            assert differences(served, fresh) == [], what
            pages = {w for w in written if w.endswith(".html")}
            if what in ("text", "text again"):
                shown = {"reports/2023-q4/cong-an/index.html", "reports/2023-q4/index.html",
                         "reports/2024-q1/cong-an/index.html"}
                assert shown <= pages <= shown | {"404.html", "admin/index.html", "tien-do/index.html"}, pages
            if what == "figure":
                assert {"thong-ke/index.html", "thong-ke/2023-q2/index.html", "reports/2023-q2/index.html",
                        "reports/2024-q2/index.html", "thong-ke/2024-q2/index.html"} <= pages
                assert "reports/2023-q4/index.html" not in pages
            if what == "forms":
                assert {f"thong-ke/{q}/index.html" for q in ("2023-q1", "2024-q2")} <= pages
            if what in ("due", "today"):
                assert {"index.html", "tien-do/index.html", "lich/han-nop-bao-cao.ics"} <= set(written)
            if what.startswith("erratum"):
                assert {"reports/2023-q3/index.html", "reports/index.html", "index.html"} <= pages
                page = (served / "reports/2023-q3/index.html").read_text(encoding="utf-8")
                assert "Công văn đính chính số 12-CV/ĐU" in page
                assert ("Công văn đính chính số 15-CV/ĐU" in page) == (what == "erratum added")
            if what == "replacement":
                old = (served / "reports/2023-q3/index.html").read_text(encoding="utf-8")
                assert "Đã được thay thế bởi báo cáo số 9-BC/ĐU" in old
                assert (served / "reports/2023-q3/bao-cao-2023-q3.pdf").is_file()
                assert "reports/2023-q4/cong-an/index.html" in pages  # it compares with the replacement now
        new_page = served / "reports/2024-q2/ghi-chu/index.html"
        assert not new_page.exists()
    finally:
        server.stop()


def test_a_rebuild_draws_only_the_pages_a_save_changed(repo):
    # A text change redraws the pages that show that text; anything else (front matter, a
    # file added, a seal file, a kept PDF, data/) every page: to_draw says None.
    from baocao.build.incremental import changed_files, snapshot, to_draw
    from baocao.check import run_check

    def save(rel: str, change) -> tuple[object, set[str]]:
        nonlocal files, archive
        path = repo / rel
        change(path)
        now = snapshot(repo)
        changed, files = changed_files(files, now), now
        before, archive = archive, run_check(repo).archive
        return to_draw(before, archive, changed), changed

    files, archive = snapshot(repo), run_check(repo).archive
    section = "docs/reports/2025-q3/cong-an.md"
    drawn, changed = save(section, lambda p: p.write_text(p.read_text(encoding="utf-8") + "\nMột câu mới.\n",
                                                          encoding="utf-8"))
    assert changed == {section}
    # (the shipped archive has no quarter after 2025-Q3 to compare with it)
    assert drawn == {"reports/2025-q3/index.md", "reports/2025-q3/cong-an.md", "tien-do/index.md"}
    assert save(section, lambda p: p.write_text(p.read_text(encoding="utf-8").replace(
        "status: approved", "status: submitted"), encoding="utf-8"))[0] is None
    assert save(section, lambda p: p.touch())[0] == drawn  # saved again as it was: its pages drawn, none written
    for rel, content in (("docs/reports/2025-q3/ghi-chu.md", "---\npart: proposals\ncontributor:\nstatus: draft\n"
                          "---\n\nMới.\n"), ("docs/reports/2025-q3/dinh-chinh.yml", "errata: []\n"),
                         ("docs/reports/2025-q3/anh.png", "x"), ("data/forms.yml", None)):
        drawn, changed = save(rel, lambda p, c=content: p.write_text(
            c if c is not None else p.read_text(encoding="utf-8") + "\n", encoding="utf-8"))
        assert changed == {rel} and drawn is None, rel
    assert save("docs/reports/2025-q3/anh.png", lambda p: p.unlink()) == (None, {"docs/reports/2025-q3/anh.png"})


def test_the_snapshot_follows_no_link_and_walks_any_depth(tmp_path):
    import inspect

    from baocao.build.incremental import changed_files, snapshot

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x", encoding="utf-8")
    deep = tmp_path / "repo/docs" / "/".join(["d"] * 150)
    deep.mkdir(parents=True)
    (deep / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "repo/docs/link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "repo/data").mkdir()
    os.mkfifo(tmp_path / "repo/data/pipe")
    # deeper than the stack it may use: a folder per call would fail
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)
    try:
        found = snapshot(tmp_path / "repo")
    finally:
        sys.setrecursionlimit(limit)
    assert set(found) == {f"docs/{'/'.join(['d'] * 150)}/a.md", "docs/link", "data/pipe"}
    (tmp_path / "repo/docs/link").unlink()
    (tmp_path / "repo/docs/link").symlink_to(outside / "secret.md")
    assert changed_files(found, snapshot(tmp_path / "repo")) == {"docs/link"}


def _draw_every_page(root: Path, cache) -> tuple[object, dict[str, tuple]]:
    """The check's archive and every page of the plan as a build draws it (HTML, title,
    search), in this process."""
    import datetime as dt

    from baocao.build import downloads
    from baocao.check import run_check
    from baocao.load import siteconfig
    from baocao.render.links import Links
    from baocao.render.pages import Renderer
    from baocao.render.site import plan
    from baocao.render.templates import Templates

    result = run_check(root, cache=cache)
    assert result.ok, [p.text() for p in result.problems]
    links = Links(True)
    renderer = Renderer(result.archive, Templates(root / "overrides", links), links,
                        downloads.offered(result.archive, siteconfig.read({})), None, dt.date.fromisoformat(TODAY))
    return result.archive, {uri: (spec.build(), spec.title, spec.searchable)
                            for uri, spec in plan(result.archive, renderer).items()}


#: What the rule is checked with: a heading (ids, tables of contents), a link, and
#: words (similarity, "So với quý trước").
EDIT = "\n### Mục thêm để thử\n\nMột câu mới để thử, [xem kho báo cáo](../index.md).\n"


def test_a_text_edit_changes_no_page_it_does_not_redraw(archive, monkeypatch):
    # The rule of text-only saves (incremental.text_readers) checked against the renderer
    # itself: for every report and section file of an archive with every kind of page (a
    # sealed report with errata, replaced; its replacement; statistical forms; deadlines),
    # a new sentence changes only pages that the rule draws again.
    from baocao.build.incremental import _sources, to_draw
    from baocao.load.cache import FileCache

    monkeypatch.chdir(archive)
    for save in (_write(f"{SEALED}/cong-an.md", "giữ vững sinh hoạt chi bộ", "giữ vững nền nếp sinh hoạt chi bộ")
                 + f"; open({SEALED + '/dinh-chinh.yml'!r}, 'w', encoding='utf-8').write({ERRATA!r})",
                 _replacement(SEALED, "9-BC/ĐU", "3-BC/ĐU")):
        exec(save, {"os": os})  # noqa: S102 - the test's own saves, as the server runs them
    cache = FileCache(archive)
    before, drawn = _draw_every_page(archive, cache)
    files = sorted(_sources(before))
    assert len(files) > 60 and f"{SEALED}-2/cong-an.md" in files
    for path in files:
        original = (archive / path).read_bytes()
        (archive / path).write_bytes(original + EDIT.encode())
        try:
            after, now = _draw_every_page(archive, cache)
        finally:
            (archive / path).write_bytes(original)
        differ = {uri for uri in drawn.keys() | now.keys() if drawn.get(uri) != now.get(uri)}
        redrawn = to_draw(before, after, {path})
        assert differ and redrawn is not None, path  # a text edit is drawn page by page
        assert differ <= redrawn, (path, differ - redrawn)


def test_a_saved_file_not_committed_shows_todays_date(archive, tmp_path):
    from compare_sites import build_dates

    served = tmp_path / "served"
    server = Server(archive, served)
    try:
        page = served / "reports/2023-q4/cong-an/index.html"
        committed = page.read_text(encoding="utf-8")
        server.save("open('docs/reports/2024-q2/ghi-chu.md', 'w', encoding='utf-8').write("
                    "'---\\npart: proposals\\ncontributor: chi_bo_thon_dong\\nstatus: draft\\n---\\n\\nMới.\\n')")
        new = (served / "reports/2024-q2/ghi-chu/index.html").read_text(encoding="utf-8")
        assert any(d.decode() in new for d in build_dates())
        # a commit while serving: every page shows its file's new last commit at the next save
        subprocess.run(["git", "add", "-A"], cwd=archive, check=True)
        subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@example.invalid", "commit", "-q", "-m",
                        "Thêm"], cwd=archive, check=True)
        server.save(_write("docs/reports/2023-q4/cong-an.md", "giữ vững", "giữ vững"))
        assert page.read_text(encoding="utf-8") == committed
        assert differences(served, _fresh(archive, tmp_path / "fresh")) == []
    finally:
        server.stop()


def test_baocao_serve_runs_the_preview_as_a_dirty_serve():
    assert serve_args([]) == ["--dirty"]
    assert serve_args(["-a", "127.0.0.1:9000"]) == ["-a", "127.0.0.1:9000", "--dirty"]
    assert serve_args(["--clean"]) == ["--clean"] and serve_args(["--dirty"]) == ["--dirty"]


@pytest.mark.browser
def test_baocao_serve_reloads_the_browser_after_each_save(archive, tmp_path, browser):
    # The real command: `baocao serve` (mkdocs serve --dirty, MkDocs' watcher and livereload).
    import re
    import time

    port = free_port()
    log = open(tmp_path / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    server = subprocess.Popen([sys.executable, "-m", "baocao", "serve", "-a", f"127.0.0.1:{port}"], cwd=archive,
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    section = archive / "docs/reports/2023-q4/cong-an.md"
    good = section.read_text(encoding="utf-8")
    try:
        deadline = time.time() + 120
        while True:
            try:
                http_get(base + "/reports/2023-q4/")
                break
            except OSError:
                assert time.time() < deadline, (tmp_path / "serve.log").read_text(encoding="utf-8")
                time.sleep(0.3)
        page = browser.new_page()
        page.goto(base + "/reports/2023-q4/")
        page.wait_for_timeout(500)  # the page starts listening for reloads
        section.write_text(good.replace("giữ vững sinh hoạt", "giữ vững nền nếp sinh hoạt"), encoding="utf-8")
        page.wait_for_function("document.body && document.body.innerText.includes('giữ vững nền nếp sinh hoạt')", timeout=30_000)
        section.write_text(good.replace("status: approved", "status: [oops"), encoding="utf-8")
        page.wait_for_function("document.body && document.body.innerText.includes('Nội dung đang có lỗi')", timeout=30_000)
        assert "docs/reports/2023-q4/cong-an.md:" in page.inner_text("body")
        section.write_text(good.replace("giữ vững sinh hoạt", "giữ vững nền nếp sinh hoạt"), encoding="utf-8")
        page.wait_for_function("document.body && document.body.innerText.includes('ĐẢNG CỘNG SẢN VIỆT NAM')", timeout=30_000)
        served = http_get(base + "/reports/2023-q4/")
        page.close()
    finally:
        stop_group(server)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "dirty" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
    fresh = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "fresh")], cwd=archive,
                           capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert fresh.returncode == 0, fresh.stderr
    # the served page is the built one, but for livereload's script and the site's address
    served = re.sub(r"<script>\s*var livereload = .*?</script>", "", served, flags=re.S)
    built = (tmp_path / "fresh/reports/2023-q4/index.html").read_text(encoding="utf-8")
    text = re.compile(r'<article class="md-content__inner md-typeset">.*</article>', re.S)
    assert text.search(served).group(0) == text.search(built).group(0)
