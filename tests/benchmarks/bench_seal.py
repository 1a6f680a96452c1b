"""Benchmark: ``baocao pdf 2025-Q3 --signature-fields`` and ``baocao sign`` of the seed report.

Goal (issue 20): each at most 3 s, as a user runs it: the command in a Git repository (a
copy of this one's content, committed), Python writing its bytecode, the check's cache
warm (a first run is not counted). The signing key is a PKCS#12 file made here
(tests/pki.py). Run by hand:

    env -u PYTHONDONTWRITEBYTECODE python tests/benchmarks/bench_seal.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import copy_repo  # noqa: E402
from pki import make_ca, make_signer, write_pkcs12  # noqa: E402

GOAL_SECONDS = 3.0


def timed(args: list[str], cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_repo(Path(tmp) / "kho")
        for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "x"]):
            subprocess.run(["git", *args], cwd=root, check=True)
        ca = make_ca()
        p12 = write_pkcs12(make_signer(ca, "Trương Thị Toan"), ca, Path(tmp) / "k.p12", "bench")
        (Path(tmp) / "pin").write_text("bench\n")
        baocao = [sys.executable, "-m", "baocao"]
        pdf = [*baocao, "pdf", "2025-Q3", "--signature-fields", "-o", str(Path(tmp) / "bao-cao.pdf")]
        timed(pdf, root)  # warm: bytecode written, the check's cache filled
        pdf_times = [timed(pdf, root) for _ in range(rounds)]
        sign_times = []
        for n in range(rounds + 1):
            out = Path(tmp) / f"da-ky-{n}.pdf"
            took = timed([*baocao, "sign", str(Path(tmp) / "bao-cao.pdf"), "-o", str(out), "--pkcs12", str(p12),
                          "--pin-file", str(Path(tmp) / "pin")], root)
            if n:
                sign_times.append(took)
    for name, times in (("baocao pdf --signature-fields", pdf_times), ("baocao sign (PKCS#12)", sign_times)):
        median = statistics.median(times)
        print(f"{name}: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f}) over {len(times)} runs; "
              f"goal ≤ {GOAL_SECONDS:.0f} s: {median / GOAL_SECONDS:.2f}× the goal, "
              + ("met" if median <= GOAL_SECONDS else "NOT met"))


if __name__ == "__main__":
    main()
