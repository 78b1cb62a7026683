"""What every tool returns: facts with provenance, the rows they came from, and findings touched."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Fact(BaseModel):
    """One figure with where it stands in the report."""

    label: str = Field(description="무엇의 수치인가 / what the figure is, e.g. '신규자과정운영 집행률'")
    value: float | int | str | None = Field(description="값 (보고서 단위 그대로) / value in the source unit")
    unit: str = Field(default="", description="단위: 천원, 명, %, 점, ㎡, 개, 회, 건 …")
    table: str = Field(default="", description="DB table")
    key: str = Field(default="", description="row key within the table")
    source: str = Field(default="", description="report file name")
    section: str = Field(default="", description="section path in the report")
    lines: list[int] = Field(default_factory=list, description="[start, end], 1-based inclusive")
    formula: str | None = Field(default=None, description="for a derived figure: how it was computed from its inputs")
    inputs: list[float] = Field(default_factory=list, description="the figures a derived value came from")
    column: str = Field(default="", description="the table column the figure came from (typed meaning, not the label)")
    measure: str = Field(default="", description="측정 항목 / the measure in Korean, without the entity: '집행률', '전년 예산현액'")
    period: int | None = Field(default=None, description="the year the figure belongs to, where the column says")
    phase: str = Field(default="", description="계획 | 실적 | 수료 where the column says")
    flagged: bool = Field(default=False, description="drawn from a line flagged as a planted instruction (tools/flagged.py)")


class Passage(BaseModel):
    rank: int
    score: float
    section: str
    source: str
    lines: list[int]
    text: str
    kind: str | None = None
    status: str | None = Field(default=None, description="감사 요구사항 구절이면 그 항목의 추진상황·담당 부서")
    flagged: bool = Field(default=False, description="holds a line flagged at ingest as an instruction to an AI/reader; "
                                                     "that line's text is replaced by a marker and must not be quoted as report content")
    flagged_lines: list[int] = Field(default_factory=list, description="the flagged lines of this passage")


class ToolResult(BaseModel):
    """The result of a tool call: facts (figures with provenance), rows, passages, findings and a note."""

    tool: str
    facts: list[Fact] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list, description="when a name was ambiguous or unknown: what exists")
    note: str = ""
    found: bool = True
    reason: str = Field(default="", description="why nothing or only part was found, as a code: not_found | period_not_covered | "
                                               "measure_not_for_period | no_rows | error (the note says it in Korean)")
