"""The web app's page cache and request guard (yusuan.web.middleware): cached pages are
never stale after a write, each client gets its own CSRF token in a cached page, ETag
revalidation answers 304, only successful GET pages are kept, and uploads report their
audit time apart from the wait for a worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_helpers import LOOPBACK, client


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with client(tmp_path_factory.mktemp("webcache") / "cache.duckdb") as c:
        yield c


def _page_cache(c: Any) -> Any:
    from yusuan.web.middleware import PageCache

    layer = c.app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    assert layer is not None, "PageCache is not in the middleware stack"
    return layer


def test_pages_follow_uploads_and_deletes(app_client: Any, reference_path: Path) -> None:
    before = app_client.get("/documents?format=json").json()["documents"]
    app_client.get("/documents")  # cached now
    r = app_client.post("/api/documents", files={"file": (reference_path.name, reference_path.read_bytes())})
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    after = app_client.get("/documents?format=json").json()["documents"]
    assert [d["id"] for d in after] == [doc_id] + [d["id"] for d in before]
    assert doc_id in app_client.get("/documents").text
    assert app_client.get(f"/documents/{doc_id}").status_code == 200
    assert app_client.delete(f"/api/documents/{doc_id}").status_code == 200
    assert doc_id not in app_client.get("/documents").text
    assert app_client.get(f"/documents/{doc_id}").status_code == 404


def test_repeat_requests_are_served_from_the_cache(app_client: Any) -> None:
    cache = _page_cache(app_client)
    app_client.get("/departments?format=json")
    hits, misses = cache.hits, cache.misses
    first = app_client.get("/departments?format=json")
    second = app_client.get("/departments?format=json")
    assert first.content == second.content
    assert (cache.hits, cache.misses) == (hits + 2, misses)
    app_client.get("/healthz")  # not a cached path
    assert (cache.hits, cache.misses) == (hits + 2, misses)


def test_etag_revalidation_answers_304(app_client: Any) -> None:
    r = app_client.get("/departments")
    tag = r.headers["etag"]
    again = app_client.get("/departments", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert "default-src 'self'" in again.headers["content-security-policy"]
    other = app_client.get("/departments", headers={"If-None-Match": '"0-stale"'})
    assert other.status_code == 200 and other.content == r.content


def test_each_client_gets_its_own_csrf_token_in_a_cached_page(tmp_path: Path) -> None:
    with client(tmp_path / "a.duckdb", LOOPBACK) as a:
        a.get("/")
        first = a.cookies.get("yusuan_csrf")
        a.cookies.clear()
        page = a.get("/")  # same cached body, new client without a cookie
        second = a.cookies.get("yusuan_csrf")
        assert first and second and first != second
        fields = re.findall(r'name="csrf" value="([^"]+)"', page.text)
        assert fields == [second]
        assert "yusuan-csrf-" not in page.text  # the cache's marker never leaks


def test_error_pages_are_not_cached_and_carry_the_client_token(app_client: Any) -> None:
    cache = _page_cache(app_client)
    misses = cache.misses
    for _ in range(2):
        r = app_client.get("/documents/nonexistent0000")
        assert r.status_code == 404
        assert "yusuan-csrf-" not in r.text
    assert cache.misses == misses + 2


def test_too_large_requests_are_refused_before_reading(tmp_path: Path) -> None:
    with client(tmp_path / "b.duckdb", max_upload_bytes=1024) as c:
        r = c.post("/api/documents", content=b"x" * 200_000,
                   headers={"content-type": "application/octet-stream"})
        assert r.status_code == 413
        assert r.json()["ok"] is False
        assert r.headers["x-frame-options"] == "DENY"


def test_upload_reports_audit_time_apart_from_waiting(app_client: Any, reference_path: Path) -> None:
    body = reference_path.read_bytes() + b"\n<!-- timing -->\n"
    r = app_client.post("/api/documents", files={"file": ("timing.md", body)})
    assert r.status_code == 201, r.text
    out = r.json()
    assert 0 < out["audit_seconds"] <= out["seconds"]
    assert 0 <= out["queued_seconds"] <= out["seconds"]
