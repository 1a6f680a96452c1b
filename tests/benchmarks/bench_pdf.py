"""Benchmark: ``BAOCAO_PDF=1 mkdocs build`` on a fictional archive of 40 reports.

Reports the time of each PDF (from the build's progress lines) and of the whole build,
against the same build without PDFs. Run by hand:

    python tests/benchmarks/bench_pdf.py [REPORTS]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample_archive import generate  # noqa: E402


def build(root: Path, site: Path, pdf: bool) -> tuple[float, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BAOCAO_PDF": "1" if pdf else "0"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site)], cwd=root,
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return time.perf_counter() - start, result.stderr


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        generate(root, count)
        plain, _ = build(root, Path(tmp) / "site-plain", pdf=False)
        total, log = build(root, Path(tmp) / "site-pdf", pdf=True)
    each = [float(s) for s in re.findall(r"Đã in PDF \S+ \(([\d.]+) giây\)", log)]
    print(f"{count} reports: build {plain:.2f} s without PDFs, {total:.2f} s with {len(each)} PDFs")
    print(f"per PDF: mean {sum(each) / len(each):.2f} s, max {max(each):.2f} s, first {each[0]:.2f} s")


if __name__ == "__main__":
    main()
