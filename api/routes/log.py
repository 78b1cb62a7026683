"""GET /api/v1/log: the accountability log (every request, answered or rejected), admin only; JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ..deps import AdminDep, EngineDep
from ..reqlog import LogFilter, query, to_csv
from ..schemas import IsoDatetime, LogOut

router = APIRouter(tags=["log"])

MAX_OFFSET = 1_000_000


@router.get("/log", response_model=LogOut,
            responses={200: {"content": {"application/json": {}, "text/csv": {}}, "description": "기록(최신순)"}})
def request_log(
    engine: EngineDep,
    _admin: AdminDep,
    key: Annotated[str | None, Query(max_length=80, description="키 이름")] = None,
    status: Annotated[int | None, Query(ge=100, le=599, description="HTTP 상태")] = None,
    route: Annotated[str | None, Query(max_length=200, description="경로, 예: /api/v1/ask")] = None,
    since: Annotated[IsoDatetime | None, Query(description="이 시각(UTC) 이후, 예: 2026-12-01")] = None,
    until: Annotated[IsoDatetime | None, Query(description="이 시각(UTC) 이전")] = None,
    refused: Annotated[bool | None, Query(description="거절된 답변만(true) 또는 답한 것만(false)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    format: Annotated[Literal["json", "csv"], Query(description="json 또는 csv")] = "json",
):
    """요청 기록: 누가(키 이름), 언제, 어느 경로로, 무엇을 물었고 어떤 상태·답변·인용·백엔드·지연이었는지. admin 전용."""
    since = since.replace(tzinfo=None) if since else None  # stored as naive UTC
    until = until.replace(tzinfo=None) if until else None
    flt = LogFilter(key_name=key, status=status, route=route, since=since, until=until, refused=refused)
    total, rows = query(engine, flt, limit=limit, offset=offset)
    if format == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="hrd-log.csv"'})
    return LogOut(total=total, rows=rows)
