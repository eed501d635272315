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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import CORPUS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = CORPUS  # ../shared/corpus, or YUSUAN_SHARED / YUSUAN_CORPUS
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
# VmHWM, not ru_maxrss: Linux carries the parent's peak over fork+exec into ru_maxrss.
with open("/proc/self/status") as status:
    hwm = next((line.split()[1] for line in status if line.startswith("VmHWM:")), None)
print(int(hwm) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


Cells = dict[int, list[tuple[tuple[float, float, float, float], str]]]


def _yusuan(data: bytes, name: str) -> tuple[Cells, dict[int, str]]:
    """Per page: the grid cells (box, text), and all the page's free text joined."""
    from yusuan.parse.pdf import read_raw
    from yusuan.parse.raw import RawGrid

    doc = read_raw(data, name)
    cells: Cells = {}
    text: dict[int, str] = {}
    for b in doc.blocks:
        if b.page is None:
            continue
        if isinstance(b, RawGrid):
            for row in b.rows:
                for c in row:
                    if not c.covered and c.box is not None:
                        cells.setdefault(b.page, []).append((c.box, c.text))
        else:
            text[b.page] = text.get(b.page, "") + b.text
    return cells, text


def _plumber(data: bytes) -> Cells:
    """Per page: pdfplumber's table cells (box, text) from ``find_tables``/``extract``,
    the same work as ``extract_tables``."""
    import io

    import pdfplumber

    out: Cells = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            for table in page.find_tables():
                for row, texts in zip(table.rows, table.extract(), strict=False):
                    for box, text in zip(row.cells, texts, strict=False):
                        if box is not None:
                            out.setdefault(i, []).append((box, text or ""))
            page.flush_cache()
    return out


def _key(text: str | None) -> str:
    from yusuan.model.text import compact

    return compact(text or "")


def agreement(ours: Cells, text: dict[int, str], theirs: Cells) -> tuple[int, int, int]:
    """Over pdfplumber's non-empty cells: (total, read identically by a yusuan cell at the
    same place, read as text outside yusuan's grids instead — titles and unit lines
    printed inside a table's frame)."""
    total = same = as_text = 0
    for page, cells in theirs.items():
        mine = ours.get(page, [])
        free = _key(text.get(page, ""))
        for (x0, top, x1, bottom), t in cells:
            key = _key(t)
            if not key:
                continue
            total += 1
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            hit = next((m for m in mine if m[0][0] <= cx <= m[0][2] and m[0][1] <= cy <= m[0][3]), None)
            if hit is not None and _key(hit[1]) == key:
                same += 1
            elif hit is None and key in free:
                as_text += 1
    return total, same, as_text


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
    print(
        f"{'file':<40} {'pages':>5} {'yusuan s':>9} {'plumber s':>9} {'ratio':>6} "
        f"{'same+text/cells':>18} {'peak MB y/p':>12}"
    )
    for path in files:
        data = path.read_bytes()
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(data))
        ours: Cells = {}
        text: dict[int, str] = {}
        t_ours = []
        for _ in range(max(args.repeat, 1)):
            t = time.perf_counter()
            ours, text = _yusuan(data, path.name)
            t_ours.append(time.perf_counter() - t)
        theirs: Cells = {}
        t_theirs = []
        for _ in range(max(args.plumber_repeat, 1)):
            t = time.perf_counter()
            theirs = _plumber(data)
            t_theirs.append(time.perf_counter() - t)
        total, same, as_text = agreement(ours, text, theirs)
        row: dict[str, Any] = {
            "file": path.name,
            "pages": pages,
            "ours": statistics.median(t_ours),
            "theirs": statistics.median(t_theirs),
            "cells": total,
            "same": same,
            "as_text": as_text,
        }
        if not args.no_memory:
            row["peak_ours"] = peak_mb("yusuan", path)
            row["peak_theirs"] = peak_mb("pdfplumber", path)
        rows.append(row)
        peak = f"{row.get('peak_ours', 0):.0f}/{row.get('peak_theirs', 0):.0f}" if not args.no_memory else "-"
        print(
            f"{path.name[:40]:<40} {pages:>5} {row['ours']:>9.3f} {row['theirs']:>9.3f} "
            f"{row['theirs'] / row['ours']:>6.1f} {same:>5}+{as_text:<3}/{total:<6} {peak:>12}",
            flush=True,
        )
    pages = sum(r["pages"] for r in rows)
    ours_s = sum(r["ours"] for r in rows)
    theirs_s = sum(r["theirs"] for r in rows)
    cells = sum(r["cells"] for r in rows)
    same = sum(r["same"] for r in rows)
    as_text = sum(r["as_text"] for r in rows)
    print()
    print(f"pages: {pages}")
    print(f"yusuan:     {pages / ours_s:8.1f} pages/s ({ours_s:.2f} s, median of {args.repeat} per file)")
    print(f"pdfplumber: {pages / theirs_s:8.1f} pages/s ({theirs_s:.2f} s)")
    print(
        f"ratio:      {theirs_s / ours_s:8.1f}x  "
        f"(goal {GOAL_RATIO:.0f}x: {'met' if theirs_s / ours_s >= GOAL_RATIO else 'NOT met'})"
    )
    print(
        f"cells:      {same}/{cells} of pdfplumber's non-empty cells read identically "
        f"({100 * same / max(cells, 1):.2f}%), {as_text} more read as text outside a grid "
        f"({100 * (same + as_text) / max(cells, 1):.2f}% in all)"
    )
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
