"""Materialised pages (store table web_pages, yusuan.web.warm): a stored page equals the
freshly rendered one, survives a restart, and a write forgets exactly the pages it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from web_helpers import client


def _cache(c: Any) -> Any:
    from yusuan.web.middleware import PageCache

    layer = c.app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    assert layer is not None
    return layer


def _stored_keys(c: Any) -> set[str]:
    return {k for k, *_ in c.app.state.store.pages()}


def test_materialised_pages_equal_fresh_ones_and_follow_writes(tmp_path: Path, reference_path: Path) -> None:
    from yusuan.web import warm

    db = tmp_path / "pages.duckdb"
    data = reference_path.read_bytes()
    with client(db) as c:
        first = c.post("/api/documents", files={"file": ("a.md", data)}).json()["id"]
        second = c.post("/api/documents", files={"file": ("b.md", data + "\n\n附：另一版本。\n".encode())})
        assert second.status_code == 201
        fresh = {u: c.get(u).content for u in (f"/documents/{first}?format=json", "/departments?format=json")}
        c.app.state.store.forget_pages([f"doc:{first}"])
    with client(db) as c:  # a new process: pages come from the store
        assert warm.materialise(c.app, [f"/documents/{first}?format=json", "/departments?format=json"]) == 2
        keys = _stored_keys(c)
        assert f"/documents/{first}?format=json|w" in keys and f"/documents/{first}?format=json|r" in keys
    with client(db) as c:
        cache = _cache(c)
        for url, body in fresh.items():
            assert c.get(url).content == body
        assert cache.stored_hits == 2 and cache.misses == 0
        # a document page keeps its CSRF form working from the stored body
        c.get(f"/documents/{first}")
        html = c.get(f"/documents/{first}").text
        assert c.cookies.get("yusuan_csrf") in html and cache.marker not in html
        # a delete forgets its own page and the lists, not the pages of other documents
        other = c.get("/api/documents?limit=10").json()["documents"]
        kept = [d["id"] for d in other if d["id"] != first]
        assert kept
        warm.materialise(c.app, [f"/api/documents/{kept[0]}/audit"])
        survivors = [k for k in _stored_keys(c) if k.startswith(f"/api/documents/{kept[0]}")]
        assert len(survivors) == 2
        assert c.delete(f"/api/documents/{first}").status_code == 200
        assert c.get(f"/documents/{first}?format=json").status_code == 404
        keys = _stored_keys(c)
        assert not any(k.startswith(f"/documents/{first}") for k in keys)
        assert "/departments?format=json|w" not in keys
        assert all(k in keys for k in survivors)
        deps = c.get("/departments?format=json").json()
        assert sum(d["documents"] for d in deps["departments"]) == len(kept)


def test_an_upload_forgets_lists_and_its_department_only(tmp_path: Path, reference_path: Path) -> None:
    from yusuan.store.synth import document
    from yusuan.web import warm

    db = tmp_path / "up.duckdb"
    with client(db) as c:
        synth = document(7, 0)
        r = c.post("/api/documents", files={"file": ("synth.md", synth.text.encode())})
        assert r.status_code == 201, r.text
        old = r.json()["id"]
        dept = r.json()["document"]["department"]
        warm.materialise(c.app)  # every page of the store, both client kinds
        keys = _stored_keys(c)
        assert {f"/documents/{old}?|w", f"/documents/{old}?|r", "/documents?|w", "/?|r"} <= keys
        r = c.post("/api/documents", files={"file": (reference_path.name, reference_path.read_bytes())})
        assert r.status_code == 201
        new, new_dept = r.json()["id"], r.json()["document"]["department"]
        assert new_dept != dept
        keys = _stored_keys(c)
        assert f"/documents/{old}?|w" in keys  # another document's page is still stored
        assert "/documents?|w" not in keys and "/?|r" not in keys  # lists are not
        from urllib.parse import quote

        assert any(k.startswith(f"/departments/{dept}?") for k in keys)  # other department kept
        assert new in c.get("/documents?format=json").text
        # what an upload starts in `yusuan serve`: its pages rendered again in the background
        urls = [f"/documents/{new}", "/documents", f"/departments/{quote(new_dept)}"]
        warm.start_background(c.app, urls).join(60)
        keys = _stored_keys(c)
        assert {f"/documents/{new}?|w", "/documents?|r", f"/departments/{new_dept}?|w"} <= keys
        assert c.get(f"/documents/{new}").status_code == 200
