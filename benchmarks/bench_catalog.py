"""The catalogue: building it from the packaged CSVs (goal ≤ 50 ms on one core), single
look-ups (goal ≤ 5 µs for ``get``, ≤ 2 ms for a name search) and ``yusuan catalog 2080505``
as a command (goal ≤ 400 ms, start-up included)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import ROOT, pin_one_core, report, timeit


def main() -> None:
    pinned = pin_one_core()
    from yusuan.catalog import SCHEMES, Catalog, load_catalog, parse_rows, read_data

    def build() -> Catalog:
        return Catalog(e for s in SCHEMES for e in parse_rows(s, read_data(s)))

    report("catalog build from CSVs", timeit(build, repeat=30), goal=0.050,
           note="pinned" if pinned else "not pinned")
    cat = load_catalog()
    codes = [e.code for e in cat.entries if e.scheme == "function"]
    report("catalog get (per look-up)",
           [t / len(codes) for t in timeit(lambda: [cat.get("function", c, 2024) for c in codes],
                                           repeat=30)],
           goal=5e-6)
    report("catalog search '养老'", timeit(lambda: cat.search("养老", year=2024), repeat=200),
           goal=0.002)
    exe = ROOT / ".venv" / "bin" / "yusuan"
    cmd = [str(exe), "catalog", "2080505"] if exe.exists() else [
        sys.executable, "-m", "yusuan", "catalog", "2080505"]
    report("yusuan catalog 2080505 (process)",
           timeit(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat=10,
                  warmup=1), goal=0.400)


if __name__ == "__main__":
    main()
