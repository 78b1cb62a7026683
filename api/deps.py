"""Dependency aliases so route handlers stay short (`SettingsDep`, `ContextDep`, `ApiKeyDep`, `AdminDep`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from sqlalchemy.exc import DBAPIError

from hrd.errors import DataMissingError
from hrd.settings import Settings
from knowledge.db import has_data
from tools.context import ToolContext

from .config import ApiConfig
from .security import Principal, SlidingWindowLimiter, authenticate, authorize

NO_DATA = "적재된 보고서가 없습니다. `hrd ingest`를 먼저 실행하세요."

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="API 키 (HRD_API_KEYS가 설정된 경우에만 필요)")


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_api_config(request: Request) -> ApiConfig:
    return request.app.state.api_config


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ConfigDep = Annotated[ApiConfig, Depends(get_api_config)]


def get_context(settings: SettingsDep) -> ToolContext:
    """A read-only tool context per request (cheap: the engine is shared), its report resolved.
    No implicit ingest here: an empty database answers 503 through DataMissingError."""
    ctx = ToolContext(settings, ensure=False)
    try:
        ctx.report
    except DBAPIError:
        if not has_data(ctx.engine):  # no schema yet: nothing was ever ingested
            raise DataMissingError(NO_DATA) from None
        raise
    return ctx


ContextDep = Annotated[ToolContext, Depends(get_context)]


def get_principal(request: Request, config: ConfigDep, key: Annotated[str | None, Security(api_key_header)] = None) -> Principal:
    """Authenticate the caller and count the request against its rate limit (once per request)."""
    principal = authenticate(config, key, request.client.host if request.client else None)
    limiter: SlidingWindowLimiter = request.app.state.limiter
    limiter.hit(principal.name)
    return principal


ApiKeyDep = Annotated[Principal, Depends(get_principal)]


def require_reader(principal: ApiKeyDep) -> Principal:
    authorize(principal, "reader")
    return principal


def require_admin(principal: ApiKeyDep) -> Principal:
    authorize(principal, "admin")
    return principal


ReaderDep = Annotated[Principal, Depends(require_reader)]
AdminDep = Annotated[Principal, Depends(require_admin)]
