"""Public request and response shapes of the API (separate from the database models)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from tools.base import Passage


class ErrorOut(BaseModel):
    """The one error body every failure returns."""

    ok: Literal[False] = False
    error: str = Field(description="사용자에게 보여줄 수 있는 한국어 메시지")
    status: int = Field(description="HTTP 상태 코드")


MAX_QUESTION_CHARS = 2000  # the schema's bound; `HRD_MAX_QUESTION_CHARS` may only lower it
NOT_BLANK = r"[^\s\x00-\x1f\x7f]"  # at least one character that is neither white space nor a control character


def no_surrogates(value: str | None) -> str | None:
    if value is not None and any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("짝이 없는 서로게이트 문자는 받을 수 없습니다")
    return value


class AskIn(BaseModel):
    model_config = ConfigDict(regex_engine="python-re", extra="forbid",
                              json_schema_extra={"examples": [{"question": "신규자과정운영 집행률은?"}]})

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=NOT_BLANK, description="질문(한국어)")
    session_id: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$",
                                   description="대화 세션(후속 질문 문맥 유지). 세션은 그것을 연 키의 것입니다: "
                                               "다른 키가 같은 값을 보내면 새 대화가 시작됩니다.")
    backend: Literal["offline", "openai"] | None = Field(default=None, description="답변 백엔드(생략 시 설정값)")

    # lone surrogates and other invalid code points: the route's check (hrd.text.clean_input) names them, 400


def iso_datetime(value: object) -> object:
    """Only an ISO 8601 date or date-time string is a time here (pydantic would also take a number)."""
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("날짜는 2026-12-01 또는 2026-12-01T09:00:00 형식이어야 합니다")
    return value


IsoDatetime = Annotated[datetime, BeforeValidator(iso_datetime)]


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


ONE_OF_REQUEST_OR_ITEM = {"oneOf": [{"required": ["request"], "not": {"required": ["item"]}},
                                   {"required": ["item"], "not": {"required": ["request"]}}]}


class DraftIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"request": "직장어린이집 재원 아동이 계속 줄고 있으니 운영 대안을 마련하여 보고할 것"}, {"item": "건의:1", "format": "docx"}],
        **ONE_OF_REQUEST_OR_ITEM})  # exactly one of the two (the route answers 400 otherwise)

    request: str | None = Field(default=None, max_length=4000, description="새 감사 요구사항(한국어 자유 텍스트)")
    item: str | None = Field(default=None, max_length=40, description="보고서에 있는 항목 '구분:번호', 예: '건의:1'")
    status: Literal["추진완료", "추진 중", "검토 중", "미반영"] | None = Field(default=None, description="추진상황 (생략하면 새 요구는 검토 중)")
    format: Literal["json", "markdown", "docx"] = "json"
    backend: Literal["offline", "openai"] | None = Field(default=None, description="문장 작성 백엔드(생략 시 offline)")
    progress: list[str] | None = Field(default=None, max_length=200, description="고쳐 쓴 추진내용 줄(웹 편집본; 근거 검사를 다시 거침)")
    plans: list[str] | None = Field(default=None, max_length=200, description="고쳐 쓴 향후계획 줄(웹 편집본; 근거 검사를 다시 거침)")


class DraftOut(BaseModel):
    title: str
    request: str
    status: str
    item: str | None
    department: str | None
    department_basis: str | None
    progress: list[str] = Field(description="추진내용(개조식 줄)")
    plans: list[str] = Field(description="향후계획(개조식 줄)")
    gaps: list[str] = Field(description="데이터가 다루지 않는 것")
    subjects: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    related: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    backend: str
    grounded: bool
    unsupported: list[str]
    report: str
    markdown: str


class ReingestOut(BaseModel):
    ok: bool = True
    results: list[dict[str, Any]]


class LogRow(BaseModel):
    id: int
    request_id: str
    at: str = Field(description="UTC, ISO 8601")
    key_name: str | None = Field(description="키 이름(인증 전에 거절된 요청은 비어 있음)")
    client: str | None
    method: str
    route: str = Field(description="경로(질의 문자열 제외)")
    status: int
    question: str | None
    answer: str | None
    refused: bool | None
    grounded: bool | None
    citations: list[dict[str, Any]]
    backend: str | None
    session_id: str | None
    error: str | None
    latency_ms: float


class LogOut(BaseModel):
    total: int
    rows: list[LogRow]


class ReadyOut(BaseModel):
    ok: bool = True
    database: str = Field(description="데이터베이스 종류")
    report: ReportInfo
    index: bool = Field(description="검색 색인이 만들어져 있는지")


class AliveOut(BaseModel):
    ok: bool = True
