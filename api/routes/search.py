"""GET /api/v1/search: hybrid passage search over the report (tools.queries.search_documents)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hrd.text import clean_input
from tools.queries import SearchArgs, search_documents

from ..deps import ContextDep, SettingsDep
from ..schemas import MAX_QUESTION_CHARS, NOT_BLANK, ErrorOut, SearchOut

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses={400: {"model": ErrorOut}})
def search(
    ctx: ContextDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=NOT_BLANK,
                            description="찾을 내용(질문 그대로 가능)")],
    k: Annotated[int, Query(ge=1, le=20, description="구절 수")] = 5,
    section: Annotated[str | None, Query(max_length=200, description="섹션 경로 접두어, 예: '행정사무감사'")] = None,
) -> SearchOut:
    """보고서 본문에서 관련 구절을 찾습니다(구절마다 섹션과 줄 번호)."""
    query = clean_input(q, what="검색어", max_chars=settings.max_question_chars)
    if section is not None:
        section = clean_input(section, what="섹션", max_chars=settings.max_question_chars) if section.strip() else None
    res = search_documents(SearchArgs(query=query, k=k, section=section or None), ctx)
    return SearchOut(query=query, k=k, section=section, passages=res.passages, note=res.note)
