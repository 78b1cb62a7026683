"""GET /api/v1/source: the report lines around a cited span, so the page can show a citation in place."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hrd.errors import DataMissingError, InputError

from ..deps import ContextDep
from ..schemas import ErrorOut

router = APIRouter(tags=["source"])
MARGIN = 3          # lines shown either side of the span
MAX_SPAN = 200      # a citation never covers more lines than this
MAX_LINE = 100_000
FLAGGED = "(지시문으로 표시된 줄이라 내용을 보여 주지 않습니다)"


class SourceLine(BaseModel):
    n: int
    text: str
    cited: bool


class SourceOut(BaseModel):
    source: str
    start: int
    end: int
    lines: list[SourceLine]


@router.get("/source", response_model=SourceOut, responses={400: {"model": ErrorOut}})
def source(
    ctx: ContextDep,
    start: Annotated[int, Query(ge=1, le=MAX_LINE, description="인용의 첫 줄(1부터)")],
    end: Annotated[int, Query(ge=1, le=MAX_LINE, description="인용의 끝 줄")],
) -> SourceOut:
    """인용된 줄과 앞뒤 세 줄의 보고서 원문을 돌려줍니다(인용된 줄은 cited=true)."""
    if end < start or end - start >= MAX_SPAN:
        raise InputError(f"줄 범위가 올바르지 않습니다: 끝 줄은 첫 줄 이상, 범위는 {MAX_SPAN}줄 이하여야 합니다.")
    text = ctx.report_text
    if text is None:
        raise DataMissingError("보고서 원문 파일을 찾을 수 없습니다.")
    all_lines = text.splitlines()
    if start > len(all_lines):
        raise InputError(f"보고서는 {len(all_lines)}줄입니다: {start}행은 없습니다.")
    flagged = ctx.flagged_lines
    lo, hi = max(1, start - MARGIN), min(len(all_lines), end + MARGIN)
    lines = [SourceLine(n=n, text=FLAGGED if n in flagged else all_lines[n - 1], cited=start <= n <= end)
             for n in range(lo, hi + 1)]
    return SourceOut(source=ctx.report.file_name, start=start, end=end, lines=lines)
