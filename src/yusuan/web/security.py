"""The web app's security rules, kept in one place so each can be tested on its own.

- who may write: the contract's bearer token (``--token`` / ``YUSUAN_TOKEN``), or, when no
  token is configured, loopback clients only; a browser that logged in with the token gets
  it as an HttpOnly, SameSite=Strict cookie;
- CSRF: HTML forms carry a double-submit token (cookie + hidden field, compared in constant
  time); API writes refuse requests that a browser marks as cross-site;
- response headers: a CSP without inline scripts, no framing, no MIME sniffing;
- spreadsheet exports: cells that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
CSRF_COOKIE = "yusuan_csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "yusuan_token"

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

#: The first characters that make a spreadsheet treat a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    return host in LOOPBACK or host.startswith("127.")


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, or None."""
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def may_write(token: str | None, client_host: str | None, headers: Mapping[str, str],
              cookies: Mapping[str, str]) -> bool:
    """The contract's write rule: the configured token (header or login cookie), or a
    loopback client when no token is configured."""
    if token is None:
        return is_loopback(client_host)
    return same_secret(bearer(headers), token) or same_secret(cookies.get(TOKEN_COOKIE), token)


def cross_site(headers: Mapping[str, str], host: str | None) -> bool:
    """True when a browser tells us the request comes from another site: by
    ``Sec-Fetch-Site`` when sent, else by an ``Origin`` whose host is not ours. Scripts
    (curl, httpx) send neither and are judged by the write rule alone."""
    site = (headers.get("sec-fetch-site") or "").lower()
    if site:
        return site not in {"same-origin", "none"}
    origin = headers.get("origin")
    if origin is None:
        return False
    netloc = origin.split("://", 1)[-1].rstrip("/")
    return origin == "null" or host is None or netloc != host


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(cookie: str | None, field: str | None) -> bool:
    """Double-submit check: the form's field equals the cookie (both present)."""
    if not cookie or not field:
        return False
    return hmac.compare_digest(cookie.encode(), field.encode())


def neutralise(value: object) -> object:
    """A cell value safe to put in a spreadsheet: text that begins like a formula gets a
    leading apostrophe-free quote character (``'``) so it stays text. Numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
