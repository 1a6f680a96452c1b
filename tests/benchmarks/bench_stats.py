"""Benchmark: the statistical forms' workbook of a report in a 10-year archive.

Generates a fictional archive of 40 quarters (tests/sample_archive.py, every row of the
forms given), in a Git repository, and times for its latest quarter:

- ``baocao stats`` as users run it: the whole command (Python's start, the check of every
  report, the forms filled with last year's figures, the workbook written), best of five
  and median, in wall time and in processor time (on a shared machine the wall time also
  counts the waits for a free processor);
- in process, the archive already checked: the forms filled and the workbook written (the
  cost a ``BAOCAO_XLSX=1`` build adds per report).

Goal (issue 21): a workbook for a 10-year archive in at most 1 s. Run by hand:

    python tests/benchmarks/bench_stats.py [QUARTERS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_docx import timed  # noqa: E402  (best and median of five rounds)

from baocao.check import run_check  # noqa: E402
from baocao.export import xlsx  # noqa: E402
from sample_archive import generate  # noqa: E402

GOAL_SECONDS = 1.0


def main() -> None:
    quarters = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        periods = generate(root, quarters)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        latest = periods[-1]
        out = Path(tmp) / "bieu.xlsx"
        command = [sys.executable, "-m", "baocao", "stats", latest.key, "-o", str(out)]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(command, cwd=root, check=True, capture_output=True, env=env)  # bytecode, cache

        cpu: list[float] = []

        def run_command() -> None:
            before = os.times()
            subprocess.run(command, cwd=root, check=True, capture_output=True, env=env)
            after = os.times()
            cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)

        whole = timed(run_command)
        archive = run_check(root).archive
        report = archive.report(latest)

        def in_process() -> None:
            report.cache.pop("forms", None)
            xlsx.write(archive, report, out)

        in_process()  # openpyxl imported
        inside = timed(in_process)
        print(f"{quarters} quarters ({periods[0].label} – {latest.label}), workbook of {latest.label}")
        print(f"baocao stats (whole command): best {whole[0]:.2f} s, median {whole[1]:.2f} s; processor time "
              f"(user + system) best {min(cpu):.2f} s, median {statistics.median(cpu):.2f} s")
        print(f"forms filled and workbook written, in process: best {inside[0] * 1000:.0f} ms, "
              f"median {inside[1] * 1000:.0f} ms")
        # On a shared machine the wall time waits for a free processor; the processor time is
        # what the command costs on one of its own.
        print(f"goal: at most {GOAL_SECONDS:.0f} s: whole command {whole[1] / GOAL_SECONDS:.2f}x (wall, median), "
              f"{statistics.median(cpu) / GOAL_SECONDS:.2f}x (processor time, median), "
              f"in process {inside[1] / GOAL_SECONDS:.2f}x: "
              + ("met" if min(whole[1], statistics.median(cpu)) <= GOAL_SECONDS else "NOT met"))


if __name__ == "__main__":
    main()
