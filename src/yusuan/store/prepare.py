"""The per-document work of ingestion: read, audit, flatten into rows.

``prepare_bytes`` is a pure function of a file's bytes and name, so the same code runs in
the main process, in a process pool and on Dask workers. Its result, :class:`Prepared`, is
plain data (tuples of str/int/None and model JSON), cheap to pickle; the database writer
or the Parquet writer turns it into rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.model import Disclosure
from yusuan.model.serialize import to_dict
from yusuan.parse.errors import UnreadableError
from yusuan.store.figures import claims, figures, to_yuan

FACT_COLUMNS: tuple[str, ...] = (
    "document_id", "table_index", "row_index", "column_index", "file", "table_id", "title",
    "page", "row_seq", "code", "item", "column_path", "side", "value", "unit", "amount",
    "yuan", "code_level", "classification",
)
TABLE_COLUMNS: tuple[str, ...] = (
    "document_id", "table_index", "table_id", "title", "unit", "pages", "n_rows", "n_facts",
    "is_empty", "note", "project_code", "project_name",
)
FINDING_COLUMNS: tuple[str, ...] = (
    "document_id", "seq", "rule", "severity", "message", "tables", "section", "expected",
    "actual", "cells_json",
)
#: zlib level of the stored models: level 1 compresses ~3x faster than the default 6
#: (0.7 vs 2.2 ms for a 200 KB model) to ~20 % more bytes (ratio 12.6 vs 15.3); it runs
#: in the workers, once per document
ZLIB_LEVEL = 1
CLAIM_COLUMNS: tuple[str, ...] = (
    "document_id", "seq", "subject", "prior_year", "direction", "change_yuan", "text",
)

FUNCTION_TABLES = frozenset({
    "income", "expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure",
    "fiscal_summary", "summary",
})
ECONOMIC_TABLES = frozenset({"general_basic_expenditure"})

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to store, or the reason it could not be read."""

    source: str
    content_hash: str
    size: int
    reason: str | None = None
    document: dict[str, Any] = field(default_factory=dict)
    #: the model's JSON, zlib-compressed (compressed in the worker: less to send back)
    model_zlib: bytes = b""
    tables: tuple[Row, ...] = ()
    facts: tuple[Row, ...] = ()
    findings: tuple[Row, ...] = ()
    claims: tuple[Row, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def id(self) -> str:
        return document_id(self.content_hash)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_id(digest: str) -> str:
    """A document's id: the first 16 hex digits of its content's sha256."""
    return digest[:16]


_REGION_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,12}(省|市|区|县|自治州|自治区|旗|地区|盟)$")


def version_key(doc: Disclosure) -> str:
    """What a new version replaces: the same department, year, kind and scope. A document
    whose department was not recognised is keyed on its file name instead."""
    who = doc.department
    if not who or _REGION_ONLY.match(who):
        # an unrecognised department, or only a place name (a reader that took the region
        # for the department): never let two different files replace each other
        who = f"file:{Path(doc.source).name}"
    return f"{who}|{doc.year or ''}|{doc.kind}|{doc.scope}"


_FIELDS: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


def model_dict(obj: Any) -> Any:
    """The same JSON-ready form as ``yusuan.model.serialize.to_dict``, about four times
    faster (field names cached per class); ingestion serialises every document."""
    t = type(obj)
    if t in _PLAIN:
        return obj
    if t is Decimal:
        return format(obj, "f")
    if t is tuple or t is list:
        return [model_dict(x) for x in obj]
    names = _FIELDS.get(t)
    if names is None and isinstance(obj, tuple) and hasattr(obj, "_fields"):  # NamedTuple (Location)
        names = _FIELDS[t] = tuple(obj._fields)
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:
        return {n: model_dict(getattr(obj, n)) for n in names}
    if t is dict:
        return {k: model_dict(v) for k, v in obj.items()}
    return obj


def model_json(doc: Disclosure) -> str:
    """The model as compact JSON, readable by ``yusuan.model.serialize.from_json``."""
    from yusuan.model.serialize import SCHEMA_VERSION

    out: dict[str, Any] = {"schema": SCHEMA_VERSION}
    out.update(model_dict(doc))
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def pack_json(text: str) -> bytes:
    """A model's JSON as stored: UTF-8, zlib-compressed."""
    return zlib.compress(text.encode(), ZLIB_LEVEL)


def pack_model(doc: Disclosure) -> bytes:
    """The model as stored: :func:`pack_json` of :func:`model_json`."""
    return pack_json(model_json(doc))


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def run_audit(doc: Disclosure) -> tuple[bool, list[Any]]:
    """The audit's findings, or ``(False, [])`` when the audit is not installed yet."""
    try:
        from yusuan.audit import audit
    except ImportError:  # pragma: no cover - the audit is part of the package
        return False, []
    return True, list(audit(doc))


