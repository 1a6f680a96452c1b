"""Benchmark: importing long Word files (issue 23, point 10).

Makes .docx files of 1,000, 2,500, 5,000 and 10,000 paragraphs (each with a bold run
among plain ones, under one section heading, as real reports are written) and times
``baocao import`` on each: in process (``word_import.import_file``, the archive's check
included) and as the command, with Python's start. Prints each time, the time per
1,000 paragraphs (linear: about the same for every size) and the 10,000-paragraph time
against the goal (at most 10 s). Files over ``opening.MAX_PARAGRAPHS`` are refused.

    python tests/benchmarks/bench_import.py [ROUNDS]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docx import Document  # noqa: E402

from baocao.contribute import word_import  # noqa: E402
from baocao.contribute.word_import import opening  # noqa: E402
from baocao.periods import Period  # noqa: E402
from conftest import copy_repo  # noqa: E402

GOAL_SECONDS = 10.0
SIZES = (1_000, 2_500, 5_000, 10_000)


def make_docx(path: Path, paragraphs: int) -> Path:
    """A report-like .docx of exactly ``paragraphs`` paragraphs."""
    doc = Document()
    doc.add_paragraph("BÁO CÁO").runs[0].bold = True
    doc.add_paragraph("Tình hình hoạt động của tổ chức cơ sở đảng quý II năm 2025").runs[0].bold = True
    doc.add_paragraph("A. TÌNH HÌNH, KẾT QUẢ TỔ CHỨC VÀ HOẠT ĐỘNG").runs[0].bold = True
    doc.add_paragraph("1. Tình hình chung").runs[0].bold = True
    for index in range(paragraphs - 4):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"Đoạn {index}: Chi bộ đã tổ chức sinh hoạt định kỳ, ")
        paragraph.add_run("quán triệt nghị quyết").bold = True
        paragraph.add_run(" của cấp trên, kết nạp đảng viên mới.")
    doc.save(str(path))
    return path


def best(action, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        repo = copy_repo(tmp / "repo")
        period = Period.parse("2025-Q2")
        target = repo / "docs/reports/2025-q2"
        print(f"{'paragraphs':>10}  {'in process':>11}  {'command':>8}  {'per 1,000':>10}")
        last = 0.0
        for size in SIZES:
            source = make_docx(tmp / f"{size}.docx", size)

            def in_process(source=source) -> None:
                shutil.rmtree(target, ignore_errors=True)
                word_import.import_file(repo, source, period)

            def command(source=source) -> None:
                shutil.rmtree(target, ignore_errors=True)
                subprocess.run([sys.executable, "-m", "baocao", "--root", str(repo), "import", str(source),
                                "--period", "2025-Q2"], check=True, capture_output=True)

            inner, outer = best(in_process, rounds), best(command, rounds)
            last = outer
            print(f"{size:>10}  {inner:>10.2f}s  {outer:>7.2f}s  {outer / size * 1000:>9.2f}s")
        print(f"10,000 paragraphs: {last:.2f} s as the command; goal at most {GOAL_SECONDS:.0f} s: {last / GOAL_SECONDS:.2f}x the goal")
        refused = make_docx(tmp / "too-long.docx", opening.MAX_PARAGRAPHS + 1)
        shutil.rmtree(target, ignore_errors=True)
        try:
            word_import.import_file(repo, refused, period)
            print("!! a file over the limit was imported")
        except word_import.ImportFailed as exc:
            print(f"{opening.MAX_PARAGRAPHS + 1} paragraphs: refused ({exc})")


if __name__ == "__main__":
    main()
