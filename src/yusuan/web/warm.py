"""Materialise pages ahead of the first visit: render every document's page, its audit
JSON and the list pages once and keep them in the store's ``web_pages`` table.

A cold document page costs ~60–150 ms of CPU (fetching and decoding the model, matching
findings, rendering); served from ``web_pages`` it costs ~1–2 ms (decompress, put the
client's CSRF token in). Pages are rendered through the app itself (the real routes and
templates, in process, no socket), so a materialised page is exactly the page a visitor
would get. ``yusuan serve`` runs :func:`start_background` after startup (only pages not
stored yet are rendered; a write through the app deletes just the pages it changes, which
are then rendered again on their first visit); :func:`materialise_db` does it in the
foreground for a store file (benchmarks, or after a large ``yusuan ingest``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

#: Client addresses the pages are rendered for: a loopback client (may write when no token
#: is configured) and a remote one (reads only), i.e. both variants of a page.
WRITER = "127.0.0.1"
READER = "192.0.2.1"


def urls(store: Any) -> list[str]:
    """The pages to materialise: lists first, then each current document's page and audit."""
    years = [r[0] for r in store.cursor().execute(
        "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY 1").fetchall()]
    deps = [r[0] for r in store.cursor().execute(
        "SELECT DISTINCT department FROM documents WHERE department IS NOT NULL ORDER BY 1").fetchall()]
    ids = [r[0] for r in store.cursor().execute(
        "SELECT id FROM documents ORDER BY year DESC NULLS LAST, department").fetchall()]
    out = ["/", "/documents", "/departments", "/analysis"]
    out += [f"/documents?year={y}" for y in years]
    out += [f"/departments/{quote(str(d))}" for d in deps]
    for i in ids:
        out += [f"/documents/{i}", f"/api/documents/{i}/audit"]
    return out


def page_cache(app: Any) -> Any:
    """The app's :class:`~yusuan.web.middleware.PageCache` (None before the first request)."""
    from yusuan.web.middleware import PageCache

    layer = getattr(app, "middleware_stack", None)
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    return layer


def _stored(app: Any, url: str, host: str) -> bool:
    from yusuan.web import security

    cache = page_cache(app)
    if cache is None:
        return False
    writer = security.may_write(app.state.settings.token, host, {}, {})
    path, _, query = url.partition("?")
    from urllib.parse import unquote

    return f"{unquote(path)}?{query}|{'w' if writer else 'r'}" in cache._stored


async def _get(app: Any, url: str, host: str) -> None:
    from urllib.parse import unquote

    path, _, query = url.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": unquote(path), "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "headers": [(b"host", b"localhost")],
             "client": (host, 0), "server": ("127.0.0.1", 80), "yusuan.warm": True}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    await app(scope, receive, send)


def materialise(app: Any, pages: Iterable[str] | None = None, pause: float = 0.0,
                hosts: tuple[str, ...] = (WRITER, READER)) -> int:
    """Render and store the pages not stored yet (all of :func:`urls` by default) for each
    client kind; returns how many URLs were visited. ``pause`` seconds between pages
    leave the interpreter to the server's requests when run beside them."""

    async def run() -> int:
        if page_cache(app) is None:
            await _get(app, "/healthz", WRITER)  # builds the middleware stack
        n = 0
        stop = getattr(app.state, "warm_stop", None)
        for url in pages if pages is not None else urls(app.state.store):
            if stop is not None and stop.is_set():  # the app is shutting down
                break
            for host in hosts:
                if _stored(app, url, host):
                    continue
                try:
                    await _get(app, url, host)
                except Exception:  # that page is rendered on its first visit instead
                    import logging

                    logging.getLogger("yusuan.web").exception("materialising %s failed", url)
            n += 1
            if pause:
                await asyncio.sleep(pause)
        return n

    return asyncio.run(run())


def start_background(app: Any, pages: Iterable[str] | None = None,
                     pause: float = 0.002) -> threading.Thread:
    """Materialise the missing pages (all, or ``pages``) in a daemon thread (``yusuan
    serve`` at startup; an upload for the pages it changed)."""
    todo = None if pages is None else list(pages)

    def work() -> None:
        import logging

        t = time.perf_counter()
        try:
            n = materialise(app, todo, pause=pause)
        except Exception:  # a page that fails is rendered again on its visit
            logging.getLogger("yusuan.web").exception("materialising pages failed")
            return
        logging.getLogger("yusuan.web").info("materialised %d pages in %.1f s", n, time.perf_counter() - t)

    thread = threading.Thread(target=work, name="yusuan-warm", daemon=True)
    threads: list[threading.Thread] = app.state.warm_threads
    threads[:] = [t for t in threads if t.is_alive()] + [thread]
    thread.start()
    return thread


def enabled(app: Any) -> bool:
    """Whether this app materialises pages in the background (``yusuan serve``)."""
    return bool(getattr(app.state, "warm", False))


def stop(app: Any, timeout: float = 10.0) -> None:
    """Stop background materialisation (at shutdown, before the store closes)."""
    app.state.warm_stop.set()
    for t in app.state.warm_threads:
        t.join(timeout)


def materialise_db(db_path: str, workers: int = 1) -> int:
    """Materialise the pages of a store file in the foreground (the app is created for it
    and closed afterwards)."""
    from yusuan.web.app import create_app

    app = create_app(db_path, workers=workers)
    try:
        return materialise(app)
    finally:
        app.state.worker.close()
        app.state.store.close()
