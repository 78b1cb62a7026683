"""GET /api/v1/source: the report lines around a cited span, so the page can show a citation in place."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hrd.errors import DataMissingError, NotFoundError

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


@router.get("/source", response_model=SourceOut, responses={404: {"model": ErrorOut, "description": "보고서에 없는 줄"}})
def source(
    ctx: ContextDep,
    start: Annotated[int, Query(ge=1, le=MAX_LINE, description="인용의 첫 줄(1부터)")],
    end: Annotated[int, Query(ge=1, le=MAX_LINE, description="인용의 끝 줄")],
) -> SourceOut:
    """인용된 줄과 앞뒤 세 줄의 보고서 원문을 돌려줍니다(인용된 줄은 cited=true).

    끝 줄이 첫 줄보다 앞이면 둘을 바꾸고, 범위는 보고서 끝과 200줄에서 자릅니다. 보고서에 없는 첫 줄은 404입니다."""
    text = ctx.report_text
    if text is None:
        raise DataMissingError("보고서 원문 파일을 찾을 수 없습니다.")
    all_lines = text.splitlines()
    first, last = min(start, end), max(start, end)
    if first > len(all_lines):
        raise NotFoundError(f"{first}행(보고서는 {len(all_lines)}줄)")
    last = min(last, first + MAX_SPAN - 1, len(all_lines))
    flagged = ctx.flagged_lines
    lo, hi = max(1, first - MARGIN), min(len(all_lines), last + MARGIN)
    lines = [SourceLine(n=n, text=FLAGGED if n in flagged else all_lines[n - 1], cited=first <= n <= last)
             for n in range(lo, hi + 1)]
    return SourceOut(source=ctx.report.file_name, start=first, end=last, lines=lines)
