"""Run every benchmark (``benchmarks/bench_*.py``) and print their result lines.

    .venv/bin/python benchmarks/run.py            # all
    .venv/bin/python benchmarks/run.py parse pdf  # those whose name contains a word

Each script prints lines ``BENCH <name>: median … (goal …, ratio …)``; this runner
collects them into one summary at the end. Benchmarks are measurements, not tests: they
never fail on a missed goal.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(w in s.stem for w in argv)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    lines: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stdout.write(proc.stderr[-2000:])
            lines.append(f"FAILED {script.name} (exit {proc.returncode})")
        lines.extend(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))
    print("\n== summary")
    for ln in lines:
        print(ln)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
