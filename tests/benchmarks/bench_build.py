"""Benchmark: the cost of the hooks in a full build, and how it grows with the archive.

Builds fictional archives of 40 and 400 reports (tests/sample_archive.py), committed to a
Git repository as users keep them, with the hook
module (assembled report pages, tables, charts, generated pages) and with the same
Markdown and the hook module removed from mkdocs.yml, alternating the two, seven rounds.
Each build is a fresh ``mkdocs build`` process. Reports, for wall and CPU time (user +
system), the ratio of the best times and the median of each round's ratio: on this
shared machine single timings jitter by ±20 %.

With ``--ram`` the sites are written to /dev/shm, which takes the disk out of the
comparison (the ratio of the computing alone, the stricter figure). Run by hand:

    python tests/benchmarks/bench_build.py [--ram] [--seed] [SMALL] [LARGE]

With ``--seed`` the archive is made of copies of the real report (the shipped 2025-Q3
quarter) moved to the quarters before it, dates shifted with them, as ``bench_serve.py``
makes them: long real text instead of the fictional archive's short paragraphs.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_serve import seed_archive  # noqa: E402

from baocao.periods import FIRST_YEAR, Period  # noqa: E402
from conftest import commit_all  # noqa: E402
from sample_archive import generate  # noqa: E402

ROUNDS = 7
#: issue 15: a 10-year archive builds in at most 1.25x the time of the same Markdown without the hooks.
GOAL_REPORTS, GOAL_RATIO = 40, 1.25
# Python writes the package's bytecode cache as it would on a user's machine (some
# sandboxes turn that off, which makes every build compile the hooks afresh).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "NO_MKDOCS_2_WARNING": "1"}


def build(root: Path, config: str, site: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build in a fresh process."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                            cwd=root, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu


def measure(quarters: int, tmp: Path, out: Path, seed: bool = False) -> dict:
    root = tmp / f"archive-{quarters}"
    if seed:
        seed_archive(root, quarters)
    else:
        generate(root, quarters, start=Period(max(FIRST_YEAR, 2026 - quarters // 4), 1))
    plain = (root / "mkdocs.yml").read_text(encoding="utf-8")
    plain = re.sub(r"\nhooks:\n  - [^\n]+\n", "\n", plain)  # only the hook module goes
    (root / "plain.yml").write_text(plain, encoding="utf-8")
    commit_all(root)  # as users keep it: the Git-dates plugin reads each file's last commit
    hooks_times, plain_times = [], []
    for _ in range(ROUNDS):
        hooks_times.append(build(root, "mkdocs.yml", out / f"site-{quarters}"))
        plain_times.append(build(root, "plain.yml", out / f"plain-{quarters}"))
    pages = sum(1 for _ in (out / f"site-{quarters}").rglob("index.html"))
    result = {"pages": pages}
    for index, kind in enumerate(("wall", "CPU")):
        with_hooks = [t[index] for t in hooks_times]
        without = [t[index] for t in plain_times]
        rounds = [h / p for h, p in zip(with_hooks, without, strict=True)]
        result[kind] = (min(with_hooks), min(without), min(with_hooks) / min(without),
                        statistics.median(rounds), sorted(rounds))
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if a not in ("--ram", "--seed")]
    ram = "--ram" in sys.argv[1:]
    seed = "--seed" in sys.argv[1:]
    small = int(args[0]) if args else 40
    large = int(args[1]) if len(args) > 1 else 400
    with tempfile.TemporaryDirectory() as tmp, \
            tempfile.TemporaryDirectory(dir="/dev/shm" if ram else None) as out:
        results = {count: measure(count, Path(tmp), Path(out), seed) for count in (small, large)}
    print(f"sites written to {'RAM (/dev/shm)' if ram else 'disk'}; {ROUNDS} rounds")
    for count, result in results.items():
        print(f"{count} reports ({result['pages']} pages):")
        for kind in ("wall", "CPU"):
            hooks, plain, best, median, rounds = result[kind]
            print(f"  {kind:4}: with hooks {hooks:.2f} s, without {plain:.2f} s; "
                  f"ratio {best:.2f}x (best times), {median:.2f}x (median of rounds; rounds "
                  + " ".join(f"{r:.2f}" for r in rounds) + ")")
    for kind in ("wall", "CPU"):
        growth = results[large][kind][0] / results[small][kind][0]
        print(f"growth {large}/{small} reports with hooks, {kind}: {growth:.2f}x")
    if small == GOAL_REPORTS:
        best, median = results[small]["CPU"][2:4]
        print(f"goal: {GOAL_REPORTS} reports in at most {GOAL_RATIO}x the build without the hooks (CPU): "
              + ("met" if max(best, median) <= GOAL_RATIO else "NOT met")
              + f" ({best:.2f}x best times, {median:.2f}x median of rounds)")


if __name__ == "__main__":
    main()
