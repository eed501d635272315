"""Parsing the reference document in-process (goal: median ≤ 5 ms on one core) and the
start-up of ``yusuan --help`` (goal ≤ 300 ms).

The parse is timed as installed (the parser's hot modules compiled with mypyc where
``make install`` could build them, see docs/parsing.md "Speed") and, as the baseline, from
the pure-Python sources alone (a child process with ``YUSUAN_PURE=1``).

    python benchmarks/bench_parse.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import REFERENCE, ROOT, pin_one_core, report, timeit


def parse_times(repeat: int = 200) -> list[float]:
    from yusuan.parse import read_bytes

    data = REFERENCE.read_bytes()
    return timeit(lambda: read_bytes(data, "reference.md"), repeat=repeat, warmup=10)


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        pin_one_core()
        print(json.dumps(parse_times()))
        return
    env = {**os.environ, "YUSUAN_PURE": "1"}
    pure = json.loads(subprocess.run([sys.executable, __file__, "--child"], env=env, check=True,
                                     capture_output=True, text=True).stdout)
    pinned = pin_one_core()
    times = parse_times()
    from yusuan.parse import _accel

    compiled = _accel.in_use()
    note = ("pinned" if pinned else "not pinned") + (
        f", compiled: {'+'.join(compiled)}" if compiled else ", pure Python (no compiled modules)")
    report("parse reference markdown (in-process, as installed)", times, goal=0.005, note=note)
    report("parse reference markdown (in-process, pure Python)", pure, goal=0.005,
           note="pinned, YUSUAN_PURE=1")
    if compiled:
        print(f"compiled/pure: {statistics.median(times) / statistics.median(pure):.2f}")

    exe = ROOT / ".venv" / "bin" / "yusuan"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "yusuan", "--help"]
    startup = timeit(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat=10,
                     warmup=1)
    report("yusuan --help start-up", startup, goal=0.300)


if __name__ == "__main__":
    main()
