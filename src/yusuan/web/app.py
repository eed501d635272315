"""The web application: ``create_app(db_path, token=None, ...)``.

Server-rendered pages in Chinese over the embedded store, each with a JSON twin
(``?format=json``), the contract's HTTP API under ``/api``, and local OpenAPI docs. All
document text goes through Jinja2 autoescaping; uploads are bounded and processed in a
worker pool with a time limit (:mod:`yusuan.web.worker`); the write rule, CSRF and the
security headers are in :mod:`yusuan.web.security`. No request value ever becomes a file
system path: documents are looked up by id in the database.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """The app's configuration (``yusuan serve`` options; see docs/web.md)."""

    db_path: str
    token: str | None = None
    max_upload_bytes: int = 50 * MB
    max_pages: int = 500
    timeout: float = 60.0
    workers: int = 2
    max_files: int = 20
    cache_mb: int = 256


def cores() -> int:
    """The cores this process may run on (the default size of the upload worker pool)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def create_app(db_path: str | Path, token: str | None = None, *, max_upload_bytes: int = 50 * MB,
               max_pages: int = 500, timeout: float = 60.0, workers: int | None = None,
               cache_mb: int = 256, prestart: bool = False) -> FastAPI:
    """The FastAPI app on the store at ``db_path``. ``token`` defaults to ``YUSUAN_TOKEN``;
    ``workers`` (upload processes) defaults to the number of cores; ``cache_mb`` bounds the
    page cache (:mod:`yusuan.web.middleware`); ``prestart`` starts the upload processes
    with the app instead of at the first upload, and materialises the pages not stored
    yet in a background thread (``yusuan serve`` does)."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    from yusuan.store.db import Store
    from yusuan.web import routes
    from yusuan.web.worker import Worker

    token = token if token is not None else (os.environ.get("YUSUAN_TOKEN") or None)
    workers = workers if workers and workers > 0 else cores()
    settings = Settings(str(db_path), token, max_upload_bytes, max_pages, timeout, workers,
                        cache_mb=cache_mb)
    store = Store(settings.db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if prestart:
            app.state.worker.start()
            from yusuan.web import warm

            warm.start_background(app)  # pages not stored yet (yusuan.web.warm)
        yield
        from yusuan.web import warm

        warm.stop(app)
        app.state.worker.close()
        store.close()

    app = FastAPI(title="yusuan 预算公开", version="0.1.0", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", lifespan=lifespan,
                  description="部门预决算公开文件的审核、浏览、对比与编制。写操作需要令牌（或本机访问）。")
    app.state.settings = settings
    app.state.store = store
    app.state.worker = Worker(workers, timeout, max_pages)
    app.state.warm = prestart  # materialise pages in the background (yusuan.web.warm)
    app.state.warm_stop = threading.Event()
    app.state.warm_threads = []
    routes.install(app)
    return app
