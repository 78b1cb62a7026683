"""GET /api/v1/health: is a report loaded, which one, how many tables hold rows. No key needed, not rate limited."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import ContextDep
from ..schemas import ErrorOut, HealthOut
from .common import report_info, table_infos

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": ErrorOut, "description": "적재된 보고서 없음"}})
def health(ctx: ContextDep) -> HealthOut:
    """서비스 상태: 적재된 보고서(파일, 연도, 내용 해시)와 행이 있는 표의 수."""
    info = report_info(ctx)
    return HealthOut(ok=True, report=info, tables=sum(1 for t in table_infos(ctx) if t.rows))
