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
from _bench import REFERENCE, ROOT, calibration, pin_one_core, report, timeit


def parse_times(repeat: int = 200) -> list[float]:
    from yusuan.parse import read_bytes

    data = REFERENCE.read_bytes()
    return timeit(lambda: read_bytes(data, "reference.md"), repeat=repeat, warmup=10)


def clear_caches() -> int:
    """Empties the parser's memo tables (``lru_cache`` of normalise/amount/title helpers,
    the markdown reader's shared cells): the next parse is a first parse. Returns how
    many were cleared."""
    import importlib

    n = 0
    for name in ("yusuan.model.text", "yusuan.model.codes", "yusuan.parse.layouts",
                 "yusuan.parse.project", "yusuan.parse.assemble", "yusuan.parse.markdown"):
        module = importlib.import_module(name)
        for obj in list(vars(module).values()):
            if callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()
                n += 1
    from yusuan.parse import markdown

    markdown._CELLS.clear()
    return n + 1


def cold_parse_times(repeat: int = 50) -> list[float]:
    """Each parse after emptying the memo tables, as for a document never seen before
    (only the clearing is outside the timing)."""
    import time

    from yusuan.parse import read_bytes

    data = REFERENCE.read_bytes()
    read_bytes(data, "reference.md")
    out = []
    for _ in range(repeat):
        clear_caches()
        t = time.perf_counter()
        read_bytes(data, "reference.md")
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        pin_one_core()
        print(json.dumps(parse_times()))
        return
    env = {**os.environ, "YUSUAN_PURE": "1"}
    pure = json.loads(subprocess.run([sys.executable, __file__, "--child"], env=env, check=True,
                                     capture_output=True, text=True).stdout)
    pinned = pin_one_core()
    report("machine calibration loop (fixed pure-Python work, for comparing runs)", calibration())
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
    report("parse reference markdown (memo tables emptied before each parse)", cold_parse_times(),
           goal=0.005, note=note)

    exe = ROOT / ".venv" / "bin" / "yusuan"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "yusuan", "--help"]
    startup = timeit(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat=10,
                     warmup=1)
    report("yusuan --help start-up", startup, goal=0.300)


if __name__ == "__main__":
    main()
