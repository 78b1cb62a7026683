"""The offline planner as a LangChain chat model: first turn → tool calls; after the tool results → the answer."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tools.base import ToolResult

from .planner import compose
from .route import make_plan

SECOND_ROUND = "again_"  # the id prefix of a tool call made after reading the first results


class OfflinePlanner(BaseChatModel):
    """Reads the conversation, plans tool calls from the vocabulary, and composes the Korean answer."""

    vocabulary: dict[str, list[str]]
    report_text: str | None = None
    catalog_of: Any = None  # () -> tools.catalog.Catalog, built on first use (entity linking)

    @property
    def _llm_type(self) -> str:
        return "hrd-offline-planner"

    def _catalog(self):
        if self.catalog_of is None:
            return None
        if not hasattr(self, "_cat"):
            try:
                cat = self.catalog_of()
            except Exception:  # noqa: BLE001 - without a catalog the planner links by its name indexes alone
                cat = None
            object.__setattr__(self, "_cat", cat)
        return self._cat

    def _in_report(self, word: str) -> bool:
        if not hasattr(self, "_compact_report"):
            object.__setattr__(self, "_compact_report", re.sub(r"\s+", "", self.report_text or ""))
        return len(word) >= 2 and re.sub(r"\s+", "", word) in self._compact_report

    def bind_tools(self, tools, **kwargs: Any):  # the plan names the tools itself
        return self

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None, **kw: Any) -> ChatResult:
        humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
        last_h = humans[-1]
        question = str(messages[last_h].content)
        history = [str(messages[i].content) for i in humans[:-1]]
        key = (question, tuple(history))
        plan = self._plans.get(key) if hasattr(self, "_plans") else None
        if plan is None:
            plan = make_plan(question, history, self.vocabulary, self.report_text, catalog=self._catalog())
            if not hasattr(self, "_plans") or len(self._plans) > 256:
                object.__setattr__(self, "_plans", {})
            self._plans[key] = plan
        after = messages[last_h + 1 :]
        tool_msgs = [m for m in after if isinstance(m, ToolMessage)]
        if not tool_msgs and plan.calls and not plan.refuse:
            calls = [{"name": n, "args": a, "id": f"call_{uuid.uuid4().hex[:10]}", "type": "tool_call"} for n, a in plan.calls]
            msg = AIMessage(content="", tool_calls=calls)
        else:
            results = [ToolResult(**m.artifact["result"]) for m in tool_msgs if isinstance(getattr(m, "artifact", None), dict)]
            composed = compose(plan, results)
            again = [m for m in tool_msgs if m.tool_call_id.startswith(SECOND_ROUND)]
            if composed.head and not again and self._in_report(composed.head):
                # the head word asked ('전산교육장') is in no line the tools found but in the report: read its sentences
                call = {"name": "search_documents", "args": {"query": plan.effective, "k": 5},
                        "id": f"{SECOND_ROUND}{uuid.uuid4().hex[:10]}", "type": "tool_call"}
                return ChatResult(generations=[ChatGeneration(message=AIMessage(content="", tool_calls=[call]))])
            if again:
                first = [ToolResult(**m.artifact["result"]) for m in tool_msgs if m not in again and isinstance(getattr(m, "artifact", None), dict)]
                head = compose(plan, first).head
                composed = compose(replace(plan, prose=True, quote_head=head), results) if head else composed
            meta = {"refused": composed.refused, "reason": composed.reason,
                    "facts": composed.facts, "citations": composed.citations, "findings": composed.findings}
            msg = AIMessage(content=composed.text, additional_kwargs={"hrd": json.loads(json.dumps(meta, default=str))})
        return ChatResult(generations=[ChatGeneration(message=msg)])
