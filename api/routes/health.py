"""Health without a key: GET /healthz (the process is up), GET /readyz (database and index reachable,
else 503 with the reason), GET /api/v1/health (which report is loaded)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from knowledge.db import engine_for, has_data

from ..deps import ContextDep, SettingsDep
from ..errors import UnavailableError
from ..schemas import AliveOut, ErrorOut, HealthOut, ReadyOut
from .common import report_info, table_infos

router = APIRouter(tags=["health"])
probes = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": ErrorOut, "description": "적재된 보고서 없음"}})
def health(ctx: ContextDep) -> HealthOut:
    """서비스 상태: 적재된 보고서(파일, 연도, 내용 해시)와 행이 있는 표의 수."""
    info = report_info(ctx)
    return HealthOut(ok=True, report=info, tables=sum(1 for t in table_infos(ctx) if t.rows))


@probes.get("/healthz", response_model=AliveOut)
def healthz() -> AliveOut:
    """프로세스가 살아 있는지(항상 200)."""
    return AliveOut()


@probes.get("/readyz", response_model=ReadyOut, responses={503: {"model": ErrorOut, "description": "준비되지 않음(이유 포함)"}})
def readyz(settings: SettingsDep) -> ReadyOut:
    """요청을 받을 준비가 되었는지: 데이터베이스에 연결되고 보고서가 적재되었으며 검색 색인이 있는지."""
    from knowledge.index import index_status
    from tools.context import ToolContext

    engine = engine_for(settings)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:
        raise UnavailableError(f"데이터베이스에 연결할 수 없습니다: {type(e).__name__}") from None
    if not has_data(engine):
        raise UnavailableError("적재된 보고서가 없습니다. `hrd ingest`를 먼저 실행하세요.")
    try:
        status = index_status(settings)
    except Exception as e:
        raise UnavailableError(f"검색 색인을 읽을 수 없습니다: {type(e).__name__}") from None
    if not status:
        raise UnavailableError("검색 색인이 없습니다. `hrd ingest`로 색인을 만드세요.")
    return ReadyOut(database=engine.dialect.name, report=report_info(ToolContext(settings, ensure=False)), index=True)
