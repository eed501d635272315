"""Pure ASGI middleware of the web app: the request guard and the page cache.

Starlette's ``BaseHTTPMiddleware`` (``@app.middleware("http")``) runs every request through
an extra task and memory streams; these two classes do the same work on the raw ASGI
messages instead.

- :class:`Guard` (outermost): refuses bodies over the upload limit from ``Content-Length``
  (413), gives every client a CSRF cookie (double-submit token, see
  :mod:`yusuan.web.security`) and adds the security headers to every response.
- :class:`PageCache`: keeps the bodies of successful ``GET`` pages and their JSON twins,
  keyed by (path, query, whether the client may write, the store's generation). Every
  request that is not a ``GET``/``HEAD`` (upload, delete, author, login) bumps the
  generation before and after it runs, so nothing written through the app is ever served
  stale. (The store file is opened read-write by this process, which DuckDB allows to one
  process only, so no other program can change it while the app runs.) Pages are rendered
  with a marker in place of the client's CSRF token and the token is put in when a page
  is served, so one cached body serves every client. Cached responses carry an ``ETag``;
  a matching ``If-None-Match`` gets ``304``. Concurrent misses of the same page wait for
  the first one instead of rendering it again.
"""

from __future__ import annotations

import asyncio
import hashlib
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

    generation: int
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    digest: str
    has_marker: bool


class PageCache:
    """The page cache (see the module docstring). ``generation`` counts writes."""

    def __init__(self, app: ASGIApp, token: str | None, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.app = app
        self.token = token
        self.max_bytes = max_bytes
        self.generation = 0
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._pending: dict[tuple[Any, ...], asyncio.Event] = {}
        self.marker = "yusuan-csrf-" + secrets.token_hex(16)
        self._marker = self.marker.encode()

    def bump(self) -> None:
        """Forget every cached page (called around every write)."""
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
        if scope["method"] not in ("GET", "HEAD"):
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
        key = (scope["path"], bytes(scope.get("query_string") or b""), writer)
        while True:
            entry = self._entries.get(key)
            if entry is not None and entry.generation == self.generation:
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
        self.misses += 1
        event = self._pending[key] = asyncio.Event()
        try:
            await self._miss(scope, receive, send, key, csrf)
        finally:
            del self._pending[key]
            event.set()

    async def _miss(self, scope: Scope, receive: Receive, send: Send, key: tuple[Any, ...],
                    csrf: str) -> None:
        generation = self.generation
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
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers") or ())
        status = int(start.get("status") or 500)
        entry = Entry(generation, status, headers, body, hashlib.blake2b(body, digest_size=12).hexdigest(),
                      self._marker in body)
        keep = (status == 200 and len(body) <= MAX_ENTRY and generation == self.generation
                and not any(k.lower() == b"set-cookie" for k, _ in headers))
        if keep:
            self._entries[key] = entry
            self.size += len(body)
            while self.size > self.max_bytes and self._entries:
                _, old = self._entries.popitem(last=False)
                self.size -= len(old.body)
        await self._serve(scope, send, entry, csrf, cached=keep)

    async def _serve(self, scope: Scope, send: Send, entry: Entry, csrf: str, cached: bool = True) -> None:
        body = entry.body.replace(self._marker, csrf.encode()) if entry.has_marker else entry.body
        headers = [(k, v) for k, v in entry.headers if k.lower() != b"content-length"]
        status = entry.status
        if cached:
            tag = f'"{entry.generation}-{entry.digest}'
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
