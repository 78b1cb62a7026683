"""POST /api/v1/drafts/audit: a 행정사무감사 답변서 초안 as Markdown (text/markdown) or DOCX (attachment)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from tools.queries import AuditArgs, get_audit

from .. import drafts
from ..deps import ContextDep
from ..schemas import DraftIn, ErrorOut

router = APIRouter(tags=["drafts"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post("/drafts/audit", response_class=Response,
             responses={200: {"content": {"text/markdown": {}, DOCX_TYPE: {}}, "description": "답변서 초안"},
                        404: {"model": ErrorOut}, 400: {"model": ErrorOut}})
def audit_draft(body: DraftIn, ctx: ContextDep) -> Response:
    """감사 항목의 요구사항·추진상황·추진내용·향후계획·담당부서와 출처 줄로 답변서 초안을 만듭니다."""
    rows = [r for r in get_audit(AuditArgs(), ctx).rows if r.get("table") == "audit_items"]
    items = drafts.select_items(rows, kind=body.kind, item_seq=body.item_seq)
    draft = drafts.build_draft(items, source=ctx.report.file_name)
    if body.format == "docx":
        name = f"{draft.filename_stem}.docx"
        korean = f"{draft.title}.docx"
        disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(korean)}"
        return Response(drafts.to_docx(draft), media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})
    return Response(drafts.to_markdown(draft), media_type="text/markdown; charset=utf-8")
