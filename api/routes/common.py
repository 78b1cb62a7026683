"""Small helpers shared by the routers: report info and table counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from knowledge.models import CONTENT_MODELS
from tools.context import ToolContext

from ..schemas import ReportInfo, TableInfo


def report_info(ctx: ToolContext) -> ReportInfo:
    r = ctx.report  # DataMissingError (→ 503) when nothing is ingested
    return ReportInfo(file=r.file_name, year=r.year, hash=r.content_hash)


def table_infos(ctx: ToolContext) -> list[TableInfo]:
    rid = ctx.report.id
    with ctx.session() as s:
        return [TableInfo(table=m.__tablename__, label=m.__label__, unit=m.__unit__,
                          rows=s.scalar(select(func.count()).select_from(m).where(m.report_id == rid)) or 0)
                for m in CONTENT_MODELS]


def plain_row(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "report_id"}
