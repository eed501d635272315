"""Stored models, decoded fast and kept in a small LRU for the pages.

The decoder is ``model.serialize.decoder`` (type hints compiled once per type); since a
document id is its content hash, a decoded document never changes and can be cached.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from yusuan.model import Disclosure
from yusuan.model.serialize import decoder

CACHE_SIZE = 16  # rendered pages are cached as bytes (web.middleware); this serves ?finding=N


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
    doc = decode(store.model_json(doc_id))  # KeyError when unknown
    with _lock:
        _cache[key] = doc
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return doc
