"""Benchmark: from saving a section to seeing it on the report page under ``baocao serve``.

Makes an archive as users have it: the real report (the shipped 2025-Q3 quarter) copied
to every quarter back from 2025-Q3 (39 reports: 2016-Q1 to 2025-Q3; 159: 1986-Q1 on),
dates moved with it, inside a Git repository with everything committed. Starts
``baocao serve`` there (Python writing its bytecode, as on a user's machine), waits for
the first build, then saves a section of 2025-Q3 several times, each time with a new
sentence, and polls the served report page ``/reports/2025-q3/`` until the sentence is
there: the time from the save to that answer is the figure. Also saves a section of the
oldest report (its page, not the newest, is polled). Then, for information (no goal), saves a
figure of 2025-Q3 with a new sentence: a front-matter change draws every page again (only
those that changed are written). Run by hand:

    env -u PYTHONDONTWRITEBYTECODE python tests/benchmarks/bench_serve.py [REPORTS ...]

Prints each save's time, the median and the worst against the goal of issue 25: at most
1 s on 39 reports, 1.2 s on 159; and the CPU time the server used meanwhile (Linux), a
figure that a busy machine disturbs much less than the time; then the figure save's.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "hooks"))

from baocao.periods import Period  # noqa: E402
from conftest import commit_all, copy_repo, free_port, http_get, stop_group  # noqa: E402

#: issue 25: save-to-visible on 39 reports, and on 159.
GOALS = {39: 1.0, 159: 1.2}
SAVES = 7
SECTION = "cong-an.md"
#: The figure saved: the members at the start of the quarter, in the overview.
FIGURE_SECTION, FIGURE = "tinh-hinh-chung.md", "dang_vien_dau_ky: "
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "NO_MKDOCS_2_WARNING": "1"}
_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


LAST = Period(2025, 3)


def seed_archive(root: Path, reports: int, last: Period = LAST) -> list[Period]:
    """The shipped site with its one report copied to the ``reports - 1`` quarters before
    it, each copy's dates moved back by whole quarters; committed to a new Git repository.
    Every section says ``acknowledged: true``: in an issued report, a text that is last
    quarter's is an error unless the office acknowledges the copy (issue 22)."""
    copy_repo(root)
    source = root / "docs" / "reports" / last.slug
    periods = [last]
    for back in range(1, reports):
        index = last.year * 4 + last.quarter - 1 - back
        period = Period(index // 4, index % 4 + 1)

        def shift(match: re.Match, months: int = -3 * back) -> str:
            year, month, day = (int(g) for g in match.groups())
            month0 = year * 12 + month - 1 + months
            return dt.date(month0 // 12, month0 % 12 + 1, min(day, 28)).isoformat()

        target = root / "docs" / "reports" / period.slug
        shutil.copytree(source, target)
        for path in target.glob("*.md"):
            text = path.read_text(encoding="utf-8").replace(f"period: {last.key}", f"period: {period.key}")
            head, _, body = text.partition("\n---\n")
            path.write_text(_DATE.sub(shift, head) + "\n---\n" + body, encoding="utf-8")
        periods.append(period)
    for path in (root / "docs" / "reports").glob("*/*.md"):
        if path.name != "index.md":
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\nstatus: approved\n", "\nstatus: approved\nacknowledged: true\n", 1),
                            encoding="utf-8")
    commit_all(root)
    return sorted(periods)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the process ``pid`` and its children
    (``baocao serve`` runs MkDocs as its child); 0 where /proc is not there."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for each in [pid, *map(int, children)]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0
    return total


def _until(url: str, needle: str, timeout: float = 120) -> float:
    """Poll ``url`` until its page holds ``needle``; the time it came."""
    deadline = time.perf_counter() + timeout
    while True:
        try:
            if needle in http_get(url):
                return time.perf_counter()
        except OSError:
            pass
        if time.perf_counter() > deadline:
            raise SystemExit(f"{needle!r} never showed on {url}")
        time.sleep(0.01)


def _save(path: Path, sentence: str, figure: bool = False) -> None:
    """A new sentence at the end of ``path``; with ``figure``, the members at the start of
    the quarter one more too."""
    text = path.read_text(encoding="utf-8")
    if figure:
        head, _, rest = text.partition(FIGURE)
        number, _, rest = rest.partition("\n")
        text = f"{head}{FIGURE}{int(number) + 1}\n{rest}"
    path.write_text(text.rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")


def measure(reports: int, tmp: Path) -> tuple[list[float], list[float]]:
    """Each save's time to visible, and the server's CPU meanwhile; the figure save last."""
    root = tmp / f"archive-{reports}"
    periods = seed_archive(root, reports)
    port = free_port()
    log = open(tmp / f"serve-{reports}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    server = subprocess.Popen([sys.executable, "-m", "baocao", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=root, stdout=log, stderr=subprocess.STDOUT, env=ENV, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    times, cpus = [], []
    try:
        start = time.perf_counter()
        _until(f"{base}/reports/{periods[-1].slug}/", "ĐẢNG CỘNG SẢN VIỆT NAM")
        print(f"{reports} reports: first build served after {time.perf_counter() - start:.1f} s")
        time.sleep(1)
        targets = [(periods[-1], SECTION)] * (SAVES - 1) + [(periods[0], SECTION), (periods[-1], FIGURE_SECTION)]
        for number, (period, name) in enumerate(targets, start=1):
            path = root / "docs" / "reports" / period.slug / name
            sentence = f"Câu mới số {number} của lần đo thứ {reports}."
            saved, used = time.perf_counter(), _cpu(server.pid)
            _save(path, sentence, figure=name == FIGURE_SECTION)
            seen = _until(f"{base}/reports/{period.slug}/", sentence)
            times.append(seen - saved)
            cpus.append(_cpu(server.pid) - used)
            print(f"  save {number} ({period.label}{', a figure' if name == FIGURE_SECTION else ''}): visible after "
                  f"{times[-1]:.2f} s (the server's CPU meanwhile: {cpus[-1]:.2f} s)")
            time.sleep(1.5)
    finally:
        stop_group(server)
        log.close()
    return times, cpus


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [39, 159]
    with tempfile.TemporaryDirectory() as tmp:
        for reports in counts:
            times, cpus = measure(reports, Path(tmp))
            (figure_time, figure_cpu), times, cpus = (times[-1], cpus[-1]), times[:-1], cpus[:-1]
            median, worst = statistics.median(times), max(times)
            goal = GOALS.get(reports)
            verdict = "" if goal is None else (
                f"; goal at most {goal:.1f} s: " + ("met" if worst <= goal else "NOT met")
                + f" (median {median / goal:.2f}x the goal, worst {worst / goal:.2f}x)")
            print(f"{reports} reports: save to visible median {median:.2f} s, best {min(times):.2f} s, "
                  f"worst {worst:.2f} s{verdict}; the server's CPU per save: median "
                  f"{statistics.median(cpus):.2f} s (on a busy machine the time grows, the CPU much less)")
            print(f"{reports} reports: a figure saved (every page drawn again): visible after {figure_time:.2f} s, "
                  f"the server's CPU {figure_cpu:.2f} s (no goal)")


if __name__ == "__main__":
    main()
