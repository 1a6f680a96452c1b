"""Benchmark: ``baocao check`` against ``mkdocs build`` on a large fictional archive.

Generates 440 quarters (4,840 files) with tests/sample_archive.py, then times the check
(the CLI, as users run it) cold (``--no-cache``: every file read) and warm (files
unchanged since the last run come from the cache), and a full build. Run by hand:

    python tests/benchmarks/bench_check.py [QUARTERS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample_archive import generate  # noqa: E402

#: issue 15: the check CI runs on a fresh clone (no cache), 440 quarters.
GOAL_SECONDS = 2.0


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    quarters = int(sys.argv[1]) if len(sys.argv) > 1 else 440
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        generate(root, quarters, start=__import__("baocao.periods").periods.Period(1930, 1))  # the first year a report can be of
        files = sum(1 for _ in (root / "docs").rglob("*.md"))
        cold = min(timed([sys.executable, "-m", "baocao", "check", "--no-cache"], root) for _ in range(3))
        timed([sys.executable, "-m", "baocao", "check"], root)  # fills the cache
        warm = min(timed([sys.executable, "-m", "baocao", "check"], root) for _ in range(3))
        build = min(timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(Path(tmp) / "site")], root)
                    for _ in range(2))
        print(f"{quarters} quarters, {files} Markdown files")
        print(f"baocao check: cold {cold:.2f} s, warm {warm:.2f} s (best of 3, whole CLI process)")
        print(f"mkdocs build: {build:.2f} s (best of 2)")
        print(f"build / check: {build / cold:.1f}x cold, {build / warm:.1f}x warm")
        print(f"goal: cold check of about 4,400 section files in at most {GOAL_SECONDS:.0f} s: "
              + ("met" if cold <= GOAL_SECONDS else "NOT met"))


if __name__ == "__main__":
    main()
