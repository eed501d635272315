"""Parse + audit of the reference document in-process: median over repeated runs,
against the goal of ≤ 20 ms on one core (issue 3).

    .venv/bin/python benchmarks/bench_audit.py [--runs 50] [--shared ../shared]
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
    for _ in range(args.runs):
        t0 = time.perf_counter()
        doc = read_bytes(data, str(path))
        t1 = time.perf_counter()
        audit(doc)
        t2 = time.perf_counter()
        parse_ms.append((t1 - t0) * 1000)
        audit_ms.append((t2 - t1) * 1000)
        both_ms.append((t2 - t0) * 1000)
    med = statistics.median(both_ms)
    print(f"parse   median {statistics.median(parse_ms):7.2f} ms")
    print(f"audit   median {statistics.median(audit_ms):7.2f} ms")
    print(f"parse+audit median {med:7.2f} ms  (goal ≤ {GOAL_MS:.0f} ms; ratio {med / GOAL_MS:.2f})")


if __name__ == "__main__":
    main()
