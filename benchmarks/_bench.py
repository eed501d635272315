"""Tiny shared helpers for the benchmark scripts: timing with medians, pinning to one
core, peak memory, and one uniform result line that ``run.py`` collects.

Each line printed by ``report`` reads::

    BENCH <name>: median 3.21 ms (goal 5 ms, ratio 0.64) [n=50, cores=2, pinned]

``ratio`` is median / goal (below 1 meets the goal), or median / baseline where a
benchmark compares against another library.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("YUSUAN_SHARED", ROOT.parent / "shared"))
CORPUS = Path(os.environ.get("YUSUAN_CORPUS", SHARED / "corpus"))
REFERENCE = SHARED / "samples" / "zjk-trade-union-2024-budget.md"


def pin_one_core() -> bool:
    """Run this process on one core (the goals are stated per core)."""
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return True
    except (AttributeError, OSError):
        return False


#: Warm-up lasts at least this long: on this project's virtual machine a core that was idle
#: runs measurably slower for its first second or so of work (the same 4 ms parse measured
#: 7.3 ms in a burst's first run and 3.8 ms in the next two), so short benchmarks time the
#: steady state only after a second of work.
WARMUP_SECONDS = 1.0


def timeit(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> list[float]:
    """Wall times in seconds of ``repeat`` calls after ``warmup`` calls (and at least
    ``WARMUP_SECONDS`` of them)."""
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < WARMUP_SECONDS:
        fn()
        done += 1
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def calibration() -> float:
    """Median seconds of a fixed pure-Python loop on this core: printed beside the figures so
    that runs at different times can be compared (this project's virtual machine drifts;
    docs/benchmarks.md)."""

    def work() -> int:
        total = 0
        for i in range(200_000):
            total += i * i
        return total

    return statistics.median(timeit(work, repeat=15, warmup=1))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, seconds: list[float] | float, goal: float | None = None, unit: str = "ms",
           baseline: float | None = None, note: str = "") -> str:
    """Print one result line; ``goal``/``baseline`` in seconds (for ``ms``/``s``) or in the
    same unit as the value otherwise."""
    med = statistics.median(seconds) if isinstance(seconds, list) else seconds
    n = len(seconds) if isinstance(seconds, list) else 1
    scale = {"ms": 1000.0, "s": 1.0}.get(unit, 1.0)
    parts = [f"median {med * scale:.2f} {unit}"]
    if goal is not None:
        parts.append(f"goal {goal * scale:g} {unit}, ratio {med / goal:.2f}")
    if baseline is not None:
        parts.append(f"baseline {baseline * scale:.2f} {unit}, ratio {med / baseline:.2f}")
    line = f"BENCH {name}: {parts[0]}" + (f" ({'; '.join(parts[1:])})" if parts[1:] else "")
    line += f" [n={n}, cores={os.cpu_count()}{', ' + note if note else ''}]"
    print(line, flush=True)
    return line
