"""Ingestion past one machine: the same per-document function on Dask workers, writing
Parquet partitioned by year and region that DuckDB (or any Parquet engine) reads in place.

Files are grouped in chunks; each task prepares its chunk (read, audit, flatten, exactly
as ``yusuan ingest`` does) and writes one Parquet file per table and per (year, region)
under ``OUT/<table>/year=<y>/region=<r>/part-<chunk>.parquet`` (Hive layout). A chunk's
name is the hash of its files' content hashes, so re-running over the same files rewrites
the same files: the dataset is idempotent. Workers need the same paths (a shared file
system) and the ``yusuan`` package.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.store.prepare import (
    CLAIM_COLUMNS,
    FACT_COLUMNS,
    FINDING_COLUMNS,
    TABLE_COLUMNS,
    Prepared,
    content_hash,
    prepare_path,
)

PARQUET_TABLES: tuple[str, ...] = ("documents", "facts", "tables", "findings", "claims")
UNKNOWN = "未知"


@dataclass
class ChunkResult:
    documents: int = 0
    facts: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DaskSummary:
    documents: int = 0
    facts: int = 0
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    workers: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    out: str = ""

    def text(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        return (f"Dask：{self.workers} 个工作进程，存入 {self.documents} 个文件，失败 "
                f"{len(self.failures)}；事实 {self.facts} 条；用时 {self.seconds:.1f} 秒"
                f"（{rate:.1f} 个/秒）；Parquet 输出：{self.out}")


def _partition(doc: dict[str, Any]) -> tuple[str, str]:
    year = doc.get("year")
    region = doc.get("region") or UNKNOWN
    return (str(year) if year is not None else UNKNOWN, str(region).replace("/", "_"))


def _table(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pyarrow as pa

    cols = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    arrays = []
    for name, values in zip(columns, cols, strict=True):
        if name == "tables":
            arrays.append(pa.array(values, type=pa.list_(pa.string())))
        elif name in ("amount", "yuan", "change_yuan"):
            arrays.append(pa.array([None if v is None else v for v in values], type=pa.string())
                          .cast(pa.decimal128(24, 4)))
        else:
            arrays.append(pa.array(values))
    return pa.table(dict(zip(columns, arrays, strict=True)))


def _document_table(docs: list[Prepared]) -> Any:
    import pyarrow as pa

    from yusuan.store.db import DOCUMENT_COLUMNS
    from yusuan.store.figures import FIGURES

    data: dict[str, Any] = {}
    for c in DOCUMENT_COLUMNS:
        values = [p.document.get(c) for p in docs]
        if c in FIGURES:
            data[c] = pa.array(values, type=pa.string()).cast(pa.decimal128(24, 4))
        elif c in ("year", "pages", "errors", "warnings", "infos", "n_tables", "n_facts"):
            data[c] = pa.array(values, type=pa.int32())
        elif c == "size_bytes":
            data[c] = pa.array(values, type=pa.int64())
        elif c == "audited":
            data[c] = pa.array(values, type=pa.bool_())
        elif c == "parse_seconds":
            data[c] = pa.array(values, type=pa.float64())
        else:
            data[c] = pa.array(values, type=pa.string())
    return pa.table(data)


def ingest_chunk(paths: Sequence[str], out: str, chunk: str) -> ChunkResult:
    """Prepare ``paths`` and write their rows as Parquet under ``out`` (runs on a worker)."""
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    result = ChunkResult()
    groups: dict[tuple[str, str], list[Prepared]] = defaultdict(list)
    for path in paths:
        p = prepare_path(path)
        if not p.ok:
            result.failures.append((p.source, p.reason or ""))
            continue
        groups[_partition(p.document)].append(p)
        result.documents += 1
        result.facts += len(p.facts)
        result.pages += int(p.document.get("pages") or 0)
    for (year, region), docs in groups.items():
        parts = {
            "documents": _document_table(docs),
            "facts": _table(FACT_COLUMNS, [r for p in docs for r in p.facts]),
            "tables": _table(TABLE_COLUMNS, [r for p in docs for r in p.tables]),
            "findings": _table(FINDING_COLUMNS, [r for p in docs for r in p.findings]),
            "claims": _table(CLAIM_COLUMNS, [r for p in docs for r in p.claims]),
        }
        for name, table in parts.items():
            folder = Path(out) / name / f"year={year}" / f"region={region}"
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".part-{chunk}.parquet.tmp"
            pq.write_table(table, tmp)
            tmp.replace(folder / f"part-{chunk}.parquet")  # atomic: no half file is ever seen
    result.seconds = time.perf_counter() - t0
    return result


def chunks(paths: Sequence[str], size: int) -> list[tuple[str, list[str]]]:
    """``(name, paths)`` groups; the name hashes the members' content hashes."""
    out = []
    for i in range(0, len(paths), size):
        members = list(paths[i:i + size])
        h = hashlib.sha256()
        for m in members:
            try:
                h.update(content_hash(Path(m).read_bytes()).encode())
            except OSError:
                h.update(m.encode())
        out.append((h.hexdigest()[:16], members))
    return out


def ingest_dask(paths: Iterable[str], out: str, scheduler: str | None = None,
                workers: int = 2, chunk_size: int = 50, progress: bool | None = None,
                client: Any = None) -> DaskSummary:
    """Ingest every file under ``paths`` on a Dask cluster into the Parquet dataset ``out``.
    ``scheduler`` is the address of a running scheduler; without one a local cluster of
    ``workers`` processes is started (and stopped at the end). ``client`` reuses a client."""
    from distributed import Client, LocalCluster, as_completed

    from yusuan.store.ingest import collect

    files = [str(p) for p, _ in collect(paths)]
    t0 = time.perf_counter()
    cluster = None
    own_client = client is None
    if client is None:
        if scheduler:
            client = Client(scheduler)  # type: ignore[no-untyped-call]
        else:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)  # type: ignore[no-untyped-call]
    summary = DaskSummary(out=out)
    try:
        summary.workers = len(client.scheduler_info().get("workers", {}))
        Path(out).mkdir(parents=True, exist_ok=True)
        futures = [client.submit(ingest_chunk, members, out, name, key=f"ingest-{name}",
                                 pure=False)
                   for name, members in chunks(files, chunk_size)]
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            r: ChunkResult = fut.result()
            summary.documents += r.documents
            summary.facts += r.facts
            summary.pages += r.pages
            summary.cpu_seconds += r.seconds
            summary.failures.extend(r.failures)
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def attach(con: Any, out: str | Path) -> list[str]:
    """Create views ``pq_<table>`` over the Parquet dataset in ``out`` on a DuckDB
    connection (read in place, Hive partitions as columns). Returns the views created."""
    made = []
    for name in PARQUET_TABLES:
        if not any((Path(out) / name).rglob("*.parquet")):
            continue
        pattern = str(Path(out) / name / "**" / "*.parquet").replace("'", "''")
        con.execute(f"CREATE OR REPLACE VIEW pq_{name} AS SELECT * FROM read_parquet('{pattern}', "
                    "hive_partitioning = true, union_by_name = true)")
        made.append(f"pq_{name}")
    return made