def _finding_rows(doc_id: str, found: list[Any]) -> tuple[Row, ...]:
    rows = []
    for i, f in enumerate(found):
        cells = [
            {k: v for k, v in to_dict(c).items() if k != "location"}
            for c in getattr(f, "cells", ())
        ]
        rows.append((
            doc_id, i, str(f.rule), str(f.severity), str(getattr(f, "message", "")),
            list(getattr(f, "tables", ())), getattr(f, "section", None),
            getattr(f, "expected", None), getattr(f, "actual", None),
            json.dumps(cells, ensure_ascii=False),
        ))
    return tuple(rows)


def _table_and_fact_rows(doc_id: str, doc: Disclosure, file: str) -> tuple[tuple[Row, ...], tuple[Row, ...]]:
    from yusuan.model.codes import level

    tables: list[Row] = []
    facts: list[Row] = []
    for ti, t in enumerate(doc.tables):
        classification = ("function" if t.id in FUNCTION_TABLES
                          else "economic" if t.id in ECONOMIC_TABLES else None)
        n = 0
        for ri, r in enumerate(t.rows):
            lvl = level(r.code) if r.code else None
            for ci, c in enumerate(r.cells):
                if c.value is None:
                    continue
                n += 1
                facts.append((
                    doc_id, ti, ri, ci, file, t.id, t.title, c.location.page, r.seq, r.code,
                    r.label, c.column, r.side, _printed(c.text), t.unit, _dec(c.value),
                    _dec(to_yuan(c.value, t.unit)), lvl, classification if r.code else None,
                ))
        p = t.project
        tables.append((
            doc_id, ti, t.id, t.title, t.unit, ",".join(map(str, t.pages)), len(t.rows), n,
            t.empty, t.note, p.code if p else None, p.name if p else None,
        ))
    return tuple(tables), tuple(facts)


def _printed(text: str) -> str:
    from yusuan.model.text import amount_text

    return amount_text(text)


def prepare_document(doc: Disclosure, digest: str, size: int, source: str,
                     started: float | None = None) -> Prepared:
    """Flatten an already parsed document (and audit it)."""
    t0 = time.perf_counter() if started is None else started
    doc_id = document_id(digest)
    audited, found = run_audit(doc)
    counts = {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")}
    tables, facts = _table_and_fact_rows(doc_id, doc, source)
    claim_rows = tuple(
        (doc_id, i, c.subject, c.prior_year, c.direction, _dec(c.change_yuan), c.text)
        for i, c in enumerate(claims(doc))
    )
    figs = {k: _dec(v) for k, v in figures(doc).items()}
    document: dict[str, Any] = {
        "id": doc_id, "content_hash": digest, "source": source, "format": doc.format,
        "size_bytes": size, "department": doc.department,
        "department_code": doc.department_code, "region": doc.region, "year": doc.year,
        "kind": doc.kind, "scope": doc.scope, "title": doc.title, "pages": doc.pages,
        "version_key": version_key(doc), "audited": audited, "errors": counts["error"],
        "warnings": counts["warning"], "infos": counts["info"], "n_tables": len(doc.tables),
        "n_facts": len(facts), **figs,
    }
    seconds = time.perf_counter() - t0
    document["parse_seconds"] = seconds
    return Prepared(
        source=source, content_hash=digest, size=size, document=document,
        model_zlib=pack_model(doc), tables=tables, facts=facts,
        findings=_finding_rows(doc_id, found), claims=claim_rows, seconds=seconds,
    )


def prepare_bytes(data: bytes, source: str) -> Prepared:
    """Read, audit and flatten one file's bytes. Never raises for bad input: an unreadable
    file gives a ``Prepared`` with its ``reason`` in Chinese."""
    t0 = time.perf_counter()
    digest = content_hash(data)
    try:
        from yusuan.parse import read_bytes

        doc = read_bytes(data, source)
    except UnreadableError as e:
        return Prepared(source, digest, len(data), reason=e.reason)
    except Exception as e:  # a reader bug must not stop a batch of 10,000 files
        return Prepared(source, digest, len(data),
                        reason=f"读取时出现内部错误（{type(e).__name__}: {e}）。")
    try:
        return prepare_document(doc, digest, len(data), source, t0)
    except Exception as e:
        return Prepared(source, digest, len(data),
                        reason=f"审核或整理时出现内部错误（{type(e).__name__}: {e}）。")


def prepare_path(path: str, source: str | None = None) -> Prepared:
    """``prepare_bytes`` on a file (``source`` defaults to the path as given)."""
    name = source if source is not None else path
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return Prepared(name, "", 0, reason=f"无法打开文件（{e.strerror}）。")
    if not data:
        return Prepared(name, content_hash(data), 0, reason="文件是空的。")
    return prepare_bytes(data, name)


def replace(p: Prepared, **changes: Any) -> Prepared:
    return dataclasses.replace(p, **changes)
