"""PDFs of report pages, printed by headless Chromium through Playwright.

The page is printed exactly as a reader's browser prints it, with the same print
stylesheet and the bundled fonts (embedded in the PDF). The built site is served on a
private loopback port for the duration. Chromium is Debian's (``/usr/bin/chromium``) or
the one named by ``BAOCAO_CHROMIUM``; Playwright never downloads a browser here.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
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


def print_pages(site_dir: Path, jobs: list[tuple[str, Path]],
                progress: Callable[[str, Path, float], None] | None = None) -> None:
    """Print each (site-relative URL, output path) of ``jobs`` to PDF."""
    if not jobs:
        return
    chromium = find_chromium()
    if chromium is None:
        raise PdfError("Không tìm thấy trình duyệt Chromium để in PDF; hãy cài (Debian: "
                       "`apt-get install chromium`) hoặc đặt biến BAOCAO_CHROMIUM, hoặc bỏ BAOCAO_PDF=1.")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError("Thiếu gói Playwright để in PDF; hãy chạy `pip install -e '.[pdf]'`.") from exc
    with serve(site_dir) as base, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PdfError(f"Không khởi động được Chromium ({chromium}) để in PDF.") from exc
        try:
            page = browser.new_page()
            # Laid out for print before waiting for fonts: the bundled print font is then
            # loaded, not only the screen's.
            page.emulate_media(media="print")
            for url, out in jobs:
                start = time.perf_counter()
                page.goto(base + url.lstrip("/"), wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                out.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(out), prefer_css_page_size=True, print_background=False, outline=True,
                         tagged=True)
                if progress:
                    progress(url, out, time.perf_counter() - start)
        finally:
            browser.close()
