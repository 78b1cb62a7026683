"""Dependency aliases so route handlers stay short (`SettingsDep`, `ContextDep`, `ViewerDep`, `StaffDep`, `AdminDep`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from hrd.errors import DataMissingError
from hrd.settings import Settings
from knowledge.db import engine_for, has_data
from tools.context import ToolContext

from .reqlog import note
from .security import Principal, authenticate, authorize, count_request, presented_key

NO_DATA = "적재된 보고서가 없습니다. `hrd ingest`를 먼저 실행하세요."

bearer = HTTPBearer(auto_error=False, description="API 키: `Authorization: Bearer <키>` (`hrd keys create`로 발급)")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API 키 (Bearer 대신 쓸 수 있음)")


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_engine(settings: SettingsDep) -> Engine:
    return engine_for(settings)


EngineDep = Annotated[Engine, Depends(get_engine)]


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


def get_principal(request: Request, settings: SettingsDep, engine: EngineDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
                  x_api_key: Annotated[str | None, Security(api_key_header)] = None) -> Principal:
    """Authenticate the caller and count the request against its rate limit (once per request)."""
    key = presented_key(f"Bearer {credentials.credentials}" if credentials else None, x_api_key)
    client = request.client.host if request.client else "-"
    store = request.app.state.rate_store
    try:
        principal = authenticate(settings, engine, store, key, client)
        note(request, key_name=principal.name)
        count_request(settings, store, principal)
    except DBAPIError:
        if not has_data(engine):  # no schema yet: nothing was ever ingested
            raise DataMissingError(NO_DATA) from None
        raise
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def _role(role: str):
    def require(principal: PrincipalDep) -> Principal:
        authorize(principal, role)
        return principal

    require.__name__ = f"require_{role}"
    return require


require_viewer, require_staff, require_admin = _role("viewer"), _role("staff"), _role("admin")
ViewerDep = Annotated[Principal, Depends(require_viewer)]
StaffDep = Annotated[Principal, Depends(require_staff)]
AdminDep = Annotated[Principal, Depends(require_admin)]
