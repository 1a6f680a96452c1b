"""Benchmark: Word export and import.

- export: every report of a fictional archive of 40 quarters to .docx, in process
  (python-docx and Python-Markdown warm after the first), and the seed quarter;
- import: the seed quarter's .docx (10 A4 pages through LibreOffice) imported as another
  quarter into a copy of the repository, in process and as the ``baocao import`` command.

Targets: export at most 1 s per report, import at most 2 s for a 10-page report. Run by
hand (best of five rounds, median in brackets):

    python tests/benchmarks/bench_docx.py [REPORTS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baocao.check import run_check  # noqa: E402
from baocao.contribute import word_import  # noqa: E402
from baocao.export import docx  # noqa: E402
from baocao.periods import Period  # noqa: E402
from conftest import ROOT, copy_repo  # noqa: E402
from sample_archive import generate  # noqa: E402

ROUNDS = 5


def timed(action) -> tuple[float, float]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = run_check(ROOT).archive
        report = seed.reports[-1]
        best, median = timed(lambda: docx.to_bytes(seed, report))
        print(f"export seed quarter: {best:.3f} s ({median:.3f} s)")
        root = tmp / "archive"
        generate(root, count)
        archive = run_check(root).archive
        best, median = timed(lambda: [docx.to_bytes(archive, r) for r in archive.reports])
        print(f"export {len(archive.reports)} reports: {best:.2f} s ({median:.2f} s), "
              f"{best / len(archive.reports) * 1000:.0f} ms per report")

        source = docx.write(seed, report, tmp / "seed.docx")
        if shutil.which("soffice"):
            subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp), str(source)], capture_output=True)
            pages = subprocess.run(["pdfinfo", str(tmp / "seed.pdf")], capture_output=True, text=True).stdout
            print("seed .docx:", next((line for line in pages.splitlines() if line.startswith("Pages")), "?"))
        repo = copy_repo(tmp / "repo")
        period = Period.parse("2026-Q3")
        folder = repo / "docs" / "reports" / period.slug

        def import_once() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            word_import.import_file(repo, source, period)

        best, median = timed(import_once)
        print(f"import 10-page report (in process, check of the archive included): {best:.3f} s ({median:.3f} s)")

        def import_command() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "import", str(source),
                            "--period", period.key], check=True, capture_output=True)

        best, median = timed(import_command)
        print(f"import 10-page report (`baocao import`, process start included): {best:.3f} s ({median:.3f} s)")


if __name__ == "__main__":
    main()
