"""Rendering the reference budget (examples/zjk-trade-union-2024.yaml), pinned to one core.

Goals (issue 4): HTML ≤ 50 ms, XLSX ≤ 200 ms, DOCX ≤ 300 ms, PDF ≤ 2 s. The document is
derived once; each writer is timed from the model (the derivation is timed separately).
Besides the wall-clock median (what the goal is about) each writer's median CPU time of
this process is printed: on a shared machine it shows the cost without the waiting.

    python benchmarks/bench_render.py            # every format
    python benchmarks/bench_render.py pdf docx   # only these
    python benchmarks/bench_render.py pdf-ab     # PDF writer vs WeasyPrint on the full HTML page

``pdf-ab`` interleaves the PDF writer with the previous paths in one process: the writer
with the installed fonts only (no Noto Serif CJK SC subset, ``render.fonts``) and
``weasyprint.HTML`` on the page ``render.html`` writes (WeasyPrint's own parser and
user-agent sheet, installed fonts). It prints each CPU median and its ratio to the HTML
page's: on a shared machine the ratios are steadier than the figures. The subset is
built (or found in the cache) before anything is timed.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import ROOT, calibration, pin_one_core, report, timeit

GOALS = {"html": (0.050, 30), "xlsx": (0.200, 15), "docx": (0.300, 10), "pdf": (2.0, 5)}


def cpu_times(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        out.append(time.process_time() - t)
    return out


def pdf_ab(repeat: int = 7) -> None:
    """CPU time of the PDF writer (with and without the font subset) against WeasyPrint on
    the full HTML page, interleaved."""
    from weasyprint import HTML

    from yusuan.render import fonts, html, load_budget, pdf
    from yusuan.render.derive import derive
    from yusuan.render.layout import layout

    printed = layout(derive(load_budget(ROOT / "examples" / "zjk-trade-union-2024.yaml")))
    subset = fonts.subset_faces()
    print(f"font subset: {len(subset.faces)} faces" + (f" ({subset.problem})" if subset.problem else ""))
    config = pdf._font_config(False)
    runs = {
        "html page": lambda: HTML(string=html.write(printed)).write_pdf(font_config=config),
        "writer, installed fonts": lambda: pdf.write(printed, subset_fonts=False),
        "writer": lambda: pdf.write(printed),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for fn in runs.values():
        fn()
    for _ in range(repeat):
        for name, fn in runs.items():
            times[name] += cpu_times(fn, 1)
    base = statistics.median(times["html page"])
    report("render pdf-ab html page cpu", times["html page"], note="CPU time, interleaved")
    for name in list(runs)[1:]:
        report(f"render pdf-ab {name} cpu", times[name], baseline=base, note="CPU time, interleaved")


def main(formats: list[str]) -> None:
    pinned = pin_one_core()
    report("machine calibration loop (fixed pure-Python work, for comparing runs)", calibration())
    if "pdf-ab" in formats:
        pdf_ab()
        formats = [f for f in formats if f != "pdf-ab"]
        if not formats:
            return
    from yusuan.render import load_budget, render
    from yusuan.render.derive import derive

    budget = load_budget(ROOT / "examples" / "zjk-trade-union-2024.yaml")
    doc = derive(budget)
    note = "pinned" if pinned else "not pinned"
    if not formats:
        report("render derive (budget → model)", timeit(lambda: derive(budget), repeat=30), note=note)
        report("render md", timeit(lambda: render(doc, "md"), repeat=30), note=note)
    for fmt, (goal, repeat) in GOALS.items():
        if formats and fmt not in formats:
            continue
        run = lambda f=fmt: render(doc, f)  # noqa: E731
        report(f"render {fmt}", timeit(run, repeat=repeat, warmup=1), goal=goal, note=note)
        report(f"render {fmt} cpu", cpu_times(run, max(3, repeat // 2)), goal=goal, note=note + ", CPU time")


if __name__ == "__main__":
    main(sys.argv[1:])
