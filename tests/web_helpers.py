"""Helpers shared by the web tests: an app on a fresh store, a loopback test client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.7", 50000)


@contextmanager
def client(db: Path, client_addr: tuple[str, int] = LOOPBACK, **settings: Any) -> Iterator[Any]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from yusuan.web.app import create_app

    app = create_app(db, **settings)
    with TestClient(app, client=client_addr) as c:
        yield c


def csrf(c: Any) -> str:
    """The CSRF cookie the app sets on the first page."""
    c.get("/")
    token = c.cookies.get("yusuan_csrf")
    assert token
    return str(token)
