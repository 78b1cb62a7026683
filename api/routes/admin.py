"""Admin-only routes: re-ingest the bundled report, read the question-and-answer log."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from knowledge.db import engine_for
from knowledge.ingest import ingest

from .. import log as qa
from ..deps import AdminDep, SettingsDep
from ..schemas import ErrorOut, QaLogOut, ReingestOut

router = APIRouter(prefix="/admin", tags=["admin"],
                   responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}})


@router.post("/reingest", response_model=ReingestOut)
def reingest(settings: SettingsDep, _admin: AdminDep,
             index: Annotated[bool, Query(description="검색 색인도 다시 만들지")] = True) -> ReingestOut:
    """내장 보고서를 다시 적재합니다(내용이 같으면 건너뜀). admin 전용."""
    results = ingest(None, settings, with_index=index)
    return ReingestOut(ok=True, results=[asdict(r) for r in results])


@router.get("/qa-log", response_model=QaLogOut)
def qa_log(settings: SettingsDep, _admin: AdminDep,
           limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0) -> QaLogOut:
    """질문·답변 기록(최신순): 누가, 언제, 무엇을 물었고 무엇을 근거로 답했는지. admin 전용."""
    total, rows = qa.recent(engine_for(settings), limit=limit, offset=offset)
    return QaLogOut(total=total, rows=rows)
