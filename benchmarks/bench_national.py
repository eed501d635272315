"""Read + audit speed on the national corpus, per page, beside pdfplumber in the same run,
on one core, and peak memory on the largest document (issue 11).

    .venv/bin/python benchmarks/bench_national.py [--corpus DIR] [--repeat N]
                                                  [--plumber-pages N] [--no-memory]

For every PDF of ``corpus/national`` it times yusuan's whole job on the file — read the
PDF, assemble the model, run every audit rule — and divides by the pages (ms per page);
pdfplumber's ``extract_tables`` is timed on the same file's first ``--plumber-pages``
pages (all of them with ``--plumber-pages 0``) and likewise divided. The goal: median
≤ 10 ms per page for read + audit, at least 4× pdfplumber's speed per page (ratio of the
totals over the same documents), and ≤ 200 MB peak resident memory for the largest
document (a fresh process reading and auditing only that file).

pdfplumber is limited to the first pages by default because on the whole corpus it takes
longer than a benchmark should (about 0.3 s a page here): the per-page comparison is over
the pages each reader read.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import CORPUS, ROOT, calibration, pin_one_core, report

GOAL_MS_PER_PAGE = 10.0
GOAL_RATIO = 4.0
GOAL_PEAK_MB = 200.0

_PEAK = """
import sys
from yusuan.audit import audit
from yusuan.parse import read_bytes
from pathlib import Path
data = Path(sys.argv[1]).read_bytes()
audit(read_bytes(data, sys.argv[1]))
with open("/proc/self/status") as status:
    print(int(next(line.split()[1] for line in status if line.startswith("VmHWM:"))) / 1024)
"""


def _plumber(data: bytes, limit: int) -> tuple[float, int]:
    import io

    import pdfplumber

    t = time.perf_counter()
    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages):
            if limit and i >= limit:
                break
            page.extract_tables()
            page.flush_cache()
            n += 1
    return time.perf_counter() - t, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=CORPUS / "national")
    ap.add_argument("--repeat", type=int, default=3, help="runs of yusuan per file (median)")
    ap.add_argument("--plumber-pages", type=int, default=20, help="pages per file for pdfplumber (0: all)")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args(argv)
    pinned = pin_one_core()
    files = sorted(args.corpus.glob("*.pdf"))
    if not files:
        print(f"no PDF in {args.corpus}", file=sys.stderr)
        return 2

    import pypdfium2

    from yusuan.audit import audit
    from yusuan.parse import read_bytes
    from yusuan.parse.errors import UnreadableError

    print(f"calibration loop: {calibration() * 1000:.1f} ms; pinned to one core: {pinned}")
    print(f"{'file':<44} {'pages':>5} {'ms/page':>8} {'plumber ms/page':>15} {'ratio':>6}")
    per_page: list[float] = []
    ours_total = theirs_total = 0.0
    ours_pages = theirs_pages = 0
    largest: tuple[int, Path] | None = None
    for path in files:
        data = path.read_bytes()
        pages = len(pypdfium2.PdfDocument(data))
        if largest is None or pages > largest[0]:
            largest = (pages, path)
        times = []
        refused = False
        for _ in range(max(args.repeat, 1)):
            t = time.perf_counter()
            try:
                audit(read_bytes(data, str(path)))
            except UnreadableError:
                refused = True
            times.append(time.perf_counter() - t)
        ours = statistics.median(times)
        theirs, n = _plumber(data, args.plumber_pages)
        ms = ours * 1000 / pages
        per_page.append(ms)
        ours_total += ours
        ours_pages += pages
        theirs_total += theirs
        theirs_pages += n
        ratio = (theirs / n) / (ours / pages) if n else float("nan")
        note = " (refused: no text layer)" if refused else ""
        print(f"{path.name[:44]:<44} {pages:>5} {ms:>8.2f} {theirs * 1000 / max(n, 1):>15.1f} {ratio:>6.1f}{note}",
              flush=True)
    ours_pp = ours_total / ours_pages
    theirs_pp = theirs_total / max(theirs_pages, 1)
    print()
    print(f"documents {len(files)}, pages {ours_pages}; pdfplumber read {theirs_pages} of them")
    report("national read+audit per page (median over documents)", statistics.median(per_page) / 1000,
           goal=GOAL_MS_PER_PAGE / 1000, note="one core" if pinned else "")
    print(f"BENCH national speed vs pdfplumber per page: {theirs_pp / ours_pp:.1f}x "
          f"(goal ≥ {GOAL_RATIO:.0f}x, ratio {GOAL_RATIO / (theirs_pp / ours_pp):.2f})")
    if not args.no_memory and largest is not None:
        out = subprocess.run([sys.executable, "-c", _PEAK, str(largest[1])], capture_output=True, text=True,
                             check=False, cwd=ROOT)
        if out.returncode == 0:
            mb = float(out.stdout.strip().splitlines()[-1])
            print(f"BENCH national peak memory, largest document ({largest[1].name}, {largest[0]} pages): "
                  f"{mb:.0f} MB (goal ≤ {GOAL_PEAK_MB:.0f} MB, ratio {mb / GOAL_PEAK_MB:.2f})")
        else:
            print(f"peak memory run failed: {out.stderr[-500:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
