"""Public request and response shapes of the API (separate from the database models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.base import Passage


class ErrorOut(BaseModel):
    """The one error body every failure returns."""

    ok: Literal[False] = False
    error: str = Field(description="사용자에게 보여줄 수 있는 한국어 메시지")
    status: int = Field(description="HTTP 상태 코드")


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"question": "신규자과정운영 집행률은?"}]})

    question: str = Field(description="질문(한국어)")
    session_id: str | None = Field(default=None, max_length=200, description="대화 세션(후속 질문 문맥 유지)")
    backend: Literal["offline", "openai"] | None = Field(default=None, description="답변 백엔드(생략 시 설정값)")


class ReportInfo(BaseModel):
    file: str
    year: int
    hash: str


class HealthOut(BaseModel):
    ok: bool = True
    report: ReportInfo
    tables: int = Field(description="행이 있는 보고서 표의 수")


class TableInfo(BaseModel):
    table: str
    label: str
    unit: str
    rows: int


class TablesOut(BaseModel):
    report: ReportInfo
    tables: list[TableInfo]


class RowsOut(BaseModel):
    table: str
    label: str
    total: int
    limit: int
    offset: int
    rows: list[dict[str, Any]]


class SearchOut(BaseModel):
    query: str
    k: int
    section: str | None
    passages: list[Passage]
    note: str = ""


class AuditOut(BaseModel):
    items: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    found: bool


class DraftIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "시정·처리요구", "item_seq": 1, "format": "markdown"}]})

    item_seq: int | None = Field(default=None, ge=1, description="구분 안의 항목 번호(생략하면 해당 구분 전체)")
    kind: Literal["시정·처리요구", "건의", "기타"] | None = Field(default=None, description="구분(생략하면 전체)")
    format: Literal["markdown", "docx"] = "markdown"


class ReingestOut(BaseModel):
    ok: bool = True
    results: list[dict[str, Any]]


class QaLogOut(BaseModel):
    total: int
    rows: list[dict[str, Any]]
