"""Benchmark: the cost of the hooks in a full build, and how it grows with the archive.

Builds fictional archives of 40 and 400 reports (tests/sample_archive.py), five rounds,
with the hook module (assembled report pages, tables, charts, generated pages) and with
the same Markdown and the hook module removed from mkdocs.yml. Reports the best wall time
and the best CPU time (user + system) of each: on this shared machine wall times jitter
by ±20 %, CPU times much less. Run by hand:

    python tests/benchmarks/bench_build.py [SMALL] [LARGE]
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baocao.periods import Period  # noqa: E402
from sample_archive import generate  # noqa: E402

ROUNDS = 5


def build(root: Path, config: str, site: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build in a fresh process."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                            cwd=root, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu


def measure(quarters: int, tmp: Path) -> tuple[tuple[float, float], tuple[float, float], int]:
    root = tmp / f"archive-{quarters}"
    generate(root, quarters, start=Period(2026 - quarters // 4, 1))
    plain = (root / "mkdocs.yml").read_text(encoding="utf-8")
    plain = re.sub(r"\nhooks:\n  - [^\n]+\n", "\n", plain)  # only the hook module goes
    (root / "plain.yml").write_text(plain, encoding="utf-8")
    # alternate the two builds and keep the best of each: this machine's timings jitter
    hooks_times, plain_times = [], []
    for _ in range(ROUNDS):
        hooks_times.append(build(root, "mkdocs.yml", tmp / f"site-{quarters}"))
        plain_times.append(build(root, "plain.yml", tmp / f"plain-{quarters}"))
    with_hooks = (min(t[0] for t in hooks_times), min(t[1] for t in hooks_times))
    without = (min(t[0] for t in plain_times), min(t[1] for t in plain_times))
    pages = sum(1 for _ in (tmp / f"site-{quarters}").rglob("index.html"))
    return with_hooks, without, pages


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    with tempfile.TemporaryDirectory() as tmp:
        s_hooks, s_plain, s_pages = measure(small, Path(tmp))
        l_hooks, l_plain, l_pages = measure(large, Path(tmp))
    for count, hooks, plain, pages in ((small, s_hooks, s_plain, s_pages), (large, l_hooks, l_plain, l_pages)):
        print(f"{count} reports ({pages} pages): with hooks {hooks[0]:.2f} s wall / {hooks[1]:.2f} s CPU, "
              f"without {plain[0]:.2f} s / {plain[1]:.2f} s; ratio {hooks[0] / plain[0]:.2f}x wall, "
              f"{hooks[1] / plain[1]:.2f}x CPU")
    print(f"growth {large}/{small} reports, with hooks: {l_hooks[0] / s_hooks[0]:.2f}x wall, "
          f"{l_hooks[1] / s_hooks[1]:.2f}x CPU")


if __name__ == "__main__":
    main()
