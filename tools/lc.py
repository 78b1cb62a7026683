"""The typed tools as LangChain StructuredTools (pydantic schemas; the ToolResult rides as the artifact)."""

from __future__ import annotations

import json
import time
from typing import Callable

from langchain_core.tools import StructuredTool

from hrd.errors import HrdError

from . import queries as q
from .base import ToolResult
from .context import ToolContext
from .flagged import mark_flagged

TOOL_SPECS: list[tuple[str, Callable, type]] = [
    ("get_budget", q.get_budget, q.BudgetArgs),
    ("rank_budget", q.rank_budget, q.RankArgs),
    ("get_training", q.get_training, q.TrainingArgs),
    ("get_program", q.get_program, q.ProgramArgs),
    ("get_exams", q.get_exams, q.ExamArgs),
    ("get_audit", q.get_audit, q.AuditArgs),
    ("get_general", q.get_general, q.OrgArgs),
    ("get_contacts", q.get_contacts, q.ContactArgs),
    ("get_findings", q.get_findings, q.FindingArgs),
    ("search_documents", q.search_documents, q.SearchArgs),
]


def _summary(res: ToolResult) -> str:
    """What a language model reads: figures with units and lines, passages, findings (compact JSON)."""
    return json.dumps({
        "found": res.found, "note": res.note, "candidates": res.candidates[:15],
        "facts": [{"label": f.label, "value": f.value, "unit": f.unit, "lines": f.lines} for f in res.facts[:40]],
        "rows": [{k: v for k, v in r.items() if k in ("table", "request", "status", "department", "kind", "name", "position", "phone", "duties", "line_start")} for r in res.rows[:20]],
        "passages": [{"section": p.section, "lines": p.lines, "text": p.text[:600], **({"flagged_lines": p.flagged_lines} if p.flagged else {})}
                     for p in res.passages],
        "findings": [f["message"] for f in res.findings],
    }, ensure_ascii=False)


def run_tool(name: str, args: dict, ctx: ToolContext) -> ToolResult:
    fn, model = next((f, m) for n, f, m in TOOL_SPECS if n == name)
    try:
        return mark_flagged(fn(model(**args), ctx), ctx.flagged_lines)
    except HrdError as e:
        return ToolResult(tool=name, found=False, note=str(e), reason="error", candidates=getattr(e, "candidates", []) or getattr(e, "available", []))


def langchain_tools(ctx: ToolContext) -> list[StructuredTool]:
    tools = []
    for name, fn, model in TOOL_SPECS:
        def call(_name=name, **kwargs):
            t0 = time.perf_counter()
            res = run_tool(_name, kwargs, ctx)
            return _summary(res), {"result": res.model_dump(), "elapsed_ms": (time.perf_counter() - t0) * 1000}
        tools.append(StructuredTool.from_function(func=call, name=name, description=(fn.__doc__ or "").strip(),
                                                  args_schema=model, response_format="content_and_artifact"))
    return tools
