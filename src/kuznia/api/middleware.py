"""Hardening as plain ASGI middleware: the client's address behind trusted proxies only, an
access log, a request body limit, and security headers."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)
"""Swagger UI's page (its files served by kuznia; one inline script starts it): nothing else."""
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


def _csp(path: str, docs_path: str) -> bytes:
    if path.startswith(docs_path):
        return DOCS_CSP.encode()
    return (API_CSP if path.startswith("/api") else PAGE_CSP).encode()


def _authenticated(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"authorization" or (name == b"cookie" and b"kuznia_session=" in value):
            return True
    return False


class SecurityHeaders:
    """Adds security headers a response does not set itself; HSTS over HTTPS; ``Cache-Control:
    no-store`` on every API answer and on every answer to a logged-in request (pages with
    secret fields must not stay in a browser's or a proxy's cache), static assets apart."""

    def __init__(self, app: ASGIApp, docs_path: str = "/api/docs") -> None:
        self.app = app
        self.docs_path = docs_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        https = scope.get("scheme") == "https"
        no_store = path.startswith("/api") or (
            _authenticated(scope) and not path.startswith("/assets/")
        )

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [*COMMON_HEADERS, (b"content-security-policy", _csp(path, self.docs_path))]
                if no_store:
                    extra.append((b"cache-control", b"no-store"))
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(n, v) for n, v in extra if n not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _too_large(limit: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps(
        {
            "type": "urn:kuznia:problem:payload-too-large",
            "title": "Payload too large",
            "status": 413,
            "detail": f"the request body exceeds {limit} bytes",
            "instance": None,
            "errors": [],
        }
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    return body, headers


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, whether announced by
    Content-Length or streamed in chunks (the body is read up to the limit, then replayed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body, headers = _too_large(self.limit)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").partition("]")[0] or text)
    except ValueError:
        return None


def forwarded_client(peer: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address: ``peer`` itself unless it is a trusted proxy; then the right-most
    ``X-Forwarded-For`` hop that is not a trusted proxy (what a client writes to the left of its
    own address is never believed)."""

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    client = peer
    if not is_trusted(peer):
        return client
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if _address(hop) is None:
            break
        client = hop
        if not is_trusted(hop):
            break
    return client


class ClientAddress:
    """Sets the ASGI client (and scheme) from ``X-Forwarded-For``/``-Proto`` only when the peer
    is a configured trusted proxy (``KUZNIA_TRUSTED_PROXIES``); by default no one is trusted,
    so no client can choose the address that its login attempts are throttled under."""

    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.trusted = [ipaddress.ip_network(t, strict=False) for t in trusted]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and self.trusted and peer:
            headers = scope.get("headers", [])
            hops = b",".join(v for n, v in headers if n.lower() == b"x-forwarded-for")
            client = forwarded_client(str(peer[0]), hops.decode("latin-1"), self.trusted)
            if client != peer[0]:
                scope = {**scope, "client": (client, 0)}
                protos = [v for n, v in headers if n.lower() == b"x-forwarded-proto"]
                proto = protos[-1].decode("latin-1").split(",")[-1].strip() if protos else ""
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
access_log = logging.getLogger("kuznia.access")


def _request_id(scope: Scope) -> str:
    sent = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
    return sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex


def _query_keys(scope: Scope) -> list[str]:
    """The names of the query parameters, never their values (``?token=`` is a secret)."""
    raw = scope.get("query_string", b"").decode("latin-1")
    keys = (part.split("=", 1)[0] for part in raw.split("&") if part)
    return sorted({k[:40] for k in keys if k})[:20]


class AccessLog:
    """One structured line per request: request id (the client's ``X-Request-ID`` if sane, else
    a new one, echoed back), user id, method, route template, status, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, request_id, status = time.perf_counter(), _request_id(scope), 500
        state = scope.setdefault("state", {})
        state["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                message["headers"] = [*headers, (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._log(scope, request_id, status, time.perf_counter() - started)

    @staticmethod
    def _log(scope: Scope, request_id: str, status: int, seconds: float) -> None:
        route = scope.get("route")
        client = scope.get("client")
        fields = {
            "request_id": request_id,
            "user_id": scope.get("state", {}).get("user_id"),
            "method": scope.get("method"),
            "route": getattr(route, "path", None) or "unmatched",
            "path": scope.get("path", "")[:200],
            "query_keys": _query_keys(scope),
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
            "pid": os.getpid(),
        }
        level = logging.ERROR if status >= 500 else logging.INFO
        access_log.log(level, "%s %s %s", fields["method"], fields["route"], status, extra=fields)
