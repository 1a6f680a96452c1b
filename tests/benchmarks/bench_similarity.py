"""Benchmark: what the comparison with the previous quarter adds to ``baocao check``.

Issue 22's goal: the similarity check adds at most 10 % to ``baocao check`` on a 10-year
archive. Generates 40 quarters (440 section files) with tests/sample_archive.py, each
section about 640 words (the real report's sections average 420), in a Git repository,
then times the whole ``baocao check`` process with the rule and without it, in turn
(A B A B ...: the ratio is taken pair by pair), cold (``--no-cache``, as CI runs it on a
fresh clone) and warm (files and similarities from the check's cache, as a clerk runs it
again), in wall time and in CPU time (user + system: steadier on a shared machine). Also times
the word diff of the worst body the check accepts (10,000 lines) against a real section,
which a section page draws. Run by hand, with Python writing bytecode as users run it:

    python tests/benchmarks/bench_similarity.py [QUARTERS] [--rounds N]

``--check ROOT [--without-similarity] [--no-cache]`` is the measured process itself: the
check as ``baocao check`` runs it, optionally with the comparison rule left out.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: issue 22: the comparison adds at most 10 % to the check.
GOAL_RATIO = 1.10


def check_process(argv: list[str]) -> int:
    """The measured process: ``baocao check`` in ROOT, with or without the comparison rule."""
    root = argv[0]
    from baocao.cli import main  # first in both: modules imported in the order `baocao check` imports them

    if "--without-similarity" in argv:
        from baocao.check import copied  # already imported by the CLI: only the rule is left out

        copied.RULES = ()

    return main(["--root", root, "check", *(["--no-cache"] if "--no-cache" in argv else [])])


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(root: Path, cold: bool, rounds: int) -> dict[str, tuple[float, float, float]]:
    """For wall and CPU time: median seconds with the rule, without it, and the median of
    the pairs' ratios (A B A B ...: a drift of the machine's speed cancels out)."""
    base = [sys.executable, __file__, "--check", str(root)] + (["--no-cache"] if cold else [])
    timed(base, root)  # warm-up (and the caches, for the warm runs)
    timed(base + ["--without-similarity"], root)
    runs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for _ in range(rounds):
        runs.append((timed(base, root), timed(base + ["--without-similarity"], root)))
    out = {}
    for index, name in enumerate(("wall", "cpu")):
        a = [pair[0][index] for pair in runs]
        b = [pair[1][index] for pair in runs]
        out[name] = (statistics.median(a), statistics.median(b),
                     statistics.median(x / y for x, y in zip(a, b, strict=True)))
    return out


def worst_diff() -> tuple[float, int]:
    """Seconds to diff a 10,000-line body against the seed's longest section, and the words shown."""
    from baocao.compile import compare

    real = (Path(__file__).resolve().parents[2] / "docs/reports/2025-q3/tinh-hinh-chung.md").read_text(
        encoding="utf-8").split("\n---\n", 1)[1]
    hostile = "\n".join(f"Dòng {i} của phần dài \u202e{'x' * 8} " + "y" * (i % 97) for i in range(10_000))
    best = float("inf")
    for _ in range(3):
        compare.words.cache_clear()  # as a page does: each text's words made afresh
        start = time.perf_counter()
        diff = compare.word_diff(real, hostile)
        best = min(best, time.perf_counter() - start)
    shown = sum(len(s.text.split()) for s in diff.segments)
    return best, shown


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("quarters", nargs="?", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    quarters, rounds = options.quarters, options.rounds
    from baocao.periods import Period
    from sample_archive import generate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        generate(root, quarters, start=Period(2016, 1), paragraphs=5)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "sample"],
                       cwd=root, check=True)
        files = sum(1 for _ in (root / "docs").rglob("*.md"))
        print(f"{quarters} quarters, {files} Markdown files, {rounds} pairs each (median)")
        for label, cold in (("cold (--no-cache, as CI on a fresh clone)", True),
                            ("warm (the check's cache, as a clerk's second run)", False)):
            print(f"baocao check {label}:")
            for name, (a, b, ratio) in paired(root, cold, rounds).items():
                verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
                print(f"  {name}: {a:.3f} s with the comparison, {b:.3f} s without: "
                      f"{ratio:.3f}x (goal at most {GOAL_RATIO:.2f}x: {verdict})")
    seconds, shown = worst_diff()
    print(f"word diff of a 10,000-line body against a real section: {seconds * 1000:.0f} ms, {shown} words shown")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "hooks"))
        sys.exit(check_process(sys.argv[2:]))
    main()
