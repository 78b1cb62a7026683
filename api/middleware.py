"""The ASGI layers every request passes, outermost first:

    SecurityHeadersMiddleware   nosniff, frame denial, no referrer, CSP, Cache-Control on every response
    RequestLogMiddleware        one request_log row per /api/ request, answered or rejected; the access log line
    HostOriginMiddleware        Host allow-list (loopback only without keys); cross-origin state changes refused
    BodyLimitMiddleware         reads the body first, whatever its transfer encoding; past the cap 413, before auth
    CatchAllMiddleware          (api.errors) anything unexpected becomes the generic 500
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import HTTP_MESSAGES, error_response
from .reqlog import LOG_STATE, write_row
from .service_db import utcnow

access = logging.getLogger("api.access")
log = logging.getLogger("api")

BODY_STATE = "hrd_body"
STATE_CHANGING = {b"POST", b"PUT", b"PATCH", b"DELETE"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUESTION_ROUTES = {"/api/v1/ask", "/api/v1/ask/stream"}
API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGES = ("/", "/draft")  # the web pages (not API responses)
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _state(scope: Scope) -> dict:
    return scope.setdefault("state", {})


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or []:
        if k == name:
            return v.decode("latin-1")
    return None


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = PAGE_CSP if path in PAGES or path.startswith("/static/") else DOCS_CSP if path.startswith("/docs") else API_CSP
        cache = b"no-cache" if path.startswith(("/static/", "/docs-assets/")) else b"no-store"
        extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                 (b"referrer-policy", b"no-referrer"), (b"content-security-policy", csp.encode()),
                 (b"cross-origin-resource-policy", b"same-origin"), (b"cache-control", cache)]
        names = {k for k, _ in extra} | {b"server"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names] + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestLogMiddleware:
    """Writes the request_log row after the response is sent and logs one access line (path, no query)."""

    def __init__(self, app: ASGIApp, engine_of):
        self.app = app
        self.engine_of = engine_of  # () -> Engine, resolved per request (settings may point elsewhere in tests)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        t0 = time.perf_counter()
        client = (scope.get("client") or ("-", 0))[0]
        logged = path.startswith("/api/")
        request_id = uuid.uuid4().hex
        row: dict[str, Any] = {"request_id": request_id, "at": utcnow(), "client": client, "method": scope.get("method", ""),
                               "route": path[:200], "status": 500}
        _state(scope)[LOG_STATE] = row
        error = bytearray()

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                row["status"] = message["status"]
                if logged:
                    message["headers"] = list(message.get("headers", [])) + [(b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body" and row["status"] >= 400 and len(error) < 4096:
                error.extend(message.get("body", b"")[:4096])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            row["latency_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            access.info("%s %s %s %s %.0fms", client, row["method"], path, row["status"], row["latency_ms"])
            if logged:
                self._complete(scope, row, bytes(error))
                try:
                    await anyio.to_thread.run_sync(write_row, self.engine_of(), row)
                except Exception:
                    log.exception("request_log write failed")

    @staticmethod
    def _complete(scope: Scope, row: dict[str, Any], error: bytes) -> None:
        """Fill in the question of a request rejected before its handler ran, and the error message."""
        if row.get("question") is None:
            question = None
            if row["route"] in QUESTION_ROUTES:
                try:
                    body = json.loads(_state(scope).get(BODY_STATE) or b"{}")
                    question = body.get("question") if isinstance(body, dict) else None
                except (ValueError, UnicodeDecodeError):
                    question = None
            elif row["route"] == "/api/v1/search":
                question = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("q") or [None])[0]
            if isinstance(question, str):
                row["question"] = question[:4000]
        if row["status"] >= 400 and error and not row.get("error"):
            try:
                row["error"] = str(json.loads(error).get("error", ""))[:1000] or None
            except (ValueError, AttributeError, UnicodeDecodeError):
                row["error"] = None


class HostOriginMiddleware:
    """Refuse an unexpected Host (DNS rebinding) and a state-changing request from another origin."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str] | None):
        self.app = app
        self.allowed = allowed_hosts  # None: any Host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        name = urlsplit(f"//{host}").hostname or ""
        if self.allowed is not None and name not in self.allowed:
            await error_response("허용되지 않은 Host 헤더입니다.", 400)(scope, receive, send)
            return
        if scope.get("method", "").encode() in STATE_CHANGING:
            origin = _header(scope, b"origin")
            site = _header(scope, b"sec-fetch-site")
            if (origin is not None and urlsplit(origin).netloc != host) or site == "cross-site":
                await error_response("다른 출처(Origin)에서 보낸 요청은 받지 않습니다.", 403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Read the whole body (chunked or not) before the app, refusing it past `limit` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        res = error_response(HTTP_MESSAGES[413] + f" ({self.limit:,}바이트 이하)", 413, {"Connection": "close"})
        await res(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._too_large(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        _state(scope)[BODY_STATE] = body
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
