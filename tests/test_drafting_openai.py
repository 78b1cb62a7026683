"""Drafts written by an OpenAI-compatible model, over real HTTP against the scripted server on loopback:
the model reads the same tool results, and the grounding check applies (one retry, then removal)."""

from __future__ import annotations

import json

import pytest
from openai_stub import ScriptedOpenAI
from test_api import ingested, settings  # noqa: F401  (module fixtures shared with the API tests)

from hrd.errors import BackendError

REQUEST = "직장어린이집 재원 아동이 계속 줄고 있으니 운영 대안을 마련하여 보고할 것"


def reply(progress: list[str], plans: list[str]) -> dict:
    return {"content": json.dumps({"추진내용": progress, "향후계획": plans}, ensure_ascii=False)}


@pytest.fixture
def draft_with(settings, monkeypatch):  # noqa: F811
    from tools.context import ToolContext

    def run(script):
        with ScriptedOpenAI(script) as srv:
            monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
            monkeypatch.setenv("OPENAI_API_KEY", "test-key")
            from assistant.drafting import make_draft

            return make_draft(ToolContext(settings, ensure=False), request=REQUEST, backend="openai"), srv.requests
    return run


def test_model_writes_from_the_tool_results(draft_with):
    good = ["○ 직장보육시설운영 예산 176,213천원을 100.0% 집행함 [120행]", "  - 신입원아 홍보활동을 강화함"]
    draft, reqs = draft_with([reply(good, ["○ (작성 필요) 향후계획은 담당부서가 정할 예정"])])
    assert draft.backend == "openai" and draft.grounded and draft.progress == good
    sent = json.loads(reqs[0]["messages"][1]["content"])
    assert sent["request"] == REQUEST and any(f["value"] == 176213 and f["lines"] == [120, 120] for f in sent["facts"])
    assert sent["related"][0]["item"] == "시정·처리요구:1"
    assert draft.department.name == "인재기획과"  # from the data, not from the model


def test_an_ungrounded_figure_is_sent_back_once_then_removed(draft_with):
    bad = ["○ 재원 아동은 37명으로 감소함 [120행]"]
    draft, reqs = draft_with([reply(bad, ["○ 정원을 25명으로 줄일 예정"]), reply(bad, ["○ 정원을 25명으로 줄일 예정"])])
    assert len(reqs) == 2 and "[근거 검사]" in reqs[1]["messages"][-1]["content"] and "37" in reqs[1]["messages"][-1]["content"]
    assert not draft.grounded and sorted(draft.unsupported) == ["25", "37"]
    assert draft.progress == ["○ 재원 아동은 [확인 불가]명으로 감소함 [120행]"]


def test_a_retry_that_fixes_the_figure_passes(draft_with):
    fixed = ["○ 직장보육시설운영 집행률 100.0%임 [120행]"]
    draft, reqs = draft_with([reply(["○ 재원 아동 37명임"], []), reply(fixed, ["○ (작성 필요)"])])
    assert len(reqs) == 2 and draft.grounded and draft.progress == fixed


@pytest.mark.parametrize("script", [[{"status": 500}, {"status": 500}], [{"content": "JSON이 아닌 답"}]])
def test_a_failing_or_unreadable_model_is_a_clear_error(draft_with, script):
    with pytest.raises(BackendError) as e:
        draft_with(script)
    assert "답변서" in str(e.value) and "Traceback" not in str(e.value)
