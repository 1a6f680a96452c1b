"""Benchmark: the cost of the hooks in a full build, and how it grows with the archive.

Builds fictional archives of 40 and 400 reports (tests/sample_archive.py) twice each:
with the hook module (assembled report pages, tables, charts, generated pages) and with
the same Markdown and the hook module removed from mkdocs.yml. Run by hand:

    python tests/benchmarks/bench_build.py [SMALL] [LARGE]
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

from baocao.periods import Period  # noqa: E402
from sample_archive import generate  # noqa: E402

ROUNDS = 5


def build(root: Path, config: str, site: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                            cwd=root, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return time.perf_counter() - start


def measure(quarters: int, tmp: Path) -> tuple[float, float, int]:
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
    with_hooks, without = min(hooks_times), min(plain_times)
    pages = sum(1 for _ in (tmp / f"site-{quarters}").rglob("index.html"))
    return with_hooks, without, pages


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    with tempfile.TemporaryDirectory() as tmp:
        s_hooks, s_plain, s_pages = measure(small, Path(tmp))
        l_hooks, l_plain, l_pages = measure(large, Path(tmp))
    print(f"{small} reports: with hooks {s_hooks:.2f} s ({s_pages} pages), without {s_plain:.2f} s, "
          f"ratio {s_hooks / s_plain:.2f}x")
    print(f"{large} reports: with hooks {l_hooks:.2f} s ({l_pages} pages), without {l_plain:.2f} s, "
          f"ratio {l_hooks / l_plain:.2f}x")
    print(f"growth {large}/{small} reports, with hooks: {l_hooks / s_hooks:.2f}x")


if __name__ == "__main__":
    main()
