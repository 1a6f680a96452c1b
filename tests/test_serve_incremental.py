"""Rebuilds under ``baocao serve`` (issue 25): after any sequence of saves, the served site
is what a fresh full build gives, byte for byte (build dates aside), while a rebuild
writes only what changed.

A preview server's builds are driven in one process as ``mkdocs serve --dirty`` drives
them (what ``baocao serve`` runs), in an archive committed to Git; after each save the
site is compared with a fresh full build of the same files in another process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from baocao.build.incremental import serve_args
from compare_sites import differences
from conftest import commit_all, free_port, http_get, stop_group
from sample_archive import generate

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
    def __init__(self, repo: Path, site: Path, dirty: bool = True) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(repo), str(site),
                                         "dirty" if dirty else "clean"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
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


def _fresh(repo: Path, site: Path) -> Path:
    server = Server(repo, site, dirty=False)
    server.stop()
    return site


@pytest.fixture
def archive(tmp_path) -> Path:
    root = tmp_path / "archive"
    generate(root, 6, draft_last=True)
    commit_all(root)
    return root


def _write(path: str, old: str, new: str) -> str:
    return (f"p = {path!r}; t = open(p, encoding='utf-8').read(); assert {old!r} in t; "
            f"open(p, 'w', encoding='utf-8').write(t.replace({old!r}, {new!r}, 1))")


def _moved_member(*paths: str) -> str:
    """One member counted as admitted (ket_nap) instead of transferred in (chuyen_den), in a
    category's section and in the overview at once: every total stays right."""
    return "import re; " + " ".join(
        f"t = open({p!r}, encoding='utf-8').read(); "
        "t = re.sub(r'ket_nap: (\\d+)', lambda m: f'ket_nap: {int(m[1]) + 1}', t, count=1); "
        "t = re.sub(r'chuyen_den: (\\d+)', lambda m: f'chuyen_den: {int(m[1]) - 1}', t, count=1); "
        f"open({p!r}, 'w', encoding='utf-8').write(t);" for p in paths)


def test_served_site_equals_a_fresh_full_build_after_every_save(archive, tmp_path):
    # the last quarter is a draft without its proposals (de-xuat.md)
    q4, q2, draft = "docs/reports/2023-q4", "docs/reports/2023-q2", "docs/reports/2024-q2"
    saves = [
        # a section's text: only its report page and its own page are written again
        ("text", _write(f"{q4}/cong-an.md", "giữ vững sinh hoạt chi bộ", "giữ vững nền nếp sinh hoạt chi bộ")),
        # figures: the pages compiled across the archive change too, and the report a year later
        ("figure", _moved_member(f"{q2}/quan-su.md", f"{q2}/tinh-hinh-chung.md")),
        # a new section file, not committed (its page shows today's date)
        ("new file", f"open({draft + '/ghi-chu.md'!r}, 'w', encoding='utf-8').write("
                     "'---\\npart: proposals\\ncontributor: chi_bo_thon_dong\\nstatus: draft\\n---\\n\\nĐề xuất mới.\\n')"),
        ("deleted file", f"os.remove({draft + '/ghi-chu.md'!r})"),
        # a registry of data/
        ("registry", _write("data/organisations.yml", "Chi bộ Quân sự xã (mẫu)", "Chi bộ Quân sự (mẫu)")),
        ("error", _write(f"{q4}/khac.md", "status: approved", "status: [oops")),
        ("fix", _write(f"{q4}/khac.md", "status: [oops", "status: approved")),
    ]
    served = tmp_path / "served"
    server = Server(archive, served)
    try:
        for number, (what, code) in enumerate(saves):
            written = server.save(code)
            if what == "error":
                page = (served / "reports/2023-q4/index.html").read_text(encoding="utf-8")
                assert "Nội dung đang có lỗi" in page and "docs/reports/2023-q4/khac.md:" in page
                continue
            fresh = _fresh(archive, tmp_path / f"fresh-{number}")
            assert differences(served, fresh) == [], what
            pages = [w for w in written if w.endswith(".html")]
            if what == "text":
                assert sorted(pages) == ["404.html", "admin/index.html", "reports/2023-q4/cong-an/index.html",
                                         "reports/2023-q4/index.html"], pages
            if what == "figure":
                assert {"thong-ke/index.html", "reports/2023-q2/index.html", "reports/2024-q2/index.html"} <= set(pages)
                assert "reports/2023-q4/index.html" not in pages
        new_page = served / "reports/2024-q2/ghi-chu/index.html"
        assert not new_page.exists()
    finally:
        server.stop()


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
        page.wait_for_function("document.body.innerText.includes('giữ vững nền nếp sinh hoạt')", timeout=30_000)
        section.write_text(good.replace("status: approved", "status: [oops"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Nội dung đang có lỗi')", timeout=30_000)
        assert "docs/reports/2023-q4/cong-an.md:" in page.inner_text("body")
        section.write_text(good.replace("giữ vững sinh hoạt", "giữ vững nền nếp sinh hoạt"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('ĐẢNG CỘNG SẢN VIỆT NAM')", timeout=30_000)
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
