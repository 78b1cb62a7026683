"""The offline planner as a LangChain chat model: first turn → tool calls; after the tool results → the answer."""

from __future__ import annotations

import json
import uuid
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tools.base import ToolResult

from .planner import compose
from .route import make_plan


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
            meta = {"refused": composed.refused, "reason": composed.reason,
                    "facts": composed.facts, "citations": composed.citations, "findings": composed.findings}
            msg = AIMessage(content=composed.text, additional_kwargs={"hrd": json.loads(json.dumps(meta, default=str))})
        return ChatResult(generations=[ChatGeneration(message=msg)])
