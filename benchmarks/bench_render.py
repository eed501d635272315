"""Rendering the reference budget (examples/zjk-trade-union-2024.yaml), pinned to one core.

Goals (issue 4): HTML ≤ 50 ms, XLSX ≤ 200 ms, DOCX ≤ 300 ms, PDF ≤ 2 s. The document is
derived once; each writer is timed from the model (the derivation is timed separately).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import ROOT, pin_one_core, report, timeit


def main() -> None:
    pinned = pin_one_core()
    from yusuan.render import load_budget, render
    from yusuan.render.derive import derive

    budget = load_budget(ROOT / "examples" / "zjk-trade-union-2024.yaml")
    doc = derive(budget)
    note = "pinned" if pinned else "not pinned"
    report("render derive (budget → model)", timeit(lambda: derive(budget), repeat=30), note=note)
    report("render md", timeit(lambda: render(doc, "md"), repeat=30), note=note)
    for fmt, goal, repeat in (("html", 0.050, 30), ("xlsx", 0.200, 15), ("docx", 0.300, 10), ("pdf", 2.0, 5)):
        report(f"render {fmt}", timeit(lambda f=fmt: render(doc, f), repeat=repeat, warmup=1), goal=goal,
               note=note)


if __name__ == "__main__":
    main()
