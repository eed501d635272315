"""The store: many disclosures in one embedded DuckDB file (see docs/store.md).

``Store`` is imported lazily so that importing ``yusuan.store`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yusuan.store.db import IngestResult, Store, StoreError

__all__ = ["IngestResult", "Store", "StoreError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from yusuan.store import db

        return getattr(db, name)
    raise AttributeError(name)
