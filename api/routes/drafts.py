"""POST /api/v1/drafts: a 행정사무감사 답변서 초안 for a new request or an item in the database, as JSON
(the draft and its Markdown), Markdown or DOCX.

Auth: staff only (api/app.py mounts this router behind require_staff, api/deps.py)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from assistant.drafting import make_draft, to_docx, to_markdown
from assistant.drafting.build import check_grounding

from .ask import check_backend
from ..deps import ContextDep
from ..schemas import DraftIn, DraftOut, ErrorOut

router = APIRouter(tags=["drafts"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post("/drafts", response_model=DraftOut,
             responses={200: {"content": {"text/markdown": {}, DOCX_TYPE: {}}, "description": "답변서 초안(JSON·Markdown·DOCX)"},
                        404: {"model": ErrorOut}, 400: {"model": ErrorOut}, 502: {"model": ErrorOut}})
def create_draft(body: DraftIn, ctx: ContextDep) -> Response:
    """새 요구사항(request) 또는 보고서의 항목(item, '구분:번호')으로 추진상황·추진내용·향후계획 초안을 만듭니다.
    수치마다 보고서 줄 번호가 붙고, 관련 지난 감사 요구와 출처 목록이 따릅니다."""
    check_backend(body.backend)
    draft = make_draft(ctx, request=body.request, item=body.item, status=body.status, backend=body.backend or "offline")
    if body.progress is not None or body.plans is not None:  # the page's edited text: checked like the generated one
        draft.progress = [x for x in body.progress if x.strip()] if body.progress is not None else draft.progress
        draft.plans = [x for x in body.plans if x.strip()] if body.plans is not None else draft.plans
        check_grounding(draft, ctx.report.year)
    if body.format == "docx":
        disposition = f"attachment; filename=\"audit-response-draft.docx\"; filename*=UTF-8''{quote('답변서(초안).docx')}"
        return Response(to_docx(draft), media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})
    if body.format == "markdown":
        return Response(to_markdown(draft), media_type="text/markdown; charset=utf-8")
    return JSONResponse(DraftOut(**draft.to_dict(), markdown=to_markdown(draft)).model_dump())
