"""Store benchmark: ingest N synthetic documents (markdown and XLSX), a cross-department
query, and the same ingestion on a 2-worker local Dask cluster.

    .venv/bin/python benchmarks/bench_store.py            # N = 10,000 (the issue's goal)
    .venv/bin/python benchmarks/bench_store.py -n 500     # smaller, for a quick look

Prints documents per second and per core, the per-document and per-page cost, the peak
memory (main process and the largest worker), the median of the cross-department query
against its 100 ms goal, and the Dask figures. XLSX documents are produced through the
renderer (``yusuan.render``) and read back by the XLSX reader; when either is missing the
benchmark says so and uses markdown only.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERY = """
    SELECT d.department, f.code, sum(f.yuan) AS total
    FROM facts f JOIN documents d ON d.id = f.document_id
    WHERE f."table" = 'expenditure' AND f.code_level = '类' AND f."column" = '合计'
      AND d.year = 2024
    GROUP BY ALL ORDER BY total DESC LIMIT 20
"""
QUERY_GOAL_MS = 100.0


def _formats() -> tuple[str, ...]:
    from yusuan.store.synth import convert, document

    d = document(1, 0)
    try:
        from yusuan.parse import read_bytes

        read_bytes(convert(d.text, "xlsx", "probe.xlsx"), "probe.xlsx")
    except Exception as e:  # the renderer or the XLSX reader is not there yet
        print(f"xlsx: unavailable ({type(e).__name__}: {e}); markdown only")
        return ("md",)
    return ("md", "xlsx")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("-j", "--jobs", type=int, default=None)
    ap.add_argument("--dask-n", type=int, default=None, help="documents for the Dask run (default n)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--formats", default=None, help="md,xlsx (default: both when available)")
    ap.add_argument("--keep", default=None, help="folder to keep the corpus and database in")
    args = ap.parse_args()

    from yusuan.store.db import Store
    from yusuan.store.ingest import default_jobs, ingest
    from yusuan.store.synth import generate

    jobs = args.jobs or default_jobs()
    work = Path(args.keep or tempfile.mkdtemp(prefix="yusuan-bench-"))
    corpus = work / "corpus"
    formats = tuple(args.formats.split(",")) if args.formats else _formats()
    t = time.perf_counter()
    if not (corpus / "manifest.json").exists():
        generate(args.n, corpus, seed=1, error_rate=0.3, formats=formats)
    print(f"corpus: {args.n} documents ({'+'.join(formats)}) generated in {time.perf_counter() - t:.1f} s")

    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    with Store(db) as store:
        s = ingest(store, [corpus], jobs=jobs, progress=False)
        pages = store.query("SELECT coalesce(sum(pages), 0), count(*) FROM documents")[1][0]
    rate = s.files / s.seconds
    print(f"ingest: {s.files} files, stored {s.stored + s.replaced}, failed {s.failed} "
          f"in {s.seconds:.1f} s -> {rate:.1f} docs/s, {rate / jobs:.1f} docs/s per core "
          f"({jobs} processes); facts {s.facts}")
    print(f"cost: {1000 * s.parse_seconds / max(1, s.files):.1f} ms CPU per document in the workers "
          f"(parse + audit + flatten); pages recorded {pages[0]}")
    if s.failures:
        print("failures (first 3):", s.failures[:3])
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: main {me:.0f} MB, largest worker {kids:.0f} MB; database "
          f"{db.stat().st_size / 1e6:.0f} MB")

    with Store(db, read_only=True) as store:
        store.query(QUERY)
        times = []
        for _ in range(21):
            t = time.perf_counter()
            store.query(QUERY)
            times.append(1000 * (time.perf_counter() - t))
    med = statistics.median(times)
    print(f"query: cross-department (facts × documents, {s.facts} facts) median {med:.1f} ms "
          f"-> ratio to the {QUERY_GOAL_MS:.0f} ms goal {med / QUERY_GOAL_MS:.2f}")

    # one document's model, as a page not rendered ahead fetches it (docs/web.md)
    import random

    with Store(db, read_only=True) as store:
        ids = [r[0] for r in store.query("SELECT id FROM documents ORDER BY id")[1]]
        picks = random.Random(1).sample(ids, min(100, len(ids)))
        store.model_json(picks[0])
        fetch_wall, fetch_cpu = [], []
        for doc_id in picks:
            t, c = time.perf_counter(), time.process_time()
            store.model_json(doc_id)
            fetch_wall.append(1000 * (time.perf_counter() - t))
            fetch_cpu.append(1000 * (time.process_time() - c))
    print(f"model fetch: one document's model of {len(ids)}, median {statistics.median(fetch_wall):.1f} ms "
          f"wall, {statistics.median(fetch_cpu):.1f} ms CPU ({len(picks)} random documents)")

    again_t = time.perf_counter()
    with Store(db) as store:
        again = ingest(store, [corpus], jobs=jobs, progress=False)
    print(f"re-ingest: {again.unchanged} unchanged, {again.stored} stored in "
          f"{time.perf_counter() - again_t:.1f} s")

    if not args.no_dask:
        from yusuan.store.scale import ingest_dask

        n = args.dask_n or args.n
        subset = sorted(p for p in corpus.iterdir() if p.name != "manifest.json")[:n]
        out = work / "parquet"
        d = ingest_dask([str(p) for p in subset], str(out), workers=2, chunk_size=50)
        print(f"dask: {d.workers} workers, {d.documents} documents in {d.seconds:.1f} s -> "
              f"{d.documents / d.seconds:.1f} docs/s ({d.documents / d.seconds / 2:.1f} per worker); "
              f"task CPU {d.cpu_seconds:.0f} s; failures {len(d.failures)}")
    print(json.dumps({"n": args.n, "docs_per_s": round(rate, 2), "per_core": round(rate / jobs, 2),
                      "query_ms": round(med, 1), "peak_main_mb": round(me),
                      "peak_worker_mb": round(kids)}))


if __name__ == "__main__":
    sys.exit(main())
