"""``yusuan.collector``: the collector's threshold is raised and the heap frozen only while
the work runs, and the caller's setting comes back, also when uses overlap in threads."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from yusuan import collector


def test_threshold_and_freeze_are_restored_after_overlapping_uses() -> None:
    before = gc.get_threshold()
    seen: list[tuple[int, bool]] = []
    barrier = threading.Barrier(2)

    def hold() -> None:
        with collector.fewer_collections():
            barrier.wait()
            seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
            barrier.wait()

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [(max(collector.THRESHOLD, before[0]), True)] * 2
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_nested_uses_and_errors_restore_the_setting() -> None:
    before = gc.get_threshold()
    try:
        with collector.fewer_collections(), collector.fewer_collections():
            assert gc.get_threshold()[0] == max(collector.THRESHOLD, before[0])
            raise ValueError("inside")
    except ValueError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0



def test_the_pdf_writer_leaves_the_collector_as_it_found_it() -> None:
    from yusuan.render import load_budget, render
    from yusuan.render.derive import derive

    before = gc.get_threshold()
    doc = derive(load_budget(Path(__file__).resolve().parent.parent / "examples" / "zjk-trade-union-2024.yaml"))
    assert render(doc, "pdf").startswith(b"%PDF")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
