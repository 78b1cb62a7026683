"""One error shape for every failure: `{"ok": false, "error": "<한국어 메시지>", "status": <code>}`.

    HrdError (hrd.errors)                   status
    ├── InputError                          400
    ├── ToolError                           400
    │   ├── AmbiguousNameError              400
    │   ├── NotFoundError                   404
    │   └── SqlRejectedError                400
    ├── DataMissingError                    503
    ├── IndexUnavailableError               503
    ├── BackendError                        502
    ├── IngestError                         500 (its message is safe to show)
    └── ApiError (here)
        ├── AuthError                       401  no key, or an unknown or revoked one
        ├── ForbiddenError                  403  the key's role may not do this (or a cross-origin change)
        ├── RateLimitError                  429  too many requests for this key, or failed logins from an address
        ├── PayloadTooLargeError            413
        └── UnavailableError                503  a part of the service is not there yet
    request validation (FastAPI)            422
    anything else                           500  logged with its traceback, body is generic
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hrd.errors import (BackendError, DataMissingError, HrdError, IndexUnavailableError, IngestError, InputError,
                        NotFoundError, SqlRejectedError, ToolError)

log = logging.getLogger("api")


class ApiError(HrdError):
    """An HTTP-level failure of the API itself (auth, limits)."""

    status = 400
    headers: dict[str, str] = {}


class AuthError(ApiError):
    """No API key, or one that is unknown or revoked."""

    status = 401
    headers = {"WWW-Authenticate": "Bearer"}


class ForbiddenError(ApiError):
    """The key's role does not allow this request."""

    status = 403


class RateLimitError(ApiError):
    """Too many requests for one key within the window."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class PayloadTooLargeError(ApiError):
    """The request body is larger than the API accepts."""

    status = 413


class UnavailableError(ApiError):
    """A part of the service is not available (yet)."""

    status = 503


# most specific first: the first isinstance match wins
STATUS: list[tuple[type[BaseException], int]] = [
    (NotFoundError, 404),
    (SqlRejectedError, 400),
    (ToolError, 400),
    (InputError, 400),
    (DataMissingError, 503),
    (IndexUnavailableError, 503),
    (BackendError, 502),
    (IngestError, 500),
]

BODY_PARSE_DETAIL = "There was an error parsing the body"  # FastAPI's HTTPException for a body it cannot decode
GENERIC_500 = "서버 내부 오류가 발생했습니다. 잠시 후 다시 시도하거나 관리자에게 문의하세요."
HTTP_MESSAGES = {
    404: "요청한 주소를 찾을 수 없습니다.",
    405: "이 주소에서 허용되지 않는 요청 방식입니다.",
    413: "요청 본문이 너무 큽니다.",
}


def status_of(exc: BaseException) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def error_body(message: str, status: int) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(message, status), status_code=status, headers=headers)


FIELD_NAMES = {"question": "질문", "q": "검색어", "session_id": "세션", "offset": "offset", "limit": "limit"}


def _where(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    where = ".".join(parts) or "본문"
    return FIELD_NAMES.get(where, where)


def validation_message(exc: RequestValidationError) -> str:
    """A Korean summary of what was wrong; never echoes the submitted input."""
    msgs = []
    for e in exc.errors()[:5]:
        kind = e.get("type", "")
        where = _where(e.get("loc", ()))
        if kind == "json_invalid":
            msgs.append("JSON 형식이 아닙니다")
        elif kind == "missing":
            msgs.append(f"'{where}' 항목이 필요합니다")
        elif kind in ("literal_error", "enum"):
            allowed = (e.get("ctx") or {}).get("expected", "")
            msgs.append(f"'{where}' 값이 허용되지 않습니다(허용: {allowed})")
        elif kind.startswith(("greater_than", "less_than")):
            msgs.append(f"'{where}' 값이 허용 범위를 벗어났습니다")
        elif kind == "extra_forbidden":
            msgs.append(f"'{where}'은(는) 알 수 없는 항목입니다")
        elif kind == "string_too_long":
            limit = (e.get("ctx") or {}).get("max_length")
            msgs.append(f"'{where}' 값이 너무 깁니다({limit:,}자 이하)" if isinstance(limit, int) else f"'{where}' 값이 너무 깁니다")
        elif kind == "value_error":  # our validators' messages: Korean, never the input
            msgs.append(str(e.get("msg", "")).removeprefix("Value error, ") or f"'{where}' 값이 올바르지 않습니다")
        elif kind in ("string_too_short", "string_pattern_mismatch"):
            msgs.append(f"'{where}' 값이 비어 있습니다")
        elif kind == "string_unicode":  # a lone surrogate (or other invalid code point) in the text
            msgs.append(f"'{where}' 값에 짝이 없는 서로게이트 같은 잘못된 유니코드 문자가 있습니다")
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            msgs.append(f"'{where}' 값의 형식이 올바르지 않습니다")
        else:
            msgs.append(f"'{where}' 값이 올바르지 않습니다")
    return "요청 형식이 올바르지 않습니다: " + "; ".join(dict.fromkeys(msgs))


async def _hrd_error(request: Request, exc: Exception) -> JSONResponse:
    status = status_of(exc)
    if status >= 500:
        log.warning("%s %s → %s: %s", request.method, request.url.path, status, exc)
    return error_response(str(exc) or GENERIC_500, status, getattr(exc, "headers", None) or None)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(validation_message(exc), 422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == BODY_PARSE_DETAIL:  # undecodable body: malformed JSON, like json_invalid
        return error_response("요청 형식이 올바르지 않습니다: JSON 형식이 아닙니다", 422)
    message = HTTP_MESSAGES.get(exc.status_code)
    if message is None:
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code < 500 else GENERIC_500
    return error_response(message, exc.status_code, getattr(exc, "headers", None))


class CatchAllMiddleware:
    """Any unexpected exception becomes the generic 500 body; the traceback goes to the server log only."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # a streamed response is already under way: nothing safe to add
                raise
            body = json.dumps(error_body(GENERIC_500, 500), ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    """Register the one handler per error family and the innermost middleware (the generic 500)."""
    app.add_exception_handler(HrdError, _hrd_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(CatchAllMiddleware)
