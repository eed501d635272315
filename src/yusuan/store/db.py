"""The embedded database: one DuckDB file holding documents, tables, facts and findings.

:class:`Store` is the plain API the command line and the web app share. Writes go through
one connection under a lock, one transaction per document (a crash leaves no half
document); reads use cursors of the same connection, so a web app can serve many readers
in the process that also ingests. ``query`` runs an analyst's SQL read-only.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from yusuan.model import Disclosure
from yusuan.store import schema
from yusuan.store.prepare import (
    CLAIM_COLUMNS,
    FACT_COLUMNS,
    FINDING_COLUMNS,
    TABLE_COLUMNS,
    Prepared,
    prepare_bytes,
    prepare_document,
    prepare_path,
)

if TYPE_CHECKING:
    import duckdb

DEFAULT_DB = "yusuan.duckdb"
#: DuckDB's memory limit (its buffer cache, and what a query may hold before spilling to
#: ``<db>.tmp``): DuckDB's own default is 80 % of the machine's memory, which a large
#: ingest filled with cached blocks (2.4 GB on 10,000 documents). Overridden by the
#: environment variable ``YUSUAN_DB_MEMORY`` or ``Store(memory_limit=…)``.
DEFAULT_MEMORY_LIMIT = "1GB"
MEMORY_ENV = "YUSUAN_DB_MEMORY"
Status = Literal["stored", "unchanged", "replaced", "failed"]

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "id", "content_hash", "source", "format", "size_bytes", "department", "department_code",
    "region", "year", "kind", "scope", "title", "pages", "version_key", "audited", "errors",
    "warnings", "infos", "n_tables", "n_facts", "parse_seconds", "income_total",
    "expenditure_total", "basic_total", "project_total", "general_total", "personnel",
    "public_funds", "three_public_total", "abroad", "vehicles", "vehicle_purchase",
    "vehicle_operation", "reception", "operation_funds",
)


class StoreError(Exception):
    """The database cannot be opened or the SQL cannot run; ``str()`` is one Chinese sentence."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one file. ``reason`` (Chinese) is set when ``status == "failed"``;
    ``replaced`` names the earlier version a new one replaced; ``summary`` counts findings."""

    source: str
    status: Status
    id: str | None = None
    reason: str | None = None
    replaced: tuple[str, ...] = ()
    summary: dict[str, int] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)
    facts: int = 0
    seconds: float = 0.0


def _rows_to_arrow(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pyarrow as pa

    cols = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    arrays = {}
    for name, values in zip(columns, cols, strict=True):
        if name == "tables":
            arrays[name] = pa.array(values, type=pa.list_(pa.string()))
        elif name in ("amount", "yuan", "change_yuan"):
            arrays[name] = pa.array(values, type=pa.string())
        else:
            arrays[name] = pa.array(values)
    return pa.table(arrays)


_CHILD_TABLES: dict[str, tuple[str, ...]] = {
    "all_tables": TABLE_COLUMNS,
    "all_facts": FACT_COLUMNS,
    "all_findings": FINDING_COLUMNS,
    "all_claims": CLAIM_COLUMNS,
}


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
                 rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    batch = _rows_to_arrow(columns, rows)
    name = f"_batch_{table}"
    con.register(name, batch)
    try:
        names = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {name}")
    finally:
        con.unregister(name)


class Store:
    """A DuckDB file of disclosures. Use as a context manager, or call ``close()``.

    ``Store(path)`` creates the file and the schema when needed; ``read_only=True`` opens an
    existing file for queries only (the ``yusuan query`` command)."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"{self.path}：数据库文件不存在。")
        limit = memory_limit or os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY_LIMIT
        try:
            self._con = duckdb.connect(self.path, read_only=read_only, config={"memory_limit": limit})
        except (duckdb.InvalidInputException, duckdb.ParserException) as e:
            raise StoreError(f"{self.path}：内存上限“{limit}”无效（{_first_line(e)}）。") from None
        except duckdb.Error as e:
            raise StoreError(f"{self.path}：无法打开数据库（{_first_line(e)}）。") from None
        self._lock = threading.RLock()
        #: Count of committed writes, and callbacks told after each one which pages it
        #: changed (``web_pages.depends`` values; '' stands for the pages of every list).
        self.version = 0
        self.on_write: list[Callable[[frozenset[str]], None]] = []
        if not read_only:
            self._create()
        #: a store of schema version 1 opened read-only keeps its models as JSON text
        self._models_as_text = _has_column(self._con, "document_models", "model_json")

    # -- life cycle ---------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:  # a page being stored (put_page) finishes first
            self._con.close()

    def _create(self) -> None:
        with self._lock:
            for sql in schema.create_statements():
                self._con.execute(sql)
            self._migrate()
            self._con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                [str(schema.SCHEMA_VERSION)],
            )

    def _migrate(self) -> None:
        """Schema 1 → 2: the models, stored as JSON text, become zlib BLOBs, in one
        transaction (a crash leaves the version 1 table as it was)."""
        from yusuan.store.prepare import pack_json

        con = self._con
        if not _has_column(con, "document_models", "model_json"):
            return
        reader = con.cursor()  # streams the old table while ``con`` writes the new one
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(schema.TABLES["document_models"].replace(
                    "document_models", "document_models_v2", 1))
                rel = reader.execute("SELECT document_id, model_json FROM document_models")
                while chunk := rel.fetchmany(256):
                    con.executemany("INSERT INTO document_models_v2 VALUES (?, ?)", [
                        (i, pack_json(str(j))) for i, j in chunk])
                reader.close()
                con.execute("DROP TABLE document_models")
                con.execute("ALTER TABLE document_models_v2 RENAME TO document_models")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            reader.close()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The underlying connection (for exports and reports inside the package)."""
        return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    # -- writing ------------------------------------------------------------------------
    def known(self, digest: str) -> str | None:
        """The id of the stored document with this content hash, or None."""
        row = self.cursor().execute(
            "SELECT id FROM document_versions WHERE content_hash = ?", [digest]).fetchone()
        return None if row is None else str(row[0])

    def ingest_file(self, path: str | Path, source: str | None = None) -> IngestResult:
        """Read, audit and store one file."""
        return self.store(prepare_path(str(path), source))

    def ingest_bytes(self, data: bytes, name: str) -> IngestResult:
        """Read, audit and store an upload."""
        return self.store(prepare_bytes(data, name))

    def ingest_disclosure(self, doc: Disclosure, digest: str | None = None) -> IngestResult:
        """Store an already parsed document (``digest`` defaults to its model's hash)."""
        from yusuan.model.serialize import to_json
        from yusuan.store.prepare import content_hash

        digest = digest or content_hash(to_json(doc, indent=None).encode())
        return self.store(prepare_document(doc, digest, 0, doc.source))

    def store(self, p: Prepared) -> IngestResult:
        """Write one prepared document in one transaction (or record its failure)."""
        return self.store_many([p])[0]

    def store_many(self, batch: Sequence[Prepared]) -> list[IngestResult]:
        """Write whole documents in one transaction: after a crash either all of them are
        stored or none, never part of one. Failures are recorded in the same transaction."""
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                pending: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _CHILD_TABLES}
                results = [self._store_one(con, p, pending) for p in batch]
                for table, columns in _CHILD_TABLES.items():
                    _bulk_insert(con, table, columns, pending[table])
                depends = _written(results)
                if depends:
                    _forget(con, depends)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            if depends:
                self._changed(depends)
        return results

    # -- materialised web pages (filled by yusuan.web, emptied here by every write) ------
    def _changed(self, depends: frozenset[str]) -> None:
        self.version += 1
        for listener in list(self.on_write):
            listener(depends)

    def forget_pages(self, depends: Iterable[str]) -> None:
        """Drop the stored pages that depend on any of ``depends`` and every list page."""
        keys = frozenset(depends) | {""}
        with self._lock:
            _forget(self._con.cursor(), keys)
            self._changed(keys)

    def pages(self) -> list[tuple[str, str, int, str, bytes]]:
        """Every stored page: (key, depends, status, headers JSON, compressed body)."""
        rows = self.cursor().execute(
            "SELECT key, depends, status, headers, body FROM web_pages").fetchall()
        return [(str(k), str(d), int(st), str(h), bytes(b)) for k, d, st, h, b in rows]

    def put_page(self, key: str, depends: str, status: int, headers: str, body: bytes,
                 version: int) -> bool:
        """Keep a rendered page unless the store was written since ``version`` (the
        page may then be stale). Returns whether it was kept."""
        with self._lock:
            if version != self.version:
                return False
            self._con.cursor().execute(
                "INSERT OR REPLACE INTO web_pages VALUES (?, ?, ?, ?, ?)",
                [key, depends, status, headers, body])
        return True

    def page_marker(self) -> str:
        """A random string, fixed per store, that stored pages hold in place of a
        client's CSRF token (created on first use)."""
        import secrets

        with self._lock:
            cur = self._con.cursor()
            row = cur.execute("SELECT value FROM meta WHERE key = 'page_marker'").fetchone()
            if row is None:
                row = ("yusuan-csrf-" + secrets.token_hex(16),)
                cur.execute("INSERT INTO meta VALUES ('page_marker', ?)", [row[0]])
        return str(row[0])

    def _store_one(self, con: duckdb.DuckDBPyConnection, p: Prepared,
                   pending: dict[str, list[tuple[Any, ...]]]) -> IngestResult:
        if not p.ok:
            con.execute(
                "INSERT OR REPLACE INTO ingest_failures VALUES (?, ?, ?, current_timestamp)",
                [p.content_hash or f"missing:{p.source}", p.source, p.reason or ""])
            return IngestResult(p.source, "failed", reason=p.reason, seconds=p.seconds)
        doc = p.document
        if con.execute("SELECT 1 FROM document_versions WHERE id = ?", [p.id]).fetchone():
            return IngestResult(p.source, "unchanged", id=p.id, summary=_summary(doc),
                                document=doc)
        older = [str(r[0]) for r in con.execute(
            "SELECT id FROM document_versions WHERE version_key = ? "
            "AND superseded_by IS NULL", [doc["version_key"]]).fetchall()]
        cols = ", ".join(DOCUMENT_COLUMNS)
        marks = ", ".join("?" for _ in DOCUMENT_COLUMNS)
        con.execute(
            f"INSERT INTO document_versions ({cols}, ingested_at) "
            f"VALUES ({marks}, current_timestamp)", [doc.get(c) for c in DOCUMENT_COLUMNS])
        con.execute("INSERT INTO document_models VALUES (?, ?)", [p.id, p.model_zlib])
        pending["all_tables"].extend(p.tables)
        pending["all_facts"].extend(p.facts)
        pending["all_findings"].extend(p.findings)
        pending["all_claims"].extend(p.claims)
        if older:
            con.execute(
                "UPDATE document_versions SET superseded_by = ?, "
                "superseded_at = current_timestamp WHERE list_contains(?, id)", [p.id, older])
        con.execute("DELETE FROM ingest_failures WHERE content_hash = ?", [p.content_hash])
        return IngestResult(p.source, "replaced" if older else "stored", id=p.id,
                            replaced=tuple(older), summary=_summary(doc), document=doc,
                            facts=len(p.facts), seconds=p.seconds)

    def delete(self, doc_id: str) -> bool:
        """Remove a document (every row of it). The version it had replaced, if any,
        becomes current again. Returns False when there is no such document."""
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                found = con.execute("SELECT department FROM document_versions WHERE id = ?",
                                    [doc_id]).fetchone()
                if found is None:
                    con.execute("ROLLBACK")
                    return False
                revived = [str(r[0]) for r in con.execute(
                    "SELECT id FROM document_versions WHERE superseded_by = ?", [doc_id]).fetchall()]
                depends = frozenset({f"doc:{doc_id}", f"dept:{found[0]}", ""}
                                    | {f"doc:{i}" for i in revived})
                _forget(con, depends)
                for table in ("all_facts", "all_tables", "all_findings", "all_claims"):
                    con.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])
                con.execute("DELETE FROM document_models WHERE document_id = ?", [doc_id])
                con.execute("DELETE FROM document_versions WHERE id = ?", [doc_id])
                con.execute("UPDATE document_versions SET superseded_by = NULL, "
                            "superseded_at = NULL WHERE superseded_by = ?", [doc_id])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            self._changed(depends)
        return True

    # -- reading ------------------------------------------------------------------------
    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.cursor()
        rel = cur.execute(sql, list(params))
        names = [d[0] for d in rel.description or ()]
        return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]

    def documents(self, department: str | None = None, year: int | None = None,
                  kind: str | None = None, scope: str | None = None,
                  region: str | None = None, history: bool = False,
                  limit: int | None = None) -> list[dict[str, Any]]:
        """Stored documents (current versions; ``history=True`` for every version),
        newest year first, filtered by the arguments given."""
        where, params = [], []
        for col, val in (("department", department), ("year", year), ("kind", kind),
                         ("scope", scope), ("region", region)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        if not history:
            where.append("superseded_by IS NULL")
        sql = "SELECT * FROM document_versions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY year DESC NULLS LAST, department, ingested_at DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._dicts(sql, params)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM document_versions WHERE id = ?", [doc_id])
        return rows[0] if rows else None

    def model_json(self, doc_id: str) -> str:
        """The stored model's JSON (``yusuan.model.serialize.from_json`` reads it): one
        index lookup of its compressed BLOB. Raises KeyError for an unknown id."""
        import zlib

        column = "model_json" if self._models_as_text else "model_zlib"
        row = self.cursor().execute(
            f"SELECT {column} FROM document_models WHERE document_id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return str(row[0]) if self._models_as_text else zlib.decompress(row[0]).decode()

    def disclosure(self, doc_id: str) -> Disclosure:
        """The parsed model as it was stored. Raises KeyError for an unknown id."""
        from yusuan.model.serialize import from_json

        return from_json(self.model_json(doc_id))

    def findings(self, doc_id: str) -> list[dict[str, Any]]:
        """The findings in the JSON shape of ``yusuan audit --format json``."""
        rows = self._dicts(
            "SELECT rule, severity, message, tables, section, cells_json, expected, actual "
            "FROM all_findings WHERE document_id = ? ORDER BY seq", [doc_id])
        for r in rows:
            r["tables"] = list(r["tables"] or [])
            r["cells"] = json.loads(r.pop("cells_json") or "[]")
        return [{k: r[k] for k in ("rule", "severity", "message", "tables", "section",
                                   "cells", "expected", "actual")} for r in rows]

    def audit_object(self, doc_id: str) -> dict[str, Any] | None:
        """The object ``yusuan audit --format json`` prints for this document."""
        d = self.document(doc_id)
        if d is None:
            return None
        return {
            "file": d["source"],
            "document": {k: d[k] for k in ("department", "year", "kind", "scope")},
            "findings": self.findings(doc_id),
            "summary": _summary(d),
        }

    def facts(self, doc_id: str) -> list[dict[str, Any]]:
        """The CSV facts of one document (contract columns plus ``yuan``), in order."""
        return self._dicts(
            'SELECT file, table_id AS "table", title, page, row_seq AS "row", code, item, '
            'column_path AS "column", value, unit, yuan FROM all_facts WHERE document_id = ? '
            "ORDER BY table_index, row_index, column_index", [doc_id])

    def facts_csv(self, doc_id: str) -> str:
        """The same CSV as ``yusuan parse --format csv`` for this document."""
        import csv
        import io

        from yusuan.parse.facts import CSV_HEADER

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_HEADER)
        for f in self.facts(doc_id):
            w.writerow(["" if f[c] is None else f[c] for c in CSV_HEADER])
        return buf.getvalue()

    def failures(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM ingest_failures ORDER BY failed_at")

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run read-only SQL: only SELECT-like statements are accepted, and they run in a
        transaction that is rolled back. Raises :class:`StoreError` (Chinese) otherwise."""
        import duckdb

        cur = self.cursor()
        try:
            statements = cur.extract_statements(sql)
        except duckdb.Error as e:
            raise StoreError(f"SQL 语句有误：{_first_line(e)}") from None
        if not statements:
            raise StoreError("SQL 语句为空。")
        allowed = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
        if any(s.type not in allowed for s in statements):
            raise StoreError("只允许只读查询（SELECT）。")
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                for s in statements[:-1]:
                    cur.execute(s.query)
                rel = cur.execute(statements[-1].query, list(params) or None)
                columns = [d[0] for d in rel.description or ()]
                rows = rel.fetchall()
            finally:
                cur.execute("ROLLBACK")
        except duckdb.Error as e:
            raise StoreError(f"SQL 语句有误：{_first_line(e)}") from None
        return columns, rows

    def count(self, view: str = "documents") -> int:
        row = self.cursor().execute(f"SELECT count(*) FROM {view}").fetchone()
        return int(row[0]) if row else 0

    def check(self) -> list[str]:
        """Consistency problems (for tests and after a crash): every document has its
        model, its declared number of facts and tables; no orphan rows. Empty when sound."""
        problems = []
        checks = {
            "文档缺少模型": "SELECT id FROM document_versions v WHERE NOT EXISTS "
                      "(SELECT 1 FROM document_models m WHERE m.document_id = v.id)",
            "事实数不符": "SELECT v.id FROM document_versions v LEFT JOIN (SELECT document_id, "
                     "count(*) n FROM all_facts GROUP BY 1) f ON f.document_id = v.id "
                     "WHERE coalesce(f.n, 0) <> v.n_facts",
            "表数不符": "SELECT v.id FROM document_versions v LEFT JOIN (SELECT document_id, "
                    "count(*) n FROM all_tables GROUP BY 1) t ON t.document_id = v.id "
                    "WHERE coalesce(t.n, 0) <> v.n_tables",
            "孤立的事实": "SELECT DISTINCT document_id FROM all_facts f WHERE NOT EXISTS "
                     "(SELECT 1 FROM document_versions v WHERE v.id = f.document_id)",
            "同一文档有多个当前版本": "SELECT version_key FROM document_versions WHERE "
                         "superseded_by IS NULL GROUP BY 1 HAVING count(*) > 1",
        }
        for what, sql in checks.items():
            bad = self.cursor().execute(sql).fetchall()
            if bad:
                problems.append(f"{what}：{', '.join(str(b[0]) for b in bad[:5])}")
        return problems


def _summary(doc: dict[str, Any]) -> dict[str, int]:
    return {"error": int(doc.get("errors") or 0), "warning": int(doc.get("warnings") or 0),
            "info": int(doc.get("infos") or 0)}


def _written(results: Sequence[IngestResult]) -> frozenset[str]:
    """The ``web_pages.depends`` values a batch of results changes ('' for every list)."""
    out: set[str] = set()
    for r in results:
        if r.status in ("stored", "replaced") and r.id is not None:
            out.update({"", f"doc:{r.id}", f"dept:{r.document.get('department')}"})
            out.update(f"doc:{old}" for old in r.replaced)
    return frozenset(out)


def _forget(con: duckdb.DuckDBPyConnection, depends: frozenset[str]) -> None:
    con.execute("DELETE FROM web_pages WHERE list_contains(?, depends)", [sorted(depends)])


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return con.cursor().execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ? AND column_name = ?", [table, column]).fetchone() is not None


def _first_line(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def store_all(store: Store, prepared: Iterable[Prepared]) -> list[IngestResult]:
    return [store.store(p) for p in prepared]
