"""The original bytes of uploaded PDFs, kept so a finding can be shown on its page.

The store keeps the parsed model, not the file; the web app keeps the bytes of the PDFs
uploaded through it in its own table ``web_originals`` of the same database. For a document
ingested from the command line, the path it was ingested from (recorded by the store, never
taken from a request) is used when it still holds the same file.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

_DDL = "CREATE TABLE IF NOT EXISTS web_originals (document_id VARCHAR PRIMARY KEY, data BLOB)"
_ready: set[int] = set()
_cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_PAGES = 64
SCALE = 1.5


def _ensure(store: Any) -> None:
    if id(store) not in _ready:
        store.cursor().execute(_DDL)
        _ready.add(id(store))


def put(store: Any, doc_id: str, data: bytes, fmt: Any) -> None:
    """Keep the bytes of an uploaded PDF."""
    if fmt != "pdf":
        return
    _ensure(store)
    store.cursor().execute("INSERT OR REPLACE INTO web_originals VALUES (?, ?)", [doc_id, data])
    store.forget_pages([f"doc:{doc_id}"])  # its page now shows the original's pages


def delete(store: Any, doc_id: str) -> None:
    _ensure(store)
    store.cursor().execute("DELETE FROM web_originals WHERE document_id = ?", [doc_id])


def get(store: Any, doc_id: str, meta: dict[str, Any]) -> bytes | None:
    """The PDF's bytes, or None."""
    _ensure(store)
    row = store.cursor().execute("SELECT data FROM web_originals WHERE document_id = ?", [doc_id]).fetchone()
    if row is not None:
        return bytes(row[0])
    source = str(meta.get("source") or "")
    digest = str(meta.get("content_hash") or "")
    try:
        path = Path(source)
        if source and path.suffix.lower() == ".pdf" and path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == digest:
                return data
    except OSError:
        return None
    return None


def available(store: Any, doc_id: str, meta: dict[str, Any]) -> bool:
    return get(store, doc_id, meta) is not None


def page_size(store: Any, doc_id: str, meta: dict[str, Any], number: int) -> tuple[float, float] | None:
    data = get(store, doc_id, meta)
    if data is None:
        return None
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= number <= len(pdf):
            return None
        w, h = pdf[number - 1].get_size()
        return float(w), float(h)
    finally:
        pdf.close()


def page_png(store: Any, doc_id: str, meta: dict[str, Any], number: int) -> bytes | None:
    """Page ``number`` (1-based) rendered at 1.5× as PNG (cached)."""
    key = (doc_id, number)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = get(store, doc_id, meta)
    if data is None:
        return None
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= number <= len(pdf):
            return None
        image = pdf[number - 1].render(scale=SCALE).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    png = buf.getvalue()
    with _cache_lock:
        _cache[key] = png
        while len(_cache) > CACHE_PAGES:
            _cache.popitem(last=False)
    return png
