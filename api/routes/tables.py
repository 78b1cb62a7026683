"""GET /api/v1/tables and /api/v1/tables/{table}/rows: the report's typed tables, read-only, allow-listed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from hrd.errors import NotFoundError
from knowledge.models import MODELS_BY_TABLE

from ..deps import ContextDep
from ..schemas import ErrorOut, RowsOut, TablesOut
from .common import plain_row, report_info, table_infos

router = APIRouter(tags=["tables"])


@router.get("/tables", response_model=TablesOut)
def list_tables(ctx: ContextDep) -> TablesOut:
    """보고서에서 추출한 표 목록(한국어 이름, 단위, 행 수)."""
    return TablesOut(report=report_info(ctx), tables=table_infos(ctx))


@router.get("/tables/{table}/rows", response_model=RowsOut,
            responses={404: {"model": ErrorOut, "description": "없는 표"}})
def table_rows(
    table: Annotated[str, Path(max_length=60, description="표 이름, 예: budget_lines")],
    ctx: ContextDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="최대 행 수")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="건너뛸 행 수")] = 0,
) -> RowsOut:
    """한 표의 행(보고서 줄 순서). 각 행은 section, line_start, line_end로 보고서 위치를 밝힙니다."""
    model = MODELS_BY_TABLE.get(table)
    if model is None:
        raise NotFoundError(table, sorted(MODELS_BY_TABLE))
    rid = ctx.report.id
    with ctx.session() as s:
        total = s.scalar(select(func.count()).select_from(model).where(model.report_id == rid)) or 0
        rows = s.scalars(select(model).where(model.report_id == rid).order_by(model.line_start, model.id)
                         .limit(limit).offset(offset)).all()
        data = [plain_row(r) for r in rows]
    return RowsOut(table=table, label=model.__label__, total=total, limit=limit, offset=offset, rows=data)
