"""Parse + audit of the reference document in-process: median over repeated runs,
against the goal of ≤ 20 ms on one core (issue 3).

    taskset -c 0 .venv/bin/python benchmarks/bench_audit.py [--runs 50] [--shared ../shared]

Prints wall-clock medians and CPU-time medians (``time.process_time``): on a machine
shared with other jobs the wall clock includes time the process waited for the core,
the CPU time much less so.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

GOAL_MS = 20.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--shared", default=os.environ.get("YUSUAN_SHARED",
                                                       str(Path(__file__).resolve().parents[1].parent / "shared")))
    args = ap.parse_args()
    path = Path(args.shared) / "samples" / "zjk-trade-union-2024-budget.md"
    data = path.read_bytes()

    from yusuan.audit import audit
    from yusuan.parse import read_bytes

    doc = read_bytes(data, str(path))
    audit(doc)  # warm: rule modules and catalogue loaded once per process
    parse_ms, audit_ms, both_ms = [], [], []
    parse_cpu, audit_cpu, both_cpu = [], [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        doc = read_bytes(data, str(path))
        t1, c1 = time.perf_counter(), time.process_time()
        audit(doc)
        t2, c2 = time.perf_counter(), time.process_time()
        parse_ms.append((t1 - t0) * 1000)
        audit_ms.append((t2 - t1) * 1000)
        both_ms.append((t2 - t0) * 1000)
        parse_cpu.append((c1 - c0) * 1000)
        audit_cpu.append((c2 - c1) * 1000)
        both_cpu.append((c2 - c0) * 1000)
    med = statistics.median(both_ms)
    cpu = statistics.median(both_cpu)
    print(f"parse   median {statistics.median(parse_ms):7.2f} ms  (cpu {statistics.median(parse_cpu):7.2f} ms)")
    print(f"audit   median {statistics.median(audit_ms):7.2f} ms  (cpu {statistics.median(audit_cpu):7.2f} ms)")
    print(f"parse+audit median {med:7.2f} ms  (goal ≤ {GOAL_MS:.0f} ms; ratio {med / GOAL_MS:.2f})")
    print(f"parse+audit cpu    {cpu:7.2f} ms  (ratio {cpu / GOAL_MS:.2f})")


if __name__ == "__main__":
    main()
