"""PDF reading speed, peak memory and cell agreement: yusuan's reader against pdfplumber's
``extract_tables`` on the same files in the same run.

    .venv/bin/python benchmarks/bench_pdf.py [--corpus DIR] [--repeat N] [--no-memory]

For every PDF of the corpus it prints the pages, the median time of each reader, the
ratio, the peak resident memory of a fresh process reading that one file (each reader),
and the share of pdfplumber's table cells that yusuan read with the same text
(whitespace ignored; tables matched per page in reading order). The goal (issue 5):
at least 3× pdfplumber's speed, every cell right, ≤ 200 MB peak for a 30-page document.
Timings on a shared machine are noisy: run it again rather than trust one figure.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
GOAL_RATIO = 3.0
GOAL_PEAK_MB = 200.0

_PEAK = """
import resource, sys
from pathlib import Path
data = Path(sys.argv[2]).read_bytes()
if sys.argv[1] == "yusuan":
    from yusuan.parse.pdf import read_raw
    read_raw(data, sys.argv[2])
else:
    import pdfplumber, io
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.flush_cache()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _yusuan(data: bytes, name: str) -> dict[int, list[list[list[str]]]]:
    from yusuan.parse.pdf import read_raw
    from yusuan.parse.raw import RawGrid

    doc = read_raw(data, name)
    out: dict[int, list[list[list[str]]]] = {}
    for b in doc.blocks:
        if isinstance(b, RawGrid) and b.page is not None:
            out.setdefault(b.page, []).append([[c.text for c in row] for row in b.rows])
    return out


def _plumber(data: bytes) -> dict[int, list[list[list[str | None]]]]:
    import io

    import pdfplumber

    out: dict[int, list[list[list[str | None]]]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            tables = page.extract_tables()
            if tables:
                out[i] = tables
            page.flush_cache()
    return out


def _key(text: str | None) -> str:
    from yusuan.model.text import compact

    return compact(text or "")


def agreement(ours: dict[int, list[list[list[str]]]], theirs: dict[int, list[list[list[str | None]]]]) -> tuple[int, int]:
    """(cells of pdfplumber's tables with text, those yusuan read identically)."""
    total = same = 0
    for page, tables in theirs.items():
        mine = ours.get(page, [])
        # Match each pdfplumber table to one of ours with the same shape, in order.
        used: set[int] = set()
        for table in tables:
            cells = [(r, c, _key(t)) for r, row in enumerate(table) for c, t in enumerate(row) if _key(t)]
            total += len(cells)
            for k, grid in enumerate(mine):
                if k in used or len(grid) != len(table) or (grid and len(grid[0]) != len(table[0])):
                    continue
                used.add(k)
                same += sum(1 for r, c, t in cells if _key(grid[r][c]) == t)
                break
    return total, same


def peak_mb(reader: str, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, reader, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="runs of yusuan per file (median)")
    ap.add_argument("--plumber-repeat", type=int, default=1, help="runs of pdfplumber per file (median)")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.pdf"))
    if not files:
        print(f"no PDF in {args.corpus}", file=sys.stderr)
        return 2
    rows: list[dict[str, Any]] = []
    print(f"{'file':<40} {'pages':>5} {'yusuan s':>9} {'plumber s':>9} {'ratio':>6} {'agree':>12} {'peak MB y/p':>12}")
    for path in files:
        data = path.read_bytes()
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(data))
        ours: dict[int, list[list[list[str]]]] = {}
        t_ours = []
        for _ in range(max(args.repeat, 1)):
            t = time.perf_counter()
            ours = _yusuan(data, path.name)
            t_ours.append(time.perf_counter() - t)
        theirs: dict[int, list[list[list[str | None]]]] = {}
        t_theirs = []
        for _ in range(max(args.plumber_repeat, 1)):
            t = time.perf_counter()
            theirs = _plumber(data)
            t_theirs.append(time.perf_counter() - t)
        total, same = agreement(ours, theirs)
        row: dict[str, Any] = {
            "file": path.name,
            "pages": pages,
            "ours": statistics.median(t_ours),
            "theirs": statistics.median(t_theirs),
            "cells": total,
            "same": same,
        }
        if not args.no_memory:
            row["peak_ours"] = peak_mb("yusuan", path)
            row["peak_theirs"] = peak_mb("pdfplumber", path)
        rows.append(row)
        peak = f"{row.get('peak_ours', 0):.0f}/{row.get('peak_theirs', 0):.0f}" if not args.no_memory else "-"
        print(
            f"{path.name[:40]:<40} {pages:>5} {row['ours']:>9.3f} {row['theirs']:>9.3f} "
            f"{row['theirs'] / row['ours']:>6.1f} {same:>5}/{total:<6} {peak:>12}",
            flush=True,
        )
    pages = sum(r["pages"] for r in rows)
    ours_s = sum(r["ours"] for r in rows)
    theirs_s = sum(r["theirs"] for r in rows)
    cells = sum(r["cells"] for r in rows)
    same = sum(r["same"] for r in rows)
    print()
    print(f"pages: {pages}")
    print(f"yusuan:     {pages / ours_s:8.1f} pages/s ({ours_s:.2f} s, median of {args.repeat} per file)")
    print(f"pdfplumber: {pages / theirs_s:8.1f} pages/s ({theirs_s:.2f} s)")
    print(f"ratio:      {theirs_s / ours_s:8.1f}x  (goal {GOAL_RATIO:.0f}x: {'met' if theirs_s / ours_s >= GOAL_RATIO else 'NOT met'})")
    print(f"cells:      {same}/{cells} of pdfplumber's non-empty cells read identically ({100 * same / max(cells, 1):.2f}%)")
    if not args.no_memory:
        worst = max(rows, key=lambda r: r["peak_ours"])
        print(
            f"peak RSS:   yusuan max {worst['peak_ours']:.0f} MB ({worst['file']}, {worst['pages']} pages), "
            f"pdfplumber max {max(r['peak_theirs'] for r in rows):.0f} MB (goal ≤ {GOAL_PEAK_MB:.0f} MB: "
            f"{'met' if worst['peak_ours'] <= GOAL_PEAK_MB else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
