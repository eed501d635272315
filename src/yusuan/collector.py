"""Fewer passes of Python's cyclic garbage collector during allocation-heavy work.

Writing a PDF (WeasyPrint) makes hundreds of thousands of short-lived objects. With the
default young-generation threshold (700 allocations) the collector runs thousands of times
per document and its full passes walk the whole heap, the program's own long-lived objects
included; its passes are memory-bound, so they cost time far beyond their instruction
count. ``fewer_collections()`` raises the threshold to ``THRESHOLD`` and freezes the
objects that already exist (``gc.freeze``) for its duration: the collector still runs and
still collects what the work leaves behind.

Measured (interleaved A/B in one process): about 10 % of a PDF render's CPU time
(docs/authoring.md "Speed"). On a parse of the reference document the same measured 1–4 %,
too little to change the collector for every reader: the parser does not use it.

The setting is process-wide, so uses are counted: nested and concurrent uses (server
threads) raise it once and the last one to end restores the caller's threshold and
unfreezes.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

#: The young-generation threshold while ``fewer_collections`` is active.
THRESHOLD = 20_000

_lock = threading.Lock()
_users = 0
_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold and freeze the existing objects for the
    duration; restore both when the last concurrent use ends."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(THRESHOLD, _saved[0]), *_saved[1:])
            gc.freeze()
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.unfreeze()
                gc.set_threshold(*_saved)
