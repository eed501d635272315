"""Pure ASGI middleware of the web app: the request guard and the page cache.

Starlette's ``BaseHTTPMiddleware`` (``@app.middleware("http")``) runs every request through
an extra task and memory streams; these two classes do the same work on the raw ASGI
messages instead.

- :class:`Guard` (outermost): refuses bodies over the upload limit from ``Content-Length``
  (413), gives every client a CSRF cookie (double-submit token, see
  :mod:`yusuan.web.security`) and adds the security headers to every response.
- :class:`PageCache`: keeps the bodies of successful ``GET`` pages and their JSON twins,
  keyed by (path, query, whether the client may write), in memory (LRU) and, compressed,
  in the store's ``web_pages`` table, so a page rendered once (or materialised ahead by
  :mod:`yusuan.web.warm`) is served without touching the model again, also after a
  restart. Each page depends on one document, one department or the whole store
  (:func:`depends_of`); every committed store write deletes the stored pages it changes
  in its own transaction and tells the cache (``Store.on_write``), which forgets the same
  pages in memory, so nothing written is ever served stale while the rest stays warm.
  (The store file is opened read-write by this process, which DuckDB allows to one
  process only, so no other program can change it while the app runs.) Pages are rendered
  with a marker in place of the client's CSRF token and the token is put in when a page
  is served, so one cached body serves every client. Cached responses carry an ``ETag``;
  a matching ``If-None-Match`` gets ``304``. Concurrent misses of the same page wait for
  the first one instead of rendering it again.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from yusuan.web import security

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Paths whose GET responses are cached (prefix match), and the ones never cached.
CACHED_PREFIXES = ("/documents", "/departments", "/analysis", "/api/documents")
NOT_CACHED = ("/pages/",)
MAX_ENTRY = 8 * 1024 * 1024


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or ():
        if k == name:
            return bytes(v).decode("latin-1")
    return None


def _headers(scope: Scope) -> dict[str, str]:
    return {bytes(k).decode("latin-1"): bytes(v).decode("latin-1") for k, v in scope.get("headers") or ()}


def _cookies(scope: Scope) -> dict[str, str]:
    from starlette.requests import cookie_parser

    raw = _header(scope, b"cookie")
    return cookie_parser(raw) if raw else {}


def _json_413(limit: int) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    import json

    body = json.dumps({"ok": False, "error": f"请求超过 {limit // (1024 * 1024)} MB 的上限。"},
                      ensure_ascii=False).encode()
    return 413, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())], body


class Guard:
    """Body size limit, CSRF cookie and security headers, as pure ASGI."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body
        self._security = [(k.lower().encode(), v.encode()) for k, v in security.SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            status, headers, body = _json_413(self.max_body)
            await send({"type": "http.response.start", "status": status,
                        "headers": headers + self._security})
            await send({"type": "http.response.body", "body": body})
            return
        cookie = _cookies(scope).get(security.CSRF_COOKIE)
        token = cookie or security.new_csrf()
        scope.setdefault("state", {})["csrf"] = token
        extra: list[tuple[bytes, bytes]] = []
        if not cookie:
            extra.append((b"set-cookie", f"{security.CSRF_COOKIE}={token}; HttpOnly; Path=/; "
                                         "SameSite=strict".encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {bytes(k).lower() for k, _ in headers}
                headers += [(k, v) for k, v in self._security if k not in present]
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True, slots=True)
class Entry:
    """A cached response: its body still holds the CSRF marker where the token goes."""

    depends: str
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    digest: str
    has_marker: bool


def depends_of(path: str) -> str:
    """What a page shows, as a ``web_pages.depends`` value: one document (``doc:<id>``),
    one department (``dept:<name>``) or the whole store (``''``: lists, analysis)."""
    for prefix in ("/api/documents/", "/documents/"):
        if path.startswith(prefix):
            doc = path[len(prefix):].split("/", 1)[0]
            return f"doc:{doc}" if doc else ""
    if path.startswith("/departments/"):
        return "dept:" + path[len("/departments/"):]
    return ""


def persistable(query: bytes) -> bool:
    """Only pages a visitor reaches by links are kept in the store (no arbitrary query
    strings, which would let anyone fill the disk)."""
    return query in (b"", b"format=json") or re.fullmatch(rb"year=\d{1,4}", query) is not None


class PageCache:
    """The page cache (see the module docstring). With a ``store``, rendered pages are also
    kept compressed in its ``web_pages`` table (and read back from it after a restart),
    and a write forgets only the pages it changes (the store tells which)."""

    def __init__(self, app: ASGIApp, token: str | None, max_bytes: int = 256 * 1024 * 1024,
                 store: Any = None) -> None:
        self.app = app
        self.token = token
        self.max_bytes = max_bytes
        self.store = store
        self.generation = 0  # counts invalidations
        self.size = 0
        self.hits = 0
        self.misses = 0
        self.stored_hits = 0
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._pending: dict[tuple[Any, ...], asyncio.Event] = {}
        self._dirty: list[frozenset[str]] = []
        #: key → (depends, status, headers JSON, compressed body) of the stored pages
        self._stored: dict[str, tuple[str, int, str, bytes]] = {}
        if store is not None:
            self.marker = str(store.page_marker())
            for key, dep, status, headers, body in store.pages():
                self._stored[key] = (dep, status, headers, body)
            store.on_write.append(self._written)
        else:
            self.marker = "yusuan-csrf-" + secrets.token_hex(16)
        self._marker = self.marker.encode()

    def _written(self, depends: frozenset[str]) -> None:
        """Called by the store (in the writing thread) after each committed write: the
        stored pages go now (the store deleted them already), the ones in memory when the
        event loop next runs (:meth:`_apply`)."""
        self.generation += 1
        for skey in [k for k, v in list(self._stored.items()) if v[0] in depends]:
            self._stored.pop(skey, None)
        self._dirty.append(depends)

    def _apply(self) -> None:
        """Forget the pages the writes since the last call changed (event loop thread)."""
        gone: set[str] = set()
        while self._dirty:
            gone |= self._dirty.pop()
        for key in [k for k, e in self._entries.items() if e.depends in gone]:
            self.size -= len(self._entries.pop(key).body)

    def bump(self) -> None:
        """Forget every cached page in memory (the stored ones stay)."""
        self.generation += 1
        self._entries.clear()
        self.size = 0

    @staticmethod
    def cacheable(scope: Scope) -> bool:
        path: str = scope["path"]
        if scope["method"] != "GET" or (not path.startswith(CACHED_PREFIXES) and path != "/"):
            return False
        return not any(p in path for p in NOT_CACHED)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._dirty and not scope.get("yusuan.warm"):  # warm runs in another thread
            self._apply()
        if scope["method"] not in ("GET", "HEAD"):
            if self.store is not None:  # the store reports exactly what its writes change
                await self.app(scope, receive, send)
                return
            self.bump()
            try:
                await self.app(scope, receive, send)
            finally:
                self.bump()
            return
        if not self.cacheable(scope):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        csrf = str(state.get("csrf") or "")
        host = scope["client"][0] if scope.get("client") else None
        writer = security.may_write(self.token, host, _headers(scope), _cookies(scope))
        query = bytes(scope.get("query_string") or b"")
        key = (scope["path"], query, writer)
        skey = f"{scope['path']}?{query.decode('latin-1')}|{'w' if writer else 'r'}"
        if scope.get("yusuan.warm"):  # materialising (yusuan.web.warm): render and store only
            if skey not in self._stored:
                await self._render(scope, receive, key, skey, csrf, keep=False)
            return
        while True:
            entry = self._entries.get(key)
            if entry is not None:
                self.hits += 1
                self._entries.move_to_end(key)
                await self._serve(scope, send, entry, csrf)
                return
            waiting = self._pending.get(key)
            if waiting is None:
                break
            await waiting.wait()
            if key not in self._entries:  # the first one was not cacheable: render ourselves
                break
        stored = self._stored.get(skey)
        if stored is not None:
            self.stored_hits += 1
            entry = self._unpack(stored)
            self._keep(key, entry)
            await self._serve(scope, send, entry, csrf)
            return
        self.misses += 1
        event = self._pending[key] = asyncio.Event()
        try:
            entry, kept = await self._render(scope, receive, key, skey, csrf, keep=True)
            await self._serve(scope, send, entry, csrf, cached=kept)
        finally:
            del self._pending[key]
            event.set()

    def _unpack(self, stored: tuple[str, int, str, bytes]) -> Entry:
        import json
        import zlib

        dep, status, headers, zbody = stored
        body = zlib.decompress(zbody)
        pairs = tuple((k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(headers))
        return Entry(dep, status, pairs, body, hashlib.blake2b(body, digest_size=12).hexdigest(),
                     self._marker in body)

    def _keep(self, key: tuple[Any, ...], entry: Entry) -> None:
        self._entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self._entries:
            _, old = self._entries.popitem(last=False)
            self.size -= len(old.body)

    async def _render(self, scope: Scope, receive: Receive, key: tuple[Any, ...], skey: str,
                      csrf: str, keep: bool) -> tuple[Entry, bool]:
        generation = self.generation
        version = None if self.store is None else self.store.version
        scope["state"]["csrf"] = self.marker
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body") or b""))

        try:
            await self.app(scope, receive, capture)
        finally:
            scope["state"]["csrf"] = csrf
        body = b"".join(chunks)
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers") or ()
                        if bytes(k).lower() != b"content-length")
        status = int(start.get("status") or 500)
        entry = Entry(depends_of(scope["path"]), status, headers, body,
                      hashlib.blake2b(body, digest_size=12).hexdigest(), self._marker in body)
        good = (status == 200 and len(body) <= MAX_ENTRY and generation == self.generation
                and not any(k.lower() == b"set-cookie" for k, _ in headers))
        if good and keep:
            self._keep(key, entry)
        if good and version is not None and persistable(key[1]):
            if keep:  # serving: compress and store off the event loop
                asyncio.get_running_loop().run_in_executor(None, self._persist, skey, entry, version)
            else:
                self._persist(skey, entry, version)
        return entry, good and keep

    def _persist(self, skey: str, entry: Entry, version: int) -> None:
        import json
        import zlib

        headers = json.dumps([[k.decode("latin-1"), v.decode("latin-1")] for k, v in entry.headers])
        zbody = zlib.compress(entry.body, 6)
        try:
            kept = self.store.put_page(skey, entry.depends, entry.status, headers, zbody, version)
        except Exception:  # the store was closed meanwhile: the page is rendered again later
            return
        if kept:
            self._stored[skey] = (entry.depends, entry.status, headers, zbody)

    async def _serve(self, scope: Scope, send: Send, entry: Entry, csrf: str, cached: bool = True) -> None:
        body = entry.body.replace(self._marker, csrf.encode()) if entry.has_marker else entry.body
        headers = [(k, v) for k, v in entry.headers if k.lower() != b"content-length"]
        status = entry.status
        if cached:
            tag = f'"{entry.digest}'
            if entry.has_marker:
                tag += "-" + hashlib.blake2b(csrf.encode(), digest_size=4).hexdigest()
            tag += '"'
            headers.append((b"etag", tag.encode()))
            if not any(k.lower() == b"cache-control" for k, _ in headers):
                headers.append((b"cache-control", b"private, no-cache"))
            if _header(scope, b"if-none-match") == tag:
                status, body = 304, b""
                headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
