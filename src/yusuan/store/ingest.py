"""Batch ingestion: files and folders → parsed, audited, stored; parallel over the cores.

Workers (a process pool) read and audit; the main process owns the database and writes
whole documents in short transactions, so a crash or a ``kill -9`` leaves only complete
documents behind and the next run picks up where it stopped (stored files are recognised
by their content hash and skipped without being parsed again).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from yusuan.store.db import IngestResult, Store
from yusuan.store.prepare import Prepared, content_hash, document_id, prepare_path

#: Extensions picked up when a folder is walked (a file named explicitly is always read).
EXTENSIONS = frozenset({".md", ".markdown", ".pdf", ".xlsx", ".docx", ".html", ".htm"})


@dataclass
class IngestSummary:
    """Counts of one run, and its failures with their reasons."""

    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0
    facts: int = 0
    seconds: float = 0.0
    parse_seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.stored + self.replaced + self.unchanged + self.failed

    def add(self, r: IngestResult) -> None:
        if r.status == "stored":
            self.stored += 1
        elif r.status == "replaced":
            self.replaced += 1
        elif r.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1
            self.failures.append((r.source, r.reason or ""))
        self.facts += r.facts
        self.parse_seconds += r.seconds

    def text(self) -> str:
        """One line in Chinese for the end of a run."""
        rate = self.files / self.seconds if self.seconds > 0 else 0.0
        return (f"共 {self.files} 个文件：新存入 {self.stored}，替换旧版本 {self.replaced}，"
                f"未变化 {self.unchanged}，失败 {self.failed}；事实 {self.facts} 条；"
                f"用时 {self.seconds:.1f} 秒（{rate:.1f} 个/秒）。")


def collect(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """``(path, name as given)`` for every file: files as given, folders walked
    recursively in sorted order (supported extensions only, hidden entries skipped)."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                rel = sub.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if sub.is_file() and sub.suffix.lower() in EXTENSIONS:
                    yield sub, str(sub)
        else:
            yield p, str(given)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ingest(store: Store, paths: Iterable[str | Path], jobs: int | None = None,
           batch: int = 32, progress: bool | None = None,
           on_result: Callable[[IngestResult], None] | None = None) -> IngestSummary:
    """Ingest every file under ``paths`` into ``store``. ``jobs`` worker processes parse
    (default: one per core; 1 parses in this process); results are written ``batch``
    documents per transaction. ``progress`` shows a bar on stderr (default: when stderr is
    a terminal)."""
    t0 = time.perf_counter()
    files = list(collect(paths))
    summary = IngestSummary()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    bar = _Progress(len(files), progress)

    def done(results: list[IngestResult]) -> None:
        for r in results:
            summary.add(r)
            bar.advance(r)
            if on_result is not None:
                on_result(r)

    pending: list[Prepared] = []

    def flush(force: bool = False) -> None:
        if pending and (force or len(pending) >= batch):
            done(store.store_many(pending))
            pending.clear()

    with bar:
        todo: list[tuple[str, str]] = []
        for path, name in files:
            known = _known(store, path)
            if known is not None:
                done([IngestResult(name, "unchanged", id=known)])
            else:
                todo.append((str(path), name))
        for p in _prepared(todo, jobs):
            pending.append(p)
            flush()
        flush(force=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def _known(store: Store, path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = content_hash(data)
    return document_id(digest) if store.known(digest) else None


def _prepared(todo: list[tuple[str, str]], jobs: int) -> Iterator[Prepared]:
    """Prepared documents, in completion order, at most a few per worker in flight."""
    if jobs == 1 or len(todo) <= 1:
        for path, name in todo:
            yield prepare_path(path, name)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        queue = iter(todo)
        running: set[Future[Prepared]] = set()
        for path, name in queue:
            running.add(pool.submit(prepare_path, path, name))
            if len(running) >= jobs * 4:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                yield f.result()
            for path, name in queue:
                running.add(pool.submit(prepare_path, path, name))
                if len(running) >= jobs * 4:
                    break


class _Progress:
    """A rich progress bar on stderr, silent when stderr is not a terminal."""

    def __init__(self, total: int, show: bool | None) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.show = self.console.is_terminal if show is None else show
        self.total = total
        self._progress: object | None = None
        self._task: object | None = None

    def __enter__(self) -> _Progress:
        if self.show:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            progress = Progress(TextColumn("入库"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=self.console)
            progress.start()
            self._task = progress.add_task("ingest", total=self.total)
            self._progress = progress
        return self

    def advance(self, r: IngestResult) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()  # type: ignore[attr-defined]
