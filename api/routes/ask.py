"""POST /api/v1/ask (one Answer as JSON) and POST /api/v1/ask/stream (server-sent events).

Every answered question is written to `qa_log` (api.log) with the caller's key name.
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
from fastapi import APIRouter, Depends, Request, Response
from sse_starlette import EventSourceResponse

from assistant.answer import Answer
from hrd.errors import HrdError
from hrd.settings import Settings
from hrd.text import clean_input
from knowledge.db import engine_for

from .. import log as qa
from ..deps import ContextDep, ReaderDep, SettingsDep
from ..errors import GENERIC_500, UnavailableError, error_body, status_of
from ..schemas import AskIn, ErrorOut

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


def check_question(question: str, settings: Settings) -> str:
    """Refuse an empty, too long or invalid (lone surrogate …) question before any work (the assistant checks again)."""
    return clean_input(question, max_chars=settings.max_question_chars)


def record(settings: Settings, answer: Answer, key_name: str) -> int | None:
    """Write the qa_log row; a logging failure is reported server-side and does not lose the answer."""
    try:
        return qa.write_answer(engine_for(settings), answer, api_key_name=key_name)
    except Exception:
        logger.exception("qa_log write failed")
        return None


@router.post("/ask", response_model=Answer, responses={400: {"model": ErrorOut}, 422: {"model": ErrorOut},
                                                       502: {"model": ErrorOut}, 503: {"model": ErrorOut}})
def ask(body: AskIn, settings: SettingsDep, principal: ReaderDep, ask_fn: AskDep, response: Response,
        _loaded: ContextDep) -> Answer:
    """질문에 답합니다: 답변, 인용(섹션·줄·원문), 수치와 근거 행, 거절 여부."""
    q = check_question(body.question, settings)
    answer = ask_fn(q, session_id=body.session_id, backend=body.backend, settings=settings)
    log_id = record(settings, answer, principal.name)
    if log_id is not None:
        response.headers["X-QA-Log-Id"] = str(log_id)
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
async def ask_stream(body: AskIn, settings: SettingsDep, principal: ReaderDep, ask_fn: AskDep,
                     _loaded: ContextDep, request: Request) -> EventSourceResponse:
    """질문에 답하며 진행 상황(status)을 보내고, 검증을 마친 답변 전체를 answer 이벤트 하나로 보냅니다.
    잘못된 질문은 스트림 전에 400으로 거절합니다(`Accept: text/event-stream`이면 error 이벤트 하나로)."""
    try:
        q = check_question(body.question, settings)
    except HrdError as e:
        if "text/event-stream" in request.headers.get("accept", ""):
            return _error_stream(e)
        raise

    async def events():
        try:
            yield _event("status", {"stage": "received", "question": q})
            answer: Answer = await anyio.to_thread.run_sync(
                partial(ask_fn, q, session_id=body.session_id, backend=body.backend, settings=settings))
            for call in answer.tool_calls:
                yield _event("status", {"stage": "tool", "name": call.name, "args": call.args, "elapsed_ms": call.elapsed_ms})
            log_id = await anyio.to_thread.run_sync(record, settings, answer, principal.name)
            yield _event("status", {"stage": "checked", "grounded": answer.grounded, "qa_log_id": log_id})
            yield {"event": "answer", "data": _safe_json(answer.model_dump(mode="json"))}
        except HrdError as e:
            yield _event("error", error_body(str(e), status_of(e)))
        except Exception:
            logger.exception("ask/stream failed")
            yield _event("error", error_body(GENERIC_500, 500))

    return EventSourceResponse(events(), ping=15)
