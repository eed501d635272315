"""Parsing the reference document in-process (goal: median ≤ 5 ms on one core) and the
start-up of ``yusuan --help`` (goal ≤ 300 ms)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import REFERENCE, ROOT, pin_one_core, report, timeit


def main() -> None:
    pinned = pin_one_core()
    from yusuan.parse import read_bytes

    data = REFERENCE.read_bytes()
    times = timeit(lambda: read_bytes(data, "reference.md"), repeat=200, warmup=10)
    report("parse reference markdown (in-process)", times, goal=0.005,
           note="pinned" if pinned else "not pinned")

    exe = ROOT / ".venv" / "bin" / "yusuan"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "yusuan", "--help"]
    startup = timeit(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat=10,
                     warmup=1)
    report("yusuan --help start-up", startup, goal=0.300)


if __name__ == "__main__":
    main()
