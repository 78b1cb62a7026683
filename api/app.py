"""The FastAPI application: versioned JSON endpoints under /api/v1, the web page at /, /docs offline.

    from api import create_app
    app = create_app()                 # settings from HRD_* (hrd.settings.get_settings)

Authentication: every route except the health probes, the page and the docs needs an API key
(`Authorization: Bearer KEY` or `X-API-Key`), made with `hrd keys create`. Roles: `viewer` asks,
searches and reads; `staff` also drafts; `admin` also re-ingests and reads the request log.
`HRD_NO_AUTH` (`hrd serve --no-auth`) is single-user mode: no keys, loopback Host only.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from hrd.settings import Settings, get_settings
from knowledge.db import engine_for

from . import docs, errors
from .deps import require_admin, require_staff, require_viewer
from .middleware import LOOPBACK, BodyLimitMiddleware, HostOriginMiddleware, RequestLogMiddleware, SecurityHeadersMiddleware
from .ratelimit import open_store
from .retention import prune_all
from .routes import admin, ask, audit, drafts, health, log, search, source, tables
from .schemas import ErrorOut

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/api/v1"
PRUNE_EVERY_SECONDS = 3600
logger = logging.getLogger("api")

DESCRIPTION = """서울시 인재개발원 주요업무 보고 질의응답 API.

* 모든 오류는 `{"ok": false, "error": "<메시지>", "status": <코드>}` 한 가지 모양입니다.
* API 키가 필요합니다: `Authorization: Bearer <키>`(또는 `X-API-Key`). 키는 `hrd keys create --role viewer --name 이름`으로 만듭니다.
  역할: viewer(질문·검색·표), staff(+답변서 초안), admin(+재적재·요청 기록).
* 키마다 분당 요청 한도가 있습니다(`HRD_RATE_LIMIT`, 기본 60). 넘으면 429와 `Retry-After`.
  같은 주소에서 인증 실패가 잦으면(`HRD_AUTH_FAIL_LIMIT`, 분당 10) 429.
* 요청 본문은 `HRD_MAX_BODY_BYTES`(기본 1 MiB)까지, 전송 방식과 상관없이 인증 전에 검사합니다(넘으면 413).
* 모든 요청은 요청 기록(`GET /api/v1/log`, admin)에 남습니다.
"""

COMMON = {status: {"model": ErrorOut, "description": text} for status, text in {
    401: "API 키가 없거나 유효하지 않음", 403: "권한 부족 또는 다른 출처의 요청", 413: "요청 본문이 너무 큼",
    422: "요청 형식 오류", 429: "요청 한도 초과(Retry-After)", 500: "서버 내부 오류",
    503: "데이터베이스·색인·한도 저장소를 쓸 수 없음"}.items()}
BAD_HOST = {"model": ErrorOut, "description": "잘못된 요청 또는 허용되지 않은 Host"}
PUBLIC = {400: BAD_HOST, 413: COMMON[413], 500: COMMON[500]}


def _allowed_hosts(settings: Settings) -> set[str] | None:
    if settings.no_auth:
        return set(LOOPBACK)
    names = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
    return names or None


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async def prune_forever() -> None:
            while True:
                try:
                    await anyio.to_thread.run_sync(prune_all, settings)
                except Exception as e:  # the database may come later (hrd ingest)
                    logger.warning("retention pruning skipped: %s", type(e).__name__)
                await anyio.sleep(PRUNE_EVERY_SECONDS)

        async with anyio.create_task_group() as tg:
            tg.start_soon(prune_forever)
            yield
            tg.cancel_scope.cancel()

    return lifespan


def _routers(app: FastAPI) -> None:
    app.include_router(health.router, prefix=PREFIX, responses=PUBLIC)
    app.include_router(health.probes, responses=PUBLIC)
    for module, dep in ((ask, require_viewer), (search, require_viewer), (tables, require_viewer), (audit, require_viewer),
                        (source, require_viewer), (drafts, require_staff), (admin, require_admin), (log, require_admin)):
        app.include_router(module.router, prefix=PREFIX, dependencies=[Depends(dep)], responses={**COMMON, 400: BAD_HOST})


def _openapi(app: FastAPI):
    """The generated schema, with `backend` (ask and drafts) listing only the backends this server can use."""
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            for model in ("AskIn", "DraftIn"):
                prop = schema.get("components", {}).get("schemas", {}).get(model, {}).get("properties", {}).get("backend", {})
                for option in prop.get("anyOf", []):
                    if "enum" in option:
                        option["enum"] = ask.backends()
        return app.openapi_schema

    return openapi


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. `settings` defaults to `get_settings()`."""
    settings = settings or get_settings()
    app = FastAPI(title="hrd-assistant API", version="1", description=DESCRIPTION, lifespan=_lifespan(settings),
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.rate_store = open_store(settings, engine_for(settings))
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(HostOriginMiddleware, allowed_hosts=_allowed_hosts(settings))
    app.add_middleware(RequestLogMiddleware, engine_of=lambda: engine_for(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    _routers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    docs.install(app)
    app.openapi = _openapi(app)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/draft", include_in_schema=False)
    def draft_page() -> FileResponse:
        return FileResponse(STATIC / "draft.html", media_type="text/html; charset=utf-8")

    return app
