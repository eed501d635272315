"""Reading and auditing uploads in worker processes, under a time limit.

A hostile or broken file must not stall the server: each upload is read by
``store.prepare.prepare_bytes`` in a process pool. When one takes longer than the limit,
the pool's processes are terminated (the only way to stop a stuck parser) and a fresh pool
replaces it; the caller gets a Chinese sentence. Other uploads caught in the same pool are
retried once in the new pool.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import multiprocessing
import threading
import time
from dataclasses import dataclass
from typing import Any

from yusuan.store.prepare import Prepared, content_hash


def _warm() -> None:
    """Import the readers and the audit once per worker process."""
    import contextlib

    for name in ("yusuan.parse", "yusuan.parse.markdown", "yusuan.parse.pdf", "yusuan.audit",
                 "yusuan.store.prepare"):
        with contextlib.suppress(Exception):
            __import__(name)


def pdf_pages(data: bytes) -> int | None:
    """The page count of a PDF (None when it is not one or cannot be opened)."""
    if not data.startswith(b"%PDF"):
        return None
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:
        return None


def process(data: bytes, name: str, max_pages: int) -> Prepared:
    """Read, audit and flatten one upload (runs in a worker process)."""
    from yusuan.store.prepare import prepare_bytes

    pages = pdf_pages(data)
    if pages is not None and pages > max_pages:
        return Prepared(name, content_hash(data), len(data),
                        reason=f"文件共 {pages} 页，超过上限 {max_pages} 页。")
    return prepare_bytes(data, name)


def _timed(data: bytes, name: str, max_pages: int) -> tuple[Prepared, float]:
    """``process`` and the seconds it took inside the worker (without waiting for one)."""
    t = time.perf_counter()
    prepared = process(data, name, max_pages)
    return prepared, time.perf_counter() - t


@dataclass(frozen=True, slots=True)
class Outcome:
    """An upload's ``Prepared`` and where its time went: ``audit`` seconds reading and
    auditing in a worker, ``queued`` seconds waiting for a free worker (and transfer)."""

    prepared: Prepared
    audit: float = 0.0
    queued: float = 0.0


class Worker:
    """A small process pool with a per-task time limit."""

    def __init__(self, workers: int = 2, timeout: float = 60.0, max_pages: int = 500) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.max_pages = max_pages
        self._lock = threading.Lock()
        self._pool: cf.ProcessPoolExecutor | None = None
        self._generation = 0

    def _get(self) -> tuple[cf.ProcessPoolExecutor, int]:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")
                self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_warm)
                self._generation += 1
            return self._pool, self._generation

    def _kill(self, generation: int) -> None:
        """Terminate the pool of ``generation`` (if still current) so a stuck task dies."""
        with self._lock:
            pool = self._pool
            if pool is None or generation != self._generation:
                return
            self._pool = None
        procs: dict[Any, Any] = getattr(pool, "_processes", None) or {}
        for p in list(procs.values()):
            p.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, data: bytes, name: str) -> Prepared:
        """``process`` in the pool; a timeout gives a failed ``Prepared`` with a reason."""
        return (await self.run_timed(data, name)).prepared

    async def run_timed(self, data: bytes, name: str) -> Outcome:
        """:meth:`run` with the audit time measured apart from the wait for a worker."""
        t0 = time.perf_counter()
        for attempt in range(2):
            pool, gen = self._get()
            fut = asyncio.wrap_future(pool.submit(_timed, data, name, self.max_pages))
            try:
                prepared, audit = await asyncio.wait_for(fut, self.timeout)
                return Outcome(prepared, audit, max(0.0, time.perf_counter() - t0 - audit))
            except TimeoutError:
                self._kill(gen)
                return Outcome(Prepared(name, content_hash(data), len(data),
                                        reason=f"处理超过 {self.timeout:g} 秒，已中止。"))
            except cf.process.BrokenProcessPool:
                self._kill(gen)
                if attempt == 1:
                    break
        return Outcome(Prepared(name, content_hash(data), len(data), reason="处理进程意外退出。"))

    def start(self) -> None:
        """Start the worker processes now (they import the readers), so the first uploads
        do not wait for that."""
        pool, _ = self._get()
        for _ in range(self.workers):
            pool.submit(_warm)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
