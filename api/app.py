"""The FastAPI application: versioned JSON endpoints under /api/v1 and the web page at /.

    from api import create_app
    app = create_app()                 # settings from HRD_* (hrd.settings.get_settings), keys from HRD_API_KEYS

Authentication: when `HRD_API_KEYS` is unset the API is open (local use; every caller acts as a
local admin, and the rate limit applies per client address). With keys, every route except
`/api/v1/health` and the web page needs `X-API-Key`; `reader` keys ask, search and read,
`admin` keys may also re-ingest and read the question log.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from hrd.settings import Settings, get_settings
from knowledge.db import engine_for

from . import errors
from . import log as qa
from .config import MAX_BODY_BYTES, ApiConfig
from .deps import require_reader
from .routes import admin, ask, audit, drafts, health, search, tables
from .schemas import ErrorOut
from .security import SlidingWindowLimiter

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/api/v1"
logger = logging.getLogger("api")

DESCRIPTION = """서울시 인재개발원 2025 주요업무 보고 질의응답 API.

* 모든 오류는 `{"ok": false, "error": "<메시지>", "status": <코드>}` 한 가지 모양입니다.
* `HRD_API_KEYS`(예: `k1:reader,k2:admin`)가 설정되면 `X-API-Key` 헤더가 필요합니다(health 제외).
  설정되지 않으면 API는 열려 있습니다(로컬 사용).
* 키마다 분당 `HRD_RATE_LIMIT`회(기본 60)까지 요청할 수 있습니다. 넘으면 429.
"""


def create_app(settings: Settings | None = None, *, config: ApiConfig | None = None) -> FastAPI:
    """Build the app. `settings` defaults to `get_settings()`; `config` (keys, rate limit) to the environment."""
    settings = settings or get_settings()
    config = config or ApiConfig.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            qa.ensure_table(engine_for(settings))
        except Exception as e:  # the database may come later (hrd ingest); /ask will try again
            logger.warning("qa_log table not created yet: %s", e)
        yield

    app = FastAPI(title="hrd-assistant API", version="1", description=DESCRIPTION, lifespan=lifespan,
                  responses={429: {"model": ErrorOut, "description": "요청 한도 초과"}})
    app.state.settings = settings
    app.state.api_config = config
    app.state.limiter = SlidingWindowLimiter(config.rate_limit, config.rate_window)
    errors.install(app, body_limit=MAX_BODY_BYTES)

    app.include_router(health.router, prefix=PREFIX)
    reader = APIRouter(prefix=PREFIX, dependencies=[Depends(require_reader)],
                       responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut},
                                  503: {"model": ErrorOut}})
    for module in (ask, search, tables, audit, drafts):
        reader.include_router(module.router)
    app.include_router(reader)
    app.include_router(admin.router, prefix=PREFIX)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/draft", include_in_schema=False)
    def draft_page() -> FileResponse:
        return FileResponse(STATIC / "draft.html", media_type="text/html; charset=utf-8")

    return app
