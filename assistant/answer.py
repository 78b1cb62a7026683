"""The answer object (../shared/eval-format.md) every backend returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    section: str
    source: str
    lines: list[int]
    quote: str = ""


class ToolCallRecord(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    elapsed_ms: float = 0.0


class FactOut(BaseModel):
    label: str
    value: float | int | str | None
    unit: str = ""
    source: str = ""
    section: str = ""
    lines: list[int] = Field(default_factory=list)
    formula: str | None = None
    inputs: list[float] = Field(default_factory=list)
    role: str = Field(default="answer", description="answer (what was asked) | input (a derived figure's input) | context")
    measure: str = Field(default="", description="the measure, typed by the tool (not read from the label)")
    entity: str = Field(default="", description="the row the figure belongs to")
    period: int | None = None
    phase: str = ""


class Answer(BaseModel):
    id: str | None = None
    question: str
    answer: str
    refused: bool = False
    refusal_reason: str | None = Field(default=None, description="no_data | out_of_scope | unsafe_request | invalid_input")
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    facts: list[FactOut] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list, description="the table rows behind the figures")
    grounded: bool = True
    unsupported: list[str] = Field(default_factory=list, description="figures the grounding check removed")
    backend: str = "offline"
    session_id: str | None = None
    elapsed_ms: float = 0.0
