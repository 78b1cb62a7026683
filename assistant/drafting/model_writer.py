"""The OpenAI-compatible backend for drafts: the model writes 추진내용 and 향후계획 from the same tool
results the offline templates use; a figure the results do not hold is sent back once, then removed."""

from __future__ import annotations

import json
import re

from langchain_core.messages import HumanMessage, SystemMessage

from hrd.errors import BackendError
from tools.context import ToolContext

from .model import Draft

SYSTEM = (
    "당신은 서울시 인재개발원 직원이 행정사무감사 요구사항에 대한 답변서 초안을 쓰도록 돕습니다. 규칙: "
    "1) 주어진 도구 결과(facts, related)에 있는 수치만 쓰고, 수치마다 [n행]으로 줄을 밝힙니다. "
    "2) 개조식으로 씁니다: 큰 항목은 '○ …', 세부는 '  - …', 문장은 '…함', '…임', '…예정'으로 끝냅니다. "
    "3) 데이터에 없는 계획은 만들지 않습니다. 계획이 없으면 '(작성 필요)'라고 씁니다. "
    '4) 답은 JSON 하나: {"추진내용": ["○ …", "  - …"], "향후계획": ["○ …"]}.'
)


def tool_results(draft: Draft) -> dict:
    """What the model reads: the request, the figures with their lines, the related past items, the gaps."""
    return {
        "request": draft.request, "status": draft.status,
        "department": draft.department.name if draft.department else None,
        "facts": [{"label": f.label, "value": f.value, "unit": f.unit, "lines": f.lines, "formula": f.formula} for f in draft.facts],
        "related": [{"item": r.ref, "status": r.status, "department": r.department, "request": r.request,
                     "actions": r.actions, "plans": r.plans, "lines": list(r.lines)} for r in draft.related],
        "gaps": draft.gaps,
    }


def _parse(text: str) -> tuple[list[str], list[str]] | None:
    m = re.search(r"\{.*\}", text or "", re.S)
    if not m:
        return None
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    progress, plans = data.get("추진내용"), data.get("향후계획")
    if not isinstance(progress, list) or not isinstance(plans, list):
        return None
    return [str(x) for x in progress if str(x).strip()], [str(x) for x in plans if str(x).strip()]


def write_with_model(draft: Draft, ctx: ToolContext) -> None:
    """Replace the template text with the model's (one grounding retry); the caller's check runs after."""
    from assistant.grounding import unsupported
    from assistant.openai_backend import chat_model

    from .build import evidence_texts

    model = chat_model(ctx.settings)
    messages = [SystemMessage(SYSTEM), HumanMessage(json.dumps(tool_results(draft), ensure_ascii=False, default=str))]
    texts, derived = evidence_texts(draft.figures, draft.related, getattr(ctx.report, "year", None))
    for attempt in range(2):
        try:
            reply = model.invoke(messages)
        except Exception as e:  # the server's own failure: a clear message, never a traceback
            raise BackendError(f"답변서 작성 백엔드(openai) 오류: {type(e).__name__}: {e}") from e
        parsed = _parse(str(reply.content))
        if parsed is None:
            raise BackendError("답변서 작성 모델의 응답을 읽을 수 없습니다(JSON {\"추진내용\": […], \"향후계획\": […]}이 아님).")
        bad = unsupported("\n".join(parsed[0] + parsed[1]), texts, derived)
        if not bad or attempt == 1:
            break
        messages += [reply, HumanMessage(f"[근거 검사] 수치 {', '.join(f'{b:,g}' for b in bad)}은(는) 도구 결과에 없습니다. "
                                         "도구 결과에 있는 수치만 써서 같은 JSON으로 다시 쓰세요.")]
    draft.progress, draft.plans = parsed
    draft.backend = "openai"
