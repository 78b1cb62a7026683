"""POST /api/v1/ask (one Answer as JSON) and POST /api/v1/ask/stream (server-sent events).

Every request is written to `request_log` (api.reqlog) with the caller's key name; these routes
add the question, the answer and its citations to the row. A conversation (`session_id`) belongs
to the key that opened it (api.sessions): another key sending the same id starts afresh.
The stream sends `status` events (received, then each tool call once known) and exactly one
`answer` event carrying the whole Answer: answers are streamed only after the grounding check,
never token by token. A failure after the stream started arrives as one `error` event in the
error shape.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Annotated, Any, Callable

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from sse_starlette import EventSourceResponse

from assistant.answer import Answer
from hrd.errors import HrdError
from hrd.settings import Settings
from hrd.text import clean_input

from ..deps import ContextDep, EngineDep, SettingsDep, ViewerDep
from ..errors import GENERIC_500, UnavailableError, error_body, status_of
from ..reqlog import answer_fields, note
from ..schemas import AskIn, ErrorOut
from ..sessions import new_session_id, thread_for

logger = logging.getLogger("api.ask")
router = APIRouter(tags=["ask"])

AskFn = Callable[..., Answer]


def get_ask() -> AskFn:
    """The answering entry point (`assistant.ask`), imported when first needed; override in tests."""
    import assistant

    fn = getattr(assistant, "ask", None)
    if fn is None:
        raise UnavailableError("답변 엔진(assistant.ask)을 아직 사용할 수 없습니다.")
    return fn


AskDep = Annotated[AskFn, Depends(get_ask)]


def backends() -> list[str]:
    """The answering backends this server can use (the schema lists only these)."""
    from assistant.openai_backend import configured

    return ["offline", "openai"] if configured() else ["offline"]


def check_backend(backend: str | None) -> None:
    if backend is not None and backend not in backends():
        raise RequestValidationError([{"type": "literal_error", "loc": ("body", "backend"), "msg": "unavailable",
                                       "ctx": {"expected": ", ".join(backends())}}])


def check_question(question: str, settings: Settings) -> str:
    """Refuse an empty, too long or invalid (lone surrogate …) question before any work (the assistant checks again)."""
    return clean_input(question, max_chars=settings.max_question_chars)


def _thread(request: Request, engine, body: AskIn, key_name: str) -> tuple[str, str]:
    """(public session id, the checkpointer thread of this key's conversation)."""
    sid = body.session_id or new_session_id()
    note(request, session_id=sid)
    return sid, thread_for(engine, key_name, sid)


def _public(answer: Answer, sid: str) -> Answer:
    return answer.model_copy(update={"session_id": sid})


@router.post("/ask", response_model=Answer, responses={400: {"model": ErrorOut}, 502: {"model": ErrorOut}})
def ask(body: AskIn, request: Request, settings: SettingsDep, engine: EngineDep, principal: ViewerDep, ask_fn: AskDep,
        _loaded: ContextDep) -> Answer:
    """질문에 답합니다: 답변, 인용(섹션·줄·원문), 수치와 근거 행, 거절 여부."""
    check_backend(body.backend)
    q = check_question(body.question, settings)
    sid, thread = _thread(request, engine, body, principal.name)
    answer = _public(ask_fn(q, session_id=thread, backend=body.backend, settings=settings), sid)
    note(request, **answer_fields(answer))
    return answer


def _event(name: str, data: Any) -> dict[str, str]:
    return {"event": name, "data": _safe_json(data)}


def _safe_json(data: Any) -> str:
    """JSON for an event; a string that cannot be encoded (a lone surrogate) is escaped, never fatal."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, default=str)
    return text


def _error_stream(e: HrdError) -> EventSourceResponse:
    async def events():
        yield {"event": "error", "data": _safe_json(error_body(str(e), status_of(e)))}

    return EventSourceResponse(events(), ping=15)


@router.post("/ask/stream", response_class=EventSourceResponse,
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "events: status (여러 번), answer (한 번) 또는 error"},
                        400: {"model": ErrorOut}})
async def ask_stream(body: AskIn, request: Request, settings: SettingsDep, engine: EngineDep, principal: ViewerDep,
                     ask_fn: AskDep, _loaded: ContextDep) -> EventSourceResponse:
    """질문에 답하며 진행 상황(status)을 보내고, 검증을 마친 답변 전체를 answer 이벤트 하나로 보냅니다.
    잘못된 질문은 스트림 전에 400으로 거절합니다(`Accept: text/event-stream`이면 error 이벤트 하나로)."""
    check_backend(body.backend)
    try:
        q = check_question(body.question, settings)
    except HrdError as e:
        if "text/event-stream" in request.headers.get("accept", ""):
            note(request, error=str(e))
            return _error_stream(e)
        raise
    sid, thread = await anyio.to_thread.run_sync(_thread, request, engine, body, principal.name)

    async def events():
        try:
            yield _event("status", {"stage": "received", "question": q})
            answer: Answer = await anyio.to_thread.run_sync(
                partial(ask_fn, q, session_id=thread, backend=body.backend, settings=settings))
        except HrdError as e:
            note(request, question=q, error=str(e))
            yield _event("error", error_body(str(e), status_of(e)))
        except Exception:
            logger.exception("ask/stream failed")
            note(request, question=q, error=GENERIC_500)
            yield _event("error", error_body(GENERIC_500, 500))
            return
        answer = _public(answer, sid)
        note(request, **answer_fields(answer))
        for call in answer.tool_calls:
            yield _event("status", {"stage": "tool", "name": call.name, "args": call.args, "elapsed_ms": call.elapsed_ms})
        yield _event("status", {"stage": "checked", "grounded": answer.grounded})
        yield {"event": "answer", "data": _safe_json(answer.model_dump(mode="json"))}

    return EventSourceResponse(events(), ping=15)
