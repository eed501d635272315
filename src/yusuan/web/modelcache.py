"""Stored models, decoded fast and kept in a small LRU for the pages.

``model.serialize.from_json`` inspects type hints for every value, which costs ~100 ms on
a 200 KB document: too slow for a page. :func:`decoder` compiles the same rules (the
JSON form of docs/model.md) once per type into closures, about 5× faster; and since a
document id is its content hash, a decoded document never changes and can be cached.
(Candidate to move into ``model.serialize``.)
"""

from __future__ import annotations

import dataclasses
import json
import threading
import types
import typing
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from yusuan.model import Disclosure
from yusuan.model import document as d

Decode = Callable[[Any], Any]
CACHE_SIZE = 16  # rendered pages are cached as bytes (web.middleware); this serves ?finding=N


def _identity(v: Any) -> Any:
    return v


_records: dict[Any, Decode] = {}


@cache
def decoder(tp: Any) -> Decode:
    """A function turning the JSON form of ``tp`` back into ``tp`` (None stays None)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return decoder(args[0]) if len(args) == 1 else _identity
    if origin is typing.Literal:
        return _identity
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):
        return _record(tp, list(tp._fields))
    if origin is tuple:
        targs = typing.get_args(tp)
        if len(targs) == 2 and targs[1] is Ellipsis:
            item = decoder(targs[0])
            if item is _identity:
                return lambda v: None if v is None else tuple(v)
            return lambda v: None if v is None else tuple([item(x) for x in v])
        items = [decoder(a) for a in targs]
        return lambda v: None if v is None else tuple(f(x) for f, x in zip(items, v, strict=True))
    if tp is Decimal:
        return lambda v: None if v is None else Decimal(v)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record(tp, [f.name for f in dataclasses.fields(tp)])
    return _identity


def _record(tp: Any, names: list[str]) -> Decode:
    """A record's decoder; its field decoders are resolved on first use, so recursive
    types (a Section's children are Sections) compile."""
    if tp in _records:
        return _records[tp]
    fields: list[tuple[str, Decode]] = []

    def build(value: Any) -> Any:
        if value is None:
            return None
        if not fields:
            hints = typing.get_type_hints(tp, vars(d))
            fields.extend((n, decoder(hints[n])) for n in names)
        kwargs = {}
        for name, f in fields:
            if name in value:
                v = value[name]
                kwargs[name] = None if v is None else f(v)
        return tp(**kwargs)

    _records[tp] = build
    return build


def decode(text: str) -> Disclosure:
    data = json.loads(text)
    data.pop("schema", None)
    doc: Disclosure = decoder(Disclosure)(data)
    return doc


_cache: OrderedDict[str, Disclosure] = OrderedDict()
_lock = threading.Lock()


def disclosure(store: Any, doc_id: str) -> Disclosure:
    """The stored model of ``doc_id`` (KeyError when unknown), from the LRU when there."""
    key = f"{id(store)}:{doc_id}"
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    row = store.cursor().execute(
        "SELECT model_json FROM document_models WHERE document_id = ? LIMIT 1", [doc_id]).fetchone()
    if row is None:
        raise KeyError(doc_id)
    doc = decode(str(row[0]))
    with _lock:
        _cache[key] = doc
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return doc
