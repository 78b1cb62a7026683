"""GET /api/v1/audit/items: the previous year's administrative-audit follow-ups (tools.queries.get_audit)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from tools.queries import AuditArgs, get_audit

from ..deps import ContextDep
from ..schemas import AuditOut

router = APIRouter(tags=["audit"])


@router.get("/audit/items", response_model=AuditOut)
def audit_items(
    ctx: ContextDep,
    kind: Annotated[Literal["시정·처리요구", "건의", "기타"] | None, Query(description="구분")] = None,
    status: Annotated[Literal["추진완료", "추진 중"] | None, Query(description="추진상황")] = None,
    department: Annotated[str | None, Query(max_length=60, description="담당 부서, 예: 인재기획과")] = None,
    keyword: Annotated[str | None, Query(max_length=200, description="요구사항·조치내용에서 찾을 말")] = None,
) -> AuditOut:
    """행정사무감사 요구사항(구분, 부서, 요구내용, 추진상황, 조치내용, 향후계획)과 총괄 건수."""
    res = get_audit(AuditArgs(kind=kind, status=status, department=department or None, keyword=keyword or None), ctx)
    items = [{k: v for k, v in r.items() if k != "table"} for r in res.rows if r.get("table") == "audit_items"]
    summary = [{k: v for k, v in r.items() if k != "table"} for r in res.rows if r.get("table") == "audit_summary"]
    return AuditOut(items=items, summary=summary, found=res.found)
