"""PDFs of report pages, printed by headless Chromium through Playwright.

The page is printed exactly as a reader's browser prints it, with the same print
stylesheet and the bundled fonts (embedded in the PDF). The built site is served on a
private loopback port for the duration. Chromium is Debian's (``/usr/bin/chromium``) or
the one named by ``BAOCAO_CHROMIUM``; Playwright never downloads a browser here.

:func:`print_report` is ``baocao pdf``: it builds the site into a temporary folder
(:func:`build_site`), prints the one report page, and hands the PDF to
:func:`baocao.seal.fields.finish` for its metadata and, on request, its empty signature
fields. To place them, the printed page gets a link filling the signature block's space
(:data:`SIGNATURE_MARK`): Chromium writes it as a link annotation whose rectangle is
exactly that space, on the page where the layout put it; ``finish`` takes the rectangle
and removes the link.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class PdfError(Exception):
    """PDFs cannot be made; the message is Vietnamese and says what to do."""


def find_chromium() -> str | None:
    named = os.environ.get("BAOCAO_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: The address of the link that marks the signature block's space in a printed page.
SIGNATURE_MARK = "https://chu-ky.invalid/"
_MARK_SCRIPT = """(mark) => {
  const space = document.querySelector('.bc-signature .bc-sign-space');
  if (!space) return false;
  const link = document.createElement('a');
  link.href = mark; link.style.display = 'block'; link.style.height = '100%';
  space.appendChild(link);
  return true;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while the block runs; yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser() -> Iterator:
    """Headless Chromium, launched, for the block's time."""
    chromium = find_chromium()
    if chromium is None:
        raise PdfError("Không tìm thấy trình duyệt Chromium để in PDF; hãy cài (Debian: "
                       "`apt-get install chromium`) hoặc đặt biến BAOCAO_CHROMIUM, hoặc bỏ BAOCAO_PDF=1.")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError("Thiếu gói Playwright để in PDF; hãy chạy `pip install -e '.[pdf]'`.") from exc
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PdfError(f"Không khởi động được Chromium ({chromium}) để in PDF.") from exc
        try:
            yield launched
        finally:
            launched.close()


def print_pages(site_dir: Path, jobs: list[tuple[str, Path]],
                progress: Callable[[str, Path, float], None] | None = None, mark_signature: bool = False,
                launched=None) -> None:
    """Print each (site-relative URL, output path) of ``jobs`` to PDF; with ``mark_signature``,
    the signature block's space carries the :data:`SIGNATURE_MARK` link. ``launched``: a
    browser of :func:`browser` to use (else one is launched for these jobs)."""
    if not jobs:
        return
    if launched is None:
        with browser() as launched:
            print_pages(site_dir, jobs, progress, mark_signature, launched)
        return
    with serve(site_dir) as base:
        page = launched.new_page()
        # Laid out for print before waiting for fonts: the bundled print font is then
        # loaded, not only the screen's.
        page.emulate_media(media="print")
        for url, out in jobs:
            start = time.perf_counter()
            page.goto(base + url.lstrip("/"), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            if mark_signature and not page.evaluate(_MARK_SCRIPT, SIGNATURE_MARK):
                raise PdfError("Trang báo cáo không có khối chữ ký (người ký) nên không đặt được ô ký số; "
                               "hãy điền `signer:` trong index.md.")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(out), prefer_css_page_size=True, print_background=False, outline=True,
                     tagged=True)
            if progress:
                progress(url, out, time.perf_counter() - start)
        page.close()


def build_site(root: Path, dest: Path) -> None:
    """``mkdocs build`` of the repository ``root`` into ``dest``, as a child process (the
    package never imports the engine: the hook module is the only part that touches it). No
    PDF or Word files, no Git dates (a report page prints none). On failure the engine's
    lines, said in Vietnamese, are the message."""
    from baocao.console import translate

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BAOCAO_PDF": "0", "BAOCAO_DOCX": "0",
           "BAOCAO_XLSX": "0", "BAOCAO_GIT_DATES": "false"}
    try:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(dest)], cwd=root, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PdfError(f"Không dựng được trang báo cáo để in: {exc}") from exc
    if done.returncode != 0:
        said = "".join(translate(line) for line in (done.stdout + done.stderr).splitlines(keepends=True))
        raise PdfError("Không dựng được trang báo cáo để in:\n" + said[-3000:])


def print_report(root: Path, uri: str, mark_signature: bool = False) -> bytes:
    """The report page at ``uri`` (site-relative URL) of a fresh build of ``root``, printed:
    the PDF's bytes. Chromium starts while the site is built (the build is Python, the
    start mostly waiting on Chromium): on two cores that is half a second less."""
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as tmp:
        site = Path(tmp) / "site"
        failed: list[BaseException] = []

        def build() -> None:
            try:
                build_site(root, site)
            except BaseException as exc:  # handed to the main thread
                failed.append(exc)

        builder = threading.Thread(target=build, name="baocao-build")
        builder.start()
        try:
            with browser() as launched:
                builder.join()
                if failed:
                    raise failed[0]
                printed = Path(tmp) / "printed.pdf"
                print_pages(site, [(uri, printed)], mark_signature=mark_signature, launched=launched)
                return printed.read_bytes()
        finally:
            builder.join()
